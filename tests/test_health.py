"""Health indicators on hand-built logs whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cop
from cop.health import (
    HealthContext,
    INDICATORS,
    coordinator_betweenness,
    coordinator_dependent_share,
    coordinator_involvement_share,
    cross_org_tie_share,
    ei_index,
    fragmentation_without_coordinator,
    grade,
    indicator_names,
    run_indicators,
    topic_drift,
)
from cop.health.manager import betweenness_of

from _diag_logs import silos, star


def test_star_is_manager_dependent():
    ctx = HealthContext.from_log(star())
    # every member's only tie is the manager: all shortest paths between members pass through them
    b = coordinator_betweenness(ctx)
    assert b.value == pytest.approx(1.0) and b.status == "critical"
    dep = coordinator_dependent_share(ctx)
    assert dep.value == 1.0 and dep.status == "critical"
    # without the manager the 12 members fall apart into 12 singletons: 1 - 1/12 cut off
    frag = fragmentation_without_coordinator(ctx)
    assert frag.value == pytest.approx(1 - 1 / 12) and frag.status == "critical"
    assert coordinator_involvement_share(ctx).value == 1.0
    assert "matchmaking_tool" in b.interventions


def test_silos_never_mix():
    ctx = HealthContext.from_log(silos())
    cross = cross_org_tie_share(ctx)
    assert cross.value == 0.0 and cross.status == "critical"
    ei = ei_index(ctx)
    # every tie is internal: E-I = (0 - I) / (0 + I) = -1
    assert ei.value == -1.0 and ei.status == "critical"
    d = cop.diagnose(silos(), agreement=False)
    assert set(d.organizations["ei_index"]) == {-1.0}
    assert d.recommendations["intervention"].iloc[:3].isin(["seat_cap", "matchmaking_tool"]).any()


def test_missing_data_is_not_available_not_zero():
    # no members table, no topics, no collaborations: those indicators say why
    rows = pd.DataFrame({"activity_id": ["a", "a", "b", "b", "c", "c"], "member_id": ["x", "y", "y", "z", "x", "z"],
                         "timestamp": ["2024-01-02", "2024-01-02", "2024-01-09", "2024-01-09", "2024-01-16", "2024-01-16"]})
    table = run_indicators(HealthContext.from_log(cop.ActivityLog.from_frame(rows))).set_index("name")
    for name in ("topic_drift", "domain_coherence", "collaborations_per_member", "cross_org_tie_share", "ei_index",
                 "coordinator_betweenness", "external_activity_share"):
        assert table.loc[name, "status"] == "not_available", name
        assert np.isnan(table.loc[name, "value"])
        assert table.loc[name, "reason"]


def test_registry_names_are_stable_snake_case():
    names = indicator_names()
    assert len(names) == len(set(names)) == len(INDICATORS) >= 20
    assert all(n == n.lower() and " " not in n for n in names)


def test_grade_and_betweenness_path():
    assert grade(float("nan"), healthy=(0, 1), watch=(0, 2)) == "not_available"
    # path a-b-c: b is on the only shortest path of the pair (a, c): normalised 1
    path = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0.]])
    import scipy.sparse as sp

    assert betweenness_of(sp.csr_array(path), np.array([1, 0])).tolist() == [1.0, 0.0]


def test_betweenness_matches_networkx_on_example():
    import networkx as nx

    ctx = HealthContext.from_log(cop.load_example())
    idx = np.flatnonzero(ctx.window.active)
    g = ctx.window.adjacency[idx][:, idx]
    ours = betweenness_of(g, np.arange(len(idx)))
    ref = nx.betweenness_centrality(nx.from_scipy_sparse_array(g, edge_attribute=None))
    assert np.allclose(ours, [ref[i] for i in range(len(idx))], atol=1e-9)


def test_topic_drift_on_example_sees_change_over_two_years():
    log = cop.load_example()
    early = topic_drift(HealthContext.from_log(log, as_of="2024-07-01", lookback=180))
    assert 0 <= early.value <= 1


def _events_log(days: list[str], people: int, prefix: str = "meet") -> cop.ActivityLog:
    rows = [(f"{prefix}-{d}", f"p{k:02d}", d) for d in days for k in range(people)]
    return cop.ActivityLog.from_frame(pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]).assign(kind="event"))


def test_too_few_event_days_is_not_available_not_critical():
    from cop.health import event_cadence_cv

    # events on two days of the window: no gaps to measure a rhythm from (it was NaN graded critical before)
    two = event_cadence_cv(HealthContext.from_log(_events_log(["2024-03-04", "2024-03-11"], 4), as_of="2024-04-01"))
    assert two.status == "not_available" and np.isnan(two.value) and "fewer than three event days" in two.reason
    # three weekly event days: perfectly regular
    three = event_cadence_cv(HealthContext.from_log(_events_log(["2024-03-04", "2024-03-11", "2024-03-18"], 4),
                                                    as_of="2024-04-01"))
    assert three.value == 0.0 and three.status == "healthy"


def test_newcomers_who_never_tie_have_no_median_but_a_critical_share():
    from cop.health import newcomers_with_tie_share, time_to_first_tie

    # twelve people, all first seen in 2023, only ever meet at events of twelve (larger than a small group of ten)
    days = [str(d.date()) for d in pd.date_range("2023-06-05", "2024-03-25", freq="14D")]
    ctx = HealthContext.from_log(_events_log(days, 12), as_of="2024-04-01")
    t = time_to_first_tie(ctx)
    assert t.status == "not_available" and np.isnan(t.value) and "never formed a first tie" in t.reason
    s = newcomers_with_tie_share(ctx)
    assert s.value == 0.0 and s.status == "critical"
