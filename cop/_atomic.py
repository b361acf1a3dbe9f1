"""Atomic file output: write to a temporary file beside the target, then rename.

A reader never sees a half-written file, and an interrupted run (even
``kill -9``) leaves the previous file (if any) untouched.  The rules:

- The temporary file is ``.<target name>.<pid>.<random>.tmp`` in the target's
  folder.  A write first removes the temporaries *of the same target* left by
  processes that no longer exist (a killed run), and no other file.
- The target's folder must exist: nothing is created silently (a typo in a
  folder name would otherwise build a tree); ``mkdir=True`` creates it.
- A symbolic link at the target is replaced by the new file (its old target
  is left as it was), as ``os.replace`` does.
- Errors name the target, not the temporary file.

Examples
--------
>>> import tempfile, pathlib
>>> from cop._atomic import atomic_path
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_path(target) as tmp:
...     _ = tmp.write_text("hello")
>>> target.read_text()
'hello'
>>> from cop._atomic import _current_umask
>>> target.stat().st_mode & 0o777 == 0o666 & ~_current_umask()   # not mkstemp's private 0600
True
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cop.exceptions import ConfigError

__all__ = ["atomic_path", "atomic_write_text", "check_folder", "stale_temporaries"]


def _current_umask() -> int:
    """The process umask (read by setting and restoring it)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (one we may not signal counts as alive)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def stale_temporaries(target: str | os.PathLike[str]) -> list[Path]:
    """Temporary files of ``target`` left by processes that no longer exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".out.csv.999999999.abc123.tmp").write_text("half")   # no such process
    >>> _ = (folder / ".other.csv.999999999.abc123.tmp").write_text("x")    # another target's
    >>> [p.name for p in stale_temporaries(folder / "out.csv")]
    ['.out.csv.999999999.abc123.tmp']
    """
    target = Path(target)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[A-Za-z0-9_]+\.tmp")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    stale = []
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m and entry.is_file(follow_symlinks=False) and not _alive(int(m.group(1))):
            stale.append(Path(entry.path))
    return stale


def check_folder(target: str | os.PathLike[str], *, mkdir: bool = False, option: str = "output") -> Path:
    """Make sure the folder of ``target`` exists (creating it only with ``mkdir=True``).

    Raises
    ------
    ConfigError
        Naming the missing folder, with a hint to create it or pass ``--mkdir``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_folder(folder / "report.html") == folder / "report.html"
    True
    >>> try:
    ...     check_folder(folder / "missing" / "report.html")
    ... except ConfigError as exc:
    ...     print(str(exc).replace(str(folder), "<tmp>"))
    output '<tmp>/missing/report.html': the folder '<tmp>/missing' does not exist
    """
    target = Path(target)
    parent = target.parent
    if parent.is_dir():
        return target
    if mkdir:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"{option} {str(target)!r}: cannot create the folder {str(parent)!r}: {exc.strerror}") from None
        return target
    if parent.exists():
        raise ConfigError(f"{option} {str(target)!r}: {str(parent)!r} is not a folder")
    raise ConfigError(
        f"{option} {str(target)!r}: the folder {str(parent)!r} does not exist",
        hint="check the path for a typo, create the folder, or pass --mkdir to create it",
    )


def _renamed(exc: OSError, target: Path) -> OSError:
    """The same error, naming the target instead of a temporary file of it."""
    name = os.path.basename(os.fspath(exc.filename)) if exc.filename is not None else None
    if name is None or (name.startswith(f".{target.name}.") and name.endswith(".tmp")):
        return type(exc)(exc.errno or errno.EIO, exc.strerror or str(exc), os.fspath(target))
    return exc


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, mkdir: bool = False) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto the target on success.

    Parameters
    ----------
    target : path-like
        The file to create or replace.
    mkdir : bool, default False
        Create the target's missing folders; otherwise a missing folder is a
        :class:`~cop.exceptions.ConfigError`.

    Yields
    ------
    pathlib.Path
        Where to write.  It is removed if the block raises.

    Raises
    ------
    OSError
        The error of writing or renaming, naming ``target``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    ...     target.exists()  # nothing at the target until the block ends without an error
    False
    >>> target.read_text()
    'done'
    """
    target = Path(target)
    check_folder(target, mkdir=mkdir)
    for stale in stale_temporaries(target):
        with contextlib.suppress(OSError):
            stale.unlink()
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        # mkstemp creates 0600 files; give the output the permissions a plain open() would (0666 less the umask)
        os.chmod(tmp, 0o666 & ~_current_umask())
        yield tmp
        os.replace(tmp, target)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(exc, OSError):
            raise _renamed(exc, target) from None
        raise


def atomic_write_text(target: str | os.PathLike[str], text: str, encoding: str = "utf-8", *, mkdir: bool = False) -> Path:
    """Write ``text`` to ``target`` atomically and return the target path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write_text(pathlib.Path(tempfile.mkdtemp()) / "a.json", "{}")
    >>> p.read_text()
    '{}'
    """
    target = Path(target)
    with atomic_path(target, mkdir=mkdir) as tmp:
        tmp.write_text(text, encoding=encoding)
    return target
