"""Loader defects of issue 9, each pinned: no silent change of the user's data, no raw traceback."""

from __future__ import annotations

import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest

from cop import ActivityLog, read_activities
from cop.exceptions import ConfigError, CopError, DataWarning, FileFormatError, SchemaError, ValueFormatError
from cop.tables import parse_mapping

HEADER = "activity_id,member_id,timestamp\n"


def load(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return read_activities(path, **kw)


# ---------------------------------------------------------------- repeated headers
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_repeated_header_is_one_error_naming_file_and_header(tmp_path, sep):
    p = tmp_path / "dup.csv"
    p.write_text(sep.join(["activity_id", "member_id", "member_id", "timestamp"]) + "\ne1" + sep + "ann" + sep + "bo" + sep + "2024-01-01\n")
    with pytest.raises(SchemaError) as err:
        read_activities(p)
    assert "dup.csv" in str(err.value) and "'member_id' (columns 2, 3)" in str(err.value)


def test_repeated_key_in_json_lines(tmp_path):
    p = tmp_path / "dup.jsonl"
    p.write_text('{"activity_id": "e1", "member_id": "ann", "member_id": "bo", "timestamp": "2024-01-01"}\n')
    with pytest.raises(FileFormatError, match=r"dup.jsonl: line 1 names the key 'member_id' twice"):
        read_activities(p)


def test_repeated_column_in_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "dup.parquet"
    pq.write_table(pa.table([["e1"], ["ann"], ["bo"], ["2024-01-01"]], names=["activity_id", "member_id", "member_id", "timestamp"]), p)
    with pytest.raises(FileFormatError, match=r"dup.parquet: names a column more than once: 'member_id'"):
        read_activities(p)


# ---------------------------------------------------------------- Parquet ids
def test_parquet_float_ids_match_members_table(tmp_path):
    p = tmp_path / "log.parquet"
    pd.DataFrame({"activity_id": ["e1", "e1", "e2"], "member_id": [1.0, 2.0, np.nan], "timestamp": ["2024-01-01"] * 3}).iloc[:2].to_parquet(p)
    members = pd.DataFrame({"member_id": ["1", "2"], "organization": ["a", "b"]})
    with pytest.warns(DataWarning, match=r"2 whole number\(s\) stored as floats \(first: 1.0\) read as integers \('1'\)"):
        log = read_activities(p, members=members)
    assert sorted(log.data["member_id"].astype(str)) == ["1", "2"]
    assert log.members.loc[["1", "2"], "listed"].all()  # they match the members table
    assert not any("not in" in w for w in log.warnings)


def test_parquet_non_integral_float_ids_are_kept_as_written(tmp_path):
    p = tmp_path / "log.parquet"
    pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": [1.5, 2.25], "timestamp": ["2024-01-01"] * 2}).to_parquet(p)
    assert sorted(load(p).data["member_id"].astype(str)) == ["1.5", "2.25"]


def test_parquet_binary_ids_are_decoded(tmp_path):
    p = tmp_path / "log.parquet"
    pd.DataFrame({"activity_id": [b"e1", b"e1"], "member_id": [b"ann", "bö".encode()], "timestamp": ["2024-01-01"] * 2}).to_parquet(p)
    log = load(p)
    assert sorted(log.data["member_id"].astype(str)) == ["ann", "bö"]
    assert set(log.data["activity_id"].astype(str)) == {"e1"}


def test_parquet_binary_ids_not_utf8_are_an_error(tmp_path):
    p = tmp_path / "log.parquet"
    pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": [b"ann", b"\xff\xfe"], "timestamp": ["2024-01-01"] * 2}).to_parquet(p)
    with pytest.raises(FileFormatError, match=r"log.parquet, column 'member_id': binary values that are not UTF-8"):
        read_activities(p)


def test_frame_bytes_ids_decoded_or_rejected():
    rows = pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": [b"ann", b"bo"], "timestamp": ["2024-01-01"] * 2})
    assert sorted(ActivityLog.from_frame(rows).data["member_id"].astype(str)) == ["ann", "bo"]
    rows["member_id"] = [b"ann", b"\xff"]
    with pytest.raises(ValueFormatError, match=r"column 'member_id': 1 binary value\(s\) that are not UTF-8 text at row 2"):
        ActivityLog.from_frame(rows)


# ---------------------------------------------------------------- Unicode forms
def test_nfc_and_nfd_spellings_are_one_member(tmp_path):
    nfc, nfd = unicodedata.normalize("NFC", "josé"), unicodedata.normalize("NFD", "josé")
    assert nfc != nfd
    p = tmp_path / "log.csv"
    p.write_text(HEADER + f"e1,{nfc},2024-01-01\ne2,{nfd},2024-01-02\ne2,{nfd},2024-01-02T01:00\ne2,ann,2024-01-02\n", encoding="utf-8")
    with pytest.warns(DataWarning, match=r"column 'member_id': 2 value\(s\) written in decomposed Unicode"):
        log = read_activities(p)
    assert log.n_members == 2
    assert set(log.data["member_id"].astype(str)) == {nfc, "ann"}


def test_nfd_members_table_matches_nfc_log():
    nfc, nfd = unicodedata.normalize("NFC", "Åsa"), unicodedata.normalize("NFD", "Åsa")
    rows = pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": [nfc, "bo"], "timestamp": ["2024-01-01"] * 2})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        log = ActivityLog.from_frame(rows, pd.DataFrame({"member_id": [nfd, "bo"]}))
    assert log.members.loc[nfc, "listed"]
    assert any("decomposed Unicode" in w for w in log.warnings)


# ---------------------------------------------------------------- exact duplicates
def test_rows_differing_only_in_a_column_cop_drops_are_not_duplicates(tmp_path):
    p = tmp_path / "chat.csv"
    p.write_text("activity_id,member_id,timestamp,text\nt1,ann,2024-01-01T10:00:00Z,hello\nt1,ann,2024-01-01T10:00:00Z,how are you\n")
    log = load(p)
    assert len(log) == 2 and log.warnings == []


def test_topic_case_is_not_an_exact_duplicate():
    rows = pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": ["ann", "ann"], "timestamp": ["2024-01-01"] * 2, "topic": ["AI", "ai"]})
    log = ActivityLog.from_frame(rows)
    assert len(log) == 2 and log.warnings == []


def test_true_duplicates_are_dropped_and_said(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text(HEADER.strip() + ",text\ne1,ann,2024-01-01,hi\ne1,bo,2024-01-01,hi\ne1,ann,2024-01-01,hi\n")
    with pytest.warns(DataWarning, match=r"dropped 1 exact duplicate row\(s\), equal in every column to an earlier row \(first at row 4\)"):
        log = read_activities(p)
    assert len(log) == 2


# ---------------------------------------------------------------- nested JSON cells
@pytest.mark.parametrize("cell,kind", [('{"a": 1}', "an object"), ("[1, 2]", "an array")])
def test_json_lines_nested_cell_is_one_error(tmp_path, cell, kind):
    p = tmp_path / "log.jsonl"
    p.write_text('{"activity_id": "e1", "member_id": "ann", "timestamp": "2024-01-01"}\n\n'
                 f'{{"activity_id": "e1", "member_id": {cell}, "timestamp": "2024-01-01"}}\n')
    with pytest.raises(ValueFormatError) as err:
        read_activities(p)
    assert str(err.value).startswith(f"{p}, column 'member_id': line 3 holds {kind}")


def test_frame_nested_cell_is_one_error():
    rows = pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": ["ann", "bo"], "timestamp": ["2024-01-01"] * 2,
                         "extra": [{"a": 1}, None]})
    with pytest.raises(ValueFormatError, match=r"<DataFrame>, column 'extra': 1 nested value\(s\).* at row 1"):
        ActivityLog.from_frame(rows)


