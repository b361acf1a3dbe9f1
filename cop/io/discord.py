"""The DiscordChatExporter reader: one channel exported as JSON (``.json``).

Format (DiscordChatExporter's JSON export, ``JsonMessageWriter``): an object
with ``guild`` (``id``, ``name``), ``channel`` (``id``, ``name``, ``category``,
``type``) and ``messages``: each with ``id``, ``type`` (``Default``, ``Reply``,
or a system type such as ``GuildMemberJoin``, ``ChannelPinnedMessage``),
``timestamp`` (ISO 8601 with offset), ``author`` (``id``, ``name``, ``isBot``),
``mentions`` (users), ``reactions`` (``emoji``, ``count``, and in newer exports
``users``), and for replies ``reference.messageId`` (a ``reference`` of
``type`` ``Forward`` is a forwarded message, not a reply).  The file is recognised by
its opening keys ``guild``, ``channel`` and ``messages``.

Rows: a reply chain (messages linked by ``reference.messageId``, followed to its
first message) is one ``interaction`` activity ``{channel id}:{first message id}``
with the channel's name as ``topic``; its first writer is the ``starter``
(1.0), repliers ``replier`` (0.5), mentioned users ``mentioned`` (0.25),
reacting users ``reactor`` (0.25).  Bots (``author.isBot``) and system messages
are dropped and counted in a warning; content is never kept.  Member ids are
Discord user ids; ``identities=True`` adds a members table with ``name``.

Examples
--------
>>> import json, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "chat.json"
>>> doc = {"guild": {"id": "1"}, "channel": {"id": "9", "name": "help"}, "messages": [
...     {"id": "100", "type": "Default", "timestamp": "2024-01-01T10:00:00+00:00", "author": {"id": "a1", "isBot": False}},
...     {"id": "101", "type": "Reply", "timestamp": "2024-01-01T10:05:00+00:00", "author": {"id": "a2", "isBot": False},
...      "reference": {"messageId": "100"}}]}
>>> _ = p.write_text(json.dumps(doc))
>>> from cop.io import read_activities
>>> read_activities(p).data[["activity_id", "role"]].astype(str).values.tolist()
[['9:100', 'starter'], ['9:100', 'replier']]
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from cop._locate import Source
from cop.io._export import READ_ERRORS, Export, Part, bad, load_json, rows, sniff_json
from cop.io.registry import Reader, register_reader

__all__ = ["read_discord", "WEIGHTS", "READER"]

#: Weight of each way of taking part in a reply chain.
WEIGHTS = {"starter": 1.0, "replier": 0.5, "mentioned": 0.25, "reactor": 0.25}
_KEPT_TYPES = {"Default", "Reply"}


def _when(path: Path, where: str, value: object) -> float:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise bad(path, f"{where}, field 'timestamp'", f"is {value!r}", "an ISO 8601 time such as 2024-01-01T10:00:00+00:00") from None


def _array(path: Path, where: str, obj: dict, key: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad(path, f"{where}, field '{key}'", f"is a JSON {type(value).__name__}", "an array")
    return value


def read_discord(path: Path, *, tz: str = "UTC", identities: bool = False) -> Export:
    """Read a DiscordChatExporter JSON export into participation rows."""
    path = Path(path)
    try:
        doc = load_json(path, path.read_bytes())
    except READ_ERRORS as exc:
        raise bad(path, "the file", f"cannot be read ({exc})", "a DiscordChatExporter JSON file") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list) or not isinstance(doc.get("channel"), dict):
        raise bad(path, "the top level", "has no 'channel' object and 'messages' array", "a DiscordChatExporter JSON export")
    channel = doc["channel"]
    cid = str(channel.get("id", "channel"))
    topic = channel.get("name") if isinstance(channel.get("name"), str) else None
    parent: dict[str, str] = {}
    kept = []
    names: dict[str, str] = {}
    n_bot = n_system = 0
    for i, msg in enumerate(doc["messages"], start=1):
        where = f"message {i}"
        if not isinstance(msg, dict):
            raise bad(path, where, f"is a JSON {type(msg).__name__}", "a message object")
        author = msg.get("author")
        if not isinstance(author, dict) or not isinstance(author.get("id"), (str, int)) or str(author.get("id")) == "":
            raise bad(path, f"{where}, field 'author.id'", "is missing", "the author's user id")
        if not isinstance(msg.get("id"), (str, int)):
            raise bad(path, f"{where}, field 'id'", "is missing", "the message id")
        mid = str(msg["id"])
        ref = msg.get("reference")
        if isinstance(ref, dict) and ref.get("messageId") is not None and ref.get("type", "Default") == "Default":
            parent[mid] = str(ref["messageId"])
        if author.get("isBot"):
            n_bot += 1
            continue
        kind = msg.get("type", "Default")
        if not isinstance(kind, str) or kind not in _KEPT_TYPES:
            n_system += 1
            continue
        if isinstance(author.get("name"), str):
            names[str(author["id"])] = author["name"]
        kept.append((mid, str(author["id"]), _when(path, where, msg.get("timestamp")), msg, where))
    parts = []
    for mid, who, when, msg, where in kept:
        root, seen = mid, {mid}
        while root in parent and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        activity = f"{cid}:{root}"
        role = "starter" if root == mid else "replier"
        parts.append(Part(activity, who, when, "interaction", role, WEIGHTS[role], topic))
        for m in _array(path, where, msg, "mentions"):
            if isinstance(m, dict) and m.get("id") is not None and not m.get("isBot") and str(m["id"]) != who:
                parts.append(Part(activity, str(m["id"]), when, "interaction", "mentioned", WEIGHTS["mentioned"], topic))
        for r in _array(path, where, msg, "reactions"):
            for u in _array(path, f"{where}, reaction", r, "users") if isinstance(r, dict) else ():
                if isinstance(u, dict) and u.get("id") is not None and not u.get("isBot"):
                    parts.append(Part(activity, str(u["id"]), when, "interaction", "reactor", WEIGHTS["reactor"], topic))
    frame = rows(parts, path=path, what="messages by people")
    notes = [f"{path}: dropped {n_bot} bot message(s) and {n_system} system message(s)"] if n_bot or n_system else []
    members = None
    if identities and names:
        members = pd.DataFrame({"member_id": list(names), "name": list(names.values())})
    return Export(frame, Source.file(path, "frame"), members, Source.file(path, "frame"), notes)


_OPENING = re.compile(r'^\s*\{\s*"guild"\s*:')


def _matches(path: Path) -> bool:
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    head = sniff_json(path)
    return bool(_OPENING.match(head)) and '"channel"' in head


READER = register_reader(Reader(name="discord", read=read_discord, matches=_matches, export=True,
                                description="a DiscordChatExporter JSON export"))
