"""The window statistics of several communities computed at once, on their disjoint union.

A network's spaces are diagnosed one by one, and each diagnosis classifies every period on its
rolling window (:func:`cop.participation.flows.period_levels`): sparse slices of the incidence
matrix, participations, intensity, consistency and the summed tie graph of the window.  Those
operations cost about as much for 300 members as for 6,000, so twenty spaces paid them twenty
times.  :class:`StackedWindows` puts the spaces' incidence matrices side by side as one
block-diagonal matrix (each space's people and activities its own rows and columns, activities in
time order), computes each distinct window once for all spaces with the kernel's own
:meth:`cop.kernel.Prepared.window`, and hands each space its rows and its diagonal block of the tie
graph.  :func:`stacked_period_levels` visits the periods window by window, so each window is
computed once and only one is held at a time.

The figures are those of the space's own :meth:`~cop.kernel.Prepared.window`: every per-person
sum runs over the same activities in the same order (a space's columns keep their order among the
union's), and the tie graph of a block-diagonal matrix is the block-diagonal of the spaces' graphs
(no activity links two spaces here: a streamed event is one activity per space, as in each space's
own log).  ``tests/test_network.py`` checks the network's diagnoses against ``cop.diagnose`` of
each space's rows alone.

Examples
--------
>>> import pandas as pd, cop
>>> from cop.kernel import Prepared
>>> def log(names):
...     return cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": names,
...         "timestamp": ["2024-01-02", "2024-01-02", "2024-02-03", "2024-02-03"]}))
>>> preps = [Prepared(log(["ann", "bo", "ann", "cy"])), Prepared(log(["dan", "eve", "eve", "fay"]))]
>>> stack = StackedWindows(preps)
>>> lo, hi = pd.Timestamp("2024-01-01", tz="UTC").value, pd.Timestamp("2024-03-01", tz="UTC").value
>>> w = stack.window(1, lo, hi, [])
>>> own = preps[1].window(lo, hi)
>>> w.participations.tolist() == own.participations.tolist(), (w.adjacency != own.adjacency).nnz
(True, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from scipy.sparse.csgraph import connected_components

from cop.kernel import Prepared, Window
from cop.kernel.incidence import Incidence
from cop.kernel.network import TRANSITIVITY_SAMPLE, network_consolidation
from cop.kernel.periods import DAY_NS, sub_windows
from cop.kernel.projection import tie_bound
from cop.kernel.windows import FORMER_AFTER_DAYS, FORMER_AFTER_LOOKBACKS
from cop.participation.classifier import (combined_levels, has_role_weights, natural_breaks, repeated_tie_threshold,
                                         role_matrix, tie_threshold)
from cop.participation.flows import PeriodLevels, period_level, period_levels, period_windows

_NAT = np.iinfo(np.int64).min  # NaT's nanoseconds, as the kernel's arrays hold a missing date

__all__ = ["StackedWindows", "stacked_period_levels", "periods_from", "seed_windows"]


class StackedWindows:
    """Window statistics of several :class:`~cop.kernel.Prepared` logs, computed once for all of them.

    Parameters
    ----------
    preps : sequence of Prepared
        One per community, built with the same ``min_tie`` (and kind weights, group discount).
    """

    def __init__(self, preps: Sequence[Prepared]) -> None:
        self.preps = list(preps)
        if len({p.min_tie for p in self.preps}) > 1:
            raise ValueError("StackedWindows: every log must be prepared with the same min_tie")
        sizes = np.array([p.n for p in self.preps], dtype=np.int64)
        self.rows = np.concatenate(([0], np.cumsum(sizes)))
        starts = np.concatenate([p.start for p in self.preps]) if self.preps else np.zeros(0, np.int64)
        # stable: activities at the same instant keep the spaces' order, and within a space its own
        perm = np.argsort(starts, kind="stable")
        self._union = u = _UnionPrepared.__new__(_UnionPrepared)

        def cols(attr: str) -> np.ndarray:
            return np.concatenate([getattr(p, attr) for p in self.preps])[perm]

        def stack(attr: str) -> sp.csc_array:
            m = sp.block_diag([getattr(p, attr) for p in self.preps], format="csc")
            return sp.csc_array(m)[:, perm]

        n = int(self.rows[-1])
        u.B, u.Bbin = stack("B"), stack("Bbin")
        u.incidence = Incidence(matrix=u.B, member_ids=pd.RangeIndex(n), activity_ids=pd.RangeIndex(len(perm)),
                                start=starts[perm], kind=cols("kind"), size=cols("size"))
        u.n = n
        u.start = u.incidence.start
        u.intensity_weight, u.engaging, u.tie_weight = cols("intensity_weight"), cols("engaging"), cols("tie_weight")
        u.min_tie = self.preps[0].min_tie if self.preps else 0.25
        #: the community of each of the union's activities
        self.col_owner = np.repeat(np.arange(len(self.preps)), [len(p.start) for p in self.preps])[perm]
        u.max_ties = None  # each space's own bound applies in its own diagnosis
        u._cache, u._blocks = {}, {}
        u.spans = _RowSpans(u.Bbin)  # who took part in a range of the union's activities, by binary search
        u.engaged_spans = _RowSpans(u.Bbin, u.engaging > 0)
        self._windows: dict[tuple, Window] = {}

    def _window(self, lo: int, hi: int, blocks: list[tuple[int, int]]) -> Window:
        key = (int(lo), int(hi), tuple(blocks))
        win = self._windows.get(key)
        if win is None:
            win = self._union.window(lo, hi, blocks=blocks or None)
            if len(self._windows) >= 8:
                self._windows.pop(next(iter(self._windows)))
            self._windows[key] = win
        return win

    def window(self, k: int, lo: int, hi: int, blocks: list[tuple[int, int]]) -> Window:
        """Community ``k``'s :meth:`~cop.kernel.Prepared.window` of ``[lo, hi)`` summed from ``blocks``."""
        win = self._window(lo, hi, blocks)
        prep = self.preps[k]
        r0, r1 = int(self.rows[k]), int(self.rows[k + 1])
        adj = win.adjacency
        p0, p1 = int(adj.indptr[r0]), int(adj.indptr[r1])
        # the diagonal block: a block-diagonal graph has no entry of these rows outside it
        block = sp.csr_array((adj.data[p0:p1], adj.indices[p0:p1] - r0, adj.indptr[r0:r1 + 1] - p0), shape=(r1 - r0, r1 - r0))
        return Window(int(lo), int(hi), prep.incidence.columns(lo, hi), win.participations[r0:r1], win.intensity[r0:r1],
                      win.consistency[r0:r1], win.engaged[r0:r1], block, None, (prep, list(blocks) or [(int(lo), int(hi))]))



