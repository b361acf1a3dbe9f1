"""Several inputs at once: activity files of different sources and presets loaded into one log.

Each input is read on its own (its reader, its preset, its own checks and
errors naming its file), then the rows are put together; every row keeps the
input it came from in a ``source`` column (the file name), and the log's
summary counts rows, accounts, merged accounts, bots dropped and rows filtered
per source (:attr:`cop.ActivityLog.audit`).  On the command line the first
file is the ACTIVITIES argument (with ``--preset``, ``--map``, ``--set``,
``--ignore``) and each further one an ``--add FILE[:PRESET][@space=NAME]`` (the suffix
sets that file's ``space`` column, for a network of spaces); ``--tz``,
``--date-format``, ``--dayfirst``, ``--encoding``, ``--split-activities`` and
``--identities`` apply to all of them, and ``--members``/``--activities`` to the
whole log.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "chat.csv").write_text("activity_id,member_id,timestamp,kind\\nt1,ann,2024-01-02,interaction\\nt1,bo,2024-01-02,interaction\\n")
>>> _ = (d / "desk.csv").write_text("CoworkerId,BusinessName,FromTime\\nann,Hub,2024-01-03T09:00Z\\ncy,Hub,2024-01-03T10:00Z\\n")
>>> log = read_activities_many([d / "chat.csv", (d / "desk.csv", "nexudus-checkins")], emit_warnings=False)
>>> log.data.groupby("source", observed=True).size().to_dict()
{'chat.csv': 2, 'desk.csv': 2}
>>> log.n_members
3
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cop._locate import Source
from cop.exceptions import ConfigError, DataWarning
from cop.io.identities import IdentityTable, resolve_members
from cop.io.load import _read_one, read_identities, read_table
from cop.log import ActivityLog
from cop.presets import Preset, load_preset, preset_names

__all__ = ["InputSpec", "parse_add", "read_activities_many"]

InputSpec = tuple[str | os.PathLike[str], "str | os.PathLike[str] | Preset | None"]

#: The suffix of ``--add FILE[:PRESET]@space=NAME`` that gives one added file its space.
SPACE_SUFFIX = "@space="


def parse_add(text: str) -> tuple[Path, str | None] | tuple[Path, str | None, dict[str, str]]:
    """``"FILE[:PRESET][@space=NAME]"`` as ``(path, preset)``, or ``(path, preset, {"space": NAME})``.

    The preset is a shipped name or a ``.toml`` file.  A colon is read as the
    preset's separator only when what follows it is a preset, so a path with a
    colon of its own (``C:\\data\\log.csv``) still works.  ``@space=NAME`` at
    the very end sets the ``space`` column of that file's rows (one space of a
    network); it is read as a suffix only when ``NAME`` holds no ``/``, ``\\``
    or ``:``, so a folder named ``x@space=y`` is still a path.  Both results
    are inputs of :func:`read_activities_many`.

    Examples
    --------
    >>> parse_add("checkins.csv:nexudus-checkins")
    (PosixPath('checkins.csv'), 'nexudus-checkins')
    >>> parse_add("slack-export.zip")
    (PosixPath('slack-export.zip'), None)
    >>> parse_add("bergen.csv:nexudus-checkins@space=bergen")
    (PosixPath('bergen.csv'), 'nexudus-checkins', {'space': 'bergen'})
    """
    space = None
    head, sep, tail = text.rpartition(SPACE_SUFFIX)
    if sep and not any(c in tail for c in "/\\:"):
        space = tail.strip()
        if not head or not space:
            raise ConfigError(f"option '--add': {text!r} names no {'file' if not head else 'space'} around '{SPACE_SUFFIX}'",
                              hint="write --add FILE[:PRESET]@space=NAME, e.g. --add bergen.csv:nexudus-checkins@space=bergen")
        text = head
    path, preset = Path(text), None
    head, sep, tail = text.rpartition(":")
    if sep and head and (tail in preset_names() or tail.lower().endswith(".toml")):
        path, preset = Path(head), tail
    return (path, preset) if space is None else (path, preset, {"space": space})


def _spec(item: object) -> tuple[Path, object, dict[str, object]]:
    if isinstance(item, tuple):
        if len(item) == 2:
            return Path(item[0]), item[1], {}
        if len(item) == 3 and (item[2] is None or isinstance(item[2], Mapping)):
            return Path(item[0]), item[1], dict(item[2] or {})
        raise ConfigError(f"inputs: {item!r} is not a path, a (path, preset) pair or a (path, preset, columns) triple")
    return Path(item), None, {}  # type: ignore[arg-type]


def read_activities_many(
    inputs: Sequence[str | os.PathLike[str] | tuple[str | os.PathLike[str], object]],
    members: str | os.PathLike[str] | pd.DataFrame | None = None,
    activities: str | os.PathLike[str] | pd.DataFrame | None = None,
    *,
    mapping: Mapping[str, str] | None = None,
    set_columns: Mapping[str, object] | None = None,
    ignore: Sequence[str] = (),
    member_mapping: Mapping[str, str] | None = None,
    tz: str = "UTC",
    emit_warnings: bool = True,
    reader_options: Mapping[str, Any] | None = None,
    split_activities: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    identities: str | os.PathLike[str] | pd.DataFrame | IdentityTable | None = None,
) -> ActivityLog:
    """Load several participation exports (each a path, a ``(path, preset)`` pair or a ``(path, preset, columns)`` triple) into one log.

    ``mapping``, ``set_columns``, ``ignore`` and ``reader_options`` apply to the
    first input only (other inputs say theirs with a preset); the ``columns``
    of a triple are that input's own ``set_columns`` (``{"space": "bergen"}``:
    every row of that file happened in bergen), over ``set_columns`` for the
    first input; the other
    options apply to every input.  ``members`` and ``activities`` describe the
    whole log; without ``members``, the members tables the inputs bring (a
    preset's ``[members]``, a Slack ``users.json``) are put together, each
    column of a member listed twice taken from the first input that fills it,
    and everyone else who took part is listed as a plain member.  An activities table names
    activities as loaded (after any split).

    Returns
    -------
    ActivityLog
        With a ``source`` column (the input's file name) and ``audit`` per input.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for city in ("oslo", "bergen"):
    ...     _ = (d / f"{city}.csv").write_text("activity_id,member_id,timestamp\\nt1,ann,2024-01-02\\nt1,bo,2024-01-02\\n")
    >>> log = read_activities_many([(d / "oslo.csv", None, {"space": "oslo"}), (d / "bergen.csv", None, {"space": "bergen"})],
    ...                            emit_warnings=False)
    >>> log.data.groupby(["source", "space"], observed=True).size().to_dict()
    {('bergen.csv', 'bergen'): 2, ('oslo.csv', 'oslo'): 2}
    """
    if not inputs:
        raise ConfigError("inputs: expected at least one activities file")
    table = identities if isinstance(identities, IdentityTable) or identities is None else read_identities(identities)
    specs = [_spec(i) for i in inputs]
    labels: list[str] = []
    for path, _, _ in specs:
        label, n = path.name, 2
        while label in labels:
            label, n = f"{path.name}#{n}", n + 1
        labels.append(label)
    logs: list[ActivityLog] = []
    audit: dict[str, dict[str, int]] = {}
    notes: list[str] = []
    for k, ((path, preset, own), label) in enumerate(zip(specs, labels)):
        first = k == 0
        columns = {**(set_columns or {}), **own} if first else own
        log, counts = _read_one(
            path, None, None, mapping=mapping if first else None, set_columns=columns or None,
            ignore=ignore if first else (), tz=tz, emit_warnings=False, reader_options=reader_options if first else None,
            split_activities=split_activities, date_format=date_format, dayfirst=dayfirst, encoding=encoding,
            preset=load_preset(preset) if preset is not None else None, identities=table, label=label,
        )
        logs.append(log)
        audit[label] = counts
        notes += log.warnings
    frames = []
    for log, label in zip(logs, labels):
        d = log.data.copy()
        d["source"] = label
        frames.append(d.astype({c: object for c in ("activity_id", "member_id", "kind", "role", "topic", "channel")}))
    combined = pd.concat(frames, ignore_index=True)
    msrc = None
    if members is None:
        tables = [log.members_table for log in logs if log.members_table is not None]
        if tables:  # everyone who took part, described by the first table that says something of them
            known = pd.concat(tables, ignore_index=True).groupby("member_id", sort=False).first().reset_index()
            everyone = pd.DataFrame({"member_id": pd.unique(combined["member_id"].astype(str))})
            members = everyone.merge(known, on="member_id", how="outer", sort=False)
            msrc = Source.frame("the members tables of the inputs")
            member_mapping = None
    else:
        if not isinstance(members, pd.DataFrame):
            members, msrc = read_table(members)
        mcol = (member_mapping or {}).get("member_id", "member_id")
        members, _ = resolve_members(members, [mcol], labels=["members"], table=table, source=msrc)
    asrc = None
    if activities is not None and not isinstance(activities, pd.DataFrame):
        activities, asrc = read_table(activities)
    name = " + ".join(labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        log = ActivityLog.from_frame(combined, members, activities, member_mapping=member_mapping, tz=tz,
                                     source=Source.frame(name), members_source=msrc, activities_source=asrc,
                                     emit_warnings=False)
    # the per-input passes already said what recurs; the combined pass adds the cross-table notes
    extra = [n for n in log.warnings if "unique per occurrence" not in n]
    log.warnings = notes + [n for n in extra if n not in notes]
    rows = log.data["source"].value_counts()
    for label in labels:
        audit[label]["rows"] = int(rows.get(label, 0))
    log.audit = audit
    if emit_warnings:
        for note in log.warnings:
            warnings.warn(note, DataWarning, stacklevel=2)
    return log
