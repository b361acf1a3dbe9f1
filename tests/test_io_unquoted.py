"""The compiled reader of files without quotes (cop.io._unquoted) gives what Arrow's reader gives.

On generated files (text with accents, empty cells, CRLF, blank lines, rows of
the wrong width, stray carriage returns, bytes that are not UTF-8, timestamps
strict, loose and impossible, whole or split into ranges) ``read_csv`` and
``read_activities`` give the same frames (values, categories and their order,
dtypes) or the same error with either reader; and the compiled reader really
runs on plain files.
"""

import shutil
import sysconfig
from contextlib import contextmanager
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cop
import cop.io._unquoted as unquoted
import cop.io.csvfile as csvfile
from cop.io.csvfile import read_csv

needs_compiled = pytest.mark.skipif(not unquoted.AVAILABLE, reason="cop.io._fastcsv was not built (no C compiler)")


def test_the_compiled_reader_is_built_where_a_compiler_is():
    """Its build is optional (no compiler: Arrow reads every file), so a failed build must show somewhere."""
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        pytest.skip(f"no C compiler ({compiler}) on this machine")
    assert unquoted.AVAILABLE


@contextmanager
def _arrow_only():
    with mock.patch.object(unquoted, "AVAILABLE", False):
        yield


@contextmanager
def _split(on: bool, parts: int = 2):
    """Files of any size read as ``parts`` byte ranges on as many threads (``on``), or as one."""
    with mock.patch.object(csvfile, "_SPLIT", 0 if on else 1 << 40), mock.patch.object(csvfile, "_PARTS", parts):
        yield


@contextmanager
def _scalar(on: bool):
    """The compiled reader splitting lines byte by byte (``on``), as where SSE2 is missing, or 64 bytes at a time."""
    if not unquoted.AVAILABLE:
        yield
        return
    before = unquoted._fastcsv.set_scalar(on)
    try:
        yield
    finally:
        unquoted._fastcsv.set_scalar(before)


def _outcome(fn):
    try:
        return fn(), None
    except Exception as exc:  # noqa: BLE001 - the error is part of the outcome compared
        return None, f"{type(exc).__name__}: {exc}"


def _same_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    for col in a.columns:
        x, y = a[col], b[col]
        assert x.dtype == y.dtype, col
        if isinstance(x.dtype, pd.CategoricalDtype):
            assert list(x.cat.categories) == list(y.cat.categories), col
            np.testing.assert_array_equal(x.cat.codes.to_numpy(), y.cat.codes.to_numpy(), err_msg=col)
        else:
            np.testing.assert_array_equal(x.to_numpy(), y.to_numpy(), err_msg=col)


def _compare(fn):
    """``fn()`` with the compiled reader and with Arrow's: the same frame(s) or the same error."""
    fast, fast_err = _outcome(fn)
    with _arrow_only():
        slow, slow_err = _outcome(fn)
    assert fast_err == slow_err
    if fast is None:
        return fast_err
    frames = (lambda r: [r[0]] if isinstance(r, tuple) else [r.data, r.members])
    for x, y in zip(frames(fast), frames(slow)):
        _same_frames(x, y)
    return None


ZONED = ["2024-03-01T09:00:00+02:00", "2024-03-01 07:00:00Z", "2024-02-29T23:59:59.5-05:30", "2023-12-31T23:00:00.123456789Z",
         "2024-10-27T01:30:00+23:59"]
NAIVE = ["2024-03-01T09:00:00", "2024-03-01 10:11", "2024-03-02", "2024-03-01T09:00:00.25"]
ODD = ["", "2023-02-29T00:00:00Z", "2024-01-01T00:00:60Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+24:00",
       "1600-01-01T00:00:00Z", "2300-01-01T00:00:00Z", "2024-01-01T09:00+02:00", "2024-01-01T09:00:00+0200",
       "03/14/2024 18:30", "2024-01-01T00:00:00.1234567891Z", "2024-1-01T00:00:00Z", "45352", "2024-01-01T00:00:00 Z"]
