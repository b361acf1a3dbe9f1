"""Parse the timestamps of exports into ``datetime64[ns, UTC]``: the rules, in one place.

1. **Explicit zones win.**  A value with a zone or offset (``Z``, ``UTC``,
   ``+hh``, ``+hhmm``, ``+hh:mm``; basic or extended ISO 8601, hour-only times
   such as ``2024-03-01T09Z``) is that instant, whatever ``tz`` is
   (:mod:`cop.timestamps.iso`).
2. **Other values are wall-clock times in** ``tz`` (UTC by default); a plain
   date is its midnight.  A column may mix zoned and wall-clock values.
3. **One daylight-saving rule** for text, Parquet and DataFrames
   (:mod:`cop.timestamps.wallclock`): a wall time that occurs twice is its first
   occurrence (daylight-saving time); one that does not exist is moved forward
   by the length of the gap.  A :class:`~cop.exceptions.DataWarning` counts the
   rows concerned.
4. **Digit-only values by their length** (:mod:`cop.timestamps.digits`): 8
   digits are a ``YYYYMMDD`` date, 9 or 10 digits epoch seconds; anything else
   (a year ``2024``, a spreadsheet serial ``45352``, epoch milliseconds) is an
   error that says what it looks like, unless ``unit`` says what the values are.
   Never silently 1970.
5. **Supported years 1678 to 2261** (UTC): cop holds ``datetime64[ns]``; values
   outside are rejected naming the file, column and rows.

Parsing works on the distinct values only, so ten million rows with repeated
timestamps parse in the time of their uniques.

Examples
--------
>>> import pandas as pd
>>> from cop.timestamps import parse_timestamps
>>> s = pd.Series(["2024-03-01", "2024-03-01T12:00:00+02:00", "1709294400", "2024-03-01T09Z"])
>>> parse_timestamps(s, tz="Europe/Helsinki").dt.strftime("%Y-%m-%d %H:%M").tolist()
['2024-02-29 22:00', '2024-03-01 10:00', '2024-03-01 12:00', '2024-03-01 09:00']
"""

from cop.timestamps.arrow import parse_iso_arrow
from cop.timestamps.column import as_ns, check_unit, parse_timestamps, to_utc_timestamp
from cop.timestamps.reasons import UNITS
from cop.timestamps.wallclock import SUPPORTED_END, SUPPORTED_START, check_timezone, wall_to_utc

__all__ = [
    "parse_timestamps",
    "to_utc_timestamp",
    "check_timezone",
    "check_unit",
    "as_ns",
    "parse_iso_arrow",
    "wall_to_utc",
    "UNITS",
    "SUPPORTED_START",
    "SUPPORTED_END",
]
