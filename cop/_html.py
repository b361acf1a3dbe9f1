"""A small escaped HTML summary table, the ``_repr_html_`` of the notebook-facing objects.

Examples
--------
>>> print(summary_table("log <a>", [("rows", 3), ("source", "x&y.csv")]))
<table class="cop-summary"><caption>log &lt;a&gt;</caption><tbody><tr><th>rows</th><td>3</td></tr><tr><th>source</th><td>x&amp;y.csv</td></tr></tbody></table>
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

__all__ = ["summary_table"]


def summary_table(caption: str, rows: Iterable[tuple[str, object]]) -> str:
    """An HTML ``<table>`` of ``(label, value)`` rows under ``caption``; every text escaped."""
    body = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return f'<table class="cop-summary"><caption>{escape(caption)}</caption><tbody>{body}</tbody></table>'
