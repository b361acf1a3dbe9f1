"""``brokered_introduction_share``: manager dependency that the tie graph cannot see.

Hand-worked answers: in ``intros`` eight members ``u0``..``u7`` are introduced
in four 1:1 introductions (``u0-u1``, ``u2-u3``, ``u4-u5``, ``u6-u7``), three
brokered by the manager ``mgr`` and one by ``u0``; the broker appears only as
``organizer`` in the activities table, so ``mgr`` has no tie at all.  Share
3/4 = 0.75 -> ``watch`` (0.5 <= share < 0.8).
"""

from __future__ import annotations

import pandas as pd
import pytest

import cop
from cop.health import HealthContext, brokered_introduction_share, coordinator_betweenness, indicator_names

T0 = pd.Timestamp("2024-03-04")
MEMBERS = pd.DataFrame({"member_id": ["mgr"] + [f"u{k}" for k in range(8)], "role": ["manager"] + ["member"] * 8})


def intros(brokers=("mgr", "mgr", "mgr", "u0"), *, as_role: bool = False, types: bool = True) -> cop.ActivityLog:
    rows, acts = [], []
    for i, b in enumerate(brokers):
        aid, day = f"intro-{i}", T0 + pd.Timedelta(days=i)
        rows += [(aid, f"u{2 * i}", day, "sender"), (aid, f"u{2 * i + 1}", day, "recipient")]
        if as_role:
            rows.append((aid, b, day, "organizer"))
        acts.append((aid, "introduction", None if as_role else b))
    # a weekly breakfast everybody attends, so the manager takes part in the window
    for w in range(4):
        rows += [(f"breakfast-{w}", p, T0 + pd.Timedelta(days=7 * w), "attendee") for p in MEMBERS["member_id"]]
        acts.append((f"breakfast-{w}", "social", "mgr"))
    df = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "role"])
    df["kind"] = df["activity_id"].str.startswith("intro").map({True: "interaction", False: "event"})
    act = pd.DataFrame(acts, columns=["activity_id", "type", "organizer"])
    if not types:
        act = act.drop(columns="type")
    return cop.ActivityLog.from_frame(df, MEMBERS, act)


def test_three_of_four_introductions_by_the_manager():
    ctx = HealthContext.from_log(intros())
    r = brokered_introduction_share(ctx)
    assert r.value == pytest.approx(0.75) and r.status == "watch"
    assert r.interventions == ["matchmaking_tool", "manager_hours"] and r.principle == "manager_dependency"
    assert "3 of 4" in r.explanation
    # the tie graph never links the manager to the pairs: betweenness stays at 0
    assert coordinator_betweenness(ctx).value == 0.0


def test_thresholds():
    assert brokered_introduction_share(HealthContext.from_log(intros(("mgr",) * 4))).status == "critical"   # 1.0
    assert brokered_introduction_share(HealthContext.from_log(intros(("mgr", "mgr", "u0", "u2")))).status == "watch"  # 0.5
    assert brokered_introduction_share(HealthContext.from_log(intros(("mgr", "u0", "u2", "u4")))).status == "healthy"  # 0.25


def test_broker_as_a_participant_with_role_organizer():
    r = brokered_introduction_share(HealthContext.from_log(intros(as_role=True)))
    assert r.value == pytest.approx(0.75)


def test_not_available_without_types_or_brokers():
    r = brokered_introduction_share(HealthContext.from_log(intros(types=False)))
    assert r.status == "not_available" and "type" in r.reason
    none = intros((None, None, None, None))
    r = brokered_introduction_share(HealthContext.from_log(none))
    assert r.status == "not_available" and "broker" in r.reason


def test_example_manager_brokers_the_introductions():
    d = cop.diagnose(cop.load_example(), agreement=False)
    ind = d.indicators.set_index("name")
    # 21 of the 23 introductions of April-June 2025 are brokered by the manager m0001
    assert ind.loc["brokered_introduction_share", "value"] == pytest.approx(21 / 23)
    assert ind.loc["brokered_introduction_share", "status"] == "critical"
    assert indicator_names().index("brokered_introduction_share") == indicator_names().index("coordinator_involvement_share") + 1
    rec = d.recommendations.set_index("intervention")
    for itv in ("matchmaking_tool", "manager_hours"):
        assert "brokered_introduction_share" in [rec.loc[itv, "indicator"], *rec.loc[itv, "also_addresses"]]
    assert rec.loc["matchmaking_tool", "rank"] == 1
