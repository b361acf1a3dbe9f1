"""``cop simulate`` and ``cop experiment`` through typer's CliRunner."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

import cop
from cop.cli.simulate_cmd import register


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register(a)
    return a


runner = CliRunner()


@pytest.mark.slow
def test_simulate_writes_replicates_that_cop_reads(app, tmp_path):
    out = tmp_path / "sim"
    res = runner.invoke(app, ["simulate", "baseline_coworking", "--replicates", "2", "--seed", "1", "--years", "0.3",
                              "-o", str(out), "--executor", "sequential", "--no-progress"])
    assert res.exit_code == 0, res.output
    for rep in ("rep-000", "rep-001"):
        d = out / rep
        log = cop.read_activities(d / "activities.csv", d / "members.csv", d / "activity_details.csv")
        assert len(log) > 0
        assert (d / "workload.csv").exists()
    summary = pd.read_csv(out / "summary.csv")
    assert {"scenario", "metric", "mean", "sd", "ci_low", "ci_high"} <= set(summary.columns)
    assert (out / "metrics.csv").exists() and (out / "scenario.json").exists()


@pytest.mark.slow
def test_simulate_same_seed_same_bytes(app, tmp_path):
    args = ["simulate", "themed_space", "--seed", "3", "--years", "0.2", "--no-progress", "-o"]
    runner.invoke(app, [*args, str(tmp_path / "a")])
    runner.invoke(app, [*args, str(tmp_path / "b")])
    a = (tmp_path / "a" / "rep-000" / "activities.csv").read_bytes()
    assert a == (tmp_path / "b" / "rep-000" / "activities.csv").read_bytes()


def test_simulate_user_errors_are_one_line(app, tmp_path):
    res = runner.invoke(app, ["simulate", "nope", "-o", str(tmp_path)])
    assert res.exit_code == 1
    assert "unknown scenario 'nope'" in res.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[manager]\nhours_per_week = 90\n")
    res = runner.invoke(app, ["simulate", str(bad), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "'manager.hours_per_week' = 90 is out of range [0, 80] hours/week" in res.output
    res = runner.invoke(app, ["simulate", "--list"])
    assert res.exit_code == 0 and "fading_community" in res.output


@pytest.mark.slow
def test_experiment_sweep_grid_writes_results_and_summary(app, tmp_path):
    out = tmp_path / "res.csv"
    res = runner.invoke(app, ["experiment", "baseline_coworking", "overloaded_manager",
                              "--sweep", "manager.building_hours_per_week=5:10:5",
                              "--sweep", "events.cadence_days=7,30",
                              "--replicates", "2", "--seed", "1", "--years", "0.15", "--executor", "processes",
                              "--workers", "2", "--no-progress", "-o", str(out)])
    assert res.exit_code == 0, res.output
    r = pd.read_csv(out)
    assert list(r.columns[:2]) == ["scenario", "parameters"]
    assert r["parameters"].nunique() == 4 and r["scenario"].nunique() == 2
    s = pd.read_csv(tmp_path / "res_summary.csv")
    from simulation import METRIC_NAMES

    assert (s.loc[s["metric"].isin(METRIC_NAMES), "n"] == 2).all()


def test_experiment_errors(app, tmp_path):
    res = runner.invoke(app, ["experiment", "baseline_coworking", "-o", str(tmp_path / "r.xlsx")])
    assert res.exit_code == 1 and ".csv or .parquet" in res.output
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--sweep", "manager.hours=1:2:1", "--years", "0.1",
                              "-o", str(tmp_path / "r.csv")])
    assert res.exit_code == 1 and "manager.hours" in res.output
    try:
        import cop.report  # noqa: F401
        has_report = hasattr(cop.report, "comparison_report")
    except ImportError:
        has_report = False
    if not has_report:
        res = runner.invoke(app, ["experiment", "baseline_coworking", "-o", str(tmp_path / "r.csv"),
                                  "--report", str(tmp_path / "c.html")])
        assert res.exit_code == 1 and "comparison report" in res.output