class _RowSpans:
    """Which rows of a csc matrix have a stored entry in a range of its columns, read off its index arrays.

    The entries of columns ``[c0, c1)`` are ``indices[indptr[c0]:indptr[c1]]`` (their rows): marking
    those rows (of the entries in a column ``mask`` keeps) gives the kernel's ``(M[:, c0:c1] @ w) > 0``
    for 0/1 column weights ``w`` and positive entries, without building the slice and its product.
    """

    def __init__(self, m: sp.csc_array, mask: np.ndarray | None = None) -> None:
        self.n, self.indptr, self.indices = m.shape[0], m.indptr, m.indices
        self.keep = None if mask is None else np.repeat(np.asarray(mask, dtype=bool), np.diff(m.indptr))

    def any_in(self, c0: int, c1: int) -> np.ndarray:
        """Whether each row has an entry in the columns ``[c0, c1)``."""
        p0, p1 = int(self.indptr[c0]), int(self.indptr[c1])
        out = np.zeros(self.n, dtype=bool)
        out[self.indices[p0:p1] if self.keep is None else self.indices[p0:p1][self.keep[p0:p1]]] = True
        return out


class _UnionPrepared(Prepared):
    """The union's :class:`~cop.kernel.Prepared`, with :meth:`engaged_in` read from :class:`_RowSpans`.

    ``(Bbin[:, c] @ engaging[c]) > 0``, the kernel's test, holds exactly when the row has an entry in
    an engaging column of ``c`` (the entries are 1, the column weights 0 or 1): the same booleans
    without slicing the union's matrix for every consistency sub-window.
    """

    def engaged_in(self, lo: int, hi: int) -> np.ndarray:
        c = self.incidence.columns(lo, hi)
        if c.stop == c.start:
            return np.zeros(self.n, dtype=bool)
        return self.engaged_spans.any_in(c.start, c.stop)


