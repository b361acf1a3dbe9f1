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

from typing import Any

import numpy as np
import pandas as pd

from cop.log import ActivityLog
from cop.kernel import parse_freq, period_floor
from cop.kernel import DAY_NS, Prepared, current_people
from cop.participation.classifier import LEVELS, classify_window, default_as_of
from cop.timestamps import to_utc_timestamp

__all__ = ["period_bounds", "levels_by_period", "flows_between", "transition_matrix", "period_levels", "rolling_periods"]


def period_bounds(log: ActivityLog, freq: str = "MS", as_of: Any = None) -> pd.DatetimeIndex:
    """Starts of the periods from the first activity up to ``as_of``, plus the end of the last.

    The last period ends at ``as_of`` when ``as_of`` falls inside it.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "b"], "member_id": ["x", "y"],
    ...     "timestamp": ["2024-01-20", "2024-03-02"]}))
    >>> [d.strftime("%m-%d") for d in period_bounds(log)]
    ['01-01', '02-01', '03-01', '03-03']
    """
    offset = parse_freq(freq)
    as_of = default_as_of(log) if as_of is None else to_utc_timestamp(as_of, name="as_of")
    if len(log) == 0:
        return pd.DatetimeIndex([], tz="UTC")
    first = period_floor(log.start, offset)
    if first >= as_of:
        return pd.DatetimeIndex([], tz="UTC")
    bounds = pd.date_range(first, as_of, freq=offset)
    if bounds[-1] < as_of:
        bounds = bounds.append(pd.DatetimeIndex([as_of]))
    return bounds


def rolling_periods(bounds: pd.DatetimeIndex, lookback: int) -> int:
    """How many periods make up one ``lookback`` window: ``round(lookback / median period length)``, at least 1.

    Examples
    --------
    >>> rolling_periods(pd.date_range("2024-01-01", periods=13, freq="MS"), 90)
    3
    """
    if len(bounds) < 2:
        return 1
    days = float(np.median(np.diff(bounds.as_unit("ns").asi8))) / DAY_NS
    return max(1, int(round(lookback / days)))


def period_levels(prep: Prepared, bounds: pd.DatetimeIndex, lookback: int, method: str = "combined") -> list[pd.DataFrame]:
    """The classification frame (see :func:`~cop.participation.classifier.classify_window`) of each period,
    restricted to the people who belong to the community then (column ``current``).

    Each period is classified on the window of the :func:`rolling_periods` periods ending with it
    (monthly periods and a 90-day lookback: the last three months), so every period's tie graph is a
    sum of cached per-period projections.  ``frame.attrs`` holds the window (``lo``, ``hi``) and its
    network consolidation (``largest_component_share``, ``clustering``, ``density``) for the life cycle.
    """
    from cop.lifecycle import network_consolidation

    out = []
    k = rolling_periods(bounds, lookback)
    for i in range(len(bounds) - 1):
        first = max(0, i + 1 - k)
        lo, hi = bounds[first].value, bounds[i + 1].value
        blocks = [(bounds[j].value, bounds[j + 1].value) for j in range(first, i + 1)]
        f = classify_window(prep, lo, hi, method=method, blocks=blocks)
        f["current"] = current_people(prep, lo, hi, lookback)
        win = prep.window(lo, hi, max(3, int(round((hi - lo) / DAY_NS / 15))), blocks)
        in_window = win.active & ~prep.is_outsider
        lcc, clus, dens = network_consolidation(win.adjacency, in_window)
        f.attrs.update({"lo": lo, "hi": hi, "largest_component_share": lcc, "clustering": clus, "density": dens})
        out.append(f)
    return out


def _tidy(bounds: pd.DatetimeIndex, frames: list[pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for start, f in zip(bounds[:-1], frames):
        cur = f[f["current"].to_numpy(dtype=bool)]
        parts.append(pd.DataFrame({"period": start, "member_id": cur.index.to_numpy(dtype=object), "level": cur["level"].to_numpy(dtype=object)}))
    if not parts:
        return pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns, UTC]"), "member_id": pd.Series([], dtype=object),
                             "level": pd.Series([], dtype=object)})
    return pd.concat(parts, ignore_index=True)


def levels_by_period(log: ActivityLog, freq: str = "MS", *, as_of: Any = None, lookback: int = 90, method: str = "combined") -> pd.DataFrame:
    """The level of every current member in every period: tidy ``period, member_id, level``."""
    prep = Prepared(log)
    bounds = period_bounds(log, freq, as_of)
    return _tidy(bounds, period_levels(prep, bounds, lookback, method))


def flows_between(levels: pd.DataFrame) -> pd.DataFrame:
    """Counts of members moving ``from_level`` (previous period) ``to_level`` (``period``).

    Only members present in both periods are counted; staying at the same level is a flow too.

    Examples
    --------
    >>> lbp = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 2 + ["2024-02-01"] * 2, utc=True),
    ...                     "member_id": ["a", "b", "a", "b"], "level": ["peripheral", "core", "active", "core"]})
    >>> flows_between(lbp)[["from_level", "to_level", "count"]].values.tolist()
    [['core', 'core', 1], ['peripheral', 'active', 1]]
    """
    cols = ["period", "from_level", "to_level", "count"]
    if levels.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object if c != "count" else np.int64) for c in cols})
    periods = np.sort(levels["period"].unique())
    prev_of = dict(zip(periods[1:], periods[:-1]))
    cur = levels[levels["period"].isin(list(prev_of))].copy()
    cur["prev"] = cur["period"].map(prev_of)
    prev = levels.rename(columns={"period": "prev", "level": "from_level"})
    merged = cur.merge(prev, on=["prev", "member_id"], how="inner").rename(columns={"level": "to_level"})
    out = merged.groupby(["period", "from_level", "to_level"], sort=True).size().reset_index(name="count")
    out["count"] = out["count"].astype(np.int64)
    return out[cols]


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
