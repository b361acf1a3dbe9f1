"""Network consolidation of a window's tie graph: largest component, transitivity, density.

The life cycle reads how consolidated the network of a period's rolling window
is; the figures are computed once per period, while the window's tie graph is
at hand (:func:`cop.participation.flows.period_levels`).

Examples
--------
>>> import numpy as np
>>> import scipy.sparse as sp
>>> from cop.kernel.network import network_consolidation
>>> path = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0.]]))   # a - b - c: no triangle
>>> network_consolidation(path, np.ones(3, bool))
(1.0, 0.0, 0.6666666666666666)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["TRANSITIVITY_SAMPLE", "TRANSITIVITY_SEED", "network_consolidation"]

#: Above this many people, transitivity is estimated from a sample of this many centres
#: (exact below; the estimate's error is about 1/sqrt(sample) of the clustering).
TRANSITIVITY_SAMPLE = 2000
#: Seed of the transitivity sample: the same graph always gives the same estimate.
TRANSITIVITY_SEED = 0


def network_consolidation(adjacency: sp.csr_array, nodes: np.ndarray) -> tuple[float, float, float]:
    """``(largest_component_share, clustering, density)`` of the tie graph among ``nodes`` (a boolean mask).

    Isolated people count as components of one; clustering is the transitivity
    (3 x triangles / connected triples) of the unweighted graph, estimated from
    :data:`TRANSITIVITY_SAMPLE` centres drawn with seed :data:`TRANSITIVITY_SEED`
    above that many people.

    Examples
    --------
    >>> a = sp.csr_array(np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0.]]))
    >>> network_consolidation(a, np.ones(4, bool))
    (0.75, 1.0, 0.5)
    """
    idx = np.flatnonzero(nodes)
    n = len(idx)
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    sub = sp.csr_array(adjacency[idx][:, idx])
    sub.data = np.ones_like(sub.data)
    if sub.nnz == 0:
        return 1.0 / n, float("nan"), 0.0
    _, labels = connected_components(sub, directed=False)
    lcc = np.bincount(labels).max() / n
    deg = np.diff(sub.indptr).astype(np.float64)
    if n <= TRANSITIVITY_SAMPLE:
        rows = np.arange(n)
    else:
        rows = np.sort(np.random.default_rng(TRANSITIVITY_SEED).choice(n, TRANSITIVITY_SAMPLE, replace=False))
    triples = float((deg[rows] * (deg[rows] - 1)).sum())
    if triples > 0:
        part = sp.csr_array(sub[rows])
        tri2 = float((part @ sub).multiply(part).sum())
        clustering = tri2 / triples
    else:
        clustering = float("nan")
    density = sub.nnz / (n * (n - 1)) if n > 1 else 0.0
    return float(lcc), float(clustering), float(density)