# ---------------------------------------------------------------- from_frame side tables and parameters
ROWS = pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": ["ann", "bo"], "timestamp": ["2024-01-01"] * 2})


@pytest.mark.parametrize("which", ["members", "activities"])
def test_side_table_with_repeated_columns(which):
    side = pd.DataFrame([["ann", "x", "y"]], columns=["member_id", "organization", "organization"]) if which == "members" \
        else pd.DataFrame([["e1", "a", "b"]], columns=["activity_id", "type", "type"])
    with pytest.raises(SchemaError, match=r"<%s DataFrame>: column\(s\) '(organization|type)' appear more than once" % which):
        ActivityLog.from_frame(ROWS, **{which: side})


def test_nullable_boolean_external_with_missing_value():
    act = pd.DataFrame({"activity_id": ["e1", "e2"], "external": pd.array([True, pd.NA], dtype="boolean")})
    log = ActivityLog.from_frame(ROWS, activities=act)
    assert log.activities_table.set_index("activity_id")["external"].to_dict() == {"e1": True, "e2": False}


def test_categorical_kind_with_unused_invalid_category():
    rows = ROWS.assign(kind=pd.Categorical(["event", "event"], categories=["event", "nonsense"]),
                       weight=pd.Categorical(["1", "2"], categories=["1", "2", "heavy"]))
    log = ActivityLog.from_frame(rows)
    assert log.data["kind"].astype(str).tolist() == ["event", "event"]
    assert log.data["weight"].tolist() == [1.0, 2.0]


