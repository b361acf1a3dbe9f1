"""Read exports (CSV, TSV, Parquet, JSON Lines) into an :class:`~cop.log.ActivityLog`; write logs back.

Formats are chosen by the file's ending (``.csv``, ``.tsv``, ``.txt``, ``.csv.gz``,
``.parquet``/``.pq``, ``.jsonl``/``.ndjson``/``.json``) unless ``format`` is given.
CSV files are read with Arrow as dictionary-encoded strings, so ten million rows
with repeated ids and timestamps load in a fraction of their text size; the
delimiter (``,``, ``;`` or tab) is taken from the header line.  Input files are
only ever read.

Examples
--------
>>> import tempfile, pathlib
>>> from cop.io import read_activities
>>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
>>> _ = p.write_text("activity_id,member_id,timestamp\\ne1,ann,2024-01-01\\ne1,bo,2024-01-01\\n")
>>> read_activities(p).n_members
2
"""

from __future__ import annotations

import codecs
import gzip
import io as _io
import json
import mmap
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from cop._atomic import atomic_path
from cop._locate import Source
from cop.exceptions import FileFormatError
from cop.log import ActivityLog
from cop.timestamps import parse_iso_arrow

__all__ = ["read_table", "read_activities", "write_log", "write_csv", "detect_format", "LOG_FILES"]

#: File names of a log written by :func:`write_log` (and by ``cop simulate``).
LOG_FILES = {"activities": "activities.csv", "members": "members.csv", "details": "activity_details.csv"}

_FORMATS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
}


def detect_format(path: str | os.PathLike[str]) -> str:
    """The format a file's name says: ``csv``, ``parquet`` or ``jsonl``.

    Examples
    --------
    >>> detect_format("export.CSV.gz"), detect_format("log.parquet")
    ('csv', 'parquet')
    """
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix not in _FORMATS:
        raise FileFormatError(
            f"{os.fspath(path)}: unknown file type {suffix or '(no ending)'!r}; expected .csv, .tsv, .parquet or .jsonl"
        )
    return _FORMATS[suffix]


def _open_text_head(path: Path, nbytes: int = 65536) -> bytes:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        return fh.read(nbytes)


def _read_csv(path: Path, source: Source, timestamps: tuple[str, str] | None = None) -> pd.DataFrame:
    head = _open_text_head(path)
    if head.startswith(b"PAR1") or b"\x00" in head[:4096]:
        raise FileFormatError(f"{path}: is not a text CSV file (it looks binary, e.g. Parquet); expected comma-separated text")
    try:
        # incremental: a character cut at the end of the 64 KiB head is not an error
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        raise FileFormatError(f"{path}: is not UTF-8 text; save the export as UTF-8 CSV") from None
    header = text.splitlines()[0] if text.strip() else ""
    if not header.strip():
        raise FileFormatError(f"{path}: the first line is empty; expected a header line with column names")
    delimiter = max(",;\t", key=header.count) if any(d in header for d in ",;\t") else ","
    try:
        names = pd.read_csv(_io.StringIO(header + "\n"), sep=delimiter, nrows=0, dtype=str).columns.tolist()
    except Exception as exc:  # pandas parser error on the header alone
        raise FileFormatError(f"{path}: cannot read the header line: {exc}") from None
    names = [str(n).strip() for n in names]
    # Plain strings, dictionary-encoded afterwards in one pass per column: much faster
    # than Arrow's per-block dictionaries, which need unifying (millions of timestamps).
    column_types = {n: pa.string() for n in names}
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=_may_quote(path, head)),
            convert_options=pacsv.ConvertOptions(column_types=column_types, strings_can_be_null=True,
                                                 null_values=[""], quoted_strings_can_be_null=True),
        )
    except pa.ArrowInvalid as exc:
        msg = str(exc)
        if "UTF8" in msg or "utf8" in msg.lower():
            raise FileFormatError(f"{path}: is not UTF-8 text; save the export as UTF-8 CSV") from None
        detail = msg.split("\n")[0].split(": ", 1)[-1] if "CSV parse error" in msg else msg.split("\n")[0]
        row = _first_ragged_row(path, delimiter, len(names))
        where = f" at row {row}" if row else ""
        raise FileFormatError(
            f"{path}: is not a well-formed CSV file{where}: {detail.split(':')[0]}; expected {len(names)} cells per row like the header"
        ) from None
    names, columns = table.column_names, table.columns
    del table  # each column's strings are freed once it is encoded
    return _arrow_to_pandas(names, columns, timestamps)


