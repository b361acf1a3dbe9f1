"""Ready-to-run commands that test a recommended intervention in simulation.

Every recommendation of a diagnosis names an intervention (the names shared
with :mod:`simulation`).  Each intervention's declaration in
:mod:`simulation.interventions` says how to test it (its ``trial``: a library
scenario, a sweep of one key, or the intervention with a few parameters) and
gives its ``label``; this module turns the trial into a ``cop experiment``
command comparing the bundled ``baseline_coworking`` scenario with the
intervention (writing a one-line scenario file on the spot for the third
kind).  :data:`INTERVENTION_COMMANDS` and :data:`INTERVENTION_LABELS` are
read-only mappings filled from the declarations on first use (``cop`` never
imports ``simulation`` at module level); ``tests/test_report.py`` checks that
every scenario and parameter path a command uses exists.

Examples
--------
>>> command_for("manager_hours")
'cop experiment baseline_coworking --sweep manager.hours_per_week=20:40:5 --replicates 8 --seed 1 -o manager_hours.csv --report manager_hours.html'
>>> command_for("no_such_lever") is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cop.recommend import LazyMapping

__all__ = ["INTERVENTION_COMMANDS", "INTERVENTION_LABELS", "command_for", "label_for", "intervention_commands",
           "intervention_labels", "trial_command"]

_OPTS = "--replicates 8 --seed 1"
_BASELINE = "baseline_coworking"


def _experiment(args: str, out: str) -> str:
    return f"cop experiment {args} {_OPTS} -o {out}.csv --report {out}.html"


def _with_file(name: str, body: str) -> str:
    """A scenario file extending the baseline with one intervention, then the experiment."""
    toml = f'extends = "{_BASELINE}"\\nname = "{name}"\\n[[interventions]]\\nname = "{name}"\\n{body}'
    return f"printf '{toml}' > {name}.toml && " + _experiment(f"{_BASELINE} {name}.toml", name)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    return repr(v)


def trial_command(name: str, trial: Any) -> str:
    """The shell command running ``trial`` (a :class:`simulation.interventions.Trial`) of intervention ``name``.

    Examples
    --------
    >>> from simulation.interventions import Trial
    >>> trial_command("seat_cap", Trial(scenario="big_company_caps"))
    'cop experiment baseline_coworking big_company_caps --replicates 8 --seed 1 -o seat_cap.csv --report seat_cap.html'
    >>> trial_command("x", Trial(params={"n": 4})).split(" && ")[0]
    'printf \\'extends = "baseline_coworking"\\\\nname = "x"\\\\n[[interventions]]\\\\nname = "x"\\\\nn = 4\\\\n\\' > x.toml'
    """
    if trial.scenario is not None:
        return _experiment(f"{_BASELINE} {trial.scenario}", name)
    if trial.sweep is not None:
        return _experiment(f"{_BASELINE} --sweep {trial.sweep}", name)
    body = "".join(f"{k} = {_toml_value(v)}\\n" for k, v in trial.params.items())
    return _with_file(name, body)


def intervention_commands() -> dict[str, str]:
    """``intervention name -> shell command`` testing it against the baseline, for every declared trial."""
    from simulation.interventions import declared_interventions

    return {name: trial_command(name, cls.trial) for name, cls in declared_interventions().items()
            if cls.trial is not None}


def intervention_labels() -> dict[str, str]:
    """``intervention name -> short plain-language title``, from the declarations."""
    from simulation.interventions import declared_interventions

    return {name: cls.label for name, cls in declared_interventions().items()}


#: intervention name -> shell command testing it against the baseline scenario (lazily derived).
INTERVENTION_COMMANDS: Mapping[str, str] = LazyMapping(intervention_commands)

#: intervention name -> a short plain-language title (lazily derived).
INTERVENTION_LABELS: Mapping[str, str] = LazyMapping(intervention_labels)


def command_for(intervention: str) -> str | None:
    """The command testing ``intervention`` in simulation, or ``None`` for an unknown name."""
    return intervention_commands().get(str(intervention))


def label_for(intervention: str) -> str:
    """A plain-language title of an intervention (the name itself when unknown).

    Examples
    --------
    >>> label_for("seat_cap"), label_for("custom_lever")
    ('Cap the seats of large companies', 'Custom lever')
    """
    return intervention_labels().get(str(intervention), str(intervention).replace("_", " ").capitalize())
