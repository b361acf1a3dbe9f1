"""Scenario variants from the command line: ``--intervention NAME`` and ``--set KEY=VALUE``.

``cop experiment BASE --intervention NAME --set KEY=VALUE`` compares BASE with
BASE plus the intervention, on every operating system (no scenario file to
write first):

* :func:`with_intervention` — a copy of a scenario with one more
  ``[[interventions]]`` entry (its defaults, changed by ``params``), named
  ``"<base>+<intervention>"``;
* :func:`parse_assignment` — ``KEY=VALUE`` with the value parsed as on a
  design row (:func:`simulation.design.parse_value`);
* :func:`split_settings` — a ``--set`` key starting with the name of an
  added intervention (``onboarding_program.mentors=4``) sets that
  intervention's parameter; any other key is a scenario key
  (``manager.hours_per_week=30``) set on every compared scenario, the baseline
  included.

Examples
--------
>>> from simulation import Scenario
>>> v = with_intervention(Scenario(name="base"), "manager_hours", {"hours_per_week": 10})
>>> v.name, v.interventions[0].name, v.interventions[0].hours_per_week
('base+manager_hours', 'manager_hours', 10.0)
>>> split_settings(["manager_hours.hours_per_week=10", "space.years=1"], ["manager_hours"])
({'manager_hours': {'hours_per_week': 10}}, {'space.years': 1})
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from cop.exceptions import ConfigError

from .config import Scenario, scenario_from_dict
from .design import parse_value

__all__ = ["with_intervention", "parse_assignment", "split_settings"]


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"KEY=VALUE"`` -> ``(key, value)``.

    Examples
    --------
    >>> parse_assignment("manager.hours_per_week=30")
    ('manager.hours_per_week', 30)
    >>> parse_assignment("oops")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: --set 'oops': expected KEY=VALUE, e.g. manager.hours_per_week=30
    """
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ConfigError(f"--set {text!r}: expected KEY=VALUE, e.g. manager.hours_per_week=30")
    return key.strip(), parse_value(value)


def split_settings(settings: Iterable[str], interventions: Iterable[str]) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Split ``KEY=VALUE`` settings into intervention parameters and scenario keys (see the module doc)."""
    names = list(interventions)
    per_iv: dict[str, dict[str, Any]] = {n: {} for n in names}
    scenario: dict[str, Any] = {}
    for text in settings:
        key, value = parse_assignment(text)
        head, _, rest = key.partition(".")
        if head in per_iv and rest:
            per_iv[head][rest] = value
        else:
            scenario[key] = value
    return {n: p for n, p in per_iv.items()}, scenario


def with_intervention(base: Scenario, name: str, params: Mapping[str, Any] | None = None) -> Scenario:
    """``base`` with one more intervention ``name`` (parameters ``params`` over its defaults).

    An unknown intervention or parameter is one :class:`ConfigError` naming it
    and what is allowed.

    Examples
    --------
    >>> from simulation import Scenario
    >>> v = with_intervention(Scenario(name="base"), "theme")
    >>> [i.name for i in v.interventions]
    ['theme']
    """
    data = base.model_dump(mode="json")
    data["interventions"] = [*data.get("interventions", []), {"name": name, **dict(params or {})}]
    data["name"] = f"{base.name}+{name}"
    data["description"] = f"{base.name} with the intervention {name}" + (
        " (" + ", ".join(f"{k}={v}" for k, v in (params or {}).items()) + ")" if params else "")
    try:
        return scenario_from_dict(data, source=f"--intervention {name}")
    except ConfigError as exc:
        raise ConfigError(str(exc).replace(f"interventions.{len(data['interventions']) - 1}.", f"{name}."),
                          hint=exc.hint if hasattr(exc, "hint") else None) from None
