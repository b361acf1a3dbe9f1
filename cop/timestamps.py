"""Parse the timestamps of exports into ``datetime64[ns, UTC]``.

Accepted: ISO 8601 datetimes with a zone (``2024-03-01T09:00:00+02:00``,
``...Z``), without one (taken in the zone ``tz``, UTC by default), plain dates
(``2024-03-01``, midnight in ``tz``), and epoch seconds (integers or decimals,
as numbers or digit strings).  Parsing works on the distinct values only, so
ten million rows with repeated timestamps parse in the time of their uniques.

Examples
--------
>>> import pandas as pd
>>> from cop.timestamps import parse_timestamps
>>> s = pd.Series(["2024-03-01", "2024-03-01T12:00:00+02:00", "1709294400"])
>>> parse_timestamps(s, tz="Europe/Helsinki").dt.strftime("%Y-%m-%d %H:%M").tolist()
['2024-02-29 22:00', '2024-03-01 10:00', '2024-03-01 12:00']
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import ConfigError, ValueFormatError

__all__ = ["parse_timestamps", "to_utc_timestamp", "check_timezone", "as_ns", "parse_iso_arrow"]

_ZONE_RE = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
_EPOCH_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
# The same patterns for ASCII text, spelled so that pandas hands them to Arrow's RE2
# (``\d`` and ``\s`` force a slow per-value Python fallback): Python's ASCII ``\s``
# is [\t\n\x0b\x0c\r\x1c-\x1f ] and its ASCII ``\d`` is [0-9].
_ZONE_ASCII = _ZONE_RE.pattern.replace("\\d", "[0-9]").replace("\\s", "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f ]")
_EPOCH_ASCII = _EPOCH_RE.pattern.replace("\\d", "[0-9]")
_NON_ASCII = r"[^\x00-\x7f]"
# The strict ISO 8601 forms of the fast path (parse_iso_arrow): all values zoned (Z or +hh:mm
# after hh:mm:ss), or all without a zone.  Arrow's parser agrees with the general path
# on these and rejects the same impossible dates and times.
_ISO_ZONED_STRICT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
_ISO_NAIVE_STRICT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?$"
_EXPECTED = "an ISO 8601 date or datetime (e.g. 2024-03-01 or 2024-03-01T09:30:00+02:00) or epoch seconds"


def check_timezone(tz: str) -> str:
    """Return ``tz`` if it names an IANA time zone, else raise :class:`ConfigError`.

    Examples
    --------
    >>> check_timezone("Europe/Helsinki")
    'Europe/Helsinki'
    """
    if tz.upper() == "UTC":
        return "UTC"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"parameter 'tz': unknown time zone {tz!r}; expected an IANA name such as 'UTC' or 'Europe/Helsinki'"
        ) from None
    return tz


def parse_iso_arrow(values, tz: str = "UTC") -> np.ndarray | None:
    """Fast path for an Arrow string column: ``datetime64[ns]`` UTC values, or ``None``.

    Parses the whole column with Arrow when every value is a strict ISO 8601
    datetime with a zone (``2024-03-01T09:00:00+02:00``, ``...Z``), or every value
    lacks one (then taken in ``tz``, as :func:`parse_timestamps` does).  Returns
    ``None`` (so the caller falls back to :func:`parse_timestamps`, with its
    precise messages) on a missing value, any other form, an impossible date or
    an invalid ``tz``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        tz = check_timezone(tz)
    except ConfigError:
        return None
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return None
    if len(values) == 0 or values.null_count:
        return None
    try:
        if pc.all(pc.match_substring_regex(values, _ISO_ZONED_STRICT)).as_py():
            parsed = pc.cast(values, pa.timestamp("ns", "UTC"))
            naive = False
        elif pc.all(pc.match_substring_regex(values, _ISO_NAIVE_STRICT)).as_py():
            parsed = pc.cast(values, pa.timestamp("ns"))
            naive = True
        else:
            return None
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if isinstance(parsed, pa.ChunkedArray):
        parsed = parsed.combine_chunks() if parsed.num_chunks != 1 else parsed.chunk(0)
    ns = parsed.cast(pa.int64()).to_numpy(zero_copy_only=False)
    if parsed.null_count or (ns == np.iinfo(np.int64).min).any():
        return None
    if naive and tz != "UTC":
        local = pd.DatetimeIndex(ns.view("M8[ns]")).tz_localize(
            tz, ambiguous=np.zeros(len(ns), dtype=bool), nonexistent="shift_forward"
        )
        ns = local.tz_convert("UTC").as_unit("ns").asi8
        if (ns == np.iinfo(np.int64).min).any():  # pragma: no cover - defensive
            return None
    return ns.view("M8[ns]")


