"""Write logs and tables back: CSV files written atomically, timestamps as ISO 8601 UTC."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from cop._atomic import atomic_path
from cop.io.folder import LOG_FILES
from cop.log import ActivityLog

__all__ = ["write_csv", "write_log"]


def write_csv(frame: pd.DataFrame, target: str | os.PathLike[str]) -> Path:
    """Write a table as CSV atomically, timestamps as ISO 8601 UTC (``2024-03-01T09:00:00Z``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_csv(pd.DataFrame({"t": pd.to_datetime(["2024-03-01 09:00"], utc=True)}),
    ...               pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> p.read_text().splitlines()
    ['t', '2024-03-01T09:00:00Z']
    """
    target = Path(target)
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col].dtype):
            out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%SZ").where(out[col].notna(), "")
    with atomic_path(target) as tmp:
        out.to_csv(tmp, index=False, lineterminator="\n")
    return target


def write_log(log: ActivityLog, directory: str | os.PathLike[str]) -> dict[str, Path]:
    """Write a log as ``activities.csv``, ``members.csv`` and ``activity_details.csv``.

    Each file is written atomically; side tables are written only when the log
    has them.  Reading the folder back with :func:`read_activities` gives the
    same log.

    Returns
    -------
    dict
        ``{"activities": path, "members": path, "details": path}`` of written files.

    Examples
    --------
    >>> import tempfile, pathlib, cop
    >>> log = cop.load_example()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> sorted(p.name for p in write_log(log, folder).values())
    ['activities.csv', 'activity_details.csv', 'members.csv']
    >>> len(cop.read_activities(folder / "activities.csv", emit_warnings=False)) == len(log)
    True
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    rows = log.data.copy()
    rows["weight"] = rows["weight"].map(lambda w: f"{w:g}")
    write_csv(rows, directory / LOG_FILES["activities"])
    written["activities"] = directory / LOG_FILES["activities"]
    if log.members_table is not None:
        write_csv(log.members_table, directory / LOG_FILES["members"])
        written["members"] = directory / LOG_FILES["members"]
    if log.activities_table is not None:
        write_csv(log.activities_table, directory / LOG_FILES["details"])
        written["details"] = directory / LOG_FILES["details"]
    return written
