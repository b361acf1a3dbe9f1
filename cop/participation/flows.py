"""Levels per period and the flows between them.

Every period (monthly by default) gets its own classification, made on the
periods ending with it that make up ``lookback`` days (a monthly series with a
90-day lookback is a rolling quarter of three calendar months).  Everything is causal: a period's levels use
only data before its end, so adding later data never changes earlier periods.

Examples
--------
>>> import cop
>>> from cop.participation.flows import levels_by_period, flows_between
>>> lbp = levels_by_period(cop.load_example(), freq="QS")
>>> lbp.columns.tolist()
['period', 'member_id', 'level']
>>> flows_between(lbp).columns.tolist()
['period', 'from_level', 'to_level', 'count']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cop.kernel import Prepared, Window, current_people, network_consolidation, period_bounds, rolling_periods
from cop.log import ActivityLog
from cop.participation.classifier import LEVELS, classify_window

__all__ = ["PeriodLevels", "period_bounds", "period_window", "period_windows", "period_level", "levels_by_period", "flows_between", "transition_matrix", "period_levels",
           "rolling_periods", "tidy_levels", "level_grid", "LevelGrid"]


@dataclass(frozen=True)
class PeriodLevels:
    """The classification of one period, made on its rolling window.

    Attributes
    ----------
    start : pandas.Timestamp
        Start of the period.
    lo, hi : int
        The rolling window ``[lo, hi)`` classified (nanoseconds UTC): the
        :func:`rolling_periods` periods ending with this one.
    levels : pandas.DataFrame
        The :func:`~cop.participation.classifier.classify_window` frame of the
        window, plus ``current`` (who belongs to the community then).
    largest_component_share, clustering, density : float
        Network consolidation of the window's tie graph among the people taking
        part (outsiders left out), see :func:`cop.kernel.network_consolidation`.
    """

    start: pd.Timestamp
    lo: int
    hi: int
    levels: pd.DataFrame
    largest_component_share: float
    clustering: float
    density: float
    #: Some columns of ``levels`` as the arrays the frame was built from (``level`` as objects), when at hand:
    #: :func:`tidy_levels` and :func:`cop.lifecycle.period_metrics` read them without the frame's per-column cost.
    #: (``period_sums``: ``((start, end), participations, weighted activity)`` of each person in the period itself.)
    arrays: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def column(self, name: str, dtype: Any = None) -> np.ndarray:
        """The column ``name`` of ``levels`` as a numpy array (of ``dtype``), from :attr:`arrays` when it holds it.

        Examples
        --------
        >>> f = pd.DataFrame({"level": ["core"], "current": [True]}, index=["a"])
        >>> PeriodLevels(pd.Timestamp("2024-01-01", tz="UTC"), 0, 1, f, 1.0, 0.0, 1.0).column("level", object).tolist()
        ['core']
        """
        if self.arrays is not None and name in self.arrays:
            a = self.arrays[name]
            return a if dtype is None else a.astype(dtype, copy=False)
        return self.levels[name].to_numpy(dtype=dtype)

    @classmethod
    def deferred(cls, start: pd.Timestamp, lo: int, hi: int, make_levels: Callable[[], pd.DataFrame],
                 largest_component_share: float, clustering: float, density: float,
                 arrays: dict[str, Any] | None = None) -> PeriodLevels:
        """A :class:`PeriodLevels` whose ``levels`` frame is built by ``make_levels()`` when first read.

        The diagnosis reads a period through :meth:`column` and :attr:`arrays`; a network classifies
        hundreds of periods, and building each one's frame costs more than classifying it.

        Examples
        --------
        >>> f = pd.DataFrame({"level": ["core"], "current": [True]}, index=["a"])
        >>> p = PeriodLevels.deferred(pd.Timestamp("2024-01-01", tz="UTC"), 0, 1, lambda: f, 1.0, 0.0, 1.0)
        >>> "levels" in p.__dict__, p.levels is f, p == PeriodLevels(p.start, 0, 1, f, 1.0, 0.0, 1.0)
        (False, True, True)
        """
        out = cls(start, lo, hi, None, largest_component_share, clustering, density, arrays)  # type: ignore[arg-type]
        object.__delattr__(out, "levels")
        object.__setattr__(out, "_make_levels", make_levels)
        return out

    def __getattr__(self, name: str) -> Any:
        # only reached for a missing attribute: the frame of a deferred period, built once
        make = self.__dict__.get("_make_levels") if name == "levels" else None
        if make is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        frame = make()
        object.__setattr__(self, "levels", frame)
        object.__delattr__(self, "_make_levels")
        return frame


def period_window(bounds: pd.DatetimeIndex, i: int, lookback: int) -> tuple[int, int, list[tuple[int, int]]]:
    """The rolling window ``(lo, hi, blocks)`` period ``i`` is classified on: the :func:`rolling_periods`
    periods ending with it, ``blocks`` their ``(start, end)`` (nanoseconds UTC).

    Examples
    --------
    >>> b = pd.date_range("2024-01-01", periods=5, freq="MS", tz="UTC")
    >>> lo, hi, blocks = period_window(b, 3, 90)
    >>> pd.Timestamp(lo).strftime("%m-%d"), pd.Timestamp(hi).strftime("%m-%d"), len(blocks)
    ('02-01', '05-01', 3)
    """
    k = rolling_periods(bounds, lookback)
    first = max(0, i + 1 - k)
    blocks = [(bounds[j].value, bounds[j + 1].value) for j in range(first, i + 1)]
    return bounds[first].value, bounds[i + 1].value, blocks


def period_windows(bounds: pd.DatetimeIndex, lookback: int) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """:func:`period_window` of every period between ``bounds`` (the window length and the bounds' nanoseconds read once).

    Examples
    --------
    >>> b = pd.date_range("2024-01-01", periods=5, freq="MS", tz="UTC")
    >>> period_windows(b, 90) == [period_window(b, i, 90) for i in range(4)]
    True
    """
    k = rolling_periods(bounds, lookback)
    ns = [int(v) for v in bounds.as_unit("ns").asi8]
    out = []
    for i in range(len(bounds) - 1):
        first = max(0, i + 1 - k)
        out.append((ns[first], ns[i + 1], [(ns[j], ns[j + 1]) for j in range(first, i + 1)]))
    return out


def period_level(prep: Prepared, bounds: pd.DatetimeIndex, i: int, lookback: int, method: str = "combined", *,
                 window: Window | None = None) -> PeriodLevels:
    """The classification of period ``i`` between ``bounds`` on its :func:`period_window`.

    ``window``: that window's statistics when already at hand (default ``prep.window``); the network
    diagnosis computes them once for all its spaces (:mod:`cop.network.stacked`).

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> log = cop.load_example()
    >>> b = period_bounds(log, "QS")
    >>> period_level(Prepared(log), b, 3, 90).start == b[3]
    True
    """
    lo, hi, blocks = period_window(bounds, i, lookback)
    win = prep.window(lo, hi, blocks=blocks) if window is None else window
    f = classify_window(prep, lo, hi, method=method, blocks=blocks, window=win)
    f["current"] = current_people(prep, lo, hi, lookback)
    lcc, clus, dens = network_consolidation(win.adjacency, win.active & ~prep.is_outsider)
    return PeriodLevels(bounds[i], lo, hi, f, lcc, clus, dens)


def period_levels(prep: Prepared, bounds: pd.DatetimeIndex, lookback: int, method: str = "combined") -> list[PeriodLevels]:
    """The classification of each period between ``bounds`` (see :class:`PeriodLevels`).

    Each period is classified on the window of the :func:`rolling_periods` periods ending with it
    (monthly periods and a 90-day lookback: the last three months), so every period's tie graph is a
    sum of cached per-period projections; its network consolidation is measured while that graph is
    at hand.

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> log = cop.load_example()
    >>> periods = period_levels(Prepared(log), period_bounds(log, "QS"), 90)
    >>> p = periods[-1]
    >>> (p.hi - p.lo) // 86_400_000_000_000 > 80, 0 < p.largest_component_share <= 1
    (True, True)
    """
    return [period_level(prep, bounds, i, lookback, method) for i in range(len(bounds) - 1)]


def tidy_levels(periods: Sequence[PeriodLevels]) -> pd.DataFrame:
    """The level of every current member in every period: tidy ``period, member_id, level``.

    Examples
    --------
    >>> f = pd.DataFrame({"level": ["core", "active"], "current": [True, False]}, index=["a", "b"])
    >>> p = PeriodLevels(pd.Timestamp("2024-01-01", tz="UTC"), 0, 1, f, 1.0, 0.0, 1.0)
    >>> tidy_levels([p]).values.tolist()
    [[Timestamp('2024-01-01 00:00:00+0000', tz='UTC'), 'a', 'core']]
    """
    if not periods:
        return pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns, UTC]"), "member_id": pd.Series([], dtype=object),
                             "level": pd.Series([], dtype=object)})
    # one frame built from arrays (not one frame per period): the per-period cost dominates small communities
    ids, levels, counts = [], [], []
    for p in periods:
        cur = p.column("current", bool)
        ids.append(_row_ids(p)[cur])
        levels.append(p.column("level", object)[cur])
        counts.append(int(cur.sum()))
    starts = pd.DatetimeIndex([p.start for p in periods])
    return pd.DataFrame({"period": starts.repeat(counts), "member_id": np.concatenate(ids),
                         "level": np.concatenate(levels)})


def level_grid(periods: Sequence[PeriodLevels]) -> LevelGrid | None:
    """The levels of :func:`tidy_levels` as a grid of members by periods, built from the periods' arrays.

    What :func:`flows_between` and :func:`cop.participation.patterns.find_patterns` read of the
    tidy frame (its pivot), without factorising the frame's columns; ``None`` where the tidy frame
    is empty, the periods do not share their rows' ids, or a current member has no level (then the
    frame decides).

    Examples
    --------
    >>> f = pd.DataFrame({"level": ["core", "active"], "current": [True, False]}, index=["b", "a"])
    >>> g = level_grid([PeriodLevels(pd.Timestamp("2024-01-01", tz="UTC"), 0, 1, f, 1.0, 0.0, 1.0)])
    >>> g.ids.tolist(), g.levels.tolist()
    (['b'], [['core']])
    """
    if not periods:
        return None
    ids = [_row_ids(p) for p in periods]
    if any(x is not ids[0] and not np.array_equal(x, ids[0]) for x in ids[1:]):
        return None
    cur = np.array([p.column("current", bool) for p in periods]).reshape(len(periods), len(ids[0]))
    lv = np.array([p.column("level", object) for p in periods]).reshape(cur.shape)
    rows, cols = np.flatnonzero(cur.any(axis=0)), np.flatnonzero(cur.any(axis=1))
    order, uniques = pd.factorize(ids[0][rows], sort=True)
    values = lv[cur]
    if not len(rows) or len(uniques) < len(rows) or pd.isna(values).any():
        return None
    rows = rows[np.argsort(order)]  # the members in the order of their sorted ids
    level_codes, names = pd.factorize(values, sort=True)
    names = pd.Index(names)  # (as the tidy frame's level column factorises: an index of its dtype, even for no flows)
    codes = np.full(cur.shape, -1, dtype=np.int64)
    codes[cur] = level_codes
    codes = codes[np.ix_(cols, rows)].T
    return LevelGrid(np.asarray(ids[0][rows], dtype=object), list(pd.DatetimeIndex([periods[t].start for t in cols])),
                     np.array([*names, ""], dtype=str)[codes], codes, names)


class LevelGrid(NamedTuple):
    """The levels of the current members period by period (:func:`level_grid`).

    Attributes
    ----------
    ids : numpy.ndarray
        The member ids (objects), sorted: those current in some period.
    periods : list of pandas.Timestamp
        The periods with a current member, in order.
    levels : numpy.ndarray
        ``ids x periods``: each member's level in each period (``str``), ``""`` where not current.
    codes : numpy.ndarray
        The same levels as positions in ``names``, ``-1`` where not current.
    names : pandas.Index
        The levels taken, sorted.

    Examples
    --------
    >>> f = pd.DataFrame({"level": ["core", "peripheral"], "current": [True, True]}, index=["b", "a"])
    >>> g = level_grid([PeriodLevels(pd.Timestamp("2024-01-01", tz="UTC"), 0, 1, f, 1.0, 0.0, 1.0)])
    >>> list(g.names), g.codes.tolist()
    (['core', 'peripheral'], [[1], [0]])
    """

    ids: np.ndarray
    periods: list[pd.Timestamp]
    levels: np.ndarray
    codes: np.ndarray
    names: pd.Index


def _row_ids(p: PeriodLevels) -> np.ndarray:
    """The member ids of a period's rows (objects)."""
    return p.arrays["member_id"] if p.arrays is not None and "member_id" in p.arrays else p.levels.index.to_numpy(dtype=object)


