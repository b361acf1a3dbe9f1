"""The exclusion file of ``cop match --exclude``: people or pairs never to suggest.

A CSV (or TSV) with a ``member_id`` column and optionally ``suggested_id``: a
row with both excludes that pair (either way round), a row with only
``member_id`` excludes the person from every suggestion.  Last week's
``suggestions.csv`` is a valid exclusion file, so no pair is suggested twice.

Examples
--------
>>> import pandas as pd, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "exclude.csv")
>>> _ = open(path, "w").write("member_id,suggested_id\\na,b\\nc,\\n")
>>> read_exclusions(path, pd.Index(["a", "b", "c"])).values.tolist()
[['a', 'b'], ['c', None]]
>>> read_exclusions(path, pd.Index(["a", "b"]))
Traceback (most recent call last):
...
cop.exceptions.DataError: exclude.csv, line 3, column 'member_id': member 'c' is not in the log
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from cop.exceptions import DataError, FileFormatError, SchemaError

__all__ = ["read_exclusions"]


def read_exclusions(path: str | os.PathLike[str], member_ids: pd.Index, *,
                    pseudonym: Callable[[str], str] | None = None) -> pd.DataFrame:
    """The ``member_id`` / ``suggested_id`` rows of an exclusion file, every id checked against ``member_ids``.

    ``pseudonym`` maps an id that is not in ``member_ids`` (a real id given
    for a pseudonymized log) to its pseudonym before the check.

    Raises
    ------
    DataError
        Naming the file, the line and the column of the first unknown id (or
        the missing ``member_id`` column).

    Examples
    --------
    >>> import pathlib, tempfile, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "exclude.csv"
    >>> _ = path.write_text("member_id,suggested_id\\nann,bo\\n")
    >>> read_exclusions(path, pd.Index(["ann", "bo", "cy"])).values.tolist()
    [['ann', 'bo']]
    >>> _ = path.write_text("member_id,suggested_id\\nann,nobody\\n")
    >>> try:
    ...     read_exclusions(path, pd.Index(["ann", "bo"]))
    ... except DataError as exc:
    ...     print(str(exc).split(", ", 1)[1])
    line 2, column 'suggested_id': member 'nobody' is not in the log
    """
    path = Path(path)
    sep = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    try:
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise FileFormatError(f"{path.name}: the exclusion file is empty; expected a member_id column") from None
    except pd.errors.ParserError as exc:
        raise FileFormatError(f"{path.name}: not a CSV file ({str(exc).splitlines()[0]})") from None
    if "member_id" not in frame.columns:
        raise SchemaError(f"{path.name}: no 'member_id' column (columns: {', '.join(map(str, frame.columns)) or 'none'}); "
                          "expected member_id and optionally suggested_id")
    cols = ["member_id"] + (["suggested_id"] if "suggested_id" in frame.columns else [])
    out = frame[cols].apply(lambda s: s.str.strip())
    known = set(map(str, member_ids))
    for col in cols:
        values = out[col].tolist()
        for row, v in enumerate(values):
            if v == "":
                if col == "member_id":
                    raise DataError(f"{path.name}, line {row + 2}, column 'member_id': empty; expected a member id")
                values[row] = None
                continue
            if v not in known and pseudonym is not None and pseudonym(v) in known:
                v = pseudonym(v)
            if v not in known:
                raise DataError(f"{path.name}, line {row + 2}, column {col!r}: member {v!r} is not in the log")
            values[row] = v
        out[col] = pd.Series(values, index=out.index, dtype=object)
    if "suggested_id" not in out.columns:
        out["suggested_id"] = None
    return out.reset_index(drop=True)
