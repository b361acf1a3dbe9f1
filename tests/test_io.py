"""Loading: formats, timestamps, edge lists, mapping, and one clear error per bad input."""

from __future__ import annotations

import gzip
import hashlib
import json
import warnings

import pandas as pd
import pytest

import cop
from cop import ActivityLog, read_activities, write_log
from cop.exceptions import (
    ConfigError,
    CopError,
    DataError,
    DataWarning,
    FileFormatError,
    SchemaError,
    ValueFormatError,
)

GOOD = (
    "activity_id,member_id,timestamp,kind,role,topic,weight,channel\n"
    "e1,ann,2024-01-09T09:00:00+02:00,event,organizer,AI; Design,1,public\n"
    "e1,bo,2024-01-09T09:00:00+02:00,event,attendee,ai;design,1,public\n"
    "i1,ann,2024-01-10,interaction,sender,,1,private\n"
    "i1,cy,2024-01-10,interaction,recipient,,1,private\n"
)


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- good input
def test_csv_loads_with_types_and_utc(tmp_path):
    p = write(tmp_path, "log.csv", GOOD)
    log = read_activities(p)
    d = log.data
    assert len(log) == 4 and log.n_members == 3 and log.n_activities == 2
    assert isinstance(d["member_id"].dtype, pd.CategoricalDtype)
    assert isinstance(d["activity_id"].dtype, pd.CategoricalDtype)
    assert str(d["timestamp"].dt.tz) == "UTC"
    # 09:00 at +02:00 is 07:00 UTC
    assert d["timestamp"].iloc[0] == pd.Timestamp("2024-01-09T07:00:00Z")
    # topics normalised: "AI; Design" and "ai;design" are the same tag set
    assert d["topic"].iloc[0] == d["topic"].iloc[1] == "ai;design"
    assert d["channel"].astype(str).tolist() == ["public", "public", "private", "private"]


def test_input_file_is_not_modified(tmp_path):
    p = write(tmp_path, "log.csv", GOOD + GOOD.splitlines()[1] + "\n")  # with a duplicate row
    before = digest(p)
    with pytest.warns(DataWarning):
        read_activities(p)
    assert digest(p) == before


