"""Load a path into raw tables (:func:`read_table`) or a whole :class:`~cop.log.ActivityLog` (:func:`read_activities`).

The reader is chosen by :func:`cop.io.registry.reader_for`; the tables are then
checked and joined by the normaliser (:func:`cop.tables.normalize_log`).  Input
files are only ever read.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cop._locate import Source
from cop.exceptions import ConfigError, DataWarning, FileFormatError, SchemaError
from cop.io.identities import IdentityTable, identities_from_frame, resolve_members
from cop.io.registry import Reader, reader_for, readers
from cop.log import ActivityLog
from cop.presets import Preset, apply_preset, load_preset

__all__ = ["read_table", "read_activities", "read_identities"]


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


def read_identities(path: str | os.PathLike[str] | pd.DataFrame) -> IdentityTable:
    """Read an identities table (``source, handle, member_id``; any table format) for ``identities=`` / ``--identities``.

    See :mod:`cop.io.identities` for what the columns mean; errors name the file, row and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ids.csv"
    >>> _ = p.write_text("source,handle,member_id\\nslack,U01,anna\\n")
    >>> read_identities(p).lookup(["slack"])
    {'U01': 'anna'}
    """
    if isinstance(path, pd.DataFrame):
        return identities_from_frame(path)
    frame, source = read_table(path)
    return identities_from_frame(frame, source)


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
    preset: str | os.PathLike[str] | Preset | None = None,
    identities: str | os.PathLike[str] | pd.DataFrame | IdentityTable | None = None,
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
    preset : str, path or Preset, optional
        The export's format: a preset shipped with cop (``"meetup-attendees"``,
        see :func:`cop.presets.preset_names`) or a preset TOML file
        (:mod:`cop.presets.spec`).  ``mapping`` and ``set_columns`` then
        override the preset's columns and constants.
    identities : path, DataFrame or IdentityTable, optional
        An identities table (``source, handle, member_id``) applied to the member
        ids before anything else (:mod:`cop.io.identities`); e-mail addresses and
        GitHub no-reply addresses are normalised in any case.

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
    log, _ = _read_one(
        path, members, activities, mapping=mapping, member_mapping=member_mapping, tz=tz, format=format,
        emit_warnings=emit_warnings, reader_options=reader_options, split_activities=split_activities,
        date_format=date_format, dayfirst=dayfirst, encoding=encoding, set_columns=set_columns, ignore=ignore,
        preset=preset, identities=identities,
    )
    return log


_BOTS = re.compile(r"dropped (\d+) [^;]*?\bbots?\b")


def _bots_dropped(notes: Sequence[str]) -> int:
    """The bots an export reader's notes say it dropped (``"dropped 3 bot message(s)"``)."""
    return sum(int(m.group(1)) for n in notes for m in [_BOTS.search(n)] if m)


