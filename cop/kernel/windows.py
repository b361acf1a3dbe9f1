"""Shared, vectorised per-window statistics used by levels, flows, life cycle and health.

One :class:`Prepared` holds the log's incidence matrix (through one
:class:`~cop.kernel.incidence.Incidence`) and per-person / per-activity arrays; every
time window is then a contiguous block of columns, so a window's statistics are
a few sparse matrix-vector products and one projection ``B W B^T``.

Conventions (documented in :mod:`cop.participation.classifier`):

* *intensity* weights each participation by its kind (event 1, interaction 1,
  collaboration 3, presence 0.2, contribution 0.5) times the row's ``weight``;
* *ties* come from the projection with presence left out (sharing the space on
  the same day is not a tie) and a pair counts as tied when its weight reaches
  ``min_tie`` (default 0.25: one 1:1 interaction, one meeting of five, or four
  shared 13-person breakfasts);
* *engaged* activities are those that are not presence (unless the log holds
  nothing else), used for consistency.

Examples
--------
>>> import pandas as pd
>>> from cop import ActivityLog
>>> from cop.kernel.windows import Prepared
>>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a", "b"], "member_id": ["x", "y", "x"],
...     "timestamp": ["2024-01-03", "2024-01-03", "2024-01-05"], "kind": ["interaction", "interaction", "event"]}))
>>> p = Prepared(log)
>>> w = p.window(pd.Timestamp("2024-01-01", tz="UTC").value, pd.Timestamp("2024-02-01", tz="UTC").value)
>>> w.intensity.tolist(), w.degree.tolist()
([2.0, 1.0], [1, 1])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from cop.exceptions import ConfigError
from cop.kernel.incidence import Incidence
from cop.kernel.periods import DAY_NS, sub_windows
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES, group_discount, project
from cop.log import ActivityLog
from cop.schema import DEFAULT_KIND_WEIGHTS, KINDS

__all__ = ["Prepared", "Window", "current_people", "FORMER_AFTER_LOOKBACKS", "FORMER_AFTER_DAYS"]

#: Without ``left`` dates, a member silent for ``max(FORMER_AFTER_LOOKBACKS x lookback, FORMER_AFTER_DAYS)``
#: days is a former member, not an inactive one (:func:`current_people`).
FORMER_AFTER_LOOKBACKS = 4
FORMER_AFTER_DAYS = 365

_PRESENCE = KINDS.index("presence")
_EVENT = KINDS.index("event")
_COLLAB = KINDS.index("collaboration")


@dataclass
class Window:
    """Statistics of every person (arrays aligned with ``Prepared.member_ids``) in ``[lo, hi)``.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> prep = Prepared(cop.load_example())
    >>> hi = pd.Timestamp("2024-01-01", tz="UTC").value
    >>> w = prep.window(hi - 90 * 86_400 * 10**9, hi)
    >>> int(w.active.sum()), int((w.participations > 0).sum()), w.adjacency.nnz > 0
    (125, 125, True)
    """

    lo: int
    hi: int
    cols: slice
    participations: np.ndarray
    intensity: np.ndarray
    consistency: np.ndarray
    engaged: np.ndarray
    adjacency: sp.csr_array  # thresholded tie graph, n x n
    _weights: sp.csr_array | None = None  # unthresholded tie weights (summed on demand when None)
    _parts: tuple | None = None  # (prep, blocks) to sum the weights from

    @property
    def weights(self) -> sp.csr_array:
        """Unthresholded tie weights, n x n."""
        if self._weights is None:
            prep, blocks = self._parts
            w = prep.projection(*blocks[0])
            for b in blocks[1:]:
                w = w + prep.projection(*b)
            self._weights = sp.csr_array(w)
        return self._weights

    @property
    def active(self) -> np.ndarray:
        """People with any participation in the window."""
        return self.participations > 0

    @property
    def degree(self) -> np.ndarray:
        """Number of ties (thresholded)."""
        return np.diff(self.adjacency.indptr)

    @property
    def strength(self) -> np.ndarray:
        """Sum of tie weights (thresholded graph)."""
        return np.asarray(self.adjacency.sum(axis=1)).ravel()


class Prepared:
    """Arrays and the incidence matrix of one log, ready for many windows.

    Parameters
    ----------
    log : ActivityLog
    kind_weights : dict, optional
        Kind weights for intensity and ties (defaults :data:`cop.schema.DEFAULT_KIND_WEIGHTS`).
    presence_weight : float, default 0.0
        Kind weight of presence in the *tie* graph (0: co-presence is not a tie).
    min_tie : float, default 0.25
        Smallest accumulated weight that counts as a tie.
    small_group : int, default 10
        Largest activity counted as a small-group encounter (first ties of newcomers,
        public/private spaces).
    max_group_size : int or None, default 1000
        Activities with more participants count in every statistic but add no ties
        (see :mod:`cop.kernel.projection`).
    max_ties : int or None, default 100,000,000
        Largest tie graph of a window; a larger one stops with a :class:`~cop.exceptions.ConfigError`.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> prep = Prepared(cop.load_example())
    >>> hi = pd.Timestamp("2024-01-01", tz="UTC").value
    >>> w = prep.window(hi - 90 * 86_400 * 10**9, hi)  # nanoseconds UTC; computed once, then cached
    >>> prep.n, int(w.active.sum()), w.adjacency.shape
    (221, 125, (221, 221))
    """

    def __init__(
        self,
        log: ActivityLog,
        *,
        kind_weights: Mapping[str, float] | None = None,
        presence_weight: float = 0.0,
        min_tie: float = 0.25,
        small_group: int = 10,
        max_group_size: int | None = MAX_GROUP_SIZE,
        max_ties: int | None = MAX_TIES,
    ) -> None:
        if not min_tie >= 0:
            raise ConfigError(f"parameter 'min_tie': {min_tie!r}; expected a non-negative tie weight")
        if not presence_weight >= 0:
            raise ConfigError(f"parameter 'presence_weight': {presence_weight!r}; expected a non-negative weight")
        weights = dict(DEFAULT_KIND_WEIGHTS)
        weights.update(kind_weights or {})
        tie_weights = dict(weights)
        tie_weights["presence"] = float(presence_weight)
        self.log = log
        self.kind_weights = weights
        self.min_tie = float(min_tie)
        self.small_group = int(small_group)
        self.max_group_size, self.max_ties = max_group_size, max_ties
        self.tie_kind_weights = tie_weights
        inc = self.incidence = Incidence.from_log(log)
        self.member_ids = inc.member_ids
        self.n = len(inc.member_ids)
        self.B = inc.matrix  # csc, weights
        binary = inc.matrix.copy()
        binary.data[:] = 1.0
        self.Bbin = binary
        self.start = inc.start
        self.kind = inc.kind
        self.size = inc.size
        self.is_presence = inc.kind == _PRESENCE
        self.is_event = inc.kind == _EVENT
        self.is_collab = inc.kind == _COLLAB
        self.engaging = (~self.is_presence).astype(np.float64) if (~self.is_presence).any() else np.ones(len(inc.kind))
        self.intensity_weight = np.array([weights[k] for k in KINDS])[inc.kind]
        #: Per-activity tie weight: kind weight (presence at ``presence_weight``) x group discount.
        self.tie_weight = np.array([tie_weights[k] for k in KINDS])[inc.kind] * group_discount(inc.size, max_group_size=max_group_size)
        members = log.members.reindex(inc.member_ids)
        self.members = members
        self.ptype = members["participant_type"].to_numpy(dtype=object)
        self.is_member = self.ptype == "member"
        self.is_coordinator = self.ptype == "coordinator"
        self.is_outsider = self.ptype == "outsider"
        org = members["organization"] if "organization" in members.columns else pd.Series(None, index=members.index)
        org = org.astype(object).where(org.notna(), None)
        self.organization = org.to_numpy(dtype=object)
        self.first_seen = _ns(members["first_seen"])
        self.last_seen = _ns(members["last_seen"])
        self.joined = _ns(members["joined"]) if "joined" in members.columns else np.full(self.n, _NAT)
        self.left = _ns(members["left"]) if "left" in members.columns else np.full(self.n, _NAT)
        self.has_joined = bool((self.joined != _NAT).any())
        self.has_left = bool((self.left != _NAT).any())
        acts = log.activities.reindex(inc.activity_ids)
        self.activities = acts
        self._cache: dict[tuple, Window] = {}
        self._blocks: dict[tuple[int, int], sp.csr_array] = {}

    # ------------------------------------------------------------------ windows
    def engaged_in(self, lo: int, hi: int) -> np.ndarray:
        """Whether each person has an engaged (non-presence) participation in ``[lo, hi)``."""
        c = self.incidence.columns(lo, hi)
        if c.stop == c.start:
            return np.zeros(self.n, dtype=bool)
        return (self.Bbin[:, c] @ self.engaging[c]) > 0

    def projection(self, lo: int, hi: int) -> sp.csr_array:
        """Unthresholded tie weights ``B W B^T`` of the activities in ``[lo, hi)`` (the last few are cached)."""
        key = (int(lo), int(hi))
        if key not in self._blocks:
            c = self.incidence.columns(lo, hi)
            n = self.n
            if c.stop > c.start:
                w = project(self.B[:, c], self.tie_weight[c], max_ties=self.max_ties)
                w = sp.csr_array(w) if w.shape == (n, n) else sp.csr_array((n, n))
            else:
                w = sp.csr_array((n, n))
            if len(self._blocks) >= 8:
                self._blocks.pop(next(iter(self._blocks)))
            self._blocks[key] = w
        return self._blocks[key]

    def window(self, lo: int, hi: int, n_sub: int | None = None, blocks: list[tuple[int, int]] | None = None) -> Window:
        """Statistics of the window ``[lo, hi)`` (the last few are cached).

        ``n_sub`` equal sub-windows measure consistency (default
        :func:`~cop.kernel.periods.sub_windows`: one per 15 days, at least 3).
        ``blocks``, consecutive sub-windows covering ``[lo, hi)``, lets the tie
        weights be summed from cached per-period projections (the projection is
        linear in the activities, so the sum is exact).
        """
        n_sub = sub_windows(lo, hi) if n_sub is None else int(n_sub)
        key = (int(lo), int(hi), n_sub)
        if key in self._cache:
            return self._cache[key]
        c = self.incidence.columns(lo, hi)
        n = self.n
        if c.stop > c.start:
            binary = self.Bbin[:, c]
            participations = np.asarray(binary @ np.ones(c.stop - c.start)).ravel()
            intensity = np.asarray(self.B[:, c] @ self.intensity_weight[c]).ravel()
            engaged = np.asarray(binary @ self.engaging[c]).ravel() > 0
            edges = np.linspace(lo, hi, n_sub + 1).astype(np.int64)
            hits = np.zeros(n)
            for k in range(n_sub):
                hits += self.engaged_in(edges[k], edges[k + 1])
            consistency = hits / n_sub
            if blocks:
                weights = None
                adjacency = self._summed_ties([self.projection(*b) for b in blocks])
            else:
                weights = project(self.B[:, c], self.tie_weight[c], max_ties=self.max_ties)
                weights = sp.csr_array(weights) if weights.shape == (n, n) else sp.csr_array((n, n))
                adjacency = None
        else:
            participations = np.zeros(n)
            intensity = np.zeros(n)
            engaged = np.zeros(n, dtype=bool)
            consistency = np.zeros(n)
            weights = sp.csr_array((n, n))
            adjacency = None
        if adjacency is None:
            adjacency = weights.copy()
            if self.min_tie > 0 and adjacency.nnz:
                adjacency.data[adjacency.data < self.min_tie] = 0.0
                adjacency.eliminate_zeros()
        win = Window(int(lo), int(hi), c, participations, intensity, consistency, engaged, adjacency, weights,
                     None if weights is not None else (self, list(blocks)))
        if len(self._cache) >= 4:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = win
        return win

    def _summed_ties(self, parts: list[sp.csr_array], chunk_nnz: int = 1 << 20) -> sp.csr_array:
        """The thresholded tie graph of ``parts[0] + parts[1] + ...`` (summed left to right), built in row chunks.

        Each chunk of rows is summed with scipy's own ``csr_plus_csr`` kernel into
        reused buffers and thresholded at once, so the (large, mostly sub-threshold)
        unthresholded sum is never materialised.  Rows are independent in that
        kernel, so values and entry order are exactly those of ``weights.copy()``
        thresholded (as in :meth:`window` without blocks).
        """
        n = self.n
        if len(parts) == 1:
            w = parts[0]
            if self.min_tie > 0 and w.nnz:
                keep = ~(w.data < self.min_tie) & (w.data != 0)  # as thresholding then eliminate_zeros
                cm = np.concatenate(([0], np.cumsum(keep)))
                indptr = cm[w.indptr].astype(w.indptr.dtype)
                return sp.csr_array((w.data[keep], w.indices[keep], indptr), shape=(n, n))
            return sp.csr_array(w, copy=True)
        from scipy.sparse import _sparsetools

        total = sum(p.nnz for p in parts)
        idx = np.int32 if total < np.iinfo(np.int32).max else np.int64
        ptrs = [np.asarray(p.indptr, dtype=idx) for p in parts]
        inds = [np.asarray(p.indices, dtype=idx) for p in parts]
        datas = [np.asarray(p.data, dtype=np.float64) for p in parts]
        row_nnz = np.zeros(n, dtype=np.int64)
        for ip in ptrs:
            row_nnz += np.diff(ip)
        cum = np.concatenate(([0], np.cumsum(row_nnz)))
        # row boundaries: about chunk_nnz stored values per chunk (at least one row)
        cuts = np.searchsorted(cum, np.arange(0, int(cum[-1]) + chunk_nnz, chunk_nnz), "left")
        cuts = np.unique(np.concatenate(([0], np.clip(cuts, 0, n), [n])))
        size = int(np.max(cum[cuts[1:]] - cum[cuts[:-1]])) if len(cuts) > 1 else 0
        bufs = [(np.empty(size, dtype=idx), np.empty(size, dtype=np.float64)) for _ in range(2)]
        counts = np.zeros(n, dtype=np.int64)
        out_idx: list[np.ndarray] = []
        out_data: list[np.ndarray] = []
        for r0, r1 in zip(cuts[:-1], cuts[1:]):
            r0, r1 = int(r0), int(r1)
            if r1 <= r0:
                continue
            m = r1 - r0
            a0 = ptrs[0][r0]
            acc_p = ptrs[0][r0:r1 + 1] - a0
            acc_j = inds[0][a0:ptrs[0][r1]]
            acc_x = datas[0][a0:ptrs[0][r1]]
            for t, (ip, ij, ix) in enumerate(zip(ptrs[1:], inds[1:], datas[1:])):
                b0 = ip[r0]
                bp = ip[r0:r1 + 1] - b0
                out_p = np.empty(m + 1, dtype=idx)
                oj, ox = bufs[t % 2]
                _sparsetools.csr_plus_csr(m, n, acc_p, acc_j, acc_x, bp, ij[b0:ip[r1]], ix[b0:ip[r1]], out_p, oj, ox)
                k = int(out_p[-1])
                acc_p, acc_j, acc_x = out_p, oj[:k], ox[:k]
            if self.min_tie > 0:
                pos = np.flatnonzero(~(acc_x < self.min_tie) & (acc_x != 0))  # few: most weights are below min_tie
                counts[r0:r1] = np.diff(np.searchsorted(pos, acc_p, "left"))
                out_idx.append(acc_j[pos])
                out_data.append(acc_x[pos])
            else:
                counts[r0:r1] = np.diff(acc_p)
                out_idx.append(acc_j.copy())
                out_data.append(acc_x.copy())
        indptr = np.concatenate(([0], np.cumsum(counts))).astype(idx)
        data = np.concatenate(out_data) if out_data else np.zeros(0)
        indices = np.concatenate(out_idx) if out_idx else np.zeros(0, dtype=idx)
        return sp.csr_array((data, indices.astype(idx, copy=False), indptr), shape=(n, n))


_NAT = np.iinfo(np.int64).min


def _ns(series: pd.Series) -> np.ndarray:
    """Nanoseconds UTC of a column of dates (NaT as :data:`_NAT`); a column with a time zone is read as it is
    (its instants are those of its UTC conversion)."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return np.asarray(series.array.as_unit("ns").asi8, dtype=np.int64).copy()
    s = pd.to_datetime(series, utc=True, errors="coerce")
    return np.asarray(s.dt.as_unit("ns").array.asi8, dtype=np.int64).copy()


