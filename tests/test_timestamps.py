"""Timestamp rules (cop.timestamps): explicit zones, the digit rule, daylight saving, the supported range.

Every expected instant here is worked out by hand or by an independent oracle
(:meth:`datetime.datetime.fromisoformat` with :mod:`zoneinfo`), never by cop.
"""

from __future__ import annotations

import warnings
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.exceptions import ConfigError, DataWarning, ValueFormatError
from cop.timestamps import parse_iso_arrow, parse_timestamps, to_utc_timestamp

HEADER = "activity_id,member_id,timestamp\n"


def _csv(tmp_path, values, name="log.csv"):
    p = tmp_path / name
    p.write_text(HEADER + "".join(f"a{i},m{i},\"{v}\"\n" for i, v in enumerate(values)))
    return p


def _utc(text):
    return pd.Timestamp(text).tz_convert("UTC") if pd.Timestamp(text).tzinfo else pd.Timestamp(text, tz="UTC")


# ----------------------------------------------------------------------------- digit-only values
@pytest.mark.parametrize(
    ("value", "looks_like"),
    [("2024", "a year alone"), ("45352", "spreadsheet serial day"), ("1709283600000", "epoch milliseconds"),
     ("1709283600000000", "epoch microseconds"), ("20240301093000", "YYYYMMDDhhmmss"), ("123456", "6 digit")],
)
def test_ambiguous_digits_are_one_error_naming_file_column_row(tmp_path, value, looks_like):
    p = _csv(tmp_path, ["2024-03-01T09:00:00Z", value, value])
    with pytest.raises(ValueFormatError) as err:
        cop.read_activities(p)
    msg = str(err.value)
    assert str(p) in msg and "column 'timestamp'" in msg and "rows 3, 4" in msg and looks_like in msg
    assert "1970" not in msg


def test_yyyymmdd_is_a_date_in_tz(tmp_path):
    ts = cop.read_activities(_csv(tmp_path, ["20240301", "20241231"]), tz="Europe/Helsinki").data["timestamp"]
    assert ts.tolist() == [_utc("2024-02-29T22:00Z"), _utc("2024-12-30T22:00Z")]


def test_impossible_yyyymmdd_is_rejected():
    with pytest.raises(ValueFormatError, match="not timestamps.*'20240230'"):
        parse_timestamps(pd.Series(["20240230"]))


def test_epoch_seconds_need_nine_or_ten_digits():
    ts = parse_timestamps(pd.Series(["1709283600", "1709283600.25", "999999999", "-100000000"]))
    assert ts.tolist() == [_utc("2024-03-01T09:00Z"), _utc("2024-03-01T09:00:00.25Z"),
                           _utc("2001-09-09T01:46:39Z"), _utc("1966-10-31T14:13:20Z")]


def test_numbers_follow_the_same_rule():
    frame = pd.DataFrame({"activity_id": ["a", "b", "c"], "member_id": ["x", "y", "z"],
                          "timestamp": [20240301, 1709283600, 20240302]})
    assert cop.ActivityLog.from_frame(frame).data["timestamp"].tolist() == [
        _utc("2024-03-01"), _utc("2024-03-01T09:00Z"), _utc("2024-03-02")]
    for numbers in ([2024, 2025], [45352.0], [45352.5]):
        with pytest.raises(ValueFormatError, match="look like"):
            parse_timestamps(pd.Series(numbers))


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [("ms", "1709283600123", "2024-03-01T09:00:00.123Z"), ("us", "1709283600123456", "2024-03-01T09:00:00.123456Z"),
     ("ns", "1709283600123456789", "2024-03-01T09:00:00.123456789Z"), ("s", "2024", "1970-01-01T00:33:44Z"),
     ("spreadsheet", "45352", "2024-03-01"), ("spreadsheet", "45352.375", "2024-03-01T09:00Z")],
)
def test_explicit_unit_says_what_digits_are(unit, value, expected):
    assert parse_timestamps(pd.Series([value]), unit=unit).iloc[0] == _utc(expected)


