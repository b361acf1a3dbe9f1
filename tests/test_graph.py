"""Interaction graph weights against hand-computed values (group discount, kinds, decay, windows)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from cop import ActivityLog, GraphBuilder, graphs_by_period, interaction_graph
from cop.exceptions import ConfigError


def make_log(rows, members=None):
    frame = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind", "role", "weight"][: len(rows[0])])
    return ActivityLog.from_frame(frame, members=members)


@pytest.fixture
def small():
    rows = []
    rows += [("party", m, "2024-01-05", "event", "attendee", 1) for m in "abcd"]
    rows += [("intro", "a", "2024-01-11", "interaction", "sender", 1), ("intro", "b", "2024-01-11", "interaction", "recipient", 1)]
    rows += [("collab", m, "2024-01-21", "collaboration", "partner", 1) for m in "ac"]
    rows += [("checkin", m, "2024-01-21", "presence", None, 1) for m in "abcde"]
    members = pd.DataFrame({"member_id": list("abcde"), "organization": ["Hub", "X", "X", "Y", "Y"],
                            "role": ["manager", "member", "member", "member", "member"]})
    return make_log(rows, members)


def test_default_weights_by_hand(small):
    g = interaction_graph(small)
    third = 1 / 3  # party of 4: Newman 1/(n-1)
    pres = 0.2 / 4  # check-in of 5 people: presence weight 0.2 x 1/(5-1)
    assert g.weight("a", "b") == pytest.approx(third + 1.0 + pres)  # + the 1:1 intro
    assert g.weight("a", "c") == pytest.approx(third + 3.0 + pres)  # + the collaboration (weight 3)
    assert g.weight("c", "d") == pytest.approx(third + pres)
    assert g.weight("a", "e") == pytest.approx(pres)
    assert g.n_edges == 10  # five people, all pairs share the check-in
    adj = g.adjacency
    assert (adj != adj.T).nnz == 0 and adj.diagonal().sum() == 0


def test_discount_none_and_kind_weights(small):
    g = interaction_graph(small, discount="none", kind_weights={"presence": 0.0})
    assert g.weight("c", "d") == pytest.approx(1.0)  # party pair undiscounted
    assert g.weight("a", "b") == pytest.approx(2.0)
    # e only checked in: still a node (it took part) but without ties once presence weighs 0
    assert g.weight("a", "e") == 0.0 and g.degree()["e"] == 0
    with pytest.raises(KeyError):
        g.weight("a", "nobody")


def test_party_does_not_outweigh_introductions():
    # one 301-person party vs four 1:1 introductions between x and y
    rows = [("party", f"p{i}", "2024-01-01", "event") for i in range(299)] + [("party", "x", "2024-01-01", "event"), ("party", "y", "2024-01-01", "event")]
    rows += [(f"i{k}", m, "2024-01-0{}".format(k + 2), "interaction") for k in range(4) for m in "xy"]
    g = interaction_graph(make_log(rows))
    assert g.weight("x", "y") == pytest.approx(4 + 1 / 300)
    assert g.weight("x", "p0") == pytest.approx(1 / 300)


def test_participation_weight_multiplies(small):
    frame = small.to_frame()
    frame.loc[(frame["activity_id"] == "intro") & (frame["member_id"] == "a"), "weight"] = 2.0
    g = interaction_graph(small.with_rows(frame), kind_weights={"presence": 0})
    assert g.weight("a", "b") == pytest.approx(1 / 3 + 2.0)


def test_decay_half_life(small):
    # as_of 2024-01-31: party 26 days old, intro 20 days, collab and check-in 10 days
    g = interaction_graph(small, half_life=10, as_of="2024-01-31", kind_weights={"presence": 0})
    assert g.weight("a", "b") == pytest.approx(1 / 3 * 0.5 ** 2.6 + 1.0 * 0.25)
    assert g.weight("a", "c") == pytest.approx(1 / 3 * 0.5 ** 2.6 + 3.0 * 0.5)
    # activities after as_of are left out
    early = interaction_graph(small, half_life=10, as_of="2024-01-10", kind_weights={"presence": 0})
    assert early.weight("a", "b") == pytest.approx(1 / 3 * 0.5 ** 0.5)


def test_window_slices(small):
    g = interaction_graph(small, start="2024-01-10", end="2024-01-20")
    assert list(g.nodes) == ["a", "b"]
    assert g.weight("a", "b") == pytest.approx(1.0)


def test_monthly_and_rolling_windows():
    rows = [("a1", "x", "2024-01-03", "event"), ("a1", "y", "2024-01-03", "event"),
            ("a2", "y", "2024-03-10", "event"), ("a2", "z", "2024-03-10", "event")]
    log = make_log(rows)
    monthly = graphs_by_period(log, "MS")
    assert [k.strftime("%Y-%m") for k in monthly] == ["2024-01", "2024-02", "2024-03"]
    assert [g.n_edges for g in monthly.values()] == [1, 0, 1]
    assert len(monthly[pd.Timestamp("2024-02-01", tz="UTC")]) == 0
    rolling = graphs_by_period(log, "MS", rolling=3)
    assert rolling[pd.Timestamp("2024-03-01", tz="UTC")].n_edges == 2
    quarterly = graphs_by_period(log, "QS")
    assert len(quarterly) == 1 and next(iter(quarterly.values())).n_edges == 2


def test_builder_windows_equal_separate_builds(small):
    b = GraphBuilder(small)
    for start, end in [(None, "2024-01-12"), ("2024-01-06", None), ("2024-01-01", "2024-02-01")]:
        a1 = b.graph(start, end)
        a2 = interaction_graph(small.window(start, end))
        e1 = a1.to_edges().sort_values(["source", "target"]).reset_index(drop=True)
        e2 = a2.to_edges().sort_values(["source", "target"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(e1, e2)


def test_directed_view():
    rows = [("m1", "a", "2024-01-01", "interaction", "sender"), ("m1", "b", "2024-01-01", "interaction", "recipient"),
            ("m2", "a", "2024-01-02", "interaction", "sender"), ("m2", "b", "2024-01-02", "interaction", "recipient"),
            ("m3", "b", "2024-01-03", "interaction", "sender"), ("m3", "c", "2024-01-03", "interaction", "recipient")]
    g = interaction_graph(make_log(rows))
    d = g.to_networkx(directed=True)
    assert isinstance(d, nx.DiGraph)
    assert d["a"]["b"]["weight"] == 2 and d["b"]["c"]["weight"] == 1
    assert not d.has_edge("b", "a")
    u = g.to_networkx()
    assert u["a"]["b"]["weight"] == pytest.approx(2.0)


def test_networkx_attributes_and_exports(small, tmp_path):
    g = interaction_graph(small)
    nxg = g.to_networkx()
    assert nxg.nodes["a"]["organization"] == "Hub" and nxg.nodes["a"]["role"] == "manager"
    assert nxg.number_of_edges() == g.n_edges
    for suffix in ("graphml", "gexf"):
        path = g.write(tmp_path / f"g.{suffix}")
        back = nx.read_graphml(path) if suffix == "graphml" else nx.read_gexf(path)
        assert back.number_of_edges() == g.n_edges
        assert float(back["a"]["c"]["weight"]) == pytest.approx(g.weight("a", "c"))
    edges = pd.read_csv(g.write(tmp_path / "g.csv"))
    assert list(edges.columns) == ["source", "target", "weight"] and len(edges) == g.n_edges
    with pytest.raises(ConfigError, match="graphml"):
        g.write(tmp_path / "g.png")


def test_matches_dense_reference_on_random_log():
    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame({
        "activity_id": [f"a{i}" for i in rng.integers(0, 60, n)],
        "member_id": [f"m{i}" for i in rng.integers(0, 30, n)],
        "timestamp": "2024-01-01",
        "kind": rng.choice(["event", "interaction", "collaboration", "presence"], n),
    }).drop_duplicates(["activity_id", "member_id"])
    frame["kind"] = frame.groupby("activity_id")["kind"].transform("first")
    log = ActivityLog.from_frame(frame)
    g = interaction_graph(log)
    # dense reference: loop over activities
    from cop.schema import DEFAULT_KIND_WEIGHTS
    ids = list(g.nodes)
    ref = np.zeros((len(ids), len(ids)))
    for _, grp in frame.groupby("activity_id"):
        ms = [ids.index(m) for m in grp["member_id"]]
        if len(ms) < 2:
            continue
        w = DEFAULT_KIND_WEIGHTS[grp["kind"].iloc[0]] / (len(ms) - 1)
        for i in ms:
            for j in ms:
                if i != j:
                    ref[i, j] += w
    np.testing.assert_allclose(g.adjacency.toarray(), ref)


def test_bad_parameters(small):
    with pytest.raises(ConfigError, match="discount"):
        interaction_graph(small, discount="harmonic")
    with pytest.raises(ConfigError, match="kind_weights"):
        interaction_graph(small, kind_weights={"party": 1})
    with pytest.raises(ConfigError, match="half_life"):
        interaction_graph(small, half_life=0)
    with pytest.raises(ConfigError, match="freq"):
        graphs_by_period(small, freq="fortnightly")
    assert isinstance(interaction_graph(small).adjacency, sp.sparray)
