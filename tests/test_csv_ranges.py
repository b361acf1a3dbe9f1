"""A CSV file parsed as byte ranges on threads (cop.io.csvfile._SPLIT lowered) gives what one reader gives.

The same frames (values, categories and their order, dtypes), the same log,
and the same errors, naming the same file, row and column, whichever range
the problem is in.  These are Arrow's ranges: the compiled reader of files
without quotes (cop.io._unquoted, compared with Arrow in test_io_unquoted.py)
is turned off here.
"""

import gzip
import re

import numpy as np
import pandas as pd
import pytest

import cop
import cop.io._unquoted as unquoted
import cop.io.csvfile as csvfile
from cop.io._text import read_head
from cop.io.csvfile import read_csv

HEADER = "activity_id,member_id,timestamp,kind,topic,weight"


@pytest.fixture(autouse=True)
def _arrow_only(monkeypatch):
    monkeypatch.setattr(unquoted, "AVAILABLE", False)


def _rows(n, start=0, stamp=None):
    out = []
    for i in range(start, start + n):
        ts = stamp(i) if stamp is not None else f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+02:00"
        topic = "" if i % 11 == 0 else ("AI; Design" if i % 3 else "health")
        out.append(f"a{(i * 7) % 53},m{(i * 13) % 31},{ts},{'event' if i % 4 else 'interaction'},{topic},{'' if i % 5 == 0 else i % 3}")
    return out


def _write(path, lines, newline="\n", end=True, data=None):
    text = newline.join(lines) + (newline if end else "")
    path.write_bytes(data if data is not None else text.encode())
    return path


class _Spy:
    """Counts the calls of csvfile._arrow_read_ranges (that the split path really ran)."""

    def __init__(self, monkeypatch):
        self.calls = []
        real = csvfile._arrow_read_ranges

        def spy(path, names, delimiter, column_types, ranges):
            self.calls.append(ranges)
            return real(path, names, delimiter, column_types, ranges)

        monkeypatch.setattr(csvfile, "_arrow_read_ranges", spy)


def _outcome(fn):
    try:
        return fn(), None
    except Exception as exc:  # noqa: BLE001 - the error is part of the outcome compared
        return None, exc


def _both(monkeypatch, fn, parts=2, split_used=True):
    """``fn()`` with one reader, and with the file split in ``parts`` ranges: (one, split)."""
    monkeypatch.setattr(csvfile, "_SPLIT", 1 << 62)
    one = _outcome(fn)
    spy = _Spy(monkeypatch)
    monkeypatch.setattr(csvfile, "_SPLIT", 0)
    monkeypatch.setattr(csvfile, "_PARTS", parts)
    split = _outcome(fn)
    if split_used is not None:
        assert bool(spy.calls) == split_used
    if spy.calls:
        assert all(len(r) == parts for r in spy.calls)
    return one, split


def _same_frame(a, b):
    pd.testing.assert_frame_equal(a, b, check_exact=True, check_categorical=True)
    assert a.dtypes.tolist() == b.dtypes.tolist()
    for col in a.columns:
        if isinstance(a[col].dtype, pd.CategoricalDtype):
            assert a[col].cat.categories.tolist() == b[col].cat.categories.tolist()  # the same order too
            np.testing.assert_array_equal(a[col].cat.codes.to_numpy(), b[col].cat.codes.to_numpy())


def _same_error(one, split):
    assert one[0] is None and split[0] is None, "expected both paths to fail"
    assert type(one[1]) is type(split[1])
    assert str(one[1]) == str(split[1])
    return str(one[1])


@pytest.mark.parametrize("parts", [2, 3])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("quoted_header", [False, True])
def test_split_read_gives_the_same_frame(tmp_path, monkeypatch, parts, newline, quoted_header):
    header = ",".join(f'"{n}"' for n in HEADER.split(",")) if quoted_header else HEADER
    lines = [header] + _rows(500)
    lines[120:120] = ["", ""]  # blank lines, skipped by either path
    lines[300:300] = [""]
    p = _write(tmp_path / "t.csv", lines, newline)
    for timestamps in (None, ("timestamp", "UTC")):
        one, split = _both(monkeypatch, lambda: read_csv(p, timestamps=timestamps), parts)
        _same_frame(one[0][0], split[0][0])
        assert len(split[0][0]) == 500
        assert one[0][1].rows([130, 400]) == split[0][1].rows([130, 400]) == "rows 134, 405"


