"""Why a value is not read as a timestamp, and what to write instead (the words of the error).

Examples
--------
>>> what, advice = describe(Reason.SERIAL, "45352")
>>> what
'that look like spreadsheet serial day numbers'
>>> advice.split(";")[0]
"'45352' would be 2024-03-01 in the 1900 date system of spreadsheets"
"""

from __future__ import annotations

from enum import IntEnum

import pandas as pd

__all__ = ["Reason", "describe", "EXPECTED", "UNITS"]

EXPECTED = ("an ISO 8601 date or datetime (e.g. 2024-03-01 or 2024-03-01T09:30:00+02:00), "
            "a YYYYMMDD date, or epoch seconds (9 or 10 digits)")

#: The values of the ``unit`` parameter: ``"auto"`` (the digit rule of :mod:`cop.timestamps`),
#: epoch ``"s"``, ``"ms"``, ``"us"``, ``"ns"``, or ``"spreadsheet"`` (days since 1899-12-30).
UNITS = ("auto", "s", "ms", "us", "ns", "spreadsheet")

_SAY_UNIT = "or say what they are with the parameter unit= ('s', 'ms', 'us', 'ns' or 'spreadsheet')"


class Reason(IntEnum):
    """Outcome of reading one value."""

    OK = 0
    INVALID = 1
    OUT_OF_RANGE = 2
    YEAR = 3
    SERIAL = 4
    EPOCH_MS = 5
    EPOCH_US = 6
    EPOCH_NS = 7
    COMPACT = 8
    DIGITS = 9
    BAD_OFFSET = 10
    DAY_MONTH = 11


def _would_be(example: str, unit: str) -> str:
    try:
        number = float(example)
        if unit == "spreadsheet":
            return (pd.Timestamp("1899-12-30") + pd.Timedelta(days=number)).strftime("%Y-%m-%d")
        return pd.Timestamp(int(number), unit=unit, tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, ArithmeticError):  # pragma: no cover - the digit rule bounds them
        return "out of range"


def describe(reason: Reason, example: str) -> tuple[str, str]:
    """``(what the values are, what to do)`` for an error message about ``example``."""
    if reason is Reason.OUT_OF_RANGE:
        return ("outside the supported range (years 1678 to 2261, in UTC)",
                "cop holds instants as datetime64[ns]; correct the year or drop these rows")
    if reason is Reason.YEAR:
        return "that look like a year alone", "write whole dates such as 2024-03-01 (ISO 8601)"
    if reason is Reason.SERIAL:
        return ("that look like spreadsheet serial day numbers",
                f"{example!r} would be {_would_be(example, 'spreadsheet')} in the 1900 date system of spreadsheets; "
                "format the column as dates before exporting, or read it with unit='spreadsheet'")
    if reason in (Reason.EPOCH_MS, Reason.EPOCH_US, Reason.EPOCH_NS):
        unit = {Reason.EPOCH_MS: "ms", Reason.EPOCH_US: "us", Reason.EPOCH_NS: "ns"}[reason]
        word = {"ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}[unit]
        return (f"that look like epoch {word}",
                f"{example!r} would be {_would_be(example, unit)} as epoch {word}; read them with unit={unit!r}, "
                "or write ISO 8601 datetimes")
    if reason is Reason.COMPACT:
        return ("that look like YYYYMMDDhhmmss",
                "write them in ISO 8601 basic format, with a T between date and time (20240301T093000)")
    if reason is Reason.DIGITS:
        digits = len(example.lstrip("+-").split(".")[0])
        return (f"of {digits} digit(s), neither a YYYYMMDD date (8 digits) nor epoch seconds (9 or 10 digits)",
                f"write ISO 8601 dates (2024-03-01), {_SAY_UNIT}")
    if reason is Reason.DAY_MONTH:
        return ("that look like dates with the day and month in an unknown order",
                "say the order: dayfirst=True (--dayfirst: 05.03.2024 is 5 March) or dayfirst=False "
                "(--monthfirst: 03/14/2024 is 14 March), or give the format with date_format= "
                "(--date-format '%m/%d/%Y %H:%M')")
    if reason is Reason.BAD_OFFSET:
        return "with an impossible UTC offset", "offsets run from -23:59 to +23:59 (e.g. +02:00)"
    return ("that are not timestamps",
            f"expected {EXPECTED}; for other forms give date_format= (--date-format, a strptime format such as '%d %b %Y')")