def _parse_unique(values: pd.Index, tz: str) -> np.ndarray:
    """Parse distinct values; return int64 nanoseconds since the epoch (NaT as min int)."""
    out = np.full(len(values), np.iinfo(np.int64).min, dtype=np.int64)
    if len(values) == 0:
        return out
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        idx = pd.DatetimeIndex(values)
        idx = idx.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward") if idx.tz is None else idx
        return idx.tz_convert("UTC").as_unit("ns").asi8
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        num = np.asarray(values, dtype="float64")
        ok = np.isfinite(num) & (np.abs(num) < 1e11)
        out[ok] = np.round(num[ok] * 1e9).astype(np.int64)
        return out
    text = pd.Series(np.asarray(values, dtype=object)).astype(str).str.strip()
    non_ascii = text.str.contains(_NON_ASCII, regex=True).to_numpy(dtype=bool)
    epoch = _regex_mask(text, _EPOCH_RE.pattern, _EPOCH_ASCII, non_ascii, match=True)
    if epoch.any():
        num = pd.to_numeric(text[epoch], errors="coerce").to_numpy(dtype="float64")
        ok = np.isfinite(num) & (np.abs(num) < 1e11)
        vals = np.full(len(num), np.iinfo(np.int64).min, dtype=np.int64)
        vals[ok] = np.round(num[ok] * 1e9).astype(np.int64)
        out[epoch] = vals
    iso = ~epoch
    if iso.any():
        strings = text[iso]
        zoned = _regex_mask(strings, _ZONE_RE.pattern, _ZONE_ASCII, non_ascii[iso], match=False)
        iso_pos = np.flatnonzero(iso)
        if zoned.any():
            parsed = pd.to_datetime(strings[zoned], format="ISO8601", utc=True, errors="coerce")
            out[iso_pos[zoned]] = pd.DatetimeIndex(parsed).as_unit("ns").asi8
        if (~zoned).any():
            naive = pd.DatetimeIndex(pd.to_datetime(strings[~zoned], format="ISO8601", errors="coerce"))
            if naive.tz is not None:  # pragma: no cover - defensive
                naive = naive.tz_convert(None)
            local = naive.tz_localize(
                tz, ambiguous=np.zeros(len(naive), dtype=bool), nonexistent="shift_forward"
            )
            out[iso_pos[~zoned]] = local.tz_convert("UTC").as_unit("ns").asi8
    return out


def _regex_mask(text: pd.Series, pattern: str, ascii_pattern: str, non_ascii: np.ndarray, *, match: bool) -> np.ndarray:
    """``text.str.match(pattern)`` (or ``contains``): the ASCII spelling on ASCII values."""
    def run(values: pd.Series, pat: str) -> np.ndarray:
        found = values.str.match(pat) if match else values.str.contains(pat, regex=True)
        return found.to_numpy(dtype=bool)

    if not non_ascii.any():
        return run(text, ascii_pattern)
    out = np.zeros(len(text), dtype=bool)
    out[~non_ascii] = run(text[~non_ascii], ascii_pattern)
    out[non_ascii] = run(text[non_ascii], pattern)
    return out


_NS_UTC = pd.DatetimeTZDtype("ns", "UTC")


def parse_timestamps(
    series: pd.Series,
    *,
    tz: str = "UTC",
    source: Source | None = None,
    column: str = "timestamp",
    allow_missing: bool = False,
) -> pd.Series:
    """Parse a column of timestamps into a ``datetime64[ns, UTC]`` Series.

    Parameters
    ----------
    series : pandas.Series
        Strings, numbers (epoch seconds), datetimes or a categorical of those.
    tz : str, default "UTC"
        The zone in which values without a zone are taken.
    source : Source, optional
        Where the column came from, for error messages.
    column : str
        The column's name, for error messages.
    allow_missing : bool, default False
        Keep empty cells as ``NaT`` instead of raising.

    Returns
    -------
    pandas.Series
        Same index as ``series``.

    Raises
    ------
    ValueFormatError
        Naming the file, column and first offending rows.
    """
    source = source or Source.frame()
    tz = check_timezone(tz)
    if isinstance(series.dtype, pd.DatetimeTZDtype) and series.dtype == _NS_UTC and not series.isna().any():  # already parsed (e.g. by parse_iso_arrow)
        return pd.Series(series.array, index=series.index, name=series.name)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        uniques = series.cat.categories
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        uniques = pd.Index(uniques)
    if isinstance(uniques.dtype, pd.CategoricalDtype):  # pragma: no cover - defensive
        uniques = pd.Index(np.asarray(uniques))
    parsed = _parse_unique(uniques, tz)
    nat = np.iinfo(np.int64).min
    missing = codes < 0
    if missing.any() and not allow_missing:
        pos = np.flatnonzero(missing)
        raise ValueFormatError(
            f"{source.where(column)}: {len(pos)} empty value(s) at {source.rows(pos[:5], len(pos))}; expected {_EXPECTED}"
        )
    bad_unique = parsed == nat
    if bad_unique.any():
        bad_rows = np.flatnonzero(np.isin(codes, np.flatnonzero(bad_unique)))
        if len(bad_rows):
            example = str(uniques[codes[bad_rows[0]]])
            raise ValueFormatError(
                f"{source.where(column)}: {len(bad_rows)} value(s) that are not timestamps at "
                f"{source.rows(bad_rows[:5], len(bad_rows))} (first: {example!r}); expected {_EXPECTED}"
            )
    values = np.where(missing, nat, parsed[np.where(missing, 0, codes)] if len(parsed) else nat)
    out = pd.Series(pd.to_datetime(values.view("M8[ns]")).tz_localize("UTC"), index=series.index, name=series.name)
    return out


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
        return value.tz_convert("UTC")
    try:
        parsed = parse_timestamps(pd.Series([value]), tz=tz, source=Source("parameter", "frame"), column=name)
    except ValueFormatError:
        raise ConfigError(f"parameter '{name}': {value!r} is not a date; expected {_EXPECTED}") from None
    return parsed.iloc[0]


def as_ns(series: pd.Series) -> np.ndarray:
    """Int64 nanoseconds since the epoch (UTC) of a datetime Series.

    Examples
    --------
    >>> as_ns(pd.Series(pd.to_datetime(["1970-01-01T00:00:01Z"]))).tolist()
    [1000000000]
    """
    return np.asarray(series.dt.as_unit("ns").array.asi8)
