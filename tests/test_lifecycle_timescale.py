"""The community's own timescale (issue 10): return gaps, the default window, and where it is reported.

Hand-worked: in ``_two_paces`` member ``a`` takes part every 2 days and member ``b`` every 10 days
over 200 days, so the pooled return gaps are 99 gaps of 2 days and 19 of 10 days: the median is
2, the 90th percentile 10 (19 of 118 gaps, 16 %, are 10 days), the default window 3 x 10 = 30 days,
raised to the 90-day floor.  Stretching every gap by 6 gives a 90th percentile of 60 days and a
window of 180 days.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import cop
from cop.kernel import DAY_NS, Prepared, lookback_for, return_gaps, timescale
from cop.lifecycle import lifecycle


def _two_paces(stretch: int = 1) -> cop.ActivityLog:
    start = pd.Timestamp("2020-01-01")  # stretched by 6 it still ends before today (no future-date warning)
    rows = [(f"a{k}", "a", start + pd.Timedelta(days=2 * stretch * k)) for k in range(100)]
    rows += [(f"b{k}", "b", start + pd.Timedelta(days=10 * stretch * k)) for k in range(20)]
    return cop.ActivityLog.from_frame(pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]))


def test_return_gaps_are_per_member_and_per_distinct_day():
    # member 0 on days 0, 0 (same day twice), 3; member 1 on days 1, 8
    gaps = return_gaps(np.array([0, 0, 0, 1, 1]), np.array([0, 0, 3, 1, 8]) * DAY_NS)
    assert sorted(gaps.tolist()) == [3.0, 7.0]


def test_return_gaps_in_any_order_are_those_of_the_sorted_pairs():
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(0, 400))
        member, start = rng.integers(0, 20, n), rng.integers(0, 60, n) * DAY_NS + rng.integers(0, DAY_NS, n)
        order = np.lexsort((start // DAY_NS, member))
        want = return_gaps(member[order], start[order])  # (already in order: no sort)
        assert return_gaps(member, start).tolist() == want.tolist()
        assert return_gaps(member[::-1], start[::-1]).tolist() == want.tolist()


def test_timescale_of_two_paces():
    ts = timescale(Prepared(_two_paces()))
    assert ts.returns == 99 + 19
    assert ts.median_return_days == 2.0
    assert ts.return_days == pytest.approx(10.0)
    assert ts.lookback == 90 and ts.lookback_source == "data"
    slow = timescale(Prepared(_two_paces(stretch=6)))
    assert slow.return_days == pytest.approx(60.0) and slow.lookback == 180


def test_window_bounds():
    assert lookback_for(1.0) == 90          # a chat: the 90-day floor
    assert lookback_for(40.0) == 120        # 3 x 40 = 120 days
    assert lookback_for(500.0) == 360       # at most a year, in whole 30-day months
    assert lookback_for(float("nan")) == 90


def test_diagnosis_reports_the_timescale_and_uses_it():
    log = _two_paces(stretch=6)
    d = cop.diagnose(log, agreement=False)
    assert d.lookback == 180 and d.timescale.lookback_source == "data"
    given = cop.diagnose(log, lookback=60, agreement=False)
    assert given.lookback == 60 and given.timescale.lookback_source == "user"
    assert given.timescale.return_days == pytest.approx(60.0)
    out = json.loads(d.to_json())
    assert out["timescale"]["lookback"] == 180 and out["timescale"]["median_return_days"] == 12.0


def test_launch_is_coalescing_without_joined_dates():
    """A chat launched mid-month: 20 founders in the first half month, then 60 people of whom 40 new,
    talking four times as much: the second month is a launch (newcomers do most of the activity,
    activity x4 on a rate basis, a new high), so ``coalescing``, though nobody has a joined date."""
    rows = []
    start = pd.Timestamp("2024-04-15")
    for d in range(16):                      # 2024-04-15 .. 04-30: 20 people, one message pair a day each
        for k in range(0, 20, 2):
            rows += [(f"m{d}-{k}", f"p{k}", start + pd.Timedelta(days=d)), (f"m{d}-{k}", f"p{k + 1}", start + pd.Timedelta(days=d))]
    may = pd.Timestamp("2024-05-01")
    for d in range(31):                      # May: 60 people, two message pairs a day each
        for r in range(2):
            for k in range(0, 60, 2):
                t = may + pd.Timedelta(days=d, hours=r)
                rows += [(f"n{d}-{r}-{k}", f"p{k}", t), (f"n{d}-{r}-{k}", f"p{k + 1}", t)]
    log = cop.ActivityLog.from_frame(pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]))
    tl = lifecycle(log, as_of="2024-06-01")
    may_row = tl.set_index(tl["period"].dt.strftime("%Y-%m")).loc["2024-05"]
    assert may_row["newcomer_activity_share"] == pytest.approx(40 / 60)
    assert may_row["phase"] == "coalescing"
    assert "newcomers did 67% of the activity" in may_row["evidence"]
