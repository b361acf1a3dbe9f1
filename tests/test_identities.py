"""Identities: normalisers, the identities table, near-duplicate ids; counts worked out by hand."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from cop import read_activities
from cop.exceptions import SchemaError, ValueFormatError
from cop.io import read_identities
from cop.io.identities import resolve_members


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_emails_differing_by_case_and_spaces_are_one_member(tmp_path):
    p = _csv(tmp_path, "log.csv", "activity_id,member_id,timestamp\ne1,anna@example.com,2024-01-01\n"
                                  "e1,\"Anna@Example.com \",2024-01-01\ne2,ANNA@EXAMPLE.COM,2024-01-02\ne2,bo,2024-01-02\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log = read_activities(p)
    assert sorted(log.data["member_id"].astype(str).unique()) == ["anna@example.com", "bo"]
    # e1 has anna twice after the rule: the second row is an exact duplicate and is dropped (noted)
    assert len(log) == 3
    assert log.audit["log.csv"] == {"rows": 3, "bots_dropped": 0, "filtered": 0, "accounts": 4, "merged": 2}
    assert any("2 id(s) rewritten by the identity rules" in str(w.message) for w in caught)


def test_ids_differing_only_by_case_are_kept_apart_with_a_warning(tmp_path):
    p = _csv(tmp_path, "log.csv", "activity_id,member_id,timestamp\ne1,Bo Li,2024-01-01\ne1,bo li,2024-01-01\n"
                                  "e1,BoLi,2024-01-01\ne1,cy,2024-01-01\ne1,Cy,2024-01-01\n")
    log = read_activities(p, emit_warnings=False)
    assert log.n_members == 5  # nothing merged by name
    note = next(w for w in log.warnings if "differ only by case or spaces" in w)
    assert "2 group(s)" in note and "5 ids" in note and "--identities" in note


def test_github_noreply_and_meetup_rules():
    frame = pd.DataFrame({"member_id": ["583231+Octo@users.noreply.github.com", "octo@users.noreply.github.com", "user 77"]})
    out, audit = resolve_members(frame, ["member_id"], labels=["x"], normalize=["meetup-user"])
    assert out["member_id"].tolist() == ["Octo", "octo", "77"] and audit == {"accounts": 3, "merged": 0}
    assert frame["member_id"].iloc[2] == "user 77"  # the input is not modified


def test_identities_table_per_source_and_for_every_source(tmp_path):
    ids = _csv(tmp_path, "ids.csv", "source,handle,member_id\nchat.csv,U01,anna\n*,Anna@Example.com,anna\nother.csv,U02,nobody\n")
    p = _csv(tmp_path, "chat.csv", "activity_id,member_id,timestamp\nt1,U01,2024-01-01\nt1,U02,2024-01-01\n"
                                   "t2,anna@example.com,2024-01-02\nt2,U03,2024-01-02\n")
    log = read_activities(p, identities=ids, emit_warnings=False)
    assert sorted(log.data["member_id"].astype(str).unique()) == ["U02", "U03", "anna"]
    assert log.audit["chat.csv"]["merged"] == 1  # U01 and anna@example.com are one account


def test_identities_join_before_the_members_table(tmp_path):
    ids = _csv(tmp_path, "ids.csv", "source,handle,member_id\n,U01,anna\n")
    p = _csv(tmp_path, "chat.csv", "activity_id,member_id,timestamp\nt1,U01,2024-01-01\nt1,bo,2024-01-01\n")
    m = _csv(tmp_path, "members.csv", "member_id,organization\nanna,Acme\nBo,Beta\n")
    log = read_activities(p, m, identities=ids, emit_warnings=False)
    assert log.members.loc["anna", "organization"] == "Acme"
    assert log.members.loc["bo", "participant_type"] == "outsider"  # 'Bo' is not 'bo': not an e-mail, not merged


def test_bad_identities_tables_name_file_row_and_column(tmp_path):
    with pytest.raises(SchemaError, match=r"ids.csv: missing column\(s\) 'handle' of an identities table"):
        read_identities(_csv(tmp_path, "ids.csv", "source,login,member_id\nslack,U1,anna\n"))
    with pytest.raises(ValueFormatError, match=r"ids2.csv, column 'handle': handle 'u1' of source 'slack' is given two "
                                               r"members \('anna' at row 2, 'bo' at row 3\)"):
        read_identities(_csv(tmp_path, "ids2.csv", "source,handle,member_id\nslack,u1,anna\nSlack,u1,bo\n"))
    with pytest.raises(ValueFormatError, match=r"ids3.csv, column 'member_id': empty cell at row 2"):
        read_identities(_csv(tmp_path, "ids3.csv", "source,handle,member_id\nslack,u1,\n"))
