"""The bundled example: a coworking space over two and a half years.

The files ship inside the package (``cop/data/coworking``), so the example runs
after a plain ``pip install``.  ``examples/generate_coworking.py`` documents how
they were made.

Examples
--------
>>> from cop.datasets import example_paths
>>> sorted(example_paths())
['activities', 'details', 'members']
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from cop.exceptions import ConfigError
from cop.io import LOG_FILES, read_activities
from cop.log import ActivityLog

__all__ = ["example_paths", "load_example", "EXAMPLES"]

#: Names of the bundled examples.
EXAMPLES = ("coworking",)


def example_paths(name: str = "coworking") -> dict[str, Path]:
    """Paths of an example's ``activities``, ``members`` and ``details`` files.

    Examples
    --------
    >>> paths = example_paths()
    >>> sorted(paths), paths["activities"].name
    (['activities', 'details', 'members'], 'activities.csv')
    >>> from cop import read_activities
    >>> read_activities(paths["activities"], members=paths["members"]).has_members_table
    True
    """
    if name not in EXAMPLES:
        raise ConfigError(f"parameter 'name': unknown example {name!r}; expected one of {', '.join(EXAMPLES)}")
    root = Path(str(files("cop") / "data" / name))
    return {key: root / fname for key, fname in LOG_FILES.items()}


def load_example(name: str = "coworking") -> ActivityLog:
    """Load a bundled example as an :class:`~cop.log.ActivityLog` (with its side tables).

    Parameters
    ----------
    name : str, default "coworking"
        One of :data:`EXAMPLES`: ``"coworking"`` is a generated coworking space
        over two and a half years (see ``examples/coworking/README.md``).

    Examples
    --------
    >>> log = load_example()
    >>> log.has_members_table, f"{log.start:%Y-%m}", log.summary()["kinds"]["presence"] > 0
    (True, '2023-01', True)
    """
    p = example_paths(name)
    return read_activities(p["activities"], members=p["members"], activities=p["details"])
