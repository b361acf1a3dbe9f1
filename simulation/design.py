"""Experimental designs: points read from a CSV file, or sampled (Latin hypercube, Sobol/Saltelli, Morris).

A design is a table with one row per point and one column per scenario key
(dotted paths such as ``manager.hours_per_week``); :func:`run_experiment
<simulation.experiment.run_experiment>` runs every point of it (its
``sweep=`` argument takes ``design.points``).  Designs come from

* a file (:func:`read_design`): any design made by SALib, EMA Workbench or by
  hand, checked cell by cell against the scenario (a bad cell is one error
  naming the file, the row and the column);
* a sampler (:func:`sample_design`) over ranges ``KEY=LO:HI``
  (:func:`parse_range`):

  - ``lhs`` — a Latin hypercube (:class:`scipy.stats.qmc.LatinHypercube`), for
    exploring or fitting; no sensitivity indices;
  - ``sobol`` — Saltelli's scheme for Sobol indices (first order and total,
    without second order): ``N`` base points of a scrambled Sobol sequence in
    ``2 D`` dimensions give the matrices ``A`` and ``B``, and each base point
    contributes ``A``, the ``D`` matrices ``A_B^(j)`` (``A`` with column ``j``
    from ``B``) and ``B``: ``N (D + 2)`` points, the layout
    :func:`SALib.analyze.sobol.analyze` reads (``N`` a power of two keeps the
    sequence balanced);
  - ``morris`` — ``N`` Morris trajectories on a 4-level grid
    (:func:`SALib.sample.morris.sample`, needs SALib): ``N (D + 1)`` points.

Sampled designs are seeded: the same ``seed`` gives the same points.

Examples
--------
>>> d = sample_design("lhs", {"manager.hours_per_week": (10, 40), "events.cadence_days": (7, 30)}, 8, seed=1)
>>> d.points.shape, d.method
((8, 2), 'lhs')
>>> bool(d.points["manager.hours_per_week"].between(10, 40).all())
True
>>> s = sample_design("sobol", {"a": (0, 1), "b": (0, 1), "c": (0, 1)}, 4, seed=1)
>>> len(s.points)   # N (D + 2)
20
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError

__all__ = ["Design", "SAMPLERS", "parse_range", "parse_value", "sample_design", "read_design", "design_seed"]

#: The built-in samplers.
SAMPLERS: tuple[str, ...] = ("lhs", "sobol", "morris")

#: Spawn key of the design's seed: a child of the root seed no replicate uses (replicates take 0, 1, ...).
_DESIGN_SPAWN_KEY = 1_000_003


def design_seed(seed: int | None) -> np.random.SeedSequence:
    """The SeedSequence a sampled design draws from: a child of the root ``seed`` no replicate uses.

    Examples
    --------
    >>> first_replicate = np.random.SeedSequence(1).spawn(1)[0]
    >>> bool(design_seed(1).generate_state(1)[0] != first_replicate.generate_state(1)[0])
    True
    """
    return np.random.SeedSequence(seed, spawn_key=(_DESIGN_SPAWN_KEY,))


@dataclass(frozen=True)
class Design:
    """Points of an experiment, with how they were made.

    Attributes
    ----------
    points : DataFrame
        One row per point, one column per scenario key.
    method : str
        ``"file"``, ``"lhs"``, ``"sobol"`` or ``"morris"``.
    ranges : dict
        ``key -> (low, high)`` of a sampled design (empty for a file).
    samples : int
        ``N`` of a sampled design (base points, or Morris trajectories); 0 for a file.
    source : str
        The file a design was read from ("" for a sampled one).

    Examples
    --------
    >>> from simulation import sample_design
    >>> d = sample_design("lhs", {"manager.hours_per_week": (10, 40)}, 8, seed=1)
    >>> d.method, d.samples, d.points.shape
    ('lhs', 8, (8, 1))
    >>> bool(d.points["manager.hours_per_week"].between(10, 40).all())
    True
    """

    points: pd.DataFrame
    method: str
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    samples: int = 0
    source: str = ""

    @property
    def keys(self) -> list[str]:
        """The design's scenario keys (its columns)."""
        return list(self.points.columns)

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem dict (``num_vars``, ``names``, ``bounds``) of a sampled design."""
        return {"num_vars": len(self.ranges), "names": list(self.ranges),
                "bounds": [list(map(float, b)) for b in self.ranges.values()]}

    def records(self) -> list[dict[str, Any]]:
        """The points as ``[{key: value}, ...]`` (plain Python numbers), the ``sweep=`` of :func:`run_experiment`."""
        return [{k: _plain(v) for k, v in row.items()} for row in self.points.to_dict("records")]

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (for provenance)."""
        return {"method": self.method, "points": len(self.points), "keys": self.keys, "samples": self.samples,
                "ranges": {k: list(v) for k, v in self.ranges.items()}, "source": self.source}


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


