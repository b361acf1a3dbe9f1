"""The CSV reader's fast way (text read as bytes and dictionary-encoded afterwards, only distinct values checked as
UTF-8; ISO timestamps parsed while reading, on one thread) gives what the exact way gives: the same rows read by
Python's csv module into a frame of strings, through :meth:`ActivityLog.from_frame`; and a malformed value deep in a
file (past Arrow's first 16 MiB block) gets the same clear error with the right row or line."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import cop
from cop._locate import Source
from cop.exceptions import CopError, FileFormatError, ValueFormatError

HEADER = ["activity_id", "member_id", "timestamp", "kind", "role", "topic", "weight", "channel"]


def _exact(path, tz):
    """The exact way: Python's csv module, empty cells missing, then the frame path."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh) if r]
    frame = pd.DataFrame([[v if v != "" else None for v in r] for r in rows[1:]], columns=rows[0], dtype=object)
    source = Source.file(path, "csv")  # rows named by line, as the reader names them (no blank lines here)
    return _outcome(lambda: cop.ActivityLog.from_frame(frame, tz=tz, emit_warnings=False, source=source))


def _outcome(load):
    try:
        log = load()
    except CopError as exc:
        return type(exc), str(exc)
    return log.data, log.warnings


def _same(fast, exact):
    if isinstance(fast[0], pd.DataFrame) and isinstance(exact[0], pd.DataFrame):
        # category order is that of first appearance in a CSV and sorted in a frame: compare the values
        pd.testing.assert_frame_equal(fast[0], exact[0], check_exact=True, check_categorical=False)
        assert fast[1] == exact[1]
    else:
        assert fast == exact


BASE = [
    ["e1", "ann", "2024-03-01T09:00:00+02:00", "event", "host", "AI; Design", "1", "public"],
    ["e1", "bo", "2024-03-01T09:00:00+02:00", "event", "", "AI; Design", "", "public"],
    ["e2", "José", "2024-03-02T10:30:15Z", "interaction", "speaker", "", "0.5", "private"],
    ["e2", "cy", "2024-03-02T10:30:15Z", "interaction", "", "health,ai", "2", ""],
    ["e1", "ann", "2024-03-01T09:00:00+02:00", "event", "host", "AI; Design", "1", "public"],  # an exact duplicate
]


