"""Time in the kernel: the constants, the analysis window, the periods and the sub-window rule.

Every analysis looks at a window ``[as_of - lookback, as_of)`` (nanoseconds
UTC, ``as_of`` exclusive) and at calendar periods (monthly by default) cut from
the first activity up to ``as_of``.  This module is the one place that says
how those bounds are found:

* :data:`DAY_NS` — nanoseconds in a day (timestamps are ``datetime64[ns, UTC]``
  integers throughout);
* :func:`default_as_of`, :func:`resolve_as_of`, :func:`check_lookback` and
  :func:`window_bounds` — the current window;
* :func:`parse_freq`, :func:`period_floor`, :func:`period_bounds`,
  :func:`period_starts` and :func:`rolling_periods` — the periods;
* :func:`sub_windows` — how many equal sub-windows measure *consistency*
  (:data:`SUB_WINDOW_DAYS` days each, at least :data:`MIN_SUB_WINDOWS`).

Examples
--------
>>> import pandas as pd
>>> from cop.kernel.periods import parse_freq, period_floor, sub_windows, window_bounds
>>> period_floor(pd.Timestamp("2024-03-17T10:00Z"), parse_freq("MS"))
Timestamp('2024-03-01 00:00:00+0000', tz='UTC')
>>> lo, hi = window_bounds(pd.Timestamp("2024-04-01", tz="UTC"), 90)
>>> (hi - lo) // DAY_NS, sub_windows(lo, hi)
(90, 6)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError
from cop.timestamps import to_utc_timestamp

if TYPE_CHECKING:  # pragma: no cover
    from cop.log import ActivityLog

__all__ = [
    "DAY_NS",
    "SUB_WINDOW_DAYS",
    "MIN_SUB_WINDOWS",
    "parse_freq",
    "period_floor",
    "period_bounds",
    "period_starts",
    "rolling_periods",
    "default_as_of",
    "resolve_as_of",
    "check_lookback",
    "window_bounds",
    "sub_windows",
]

#: Nanoseconds in a day: timestamps are ``datetime64[ns, UTC]`` integers throughout.
DAY_NS = 86_400 * 10**9
#: Days in one consistency sub-window (one per fortnight, roughly).
SUB_WINDOW_DAYS = 15
#: Fewest consistency sub-windows of any window (a short window is still cut in three).
MIN_SUB_WINDOWS = 3


def parse_freq(freq: str) -> pd.DateOffset:
    """A pandas offset for ``freq`` (``MS``, ``QS``, ``W-MON``...), or :class:`ConfigError` naming the parameter.

    Examples
    --------
    >>> parse_freq("QS").rule_code
    'QS-JAN'
    """
    try:
        return pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError):
        raise ConfigError(f"parameter 'freq': {freq!r} is not a pandas frequency such as 'MS', 'QS' or 'W-MON'") from None


def nominal_period_days(freq: str) -> float:
    """The mean length in days of a period of ``freq`` (over 4,800 periods: 400 years of months), whatever the log's span.

    Rules that turn a timescale in days into a number of periods use it, so
    that adding later periods to a log never changes the earlier ones.

    Examples
    --------
    >>> nominal_period_days("MS"), nominal_period_days("W-MON"), nominal_period_days("QS")
    (30.436875, 7.0, 91.310625)
    """
    off = parse_freq(freq)
    first = pd.Timestamp("2000-01-01") + off
    return float(((first + 4800 * off) - first) / pd.Timedelta(days=1) / 4800)


def period_floor(when: pd.Timestamp, offset: pd.DateOffset) -> pd.Timestamp:
    """Start of the period of ``offset`` that contains the day of ``when``.

    Examples
    --------
    >>> period_floor(pd.Timestamp("2024-01-10T08:00Z"), parse_freq("W-MON")).strftime("%a %d")
    'Mon 08'
    """
    day = when.normalize()
    return day if offset.is_on_offset(day) else offset.rollback(day)


def default_as_of(log: ActivityLog) -> pd.Timestamp:
    """The day after the last timestamp (midnight UTC); today for an empty log.

    Examples
    --------
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a"], "member_id": ["x"], "timestamp": ["2024-03-05T10:00"]}))
    >>> default_as_of(log).isoformat()
    '2024-03-06T00:00:00+00:00'
    """
    if len(log) == 0:
        return pd.Timestamp.now(tz="UTC").normalize()
    return log.end.normalize() + pd.Timedelta(days=1)


def resolve_as_of(log: ActivityLog, as_of: Any = None) -> pd.Timestamp:
    """``as_of`` as a UTC Timestamp (:class:`ConfigError` naming ``as_of`` if it is no date); default :func:`default_as_of`.

    Examples
    --------
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a"], "member_id": ["x"], "timestamp": ["2024-03-05"]}))
    >>> resolve_as_of(log, "2024-06-01").isoformat(), resolve_as_of(log).isoformat()
    ('2024-06-01T00:00:00+00:00', '2024-03-06T00:00:00+00:00')
    """
    return default_as_of(log) if as_of is None else to_utc_timestamp(as_of, name="as_of")


def check_lookback(lookback: Any) -> int:
    """``lookback`` as an int, or :class:`ConfigError` unless it is a positive whole number of days.

    Examples
    --------
    >>> check_lookback(90)
    90
    >>> check_lookback(0)
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: parameter 'lookback': 0; expected a positive whole number of days
    """
    if not (isinstance(lookback, (int, np.integer)) and lookback > 0):
        raise ConfigError(f"parameter 'lookback': {lookback!r}; expected a positive whole number of days")
    return int(lookback)


def window_bounds(as_of: pd.Timestamp, lookback: int) -> tuple[int, int]:
    """``(lo, hi)`` in nanoseconds UTC of the window of ``lookback`` days ending (exclusive) at ``as_of``.

    Examples
    --------
    >>> lo, hi = window_bounds(pd.Timestamp("2024-01-31", tz="UTC"), 30)
    >>> pd.Timestamp(lo, tz="UTC").strftime("%m-%d")
    '01-01'
    """
    hi = as_of.value
    return hi - int(lookback) * DAY_NS, hi


def sub_windows(lo: int, hi: int) -> int:
    """Consistency sub-windows of the window ``[lo, hi)``: one per :data:`SUB_WINDOW_DAYS` days, at least :data:`MIN_SUB_WINDOWS`.

    ``max(3, round(days / 15))``: a 90-day window has 6 fortnights, a 30-day
    window still 3.

    Examples
    --------
    >>> [sub_windows(0, d * DAY_NS) for d in (7, 30, 90, 365)]
    [3, 3, 6, 24]
    """
    return max(MIN_SUB_WINDOWS, int(round((hi - lo) / DAY_NS / SUB_WINDOW_DAYS)))


def period_bounds(log: ActivityLog, freq: str = "MS", as_of: Any = None) -> pd.DatetimeIndex:
    """Starts of the periods from the first activity up to ``as_of``, plus the end of the last.

    The last period ends at ``as_of`` when ``as_of`` falls inside it.

    Examples
    --------
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "b"], "member_id": ["x", "y"],
    ...     "timestamp": ["2024-01-20", "2024-03-02"]}))
    >>> [d.strftime("%m-%d") for d in period_bounds(log)]
    ['01-01', '02-01', '03-01', '03-03']
    """
    offset = parse_freq(freq)
    as_of = resolve_as_of(log, as_of)
    if len(log) == 0:
        return pd.DatetimeIndex([], tz="UTC")
    # kept on the log (its rows never change): a diagnosis reads the same bounds several times, a network once per space
    memo = log.__dict__.setdefault("_period_bounds", {})
    key = (offset, as_of.value)
    if key in memo:
        return memo[key]
    first = period_floor(log.start, offset)
    if first >= as_of:
        bounds = pd.DatetimeIndex([], tz="UTC")
    else:
        bounds = pd.date_range(first, as_of, freq=offset)
        if bounds[-1] < as_of:
            bounds = bounds.append(pd.DatetimeIndex([as_of]))
    if len(memo) >= 8:
        memo.pop(next(iter(memo)))
    memo[key] = bounds
    return bounds


def period_starts(log: ActivityLog, freq: str = "MS") -> pd.DatetimeIndex:
    """Boundaries of whole periods covering the log (the last one is the end of the final period).

    Unlike :func:`period_bounds` the last period is never cut at ``as_of``
    (used for per-period graphs).

    Examples
    --------
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "b"], "member_id": ["x", "y"],
    ...     "timestamp": ["2024-01-20", "2024-03-02"]}))
    >>> [d.strftime("%m-%d") for d in period_starts(log, "MS")]
    ['01-01', '02-01', '03-01', '04-01']
    """
    offset = parse_freq(freq)
    if len(log) == 0:
        return pd.DatetimeIndex([], tz="UTC")
    first = period_floor(log.start, offset)
    last = log.end
    bounds = pd.date_range(first, last + offset, freq=offset)
    if bounds[-1] <= last:  # pragma: no cover - defensive
        bounds = bounds.append(pd.DatetimeIndex([bounds[-1] + offset]))
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
