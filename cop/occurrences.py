"""Recurring activities: one activity id reused for many occurrences, found and split.

An event tool names its weekly event "Thursday Founders Breakfast" every week;
mapped as ``activity_id`` the whole series becomes *one* activity whose time is
its earliest row, and every member looks inactive.  :func:`recurring_note`
warns when an id has rows on at least :data:`RECURRING_MIN_DAYS` distinct
days; :func:`split_activities` makes one activity per day or ISO week, its id
the original id plus a date suffix (``"Breakfast 2024-03-07"`` for a day,
``"Breakfast 2024-W10"`` for a week).  Days and weeks are counted in the
log's zone (``tz``).

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"activity_id": pd.Categorical(["b", "b", "b"]),
...                      "timestamp": pd.to_datetime(["2024-03-07 08:00", "2024-03-07 09:00", "2024-03-14 08:00"], utc=True)})
>>> split_activities(rows, "day")["activity_id"].astype(str).tolist()
['b 2024-03-07', 'b 2024-03-07', 'b 2024-03-14']
>>> split_activities(rows, "week")["activity_id"].astype(str).tolist()
['b 2024-W10', 'b 2024-W10', 'b 2024-W11']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError

__all__ = ["RECURRING_MIN_DAYS", "SPLIT_UNITS", "activity_days", "recurring_note", "split_activities"]

#: An activity with rows on at least this many distinct days (in the log's zone) is
#: reported as probably recurring: its id likely names a series, not one occurrence.
#: A multi-day workshop or a long thread stays below it; a weekly event reaches it in two months.
RECURRING_MIN_DAYS = 8

#: The occurrence units of :func:`split_activities` (``--split-activities``).
SPLIT_UNITS = ("day", "week")

_DAY_NS = 86_400 * 10**9

#: How many recurring activities a note names (the ones with the most days).
_NAMED = 3


def _local_days(timestamp: pd.Series, tz: str) -> pd.Series:
    return timestamp.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()


def activity_days(rows: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Per activity: the number of distinct days with rows, and the first and last day.

    Returns
    -------
    pandas.DataFrame
        Indexed by activity id, columns ``days``, ``first``, ``last``; sorted by ``days`` descending.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"activity_id": ["a", "a", "b"],
    ...                      "timestamp": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-02"], utc=True)})
    >>> activity_days(rows)["days"].to_dict()
    {'a': 2, 'b': 1}
    """
    return _activity_days(rows, tz, 1)


