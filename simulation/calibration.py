"""Calibrate a scenario to an observed log: simulated method of moments on the diagnosis statistics.

:func:`calibrate` fits the scenario parameters named in ``fit`` (``KEY=LO:HI``
ranges) so that the statistics of simulated logs
(:mod:`simulation.calibration_stats`, read through cop's own diagnosis) match
those of the observed log.  The method (``docs/calibration.md`` says why) is a
simulated method of moments with a quadratic meta-model, in four stages that
together spend exactly ``budget`` simulation runs:

1. **pilot** — a few replicates at the centre of the ranges give a first
   simulation standard deviation ``sigma`` of each statistic (floored at 5 %
   of the statistic's size); the weight of a statistic is ``1 / sigma**2``,
   re-estimated after the design from the pilot's deviations pooled with the
   design's residuals about the meta-model (a few replicates alone give
   weights that change tenfold from one seed to the next);
2. **design** — a Latin hypercube over the ranges, one run per point, each
   with its own seed (the meta-model below smooths the simulation noise, so
   the objective is smooth without common random numbers, and the noise of
   the design points averages out instead of biasing every point alike);
3. **refinement** — a smaller hypercube around the first estimate; a quadratic
   regression of every statistic on the parameters, weighted towards the
   estimate, is the meta-model; the estimate minimises the weighted distance
   between the meta-model and the observed statistics (a Huber loss beyond 2
   sigma), over the statistics some run came near: an observed statistic
   outside the range of every run so far is left out of the objective, since
   no value of the parameters matches it and its pull would only drag the
   others (it is reported as out of reach);
4. **check** — at least :data:`CHECK_MIN` replicates at the estimate give
   every statistic's simulated mean; its 95 % prediction interval uses the
   noise variance pooled over the check and pilot replicates (``df`` degrees
   of freedom, at least ``CHECK_MIN + 2``; Student t), and their covariance,
   pooled with the residuals of the runs near the estimate, gives the
   parameters' standard errors (the SMM sandwich with
   the meta-model's slopes, inflated by 1 + the meta-model's prediction
   variance per unit of noise).

Each statistic ends ``matched`` (the observed value lies in the simulated
interval at the estimate), ``missed`` (simulations reached it somewhere in the
ranges, but not at the compromise the fit found) or ``out of reach`` (no run
anywhere in the ranges came within one simulation sigma of it): a misspecification warning, never a
silent best fit.

Examples
--------
>>> import simulation
>>> from simulation.calibration import parse_fit
>>> parse_fit("arrivals.per_month=1:6")
FitRange(key='arrivals.per_month', low=1.0, high=6.0)
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.stats import qmc

from cop.exceptions import ConfigError

from .calibration_stats import STATISTICS, CalibrationMetrics, statistics_of_diagnosis
from .config import Scenario

__all__ = ["calibrate", "CalibrationResult", "FitRange", "parse_fit", "default_fit", "budget_plan", "SIGMA_FLOOR",
           "HUBER_C", "DEFAULT_BUDGET", "CHECK_MIN"]

#: No statistic counts as known more precisely than this share of its size (its sigma's floor).
SIGMA_FLOOR = 0.05
#: Beyond this many sigmas a statistic's pull on the fit grows linearly (Huber loss), not quadratically.
HUBER_C = 2.0
#: Simulation runs of a calibration unless told otherwise.
DEFAULT_BUDGET = 60
#: Fewest replicates at the estimate (the check stage).  With 4, the spread of a statistic taking few values
#: (a share of a few dozen members) could come out ten times larger or smaller from one seed to the next.
CHECK_MIN = 8
_LOCAL_HALF_WIDTH = 0.2  # refinement box, as a share of each range, either side of the first estimate
_KERNEL_WIDTH = 0.3  # meta-model weights exp(-d^2 / 2h^2) around the first estimate, in range units
_STATUS = ("matched", "missed", "out of reach", "not produced")


@dataclass(frozen=True)
class FitRange:
    """A parameter to fit and the range it may take: ``key`` (a dotted scenario path), ``low``, ``high``."""

    key: str
    low: float
    high: float


def parse_fit(text: str) -> FitRange:
    """Parse ``"KEY=LO:HI"`` (e.g. ``"encounters.conversations_per_day=0.1:1"``).

    Examples
    --------
    >>> parse_fit("events.cadence_days=3:30").high
    30.0
    >>> parse_fit("events.cadence_days=30:3")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: fit 'events.cadence_days=30:3': expected KEY=LO:HI with finite numbers LO < HI
    """
    try:
        key, spec = text.split("=", 1)
        lo_s, hi_s = spec.split(":")
        lo, hi = float(lo_s), float(hi_s)
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi and key.strip()):
            raise ValueError
    except ValueError:
        raise ConfigError(f"fit {text!r}: expected KEY=LO:HI with finite numbers LO < HI",
                          hint="e.g. --fit arrivals.per_month=1:10") from None
    return FitRange(key.strip(), lo, hi)


def default_fit(observed: pd.Series, base: Scenario) -> list[FitRange]:
    """The parameters fitted when none are named, with ranges read from the observed statistics.

    Founding members and applicants scale with the observed active members and
    newcomers; conversations, event cadence, attendance and the exit hazard
    take wide ranges around the documented defaults.

    Examples
    --------
    >>> obs = pd.Series({"active_members": 100.0, "newcomers_per_month": 5.0})
    >>> [(f.key, f.low, f.high) for f in default_fit(obs, Scenario())][:2]
    [('arrivals.initial_members', 40.0, 160.0), ('arrivals.per_month', 0.0, 17.0)]
    """
    active = float(observed.get("active_members", np.nan))
    active = 50.0 if not np.isfinite(active) else max(active, 5.0)
    newcomers = float(observed.get("newcomers_per_month", np.nan))
    newcomers = 5.0 if not np.isfinite(newcomers) else max(newcomers, 0.0)
    return [
        FitRange("arrivals.initial_members", float(max(1, round(0.4 * active))), float(min(5000, round(1.6 * active)))),
        FitRange("arrivals.per_month", 0.0, float(min(500.0, round(3 * newcomers + 2, 1)))),
        FitRange("encounters.conversations_per_day", 0.05, 1.0),
        FitRange("events.cadence_days", 2.0, 30.0),
        FitRange("events.base_attendance", 0.05, 0.6),
        FitRange("members.exit_hazard_per_month", 0.005, 0.12),
    ]


def budget_plan(budget: int, n_params: int) -> dict[str, int]:
    """Runs per stage: ``pilot``, ``design``, ``refine``, ``check`` (they add up to ``budget``).

    The design and refinement need at least ``3 * n_params + 3`` runs together
    (a quadratic without interactions has ``2 * n_params + 1`` terms).

    Examples
    --------
    >>> budget_plan(60, 6)
    {'pilot': 6, 'design': 32, 'refine': 13, 'check': 9}
    >>> budget_plan(10, 3)
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: budget = 10 runs is too small to fit 3 parameter(s): at least 24 are needed
    """
    need = 3 * n_params + 3
    minimum = need + 4 + CHECK_MIN
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget < minimum:
        raise ConfigError(f"budget = {budget!r} runs is too small to fit {n_params} parameter(s): "
                          f"at least {minimum} are needed",
                          hint="raise --budget, or fit fewer parameters (--fit KEY=LO:HI ...)")
    budget = int(budget)
    pilot = int(min(8, max(4, round(0.1 * budget))))
    check = int(min(max(12, CHECK_MIN), max(CHECK_MIN, round(0.15 * budget))))
    rest = budget - pilot - check
    design = int(math.ceil(0.7 * rest))
    return {"pilot": pilot, "design": design, "refine": rest - design, "check": check}


# ----------------------------------------------------------------------------- meta-model
def _features(x: np.ndarray, interactions: bool) -> np.ndarray:
    """Quadratic features of centred coordinates ``x`` (n, p) in [-1, 1]."""
    n, p = x.shape
    cols = [np.ones((n, 1)), x, x ** 2]
    if interactions:
        cols += [(x[:, i] * x[:, j])[:, None] for i in range(p) for j in range(i + 1, p)]
    return np.hstack(cols)


def _dfeatures(x: np.ndarray, interactions: bool) -> np.ndarray:
    """Derivatives of the features at one point ``x`` (p,): shape (n_terms, p)."""
    p = len(x)
    rows = [np.zeros(p)]
    rows += list(np.eye(p))
    rows += [2 * x[i] * np.eye(p)[i] for i in range(p)]
    if interactions:
        for i in range(p):
            for j in range(i + 1, p):
                d = np.zeros(p)
                d[i], d[j] = x[j], x[i]
                rows.append(d)
    return np.array(rows)


@dataclass
class _MetaModel:
    """Per-statistic weighted quadratic regressions on centred coordinates."""

    coef: np.ndarray  # (n_terms, K)
    interactions: bool
    spread: np.ndarray | None = None  # (n_terms, n_terms): Var(coef) per unit of noise variance (weighted LS)

    @classmethod
    def fit(cls, u: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> "_MetaModel":
        n, p = u.shape
        full_terms = 1 + 2 * p + p * (p - 1) // 2
        interactions = n >= 1.5 * full_terms
        x = 2 * u - 1
        f = _features(x, interactions)
        w = np.ones(n) if weights is None else weights
        coef = np.zeros((f.shape[1], y.shape[1]))
        ridge = 1e-3 * np.eye(f.shape[1])
        ridge[0, 0] = 0.0
        for k in range(y.shape[1]):
            ok = np.isfinite(y[:, k])
            if ok.sum() < 2:
                coef[:, k] = np.nan
                continue
            fw = f[ok] * w[ok, None]
            a = f[ok].T @ fw + ridge * max(1.0, float(w[ok].sum()))
            coef[:, k] = np.linalg.solve(a, fw.T @ y[ok, k])
        ok = np.isfinite(y).all(axis=1)
        a = f[ok].T @ (f[ok] * w[ok, None]) + ridge * max(1.0, float(w[ok].sum()))
        a_inv = np.linalg.inv(a)
        spread = a_inv @ (f[ok].T @ (f[ok] * (w[ok] ** 2)[:, None])) @ a_inv
        return cls(coef, interactions, spread)

    def leverage(self, u: np.ndarray) -> float:
        """Variance of the meta-model's prediction at ``u`` per unit of noise variance."""
        f = _features(np.atleast_2d(2 * np.asarray(u) - 1), self.interactions)[0]
        return float(f @ self.spread @ f) if self.spread is not None else 1.0

    def predict(self, u: np.ndarray) -> np.ndarray:
        u = np.atleast_2d(u)
        return _features(2 * u - 1, self.interactions) @ self.coef

    def jacobian(self, u: np.ndarray) -> np.ndarray:
        """d statistic / d u at ``u``: shape (K, p)."""
        return 2 * (_dfeatures(2 * np.asarray(u) - 1, self.interactions).T @ self.coef).T


