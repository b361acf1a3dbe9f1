"""Applying a preset to the raw table of an export: filters, several ids per cell, columns, constants, per-event files.

:func:`apply_preset` returns a :class:`Prepared` table in cop's column names,
ready for :meth:`cop.ActivityLog.from_frame`, and the members table the preset
takes from the export (``[members]``: each member's most frequent value).
The user's ``--map`` wins over the preset's ``[columns]`` and ``--set`` over its
``[constants]``, so a header that differs in one export is fixed on the command line.

Examples
--------
>>> import pandas as pd
>>> from cop._locate import Source
>>> from cop.presets.spec import load_preset
>>> raw = pd.DataFrame({"Name": ["A", "B", "C"], "User ID": ["user 1", "user 2", "user 3"],
...                     "RSVP": ["Yes", "No", "yes"], "Guests": [0, 0, 1]})
>>> p = apply_preset(raw, load_preset("meetup-attendees"), path="breakfast-2024-03-07.csv",
...                  source=Source.frame("breakfast-2024-03-07.csv"))
>>> p.frame[["activity_id", "member_id", "timestamp"]].values.tolist()
[['breakfast-2024-03-07', 'user 1', '2024-03-07'], ['breakfast-2024-03-07', 'user 3', '2024-03-07']]
>>> p.filtered
1
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import ConfigError, SchemaError
from cop.presets.spec import Preset

__all__ = ["Prepared", "apply_preset", "date_in_name"]

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclasses.dataclass(frozen=True)
class Prepared:
    """A preset's result: the rows in cop's columns, the members table (or ``None``), and what was left out."""

    frame: pd.DataFrame
    members: pd.DataFrame | None
    filtered: int
    notes: list[str]


def date_in_name(path: str | os.PathLike[str]) -> str | None:
    """The first ``YYYY-MM-DD`` in a file name, or ``None``.

    >>> date_in_name("founders-breakfast-2024-03-07.csv"), date_in_name("guests.csv")
    ('2024-03-07', None)
    """
    hit = _DATE.search(Path(path).name)
    return hit.group(0) if hit else None


def _text(values: pd.Series) -> pd.Series:
    """Cells as trimmed lower-case text ("" for empty), for comparing with a filter's values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    out = values.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip().lower())
    # booleans and whole numbers as written: True -> "true", 1.0 -> "1"
    return out.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)


def _filter_rows(frame: pd.DataFrame, preset: Preset, source: Source, notes: list[str]) -> tuple[pd.DataFrame, int]:
    keep = np.ones(len(frame), dtype=bool)
    reasons: list[str] = []
    for f in preset.filters:
        cells = _text(frame[f.column])
        hit = cells.isin(f.values).to_numpy()
        out = (~hit if f.keep else hit) & keep
        if out.any():
            counts = cells[out].value_counts()
            shown = ", ".join(f"{n} {v!r}" if v else f"{n} empty" for v, n in counts.head(4).items())
            wanted = " or ".join(repr(v) if v else "empty" for v in f.values)
            reasons.append(f"{int(out.sum())} without {f.column} {wanted} ({shown})" if f.keep
                           else f"{int(out.sum())} with {f.column} {wanted}")
        keep &= ~out
    n = int((~keep).sum())
    if n:
        notes.append(f"{source.name}: preset {preset.name!r} left out {n} of {len(frame)} row(s) by status: {'; '.join(reasons)}")
    return frame.loc[keep].reset_index(drop=True), n


def _members_of(frame: pd.DataFrame, headers: tuple[str, ...], separator: str | None) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """One id per row and header (cells split at ``separator``); the raw row each came from; whether from the first header."""
    ids, origin, lead = [], [], []
    for k, header in enumerate(headers):
        values = frame[header].astype(object).to_numpy()
        for i, v in enumerate(values):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            parts = str(v).split(separator) if separator else [v]
            for part in parts:
                part = part.strip() if isinstance(part, str) else part
                if isinstance(part, str) and not part:
                    continue
                ids.append(part)
                origin.append(i)
                lead.append(k == 0)
    if not ids:
        return pd.Series([], dtype=object), np.zeros(0, dtype=np.intp), np.zeros(0, dtype=bool)
    order = np.argsort(np.asarray(origin), kind="stable")
    ids_a = np.asarray(ids, dtype=object)[order]
    origin_a = np.asarray(origin, dtype=np.intp)[order]
    lead_a = np.asarray(lead, dtype=bool)[order]
    # a member named twice for one row (the booker also listed as an attendee) counts once
    seen = pd.DataFrame({"o": origin_a, "m": [str(x) for x in ids_a]}).duplicated().to_numpy()
    return pd.Series(ids_a[~seen], dtype=object), origin_a[~seen], lead_a[~seen]