TEXT = ["a", "b", "é", "", "", "x y", "member-1@example.org", "NA", "0", "1.5", "Anna ", "ünïcödé-ünïcödé-ünïcödé-long-value"]


@st.composite
def _files(draw):
    n_text = draw(st.integers(0, 3))
    with_stamp = draw(st.booleans()) or n_text == 0
    names = [f"c{i}" for i in range(n_text)]
    stamp_at = draw(st.integers(0, n_text)) if with_stamp else None
    if stamp_at is not None:
        names.insert(stamp_at, "timestamp")
    pool = draw(st.sampled_from([ZONED, NAIVE, ZONED + NAIVE, ZONED + ODD, NAIVE + ODD]))
    n_rows = draw(st.integers(0, 40))
    rows = []
    for _ in range(n_rows):
        cells = [draw(st.sampled_from(pool)) if n == "timestamp" else draw(st.sampled_from(TEXT)) for n in names]
        defect = draw(st.sampled_from(["none"] * 12 + ["short", "long", "cr", "latin1", "blank", "quote"]))
        line = ",".join(cells)
        if defect == "short" and "," in line:
            line = line.rsplit(",", 1)[0]
        elif defect == "long":
            line += ",extra"
        elif defect == "cr":
            line = line.replace(",", "\r", 1) if "," in line else line + "\rx"
        elif defect == "blank":
            rows.append("")
        elif defect == "quote":
            line = '"' + line.replace(",", '",', 1) if "," in line else line + '"'  # Arrow reads it; the compiled reader gives up
        rows.append(line.encode() if defect != "latin1" else line.encode() + b"\xe9")
    newline = draw(st.sampled_from([b"\n", b"\r\n"]))
    body = newline.join([",".join(names).encode()] + [r.encode() if isinstance(r, str) else r for r in rows])
    body += draw(st.sampled_from([b"", newline, b"\r", b"\n\n"]))  # the last line ended or not
    return body, with_stamp


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_files(), st.sampled_from([0, 2, 3]), st.sampled_from(["UTC", "Europe/Oslo"]), st.booleans())
def test_read_csv_gives_what_arrow_gives(tmp_path_factory, case, parts, tz, scalar):
    body, with_stamp = case
    path = tmp_path_factory.mktemp("unquoted") / "log.csv"
    path.write_bytes(body)
    with _split(parts > 0, max(parts, 2)), _scalar(scalar):
        _compare(lambda: read_csv(path, ("timestamp", tz) if with_stamp else None))


ACTIVITY = "activity_id,member_id,timestamp,kind,topic,weight"


def _activity_rows(n, stamp=lambda i: f"2024-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+02:00"):
    return [f"a{(i * 7) % 53},m{(i * 13) % 31},{stamp(i)},{'event' if i % 4 else 'interaction'},"
            f"{'' if i % 11 == 0 else ('AI; Design' if i % 3 else 'health')},{'' if i % 5 == 0 else i % 3}" for i in range(n)]


@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("stamp", [None, lambda i: f"2024-03-{1 + i % 28:02d} {i % 24:02d}:00"])
def test_read_activities_gives_what_arrow_gives(tmp_path, split, stamp):
    path = tmp_path / "log.csv"
    rows = _activity_rows(400) if stamp is None else _activity_rows(400, stamp)
    path.write_text("\n".join([ACTIVITY, *rows, *rows[:7]]) + "\n")  # with exact duplicates, noted
    with _split(split):
        assert _compare(lambda: cop.read_activities(path, emit_warnings=False)) is None