def test_categorical_kind_with_used_invalid_category_is_one_error():
    rows = ROWS.assign(kind=pd.Categorical(["event", "nonsense"], categories=["event", "nonsense", "zzz"]))
    with pytest.raises(ValueFormatError, match=r"column 'kind': 1 unknown value\(s\) at row 2 \(first: 'nonsense'\)"):
        ActivityLog.from_frame(rows)


@pytest.mark.parametrize("tz", [None, 3, "Mars/Olympus"])
def test_bad_tz_is_a_config_error(tz):
    with pytest.raises(ConfigError, match="tz"):
        ActivityLog.from_frame(ROWS, tz=tz)


# ---------------------------------------------------------------- row numbers with blank lines
def test_csv_row_numbers_count_blank_lines(tmp_path):
    p = tmp_path / "blank.csv"
    p.write_text(HEADER + "\ne1,ann,2024-01-01\n\n\ne1,,2024-01-01\n\r\ne1,bo,not a date\n")
    with pytest.raises(ValueFormatError, match=r"column 'member_id': 1 empty id\(s\) at row 6"):
        read_activities(p)
    p.write_text(HEADER + "\ne1,ann,2024-01-01\n\n\ne1,cy,2024-01-01\n\r\ne1,bo,not a date\n")
    with pytest.raises(ValueFormatError, match=r"column 'timestamp': .*at row 8"):
        read_activities(p)


def test_csv_row_numbers_with_quoted_newlines_and_blank_lines(tmp_path):
    p = tmp_path / "quoted.csv"
    p.write_text('activity_id,member_id,timestamp,note\ne1,ann,2024-01-01,"two\nlines"\n\ne1,,2024-01-01,x\n')
    with pytest.raises(ValueFormatError, match=r"1 empty id\(s\) at row 5"):
        read_activities(p)


def test_csv_ragged_row_number_counts_blank_lines(tmp_path):
    p = tmp_path / "ragged.csv"
    p.write_text(HEADER + "\n\ne1,ann,2024-01-01\ne1,bo\n")
    with pytest.raises(FileFormatError, match=r"at row 5"):
        read_activities(p)


def test_duplicate_note_counts_blank_lines(tmp_path):
    p = tmp_path / "dups.csv"
    p.write_text(HEADER + "e1,ann,2024-01-01\n\ne1,ann,2024-01-01\n")
    assert "first at row 4" in load(p).warnings[0]


def test_json_lines_line_numbers_count_blank_lines(tmp_path):
    p = tmp_path / "blank.jsonl"
    p.write_text('\n{"activity_id": "e1", "member_id": "ann", "timestamp": "2024-01-01"}\n\n   \n'
                 '{"activity_id": "e1", "member_id": "", "timestamp": "2024-01-01"}\n')
    with pytest.raises(ValueFormatError, match=r"1 empty id\(s\) at line 5"):
        read_activities(p)


def test_edge_list_rows_with_blank_lines(tmp_path):
    p = tmp_path / "edges.csv"
    p.write_text("source,target,timestamp\n\nann,bo,2024-01-01\n\nbo,,2024-01-02\n")
    with pytest.raises(ValueFormatError, match=r"column 'target': 1 empty id\(s\) at row 5"):
        read_activities(p)


# ---------------------------------------------------------------- NUL bytes
@pytest.mark.parametrize("gz", [False, True])
def test_nul_byte_after_the_first_4_kib(tmp_path, gz):
    import gzip

    body = HEADER + "".join(f"e{i},m{i % 7},2024-01-01\n" for i in range(400))
    assert len(body) > 4096
    body += "e1,ev\x00il,2024-01-01\n"
    p = tmp_path / ("nul.csv.gz" if gz else "nul.csv")
    p.write_bytes(gzip.compress(body.encode()) if gz else body.encode())
    with pytest.raises(FileFormatError, match=r"column 'member_id': a NUL byte at row 402"):
        read_activities(p)


# ---------------------------------------------------------------- wording
def test_parse_mapping_speaks_of_the_mapping_and_the_cli_of_its_option():
    from cop.cli.common import split_map

    with pytest.raises(ConfigError, match=r"^mapping: 'member_id' is not of the form COLUMN=HEADER"):
        parse_mapping(["member_id"])
    with pytest.raises(ConfigError, match=r"^option '--map': 'member_id' is not"):
        split_map(["member_id"])
    with pytest.raises(ConfigError, match=r"^option '--member-map': "):
        split_map(["=x"], "--member-map")


def test_every_error_above_is_a_cop_error():
    assert issubclass(SchemaError, CopError) and issubclass(FileFormatError, CopError)