@pytest.mark.parametrize("case", ["no final newline", "bom", "semicolons", "blank second half", "one row each", "all missing"])
def test_split_read_edge_files(tmp_path, monkeypatch, case):
    lines, sep, data = [HEADER] + _rows(200), ",", None
    if case == "no final newline":
        p = _write(tmp_path / "t.csv", lines, end=False)
    elif case == "bom":
        p = _write(tmp_path / "t.csv", lines, data=b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode())
    elif case == "semicolons":
        p = _write(tmp_path / "t.csv", [line.replace(";", "/").replace(",", ";") for line in lines])
        sep = ";"
    elif case == "blank second half":  # the middle falls in blank lines: the second range holds no row
        p = _write(tmp_path / "t.csv", lines[:3] + [""] * 200)
    elif case == "one row each":
        p = _write(tmp_path / "t.csv", lines[:3])
    else:
        p = _write(tmp_path / "t.csv", [HEADER] + [",,,,,"] * 50)
    # two rows: the middle may fall in the last line, and then there is one range
    one, split = _both(monkeypatch, lambda: read_csv(p, timestamps=("timestamp", "UTC")),
                       split_used=None if case == "one row each" else True)
    _same_frame(one[0][0], split[0][0])
    assert one[0][0].columns.tolist() == HEADER.split(sep if sep == "," else ",")


def test_split_log_is_the_same(tmp_path, monkeypatch):
    p = _write(tmp_path / "log.csv", [HEADER] + _rows(3000))
    one, split = _both(monkeypatch, lambda: cop.read_activities(p, emit_warnings=False))
    _same_frame(one[0].data, split[0].data)
    assert one[0].warnings == split[0].warnings
    _same_frame(one[0].members, split[0].members)


def test_bad_timestamp_in_the_second_half_names_its_row(tmp_path, monkeypatch):
    lines = [HEADER] + _rows(400)
    lines[50:50] = [""]  # a blank line before the split: rows are not lines
    bad = lines[351].split(",")
    bad[2] = "2024-02-30T09:00:00+02:00"  # no such day
    lines[351] = ",".join(bad)
    p = _write(tmp_path / "bad.csv", lines)
    one, split = _both(monkeypatch, lambda: cop.read_activities(p, emit_warnings=False))
    msg = _same_error(one, split)
    assert "bad.csv" in msg and "column 'timestamp'" in msg and re.search(r"at row 352\b", msg)  # the file's line 352


def test_other_timestamp_form_in_the_second_half(tmp_path, monkeypatch):
    # Arrow's typed read fails in the second range; the column is read again as text, with the same result
    lines = [HEADER] + _rows(300) + _rows(5, 300, stamp=lambda i: f"2024-04-0{1 + i % 5} 10:00")
    p = _write(tmp_path / "mixed.csv", lines)
    one, split = _both(monkeypatch, lambda: cop.read_activities(p, emit_warnings=False))
    _same_frame(one[0].data, split[0].data)
    assert one[0].warnings == split[0].warnings
    one, split = _both(monkeypatch, lambda: read_csv(p, timestamps=("timestamp", "UTC")))
    _same_frame(one[0][0], split[0][0])


def test_missing_timestamp_in_the_second_half(tmp_path, monkeypatch):
    lines = [HEADER] + _rows(300) + _rows(3, 300, stamp=lambda i: "")
    p = _write(tmp_path / "missing.csv", lines)
    one, split = _both(monkeypatch, lambda: cop.read_activities(p, emit_warnings=False))
    if one[1] is not None:
        assert "at rows 302, 303, 304;" in _same_error(one, split)
    else:
        _same_frame(one[0].data, split[0].data)
        assert one[0].warnings == split[0].warnings