def _loss(z: np.ndarray) -> float:
    a = np.abs(z)
    return float(np.where(a <= HUBER_C, z ** 2, 2 * HUBER_C * a - HUBER_C ** 2).sum())


def _minimise(model: _MetaModel, obs: np.ndarray, sigma: np.ndarray, starts: list[np.ndarray],
              use: np.ndarray | None = None) -> np.ndarray:
    """The point of [0, 1]^p minimising the Huber distance of the meta-model to ``obs`` over the statistics ``use``."""
    ok = np.isfinite(model.coef).all(axis=0) & (np.ones(len(obs), bool) if use is None else use)

    def objective(u: np.ndarray) -> float:
        return _loss(((model.predict(u)[0] - obs) / sigma)[ok])

    best, best_val = None, np.inf
    for u0 in starts:
        res = optimize.minimize(objective, np.clip(u0, 0, 1), method="L-BFGS-B", bounds=[(0.0, 1.0)] * len(u0))
        if res.fun < best_val:
            best, best_val = res.x, res.fun
    return np.clip(best, 0.0, 1.0)


# ----------------------------------------------------------------------------- result
@dataclass
class CalibrationResult:
    """What :func:`calibrate` found.

    Attributes
    ----------
    scenario : Scenario
        The fitted scenario: the base with the observed period and the estimates.
    base : str
        The base scenario as given (a library name, a path, or ``"<Scenario>"``).
    settings : dict
        Keys set from the observed log, not fitted (start date, years, seats).
    estimates : DataFrame
        ``parameter, estimate, se, ci_low, ci_high, low, high, note``: one row per fitted parameter;
        the interval is estimate +- 1.96 se, clipped to the range.
    statistics : DataFrame
        ``statistic, label, unit, observed, simulated, interval_low, interval_high, reach_low, reach_high,
        z, status, df, in_fit``: per statistic, the observed value, the simulated mean and 95 % prediction
        interval at the estimate (``df``: the degrees of freedom of its spread), the range over every run, and its
        status (matched, missed, out of reach, not produced) and whether it was in the objective.
    runs : DataFrame
        Every simulated run: ``stage, replicate, seed``, the parameter values and the statistics.
    budget, root_seed, source, lookback
        The number of runs, the root seed, the observed log's name and the diagnosis window used.
    warnings : list of str
        Plain sentences: parameters at the edge of their range or not identified, failed runs.
    """

    scenario: Scenario
    base: str
    settings: dict[str, Any]
    estimates: pd.DataFrame
    statistics: pd.DataFrame
    runs: pd.DataFrame
    budget: int
    root_seed: int
    source: str
    lookback: int
    warnings: list[str] = field(default_factory=list)

    @property
    def out_of_reach(self) -> list[str]:
        """Names of the observed statistics no simulated run came near (the model cannot reach them)."""
        return self.statistics.loc[self.statistics["status"].isin(["out of reach", "not produced"]),
                                   "statistic"].tolist()

    @property
    def missed(self) -> list[str]:
        """Names of the statistics reachable in the ranges but outside the simulated interval at the estimate."""
        return self.statistics.loc[self.statistics["status"] == "missed", "statistic"].tolist()

    def misspecification(self) -> str:
        """The plain-language warning about what the model does not reproduce ("" when everything matches)."""
        s = self.statistics.set_index("statistic")
        parts = []
        if self.out_of_reach:
            items = [f"{s.at[n, 'label']} (observed {_num(s.at[n, 'observed'])}; simulations gave "
                     f"{_num(s.at[n, 'reach_low'])} to {_num(s.at[n, 'reach_high'])})" for n in self.out_of_reach]
            parts.append(f"The model cannot reproduce {len(items)} of the {len(s)} observed statistics anywhere in the "
                         f"ranges tried: " + "; ".join(items) + ". They were left out of the fit. Simulated "
                         "interventions say little about what these measure in this community; treat their effects "
                         "there with caution.")
        if self.missed:
            items = [f"{s.at[n, 'label']} (observed {_num(s.at[n, 'observed'])}, simulated "
                     f"{_num(s.at[n, 'interval_low'])} to {_num(s.at[n, 'interval_high'])})" for n in self.missed]
            parts.append(f"{len(items)} more lie outside the simulated interval at the fitted values, although some "
                         "runs reached them: the model cannot match them together with the others: " + "; ".join(items) + ".")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of the whole result (without the runs)."""
        def records(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")]

        from cop import __version__

        return {
            "cop_version": __version__, "method": "simulated method of moments (docs/calibration.md)",
            "source": self.source, "base": self.base, "budget": self.budget, "root_seed": self.root_seed,
            "lookback": self.lookback, "settings": {k: _clean(v) for k, v in self.settings.items()},
            "estimates": records(self.estimates), "statistics": records(self.statistics),
            "out_of_reach": self.out_of_reach, "missed": self.missed, "misspecification": self.misspecification(),
            "warnings": list(self.warnings), "scenario": self.scenario.model_dump(mode="json"),
        }

    def to_json(self, path: str | os.PathLike | None = None) -> str:
        """The result as JSON text; written atomically to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n"
        if path is not None:
            _write_text(Path(path), text)
        return text

    def to_toml(self, path: str | os.PathLike | None = None, *, name: str | None = None) -> str:
        """The fitted scenario as TOML: ``extends`` the base and sets the observed period and the estimates.

        A library base is named; a base file beside ``path`` (or below its
        folder) is named by its relative path; any other base (a file
        elsewhere, or a Scenario object) is written out in full, since
        ``extends`` may only name files in the scenario's own folder.
        """
        name = name or (Path(path).stem if path is not None else f"{self.scenario.name}")
        lines = [
            f"# Fitted by cop calibrate to {os.path.basename(self.source)} ({self.budget} simulation runs, root seed {self.root_seed}).",
            "# Method: simulated method of moments on cop's diagnosis statistics (docs/calibration.md).",
        ]
        for n in self.out_of_reach:
            lines.append(f"# Out of reach of the model: {n}.")
        ref = _extends_ref(self.base, path)
        changes: dict[str, Any] = {**self.settings,
                                   **{r.parameter: r.estimate for r in self.estimates.itertuples()}}
        if ref is not None:
            lines.append(f"extends = {_toml_value(ref)}")
            data = _nest({k: _plain(self.scenario, k) for k in changes})
        else:
            lines.append(f"# The base ({self.base}) lies outside this file's folder: its keys are written in full.")
            data = self.scenario.model_dump(mode="python")
        data["name"] = name
        data["description"] = f"{self.base} fitted to {os.path.basename(self.source)}"
        text = "\n".join(lines) + "\n" + _toml_dump(data)
        if path is not None:
            _write_text(Path(path), text)
        return text

    def to_html(self, path: str | os.PathLike | None = None, *, title: str | None = None) -> str:
        """The calibration report (:func:`cop.report.calibration.render_calibration`); written when ``path``."""
        from cop.report.calibration import render_calibration

        text = render_calibration(self, title=title)
        if path is not None:
            _write_text(Path(path), text)
        return text


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` atomically (a temporary file renamed onto ``path``; :func:`cop.io.atomic_path`)."""
    from cop.io import atomic_path

    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def _num(v: Any) -> str:
    v = float(v)
    if not np.isfinite(v):
        return "–"
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"


def _clean(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else float(v)
    if isinstance(v, (_dt.date, pd.Timestamp)):
        return v.isoformat()
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def _plain(scenario: Scenario, key: str) -> Any:
    node: Any = scenario
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, (list, tuple)) else getattr(node, part)
    return node


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def _extends_ref(base: str, path: str | os.PathLike | None) -> str | None:
    from scenarios import list_scenarios

    if base in list_scenarios():
        return base
    if base.startswith("<") or path is None:
        return None
    target, folder = Path(base).resolve(), Path(path).resolve().parent
    if target.is_relative_to(folder) and target.suffix == ".toml":
        return target.relative_to(folder).as_posix()
    return None


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(round(float(v), 6))
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} to TOML")


def _toml_dump(data: dict[str, Any]) -> str:
    """TOML of a scenario mapping: top-level keys, one table per section, ``[[interventions]]``."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, (dict, list, tuple))
             or (isinstance(v, (list, tuple)) and not any(isinstance(x, dict) for x in v) and k != "interventions")]
    for k, v in data.items():
        if isinstance(v, dict):
            lines += ["", f"[{k}]"] + [f"{kk} = {_toml_value(vv)}" for kk, vv in v.items()]
    for iv in data.get("interventions", ()) or ():
        lines += ["", "[[interventions]]"] + [f"{kk} = {_toml_value(vv)}" for kk, vv in iv.items()]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- calibrate
def _observed_settings(log: Any, base: Scenario, ranges: Sequence[FitRange]) -> dict[str, Any]:
    """Keys set from the observed log: its start date and length (and enough seats for the largest founding)."""
    start = pd.Timestamp(log.start).tz_convert("UTC")
    days = (pd.Timestamp(log.end) - pd.Timestamp(log.start)).total_seconds() / 86400 + 1
    settings: dict[str, Any] = {"space.start_date": start.date(),
                                "space.years": float(min(20.0, max(0.05, round(days / 365.25, 3))))}
    top = max([r.high for r in ranges if r.key == "arrivals.initial_members"], default=0)
    if top > base.space.seats:
        settings["space.seats"] = int(min(10_000, math.ceil(1.25 * top)))
    return settings


def _values(u: np.ndarray, ranges: Sequence[FitRange], integer: Sequence[bool]) -> dict[str, Any]:
    out = {}
    for ui, r, is_int in zip(u, ranges, integer):
        v = r.low + float(ui) * (r.high - r.low)
        out[r.key] = int(round(v)) if is_int else round(v, 6)
    return out


def _unit(values: dict[str, Any], ranges: Sequence[FitRange]) -> np.ndarray:
    return np.array([(float(values[r.key]) - r.low) / (r.high - r.low) for r in ranges])


def _evaluate(task: tuple) -> tuple[int, list[float] | None, str | None]:
    """Run one scenario with one seed and return its statistics; never raises (errors are returned)."""
    index, scenario, seed, lookback, names = task
    try:
        from .model import run

        stats_ = CalibrationMetrics(lookback)(run(scenario, seed)).set_index("metric")["value"]
        return index, [float(stats_.get(n, np.nan)) for n in names], None
    except Exception as exc:  # counted and reported by calibrate
        return index, None, f"{type(exc).__name__}: {exc}"


def _mp_context():
    """``forkserver`` (safe with threads in the parent) where available, else ``spawn``."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class _Runner:
    """Runs batches of (parameter point, seed) on worker processes, one progress bar over the whole budget."""

    def __init__(self, base: Scenario, names: list[str], lookback: int, executor: str, workers: int | None,
                 progress: bool, ranges: Sequence[FitRange], budget: int, root: np.random.SeedSequence,
                 scheduler: str | None = None) -> None:
        from .experiment import replicate_seeds

        executor = getattr(executor, "value", executor)
        if executor not in ("auto", "sequential", "processes", "dask"):
            raise ConfigError(f"executor = {executor!r}: expected 'auto', 'sequential', 'processes' or 'dask'")
        if scheduler is not None and (not isinstance(scheduler, str) or not scheduler.strip()):
            raise ConfigError(f"scheduler = {scheduler!r}: expected the address of a Dask scheduler, "
                              "e.g. tcp://10.0.0.5:8786")
        if scheduler and executor == "auto":  # as in run_experiment: a scheduler implies the dask executor
            executor = "dask"
        self.base, self.names, self.lookback, self.ranges = base, names, lookback, ranges
        n_workers = workers or os.cpu_count() or 1
        self.dask = executor == "dask"
        self.dask_workers = workers or 2  # a local cluster's size, as run_experiment's
        self.scheduler = scheduler
        self.sequential = executor == "sequential" or (executor == "auto" and n_workers < 2)
        self.workers = n_workers
        self._client = self._cluster = None
        self.seeds = replicate_seeds(root, budget, max_runs=None)[0]  # one independent seed per run
        self.used = 0
        self.frames: list[pd.DataFrame] = []
        self.errors: list[str] = []
        self.progress = progress
        self._pool = None
        self._bar = None

    def __enter__(self) -> "_Runner":
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                             disable=not self.progress, transient=True, console=_console())
        self._bar.__enter__()
        self._job = self._bar.add_task("calibrating", total=len(self.seeds))
        if self.dask:
            self._start_dask()
        elif not self.sequential:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_mp_context())
        return self

    def __exit__(self, *exc: Any) -> None:
        import asyncio
        import contextlib
        from concurrent.futures import CancelledError

        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            with contextlib.suppress(CancelledError, asyncio.CancelledError, OSError, TimeoutError, RuntimeError):
                self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._bar.__exit__(*exc)

    def _start_dask(self) -> None:
        """One Dask client for the whole calibration: the scheduler at ``scheduler``, else a local cluster of
        ``workers`` processes (as :func:`simulation.run_experiment` starts for ``executor="dask"``)."""
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise ConfigError("executor 'dask' needs dask[distributed] installed") from exc
        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                raise ConfigError(f"cannot connect to the Dask scheduler at {self.scheduler!r}: {exc}",
                                  hint="give the address the scheduler prints, e.g. tcp://10.0.0.5:8786") from None
        else:
            self._cluster = LocalCluster(n_workers=self.dask_workers,
                                         threads_per_worker=1, processes=True, dashboard_address=None)
            self._client = Client(self._cluster)

    def _run_dask(self, tasks: list[tuple]) -> list[tuple]:
        import asyncio
        from concurrent.futures import CancelledError

        from distributed import as_completed as dask_completed

        from cop.exceptions import SimulationError

        outputs: list[tuple] = []
        try:
            for f in dask_completed(self._client.map(_evaluate, tasks, pure=False)):
                outputs.append(f.result())
                self._bar.advance(self._job)
        except (CancelledError, asyncio.CancelledError, OSError, TimeoutError) as exc:  # scheduler lost mid-run
            where = f"at {self.scheduler!r}" if self.scheduler else "(local cluster)"
            raise SimulationError(
                f"calibrate, executor 'dask': lost the connection to the Dask scheduler {where} after "
                f"{self.used - len(tasks) + len(outputs)} of {len(self.seeds)} runs ({type(exc).__name__})",
                hint="restart the scheduler and calibrate again with the same --seed (results do not depend on "
                     "the executor), or use --executor processes",
            ) from None
        return outputs

    def run(self, stage: str, points: list[dict[str, Any]]) -> pd.DataFrame:
        """One row per point (each with its own seed): ``stage, seed``, the keys, the statistics."""
        seeds = self.seeds[self.used:self.used + len(points)]
        self.used += len(points)
        self._bar.update(self._job, description=f"calibrating: {stage}")
        tasks = [(i, self.base.with_params(p, source="calibrate"), s, self.lookback, self.names)
                 for i, (p, s) in enumerate(zip(points, seeds))]
        outputs: list[tuple] = []
        if self._client is not None:
            outputs = self._run_dask(tasks)
        elif self._pool is None:
            for t in tasks:
                outputs.append(_evaluate(t))
                self._bar.advance(self._job)
        else:
            from concurrent.futures import as_completed
            from concurrent.futures.process import BrokenProcessPool

            from cop.exceptions import SimulationError

            try:
                for f in as_completed([self._pool.submit(_evaluate, t) for t in tasks]):
                    outputs.append(f.result())
                    self._bar.advance(self._job)
            except BrokenProcessPool as exc:
                raise SimulationError(
                    "calibrate: a worker process died before finishing its run (out of memory, killed, or the "
                    "calling script starts a calibration at import time)",
                    hint="in a script, call calibrate under `if __name__ == \"__main__\":`, or use executor='sequential'",
                ) from exc
        keys = [r.key for r in self.ranges]
        rows = []
        for index, values, err in sorted(outputs, key=lambda o: o[0]):
            if err is not None:
                self.errors.append(f"{stage} run with seed {seeds[index]}: {err}")
                continue
            rows.append({"stage": stage, "seed": int(seeds[index]), **points[index], **dict(zip(self.names, values))})
        out = pd.DataFrame(rows, columns=["stage", "seed", *keys, *self.names])
        self.frames.append(out)
        return out

    def all_runs(self) -> pd.DataFrame:
        return pd.concat([f for f in self.frames if len(f)], ignore_index=True) if self.frames else pd.DataFrame()


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _say(progress: bool, text: str) -> None:
    if progress:
        _console().print(text, soft_wrap=True)


