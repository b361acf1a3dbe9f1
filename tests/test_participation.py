"""Participation levels, flows and patterns on hand-built logs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cop
from cop.participation import LevelClassifier, cohen_kappa, flows_between, level_agreement, natural_breaks, transition_matrix
from cop.participation.patterns import find_patterns

from _diag_logs import guests, star, stuck


def test_star_roles_fixed_before_classification():
    clf = LevelClassifier().fit(star())
    assert clf.levels_["mgr"] == "coordinator"
    # the twelve members are alike: one distinct score, no artificial split
    assert clf.levels_.drop("mgr").nunique() == 1
    assert clf.as_of_ == pd.Timestamp("2024-03-23", tz="UTC")


def test_stuck_members_are_peripheral_and_found():
    log = stuck()
    levels = LevelClassifier().fit(log).levels_
    # core: c1..c3 chat every three days (consistency 1, intensity ~11, 2 ties each);
    # edge: one meetup a month (consistency 3/6, intensity 3)
    assert set(levels[["c1", "c2", "c3"]]) == {"core"}
    assert set(levels[[f"e{i}" for i in range(5)]]) == {"peripheral"}
    d = cop.diagnose(log, agreement=False)
    stuck_ids = set(d.patterns.loc[d.patterns["pattern"] == "stuck_periphery", "member_id"])
    assert stuck_ids == {f"e{i}" for i in range(5)}
    assert (d.patterns.loc[d.patterns["pattern"] == "stuck_periphery", "periods"] >= 6).all()


def test_guests_are_outsiders_and_not_counted_in_shares():
    # weekly meetings Jan 1 - Mar 4, conference Jan 31: all inside the default 90 days before Mar 5
    d = cop.diagnose(guests(), agreement=False)
    assert d.level_counts.set_index("level").loc["outsider", "count"] == 20
    m = LevelClassifier(as_of="2024-02-15", lookback=60).fit(guests())
    lc = m.level_counts().set_index("level")
    assert lc.loc["outsider", "count"] == 20
    assert np.isnan(lc.loc["outsider", "share"])
    assert lc.loc[["coordinator", "core", "active", "peripheral", "inactive"], "share"].sum() == pytest.approx(1.0)


def test_outsiders_in_window_are_listed():
    d = cop.diagnose(guests(), as_of="2024-02-15", lookback=60, agreement=False)
    assert (d.members["level"] == "outsider").sum() == 20
    ind = d.indicators.set_index("name")
    # window Dec 17 - Feb 15: weekly meetings Jan 1 ... Feb 12 (7) and the conference: 1 of 8 had outsiders
    assert ind.loc["external_activity_share", "value"] == pytest.approx(1 / 8)


def test_natural_breaks_and_kappa():
    assert natural_breaks(np.array([1, 1, 1, 5, 5, 9.0]), 3) == [5.0, 9.0]
    assert natural_breaks(np.array([2.0, 2.0]), 3) == []
    assert cohen_kappa(["a", "b"], ["a", "b"]) == 1.0
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0.0


def test_methods_and_agreement_on_example():
    log = cop.load_example()
    for method in ("activity_share", "network", "kcore"):
        lv = LevelClassifier(method).fit(log).levels_
        assert {"core", "peripheral"} <= set(lv)
    k = level_agreement(log)
    assert len(k) == 6 and k["kappa"].between(-1, 1).all()
    with pytest.raises(cop.ConfigError):
        LevelClassifier("quota").fit(log)


def test_onion_core_is_smallest_set_for_80_percent():
    # intensities 10, 5, 3, 1, 1: cumulative 50%, 75%, 90%, 95%, 100% -> core 3 people, active 1 (with its tie) ...
    rows = []
    for who, n in zip("abcde", (10, 5, 3, 1, 1)):
        rows += [(f"{who}{i}", who, "2024-01-05") for i in range(n)]
    log = cop.ActivityLog.from_frame(pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]))
    lv = LevelClassifier("activity_share").fit(log).levels_
    assert lv.to_dict() == {"a": "core", "b": "core", "c": "core", "d": "active", "e": "active"}


def test_flows_and_transition_matrix():
    d = cop.diagnose(stuck(), agreement=False)
    assert d.flows["count"].sum() > 0
    tm = transition_matrix(d.flows)
    assert tm.loc["peripheral", "peripheral"] == pytest.approx(1.0)
    f = flows_between(d.levels_by_period)
    pd.testing.assert_frame_equal(f, d.flows)


def test_patterns_drifting_and_inward():
    p = pd.date_range("2024-01-01", periods=8, freq="MS", tz="UTC")
    lbp = pd.DataFrame({
        "period": list(p) * 2,
        "member_id": ["old"] * 8 + ["new"] * 8,
        "level": ["core"] * 5 + ["active", "peripheral", "peripheral"] + ["peripheral"] * 6 + ["active", "core"],
    })
    pat = find_patterns(lbp)
    got = {(r.pattern, r.member_id) for r in pat.itertuples()}
    assert ("drifting_core", "old") in got
    assert ("moving_inward", "new") in got
