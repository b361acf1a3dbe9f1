"""The scenario library: TOML files loadable by name.

Each ``scenarios/<name>.toml`` holds the keys of
:class:`simulation.config.Scenario` (sections ``[space]``, ``[arrivals]``,
``[members]``, ``[encounters]``, ``[manager]``, ``[events]``,
``[collaborations]`` and ``[[interventions]]``), with a comment saying what it
represents.  A file may start with ``extends = "<name or path>"``: its keys are
merged over that scenario's (tables merged key by key, lists such as
``interventions`` replaced).  Validation is strict: an unknown key or an
out-of-range value raises :class:`cop.exceptions.ConfigError` naming the file,
the key path and the allowed range.

Library: ``baseline_coworking``, ``themed_space``, ``overloaded_manager``,
``matchmaking_tool``, ``big_company_caps``, ``fading_community``.

Examples
--------
>>> from scenarios import list_scenarios, load_scenario
>>> "baseline_coworking" in list_scenarios()
True
>>> s = load_scenario("overloaded_manager")
>>> s.manager.hours_per_week, s.arrivals.initial_members
(20.0, 80)
>>> [iv.name for iv in load_scenario("fading_community").interventions]
['manager_leaves']
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from cop.exceptions import ConfigError

__all__ = ["load_scenario", "list_scenarios", "scenario_path", "read_scenario_dict", "SCENARIO_DIR"]

#: Directory of the bundled scenario files.
SCENARIO_DIR = Path(__file__).resolve().parent


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios, sorted."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def scenario_path(name_or_path: str | os.PathLike) -> Path:
    """The file of a bundled scenario name, or the given path if it exists."""
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        if not p.exists():
            raise ConfigError(f"scenario file {str(p)!r} does not exist")
        return p
    cand = SCENARIO_DIR / f"{name_or_path}.toml"
    if not cand.exists():
        raise ConfigError(
            f"unknown scenario {str(name_or_path)!r}; expected a .toml path or one of: {', '.join(list_scenarios())}"
        )
    return cand


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def read_scenario_dict(name_or_path: str | os.PathLike, _seen: tuple = ()) -> dict[str, Any]:
    """The merged (``extends`` resolved) but unvalidated mapping of a scenario."""
    path = scenario_path(name_or_path)
    if path.resolve() in _seen:
        raise ConfigError(f"scenario {path.name!r}: 'extends' forms a cycle")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"scenario {path.name!r}: not valid TOML: {exc}") from None
    parent = data.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str):
            raise ConfigError(f"scenario {path.name!r}: key 'extends' must be a scenario name or path")
        base_path = parent if Path(parent).suffix != ".toml" else str((path.parent / parent))
        data = _merge(read_scenario_dict(base_path, _seen + (path.resolve(),)), data)
    return data


def load_scenario(name_or_path: str | os.PathLike, **changes: Any):
    """Load and validate a scenario by bundled name or TOML path.

    Parameters
    ----------
    name_or_path : str or path
        ``"themed_space"`` or ``"my/space.toml"``.
    **changes
        Dotted-path overrides with ``__`` for dots, e.g. ``space__years=1``.

    Returns
    -------
    simulation.config.Scenario
    """
    from simulation.config import scenario_from_dict

    path = scenario_path(name_or_path)
    data = read_scenario_dict(path)
    scenario = scenario_from_dict(data, source=path.name)
    if changes:
        scenario = scenario.with_params({k.replace("__", "."): v for k, v in changes.items()}, source=path.name)
    return scenario
