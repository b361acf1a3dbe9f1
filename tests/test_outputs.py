"""Outputs: stale temporaries, errors naming the target, outputs that are inputs, missing folders,
symlinks, XML-safe graphs, and one default-salt warning for every command."""

from __future__ import annotations

import errno
import os
import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

import cop
from cop._atomic import atomic_path, atomic_write_text, stale_temporaries
from cop.cli import app
from cop.exceptions import ConfigError, DataError

runner = CliRunner()
LOG = "activity_id,member_id,timestamp\na,ann,2024-03-01\na,bo,2024-03-01\nb,ann,2024-03-02\nb,cy,2024-03-02\n"


@pytest.fixture
def log_csv(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(LOG)
    return p


def _dead_pid() -> int:
    pid = 999_999
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        pid += 1


# ----------------------------------------------------------------------------- temporaries
def test_next_write_removes_only_stale_temporaries_of_its_target(tmp_path):
    target = tmp_path / "out.csv"
    dead = _dead_pid()
    stale = tmp_path / f".out.csv.{dead}.k2x_9a.tmp"
    live = tmp_path / f".out.csv.{os.getppid()}.abcd12.tmp"  # a running process may still be writing it
    other = tmp_path / f".other.csv.{dead}.abcd12.tmp"  # another target's
    mine_like = tmp_path / ".out.csv.notapid.tmp"  # not our pattern
    for p in (stale, live, other, mine_like):
        p.write_text("half")
    assert stale_temporaries(target) == [stale]
    atomic_write_text(target, "new\n")
    assert not stale.exists() and live.exists() and other.exists() and mine_like.exists()
    assert target.read_text() == "new\n"


def test_temporary_name_holds_the_pid(tmp_path):
    with atomic_path(tmp_path / "x.json") as tmp:
        assert tmp.name.startswith(f".x.json.{os.getpid()}.") and tmp.name.endswith(".tmp")
        tmp.write_text("{}")


# ----------------------------------------------------------------------------- errors name the target
def test_write_error_names_the_target_not_the_temporary(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(OSError) as err:
        with atomic_path(target) as tmp:
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp))
    assert err.value.filename == str(target) and err.value.errno == errno.ENOSPC
    assert ".tmp" not in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_replace_error_names_the_target(tmp_path):
    target = tmp_path / "out.csv"
    target.mkdir()  # a folder where the file should go
    with pytest.raises(OSError) as err:
        atomic_write_text(target, "x")
    assert err.value.filename == str(target) and ".tmp" not in str(err.value)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_cli_write_error_is_one_line_naming_the_target(log_csv, tmp_path):
    target = tmp_path / "g.csv"
    target.mkdir()
    res = runner.invoke(app, ["graph", str(log_csv), "-o", str(target)])
    assert res.exit_code == 1
    assert f"error: {target}:" in res.output and ".tmp" not in res.output and "Traceback" not in res.output


# ----------------------------------------------------------------------------- outputs that are inputs
@pytest.mark.parametrize("command", [["diagnose", "--format", "json"], ["graph"]])
def test_output_equal_to_input_is_refused(log_csv, command):
    out = log_csv if command[0] == "diagnose" else log_csv
    res = runner.invoke(app, [command[0], str(log_csv), *command[1:], "-o", str(out)])
    assert res.exit_code == 1
    assert "is the input file" in res.output and str(log_csv) in res.output
    assert log_csv.read_text() == LOG


def test_output_reaching_the_input_by_another_path_is_refused(log_csv, tmp_path):
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(log_csv)
    for out in (tmp_path / "sub" / ".." / "a.csv", link):
        res = runner.invoke(app, ["diagnose", str(log_csv), "--format", "json", "-o", str(out)])
        assert res.exit_code == 1 and "is the input file" in res.output
    members = tmp_path / "members.csv"
    members.write_text("member_id\nann\nbo\ncy\n")
    res = runner.invoke(app, ["report", str(log_csv), "--members", str(members), "-o", str(tmp_path / "r.html"),
                              "--json", str(members)])
    assert res.exit_code == 1 and "option '--json'" in res.output and "is the input file" in res.output
    assert log_csv.read_text() == LOG and members.read_text() == "member_id\nann\nbo\ncy\n"


def test_output_inside_an_input_folder_is_refused(tmp_path):
    folder = tmp_path / "sim"
    folder.mkdir()
    (folder / "activities.csv").write_text(LOG)
    res = runner.invoke(app, ["diagnose", str(folder), "--format", "json", "-o", str(folder / "activities.csv")])
    assert res.exit_code == 1 and "is the input file" in res.output
    assert (folder / "activities.csv").read_text() == LOG


# ----------------------------------------------------------------------------- missing folders
def test_missing_output_folder_is_an_error_with_a_hint(log_csv, tmp_path):
    out = tmp_path / "typo" / "deep" / "g.graphml"
    res = runner.invoke(app, ["graph", str(log_csv), "-o", str(out)])
    assert res.exit_code == 1
    assert "does not exist" in res.output and "--mkdir" in res.output
    assert not (tmp_path / "typo").exists()
    res = runner.invoke(app, ["graph", str(log_csv), "-o", str(out), "--mkdir"])
    assert res.exit_code == 0 and out.exists()


