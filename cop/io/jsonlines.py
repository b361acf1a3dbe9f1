"""The JSON Lines reader (``.jsonl``, ``.ndjson``, ``.json``; optionally gzipped).

One JSON object per line (blank lines are skipped, and messages give the line
of the file), or one JSON array of objects.  A key given twice in one object,
and a value that is itself an object or an array, are errors naming the file,
the line and the key.

Examples
--------
>>> import tempfile, pathlib
>>> from cop.io.jsonlines import read_jsonl
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.jsonl"
>>> _ = p.write_text('{"member_id": "ann"}\\n\\n{"member_id": "bo"}\\n')
>>> frame, source = read_jsonl(p)
>>> frame["member_id"].tolist(), source.rows([1])
(['ann', 'bo'], 'line 3')
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import FileFormatError, ValueFormatError
from cop.io._text import open_text
from cop.io.registry import Reader, register_reader

__all__ = ["read_jsonl", "READER"]


class _RepeatedKey(ValueError):
    pass


def _object(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKey(key)
        out[key] = value
    return out


def _check_record(path: Path, rec: dict, where: str) -> None:
    for key, value in rec.items():
        if isinstance(value, (dict, list)):
            kind = "an object" if isinstance(value, dict) else "an array"
            raise ValueFormatError(f"{path}, column '{key}': {where} holds {kind}; expected a text, number, boolean or null value")


def read_jsonl(path: Path, timestamps: tuple[str, str] | None = None) -> tuple[pd.DataFrame, Source]:
    """Read a JSON Lines file (or a JSON array of objects) into a frame, and its :class:`Source`."""
    path = Path(path)
    records = []
    lines: list[int] = []
    with open_text(path) as fh:
        try:
            first = fh.read(1)
            fh.seek(0)
            if first == "[":  # a JSON array of records
                try:
                    data = json.load(fh, object_pairs_hook=_object)
                except json.JSONDecodeError as exc:
                    raise FileFormatError(f"{path}: is not valid JSON (line {exc.lineno}: {exc.msg})") from None
                except _RepeatedKey as exc:
                    raise FileFormatError(f"{path}: an object names the key {exc.args[0]!r} twice; expected each key once") from None
                if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                    raise FileFormatError(f"{path}: expected JSON Lines or an array of objects")
                for i, rec in enumerate(data, start=1):
                    _check_record(path, rec, f"record {i}")
                if not data:
                    raise FileFormatError(f"{path}: is an empty array; expected objects")
                return pd.DataFrame.from_records(data), Source.file(path, "frame")
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line, object_pairs_hook=_object)
                except json.JSONDecodeError as exc:
                    raise FileFormatError(f"{path}: line {lineno} is not valid JSON ({exc.msg}); expected one JSON object per line") from None
                except _RepeatedKey as exc:
                    raise FileFormatError(f"{path}: line {lineno} names the key {exc.args[0]!r} twice; expected each key once") from None
                if not isinstance(rec, dict):
                    raise FileFormatError(f"{path}: line {lineno} is not a JSON object; expected one object per line")
                _check_record(path, rec, f"line {lineno}")
                records.append(rec)
                lines.append(lineno)
        except UnicodeDecodeError:
            raise FileFormatError(f"{path}: is not UTF-8 text") from None
    if not records:
        raise FileFormatError(f"{path}: is empty; expected one JSON object per line")
    at = np.asarray(lines, dtype=np.int64)
    blank = bool(at[-1] != len(at))  # some lines were skipped
    return pd.DataFrame.from_records(records), Source.file(path, "jsonl", lines=(lambda: at) if blank else None)


READER = register_reader(Reader(name="jsonl", read=read_jsonl, suffixes=(".jsonl", ".ndjson", ".json"),
                                description="JSON Lines (one object per line) or a JSON array of objects"))