def test_unknown_unit_is_config_error():
    with pytest.raises(ConfigError, match="parameter 'unit'"):
        parse_timestamps(pd.Series(["1709283600"]), unit="minutes")


@pytest.mark.parametrize("value", ["00000101", "16000101", "22620101", "99991231"])
def test_yyyymmdd_dates_outside_the_supported_years_are_one_error(value):
    # found by the property below (hypothesis): '00000101' raised pandas' OutOfBoundsDatetime
    for series in (pd.Series([value]), pd.Series([int(value)])) if value[0] != "0" else (pd.Series([value]),):
        with pytest.raises(ValueFormatError, match="outside the supported range"):
            parse_timestamps(series)
    assert parse_timestamps(pd.Series(["22611231"])).iloc[0] == _utc("2261-12-31")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=22), st.sampled_from(["", "+", "-"]),
       st.sampled_from(["", ".5", ".000"]))
def test_digits_never_silently_become_1970(digits, sign, fraction):
    value = sign + digits + fraction
    try:
        ts = parse_timestamps(pd.Series([value])).iloc[0]
    except ValueFormatError as exc:
        assert "<DataFrame>, column 'timestamp'" in str(exc)
        return
    whole = len(digits)
    if whole == 8 and not sign and fraction in ("", ".000"):
        assert ts == _utc(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
    else:
        assert whole in (9, 10)
        expected = (-1 if sign == "-" else 1) * (int(digits) * 10**9 + (500_000_000 if fraction == ".5" else 0))
        assert ts.value == expected


# ----------------------------------------------------------------------------- explicit zones
@pytest.mark.parametrize(
    ("value", "truth"),
    [("2024-03-01T09Z", "2024-03-01T09:00Z"), ("2024-03-01T0900+0200", "2024-03-01T07:00Z"),
     ("20240301T090000-0530", "2024-03-01T14:30Z"), ("2024-03-01 09 +01", "2024-03-01T08:00Z"),
     ("2024-03-01T09:00:00,5 UTC", "2024-03-01T09:00:00.5Z"), ("2024-03-01T09:00z", "2024-03-01T09:00Z")],
)
def test_explicit_offsets_honoured_whatever_tz(tmp_path, value, truth):
    p = _csv(tmp_path, [value])
    for tz in ("UTC", "Europe/Oslo", "America/New_York"):
        assert cop.read_activities(p, tz=tz).data["timestamp"].iloc[0] == _utc(truth)


def test_column_mixing_naive_and_zoned_forms(tmp_path):
    p = _csv(tmp_path, ["2024-03-01 09:00", "2024-03-01T09Z", "2024-03-01T0900+0200", "2024-03-01", "2024-07-01T12"])
    ts = cop.read_activities(p, tz="Europe/Oslo").data["timestamp"]
    assert ts.tolist() == [_utc("2024-03-01T08:00Z"), _utc("2024-03-01T09:00Z"), _utc("2024-03-01T07:00Z"),
                           _utc("2024-02-29T23:00Z"), _utc("2024-07-01T10:00Z")]


def test_impossible_offset_is_rejected():
    with pytest.raises(ValueFormatError, match="impossible UTC offset"):
        parse_timestamps(pd.Series(["2024-03-01T09:00+24:00"]))


ZONES = ["UTC", "Europe/Oslo", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "America/Sao_Paulo"]


def _render(local: datetime, offset_min: int | None, date_basic: bool, time_form: int, sep: str, zone_form: int, frac: str) -> str:
    """An ISO 8601 spelling of ``local`` (and an offset), in the form chosen."""
    date = local.strftime("%Y%m%d" if date_basic else "%Y-%m-%d")
    time = [local.strftime("%H"), local.strftime("%H:%M"), local.strftime("%H%M"), local.strftime("%H:%M:%S") + frac,
            local.strftime("%H%M%S") + frac][time_form]
    text = f"{date}{sep}{time}"
    if offset_min is None:
        return text
    sign = "-" if offset_min < 0 else "+"
    h, m = divmod(abs(offset_min), 60)
    if offset_min == 0 and zone_form == 0:
        return text + "Z"
    return text + [f"{sign}{h:02d}:{m:02d}", f"{sign}{h:02d}{m:02d}", f"{sign}{h:02d}:{m:02d}", f"{sign}{h:02d}"][zone_form if m == 0 or zone_form < 3 else 0]


def _oracle(text: str, tz: str) -> int:
    """Nanoseconds of ``text`` by the standard library (fold=0: the first occurrence, forward by the gap)."""
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(tz), fold=0)
    delta = dt.astimezone(timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 10**9 + delta.microseconds * 1000


@settings(max_examples=300, deadline=None)
@given(
    local=st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30)),
    offset=st.one_of(st.none(), st.integers(-23 * 60 - 59, 23 * 60 + 59), st.sampled_from([0, 60, 120, -300, 330])),
    date_basic=st.booleans(), time_form=st.integers(0, 4), sep=st.sampled_from(["T", " "]),
    zone_form=st.integers(0, 3), frac=st.sampled_from(["", ".5", ".123456"]), tz=st.sampled_from(ZONES),
)
def test_iso_forms_match_the_standard_library(local, offset, date_basic, time_form, sep, zone_form, frac, tz):
    text = _render(local, offset, date_basic, time_form, sep, zone_form, frac)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        got = parse_timestamps(pd.Series([text, "2024-01-15T12:00:00Z"]), tz=tz).array.asi8[0]
    assert got == _oracle(text, tz), text


