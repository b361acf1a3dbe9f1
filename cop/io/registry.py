"""The reader registry: which reader loads a path, chosen by format name or by what the path is.

A reader is declared once with :func:`register_reader`: its format name, the
file endings it owns, and optionally a test of the path itself (a folder
written by cop today; a zip archive or a git repository later).  :func:`reader_for`
picks the reader: an explicit ``format`` wins, then the first reader whose
path test accepts the path, then the file ending (``.gz`` is looked through).

Adding a reader is one module that calls :func:`register_reader`, its import in
``cop/io/__init__.py``, and its tests.

Examples
--------
>>> from cop.io.registry import reader_for
>>> reader_for("export.csv.gz").name, reader_for("log.pq").name
('csv', 'parquet')
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cop.exceptions import ConfigError, FileFormatError

__all__ = ["Reader", "register_reader", "reader_for", "detect_format", "readers"]


@dataclass(frozen=True, kw_only=True)
class Reader:
    """One way of reading a path into a raw table.

    Attributes
    ----------
    name : str
        The format name users pass as ``format=`` (``"csv"``).
    read : callable
        ``read(path, **options) -> (DataFrame, Source)`` for a *table* reader, or,
        for a *bundle* reader (``bundle=True``), ``read(path) -> dict`` of the
        paths it holds (``{"activities": ..., "members": ..., "details": ...}``).
    suffixes : tuple of str
        File endings (lower case, with the dot) this reader owns.
    matches : callable, optional
        ``matches(path) -> bool`` for readers keyed by what the path *is*
        (a folder, a zip archive, a repository), tested before the endings.
    bundle : bool
        Whether the reader yields several tables (a folder) rather than one.
    export : bool
        Whether the reader turns a tool's export (a Slack archive, a git
        repository...) into participation rows itself: ``read(path, tz=...,
        **options) -> Export`` (:class:`cop.io._export.Export`); such readers are
        used by :func:`~cop.io.read_activities`, not by :func:`~cop.io.read_table`.
    description : str
        One line for error messages and help texts.

    Examples
    --------
    >>> r = reader_for("export.csv")
    >>> r.name, r.suffixes, r.bundle
    ('csv', ('.csv', '.tsv', '.txt'), False)
    """

    name: str
    read: Callable[..., Any]
    suffixes: tuple[str, ...] = ()
    matches: Callable[[Path], bool] | None = None
    bundle: bool = False
    export: bool = False
    description: str = ""


_READERS: dict[str, Reader] = {}


def register_reader(reader: Reader) -> Reader:
    """Add ``reader`` to the registry (a name or ending registered twice is an error).

    Examples
    --------
    >>> from cop.io.registry import Reader, register_reader, readers
    >>> "csv" in readers()
    True
    """
    if reader.name in _READERS:
        raise ConfigError(f"reader {reader.name!r} is already registered")
    taken = {s: r.name for r in _READERS.values() for s in r.suffixes}
    clash = [s for s in reader.suffixes if s in taken]
    if clash:
        raise ConfigError(f"reader {reader.name!r}: ending(s) {', '.join(clash)} already belong to {taken[clash[0]]!r}")
    _READERS[reader.name] = reader
    return reader


def readers() -> dict[str, Reader]:
    """The registered readers by format name (a copy).

    Examples
    --------
    >>> sorted(readers())[:4]
    ['csv', 'discord', 'folder', 'git']
    """
    return dict(_READERS)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def reader_for(path: str | os.PathLike[str], format: str | None = None, *, tables_only: bool = False) -> Reader:
    """The reader for ``path``: by ``format`` if given, else by what the path is, else by its ending.

    Raises
    ------
    cop.exceptions.FileFormatError
        For an ending no reader owns.
    cop.exceptions.ConfigError
        For an unknown ``format``.

    Examples
    --------
    >>> reader_for("export.xlsx").name, reader_for("archive.mbox").name, reader_for("data.txt", format="csv").name
    ('spreadsheet', 'mbox', 'csv')
    """
    p = Path(path)
    if format is not None:
        reader = _READERS.get(format)
        if reader is None or (tables_only and (reader.bundle or reader.export)):
            names = [n for n, r in _READERS.items() if not (tables_only and (r.bundle or r.export))]
            raise ConfigError(f"parameter 'format': {format!r} is not one of {', '.join(names)}")
        return reader
    if not tables_only:
        for reader in _READERS.values():
            if reader.matches is not None and reader.matches(p):
                return reader
    suffix = _suffix(p)
    for reader in _READERS.values():
        if suffix in reader.suffixes and not (tables_only and reader.export):
            return reader
    endings = [s for r in _READERS.values() for s in r.suffixes]
    raise FileFormatError(
        f"{os.fspath(path)}: unknown file type {suffix or '(no ending)'!r}; expected one of {', '.join(endings)} "
        "(optionally .gz), or a folder written by cop"
    )


def detect_format(path: str | os.PathLike[str]) -> str:
    """The format a file's name says: ``csv``, ``parquet`` or ``jsonl``.

    Examples
    --------
    >>> detect_format("export.CSV.gz"), detect_format("log.parquet")
    ('csv', 'parquet')
    """
    return reader_for(path, tables_only=True).name
