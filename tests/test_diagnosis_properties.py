"""Property tests: levels are invariant to row order and id names; later empty periods change nothing before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cop
from cop.participation import LevelClassifier

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def small_logs(draw):
    n_people = draw(st.integers(3, 12))
    n_acts = draw(st.integers(3, 25))
    rows = []
    for a in range(n_acts):
        day = draw(st.integers(0, 150))
        size = draw(st.integers(1, min(5, n_people)))
        people = draw(st.lists(st.integers(0, n_people - 1), min_size=size, max_size=size, unique=True))
        kind = draw(st.sampled_from(["event", "interaction", "collaboration", "presence"]))
        for p in people:
            rows.append((f"a{a}", f"p{p}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=day), kind))
    return pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind"])


def _levels(frame: pd.DataFrame, **kw) -> pd.Series:
    log = cop.ActivityLog.from_frame(frame, emit_warnings=False)
    return LevelClassifier(**kw).fit(log).levels_


@SETTINGS
@given(small_logs(), st.randoms(use_true_random=False))
def test_levels_invariant_to_shuffle_and_renaming(frame, rnd):
    as_of = "2024-06-15"
    base = _levels(frame, as_of=as_of)
    order = list(range(len(frame)))
    rnd.shuffle(order)
    ids = sorted(frame["member_id"].unique())
    new_names = [f"z{i:03d}" for i in range(len(ids))]
    rnd.shuffle(new_names)
    rename = dict(zip(ids, new_names))
    acts = sorted(frame["activity_id"].unique())
    arename = dict(zip(acts, [f"q{i}" for i in rnd.sample(range(len(acts)), len(acts))]))
    other = frame.iloc[order].reset_index(drop=True)
    other = other.assign(member_id=other["member_id"].map(rename), activity_id=other["activity_id"].map(arename))
    got = _levels(other, as_of=as_of)
    expected = base.rename(index=rename).sort_index()
    pd.testing.assert_series_equal(got.sort_index(), expected, check_names=False)


@SETTINGS
@given(small_logs())
def test_unrelated_empty_period_changes_nothing_before(frame):
    log = cop.ActivityLog.from_frame(frame, emit_warnings=False)
    a = cop.diagnose(log, agreement=False)
    later = a.as_of + pd.offsets.MonthBegin(2)
    b = cop.diagnose(log, as_of=later, agreement=False)
    n = len(a.timeline) - 1  # the last period of `a` may be cut short by its as_of
    cols = [c for c in a.timeline.columns if c != "evidence"]
    pd.testing.assert_frame_equal(a.timeline[cols].iloc[:n], b.timeline[cols].iloc[:n])
    lbp_a = a.levels_by_period[a.levels_by_period["period"] < a.timeline["period"].iloc[n]] if n else a.levels_by_period.iloc[:0]
    lbp_b = b.levels_by_period[b.levels_by_period["period"] < a.timeline["period"].iloc[n]] if n else b.levels_by_period.iloc[:0]
    pd.testing.assert_frame_equal(lbp_a.reset_index(drop=True), lbp_b.reset_index(drop=True))


@SETTINGS
@given(small_logs())
def test_diagnosis_never_crashes_and_validates(frame):
    import json
    from importlib.resources import files

    import jsonschema

    schema = json.loads((files("cop") / "schemas" / "diagnosis.schema.json").read_text())
    d = cop.diagnose(cop.ActivityLog.from_frame(frame, emit_warnings=False))
    jsonschema.validate(json.loads(d.to_json()), schema)
    assert np.isin(d.members["level"], ["coordinator", "core", "active", "peripheral", "inactive", "outsider"]).all()
