"""One figure, one value (issue 10 item 5; issue 13): what the demo report states in its tiles, its
evidence, its charts and its embedded JSON comes from one computation.

The test reads the report as a reader would — the numbers in the first screen's tiles, the sentences
of the phase evidence, the values drawn in the charts (their figure JSON), and the diagnosis JSON the
page embeds — and checks that every figure named in two places has one value.
"""

from __future__ import annotations

import html as htmllib
import json
import re

import pandas as pd
import pytest

import cop
from cop.participation.patterns import find_patterns
from cop.report import render_report
from cop.report.changes import DIAGNOSIS_SCRIPT_ID


@pytest.fixture(scope="module")
def diagnosis():
    return cop.diagnose(cop.load_example())


@pytest.fixture(scope="module")
def page(diagnosis):
    return render_report(diagnosis)


def _script(page: str, element_id: str) -> dict:
    m = re.search(rf'<script type="application/json" id="{re.escape(element_id)}">(.*?)</script>', page, flags=re.S)
    assert m, element_id
    return json.loads(m.group(1))


def _tiles(page: str) -> dict[str, int]:
    stats = re.search(r'<div class="stats">(.*?)</div></div>', page, flags=re.S).group(1)
    return {label: int(value.replace(",", "")) for value, label in re.findall(r"<b>([\d,]+)</b><span>([^<]+)</span>", stats)}


def _evidence(page: str) -> list[str]:
    block = re.search(r'<ul class="evidence">(.*?)</ul>', page, flags=re.S).group(1)
    return [htmllib.unescape(x) for x in re.findall(r"<li>(.*?)</li>", block)]


def _numbers(pattern: str, text: str) -> set[str]:
    return set(re.findall(pattern, text))


def test_core_count_is_one_value(page):
    data = _script(page, DIAGNOSIS_SCRIPT_ID)
    counts = {r["level"]: r["count"] for r in data["level_counts"]}
    tiles = _tiles(page)
    evidence = " ".join(_evidence(page))
    # the tiles, the JSON, the phase evidence ("a core of N members") and the last timeline row
    assert tiles["core"] == counts["core"]
    assert _numbers(r"[Aa] core of (\d+) members", evidence) == {str(counts["core"])}
    assert data["timeline"][-1]["core_size"] == counts["core"]
    # the pyramid draws the same counts ("29 (21%)")
    pyramid = _script(page, "fig-pyramid-data")
    labels = dict(zip(pyramid["data"][0]["y"], pyramid["data"][0]["text"]))
    for level in ("core", "active", "peripheral"):
        assert tiles[level] == counts[level]
        assert labels[level].startswith(f"{counts[level]} (")


def test_core_share_is_one_value(page):
    data = _script(page, DIAGNOSIS_SCRIPT_ID)
    share = {r["level"]: r["share"] for r in data["level_counts"]}
    ind = {r["name"]: r["value"] for r in data["indicators"]}
    assert ind["core_share"] == pytest.approx(share["core"])
    assert ind["active_share"] == pytest.approx(share["active"])
    pyramid = _script(page, "fig-pyramid-data")
    labels = dict(zip(pyramid["data"][0]["y"], pyramid["data"][0]["text"]))
    assert f"({100 * share['core']:.0f}%)" in labels["core"]
    # the indicator card shows the same percentage
    card = re.search(r'<div class="card" id="ind-core_share".*?<div class="value">([^<]+)</div>', page, flags=re.S).group(1)
    assert card.replace(" ", "") == f"{100 * share['core']:.0f}%"


def test_connectivity_is_one_value(page):
    data = _script(page, DIAGNOSIS_SCRIPT_ID)
    evidence = " ".join(_evidence(page))
    (stated,) = _numbers(r"(\d+)% of members in one connected network", evidence)
    last = data["timeline"][-1]["largest_component_share"]
    assert int(stated) == round(100 * last)
    # the manager-dependency chart's first bar is the same figure (not another definition of "connected")
    dep = _script(page, "fig-dependency-data")["data"][0]
    assert dep["y"][0].replace("<br>", " ") == "members in one connected network"
    assert dep["x"][0] == pytest.approx(last)
    assert dep["text"][0] == f"{stated}%"
    # and the timeline draws it for the last period
    timeline = _script(page, "fig-timeline-data")["data"]
    (series,) = [t for t in timeline if t.get("name") == "in the main network"]
    y = series["y"]
    if isinstance(y, dict):  # plotly's typed-array encoding
        import base64

        import numpy as np

        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    assert y[-1] == pytest.approx(last)