@pytest.mark.parametrize("where", [30, 280])
def test_ragged_row_named_in_either_half(tmp_path, monkeypatch, where):
    lines = [HEADER] + _rows(300)
    lines[where] = lines[where].rsplit(",", 2)[0]  # two cells short
    p = _write(tmp_path / "ragged.csv", lines)
    one, split = _both(monkeypatch, lambda: read_csv(p, timestamps=("timestamp", "UTC")))
    msg = _same_error(one, split)
    assert f"at row {where + 1}" in msg
    one, split = _both(monkeypatch, lambda: cop.read_activities(p, emit_warnings=False))
    _same_error(one, split)


def test_not_utf8_in_the_second_half(tmp_path, monkeypatch):
    lines = [HEADER] + _rows(3000)  # more than the 64 KiB head, which is checked before Arrow reads
    data = ("\n".join(lines) + "\n").encode()
    at = data.index(b"\n", len(data) * 3 // 4) + 4
    data = data[:at] + b"\xe9" + data[at:]
    p = _write(tmp_path / "latin.csv", lines, data=data)
    one, split = _both(monkeypatch, lambda: read_csv(p))
    assert "is not UTF-8" in _same_error(one, split)


def test_nul_byte_in_the_second_half(tmp_path, monkeypatch):
    lines = [HEADER] + _rows(300)
    lines[250] = lines[250].replace("event", "ev\x00ent").replace("chat", "ch\x00at")
    p = _write(tmp_path / "nul.csv", lines)
    one, split = _both(monkeypatch, lambda: read_csv(p))
    msg = _same_error(one, split)
    assert "NUL" in msg and "row 251" in msg


def test_quotes_after_the_header_keep_one_reader(tmp_path, monkeypatch):
    lines = [HEADER] + _rows(100) + ['a1,m1,2024-03-01T09:00:00Z,event,"AI, and\nDesign",1'] + _rows(100, 100)
    p = _write(tmp_path / "quoted.csv", lines)
    one, split = _both(monkeypatch, lambda: read_csv(p), split_used=False)
    _same_frame(one[0][0], split[0][0])
    assert split[0][1].rows([101]) == "row 104"


@pytest.mark.parametrize("header", ['a"b,"c', 'a, "b"', '"a"x,b'])
def test_header_quote_not_wrapping_a_name_keeps_one_reader(tmp_path, monkeypatch, header):
    p = _write(tmp_path / "h.csv", [header] + ["1,2"] * 50)
    one, split = _both(monkeypatch, lambda: read_csv(p), split_used=False)
    if one[1] is None:
        _same_frame(one[0][0], split[0][0])
    else:
        _same_error(one, split)


def test_gzip_and_small_files_keep_one_reader(tmp_path, monkeypatch):
    text = "\n".join([HEADER] + _rows(100)) + "\n"
    gz = tmp_path / "t.csv.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    one, split = _both(monkeypatch, lambda: read_csv(gz), split_used=False)
    _same_frame(one[0][0], split[0][0])
    small = _write(tmp_path / "small.csv", [HEADER] + _rows(10))
    monkeypatch.setattr(csvfile, "_SPLIT", small.stat().st_size + 1)
    assert csvfile._ranges(small, read_head(small), ",") is None
    monkeypatch.setattr(csvfile, "_SPLIT", small.stat().st_size)
    assert csvfile._ranges(small, read_head(small), ",") is not None


@pytest.mark.parametrize("parts", [2, 3, 5])
def test_ranges_end_after_newlines_and_cover_the_rows(tmp_path, monkeypatch, parts):
    p = _write(tmp_path / "t.csv", [HEADER] + _rows(40))
    data = p.read_bytes()
    monkeypatch.setattr(csvfile, "_SPLIT", 0)
    monkeypatch.setattr(csvfile, "_PARTS", parts)
    ranges = csvfile._ranges(p, read_head(p), ",")
    assert len(ranges) == parts
    assert ranges[0][0] == len(HEADER) + 1 and ranges[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    assert all(data[hi - 1:hi] == b"\n" for _, hi in ranges)


@pytest.mark.parametrize("line, whole", [
    (b"a,b", True), (b'"a","b"', True), (b'"a ""x""",b', True), (b'"a,b",c', True),
    (b'a"b,"c', False), (b'a, "b"', False), (b'"a', False), (b'"a"x,b', False),
])
def test_whole_quotes(line, whole):
    assert csvfile._whole_quotes(line, ",") is whole
