"""Simulation of a community of practice: a SimPy model, interventions and experiments.

The model emits exactly what a real export becomes after loading — an activity
log with members and activities tables — so every cop diagnostic runs
unchanged on simulated communities.

* :func:`run` — ``run(scenario, seed) -> SimulationResult`` (one replicate);
* :class:`Scenario` and :func:`scenario_from_dict` — validated parameters;
* :func:`run_experiment` — scenarios × sweeps × replicates with common random
  numbers, on sequential, process or Dask executors;
* :func:`default_metrics` / :func:`log_metrics` — tidy experiment metrics;
* :data:`INTERVENTION_NAMES` — the levers (see :mod:`simulation.interventions`).

Examples
--------
>>> import simulation
>>> res = simulation.run(simulation.Scenario(space={"years": 0.1}, arrivals={"initial_members": 8}), seed=1)
>>> sorted(res.members["role"].unique())
['manager', 'member']
"""

from .config import INTERVENTION_NAMES, Scenario, scenario_from_dict
from .experiment import ExperimentResult, Executor, parse_sweep, replicate_seeds, run_experiment, summarize
from .metrics import METRIC_NAMES, default_metrics, log_metrics
from .model import SimulationResult, run

__all__ = [
    "Scenario",
    "scenario_from_dict",
    "INTERVENTION_NAMES",
    "run",
    "SimulationResult",
    "run_experiment",
    "ExperimentResult",
    "Executor",
    "parse_sweep",
    "replicate_seeds",
    "summarize",
    "default_metrics",
    "log_metrics",
    "METRIC_NAMES",
]
