"""Shared pieces of the CLI: options, loading with one-line errors, console output.

Every command turns a :class:`~cop.exceptions.CopError` into one red line and a
hint on standard error and exit code 1; ``--debug`` shows the traceback instead.

The options of the input data (the activities path, ``--members``,
``--activities``, ``--map``, ``--member-map``, ``--tz``,
``--split-activities``, ``--date-format``, ``--dayfirst``, ``--monthfirst``, ``--encoding``, ``--set``, ``--ignore``,
``--preset``, ``--add``, ``--identities``, ``--sheet``, ``--reader-option``) are declared once, in
:class:`InputOptions`; a command that reads data takes one ``inputs:
InputOptions`` parameter and is decorated with :func:`input_options`, which
puts the shared typer options in its place.

Examples
--------
>>> from cop.cli.common import split_map
>>> split_map(["member_id=Email"])
{'member_id': 'Email'}
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import os
import typing
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from cop._atomic import check_folder
from cop.exceptions import ConfigError, CopError, CopWarning, DataWarning
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES
from cop.io import read_activities
from cop.log import ActivityLog
from cop.occurrences import SPLIT_UNITS
from cop.tables import parse_mapping

__all__ = [
    "console",
    "err_console",
    "user_errors",
    "load_log",
    "split_map",
    "InputOptions",
    "input_options",
    "ActivitiesArg",
    "MembersOpt",
    "ActivitiesOpt",
    "MapOpt",
    "MemberMapOpt",
    "TzOpt",
    "SplitActivitiesOpt",
    "DateFormatOpt",
    "DayFirstOpt",
    "MonthFirstOpt",
    "EncodingOpt",
    "SetOpt",
    "IgnoreOpt",
    "PresetOpt",
    "AddOpt",
    "IdentitiesOpt",
    "SheetOpt",
    "ReaderOptionOpt",
    "DebugOpt",
    "PseudonymizeOpt",
    "SaltOpt",
    "MkdirOpt",
    "check_outputs",
    "note_default_salt",
    "MaxGroupSizeOpt",
    "MaxTiesOpt",
    "SettingsOpt",
    "AnalysisOptions",
    "analysis_options",
    "ANALYSIS_FIELDS",
    "AsOfOpt",
    "LookbackOpt",
    "FreqOpt",
    "MethodOpt",
    "NamingOpt",
    "MinTieOpt",
    "PresenceWeightOpt",
    "usage_error",
    "ByOpt",
    "SpacesOpt",
    "BY_CHOICES",
]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

ActivitiesArg = Annotated[
    Path,
    typer.Argument(help="Participation log: CSV/TSV, Parquet, JSON Lines, a spreadsheet (.xlsx/.xls/.ods), "
                   "a Slack export (ZIP or folder), DiscordChatExporter JSON, an mbox archive, an iCalendar .ics, "
                   "a git repository folder, GitHub issue/PR JSON, GrimoireLab Perceval JSON Lines, "
                   "or a folder written by cop simulate; any table may be an event tool's or coworking system's "
                   "export read with --preset.",
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
DateFormatOpt = Annotated[
    Optional[str],
    typer.Option("--date-format", metavar="FORMAT", show_default=False,
                 help="strptime format of your timestamps, e.g. '%d.%m.%Y %H:%M' or '%m/%d/%y %I:%M %p' "
                      "(tried before cop's own rules; with %z the values are instants)."),
]
DayFirstOpt = Annotated[
    bool, typer.Option("--dayfirst", help="Dates such as 05.03.2024 have the day first (5 March).")
]
MonthFirstOpt = Annotated[
    bool, typer.Option("--monthfirst", help="Dates such as 03/14/2024 have the month first (14 March).")
]
EncodingOpt = Annotated[
    Optional[str],
    typer.Option("--encoding", metavar="CODEC", show_default=False,
                 help="Text encoding of CSV/TSV inputs, e.g. cp1252 (Excel on Windows) or latin-1 "
                      "(default UTF-8; UTF-16/32 with a byte-order mark are recognised)."),
]
SetOpt = Annotated[
    Optional[list[str]],
    typer.Option("--set", metavar="COLUMN=VALUE", show_default=False,
                 help="Give every row a constant, e.g. --set kind=presence (repeatable)."),
]
IgnoreOpt = Annotated[
    Optional[list[str]],
    typer.Option("--ignore", metavar="HEADER", show_default=False,
                 help="Leave out a column of the log, e.g. a Slack 'channel' that is not cop's public/private "
                      "channel (repeatable)."),
]
SplitActivitiesOpt = Annotated[
    Optional[str],
    typer.Option("--split-activities", metavar="day|week", show_default=False,
                 help="One activity per occurrence: the activity id plus the row's day (id 2024-03-07) or ISO week "
                      "(id 2024-W10), for exports whose id names a recurring event."),
]
PresetOpt = Annotated[
    Optional[str],
    typer.Option("--preset", metavar="NAME|FILE.toml", show_default=False,
                 help="Read the log as a tool's export: a preset shipped with cop (see 'cop presets', e.g. "
                      "meetup-attendees, nexudus-checkins) or your own preset TOML file."),
]
AddOpt = Annotated[
    Optional[list[str]],
    typer.Option("--add", metavar="FILE[:PRESET][@space=NAME]", show_default=False,
                 help="Load another activities file into the same log, optionally read with a preset, e.g. "
                      "--add events.csv:luma-guests (repeatable; each row keeps its source); @space=NAME at the end "
                      "says that every row of that file happened in space NAME (--add bergen.csv:nexudus-checkins@space=bergen)."),
]
IdentitiesOpt = Annotated[
    Optional[Path],
    typer.Option("--identities", show_default=False,
                 help="Identities table (source, handle, member_id): which account in which source is which member."),
]
ReaderOptionOpt = Annotated[
    Optional[list[str]],
    typer.Option("--reader-option", metavar="KEY=VALUE", show_default=False,
                 help="An option of the log's reader, e.g. group=week (git: commits grouped by area and week), "
                      "identities=true (Slack: names and e-mails) (repeatable; see the reader's documentation)."),
]
SheetOpt = Annotated[
    Optional[str],
    typer.Option("--sheet", show_default=False, help="Sheet of a spreadsheet log, by name or 0-based position (default the first)."),
]
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
MaxGroupSizeOpt = Annotated[
    int,
    typer.Option("--max-group-size", min=2, help="Activities with more participants count in every statistic but add "
                 "no ties (a pair's weight there would be below 1/1000)."),
]
MaxTiesOpt = Annotated[
    int, typer.Option("--max-ties", min=1, help="Largest member graph built, in ties (about 30 bytes each at peak); a larger one stops.")
]
SettingsOpt = Annotated[
    Optional[str],
    typer.Option("--settings", metavar="FILE", show_default=False,
                 help="Your own reference ranges for some indicators (a TOML file, or a bundled example: "
                      "online-network, school, open-source; see docs/settings.md)."),
]
#: What ``--by`` can split a log by (a column of the log).
BY_CHOICES: tuple[str, ...] = ("space",)
ByOpt = Annotated[
    Optional[str],
    typer.Option("--by", metavar="space", show_default=False,
                 help="Diagnose each space of a network (the log's 'space' column) and the network between them."),
]
SpaceWorkersOpt = Annotated[
    Optional[int],
    typer.Option("--workers", "-w", min=1, show_default=False,
                 help="With --by space: processes diagnosing the spaces (default: CPU count; one for logs under "
                      "100,000 rows, or where processes cannot be forked). The result is the same."),
]
SpacesOpt = Annotated[
    Optional[Path],
    typer.Option("--spaces", show_default=False,
                 help="Spaces table of a network (space_id, name, city, seats, managers, opened); with --by space."),
]


def split_map(items: list[str] | None, option: str = "--map") -> dict[str, str]:
    """Parse repeated ``--map COLUMN=HEADER`` options (errors name the ``option``).

    Examples
    --------
    >>> split_map(["member_id"], "--member-map")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: option '--member-map': 'member_id' is not of the form COLUMN=HEADER (e.g. member_id=Email)
    """
    try:
        return parse_mapping(items)
    except ConfigError as exc:
        raise ConfigError(f"option '{option}': {str(exc).removeprefix('mapping: ')}", hint=exc.hint) from None


@contextlib.contextmanager
def user_errors(debug: bool = False) -> Iterator[None]:
    """Turn cop errors into one clear line plus a hint, and exit code 1; cop warnings into yellow lines."""
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning_printer(warnings.showwarning)
            yield
    except CopError as exc:
        if debug:
            raise
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        if exc.hint and " ".join(exc.hint.split()) not in " ".join(str(exc).split()):  # each message once
            err_console.print(f"[dim]hint: {escape(exc.hint)}[/]", soft_wrap=True)
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


def _warning_printer(previous):
    """A ``warnings.showwarning`` that prints cop's warnings as ``warning: ...`` lines (others go to ``previous``)."""

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        if issubclass(category, CopWarning):
            err_console.print(f"[yellow]warning:[/] {message}", soft_wrap=True)
        else:
            previous(message, category, filename, lineno, file, line)

    return show


