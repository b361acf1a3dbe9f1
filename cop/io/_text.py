"""Helpers shared by the text readers (CSV, JSON Lines): opening plain or gzipped files."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import IO, Any

__all__ = ["is_gzip", "open_binary", "open_text", "read_head"]


def is_gzip(path: Path) -> bool:
    """Whether the file's name ends in ``.gz``."""
    return path.name.lower().endswith(".gz")


def open_binary(path: Path) -> IO[bytes]:
    """The file's (decompressed) bytes."""
    return gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")


def open_text(path: Path, **kwargs: Any) -> IO[str]:
    """The file as UTF-8 text (a byte-order mark is skipped)."""
    if is_gzip(path):
        return gzip.open(path, "rt", encoding="utf-8-sig", **kwargs)
    return open(path, encoding="utf-8-sig", **kwargs)


def read_head(path: Path, nbytes: int = 65536) -> bytes:
    """The first ``nbytes`` (decompressed) bytes of the file."""
    with open_binary(path) as fh:
        return fh.read(nbytes)
