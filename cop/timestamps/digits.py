"""Digit-only timestamps (``"20240301"``, ``"1709283600"``, ``45352``): the digit rule.

A value made of digits alone (text, or a number) is read by how many digits
its integer part has, so that a year, a date or a spreadsheet serial is never
silently taken for seconds after 1970:

=====================  ==========================================================
integer digits         read as
=====================  ==========================================================
8 (no sign, fraction)  a basic ISO 8601 date ``YYYYMMDD``, midnight in ``tz``
9 or 10                epoch seconds (1973-03-03 to 2286-11-20), fraction allowed
anything else          an error saying what the values look like: a year (4), a
                       spreadsheet serial day (5), epoch milliseconds (12-13),
                       microseconds (15-16), nanoseconds (18-19), YYYYMMDDhhmmss (14)
=====================  ==========================================================

With an explicit ``unit`` every digit-only value is read in that unit: epoch
``"s"``, ``"ms"``, ``"us"``, ``"ns"``, or ``"spreadsheet"`` (days since
1899-12-30, the 1900 date system of Excel, LibreOffice and Google Sheets for
dates after 1900-02-28, a wall-clock time in ``tz``).  A fraction ``.0`` is
ignored, so ``20240301.0`` (a float column) is the date ``20240301``.

Examples
--------
>>> import pandas as pd
>>> ns, local, reason = parse_digit_text(pd.Series(["20240301", "1709283600", "2024"]), "auto")
>>> pd.DatetimeIndex(ns[:2], tz="UTC").strftime("%Y-%m-%dT%H:%M").tolist(), local.tolist(), [Reason(r).name for r in reason]
(['2024-03-01T00:00', '2024-03-01T09:00'], [True, False, False], ['OK', 'OK', 'YEAR'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop.timestamps.reasons import Reason
from cop.timestamps.wallclock import _SAFE_HI, _SAFE_LO, NAT

__all__ = ["DIGITS_PATTERN", "parse_digit_text", "parse_numbers"]

#: A value that is digits alone: optional sign, optional decimal fraction.
DIGITS_PATTERN = r"^[+-]?[0-9]+(?:\.[0-9]+)?$"

_FACTOR = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
_FRACTION_DIGITS = {"s": 9, "ms": 6, "us": 3, "ns": 0}
_DAY_MS = 86_400_000
_SPREADSHEET_EPOCH = pd.Timestamp("1899-12-30").value
_POWERS = np.array([10**k for k in range(20)], dtype=np.uint64)


def _auto(ndigits: np.ndarray, signed: np.ndarray, fractional: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The digit rule: ``(kind, reason)`` with kind 0 = unread, 1 = YYYYMMDD date, 2 = epoch seconds."""
    kind = np.zeros(len(ndigits), dtype=np.int8)
    reason = np.full(len(ndigits), Reason.DIGITS, dtype=np.int8)
    date = (ndigits == 8) & ~signed & ~fractional
    seconds = (ndigits >= 9) & (ndigits <= 10)
    kind[date], kind[seconds] = 1, 2
    reason[date | seconds] = Reason.OK
    for lo, hi, why in ((4, 4, Reason.YEAR), (5, 5, Reason.SERIAL), (12, 13, Reason.EPOCH_MS),
                        (15, 16, Reason.EPOCH_US), (18, 19, Reason.EPOCH_NS)):
        reason[(ndigits >= lo) & (ndigits <= hi)] = why
    reason[(ndigits == 14) & ~signed & ~fractional] = Reason.COMPACT
    return kind, reason


