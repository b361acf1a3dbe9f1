"""The git reader grouped by area and period, and reader options on the command line; counts worked out by hand."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from typer.testing import CliRunner

from cop.cli.app import app
from cop.exceptions import ConfigError, FileFormatError
from cop.io import read_activities


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    d = tmp_path_factory.mktemp("repo")
    subprocess.run(["git", "init", "-q", str(d)], check=True)
    commits = [("ann", "2024-03-04T10:00:00Z", ["docs/a.md", "src/x.py"]),  # Monday of ISO week 10
               ("bo", "2024-03-05T10:00:00Z", ["docs/b.md"]),
               ("ann", "2024-03-12T10:00:00Z", ["src/y.py"]),  # week 11
               ("cy", "2024-03-12T11:00:00Z", ["README.md"])]
    for who, when, files in commits:
        for f in files:
            (d / f).parent.mkdir(parents=True, exist_ok=True)
            (d / f).write_text(f"{who} {when}\n")
        env = {**os.environ, "GIT_AUTHOR_NAME": who, "GIT_AUTHOR_EMAIL": f"{who}@example.org", "GIT_AUTHOR_DATE": when,
               "GIT_COMMITTER_NAME": who, "GIT_COMMITTER_EMAIL": f"{who}@example.org", "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "-C", str(d), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(d), "commit", "-q", "-m", "x"], check=True, env=env)
    return d


def groups(log):
    d = log.data.astype({"activity_id": str, "member_id": str})
    return {a: {m.split("@")[0] for m in g["member_id"]} for a, g in d.groupby("activity_id")}


def test_per_commit_by_default(repo):
    log = read_activities(repo, emit_warnings=False)
    assert len(log) == 4 and log.n_activities == 4


def test_grouped_by_area_and_week(repo):
    log = read_activities(repo, reader_options={"group": "week"}, emit_warnings=False)
    assert groups(log) == {"docs 2024-W10": {"ann", "bo"}, "src 2024-W10": {"ann"}, "src 2024-W11": {"ann"},
                           "(top) 2024-W11": {"cy"}}


def test_grouped_by_month_and_deeper_areas(repo):
    assert groups(read_activities(repo, reader_options={"group": "month"}, emit_warnings=False)) == {
        "docs 2024-03": {"ann", "bo"}, "src 2024-03": {"ann"}, "(top) 2024-03": {"cy"}}
    deep = read_activities(repo, reader_options={"group": "month", "depth": "2"}, emit_warnings=False)
    assert set(groups(deep)) == {"docs 2024-03", "src 2024-03", "(top) 2024-03"}  # no second-level folders here


def test_bad_reader_options_are_one_clear_error(repo, tmp_path):
    with pytest.raises(FileFormatError, match=r"option 'group': is 'year'; expected one of day, week, month"):
        read_activities(repo, reader_options={"group": "year"})
    with pytest.raises(ConfigError, match=r"the git reader has no option 'colour'; its options are hash_ids, rev, group, depth"):
        read_activities(repo, reader_options={"colour": "red"})
    csv = tmp_path / "log.csv"
    csv.write_text("activity_id,member_id,timestamp\ne1,ann,2024-01-01\n")
    with pytest.raises(ConfigError, match=r"the csv reader has no option 'sheet'; it takes no options"):
        read_activities(csv, reader_options={"sheet": "Visits"})


def test_cli_reader_option(repo):
    r = CliRunner().invoke(app, ["validate", str(repo), "--reader-option", "group=week", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["activities"] == 4 and json.loads(r.output)["rows"] == 5
    r = CliRunner().invoke(app, ["validate", str(repo), "--reader-option", "group"])
    assert r.exit_code == 1 and "--reader-option" in r.output
