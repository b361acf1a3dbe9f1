"""Experiments: sweeps, common random numbers, executors, failures, summaries and files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cop.exceptions import ConfigError, SimulationError
from simulation import Scenario, parse_sweep, replicate_seeds, run, run_experiment, summarize
from simulation.metrics import log_metrics

TINY = Scenario(name="tiny", space={"years": 0.25, "seats": 60}, arrivals={"initial_members": 25})


def test_parse_sweep():
    assert parse_sweep("manager.hours_per_week=10:40:5") == ("manager.hours_per_week", [10, 15, 20, 25, 30, 35, 40])
    assert parse_sweep("members.exit_hazard_per_month=0.01:0.03:0.01")[1] == [0.01, 0.02, 0.03]
    assert parse_sweep("events.cadence_days=7,30") == ("events.cadence_days", [7, 30])
    for bad in ("manager.hours_per_week", "x=1:0:5", "x=1:5:0", "x=1:2"):
        with pytest.raises(ConfigError, match="sweep"):
            parse_sweep(bad)


@pytest.mark.slow
def test_grid_sweep_and_tidy_columns():
    ex = run_experiment(TINY, sweep={"manager.hours_per_week": [10, 40], "events.cadence_days": [7, 30]},
                        replicates=2, seed=1, executor="sequential", metrics=log_metrics)
    r = ex.results
    assert list(r.columns) == ["scenario", "parameters", "manager.hours_per_week", "events.cadence_days",
                               "replicate", "seed", "period", "metric", "value"]
    assert r["parameters"].nunique() == 5  # the 4 grid points and the baseline at its own defaults ("")
    assert r.groupby("parameters")["replicate"].nunique().eq(2).all()
    assert r.loc[r["parameters"] == "", "manager.hours_per_week"].isna().all()
    # common random numbers: replicate i has one seed everywhere
    assert r.groupby("replicate")["seed"].nunique().eq(1).all()
    assert sorted(r["seed"].unique().tolist()) == sorted(replicate_seeds(1, 2)[0])
    assert set(ex.summary.columns) >= {"n", "mean", "sd", "ci_low", "ci_high"}


def test_out_of_range_sweep_names_the_key():
    with pytest.raises(ConfigError, match=r"'manager.hours_per_week' = 100 is out of range \[0, 80\]"):
        run_experiment(TINY, sweep={"manager.hours_per_week": [100]}, executor="sequential")


def test_recorded_seed_reproduces_the_replicate():
    ex = run_experiment(TINY, replicates=2, seed=9, executor="sequential", metrics=log_metrics)
    seed = int(ex.results.query("replicate == 1")["seed"].iloc[0])
    again = log_metrics(run(TINY, seed))
    mine = ex.results.query("replicate == 1")[["period", "metric", "value"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, again)


def test_summary_confidence_interval():
    df = pd.DataFrame({"scenario": "s", "parameters": "", "replicate": [0, 1, 2, 3], "seed": 0, "period": "all",
                       "metric": "m", "value": [1.0, 2.0, 3.0, 4.0]})
    s = summarize(df).iloc[0]
    assert (s["n"], s["mean"]) == (4, 2.5)
    half = 3.182446305284263 * np.std([1, 2, 3, 4], ddof=1) / 2
    assert s["ci_low"] == pytest.approx(2.5 - half) and s["ci_high"] == pytest.approx(2.5 + half)


@pytest.mark.slow
def test_processes_give_identical_results_to_sequential():
    kw = dict(sweep={"manager.hours_per_week": [15, 40]}, replicates=2, seed=3, metrics=log_metrics)
    seq = run_experiment(TINY, executor="sequential", **kw)
    par = run_experiment(TINY, executor="processes", workers=2, **kw)
    pd.testing.assert_frame_equal(seq.results, par.results)
    pd.testing.assert_frame_equal(seq.summary, par.summary)


@pytest.mark.dask
def test_dask_local_cluster_gives_identical_results():
    pytest.importorskip("distributed")
    kw = dict(replicates=2, seed=4, metrics=log_metrics)
    seq = run_experiment(TINY, executor="sequential", **kw)
    dsk = run_experiment(TINY, executor="dask", workers=2, **kw)
    pd.testing.assert_frame_equal(seq.results, dsk.results)


@pytest.mark.dask
def test_dask_scheduler_address_gives_identical_results():
    """``--scheduler ADDRESS``: a running cluster (here a local one on loopback) reached by its address."""
    distributed = pytest.importorskip("distributed")
    kw = dict(replicates=2, seed=4, metrics=log_metrics)
    seq = run_experiment(TINY, executor="sequential", **kw)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = run_experiment(TINY, executor="dask", scheduler=cluster.scheduler_address, **kw)
    pd.testing.assert_frame_equal(seq.results, remote.results)


def failing_metrics(result):
    """Fails for one replicate (module-level, so worker processes can unpickle it)."""
    if result.seed == replicate_seeds(5, 3)[0][1]:
        raise RuntimeError("boom")
    return log_metrics(result)


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["sequential", "processes"])
def test_a_failing_replicate_is_reported_with_its_seed(executor):
    bad_seed = replicate_seeds(5, 3)[0][1]
    with pytest.raises(SimulationError, match=rf"1 of 3 replicates failed.*replicate 1 seed {bad_seed}.*boom"):
        run_experiment(TINY, replicates=3, seed=5, metrics=failing_metrics, executor=executor, workers=2)
    ex = run_experiment(TINY, replicates=3, seed=5, metrics=failing_metrics, executor=executor, workers=2,
                        on_error="collect")
    assert ex.failures[["replicate", "seed"]].values.tolist() == [[1, bad_seed]]
    assert sorted(ex.results["replicate"].unique()) == [0, 2]


def test_compare_library_scenarios_and_write_csv_and_parquet(tmp_path):
    ex = run_experiment(["baseline_coworking", "themed_space"], replicates=1, seed=2, years=0.2,
                        executor="sequential", metrics=log_metrics)
    assert set(ex.results["scenario"]) == {"baseline_coworking", "themed_space"}
    p, s = ex.write(tmp_path / "res.parquet")
    assert s.name == "res_summary.csv"
    back = pd.read_parquet(p)
    pd.testing.assert_frame_equal(back, ex.results, check_dtype=False)
    c, _ = ex.write(tmp_path / "res.csv")
    assert pd.read_csv(c).shape == ex.results.shape
    with pytest.raises(ConfigError, match=".xlsx"):
        ex.write(tmp_path / "res.xlsx")


def test_default_metrics_cover_the_documented_names():
    from simulation import METRIC_NAMES, default_metrics

    m = default_metrics(run(TINY, seed=1))
    assert set(METRIC_NAMES) <= set(m["metric"])
    assert {"period", "metric", "value"} == set(m.columns)


@pytest.mark.parametrize("suffix, method", [(".csv", "to_csv"), (".parquet", "to_parquet")])
def test_write_table_is_atomic(tmp_path, monkeypatch, suffix, method):
    """A write interrupted half-way leaves the previous table intact and no temporary file behind."""
    import pandas as pd

    from simulation.experiment import write_table

    target = tmp_path / f"results{suffix}"
    old = pd.DataFrame({"metric": ["a"], "value": [1.0]})
    write_table(old, target)
    before = target.read_bytes()
    real = getattr(pd.DataFrame, method)

    def half_then_crash(self, path, *args, **kwargs):
        real(self, path, *args, **kwargs)
        with open(path, "r+b") as fh:
            fh.truncate(3)
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, method, half_then_crash)
    with pytest.raises(KeyboardInterrupt):
        write_table(pd.DataFrame({"metric": ["b"] * 100, "value": [2.0] * 100}), target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_metric_names_are_the_reporters_and_the_documented_table(monkeypatch):
    import re

    import simulation.metrics as metrics
    from simulation import METRIC_NAMES

    assert METRIC_NAMES == tuple(metrics.METRICS)
    documented = re.findall(r"^(\w+(?:, \w+)?)\s{2,}\w", metrics.__doc__, flags=re.M)
    names = {n.strip() for row in documented for n in row.split(",")}
    assert names - {"metric"} == set(METRIC_NAMES)  # "metric" is the header row
    # a reporter added to the mapping is computed for every month and the whole run
    res = run(Scenario(space={"years": 0.25}, arrivals={"initial_members": 12}), seed=2)
    monkeypatch.setitem(metrics.METRICS, "months_seen", lambda f, period: len(f.months))
    m = log_metrics(res)
    extra = m[m["metric"] == "months_seen"]
    assert list(extra["period"]) == [*sorted(set(m["period"]) - {"all"}), "all"]
    assert (extra["value"] == len(extra) - 1).all()
