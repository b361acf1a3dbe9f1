"""Experiments: scenarios × parameter sweeps × replicates, on any executor.

Replicates use **common random numbers**: one :class:`numpy.random.SeedSequence`
(from ``seed``) spawns one child per replicate, and replicate ``i`` of every
scenario and sweep point runs with the same child seed, so differences between
scenarios are not drowned by noise.  The recorded ``seed`` of a replicate is an
integer: ``simulation.run(scenario, seed)`` reproduces it exactly.

Executors: ``"sequential"``, ``"processes"`` (local worker processes, started
once per session from a ``forkserver`` — or ``spawn`` — and reused by later
experiments; the default when there is more than one task) and ``"dask"`` (a
``distributed`` scheduler at ``scheduler``, or a local cluster).  Results are
identical for the same seed whatever the executor: every task is a pure
function of (scenario, seed) and results are put back in task order.

Results are a tidy long DataFrame (``scenario, parameters, <swept keys>,
replicate, seed, period, metric, value``) and a summary with the mean, standard
deviation and 95% confidence interval (Student t) over replicates.

The reference scenario (``baseline``, default the first) is what the others
are compared with; with a sweep or a design it also runs at its own defaults
(``parameters == ""``), so a sweep point never serves as the baseline.  Every
result carries its provenance (:mod:`cop.provenance`); with ``store=`` each
finished run is kept on disk as it finishes, and ``resume=True`` skips the
runs already there (same results as an uninterrupted run).
:func:`load_experiment` reads a written experiment back; the run store and the result reader live in
:mod:`simulation.run_store`.

Examples
--------
>>> from simulation import Scenario, run_experiment
>>> tiny = Scenario(name="tiny", space={"years": 0.2}, arrivals={"initial_members": 15})
>>> ex = run_experiment(tiny, sweep={"manager.hours_per_week": [20, 40]}, replicates=2, seed=7,
...                     executor="sequential")
>>> sorted(ex.results["parameters"].unique())   # "": the baseline at its own defaults
['', 'manager.hours_per_week=20', 'manager.hours_per_week=40']
>>> list(ex.summary.columns[:4])
['scenario', 'parameters', 'manager.hours_per_week', 'metric']
>>> int(ex.results.groupby("replicate")["seed"].nunique().max())  # same seed across sweep points
1
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import itertools
import json
import multiprocessing
import os
import traceback
from concurrent.futures import CancelledError, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError, SimulationError

from .config import Scenario
from .metrics import default_metrics
from .model import run
from .run_store import ExperimentResult, RunStore, _metrics_name, load_experiment, saver, split_finished, summarize, \
    write_table

__all__ = [
    "MAX_RUNS",
    "Executor",
    "ExperimentResult",
    "RunStore",
    "run_experiment",
    "load_experiment",
    "parse_sweep",
    "replicate_seeds",
    "summarize",
    "write_table",
]


#: Most runs (scenarios x sweep points x replicates) of one experiment unless ``max_runs`` says
#: more: a replicate of ``baseline_coworking`` (3 years) takes about 3 s on one core, so 10,000
#: runs are already hours of work.  Checked before any run starts (and before a sweep is expanded).
MAX_RUNS = 10_000


def _check_runs(n_runs: int, max_runs: int | None, what: str) -> None:
    """Refuse more than ``max_runs`` runs (``None``: no limit) with one :class:`ConfigError`.

    Examples
    --------
    >>> _check_runs(20_000, 10_000, "replicates = 20000")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: replicates = 20000 would make 20,000 runs, more than max_runs = 10,000
    """
    if max_runs is None:
        return
    if isinstance(max_runs, bool) or not isinstance(max_runs, (int, np.integer)) or max_runs < 1:
        raise ConfigError(f"max_runs = {max_runs!r}: expected a whole number of runs >= 1, or None")
    if n_runs > max_runs:
        raise ConfigError(
            f"{what} would make {n_runs:,} runs, more than max_runs = {max_runs:,}",
            hint="run fewer replicates or sweep points, or raise the limit (--max-runs, or max_runs=...)",
        )


class Executor(str, Enum):
    """Where replicates run.

    Examples
    --------
    >>> [e.value for e in Executor]
    ['auto', 'sequential', 'processes', 'dask']
    """

    auto = "auto"
    sequential = "sequential"
    processes = "processes"
    dask = "dask"


def parse_sweep(text: str, *, max_values: int | None = MAX_RUNS) -> tuple[str, list[float]]:
    """Parse ``"path=start:stop:step"`` (stop inclusive) or ``"path=a,b,c"``.

    A sweep of more than ``max_values`` values (each needs at least one run) is
    refused before it is expanded.

    Examples
    --------
    >>> parse_sweep("manager.hours_per_week=10:40:10")
    ('manager.hours_per_week', [10, 20, 30, 40])
    >>> parse_sweep("events.cadence_days=7,14,30")
    ('events.cadence_days', [7, 14, 30])
    """
    if "=" not in text:
        raise ConfigError(f"sweep {text!r}: expected KEY=START:STOP:STEP or KEY=V1,V2,...")
    key, spec = text.split("=", 1)
    key = key.strip()

    def num(s: str):
        s = s.strip()
        try:
            v = float(s)
        except ValueError:
            return s
        return int(v) if v.is_integer() and "." not in s else v

    try:
        if ":" in spec:
            parts = [float(x) for x in spec.split(":")]
            if len(parts) != 3 or parts[2] <= 0:
                raise ValueError
            start, stop, step = parts
            n = int(np.floor((stop - start) / step + 1e-9)) + 1
            if n < 1:
                raise ValueError
            _check_runs(n, max_values, f"sweep {text!r}")
            vals = [start + k * step for k in range(n)]
            if all(float(v).is_integer() for v in vals) and all(float(p).is_integer() for p in parts):
                return key, [int(v) for v in vals]
            return key, [round(v, 10) for v in vals]
        values = [num(x) for x in spec.split(",") if x.strip()]
        if not values:
            raise ValueError
        _check_runs(len(values), max_values, f"sweep {text!r}")
        return key, values
    except ConfigError:
        raise
    except (ValueError, OverflowError):
        raise ConfigError(
            f"sweep {text!r}: expected KEY=START:STOP:STEP (finite numbers, STEP > 0, STOP >= START), or KEY=V1,V2,..."
        ) from None


def replicate_seeds(seed: int | np.random.SeedSequence | None, replicates: int, *,
                    max_runs: int | None = MAX_RUNS) -> tuple[list[int], int]:
    """Integer seeds of ``replicates`` children of one SeedSequence, and its entropy.

    ``seed`` must be a whole number >= 0, a SeedSequence or ``None``; more than
    ``max_runs`` replicates are refused before any seed is spawned.

    Examples
    --------
    >>> a, _ = replicate_seeds(1, 3); b, _ = replicate_seeds(1, 2)
    >>> a[:2] == b
    True
    """
    if not isinstance(seed, np.random.SeedSequence) and seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ConfigError(f"seed = {seed!r}: expected a whole number >= 0 (or None for a random root seed)")
    if isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)) or replicates < 1:
        raise ConfigError(f"replicates = {replicates!r}: expected a whole number >= 1")
    _check_runs(int(replicates), max_runs, f"replicates = {replicates}")
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    seeds = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in root.spawn(replicates)]
    return seeds, int(root.entropy)


def _as_scenarios(scenarios: Any, years: float | None) -> list[tuple[str, Scenario]]:
    if isinstance(scenarios, (Scenario, str, os.PathLike)):
        scenarios = [scenarios]
    if isinstance(scenarios, Mapping):
        items = list(scenarios.items())
    else:
        items = []
        for s in scenarios:
            if not isinstance(s, Scenario):
                from scenarios import load_scenario

                s = load_scenario(s)
            items.append((s.name, s))
    out = []
    seen: dict[str, int] = {}
    for label, s in items:
        if isinstance(s, (str, os.PathLike)):
            from scenarios import load_scenario

            s = load_scenario(s)
        if years is not None:
            s = s.with_params({"space.years": years}, source=label)
        if label in seen:
            seen[label] += 1
            label = f"{label}-{seen[label]}"
        else:
            seen[label] = 0
        out.append((label, s))
    if not out:
        raise ConfigError("run_experiment: no scenario given")
    return out


def _count_points(sweep: Any, limit: int | None) -> tuple[Any, int]:
    """The sweep with one-shot iterables read into lists (at most ``limit + 1`` values each), and its
    number of points, counted without expanding the grid."""
    if not sweep:
        return sweep, 1

    def bounded(values: Any) -> Any:
        return values if hasattr(values, "__len__") else list(itertools.islice(values, None if limit is None else limit + 1))

    if isinstance(sweep, Mapping):
        sweep = {k: bounded(v) for k, v in sweep.items()}
        return sweep, int(np.prod([len(v) for v in sweep.values()], dtype=object))
    sweep = bounded(sweep)
    return sweep, len(sweep)


def _sweep_points(sweep: Any) -> tuple[list[str], list[dict[str, Any]]]:
    if not sweep:
        return [], [{}]
    if isinstance(sweep, Mapping):
        keys = list(sweep)
        return keys, [dict(zip(keys, combo)) for combo in itertools.product(*[list(sweep[k]) for k in keys])]
    points = [dict(p) for p in sweep]
    keys = list(dict.fromkeys(k for p in points for k in p))
    return keys, points


def _label(point: Mapping[str, Any]) -> str:
    """``key=value;...`` of a point; sampled numbers shortened to 6 significant digits.

    Examples
    --------
    >>> _label({"a": 10, "b": 0.015263561569154264})
    'a=10;b=0.0152636'
    """
    return ";".join(f"{k}={_short(v)}" for k, v in point.items())


def _short(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and len(repr(float(value))) > 8:
        return f"{float(value):.6g}"
    return str(value)


def _run_task(task: tuple) -> tuple[int, pd.DataFrame | None, str | None]:
    """Run one replicate and compute its metrics; never raises (errors are returned)."""
    index, scenario, seed, metrics = task
    try:
        result = run(scenario, seed)
        return index, metrics(result), None
    except Exception as exc:  # reported with its seed by run_experiment
        return index, None, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"


def _progress(progress: bool, total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("replicates"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        disable=not progress, transient=True,
    )


#: Worker pools kept between experiments, by number of workers: workers start (and import the
#: model) once per session, not once per experiment.
_POOLS: dict[int, ProcessPoolExecutor] = {}


def _mp_context():
    """``forkserver`` (workers forked from a clean server that has imported the model), else ``spawn``.

    Both are safe with threads in the parent (BLAS, Dask, a GUI), unlike ``fork``;
    tasks only need to be picklable.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["simulation.experiment"])
        return ctx
    return multiprocessing.get_context("spawn")