def calibrate(
    log: Any,
    *,
    scenario: str | os.PathLike | Scenario = "baseline_coworking",
    fit: Sequence[str | FitRange] | None = None,
    budget: int = DEFAULT_BUDGET,
    seed: int | None = None,
    executor: str = "auto",
    workers: int | None = None,
    progress: bool = False,
    scheduler: str | None = None,
) -> CalibrationResult:
    """Fit scenario parameters so that simulated logs' diagnosis statistics match the observed log's.

    Parameters
    ----------
    log : cop.ActivityLog or path
        The observed log (a path is read with :func:`cop.read_activities`).
    scenario : name, path or Scenario, default "baseline_coworking"
        The base scenario; the fitted one extends it.
    fit : sequence of "KEY=LO:HI", "KEY" or FitRange, optional
        The parameters to fit and their ranges (default: all of :func:`default_fit`;
        a key of :func:`default_fit` alone takes its default range).
        A whole-number key (``events.cadence_days``) is rounded.
    budget : int, default :data:`DEFAULT_BUDGET`
        Total simulation runs (split by :func:`budget_plan`); the work is bounded by it.
    seed : int, optional
        Root seed (default: random, recorded in the result).
    executor : {"auto", "sequential", "processes", "dask"}
        Where runs go: local worker processes (``concurrent.futures``), this process, or
        Dask (the scheduler at ``scheduler``, else a local cluster of ``workers`` processes),
        as for :func:`simulation.run_experiment`; ``"auto"`` uses processes when there are several cores.
        The result does not depend on the executor: each run is a function of its point and its seed.
    workers : int, optional
        Worker processes (default: the CPU count).
    progress : bool
        Show each stage and a progress bar (on stderr).
    scheduler : str, optional
        Address of a Dask scheduler (implies ``executor="dask"``).

    Returns
    -------
    CalibrationResult

    Examples
    --------
    A log simulated with 2 applicants a month, fitted from a base with 6
    (18 runs of a quarter-year space, about 20 s):

    >>> import simulation
    >>> truth = simulation.Scenario(space={"years": 0.25}, arrivals={"initial_members": 12, "per_month": 2.0})
    >>> observed = simulation.run(truth, seed=5).log
    >>> res = calibrate(observed, scenario=truth.with_params({"arrivals.per_month": 6.0}),
    ...                 fit=["arrivals.per_month=0:8"], budget=18, seed=1, executor="sequential")
    >>> list(res.estimates.columns[:3]), len(res.runs)
    (['parameter', 'estimate', 'se'], 18)
    >>> sorted(set(res.statistics["status"]) - {"matched", "missed", "out of reach", "not produced"})
    []
    """
    from cop.diagnosis import diagnose

    if isinstance(log, (str, os.PathLike)):
        from cop.io import read_activities

        log = read_activities(log)
    if isinstance(scenario, Scenario):
        base_name, base = "<Scenario>", scenario
    else:
        from scenarios import load_scenario

        base_name, base = str(scenario), load_scenario(scenario)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ConfigError(f"seed = {seed!r}: expected a whole number >= 0 (or None for a random root seed)")
    root = np.random.SeedSequence(seed)
    rng = np.random.default_rng(root.spawn(1)[0])

    _say(progress, "[bold]calibrate:[/] diagnosing the observed log…")
    obs_d = diagnose(log, agreement=False)
    observed = statistics_of_diagnosis(obs_d)
    defaults = {r.key: r for r in default_fit(observed, base)}
    ranges = []
    for f in (fit or list(defaults.values())):
        if isinstance(f, str) and "=" not in f:  # a key alone: its default range
            if f.strip() not in defaults:
                raise ConfigError(f"fit {f!r}: give a range, KEY=LO:HI (only {', '.join(defaults)} have a default range)")
            f = defaults[f.strip()]
        ranges.append(parse_fit(f) if isinstance(f, str) else f)
    if not ranges:
        raise ConfigError("fit: no parameter to fit", hint="give --fit KEY=LO:HI at least once")
    if len({r.key for r in ranges}) != len(ranges):
        raise ConfigError("fit: a key is given twice: " + ", ".join(r.key for r in ranges))
    plan = budget_plan(budget, len(ranges))
    settings = _observed_settings(log, base, ranges)
    base = base.with_params(settings, source=base_name)
    integer = []
    for r in ranges:
        try:
            current = _plain(base, r.key)
        except (AttributeError, IndexError, ValueError):
            raise ConfigError(f"fit {r.key!r}: no such scenario key", hint="keys are dotted paths such as "
                              "arrivals.per_month; see docs/model.md") from None
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            raise ConfigError(f"fit {r.key!r}: not a number ({current!r}); only numeric keys can be fitted")
        integer.append(isinstance(current, int))
        for v in (r.low, r.high):  # the range must be valid for the model
            base.with_params({r.key: int(round(v)) if integer[-1] else v}, source=f"--fit {r.key}")
    names = [s.name for s in STATISTICS if np.isfinite(observed[s.name])]
    obs = observed[names].to_numpy()
    p = len(ranges)
    with _Runner(base, names, obs_d.lookback, executor, workers, progress, ranges, int(budget), root,
                 scheduler) as runner:
        # 1. pilot: the statistics' simulation spread at the centre of the ranges -> weights
        _say(progress, f"[bold]calibrate:[/] 1/4 pilot, {plan['pilot']} replicates at the centre of the ranges")
        centre = _values(np.full(p, 0.5), ranges, integer)
        pilot = runner.run("pilot", [centre] * plan["pilot"])
        y_p = pilot[names].to_numpy(float)
        scale = np.maximum(np.abs(obs), np.abs(np.nanmean(y_p, axis=0)) if len(y_p) else 0.0)
        sd = np.nanstd(y_p, axis=0, ddof=1) if len(y_p) > 1 else np.zeros(len(names))
        sigma = np.maximum(np.nan_to_num(sd), SIGMA_FLOOR * np.nan_to_num(scale)) + 1e-9

        # 2. design: a Latin hypercube over the ranges, one run (its own seed) per point
        _say(progress, f"[bold]calibrate:[/] 2/4 design, {plan['design']} points over {p} parameter(s)")
        u1 = qmc.LatinHypercube(d=p, seed=rng).random(plan["design"])
        design = runner.run("design", [_values(u, ranges, integer) for u in u1])
        if len(design) < 2 * p + 2:
            raise _too_many_failures(runner)
        u_d, y_d = _unit_rows(design, ranges), design[names].to_numpy(float)
        # statistics no run came near so far: left out of the objective (no value of the parameters
        # matches them, and their pull would only drag the others); reported as out of reach
        model = _MetaModel.fit(u_d, y_d)
        # the weights again, from the pilot's deviations pooled with the design's residuals about the meta-model
        # (df: pilot - 1 + design - terms, against pilot - 1 alone): robust to the few pilot replicates
        pooled = _pooled_cov([y_p], y_d - model.predict(u_d), model.coef.shape[0])
        sd = np.sqrt(np.clip(np.diag(pooled), 0, None))
        sigma = np.maximum(np.nan_to_num(sd), SIGMA_FLOOR * np.nan_to_num(scale)) + 1e-9
        use = _within_reach(obs, np.vstack([y_p, y_d]), sigma)
        u_first = _minimise(model, obs, sigma, _starts(u_d, y_d, obs, sigma, [np.full(p, 0.5)], use), use)

        # 3. refinement around the first estimate; the meta-model weighted towards it
        _say(progress, f"[bold]calibrate:[/] 3/4 refinement, {plan['refine']} points around the first estimate")
        lo, hi = np.clip(u_first - _LOCAL_HALF_WIDTH, 0, 1), np.clip(u_first + _LOCAL_HALF_WIDTH, 0, 1)
        if plan["refine"]:
            u2 = lo + qmc.LatinHypercube(d=p, seed=rng).random(plan["refine"]) * (hi - lo)
            runner.run("refine", [_values(u, ranges, integer) for u in u2])
        both = runner.all_runs()
        both = both[both["stage"].isin(["design", "refine"])]
        u_all, y_all = _unit_rows(both, ranges), both[names].to_numpy(float)
        kernel = np.exp(-((u_all - u_first) ** 2).sum(axis=1) / (2 * _KERNEL_WIDTH ** 2)) + 0.05
        model = _MetaModel.fit(u_all, y_all, kernel)
        use = _within_reach(obs, np.vstack([y_p, y_all]), sigma)
        u_hat = _minimise(model, obs, sigma, _starts(u_all, y_all, obs, sigma, [u_first], use), use)
        est_values = _values(u_hat, ranges, integer)
        u_hat = _unit(est_values, ranges)  # what the scenario will use (whole-number keys rounded)

        # 4. check: replicates at the estimate -> simulated intervals and the parameters' uncertainty
        _say(progress, f"[bold]calibrate:[/] 4/4 check, {plan['check']} replicates at the estimate")
        check = runner.run("check", [est_values] * plan["check"])
    runs = runner.all_runs()
    y_c = check[names].to_numpy(float)
    fitted = base.with_params(est_values, source="calibrate")
    resid = y_all - model.predict(u_all)
    near = kernel >= 0.5 + 0.05  # residuals of the runs close to the first estimate: noise (and a little misfit)
    n_terms = model.coef.shape[0]
    omega = _pooled_cov([y_p, y_c], resid[near] if near.sum() > n_terms else None, n_terms)
    # the intervals' noise: the replicates only (check and pilot, >= CHECK_MIN + 2 degrees of freedom), not the
    # residuals, which carry the meta-model's misfit where a statistic jumps (a core share of 0.15 almost everywhere
    # and 0.6 in the smallest communities) and widened the core share's interval 3.7-fold in one seed
    noise, noise_df = _pooled_cov([y_p, y_c], None, n_terms, with_df=True)
    table = _statistics_table(names, obs, y_c, runs[names].to_numpy(float), sigma, np.diag(noise), noise_df)
    table["in_fit"] = use
    estimates, warns = _estimates(model, u_hat, obs, sigma, omega, table, ranges, est_values, use)
    if runner.errors:
        warns.append(f"{len(runner.errors)} of {budget} simulation runs failed and were left out "
                     f"(first: {runner.errors[0].splitlines()[0]}).")
    return CalibrationResult(
        scenario=fitted, base=base_name, settings=settings, estimates=estimates, statistics=table, runs=runs,
        budget=int(budget), root_seed=int(root.entropy), source=os.path.basename(str(getattr(log, "source", "<log>"))),
        lookback=int(obs_d.lookback), warnings=warns,
    )


