"""The k-core numbers of the ``kcore`` level method, computed by peeling, against networkx's ``core_number``."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from cop.participation.classifier import _kcore_numbers


def _networkx(adj) -> np.ndarray:
    g = nx.from_scipy_sparse_array(adj)
    g.remove_edges_from(nx.selfloop_edges(g))
    cn = nx.core_number(g)
    return np.array([cn.get(i, 0) for i in range(adj.shape[0])], dtype=np.int64)


@pytest.mark.parametrize("seed", range(6))
def test_random_graphs_match_networkx(seed):
    rng = np.random.default_rng(seed)
    for t in range(60):
        n = int(rng.integers(1, 90))
        m = sp.random(n, n, density=rng.uniform(0, 0.3), random_state=rng, format="csr")
        if t % 2:
            m = m + m.T  # symmetric, as the tie graphs are
        if t % 5 == 0:
            m.setdiag(1.0)  # self-loops do not count
        if t % 7 == 0 and m.nnz:
            m.data[: m.nnz // 3] = 0.0  # a stored zero is an edge for networkx too
        m = sp.csr_array(m)
        assert _kcore_numbers(m).tolist() == _networkx(m).tolist()


def test_known_cores():
    # a 4-clique (core 3), a triangle hanging off it by one edge (core 2), a path (core 1), an isolated node (0)
    edges = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3), (3, 4), (4, 5), (5, 6), (6, 4), (6, 7), (7, 8)]
    r, c = zip(*edges)
    adj = sp.csr_array((np.ones(2 * len(edges)), (list(r) + list(c), list(c) + list(r))), shape=(10, 10))
    assert _kcore_numbers(adj).tolist() == [3, 3, 3, 3, 2, 2, 2, 1, 1, 0]