def _pool(n: int) -> ProcessPoolExecutor:
    """The session's pool of ``n`` worker processes (started on first use)."""
    pool = _POOLS.get(n)
    if pool is None or getattr(pool, "_broken", False):
        pool = _POOLS[n] = ProcessPoolExecutor(max_workers=n, mp_context=_mp_context())
    return pool


@atexit.register
def _shutdown_pools() -> None:
    while _POOLS:
        _POOLS.popitem()[1].shutdown(wait=True, cancel_futures=True)


def _execute(tasks: list[tuple], executor: Executor, workers: int | None, scheduler: str | None,
             progress: bool, on_done: Callable[[tuple], None] | None = None) -> list[tuple]:
    """Run the tasks and return their outputs in task order; ``on_done(output)`` as each finishes."""
    outputs: list[tuple] = []
    done = on_done or (lambda output: None)
    with _progress(progress, len(tasks)) as bar:
        job = bar.add_task("run", total=len(tasks))
        if executor is Executor.sequential:
            for t in tasks:
                outputs.append(_run_task(t))
                done(outputs[-1])
                bar.advance(job)
        elif executor is Executor.processes:
            n = workers or min(os.cpu_count() or 1, len(tasks))
            pool = _pool(n)
            try:
                futures = [pool.submit(_run_task, t) for t in tasks]
                for f in as_completed(futures):
                    outputs.append(f.result())
                    done(outputs[-1])
                    bar.advance(job)
            except BrokenProcessPool as exc:
                _POOLS.pop(n, None)
                raise SimulationError(
                    "executor 'processes': a worker process died before finishing its replicate "
                    "(out of memory, killed, or the calling script starts experiments at import time)",
                    hint="in a script, call run_experiment under `if __name__ == \"__main__\":`, "
                    "or use executor='sequential'",
                ) from exc
        else:
            outputs = _execute_dask(tasks, workers, scheduler, bar, job, done)
    return sorted(outputs, key=lambda o: o[0])


