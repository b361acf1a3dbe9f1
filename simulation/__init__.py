"""Simulation of a community of practice: a SimPy model, interventions and experiments.

The model emits exactly what a real export becomes after loading — an activity
log with members and activities tables — so every cop diagnostic runs
unchanged on simulated communities.

* :func:`run` — ``run(scenario, seed) -> SimulationResult`` (one replicate);
* :class:`Scenario` and :func:`scenario_from_dict` — validated parameters;
* :func:`run_experiment` — scenarios × sweeps × replicates with common random
  numbers, on sequential, process or Dask executors;
* :func:`load_experiment` — a saved experiment back (results, summary, provenance);
* :func:`sample_design` / :func:`read_design` — designs (Latin hypercube, Sobol,
  Morris, or a CSV of points); :func:`sensitivity_indices` /
  :func:`analyze_model` — Sobol and Morris indices (SALib);
* :func:`default_metrics` / :func:`log_metrics` — tidy experiment metrics;
* :data:`INTERVENTION_NAMES` — the levers (see :mod:`simulation.interventions`);
* :func:`calibrate` — fit a scenario to an observed log (:mod:`simulation.calibration`), on the
  statistics of :mod:`simulation.calibration_stats`.

Examples
--------
>>> import simulation
>>> res = simulation.run(simulation.Scenario(space={"years": 0.1}, arrivals={"initial_members": 8}), seed=1)
>>> sorted(res.members["role"].unique())
['manager', 'member']
"""

import importlib

#: public name -> the module defining it; imported on first use (PEP 562), so that importing one
#: light module such as :mod:`simulation.interventions` (as cop does for the intervention texts)
#: does not load SimPy, SciPy and the experiment machinery.
_EXPORTS = {
    "Scenario": "config",
    "scenario_from_dict": "config",
    "INTERVENTION_NAMES": "interventions",
    "run": "model",
    "SimulationResult": "model",
    "run_experiment": "experiment",
    "ExperimentResult": "run_store",
    "Executor": "experiment",
    "parse_sweep": "experiment",
    "replicate_seeds": "experiment",
    "summarize": "run_store",
    "load_experiment": "run_store",
    "RunStore": "run_store",
    "Design": "design",
    "sample_design": "design",
    "read_design": "design",
    "parse_range": "design",
    "sensitivity_indices": "sensitivity",
    "analyze_model": "sensitivity",
    "experiment_sensitivity": "sensitivity",
    "with_intervention": "variants",
    "describe_metric": "metric_definitions",
    "default_metrics": "metrics",
    "log_metrics": "metrics",
    "METRIC_NAMES": "metrics",
    "calibrate": "calibration",
    "CalibrationResult": "calibration",
    "calibration_statistics": "calibration_stats",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