@pytest.mark.parametrize(("extra", "tz"), [
    (["e3", "dee", "2024-03-03T11:00:00.5+02:00", "event", "", "", "", ""], "UTC"),  # fractional seconds
    (["e3", "dee", "2024-03-03T11:00:00.123456789Z", "event", "", "", "", ""], "UTC"),  # nanoseconds, Z
    (["e3", "dee", "2024-03-03T11:00:00-05:30", "event", "", "", "", ""], "UTC"),  # a negative offset
    (["e3", "dee", "2024-03-03T11:00+02:00", "event", "", "", "", ""], "UTC"),  # no seconds: the general way
    (["e3", "dee", "2024-03-03 11:00:00-00:00", "event", "", "", "", ""], "Europe/Oslo"),  # space, -00:00
    (["e3", "dee", "2024-03-03", "event", "", "", "", ""], "Europe/Oslo"),  # a date among instants
    (["e3", "dee", "45352", "event", "", "", "", ""], "UTC"),  # a spreadsheet serial: an error, never 1970
    (["e3", "dee", "1970-01-01T00:00:00Z", "event", "", "", "", ""], "UTC"),  # the epoch: noted
    (["e3", "dee", "2262-01-01T00:00:00Z", "event", "", "", "", ""], "UTC"),  # out of range: an error
    (["e3", "dee", "2024-02-30T09:00:00Z", "event", "", "", "", ""], "UTC"),  # impossible date: an error
    (["e3", "Jose\u0301", "2024-03-03T11:00:00Z", "event", "", "", "", ""], "UTC"),  # decomposed é: one id, noted
    (["e3", " ann ", "2024-03-03T11:00:00Z", "EVENT", " host ", "", " 1 ", "Public"], "UTC"),  # spaces and case
    (["e3", "dee", "2024-03-03T11:00:00Z", "meeting", "", "", "", ""], "UTC"),  # unknown kind: an error
    (["e3", "dee", "2024-03-03T11:00:00Z", "event", "", "", "heavy", ""], "UTC"),  # non-numeric weight: an error
    (["e3", "", "2024-03-03T11:00:00Z", "event", "", "", "", ""], "UTC"),  # empty member id: an error
])
def test_fast_way_matches_the_exact_way(tmp_path, extra, tz):
    p = tmp_path / "log.csv"
    with open(p, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([HEADER, *BASE, extra, *BASE[:2]])
    fast = _outcome(lambda: cop.read_activities(p, tz=tz, emit_warnings=False))
    _same(fast, _exact(p, tz))


def _big(tmp_path, bad_row: int, bad: bytes, n: int = 240_000) -> tuple:
    """A file over 16 MiB (Arrow reads it in two blocks or more), one cell of row ``bad_row`` (1-based) replaced."""
    lines = [b",".join(h.encode() for h in HEADER)]
    for i in range(1, n + 1):
        stamp = b"2024-03-%02dT%02d:%02d:%02d.25+02:00" % (1 + i % 28, i % 24, i % 60, (7 * i) % 60)
        member = bad if i == bad_row else b"member-%06d@example.org" % (i % 5000)
        lines.append(b"act-%06d,%s,%s,presence,participant,sustainability;design,1,public" % (i % 9000, member, stamp))
    p = tmp_path / "big.csv"
    p.write_bytes(b"\n".join(lines) + b"\n")
    assert p.stat().st_size > 1 << 24
    return p


def test_bytes_not_utf8_deep_in_a_file(tmp_path):
    p = _big(tmp_path, 200_000, b"Jos\xe9")  # cp1252, past the first block and the 64 KiB head
    with pytest.raises(FileFormatError, match=r"big.csv: is not UTF-8 text \(byte 0xe9 at line 200001\).*--encoding cp1252"):
        cop.read_activities(p)


def test_bad_timestamp_deep_in_a_file_named_by_row(tmp_path):
    p = _big(tmp_path, 1, b"ann")
    data = p.read_bytes().split(b"\n")
    data[230_000] = data[230_000].replace(b"+02:00", b"+02:00x", 1)  # row 230,000 is line 230,001
    p.write_bytes(b"\n".join(data))
    with pytest.raises(ValueFormatError, match=r"column 'timestamp': 1 value\(s\) that are not timestamps at row 230001 "
                                               r"\(first: '2024-03-"):
        cop.read_activities(p)


def test_recurring_note_same_as_counting_every_activity():
    """The note counts distinct days only where an activity spans 7 days or more; counting every one gives the same."""
    import numpy as np

    from cop.occurrences import RECURRING_MIN_DAYS, activity_days, recurring_note

    rng = np.random.default_rng(5)
    n = 4000
    ts = pd.Series(pd.to_datetime(rng.integers(0, 40 * 86_400, n) * 10**9 + 1_700_000_000 * 10**9).tz_localize("UTC"))
    ids = np.where(rng.random(n) < 0.5, rng.integers(0, 30, n).astype(str), "short")  # "short": one day below
    ts = ts.where(ids != "short", pd.Timestamp("2024-03-01T10:00Z"))
    rows = pd.DataFrame({"activity_id": pd.Categorical(ids), "timestamp": ts})
    per = activity_days(rows)
    hit = per[per["days"] >= RECURRING_MIN_DAYS]
    note = recurring_note(rows, source_name="x")
    assert len(hit) and note.startswith(f"x: {len(hit)} activities have rows on {RECURRING_MIN_DAYS} or more distinct days")
    for a, r in hit.head(3).iterrows():
        assert f"activity {a!r} has rows on {int(r.days)} days over {(r['last'] - r['first']).days + 1} days" in note


def test_implausible_dates_note_with_and_without_missing_values():
    from cop.tables import implausible_dates_note

    source = Source.frame()
    plain = pd.Series(pd.to_datetime(["2024-03-01", "2024-03-02"], utc=True))
    assert implausible_dates_note(plain, source=source) is None
    gaps = pd.Series(pd.to_datetime(["2024-03-01", None, "1970-01-01"], utc=True))
    assert implausible_dates_note(gaps, source=source).startswith(
        "<DataFrame>, column 'timestamp': 1 timestamp(s) before 1990-01-01 (first at row 3: 1970-01-01)")
    assert implausible_dates_note(pd.Series(pd.to_datetime(["2024-03-01", None], utc=True)), source=source) is None