def _execute_dask(tasks, workers, scheduler, bar, job, done):
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ConfigError("executor 'dask' needs dask[distributed] installed") from exc
    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                raise ConfigError(f"cannot connect to the Dask scheduler at {scheduler!r}: {exc}",
                                  hint="give the address the scheduler prints, e.g. tcp://10.0.0.5:8786") from None
        else:
            cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        outputs = []
        try:
            futures = client.map(_run_task, tasks, pure=False)
            for f in dask_completed(futures):
                outputs.append(f.result())
                done(outputs[-1])
                bar.advance(job)
            return outputs
        except (CancelledError, asyncio.CancelledError, OSError, TimeoutError) as exc:  # scheduler lost mid-run
            where = f"at {scheduler!r}" if scheduler else "(local cluster)"
            raise SimulationError(
                f"executor 'dask': lost the connection to the Dask scheduler {where} after {len(outputs)} of "
                f"{len(tasks)} replicates ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'})",
                hint="restart the scheduler and run the experiment again with the same --seed "
                "(results do not depend on the executor), or use --executor processes",
            ) from None
        finally:
            with contextlib.suppress(CancelledError, asyncio.CancelledError, OSError, TimeoutError, RuntimeError):
                client.close()
    finally:
        if cluster is not None:
            cluster.close()