def _activity_days(rows: pd.DataFrame, tz: str, exact_from: int) -> pd.DataFrame:
    """:func:`activity_days`, with distinct days counted only for activities whose last day is at least
    ``exact_from`` days after their first (the others, on more than one day, are given 1: fewer days than
    ``exact_from + 1``, all that :func:`recurring_note` needs to know)."""
    ts = rows["timestamp"]
    if tz != "UTC":
        ts = ts.dt.tz_convert(tz).dt.tz_localize(None)
    day = np.asarray(ts.dt.as_unit("ns").array.asi8 if tz == "UTC" else ts.to_numpy("M8[ns]").view(np.int64)) // _DAY_NS
    acts = rows["activity_id"].array
    if isinstance(acts, pd.Categorical) and not (len(acts) and acts.codes.min() < 0):
        codes, ids = _appearance_codes(acts)
    elif isinstance(acts, pd.Categorical):
        codes, ids = pd.factorize(rows["activity_id"], sort=False)
    else:
        codes, ids = pd.factorize(rows["activity_id"].astype(str), sort=False)
    ids = pd.Index(np.asarray(ids, dtype=object).astype(str))
    codes = np.asarray(codes, dtype=np.int64)
    first = np.full(len(ids), np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(len(ids), np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, codes, day)
    np.maximum.at(last, codes, day)
    days = (last >= first).astype(np.int64)  # an activity on one day has 1; the others are counted below
    several = np.flatnonzero(last - first >= exact_from)
    if len(several):  # distinct days of the activities on more than one: sort and diff, only their rows
        rows_of = np.zeros(len(ids), dtype=bool)
        rows_of[several] = True
        mine = rows_of[codes]
        base = int(day.min())
        span = int(day.max() - base) + 1
        pairs = np.sort(codes[mine] * span + (day[mine] - base))
        pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])]
        days[several] = np.bincount(pairs // span, minlength=len(ids))[several]
    out = pd.DataFrame({"days": days,
                        "first": pd.DatetimeIndex((first * _DAY_NS).view("M8[ns]")),
                        "last": pd.DatetimeIndex((last * _DAY_NS).view("M8[ns]"))}, index=ids)
    out.index.name = "activity_id"
    return out.sort_values("days", ascending=False, kind="stable")


def _appearance_codes(values: pd.Categorical) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=False)`` of a categorical without missing values, from its codes (no hashing).

    The ids that occur, in the order of their first row, and each row's number among them.
    """
    codes = values.codes
    first = np.full(len(values.categories), len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))  # each category's first row
    present = np.flatnonzero(first < len(codes))
    present = present[np.argsort(first[present], kind="stable")]
    number = np.zeros(len(values.categories), dtype=np.int64)
    number[present] = np.arange(len(present))
    return number[codes], values.categories[present]


def recurring_note(rows: pd.DataFrame, *, tz: str = "UTC", source_name: str = "<DataFrame>") -> str | None:
    """The warning for activities with rows on at least :data:`RECURRING_MIN_DAYS` days, or ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.date_range("2024-01-04", periods=10, freq="7D", tz="UTC")
    >>> rows = pd.DataFrame({"activity_id": ["Breakfast"] * 10, "timestamp": ts})
    >>> print(recurring_note(rows, source_name="log.csv"))
    log.csv: 1 activity has rows on 8 or more distinct days: activity 'Breakfast' has rows on 10 days over 64 days; is activity_id unique per occurrence? If each id names a series of events, use --split-activities day (or week)
    """
    if len(rows) == 0:
        return None
    per = _activity_days(rows, tz, RECURRING_MIN_DAYS - 1)  # fewer days than that on every shorter span
    many = per["days"].to_numpy() >= RECURRING_MIN_DAYS
    if not many.any():
        return None
    hit = per[many]
    named = "; ".join(
        f"activity {a!r} has rows on {int(r.days)} days over {(r['last'] - r['first']).days + 1} days"
        for a, r in hit.head(_NAMED).iterrows()
    )
    more = f" (and {len(hit) - _NAMED} more)" if len(hit) > _NAMED else ""
    return (
        f"{source_name}: {len(hit)} {'activity has' if len(hit) == 1 else 'activities have'} rows on "
        f"{RECURRING_MIN_DAYS} or more distinct days: "
        f"{named}{more}; is activity_id unique per occurrence? If each id names a series of events, "
        f"use --split-activities day (or week)"
    )


def split_activities(rows: pd.DataFrame, by: str, *, tz: str = "UTC") -> pd.DataFrame:
    """One activity per occurrence: the id gets the row's day (``YYYY-MM-DD``) or ISO week (``YYYY-Www``).

    ``rows`` is a normalised participation table (:func:`cop.tables.normalize_participations`);
    a copy is returned with a categorical ``activity_id``.

    Raises
    ------
    ConfigError
        For a ``by`` that is not one of :data:`SPLIT_UNITS`.

    Examples
    --------
    >>> import pandas as pd
    >>> split_activities(pd.DataFrame({"activity_id": ["a"], "timestamp": pd.to_datetime(["2024-01-01"], utc=True)}), "month")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: split_activities: expected one of day, week, got 'month'
    """
    if by not in SPLIT_UNITS:
        raise ConfigError(f"split_activities: expected one of {', '.join(SPLIT_UNITS)}, got {by!r}",
                          hint="--split-activities day makes one activity per id and day")
    days = _local_days(rows["timestamp"], tz)
    if by == "day":
        suffix = days.dt.strftime("%Y-%m-%d")
    else:
        iso = days.dt.isocalendar()
        suffix = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    ids = rows["activity_id"].astype(str).to_numpy(dtype=object) + " " + suffix.to_numpy(dtype=object)
    out = rows.copy()
    ids = np.asarray(ids, dtype=object)
    out["activity_id"] = pd.Categorical(ids, categories=pd.unique(ids))
    return out