def _may_quote(path: Path, head: bytes) -> bool:
    """Whether a quote follows the header line, so that quoted values may hold newlines.

    Arrow splits a file into blocks and parses them in parallel only when values
    cannot contain newlines; a file without any quote after its header has none.
    """
    if path.name.lower().endswith(".gz"):
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


def _first_ragged_row(path: Path, delimiter: str, width: int) -> int | None:
    """Spreadsheet row number of the first row whose cell count differs from the header's (only on error)."""
    import csv

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
            for i, row in enumerate(csv.reader(fh, delimiter=delimiter), start=1):
                if row and len(row) != width:
                    return i
    except (UnicodeDecodeError, csv.Error):
        return None
    return None


def _arrow_to_pandas(
    names: list[str], columns: list[pa.ChunkedArray], timestamps: tuple[str, str] | None = None
) -> pd.DataFrame:
    """Arrow columns to a frame: strings and dictionaries become categoricals of ``str`` objects.

    ``timestamps`` is ``(column, tz)``: that column becomes ``datetime64[ns, UTC]``
    when :func:`~cop.timestamps.parse_iso_arrow` parses all of it (else a
    categorical like the others, parsed later with the precise messages).
    Columns are converted in parallel (Arrow releases the GIL); ``columns`` is
    emptied as it goes, so each Arrow column is released once converted.
    """
    def convert(i: int):
        col, columns[i] = columns[i], None
        if timestamps is not None and names[i] == timestamps[0]:
            parsed = parse_iso_arrow(col, timestamps[1])
            if parsed is not None:
                return pd.Series(pd.to_datetime(parsed).tz_localize("UTC"))
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = pc.dictionary_encode(col)  # one shared dictionary for all chunks
        if pa.types.is_dictionary(col.type):
            return _dictionary_to_categorical(col)
        return col.to_pandas()

    n = len(names)
    workers = min(n, os.cpu_count() or 1, 4)
    if workers > 1:
        # the widest columns first, so that the long ones do not start last
        order = sorted(range(n), key=lambda i: -columns[i].nbytes)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {i: pool.submit(convert, i) for i in order}
            converted = {i: futures[i].result() for i in range(n)}
    else:
        converted = {i: convert(i) for i in range(n)}
    return pd.DataFrame({names[i]: converted.pop(i) for i in range(n)})


def _dictionary_to_categorical(col: pa.ChunkedArray) -> pd.Categorical:
    chunks = list(col.chunks)
    if not chunks:
        return pd.Categorical.from_codes(np.array([], dtype=np.int32), categories=pd.Index([], dtype=object), validate=False)
    first = chunks[0].dictionary
    if any(not _same_array(c.dictionary, first) for c in chunks[1:]):
        chunks = list(col.unify_dictionaries().chunks)
        first = chunks[0].dictionary
    dictionary = first.to_numpy(zero_copy_only=False).astype(object, copy=False)
    # missing cells (null indices) get code -1
    codes = np.concatenate([c.indices.fill_null(-1).to_numpy(zero_copy_only=False) for c in chunks]).astype(np.int32, copy=False)
    # Arrow's dictionary holds distinct values: skip pandas' uniqueness check (a hash
    # of every category) when pandas offers the unchecked constructor
    fastpath = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fastpath is not None and first.null_count == 0:
        dtype = fastpath(pd.Index(dictionary, dtype=object), False)
    else:
        try:
            dtype = pd.CategoricalDtype(pd.Index(dictionary, dtype=object))  # checks that the values are unique
        except ValueError:  # pragma: no cover - Arrow dictionaries are unique
            return pd.Categorical(dictionary[np.maximum(codes, 0)])
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _same_array(a: pa.Array, b: pa.Array) -> bool:
    """Whether two Arrow arrays are views of the same buffers (a cheap identity test)."""
    if a is b:
        return True
    if len(a) != len(b) or a.offset != b.offset:
        return False
    return [x.address if x is not None else None for x in a.buffers()] == [x.address if x is not None else None for x in b.buffers()]


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileFormatError(f"{path}: is not a Parquet file ({str(exc).splitlines()[0]})") from None
    return table.to_pandas()


