"""Load a path into raw tables (:func:`read_table`) or a whole :class:`~cop.log.ActivityLog` (:func:`read_activities`).

The reader is chosen by :func:`cop.io.registry.reader_for`; the tables are then
checked and joined by the normaliser (:func:`cop.tables.normalize_log`).  Input
files are only ever read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cop._locate import Source
from cop.exceptions import FileFormatError
from cop.io.registry import reader_for, readers
from cop.log import ActivityLog

__all__ = ["read_table", "read_activities"]


def read_table(path: str | os.PathLike[str], *, format: str | None = None) -> tuple[pd.DataFrame, Source]:
    """Read a CSV, Parquet or JSON Lines file into a raw DataFrame and its :class:`Source`.

    Raises :class:`~cop.exceptions.FileFormatError` for a missing, empty or
    mislabelled file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.tsv"
    >>> _ = p.write_text("member_id\\torganization\\nann\\tacme\\n")
    >>> frame, source = read_table(p)
    >>> frame.columns.tolist(), source.format
    (['member_id', 'organization'], 'csv')
    """
    return _read_table(path, format=format)


def _read_table(
    path: str | os.PathLike[str], *, format: str | None = None, timestamps: tuple[str, str] | None = None
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
    frame, source = reader.read(p, timestamps=timestamps)
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
    parts = _bundle(Path(path))
    if parts is not None:
        path = parts["activities"]
        members = parts.get("members") if members is None else members
        activities = parts.get("details") if activities is None else activities
    frame, source = _read_table(path, format=format, timestamps=_timestamp_header(mapping, tz))
    mframe = msrc = aframe = asrc = None
    if members is not None:
        mframe, msrc = (members, Source.frame("<members DataFrame>")) if isinstance(members, pd.DataFrame) else read_table(members)
    if activities is not None:
        aframe, asrc = (activities, Source.frame("<activities DataFrame>")) if isinstance(activities, pd.DataFrame) else read_table(activities)
    return ActivityLog.from_frame(
        frame, mframe, aframe, mapping=mapping, member_mapping=member_mapping, tz=tz,
        source=source, members_source=msrc, activities_source=asrc, emit_warnings=emit_warnings,
    )


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
