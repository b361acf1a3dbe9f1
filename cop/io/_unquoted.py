"""The compiled reader of CSV files without quotes: one dictionary per column for the whole file.

:mod:`cop.io._fastcsv` (C, built with the package when a compiler is found)
reads each byte range of a file with no quote after its header on a thread of
its own (without the GIL), every text column dictionary-encoded by one hash
table for the whole range, and a strict ISO 8601 timestamp column parsed to
UTC nanoseconds.  The ranges' dictionaries are then joined, in C, in the order
values first appear, which is the order Arrow's reader and
``unify_dictionaries`` give, so the frame is
the one :func:`cop.io.csvfile.read_csv` builds through Arrow, category for
category (``tests/test_io_unquoted.py`` compares the two on generated files).

It gives up (``None``: the caller reads the file with Arrow, whose result or
error then stands) on anything but the plainest rows: a row whose cell count
differs from the header's, a carriage return inside a line, a timestamp that
is missing, not of the strict form or outside the supported years, a value
that is not UTF-8, a file without data rows.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text("member_id,when\\nann,2024-03-01T09:00:00+02:00\\nbob,2024-03-01T10:00:00Z\\nann,2024-03-02T09:00:00Z\\n")
>>> frame = read_unquoted(p, ["member_id", "when"], ",", [(len("member_id,when\\n"), p.stat().st_size)], "when", 1)
>>> AVAILABLE == (frame is not None)  # without a C compiler at install, Arrow reads every file
True
>>> frame is None or (frame["member_id"].tolist(), str(frame["when"].iloc[0])) == (['ann', 'bob', 'ann'], '2024-03-01 07:00:00+00:00')
True
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cop.io._arrow import categorical
from cop.timestamps.arrow import utc_array
from cop.timestamps.wallclock import in_range

try:
    from cop.io import _fastcsv
except ImportError:  # pragma: no cover - built without a C compiler: Arrow reads every file
    _fastcsv = None

__all__ = ["AVAILABLE", "read_unquoted"]

#: Whether the compiled reader was built (else :func:`read_unquoted` always gives ``None``).
AVAILABLE = _fastcsv is not None


def read_unquoted(path: Path, names: list[str], delimiter: str, ranges: list[tuple[int, int]],
                  stamp: str | None = None, stamp_mode: int = 0) -> pd.DataFrame | None:
    """The frame of a CSV file without a quote after its header, or ``None`` when the compiled reader gives up.

    ``ranges`` are byte ranges covering the rows after the header, each
    ending after a newline (or at the end of the file); each is read on a
    thread of its own (at most 64).  ``stamp`` names the timestamp column to parse,
    ``stamp_mode`` its form: 1 every value zoned (``...T09:00:00+02:00``,
    ``...Z``), 2 every value without a zone (taken as UTC).  Text columns come
    back as categoricals of ``str`` (a missing value, an empty cell, as code
    -1), the timestamp column as ``datetime64[ns, UTC]``.
    """
    if _fastcsv is None or not ranges:
        return None
    ts = names.index(stamp) if stamp is not None and stamp_mode else -1
    try:
        got = _fastcsv.read(str(path), [tuple(r) for r in ranges], len(names), delimiter, ts, stamp_mode if ts >= 0 else 0)
    except (OSError, MemoryError):  # the file gone or unreadable, no memory: Arrow's reader tries, and says what failed
        return None
    if got is None:
        return None
    columns = {}
    for j, (name, column) in enumerate(zip(names, got[1])):
        if j == ts:
            ns = np.frombuffer(column, dtype=np.int64)
            if not in_range(np.array([ns.min(), ns.max()])).all():
                return None  # outside the supported years: the general path says so
            columns[name] = utc_array(ns.view("M8[ns]"))
        else:
            codes, values = column
            columns[name] = categorical(np.frombuffer(codes, dtype=np.int32), np.array(values, dtype=object))
    return pd.DataFrame(columns, copy=False)
