"""Bounded experiments and clear simulation-CLI errors: run limits checked before any run starts,
bad seeds, scheduler addresses and output paths, and a Dask scheduler lost mid-run."""

from __future__ import annotations

import threading
import time

import pytest
import typer
from typer.testing import CliRunner

import simulation.experiment as experiment
from cop.cli.simulate_cmd import register
from cop.exceptions import ConfigError
from simulation import Scenario, parse_sweep, replicate_seeds, run_experiment
from simulation.experiment import MAX_RUNS
from simulation.metrics import log_metrics

TINY = Scenario(name="tiny", space={"years": 0.25, "seats": 60}, arrivals={"initial_members": 25})
runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register(a)
    return a


@pytest.fixture
def no_runs(monkeypatch):
    """Make every replicate fail at once: a test that reaches a run sees a SimulationError, not a ConfigError."""

    def refuse(scenario, seed):
        raise AssertionError("a replicate started")

    monkeypatch.setattr(experiment, "run", refuse)


def clean(res) -> None:
    """One clear message and exit code 1, never a traceback."""
    assert res.exit_code == 1, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    assert "error:" in res.output


def test_more_replicates_than_max_runs_stop_before_any_run(no_runs):
    with pytest.raises(ConfigError, match="more than max_runs = 10,000") as exc:
        run_experiment(TINY, replicates=MAX_RUNS + 1, executor="sequential")
    assert "--max-runs" in exc.value.hint
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match=r"replicates = 1000000000 would make 1,000,000,000 runs, more than max_runs = 10,000"):
        run_experiment(TINY, replicates=1_000_000_000, executor="sequential")
    assert time.perf_counter() - t0 < 2
    with pytest.raises(ConfigError, match=r"2 scenario\(s\) x 1 sweep point\(s\) x 3 replicate\(s\) would make 6 runs"):
        run_experiment([TINY, TINY], replicates=3, executor="sequential", max_runs=5)


def test_sweeps_are_counted_without_being_expanded(no_runs):
    with pytest.raises(ConfigError, match=r"4 sweep point\(s\)"):
        run_experiment(TINY, sweep=[{"manager.hours_per_week": h} for h in (10, 20, 30, 40)], executor="sequential",
                       max_runs=3)
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match=r"1,000,000,000,000 sweep point\(s\) x 1 replicate\(s\)"):
        run_experiment(TINY, sweep={"manager.hours_per_week": range(10**12)}, executor="sequential")
    endless = (float(i) for i in iter(int, 1))  # an endless generator is read only up to the limit
    with pytest.raises(ConfigError, match=r"10,001 sweep point\(s\)"):
        run_experiment(TINY, sweep={"manager.hours_per_week": endless}, executor="sequential")
    grid = {"manager.hours_per_week": range(101), "events.cadence_days": range(1, 101)}
    with pytest.raises(ConfigError, match=r"10,100 sweep point\(s\) x 2 replicate\(s\) would make 20,200 runs"):
        run_experiment(TINY, sweep=grid, replicates=2, executor="sequential")
    assert time.perf_counter() - t0 < 2


def test_parse_sweep_refuses_huge_ranges_before_building_them():
    with pytest.raises(ConfigError, match=r"sweep 'manager.hours_per_week=0:80:0.0001' would make 800,001 runs"):
        parse_sweep("manager.hours_per_week=0:80:0.0001")
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match="1,000,000,000,001 runs"):
        parse_sweep("x=0:1000000000000:1")
    assert time.perf_counter() - t0 < 1
    assert len(parse_sweep("x=0:80:0.01", max_values=None)[1]) == 8001
    assert parse_sweep("x=1:3:1", max_values=3) == ("x", [1, 2, 3])
    with pytest.raises(ConfigError, match="would make 3 runs, more than max_runs = 2"):
        parse_sweep("x=1,2,3", max_values=2)
    for bad in ("x=0:inf:1", "x=0:nan:1", "x=0:1e308:1e-308"):
        with pytest.raises(ConfigError, match="finite numbers"):
            parse_sweep(bad)


def test_max_runs_is_a_limit_not_a_target():
    ex = run_experiment(TINY, replicates=2, seed=1, executor="sequential", metrics=log_metrics, max_runs=2)
    assert ex.results["replicate"].nunique() == 2
    # a one-shot iterable is counted and still swept; the baseline also runs at its own defaults ("")
    ex = run_experiment(TINY, sweep={"manager.hours_per_week": (h for h in (10, 40))}, seed=1, executor="sequential",
                        metrics=log_metrics, max_runs=3)
    assert sorted(ex.results["parameters"].unique()) == ["", "manager.hours_per_week=10", "manager.hours_per_week=40"]
    with pytest.raises(ConfigError, match="max_runs = 0"):
        run_experiment(TINY, replicates=1, executor="sequential", max_runs=0)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_bad_seeds_are_one_config_error(seed):
    with pytest.raises(ConfigError, match=r"seed = .*expected a whole number >= 0"):
        replicate_seeds(seed, 2)


