"""Sensitivity indices of a sampled design: Sobol first-order and total, Morris μ* and σ (through SALib).

One path for every model: a :class:`simulation.design.Design` (``sobol`` or
``morris``) and the model's outputs at its points, in design order, give
:func:`sensitivity_indices` — a tidy table ``output, parameter, index, value,
ci_low, ci_high``:

* ``sobol``: ``S1`` (first order) and ``ST`` (total) from
  :func:`SALib.analyze.sobol.analyze` (Saltelli 2010 / Jansen estimators),
  with SALib's bootstrap 95% intervals;
* ``morris``: ``mu_star`` (mean absolute elementary effect, in the output's
  units per full range of the parameter), with its bootstrap 95% interval,
  and ``sigma`` (their standard deviation; no interval), from
  :func:`SALib.analyze.morris.analyze`.

:func:`analyze_model` runs a plain Python function over the design (the
wiring test uses the Ishigami function, whose indices are known);
:func:`experiment_outputs` turns an experiment over the design into the same
outputs (the replicate mean of each whole-run metric per point).  SALib is the
optional extra ``cop-health[sensitivity]``; without it the analysis stops with
one message saying how to install it.

Examples
--------
>>> from simulation.design import sample_design
>>> d = sample_design("morris", {"a": (0, 1), "b": (0, 10)}, 6, seed=2)
>>> t = analyze_model(lambda p: 3 * p["a"] + 0.1 * p["b"], d)   # mu* = |coefficient| x range
>>> t.query("index == 'mu_star'")["value"].round(6).tolist()
[3.0, 1.0]
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError

from .design import Design

__all__ = ["sensitivity_indices", "analyze_model", "experiment_outputs", "experiment_sensitivity", "INDEX_LABELS",
           "require_salib"]

#: index name -> what it means (the report's legend).
INDEX_LABELS: dict[str, str] = {
    "S1": "Sobol first-order index: share of the output variance due to the parameter alone",
    "ST": "Sobol total index: share of the variance involving the parameter, interactions included",
    "mu_star": "Morris mu*: mean absolute elementary effect (output units per full range of the parameter)",
    "sigma": "Morris sigma: spread of the elementary effects (non-linearity or interactions)",
}

_COLUMNS = ["output", "parameter", "index", "value", "ci_low", "ci_high"]


def require_salib() -> None:
    """Raise one :class:`ConfigError` saying how to install SALib when it is missing."""
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise ConfigError("sensitivity indices need SALib, which is not installed",
                          hint="pip install 'cop-health[sensitivity]' (or pip install SALib)") from None


def _one_output(design: Design, y: np.ndarray, seed: int) -> list[tuple]:
    problem = design.problem
    names = problem["names"]
    if design.method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
        rows = []
        for idx in ("S1", "ST"):
            for name, v, c in zip(names, res[idx], res[f"{idx}_conf"]):
                rows.append((name, idx, float(v), float(v - c), float(v + c)))
        return rows
    from SALib.analyze import morris

    x = design.points[names].to_numpy(dtype=float)
    res = morris.analyze(problem, x, y, num_levels=4, seed=seed)
    rows = [(n, "mu_star", float(v), float(v - c), float(v + c))
            for n, v, c in zip(names, res["mu_star"], res["mu_star_conf"])]
    rows += [(n, "sigma", float(v), float("nan"), float("nan")) for n, v in zip(names, res["sigma"])]
    return rows


def sensitivity_indices(design: Design, outputs: pd.DataFrame | pd.Series | np.ndarray, *, seed: int = 0) -> pd.DataFrame:
    """Sobol or Morris indices of every output column, as a tidy table.

    Parameters
    ----------
    design : Design
        A ``sobol`` or ``morris`` design from :func:`simulation.design.sample_design`.
    outputs : DataFrame, Series or array
        The model's outputs at the design's points, in design order: one column
        per output (a Series or 1-d array is one output named ``"y"``).  An
        output with a missing or infinite value, or the same value at every
        point, is left out (``attrs["skipped"]`` lists them).
    seed : int
        Seed of SALib's bootstrap intervals.

    Examples
    --------
    >>> from simulation import sample_design
    >>> design = sample_design("sobol", {"a": (0, 1), "b": (0, 1)}, 64, seed=1)
    >>> idx = sensitivity_indices(design, 4 * design.points["a"] + 0.1 * design.points["b"])
    >>> idx.columns.tolist()
    ['output', 'parameter', 'index', 'value', 'ci_low', 'ci_high']
    """
    require_salib()
    if design.method not in ("sobol", "morris"):
        raise ConfigError(f"sensitivity indices need a 'sobol' or 'morris' design, not {design.method!r}",
                          hint="use --sample sobol or --sample morris")
    if isinstance(outputs, pd.Series):
        outputs = outputs.to_frame(outputs.name or "y")
    elif not isinstance(outputs, pd.DataFrame):
        outputs = pd.DataFrame({"y": np.asarray(outputs, dtype=float)})
    if len(outputs) != len(design.points):
        raise ConfigError(f"sensitivity: {len(outputs)} outputs for {len(design.points)} design points")
    rows, skipped = [], []
    for col in outputs.columns:
        y = outputs[col].to_numpy(dtype=float)
        if not np.isfinite(y).all() or np.ptp(y) == 0:  # a missing value, or no variance to apportion
            skipped.append(str(col))
            continue
        rows += [(str(col), *r) for r in _one_output(design, y, seed)]
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out.attrs["skipped"] = skipped
    out.attrs["method"] = design.method
    return out


def analyze_model(model: Callable[[pd.DataFrame], Any], design: Design, *, seed: int = 0) -> pd.DataFrame:
    """Run ``model(points) -> outputs`` over the design's points and return :func:`sensitivity_indices`.

    ``model`` takes the design's points (a DataFrame, one column per key) and
    returns one output per point (array or Series) or a DataFrame of outputs.

    Examples
    --------
    >>> from simulation import sample_design
    >>> design = sample_design("sobol", {"a": (0, 1), "b": (0, 1)}, 64, seed=1)
    >>> idx = analyze_model(lambda p: 4 * p["a"] + 0.1 * p["b"], design)
    >>> first = idx[idx["index"] == "S1"].set_index("parameter")["value"]
    >>> bool(first["a"] > 0.9), bool(abs(first["b"]) < 0.05)  # nearly all the variance comes from a
    (True, True)
    """
    y = model(design.points.copy())
    if isinstance(y, pd.Series):
        y = y.reset_index(drop=True)
    return sensitivity_indices(design, y, seed=seed)


def experiment_outputs(results: pd.DataFrame, design: Design, metrics: list[str] | None = None) -> pd.DataFrame:
    """Whole-run metrics of an experiment over ``design``, one row per design point in design order.

    Each value is the mean over replicates (common random numbers) of the
    metric at that point; rows of runs outside the design (the baseline at its
    own defaults) are ignored.
    """
    keys = design.keys
    whole = results[(results["period"] == "all") & results["parameters"].astype(str).ne("")]
    if metrics is not None:
        whole = whole[whole["metric"].isin(metrics)]
    means = whole.groupby([*keys, "metric"], sort=False, dropna=False)["value"].mean().unstack("metric")
    index = pd.MultiIndex.from_frame(design.points[keys]) if len(keys) > 1 else pd.Index(design.points[keys[0]])
    out = means.reindex(index)
    return out.reset_index(drop=True)


def experiment_sensitivity(results: pd.DataFrame, design: Design, metrics: list[str] | None = None, *,
                           seed: int = 0) -> pd.DataFrame:
    """:func:`sensitivity_indices` of every scenario's whole-run metrics over ``design``.

    Columns ``scenario, output, parameter, index, value, ci_low, ci_high``
    (``output`` is the metric); metrics with a missing value at some point are
    left out (``attrs["skipped"]``).

    Examples
    --------
    >>> from simulation import Scenario, run_experiment, sample_design
    >>> design = sample_design("morris", {"manager.hours_per_week": (5, 40)}, 2, seed=1)
    >>> exp = run_experiment(Scenario(space={"years": 0.1}, arrivals={"initial_members": 10}),
    ...                      sweep=design.points.to_dict("records"), seed=1, executor="sequential")
    >>> s = experiment_sensitivity(exp.results, design, ["active_members"])
    >>> s[["parameter", "index"]].values.tolist()[:2]
    [['manager.hours_per_week', 'mu_star'], ['manager.hours_per_week', 'sigma']]
    """
    tables, skipped = [], []
    for label, sub in results.groupby("scenario", sort=False):
        y = experiment_outputs(sub, design, metrics)
        t = sensitivity_indices(design, y, seed=seed)
        skipped += [f"{label}: {m}" for m in t.attrs.get("skipped", [])]
        tables.append(t.assign(scenario=label))
    out = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["scenario", *_COLUMNS])
    out = out[["scenario", *_COLUMNS]]
    out.attrs.update(skipped=skipped, method=design.method)
    return out
