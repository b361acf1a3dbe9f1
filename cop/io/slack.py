"""The Slack export reader: a workspace export ZIP, or the folder it unpacks to.

Format (Slack's help page "How to read Slack data exports"): ``channels.json``
(public channels: ``id``, ``name``), optionally ``groups.json`` (private
channels), ``mpims.json`` and ``dms.json`` (group and direct messages),
``users.json`` (``org_users.json`` in Enterprise Grid; ``id``, ``name``, ``real_name``, ``is_bot``, ``deleted``,
``is_admin``, ``is_owner``, ``is_restricted``, ``profile.email``), and one folder
per conversation (named for a channel, or the id of a DM) holding one
``YYYY-MM-DD.json`` file per day: a list of messages with ``type``, optional
``subtype``, ``user``, ``ts`` (seconds since the epoch, as text),
``thread_ts`` (the ``ts`` of the thread's first message), ``bot_id``, and
``reactions`` (``name``, ``users``, ``count``).  A ZIP may hold it all under one
top folder.

Rows: a thread (or an unthreaded message) is one ``interaction`` activity,
``{channel id}:{thread ts}``; its ``topic`` is the channel's name, its
``channel`` ``public`` (``channels.json``) or ``private`` (the others).  Who took
part, and how (one row per member and thread: the strongest way, at the
member's first time in it):

========== ====== =====================================================
role       weight who
========== ====== =====================================================
starter    1.0    wrote the thread's first message (or the lone message)
replier    0.5    replied in the thread
mentioned  0.25   was mentioned (``<@U…>``) in a message of the thread
reactor    0.25   reacted to a message of the thread
========== ====== =====================================================

Dropped (and counted in a warning): messages of bots (``bot_id``, subtype
``bot_message``, a ``users.json`` user with ``is_bot``, ``USLACKBOT``) and
system messages (subtypes ``channel_join``, ``channel_leave`` and every other
``channel_*``/``group_*`` subtype, ``pinned_item``, ``tombstone``...).  Message
text is never kept: it is only scanned for mentions.

Member ids are Slack user ids.  With ``identities=True`` the members table also
gets ``name`` and ``email`` from ``users.json``; by default it holds only the ids
and a role (``manager`` for admins and owners, ``guest`` for restricted
accounts, else ``member``).

Examples
--------
>>> from cop.io import read_activities
>>> import pathlib, json, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
>>> _ = (d / "users.json").write_text(json.dumps([{"id": "U1"}, {"id": "U2"}]))
>>> (d / "general").mkdir()
>>> msgs = [{"type": "message", "user": "U1", "ts": "1704103200.000100", "thread_ts": "1704103200.000100"},
...         {"type": "message", "user": "U2", "ts": "1704103260.000200", "thread_ts": "1704103200.000100"}]
>>> _ = (d / "general" / "2024-01-01.json").write_text(json.dumps(msgs))
>>> log = read_activities(d)
>>> log.n_members, log.n_activities
(2, 1)
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from cop._locate import Source
from cop.io._export import READ_ERRORS, Export, Part, bad, load_json, rows
from cop.io.registry import Reader, register_reader

__all__ = ["read_slack", "WEIGHTS", "READER"]

#: Weight of each way of taking part in a thread.
WEIGHTS = {"starter": 1.0, "replier": 0.5, "mentioned": 0.25, "reactor": 0.25}

#: What a damaged or unusual ZIP raises (encrypted entries, unknown compression, bad headers).
_ZIP_ERRORS = (zipfile.BadZipFile, KeyError, NotImplementedError, RuntimeError, ValueError, *READ_ERRORS)
_MENTIONED, _REACTOR = WEIGHTS["mentioned"], WEIGHTS["reactor"]
_LISTS = {"channels.json": "public", "groups.json": "private", "mpims.json": "private", "dms.json": "private"}
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_SYSTEM = {"pinned_item", "unpinned_item", "tombstone", "joiner_notification", "reminder_add", "slackbot_response",
           "sh_room_created", "huddle_thread", "bot_add", "bot_remove", "app_conversation_join"}


class _Where:
    """``"file, message i"``, formatted only when an error needs it."""

    __slots__ = ("name", "i")

    def __init__(self, name: str, i: int) -> None:
        self.name, self.i = name, i

    def __str__(self) -> str:
        return f"{self.name}, message {self.i}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class _Tree:
    """The files of an export, in a folder or a ZIP (``names`` relative to the export's root)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_dir():
            base = len(os.fspath(path).rstrip(os.sep)) + 1
            self.names = sorted((top[base:].replace(os.sep, "/") + "/" + f).lstrip("/")
                                for top, _, files in os.walk(path) for f in files if f.endswith(".json"))
            self.root = ""
        else:
            try:
                self.zip = zipfile.ZipFile(path)
                names = [n for n in self.zip.namelist() if n.endswith(".json")]
            except _ZIP_ERRORS as exc:
                raise bad(path, "the archive", f"is not a readable ZIP file ({exc})", "a Slack export ZIP") from None
            marker = min((n for n in names if posixpath.basename(n) in ("users.json", "org_users.json", "channels.json")), key=len, default=None)
            self.root = posixpath.dirname(marker) + "/" if marker and "/" in marker else ""
            self.names = sorted(n[len(self.root):] for n in names if n.startswith(self.root))
        if not {"users.json", "org_users.json", "channels.json"} & set(self.names):
            raise bad(path, "users.json", "is missing", "a Slack export (channels.json, users.json, one folder per channel)")

    def load(self, name: str) -> Any:
        if self.zip is None:
            try:
                data = (self.path / name).read_bytes()
            except READ_ERRORS as exc:
                raise bad(self.path, name, f"cannot be read ({exc})", "a readable file") from None
        else:
            try:
                data = self.zip.read(self.root + name)
            except _ZIP_ERRORS as exc:
                raise bad(self.path, f"entry {name}", f"cannot be read; the archive may be truncated ({exc})", "a whole ZIP file") from None
        return load_json(self.path, data, name)


def _list(tree: _Tree, name: str, keys: tuple[str, ...]) -> list[dict]:
    if name not in tree.names:
        return []
    data = tree.load(name)
    if not isinstance(data, list):
        raise bad(tree.path, name, f"is a JSON {type(data).__name__}", "a JSON array of objects")
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise bad(tree.path, f"{name}, item {i}", f"is a JSON {type(item).__name__}", "an object")
        for key in keys:
            if not isinstance(item.get(key), str) or not item[key]:
                raise bad(tree.path, f"{name}, item {i}, field '{key}'", "is missing or not text", "a text value")
    return data


def _messages(tree: _Tree) -> Iterator[tuple[str, str, int, Any]]:
    """``(folder, file, index, message)`` of every day file."""
    for name in tree.names:
        folder, _, day = name.rpartition("/")
        if not folder or "/" in folder or not _DAY.match(day):
            continue
        data = tree.load(name)
        if not isinstance(data, list):
            raise bad(tree.path, name, f"is a JSON {type(data).__name__}", "a JSON array of messages")
        for i, msg in enumerate(data, start=1):
            yield folder, name, i, msg


def _ts(tree: _Tree, where: str, value: Any, field: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise bad(tree.path, f"{where}, field '{field}'", f"is {value!r}", "seconds since the epoch as text, e.g. \"1704103200.000100\"") from None


def read_slack(path: Path, *, tz: str = "UTC", identities: bool = False) -> Export:
    """Read a Slack export (ZIP or folder) into participation rows and a members table."""
    path = Path(path)
    tree = _Tree(path)
    users = _list(tree, "users.json", ("id",)) or _list(tree, "org_users.json", ("id",))
    bots = {u["id"] for u in users if u.get("is_bot")} | {"USLACKBOT"}
    folders: dict[str, tuple[str, str | None, str]] = {}  # folder -> (channel id, name, channel)
    for name, channel in _LISTS.items():
        for c in _list(tree, name, ("id",)):
            label = c.get("name") if isinstance(c.get("name"), str) else None
            folders[label or c["id"]] = (c["id"], label, channel)
            folders.setdefault(c["id"], (c["id"], label, channel))
    parts: list[tuple] = []  # Part fields, as plain tuples (faster)
    n_bot = n_system = 0
    for folder, name, i, msg in _messages(tree):
        where = _Where(name, i)
        if not isinstance(msg, dict):
            raise bad(path, where, f"is a JSON {type(msg).__name__}", "a message object")
        subtype = msg.get("subtype")
        user = msg.get("user") if isinstance(msg.get("user"), str) else None
        if msg.get("bot_id") or subtype == "bot_message" or user in bots:
            n_bot += 1
            continue
        if isinstance(subtype, str) and (subtype.startswith(("channel_", "group_")) or subtype in _SYSTEM):
            n_system += 1
            continue
        if msg.get("type", "message") != "message":
            n_system += 1
            continue
        if not isinstance(user, str) or not user:
            raise bad(path, f"{where}, field 'user'", "is missing or not text", "the Slack user id of the author")
        raw_ts = msg.get("ts")
        try:
            ts = float(raw_ts)
        except (TypeError, ValueError):
            ts = _ts(tree, where, raw_ts, "ts")
        thread = msg.get("thread_ts") or raw_ts
        if thread is not raw_ts:
            _ts(tree, where, thread, "thread_ts")
        thread = str(thread)
        cid, label, channel = folders.get(folder, (folder, folder, None))
        activity = f"{cid}:{thread}"
        role = "starter" if thread == str(raw_ts) else "replier"
        parts.append((activity, user, ts, "interaction", role, WEIGHTS[role], label, channel))
        text = msg.get("text")
        if isinstance(text, str) and "<@" in text:
            for who in set(_MENTION.findall(text)) - bots - {user}:
                parts.append((activity, who, ts, "interaction", "mentioned", _MENTIONED, label, channel))
        reactions = msg.get("reactions") or []
        if not isinstance(reactions, list):
            raise bad(path, f"{where}, field 'reactions'", f"is a JSON {type(reactions).__name__}", "a list of reactions")
        for k, reaction in enumerate(reactions, start=1):
            who = reaction.get("users") if isinstance(reaction, dict) else None
            if not isinstance(who, list):
                raise bad(path, f"{where}, reaction {k}, field 'users'", "is missing or not a list", "a list of user ids")
            for u in who:
                if isinstance(u, str) and u not in bots:
                    parts.append((activity, u, ts, "interaction", "reactor", _REACTOR, label, channel))
    frame = rows(parts, path=path, what="messages by people (every message was a bot's or a system message)")
    notes = []
    if n_bot or n_system:
        notes.append(f"{path}: dropped {n_bot} bot message(s) and {n_system} system message(s) (joins, leaves, channel changes)")
    members = None
    people = [u for u in users if u["id"] not in bots]
    if people:
        members = pd.DataFrame({
            "member_id": [u["id"] for u in people],
            "role": ["manager" if u.get("is_admin") or u.get("is_owner") else "guest" if u.get("is_restricted") else "member" for u in people],
        })
        if identities:
            members["name"] = [u.get("real_name") or u.get("name") if isinstance(u.get("real_name") or u.get("name"), str) else None for u in people]
            members["email"] = [u["profile"].get("email") if isinstance(u.get("profile"), dict) else None for u in people]
    return Export(frame, Source.file(path, "frame"), members, Source.file(f"{path} (users.json)", "frame"), notes)


def _matches(path: Path) -> bool:
    if path.is_dir():
        return any((path / n).is_file() for n in ("users.json", "org_users.json")) and any((path / n).is_file() for n in _LISTS)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                return any(posixpath.basename(n) in ("users.json", "org_users.json", "channels.json") for n in z.namelist())
        except _ZIP_ERRORS:
            return False
    return False


READER = register_reader(Reader(name="slack", read=read_slack, suffixes=(".zip",), matches=_matches, export=True,
                                description="a Slack export (ZIP or folder: channels.json, users.json, a folder per channel)"))
