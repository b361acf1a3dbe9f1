"""Notebook summaries: ``_repr_html_`` of ActivityLog, InteractionGraph and Diagnosis are small escaped tables."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

import cop
from cop import ActivityLog, interaction_graph


class _Cells(HTMLParser):
    """The (th, td) rows and caption of a summary table, and whether any tag other than the table's appeared."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, str] = {}
        self.caption = ""
        self.tags: set[str] = set()
        self._where: str | None = None
        self._key = ""

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._where = tag

    def handle_endtag(self, tag):
        self._where = None

    def handle_data(self, data):
        if self._where == "caption":
            self.caption += data
        elif self._where == "th":
            self._key = data
        elif self._where == "td":
            self.rows[self._key] = data


def _parse(html: str) -> _Cells:
    p = _Cells()
    p.feed(html)
    assert p.tags <= {"table", "caption", "tbody", "tr", "th", "td"}, p.tags
    return p


@pytest.fixture(scope="module")
def small_log():
    # two activities: a (x, y, z) on Jan 1, b (x, y) on Jan 3 as an interaction; m0 a check-in alone
    return ActivityLog.from_frame(pd.DataFrame({
        "activity_id": ["a", "a", "a", "b", "b", "c"],
        "member_id": ["x", "y", "<z>", "x", "y", "m0"],
        "timestamp": ["2024-01-01"] * 3 + ["2024-01-03"] * 2 + ["2024-01-05"],
        "kind": ["event"] * 3 + ["interaction"] * 2 + ["presence"],
    }))


def test_activity_log_summary(small_log):
    p = _parse(small_log._repr_html_())
    assert p.caption == "ActivityLog of <DataFrame>"  # escaped in the HTML, read back as text
    assert "&lt;DataFrame&gt;" in small_log._repr_html_()
    assert p.rows["participation rows"] == "6"
    assert p.rows["members"] == "4"
    assert p.rows["activities"] == "3"
    assert p.rows["time span"] == "2024-01-01 to 2024-01-05 (5 days)"
    assert (p.rows["kind: event"], p.rows["kind: interaction"], p.rows["kind: presence"]) == ("3", "2", "1")


def test_interaction_graph_summary(small_log):
    g = interaction_graph(small_log, start="2024-01-01", end="2024-01-04")
    p = _parse(g._repr_html_())
    # the event gives the three pairs of x, y, <z>; the interaction adds to x-y: three ties among 3 people
    assert p.rows["members"] == "3" and p.rows["ties"] == "3"
    assert p.rows["density"] == "1.000"
    assert p.rows["window"] == "2024-01-01 to 2024-01-04"


def test_diagnosis_summary_is_escaped():
    d = cop.diagnose(cop.load_example())
    p = _parse(d._repr_html_())
    assert p.rows["phase"].startswith(d.phase)
    n_core = int(d.level_counts.set_index("level").loc["core", "count"])
    assert f"core {n_core}" in p.rows["levels"]
    critical = int((d.indicators["status"] == "critical").sum())
    assert p.rows["indicators"].startswith(f"{critical} critical")
    nasty = dataclasses.replace(d, phase_evidence=["<script>alert(1)</script> & more"], source="a<b>.csv")
    html = nasty._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    p = _parse(html)
    assert p.caption == "cop diagnosis of a<b>.csv"
    assert re.search(r"<th>evidence</th><td>&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; more</td>", html)
