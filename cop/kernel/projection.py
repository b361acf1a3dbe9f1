"""The one-mode projection ``B W B^T`` of the incidence matrix, and the group-size discount.

A member graph is the projection of the member x activity incidence matrix:
``A = B diag(w) B^T`` with a zero diagonal, where ``w`` weights each activity
by its kind, recency and size (Newman's ``1/(n-1)`` by default). Pairs are
never enumerated in Python.

Examples
--------
>>> import numpy as np
>>> import scipy.sparse as sp
>>> from cop.kernel.projection import project
>>> b = sp.csr_array(np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]))  # 3 people, 2 activities
>>> project(b, np.array([1.0, 0.5])).toarray().tolist()
[[0.0, 1.0, 0.5], [1.0, 0.0, 0.0], [0.5, 0.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from cop.exceptions import ConfigError

__all__ = ["group_discount", "project", "zero_diagonal"]


def group_discount(size: np.ndarray, method: str | Callable[[np.ndarray], np.ndarray] = "newman") -> np.ndarray:
    """Weight of one shared activity by its number of participants.

    Parameters
    ----------
    size : numpy.ndarray
        Distinct participants per activity.
    method : {"newman", "none", "log"} or callable
        ``newman``: ``1/(n-1)`` (Newman 2001); ``none``: 1; ``log``:
        ``1/log2(n)``; a callable maps sizes to weights.  Activities with fewer
        than two people create no ties whatever the method.

    Examples
    --------
    >>> group_discount(np.array([1, 2, 3, 301])).tolist()
    [0.0, 1.0, 0.5, 0.0033333333333333335]
    """
    n = np.asarray(size, dtype=np.float64)
    out = np.zeros_like(n)
    pair = n >= 2
    if callable(method):
        out[pair] = np.asarray(method(n[pair]), dtype=np.float64)
    elif method == "newman":
        out[pair] = 1.0 / (n[pair] - 1.0)
    elif method == "none":
        out[pair] = 1.0
    elif method == "log":
        out[pair] = 1.0 / np.log2(n[pair])
    else:
        raise ConfigError(f"parameter 'discount': {method!r} is not one of 'newman', 'none', 'log' or a callable")
    return out


def project(b: sp.csr_array | sp.csc_array, w: np.ndarray) -> sp.csr_array:
    """``B diag(w) B^T`` with a zero diagonal, as a csr array."""
    if b.shape[0] == 0:
        return sp.csr_array((0, 0))
    keep = w > 0
    if not keep.all():
        b = b.tocsc()[:, keep]
        w = w[keep]
    bw = sp.csr_array(b) if b.format != "csr" else b
    # B diag(w): scale the stored values (no matrix product, no copy of the pattern)
    data = bw.data * w[bw.indices]
    if (data == 0).any():  # drop zero-weight entries (eliminate_zeros works in place: copy the pattern)
        scaled = sp.csr_array((data, bw.indices.copy(), bw.indptr.copy()), shape=bw.shape)
        scaled.eliminate_zeros()
    else:
        scaled = sp.csr_array((data, bw.indices, bw.indptr), shape=bw.shape)
    adj = sp.csr_array(scaled @ bw.T)
    zero_diagonal(adj, has_diagonal=bool(np.all(np.diff(scaled.indptr) > 0)))
    adj.eliminate_zeros()
    return adj


def zero_diagonal(adj: sp.csr_array, *, has_diagonal: bool) -> None:
    """Set the stored diagonal of a square csr array to 0, in place, adding no entries.

    ``setdiag`` is fast when every row stores its diagonal; otherwise it inserts
    the missing entries, so rows are scanned in blocks of about 8 million values.
    """
    if has_diagonal:
        adj.setdiag(0)
        return
    indptr, indices = adj.indptr, adj.indices
    n = adj.shape[0]
    step = max(1, int(n * 8_000_000 // max(adj.nnz, 1)))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        a, b = int(indptr[lo]), int(indptr[hi])
        if a == b:
            continue
        row = np.repeat(np.arange(lo, hi, dtype=indices.dtype), np.diff(indptr[lo:hi + 1]))
        adj.data[a + np.flatnonzero(indices[a:b] == row)] = 0
