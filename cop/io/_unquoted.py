"""The compiled reader of CSV files without quotes: one dictionary per column for the whole file.

:mod:`cop.io._fastcsv` (C, built with the package when a compiler is found)
reads each byte range of a file with no quote after its header on a thread of
its own, every text column dictionary-encoded by one hash table for the whole
range, and a strict ISO 8601 timestamp column parsed to UTC nanoseconds.  The
ranges' dictionaries are then joined in the order values first appear, which
is the order Arrow's reader and ``unify_dictionaries`` give, so the frame is
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

from concurrent.futures import ThreadPoolExecutor
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
    thread of its own.  ``stamp`` names the timestamp column to parse,
    ``stamp_mode`` its form: 1 every value zoned (``...T09:00:00+02:00``,
    ``...Z``), 2 every value without a zone (taken as UTC).  Text columns come
    back as categoricals of ``str`` (a missing value, an empty cell, as code
    -1), the timestamp column as ``datetime64[ns, UTC]``.
    """
    if _fastcsv is None or not ranges:
        return None
    ts = names.index(stamp) if stamp is not None and stamp_mode else -1
    read = lambda r: _fastcsv.read(str(path), r[0], r[1], len(names), delimiter, ts, stamp_mode if ts >= 0 else 0)  # noqa: E731
    if len(ranges) == 1:
        parts = [read(ranges[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(ranges)) as pool:
            parts = list(pool.map(read, ranges))
    if any(p is None for p in parts):
        return None
    columns = {}
    for j, name in enumerate(names):
        if j == ts:
            ns = np.concatenate([np.frombuffer(p[1][j], dtype=np.int64) for p in parts]) if len(parts) > 1 \
                else np.frombuffer(parts[0][1][j], dtype=np.int64)
            if not in_range(np.array([ns.min(), ns.max()])).all():
                return None  # outside the supported years: the general path says so
            columns[name] = utc_array(ns.view("M8[ns]"))
        else:
            codes, values = _joined([p[1][j] for p in parts])
            columns[name] = categorical(codes, np.array(values, dtype=object))
    return pd.DataFrame(columns, copy=False)


def _joined(parts: list[tuple[bytearray, list[str]]]) -> tuple[np.ndarray, list[str]]:
    """One dictionary for the ranges' codes and values: the first range's values, then each next one's new values in order.

    The codes are written once, into one array (a range's own codes through
    the lookup from its dictionary to the joined one; -1, missing, stays -1).
    """
    codes = [np.frombuffer(c, dtype=np.int32) for c, _ in parts]
    values = list(parts[0][1])
    if len(parts) == 1:
        return codes[0], values
    out = np.empty(sum(len(c) for c in codes), dtype=np.int32)
    out[: len(codes[0])] = codes[0]
    at = len(codes[0])
    index = pd.Index(values, dtype=object)
    for part_codes, (_, part_values) in zip(codes[1:], parts[1:]):
        where = out[at: at + len(part_codes)]
        at += len(part_codes)
        if not part_values:
            where[:] = part_codes
            continue
        found = index.get_indexer(pd.Index(part_values, dtype=object))
        new = np.flatnonzero(found < 0)
        found[new] = len(values) + np.arange(len(new))
        if len(new):
            values.extend(part_values[i] for i in new)
            index = pd.Index(values, dtype=object)
        lookup = np.append(found.astype(np.int32), np.int32(-1))  # the last entry serves code -1
        np.take(lookup, part_codes, out=where)
    return out, values
