"""Partial periods: a log cut mid-period (trailing) or starting mid-period (leading).

The hand-worked answers:

* ``steady`` has 30 members who meet at a weekly event (days 2, 9, 16, 23 of
  each month) and in weekly 1:1s (days 3, 10, 17, 24): every complete month is
  alike, so the phase is ``active`` throughout.
* Cut on the 10th (an export made on 2023-01-10), January 2023 is observed for
  9 of its 31 days: ``coverage`` 9/31, ``partial`` True; its phase and confidence
  are December's; retention (a share returning within an exposure 9/31 as long)
  is not compared (NaN).
* A trailing period in which only 3 of the 30 members appear on its first day
  (``as_of`` = the day after) looks like a collapse (active members 30 -> 3,
  retention 0.1) but is 1/31 observed: it must not move the phase.
* ``meetup_and_chats`` exported from 2022-01-20: 10 members chat weekly (days
  2, 9, 16, 23), 20 more only come to the monthly meetup on the 5th.  The first
  activity is the chat of 2022-01-23, so January is observed 9/31; the 20
  meetup-only members are first seen in February, which has only 9 days of
  data before it (< 28), so February's newcomer share is unknown (NaN), not
  20/30; March has 37 days before it (>= 31), so its share is known: 0.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import cop
from cop.lifecycle import lifecycle, period_coverage


def steady(months: int = 13, n: int = 30, start: str = "2022-01-01") -> pd.DataFrame:
    rows = []
    for m in range(months):
        s = pd.Timestamp(start) + pd.DateOffset(months=m)
        for w in range(4):
            day = s + pd.Timedelta(days=7 * w + 1)
            rows += [(f"ev-{m}-{w}", f"p{k:02d}", day) for k in range(n)]
            for k in range(0, n - 1, 2):
                aid = f"i-{m}-{w}-{k}"
                rows += [(aid, f"p{k:02d}", day + pd.Timedelta(days=1)), (aid, f"p{(k + 1 + w) % n:02d}", day + pd.Timedelta(days=1))]
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"])
    df["kind"] = np.where(df["activity_id"].str.startswith("ev"), "event", "interaction")
    return df


def meetup_and_chats(months: int = 6, start: str = "2022-01-01") -> pd.DataFrame:
    rows = []
    for m in range(months):
        s = pd.Timestamp(start) + pd.DateOffset(months=m)
        rows += [(f"meetup-{m}", f"p{k:02d}", s + pd.Timedelta(days=4, hours=17)) for k in range(30)]
        for w in range(4):
            day = s + pd.Timedelta(days=7 * w + 1)
            for k in range(0, 10, 2):
                aid = f"chat-{m}-{w}-{k}"
                rows += [(aid, f"p{k:02d}", day), (aid, f"p{(k + 1 + 2 * w) % 10:02d}", day)]
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"])
    df["kind"] = np.where(df["activity_id"].str.startswith("meetup"), "event", "interaction")
    return df


def _by_month(tl: pd.DataFrame) -> pd.DataFrame:
    return tl.set_index(tl["period"].dt.strftime("%Y-%m"))


def test_period_coverage_by_hand():
    b = pd.DatetimeIndex(["2024-01-01", "2024-02-01", "2024-03-01", "2024-03-10"], tz="UTC")
    cov, nominal = period_coverage(b, "MS", pd.Timestamp("2024-01-11", tz="UTC"))
    assert cov.tolist() == pytest.approx([21 / 31, 1.0, 9 / 31])
    assert pd.Timestamp(int(nominal[-1]), tz="UTC") == pd.Timestamp("2024-04-01", tz="UTC")
    # inferred frequency gives the same answer; quarters too
    assert period_coverage(b, None, pd.Timestamp("2024-01-11", tz="UTC"))[0].tolist() == pytest.approx(cov.tolist())
    assert period_coverage(b)[0].tolist() == pytest.approx([1.0, 1.0, 9 / 31])   # observed from the first bound
    q = pd.DatetimeIndex(["2024-01-01", "2024-04-01", "2024-05-01"], tz="UTC")
    assert period_coverage(q, "QS")[0].tolist() == pytest.approx([1.0, 30 / 91])


def test_export_cut_on_the_tenth_keeps_the_last_complete_phase():
    df = steady()
    tl = _by_month(lifecycle(cop.ActivityLog.from_frame(df[df["timestamp"] < "2023-01-10"])))
    last = tl.loc["2023-01"]
    assert bool(last["partial"]) and last["coverage"] == pytest.approx(9 / 31)
    assert not tl["partial"].iloc[1:-1].any()
    assert last["phase"] == tl.loc["2022-12", "phase"] == "active"
    assert last["confidence"] == tl.loc["2022-12", "confidence"]
    assert np.isnan(last["retention"]) and np.isnan(last["growth"])
    assert "partial period" in last["evidence"]
    assert last["active_members"] == 30          # the raw count is kept


def test_a_thin_trailing_period_does_not_look_like_a_collapse():
    df = steady(12)
    thin = pd.DataFrame({"activity_id": ["late"] * 3, "member_id": ["p00", "p01", "p02"],
                         "timestamp": [pd.Timestamp("2023-01-01 10:00")] * 3, "kind": "interaction"})
    log = cop.ActivityLog.from_frame(pd.concat([df, thin], ignore_index=True))
    d = cop.diagnose(log, agreement=False)
    tl = d.timeline
    assert d.as_of == pd.Timestamp("2023-01-02", tz="UTC")
    assert tl["active_members"].iloc[-1] == 3 and bool(tl["partial"].iloc[-1])
    assert tl["coverage"].iloc[-1] == pytest.approx(1 / 31)
    assert d.phase == "active" and (tl["phase"].iloc[1:] == "active").all()
    assert d.phase_confidence == tl["confidence"].iloc[-2]
    assert d.phase_evidence[0].startswith("Partial period")
    # the complete periods are exactly those of a diagnosis made at the month boundary (causality)
    ref = cop.diagnose(log, as_of="2023-01-01", agreement=False).timeline
    assert not ref["partial"].iloc[1:].any()
    assert tl["phase"].iloc[:-1].tolist() == ref["phase"].tolist()
    assert tl["confidence"].iloc[:-1].tolist() == ref["confidence"].tolist()
    # the JSON form carries the flag and stays valid against the schema
    rec = json.loads(d.to_json())["timeline"][-1]
    assert rec["partial"] is True and rec["retention"] is None


def test_leading_partial_period_censors_newcomer_share():
    df = meetup_and_chats()
    tl = _by_month(lifecycle(cop.ActivityLog.from_frame(df[df["timestamp"] >= "2022-01-20"]), as_of="2022-07-01"))
    assert bool(tl.loc["2022-01", "partial"]) and tl.loc["2022-01", "coverage"] == pytest.approx(9 / 31)
    assert not tl["partial"].iloc[1:].any()
    assert tl.loc["2022-02", "newcomers"] == 20 and np.isnan(tl.loc["2022-02", "newcomer_share"])
    assert tl.loc["2022-03", "newcomer_share"] == 0.0
    # not forced into potential (nor coalescing) by the censored start
    assert (tl["phase"] == "active").all()
    # a complete first month: February's share is known (nobody new)
    full = _by_month(lifecycle(cop.ActivityLog.from_frame(df), as_of="2022-07-01"))
    assert full.loc["2022-02", "newcomer_share"] == 0.0


@pytest.mark.slow
def test_simulation_end_is_a_partial_period():
    simulation = pytest.importorskip("simulation")
    r = simulation.run("baseline_coworking", seed=1)
    tl = cop.diagnose(r.log, agreement=False).timeline
    # three years from Monday 2022-01-03: the log ends on 2025-01-02, so January 2025 has 2 of 31 days
    assert tl["period"].iloc[-1] == pd.Timestamp("2025-01-01", tz="UTC")
    assert bool(tl["partial"].iloc[-1]) and tl["coverage"].iloc[-1] == pytest.approx(2 / 31)
    assert tl["partial"].iloc[0] and tl["coverage"].iloc[0] == pytest.approx(29 / 31)
    assert tl["phase"].iloc[-1] == tl["phase"].iloc[-2] == "active"


def test_period_metrics_of_no_period_is_an_empty_frame_of_its_columns():
    from cop.kernel import Prepared
    from cop.lifecycle import period_metrics

    prep = Prepared(cop.load_example())
    with_one_bound = period_metrics(prep, pd.DatetimeIndex(["2024-01-01"], tz="UTC"), [])
    without = period_metrics(prep, pd.DatetimeIndex([], tz="UTC"), [])
    assert with_one_bound.empty and without.empty
    assert list(with_one_bound.columns) == list(without.columns) and "core_stability" in without.columns
