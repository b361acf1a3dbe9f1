"""The example scripts run and produce what their docstrings promise."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_diagnose_exports(tmp_path, capsys):
    d = load("diagnose_exports").main(["--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert f"phase: {d.phase}" in out and "what to try" in out
    members = pd.read_csv(tmp_path / "members_pseudonymized.csv")
    assert members["member_id"].str.startswith("p-").all()
    assert (tmp_path / "ties.gexf").stat().st_size > 0 and (tmp_path / "report.html").stat().st_size > 1_000_000


@pytest.mark.slow
def test_what_if(tmp_path):
    ex, sweep = load("what_if").main(["--replicates", "2", "--years", "0.5", "--executor", "sequential",
                                      "--report", str(tmp_path / "w.html")])
    assert set(ex.results["scenario"]) == {"baseline_coworking", "matchmaking_tool", "overloaded_manager"}
    # four sweep points plus the baseline at its own defaults (parameters == ""), the reference of every effect
    assert sweep.results["parameters"].nunique() == 5
    assert set(sweep.results["parameters"]) >= {""}
    assert (tmp_path / "w.html").exists()
