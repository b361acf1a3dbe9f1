"""The CSV fast paths (timestamps parsed by Arrow, parallel columns, duplicate keys) match the general path."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import cop
from cop.exceptions import ValueFormatError
from cop.tables import _repeated_keys
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


def test_repeated_keys_matches_duplicated():
    rng = np.random.default_rng(3)
    for n, m in [(100_000, 5_000), (10, 0), (2, 1), (1000, 1000)]:
        key = rng.integers(0, np.iinfo(np.uint64).max, n, dtype=np.uint64)
        if m:
            key[rng.integers(0, n, m)] = key[rng.integers(0, n, m)]
        expected = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
        np.testing.assert_array_equal(_repeated_keys(key), expected)
