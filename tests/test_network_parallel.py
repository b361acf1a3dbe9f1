"""The spaces of a network diagnosed by several processes (cop.network.parallel, issue 16): the same diagnoses,
the same warnings in the same order, a worker's error raised here, and the workers let go."""

from __future__ import annotations

import dataclasses
import gc
import json
import multiprocessing
import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import cop
import cop.network.parallel as par
from cop.cli import app
from cop.exceptions import ConfigError, DataError, DataWarning
from cop.network.parallel import resolve_workers, space_groups

from test_network_stacked import _network_rows

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="worker processes are forked copies of this one")


@pytest.fixture(scope="module")
def network_log() -> cop.ActivityLog:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.ActivityLog.from_frame(_network_rows(seed=5, spaces=4, members=25, days=200))


@pytest.fixture()
def any_size(monkeypatch):
    """Workers for logs of any size (the fixtures are far below PARALLEL_MIN_ROWS)."""
    monkeypatch.setattr(par, "PARALLEL_MIN_ROWS", 0)


def _same_diagnosis(a: cop.Diagnosis, b: cop.Diagnosis) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "timings":
            assert set(x) == set(y)
        elif isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True)
        elif isinstance(x, cop.InteractionGraph):
            gx, gy = x.to_networkx(), y.to_networkx()
            assert nx.utils.graphs_equal(gx, gy) and list(gx.edges(data=True)) == list(gy.edges(data=True))
        else:
            assert x == y, f.name


def _network(log, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.diagnose_network(log, emit_warnings=False, **kw)


def _groups_of(log):
    names = ["sp0", "sp1", "sp2", "sp3"]
    groups = space_groups([int((log.data["space"] == s).sum()) for s in names], 2)
    return [[names[k] for k in g] for g in groups]



@pytest.mark.parametrize("workers", [2, 3])
def test_workers_give_the_diagnoses_of_one_process(network_log, any_size, workers):
    one = _network(network_log, workers=1)
    many = _network(network_log, workers=workers)
    assert list(many.diagnoses) == list(one.diagnoses) == ["sp0", "sp1", "sp2", "sp3"]
    for name in one.diagnoses:
        _same_diagnosis(one.diagnoses[name], many.diagnoses[name])
    for table in ("spaces", "links", "members", "shared_events", "benchmark", "activity"):
        pd.testing.assert_frame_equal(getattr(one, table), getattr(many, table), check_exact=True)
    assert json.loads(one.to_json()) == json.loads(many.to_json())
    assert gc.get_freeze_count() == 0 and not par._TASK  # the objects let back into the collector, the task dropped


def test_a_small_log_stays_in_this_process(network_log, monkeypatch):
    # below the threshold no worker is started: a pool would fail the diagnosis
    monkeypatch.setattr(par, "ProcessPoolExecutor", None)
    assert len(network_log) < par.PARALLEL_MIN_ROWS
    nd = _network(network_log, workers=4)
    assert len(nd.diagnoses) == 4


def test_warnings_of_the_workers_are_raised_here_in_the_spaces_order(network_log, any_size):
    def caught(workers):
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            cop.diagnose_network(network_log, max_group_size=3, emit_warnings=False, workers=workers)
        return [(w.category, str(w.message), w.filename, w.lineno) for w in got]

    one, two = caught(1), caught(2)
    assert len(one) > 4  # the pooled log and every space warn of their groups larger than 3
    assert two == one


def test_a_warning_filter_applies_to_the_relayed_warnings(network_log, any_size):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        with pytest.raises(DataWarning, match="max_group_size=3"):
            cop.diagnose_network(network_log, max_group_size=3, emit_warnings=False, workers=2)


@pytest.mark.parametrize("where", ["worker", "here"])
def test_an_error_in_a_group_is_raised_here_and_the_workers_let_go(network_log, any_size, monkeypatch, where):
    here, there = _groups_of(network_log)
    bad = (there if where == "worker" else here)[0]  # a space of the worker's group, or of this process's
    real = par._diagnosis

    def failing(log, *a, **k):
        if log.source.endswith(f"[{bad}]"):
            raise DataError(f"{log.source}: made to fail", hint="a hint")
        return real(log, *a, **k)

    monkeypatch.setattr(par, "_diagnosis", failing)  # the forked workers inherit it
    with pytest.raises(DataError, match=rf"\[{bad}\]: made to fail") as err:
        _network(network_log, workers=2)
    assert err.value.hint == "a hint"
    assert gc.get_freeze_count() == 0 and not par._TASK


def test_space_groups_deal_every_space_once_in_balanced_groups():
    rng = np.random.default_rng(3)
    for _ in range(200):
        sizes = rng.integers(1, 1000, rng.integers(1, 30)).tolist()
        workers = int(rng.integers(1, 6))
        groups = space_groups(sizes, workers)
        assert sorted(k for g in groups for k in g) == list(range(len(sizes)))
        assert all(g == sorted(g) for g in groups) and len(groups) == min(workers, len(sizes))
        loads = [sum(sizes[k] for k in g) for g in groups]
        assert max(loads) - min(loads) <= max(sizes)  # largest first, each to the lightest: within one space


def test_space_groups_bad_workers():
    with pytest.raises(ConfigError, match="workers"):
        space_groups([100] * 10, 0)
    assert [len(g) for g in space_groups([100] * 10, 2)] == [5, 5]


def test_resolve_workers(monkeypatch):
    big = par.PARALLEL_MIN_ROWS
    assert resolve_workers(1, big, 20) == 1
    assert resolve_workers(4, big - 1, 20) == 1
    assert resolve_workers(4, big, 1) == 1
    assert resolve_workers(4, big, 3) == 3
    assert resolve_workers(2, big, 20) == 2
    monkeypatch.setattr(par.os, "cpu_count", lambda: 8)
    assert resolve_workers(None, big, 20) == 8 and resolve_workers(None, big, 3) == 3
    monkeypatch.setattr(par.os, "cpu_count", lambda: None)  # unknown: one
    assert resolve_workers(None, big, 20) == 1
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ConfigError, match="parameter 'workers'"):
            resolve_workers(bad, big, 20)