def parse_value(text: str) -> Any:
    """A command-line or CSV value: ``true``/``false``, an integer, a number, a JSON list, else the text.

    Examples
    --------
    >>> parse_value("20"), parse_value("0.5"), parse_value("true"), parse_value("tech"), parse_value("[1, 2]")
    (20, 0.5, True, 'tech', [1, 2])
    """
    s = text.strip()
    if s.lower() in ("true", "false"):
        return s.lower() == "true"
    if s[:1] in "[{":
        try:
            return json.loads(s)
        except ValueError:
            return s
    try:
        v = float(s)
    except ValueError:
        return s
    if not np.isfinite(v):
        return s
    return int(v) if v.is_integer() and not any(c in s for c in ".eE") else v


def parse_range(text: str) -> tuple[str, tuple[float, float]]:
    """Parse ``"KEY=LO:HI"`` (finite numbers, ``LO < HI``).

    Examples
    --------
    >>> parse_range("manager.hours_per_week=10:40")
    ('manager.hours_per_week', (10.0, 40.0))
    >>> parse_range("x=3:1")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: range 'x=3:1': expected KEY=LO:HI with finite numbers LO < HI
    """
    key, sep, spec = text.partition("=")
    parts = spec.split(":")
    try:
        if not sep or not key.strip() or len(parts) != 2:
            raise ValueError
        lo, hi = float(parts[0]), float(parts[1])
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise ValueError
    except ValueError:
        raise ConfigError(f"range {text!r}: expected KEY=LO:HI with finite numbers LO < HI") from None
    return key.strip(), (lo, hi)


