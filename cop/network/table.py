"""The spaces table of a network: one row per space (``space_id, name, city, seats, managers, opened``).

A log of several coworking spaces says in its ``space`` column where each
participation happened (:data:`cop.schema.SITE_COLUMNS`); the optional spaces
table (``--spaces FILE``, ``spaces=`` of :func:`cop.diagnose_network`) names
and describes them.  Only ``space_id`` is required; ``managers`` lists member
ids separated by ``;`` (each is a coordinator of that space's diagnosis).
A ``space`` value of the log that the table does not list is kept, with one
warning counting its rows (:func:`check_space_values`).

Examples
--------
>>> import pandas as pd
>>> t = normalize_spaces(pd.DataFrame({"space_id": ["oslo", "bergen"], "seats": ["40", ""],
...                                    "managers": ["m-1; m-2", ""]}))
>>> t[["space_id", "seats", "managers"]].values.tolist()
[['oslo', 40.0, ('m-1', 'm-2')], ['bergen', nan, ()]]
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.columns import as_categorical, clean_ids, fail_rows
from cop.exceptions import SchemaError
from cop.schema import SPACE_COLUMNS, TOPIC_SEPARATOR
from cop.tables import apply_mapping, check_columns
from cop.timestamps import parse_timestamps

__all__ = ["normalize_spaces", "read_spaces", "check_space_values", "SPACE"]

#: The participation column naming where a row happened.
SPACE = "space"


def normalize_spaces(frame: pd.DataFrame, *, source: Source | None = None, mapping: Mapping[str, str] | None = None,
                     tz: str = "UTC", notes: list[str] | None = None) -> pd.DataFrame:
    """Check and normalise a spaces table.

    Returns the columns :data:`cop.schema.SPACE_COLUMNS` first: ``space_id``
    (str, unique, Unicode form NFC like the log's ``space`` values), ``name``
    and ``city`` (text or ``None``), ``seats`` (float, NaN when empty),
    ``managers`` (a tuple of member ids) and ``opened`` (UTC timestamp or NaT);
    any further column is kept.

    Raises
    ------
    cop.exceptions.DataError
        One message naming the file, column, first rows and what was expected
        (a missing ``space_id`` column, an empty or repeated id, a seat count
        that is no non-negative number, an unreadable date).

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_spaces(pd.DataFrame({"space_id": ["a", "a"]}))
    Traceback (most recent call last):
    ...
    cop.exceptions.ValueFormatError: <spaces DataFrame>, column 'space_id': 2 repeated id(s) at rows 1, 2 (first: 'a'); expected one row per space
    """
    source = source or Source.frame("<spaces DataFrame>")
    check_columns(frame, source)
    frame = apply_mapping(frame, mapping, source, SPACE_COLUMNS)
    if "space_id" not in frame.columns:
        raise SchemaError(f"{source.name}: missing required column 'space_id'; found columns: "
                          f"{', '.join(map(str, frame.columns)) or '(none)'}; expected {', '.join(SPACE_COLUMNS)}",
                          hint="the spaces table needs a space_id column holding the values of the log's space column")
    out = frame.copy()
    ids = clean_ids(frame["space_id"], column="space_id", source=source, notes=notes).astype(str)
    dup = ids.duplicated(keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        fail_rows(source, "space_id", rows, "repeated id(s)", "one row per space", example=str(ids.iloc[rows[0]]))
    out["space_id"] = ids.to_numpy(dtype=object)
    for col in ("name", "city"):
        out[col] = (as_categorical(frame[col], column=col, source=source).astype(object).where(lambda s: s.notna(), None)
                    if col in frame.columns else None)
    out["seats"] = _seats(frame["seats"], source) if "seats" in frame.columns else np.nan
    if "managers" in frame.columns:
        text = as_categorical(frame["managers"], column="managers", source=source, nfc=True).astype(object)
        out["managers"] = [() if not isinstance(v, str) else
                           tuple(t.strip() for t in v.split(TOPIC_SEPARATOR) if t.strip()) for v in text]
    else:
        out["managers"] = [()] * len(out)
    if "opened" in frame.columns:
        out["opened"] = parse_timestamps(frame["opened"], tz=tz, source=source, column="opened", allow_missing=True).to_numpy()
    else:
        out["opened"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    first = list(SPACE_COLUMNS)
    return out[first + [c for c in out.columns if c not in first]].reset_index(drop=True)


def _seats(values: pd.Series, source: Source) -> np.ndarray:
    """Seat counts as floats (NaN when empty); anything else than a non-negative number is an error."""
    text = values.astype(object).where(values.notna(), "").map(lambda v: str(v).strip())
    number = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype="float64")
    bad = np.flatnonzero(((text != "").to_numpy() & ~np.isfinite(number)) | (number < 0))
    if len(bad):
        fail_rows(source, "seats", bad, "value(s) that are not a number of seats", "a non-negative number or empty",
                  example=str(values.iloc[bad[0]]))
    return number


def read_spaces(path: str | os.PathLike[str], *, mapping: Mapping[str, str] | None = None, tz: str = "UTC",
                notes: list[str] | None = None) -> pd.DataFrame:
    """Read a spaces table (CSV, TSV, Parquet, JSON Lines or a spreadsheet) and normalise it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "spaces.csv"
    >>> _ = p.write_text("space_id,name,city,seats\\noslo,Oslo Hub,Oslo,40\\n")
    >>> read_spaces(p)[["space_id", "city", "seats"]].values.tolist()
    [['oslo', 'Oslo', 40.0]]
    """
    from cop.io import read_table

    frame, source = read_table(path)
    return normalize_spaces(frame, source=source, mapping=mapping, tz=tz, notes=notes)


def check_space_values(rows: pd.DataFrame, spaces: pd.DataFrame | None, *, source_name: str = "<DataFrame>",
                       members: pd.DataFrame | None = None) -> list[str]:
    """Notes (warnings) on the ``space`` values of ``rows`` against a spaces table, each with counts.

    A value the table does not list, rows without a space (they belong to no
    space's diagnosis), and a members table's ``home_space`` the table does
    not list.  Nothing is changed: unlisted spaces are diagnosed like the others.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"space": pd.Categorical(["oslo", "tromso", "tromso", None])})
    >>> for note in check_space_values(rows, pd.DataFrame({"space_id": ["oslo"]})):
    ...     print(note)
    <DataFrame>: 1 space value(s) are not in the spaces table: 'tromso' (2 rows); they are diagnosed as spaces of their own
    <DataFrame>: 1 row(s) have no space; they count in the network's figures but in no space's diagnosis
    """
    notes = []
    space = rows[SPACE]
    codes = space.cat.codes.to_numpy()
    cats = np.asarray(space.cat.categories, dtype=object)
    counts = np.bincount(codes[codes >= 0], minlength=len(cats))
    if spaces is not None:
        listed = set(spaces["space_id"])
        unknown = [(c, int(n)) for c, n in zip(cats, counts) if n and c not in listed]
        if unknown:
            shown = ", ".join(f"{c!r} ({n} row{'s' if n != 1 else ''})" for c, n in unknown[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            notes.append(f"{source_name}: {len(unknown)} space value(s) are not in the spaces table: {shown}{more}; "
                         "they are diagnosed as spaces of their own")
    missing = int((codes < 0).sum())
    if missing:
        notes.append(f"{source_name}: {missing} row(s) have no space; they count in the network's figures but in no "
                     "space's diagnosis")
    if spaces is not None and members is not None and "home_space" in members.columns:
        home = members["home_space"].dropna().astype(str).str.strip()
        home = home[(home != "") & ~home.isin(set(spaces["space_id"]))]
        if len(home):
            notes.append(f"{source_name}: {len(home)} member(s) have a home_space that is not in the spaces table "
                         f"(first: {home.iloc[0]!r}); it is kept as their home space")
    return notes
