"""Parse a column of timestamps into ``datetime64[ns, UTC]``: the one entry point of every reader.

Examples
--------
>>> import pandas as pd
>>> s = pd.Series(["2024-03-01", "2024-03-01T12:00:00+02:00", "1709294400", "20240301"])
>>> parse_timestamps(s, tz="Europe/Helsinki").dt.strftime("%Y-%m-%d %H:%M").tolist()
['2024-02-29 22:00', '2024-03-01 10:00', '2024-03-01 12:00', '2024-02-29 22:00']
>>> parse_timestamps(pd.Series(["2024"]))
Traceback (most recent call last):
...
cop.exceptions.ValueFormatError: <DataFrame>, column 'timestamp': 1 value(s) that look like a year alone at row 1 (first: '2024'); write whole dates such as 2024-03-01 (ISO 8601)
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import ConfigError, DataWarning, ValueFormatError
from cop.timestamps.digits import DIGITS_PATTERN, parse_digit_text, parse_numbers
from cop.timestamps.iso import parse_iso_text
from cop.timestamps.localforms import parse_local_forms, parse_with_format
from cop.timestamps.reasons import EXPECTED, UNITS, Reason, describe
from cop.timestamps.wallclock import NAT, SUPPORTED_END, SUPPORTED_START, check_timezone, datetimes_to_ns, in_range, wall_to_utc

__all__ = ["parse_timestamps", "to_utc_timestamp", "as_ns", "check_unit"]

_NS_UTC = pd.DatetimeTZDtype("ns", "UTC")


def check_unit(unit: str) -> str:
    """Return ``unit`` if it is one of :data:`~cop.timestamps.reasons.UNITS`, else raise :class:`ConfigError`.

    Examples
    --------
    >>> check_unit("ms")
    'ms'
    """
    if unit not in UNITS:
        raise ConfigError(f"parameter 'unit': {unit!r} is not a timestamp unit; expected one of {', '.join(UNITS)}")
    return unit


def _parse_unique(
    values: pd.Index, tz: str, unit: str, date_format: str | None = None, dayfirst: bool | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse distinct values: ``(ns, reason, ambiguous, nonexistent)``, ns :data:`NAT` where unread."""
    n = len(values)
    if n == 0:
        empty = np.zeros(0, dtype=bool)
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8), empty, empty
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        idx = pd.DatetimeIndex(values)
        local = idx.tz is None
        if not local:
            idx = idx.tz_convert("UTC").tz_localize(None)
        ns, far = datetimes_to_ns(idx.to_numpy())
        reason = np.where(far, Reason.OUT_OF_RANGE, np.where(ns == NAT, Reason.INVALID, Reason.OK)).astype(np.int8)
        is_local = np.full(n, local)
    elif pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        kind = "int64" if pd.api.types.is_signed_integer_dtype(values.dtype) else (
            "uint64" if pd.api.types.is_unsigned_integer_dtype(values.dtype) else "float64")
        ns, is_local, reason = parse_numbers(np.asarray(values, dtype=kind), unit)
    else:
        text = pd.Series(np.asarray(values, dtype=object)).astype(str).str.strip()
        digits = text.str.match(DIGITS_PATTERN).to_numpy(dtype=bool)
        ns = np.full(n, NAT, dtype=np.int64)
        is_local = np.zeros(n, dtype=bool)
        reason = np.zeros(n, dtype=np.int8)
        for mask, parse in ((digits, lambda t: parse_digit_text(t, unit)), (~digits, parse_iso_text)):
            if mask.any():
                ns[mask], is_local[mask], reason[mask] = parse(text[mask].reset_index(drop=True))
        if date_format is not None:  # the user's format first; values it does not match keep the rules above
            got, got_local, got_reason = parse_with_format(text, date_format)
            take = got_reason == Reason.OK
            ns[take], is_local[take], reason[take] = got[take], got_local[take], Reason.OK
        unread = np.flatnonzero((reason == Reason.INVALID) & ~digits)
        if len(unread):  # 03/14/2024, 05.03.2024, 6:30 PM
            got, got_local, got_reason = parse_local_forms(text.iloc[unread], dayfirst=dayfirst)
            changed = got_reason != Reason.INVALID
            pos = unread[changed]
            ns[pos], is_local[pos], reason[pos] = got[changed], got_local[changed], got_reason[changed]
    ambiguous = nonexistent = np.zeros(n, dtype=bool)
    if is_local.any():
        pos = np.flatnonzero(is_local & (ns != NAT))
        done = wall_to_utc(ns[pos], tz)
        ns[pos] = done.ns
        ambiguous, nonexistent = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
        ambiguous[pos], nonexistent[pos] = done.ambiguous, done.nonexistent
    outside = (ns != NAT) & ~in_range(ns)
    reason[outside] = Reason.OUT_OF_RANGE
    ns[reason != Reason.OK] = NAT
    return ns, reason, ambiguous, nonexistent


