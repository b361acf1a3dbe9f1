"""The folder reader: a log written by :func:`cop.io.write_log` or ``cop simulate``.

The folder holds ``activities.csv`` and, when the log has them, ``members.csv``
and ``activity_details.csv`` (:data:`LOG_FILES`).

Examples
--------
>>> import tempfile, pathlib
>>> from cop.io.folder import read_folder
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "activities.csv").write_text("activity_id,member_id,timestamp\\ne1,a,2024-01-01\\n")
>>> sorted(read_folder(d))
['activities']
"""

from __future__ import annotations

from pathlib import Path

from cop.exceptions import FileFormatError
from cop.io.registry import Reader, register_reader

__all__ = ["LOG_FILES", "read_folder", "READER"]

#: File names of a log written by :func:`~cop.io.write_log` (and by ``cop simulate``).
LOG_FILES = {"activities": "activities.csv", "members": "members.csv", "details": "activity_details.csv"}


def read_folder(path: Path) -> dict[str, Path]:
    """The tables of a folder written by cop: ``{"activities": path, "members": path, "details": path}``.

    ``members`` and ``details`` are there only when their files are.
    """
    folder = Path(path)
    parts = {key: folder / name for key, name in LOG_FILES.items() if (folder / name).exists()}
    if "activities" not in parts:
        raise FileFormatError(f"{folder}: is a folder without {LOG_FILES['activities']}; expected a file or a folder written by cop")
    return parts


READER = register_reader(Reader(name="folder", read=read_folder, matches=Path.is_dir, bundle=True,
                                description="a folder written by cop simulate or write_log"))
