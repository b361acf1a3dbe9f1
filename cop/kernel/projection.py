"""The one-mode projection ``B W B^T`` of the incidence matrix, and the group-size discount.

A member graph is the projection of the member x activity incidence matrix:
``A = B diag(w) B^T`` with a zero diagonal, where ``w`` weights each activity
by its kind, recency and size (Newman's ``1/(n-1)`` by default). Pairs are
never enumerated in Python.

Two bounds keep the work proportional to what a member graph can tell:

* **Large groups add no ties.** An activity with more than ``max_group_size``
  distinct participants (default :data:`MAX_GROUP_SIZE`, 1,000) still counts in
  every participation statistic (participations, intensity, consistency,
  co-attendance of events), but ties none of its pairs: its weight in ``w`` is
  0, and a :class:`~cop.exceptions.DataWarning` counts the activities and
  participations concerned.  With Newman's discount a pair in a 1,000-person
  event would get weight 0.001, below any tie threshold (``min_tie`` 0.25)
  unless the same two people meet in 250 such events; an all-pairs projection
  of one 20,000-person event would instead hold 2x10^8 ties (several GiB).
  ``max_group_size=None`` ties every group.
* **A hard bound on the graph.** Before the product, :func:`project` bounds the
  number of ties exactly from the activity sizes (:func:`tie_bound`) and stops
  with a :class:`~cop.exceptions.ConfigError` when it exceeds ``max_ties``
  (default :data:`MAX_TIES`), naming both options.

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

import warnings
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from cop.exceptions import ConfigError, DataWarning

__all__ = ["MAX_GROUP_SIZE", "MAX_TIES", "group_discount", "project", "tie_bound", "zero_diagonal"]

#: Default ``max_group_size``: activities with more distinct participants tie none of their pairs
#: (a pair's Newman weight there would be at most 1/1000).
MAX_GROUP_SIZE = 1_000

#: Default ``max_ties``: the largest member graph built, in ties (unordered pairs).  A tie is
#: stored twice in the symmetric sparse matrix (8-byte weight + 4-byte index each): 24 bytes a
#: copy, about 30 at the peak of the build (the whole-history graph of the 1,000,000-row,
#: 100,000-member log of ``benchmarks/bench_graph.py``, 67 million ties, peaked at 1.95 GB RSS),
#: so 100 million ties need about 3 GB.
MAX_TIES = 100_000_000


def group_discount(
    size: np.ndarray,
    method: str | Callable[[np.ndarray], np.ndarray] = "newman",
    *,
    max_group_size: int | None = MAX_GROUP_SIZE,
) -> np.ndarray:
    """Weight of one shared activity by its number of participants.

    Parameters
    ----------
    size : numpy.ndarray
        Distinct participants per activity.
    method : {"newman", "none", "log"} or callable
        ``newman``: ``1/(n-1)`` (Newman 2001); ``none``: 1; ``log``:
        ``1/log2(n)``; a callable maps sizes to weights.  Activities with fewer
        than two people create no ties whatever the method.
    max_group_size : int or None, default :data:`MAX_GROUP_SIZE`
        Activities with more participants get weight 0 whatever the method (they
        add no ties), with a :class:`~cop.exceptions.DataWarning` that counts
        them; ``None`` for no cap.

    Examples
    --------
    >>> group_discount(np.array([1, 2, 3, 301])).tolist()
    [0.0, 1.0, 0.5, 0.0033333333333333335]
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     group_discount(np.array([2, 5, 40]), max_group_size=10).tolist()
    [1.0, 0.25, 0.0]
    >>> print(caught[0].message)
    1 activity with more than max_group_size=10 participants (largest 40; 40 participations) counts in participation statistics but adds no ties; raise max_group_size (--max-group-size) to tie its participants
    """
    n = np.asarray(size, dtype=np.float64)
    out = np.zeros_like(n)
    pair = n >= 2
    if max_group_size is not None:
        if isinstance(max_group_size, bool) or not isinstance(max_group_size, (int, np.integer)) or max_group_size < 2:
            raise ConfigError(f"parameter 'max_group_size': {max_group_size!r}; expected a whole number of people >= 2, or None")
        large = n > max_group_size
        if large.any():
            pair &= ~large
            k = int(large.sum())
            warnings.warn(
                f"{k:,} {'activity' if k == 1 else 'activities'} with more than max_group_size={max_group_size:,} "
                f"participants (largest {int(n.max()):,}; {int(n[large].sum()):,} participations) counts in "
                f"participation statistics but adds no ties; raise max_group_size (--max-group-size) to tie "
                f"{'its' if k == 1 else 'their'} participants",
                DataWarning, stacklevel=2,
            )
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


def project(b: sp.csr_array | sp.csc_array, w: np.ndarray, *, max_ties: int | None = MAX_TIES) -> sp.csr_array:
    """``B diag(w) B^T`` with a zero diagonal, as a csr array.

    Activities with weight 0 are left out.  When :func:`tie_bound` of the rest
    exceeds ``max_ties`` (``None``: no bound) a :class:`~cop.exceptions.ConfigError`
    stops before the product.

    Examples
    --------
    >>> b = sp.csr_array(np.ones((3000, 1)))   # one 3,000-person activity
    >>> project(b, np.array([1.0]), max_ties=1_000_000)
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: the member graph would hold up to 4,498,500 ties (bound from the sizes of 1 activity), more than max_ties=1,000,000
    >>> project(b, np.array([0.0])).nnz      # a weight-0 (capped) activity ties no one
    0
    """
    if b.shape[0] == 0:
        return sp.csr_array((0, 0))
    keep = w > 0
    if not keep.all():
        b = b.tocsc()[:, keep]
        w = w[keep]
    bw = sp.csr_array(b) if b.format != "csr" else b
    if max_ties is not None:
        bound = tie_bound(bw)
        if bound > max_ties:
            raise ConfigError(
                f"the member graph would hold up to {bound:,} ties (bound from the sizes of {bw.shape[1]:,} "
                f"{'activity' if bw.shape[1] == 1 else 'activities'}), more than max_ties={max_ties:,}",
                hint="lower max_group_size (--max-group-size) so that large activities add no ties, shorten the "
                "window, or raise max_ties (--max-ties) if the memory is there (about 30 bytes a tie)",
            )
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


def tie_bound(b: sp.csr_array | sp.csc_array) -> int:
    """An upper bound on the ties (unordered pairs) of the projection of ``b``, from activity sizes.

    Member ``i`` can be tied to at most ``sum(n_a - 1)`` others over its
    activities ``a`` (``n_a`` the stored participants of column ``a``), and to at
    most everyone else; half the sum over members bounds the pairs.  The bound
    is exact when no pair meets twice, and costs one pass over the stored values.

    Examples
    --------
    >>> b = sp.csr_array(np.array([[1, 1], [1, 0], [1, 0], [0, 1]]))  # groups {0,1,2} and {0,3}
    >>> tie_bound(b)
    4
    """
    csr = sp.csr_array(b) if b.format != "csr" else b
    n_rows = csr.shape[0]
    if csr.nnz == 0 or n_rows < 2:
        return 0
    col_n = np.bincount(csr.indices, minlength=csr.shape[1]).astype(np.int64)
    cum = np.concatenate(([0], np.cumsum(col_n[csr.indices] - 1)))
    per_row = cum[csr.indptr[1:]] - cum[csr.indptr[:-1]]
    return int(np.minimum(per_row, n_rows - 1).sum() // 2)


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