def _read_jsonl(path: Path) -> pd.DataFrame:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    records = []
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        try:
            first = fh.read(1)
            fh.seek(0)
            if first == "[":  # a JSON array of records
                try:
                    data = json.load(fh)
                except json.JSONDecodeError as exc:
                    raise FileFormatError(f"{path}: is not valid JSON (line {exc.lineno}: {exc.msg})") from None
                if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                    raise FileFormatError(f"{path}: expected JSON Lines or an array of objects")
                return pd.DataFrame.from_records(data)
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise FileFormatError(f"{path}: line {lineno} is not valid JSON ({exc.msg}); expected one JSON object per line") from None
                if not isinstance(rec, dict):
                    raise FileFormatError(f"{path}: line {lineno} is not a JSON object; expected one object per line")
                records.append(rec)
        except UnicodeDecodeError:
            raise FileFormatError(f"{path}: is not UTF-8 text") from None
    if not records:
        raise FileFormatError(f"{path}: is empty; expected one JSON object per line")
    return pd.DataFrame.from_records(records)


def read_table(path: str | os.PathLike[str], *, format: str | None = None) -> tuple[pd.DataFrame, Source]:
    """Read a CSV, Parquet or JSON Lines file into a raw DataFrame and its :class:`Source`.

    Raises :class:`~cop.exceptions.FileFormatError` for a missing, empty or
    mislabelled file.
    """
    return _read_table(path, format=format)


def _read_table(
    path: str | os.PathLike[str], *, format: str | None = None, timestamps: tuple[str, str] | None = None
) -> tuple[pd.DataFrame, Source]:
    """:func:`read_table`; a CSV's ``timestamps = (column, tz)`` may come back already parsed."""
    p = Path(path)
    fmt = format or detect_format(p)
    if fmt not in ("csv", "parquet", "jsonl"):
        raise FileFormatError(f"parameter 'format': {fmt!r} is not one of csv, parquet, jsonl")
    if not p.exists():
        raise FileFormatError(f"{p}: no such file")
    if p.is_dir():
        raise FileFormatError(f"{p}: is a folder; expected a file")
    if p.stat().st_size == 0:
        raise FileFormatError(f"{p}: is empty; expected a header line and rows")
    source = Source.file(p, fmt)
    if fmt == "csv":
        frame = _read_csv(p, source, timestamps)
    elif fmt == "parquet":
        frame = _read_parquet(p)
    else:
        frame = _read_jsonl(p)
    if frame.shape[1] == 0:
        raise FileFormatError(f"{p}: has no columns")
    return frame, source