def levels_by_period(log: ActivityLog, freq: str = "MS", *, as_of: Any = None, lookback: int = 90, method: str = "combined") -> pd.DataFrame:
    """The level of every current member in every period: tidy ``period, member_id, level``.

    Each period's levels are those of the ``lookback`` days ending with it (``method`` as in
    :class:`cop.LevelClassifier`); ``freq`` is a pandas offset (``MS`` months, ``QS`` quarters).

    Examples
    --------
    >>> import cop
    >>> lv = levels_by_period(cop.load_example(), "QS")
    >>> lv.columns.tolist(), lv["period"].nunique()
    (['period', 'member_id', 'level'], 10)
    >>> last = lv[lv["period"] == lv["period"].max()]
    >>> int((last["level"] == "core").sum()), int((last["level"] == "peripheral").sum())
    (29, 78)
    """
    return tidy_levels(period_levels(Prepared(log), period_bounds(log, freq, as_of), lookback, method))


def flows_between(levels: pd.DataFrame, *, grid: LevelGrid | None = None) -> pd.DataFrame:
    """Counts of members moving ``from_level`` (previous period) ``to_level`` (``period``).

    Only members present in both periods are counted; staying at the same level is a flow too.
    ``grid``: the :func:`level_grid` of the periods behind ``levels`` when at hand (the same table,
    read from the grid instead of the frame).

    Examples
    --------
    >>> lbp = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 2 + ["2024-02-01"] * 2, utc=True),
    ...                     "member_id": ["a", "b", "a", "b"], "level": ["peripheral", "core", "active", "core"]})
    >>> flows_between(lbp)[["from_level", "to_level", "count"]].values.tolist()
    [['core', 'core', 1], ['peripheral', 'active', 1]]
    """
    cols = ["period", "from_level", "to_level", "count"]
    if grid is not None:
        return _flows_of_grid(grid, cols)
    if levels.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object if c != "count" else np.int64) for c in cols})
    fast = _flows_by_codes(levels, cols)
    if fast is not None:
        return fast
    periods = np.sort(levels["period"].unique())
    prev_of = dict(zip(periods[1:], periods[:-1]))
    cur = levels[levels["period"].isin(list(prev_of))].copy()
    cur["prev"] = cur["period"].map(prev_of)
    prev = levels.rename(columns={"period": "prev", "level": "from_level"})
    merged = cur.merge(prev, on=["prev", "member_id"], how="inner").rename(columns={"level": "to_level"})
    out = merged.groupby(["period", "from_level", "to_level"], sort=True).size().reset_index(name="count")
    out["count"] = out["count"].astype(np.int64)
    return out[cols]


