"""Shared pieces of the CLI: options, loading with one-line errors, console output.

Every command turns a :class:`~cop.exceptions.CopError` into one red line and a
hint on standard error and exit code 1; ``--debug`` shows the traceback instead.

Examples
--------
>>> from cop.cli.common import split_map
>>> split_map(["member_id=Email"])
{'member_id': 'Email'}
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from cop._atomic import check_folder
from cop.exceptions import ConfigError, CopError, DataWarning
from cop.io import read_activities
from cop.log import ActivityLog
from cop.tables import parse_mapping

__all__ = [
    "console",
    "err_console",
    "user_errors",
    "load_log",
    "split_map",
    "ActivitiesArg",
    "MembersOpt",
    "ActivitiesOpt",
    "MapOpt",
    "MemberMapOpt",
    "TzOpt",
    "DebugOpt",
    "PseudonymizeOpt",
    "SaltOpt",
    "MkdirOpt",
    "check_outputs",
    "note_default_salt",
]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

ActivitiesArg = Annotated[
    Path,
    typer.Argument(help="Participation log: CSV, TSV, Parquet or JSON Lines (or a source,target,timestamp edge list), "
                   "or a folder written by cop simulate (activities.csv with its members and details).",
                   show_default=False),
]
MembersOpt = Annotated[
    Optional[Path], typer.Option("--members", "-m", help="Members table (member_id, organization, role, joined, left, ...).")
]
ActivitiesOpt = Annotated[
    Optional[Path], typer.Option("--activities", "-a", help="Activities table (activity_id, type, topic, external, organizer).")
]
MapOpt = Annotated[
    Optional[list[str]],
    typer.Option("--map", help="Map a cop column to your header, e.g. --map member_id=Email (repeatable)."),
]
MemberMapOpt = Annotated[
    Optional[list[str]],
    typer.Option("--member-map", help="Same as --map, for the members table (repeatable)."),
]
TzOpt = Annotated[str, typer.Option("--tz", help="Time zone of timestamps given without one (IANA name).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")]
PseudonymizeOpt = Annotated[
    bool,
    typer.Option("--pseudonymize", help="Replace member ids and names with stable pseudonyms (p-…) in every output."),
]
SaltOpt = Annotated[
    Optional[str],
    typer.Option("--salt", help="Secret key of the pseudonyms (default: $COP_SALT, else a public constant).", show_default=False),
]

MkdirOpt = Annotated[
    bool, typer.Option("--mkdir", help="Create the output's missing folders (otherwise a missing folder is an error).")
]


def split_map(items: list[str] | None) -> dict[str, str]:
    """Parse repeated ``--map COLUMN=HEADER`` options."""
    return parse_mapping(items)


@contextlib.contextmanager
def user_errors(debug: bool = False) -> Iterator[None]:
    """Turn cop errors into one clear line plus a hint, and exit code 1."""
    try:
        yield
    except CopError as exc:
        if debug:
            raise
        err_console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        if exc.hint:
            err_console.print(f"[dim]hint: {exc.hint}[/]", soft_wrap=True)
        raise typer.Exit(code=1) from None
    except OSError as exc:
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(f"[bold red]error:[/] {where}{exc.strerror or exc}", soft_wrap=True)
        raise typer.Exit(code=1) from None


def note_default_salt(pseudonymize: bool, salt: str | None) -> None:
    """Print the public-default-salt warning (:func:`cop.privacy.default_salt_note`) when it applies."""
    if not pseudonymize:
        return
    from cop.privacy import default_salt_note

    note = default_salt_note(salt)
    if note:
        err_console.print(f"[yellow]warning:[/] {note}", soft_wrap=True)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:  # pragma: no cover - unreadable paths
        pass
    return a.resolve() == b.resolve()


def check_outputs(outputs: dict[str, Path | None], inputs: list[Path | None], *, mkdir: bool = False) -> None:
    """Refuse an output that is one of the inputs; check (with ``mkdir``, create) each output's folder.

    ``outputs`` maps option names (``"--output"``) to paths.  An input folder
    (a log written by ``cop simulate``) stands for the files read from it.

    Raises
    ------
    ConfigError
        Naming the option, the output and the input it would overwrite, or the missing folder.
    """
    from cop.io import LOG_FILES

    files: list[Path] = []
    for inp in inputs:
        if inp is None:
            continue
        files.extend([inp / name for name in LOG_FILES.values()] if inp.is_dir() else [inp])
    for option, out in outputs.items():
        if out is None:
            continue
        for inp in files:
            if _same_file(out, inp):
                raise ConfigError(
                    f"option '{option}': {str(out)!r} is the input file {str(inp)!r}; writing it would overwrite the input",
                    hint="choose another output file name",
                )
        check_folder(out, mkdir=mkdir, option=f"option '{option}'")


def load_log(
    activities: Path,
    members: Path | None = None,
    details: Path | None = None,
    mapping: list[str] | None = None,
    member_mapping: list[str] | None = None,
    tz: str = "UTC",
    pseudonymize: bool = False,
    salt: str | None = None,
) -> ActivityLog:
    """Load files for a command; notes are kept on the log (``log.warnings``) rather than printed twice.

    With ``pseudonymize=True`` the log's member ids and names are replaced by
    stable pseudonyms (:func:`cop.privacy.pseudonymize` with ``salt``) right
    after loading, so every output of the command is pseudonymous.
    """
    log = _load(activities, members, details, mapping, member_mapping, tz)
    if pseudonymize:
        from cop.privacy import pseudonymize as _pseudonymize

        note_default_salt(pseudonymize, salt)
        log = _pseudonymize(log, salt)
    return log


def _load(
    activities: Path,
    members: Path | None,
    details: Path | None,
    mapping: list[str] | None,
    member_mapping: list[str] | None,
    tz: str,
) -> ActivityLog:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        size = os.path.getsize(activities) if os.path.isfile(activities) else 0
        status = err_console.status(f"Loading {activities.name} ({size / 1e6:.0f} MB)…") if size > 20e6 else contextlib.nullcontext()
        with status:
            log = read_activities(
                activities, members, details, mapping=split_map(mapping), member_mapping=split_map(member_mapping), tz=tz,
            )
    # notes issued as warnings while loading (e.g. by the timestamp parser) join the log's own, once each
    for w in caught:
        note = str(w.message)
        if not issubclass(w.category, DataWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        elif note not in log.warnings:
            log.warnings.append(note)
    return log


def print_warnings(log: ActivityLog) -> None:
    """Print the log's notes as yellow warning lines on standard error."""
    for note in log.warnings:
        err_console.print(f"[yellow]warning:[/] {note}", soft_wrap=True)
