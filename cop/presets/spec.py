"""What a preset is: a declarative description of one tool's export, read from a TOML file.

A preset says how the rows of an export become participations, so that a
manager's file loads as it is: which header feeds which cop column (one header
may feed several), constants (``kind = "presence"``), per-event files whose
event id and date come from an option or the file name, row filters (RSVP
yes, checked in, approved, not cancelled), several members in one cell (the
attendees of a booking), the date format and zone, whether each id is split
into one activity per day, and which headers go to the members table
(organization, plan).  Presets shipped with cop live beside this module
(``cop/presets/*.toml``, listed by ``cop presets``); a user's own TOML file of the
same form works the same way (``--preset my-export.toml``).

The keys of a preset file::

    name = "nexudus-checkins"        # how --preset names it
    title = "Nexudus check-ins"      # one line for cop presets
    source = "https://..."           # where the columns come from (cited)
    per_event = false                # true: one file is one event (see below)
    split = "day"                    # one activity per id and day (or "week")
    separator = ";"                  # cells of member columns may hold several ids
    date_format = "%d/%m/%Y %H:%M"   # optional strptime format
    dayfirst = true                  # optional: 05.03.2024 is 5 March
    tz = "Europe/Oslo"               # optional: zone when the command gives none
    normalize = ["meetup-user"]      # optional id normalisers (cop.io.identities)
    sheet = "Check-ins"              # optional: the sheet of a spreadsheet export
    encoding = "cp1252"              # optional: the text encoding of a CSV export
    note = "..."                     # optional: what a user should know (shown by cop presets NAME)

    [columns]                        # cop column = header (member_id may list several headers)
    activity_id = "BusinessName"
    member_id = "CoworkerId"
    timestamp = "FromTime"

    [constants]                      # cop column = value for every row
    kind = "presence"

    [members]                        # members-table column = header
    organization = "TeamsAtTheTimeOfCheckin"
    plan = "TariffAtTheTimeOfCheckin"

    [[keep]]                         # keep only rows whose value is one of these
    column = "RSVP"                  # (compared trimmed, case-insensitively;
    values = ["yes"]                 #  "" stands for an empty cell)

    [[drop]]                         # leave out rows whose value is one of these
    column = "canceled"
    values = ["true"]

With ``per_event = true`` the file has no event id or date: the id is the file
name without its ending (or ``--set activity_id=...``) and the date the first
``YYYY-MM-DD`` in the file name (or ``--set timestamp=...``).

Examples
--------
>>> from cop.presets.spec import load_preset
>>> p = load_preset("nexudus-checkins")
>>> p.columns["member_id"], p.constants["kind"], p.split
(('CoworkerId',), 'presence', 'day')
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from cop.exceptions import ConfigError
from cop.schema import LOG_COLUMNS

__all__ = ["Preset", "RowFilter", "load_preset", "parse_preset", "preset_names", "PRESET_COLUMNS"]

#: The cop columns a preset may fill (the log's, plus ``organization`` for the members table).
PRESET_COLUMNS: tuple[str, ...] = LOG_COLUMNS

_KEYS = {"name", "title", "source", "note", "per_event", "split", "separator", "date_format", "dayfirst", "tz",
         "normalize", "columns", "constants", "members", "keep", "drop", "sheet", "encoding"}


@dataclasses.dataclass(frozen=True, kw_only=True)
class RowFilter:
    """Keep (``keep=True``) or leave out the rows whose ``column`` holds one of ``values``."""

    column: str
    values: tuple[str, ...]
    keep: bool = True

    def describe(self) -> str:
        """``"RSVP is yes"`` / ``"canceled is not true"``."""
        shown = " or ".join(repr(v) if v else "empty" for v in self.values)
        return f"{self.column} is {'' if self.keep else 'not '}{shown}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Preset:
    """One export format, as read from its TOML file (see the module documentation for the keys)."""

    name: str
    title: str
    source: str
    path: str
    note: str = ""
    per_event: bool = False
    split: str | None = None
    separator: str | None = None
    date_format: str | None = None
    dayfirst: bool | None = None
    tz: str | None = None
    sheet: str | int | None = None
    encoding: str | None = None
    normalize: tuple[str, ...] = ()
    columns: Mapping[str, tuple[str, ...] | str] = dataclasses.field(default_factory=dict)
    constants: Mapping[str, str] = dataclasses.field(default_factory=dict)
    members: Mapping[str, str] = dataclasses.field(default_factory=dict)
    filters: tuple[RowFilter, ...] = ()

    @property
    def expected_headers(self) -> list[str]:
        """Every header of the export the preset reads, in the order the file declares them (member columns are optional)."""
        out: list[str] = []
        for value in [*self.columns.values(), *self.members.values(), *(f.column for f in self.filters)]:
            for h in (value if isinstance(value, tuple) else (value,)):
                if h not in out:
                    out.append(h)
        return out


def _fail(where: str, problem: str) -> ConfigError:
    return ConfigError(f"preset {where}: {problem}", hint="see `cop presets` and the documentation of cop.presets.spec")


def _strings(where: str, key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()):
        raise _fail(where, f"[{key}] must be a table of text values (column = \"Header\")")
    return dict(value)


def parse_preset(data: Mapping[str, object], *, path: str) -> Preset:
    """A :class:`Preset` from the parsed TOML ``data`` of the file at ``path`` (one clear error per problem).

    Examples
    --------
    >>> parse_preset({"name": "x", "title": "X", "source": "mine", "columns": {"member_id": "Email"},
    ...               "colour": "red"}, path="x.toml")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: preset x.toml: unknown key(s) 'colour'; expected some of columns, constants, date_format, dayfirst, drop, encoding, keep, members, name, normalize, note, per_event, separator, sheet, source, split, title, tz
    """
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(map(repr, unknown))}; expected some of {', '.join(sorted(_KEYS))}")
    for key in ("name", "title", "source"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(path, f"missing {key!r} (text): every preset has a name, a title and the source of its columns")
    where = f"{data['name']!r} ({path})"
    columns: dict[str, tuple[str, ...] | str] = {}
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict):
        raise _fail(where, "[columns] must be a table (column = \"Header\")")
    for col, header in raw_columns.items():
        if col not in PRESET_COLUMNS:
            raise _fail(where, f"[columns]: {col!r} is not a cop column; expected one of {', '.join(PRESET_COLUMNS)}")
        if col == "member_id" and isinstance(header, list) and header and all(isinstance(h, str) and h for h in header):
            columns[col] = tuple(header)
        elif isinstance(header, str) and header:
            columns[col] = (header,) if col == "member_id" else header
        else:
            raise _fail(where, f"[columns]: {col} must name a header (member_id may name a list of headers)")
    constants = {k: str(v) for k, v in (data.get("constants") or {}).items()} if isinstance(data.get("constants", {}), dict) else None
    if constants is None:
        raise _fail(where, "[constants] must be a table (column = \"value\")")
    bad = [k for k in constants if k not in PRESET_COLUMNS]
    if bad:
        raise _fail(where, f"[constants]: {', '.join(map(repr, bad))} is not a cop column; expected one of {', '.join(PRESET_COLUMNS)}")
    members = _strings(where, "members", data.get("members", {}))
    if "member_id" in members:
        raise _fail(where, "[members]: member_id comes from [columns]; list only the members table's other columns")
    per_event = bool(data.get("per_event", False))
    if "member_id" not in columns:
        raise _fail(where, "[columns] must name the header of member_id")
    for col in ("activity_id", "timestamp"):
        if col not in columns and col not in constants and not per_event:
            raise _fail(where, f"[columns] must name the header of {col} (or set per_event = true for one file per event)")
    filters = []
    for kind in ("keep", "drop"):
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise _fail(where, f"[[{kind}]] must be a list of tables with column and values")
        for item in items:
            if (not isinstance(item, dict) or set(item) != {"column", "values"} or not isinstance(item["column"], str)
                    or not isinstance(item["values"], list) or not item["values"]):
                raise _fail(where, f"each [[{kind}]] has exactly a column (text) and values (a list)")
            filters.append(RowFilter(column=item["column"], values=tuple(str(v).strip().lower() for v in item["values"]),
                                     keep=kind == "keep"))
    split = data.get("split")
    if split not in (None, "day", "week"):
        raise _fail(where, f"split must be \"day\" or \"week\", got {split!r}")
    dayfirst = data.get("dayfirst")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise _fail(where, "dayfirst must be true or false")
    normalize = data.get("normalize", [])
    if not isinstance(normalize, list) or not all(isinstance(n, str) for n in normalize):
        raise _fail(where, "normalize must be a list of normaliser names")
    from cop.io.identities import NORMALIZERS

    unknown_norm = [n for n in normalize if n not in NORMALIZERS]
    if unknown_norm:
        raise _fail(where, f"normalize: unknown {', '.join(map(repr, unknown_norm))}; expected some of {', '.join(NORMALIZERS)}")
    for key in ("separator", "date_format", "tz", "note", "encoding"):
        if key in data and not isinstance(data[key], str):
            raise _fail(where, f"{key} must be text")
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, (str, int)):
        raise _fail(where, "sheet must be a sheet name or a 0-based position")
    return Preset(
        name=str(data["name"]), title=str(data["title"]), source=str(data["source"]), path=path,
        note=str(data.get("note", "")), per_event=per_event, split=split, separator=data.get("separator"),
        date_format=data.get("date_format"), dayfirst=dayfirst, tz=data.get("tz"), sheet=sheet,
        encoding=data.get("encoding"), normalize=tuple(normalize), columns=columns, constants=constants,
        members=members, filters=tuple(filters),
    )


def _shipped() -> dict[str, resources.abc.Traversable]:
    folder = resources.files("cop.presets")
    return {f.name.removesuffix(".toml"): f for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".toml")}


def preset_names() -> list[str]:
    """The names of the presets shipped with cop, sorted.

    Examples
    --------
    >>> "meetup-attendees" in preset_names()
    True
    """
    return sorted(_shipped())


def load_preset(preset: str | os.PathLike[str] | Preset) -> Preset:
    """The preset named ``preset`` (shipped with cop), or read from a TOML file at that path.

    Raises
    ------
    cop.exceptions.ConfigError
        For an unknown name (listing the shipped ones), an unreadable file, or
        a file that is not a valid preset (naming the key).
    """
    if isinstance(preset, Preset):
        return preset
    text = os.fspath(preset)
    shipped = _shipped()
    if text in shipped:
        source, path = shipped[text].read_text(encoding="utf-8"), f"cop/presets/{text}.toml"
    elif text.lower().endswith(".toml") or os.sep in text or "/" in text:
        p = Path(text)
        if not p.is_file():
            raise ConfigError(f"option '--preset': {text!r}: no such preset file", hint="give a TOML file or one of: " + ", ".join(shipped))
        source, path = p.read_text(encoding="utf-8"), text
    else:
        raise ConfigError(f"option '--preset': {text!r} is not a preset; expected one of {', '.join(shipped)} or a .toml file",
                          hint="cop presets lists them with the columns each expects")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"preset {path}: is not valid TOML ({exc})") from None
    return parse_preset(data, path=path)
