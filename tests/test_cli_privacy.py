"""--pseudonymize on every command that writes member-level output: graph, diagnose, simulate."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from cop.cli import app
from cop.datasets import example_paths

runner = CliRunner()


def _ids():
    members = pd.read_csv(example_paths()["members"], dtype=str)
    return set(members["member_id"]), set(members["name"].dropna())


@pytest.mark.slow
def test_graph_and_diagnose_pseudonymized(tmp_path):
    p = example_paths()
    ids, names = _ids()
    gexf = tmp_path / "g.graphml"
    r1 = runner.invoke(app, ["graph", str(p["activities"]), "-m", str(p["members"]), "-o", str(gexf),
                             "--pseudonymize", "--salt", "s3cret"])
    assert r1.exit_code == 0, r1.output
    out_json = tmp_path / "d.json"
    r2 = runner.invoke(app, ["diagnose", str(p["activities"]), "-m", str(p["members"]), "-a", str(p["details"]),
                             "--format", "json", "-o", str(out_json), "--pseudonymize", "--salt", "s3cret"])
    assert r2.exit_code == 0, r2.output
    assert "p-" in gexf.read_text() and "p-" in out_json.read_text()
    for text in (gexf.read_text(), out_json.read_text(), r1.output, r2.output):
        leaked = [i for i in ids if i in text]  # ids look like m0042 / g0007: no other text contains them
        assert not leaked, leaked[:3]
        assert not [n for n in names if n in text]
    # the same salt gives the same pseudonyms across commands
    import json

    diag = json.loads(out_json.read_text())
    pseudo = {m["member_id"] for m in diag["members"]}
    assert all(m.startswith("p-") for m in pseudo)
    assert any(f'"{m}"' in gexf.read_text() for m in pseudo)


@pytest.mark.slow
def test_simulate_pseudonymized(tmp_path):
    out = tmp_path / "sim"
    r = runner.invoke(app, ["simulate", "baseline_coworking", "-o", str(out), "--years", "1", "--seed", "4",
                            "--no-progress", "--pseudonymize"])
    assert r.exit_code == 0, r.output
    plain = tmp_path / "plain"
    r = runner.invoke(app, ["simulate", "baseline_coworking", "-o", str(plain), "--years", "1", "--seed", "4", "--no-progress"])
    assert r.exit_code == 0, r.output
    original = set(pd.read_csv(plain / "rep-000" / "members.csv", dtype=str)["member_id"])
    text = "".join(f.read_text() for f in (out / "rep-000").glob("*.csv"))
    assert not [i for i in original if f",{i}," in text or text.startswith(i)]
    pseudo = pd.read_csv(out / "rep-000" / "members.csv", dtype=str)["member_id"]
    assert pseudo.str.startswith("p-").all() and len(pseudo) == len(original)