def test_optional_columns_get_defaults(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,member_id,timestamp\na,x,2024-01-01\na,y,2024-01-01\n")
    d = read_activities(p).data
    assert d["kind"].astype(str).tolist() == ["event", "event"]
    assert d["weight"].tolist() == [1.0, 1.0]
    assert d["role"].isna().all() and d["channel"].isna().all()


def test_semicolon_delimiter_and_bom(tmp_path):
    p = tmp_path / "excel.csv"
    p.write_bytes("\ufeffactivity_id;member_id;timestamp\na;x;2024-01-01\na;y;2024-01-02\n".encode("utf-8"))
    log = read_activities(p)
    assert log.n_members == 2


def test_gzip_csv(tmp_path):
    p = tmp_path / "log.csv.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(GOOD)
    assert len(read_activities(p)) == 4


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_roundtrip_formats(tmp_path, fmt):
    csv = write(tmp_path, "log.csv", GOOD)
    ref = read_activities(csv)
    raw = pd.read_csv(csv, dtype=str, keep_default_na=False)
    p = tmp_path / f"log.{fmt}"
    if fmt == "parquet":
        raw.to_parquet(p)
    else:
        raw.to_json(p, orient="records", lines=True)
    other = read_activities(p)
    pd.testing.assert_frame_equal(
        ref.data.astype(str).reset_index(drop=True), other.data.astype(str).reset_index(drop=True)
    )


def test_write_log_roundtrip(tmp_path):
    members = write(tmp_path, "m.csv", "member_id,organization,role,joined\nann,Hub,manager,2023-01-01\nbo,Acme,,\ncy,Acme,member,2023-05-01\n")
    details = write(tmp_path, "a.csv", "activity_id,type,external\ne1,social,no\ni1,introduction,false\n")
    log = read_activities(write(tmp_path, "log.csv", GOOD), members=members, activities=details)
    out = tmp_path / "out"
    written = write_log(log, out)
    assert set(written) == {"activities", "members", "details"}
    back = read_activities(written["activities"], members=written["members"], activities=written["details"])
    pd.testing.assert_frame_equal(log.data.astype(str), back.data.astype(str))
    assert back.members.loc["ann", "participant_type"] == "coordinator"
    assert back.members.loc["bo", "role"] == "member"


def test_dataframe_and_json_array(tmp_path):
    frame = pd.read_csv(write(tmp_path, "log.csv", GOOD))
    assert len(ActivityLog.from_frame(frame)) == 4
    p = tmp_path / "log.json"
    p.write_text(json.dumps(frame.fillna("").to_dict(orient="records")))
    assert len(read_activities(p)) == 4


# ----------------------------------------------------------------------------- timestamps
def test_timestamp_forms_and_zone(tmp_path):
    text = (
        "activity_id,member_id,timestamp\n"
        "a,x,2024-03-01\n"                  # date: midnight in tz
        "b,x,2024-03-01 12:30\n"            # naive datetime: in tz
        "c,x,2024-03-01T12:30:00Z\n"        # explicit UTC
        "d,x,2024-03-01T12:30:00+05:00\n"   # explicit offset
        "e,x,1709296200\n"                  # epoch seconds = 2024-03-01T12:30Z
    )
    p = write(tmp_path, "ts.csv", text)
    utc = read_activities(p).data["timestamp"]
    hel = read_activities(p, tz="Europe/Helsinki").data["timestamp"]
    assert utc.tolist() == [
        pd.Timestamp("2024-03-01T00:00Z"), pd.Timestamp("2024-03-01T12:30Z"), pd.Timestamp("2024-03-01T12:30Z"),
        pd.Timestamp("2024-03-01T07:30Z"), pd.Timestamp("2024-03-01T12:30Z"),
    ]
    # Helsinki is UTC+2 in March: only the values without a zone move
    assert hel.tolist() == [
        pd.Timestamp("2024-02-29T22:00Z"), pd.Timestamp("2024-03-01T10:30Z"), pd.Timestamp("2024-03-01T12:30Z"),
        pd.Timestamp("2024-03-01T07:30Z"), pd.Timestamp("2024-03-01T12:30Z"),
    ]


def test_numeric_epoch_column_in_dataframe():
    frame = pd.DataFrame({"activity_id": ["a", "a"], "member_id": ["x", "y"], "timestamp": [1704067200, 1704067200.5]})
    ts = ActivityLog.from_frame(frame).data["timestamp"]
    assert ts.iloc[0] == pd.Timestamp("2024-01-01T00:00:00Z")
    assert ts.iloc[1] == pd.Timestamp("2024-01-01T00:00:00.5Z")


def test_unknown_timezone_is_config_error(tmp_path):
    with pytest.raises(ConfigError, match="Mars/Olympus"):
        read_activities(write(tmp_path, "log.csv", GOOD), tz="Mars/Olympus")


# ----------------------------------------------------------------------------- edge lists and mapping
def test_edge_list_becomes_two_person_interactions(tmp_path):
    p = write(tmp_path, "messages.csv", "source,target,timestamp\nann,bo,2024-01-01T10:00Z\nbo,ann,2024-01-01T11:00Z\nann,cy,2024-01-02\n")
    log = read_activities(p)
    d = log.data
    assert len(d) == 6 and log.n_activities == 3
    assert set(d["kind"].astype(str)) == {"interaction"}
    first = d[d["activity_id"] == d["activity_id"].iloc[0]]
    assert dict(zip(first["role"].astype(str), first["member_id"].astype(str))) == {"sender": "ann", "recipient": "bo"}


def test_edge_list_error_names_edge_row(tmp_path):
    p = write(tmp_path, "messages.csv", "source,target,timestamp\nann,bo,2024-01-01\nbo,ann,not a date\n")
    with pytest.raises(ValueFormatError) as err:
        read_activities(p)
    assert "column 'timestamp'" in str(err.value) and "row 3" in str(err.value)


def test_column_mapping(tmp_path):
    p = write(tmp_path, "export.csv", "Event,Email,Date\ne1,a@x.org,2024-01-01\ne1,b@x.org,2024-01-01\n")
    log = read_activities(p, mapping={"activity_id": "Event", "member_id": "Email", "timestamp": "Date"})
    assert sorted(log.data["member_id"].astype(str)) == ["a@x.org", "b@x.org"]


def test_mapping_to_missing_header(tmp_path):
    p = write(tmp_path, "export.csv", "Event,Email,Date\ne1,a@x.org,2024-01-01\n")
    with pytest.raises(SchemaError, match="'Mail'.*found columns: Event, Email, Date"):
        read_activities(p, mapping={"member_id": "Mail"})


# ----------------------------------------------------------------------------- bad input: one clear error each
def test_missing_required_column_lists_found_columns(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,person,timestamp\na,x,2024-01-01\n")
    with pytest.raises(SchemaError) as err:
        read_activities(p)
    msg = str(err.value)
    assert "log.csv" in msg and "'member_id'" in msg and "found columns: activity_id, person, timestamp" in msg
    assert err.value.hint and "--map" in err.value.hint


def test_unparseable_timestamps_name_rows(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,member_id,timestamp\na,x,2024-01-01\na,y,yesterday\nb,y,2024-02-30\nb,z,2024-02-01\n")
    with pytest.raises(ValueFormatError) as err:
        read_activities(p)
    msg = str(err.value)
    # data rows 2 and 3 are spreadsheet rows 3 and 4 (the header is row 1)
    assert "log.csv, column 'timestamp'" in msg and "rows 3, 4" in msg and "'yesterday'" in msg and "ISO 8601" in msg


def test_empty_ids(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,member_id,timestamp\na,x,2024-01-01\na,,2024-01-01\na,  ,2024-01-01\n")
    with pytest.raises(ValueFormatError, match=r"column 'member_id'.*2 empty id\(s\) at rows 3, 4"):
        read_activities(p)


@pytest.mark.parametrize(
    ("weight", "problem"),
    [("-1", "negative"), ("heavy", "non-numeric")],
)
def test_bad_weights(tmp_path, weight, problem):
    p = write(tmp_path, "log.csv", f"activity_id,member_id,timestamp,weight\na,x,2024-01-01,1\na,y,2024-01-01,{weight}\n")
    with pytest.raises(ValueFormatError, match=rf"column 'weight'.*{problem}.*row 3.*non-negative number"):
        read_activities(p)


def test_unknown_kind(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,member_id,timestamp,kind\na,x,2024-01-01,event\na,y,2024-01-01,party\n")
    with pytest.raises(ValueFormatError) as err:
        read_activities(p)
    msg = str(err.value)
    assert "column 'kind'" in msg and "row 3" in msg and "'party'" in msg and "interaction" in msg


def test_unknown_channel(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,member_id,timestamp,channel\na,x,2024-01-01,secret\n")
    with pytest.raises(ValueFormatError, match="column 'channel'.*public, private"):
        read_activities(p)


def test_empty_file(tmp_path):
    p = write(tmp_path, "log.csv", "")
    with pytest.raises(FileFormatError, match="log.csv: is empty"):
        read_activities(p)


def test_header_only_file(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,member_id,timestamp\n")
    with pytest.raises(DataError, match="no rows"):
        read_activities(p)


def test_parquet_named_csv(tmp_path):
    frame = pd.DataFrame({"activity_id": ["a"], "member_id": ["x"], "timestamp": ["2024-01-01"]})
    p = tmp_path / "log.csv"
    frame.to_parquet(p)
    with pytest.raises(FileFormatError, match="log.csv: is not a text CSV"):
        read_activities(p)


def test_csv_named_parquet(tmp_path):
    p = write(tmp_path, "log.parquet", GOOD)
    with pytest.raises(FileFormatError, match="log.parquet: is not a Parquet file"):
        read_activities(p)


def test_jsonl_bad_line(tmp_path):
    p = write(tmp_path, "log.jsonl", '{"activity_id": "a", "member_id": "x", "timestamp": "2024-01-01"}\n{oops\n')
    with pytest.raises(FileFormatError, match="line 2 is not valid JSON"):
        read_activities(p)


def test_jsonl_errors_name_lines(tmp_path):
    p = write(tmp_path, "log.jsonl", '{"activity_id": "a", "member_id": "x", "timestamp": "2024-01-01"}\n'
              '{"activity_id": "a", "member_id": "y", "timestamp": "soon"}\n')
    with pytest.raises(ValueFormatError, match="line 2"):
        read_activities(p)


def test_ragged_csv(tmp_path):
    p = write(tmp_path, "log.csv", "activity_id,member_id,timestamp\na,x,2024-01-01\na,y,2024-01-01,extra,cells\n")
    with pytest.raises(FileFormatError, match="log.csv: is not a well-formed CSV"):
        read_activities(p)


def test_not_utf8(tmp_path):
    p = tmp_path / "log.csv"
    p.write_bytes("activity_id,member_id,timestamp\na,J\u00e4rvinen,2024-01-01\n".encode("latin-1"))
    with pytest.raises(FileFormatError, match="not UTF-8"):
        read_activities(p)


def test_unknown_extension_and_missing_file(tmp_path):
    with pytest.raises(FileFormatError, match="unknown file type '.docx'"):
        read_activities(tmp_path / "log.docx")
    with pytest.raises(FileFormatError, match="no such file"):
        read_activities(tmp_path / "nothing.csv")


def test_errors_are_one_tree():
    assert issubclass(ValueFormatError, DataError) and issubclass(DataError, ValueError)
    assert issubclass(FileFormatError, CopError) and issubclass(ConfigError, ValueError)


# ----------------------------------------------------------------------------- warnings
def test_exact_duplicates_dropped_with_count(tmp_path):
    dup = GOOD.splitlines()[1]
    p = write(tmp_path, "log.csv", GOOD + dup + "\n" + dup + "\n")
    with pytest.warns(DataWarning, match="dropped 2 exact duplicate row"):
        log = read_activities(p)
    assert len(log) == 4
    assert any("duplicate" in w for w in log.warnings)


def test_members_missing_from_table_warn_and_become_outsiders(tmp_path):
    members = write(tmp_path, "members.csv", "member_id,organization,role\nann,Hub,manager\nbo,Acme,member\n")
    with pytest.warns(DataWarning, match="1 participant\\(s\\) are not in .*members.csv.*row 5.*outsiders"):
        log = read_activities(write(tmp_path, "log.csv", GOOD), members=members)
    assert log.members.loc["cy", "participant_type"] == "outsider"
    assert log.members.loc["ann", "participant_type"] == "coordinator"
    assert log.members.loc["bo", "participant_type"] == "member"


def test_activities_missing_from_table_warn(tmp_path):
    details = write(tmp_path, "details.csv", "activity_id,type,external\ne1,social,true\n")
    with pytest.warns(DataWarning, match="1 activit.*no row in .*details.csv"):
        log = read_activities(write(tmp_path, "log.csv", GOOD), activities=details)
    assert bool(log.activities.loc["e1", "external"]) is True
    assert pd.isna(log.activities.loc["i1", "external"])


def test_members_table_errors(tmp_path):
    log_path = write(tmp_path, "log.csv", GOOD)
    bad_role = write(tmp_path, "m1.csv", "member_id,role\nann,boss\n")
    with pytest.raises(ValueFormatError, match="m1.csv, column 'role'.*row 2.*'boss'.*member, manager, staff, guest"):
        read_activities(log_path, members=bad_role)
    dup = write(tmp_path, "m2.csv", "member_id\nann\nbo\nann\n")
    with pytest.raises(ValueFormatError, match="m2.csv, column 'member_id'.*repeated.*rows 2, 4"):
        read_activities(log_path, members=dup)
    bad_date = write(tmp_path, "m3.csv", "member_id,joined\nann,2023-01-01\nbo,someday\n")
    with pytest.raises(ValueFormatError, match="m3.csv, column 'joined'.*row 3"):
        read_activities(log_path, members=bad_date)


def test_activities_table_bad_boolean(tmp_path):
    details = write(tmp_path, "details.csv", "activity_id,external\ne1,maybe\n")
    with pytest.raises(ValueFormatError, match="details.csv, column 'external'.*row 2.*true or false"):
        read_activities(write(tmp_path, "log.csv", GOOD), activities=details)


def test_window_keeps_categories():
    log = cop.load_example()
    jan = log.window("2024-01-01", "2024-02-01")
    assert 0 < len(jan) < len(log)
    assert jan.data["timestamp"].min() >= pd.Timestamp("2024-01-01", tz="UTC")
    assert jan.data["timestamp"].max() < pd.Timestamp("2024-02-01", tz="UTC")
    assert list(jan.data["member_id"].cat.categories) == list(log.data["member_id"].cat.categories)


def test_example_loads_cleanly():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        log = cop.load_example()
    s = log.summary()
    assert s["members"] >= 150 and s["days"] >= 730
    assert s["coordinators"] == 2
    assert log.data["weight"].min() >= 0


@pytest.mark.slow
def test_folder_written_by_write_log_reads_back_whole(tmp_path):
    log = cop.load_example()
    folder = tmp_path / "rep-000"
    write_log(log, folder)
    back = read_activities(folder)
    assert back.has_members_table and back.has_activities_table
    pd.testing.assert_frame_equal(log.data.astype(str), back.data.astype(str))
    # an explicit side table wins over the folder's
    alone = read_activities(folder, members=pd.DataFrame({"member_id": ["m0001"], "role": ["manager"]}), emit_warnings=False)
    assert int(alone.members["listed"].sum()) == 1
    with pytest.raises(FileFormatError, match="folder without activities.csv"):
        read_activities(tmp_path)
