"""Say *where* in the user's input a problem is: file, column, rows.

Row numbers are those a person sees: in CSV files the line of the file where
the row starts (the header is row 1, so without blank lines the first data row
is row 2, as in a spreadsheet); in JSON Lines the line number; in Parquet
files and DataFrames the 1-based position.  Blank lines, which readers skip,
still count: a reader that skipped some gives its :class:`Source` the physical
line of every data row (``lines``), computed only when a message needs it.

Examples
--------
>>> from cop._locate import Source
>>> src = Source("members.csv", "csv")
>>> src.rows([0, 4])
'rows 2, 6'
>>> Source.frame().rows([3])
'row 4'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

__all__ = ["Source", "MAX_ROWS_SHOWN"]

#: How many offending rows a message lists before saying "and N more".
MAX_ROWS_SHOWN = 5

_OFFSET = {"csv": 2, "spreadsheet": 2, "jsonl": 1, "parquet": 1, "frame": 1}


@dataclass(frozen=True)
class Source:
    """Where a table came from: its display name and format."""

    name: str
    format: str = "frame"
    #: For rows derived from another table (an edge list expands to two rows per
    #: message): the position in the original table of every derived row.
    origin: np.ndarray | None = field(default=None, compare=False, repr=False)
    #: ``lines() -> array``: the 1-based physical line of every data row of the file,
    #: for readers that skip blank lines or allow values spanning lines (called, once,
    #: only when a message names rows; ``None`` from it means no line was skipped).
    lines: Callable[[], np.ndarray] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.lines is not None and not hasattr(self.lines, "cache_info"):
            object.__setattr__(self, "lines", cache(self.lines))

    @classmethod
    def frame(cls, name: str = "<DataFrame>") -> Source:
        """A source for an in-memory DataFrame."""
        return cls(name, "frame")

    @classmethod
    def file(cls, path: str | os.PathLike[str], fmt: str, lines: Callable[[], np.ndarray] | None = None) -> Source:
        """A source for a file of the given format (``lines`` as in the attribute)."""
        return cls(os.fspath(path), fmt, lines=lines)

    @property
    def row_word(self) -> str:
        """``'line'`` for JSON Lines, ``'row'`` otherwise."""
        return "line" if self.format == "jsonl" else "row"

    def rows(self, positions: Sequence[int] | np.ndarray, total: int | None = None) -> str:
        """Describe 0-based data positions as the row numbers a person sees.

        Parameters
        ----------
        positions : sequence of int
            0-based positions of offending data rows (sorted or not).
        total : int, optional
            How many rows offend in all, if more than ``positions`` holds.
        """
        pos = np.sort(np.asarray(positions, dtype=np.int64))
        if self.origin is not None:
            mapped = np.unique(self.origin[pos])
            total = None if total is None else len(mapped) if total == len(pos) else total
            pos = mapped
        n = int(total if total is not None else len(pos))
        first = pos[:MAX_ROWS_SHOWN]
        at = getattr(self.lines, "at", None)  # a reader that can find the lines of a few rows alone
        lines = None if at is not None or self.lines is None else self.lines()
        if at is not None:
            shown = [str(int(p)) for p in at(first)]
        elif lines is not None:
            shown = [str(int(p)) for p in np.asarray(lines)[first]]
        else:
            shown = [str(int(p) + _OFFSET.get(self.format, 1)) for p in first]
        word = self.row_word + ("s" if n > 1 else "")
        text = f"{word} {', '.join(shown)}"
        if n > len(shown):
            text += f" and {n - len(shown)} more"
        return text

    def where(self, column: str | None = None) -> str:
        """``'file.csv'`` or ``"file.csv, column 'x'"``."""
        return self.name if column is None else f"{self.name}, column '{column}'"