def _first(rows: np.ndarray, codes: np.ndarray, uniques: pd.Index) -> tuple[int, str]:
    return int(rows[0]), str(uniques[codes[rows[0]]])


def parse_timestamps(
    series: pd.Series,
    *,
    tz: str = "UTC",
    source: Source | None = None,
    column: str = "timestamp",
    allow_missing: bool = False,
    unit: str = "auto",
    notes: list[str] | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> pd.Series:
    """Parse a column of timestamps into a ``datetime64[ns, UTC]`` Series.

    The rules (see :mod:`cop.timestamps`): an explicit zone or offset is
    honoured in every ISO 8601 form; other values are wall-clock times in
    ``tz``, with one rule for daylight-saving transitions; digit-only values
    follow the digit rule unless ``unit`` says what they are; instants outside
    the years 1678-2261 are rejected.

    Parameters
    ----------
    series : pandas.Series
        Strings, numbers, datetimes or a categorical of those.
    tz : str, default "UTC"
        The zone in which values without a zone are taken.
    source : Source, optional
        Where the column came from, for error messages.
    column : str
        The column's name, for error messages.
    allow_missing : bool, default False
        Keep empty cells as ``NaT`` instead of raising.
    unit : {"auto", "s", "ms", "us", "ns", "spreadsheet"}, default "auto"
        How digit-only values are read: by the digit rule (8 digits a
        ``YYYYMMDD`` date, 9-10 epoch seconds, others an error), as epoch
        seconds, milli-, micro- or nanoseconds, or as spreadsheet serial days.
    notes : list of str, optional
        Where to append the note about wall-clock times moved by a
        daylight-saving transition; without it the note is issued as a
        :class:`~cop.exceptions.DataWarning`.
    date_format : str, optional
        A :func:`~datetime.datetime.strptime` format tried first on text values
        (``"%d.%m.%Y %H:%M"``); values it does not match follow the rules above.
        With ``%z`` the values are instants, else wall-clock times in ``tz``.
    dayfirst : bool, optional
        The order of day and month in ``05.03.2024`` or ``03/14/2024``
        (:mod:`cop.timestamps.localforms`): ``True`` day first, ``False``
        month first; unset, such values are an error asking for it.

    Returns
    -------
    pandas.Series
        Same index as ``series``.

    Raises
    ------
    ValueFormatError
        One message naming the file, column and first offending rows, what the
        values look like and what to write instead.
    """
    source = source or Source.frame()
    tz = check_timezone(tz)
    unit = check_unit(unit)
    if isinstance(series.dtype, pd.DatetimeTZDtype) and series.dtype == _NS_UTC:
        ns = series.array.asi8
        # already parsed (e.g. by parse_iso_arrow): the least and the greatest value in range (NaT is int64's least)
        if not len(ns) or in_range(np.array([ns.min(), ns.max()])).all():
            return pd.Series(series.array, index=series.index, name=series.name)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        uniques = series.cat.categories
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        uniques = pd.Index(uniques)
    if isinstance(uniques.dtype, pd.CategoricalDtype):  # pragma: no cover - defensive
        uniques = pd.Index(np.asarray(uniques))
    parsed, reason, ambiguous, nonexistent = _parse_unique(uniques, tz, unit, date_format, dayfirst)
    missing = codes < 0
    if missing.any() and not allow_missing:
        pos = np.flatnonzero(missing)
        raise ValueFormatError(
            f"{source.where(column)}: {len(pos)} empty value(s) at {source.rows(pos[:5], len(pos))}; expected {EXPECTED}"
        )
    safe = np.where(missing, 0, codes)
    if (reason != Reason.OK).any():
        row_reason = np.where(missing, Reason.OK, reason[safe] if len(reason) else Reason.OK)
        bad_rows = np.flatnonzero(row_reason != Reason.OK)
        if len(bad_rows):
            first_reason = Reason(int(row_reason[bad_rows[0]]))
            same = bad_rows[row_reason[bad_rows] == first_reason]
            example = str(uniques[codes[same[0]]])
            what, advice = describe(first_reason, example)
            others = len(bad_rows) - len(same)
            more = f"; {others} other value(s) cannot be read either" if others else ""
            raise ValueFormatError(
                f"{source.where(column)}: {len(same)} value(s) {what} at {source.rows(same[:5], len(same))} "
                f"(first: {example!r}){more}; {advice}"
            )
    if ambiguous.any() or nonexistent.any():
        _note_transitions(codes, missing, uniques, ambiguous, nonexistent, tz, source, column, notes)
    values = np.where(missing, NAT, parsed[safe] if len(parsed) else NAT)
    return pd.Series(pd.DatetimeIndex(values.view("M8[ns]")).tz_localize("UTC"), index=series.index, name=series.name)


def _note_transitions(codes, missing, uniques, ambiguous, nonexistent, tz, source, column, notes) -> None:
    """One note counting the rows read by the daylight-saving rule."""
    parts = []
    for mask, what, rule in (
        (ambiguous, "occur twice (clocks set back)", "read as the first occurrence (daylight-saving time)"),
        (nonexistent, "do not exist (clocks set forward)", "moved forward by the length of the gap"),
    ):
        rows = np.flatnonzero(~missing & mask[np.where(missing, 0, codes)])
        if len(rows):
            example = str(uniques[codes[rows[0]]])
            parts.append(f"{len(rows)} row(s) at wall-clock times that {what} in {tz} were {rule} "
                         f"({source.rows(rows[:5], len(rows))}, first: {example!r})")
    note = (f"{source.where(column)}: " + "; ".join(parts)
            + "; give these timestamps an offset (e.g. +02:00) to say which instant is meant")
    if notes is not None:
        notes.append(note)
    else:
        warnings.warn(note, DataWarning, stacklevel=3)


def to_utc_timestamp(value, *, tz: str = "UTC", name: str = "date") -> pd.Timestamp:
    """Turn a user-given date (string, datetime, Timestamp) into a UTC Timestamp.

    Raises :class:`ConfigError` naming the parameter when it cannot be parsed.

    Examples
    --------
    >>> to_utc_timestamp("2024-05-01")
    Timestamp('2024-05-01 00:00:00+0000', tz='UTC')
    """
    if value is None:
        raise ConfigError(f"parameter '{name}': expected a date, got None")
    if isinstance(value, pd.Timestamp) and value.tzinfo is not None:
        utc = value.tz_convert("UTC")
        if SUPPORTED_START <= utc < SUPPORTED_END:
            return utc
    try:
        parsed = parse_timestamps(pd.Series([value]), tz=tz, source=Source("parameter", "frame"), column=name)
    except ValueFormatError as exc:
        raise ConfigError(f"parameter '{name}': {value!r} is not a date ({str(exc).split(': ', 1)[-1]})") from None
    return parsed.iloc[0]


def as_ns(series: pd.Series) -> np.ndarray:
    """Int64 nanoseconds since the epoch (UTC) of a datetime Series.

    Examples
    --------
    >>> as_ns(pd.Series(pd.to_datetime(["1970-01-01T00:00:01Z"]))).tolist()
    [1000000000]
    """
    return np.asarray(series.dt.as_unit("ns").array.asi8)
