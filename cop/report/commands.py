"""Ready-to-run commands that test a recommended intervention in simulation.

Every recommendation of a diagnosis names an intervention (the names shared
with :mod:`simulation`).  Each intervention's declaration in
:mod:`simulation.interventions` says how to test it (its ``trial``: a library
scenario, a sweep of one key, or the intervention with a few parameters) and
gives its ``label``; this module turns the trial into one ``cop experiment``
command that runs the same on every operating system (no shell redirection,
no ``&&``, no quotes unless a path needs them):

* against the generic bundled ``baseline_coworking`` space (the default): a
  library scenario is compared with the baseline by name
  (``cop experiment baseline_coworking themed_space``), a sweep varies one key
  of the baseline, and the third kind adds the intervention with
  ``--intervention NAME --set NAME.KEY=VALUE`` (the form ``cop experiment`` reads:
  ``--set NAME.KEY`` is a parameter of the added intervention);
* against a **calibrated baseline** (``baseline="fitted.toml"``, a scenario
  fitted to the community's own log by ``cop calibrate``): every trial becomes
  the intervention on that scenario, ``cop experiment fitted.toml
  --intervention NAME --set NAME.KEY=VALUE ...`` (a library scenario's intervention
  and its parameters are read from the scenario file, so the community's own
  twin, not the generic space, gets the lever), or the sweep of the key on it.

:data:`INTERVENTION_COMMANDS` and :data:`INTERVENTION_LABELS` are read-only
mappings (against the generic baseline) filled from the declarations on first
use (``cop`` never imports ``simulation`` at module level);
``tests/test_report.py`` checks that every scenario, parameter path and
intervention parameter a command uses exists.

Examples
--------
>>> command_for("manager_hours")
'cop experiment baseline_coworking --sweep manager.hours_per_week=20:40:5 --replicates 8 --seed 1 -o manager_hours.csv --report manager_hours.html'
>>> command_for("theme", baseline="my space/fitted.toml")
'cop experiment "my space/fitted.toml" --intervention theme --set theme.topic=sustainability --set theme.fit=0.8 --set theme.interest_share=0.7 --replicates 8 --seed 1 -o theme.csv --report theme.html'
>>> command_for("no_such_lever") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cop.recommend import LazyMapping

__all__ = ["INTERVENTION_COMMANDS", "INTERVENTION_LABELS", "GENERIC_BASELINE", "command_for", "label_for",
           "intervention_commands", "intervention_labels", "trial_command", "baseline_note"]

_OPTS = "--replicates 8 --seed 1"
#: The bundled scenario the commands compare with when no calibrated baseline is given.
GENERIC_BASELINE = "baseline_coworking"
_SAFE = re.compile(r"^[A-Za-z0-9_./:\\=+-]+$")


def _arg(text: str) -> str:
    """One command-line argument, in double quotes when it holds a space or a character a shell would read.

    Double quotes mean the same in POSIX shells, PowerShell and cmd.exe.

    Examples
    --------
    >>> _arg("fitted.toml"), _arg("my space/fitted.toml")
    ('fitted.toml', '"my space/fitted.toml"')
    """
    return text if _SAFE.match(text) else '"' + text.replace('"', '') + '"'


def _experiment(args: str, out: str) -> str:
    return f"cop experiment {args} {_OPTS} -o {out}.csv --report {out}.html"


def _set_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return _arg(str(v))


def _with_intervention(base: str, name: str, params: Mapping[str, Any]) -> str:
    sets = "".join(f" --set {name}.{k}={_set_value(v)}" for k, v in params.items())
    return _experiment(f"{_arg(base)} --intervention {name}{sets}", name)


def _scenario_intervention(scenario: str, name: str) -> dict[str, Any]:
    """The parameters of intervention ``name`` in library scenario ``scenario`` (``start_month`` 0 left out)."""
    from scenarios import read_scenario_dict

    for iv in read_scenario_dict(scenario).get("interventions", []):
        if iv.get("name") == name:
            return {k: v for k, v in iv.items() if k != "name" and not (k == "start_month" and v == 0)}
    return {}


def trial_command(name: str, trial: Any, baseline: str | None = None) -> str:
    """The command running ``trial`` (a :class:`simulation.interventions.Trial`) of intervention ``name``.

    ``baseline`` is the scenario the intervention is compared with: a
    calibrated scenario file (``cop calibrate ... -o fitted.toml``) or the
    generic :data:`GENERIC_BASELINE` when ``None``.

    Examples
    --------
    >>> from simulation.interventions import Trial
    >>> trial_command("seat_cap", Trial(scenario="big_company_caps"))
    'cop experiment baseline_coworking big_company_caps --replicates 8 --seed 1 -o seat_cap.csv --report seat_cap.html'
    >>> trial_command("x", Trial(params={"n": 4}))
    'cop experiment baseline_coworking --intervention x --set x.n=4 --replicates 8 --seed 1 -o x.csv --report x.html'
    >>> trial_command("x", Trial(sweep="a.b=1,2"), baseline="fitted.toml")
    'cop experiment fitted.toml --sweep a.b=1,2 --replicates 8 --seed 1 -o x.csv --report x.html'
    """
    base = baseline or GENERIC_BASELINE
    if trial.sweep is not None:
        return _experiment(f"{_arg(base)} --sweep {trial.sweep}", name)
    if trial.scenario is not None:
        if baseline is None:
            return _experiment(f"{GENERIC_BASELINE} {trial.scenario}", name)
        return _with_intervention(base, name, _scenario_intervention(trial.scenario, name))
    return _with_intervention(base, name, dict(trial.params))


def baseline_note(baseline: str | None) -> str:
    """What the commands compare with, in plain words (the report prints it above them).

    Examples
    --------
    >>> baseline_note(None).startswith("These commands test the idea on a generic coworking space")
    True
    >>> baseline_note("fitted.toml")
    'These commands test the idea on fitted.toml, the simulation calibrated to your own log (cop calibrate), each against that scenario without the change.'
    """
    if baseline is None:
        return ("These commands test the idea on a generic coworking space (the bundled baseline_coworking scenario: "
                "200 seats, 80 founding members, a full-time manager, an event a week), not on your community. "
                "To test on a model fitted to your own log, run cop calibrate on your export (-o fitted.toml) "
                "and then cop report ... --baseline fitted.toml, or cop report ... --calibrate.")
    return (f"These commands test the idea on {baseline}, the simulation calibrated to your own log (cop calibrate), "
            "each against that scenario without the change.")


def intervention_commands(baseline: str | None = None) -> dict[str, str]:
    """``intervention name -> command`` testing it against ``baseline`` (default the generic space), for every trial."""
    from simulation.interventions import declared_interventions

    return {name: trial_command(name, cls.trial, baseline) for name, cls in declared_interventions().items()
            if cls.trial is not None}


def intervention_labels() -> dict[str, str]:
    """``intervention name -> short plain-language title``, from the declarations."""
    from simulation.interventions import declared_interventions

    return {name: cls.label for name, cls in declared_interventions().items()}


#: intervention name -> command testing it against the generic baseline scenario (lazily derived).
INTERVENTION_COMMANDS: Mapping[str, str] = LazyMapping(intervention_commands)

#: intervention name -> a short plain-language title (lazily derived).
INTERVENTION_LABELS: Mapping[str, str] = LazyMapping(intervention_labels)


def command_for(intervention: str, baseline: str | None = None) -> str | None:
    """The command testing ``intervention`` against ``baseline`` in simulation, or ``None`` for an unknown name.

    Examples
    --------
    >>> command_for("theme")
    'cop experiment baseline_coworking themed_space --replicates 8 --seed 1 -o theme.csv --report theme.html'
    >>> command_for("no-such-intervention") is None
    True
    """
    return intervention_commands(baseline).get(str(intervention))


def label_for(intervention: str) -> str:
    """A plain-language title of an intervention (the name itself when unknown).

    Examples
    --------
    >>> label_for("seat_cap"), label_for("custom_lever")
    ('Cap the seats of large companies', 'Custom lever')
    """
    return intervention_labels().get(str(intervention), str(intervention).replace("_", " ").capitalize())
