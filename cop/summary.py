"""The diagnosis as text: one set of sections, rendered as plain text here and as tables by ``cop diagnose``.

:func:`summary_sections` decides what a reader sees — the phase and its
evidence, the levels against Wenger's reference shares, the weak indicators,
the top recommendations and the patterns — as a list of :class:`Section`
(a title, optional table columns and rows, notes).  :func:`render_summary`
lays them out as plain text (``Diagnosis.summary()``, ``str(diagnosis)``);
the CLI lays the same sections out as rich tables.

Examples
--------
>>> import pandas as pd
>>> import cop
>>> rows = pd.DataFrame({"activity_id": ["e1"] * 3 + ["e2"] * 3, "member_id": ["a", "b", "c"] * 2,
...                      "timestamp": ["2024-01-05"] * 3 + ["2024-02-05"] * 3})
>>> d = cop.diagnose(cop.ActivityLog.from_frame(rows))
>>> [s.title.split(" (")[0] for s in summary_sections(d)][1:4]
['Phase: potential', 'Participation levels', 'Weak indicators']
>>> text = render_summary(d)
>>> text.splitlines()[2], "  core         3        100.0%  10-15%" in text
('Phase: potential (confidence 0.13)', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cop.report.commands import label_for
from cop.report.wording import PATTERN_TEXT, describe, wording_for

__all__ = ["FORMATS", "Section", "summary_sections", "render_summary", "render_sections", "format_value"]

#: How a result is shown on a terminal: the text sections, or JSON (the CLI's ``--format`` choices).
FORMATS: tuple[str, ...] = ("text", "json")


@dataclass(frozen=True)
class Section:
    """One part of the text rendering of a diagnosis.

    Attributes
    ----------
    title : str
        Heading line.
    columns : tuple of str
        Column names of the table (empty: no table).
    rows : list of tuple of str
        Table cells, already formatted.
    notes : list of str
        Lines after the table (bullets of evidence, "not available", "none").
    status_column : int or None
        Index of the column holding an indicator status (for colouring).
    bullets : bool
        Whether the notes are a bulleted list.
    """

    title: str
    columns: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    status_column: int | None = None
    bullets: bool = False


def format_value(v: Any) -> str:
    """An indicator value with three significant digits, ``n/a`` when missing.

    Examples
    --------
    >>> format_value(0.123456), format_value(float("nan")), format_value(None)
    ('0.123', 'n/a', 'n/a')
    """
    if v is None or not np.isfinite(v):
        return "n/a"
    return f"{v:.3g}"


def _window_days(d: Any) -> int:
    """Days of the window used (``window_start`` to ``as_of``), else ``lookback``."""
    start = getattr(d, "window_start", None)
    if start is None:
        return int(d.lookback)
    return int(round((pd.Timestamp(d.as_of) - pd.Timestamp(start)) / pd.Timedelta(days=1)))


def summary_sections(d: Any, top: int = 5) -> list[Section]:
    """The sections of the text rendering of ``d``, a :class:`cop.Diagnosis` (see the module documentation)."""
    out = [
        Section(f"cop diagnosis of {d.source} as of {d.as_of:%Y-%m-%d} ({_window_days(d)}-day window, periods {d.freq})",
                notes=[own.sentence()] if (own := getattr(d, "settings", None)) is not None else []),
        Section(f"Phase: {d.phase} (confidence {d.phase_confidence:.2f})", notes=list(d.phase_evidence), bullets=True),
    ]
    levels = []
    for r in d.level_counts.itertuples(index=False):
        share = "" if pd.isna(r.share) else f"{100 * r.share:.1f}%"
        ref = "" if pd.isna(r.reference_low) else f"{100 * r.reference_low:.0f}-{100 * r.reference_high:.0f}%"
        levels.append((r.level, str(r.count), share, ref))
    out.append(Section("Participation levels (share of members; Wenger's reference)",
                       ("level", "members", "share", "reference (Wenger 2002)"), levels,
                       list(getattr(d, "level_evidence", []))))
    weak = d.weak_indicators
    na = d.indicators[d.indicators["status"] == "not_available"]
    notes = [] if len(weak) else ["none: every indicator is healthy or not available"]
    if len(na):
        notes.append("not available: " + "; ".join(f"{n} ({r})" for n, r in zip(na["name"], na["reason"])))
    if len(weak):
        notes.append("technical names, definitions and sources: --format json, or the indicator table of the report")
    out.append(Section(f"Weak indicators ({len(weak)} of {len(d.indicators)})", ("status", "indicator", "value", "why it matters"),
                       [(r.status, *describe(r.name, r.value), r.explanation) for r in weak.itertuples(index=False)],
                       notes, status_column=0))
    recs = d.recommendations.head(top)
    out.append(Section("Recommendations", ("#", "what to try", "because of", "why"),
                       [(str(r.rank), label_for(r.intervention), f"{wording_for(r.indicator).label} ({r.status})", r.rationale)
                        for r in recs.itertuples(index=False)],
                       [] if len(recs) else ["none: no indicator is weak"]))
    if len(d.patterns):
        counts = d.patterns["pattern"].value_counts()
        out.append(Section("Members and organizations to look at (patterns)",
                           notes=[_pattern_line(name, int(n)) for name, n in counts.items()], bullets=True))
    return out


def _pattern_line(name: str, n: int) -> str:
    """``"42 stuck at the periphery (stuck_periphery): members who ..."``: the count, plain words, the technical name."""
    title, meaning = PATTERN_TEXT.get(name, (name.replace("_", " ").capitalize(), ""))
    return f"{n} {title[0].lower() + title[1:]} ({name})" + (f": {meaning[0].lower() + meaning[1:]}" if meaning else "")


def render_summary(d: Any, top: int = 5) -> str:
    """The sections as plain text: tables with padded columns (the last one runs free), notes indented."""
    return render_sections(summary_sections(d, top))


def render_sections(sections: list[Section]) -> str:
    """Any list of :class:`Section` as plain text (the layout of :func:`render_summary`).

    Examples
    --------
    >>> print(render_sections([Section("Spaces", ("space", "people"), [("oslo", "12")], ["one note"])]))
    Spaces
      space  people
      oslo   12
      one note
    """
    lines: list[str] = []
    for i, s in enumerate(sections):
        if i:
            lines.append("")
        lines.append(s.title)
        if s.rows:
            widths = [max(len(c), *(len(r[k]) for r in s.rows)) for k, c in enumerate(s.columns)]
            for row in [s.columns, *s.rows]:
                cells = [c.ljust(w) for c, w in zip(row[:-1], widths[:-1])] + [row[-1]]
                lines.append("  " + "  ".join(cells).rstrip())
        lines += [f"  - {n}" if s.bullets else f"  {n}" for n in s.notes]
    return "\n".join(lines)
