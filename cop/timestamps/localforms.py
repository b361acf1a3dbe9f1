"""Dates as people and spreadsheets write them: ``03/14/2024 18:30``, ``05.03.2024``, ``6:30 PM``.

A date with its day and month in either order (``D.M.Y``, ``D/M/Y``,
``M/D/Y``, two- or four-digit year, ``.``, ``/`` or ``-`` between) is read
only when the order is said: ``dayfirst=True`` (``05.03.2024`` is 5 March) or
``dayfirst=False`` (``03/14/2024`` is 14 March); without it such values are an
error asking for it (:data:`Reason.DAY_MONTH`), never a guess.  A two-digit
year is read as :func:`time.strptime` reads ``%y``: 69-99 are 1969-1999,
00-68 are 2000-2068.  An ISO date ``2024-03-14`` with a 12-hour time
(``6:30 PM``) needs no option.  A time may follow the date (``18:30``,
``18:30:05``, ``6:30 PM``, ``6:30pm``); all these values are wall-clock times,
read in ``tz`` like any other.

``date_format`` (a :func:`~datetime.datetime.strptime` format) is tried first
when given; a format with ``%z`` gives instants (explicit zones win).

Examples
--------
>>> import pandas as pd
>>> ns, local, reason = parse_local_forms(pd.Series(["05.03.2024", "11/29/24 10:28 PM"]), dayfirst=None)
>>> [Reason(r).name for r in reason]
['DAY_MONTH', 'DAY_MONTH']
>>> ns, local, reason = parse_local_forms(pd.Series(["03/14/2024 18:30", "11/29/24 10:28 PM"]), dayfirst=False)
>>> pd.DatetimeIndex(ns).strftime("%Y-%m-%d %H:%M").tolist()
['2024-03-14 18:30', '2024-11-29 22:28']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError
from cop.timestamps.reasons import Reason
from cop.timestamps.wallclock import NAT, datetimes_to_ns

__all__ = ["LOCAL_DATE_PATTERN", "parse_local_forms", "parse_with_format"]

_TIME = r"(?:[ T,]+(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
#: A day and month in either order, then the year: ``05.03.2024``, ``3/14/24 6:30 PM``.
LOCAL_DATE_PATTERN = rf"^(?P<a>[0-9]{{1,2}})(?P<sep>[./-])(?P<b>[0-9]{{1,2}})(?P=sep)(?P<y>[0-9]{{4}}|[0-9]{{2}})\.?{_TIME}$"
# an ISO date with a 12-hour clock: 2024-03-14 6:30 PM
_ISO_AMPM = (r"^(?P<y>[0-9]{4})-(?P<a>[0-9]{2})-(?P<b>[0-9]{2})[ T]+(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})"
             r"(?::(?P<s>[0-9]{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)$")


def _assemble(parts: pd.DataFrame, day: pd.Series, month: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(ns, ok)`` of the wall-clock times in ``parts`` (NaT where impossible, e.g. 31 February)."""
    year = parts["y"].astype(int)
    year = np.where(parts["y"].str.len() == 2, np.where(year >= 69, 1900 + year, 2000 + year), year)
    hour = parts["h"].fillna("0").astype(int).to_numpy()
    ampm = parts["ampm"].fillna("").str.replace(".", "", regex=False).str.lower().to_numpy()
    has = ampm != ""
    bad_clock = has & ((hour < 1) | (hour > 12))
    hour = np.where(has & (ampm == "pm") & (hour != 12), hour + 12, np.where(has & (ampm == "am") & (hour == 12), 0, hour))
    stamps = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month.astype(int).to_numpy(), "day": day.astype(int).to_numpy(),
                      "hour": hour, "minute": parts["mi"].fillna("0").astype(int).to_numpy(),
                      "second": parts["s"].fillna("0").astype(int).to_numpy()}),
        errors="coerce",
    )
    ns, _ = datetimes_to_ns(stamps.to_numpy())
    ns[bad_clock] = NAT
    return ns, ns != NAT


def parse_local_forms(text: pd.Series, *, dayfirst: bool | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read stripped text in the forms of this module: ``(ns, local, reason)`` as :func:`~cop.timestamps.iso.parse_iso_text`.

    Values in none of these forms get :data:`Reason.INVALID`; day-month dates
    without ``dayfirst`` :data:`Reason.DAY_MONTH`.
    """
    text = text.reset_index(drop=True).astype(str)
    n = len(text)
    ns = np.full(n, NAT, dtype=np.int64)
    reason = np.full(n, Reason.INVALID, dtype=np.int8)
    iso = text.str.extract(_ISO_AMPM)
    hit = iso["y"].notna().to_numpy()
    if hit.any():
        pos = np.flatnonzero(hit)
        got, ok = _assemble(iso.iloc[pos], iso["b"].iloc[pos], iso["a"].iloc[pos])
        ns[pos[ok]] = got[ok]
        reason[pos[ok]] = Reason.OK
    dm = text.str.extract(LOCAL_DATE_PATTERN)
    hit = dm["y"].notna().to_numpy() & ~hit
    if hit.any():
        pos = np.flatnonzero(hit)
        if dayfirst is None:
            reason[pos] = Reason.DAY_MONTH
        else:
            parts = dm.iloc[pos]
            day, month = (parts["a"], parts["b"]) if dayfirst else (parts["b"], parts["a"])
            got, ok = _assemble(parts, day, month)
            ns[pos[ok]] = got[ok]
            reason[pos[ok]] = Reason.OK
    return ns, np.ones(n, dtype=bool), reason


def parse_with_format(text: pd.Series, date_format: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read stripped text with a :func:`~datetime.datetime.strptime` format: ``(ns, local, reason)``.

    A format with ``%z`` (or ``%Z``) gives UTC instants; others wall-clock
    times.  Values that do not match get :data:`Reason.INVALID`.

    Examples
    --------
    >>> import pandas as pd
    >>> ns, local, reason = parse_with_format(pd.Series(["14.03.2024 18:30", "x"]), "%d.%m.%Y %H:%M")
    >>> pd.DatetimeIndex(ns[:1]).strftime("%Y-%m-%d %H:%M").tolist(), reason.tolist()
    (['2024-03-14 18:30'], [0, 1])
    """
    text = text.reset_index(drop=True).astype(str)
    n = len(text)
    zoned = "%z" in date_format or "%Z" in date_format
    try:
        if zoned:
            parsed = pd.to_datetime(text, format=date_format, errors="coerce", utc=True).dt.tz_localize(None)
        else:
            parsed = pd.to_datetime(text, format=date_format, errors="coerce")
    except ValueError as exc:  # a bad directive
        raise ConfigError(f"parameter 'date_format': {date_format!r} is not a strptime format ({exc})",
                          hint="e.g. --date-format '%d.%m.%Y %H:%M'") from None
    ns, far = datetimes_to_ns(parsed.to_numpy())
    reason = np.where(far, Reason.OUT_OF_RANGE, np.where(ns == NAT, Reason.INVALID, Reason.OK)).astype(np.int8)
    return ns, np.full(n, not zoned), reason