def _workers_in_a_pool_worker(rows):
    return resolve_workers(4, rows, 20)


def test_a_pool_worker_diagnoses_its_spaces_itself():
    # a daemonic process may not start processes: one process, not an error
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_workers_in_a_pool_worker, (par.PARALLEL_MIN_ROWS,)) == 1
    assert resolve_workers(4, par.PARALLEL_MIN_ROWS, 20) == 4


def test_cli_workers(tmp_path, network_log, any_size):
    csv = tmp_path / "network.csv"
    network_log.data.to_csv(csv, index=False)
    runner = CliRunner()
    outs = []
    for w in ("1", "2"):
        out = tmp_path / f"w{w}.json"
        res = runner.invoke(app, ["diagnose", str(csv), "--by", "space", "--workers", w, "--format", "json", "-o", str(out)])
        assert res.exit_code == 0, res.output
        outs.append(out.read_text())
    assert outs[0] == outs[1]
    res = runner.invoke(app, ["diagnose", str(csv), "--workers", "2"])
    assert res.exit_code == 1
    assert "option '--workers'" in res.output and "--by space" in res.output
    assert "Traceback" not in res.output


def test_a_worker_that_dies_gives_one_clear_error(network_log, any_size, monkeypatch):
    import os

    here, there = _groups_of(network_log)
    real = par._diagnosis

    def dying(log, *a, **k):
        if log.source.endswith(f"[{there[0]}]"):
            os._exit(3)  # as the system's out-of-memory killer would stop it
        return real(log, *a, **k)

    monkeypatch.setattr(par, "_diagnosis", dying)
    with pytest.raises(cop.CopError, match=rf"worker process diagnosing the spaces {there[0]}.*stopped abruptly") as err:
        _network(network_log, workers=2)
    assert "--workers 1" in err.value.hint
    assert gc.get_freeze_count() == 0 and not par._TASK


def test_an_interrupt_here_stops_the_workers_at_once(network_log, any_size, monkeypatch):
    import time

    here, there = _groups_of(network_log)
    real = par._diagnosis

    def slow_there(log, *a, **k):
        if log.source.endswith(f"[{there[0]}]"):
            time.sleep(60)
        if log.source.endswith(f"[{here[0]}]"):
            raise KeyboardInterrupt
        return real(log, *a, **k)

    monkeypatch.setattr(par, "_diagnosis", slow_there)
    before = set(multiprocessing.active_children())  # (other tests' processes in this test process are not ours)
    t = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        _network(network_log, workers=2)
    while set(multiprocessing.active_children()) - before and time.perf_counter() - t < 20:
        time.sleep(0.05)
    assert not set(multiprocessing.active_children()) - before
    assert time.perf_counter() - t < 20  # not the worker's 60 s
    assert gc.get_freeze_count() == 0 and not par._TASK


def test_diagnose_by_space_takes_workers(network_log, any_size):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        nd = cop.diagnose(network_log, by="space", workers=2)
    assert json.loads(nd.to_json()) == json.loads(_network(network_log).to_json())
    with pytest.raises(ConfigError, match="parameter 'workers'.*by='space'"):
        cop.diagnose(network_log, workers=2)
