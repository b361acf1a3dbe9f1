"""Ready-to-run commands that test a recommended intervention in simulation.

Every recommendation of a diagnosis names an intervention (the names shared
with :mod:`simulation`); :data:`INTERVENTION_COMMANDS` maps each one to a
``cop experiment`` command comparing the bundled ``baseline_coworking``
scenario with the intervention (a library scenario, a sweep of the lever, or a
one-line scenario file written on the spot).  The mapping is kept in this one
dict; ``tests/test_report_commands.py`` checks that every scenario and
parameter path it uses exists.

Examples
--------
>>> command_for("manager_hours")
'cop experiment baseline_coworking --sweep manager.hours_per_week=20:40:5 --replicates 8 --seed 1 -o manager_hours.csv --report manager_hours.html'
>>> command_for("no_such_lever") is None
True
"""

from __future__ import annotations

__all__ = ["INTERVENTION_COMMANDS", "INTERVENTION_LABELS", "command_for", "label_for"]

_OPTS = "--replicates 8 --seed 1"


def _experiment(args: str, out: str) -> str:
    return f"cop experiment {args} {_OPTS} -o {out}.csv --report {out}.html"


def _with_file(name: str, body: str) -> str:
    """A scenario file extending the baseline with one intervention, then the experiment."""
    toml = f'extends = "baseline_coworking"\\nname = "{name}"\\n[[interventions]]\\nname = "{name}"\\n{body}'
    return f"printf '{toml}' > {name}.toml && " + _experiment(f"baseline_coworking {name}.toml", name)


#: intervention name -> shell command testing it against the baseline scenario.
INTERVENTION_COMMANDS: dict[str, str] = {
    "theme": _experiment("baseline_coworking themed_space", "theme"),
    "manager_hours": _experiment("baseline_coworking --sweep manager.hours_per_week=20:40:5", "manager_hours"),
    "event_cadence": _experiment("baseline_coworking --sweep events.cadence_days=7,14,30", "event_cadence"),
    "matchmaking_tool": _experiment("baseline_coworking matchmaking_tool", "matchmaking_tool"),
    "seat_cap": _experiment("baseline_coworking big_company_caps", "seat_cap"),
    "onboarding_program": _with_file("onboarding_program", "introductions = 4\\n"),
    "success_stories": _with_file("success_stories", "share_probability = 0.6\\n"),
    "external_speakers": _with_file("external_speakers", "guests_per_event = 10\\n"),
}

#: intervention name -> a short plain-language title.
INTERVENTION_LABELS: dict[str, str] = {
    "theme": "Give the space a theme",
    "manager_hours": "Give the community manager more hours",
    "event_cadence": "Change the rhythm of events",
    "matchmaking_tool": "Introduce members to each other systematically (matchmaking)",
    "seat_cap": "Cap the seats of large companies",
    "onboarding_program": "Run a structured onboarding for newcomers",
    "success_stories": "Share success stories of collaborations",
    "external_speakers": "Invite external speakers",
}


def command_for(intervention: str) -> str | None:
    """The command testing ``intervention`` in simulation, or ``None`` for an unknown name."""
    return INTERVENTION_COMMANDS.get(str(intervention))


def label_for(intervention: str) -> str:
    """A plain-language title of an intervention (the name itself when unknown).

    Examples
    --------
    >>> label_for("seat_cap"), label_for("custom_lever")
    ('Cap the seats of large companies', 'Custom lever')
    """
    return INTERVENTION_LABELS.get(str(intervention), str(intervention).replace("_", " ").capitalize())