def run_experiment(
    scenarios: Scenario | str | Sequence[Scenario | str] | Mapping[str, Scenario | str],
    *,
    sweep: Mapping[str, Iterable[Any]] | Sequence[Mapping[str, Any]] | None = None,
    replicates: int = 1,
    seed: int | np.random.SeedSequence | None = None,
    years: float | None = None,
    executor: Executor | str = "auto",
    scheduler: str | None = None,
    workers: int | None = None,
    metrics: Callable[[Any], pd.DataFrame] = default_metrics,
    progress: bool = False,
    on_error: str = "raise",
    max_runs: int | None = MAX_RUNS,
    baseline: str | None = None,
    store: str | os.PathLike | None = None,
    resume: bool = False,
    record: Mapping[str, Any] | None = None,
) -> ExperimentResult:
    """Compare scenarios and sweep parameters with replicates under common random numbers.

    Parameters
    ----------
    scenarios : Scenario, name, path, or a sequence/mapping of them
        Mapping keys are used as the scenario labels.
    sweep : mapping of dotted path to values, or a sequence of {path: value} points
        A mapping is expanded as a grid (cartesian product); e.g.
        ``{"manager.hours_per_week": range(10, 45, 5)}``; a sequence is a design
        (``Design.records()``, see :mod:`simulation.design`).
    replicates : int
        Runs per scenario and sweep point; replicate ``i`` uses the same seed everywhere.
    seed : int, SeedSequence or None
        Root of the seeds.
    years : float, optional
        Override ``space.years`` of every scenario.
    executor : {"auto", "sequential", "processes", "dask"}
        ``auto`` is ``processes`` when there is more than one task.
    scheduler : str, optional
        Address of a Dask scheduler (implies ``executor="dask"``); without it
        the dask executor starts a local cluster of ``workers`` processes.
    workers : int, optional
        Number of worker processes.
    metrics : callable
        ``SimulationResult -> DataFrame[period, metric, value]``; must be
        picklable (a module-level function) for the process and Dask executors.
    progress : bool
        Show a progress bar.
    on_error : {"raise", "collect"}
        After all tasks ran, raise :class:`cop.exceptions.SimulationError` naming
        the failed replicates and their seeds, or keep them in ``.failures``.
    max_runs : int or None, default :data:`MAX_RUNS`
        Most runs (scenarios x sweep points x replicates); more stop with a
        :class:`cop.exceptions.ConfigError` before any run starts.  ``None``: no limit.
    baseline : str, optional
        Label of the reference scenario (default: the first).  With a sweep or a
        design, the reference also runs at its own defaults (``parameters == ""``),
        and effects are measured against that run, never against a sweep point.
    store : path, optional
        Folder where each finished run's metrics are written (atomically, one
        Parquet file per run, named by the hash of its resolved scenario, its seed
        and the metric function), as soon as it finishes.
    resume : bool
        Reuse the runs already in ``store`` instead of running them again; the
        results are identical to an uninterrupted experiment.
    record : mapping, optional
        Extra inputs recorded in the provenance (``provenance["inputs"]``).

    Returns
    -------
    ExperimentResult

    Examples
    --------
    Two scenarios, two replicates each, a quarter of a year, in this process:
    replicate ``i`` of every scenario runs with the same seed (common random numbers).

    >>> ex = run_experiment(["baseline_coworking", "matchmaking_tool"], replicates=2, seed=1, years=0.25,
    ...                     executor="sequential")
    >>> sorted(ex.results["scenario"].unique()), ex.results["replicate"].nunique(), len(ex.failures)
    (['baseline_coworking', 'matchmaking_tool'], 2, 0)
    >>> list(ex.summary.columns[:6])
    ['scenario', 'parameters', 'metric', 'n', 'mean', 'sd']
    >>> ex.baseline, ex.provenance["root_seed"]
    ('baseline_coworking', 1)
    """
    executor = _check_options(replicates, max_runs, scheduler, on_error, executor)
    sweep, n_points = _count_points(sweep, max_runs)
    _check_runs(n_points * int(replicates), max_runs, f"{n_points:,} sweep point(s) x {replicates} replicate(s)")
    named = _as_scenarios(scenarios, years)
    base_label = _baseline_label(named, baseline)
    n_ref = 1 if sweep else 0
    _check_runs((len(named) * n_points + n_ref) * int(replicates), max_runs,
                f"{len(named)} scenario(s) x {n_points:,} sweep point(s){' + the baseline' if n_ref else ''}"
                f" x {replicates} replicate(s)")
    keys, points = _sweep_points(sweep)
    seeds, entropy = replicate_seeds(seed, replicates, max_runs=None)
    plan = _plan(_variants(named, points, base_label, with_reference=bool(sweep)), seeds, metrics)
    if executor is Executor.auto:
        executor = Executor.processes if len(plan) > 1 and (workers or os.cpu_count() or 1) > 1 else Executor.sequential
    runs = RunStore(store, metrics) if store is not None else None
    outputs = _execute_with_store(plan, runs, resume, executor, workers, scheduler, progress)
    results, fail_df = _assemble(outputs, plan, keys)
    if len(fail_df) and on_error == "raise":
        _raise_failures(fail_df, len(plan))
    from cop.provenance import provenance

    prov = provenance(scenarios={label: sc for label, sc in named}, root_seed=entropy,
                      inputs={"replicates": int(replicates), "years": years, "baseline": base_label,
                              "sweep_keys": keys, "points": len(points) if sweep else 0,
                              "metrics": _metrics_name(metrics), **dict(record or {})})
    return ExperimentResult(results, summarize(results, sweep_keys=keys), fail_df, entropy, keys,
                            baseline=base_label, provenance=prov)


