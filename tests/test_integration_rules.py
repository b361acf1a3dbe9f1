"""Issue 10 items 3-5: integration against chance, isolated vs siloed, dense levels, one recommendation per indicator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop.health.organizations import expected_ei, integration_verdict
from cop.participation.classifier import DENSE_CORE_SHARE, separation
from cop.participation.patterns import find_patterns
from cop.recommend import recommend


def test_expected_ei_is_chance_for_equal_groups():
    # 4 groups of 25 among 100: a partner is in the own group with probability 24/99
    assert np.isclose(expected_ei([25], 100)[0], 1 - 2 * 24 / 99)


def test_few_ties_all_outside_is_isolated_not_siloed():
    # 16 members, all peripheral, 2 ties both outside (E-I 1.00): the firm
    v = integration_verdict([16, 6], [1.0, 0.9], [0, 30], [2, 3], [1.0, -0.8], [0.77, 0.9])
    assert v.tolist() == ["isolated", "siloed"]


def test_dense_scores_are_not_separated_and_fall_back_to_pyramid():
    rng = np.random.default_rng(0)
    scores = np.clip(rng.normal(0.85, 0.03, 300), 0, 1)
    s = separation(scores)
    assert not s.separated and "not well separated" in s.sentence
    assert s.breaks_core > DENSE_CORE_SHARE * 300 or s.method == "reference pyramid"


def test_member_in_at_most_one_of_drifting_and_moving_inward():
    p = pd.date_range("2024-01-01", periods=6, freq="MS", tz="UTC")
    # x: peripheral -> core -> active (drifting: last core after last peripheral)
    # y: core -> peripheral -> active (moving inward: last peripheral after last core)
    lv = {"x": ["peripheral", "core", "core", "active", "active", "active"],
          "y": ["core", "core", "peripheral", "peripheral", "active", "active"]}
    frame = pd.DataFrame([(per, m, lv[m][i]) for m in lv for i, per in enumerate(p)], columns=["period", "member_id", "level"])
    pat = find_patterns(frame)
    got = pat[pat["pattern"].isin(["drifting_core", "moving_inward"])].set_index("member_id")["pattern"]
    assert got.to_dict() == {"x": "drifting_core", "y": "moving_inward"}


def test_recommendations_from_one_indicator_are_merged():
    ind = pd.DataFrame({"name": ["a"], "status": ["critical"], "explanation": ["A is low."],
                        "interventions": [["theme", "event_cadence", "seat_cap"]]})
    rec = recommend(ind)
    assert len(rec) == 1 and rec["alternatives"].iloc[0] == ["event_cadence", "seat_cap"]
