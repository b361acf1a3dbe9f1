"""The CSV fast paths (timestamps parsed by Arrow, parallel columns, duplicate keys) match the general path."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import cop
from cop.exceptions import ValueFormatError
from cop.tables import _repeated_groups
from cop.timestamps import parse_iso_arrow, parse_timestamps

ZONED = ["2024-03-01T09:00:00+02:00", "2024-03-01T09:00:00Z", "2024-03-31 03:30:00.123456789-05:00", "2024-10-27T01:00:00-00:00"]
NAIVE = ["2024-03-31T03:30:00", "2024-10-27T03:30:00", "2024-10-27 04:30", "2024-03-01", "2024-03-31T02:59:59.5"]


@pytest.mark.parametrize("values", [ZONED, NAIVE])
@pytest.mark.parametrize("tz", ["UTC", "Europe/Helsinki", "America/New_York"])
def test_arrow_parse_matches_general_path(values, tz):
    fast = parse_iso_arrow(pa.chunked_array([values[:2], values[2:]]), tz)
    notes = []
    slow = parse_timestamps(pd.Series(values, dtype=object), tz=tz, notes=notes)
    # wall-clock times in a daylight-saving transition go to the general path, which notes them
    assert (fast is None) == bool(notes)
    if fast is not None:
        np.testing.assert_array_equal(fast.view("i8"), slow.array.asi8)


@pytest.mark.parametrize(
    "values",
    [
        ["2024-03-01T09:00:00Z", "2024-03-01"],  # mixed zoned and naive
        ["2024-02-30T09:00:00Z"],  # impossible date
        ["2024-03-01T24:00:00Z"],
        ["1709283600"],  # epoch seconds
        [" 2024-03-01T09:00:00Z"],  # surrounding spaces
        ["2024-03-01T09:00:00z"],
        ["2024-03-01T09:00:00+0200"],
        ["2024-03-01T09:00:00Z", None],  # missing
        ["2300-03-01T09:00:00Z"],  # beyond datetime64[ns]
        [],
    ],
)
def test_arrow_parse_declines_other_forms(values):
    assert parse_iso_arrow(pa.chunked_array([values], pa.string()), "UTC") is None


def test_arrow_parse_declines_unknown_zone():
    assert parse_iso_arrow(pa.chunked_array([["2024-03-01"]]), "Nowhere/Land") is None


def test_read_activities_same_log_either_path(tmp_path):
    rows = "activity_id,member_id,timestamp,kind,topic\n" + "".join(
        f"a{i % 7},m{i % 5},2024-03-{1 + i % 28:02d}T{i % 24:02d}:00:00+02:00,event,AI; Design\n" for i in range(200)
    )
    zoned = tmp_path / "zoned.csv"
    zoned.write_text(rows + "a1,m1,2024-03-02T01:00:00+02:00,event,AI; Design\n")
    mixed = tmp_path / "mixed.csv"  # one epoch value sends the column down the general path
    mixed.write_text(rows + "a1,m1,1709334000,event,AI; Design\n")
    fast, slow = cop.read_activities(zoned, emit_warnings=False), cop.read_activities(mixed, emit_warnings=False)
    pd.testing.assert_frame_equal(fast.data, slow.data, check_exact=True)
    assert fast.warnings == [w.replace("mixed.csv", "zoned.csv") for w in slow.warnings]


def test_bad_timestamp_still_named(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("activity_id,member_id,timestamp\na,ann,2024-03-01T09:00:00Z\na,bo,2024-02-30T09:00:00Z\n")
    with pytest.raises(ValueFormatError, match=r"column 'timestamp': 1 value\(s\) that are not timestamps at row 3"):
        cop.read_activities(p)


def test_repeated_groups_hold_every_repeated_key():
    rng = np.random.default_rng(3)
    for n, m in [(100_000, 5_000), (10, 0), (2, 1), (1000, 1000), (1, 0)]:
        key = rng.integers(0, np.iinfo(np.uint64).max, n, dtype=np.uint64)
        if m:
            key[rng.integers(0, n, m)] = key[rng.integers(0, n, m)]
        rows, start = _repeated_groups(key)
        repeated = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
        assert set(repeated) <= set(rows.tolist()) and len(set(rows.tolist())) == len(rows)
        # with random keys only the repeated ones share their high bits; groups in row order, equal keys together
        np.testing.assert_array_equal(np.sort(rows), repeated)
        group = np.cumsum(start) - 1
        for g in np.unique(group):
            members = rows[group == g]
            assert (np.diff(members) > 0).all() and len(set(key[members].tolist())) == 1
    # keys equal in their high bits only (4 rows: the low 2 bits hold the row) are grouped too; the caller compares
    # the rows exactly
    key = np.array([5 + 2**40, 5, 9 << 50, 7], dtype=np.uint64)
    rows, start = _repeated_groups(key)
    np.testing.assert_array_equal(rows, [1, 3])
    np.testing.assert_array_equal(start, [True, False])


HEAD_ZONED = "".join(f"a{i % 3},m{i % 4},2024-03-0{1 + i % 9}T0{i % 10}:15:00+02:00,event,AI\n" for i in range(30))
HEAD_NAIVE = "".join(f"a{i % 3},m{i % 4},2024-03-0{1 + i % 9} 0{i % 10}:15:00,event,AI\n" for i in range(30))


def _careful(monkeypatch):
    """Turn off both fast paths (timestamps parsed by Arrow's CSV reader, or by Arrow after reading)."""
    import cop.io._arrow
    import cop.io.csvfile

    monkeypatch.setattr(cop.io.csvfile, "iso_column_type", lambda *a, **k: None)
    monkeypatch.setattr(cop.io._arrow, "parse_iso_arrow", lambda *a, **k: None)


def _outcome(path, **options):
    try:
        log = cop.read_activities(path, emit_warnings=False, **options)
    except cop.exceptions.CopError as exc:
        return type(exc), str(exc)
    return log.data, log.warnings


@pytest.mark.parametrize(
    ("head", "tail", "tz"),
    [
        (HEAD_ZONED, "a1,m1,2024-03-02T09+02,event,AI\na2,m2,2024-03-02T09:00+0200,event,AI\n", "UTC"),  # ISO, not strict
        (HEAD_ZONED, "a1,m1,2024-03-02 09:00:00.123456789-05:30,event,AI\na1,m3,2024-03-02T09:00:00Z,event,AI\n", "UTC"),
        (HEAD_ZONED, "a1,m1,2024-03-02T09:00:00,event,AI\n", "UTC"),  # a naive value after zoned ones
        (HEAD_ZONED, "a1,m1,,event,AI\n", "UTC"),  # missing
        (HEAD_ZONED, "a1,m1,1677-10-01T00:00:00Z,event,AI\n", "UTC"),  # in datetime64[ns], not in the supported years
        (HEAD_ZONED, "a1,m1,1970-01-01T00:00:00Z,event,AI\n", "UTC"),  # the epoch: noted as implausible
        (HEAD_ZONED, "a1,m1,45352.5,event,AI\n", "UTC"),  # an Excel serial
        (HEAD_ZONED, "a1,m1,2024-02-30T09:00:00Z,event,AI\n", "UTC"),  # impossible date
        (HEAD_ZONED, "a1,m1,2024-03-01T09:00:00+02:00,event,AI\n\n\na1,m1,2024-03-01T09:00:00+02:00,event,AI\n", "UTC"),  # dup, blank lines
        (HEAD_ZONED, "a1,,2024-03-01T09:00:00+02:00,event,AI\n", "UTC"),  # missing member
        (HEAD_ZONED, "a1,m1,2024-03-01T09:00:00+02:00,meeting,AI\n", "UTC"),  # unknown kind
        (HEAD_ZONED, 'a1,"m\n9",2024-03-01T09:00:00+02:00,event,"AI; Design"\n', "UTC"),  # quoted, a newline inside
        (HEAD_ZONED, "a1,m1,2024-03-01T09:00:00+02:00,event,AI\n", "Europe/Helsinki"),
        (HEAD_NAIVE, "a1,m1,2024-03-02,event,AI\na1,m2,2024-03-02T10,event,AI\n", "UTC"),  # naive in UTC: parsed by Arrow
        (HEAD_NAIVE, "a1,m1,2024-03-02T10:00:00Z,event,AI\n", "UTC"),  # a zoned value after naive ones
        (HEAD_NAIVE, "a1,m1,2024-10-27 03:30:00,event,AI\n", "Europe/Helsinki"),  # ambiguous wall-clock time
    ],
)
def test_fast_and_careful_paths_give_the_same_log(tmp_path, monkeypatch, head, tail, tz):
    p = tmp_path / "log.csv"
    p.write_text("activity_id,member_id,timestamp,kind,topic\n" + head + tail)
    fast = _outcome(p, tz=tz)
    _careful(monkeypatch)
    slow = _outcome(p, tz=tz)
    if isinstance(fast[0], pd.DataFrame) and isinstance(slow[0], pd.DataFrame):
        pd.testing.assert_frame_equal(fast[0], slow[0], check_exact=True)
        for col in fast[0].columns:
            if isinstance(fast[0][col].dtype, pd.CategoricalDtype):
                assert fast[0][col].cat.categories.equals(slow[0][col].cat.categories), col
        assert fast[1] == slow[1]
    else:
        assert fast == slow


def test_typed_read_falls_back_after_the_head(tmp_path):
    # the first 64 KiB are strict ISO with offsets (read as timestamps), a later epoch value is not:
    # the column is read again as text, and the general path parses every form
    rows = "".join(f"a{i % 50},m{i % 7},2024-03-01T{i % 24:02d}:00:00+02:00,event\n" for i in range(3000))
    p = tmp_path / "late.csv"
    p.write_text("activity_id,member_id,timestamp,kind\n" + rows + "a1,m1,1709334000,event\n")
    assert p.stat().st_size > 65536
    log = cop.read_activities(p, emit_warnings=False)
    assert len(log) == 3001
    assert log.data["timestamp"].iloc[-1] == pd.Timestamp("2024-03-01T23:00:00Z")
    assert log.data["timestamp"].iloc[1] == pd.Timestamp("2024-02-29T23:00:00Z")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lines_of_a_few_rows_match_all_lines(tmp_path, newline):
    from cop.io.csvfile import _Lines, read_csv

    # blank lines (also "\r"-only ones) after rows 3, 40,000 and at the end; over 1 MiB, so the prefix read grows
    rows = [f"a{i},m{i % 9},2024-03-01T09:00:00Z" for i in range(60_000)]
    text = newline.join(["activity_id,member_id,timestamp", *rows[:3], "", "\r" if newline == "\n" else "", *rows[3:40_000],
                         "", *rows[40_000:], "", ""])
    p = tmp_path / "gaps.csv"
    p.write_bytes(text.encode())
    assert p.stat().st_size > 1 << 20
    frame, source = read_csv(p)
    assert len(frame) == 60_000
    lines = _Lines(p, ",", p.read_bytes()[:65536], len(frame))
    assert not lines.quoted  # no quote after the header: one row per non-blank line
    positions = np.array([0, 2, 3, 39_999, 40_000, 59_999])
    # worked out: header line 1, rows 0-2 on lines 2-4, two blank lines, rows 3..39,999 on 7..40,003, one blank, then 40,005..
    want = np.array([2, 4, 7, 40_003, 40_005, 60_004])
    np.testing.assert_array_equal(lines.at(positions), want)
    np.testing.assert_array_equal(np.asarray(lines())[positions], want)
    assert source.rows([40_000, 3]) == "rows 7, 40005"


def test_exact_duplicates_match_pandas_duplicated():
    from cop.tables import _exact_duplicates

    rng = np.random.default_rng(2)
    for _ in range(20):  # few distinct values: many repeated keys, rows alike in the keyed columns only, NaN, None
        n, k = int(rng.integers(2, 2000)), int(rng.integers(1, 6))
        frame = pd.DataFrame({
            "a": pd.Categorical(rng.integers(0, k, n).astype(str)), "m": pd.Categorical(rng.integers(0, k, n)),
            "t": pd.Series(pd.to_datetime(rng.integers(0, k, n) * 10**9).tz_localize("UTC")),
            "r": pd.Categorical(np.where(rng.random(n) < 0.3, None, rng.integers(0, 2, n).astype(str))),
            "f": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 2, n).astype(float)),
            "o": pd.Series(rng.choice(np.array(["x", 1, "1", None], dtype=object), n), dtype=object)})
        # independently: pandas on the values, the object column tagged by type (1 and "1" differ)
        tagged = frame.assign(o=frame["o"].map(lambda v: f"{type(v).__name__}:{v!r}"))
        expected = tagged.duplicated().to_numpy()
        for key in (None, ["t", "a", "m"]):
            np.testing.assert_array_equal(_exact_duplicates(frame, key), expected)