def _check_options(replicates: Any, max_runs: Any, scheduler: Any, on_error: Any, executor: Any) -> Executor:
    """Validate the scalar options of :func:`run_experiment` and return the executor."""
    if isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)) or replicates < 1:
        raise ConfigError(f"replicates = {replicates!r}: expected a whole number >= 1")
    _check_runs(int(replicates), max_runs, f"replicates = {replicates}")
    if scheduler is not None and (not isinstance(scheduler, str) or not scheduler.strip()):
        raise ConfigError(f"scheduler = {scheduler!r}: expected the address of a Dask scheduler, e.g. tcp://10.0.0.5:8786")
    if on_error not in ("raise", "collect"):
        raise ConfigError(f"on_error = {on_error!r}: expected 'raise' or 'collect'")
    try:
        executor = Executor(executor)
    except ValueError:
        raise ConfigError(f"executor = {executor!r}: expected one of {', '.join(e.value for e in Executor)}") from None
    if scheduler and executor in (Executor.auto, Executor.dask):
        executor = Executor.dask
    return executor


def _baseline_label(named: list[tuple[str, Scenario]], baseline: str | None) -> str:
    """The label of the reference scenario: ``baseline`` (a label or a scenario name), else the first."""
    if baseline is None:
        return named[0][0]
    for label, sc in named:
        if baseline in (label, sc.name):
            return label
    raise ConfigError(f"baseline = {baseline!r}: not one of the scenarios ({', '.join(label for label, _ in named)})",
                      hint="name one of the compared scenarios, or add it to them")


