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

from cop.kernel import Prepared, Window
from cop.kernel.incidence import Incidence
from cop.participation.flows import PeriodLevels, period_level, period_levels, period_window

__all__ = ["StackedWindows", "stacked_period_levels", "periods_from"]


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
        self._union = u = Prepared.__new__(Prepared)

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
        u.max_ties = None  # each space's own bound applies in its own diagnosis
        u._cache, u._blocks = {}, {}
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



def stacked_period_levels(preps: Sequence[Prepared], bounds: Sequence[pd.DatetimeIndex], lookback: int,
                          method: str = "combined") -> list[list[PeriodLevels]]:
    """:func:`cop.participation.flows.period_levels` of each community, every distinct window computed once.

    The periods are visited window by window (in time order), and each window serves every
    community that classifies a period on it, so the union's window statistics are computed once
    (not once per community) and only one is held at a time.

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
    stack = StackedWindows(preps)
    jobs: dict[tuple[Any, ...], list[tuple[int, int]]] = {}
    for k, b in enumerate(bounds):
        for i in range(len(b) - 1):
            lo, hi, blocks = period_window(b, i, lookback)
            jobs.setdefault((hi, lo, tuple(blocks)), []).append((k, i))
    out: list[list[PeriodLevels | None]] = [[None] * max(len(b) - 1, 0) for b in bounds]
    for (hi, lo, blocks), users in sorted(jobs.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        for k, i in users:
            win = stack.window(k, lo, hi, list(blocks))
            out[k][i] = period_level(preps[k], bounds[k], i, lookback, method, window=win)
    return out  # type: ignore[return-value]


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