def current_people(prep: Prepared, lo: int, hi: int, lookback_days: int) -> np.ndarray:
    """Who belongs to the community in the window ``[lo, hi)``.

    With ``left`` dates in the members table: people who joined (or were first
    seen) before ``hi`` and had not left before ``lo``.  Without them: people seen
    in the ``max(4 * lookback, 365)`` days before ``hi`` (a member silent for
    longer is a former member, not an inactive one).  Outsiders count only while
    they take part.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> prep = Prepared(cop.load_example())
    >>> hi = pd.Timestamp("2024-01-01", tz="UTC").value
    >>> int(current_people(prep, hi - 90 * 86_400 * 10**9, hi, 90).sum())
    128
    """
    seen = prep.first_seen < hi
    if prep.has_joined:
        seen |= (prep.joined != _NAT) & (prep.joined < hi) & prep.members["listed"].to_numpy(dtype=bool)
    if prep.has_left:
        cur = seen & ((prep.left == _NAT) | (prep.left >= lo))
    else:
        horizon = max(FORMER_AFTER_LOOKBACKS * lookback_days, FORMER_AFTER_DAYS) * DAY_NS
        c = prep.incidence.columns(hi - horizon, hi)
        recent = np.asarray(prep.Bbin[:, c] @ np.ones(c.stop - c.start)).ravel() > 0 if c.stop > c.start else np.zeros(prep.n, bool)
        cur = seen & recent
    if prep.is_outsider.any():
        c = prep.incidence.columns(lo, hi)
        act = np.asarray(prep.Bbin[:, c] @ np.ones(c.stop - c.start)).ravel() > 0 if c.stop > c.start else np.zeros(prep.n, bool)
        cur = np.where(prep.is_outsider, act, cur)
    return cur