@dataclass(frozen=True)
class _Run:
    """One planned run: where its row goes, what it runs."""

    index: int
    label: str
    params: str
    point: dict
    replicate: int
    seed: int
    scenario: Scenario
    metrics: Callable


def _variants(named: list[tuple[str, Scenario]], points: list[dict], base_label: str,
               with_reference: bool) -> list[tuple[str, str, dict, Scenario]]:
    """``(label, parameters label, point, scenario)`` of every variant, the reference first.

    With a sweep or design the reference scenario also runs at its own defaults
    (parameters ``""``), so the baseline is never a sweep point.  A point repeated
    in a design runs once (with common random numbers its runs would be identical).
    """
    out = []
    if with_reference:
        out.append((base_label, "", {}, dict(named)[base_label]))
    for label, sc in named:
        seen = set()
        for point in points:
            key = json.dumps(point, sort_keys=True, default=str)
            if key in seen:  # a repeated point (a design rounding whole-number keys) would repeat identical runs
                continue
            seen.add(key)
            out.append((label, _label(point), point, sc.with_params(point, source=label) if point else sc))
    return out


def _plan(variants: list[tuple[str, str, dict, Scenario]], seeds: list[int], metrics: Callable) -> list[_Run]:
    """Every (variant, replicate) as a :class:`_Run`, in result order."""
    plan = []
    for label, plabel, point, sc in variants:
        for r, s in enumerate(seeds):
            plan.append(_Run(len(plan), label, plabel, point, r, s, sc, metrics))
    return plan


def _execute_with_store(plan: list[_Run], store: RunStore | None, resume: bool, executor: Executor,
                        workers: int | None, scheduler: str | None, progress: bool) -> list[tuple]:
    """Outputs ``(index, frame, error)`` of every planned run: stored ones read back, the others run (and stored)."""
    done, todo = split_finished(plan, store, resume)
    tasks = [(r.index, r.scenario, r.seed, r.metrics) for r in todo]
    if tasks:
        if executor is Executor.processes and len(tasks) == 1:
            executor = Executor.sequential
        done += _execute(tasks, executor, workers, scheduler, progress, on_done=saver(plan, store))
    return sorted(done, key=lambda o: o[0])


def _assemble(outputs: list[tuple], plan: list[_Run], keys: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tidy results frame and the failures frame from the runs' outputs (in plan order)."""
    frames, failures = [], []
    for index, df, err in outputs:
        run_ = plan[index]
        if err is not None:
            failures.append((run_.label, run_.params, run_.replicate, run_.seed, err))
            continue
        df = df.loc[:, ["period", "metric", "value"]].copy()
        df.insert(0, "seed", run_.seed)
        df.insert(0, "replicate", run_.replicate)
        for k in reversed(keys):
            df.insert(0, k, run_.point.get(k))
        df.insert(0, "parameters", run_.params)
        df.insert(0, "scenario", run_.label)
        frames.append(df)
    cols = ["scenario", "parameters", *keys, "replicate", "seed", "period", "metric", "value"]
    results = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    results["seed"] = results["seed"].astype("int64") if len(results) else results["seed"]
    results["value"] = results["value"].astype(float)
    return results, pd.DataFrame(failures, columns=["scenario", "parameters", "replicate", "seed", "error"])


def _raise_failures(fail_df: pd.DataFrame, n_runs: int) -> None:
    first = fail_df.iloc[0]
    raise SimulationError(
        f"{len(fail_df)} of {n_runs} replicates failed; first: scenario {first['scenario']!r} "
        f"{('(' + first['parameters'] + ') ') if first['parameters'] else ''}replicate {first['replicate']} "
        f"seed {first['seed']}: {first['error'].splitlines()[0]}",
        hint=f"reproduce with simulation.run(scenario, seed={first['seed']})",
    )