def stacked_period_levels(preps: Sequence[Prepared], bounds: Sequence[pd.DatetimeIndex], lookback: int,
                          method: str = "combined", stack: StackedWindows | None = None) -> list[list[PeriodLevels]]:
    """:func:`cop.participation.flows.period_levels` of each community, every distinct window computed once.

    The periods are visited window by window (in time order), and each window serves every
    community that classifies a period on it, so the union's window statistics are computed once
    (not once per community) and only one is held at a time.  With ``method="combined"`` the
    classification of every community on a window is one vectorised pass over the union's rows
    (:func:`_classify_users`: scaled intensity and centrality per community, the tie threshold per
    community, the natural breaks of each community's scores) and the network consolidation of all
    of them one pass over the block-diagonal tie graph (:func:`_consolidation`); the figures are
    those of :func:`~cop.participation.flows.period_level` on each community alone, element by
    element (other methods classify each community on its own rows of the shared window).

    Examples
    --------
    >>> import pandas as pd, cop
    >>> from cop.kernel import Prepared, period_bounds
    >>> from cop.participation.flows import period_levels
    >>> logs = [cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": m,
    ...     "timestamp": ["2024-01-02", "2024-01-02", "2024-02-03", "2024-02-03"]})) for m in (["x", "y", "x", "z"], ["u", "v", "v", "w"])]
    >>> preps = [Prepared(g) for g in logs]
    >>> bounds = [period_bounds(g) for g in logs]
    >>> got = stacked_period_levels(preps, bounds, 90)
    >>> all(a.levels.equals(b.levels) for k in range(2) for a, b in zip(got[k], period_levels(preps[k], bounds[k], 90)))
    True
    """
    stack = StackedWindows(preps) if stack is None else stack
    jobs: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for k, b in enumerate(bounds):
        for i, (lo, hi, blocks) in enumerate(period_windows(b, lookback)):
            jobs.setdefault((hi, lo, tuple(blocks)), []).append((k, i))
    out: list[list[PeriodLevels | None]] = [[None] * max(len(b) - 1, 0) for b in bounds]
    rows = _UnionRows(stack) if method == "combined" else None
    sums: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    starts = [list(b) for b in bounds]  # each space's period starts and bounds' nanoseconds, read once
    ns = [[int(v) for v in b.as_unit("ns").asi8] for b in bounds]
    for (hi, lo, blocks), users in sorted(jobs.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if rows is None:
            for k, i in users:
                win = stack.window(k, lo, hi, list(blocks))
                out[k][i] = period_level(preps[k], bounds[k], i, lookback, method, window=win)
            continue
        win = stack._window(lo, hi, list(blocks))
        for (k, i), levels in zip(users, _classify_users(stack, rows, win, lo, hi, lookback, [k for k, _ in users])):
            ps, pe = ns[k][i], ns[k][i + 1]
            part, per_member = _period_sums(stack, ps, pe, sums)
            r0, r1 = int(stack.rows[k]), int(stack.rows[k + 1])
            levels[4]["period_sums"] = ((ps, pe), part[r0:r1], per_member[r0:r1])
            out[k][i] = PeriodLevels.deferred(starts[k][i], int(lo), int(hi), *levels[:4], arrays=levels[4])
    return out  # type: ignore[return-value]


def seed_windows(stack: StackedWindows, windows: Sequence[Sequence[tuple[int, int]]]) -> None:
    """Put into each community's window cache the windows ``windows[k]`` its own diagnosis will read, each computed once on the union.

    A diagnosis reads a few windows besides its periods' (the current window, the indicators' one,
    the one a lookback before): each is a :meth:`~cop.kernel.Prepared.window` of ``[lo, hi)`` with
    its default sub-windows and no blocks, which :meth:`StackedWindows.window` gives with the same
    figures (the tie weights summed on demand from the community's own projection).  A window whose
    ties could exceed a community's ``max_ties`` (bounded on the union, which bounds every block) is
    left for the community to compute, and to refuse, itself.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> from cop.kernel import Prepared
    >>> logs = [cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": m,
    ...     "timestamp": ["2024-01-02", "2024-01-02", "2024-02-03", "2024-02-03"]})) for m in (["x", "y", "x", "z"], ["u", "v", "v", "w"])]
    >>> preps = [Prepared(g) for g in logs]
    >>> lo, hi = pd.Timestamp("2024-01-01", tz="UTC").value, pd.Timestamp("2024-03-01", tz="UTC").value
    >>> seed_windows(StackedWindows(preps), [[(lo, hi)], [(lo, hi)]])
    >>> own = Prepared(logs[1]).window(lo, hi)
    >>> (preps[1].window(lo, hi).adjacency != own.adjacency).nnz, preps[1].window(lo, hi).consistency.tolist() == own.consistency.tolist()
    (0, True)
    """
    u = stack._union
    wanted = [{(int(a), int(b)) for a, b in ws} for ws in windows]
    for lo, hi in sorted(set().union(*wanted)):
        users = [k for k, ws in enumerate(wanted) if (lo, hi) in ws]
        limits = [stack.preps[k].max_ties for k in users if stack.preps[k].max_ties is not None]
        if limits:
            c = u.incidence.columns(lo, hi)
            keep = u.tie_weight[c] > 0
            b = u.B[:, c]
            if tie_bound(b if keep.all() else b[:, keep]) > min(limits):
                continue
        key = (lo, hi, sub_windows(lo, hi))
        for k in users:
            cache = stack.preps[k]._cache
            if key not in cache:
                if len(cache) >= 4:
                    cache.pop(next(iter(cache)))
                cache[key] = stack.window(k, lo, hi, [])


def _period_sums(stack: StackedWindows, ps: int, pe: int, cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Participations and kind-weighted activity of every person of the union in ``[ps, pe)`` (the last few kept).

    Each person's sums run over their community's columns of the period in the community's own order
    (the union keeps it), so they are the figures :func:`cop.lifecycle.period_metrics` computes on that
    community alone.
    """
    key = (int(ps), int(pe))
    got = cache.get(key)
    if got is None:
        u = stack._union
        c = u.incidence.columns(ps, pe)
        if c.stop > c.start:
            got = (np.asarray(u.Bbin[:, c] @ np.ones(c.stop - c.start)).ravel(),
                   np.asarray(u.B[:, c] @ u.intensity_weight[c]).ravel())
        else:
            got = (np.zeros(u.n), np.zeros(u.n))
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[key] = got
    return got


class _UnionRows:
    """The per-person arrays of every community, end to end in the union's row order."""

    def __init__(self, stack: StackedWindows) -> None:
        preps = stack.preps
        cat = lambda f: np.concatenate([f(p) for p in preps]) if preps else np.zeros(0)  # noqa: E731
        self.owner = np.repeat(np.arange(len(preps)), [p.n for p in preps])
        self.starts = stack.rows[:-1]
        self.is_member = cat(lambda p: p.is_member).astype(bool)
        self.is_coordinator = cat(lambda p: p.is_coordinator).astype(bool)
        self.is_outsider = cat(lambda p: p.is_outsider).astype(bool)
        self.first_seen = cat(lambda p: p.first_seen)
        self.joined = cat(lambda p: p.joined)
        self.left = cat(lambda p: p.left)
        self.joined_rows = cat(lambda p: np.full(p.n, p.has_joined))
        self.left_rows = cat(lambda p: np.full(p.n, p.has_left))
        self.listed = cat(lambda p: p.members["listed"].to_numpy(dtype=bool) if p.has_joined else np.zeros(p.n, bool))
        self.any_outsider = bool(self.is_outsider.any())
        self.ids = [p.member_ids.to_numpy(dtype=object) for p in preps]
        self.role_weights = [has_role_weights(p) for p in preps]


def _scaled_by(x: np.ndarray, mask: np.ndarray, rows: _UnionRows) -> np.ndarray:
    """:func:`cop.participation.classifier._scaled` of each community's rows, with its own maximum."""
    if not len(x):
        return np.zeros(0)
    top = np.maximum.reduceat(np.where(mask, x, -np.inf), rows.starts)[rows.owner]
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.clip(np.log1p(np.maximum(x, 0)) / np.log1p(top), 0.0, 1.0)
    return np.where(top > 0, scaled, 0.0)


def _current(stack: StackedWindows, rows: _UnionRows, lo: int, hi: int, lookback: int) -> np.ndarray:
    """:func:`cop.kernel.current_people` of every community's rows at once."""
    u = stack._union
    seen = rows.first_seen < hi
    seen |= rows.joined_rows & (rows.joined != _NAT) & (rows.joined < hi) & rows.listed
    horizon = max(FORMER_AFTER_LOOKBACKS * lookback, FORMER_AFTER_DAYS) * DAY_NS
    # "took part in the columns c" (the kernel's ``Bbin[:, c] @ ones > 0``) by binary search (_RowSpans)
    c = u.incidence.columns(hi - horizon, hi)
    recent = u.spans.any_in(c.start, c.stop) if c.stop > c.start else np.zeros(u.n, bool)
    cur = np.where(rows.left_rows, seen & ((rows.left == _NAT) | (rows.left >= lo)), seen & recent)
    if rows.any_outsider:
        c = u.incidence.columns(lo, hi)
        act = u.spans.any_in(c.start, c.stop) if c.stop > c.start else np.zeros(u.n, bool)
        cur = np.where(rows.is_outsider, act, cur)
    return cur


def _consolidation(stack: StackedWindows, adj: sp.csr_array, nodes: np.ndarray, users: list[int]
                   ) -> dict[int, tuple[float, float, float]]:
    """:func:`cop.kernel.network_consolidation` of each community in ``users`` from the block-diagonal graph at once.

    Components, degrees, triangles and ties never cross the blocks, so each community's figures are
    sums over its own rows (of whole numbers: exact in any order).  A community of more than
    :data:`~cop.kernel.network.TRANSITIVITY_SAMPLE` people (whose transitivity is sampled) is measured on its own block.
    """
    idx = np.flatnonzero(nodes)
    owner = np.repeat(np.arange(len(stack.preps)), np.diff(stack.rows))
    n_k = np.bincount(owner[idx], minlength=len(stack.preps))
    sub = sp.csr_array(adj[idx][:, idx])
    sub.data = np.ones_like(sub.data)
    own = owner[idx]
    deg = np.diff(sub.indptr).astype(np.float64)
    nnz_k = np.bincount(own, weights=deg, minlength=len(stack.preps))
    _, labels = connected_components(sub, directed=False) if len(idx) else (0, np.zeros(0, np.int64))
    sizes = np.bincount(labels) if len(idx) else np.zeros(0, np.int64)
    label_owner = np.zeros(len(sizes), dtype=np.int64)
    label_owner[labels] = own
    largest = np.zeros(len(stack.preps), dtype=np.int64)
    np.maximum.at(largest, label_owner, sizes)
    triples_k = np.bincount(own, weights=deg * (deg - 1), minlength=len(stack.preps))
    tri = np.asarray((sub @ sub).multiply(sub).sum(axis=1)).ravel() if sub.nnz else np.zeros(len(idx))
    tri_k = np.bincount(own, weights=tri, minlength=len(stack.preps))
    out: dict[int, tuple[float, float, float]] = {}
    for k in set(users):
        n = int(n_k[k])
        if n == 0:
            out[k] = (float("nan"), float("nan"), float("nan"))
        elif n > TRANSITIVITY_SAMPLE:
            r0, r1 = int(stack.rows[k]), int(stack.rows[k + 1])
            out[k] = network_consolidation(sp.csr_array(adj[r0:r1][:, r0:r1]), nodes[r0:r1])
        elif nnz_k[k] == 0:
            out[k] = (1.0 / n, float("nan"), 0.0)
        else:
            triples = float(triples_k[k])
            clustering = float(tri_k[k]) / triples if triples > 0 else float("nan")
            density = int(nnz_k[k]) / (n * (n - 1)) if n > 1 else 0.0
            out[k] = (float(largest[k] / n), float(clustering), float(density))
    return out


def _classify_users(stack: StackedWindows, rows: _UnionRows, win: Window, lo: int, hi: int, lookback: int,
                    users: list[int]) -> list[tuple[Any, ...]]:
    """The ``combined`` :func:`~cop.participation.classifier.classify_window` frame (with ``current``) and the
    network consolidation of each community in ``users`` on the union's window ``win``."""
    active = win.participations > 0
    eligible = active & rows.is_member
    raw = win.intensity
    weighted = [k for k in set(users) if rows.role_weights[k]]
    if weighted:  # review, merge or hosting rows add intensity units (classify_window's role matrix), per community
        raw = raw.copy()
        for k in weighted:
            p, r0, r1 = stack.preps[k], int(stack.rows[k]), int(stack.rows[k + 1])
            c = p.incidence.columns(lo, hi)
            if c.stop > c.start:
                raw[r0:r1] = raw[r0:r1] + np.asarray(role_matrix(p)[:, c] @ p.intensity_weight[c]).ravel()
    inten = _scaled_by(raw, eligible, rows)
    thr = _tie_thresholds(stack, lo, hi, users)
    adj = win.adjacency
    n = adj.shape[0]
    row_of = np.repeat(np.arange(n), np.diff(adj.indptr))
    strong = np.bincount(row_of[adj.data >= thr[rows.owner][row_of] - 1e-12], minlength=n).astype(np.float64)
    cent = _scaled_by(strong, eligible, rows)
    cons = win.consistency
    score = (inten + cent + cons) / 3.0
    level = np.empty(n, dtype=object)
    level[:] = "peripheral"  # (np.full of an object, measured with timeit: 150 µs against 8 µs on 6,000 rows)
    for k in set(users):
        r0, r1 = int(stack.rows[k]), int(stack.rows[k + 1])
        lv = _combined_levels(score[r0:r1], eligible[r0:r1])
        level[r0:r1] = lv
    level[~active] = "inactive"
    level[rows.is_coordinator] = "coordinator"
    level[rows.is_outsider] = "outsider"
    union = _UnionFrame({
        "level": level, "participations": win.participations.astype(np.int64), "intensity": inten, "centrality": cent,
        "consistency": cons, "score": np.where(active, score, 0.0), "degree": win.degree.astype(np.int64),
        "strength": win.strength, "intensity_raw": raw, "current": _current(stack, rows, lo, hi, lookback),
    })
    net = _consolidation(stack, adj, active & ~rows.is_outsider, users)
    arrays = {c: union.columns[c] for c in ("level", "current", "participations", "intensity_raw")}
    out = []
    for k in users:
        r0, r1 = int(stack.rows[k]), int(stack.rows[k + 1])
        own = {c: a[r0:r1] for c, a in arrays.items()}
        own["member_id"] = rows.ids[k]
        out.append((union.block(r0, r1, stack.preps[k].member_ids), *net[k], own))
    return out


def _tie_thresholds(stack: StackedWindows, lo: int, hi: int, users: list[int]) -> np.ndarray:
    """:func:`~cop.participation.classifier.repeated_tie_threshold` of each community in ``users`` on ``[lo, hi)`` (others ``inf``).

    The medians of each community's group sizes and tie weights are read from one sort of the union's
    columns of the window by community (a median is the middle value, or the mean of the two middle
    values, whatever the order the values come in).
    """
    u = stack._union
    thr = np.full(len(stack.preps), np.inf)
    c = u.incidence.columns(lo, hi)
    size = u.incidence.size[c]
    group = size >= 2
    own, size, weight = stack.col_owner[c][group], size[group], u.tie_weight[c][group]
    if not np.isfinite(weight).all():  # (a median with a missing value is missing: not in the sorts below)
        for k in set(users):
            p = stack.preps[k]
            thr[k] = repeated_tie_threshold(p, p.incidence.columns(lo, hi))
        return thr
    sizes = size[np.lexsort((size, own))]
    weights = weight[np.lexsort((weight, own))]
    counts = np.bincount(own, minlength=len(stack.preps))
    ends = np.cumsum(counts)
    min_tie = float(u.min_tie)

    def median(v: np.ndarray, k: int) -> float:
        n, mid = int(counts[k]), int(ends[k] - counts[k] + counts[k] // 2)
        return float(v[mid]) if n % 2 else (float(v[mid - 1]) + float(v[mid])) / 2

    for k in set(users):
        thr[k] = min_tie if counts[k] == 0 else tie_threshold(median(sizes, k), lambda: median(weights, k), min_tie)
    return thr


_TRIANGLES: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _triangle(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j + 1, starts)`` of the pairs ``1 <= i <= j <= m - 2``, column ``j`` by column, ``i`` ascending (kept per ``m``)."""
    got = _TRIANGLES.get(m)
    if got is None:
        per = np.arange(1, m - 1)  # column j holds i = 1..j
        j = np.repeat(per, per)
        starts = np.concatenate(([0], np.cumsum(per[:-1])))
        i = np.arange(len(j)) - np.repeat(starts, per) + 1
        got = _TRIANGLES[m] = (i, j + 1, starts)
    return got


def _natural_breaks3(values: np.ndarray) -> list[float]:
    """:func:`~cop.participation.classifier.natural_breaks` with ``k=3``, the same breaks from half the work.

    The kernel fills the whole ``m x m`` table of class costs (``inf`` below the diagonal) for one
    step of its dynamic programme; with three classes only the pairs ``1 <= i <= j <= m - 2`` of the
    middle class are read, so they are laid out column by column and each column's least cost and
    first arg-min taken by ``reduceat`` (the same costs, computed by the same operations, compared in
    the same order of ``i``).  A space's window is classified on some hundred distinct scores, twenty
    spaces a window, so this is most of the network's classification; fewer than four or more than
    ``max_units`` distinct values go to the kernel.
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if not len(v):
        return []
    u, w = np.unique(v, return_counts=True)
    m = len(u)
    if m < 4 or m > 400:
        return natural_breaks(v, 3)
    c0 = np.concatenate(([0.0], np.cumsum(w.astype(np.float64))))
    c1 = np.concatenate(([0.0], np.cumsum(w * u)))
    c2 = np.concatenate(([0.0], np.cumsum(w * u * u)))
    with np.errstate(invalid="ignore", divide="ignore"):
        first_class = np.maximum((c2[1:m] - c2[0]) - (c1[1:m] - c1[0]) ** 2 / (c0[1:m] - c0[0]), 0.0)  # units 0..i-1
        last_class = np.maximum((c2[m] - c2[1:m]) - (c1[m] - c1[1:m]) ** 2 / (c0[m] - c0[1:m]), 0.0)   # units i..m-1
    i, j1, starts = _triangle(m)
    d = c1[j1] - c1[i]
    d *= d
    d /= c0[j1] - c0[i]
    x = c2[j1] - c2[i]
    x -= d
    np.maximum(x, 0.0, out=x)
    x += first_class[i - 1]
    best = np.minimum.reduceat(x, starts)  # best[j - 1]: least cost of units 0..j in two classes, j = 1..m-2
    last = np.empty(m)
    last[:2] = np.inf  # the third class cannot start at 0, nor at 1 (no two classes in unit 0)
    last[2:] = best + last_class[1:]
    s1 = int(np.argmin(last))
    if s1 == 1:
        s0 = 0
    else:  # the first i reaching the least cost of the column j = s1 - 1 (the only arg-min read)
        j = s1 - 1
        s0 = int(i[starts[j - 1] + np.flatnonzero(x[starts[j - 1]:starts[j - 1] + j] == best[j - 1])[0]])
    return [float(u[s]) for s in sorted([s1, s0])]


def _combined_levels(score: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """:func:`~cop.participation.classifier.combined_levels` with its natural breaks by :func:`_natural_breaks3`
    (``tests/test_network_speed.py`` checks the levels against ``combined_levels`` with the kernel's breaks)."""
    return combined_levels(score, eligible, breaks_of=lambda v, k: _natural_breaks3(v))


class _UnionFrame:
    """The columns of a window's classification of the union's rows, and each community's frame when asked for.

    Each community's frame is its block of rows of one frame of the union under its own ids (the
    columns, values and dtypes of a frame built from that community's arrays, without 20
    constructions); the diagnosis reads the periods' arrays, so most of these frames are never built.
    """

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self.columns = columns
        self._frame: pd.DataFrame | None = None

    def block(self, r0: int, r1: int, ids: pd.Index) -> Callable[[], pd.DataFrame]:
        """A function building the frame of rows ``[r0, r1)`` indexed by ``ids``."""
        def make() -> pd.DataFrame:
            if self._frame is None:
                self._frame = pd.DataFrame(self.columns)
            return self._frame.iloc[r0:r1].set_axis(ids, axis=0)
        return make


def periods_from(precomputed: dict[int, tuple[pd.DatetimeIndex, int, str, list[PeriodLevels]]], k: int
                 ) -> Callable[[Prepared, pd.DatetimeIndex, int, str], list[PeriodLevels]]:
    """The ``periods`` of community ``k`` for the diagnosis: the precomputed ones when the diagnosis asks
    for the same bounds, lookback and method, else :func:`~cop.participation.flows.period_levels` afresh."""
    def periods(prep: Prepared, bounds: pd.DatetimeIndex, lookback: int, method: str) -> list[PeriodLevels]:
        b, lb, m, levels = precomputed[k]
        if lb == lookback and m == method and b.equals(bounds):
            return levels
        return period_levels(prep, bounds, lookback, method)
    return periods
