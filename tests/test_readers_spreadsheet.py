"""The spreadsheet reader: sheets, date cells, Excel serial days, a sheet without a header row."""

from __future__ import annotations

import pandas as pd
import pytest

from cop.exceptions import DataError, FileFormatError
from cop.io import read_activities, read_table
from tests._readers import FIXTURES

MAP = {"activity_id": "Visit", "member_id": "Member", "timestamp": "When"}


def _times(log):
    return [str(t.tz_convert(None)) for t in log.data["timestamp"]]


@pytest.mark.parametrize("name, options", [("visits.xlsx", {"sheet": "Visits"}), ("visits.xlsx", {"sheet": 1}), ("visits.ods", {})])
def test_date_cells_are_dates(name, options):
    log = read_activities(FIXTURES / name, mapping=MAP, reader_options=options)
    assert _times(log) == ["2024-03-01 09:30:00", "2024-03-01 10:00:00", "2024-03-02 18:00:00"]
    assert log.data["member_id"].astype(str).tolist() == ["ann", "bo", "ann"]


def test_excel_serial_days_are_days_not_1970():
    log = read_activities(FIXTURES / "visits.xlsx", mapping={"activity_id": "Visit", "member_id": "Member", "timestamp": "Day"},
                          reader_options={"sheet": "Serials"})
    assert _times(log) == ["2024-03-01 00:00:00", "2024-03-02 12:00:00"]  # 45352 and 45353.5


def test_zone_of_the_command_applies_to_sheet_times():
    log = read_activities(FIXTURES / "visits.xlsx", mapping=MAP, reader_options={"sheet": "Visits"}, tz="Europe/Oslo")
    assert _times(log)[0] == "2024-03-01 08:30:00"


def test_first_sheet_by_default_and_unknown_sheet():
    frame, source = read_table(FIXTURES / "visits.xlsx")
    assert frame.columns.tolist() == ["About"] and source.rows([0]) == "row 2"
    with pytest.raises(FileFormatError, match=r"option 'sheet': 'Nope' is not a sheet; expected one of 'Info', 'Visits', 'Serials'"):
        read_table(FIXTURES / "visits.xlsx", sheet="Nope")


def test_sheet_without_header_row_is_one_clear_error():
    with pytest.raises(FileFormatError, match=r"no_header\.xlsx, sheet 'Sheet1', row 1, column C: holds 45352 \(a number\); expected a header row"):
        read_activities(FIXTURES / "no_header.xlsx")


def test_not_a_workbook(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("activity_id,member_id\n")
    with pytest.raises(FileFormatError, match=r"fake\.xlsx: is not a readable workbook"):
        read_activities(p)


def test_bad_rows_are_named_as_the_spreadsheet_shows_them(tmp_path):
    p = tmp_path / "bad.xlsx"
    pd.DataFrame({"activity_id": ["e1", "e2"], "member_id": ["a", "b"], "timestamp": ["2024-01-01", "not a date"]}).to_excel(p, index=False)
    with pytest.raises(DataError, match=r"bad\.xlsx, column 'timestamp'.* at row 3 \(first: 'not a date'\)"):
        read_activities(p)
