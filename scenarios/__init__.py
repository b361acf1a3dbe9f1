"""The scenario library: TOML files loadable by name.

Each ``scenarios/<name>.toml`` holds the keys of
:class:`simulation.config.Scenario` (sections ``[space]``, ``[arrivals]``,
``[members]``, ``[encounters]``, ``[manager]``, ``[events]``,
``[collaborations]`` and ``[[interventions]]``), with a comment saying what it
represents.  A file may start with ``extends = "<name or path>"``: its keys are
merged over that scenario's (tables merged key by key, lists such as
``interventions`` replaced).  ``extends`` names a library scenario or a
``.toml`` file inside the extending file's folder (or a folder allowed with
``allow_dirs``), never any other path.  Scenario files are read only when they
are regular files of at most 1 MiB of UTF-8 TOML.  Validation is strict: an unknown key or an
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

import codecs
import os
import stat
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cop.exceptions import ConfigError

__all__ = [
    "load_scenario", "list_scenarios", "scenario_path", "read_scenario_dict", "SCENARIO_DIR", "MAX_SCENARIO_BYTES",
    "MAX_SCENARIO_DEPTH", "MAX_EXTENDS",
]

#: Directory of the bundled scenario files.
SCENARIO_DIR = Path(__file__).resolve().parent
#: Largest scenario file read, in bytes (the bundled ones are 1-3 kB).
MAX_SCENARIO_BYTES = 1 << 20
#: Deepest nesting of tables and arrays in a scenario file (the schema needs 3: interventions, a list of tables).
MAX_SCENARIO_DEPTH = 16
#: Longest chain of ``extends``.
MAX_EXTENDS = 16


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


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse one scenario file: a regular file of at most :data:`MAX_SCENARIO_BYTES` of UTF-8 TOML."""
    try:
        # non-blocking open, then fstat: a FIFO cannot block, and what is checked is what is read
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ConfigError(f"scenario {str(path)!r}: not a regular file; a scenario is a TOML text file")
            if info.st_size > MAX_SCENARIO_BYTES:
                raise ConfigError(f"scenario {str(path)!r}: {info.st_size:,} bytes, more than the "
                                  f"{MAX_SCENARIO_BYTES:,} a scenario file may have")
            raw = fh.read(MAX_SCENARIO_BYTES + 1)
    except IsADirectoryError:
        raise ConfigError(f"scenario {str(path)!r}: not a regular file (a folder); a scenario is a TOML text file") from None
    except OSError as exc:
        raise ConfigError(f"scenario {str(path)!r}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ConfigError(f"scenario {str(path)!r}: more than the {MAX_SCENARIO_BYTES:,} bytes a scenario file may have")
    if raw.startswith(codecs.BOM_UTF8):  # written by some Windows editors: accepted
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"scenario {str(path)!r}: not UTF-8 text (byte {exc.start:,} is {raw[exc.start]:#04x}); "
                          "a scenario is a TOML text file") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"scenario {str(path)!r}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"scenario {str(path)!r}: tables or arrays nested more than {MAX_SCENARIO_DEPTH} deep") from None
    if _too_deep(data):
        raise ConfigError(f"scenario {str(path)!r}: tables or arrays nested more than {MAX_SCENARIO_DEPTH} deep")
    return data


def _too_deep(data: dict) -> bool:
    """Whether tables and arrays nest more than :data:`MAX_SCENARIO_DEPTH` levels below the top (no recursion)."""
    stack = [(v, 1) for v in data.values()]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_SCENARIO_DEPTH:
                return True
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _extends_path(parent: Any, path: Path, allow_dirs: Sequence[str | os.PathLike]) -> Path:
    """The file that ``extends = parent`` in ``path`` names: a library scenario, or a .toml file beside ``path``."""
    if not isinstance(parent, str):
        raise ConfigError(f"scenario {str(path)!r}: key 'extends' must be a scenario name or a .toml path")
    if parent in list_scenarios():
        return SCENARIO_DIR / f"{parent}.toml"
    if not parent.endswith(".toml"):
        raise ConfigError(f"scenario {str(path)!r}: 'extends' = {parent!r} is not a library scenario "
                          f"({', '.join(list_scenarios())}) nor a .toml file")
    target = (path.parent / parent).resolve()
    roots = [path.parent.resolve(), SCENARIO_DIR, *(Path(d).resolve() for d in allow_dirs)]
    if not any(target.is_relative_to(root) for root in roots):
        raise ConfigError(
            f"scenario {str(path)!r}: 'extends' = {parent!r} lies outside the scenario's folder",
            hint="put the base scenario beside this one, or allow its folder (load_scenario(..., allow_dirs=[...]))",
        )
    if not target.exists():
        raise ConfigError(f"scenario {str(path)!r}: 'extends' = {parent!r}: no such file")
    return target


def read_scenario_dict(
    name_or_path: str | os.PathLike, *, allow_dirs: Sequence[str | os.PathLike] = (), _chain: tuple[Path, ...] = ()
) -> dict[str, Any]:
    """The merged (``extends`` resolved) but unvalidated mapping of a scenario.

    Scenario files are read with a size cap (:data:`MAX_SCENARIO_BYTES`), only
    when they are regular files, as UTF-8 (a byte-order mark is accepted), and
    nested at most :data:`MAX_SCENARIO_DEPTH` deep.  ``extends`` names a
    library scenario or a ``.toml`` file inside the extending scenario's folder
    (or one of ``allow_dirs``), at most :data:`MAX_EXTENDS` levels; a cycle is
    an error naming the files.

    Examples
    --------
    >>> read_scenario_dict("overloaded_manager")["manager"]["hours_per_week"]
    20.0
    """
    path = scenario_path(name_or_path)
    real = path.resolve()
    if real in _chain:
        names = " -> ".join(str(p) for p in (*_chain[_chain.index(real):], real))
        raise ConfigError(f"scenario {str(path)!r}: 'extends' forms a cycle: {names}")
    if len(_chain) >= MAX_EXTENDS:
        raise ConfigError(f"scenario {str(path)!r}: more than {MAX_EXTENDS} levels of 'extends'")
    data = _read_toml(path)
    parent = data.pop("extends", None)
    if parent is not None:
        base = _extends_path(parent, path, allow_dirs)
        data = _merge(read_scenario_dict(base, allow_dirs=allow_dirs, _chain=(*_chain, real)), data)
    return data


def load_scenario(name_or_path: str | os.PathLike, *, allow_dirs: Sequence[str | os.PathLike] = (), **changes: Any):
    """Load and validate a scenario by bundled name or TOML path.

    Parameters
    ----------
    name_or_path : str or path
        ``"themed_space"`` or ``"my/space.toml"``.
    allow_dirs : sequence of paths, optional
        Folders besides the scenario's own that ``extends`` may name files in
        (see :func:`read_scenario_dict`).
    **changes
        Dotted-path overrides with ``__`` for dots, e.g. ``space__years=1``.

    Returns
    -------
    simulation.config.Scenario
    """
    from simulation.config import scenario_from_dict

    path = scenario_path(name_or_path)
    data = read_scenario_dict(path, allow_dirs=allow_dirs)
    scenario = scenario_from_dict(data, source=path.name)
    if changes:
        scenario = scenario.with_params({k.replace("__", "."): v for k, v in changes.items()}, source=path.name)
    return scenario
