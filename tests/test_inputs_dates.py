"""Dates as exports write them: --date-format, --dayfirst/--monthfirst, implausible years."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from typer.testing import CliRunner

from cop import ActivityLog, read_activities
from cop.cli import app
from cop.exceptions import ConfigError, DataWarning, ValueFormatError
from cop.timestamps import parse_timestamps

runner = CliRunner()


def _utc(values, **kw):
    return parse_timestamps(pd.Series(values), **kw).dt.strftime("%Y-%m-%d %H:%M").tolist()


def test_month_first_forms():
    got = _utc(["03/14/2024 18:30", "11/29/24 22:28", "11/29/24 10:28 PM", "1/2/2024 12:05 AM", "12/31/99"], dayfirst=False)
    assert got == ["2024-03-14 18:30", "2024-11-29 22:28", "2024-11-29 22:28", "2024-01-02 00:05", "1999-12-31 00:00"]


def test_day_first_forms_in_the_zone():
    # wall-clock times in Oslo (UTC+1 in winter, +2 in summer)
    got = _utc(["05.03.2024", "05.03.2024 18:30", "5/3/2024", "14-07-2024 12:00"], dayfirst=True, tz="Europe/Oslo")
    assert got == ["2024-03-04 23:00", "2024-03-05 17:30", "2024-03-04 23:00", "2024-07-14 10:00"]


def test_iso_dates_with_a_12_hour_clock_need_no_option():
    assert _utc(["2024-03-01 6:30 PM", "2024-03-01 12:00 am"]) == ["2024-03-01 18:30", "2024-03-01 00:00"]


def test_impossible_dates_in_a_known_order_are_errors():
    with pytest.raises(ValueFormatError, match="not timestamps"):
        parse_timestamps(pd.Series(["03/14/2024"]), dayfirst=True)  # month 14
    with pytest.raises(ValueFormatError, match="not timestamps"):
        parse_timestamps(pd.Series(["2024-03-01 13:30 PM"]))


def test_without_the_order_an_error_says_how_to_give_it():
    with pytest.raises(ValueFormatError, match=r"day and month in an unknown order.*--dayfirst.*--monthfirst.*--date-format"):
        parse_timestamps(pd.Series(["05.03.2024"]))


def test_date_format_first_and_explicit_zones_win():
    assert _utc(["14 Mar 2024", "2024-03-01T10:00+02:00"], date_format="%d %b %Y", tz="Europe/Oslo") == [
        "2024-03-13 23:00", "2024-03-01 08:00"]
    # a format with %z gives instants whatever tz is
    assert _utc(["14.03.2024 10:00 +0000"], date_format="%d.%m.%Y %H:%M %z", tz="Asia/Tokyo") == ["2024-03-14 10:00"]
    with pytest.raises(ConfigError, match="not a strptime format"):
        parse_timestamps(pd.Series(["x"]), date_format="%Q")


@pytest.fixture
def us_export(tmp_path):
    p = tmp_path / "eventbrite.csv"
    p.write_text("Order #,Email,Order Date\n1,a@x.org,03/14/2024 6:30 PM\n1,b@x.org,11/29/24 22:28\n2,a@x.org,03/15/2024 09:00\n")
    return p


MAP = {"activity_id": "Order #", "member_id": "Email", "timestamp": "Order Date"}
CLI_MAP = ["--map", "activity_id=Order #", "--map", "member_id=Email", "--map", "timestamp=Order Date"]


def test_library_error_names_the_users_header(us_export):
    with pytest.raises(ValueFormatError) as info:
        read_activities(us_export, mapping=MAP)
    msg = str(info.value)
    assert "column 'Order Date' (mapped to 'timestamp')" in msg and "rows 2, 3, 4" in msg
    log = read_activities(us_export, mapping=MAP, dayfirst=False)
    assert log.data["timestamp"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-03-14 18:30", "2024-11-29 22:28", "2024-03-15 09:00"]


def test_cli_rejects_then_accepts(us_export):
    bad = runner.invoke(app, ["validate", str(us_export), *CLI_MAP])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert "column 'Order Date'" in bad.output and "--monthfirst" in bad.output
    ok = runner.invoke(app, ["validate", str(us_export), *CLI_MAP, "--monthfirst", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    fmt = runner.invoke(app, ["validate", str(us_export), *CLI_MAP, "--date-format", "%m/%d/%Y %I:%M %p"])
    # only the first row has that form: the others stay errors that ask for the order
    assert fmt.exit_code == 1 and "rows 3, 4" in fmt.output
    bad_fmt = runner.invoke(app, ["validate", str(us_export), *CLI_MAP, "--date-format", "%Q"])
    assert bad_fmt.exit_code == 1 and "not a strptime format" in bad_fmt.output


def test_european_dates_with_dayfirst():
    frame = pd.DataFrame({"activity_id": ["d1", "d2"], "member_id": ["ola", "kari"], "timestamp": ["05.03.2024", "06.03.2024"]})
    log = ActivityLog.from_frame(frame, dayfirst=True, tz="Europe/Oslo", emit_warnings=False)
    assert log.data["timestamp"].dt.tz_convert("Europe/Oslo").dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-03-06"]


def test_implausible_years_are_counted():
    frame = pd.DataFrame({"activity_id": ["a", "b", "c", "d"], "member_id": ["x", "y", "x", "y"],
                          "timestamp": ["1970-01-01", "1985-06-01", "2024-03-01", "2099-01-01"]})
    # a DataFrame's rows are numbered from 1
    with pytest.warns(DataWarning, match=r"2 timestamp\(s\) before 1990-01-01 \(first at row 1: 1970-01-01\) "
                                         r"and 1 after today \(first at row 4: 2099-01-01\)"):
        ActivityLog.from_frame(frame, source="log.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        ActivityLog.from_frame(frame.iloc[2:3])