@pytest.mark.parametrize("replicates", [0, 2.0, True, "3"])
def test_bad_replicate_counts_are_one_config_error(replicates):
    with pytest.raises(ConfigError, match=r"replicates = .*expected a whole number >= 1"):
        run_experiment(TINY, replicates=replicates, executor="sequential")


def test_replicate_seeds_is_bounded_too():
    assert len(replicate_seeds(1, 3, max_runs=3)[0]) == 3
    with pytest.raises(ConfigError, match="more than max_runs = 10,000"):
        replicate_seeds(1, 10**9)


def test_cli_negative_seed(app, tmp_path):
    for cmd in (["simulate", "baseline_coworking", "-o", str(tmp_path / "s")], ["experiment", "baseline_coworking",
                                                                               "-o", str(tmp_path / "e.csv")]):
        res = runner.invoke(app, [*cmd, "--seed", "-1", "--years", "0.1", "--no-progress", "--executor", "sequential"])
        clean(res)
        assert "seed = -1: expected a whole number >= 0" in res.output
    assert not (tmp_path / "s").exists() and not (tmp_path / "e.csv").exists()


def test_cli_run_limits(app, tmp_path, no_runs):
    res = runner.invoke(app, ["simulate", "baseline_coworking", "-n", str(MAX_RUNS + 1), "--executor", "sequential",
                              "--no-progress", "-o", str(tmp_path / "s")])
    clean(res)
    assert f"would make {MAX_RUNS + 1:,} runs, more than max_runs = 10,000" in res.output
    res = runner.invoke(app, ["simulate", "baseline_coworking", "-n", "1000000000", "-o", str(tmp_path / "s")])
    clean(res)
    assert "replicates = 1000000000 would make 1,000,000,000 runs, more than max_runs = 10,000" in res.output
    assert "--max-runs" in res.output
    res = runner.invoke(app, ["experiment", "baseline_coworking", "-n", "3", "--max-runs", "2", "--executor",
                              "sequential", "--no-progress", "-o", str(tmp_path / "e.csv")])
    clean(res)
    assert "would make 3 runs, more than max_runs = 2" in res.output
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--sweep", "manager.hours_per_week=0:80:0.0001",
                              "-o", str(tmp_path / "e.csv")])
    clean(res)
    assert "would make 800,001 runs, more than max_runs = 10,000" in res.output
    assert not (tmp_path / "s").exists() and not (tmp_path / "e.csv").exists()
    help_text = runner.invoke(app, ["experiment", "--help"], env={"COLUMNS": "200"}).output
    assert f"{MAX_RUNS:,}" in help_text


def test_cli_scheduler_that_is_not_an_address(app, tmp_path):
    res = runner.invoke(app, ["experiment", "baseline_coworking", "--scheduler", "not an address", "-n", "1",
                              "--years", "0.1", "--no-progress", "-o", str(tmp_path / "e.csv")])
    clean(res)
    assert "cannot connect to the Dask scheduler at 'not an address'" in res.output
    assert "tcp://" in res.output  # the hint shows what an address looks like


def test_cli_output_that_is_a_file(app, tmp_path, no_runs):
    """Refused before any replicate runs (the check itself is cop.cli.common.check_outputs)."""
    afile = tmp_path / "taken"
    afile.write_text("mine\n")
    for out, what in ((afile, f"{str(afile)!r} exists and is not a folder"), (afile / "sub", f"{str(afile)!r} is not a folder")):
        res = runner.invoke(app, ["simulate", "baseline_coworking", "-o", str(out), "--executor", "sequential",
                                  "--no-progress"])
        clean(res)
        assert what in res.output
    res = runner.invoke(app, ["experiment", "baseline_coworking", "-o", str(afile / "e.csv"), "--no-progress"])
    clean(res)
    assert f"{str(afile)!r} is not a folder" in res.output
    assert afile.read_text() == "mine\n"


@pytest.mark.dask
@pytest.mark.slow
def test_cli_dask_scheduler_lost_mid_run(app, tmp_path):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    address = cluster.scheduler_address
    closed = threading.Event()

    def close_after_first_result():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any(ts.state == "memory" for ts in list(cluster.scheduler.tasks.values())):
                break
            time.sleep(0.05)
        cluster.close()
        closed.set()

    threading.Thread(target=close_after_first_result, daemon=True).start()
    try:
        res = runner.invoke(app, ["experiment", "baseline_coworking", "--scheduler", address, "-n", "200",
                                  "--years", "0.1", "--seed", "1", "--no-progress", "-o", str(tmp_path / "e.csv")])
    finally:
        closed.wait(60)
        cluster.close()
    clean(res)
    assert f"executor 'dask': lost the connection to the Dask scheduler at {address!r} after" in res.output
    assert "of 200 replicates" in res.output
    assert "same --seed" in res.output
    assert not (tmp_path / "e.csv").exists()
