"""Columns: --set constants, one header feeding several columns, --ignore, organization from the log."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from cop import ActivityLog, read_activities
from cop.cli import app
from cop.exceptions import ConfigError, SchemaError, ValueFormatError

runner = CliRunner()

# a check-in export: the day is both the activity and its time; a Slack-like channel; the company per row
CSV = ("Date,Member,channel,Company\n"
       "2024-03-01,ola,#general,Acme\n2024-03-01,kari,#general,Beta\n"
       "2024-03-02,ola,#random,Acme\n2024-03-02,per,#random,Acme\n2024-03-03,per,#random,Gamma\n")
MAP = {"activity_id": "Date", "timestamp": "Date", "member_id": "Member"}
CLI_MAP = ["--map", "activity_id=Date", "--map", "timestamp=Date", "--map", "member_id=Member"]


@pytest.fixture
def checkins(tmp_path):
    p = tmp_path / "checkins.csv"
    p.write_text(CSV)
    return p


def test_one_header_feeds_two_columns(checkins):
    log = read_activities(checkins, mapping=MAP, ignore=["channel", "Company"])
    assert log.n_activities == 3  # three distinct days
    assert log.data["activity_id"].astype(str).tolist() == ["2024-03-01", "2024-03-01", "2024-03-02", "2024-03-02", "2024-03-03"]
    assert log.data["timestamp"].dt.strftime("%Y-%m-%d").tolist() == log.data["activity_id"].astype(str).tolist()


def test_set_a_constant(checkins):
    log = read_activities(checkins, mapping=MAP, ignore=["channel"], set_columns={"kind": "presence"})
    assert set(log.data["kind"].astype(str)) == {"presence"}
    with pytest.raises(ConfigError, match="'foo' is not a cop column"):
        read_activities(checkins, mapping=MAP, ignore=["channel"], set_columns={"foo": "1"})
    with pytest.raises(ValueFormatError, match="column 'kind'"):  # a constant is checked like any value
        read_activities(checkins, mapping=MAP, ignore=["channel"], set_columns={"kind": "party"})


def test_reserved_channel_clash_offers_ignore(checkins):
    with pytest.raises(ValueFormatError, match=r"column 'channel'.*'#general'.*reserved cop column.*--ignore channel"):
        read_activities(checkins, mapping=MAP)
    res = runner.invoke(app, ["validate", str(checkins), *CLI_MAP])
    assert res.exit_code == 1 and "--ignore channel" in res.output and "Traceback" not in res.output
    with pytest.raises(SchemaError, match="ignored header.*'nope'"):
        read_activities(checkins, mapping=MAP, ignore=["nope"])


def test_organization_from_the_log(checkins):
    log = read_activities(checkins, mapping={**MAP, "organization": "Company"}, ignore=["channel"], emit_warnings=False)
    orgs = log.members_table.set_index("member_id")["organization"].astype(str).to_dict()
    # per is Acme once and Gamma once: the tie goes to the first in alphabetical order
    assert orgs == {"ola": "Acme", "kari": "Beta", "per": "Acme"}
    (note,) = [w for w in log.warnings if "more than one organization" in w]
    assert "1 member(s)" in note and "'per'" in note
    assert "organization" not in log.data.columns


def test_organization_column_named_so_and_a_members_table_wins():
    frame = pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": ["a", "b"], "timestamp": ["2024-01-01"] * 2,
                          "organization": ["X", "Y"]})
    log = ActivityLog.from_frame(frame, emit_warnings=False)
    assert log.members_table.set_index("member_id")["organization"].astype(str).to_dict() == {"a": "X", "b": "Y"}
    given = ActivityLog.from_frame(frame, pd.DataFrame({"member_id": ["a", "b"], "organization": ["Z", "Z"]}), emit_warnings=False)
    assert set(given.members_table["organization"].astype(str)) == {"Z"}
    assert any("organization column is ignored" in w for w in given.warnings)


def test_cli_options_together(checkins):
    res = runner.invoke(app, ["validate", str(checkins), *CLI_MAP, "--ignore", "channel", "--set", "kind=presence",
                              "--map", "organization=Company", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout[res.stdout.index("{"):])
    assert out["activities"] == 3 and out["kinds"] == {"presence": 5} and out["organizations"] == 2
    bad = runner.invoke(app, ["validate", str(checkins), *CLI_MAP, "--set", "kind"])
    assert bad.exit_code == 1 and "option '--set'" in bad.output
