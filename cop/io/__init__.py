"""Read exports (CSV, TSV, Parquet, JSON Lines, a folder written by cop) into an :class:`~cop.log.ActivityLog`; write logs back.

Readers live in a registry (:mod:`cop.io.registry`) keyed by format name and
by what a path is: its file ending (``.csv``, ``.tsv``, ``.txt``, ``.csv.gz``,
``.parquet``/``.pq``, ``.jsonl``/``.ndjson``/``.json``) or the path itself (a
folder written by :func:`write_log`).  One module per reader:

* :mod:`cop.io.csvfile` -- CSV/TSV, plain or gzipped;
* :mod:`cop.io.parquetfile` -- Parquet;
* :mod:`cop.io.jsonlines` -- JSON Lines or a JSON array of objects;
* :mod:`cop.io.folder` -- a folder of ``activities.csv``, ``members.csv``, ``activity_details.csv``;
* :mod:`cop.io.spreadsheet` -- ``.xlsx``/``.xls``/``.ods`` sheets (python-calamine).

Export readers turn a tool's export into participation rows (and a members
table where the export has one) themselves; :func:`read_activities` uses them:

* :mod:`cop.io.slack` -- a Slack export ZIP or folder;
* :mod:`cop.io.discord` -- DiscordChatExporter JSON;
* :mod:`cop.io.mbox` -- mbox mailing-list archives;
* :mod:`cop.io.ics` -- iCalendar ``.ics`` (recurring events expanded);
* :mod:`cop.io.gitrepo` -- a git repository folder;
* :mod:`cop.io.github` -- saved GitHub issue/PR/comment JSON, GH Archive events;
* :mod:`cop.io.perceval` -- GrimoireLab Perceval items (git, GitHub).

Any of them may be read with a preset (:mod:`cop.presets`: the export of an
event tool or a coworking system), several at once
(:func:`read_activities_many`, each row keeping its ``source``), and with an
identities table (:mod:`cop.io.identities`).

Edge lists (``source,target,timestamp``) are a shape of table, not a file
format: any reader's table may be one, and the normaliser
(:func:`cop.tables.normalize_participations`) recognises it.  Adding a reader
is one module calling :func:`~cop.io.registry.register_reader`, its import
below, and its tests.

Examples
--------
>>> import tempfile, pathlib
>>> from cop.io import read_activities
>>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
>>> _ = p.write_text("activity_id,member_id,timestamp\\ne1,ann,2024-01-01\\ne1,bo,2024-01-01\\n")
>>> read_activities(p).n_members
2
"""

from __future__ import annotations

from cop._atomic import atomic_path, check_folder

# the readers register themselves on import, in this order (path tests first, then endings);
# the export readers' path tests (a Slack folder, a git repository, sniffed JSON) come before the plain folder's
from cop.io import slack as _slack  # noqa: F401
from cop.io import gitrepo as _gitrepo  # noqa: F401
from cop.io import github as _github  # noqa: F401
from cop.io import discord as _discord  # noqa: F401
from cop.io import perceval as _perceval  # noqa: F401
from cop.io import mbox as _mbox  # noqa: F401
from cop.io import ics as _ics  # noqa: F401
from cop.io import folder as _folder  # noqa: F401
from cop.io import csvfile as _csvfile  # noqa: F401
from cop.io import parquetfile as _parquetfile  # noqa: F401
from cop.io import jsonlines as _jsonlines  # noqa: F401
from cop.io import spreadsheet as _spreadsheet  # noqa: F401
from cop.io.folder import LOG_FILES
from cop.io.identities import IdentityTable, resolve_members
from cop.io.inputs import parse_add, read_activities_many
from cop.io.load import read_activities, read_identities, read_table
from cop.io.registry import Reader, detect_format, reader_for, readers, register_reader
from cop.io.writers import write_csv, write_log

__all__ = [
    "atomic_path",
    "check_folder",
    "read_table",
    "read_activities",
    "read_activities_many",
    "parse_add",
    "IdentityTable",
    "read_identities",
    "resolve_members",
    "write_log",
    "write_csv",
    "detect_format",
    "LOG_FILES",
    "Reader",
    "register_reader",
    "reader_for",
    "readers",
]