def _flows_by_codes(levels: pd.DataFrame, cols: list[str]) -> pd.DataFrame | None:
    """:func:`flows_between` by factorised codes instead of a merge and a grouping (the same frame), or None
    where the keys are not unique per ``(period, member_id)`` or have gaps (then the merge decides)."""
    pc, per = pd.factorize(levels["period"], sort=True)
    mc, _ = pd.factorize(levels["member_id"])
    lc, names = pd.factorize(levels["level"], sort=True)
    if (pc < 0).any() or (mc < 0).any() or (lc < 0).any():
        return None
    n_m = int(mc.max()) + 1 if len(mc) else 1
    key = pc.astype(np.int64) * n_m + mc
    order = np.argsort(key, kind="stable")
    sk = key[order]
    if len(sk) > 1 and (sk[1:] == sk[:-1]).any():
        return None
    want = key - n_m  # the same member in the previous period
    pos = np.searchsorted(sk, want)
    hit = (pc > 0) & (pos < len(sk))
    hit[hit] = sk[pos[hit]] == want[hit]
    n_l = len(names)
    triple = (pc[hit].astype(np.int64) * n_l + lc[order[pos[hit]]]) * n_l + lc[hit]
    return _flows_table(triple, per, names, cols)


def _flows_of_grid(grid: LevelGrid, cols: list[str]) -> pd.DataFrame:
    """:func:`flows_between` from the :func:`level_grid` of the levels: a member flows into a period when current in it and in the period before."""
    codes, present = grid.codes, grid.codes >= 0
    m, t = np.nonzero(present[:, 1:] & present[:, :-1])  # t + 1: the period flowed into
    n_l = len(grid.names)
    triple = ((t + 1).astype(np.int64) * n_l + codes[m, t]) * n_l + codes[m, t + 1]
    return _flows_table(triple, pd.DatetimeIndex(grid.periods), grid.names, cols)