@settings(max_examples=200, deadline=None)
@given(
    day=st.sampled_from(["2024-03-31", "2024-10-27", "2024-03-10", "2024-11-03", "2024-04-07", "2024-10-06"]),
    minutes=st.integers(0, 24 * 60 - 1), tz=st.sampled_from(ZONES),
)
def test_wall_times_around_transitions_match_zoneinfo_fold0(day, minutes, tz):
    text = f"{day} {minutes // 60:02d}:{minutes % 60:02d}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        got = parse_timestamps(pd.Series([text]), tz=tz).array.asi8[0]
    assert got == _oracle(text, tz)


# ----------------------------------------------------------------------------- daylight saving: one rule
DST_WALL = ["2024-10-27 02:30", "2024-10-27 02:45", "2024-03-31 02:15", "2024-03-31 02:45", "2024-03-01 09:00"]
DST_TRUTH = ["2024-10-27T00:30Z", "2024-10-27T00:45Z", "2024-03-31T01:15Z", "2024-03-31T01:45Z", "2024-03-01T08:00Z"]


def test_dst_rule_same_for_csv_parquet_and_frames(tmp_path):
    csv = _csv(tmp_path, DST_WALL)
    frame = pd.read_csv(csv)
    pq_path = tmp_path / "log.parquet"
    frame.assign(timestamp=pd.to_datetime(frame["timestamp"]).astype("datetime64[us]")).to_parquet(pq_path)
    expected = [_utc(t) for t in DST_TRUTH]
    for load in (lambda: cop.read_activities(csv, tz="Europe/Oslo"), lambda: cop.read_activities(pq_path, tz="Europe/Oslo"),
                 lambda: cop.ActivityLog.from_frame(frame, tz="Europe/Oslo")):
        with pytest.warns(DataWarning) as caught:
            ts = load().data["timestamp"]
        assert ts.tolist() == expected
        notes = [str(w.message) for w in caught if "clocks" in str(w.message)]
        assert len(notes) == 1
        assert "2 row(s) at wall-clock times that occur twice" in notes[0]
        assert "2 row(s) at wall-clock times that do not exist" in notes[0]


