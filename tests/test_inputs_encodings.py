"""Text encodings of CSV/TSV exports: UTF-16/32 with a byte-order mark, --encoding, and a clear error."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cop import read_activities, read_table
from cop.cli import app
from cop.exceptions import ConfigError, FileFormatError, ValueFormatError

runner = CliRunner()

TEXT = "activity_id,member_id,timestamp\ne1,José,2024-01-01\ne1,Zoë,2024-01-02\ne2,Ørjan,2024-01-03\n"
MEMBERS = ["José", "Zoë", "Ørjan"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_with_a_bom_is_text(tmp_path, codec):
    p = tmp_path / "unicode.tsv"
    data = TEXT.replace(",", "\t").encode(codec)
    if codec.endswith(("-le", "-be")):  # the bare codecs write no mark: add Excel's
        data = ("\ufeff".encode(codec)) + data
    p.write_bytes(data)
    log = read_activities(p)
    assert sorted(log.data["member_id"].astype(str).unique()) == sorted(MEMBERS)
    assert log.n_activities == 2


def test_cp1252_without_encoding_is_one_error_naming_the_option(tmp_path):
    p = tmp_path / "excel.csv"
    p.write_bytes(TEXT.encode("cp1252"))
    with pytest.raises(FileFormatError, match=r"excel.csv: is not UTF-8 text \(byte 0xe9 at line 2\).*--encoding cp1252"):
        read_activities(p)
    res = runner.invoke(app, ["validate", str(p)])
    assert res.exit_code == 1 and "--encoding cp1252" in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_encoding_option(tmp_path, codec):
    p = tmp_path / "excel.csv"
    p.write_bytes(TEXT.encode(codec))
    log = read_activities(p, encoding=codec)
    assert sorted(log.data["member_id"].astype(str).unique()) == sorted(MEMBERS)
    res = runner.invoke(app, ["validate", str(p), "--encoding", codec, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert '"members": 3' in res.output
    frame, _ = read_table(p, encoding=codec)
    assert frame["member_id"].astype(str).tolist() == MEMBERS


def test_side_tables_use_the_encoding(tmp_path):
    p, m = tmp_path / "log.csv", tmp_path / "members.csv"
    p.write_bytes(TEXT.encode("cp1252"))
    m.write_bytes("member_id,organization\nJosé,Café Ltd\nZoë,Café Ltd\nØrjan,Bø AS\n".encode("cp1252"))
    log = read_activities(p, m, encoding="cp1252")
    assert sorted(log.members_table["organization"].astype(str).unique()) == ["Bø AS", "Café Ltd"]
    assert not [w for w in log.warnings if "not in" in w]  # every participant found in the members table


def test_rows_are_named_in_a_transcoded_file(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes("activity_id,member_id,timestamp\ne1,José,2024-01-01\n\ne1,Zoë,nope\n".encode("utf-16"))
    with pytest.raises(ValueFormatError, match=r"bad.csv, column 'timestamp'.* at row 4"):
        read_activities(p)


def test_bad_encodings_are_one_error(tmp_path):
    p = tmp_path / "log.csv"
    p.write_bytes(TEXT.encode("utf-8"))
    with pytest.raises(ConfigError, match="'nope' is not a known text encoding"):
        read_activities(p, encoding="nope")
    # UTF-8 bytes read as UTF-16 cannot decode: the error names the codec
    p.write_bytes(b"\xff\xfe" + b"a\x00,\x00" + b"\x00\xd8")
    with pytest.raises(FileFormatError, match="is not utf-16 text"):
        read_activities(p)
    res = runner.invoke(app, ["validate", str(p), "--encoding", "nope"])
    assert res.exit_code == 1 and "not a known text encoding" in res.output
