"""ISO 8601 text: an explicit zone or offset is honoured in every form, whatever ``tz`` is.

A value is *zoned* when a date (``2024-03-01`` or ``20240301``), ``T`` or a
space, a time (``09``, ``09:30``, ``0930``, ``09:30:15.25``, ``093015,25``) and
a zone follow each other: ``Z``, ``UTC``, ``GMT``, ``+hh``, ``+hhmm`` or
``+hh:mm`` (any case, spaces allowed before it).  Its wall-clock part is
parsed on its own and the offset subtracted, so the instant never depends on
``tz``.  Every other value is a wall-clock time (a date is its midnight) to be
read in ``tz``; a column may mix both kinds.

Examples
--------
>>> import pandas as pd
>>> ns, local, reason = parse_iso_text(pd.Series(["2024-03-01T09Z", "2024-03-01T0900+0200", "2024-03-01 09:00"]))
>>> pd.DatetimeIndex(ns, tz="UTC").strftime("%H:%M").tolist(), local.tolist()
(['09:00', '07:00', '09:00'], [False, False, True])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop.timestamps.reasons import Reason
from cop.timestamps.wallclock import NAT, datetimes_to_ns

__all__ = ["ZONED_PATTERN", "parse_iso_text"]

_DATE = r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8})"
_TIME = r"[0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2}(?:[.,][0-9]+)?)?)?"
_ZONE = r"(?i:Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)"
#: A date, a time and an explicit zone or offset.
ZONED_PATTERN = rf"^{_DATE}[Tt ]{_TIME}[\t ]*{_ZONE}$"
_ZONE_SUFFIX = rf"[\t ]*({_ZONE})$"
# the zoned forms pandas parses right by itself (extended date and time, Z or +hh:mm / +hhmm): the fast way
_PANDAS_ZONED = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})$"


def _offset_seconds(zone: str) -> int | None:
    """``+0530`` -> 19800; ``Z`` -> 0; ``None`` for an impossible offset."""
    zone = zone.strip().upper()
    if zone in ("Z", "UTC", "GMT"):
        return 0
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        return None
    return (-1 if zone[0] == "-" else 1) * (hours * 3600 + minutes * 60)


def _parse_wall(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse ISO 8601 wall-clock text: ``(ns, out_of_range, aware, aware_ns)``.

    ``aware`` marks the rare values pandas parsed with an offset this module's
    pattern does not know; their instant is in ``aware_ns`` (honoured too).
    """
    text = text.str.replace(",", ".", regex=False)
    n = len(text)
    aware, aware_ns = np.zeros(n, dtype=bool), np.full(n, NAT, dtype=np.int64)
    try:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # zoned and naive values pandas reads but the pattern did not catch
        parsed = None
    if parsed is not None and getattr(parsed.dt, "tz", None) is None:
        ns, far = datetimes_to_ns(parsed.to_numpy())
        return ns, far, aware, aware_ns
    ns, far = np.full(n, NAT, dtype=np.int64), np.zeros(n, dtype=bool)
    for i, value in enumerate(text.tolist()):
        try:
            stamp = pd.to_datetime(value, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            continue
        if stamp is pd.NaT:
            continue
        if stamp.tzinfo is not None:
            aware[i] = True
            aware_ns[i], far[i] = _one(stamp.tz_convert("UTC").tz_localize(None))
        else:
            ns[i], far[i] = _one(stamp)
    return ns, far, aware, aware_ns


def _one(stamp: pd.Timestamp) -> tuple[int, bool]:
    value, far = datetimes_to_ns(np.array([stamp.to_datetime64()]))
    return int(value[0]), bool(far[0])


def parse_iso_text(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read stripped ISO 8601 strings.

    Returns ``(ns, local, reason)``: nanoseconds (UTC instants for zoned values,
    wall-clock times for the others, :data:`NAT` where unread), whether each
    is a wall-clock time still to be read in ``tz``, and a :class:`Reason` per value.
    """
    text = text.reset_index(drop=True).astype(str)
    n = len(text)
    ns = np.full(n, NAT, dtype=np.int64)
    local = np.zeros(n, dtype=bool)
    reason = np.full(n, Reason.OK, dtype=np.int8)
    zoned = text.str.match(ZONED_PATTERN).to_numpy(dtype=bool).copy()
    plain = zoned & text.str.match(_PANDAS_ZONED).to_numpy(dtype=bool)
    if plain.any():
        pos = np.flatnonzero(plain)
        parsed = pd.to_datetime(text.iloc[pos], format="ISO8601", utc=True, errors="coerce")
        got, far = datetimes_to_ns(parsed.dt.tz_localize(None).to_numpy())
        ns[pos] = got
        reason[pos[far]] = Reason.OUT_OF_RANGE
        plain[pos[(got == NAT) & ~far]] = False  # unread: the general way below says why
        zoned &= ~plain
    if zoned.any():
        pos = np.flatnonzero(zoned)
        strings = text.iloc[pos]
        zones = strings.str.extract(_ZONE_SUFFIX, expand=False)
        codes, distinct = pd.factorize(zones)
        offsets = [_offset_seconds(z) for z in distinct]
        bad_zone = np.array([o is None for o in offsets], dtype=bool)[codes]
        offset_ns = np.array([0 if o is None else o * 10**9 for o in offsets], dtype=np.int64)[codes]
        wall, far, _, _ = _parse_wall(strings.str.replace(_ZONE_SUFFIX, "", regex=True))
        ok = (wall != NAT) & ~bad_zone
        ns[pos[ok]] = wall[ok] - offset_ns[ok]
        reason[pos] = np.where(ok, Reason.OK, np.where(far, Reason.OUT_OF_RANGE,
                                                       np.where(bad_zone, Reason.BAD_OFFSET, Reason.INVALID)))
    naive = ~(zoned | plain)
    if naive.any():
        pos = np.flatnonzero(naive)
        wall, far, aware, aware_ns = _parse_wall(text.iloc[pos])
        ns[pos] = np.where(aware, aware_ns, wall)
        local[pos] = ~aware
        unread = ns[pos] == NAT
        reason[pos[unread]] = np.where(far[unread], Reason.OUT_OF_RANGE, Reason.INVALID)
    return ns, local, reason