def _flows_table(triple: np.ndarray, per: Any, names: Any, cols: list[str]) -> pd.DataFrame:
    """The flows table of the codes ``(period * n_l + from) * n_l + to`` of each flow (``n_l = len(names)``), sorted by them."""
    n_l = len(names)
    u, count = np.unique(triple, return_counts=True)
    to_, rest = u % n_l, u // n_l
    from_, p = rest % n_l, rest // n_l
    return pd.DataFrame({c: v for c, v in zip(cols, (per[p], names[from_], names[to_], count.astype(np.int64)))})


def transition_matrix(flows: pd.DataFrame, normalize: bool = True) -> pd.DataFrame:
    """Level-by-level matrix of all flows (rows ``from_level``); row-normalised to probabilities by default.

    Examples
    --------
    >>> f = pd.DataFrame({"period": [1, 1], "from_level": ["core", "core"], "to_level": ["core", "active"], "count": [3, 1]})
    >>> transition_matrix(f).loc["core", "core"]
    np.float64(0.75)
    """
    order = [lv for lv in LEVELS]
    m = flows.pivot_table(index="from_level", columns="to_level", values="count", aggfunc="sum", fill_value=0)
    m = m.reindex(index=order, columns=order, fill_value=0).astype(np.float64)
    if normalize:
        tot = m.sum(axis=1)
        m = m.div(tot.where(tot > 0), axis=0)
    return m