def _within_reach(obs: np.ndarray, y: np.ndarray, margin: np.ndarray) -> np.ndarray:
    """Which observed statistics lie within ``margin`` (one simulation sigma) of the range of the simulated ones
    (all, if none does).  Without the margin, a log the model itself made would fall outside the range of N runs
    with probability 2 / (N + 1) per statistic."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanmin(y, axis=0), np.nanmax(y, axis=0)
    eps = 1e-9 * (1 + np.abs(obs)) + margin
    inside = (obs >= lo - eps) & (obs <= hi + eps)
    return inside if inside.any() else np.ones(len(obs), bool)


def _starts(u: np.ndarray, y: np.ndarray, obs: np.ndarray, sigma: np.ndarray, extra: list[np.ndarray],
            use: np.ndarray) -> list[np.ndarray]:
    """The starting points of the minimisation: the runs closest to the observed statistics, and ``extra``."""
    z = np.nan_to_num((y - obs) / sigma, nan=10.0)[:, use]
    order = np.argsort([_loss(row) for row in z])
    return list(extra) + [u[i] for i in order[:4]]


def _too_many_failures(runner: _Runner) -> Exception:
    from cop.exceptions import SimulationError

    return SimulationError(f"calibrate: {len(runner.errors)} simulation runs failed; too few are left to fit the model "
                           f"(first: {runner.errors[0].splitlines()[0] if runner.errors else '?'})",
                           hint="narrow the --fit ranges, or check the base scenario runs (cop simulate BASE)")


def _unit_rows(frame: pd.DataFrame, ranges: Sequence[FitRange]) -> np.ndarray:
    return np.column_stack([(frame[r.key].to_numpy(float) - r.low) / (r.high - r.low) for r in ranges])


def _statistics_table(names: list[str], obs: np.ndarray, y_check: np.ndarray, y_runs: np.ndarray,
                      margin: np.ndarray, noise_var: np.ndarray, noise_df: float) -> pd.DataFrame:
    """Per statistic: observed, simulated mean at the estimate and its 95 % prediction interval, reach, status.

    The interval is mean +- t(df) * s * sqrt(1 + 1/R) over the R check replicates, with ``s**2`` the noise
    variance ``noise_var`` pooled over the check and pilot replicates (their deviations from their own means,
    ``noise_df`` degrees of freedom): the spread of the check replicates alone, on 3 degrees of freedom, made the
    interval of a statistic taking few values (a share of a few dozen members) sixteen times wider in one seed
    than in another.
    """
    by_name = {s.name: s for s in STATISTICS}
    rows = []
    for k, n in enumerate(names):
        col = y_check[:, k]
        col = col[np.isfinite(col)]
        every = y_runs[:, k]
        every = every[np.isfinite(every)]
        if len(every) < max(2, 0.5 * len(y_runs)):
            rows.append((n, by_name[n].label, by_name[n].unit, obs[k], np.nan, np.nan, np.nan, np.nan, np.nan, np.nan,
                         "not produced", 0.0))
            continue
        mean = float(col.mean()) if len(col) else np.nan
        df = float(noise_df)
        sd = math.sqrt(max(float(noise_var[k]), 0.0)) if df > 0 else 0.0
        half = float(stats.t.ppf(0.975, max(df, 1)) * sd * math.sqrt(1 + 1 / max(len(col), 1)))
        low, high = (mean - half, mean + half) if len(col) else (np.nan, np.nan)
        if len(col):
            # clipped to what the statistic can be: none is negative, shares are at most 1
            low, high = max(low, 0.0), (min(high, 1.0) if by_name[n].unit in ("share", "0-1") else high)
        eps = 1e-9 * (1 + abs(obs[k]))
        reach_low, reach_high = float(every.min()), float(every.max())
        z = (obs[k] - mean) / (sd * math.sqrt(1 + 1 / max(len(col), 1))) if sd > 0 else (
            0.0 if abs(obs[k] - mean) <= eps else math.copysign(np.inf, obs[k] - mean))
        if not (reach_low - eps - margin[k] <= obs[k] <= reach_high + eps + margin[k]):
            status = "out of reach"
        elif low - eps <= obs[k] <= high + eps:
            status = "matched"
        else:
            status = "missed"
        rows.append((n, by_name[n].label, by_name[n].unit, obs[k], mean, low, high, reach_low, reach_high, z, status,
                     df))
    return pd.DataFrame(rows, columns=["statistic", "label", "unit", "observed", "simulated", "interval_low",
                                       "interval_high", "reach_low", "reach_high", "z", "status", "df"])


def _pooled_cov(groups: list[np.ndarray], resid: np.ndarray | None, n_terms: int, *,
                with_df: bool = False) -> np.ndarray | tuple[np.ndarray, float]:
    """The statistics' noise covariance, pooled over replicate groups (deviations from each group's mean) and the
    meta-model's residuals near the estimate (``n - n_terms`` degrees of freedom); with ``with_df`` also its
    degrees of freedom.  Missing values count as 0 deviations."""
    k = next(g.shape[1] for g in groups if g.ndim == 2)
    total, df = np.zeros((k, k)), 0.0
    for g in groups:
        if len(g) > 1:
            with warnings.catch_warnings():  # a statistic missing in every run of a group: no deviation
                warnings.simplefilter("ignore", RuntimeWarning)
                dev = np.nan_to_num(g - np.nanmean(g, axis=0))
            total += dev.T @ dev
            df += len(g) - 1
    if resid is not None and len(resid) > n_terms:
        dev = np.nan_to_num(resid)
        total += dev.T @ dev
        df += len(resid) - n_terms
    cov = total / df if df > 0 else np.zeros((k, k))
    return (cov, df) if with_df else cov


def _estimates(model: _MetaModel, u_hat: np.ndarray, obs: np.ndarray, sigma: np.ndarray, omega: np.ndarray,
               table: pd.DataFrame, ranges: Sequence[FitRange], values: dict[str, Any],
               use: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    """Estimates with SMM sandwich standard errors (Huber-reweighted, inflated by 1 + the meta-model's leverage)."""
    ok = np.isfinite(model.coef).all(axis=0) & (table["status"] != "not produced").to_numpy() & use
    g = model.jacobian(u_hat)[ok]  # (K, p) in unit coordinates
    resid = ((model.predict(u_hat)[0] - obs) / sigma)[ok]
    w = (1 / sigma[ok] ** 2) * np.minimum(1.0, HUBER_C / np.maximum(np.abs(resid), 1e-12))
    omega = omega[np.ix_(ok, ok)] + np.diag((SIGMA_FLOOR * 0.2 * np.abs(obs[ok])) ** 2)  # a small floor on the noise
    a = g.T @ (w[:, None] * g)
    warns: list[str] = []
    p = len(ranges)
    try:
        if np.linalg.cond(a) > 1e12:
            raise np.linalg.LinAlgError
        a_inv = np.linalg.inv(a)
        b = g.T @ (w[:, None] * omega * w[None, :]) @ g
        cov_u = (1.0 + model.leverage(u_hat)) * a_inv @ b @ a_inv
        se_u = np.sqrt(np.clip(np.diag(cov_u), 0, None))
    except np.linalg.LinAlgError:
        se_u = np.full(p, np.inf)
    rows = []
    for i, r in enumerate(ranges):
        width = r.high - r.low
        est = values[r.key]
        se = float(se_u[i] * width)
        note = ""
        if not np.isfinite(se) or se > width:
            note = "not identified by these statistics"
            warns.append(f"{r.key} is not identified by the statistics: its value barely changes them in "
                         f"[{_num(r.low)}, {_num(r.high)}]; the estimate is a guess.")
        elif u_hat[i] <= 0.01 or u_hat[i] >= 0.99:
            note = "at the edge of its range"
            warns.append(f"{r.key} = {_num(est)} lies at the edge of its range [{_num(r.low)}, {_num(r.high)}]: "
                         "the best value may lie beyond it; widen the range (--fit) if it is plausible.")
        lo = max(r.low, est - 1.96 * se) if np.isfinite(se) else r.low
        hi = min(r.high, est + 1.96 * se) if np.isfinite(se) else r.high
        rows.append((r.key, est, se, lo, hi, r.low, r.high, note))
    return pd.DataFrame(rows, columns=["parameter", "estimate", "se", "ci_low", "ci_high", "low", "high", "note"]), warns