def test_library_writers_create_no_folder(tmp_path, example_diagnosis):
    with pytest.raises(ConfigError, match="does not exist"):
        example_diagnosis.to_json(tmp_path / "nope" / "d.json")
    assert not (tmp_path / "nope").exists()
    assert atomic_write_text(tmp_path / "made" / "d.json", "{}", mkdir=True).read_text() == "{}"


def test_folder_outputs_need_their_parent(tmp_path):
    res = runner.invoke(app, ["demo", "-o", str(tmp_path / "missing" / "demo")])
    assert res.exit_code == 1 and "does not exist" in res.output and not (tmp_path / "missing").exists()
    res = runner.invoke(app, ["simulate", "baseline_coworking", "--years", "0.1", "--seed", "1", "--no-progress",
                              "-o", str(tmp_path / "missing" / "sim")])
    assert res.exit_code == 1 and "does not exist" in res.output and not (tmp_path / "missing").exists()
    existing = tmp_path / "file.txt"
    existing.write_text("keep")
    res = runner.invoke(app, ["simulate", "baseline_coworking", "--years", "0.1", "--no-progress", "-o", str(existing)])
    assert res.exit_code == 1 and "is not a folder" in res.output and "Traceback" not in res.output
    assert existing.read_text() == "keep"


def test_simulate_writes_every_file_atomically_into_its_folder(tmp_path):
    out = tmp_path / "sim"
    res = runner.invoke(app, ["simulate", "baseline_coworking", "--years", "0.1", "--seed", "1", "--no-progress",
                              "--executor", "sequential", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "scenario.json").read_text().endswith("}\n")
    assert not list(out.rglob(".*.tmp"))


# ----------------------------------------------------------------------------- symlinks
def test_symlink_output_is_replaced_not_written_through(log_csv, tmp_path):
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("do not touch")
    link = tmp_path / "link.csv"
    link.symlink_to(elsewhere)
    res = runner.invoke(app, ["graph", str(log_csv), "-o", str(link)])
    assert res.exit_code == 0, res.output
    assert elsewhere.read_text() == "do not touch"
    assert not link.is_symlink() and pd.read_csv(link).shape[0] == 2  # ties ann-bo, ann-cy


# ----------------------------------------------------------------------------- XML
def _graph(ids):
    frame = pd.DataFrame({"activity_id": ["a"] * len(ids), "member_id": ids, "timestamp": ["2024-03-01"] * len(ids)})
    return cop.interaction_graph(cop.ActivityLog.from_frame(frame))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_outputs_parse_and_keep_unusual_ids(tmp_path, fmt):
    ids = ["<&>\"'", "é😀", "tab\there", "line\nbreak", "plain"]
    path = _graph(ids).write(tmp_path / f"g.{fmt}")
    root = ET.parse(path).getroot()
    read = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert root is not None and sorted(read.nodes) == sorted(ids) and read.number_of_edges() == 10


@pytest.mark.parametrize("bad", ["nul\x00id", "bell\x07", "esc\x1b[0m", "\ufffe"])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_outputs_refuse_characters_xml_cannot_hold(tmp_path, fmt, bad):
    with pytest.raises(DataError, match="character XML cannot hold"):
        _graph(["ann", bad]).write(tmp_path / f"g.{fmt}")
    assert list(tmp_path.iterdir()) == []
    assert pd.read_csv(_graph(["ann", bad]).write(tmp_path / "g.csv")).shape[0] == 1  # the edge list can


def test_cli_graph_refuses_control_characters(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("activity_id,member_id,timestamp\na,ann,2024-03-01\na,\"b\x01o\",2024-03-01\n")
    res = runner.invoke(app, ["graph", str(p), "-o", str(tmp_path / "g.graphml")])
    assert res.exit_code == 1 and "XML cannot hold" in res.output and "hint" in res.output
    assert not (tmp_path / "g.graphml").exists()


# ----------------------------------------------------------------------------- the default-salt warning
SALT_WARNING = "public default salt"


@pytest.mark.parametrize(
    "args",
    [["graph", "{log}", "-o", "{out}/g.csv"], ["diagnose", "{log}", "--format", "json", "-o", "{out}/d.json"],
     ["report", "{log}", "-o", "{out}/r.html"], ["demo", "-o", "{out}/demo"],
     ["simulate", "baseline_coworking", "--years", "0.1", "--seed", "1", "--no-progress", "--executor", "sequential",
      "-o", "{out}/sim"]],
)
def test_every_pseudonymizing_command_warns_about_the_default_salt_once(log_csv, tmp_path, monkeypatch, args):
    monkeypatch.delenv("COP_SALT", raising=False)
    for out, salt, warnings in ((tmp_path / "one", [], 1), (tmp_path / "two", ["--salt", "a secret"], 0)):
        argv = [a.format(log=log_csv, out=out) for a in args]
        res = runner.invoke(app, [*argv, "--pseudonymize", "--mkdir", *salt])
        assert res.exit_code == 0, res.output
        assert res.output.count(SALT_WARNING) == warnings
