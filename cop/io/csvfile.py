"""The CSV reader (``.csv``, ``.tsv``, ``.txt``, and any of them gzipped).

A file without quotes after its header, of plain rows, is read by cop's
compiled reader (:mod:`cop.io._unquoted`: one dictionary per column for the
whole file; a large file as two halves split at a newline, on two threads);
any other file, or one on which that reader gives up (a quote, a row of
another width, a value that is not UTF-8...), with Arrow (one reader on one
thread; a large file without a quote after its header as two halves, each by
its own reader on a thread of its own).  Either way every column comes
dictionary-encoded from the parser, so ten million rows with repeated ids load
in a fraction of their text size, and the frame is the same, category for
category (tests/test_io_unquoted.py); the delimiter (``,``, ``;`` or tab) is
taken from the header line.  The timestamp column, when its first values (in
the first 64 KiB) are strict ISO 8601 with a zone (or all without one, in UTC),
is parsed while reading (:func:`cop.timestamps.arrow.iso_column_type`); if a later value is of another
form, missing, or outside the supported years, the column is read again as
text for the general path, so the result and the messages never depend on
which path ran.

Checks beyond Arrow's: a header naming a column twice is an error (naming the
file and the header); a NUL byte anywhere in a value is an error (the file is
binary, or corrupt); messages give the line of the file where a row starts,
counting the blank lines Arrow skips.

Examples
--------
>>> import tempfile, pathlib
>>> from cop.io.csvfile import read_csv
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text("a;b\\n1;x\\n\\n2;y\\n")
>>> frame, source = read_csv(p)
>>> frame["b"].tolist(), source.rows([1])
(['x', 'y'], 'row 4')
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import mmap
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from cop._locate import Source
from cop.exceptions import ConfigError, FileFormatError, SchemaError
from cop.io import _unquoted as unquoted
from cop.io._arrow import arrow_to_pandas
from cop.io._text import is_gzip, open_binary, open_text, read_head
from cop.timestamps.arrow import iso_column_type, typed_to_ns, utc_array
from cop.io.registry import Reader, register_reader

__all__ = ["read_csv", "READER"]


def read_csv(path: Path, timestamps: tuple[str, str] | None = None, encoding: str | None = None) -> tuple[pd.DataFrame, Source]:
    """Read a CSV file into a frame of categoricals, and its :class:`Source`.

    ``timestamps = (column, tz)`` lets that column come back already parsed
    (``datetime64[ns, UTC]``: by Arrow's CSV reader, or afterwards by
    :func:`cop.io._arrow.arrow_to_pandas`), when it is ISO 8601 throughout.  The file is UTF-8 unless it
    starts with a UTF-16 or UTF-32 byte-order mark (Excel's "Unicode text") or
    ``encoding`` names another (``"cp1252"``, ``"latin-1"``, any Python codec);
    a file that is not UTF-8 without ``encoding`` is an error that says so,
    never a guess.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "w.csv"
    >>> _ = p.write_bytes("member_id,x\\nJosé,1\\n".encode("cp1252"))
    >>> read_csv(p, encoding="cp1252")[0]["member_id"].tolist()
    ['José']
    """
    path = Path(path)
    codec = _encoding(path, encoding)
    if codec is not None:
        return _read_transcoded(path, codec, timestamps)
    return _read_utf8(path, path, timestamps)


def _encoding(path: Path, encoding: str | None) -> str | None:
    """The codec to transcode ``path`` with, or ``None`` for UTF-8 (read directly)."""
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise ConfigError(f"parameter 'encoding': {encoding!r} is not a known text encoding",
                              hint="e.g. --encoding cp1252 (Excel on Windows), latin-1, utf-16") from None
        return None if name in ("utf-8", "utf-8-sig") else name
    head = read_head(path, 4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


#: Byte-order marks and their codecs (UTF-32 first: its little-endian mark starts like UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _read_transcoded(path: Path, codec: str, timestamps: tuple[str, str] | None) -> tuple[pd.DataFrame, Source]:
    """Read a file in ``codec`` through a UTF-8 copy in a temporary folder (the input is never modified)."""
    with open_binary(path) as fh:
        raw = fh.read()
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileFormatError(f"{path}: is not {codec} text (byte {raw[exc.start]:#04x} at line {line})",
                              hint="give the file's encoding with --encoding (encoding=)") from None
    text = text.removeprefix("\ufeff")
    with tempfile.TemporaryDirectory(prefix="cop-") as tmp:
        copy = Path(tmp) / "utf8.csv"
        copy.write_bytes(text.encode("utf-8"))
        frame, source = _read_utf8(copy, path, timestamps)
        lines = source.lines() if source.lines is not None else None  # the copy goes with the folder
    return frame, dataclasses.replace(source, lines=lambda: lines)


def _not_utf8(path: Path, data: bytes | None = None) -> FileFormatError:
    where = ""
    if data is not None:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            where = f" (byte {data[exc.start]:#04x} at line {line})"
    return FileFormatError(
        f"{path}: is not UTF-8 text{where}; give its encoding, e.g. --encoding cp1252 (encoding='cp1252') for a CSV "
        "saved by Excel on Windows, or latin-1; or save the export as UTF-8 CSV",
        hint="--encoding cp1252",
    )


def _read_utf8(path: Path, shown: Path, timestamps: tuple[str, str] | None) -> tuple[pd.DataFrame, Source]:
    """Read UTF-8 ``path``; messages name ``shown`` (the user's file)."""
    head = read_head(path)
    if head.startswith(b"PAR1") or b"\x00" in head[:4096]:
        raise FileFormatError(f"{shown}: is not a text CSV file (it looks binary, e.g. Parquet); expected comma-separated text")
    try:
        # incremental: a character cut at the end of the 64 KiB head is not an error
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise _not_utf8(shown, head) from None
    header = text.splitlines()[0] if text.strip() else ""
    if not header.strip():
        raise FileFormatError(f"{shown}: the first line is empty; expected a header line with column names")
    delimiter = max(",;\t", key=header.count) if any(d in header for d in ",;\t") else ","
    names = _header_names(shown, header, delimiter)
    # Ids and other text come dictionary-encoded from the parser (categoricals without a
    # column of strings in between); a timestamp column whose first values are strict
    # ISO 8601 is parsed by it too (see cop.timestamps.arrow.iso_column_type; measured, this
    # costs no more than reading the column as text), else read as plain strings (millions
    # of distinct values: per-block dictionaries would need unifying) and parsed afterwards.
    column_types = {n: _TEXT for n in names}
    stamp = timestamps[0] if timestamps is not None and timestamps[0] in column_types else None
    if stamp is not None:
        column_types[stamp] = pa.string()
        typed = iso_column_type(_head_values(text, delimiter, names.index(stamp), len(head) < _HEAD), timestamps[1])
        if typed is not None:
            column_types[stamp] = typed
    # a file without a quote after its header has one row per line: the compiled reader reads
    # it (it gives up on a quote, a row of another width...: see cop.io._unquoted); else Arrow's
    # parser, which then need not follow quoted values across lines (measured at 10M rows: 6%
    # less CPU time); the answer is kept for the messages' row numbers (_Lines), which need it too
    frame = None
    if stamp is None or column_types[stamp] != pa.string():
        frame = _read_compiled(path, head, names, delimiter, stamp, column_types.get(stamp))
    quoted = False if frame is not None else _may_quote(path, head)
    if frame is None:
        newlines = quoted or b'"' in head[: head.find(b"\n")]
        ranges = None if quoted else _ranges(path, head, delimiter)  # no quote after the header: each newline ends a row
        frame = _read_arrow(path, shown, names, delimiter, column_types, newlines, ranges, stamp, timestamps)
    n_rows = len(frame)
    source = Source.file(shown, "csv", lines=_Lines(path, delimiter, head, n_rows, quoted))
    _check_no_nul(frame, source)
    return frame, source


def _read_arrow(path: Path, shown: Path, names: list[str], delimiter: str, column_types: dict, newlines: bool,
                ranges: list[tuple[int, int]] | None, stamp: str | None, timestamps: tuple[str, str] | None) -> pd.DataFrame:
    """The frame of ``path`` read by Arrow's CSV reader (any file; its errors become cop's messages, naming ``shown``)."""
    order, parsed = list(names), None
    try:
        table = _arrow_read(path, names, delimiter, column_types, newlines, ranges)
        if stamp is not None and column_types[stamp] != pa.string():
            parsed = typed_to_ns(table.column(stamp))
            if parsed is None:
                raise _Untyped  # a missing timestamp or one outside the supported years: the general path says so
            table = table.drop_columns([stamp])
    except (pa.ArrowInvalid, _Untyped) as exc:
        if stamp is not None and column_types[stamp] != pa.string() and _is_stamp_error(exc, names.index(stamp)):
            # a later value is not of the sampled form: the column as text, for the general path
            column_types[stamp], parsed = pa.string(), None
            table = _read_or_fail(path, shown, names, delimiter, column_types, newlines, ranges)
        else:
            raise _csv_error(exc, path, shown, names, delimiter) from None
    names, columns = table.column_names, table.columns
    del table  # each column's strings are freed once it is encoded
    if parsed is not None:  # parsed by Arrow while reading: back in its place
        names.insert(order.index(stamp), stamp)
        columns.insert(order.index(stamp), utc_array(parsed))
    frame = arrow_to_pandas(names, columns, timestamps)
    # Arrow's allocator keeps the parse's freed buffers; handed back, the checks that follow
    # reuse the pages instead of faulting in new ones (measured at 2M rows: peak RSS 690 ->
    # 520 MB, system CPU time 0.8 -> 0.35 s)
    pa.default_memory_pool().release_unused()
    return frame


def _read_compiled(path: Path, head: bytes, names: list[str], delimiter: str, stamp: str | None,
                   stamp_type) -> pd.DataFrame | None:
    """The frame of a file without quotes after its header by the compiled reader (:mod:`cop.io._unquoted`), or ``None``.

    ``None`` (Arrow reads the file) when the reader was not built, the file is
    gzipped, its header line does not end the first row, or the reader gives
    up (a quote, a row of another width...).  The rows are read in the byte
    ranges :func:`_ranges` gives (one range after the header for a small
    file); ``stamp_type`` is :func:`iso_column_type`'s type for the ``stamp``
    column.
    """
    if not unquoted.AVAILABLE or is_gzip(path):
        return None
    start = _data_start(head, delimiter)
    if start is None:
        return None
    ranges = _ranges(path, head, delimiter) or [(start, path.stat().st_size)]
    mode = 0 if stamp is None else (1 if stamp_type.tz is not None else 2)
    return unquoted.read_unquoted(path, names, delimiter, ranges, stamp, mode)


#: Arrow type of the columns read as text: dictionary-encoded by the parser.  (Measured at
#: 2M and 10M rows, benchmarks/bench_load.py: reading them as bytes and dictionary-encoding
#: afterwards costs as much CPU time, the hashing of each value being the cost either way,
#: and holds every value's bytes in memory at once.)
_TEXT = pa.dictionary(pa.int32(), pa.string())
#: Bytes read from the start of the file (header, delimiter, sample of timestamps).
_HEAD = 65536
#: Bytes of the file Arrow parses at a time.  Measured at 10M rows (benchmarks/bench_load.py,
#: parse and conversion to categoricals, one thread): 4 MiB blocks took 13% less CPU time than
#: 16 MiB ones (a block's values stay in the cache while its columns are converted), 1 MiB ones
#: as much as 16 (each block has its own dictionaries, which then take longer to unify).
_BLOCK = 1 << 22


class _Untyped(Exception):
    """A timestamp column parsed while reading holds a missing value or one outside the supported years: read it as text."""


#: Files of at least this many bytes without a quote after the header line are parsed as
#: :data:`_PARTS` byte ranges on as many threads, by the compiled reader (one thread per range,
#: then their dictionaries joined) or by one one-threaded Arrow reader each (Arrow releases the
#: GIL): the way ``pandas.read_csv`` uses a second core.  Arrow's, before the compiled reader:  Measured at 10M rows
#: (benchmarks/bench_load.py, 3 December 2026, medians of 6 rounds with the second core free):
#: ``cop.read_activities`` 12.5 s wall / 13.7 s CPU -> 9.3 s / 14.7 s (two parsers at once cost a
#: little more each), the parse alone 5.7-7.8 s wall -> 3.4-4.4 s.  Tests lower it to force small
#: files through the ranges; raising it above any file's size goes back to one reader.
_SPLIT = 32 << 20
#: Byte ranges (and threads) a file of :data:`_SPLIT` bytes or more is parsed in.
_PARTS = min(2, os.cpu_count() or 1)


def _ranges(path: Path, head: bytes, delimiter: str) -> list[tuple[int, int]] | None:
    """The byte ranges, each ending after a newline, in which a file without a quote after its header can be parsed apart.

    Only for a file without a quote after its header (the caller knows, or
    its reader gives up on a quote).
    ``None`` (one reader over the whole file) for a file under :data:`_SPLIT`
    bytes, a gzipped one, one machine core, a header line not ended by
    ``\\n`` alone or ``\\r\\n`` (a file whose lines end in ``\\r``
    alone), or one with a quote that does not wrap a whole name (such a
    header might go on past its first line).  Without quotes every newline ends a row (or a blank line, which
    Arrow skips either way), so the rows, their order and the values are those
    of one reader; the messages that name rows count the file's lines, never
    Arrow's rows (:class:`_Lines`).
    """
    if _PARTS < 2 or is_gzip(path):
        return None
    size = path.stat().st_size
    start = _data_start(head, delimiter)
    if size < max(_SPLIT, 1) or start is None:
        return None
    cuts = [start]
    with open(path, "rb") as fh:
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            for k in range(1, _PARTS):
                at = mm.find(b"\n", max(cuts[-1], start + (size - start) * k // _PARTS)) + 1
                if at <= cuts[-1] or at >= size:
                    break
                cuts.append(at)
    if len(cuts) < 2:
        return None
    cuts.append(size)
    return list(zip(cuts[:-1], cuts[1:]))


def _data_start(head: bytes, delimiter: str) -> int | None:
    """The byte where the rows start, after a header line that ends the first row; ``None`` if it may not.

    The header must end with ``\\n`` or ``\\r\\n`` (not ``\\r`` alone) and its quotes,
    if any, wrap whole names (:func:`_whole_quotes`).
    """
    start = head.find(b"\n") + 1
    if start <= 0:
        return None
    line = head[: start - 1].removesuffix(b"\r").removeprefix(codecs.BOM_UTF8)
    if b"\r" in line or (b'"' in line and not _whole_quotes(line, delimiter)):
        return None
    return start


def _whole_quotes(line: bytes, delimiter: str) -> bool:
    """Whether every quote of the header ``line`` belongs to a name quoted whole, so that the line ends the row.

    As in ``"a";"say ""b"" now"`` (not ``a"b;"c``, whose second quote opens a name that may go on past the line).
    """
    d = re.escape(delimiter.encode())
    field = rb'(?:"(?:[^"]|"")*"|[^"]*)'
    return re.fullmatch(field + rb"(?:" + d + field + rb")*", line) is not None


def _arrow_read(path: Path, names: list[str], delimiter: str, column_types: dict, newlines: bool = True,
                ranges: list[tuple[int, int]] | None = None) -> pa.Table:
    """Arrow's CSV reader on the whole file, or on each of ``ranges`` (byte offsets after the header) at once.

    The ranges' tables are put end to end, column by column (their blocks'
    dictionaries unified later, as one reader's are).  When a range fails on
    anything but a timestamp's conversion (whose row the caller does not use),
    the whole file is read again by one reader, so that the error is the one
    that reader gives (its row numbers, which of two errors comes first).
    """
    if ranges is None:
        return _arrow_read_one(path, names, delimiter, column_types, newlines)
    try:
        return _arrow_read_ranges(path, names, delimiter, column_types, ranges)
    except pa.ArrowInvalid as exc:
        first = str(exc).split("\n")[0]
        if first.startswith("In CSV column #") and "CSV conversion error to timestamp" in first:
            raise
    return _arrow_read_one(path, names, delimiter, column_types, newlines)


def _arrow_read_ranges(path: Path, names: list[str], delimiter: str, column_types: dict,
                       ranges: list[tuple[int, int]]) -> pa.Table:
    """One one-threaded Arrow reader for each byte range of the file, all at once on threads of their own.

    Each reads its range through a file of its own (:class:`_RangeFile`):
    a memory map of the file would count the whole file in the process's
    resident memory (measured at 10M rows: peak 0.7 -> 1.6 GB for the parse).
    """
    def one(lo: int, hi: int) -> pa.Table:
        with _RangeFile(path, lo, hi) as raw:
            return pacsv.read_csv(pa.PythonFile(raw, mode="r"), **_options(names, delimiter, column_types, False, 0))

    with ThreadPoolExecutor(max_workers=len(ranges)) as pool:
        futures = [pool.submit(one, lo, hi) for lo, hi in ranges]
        wait(futures)
    for f in futures:  # the first range's error first, as one reader would meet it
        if f.exception() is not None:
            raise f.exception()
    tables = [f.result() for f in futures]
    del futures
    columns = [pa.chunked_array([c for t in tables for c in t.column(i).chunks], type=tables[0].schema.field(i).type)
               for i in range(len(names))]
    return pa.Table.from_arrays(columns, names=names)


class _RangeFile(io.RawIOBase):
    """Bytes ``lo`` to ``hi`` of the file at ``path``, read as a file of their own (the read itself without the GIL).

    Arrow reads it through :meth:`read_buffer`, into buffers of its own memory
    pool, whose freed pages the next block reuses: measured, reading 900 MB in
    4 MiB blocks took 0.16 s of CPU time so, as Arrow's own file does, against
    0.6-1.1 s through ``read`` (a new ``bytes`` object, fresh pages, each block).
    """

    def __init__(self, path: Path, lo: int, hi: int) -> None:
        super().__init__()
        self._fh = open(path, "rb", buffering=0)
        self._fh.seek(lo)
        self._left = hi - lo

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        n = min(len(view), self._left)
        if n <= 0:
            return 0
        got = self._fh.readinto(view[:n]) or 0
        self._left -= got
        return got

    def read_buffer(self, size: int = -1) -> pa.Buffer:
        """Up to ``size`` bytes (all that are left if negative) in a buffer of Arrow's memory pool."""
        n = self._left if size is None or size < 0 else min(size, self._left)
        if n <= 0:
            return pa.py_buffer(b"")
        buffer = pa.allocate_buffer(n)
        got = self.readinto(buffer)
        return buffer if got == n else buffer.slice(0, got)

    def close(self) -> None:
        self._fh.close()
        super().close()


def _arrow_read_one(path: Path, names: list[str], delimiter: str, column_types: dict, newlines: bool = True) -> pa.Table:
    """Arrow's CSV reader on one thread, in blocks of :data:`_BLOCK` bytes; quoted values may hold newlines if ``newlines``.

    One thread: on the 2-core machine of the benchmark (benchmarks/bench_load.py,
    shared with other work, load average 5-8) Arrow's threaded parse of 2M rows
    took 1.4 to 2.3 times the CPU time of one thread in a fresh process (its
    threads' fresh memory, waits), for no shorter wall time at that load.
    ``newlines=False`` (for a file without quotes, where no value can span
    lines) spares the parser looking for them.
    """
    return pacsv.read_csv(path, **_options(names, delimiter, column_types, newlines, 1))


def _options(names: list[str], delimiter: str, column_types: dict, newlines: bool, skip_rows: int) -> dict:
    """Arrow's options for :func:`pyarrow.csv.read_csv`: one thread, blocks of :data:`_BLOCK` bytes, ``""`` missing."""
    return dict(
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip_rows, block_size=_BLOCK, use_threads=False),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines),
        convert_options=pacsv.ConvertOptions(column_types=column_types, strings_can_be_null=True,
                                             null_values=[""], quoted_strings_can_be_null=True),
    )


def _read_or_fail(path: Path, shown: Path, names: list[str], delimiter: str, column_types: dict,
                  newlines: bool = True, ranges: list[tuple[int, int]] | None = None) -> pa.Table:
    try:
        return _arrow_read(path, names, delimiter, column_types, newlines, ranges)
    except pa.ArrowInvalid as exc:
        raise _csv_error(exc, path, shown, names, delimiter) from None


def _is_stamp_error(exc: Exception, index: int) -> bool:
    """Whether Arrow failed on converting the timestamp column (not on the file's structure)."""
    if isinstance(exc, _Untyped):
        return True
    msg = str(exc)
    # on one thread Arrow names the row too: "In CSV column #2: Row #3: CSV conversion error to timestamp..."
    return msg.startswith(f"In CSV column #{index}: ") and "CSV conversion error to timestamp" in msg.split("\n")[0]


def _csv_error(exc: pa.ArrowInvalid, path: Path, shown: Path, names: list[str], delimiter: str) -> FileFormatError:
    msg = str(exc)
    if "UTF8" in msg or "utf8" in msg.lower():
        return _not_utf8(shown, read_head(path, 1 << 26))
    detail = msg.split("\n")[0].split(": ", 1)[-1] if "CSV parse error" in msg else msg.split("\n")[0]
    row = _first_ragged_row(path, delimiter, len(names))
    where = f" at row {row}" if row else ""
    return FileFormatError(
        f"{shown}: is not a well-formed CSV file{where}: {detail.split(':')[0]}; expected {len(names)} cells per row like the header"
    )


def _head_values(text: str, delimiter: str, index: int, whole: bool) -> list[str | None]:
    """The values of column ``index`` in the rows of the file's head (the last, maybe cut, line left out)."""
    lines = text.splitlines()[1:]
    if not whole:
        lines = lines[:-1]
    values: list[str | None] = []
    try:
        for row in csv.reader(lines, delimiter=delimiter):
            if row:
                values.append(row[index] if index < len(row) else None)
    except csv.Error:
        return []
    return values


def _header_names(path: Path, header: str, delimiter: str) -> list[str]:
    """The header's column names, stripped; a name given twice is an error."""
    try:
        cells = next(csv.reader([header], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise FileFormatError(f"{path}: cannot read the header line: {exc}") from None
    names = [c.strip() or f"Unnamed: {i}" for i, c in enumerate(cells)]
    seen: dict[str, list[int]] = {}
    for i, n in enumerate(names, start=1):
        seen.setdefault(n, []).append(i)
    repeated = {n: at for n, at in seen.items() if len(at) > 1}
    if repeated:
        parts = "; ".join(f"{n!r} (columns {', '.join(map(str, at))})" for n, at in repeated.items())
        raise SchemaError(f"{path}: the header names a column more than once: {parts}; expected each column name once")
    return names


def _check_no_nul(frame: pd.DataFrame, source: Source) -> None:
    """A NUL character in any value means a binary or corrupt file (checked on the distinct values)."""
    for col in frame.columns:
        s = frame[col]
        if not isinstance(s.dtype, pd.CategoricalDtype) or not len(s.cat.categories):
            continue
        cats = s.cat.categories
        try:
            if "\x00" not in "".join(cats):  # one scan of the joined text, in C
                continue
        except TypeError:  # pragma: no cover - a category that is not text: the general test below
            pass
        has = cats.str.contains("\x00", regex=False)
        if has.any():
            rows = np.flatnonzero(np.isin(s.cat.codes.to_numpy(), np.flatnonzero(has)))
            raise FileFormatError(
                f"{source.where(col)}: a NUL byte at {source.rows(rows[:5], len(rows))}; "
                "expected text (the file looks binary or corrupt)"
            )


def _may_quote(path: Path, head: bytes) -> bool:
    """Whether a quote follows the header line, so that quoted values may hold newlines.

    A file without any quote after its header has one row per non-blank line,
    so that a message's row numbers are found by counting lines.
    """
    if is_gzip(path):
        return True
    end = head.find(b"\n")
    if end < 0:
        return b'"' in head
    with open(path, "rb") as fh:
        try:
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                if hasattr(mm, "madvise") and hasattr(mmap, "MADV_SEQUENTIAL"):
                    mm.madvise(mmap.MADV_SEQUENTIAL)  # read ahead: about 3x faster on Linux
                return mm.find(b'"', end + 1) >= 0
        except (ValueError, OSError):  # pragma: no cover - unmappable file
            fh.seek(end + 1)
            while block := fh.read(1 << 24):
                if b'"' in block:
                    return True
    return False


class _Lines:
    """The ``lines`` of a CSV file's :class:`Source`: all of them (:func:`_data_lines`), or those of a few rows.

    ``at(positions)`` reads only as much of the file as the last of ``positions``
    needs when values cannot span lines (a message names the first rows of a
    problem: no need to count the lines of a whole 10-million-row file).
    """

    def __init__(self, path: Path, delimiter: str, head: bytes, n_rows: int, quoted: bool | None = None) -> None:
        self.path, self.delimiter, self.head, self.n_rows = path, delimiter, head, n_rows
        self.cache_info = None  # Source caches plain callables; this one caches itself
        self._all: list = []
        self._quoted: list[bool] = [] if quoted is None else [quoted]

    @property
    def quoted(self) -> bool:
        """Whether a value may span lines (a quote after the header): given by the reader, or looked for when a message names rows."""
        if not self._quoted:
            self._quoted.append(_may_quote(self.path, self.head))
        return self._quoted[0]

    def __call__(self) -> np.ndarray | None:
        if not self._all:
            self._all.append(_data_lines(self.path, self.delimiter, self.quoted, self.n_rows))
        return self._all[0]

    def at(self, positions: np.ndarray) -> np.ndarray:
        """The 1-based lines where the rows at 0-based ``positions`` start."""
        positions = np.asarray(positions, dtype=np.int64)
        path = self.path
        if not len(positions) or self._all or self.quoted:
            every = self()
            return positions + 2 if every is None else np.asarray(every)[positions]
        need = int(positions.max()) + 2  # the header and the rows up to the last position
        size = 1 << 20
        while True:
            with open_binary(path) as fh:
                data = fh.read(size)
                more = bool(fh.read(1))
            complete = data.rfind(b"\n") + 1 if more else len(data)
            starts = _nonblank_starts(np.frombuffer(data[:complete], dtype=np.uint8))
            if len(starts) >= need:
                return starts[1:][positions]
            if not more:
                every = self()
                return positions + 2 if every is None else np.asarray(every)[positions]
            size *= 4


def _nonblank_starts(data: np.ndarray) -> np.ndarray:
    """1-based numbers of the non-blank lines of ``data`` (bytes; a line holding only "\\r" is blank)."""
    ends = np.flatnonzero(data == 10)
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(data)]])
    if len(data) and data[-1] == 10:  # no line after the last newline
        starts, stops = starts[:-1], stops[:-1]
    length = stops - starts
    blank = length == 0
    one = np.flatnonzero(length == 1)
    blank[one] = data[starts[one]] == 13
    return np.flatnonzero(~blank) + 1


def _data_lines(path: Path, delimiter: str, quoted: bool, n_rows: int) -> np.ndarray | None:
    """The 1-based line of the file where each data row starts (blank lines skipped, as Arrow does).

    Only called when a message names rows.  ``None`` when the file has one line
    per row (row *i* is line *i* + 2), which counting the newlines shows;
    otherwise, without quotes a row is a line, found with numpy; with quotes a
    value may span lines, so the rows are walked.
    """
    newlines, last = 0, b""
    buffer = bytearray(1 << 24)
    view = memoryview(buffer)
    with open_binary(path) as fh:
        while size := fh.readinto(buffer):  # numpy counts bytes a vector at a time, bytes.count one by one
            newlines += int(np.count_nonzero(np.frombuffer(view[:size], dtype=np.uint8) == 10))
            last = bytes(view[size - 1:size])
    if newlines == n_rows + (1 if last == b"\n" else 0):
        return None
    if not quoted:
        with open_binary(path) as fh:
            data = np.frombuffer(fh.read(), dtype=np.uint8)
        ends = np.flatnonzero(data == 10)
        starts = np.concatenate([[0], ends + 1])
        stops = np.concatenate([ends, [len(data)]])
        length = stops - starts
        blank = length == 0
        one = np.flatnonzero(length == 1)
        blank[one] = data[starts[one]] == 13  # a line holding only "\r" is blank too
        nonblank = np.flatnonzero(~blank) + 1
        return nonblank[1:]  # the first non-blank line is the header
    lines = []
    with open_text(path, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        prev = 0
        for row in reader:
            if row:
                lines.append(prev + 1)
            prev = reader.line_num
    return np.asarray(lines[1:], dtype=np.int64)


def _first_ragged_row(path: Path, delimiter: str, width: int) -> int | None:
    """Line of the file where the first row whose cell count differs from the header's starts (only on error)."""
    try:
        with open_text(path, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            prev = 0
            for row in reader:
                if row and len(row) != width:
                    return prev + 1
                prev = reader.line_num
    except (UnicodeDecodeError, csv.Error):
        return None
    return None


READER = register_reader(Reader(
    name="csv", read=read_csv, suffixes=(".csv", ".tsv", ".txt"),
    description="comma-, semicolon- or tab-separated text with a header line (optionally gzipped)",
))
