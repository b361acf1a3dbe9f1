"""The fast path for an Arrow string column of strict ISO 8601 timestamps.

Examples
--------
>>> import pyarrow as pa
>>> parse_iso_arrow(pa.chunked_array([["2024-03-01T09:00:00+02:00", "2024-03-01T09:00:00Z"]])).astype(str).tolist()
['2024-03-01T07:00:00.000000000', '2024-03-01T09:00:00.000000000']
>>> parse_iso_arrow(pa.chunked_array([["2024-10-27T02:30:00"]]), "Europe/Oslo") is None  # ambiguous: the general path says so
True
"""

from __future__ import annotations

import numpy as np

from cop.exceptions import ConfigError
from cop.timestamps.wallclock import NAT, check_timezone, in_range, wall_to_utc

__all__ = ["parse_iso_arrow", "iso_column_type", "typed_to_ns", "utc_array"]

# The strict ISO 8601 forms of the fast path: all values zoned (Z or +hh:mm after hh:mm:ss),
# or all without a zone.  Arrow's parser agrees with the general path on these and rejects
# the same impossible dates and times.
_ISO_ZONED_STRICT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
_ISO_NAIVE_STRICT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?)?$"


def parse_iso_arrow(values, tz: str = "UTC") -> np.ndarray | None:
    """``datetime64[ns]`` UTC values of an Arrow string column, or ``None``.

    Parses the whole column with Arrow when every value is a strict ISO 8601
    datetime with a zone (``2024-03-01T09:00:00+02:00``, ``...Z``), or every value
    lacks one (then taken in ``tz``, as :func:`~cop.timestamps.parse_timestamps`
    does).  Returns ``None`` (so the caller falls back to
    :func:`~cop.timestamps.parse_timestamps`, with its precise messages and
    notes) on a missing value, any other form, an impossible date, an instant
    outside the supported years, a wall-clock time in a daylight-saving
    transition, or an invalid ``tz``.
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
    if parsed.null_count or (ns == NAT).any():
        return None
    if naive and tz != "UTC":
        local = wall_to_utc(ns, tz)
        if local.ambiguous.any() or local.nonexistent.any():
            return None
        ns = local.ns
    if not in_range(ns).all():
        return None
    return ns.view("M8[ns]")


def iso_column_type(sample, tz: str = "UTC"):
    """The Arrow type in which a CSV reader may parse a timestamp column, from a ``sample`` of its values; or ``None``.

    ``timestamp[ns, tz=UTC]`` when every sampled value is a strict ISO 8601
    datetime with a zone; ``timestamp[ns]`` when every one lacks a zone and
    ``tz`` is UTC (elsewhere a wall-clock time may fall in a daylight-saving
    transition, which the general path notes).  Arrow's parser then rejects
    (an error for the caller, who reads the column as text instead) any value
    that is not ISO 8601, lacks a zone when the others have one (or the
    reverse), an impossible date or time, or an instant outside
    ``datetime64[ns]``; the ISO forms it accepts beyond the strict ones
    (``09+02``, ``09:00+0200``) are the instants the general path gives them.

    Examples
    --------
    >>> str(iso_column_type(["2024-03-01T09:00:00+02:00", "2024-03-01 07:00:00Z"]))
    'timestamp[ns, tz=UTC]'
    >>> iso_column_type(["2024-03-01T09:00:00"], "Europe/Oslo") is None
    True
    """
    import re

    import pyarrow as pa

    values = [v for v in sample]
    if not values or not all(isinstance(v, str) for v in values):
        return None
    if all(re.match(_ISO_ZONED_STRICT, v) for v in values):
        return pa.timestamp("ns", "UTC")
    if tz == "UTC" and all(re.match(_ISO_NAIVE_STRICT, v) for v in values):
        return pa.timestamp("ns")
    return None


def typed_to_ns(values) -> np.ndarray | None:
    """``datetime64[ns]`` UTC values of an Arrow timestamp column read by :func:`iso_column_type`'s type, or ``None``.

    ``None`` (the caller reads the column as text for the general path) when a
    value is missing or outside the supported years.
    """
    import pyarrow as pa

    if not pa.types.is_timestamp(values.type) or values.type.unit != "ns" or values.type.tz not in (None, "UTC"):
        return None
    import pyarrow.compute as pc

    if len(values) == 0 or values.null_count:
        return None
    bounds = pc.min_max(values)
    low, high = (bounds[k].cast(pa.int64()).as_py() for k in ("min", "max"))
    if not in_range(np.array([low, high], dtype=np.int64)).all():
        return None
    if isinstance(values, pa.ChunkedArray):
        chunks = [c.view(pa.int64()).to_numpy(zero_copy_only=False) for c in values.chunks]
        ns = np.concatenate(chunks) if len(chunks) != 1 else chunks[0]
    else:
        ns = values.view(pa.int64()).to_numpy(zero_copy_only=False)
    return ns.view("M8[ns]")


def utc_array(values: np.ndarray):
    """``datetime64[ns]`` UTC instants as a pandas ``datetime64[ns, UTC]`` array, holding ``values`` themselves where pandas allows.

    Examples
    --------
    >>> import numpy as np
    >>> utc_array(np.array(["2024-03-01T07:00"], dtype="M8[ns]"))[0]
    Timestamp('2024-03-01 07:00:00+0000', tz='UTC')
    """
    import pandas as pd

    values = np.asarray(values).view("M8[ns]")
    dtype = pd.DatetimeTZDtype("ns", "UTC")
    simple = getattr(pd.arrays.DatetimeArray, "_simple_new", None)  # no copy (tz_localize makes one)
    if simple is not None:
        try:
            out = simple(values, dtype=dtype)
            if out.dtype == dtype and len(out) == len(values):
                return out
        except (TypeError, ValueError):  # pragma: no cover - a pandas whose private constructor differs
            pass
    return pd.DatetimeIndex(values).tz_localize("UTC").array  # pragma: no cover - as above