def _most_frequent(ids: pd.Series, values: pd.Series) -> pd.Series:
    pairs = pd.DataFrame({"m": ids.astype(str).to_numpy(), "v": values.to_numpy()}).dropna()
    pairs = pairs[pairs["v"].astype(str).str.strip() != ""]
    if not len(pairs):
        return pd.Series(dtype=object)
    counts = pairs.value_counts(sort=False).reset_index(name="n").sort_values(["m", "n"], ascending=[True, False], kind="stable")
    best = counts.drop_duplicates("m")
    return pd.Series(best["v"].to_numpy(), index=best["m"].to_numpy(), dtype=object)


def apply_preset(
    frame: pd.DataFrame,
    preset: Preset,
    *,
    path: str | os.PathLike[str],
    source: Source,
    mapping: Mapping[str, str] | None = None,
    set_columns: Mapping[str, object] | None = None,
) -> Prepared:
    """The rows of ``frame`` (an export in ``preset``'s format read from ``path``) in cop's columns.

    Raises
    ------
    cop.exceptions.SchemaError
        When headers the preset reads are missing: names them, the preset and
        the columns found.
    cop.exceptions.ConfigError
        For a per-event file whose date is neither given (``--set timestamp=``)
        nor in the file name.
    """
    mapping = dict(mapping or {})
    constants: dict[str, object] = {**preset.constants, **dict(set_columns or {})}
    columns: dict[str, tuple[str, ...] | str] = {k: v for k, v in preset.columns.items() if k not in constants}
    for col, header in mapping.items():
        columns[col] = (header,) if col == "member_id" else header
    needed = []
    for value in [*columns.values(), *(f.column for f in preset.filters)]:  # member columns are optional
        needed += list(value) if isinstance(value, tuple) else [value]
    missing = [h for h in dict.fromkeys(needed) if h not in frame.columns]
    if missing:
        raise SchemaError(
            f"{source.name}: preset {preset.name!r} ({preset.title}) expects the column(s) {', '.join(map(repr, missing))}, "
            f"not in the file; found columns: {', '.join(map(str, frame.columns))}",
            hint=f"is this a {preset.title} export? A header that differs is fixed with --map COLUMN=HEADER",
        )
    notes: list[str] = []
    frame, filtered = _filter_rows(frame, preset, source, notes)
    ids, origin, lead = _members_of(frame, columns["member_id"], preset.separator)  # type: ignore[arg-type]
    nobody = np.setdiff1d(np.arange(len(frame)), origin)
    if len(nobody):
        headers = " or ".join(map(repr, columns["member_id"]))
        notes.append(f"{source.name}: preset {preset.name!r} left out {len(nobody)} row(s) with no member in {headers} "
                     f"(first at {source.rows(nobody[:5], len(nobody))} of the rows kept by status)")
    out = pd.DataFrame({"member_id": ids.to_numpy()})
    for col, header in columns.items():
        if col != "member_id":
            out[col] = frame[header].to_numpy()[origin] if len(origin) else pd.Series([], dtype=object)
    for col, value in constants.items():
        out[col] = value
    if preset.per_event:
        if "activity_id" not in out.columns:
            out["activity_id"] = Path(path).name.split(".")[0]
        if "timestamp" not in out.columns:
            day = date_in_name(path)
            if day is None:
                raise ConfigError(
                    f"{source.name}: preset {preset.name!r} reads one file per event, and the event's date is neither given "
                    "nor in the file name",
                    hint="give it with --set timestamp='2024-03-07 18:00', or name the file e.g. breakfast-2024-03-07.csv",
                )
            out["timestamp"] = day
    members = None
    if any(h in frame.columns for h in preset.members.values()) and len(out):
        members = pd.DataFrame({"member_id": pd.unique(out["member_id"].astype(str))})
        # a row's member columns describe the member of its first member header (the booker, not the attendees)
        for col, header in preset.members.items():
            if header not in frame.columns:
                continue
            best = _most_frequent(pd.Series(ids.to_numpy()[lead]), pd.Series(frame[header].to_numpy()[origin][lead]))
            members[col] = members["member_id"].map(best)
    return Prepared(out, members, filtered, notes)