def test_people_taking_part_is_one_value(page, diagnosis):
    tiles = _tiles(page)
    counts = dict(zip(diagnosis.level_counts["level"], diagnosis.level_counts["count"]))
    assert tiles["people taking part"] == sum(v for k, v in counts.items() if k not in ("outsider", "inactive"))


def test_the_window_is_the_last_periods_window(diagnosis):
    # as_of 2025-07-01 closes June: the current window is the last period's rolling quarter (April-June)
    assert diagnosis.window_start == pd.Timestamp("2025-04-01", tz="UTC")
    lbp = diagnosis.levels_by_period
    last = lbp[lbp["period"] == lbp["period"].max()].set_index("member_id")["level"]
    now = diagnosis.members.set_index("member_id")["level"]
    assert last.sort_index().equals(now.reindex(last.index).sort_index())


def test_a_member_is_never_both_drifting_core_and_moving_inward(diagnosis):
    pat = diagnosis.patterns
    both = set(pat.loc[pat["pattern"] == "drifting_core", "member_id"]) & set(pat.loc[pat["pattern"] == "moving_inward", "member_id"])
    assert not both
    # and in every period: patterns as they stood at the end of each of the last twelve periods
    lbp = diagnosis.levels_by_period
    periods = sorted(lbp["period"].unique())
    for end in periods[-12:]:
        p = find_patterns(lbp[lbp["period"] <= end])
        assert not (set(p.loc[p["pattern"] == "drifting_core", "member_id"]) & set(p.loc[p["pattern"] == "moving_inward", "member_id"]))


def test_recommendations_follow_their_indicator(diagnosis):
    ind = diagnosis.indicators.set_index("name")
    recs = diagnosis.recommendations
    # one recommendation per indicator, each from a weak indicator that names the intervention
    assert recs["indicator"].is_unique
    for r in recs.itertuples(index=False):
        assert ind.loc[r.indicator, "status"] in ("watch", "critical")
        assert r.intervention in ind.loc[r.indicator, "interventions"]
        assert ind.loc[r.indicator, "explanation"] in r.rationale
    # too much routine (every event a recurring format) never advises a steadier cadence of recurring events
    assert ind.loc["recurring_format_share", "value"] == 1.0
    assert ind.loc["recurring_format_share", "interventions"][0] == "external_speakers"
    assert "event_cadence" not in ind.loc["recurring_format_share", "interventions"]
    row = recs[recs["indicator"] == "recurring_format_share"]
    assert row["intervention"].tolist() == ["external_speakers"]


def test_the_side_of_the_band_picks_the_advice_on_a_managers_own_range():
    from cop.health import Reading, spec_of
    from cop.health.familiarity import recurring_format_share

    spec = spec_of(recurring_format_share).with_bands((0.5, 0.8), (0.3, 1.0))
    reading = Reading(0.85, {"watch_high": "too routine", "watch_low": "too little routine"},
                      by_side={"high": ("external_speakers", "theme")})
    high = spec.result(reading)  # 0.85: healthy on cop's range, above the manager's healthy band
    assert high.status == "watch" and high.interventions[0] == "external_speakers" and high.explanation == "too routine"
    low = spec.result(Reading(0.4, reading.explanation, by_side=reading.by_side))
    assert low.status == "watch" and low.interventions == list(spec.interventions)


def test_each_period_shows_the_figures_behind_its_phase(page, diagnosis):
    m = re.search(r"Why each month got its phase.*?</details>", page, flags=re.S)
    assert m, "the table of reasons is missing"
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]+)</td></tr>", m.group(0))
    tl = diagnosis.timeline.sort_values("period", ascending=False)
    assert len(rows) == len(tl)
    for (period, phase, conf, why), r in zip(rows, tl.itertuples(index=False)):
        assert period == pd.Timestamp(r.period).strftime("%b %Y") and phase == r.phase
        assert conf == f"{r.confidence:.0%}"
        assert htmllib.unescape(why).lower().rstrip(".") == str(r.evidence).lower()
    # the newest row states the figures of the first screen
    assert f"a core of {int(tl['core_size'].iloc[0])} members" in htmllib.unescape(rows[0][3])
