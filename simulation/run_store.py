"""The run store and the result reader of experiments: saving and loading runs, resuming, reading results back.

* :class:`ExperimentResult` — the tidy results of an experiment, and
  :meth:`ExperimentResult.write` (results, summary, provenance, failures and
  sensitivity tables beside each other);
* :func:`write_table` — one table as CSV or Parquet, atomically;
* :func:`summarize` — mean, standard deviation and 95 % interval over replicates;
* :class:`RunStore` — a folder of finished runs, one Parquet file per run,
  named by the hash of its resolved scenario, its seed and the metric function;
  :func:`split_finished` and :func:`saver` are the resume bookkeeping of
  :func:`simulation.run_experiment` (which runs are already stored, and storing
  each run as it finishes);
* :func:`load_experiment` — a written experiment back.

:mod:`simulation.experiment` plans and executes the runs and re-exports these names.

Examples
--------
>>> import tempfile, pathlib
>>> res = ExperimentResult(pd.DataFrame({"scenario": ["a", "a"], "parameters": ["", ""], "replicate": [0, 1],
...                                      "seed": [5, 6], "period": ["all", "all"], "metric": ["m", "m"],
...                                      "value": [1.0, 3.0]}),
...                        pd.DataFrame(), pd.DataFrame(columns=["scenario", "parameters", "replicate", "seed", "error"]),
...                        root_entropy=4, baseline="a", provenance={"root_seed": 4, "inputs": {"baseline": "a"}})
>>> res.summary = summarize(res.results)
>>> p, _ = res.write(pathlib.Path(tempfile.mkdtemp()) / "ex.csv")
>>> back = load_experiment(p)
>>> back.summary["mean"].tolist(), back.root_entropy, back.baseline
([2.0], 4, 'a')
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from cop.exceptions import ConfigError
from cop.io import write_csv

from .config import Scenario

__all__ = ["ExperimentResult", "RunStore", "load_experiment", "summarize", "write_table", "split_finished", "saver"]


@dataclass
class ExperimentResult:
    """Tidy results of an experiment.

    Attributes
    ----------
    results : DataFrame
        ``scenario, parameters, <swept keys>, replicate, seed, period, metric, value``.
    summary : DataFrame
        Whole-run (``period == "all"``) metrics over replicates: ``n, mean, sd, ci_low, ci_high``.
    failures : DataFrame
        ``scenario, parameters, replicate, seed, error`` of replicates that failed.
    root_entropy : int
        Entropy of the root SeedSequence (pass it as ``seed`` to repeat the experiment).
    sweep_keys : list of str
        The swept (or designed) scenario keys, columns of ``results``.
    baseline : str
        Label of the reference scenario; with a sweep, its run at its own defaults
        has ``parameters == ""``.
    provenance : dict
        What made the results (:func:`cop.provenance.provenance`): versions, the
        resolved scenarios and their hashes, the root seed, the command line, the time.
    sensitivity : DataFrame or None
        Sensitivity indices of a sampled design (:func:`simulation.sensitivity.experiment_sensitivity`),
        when computed.

    Examples
    --------
    >>> from simulation import Scenario, run_experiment
    >>> exp = run_experiment(Scenario(space={"years": 0.2}, arrivals={"initial_members": 10}), replicates=2, seed=1,
    ...                      executor="sequential")
    >>> exp.results.columns.tolist()
    ['scenario', 'parameters', 'replicate', 'seed', 'period', 'metric', 'value']
    >>> sorted(set(exp.results["replicate"]))
    [0, 1]
    """

    results: pd.DataFrame
    summary: pd.DataFrame
    failures: pd.DataFrame
    root_entropy: int
    sweep_keys: list[str] = field(default_factory=list)
    baseline: str = ""
    provenance: dict = field(default_factory=dict)
    sensitivity: pd.DataFrame | None = None

    def write(self, path: str | os.PathLike) -> tuple[Path, Path]:
        """Write results (``.csv`` or ``.parquet``), ``<stem>_summary.csv`` and ``<stem>_provenance.json``
        (and ``<stem>_failures.csv`` when runs failed, ``<stem>_sensitivity.csv`` with indices) next to it."""
        from cop.io import atomic_path

        path = Path(path)
        write_table(self.results, path)
        spath = path.with_name(path.stem + "_summary.csv")
        write_table(self.summary, spath)
        if len(self.failures):
            write_table(self.failures, path.with_name(path.stem + "_failures.csv"))
        if self.sensitivity is not None:
            write_table(self.sensitivity, path.with_name(path.stem + "_sensitivity.csv"))
        with atomic_path(path.with_name(path.stem + "_provenance.json")) as tmp:
            tmp.write_text(json.dumps(self.provenance, indent=2, ensure_ascii=False, default=str) + "\n",
                           encoding="utf-8")
        return path, spath


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a frame as CSV or Parquet, chosen by the file suffix, atomically.

    CSV goes through :func:`cop.io.write_csv` (the project's one CSV writer);
    Parquet through the same atomic writer (a temporary file renamed onto the
    target), so an interrupted run never leaves a truncated table.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        from cop.io import atomic_path

        with atomic_path(path) as tmp:
            df.to_parquet(tmp, index=False)
    elif path.suffix == ".csv":
        write_csv(df, path)
    else:
        raise ConfigError(f"output {str(path)!r}: expected a .csv or .parquet file name")
    return path


def summarize(results: pd.DataFrame, *, by_period: bool = False, sweep_keys: Sequence[str] = ()) -> pd.DataFrame:
    """Mean, standard deviation and 95% confidence interval over replicates.

    Only whole-run rows (``period == "all"``) unless ``by_period``.

    Examples
    --------
    >>> from simulation import Scenario, run_experiment
    >>> exp = run_experiment(Scenario(space={"years": 0.2}, arrivals={"initial_members": 10}), replicates=3, seed=1,
    ...                      executor="sequential")
    >>> s = summarize(exp.results)
    >>> s.columns.tolist()
    ['scenario', 'parameters', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high']
    >>> row = s[s["metric"] == "active_members"].iloc[0]
    >>> int(row["n"]), bool(row["ci_low"] < row["mean"] < row["ci_high"])
    (3, True)
    """
    df = results if by_period else results[results["period"] == "all"]
    keys = ["scenario", "parameters", *sweep_keys] + (["period"] if by_period else []) + ["metric"]
    g = df.groupby(keys, sort=False, dropna=False)["value"]
    out = g.agg(n="count", mean="mean", sd="std").reset_index()
    half = stats.t.ppf(0.975, np.maximum(out["n"] - 1, 1)) * out["sd"] / np.sqrt(out["n"])
    half = half.where(out["n"] > 1)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out


def _metrics_name(metrics: Callable) -> str:
    """``module.qualname`` of a metric function (or of a callable object's class)."""
    target = metrics if hasattr(metrics, "__qualname__") else type(metrics)
    return f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', repr(target))}"


class RunStore:
    """A folder of finished runs, one Parquet file of metrics per run, written atomically.

    A run's file is named by the hash of its resolved scenario, its seed and
    the metric function (:meth:`key`), so a resumed experiment finds exactly the
    runs it would make again, whatever their order.

    Examples
    --------
    >>> import tempfile
    >>> from simulation.metrics import log_metrics
    >>> store = RunStore(tempfile.mkdtemp(), log_metrics)
    >>> sc = Scenario(space={"years": 0.1})
    >>> store.load(sc, 3) is None
    True
    >>> store.save(sc, 3, pd.DataFrame({"period": ["all"], "metric": ["m"], "value": [1.5]}))
    >>> store.load(sc, 3)["value"].tolist()
    [1.5]
    """

    def __init__(self, folder: str | os.PathLike, metrics: Callable) -> None:
        self.folder = Path(folder)
        self.metrics = _metrics_name(metrics)
        self._hashes: dict[int, str] = {}

    def key(self, scenario: Scenario, seed: int) -> str:
        """``<scenario hash>-<seed>-<metrics hash>``, the run's file stem."""
        from cop.provenance import content_hash

        h = self._hashes.get(id(scenario))
        if h is None:
            h = self._hashes[id(scenario)] = content_hash(scenario.model_dump(mode="json"))[:20]
        return f"{h}-{seed}-{content_hash(self.metrics)[:8]}"

    def path(self, scenario: Scenario, seed: int) -> Path:
        """The file of one run."""
        return self.folder / f"run-{self.key(scenario, seed)}.parquet"

    def load(self, scenario: Scenario, seed: int) -> pd.DataFrame | None:
        """The stored metrics of a run, or ``None`` when it has not finished."""
        p = self.path(scenario, seed)
        return pd.read_parquet(p) if p.is_file() else None

    def save(self, scenario: Scenario, seed: int, frame: pd.DataFrame) -> None:
        """Store a finished run's metrics (atomically: a killed experiment leaves no partial file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_table(frame.loc[:, ["period", "metric", "value"]].reset_index(drop=True), self.path(scenario, seed))


def load_experiment(path: str | os.PathLike) -> ExperimentResult:
    """Read a saved experiment back: results, summary and provenance (as :meth:`ExperimentResult.write` wrote them).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from simulation import run_experiment, log_metrics
    >>> ex = run_experiment(Scenario(space={"years": 0.15}, arrivals={"initial_members": 10}),
    ...                     sweep={"manager.hours_per_week": [10, 30]}, seed=3, executor="sequential",
    ...                     metrics=log_metrics)
    >>> p, _ = ex.write(pathlib.Path(tempfile.mkdtemp()) / "ex.csv")
    >>> back = load_experiment(p)
    >>> back.baseline, back.sweep_keys, back.provenance["root_seed"], len(back.results) == len(ex.results)
    ('custom', ['manager.hours_per_week'], 3, True)
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"experiment file {str(path)!r} does not exist",
                          hint="give the results file cop experiment wrote (-o results.csv or .parquet)")
    ppath = path.with_name(path.stem + "_provenance.json")
    prov = json.loads(ppath.read_text(encoding="utf-8")) if ppath.is_file() else {}
    inputs = prov.get("inputs", {})
    keys = list(inputs.get("sweep_keys", []))
    results = _read_table(path)
    spath = path.with_name(path.stem + "_summary.csv")
    summary = _read_table(spath) if spath.is_file() else summarize(results, sweep_keys=keys)
    fail_path = path.with_name(path.stem + "_failures.csv")
    failures = (_read_table(fail_path) if fail_path.is_file()
                else pd.DataFrame(columns=["scenario", "parameters", "replicate", "seed", "error"]))
    base = inputs.get("baseline") or (str(results["scenario"].iloc[0]) if len(results) else "")
    sens_path = path.with_name(path.stem + "_sensitivity.csv")
    sens = pd.read_csv(sens_path) if sens_path.is_file() else None
    return ExperimentResult(results, summary, failures, int(prov.get("root_seed") or 0), keys,
                            baseline=base, provenance=prov, sensitivity=sens)


def _read_table(path: Path) -> pd.DataFrame:
    """A results table back from CSV or Parquet, with ``parameters`` as text ("" for none)."""
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, dtype={"scenario": str, "parameters": str, "period": str, "metric": str})
    for col in ("parameters", "error"):
        if col in df:
            df[col] = df[col].fillna("").astype(str)
    return df