def read_activities(
    path: str | os.PathLike[str],
    members: str | os.PathLike[str] | pd.DataFrame | None = None,
    activities: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    mapping: Mapping[str, str] | None = None,
    member_mapping: Mapping[str, str] | None = None,
    tz: str = "UTC",
    format: str | None = None,
    emit_warnings: bool = True,
) -> ActivityLog:
    """Load a participation export (and optional side tables) into an :class:`ActivityLog`.

    Parameters
    ----------
    path : path-like
        The participation log, or a ``source,target,timestamp[,kind]`` edge list.
        A folder written by :func:`write_log` or ``cop simulate`` is read as a
        whole: its ``activities.csv``, and its ``members.csv`` and
        ``activity_details.csv`` when present and not given explicitly.
    members, activities : path-like or DataFrame, optional
        The members table and the activities table.
    mapping : dict, optional
        ``{cop_column: your_header}``, e.g. ``{"member_id": "Email"}``.
    member_mapping : dict, optional
        The same for the members table.
    tz : str, default "UTC"
        Zone of timestamps without one (e.g. ``"Europe/Helsinki"``).
    format : {"csv", "parquet", "jsonl"}, optional
        Override the format the file name says.
    emit_warnings : bool, default True
        Issue notes as :class:`~cop.exceptions.DataWarning` too.

    Returns
    -------
    ActivityLog
    """
    if Path(path).is_dir():
        folder = Path(path)
        path = folder / LOG_FILES["activities"]
        if not path.exists():
            raise FileFormatError(f"{folder}: is a folder without {LOG_FILES['activities']}; expected a file or a folder written by cop")
        if members is None and (folder / LOG_FILES["members"]).exists():
            members = folder / LOG_FILES["members"]
        if activities is None and (folder / LOG_FILES["details"]).exists():
            activities = folder / LOG_FILES["details"]
    frame, source = _read_table(path, format=format, timestamps=_timestamp_header(mapping, tz))
    mframe = msrc = aframe = asrc = None
    if members is not None:
        mframe, msrc = (members, Source.frame("<members DataFrame>")) if isinstance(members, pd.DataFrame) else read_table(members)
    if activities is not None:
        aframe, asrc = (activities, Source.frame("<activities DataFrame>")) if isinstance(activities, pd.DataFrame) else read_table(activities)
    return ActivityLog.from_frame(
        frame, mframe, aframe, mapping=mapping, member_mapping=member_mapping, tz=tz,
        source=source, members_source=msrc, activities_source=asrc, emit_warnings=emit_warnings,
    )


def _timestamp_header(mapping: Mapping[str, str] | None, tz: str) -> tuple[str, str] | None:
    """``(header, tz)`` of the column that becomes ``timestamp`` under ``mapping``, if unambiguous.

    That column may be parsed while reading (see :func:`_arrow_to_pandas`); a header
    that the mapping also gives to another column is left as text.
    """
    if not isinstance(tz, str):
        return None
    mapping = dict(mapping or {})
    header = mapping.get("timestamp", "timestamp")
    if not isinstance(header, str) or list(mapping.values()).count(header) > (1 if "timestamp" in mapping else 0):
        return None
    return header, tz


def write_csv(frame: pd.DataFrame, target: str | os.PathLike[str]) -> Path:
    """Write a table as CSV atomically, timestamps as ISO 8601 UTC (``2024-03-01T09:00:00Z``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_csv(pd.DataFrame({"t": pd.to_datetime(["2024-03-01 09:00"], utc=True)}),
    ...               pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> p.read_text().splitlines()
    ['t', '2024-03-01T09:00:00Z']
    """
    target = Path(target)
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col].dtype):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ").where(out[col].notna(), "")
    with atomic_path(target) as tmp:
        out.to_csv(tmp, index=False, lineterminator="\n")
    return target


def write_log(log: ActivityLog, directory: str | os.PathLike[str]) -> dict[str, Path]:
    """Write a log as ``activities.csv``, ``members.csv`` and ``activity_details.csv``.

    Each file is written atomically; side tables are written only when the log
    has them.  Reading the folder back with :func:`read_activities` gives the
    same log.

    Returns
    -------
    dict
        ``{"activities": path, "members": path, "details": path}`` of written files.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    rows = log.data.copy()
    rows["weight"] = rows["weight"].map(lambda w: f"{w:g}")
    write_csv(rows, directory / LOG_FILES["activities"])
    written["activities"] = directory / LOG_FILES["activities"]
    if log.members_table is not None:
        write_csv(log.members_table, directory / LOG_FILES["members"])
        written["members"] = directory / LOG_FILES["members"]
    if log.activities_table is not None:
        write_csv(log.activities_table, directory / LOG_FILES["details"])
        written["details"] = directory / LOG_FILES["details"]
    return written