def load_log(
    activities: Path,
    members: Path | None = None,
    details: Path | None = None,
    mapping: list[str] | None = None,
    member_mapping: list[str] | None = None,
    tz: str = "UTC",
    pseudonymize: bool = False,
    salt: str | None = None,
    split_activities: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    set_columns: list[str] | None = None,
    ignore: list[str] | None = None,
    preset: str | None = None,
    add: list[str] | None = None,
    identities: Path | None = None,
    sheet: str | None = None,
    reader_option: list[str] | None = None,
) -> ActivityLog:
    """Load files for a command; notes are kept on the log (``log.warnings``) rather than printed twice.

    With ``pseudonymize=True`` the log's member ids and names are replaced by
    stable pseudonyms (:func:`cop.privacy.pseudonymize` with ``salt``) right
    after loading, so every output of the command is pseudonymous.
    """
    if split_activities is not None and split_activities not in SPLIT_UNITS:
        raise ConfigError(f"option '--split-activities': expected one of {', '.join(SPLIT_UNITS)}, got {split_activities!r}",
                          hint="--split-activities day makes one activity per id and day")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        size = os.path.getsize(activities) if os.path.isfile(activities) else 0
        status = err_console.status(f"Loading {activities.name} ({size / 1e6:.0f} MB)…") if size > 20e6 else contextlib.nullcontext()
        keywords = dict(mapping=split_map(mapping), member_mapping=split_map(member_mapping, "--member-map"), tz=tz,
                        split_activities=split_activities, date_format=date_format, dayfirst=dayfirst,
                        encoding=encoding, set_columns=split_map(set_columns, "--set"), ignore=tuple(ignore or ()),
                        reader_options=_reader_options(reader_option, sheet), identities=identities)
        with status:
            if add:
                from cop.io import parse_add, read_activities_many

                log = read_activities_many([(activities, preset), *[parse_add(a) for a in add]], members, details,
                                           **keywords)
            else:
                log = read_activities(activities, members, details, preset=preset, **keywords)
    # notes issued as warnings while loading (e.g. by the timestamp parser) join the log's own, once each
    for w in caught:
        note = str(w.message)
        if not issubclass(w.category, DataWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        elif note not in log.warnings:
            log.warnings.append(note)
    if pseudonymize:
        from cop.privacy import pseudonymize as _pseudonymize

        note_default_salt(pseudonymize, salt)
        log = _pseudonymize(log, salt)
    return log


def _reader_options(items: list[str] | None, sheet: str | None) -> dict[str, object] | None:
    """``--reader-option KEY=VALUE`` (true/false as booleans) and ``--sheet`` as the reader's options.

    >>> _reader_options(["group=week", "hash_ids=true"], None)
    {'group': 'week', 'hash_ids': True}
    """
    options: dict[str, object] = {}
    for key, value in split_map(items, "--reader-option").items():
        low = value.lower()
        options[key] = True if low in ("true", "yes") else False if low in ("false", "no") else value
    if sheet is not None:
        options["sheet"] = sheet
    return options or None


def print_warnings(log: ActivityLog) -> None:
    """Print the log's notes as yellow warning lines on standard error."""
    for note in log.warnings:
        err_console.print(f"[yellow]warning:[/] {note}", soft_wrap=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class InputOptions:
    """The input data of a command, as given by the shared options (see :func:`input_options`).

    Examples
    --------
    >>> from cop.datasets import example_paths
    >>> p = example_paths()
    >>> InputOptions(activities=p["activities"], members=p["members"]).load().has_members_table
    True
    """

    activities: Path
    members: Path | None = None
    details: Path | None = None
    map: tuple[str, ...] = ()
    member_map: tuple[str, ...] = ()
    tz: str = "UTC"
    split_activities: str | None = None
    date_format: str | None = None
    dayfirst: bool | None = None
    encoding: str | None = None
    set: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    preset: str | None = None
    add: tuple[str, ...] = ()
    identities: Path | None = None
    sheet: str | None = None
    reader_option: tuple[str, ...] = ()

    @property
    def paths(self) -> list[Path | None]:
        """The input paths (the activities path, the members and activities tables, added files, the identities table)."""
        from cop.io import parse_add

        return [self.activities, self.members, self.details, *[parse_add(a)[0] for a in self.add], self.identities]

    def load(self, *, pseudonymize: bool = False, salt: str | None = None) -> ActivityLog:
        """Load the data (see :func:`load_log`)."""
        return load_log(self.activities, self.members, self.details, list(self.map), list(self.member_map), self.tz,
                        pseudonymize=pseudonymize, salt=salt, split_activities=self.split_activities,
                        date_format=self.date_format, dayfirst=self.dayfirst, encoding=self.encoding,
                        set_columns=list(self.set), ignore=list(self.ignore), preset=self.preset, add=list(self.add),
                        identities=self.identities, sheet=self.sheet, reader_option=list(self.reader_option))


#: The typer parameters that make an :class:`InputOptions` (name, annotation, default).
_INPUT_PARAMETERS = (
    ("activities", ActivitiesArg, inspect.Parameter.empty),
    ("members", MembersOpt, None),
    ("details", ActivitiesOpt, None),
    ("map", MapOpt, None),
    ("member_map", MemberMapOpt, None),
    ("tz", TzOpt, "UTC"),
    ("split_activities", SplitActivitiesOpt, None),
    ("date_format", DateFormatOpt, None),
    ("dayfirst", DayFirstOpt, False),
    ("monthfirst", MonthFirstOpt, False),
    ("encoding", EncodingOpt, None),
    ("set", SetOpt, None),
    ("ignore", IgnoreOpt, None),
    ("preset", PresetOpt, None),
    ("add", AddOpt, None),
    ("identities", IdentitiesOpt, None),
    ("sheet", SheetOpt, None),
    ("reader_option", ReaderOptionOpt, None),
)


def _day_order(dayfirst: bool, monthfirst: bool) -> bool | None:
    """``--dayfirst`` / ``--monthfirst`` as the ``dayfirst`` parameter (``None``: neither given)."""
    if dayfirst and monthfirst:  # before the command's own error handling: print the one line here
        err_console.print("[bold red]error:[/] options '--dayfirst' and '--monthfirst': give one of them, not both", soft_wrap=True)
        raise typer.Exit(code=1)
    return True if dayfirst else (False if monthfirst else None)


def input_options(command: Callable[..., object]) -> Callable[..., object]:
    """Give a command the shared input options in place of its ``inputs: InputOptions`` parameter.

    Typer reads the wrapper's signature, so the command's help lists the
    activities argument and ``--members``, ``--activities``, ``--map``,
    ``--member-map``, ``--tz`` where ``inputs`` stood; the command receives
    them as one :class:`InputOptions`.

    Examples
    --------
    >>> @input_options
    ... def show(inputs: InputOptions, debug: bool = False) -> None:
    ...     print(inputs.tz)
    >>> list(inspect.signature(show).parameters)
    ['activities', 'members', 'details', 'map', 'member_map', 'tz', 'split_activities', 'date_format', 'dayfirst', 'monthfirst', 'encoding', 'set', 'ignore', 'preset', 'add', 'identities', 'sheet', 'reader_option', 'debug']
    >>> show(activities=Path("log.csv"), tz="Europe/Oslo")
    Europe/Oslo
    """
    try:
        hints = typing.get_type_hints(command, localns={"InputOptions": InputOptions}, include_extras=True)
    except NameError:  # a command defined in a function, annotated with names of that function
        hints = {}
    signature = inspect.signature(command)
    if "inputs" not in signature.parameters:
        raise TypeError(f"{command.__name__}: expected an 'inputs: InputOptions' parameter")
    params = []
    for p in signature.parameters.values():
        if p.name == "inputs":
            params += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a, default=d)
                       for n, a, d in _INPUT_PARAMETERS]
        else:
            params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(p.name, p.annotation)))
    names = [n for n, _, _ in _INPUT_PARAMETERS]

    @functools.wraps(command)
    def wrapper(**kwargs: object) -> object:
        given = {n: kwargs.pop(n, None) for n in names}
        inputs = InputOptions(
            activities=given["activities"], members=given["members"], details=given["details"],
            map=tuple(given["map"] or ()), member_map=tuple(given["member_map"] or ()), tz=given["tz"] or "UTC",
            split_activities=given["split_activities"], date_format=given["date_format"], dayfirst=_day_order(bool(given["dayfirst"]), bool(given["monthfirst"])),
            encoding=given["encoding"], set=tuple(given["set"] or ()), ignore=tuple(given["ignore"] or ()),
            preset=given["preset"], add=tuple(given["add"] or ()), identities=given["identities"], sheet=given["sheet"],
            reader_option=tuple(given["reader_option"] or ()),
        )
        return command(inputs=inputs, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # typer must see the new signature, not the command's
    return wrapper


# --- the analysis options, shared by ``diagnose``, ``report`` and ``graph`` -------------------------------

AsOfOpt = Annotated[
    Optional[str],
    typer.Option("--as-of", help="End of the window (exclusive); default the day after the last activity.", show_default=False),
]
LookbackOpt = Annotated[Optional[int], typer.Option(
    "--lookback", min=1, show_default=False,
    help="Days in the current window; default from the community's own timescale (three return times, 90-360 days).")]
FreqOpt = Annotated[str, typer.Option("--freq", help="Period of the timeline (pandas offset: MS monthly, QS quarterly, W-MON weekly).")]
MethodOpt = Annotated[str, typer.Option("--method", help="Level classification method.")]
NamingOpt = Annotated[str, typer.Option("--naming", help="Phase names: Wenger 1998 or Wenger et al. 2002.")]
MinTieOpt = Annotated[
    float, typer.Option("--min-tie", min=0, help="Smallest accumulated weight that counts as a tie (0.25: one 1:1 interaction).")
]
PresenceWeightOpt = Annotated[
    float, typer.Option("--presence-weight", min=0, help="Weight of a shared presence day in the tie graph (0: co-presence is no tie).")
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class AnalysisOptions:
    """The analysis settings of a command, as given by the shared options (see :func:`analysis_options`).

    The defaults are those of :func:`cop.diagnose`; :meth:`diagnose_kwargs`
    passes them on.

    Examples
    --------
    >>> AnalysisOptions(lookback=30).diagnose_kwargs()["lookback"]
    30
    """

    as_of: str | None = None
    lookback: int | None = None
    freq: str = "MS"
    method: str = "combined"
    naming: str = "1998"
    min_tie: float = 0.25
    presence_weight: float = 0.0

    def diagnose_kwargs(self) -> dict[str, object]:
        """Keyword arguments of :func:`cop.diagnose`."""
        return dataclasses.asdict(self)


def _analysis_parameters() -> dict[str, tuple[object, object]]:
    """The typer parameters that make an :class:`AnalysisOptions`: name -> (annotation, default)."""
    from enum import Enum

    from cop.lifecycle import NAMINGS
    from cop.participation.classifier import METHODS

    method = Enum("Method", {m: m for m in METHODS}, type=str)
    naming = Enum("Naming", {f"wenger{n}": n for n in NAMINGS}, type=str)
    return {
        "as_of": (AsOfOpt, None),
        "lookback": (LookbackOpt, None),
        "freq": (FreqOpt, "MS"),
        "method": (Annotated[method, typing.get_args(MethodOpt)[1]], method("combined")),
        "naming": (Annotated[naming, typing.get_args(NamingOpt)[1]], naming("1998")),
        "min_tie": (MinTieOpt, 0.25),
        "presence_weight": (PresenceWeightOpt, 0.0),
    }


ANALYSIS_FIELDS = tuple(f.name for f in dataclasses.fields(AnalysisOptions))


def analysis_options(*names: str, **defaults: object) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Give a command the shared analysis options ``names`` (default all) in place of its ``analysis: AnalysisOptions``.

    ``defaults`` changes a default for this command (``lookback=None``: the
    whole log); options not exposed keep the defaults of :class:`AnalysisOptions`.

    Examples
    --------
    >>> @analysis_options("lookback", lookback=None)
    ... def show(analysis: AnalysisOptions, debug: bool = False) -> None:
    ...     print(analysis.lookback)
    >>> list(inspect.signature(show).parameters)
    ['lookback', 'debug']
    >>> show(lookback=None), show(lookback=7)
    None
    7
    (None, None)
    """
    chosen = names or ANALYSIS_FIELDS
    unknown = set(chosen) - set(ANALYSIS_FIELDS)
    if unknown:
        raise TypeError(f"analysis_options: unknown option(s) {sorted(unknown)}")

    def decorate(command: Callable[..., object]) -> Callable[..., object]:
        table = _analysis_parameters()
        try:
            hints = typing.get_type_hints(command, include_extras=True,
                                          localns={"AnalysisOptions": AnalysisOptions, "InputOptions": InputOptions})
        except NameError:  # pragma: no cover - a command annotated with names local to a function
            hints = {}
        signature = inspect.signature(command)
        if "analysis" not in signature.parameters:
            raise TypeError(f"{command.__name__}: expected an 'analysis: AnalysisOptions' parameter")
        params = []
        for p in signature.parameters.values():
            if p.name == "analysis":
                for n in chosen:
                    annotation, default = table[n]
                    params.append(inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                                                    default=defaults.get(n, default)))
            else:
                params.append(p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(p.name, p.annotation)))

        @functools.wraps(command)
        def wrapper(**kwargs: object) -> object:
            given = {n: kwargs.pop(n) for n in chosen if n in kwargs}
            given = {n: getattr(v, "value", v) for n, v in given.items()}  # enum choices to their strings
            return command(analysis=AnalysisOptions(**given), **kwargs)

        wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        del wrapper.__wrapped__
        return wrapper

    return decorate


def usage_error(exc: Exception) -> int:
    """Print a command-line usage error (click's ``UsageError``) as one ``error:`` line and a hint to ``--help``; return 1.

    Examples
    --------
    >>> class Ctx:
    ...     command_path = "cop diagnose"
    >>> class Bad(Exception):
    ...     ctx = Ctx()
    ...     def format_message(self):
    ...         return "No such option: --bogus"
    >>> usage_error(Bad())
    1
    """
    message = " ".join(exc.format_message().replace("Value error, ", "").split())
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    if exc.ctx is not None:
        err_console.print(f"[dim]hint: see {escape(repr(exc.ctx.command_path + ' --help'))}[/]", soft_wrap=True)
    return 1
