"""Wall-clock times to instants: one rule for daylight-saving transitions, and the supported range.

A wall-clock time without an offset is read in the zone ``tz`` by the rule of
:mod:`zoneinfo` for ``fold=0`` (PEP 495): with the UTC offset in force just
*before* that wall time.  So

- a time that occurs twice (clocks set back: 02:30 on 2024-10-27 in
  Europe/Oslo) is its **first occurrence**, in daylight-saving time (00:30Z);
- a time that does not exist (clocks set forward: 02:30 on 2024-03-31 in
  Europe/Oslo) is **moved forward by the length of the gap** (03:30 local,
  01:30Z), so distinct wall times stay distinct and in order.

Text, Parquet and DataFrame timestamps all go through :func:`wall_to_utc`.

Instants are held as ``datetime64[ns, UTC]``, which reaches from 1677-09-21
to 2262-04-11; cop accepts the whole years in between, 1678 to 2261 in UTC
(:data:`SUPPORTED_START` to :data:`SUPPORTED_END`, end exclusive).

Examples
--------
>>> import numpy as np, pandas as pd
>>> local = pd.DatetimeIndex(["2024-10-27 02:30", "2024-03-31 02:30", "2024-03-01 09:00"]).as_unit("ns").asi8
>>> out = wall_to_utc(local, "Europe/Oslo")
>>> pd.DatetimeIndex(out.ns, tz="UTC").strftime("%H:%M").tolist(), out.ambiguous.tolist(), out.nonexistent.tolist()
(['00:30', '01:30', '08:00'], [True, False, False], [False, True, False])
"""

from __future__ import annotations

from datetime import timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError

__all__ = ["check_timezone", "wall_to_utc", "datetimes_to_ns", "Localized", "SUPPORTED_START", "SUPPORTED_END", "NAT"]

#: First instant cop accepts (inclusive).
SUPPORTED_START = pd.Timestamp("1678-01-01", tz="UTC")
#: End of the instants cop accepts (exclusive).
SUPPORTED_END = pd.Timestamp("2262-01-01", tz="UTC")
#: The int64 that stands for a missing or unreadable value.
NAT = np.iinfo(np.int64).min

_DAY = 86_400 * 10**9
# values up to two days beyond the supported years are converted (no offset can overflow them),
# then rejected by the range check on the instant
_SAFE_LO = SUPPORTED_START.value - 2 * _DAY
_SAFE_HI = SUPPORTED_END.value + 2 * _DAY
_FACTOR = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def check_timezone(tz: str) -> str:
    """Return ``tz`` if it names an IANA time zone, else raise :class:`ConfigError`.

    Examples
    --------
    >>> check_timezone("Europe/Helsinki")
    'Europe/Helsinki'
    """
    if not isinstance(tz, str):
        raise ConfigError(f"parameter 'tz': expected the name of a time zone such as 'UTC' or 'Europe/Helsinki', got {tz!r}")
    if tz.upper() == "UTC":
        return "UTC"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"parameter 'tz': unknown time zone {tz!r}; expected an IANA name such as 'UTC' or 'Europe/Helsinki'"
        ) from None
    return tz


def in_range(ns: np.ndarray) -> np.ndarray:
    """Whether int64 nanoseconds lie in the supported years (``NAT`` is not)."""
    return (ns >= SUPPORTED_START.value) & (ns < SUPPORTED_END.value)


def datetimes_to_ns(values) -> tuple[np.ndarray, np.ndarray]:
    """Nanoseconds of naive ``datetime64`` values of any unit, without overflow.

    Returns ``(ns, out_of_range)``: ``ns`` holds :data:`NAT` for missing values
    and for values too far from the supported years to convert.

    Examples
    --------
    >>> ns, far = datetimes_to_ns(np.array(["1500-01-01", "2024-03-01"], dtype="M8[us]"))
    >>> far.tolist(), int(ns[1])
    ([True, False], 1709251200000000000)
    """
    arr = np.asarray(values)
    if arr.dtype.kind != "M":
        arr = arr.astype("M8[ns]")
    unit, count = np.datetime_data(arr.dtype)
    if unit not in _FACTOR or count != 1:
        arr = arr.astype("M8[s]" if unit in ("Y", "M", "W", "D", "h", "m") or (unit == "s" and count != 1) else "M8[ns]")
        unit = np.datetime_data(arr.dtype)[0]
    missing = np.isnat(arr)
    ints = arr.view(np.int64)
    f = _FACTOR[unit]
    ok = ~missing & (ints >= -(-_SAFE_LO // f)) & (ints <= _SAFE_HI // f)
    ns = np.full(len(ints), NAT, dtype=np.int64)
    ns[ok] = ints[ok] * f
    return ns, ~missing & ~ok


class Localized(NamedTuple):
    """Instants of wall-clock times, and which were ambiguous or non-existent in the zone."""

    ns: np.ndarray
    ambiguous: np.ndarray
    nonexistent: np.ndarray


def wall_to_utc(local_ns: np.ndarray, tz: str) -> Localized:
    """Read wall-clock times (int64 ns, :data:`NAT` for missing) in ``tz``, by the module's rule.

    Parameters
    ----------
    local_ns : numpy.ndarray
        Wall-clock times as nanoseconds since 1970-01-01T00:00 *local*.
    tz : str
        An IANA zone (checked with :func:`check_timezone`).

    Returns
    -------
    Localized
        UTC nanoseconds, and boolean masks of the times that occur twice
        (read as the first occurrence) and that do not exist (moved forward by the gap).
    """
    local_ns = np.asarray(local_ns, dtype=np.int64)
    n = len(local_ns)
    ambiguous, nonexistent = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    tz = check_timezone(tz)
    if tz == "UTC" or n == 0:
        return Localized(local_ns.copy(), ambiguous, nonexistent)
    valid = local_ns != NAT
    idx = pd.DatetimeIndex(local_ns.view("M8[ns]"))
    out = idx.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").asi8.copy()
    odd = np.flatnonzero(valid & (out == NAT))
    if len(odd):
        zone = ZoneInfo(tz)
        for i in odd:  # only the wall times in a transition: few
            wall = pd.Timestamp(int(local_ns[i])).to_pydatetime(warn=False).replace(tzinfo=zone, fold=0)
            offset = wall.utcoffset()
            out[i] = int(local_ns[i]) - int(offset.total_seconds()) * 10**9
            back = wall.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
            if back != wall.replace(tzinfo=None):
                nonexistent[i] = True
            else:
                ambiguous[i] = True
    return Localized(out, ambiguous, nonexistent)
