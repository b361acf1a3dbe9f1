"""The spreadsheet reader (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``), through pandas with the ``calamine`` engine.

The first row of the sheet must hold the column names (one clear error
otherwise: a number or a date there means the sheet has no header row); the
rows below are the table, and messages name them as the spreadsheet does (the
first data row is row 2).  ``sheet`` picks the sheet by name or 0-based
position (default the first); an unknown one is an error listing the sheets.
Columns with neither a name nor a value are dropped.

Dates: date cells come as dates.  In the column that becomes ``timestamp`` (and
in ``joined``, ``left``) a *number* is an Excel serial day (days since
1899-12-30, the 1900 date system; ``45352`` is 2024-03-01) and is read as that
day and time, not as seconds since 1970.  Times without a zone are then read
in the ``tz`` of the command, like any other.

Examples
--------
>>> from cop.io.spreadsheet import excel_serial_to_datetime
>>> excel_serial_to_datetime(45352.75)
Timestamp('2024-03-01 18:00:00')
"""

from __future__ import annotations

import datetime as dt
import numbers
from pathlib import Path
from typing import Any

import pandas as pd

from cop._locate import Source
from cop.exceptions import FileFormatError
from cop.io.registry import Reader, register_reader

__all__ = ["read_spreadsheet", "excel_serial_to_datetime", "READER"]

_EPOCH = pd.Timestamp("1899-12-30")
_DATE_COLUMNS = ("timestamp", "joined", "left")


def excel_serial_to_datetime(value: float) -> pd.Timestamp:
    """The naive time of an Excel serial day number (1900 date system)."""
    return (_EPOCH + pd.to_timedelta(float(value), unit="D")).round("s")


def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def read_spreadsheet(path: Path, timestamps: tuple[str, str] | None = None, sheet: str | int | None = None) -> tuple[pd.DataFrame, Source]:
    """Read one sheet of a workbook into a raw frame (header in row 1) and its :class:`Source`."""
    path = Path(path)
    try:
        book = pd.ExcelFile(path, engine="calamine")
    except ImportError as exc:
        raise FileFormatError(f"{path}: reading spreadsheets needs python-calamine ({exc})") from None
    except Exception as exc:  # calamine raises its own errors for broken workbooks
        raise FileFormatError(f"{path}: is not a readable workbook ({type(exc).__name__}: {exc}); expected an .xlsx, .xls or .ods file") from None
    with book:
        names = book.sheet_names
        choice = 0 if sheet is None else sheet
        if isinstance(choice, str) and choice.isdigit() and choice not in names:
            choice = int(choice)
        if (isinstance(choice, int) and not 0 <= choice < len(names)) or (isinstance(choice, str) and choice not in names):
            raise FileFormatError(f"{path}, option 'sheet': {sheet!r} is not a sheet; expected one of {', '.join(map(repr, names))} or a position 0..{len(names) - 1}")
        label = names[choice] if isinstance(choice, int) else choice
        try:
            raw = pd.read_excel(book, sheet_name=label, header=None, dtype=object)
        except Exception as exc:
            raise FileFormatError(f"{path}, sheet {label!r}: cannot be read ({type(exc).__name__}: {exc})") from None
    where = f"{path}, sheet {label!r}"
    if raw.shape[0] == 0:
        raise FileFormatError(f"{where}: is empty; expected a header row of column names and rows below it")
    header = raw.iloc[0].tolist()
    keep = []
    for i, name in enumerate(header):
        empty = name is None or (isinstance(name, float) and pd.isna(name)) or (isinstance(name, str) and not name.strip())
        if empty:
            if raw.iloc[1:, i].notna().any():
                raise FileFormatError(f"{where}, row 1, column {_column_letter(i)}: is empty above values; expected a column name in every header cell")
            continue
        if not isinstance(name, str):
            kind = "a date" if isinstance(name, (dt.date, pd.Timestamp)) else "a number" if _is_number(name) else type(name).__name__
            raise FileFormatError(f"{where}, row 1, column {_column_letter(i)}: holds {name!r} ({kind}); "
                                  "expected a header row of column names (the sheet seems to have no header row)")
        keep.append(i)
    frame = raw.iloc[1:, keep].reset_index(drop=True)
    frame.columns = [str(header[i]).strip() for i in keep]
    dates = set(_DATE_COLUMNS) | ({timestamps[0]} if timestamps else set())
    for col in frame.columns:
        if col in dates:
            values = frame[col]
            serial = values.map(_is_number)
            if serial.any():
                frame[col] = values.where(~serial, values[serial].map(excel_serial_to_datetime)).astype(object)
    return frame, Source.file(path, "spreadsheet")


READER = register_reader(Reader(name="spreadsheet", read=read_spreadsheet, suffixes=(".xlsx", ".xlsm", ".xls", ".ods"),
                                description="a spreadsheet (.xlsx, .xls, .ods); the first row holds the column names"))
