"""Helpers of the reader tests: fixture paths, a git repository built from the fast-import fixture, file hashes."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def make_git_repo(where: Path, stream: Path = FIXTURES / "git_history.fi") -> Path:
    """A work tree at ``where`` holding the commits of a ``git fast-import`` stream (branch ``main`` checked out)."""
    where.mkdir(parents=True, exist_ok=True)
    run = lambda *a, **k: subprocess.run(["git", "-C", str(where), *a], check=True, capture_output=True, **k)  # noqa: E731
    run("init", "-q")
    with open(stream, "rb") as fh:
        run("fast-import", "--quiet", "--done", stdin=fh)
    run("symbolic-ref", "HEAD", "refs/heads/main")
    run("checkout", "-q", "-f", "main")
    return where


def tree_hash(path: Path) -> str:
    """SHA-256 over every file under ``path`` (or of the file), names included."""
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        h.update(str(f.relative_to(path) if path.is_dir() else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def copy_fixture(name: str, tmp: Path) -> Path:
    """A copy of a fixture under ``tmp`` (for tests that alter the input)."""
    src = FIXTURES / name
    dst = tmp / name
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        shutil.copy(src, dst)
    return dst