def _unit_sample(method: str, d: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """Points in the unit hypercube ``[0, 1)^d`` of the sampler ``method``."""
    from scipy.stats import qmc

    if method == "lhs":
        return qmc.LatinHypercube(d=d, seed=rng).random(n)
    if method == "sobol":
        base = qmc.Sobol(d=2 * d, scramble=True, seed=rng)
        m = int(np.log2(n))
        ab = base.random_base2(m) if 2 ** m == n else base.random(n)
        a, b = ab[:, :d], ab[:, d:]
        blocks = [a]
        for j in range(d):
            abj = a.copy()
            abj[:, j] = b[:, j]
            blocks.append(abj)
        blocks.append(b)
        return np.stack(blocks, axis=1).reshape(n * (d + 2), d)  # per base point: A, A_B^(1..d), B
    try:
        from SALib.sample import morris
    except ImportError:
        raise ConfigError("the Morris sampler needs SALib: pip install 'cop-health[sensitivity]'") from None
    problem = {"num_vars": d, "names": [f"x{i}" for i in range(d)], "bounds": [[0.0, 1.0]] * d}
    return morris.sample(problem, n, num_levels=4, seed=int(rng.integers(2**31)))


def _whole_number_keys(scenario: Any, keys: list[str]) -> list[str]:
    """The keys whose field in ``scenario`` is a whole number (an ``int`` field, not a flag)."""
    data = scenario.model_dump(mode="json")
    out = []
    for key in keys:
        node: Any = data
        for part in key.split("."):
            try:
                node = node[int(part)] if isinstance(node, list) else node[part]
            except (KeyError, IndexError, ValueError, TypeError):
                raise ConfigError(f"range key {key!r}: not a key of scenario {scenario.name!r}") from None
        if isinstance(node, int) and not isinstance(node, bool):
            out.append(key)
    return out


def sample_design(method: str, ranges: Mapping[str, tuple[float, float]], samples: int,
                  seed: int | np.random.SeedSequence | None = None, scenario: Any = None) -> Design:
    """Sample a design over ``ranges`` with one of :data:`SAMPLERS`.

    Parameters
    ----------
    method : {"lhs", "sobol", "morris"}
    ranges : mapping of key to (low, high)
    samples : int
        Points (``lhs``), base points ``N`` (``sobol``: ``N (D + 2)`` points), or trajectories (``morris``:
        ``N (D + 1)`` points).
    seed : int or SeedSequence, optional
        Seed of the sampler (:func:`design_seed` of the experiment's root seed in ``cop experiment``).
    scenario : Scenario, optional
        With it, keys that are whole numbers in the scenario (``events.cadence_days``)
        are rounded to whole numbers, and a key it lacks is an error.

    Examples
    --------
    >>> d = sample_design("sobol", {"a": (0, 2), "b": (5, 6)}, 2, seed=3)
    >>> a, b = d.points.iloc[0], d.points.iloc[3]        # A and B of the first base point
    >>> d.points.iloc[1].tolist() == [b["a"], a["b"]]    # A with column a from B
    True
    """
    if method not in SAMPLERS:
        raise ConfigError(f"sampler {method!r}: expected one of {', '.join(SAMPLERS)}")
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
        raise ConfigError(f"samples = {samples!r}: expected a whole number >= 2")
    if not ranges:
        raise ConfigError(f"sampler {method!r} needs at least one range (--range KEY=LO:HI)")
    rng = np.random.default_rng(seed if isinstance(seed, np.random.SeedSequence) else design_seed(seed))
    lo = np.array([float(v[0]) for v in ranges.values()])
    hi = np.array([float(v[1]) for v in ranges.values()])
    unit = _unit_sample(method, len(ranges), int(samples), rng)
    points = pd.DataFrame(lo + unit * (hi - lo), columns=list(ranges))
    for key in _whole_number_keys(scenario, list(ranges)) if scenario is not None else []:
        points[key] = points[key].round().astype("int64")
    return Design(points, method, {k: (float(a), float(b)) for k, (a, b) in ranges.items()}, int(samples))


def read_design(path: str | os.PathLike, scenario: Any = None) -> Design:
    """Read a design CSV: a header of scenario keys, one row per point.

    Every cell is parsed with :func:`parse_value`; with ``scenario`` given,
    each row is applied to it (``scenario.with_params``), and the first bad
    cell is one :class:`ConfigError` naming the file, the row (its line in the
    file) and the column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from simulation import Scenario
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "points.csv"
    >>> _ = p.write_text("manager.hours_per_week,events.cadence_days\\n20,7\\n40,x\\n")
    >>> read_design(p, Scenario())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: design file '...points.csv', row 3, column 'events.cadence_days': ...
    """
    from cop.io.csvfile import read_csv

    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"design file {str(path)!r} does not exist")
    frame, source = read_csv(path)
    if frame.empty or not len(frame.columns):
        raise ConfigError(f"design file {str(path)!r} has no points: expected a header of scenario keys and one row per point")
    rows = []
    for i, raw in enumerate(frame.astype(object).to_dict("records")):
        row = {}
        for key, cell in raw.items():
            if cell is None or (isinstance(cell, float) and np.isnan(cell)) or not str(cell).strip():
                raise ConfigError(f"design file {str(path)!r}, {source.rows([i])}, column {key!r}: empty cell; "
                                  "expected a value for every key")
            row[str(key)] = parse_value(str(cell))
        if scenario is not None:
            _check_row(scenario, row, path, source.rows([i]))
        rows.append(row)
    return Design(pd.DataFrame(rows, columns=[str(c) for c in frame.columns]), "file", source=str(path))


def _check_row(scenario: Any, row: dict[str, Any], path: Path, where: str) -> None:
    """Apply one design row to the scenario; on failure find the first bad column and name it."""
    try:
        scenario.with_params(row, source=str(path))
        return
    except ConfigError as whole:
        for key, value in row.items():
            try:
                scenario.with_params({key: value}, source=str(path))
            except ConfigError as exc:
                detail = str(exc).split(": ", 1)[-1]
                raise ConfigError(f"design file {str(path)!r}, {where}, column {key!r}: {detail}") from None
        detail = str(whole).split(": ", 1)[-1]
        raise ConfigError(f"design file {str(path)!r}, {where}: {detail}") from None