def test_gap_times_move_forward_by_the_gap():
    # Oslo 2024-03-31: 02:00-03:00 does not exist; 02:30 is read as 03:30 CEST (01:30Z), half an hour after 02:00
    with pytest.warns(DataWarning, match="moved forward by the length of the gap"):
        ts = parse_timestamps(pd.Series(["2024-03-31 01:59", "2024-03-31 02:00", "2024-03-31 02:30"]), tz="Europe/Oslo")
    assert ts.tolist() == [_utc("2024-03-31T00:59Z"), _utc("2024-03-31T01:00Z"), _utc("2024-03-31T01:30Z")]


def test_dst_note_goes_to_notes_when_given():
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        parse_timestamps(pd.Series(["2024-10-27 02:30"] * 3), tz="Europe/Oslo", notes=notes)
    assert len(notes) == 1 and "3 row(s)" in notes[0] and "rows 1, 2, 3" in notes[0]


def test_dst_note_printed_by_the_cli(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(_csv(tmp_path, DST_WALL)), "--tz", "Europe/Oslo"])
    assert result.exit_code == 0
    assert "occur twice" in result.output and "do not exist" in result.output


def test_fast_path_declines_transitions():
    assert parse_iso_arrow(pa.chunked_array([["2024-10-27T02:30:00", "2024-03-01T09:00:00"]]), "Europe/Oslo") is None
    fast = parse_iso_arrow(pa.chunked_array([["2024-03-01T09:00:00"]]), "Europe/Oslo")
    assert fast.view("i8")[0] == _utc("2024-03-01T08:00Z").value


# ----------------------------------------------------------------------------- the supported range
@pytest.mark.parametrize("value", ["2500-01-01", "9999-12-31", "1500-06-01T12:00Z", "1677-12-31T23:00:00Z", "2262-01-01"])
def test_out_of_range_is_one_error_naming_file_column_row(tmp_path, value):
    p = _csv(tmp_path, ["2024-03-01", value])
    with pytest.raises(ValueFormatError) as err:
        cop.read_activities(p)
    msg = str(err.value)
    assert str(p) in msg and "column 'timestamp'" in msg and "row 3" in msg and "1678 to 2261" in msg


def test_out_of_range_parquet_and_frame(tmp_path):
    table = pa.table({"activity_id": ["a", "b"], "member_id": ["x", "y"],
                      "timestamp": pa.array([datetime(2024, 3, 1), datetime(1500, 1, 1)], pa.timestamp("us"))})
    path = tmp_path / "old.parquet"
    pq.write_table(table, path)
    with pytest.raises(ValueFormatError, match=r"old.parquet.*column 'timestamp'.*1678 to 2261.*row 2"):
        cop.read_activities(path)
    frame = table.to_pandas()
    with pytest.raises(ValueFormatError, match="row 2"):
        cop.ActivityLog.from_frame(frame)


def test_out_of_range_from_validate(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(_csv(tmp_path, ["2024-03-01", "9999-12-31"]))])
    assert result.exit_code == 1
    assert "1678 to 2261" in result.output and "row 3" in result.output and "Traceback" not in result.output


def test_out_of_range_epoch_and_members_table(tmp_path):
    with pytest.raises(ValueFormatError, match="1678 to 2261"):
        parse_timestamps(pd.Series(["9999999999"]))  # 10 digits: epoch seconds in 2286
    log = _csv(tmp_path, ["2024-03-01"])
    members = tmp_path / "members.csv"
    members.write_text("member_id,joined\nm0,2500-01-01\n")
    with pytest.raises(ValueFormatError, match=r"members.csv.*column 'joined'.*row 2"):
        cop.read_activities(log, members)


def test_parameters_name_themselves():
    with pytest.raises(ConfigError, match="parameter 'as_of'.*a year alone"):
        to_utc_timestamp("2024", name="as_of")
    with pytest.raises(ConfigError, match="parameter 'tz'"):
        parse_timestamps(pd.Series(["2024-03-01"]), tz=None)
    assert to_utc_timestamp(pd.Timestamp("2024-03-01T09:00+02:00")) == _utc("2024-03-01T07:00Z")
    assert np.isfinite(to_utc_timestamp("20240301").value)
