"""Provenance: what made an output — versions, the resolved inputs, their hash, the seed, the command, the time.

Every output of ``cop simulate``, ``cop experiment`` and ``cop diagnose``
(and the HTML reports made from them) carries one provenance record, a
JSON-ready dict built by :func:`provenance`:

=================  ====================================================================
key                meaning
=================  ====================================================================
``cop_version``    the installed cop version
``python``         the Python version (``3.12.1``)
``platform``       operating system and machine (``Linux-6.1-x86_64``)
``libraries``      versions of the libraries that shape the numbers (numpy, pandas, …)
``command``        the command line (``sys.argv``), as a list of words
``time``           when the record was made (UTC, ISO 8601)
``root_seed``      the root seed of the replicates (``None`` when there is none)
``scenarios``      per scenario label: the full resolved scenario and its ``hash``
``inputs``         other inputs (files read, options), as given by the caller
=================  ====================================================================

The scenario hash (:func:`content_hash`) is the SHA-256 of the scenario's
canonical JSON (sorted keys, no spaces), so two runs with the same hash ran the
same parameters whatever file or name they came from.  The fields that change
from one run of the same inputs to the next are :data:`VOLATILE_FIELDS`
(:func:`stable` drops them, e.g. to compare outputs byte for byte).

Examples
--------
>>> p = provenance(scenarios={"s": {"manager": {"hours_per_week": 20}}}, root_seed=7, command=["cop", "x"])
>>> p["root_seed"], p["command"], p["scenarios"]["s"]["hash"][:12]
(7, ['cop', 'x'], '79f58e160e45')
>>> sorted(stable(p))
['inputs', 'root_seed', 'scenarios']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Mapping, Sequence

from cop._version import __version__

__all__ = ["provenance", "input_provenance", "content_hash", "file_hash", "stable", "library_versions", "VOLATILE_FIELDS", "KEY_LIBRARIES"]

#: Distributions whose versions are recorded (those installed).
KEY_LIBRARIES: tuple[str, ...] = ("numpy", "pandas", "scipy", "networkx", "simpy", "pydantic", "pyarrow", "plotly",
                                  "dask", "SALib")

#: Provenance keys that differ between two runs of the same inputs (time, command line, environment).
VOLATILE_FIELDS: tuple[str, ...] = ("cop_version", "python", "platform", "libraries", "command", "time")


def library_versions(names: Sequence[str] = KEY_LIBRARIES) -> dict[str, str]:
    """Installed versions of ``names`` (missing ones left out).

    Examples
    --------
    >>> "numpy" in library_versions()
    True
    """
    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def content_hash(data: Any) -> str:
    """SHA-256 (hex) of ``data``'s canonical JSON: sorted keys, compact separators, UTF-8.

    Examples
    --------
    >>> content_hash({"b": 1, "a": [1, 2]}) == content_hash({"a": [1, 2], "b": 1})
    True
    >>> len(content_hash({}))
    64
    """
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(path: str | os.PathLike) -> str:
    """SHA-256 (hex) of a file's bytes, read in 1 MiB blocks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_hash(p)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _jsonable(scenario: Any) -> Any:
    """A scenario as plain JSON data (pydantic models dumped, mappings kept)."""
    dump = getattr(scenario, "model_dump", None)
    return dump(mode="json") if callable(dump) else scenario


def provenance(*, scenarios: Mapping[str, Any] | None = None, root_seed: int | None = None,
               command: Sequence[str] | None = None, inputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The provenance record of an output (see the module doc for its keys).

    Parameters
    ----------
    scenarios : mapping of label to Scenario (or its dict), optional
        The fully resolved scenarios that ran; each is stored with its :func:`content_hash`.
    root_seed : int, optional
        Root seed of the replicates.
    command : sequence of str, optional
        The command line; default ``sys.argv``.
    inputs : mapping, optional
        Other inputs worth recording (files and their :func:`file_hash`, options), JSON-ready.
    """
    resolved = {}
    for label, sc in (scenarios or {}).items():
        data = _jsonable(sc)
        resolved[str(label)] = {"hash": content_hash(data), "scenario": data}
    return {
        "cop_version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "libraries": library_versions(),
        "command": [str(a) for a in (sys.argv if command is None else command)],
        "time": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "root_seed": None if root_seed is None else int(root_seed),
        "scenarios": resolved,
        "inputs": dict(inputs or {}),
    }


def input_provenance(paths: Sequence[Any], options: Mapping[str, Any] | None = None, *,
                     pseudonymized: bool = False) -> dict[str, Any]:
    """The provenance of a diagnosis: the input files with their SHA-256, and the analysis options.

    With ``pseudonymized`` the files are named ``input-1``, ``input-2``, … (their
    hashes still identify them), as a pseudonymized output names no data file.

    Examples
    --------
    >>> input_provenance([], {"freq": "MS"})["inputs"]
    {'files': {}, 'options': {'freq': 'MS'}}
    """
    files = {}
    for i, p in enumerate(p for p in paths if p is not None and os.path.isfile(p)):
        files[f"input-{i + 1}" if pseudonymized else str(p)] = file_hash(p)
    opts = json.loads(json.dumps(dict(options or {}), default=str))
    return provenance(inputs={"files": files, "options": opts})


def stable(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record without its :data:`VOLATILE_FIELDS` (what two runs of the same inputs share).

    Examples
    --------
    >>> stable({"time": "now", "root_seed": 1})
    {'root_seed': 1}
    """
    return {k: v for k, v in record.items() if k not in VOLATILE_FIELDS}
