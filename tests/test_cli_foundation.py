"""The CLI skeleton: --version, validate, graph; one clear line and exit 1 on bad input."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.datasets import example_paths

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"cop {cop.__version__}"


def test_validate_example():
    p = example_paths()
    result = runner.invoke(app, ["validate", str(p["activities"]), "--members", str(p["members"]), "--activities", str(p["details"])])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output and "presence" in result.output and "time span" in result.output


def test_validate_json():
    result = runner.invoke(app, ["validate", str(example_paths()["activities"]), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["rows"] > 30_000 and data["kinds"]["presence"] > 0


def test_validate_bad_file_one_line(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("activity_id,member_id,timestamp\na,x,2024-01-01\na,y,nope\n")
    result = runner.invoke(app, ["validate", str(p)])
    assert result.exit_code == 1
    err = result.stderr if hasattr(result, "stderr") else result.output
    assert "error:" in err and "column 'timestamp'" in err and "row 3" in err
    assert "Traceback" not in result.output


def test_validate_with_map(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("Event,Email,Date\ne,a@x,2024-01-01\ne,b@x,2024-01-01\n")
    ok = runner.invoke(app, ["validate", str(p), "--map", "activity_id=Event", "--map", "member_id=Email", "--map", "timestamp=Date"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["validate", str(p), "--map", "member_id"])
    assert bad.exit_code == 1 and "COLUMN=HEADER" in bad.output


def test_graph_command(tmp_path):
    p = example_paths()
    out = tmp_path / "ties.gexf"
    result = runner.invoke(app, ["graph", str(p["activities"]), "--members", str(p["members"]),
                                 "--start", "2024-01-01", "--end", "2024-04-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = nx.read_gexf(out)
    assert g.number_of_nodes() > 50 and all("weight" in d for _, _, d in g.edges(data=True))
    bad = runner.invoke(app, ["graph", str(p["activities"]), "-o", str(tmp_path / "g.png")])
    assert bad.exit_code == 1 and "must end in .graphml" in bad.output


@pytest.mark.slow
def test_diagnose_a_simulated_replicate_folder(tmp_path):
    out = tmp_path / "sim"
    r = runner.invoke(app, ["simulate", "baseline_coworking", "-o", str(out), "--years", "0.5", "--seed", "2", "--no-progress"])
    assert r.exit_code == 0, r.output
    v = runner.invoke(app, ["validate", str(out / "rep-000"), "--format", "json"])
    assert v.exit_code == 0, v.output
    summary = json.loads(v.output)
    assert summary["coordinators"] >= 1 and summary["listed_members"] > 0  # members.csv was picked up
    d = runner.invoke(app, ["diagnose", str(out / "rep-000"), "--format", "json"])
    assert d.exit_code == 0 and json.loads(d.output)["phase"] in {"potential", "coalescing", "active", "dispersed", "memorable"}
