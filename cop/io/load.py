"""Load a path into raw tables (:func:`read_table`) or a whole :class:`~cop.log.ActivityLog` (:func:`read_activities`).

The reader is chosen by :func:`cop.io.registry.reader_for`; the tables are then
checked and joined by the normaliser (:func:`cop.tables.normalize_log`).  Input
files are only ever read.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cop._locate import Source
from cop.exceptions import ConfigError, DataWarning, FileFormatError
from cop.io.registry import Reader, reader_for, readers
from cop.log import ActivityLog

__all__ = ["read_table", "read_activities"]


def read_table(path: str | os.PathLike[str], *, format: str | None = None, **options: Any) -> tuple[pd.DataFrame, Source]:
    """Read a CSV, Parquet or JSON Lines file into a raw DataFrame and its :class:`Source`.

    Raises :class:`~cop.exceptions.FileFormatError` for a missing, empty or
    mislabelled file.  ``options`` go to the reader (a spreadsheet's ``sheet=``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.tsv"
    >>> _ = p.write_text("member_id\\torganization\\nann\\tacme\\n")
    >>> frame, source = read_table(p)
    >>> frame.columns.tolist(), source.format
    (['member_id', 'organization'], 'csv')
    """
    return _read_table(path, format=format, options=options)


def _read_table(
    path: str | os.PathLike[str], *, format: str | None = None, timestamps: tuple[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> tuple[pd.DataFrame, Source]:
    """:func:`read_table`; a CSV's ``timestamps = (column, tz)`` may come back already parsed."""
    p = Path(path)
    reader = reader_for(p, format, tables_only=True)
    if not p.exists():
        raise FileFormatError(f"{p}: no such file")
    if p.is_dir():
        raise FileFormatError(f"{p}: is a folder; expected a file")
    if p.stat().st_size == 0:
        raise FileFormatError(f"{p}: is empty; expected a header line and rows")
    frame, source = reader.read(p, timestamps=timestamps, **dict(options or {}))
    if frame.shape[1] == 0:
        raise FileFormatError(f"{p}: has no columns")
    return frame, source


def _bundle(path: Path) -> dict[str, Path] | None:
    """The tables a bundle path (a folder written by cop...) holds, or ``None`` for a single file."""
    for reader in readers().values():
        if reader.bundle and reader.matches is not None and reader.matches(path):
            return reader.read(path)
    return None


def read_activities(
    path: str | os.PathLike[str],
    members: str | os.PathLike[str] | pd.DataFrame | None = None,
    activities: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    mapping: Mapping[str, str] | None = None,
    member_mapping: Mapping[str, str] | None = None,
    tz: str = "UTC",
    format: str | None = None,
    emit_warnings: bool = True,
    reader_options: Mapping[str, Any] | None = None,
    split_activities: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    set_columns: Mapping[str, object] | None = None,
    ignore: Sequence[str] = (),
) -> ActivityLog:
    """Load a participation export (and optional side tables) into an :class:`ActivityLog`.

    Parameters
    ----------
    path : path-like
        The participation log, or a ``source,target,timestamp[,kind]`` edge list.
        A folder written by :func:`write_log` or ``cop simulate`` is read as a
        whole: its ``activities.csv``, and its ``members.csv`` and
        ``activity_details.csv`` when present and not given explicitly.
    members, activities : path-like or DataFrame, optional
        The members table and the activities table.
    mapping : dict, optional
        ``{cop_column: your_header}``, e.g. ``{"member_id": "Email"}``.
    member_mapping : dict, optional
        The same for the members table.
    tz : str, default "UTC"
        Zone of timestamps without one (e.g. ``"Europe/Helsinki"``).
    format : {"csv", "parquet", "jsonl"}, optional
        Override the format the file name says.
    emit_warnings : bool, default True
        Issue notes as :class:`~cop.exceptions.DataWarning` too.
    reader_options : dict, optional
        Options of the reader (``{"sheet": "Visits"}`` for a spreadsheet,
        ``{"identities": True}`` for a Slack export; see each reader module).
    split_activities : {"day", "week"}, optional
        One activity per id and day (or ISO week), its id suffixed with the
        date (``"Breakfast 2024-03-07"``, ``"Breakfast 2024-W10"``): for exports
        whose activity id names a recurring series (see :mod:`cop.occurrences`).
    date_format : str, optional
        A strptime format for the timestamps (``"%d.%m.%Y %H:%M"``), tried
        before cop's own rules (:mod:`cop.timestamps`); with ``%z`` the values are instants.
    dayfirst : bool, optional
        ``True``: ``05.03.2024`` is 5 March; ``False``: ``03/14/2024`` is 14
        March (:mod:`cop.timestamps.localforms`).  Unset, such dates are an
        error asking for it.
    encoding : str, optional
        Text encoding of CSV/TSV files (the log and the side tables), e.g.
        ``"cp1252"`` or ``"latin-1"``.  Without it a CSV file is UTF-8, or
        UTF-16/32 when it starts with a byte-order mark; another encoding is
        an error saying to give it (never a guess).
    set_columns : dict, optional
        ``{cop_column: value}`` set on every row, e.g. ``{"kind": "presence"}``.
    ignore : sequence of str
        Headers of the log to leave out (e.g. a Slack ``channel`` that is not
        cop's public/private ``channel``).

    Returns
    -------
    ActivityLog

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = p.write_text("activity_id,member_id,timestamp\\ne1,ann,2024-01-01\\ne1,bo,2024-01-01\\n")
    >>> read_activities(p).n_members
    2
    """
    export = _export_reader(Path(path), format)
    notes: list[str] = []
    msrc = asrc = None
    if export is not None:  # a tool's export (Slack, git, mbox...) turned into rows by its reader
        got = export.read(Path(path), tz=tz, **dict(reader_options or {}))
        frame, source, notes = got.frame, got.source, got.notes
        if members is None and got.members is not None:
            members, msrc = got.members, got.members_source
    else:
        parts = _bundle(Path(path))
        if parts is not None:
            path = parts["activities"]
            members = parts.get("members") if members is None else members
            activities = parts.get("details") if activities is None else activities
        fast = _timestamp_header(mapping, tz) if date_format is None and dayfirst is None else None
        frame, source = _read_table(path, format=format, timestamps=fast, options=_with_encoding(reader_options, encoding, path, format))
    mframe = aframe = None
    if members is not None:
        mframe, msrc = ((members, msrc or Source.frame("<members DataFrame>")) if isinstance(members, pd.DataFrame)
                        else read_table(members, **_with_encoding(None, encoding, members, None, side=True)))
    if activities is not None:
        aframe, asrc = ((activities, Source.frame("<activities DataFrame>")) if isinstance(activities, pd.DataFrame)
                        else read_table(activities, **_with_encoding(None, encoding, activities, None, side=True)))
    log = ActivityLog.from_frame(
        frame, mframe, aframe, mapping=mapping, member_mapping=member_mapping, tz=tz,
        source=source, members_source=msrc, activities_source=asrc, emit_warnings=emit_warnings,
        split_activities=split_activities, date_format=date_format, dayfirst=dayfirst,
        set_columns=set_columns, ignore=ignore,
    )
    if notes:  # what the export reader dropped (bots, system messages), counted
        log.warnings[:0] = notes
        if emit_warnings:
            for note in notes:
                warnings.warn(note, DataWarning, stacklevel=2)
    return log


def _with_encoding(
    options: Mapping[str, Any] | None, encoding: str | None, path: str | os.PathLike[str], format: str | None, *, side: bool = False,
) -> dict[str, Any]:
    """``options`` plus ``encoding`` for a CSV file; ``encoding`` for another format is an error (side tables ignore it)."""
    out = dict(options or {})
    if encoding is None:
        return out
    if reader_for(Path(path), format, tables_only=True).name == "csv":
        out["encoding"] = encoding
    elif not side:
        raise ConfigError(f"parameter 'encoding': {Path(path).name} is not a CSV/TSV file; "
                          "an encoding applies to text tables only", hint="drop --encoding")
    return out


def _export_reader(path: Path, format: str | None) -> Reader | None:
    """The export reader for ``path`` (by ``format``, else by what the path is), or ``None`` for a table or bundle."""
    if format is not None:
        reader = readers().get(format)
        return reader if reader is not None and reader.export else None
    try:
        reader = reader_for(path)
    except FileFormatError:
        return None  # reported by the table reader's own checks
    return reader if reader.export else None


def _timestamp_header(mapping: Mapping[str, str] | None, tz: str) -> tuple[str, str] | None:
    """``(header, tz)`` of the column that becomes ``timestamp`` under ``mapping``, if unambiguous.

    That column may be parsed while reading (see :func:`cop.io._arrow.arrow_to_pandas`);
    a header that the mapping also gives to another column is left as text.
    """
    if not isinstance(tz, str):
        return None
    mapping = dict(mapping or {})
    header = mapping.get("timestamp", "timestamp")
    if not isinstance(header, str) or list(mapping.values()).count(header) > (1 if "timestamp" in mapping else 0):
        return None
    return header, tz