@needs_compiled
@pytest.mark.parametrize("header", [ACTIVITY, ",".join(f'"{n}"' for n in ACTIVITY.split(","))])
@pytest.mark.parametrize("split", [False, True])
def test_the_compiled_reader_reads_plain_files(tmp_path, split, header):
    """It runs (also under a header of quoted names, as Arrow's writer makes), one dictionary per column for the whole file."""
    path = tmp_path / "log.csv"
    path.write_text("\n".join([header, *_activity_rows(300)]) + "\n")
    calls = []
    real = unquoted._fastcsv.read

    def spy(*args):
        calls.append(args[1])
        return real(*args)

    with _split(split), mock.patch.object(unquoted._fastcsv, "read", spy):
        frame, _ = read_csv(path, ("timestamp", "UTC"))
    assert [len(ranges) for ranges in calls] == [2 if split else 1]
    expected = list(dict.fromkeys(f"a{(i * 7) % 53}" for i in range(300)))
    assert list(frame["activity_id"].cat.categories) == expected
    assert frame["timestamp"].iloc[1] == pd.Timestamp("2024-03-02T01:01:00+02:00")
    assert frame["topic"].isna().sum() == len(range(0, 300, 11))


@needs_compiled
@pytest.mark.parametrize("defect, expected", [
    (b"a1,m1,2024-03-01T09:00:00Z,event,AI\n", "expected 6 cells per row"),
    (b"a1,m1,2024-03-01T09:00:00Z,event,AI,1,2\n", "expected 6 cells per row"),
    (b"a1,m\xe9,2024-03-01T09:00:00Z,event,AI,1\n", "is not UTF-8 text"),
])
def test_a_defect_gives_arrows_message(tmp_path, defect, expected):
    """The compiled reader gives up on the row, and Arrow's reader names it (the same message either way)."""
    path = tmp_path / "log.csv"
    rows = "\n".join(_activity_rows(50)).encode()
    path.write_bytes(ACTIVITY.encode() + b"\n" + rows + b"\n" + defect + rows + b"\n")
    error = _compare(lambda: read_csv(path, ("timestamp", "UTC")))
    assert error is not None and expected in error


@needs_compiled
def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="bad arguments"):
        unquoted._fastcsv.read("x.csv", [], 2, ",", -1, 0)
    with pytest.raises(ValueError, match="each range"):
        unquoted._fastcsv.read("x.csv", [(5, 2)], 2, ",", -1, 0)
    with pytest.raises(FileNotFoundError):
        unquoted._fastcsv.read("/nonexistent/x.csv", [(0, 2)], 2, ",", -1, 0)


def test_a_late_loose_timestamp_is_read_by_the_general_path(tmp_path):
    """A value of another form after the sampled head: the column as text, then the general parser (either reader)."""
    path = tmp_path / "log.csv"
    path.write_text("\n".join([ACTIVITY, *_activity_rows(3000), "a1,m1,03/14/2024 18:30,event,AI,1"]) + "\n")
    error = _compare(lambda: cop.read_activities(path, emit_warnings=False))
    assert error is not None and "row 3002" in error and "03/14/2024 18:30" in error


@needs_compiled
@pytest.mark.parametrize("newline, split", [("\n", False), ("\r\n", True)])
def test_a_file_of_several_read_blocks_is_read_alike(tmp_path, newline, split):
    """Lines across the 4 MiB read blocks, blank ones and long values: both splitters and Arrow give one frame."""
    rows = _activity_rows(180_000)
    for i in range(0, len(rows), 997):  # a long value now and then, and a blank line
        rows[i] = rows[i].replace(",m", ",member-" + "x" * (i % 300) + "-m", 1)
        rows.insert(i + 1, "")
    path = tmp_path / "log.csv"
    path.write_text(newline.join([ACTIVITY, *rows]), newline="")
    assert path.stat().st_size > 2 * (4 << 20)
    with _split(split):
        with _scalar(True):
            scalar, _ = read_csv(path, ("timestamp", "UTC"))
        with _scalar(False):
            vector, _ = read_csv(path, ("timestamp", "UTC"))
        with _arrow_only():
            arrow, _ = read_csv(path, ("timestamp", "UTC"))
    assert len(vector) == 180_000
    _same_frames(vector, scalar)
    _same_frames(vector, arrow)