def split_finished(plan: Sequence[Any], store: RunStore | None, resume: bool) -> tuple[list[tuple], list[Any]]:
    """The resume bookkeeping: ``(outputs of the runs already in store, the runs still to do)``.

    ``plan`` holds planned runs with ``index``, ``scenario`` and ``seed``; a
    stored run's output is ``(index, frame, None)``, as a finished task's.
    Without ``resume`` (or a store) every run is still to do.

    Examples
    --------
    >>> import tempfile
    >>> from types import SimpleNamespace
    >>> from simulation.metrics import log_metrics
    >>> store = RunStore(tempfile.mkdtemp(), log_metrics)
    >>> sc = Scenario(space={"years": 0.1})
    >>> plan = [SimpleNamespace(index=0, scenario=sc, seed=1), SimpleNamespace(index=1, scenario=sc, seed=2)]
    >>> store.save(sc, 2, pd.DataFrame({"period": ["all"], "metric": ["m"], "value": [1.0]}))
    >>> done, todo = split_finished(plan, store, resume=True)
    >>> [o[0] for o in done], [r.index for r in todo]
    ([1], [0])
    >>> len(split_finished(plan, store, resume=False)[1])
    2
    """
    done: list[tuple] = []
    todo = []
    for run_ in plan:
        frame = store.load(run_.scenario, run_.seed) if (store is not None and resume) else None
        if frame is not None:
            done.append((run_.index, frame, None))
        else:
            todo.append(run_)
    return done, todo


def saver(plan: Sequence[Any], store: RunStore | None) -> Callable[[tuple], None]:
    """The callback storing each finished task's output ``(index, frame, error)`` (failed runs are not stored)."""
    def finished(output: tuple) -> None:
        index, frame, err = output
        if store is not None and err is None:
            store.save(plan[index].scenario, plan[index].seed, frame)
    return finished
