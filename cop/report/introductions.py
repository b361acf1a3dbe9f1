"""The report's "Who to introduce this week" section, and the page of ``cop match -o suggestions.html``.

Both show suggestions of :func:`cop.suggest_introductions` (member, suggested
member, score, reasons).  In the report, the suggestions are those for
newcomers and members at the periphery (``who="peripheral"``), at most
:data:`REPORT_ROWS`.  With pseudonymized data the ids are already pseudonyms
(the log was pseudonymized on loading), and the section says so.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"member_id": ["a"], "suggested_id": ["b"], "rank": [1], "score": [0.5],
...                   "reasons": ["both came to the same breakfast"]})
>>> html = introductions_section(s)
>>> 'id="introductions"' in html and "both came to the same breakfast" in html
True
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from cop.report._page import esc, placeholder, table_html

__all__ = ["introductions_section", "introductions_page", "write_introductions", "REPORT_ROWS", "ANCHOR", "TITLE"]

#: Most suggestions shown in the report.
REPORT_ROWS = 20
ANCHOR = "introductions"
TITLE = "Who to introduce this week"

_LEAD = ("Introductions between people who do not know each other yet, for newcomers and members at the periphery "
         "first, each with what they have in common. Every person appears in at most a few of them; "
         "<code>cop match</code> writes the full list and a weekly plan.")


def _rows(s: pd.DataFrame, limit: int | None) -> list[list[object]]:
    frame = s if limit is None else s.sort_values(["rank", "score"], ascending=[True, False]).head(limit)
    cols = ["member_id", "suggested_id", "score", "reasons"] + (["week"] if "week" in frame.columns else [])
    return frame[cols].values.tolist()


def introductions_section(suggestions: pd.DataFrame | None, *, pseudonymized: bool = False, limit: int = REPORT_ROWS) -> str:
    """The section (``<section id="introductions">``), or a placeholder when there is nothing to suggest."""
    lead = _LEAD + (" Members are shown by their pseudonyms." if pseudonymized else "")
    if suggestions is None or not len(suggestions):
        body = placeholder("No introduction to suggest: nobody eligible shares an activity, a topic, a day in the "
                           "space or an acquaintance with someone they do not know yet.")
    else:
        header = ["member", "introduce to", "score", "why"] + (["week"] if "week" in suggestions.columns else [])
        body = f'<div class="table-wrap">{table_html(_rows(suggestions, limit), header, numeric={2})}</div>'
        if len(suggestions) > limit:
            body += f'<p class="muted">{limit} of {len(suggestions):,} suggestions shown (the best first-choice ones).</p>'
    return f'<section id="{ANCHOR}"><h2>{esc(TITLE)}</h2><p class="lead">{lead}</p>{body}</section>\n'


_CSS = ("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}"
        "table.data{border-collapse:collapse;width:100%}table.data th,table.data td{border-bottom:1px solid #ddd;"
        "padding:4px 8px;text-align:left;vertical-align:top}td.num{text-align:right}.muted{color:#666}")


def introductions_page(suggestions: pd.DataFrame, *, title: str = "Suggested introductions", pseudonymized: bool = False) -> str:
    """A small self-contained HTML page listing every suggestion (no script, nothing fetched)."""
    header = ["member", "introduce to", "rank", "score", "why"] + (["week"] if "week" in suggestions.columns else [])
    cols = ["member_id", "suggested_id", "rank", "score", "reasons"] + (["week"] if "week" in suggestions.columns else [])
    rows = suggestions[cols].values.tolist() if len(suggestions) else []
    note = " Members are shown by their pseudonyms." if pseudonymized else ""
    body = table_html(rows, header, numeric={2, 3}) if rows else placeholder("No introduction to suggest.")
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
            f"<style>{_CSS}</style></head><body><h1>{esc(title)}</h1>"
            f"<p class=\"muted\">{len(rows):,} suggestions, made by cop match.{note}</p>{body}</body></html>\n")


def write_introductions(suggestions: pd.DataFrame, path: str | os.PathLike[str], *, pseudonymized: bool = False) -> Path:
    """Write :func:`introductions_page` to ``path`` atomically."""
    from cop._atomic import atomic_write_text

    return atomic_write_text(Path(path), introductions_page(suggestions, pseudonymized=pseudonymized))