def _dates(text: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wall-clock nanoseconds of ``YYYYMMDD`` strings, which are not dates, and which are out of range.

    A real date outside what ``datetime64[ns]`` holds (``00000101``, ``16000101``) is out of
    range, not an error of another kind.
    """
    parsed = pd.to_datetime(pd.Series(text, dtype=object), format="%Y%m%d", errors="coerce")
    ns = np.full(len(text), NAT, dtype=np.int64)
    date = parsed.notna().to_numpy()
    us = parsed.to_numpy(dtype="datetime64[us]").astype(np.int64)  # NaT is int64 min, masked by ``date``
    inside = date & (us >= _SAFE_LO // 1000 + 1) & (us <= _SAFE_HI // 1000)
    ns[inside] = us[inside] * 1000
    return ns, ~date, date & ~inside


def _spreadsheet(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spreadsheet serial days (floats) to wall-clock nanoseconds, to the millisecond."""
    ms = np.round(days * _DAY_MS)
    lo, hi = (_SAFE_LO - _SPREADSHEET_EPOCH) / 10**6, (_SAFE_HI - _SPREADSHEET_EPOCH) / 10**6
    ok = np.isfinite(ms) & (ms >= lo) & (ms <= hi)
    ns = np.full(len(days), NAT, dtype=np.int64)
    ns[ok] = ms[ok].astype(np.int64) * 10**6 + _SPREADSHEET_EPOCH
    reason = np.where(ok, Reason.OK, np.where(np.isfinite(days), Reason.OUT_OF_RANGE, Reason.INVALID)).astype(np.int8)
    return ns, ok, reason


def _arrow(values) -> "pa.Array":
    import pyarrow as pa

    return pa.array(np.asarray(values, dtype=object) if not isinstance(values, pd.Series) else values, type=pa.string())


def _to_numpy(array, kind: str) -> np.ndarray:
    """Cast Arrow digit strings (already checked) to int64 or float64 numbers."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(array, pa.int64() if kind == "int" else pa.float64()).to_numpy(zero_copy_only=False)


def parse_digit_text(text: pd.Series, unit: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read stripped digit-only strings (matching :data:`DIGITS_PATTERN`).

    Returns ``(ns, local, reason)``: nanoseconds (:data:`NAT` where unread),
    whether each is a wall-clock time still to be read in ``tz`` (dates and
    spreadsheet serials) rather than an instant, and a :class:`Reason` per value.
    """
    import pyarrow.compute as pc

    arr = _arrow(text.astype(str))
    n = len(arr)
    if pc.any(pc.match_substring_regex(arr, r"[.+-]")).as_py():
        arr = pc.replace_substring_regex(arr, r"\.0+$", "")
        signed = pc.match_substring_regex(arr, r"^[+-]").to_numpy(zero_copy_only=False)
        negative = pc.starts_with(arr, "-").to_numpy(zero_copy_only=False)
        body = pc.utf8_ltrim(arr, "+-")
        whole = pc.replace_substring_regex(body, r"\..*$", "")
        fraction = pc.replace_substring_regex(body, r"^[0-9]*\.?", "")  # "" when there is none
        fractional = pc.utf8_length(fraction).to_numpy(zero_copy_only=False) > 0
    else:  # plain unsigned integers: the common case
        whole = fraction = arr
        signed = negative = fractional = np.zeros(n, dtype=bool)
    ndigits = pc.utf8_length(whole).to_numpy(zero_copy_only=False).astype(np.int64)
    ns = np.full(n, NAT, dtype=np.int64)
    local = np.zeros(n, dtype=bool)
    if unit == "auto":
        kind, reason = _auto(ndigits, signed, fractional)
        if (kind == 1).any():
            pos = np.flatnonzero(kind == 1)
            ns[pos], bad, out = _dates(np.asarray(whole.take(pos).to_pylist(), dtype=object))
            local[pos] = True
            reason[pos[bad]] = Reason.INVALID
            reason[pos[out]] = Reason.OUT_OF_RANGE
        epoch_unit = np.where(kind == 2, "s", "")
    elif unit == "spreadsheet":
        return _spreadsheet(_to_numpy(arr, "float"))
    else:
        reason = np.full(n, Reason.OK, dtype=np.int8)
        epoch_unit = np.full(n, unit, dtype=object)
    for u, f in _FACTOR.items():
        pos = np.flatnonzero(epoch_unit == u)
        if not len(pos):
            continue
        # magnitude first (as float) so that no product overflows int64
        limit = max(abs(_SAFE_LO), _SAFE_HI) // f
        fits = ndigits[pos] <= 19
        approx = np.full(len(pos), np.inf)
        approx[fits] = _to_numpy(whole.take(pos[fits]), "float")
        fits &= approx <= limit
        reason[pos[~fits]] = Reason.OUT_OF_RANGE
        pos = pos[fits]
        if not len(pos):
            continue
        ints = _to_numpy(whole.take(pos), "int")
        k = _FRACTION_DIGITS[u]
        frac = 0
        if k and fractional[pos].any():
            digits = pc.utf8_rpad(pc.utf8_slice_codeunits(fraction.take(pos), 0, k), k, "0")
            frac = _to_numpy(digits, "int")
        value = ints * f + frac
        value = np.where(negative[pos], -value, value)
        inside = (value >= _SAFE_LO) & (value <= _SAFE_HI)
        ns[pos[inside]] = value[inside]
        reason[pos[~inside]] = Reason.OUT_OF_RANGE
    return ns, local, reason


def parse_numbers(values: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read numbers (integers or floats, no missing values) by the digit rule or ``unit``.

    Returns ``(ns, local, reason)`` as :func:`parse_digit_text` does.
    """
    values = np.asarray(values)
    n = len(values)
    if values.dtype.kind in "iu":
        text = pd.Series(values.astype(str), dtype=object)
        return parse_digit_text(text, unit)
    num = values.astype("float64")
    finite = np.isfinite(num)
    ns = np.full(n, NAT, dtype=np.int64)
    local = np.zeros(n, dtype=bool)
    reason = np.full(n, Reason.INVALID, dtype=np.int8)
    whole = np.trunc(np.abs(np.where(finite, num, 0.0)))
    fractional = finite & (num != np.trunc(np.where(finite, num, 0.0)))
    if unit == "auto":
        big = whole >= 1e19
        ndigits = np.where(big, 20, np.searchsorted(_POWERS.astype("float64"), np.minimum(whole, 9e18), side="right"))
        ndigits = np.maximum(ndigits, 1)
        kind, why = _auto(ndigits, num < 0, fractional)
        reason[finite] = why[finite]
        kind[~finite] = 0
        dates = np.flatnonzero(kind == 1)
        if len(dates):
            ns[dates], bad, out = _dates(np.array([str(int(v)) for v in whole[dates]], dtype=object))
            local[dates] = True
            reason[dates[bad]] = Reason.INVALID
            reason[dates[out]] = Reason.OUT_OF_RANGE
        seconds, factor = kind == 2, 10**9
    elif unit == "spreadsheet":
        return _spreadsheet(num)
    else:
        seconds, factor = finite.copy(), _FACTOR[unit]
        reason[finite] = Reason.OK
    scaled = np.round(np.where(seconds, num, 0.0) * factor)
    inside = seconds & (scaled >= _SAFE_LO) & (scaled <= _SAFE_HI)
    ns[inside] = scaled[inside].astype(np.int64)
    reason[seconds & ~inside] = Reason.OUT_OF_RANGE
    return ns, local, reason
