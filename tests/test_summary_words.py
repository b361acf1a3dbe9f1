"""The terminal summary in plain words (a manager reads it): labels first, technical names one step away.

The expected labels come from the report's wording tables (:mod:`cop.report.wording`,
:func:`cop.report.label_for`), so the terminal and the HTML report call each thing by the same name.
"""

from __future__ import annotations

import io
import re

from rich.console import Console

from cop.cli.diagnose_cmd import render_sections
from cop.report import label_for
from cop.report.wording import PATTERN_TEXT, describe
from cop.summary import render_summary, summary_sections


def _section(d, title: str):
    return next(s for s in summary_sections(d) if s.title.startswith(title))


def test_weak_indicators_are_named_in_plain_words_with_their_unit(example_diagnosis):
    d = example_diagnosis
    weak = _section(d, "Weak indicators")
    assert len(weak.rows) == len(d.weak_indicators) > 0
    for row, r in zip(weak.rows, d.weak_indicators.itertuples(index=False)):
        assert row[1:3] == describe(r.name, r.value)
        assert row[1] != r.name and "_" not in row[1]  # not the technical name
    assert any("--format json" in n for n in weak.notes)  # where the technical names are


def test_recommendations_say_what_to_try_and_because_of_what(example_diagnosis):
    d = example_diagnosis
    recs = _section(d, "Recommendations")
    assert [c for c in recs.columns] == ["#", "what to try", "because of", "why"]
    for row, r in zip(recs.rows, d.recommendations.itertuples(index=False)):
        assert row[1] == label_for(r.intervention) and "_" not in row[1]
        assert row[2] == f"{describe(r.indicator, None)[0]} ({r.status})"


def test_patterns_are_counted_in_plain_words_with_the_technical_name(example_diagnosis):
    d = example_diagnosis
    text = render_summary(d)
    for name, n in d.patterns["pattern"].value_counts().items():
        title = PATTERN_TEXT[name][0]
        assert f"- {n} {title[0].lower() + title[1:]} ({name})" in text


def test_narrow_terminal_wraps_between_words(example_diagnosis):
    out = io.StringIO()
    render_sections(summary_sections(example_diagnosis), Console(file=out, width=80, color_system=None))
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    words = {w for s in summary_sections(example_diagnosis) for row in s.rows for cell in row[1:]
             for w in re.findall(r"[A-Za-z]{5,}", cell)}
    assert words
    shown = set(re.findall(r"[A-Za-z]+", text))
    broken = sorted(w for w in words if w not in shown)
    assert not broken, f"words cut in two at 80 columns: {broken}"
