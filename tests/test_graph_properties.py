"""Properties of the interaction graph: row order and id names do not matter; windows partition the log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cop import ActivityLog, interaction_graph
from cop.schema import KINDS

rows = st.lists(
    st.tuples(
        st.integers(0, 12),            # activity
        st.integers(0, 9),             # member
        st.integers(0, 120),           # day
        st.sampled_from(KINDS),
        st.sampled_from([0.5, 1.0, 2.0]),
    ),
    min_size=2,
    max_size=60,
)


def build(data, rename=lambda m: f"m{m}", order=None):
    frame = pd.DataFrame(data, columns=["a", "m", "day", "kind", "weight"])
    # one kind and one day per activity, as in real exports
    frame["kind"] = frame.groupby("a")["kind"].transform("first")
    frame["day"] = frame.groupby("a")["day"].transform("first")
    out = pd.DataFrame({
        "activity_id": "a" + frame["a"].astype(str),
        "member_id": frame["m"].map(rename),
        "timestamp": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(frame["day"], unit="D"),
        "kind": frame["kind"],
        "weight": frame["weight"],
    })
    if order is not None:
        out = out.iloc[order].reset_index(drop=True)
    return ActivityLog.from_frame(out, emit_warnings=False)


def edge_dict(g, back=lambda x: x):
    e = g.to_edges()
    return {frozenset((back(s), back(t))): w for s, t, w in zip(e["source"], e["target"], e["weight"])}


def same(d1, d2):
    assert d1.keys() == d2.keys()
    for k in d1:
        assert np.isclose(d1[k], d2[k], rtol=1e-12, atol=1e-12)


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_row_order_and_id_names_do_not_matter(data, rnd):
    base = edge_dict(interaction_graph(build(data)))
    order = list(range(len(data)))
    rnd.shuffle(order)
    same(base, edge_dict(interaction_graph(build(data, order=order))))
    renamed = interaction_graph(build(data, rename=lambda m: f"person-{97 - m:03d}"))
    same(base, edge_dict(renamed, back=lambda x: f"m{97 - int(x.split('-')[1])}"))


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(rows, st.integers(1, 119))
def test_windows_add_up_to_the_whole(data, cut):
    log = build(data)
    split = pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(days=cut)
    whole = interaction_graph(log).adjacency
    left, right = interaction_graph(log, end=split), interaction_graph(log, start=split)
    ids = list(interaction_graph(log).nodes)
    total = np.zeros((len(ids), len(ids)))
    for part in (left, right):
        pos = [ids.index(m) for m in part.nodes]
        total[np.ix_(pos, pos)] += part.adjacency.toarray()
    np.testing.assert_allclose(total, whole.toarray(), atol=1e-12)