def _read_one(
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
    preset: str | os.PathLike[str] | Preset | None = None,
    identities: str | os.PathLike[str] | pd.DataFrame | IdentityTable | None = None,
    label: str | None = None,
) -> tuple[ActivityLog, dict[str, Any]]:
    """:func:`read_activities`, and the audit of the input (accounts, merged, bots dropped, rows filtered)."""
    given = Path(path)  # a folder written by cop keeps its own name as the input's label
    spec = load_preset(preset) if preset is not None else None
    table = identities if isinstance(identities, IdentityTable) or identities is None else read_identities(identities)
    if spec is not None:  # the preset's reading options, unless the caller gives their own
        options = dict(reader_options or {})
        if spec.sheet is not None:
            options.setdefault("sheet", spec.sheet)
        reader_options = options
        encoding = encoding if encoding is not None else spec.encoding
        date_format = date_format if date_format is not None else spec.date_format
        dayfirst = dayfirst if dayfirst is not None else spec.dayfirst
        tz = spec.tz if spec.tz is not None and tz == "UTC" else tz
        split_activities = split_activities if split_activities is not None else spec.split
    export = _export_reader(Path(path), format)
    if reader_options:
        _check_options(export or _table_reader(Path(path), format), reader_options, Path(path))
    notes: list[str] = []
    msrc = asrc = None
    if export is not None:  # a tool's export (Slack, git, mbox...) turned into rows by its reader
        got = export.read(Path(path), tz=tz, **dict(reader_options or {}))
        frame, source, notes = got.frame, got.source, list(got.notes)
        if members is None and got.members is not None:
            members, msrc = got.members, got.members_source
    else:
        parts = _bundle(Path(path))
        if parts is not None:
            path = parts["activities"]
            members = parts.get("members") if members is None else members
            activities = parts.get("details") if activities is None else activities
        headers = dict(mapping or {}) if spec is None else {  # the preset's headers, as the user's --map would give them
            **{k: v for k, v in spec.columns.items() if isinstance(v, str) and k not in spec.constants}, **dict(mapping or {})}
        fast = _timestamp_header(headers, tz) if date_format is None and dayfirst is None else None
        frame, source = _read_table(path, format=format, timestamps=fast, options=_with_encoding(reader_options, encoding, path, format))
    labels = _labels(given, spec, export, label)
    audit: dict[str, Any] = {"bots_dropped": _bots_dropped(notes), "filtered": 0}
    if spec is not None:
        if ignore:
            frame = _drop_headers(frame, ignore, source)
            ignore = ()
        prepared = apply_preset(frame, spec, path=path, source=source, mapping=mapping, set_columns=set_columns)
        frame, mapping, set_columns = prepared.frame, None, None
        notes += prepared.notes
        audit["filtered"] = prepared.filtered
        if members is None and prepared.members is not None:
            members = prepared.members
            msrc = Source.frame(f"the member columns of {source.name} (preset {spec.name!r})")
            member_mapping = None
    member_columns = ["member_id"] if spec is not None else _member_headers(frame, mapping)
    frame, counts = resolve_members(frame, member_columns, labels=labels, table=table,
                                    normalize=spec.normalize if spec is not None else (), source=source, notes=notes)
    audit.update(counts)
    mframe = aframe = None
    if members is not None:
        mframe, msrc = ((members, msrc or Source.frame("<members DataFrame>")) if isinstance(members, pd.DataFrame)
                        else read_table(members, **_with_encoding(None, encoding, members, None, side=True)))
        mcol = (member_mapping or {}).get("member_id", "member_id")
        mframe, _ = resolve_members(mframe, [mcol], labels=labels, table=table,
                                    normalize=spec.normalize if spec is not None else (), source=msrc)
        if spec is not None and msrc.name.startswith("the member columns of"):
            mframe = mframe.drop_duplicates("member_id").reset_index(drop=True)  # accounts merged above
    if activities is not None:
        aframe, asrc = ((activities, Source.frame("<activities DataFrame>")) if isinstance(activities, pd.DataFrame)
                        else read_table(activities, **_with_encoding(None, encoding, activities, None, side=True)))
    log = ActivityLog.from_frame(
        frame, mframe, aframe, mapping=mapping, member_mapping=member_mapping, tz=tz,
        source=source, members_source=msrc, activities_source=asrc, emit_warnings=emit_warnings,
        split_activities=split_activities, date_format=date_format, dayfirst=dayfirst,
        set_columns=set_columns, ignore=ignore,
    )
    if notes:  # what the export reader dropped (bots, system messages) or the preset left out, counted
        log.warnings[:0] = notes
        if emit_warnings:
            for note in notes:
                warnings.warn(note, DataWarning, stacklevel=3)
    audit = {"rows": len(log), **audit}
    log.audit = {labels[0]: audit}
    return log, audit


def _table_reader(path: Path, format: str | None) -> Reader | None:
    try:
        parts = _bundle(path)
        return reader_for(parts["activities"] if parts else path, format, tables_only=True)
    except (FileFormatError, ConfigError, OSError):
        return None  # reported by the reading itself


def _check_options(reader: Reader | None, options: Mapping[str, Any], path: Path) -> None:
    """Each reader option is one the reader takes (one error naming the reader and its options otherwise)."""
    if reader is None:
        return
    import inspect

    taken = [n for n in inspect.signature(reader.read).parameters if n not in ("path", "tz", "timestamps", "encoding")]
    unknown = [k for k in options if k not in taken]
    if unknown:
        offer = f"its options are {', '.join(taken)}" if taken else "it takes no options"
        raise ConfigError(f"{path}: the {reader.name} reader has no option {', '.join(map(repr, unknown))}; {offer}",
                          hint="see the reader's module (cop.io." + reader.read.__module__.rsplit('.', 1)[-1] + ")")


def _labels(path: Path, spec: Preset | None, export: Reader | None, label: str | None) -> list[str]:
    """The names an input is known by (its label first): the file name, its stem, its preset, its reader."""
    out = [label] if label else []
    out += [path.name, path.name.split(".")[0]]
    if spec is not None:
        out.append(spec.name)
    if export is not None:
        out.append(export.name)
    return list(dict.fromkeys(out))


def _member_headers(frame: pd.DataFrame, mapping: Mapping[str, str] | None) -> list[str]:
    """The headers holding member ids: the mapped ``member_id`` header, or an edge list's source and target."""
    mapping = dict(mapping or {})
    header = mapping.get("member_id", "member_id")
    if header in frame.columns:
        return [header]
    return [mapping.get("source", "source"), mapping.get("target", "target")]


def _drop_headers(frame: pd.DataFrame, ignore: Sequence[str], source: Source) -> pd.DataFrame:
    missing = [h for h in ignore if h not in frame.columns]
    if missing:
        raise SchemaError(f"{source.name}: the ignored header(s) {', '.join(map(repr, missing))} are not in the file; "
                          f"found columns: {', '.join(map(str, frame.columns))}")
    return frame.drop(columns=list(ignore))


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
