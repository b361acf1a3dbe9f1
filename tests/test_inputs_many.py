"""Several inputs at once: a Slack export, check-ins and a guest list in one log, each row keeping its source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cop import read_activities_many
from cop.cli.app import app
from cop.exceptions import SchemaError
from cop.io import parse_add

HERE = Path(__file__).parent
SLACK = HERE / "fixtures" / "readers" / "slack"
PRESETS = HERE / "fixtures" / "presets"
CHECKINS = PRESETS / "nexudus-checkins.csv"
GUESTS = PRESETS / "ai-night-2024-05-02.csv"


@pytest.fixture
def identities(tmp_path):
    p = tmp_path / "identities.csv"
    p.write_text("source,handle,member_id\nslack,U01,ada\nnexudus-checkins,101,ada\n*,ada@example.org,ada\n")
    return p


def test_three_sources_one_log(identities):
    log = read_activities_many([SLACK, (CHECKINS, "nexudus-checkins"), (GUESTS, "luma-guests")],
                               identities=identities, emit_warnings=False)
    # slack 8 rows (U01..U05), check-ins 6 rows (101, 102, 103), guests 4 rows (ada, ben, eve, hal)
    assert log.data.groupby("source", observed=True).size().to_dict() == {"slack": 8, "nexudus-checkins.csv": 6,
                                                                          "ai-night-2024-05-02.csv": 4}
    ids = set(log.data["member_id"].astype(str))
    assert ids == {"ada", "U02", "U03", "U04", "U05", "102", "103", "ben@example.org", "eve@example.org", "hal@example.org"}
    sources = log.summary()["sources"]
    assert sources["slack"]["bots_dropped"] == 2 and sources["slack"]["accounts"] == 5
    assert sources["ai-night-2024-05-02.csv"]["filtered"] == 4
    m = log.members
    # ada: role from Slack's users.json, organization and plan from the check-ins; the guests are plain members
    assert (m.loc["ada", "role"], m.loc["ada", "organization"], m.loc["ada", "plan"]) == ("member", "Acme", "Hot desk")
    assert m.loc["U05", "role"] == "manager" and m.loc["hal@example.org", "participant_type"] == "member"


def test_same_file_name_twice_gets_two_labels(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for d, who in ((a, "ann"), (b, "bo")):
        (d / "log.csv").write_text(f"activity_id,member_id,timestamp\ne1,{who},2024-01-01\n")
    log = read_activities_many([a / "log.csv", b / "log.csv"], emit_warnings=False)
    assert set(log.audit) == {"log.csv", "log.csv#2"} and log.n_members == 2


def test_an_error_in_an_added_file_names_that_file(tmp_path):
    ok = tmp_path / "ok.csv"
    ok.write_text("activity_id,member_id,timestamp\ne1,ann,2024-01-01\n")
    with pytest.raises(SchemaError, match=r"ai-night-2024-05-02.csv: preset 'nexudus-checkins'"):
        read_activities_many([ok, (GUESTS, "nexudus-checkins")])


def test_parse_add_keeps_colons_of_paths():
    assert parse_add("C:/data/log.csv") == (Path("C:/data/log.csv"), None)
    assert parse_add("x.csv:mine.toml") == (Path("x.csv"), "mine.toml")


def test_cli_add_and_identities(identities):
    r = CliRunner().invoke(app, ["validate", str(SLACK), "--add", f"{CHECKINS}:nexudus-checkins",
                                 "--add", f"{GUESTS}:luma-guests", "--identities", str(identities), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["rows"] == 18 and out["sources"]["nexudus-checkins.csv"]["rows"] == 6
