"""The GrimoireLab Perceval reader: items as Perceval writes them (``.json``/``.jsonl``).

Format (Perceval's documentation, "Perceval items"): each item is an object
``{"backend_name", "backend_version", "category", "data", "origin",
"perceval_version", "tag", "timestamp", "updated_on", "uuid"}``; the command
line writes them one after another (pretty-printed, keys sorted), and JSON
Lines of the same objects are read too.  Backends read:

* ``Git`` (category ``commit``): ``data.commit``, ``data.parents``,
  ``data.Author`` and ``data.Commit`` (``"Name <e-mail>"``), ``data.AuthorDate``
  (``"Tue Aug 14 14:30:13 2012 -0300"``); ``Co-authored-by:`` lines of
  ``data.message`` (the message itself is not kept).  Rows as the git reader
  (:mod:`cop.io.gitrepo`, its rule :func:`~cop.io.gitrepo.commit_roles`): roles
  ``author``, ``co-author``, ``committer``, ``merger`` (the author of a merge
  commit, and its committer when another person; weight 1.0); member id the
  lower-case e-mail.
* ``GitHub`` (categories ``issue`` and ``pull_request``): ``data.number``,
  ``data.user_data``, ``data.created_at``, ``data.author_association``,
  ``data.comments_data``, ``data.review_comments_data``, ``data.reviews_data``
  and ``data.reactions_data``.  Rows as the GitHub reader (:mod:`cop.io.github`):
  the opener weight 1.0, commenters and reviewers 0.5, reacting users 0.25;
  role ``maintainer`` or ``contributor``; activity ``{owner/repo}#{number}``
  from ``origin``.

Other backends are an error naming the item.  Bots are dropped and counted.

Examples
--------
>>> import json, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "items.json"
>>> item = {"backend_name": "Git", "backend_version": "1", "category": "commit", "origin": "r", "uuid": "u",
...         "updated_on": 0, "data": {"commit": "c1", "parents": [], "Author": "Ann <ann@example.org>",
...         "AuthorDate": "Mon Jan 1 10:00:00 2024 +0000", "Commit": "Ann <ann@example.org>"}}
>>> _ = p.write_text(json.dumps(item, indent=4, sort_keys=True))
>>> from cop.io import read_activities
>>> read_activities(p).data["member_id"].astype(str).tolist()
['ann@example.org']
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from cop._locate import Source
from cop.io._export import READ_ERRORS, Export, Part, bad, is_bot_name, rows, sniff_json
from cop.io.github import MAINTAINER_ASSOCIATIONS
from cop.io.gitrepo import WEIGHTS as GIT_WEIGHTS
from cop.io.gitrepo import commit_roles
from cop.io.registry import Reader, register_reader

__all__ = ["read_perceval", "READER"]

_CONTACT = re.compile(r"^\s*(.*?)\s*<([^<>]*)>\s*$")
_COAUTHOR = re.compile(r"^co-authored-by:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_REPO = re.compile(r"github\.com/([^/]+/[^/#?]+?)(?:\.git)?/?$")


def _items(path: Path):
    """``(where, item)`` for each item (concatenated JSON objects or JSON Lines)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise bad(path, "the file", "is not UTF-8 text", "Perceval items (JSON)") from None
    except READ_ERRORS as exc:
        raise bad(path, "the file", f"cannot be read ({exc})", "Perceval items (JSON)") from None
    dec = json.JSONDecoder()
    pos, n = 0, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            return
        n += 1
        try:
            item, pos = dec.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise bad(path, f"item {n} (line {exc.lineno})", f"is not valid JSON ({exc.msg})", "Perceval items, one JSON object after another") from None
        yield f"item {n} (line {text.count(chr(10), 0, pos) + 1})", item


def _field(path: Path, where: str, data: dict, key: str, kind: type | tuple = str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or value == "":
        raise bad(path, f"{where}, field 'data.{key}'", "is missing" if value is None else f"is {value!r}", f"a {getattr(kind, '__name__', 'value')}")
    return value


def _git(path: Path, where: str, data: dict, parts: list[Part]) -> int:
    sha = _field(path, where, data, "commit")
    author = _CONTACT.match(_field(path, where, data, "Author"))
    if author is None:
        raise bad(path, f"{where}, field 'data.Author'", f"is {data['Author']!r}", "'Name <e-mail>'")
    raw = _field(path, where, data, "AuthorDate")
    try:
        when = datetime.strptime(" ".join(raw.split()), "%a %b %d %H:%M:%S %Y %z").timestamp()
    except ValueError:
        raise bad(path, f"{where}, field 'data.AuthorDate'", f"is {raw!r}", "a git date such as 'Tue Aug 14 14:30:13 2012 -0300'") from None
    coauthors = [m for m in (_CONTACT.match(c) for c in _COAUTHOR.findall(str(data.get("message") or ""))) if m]
    committer = _CONTACT.match(str(data.get("Commit") or ""))
    kind = "collaboration" if coauthors else "contribution"
    parents = data.get("parents")
    merge = isinstance(parents, list) and len(parents) > 1
    author_role, committer_role = commit_roles(merge, author.group(2), committer.group(2) if committer else author.group(2))
    people = [(author, author_role)] + [(c, "co-author") for c in coauthors]
    if committer and committer_role is not None:
        people.append((committer, committer_role))
    bots = 0
    for who, role in people:
        if is_bot_name(who.group(1), who.group(2)):
            bots += 1
        elif who.group(2).strip():
            parts.append(Part(sha, who.group(2).strip().lower(), when, kind, role, GIT_WEIGHTS[role]))
    return bots


def _when(path: Path, where: str, value: Any, key: str) -> float:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise bad(path, f"{where}, field '{key}'", f"is {value!r}", "an ISO 8601 time") from None


def _github(path: Path, where: str, item: dict, data: dict, parts: list[Part]) -> int:
    repo = _REPO.search(str(item.get("origin") or ""))
    number = _field(path, where, data, "number", int)
    thread = f"{repo.group(1) if repo else item.get('origin')}#{number}"
    topic = thread.split("#")[0]
    bots = 0

    def add(obj: Any, weight: float, key: str, label: str) -> None:
        nonlocal bots
        user = obj.get("user_data") if isinstance(obj, dict) else None
        if not isinstance(user, dict) or not isinstance(user.get("login"), str):
            raise bad(path, f"{where}, {label}, field 'user_data.login'", "is missing", "the GitHub login")
        if user.get("type") == "Bot" or is_bot_name(user["login"]):
            bots += 1
            return
        assoc = obj.get("author_association")
        role = "maintainer" if isinstance(assoc, str) and assoc in MAINTAINER_ASSOCIATIONS else "contributor"
        parts.append(Part(thread, user["login"], _when(path, f"{where}, {label}", obj.get(key) or data.get("created_at"), key),
                          "interaction", role, weight, topic))

    add(data, 1.0, "created_at", "data")
    for key, weight, tkey in (("comments_data", 0.5, "created_at"), ("review_comments_data", 0.5, "created_at"),
                              ("reviews_data", 0.5, "submitted_at"), ("reactions_data", 0.25, "created_at")):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise bad(path, f"{where}, field 'data.{key}'", f"is a JSON {type(items).__name__}", "an array")
        for k, obj in enumerate(items, start=1):
            add(obj, weight, tkey, f"data.{key}[{k}]")
    return bots


def read_perceval(path: Path, *, tz: str = "UTC") -> Export:
    """Read Perceval items (git or GitHub backend) into participation rows."""
    path = Path(path)
    parts: list[Part] = []
    bots = 0
    for where, item in _items(path):
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise bad(path, f"{where}, field 'data'", "is missing", "a Perceval item with a 'data' object")
        backend = str(item.get("backend_name", "")).lower()
        if backend == "git":
            bots += _git(path, where, item["data"], parts)
        elif backend == "github" and item.get("category") in ("issue", "pull_request"):
            bots += _github(path, where, item, item["data"], parts)
        else:
            raise bad(path, f"{where}, field 'backend_name'", f"is {item.get('backend_name')!r} (category {item.get('category')!r})",
                      "the Git backend, or the GitHub backend's issue or pull_request items")
    notes = [f"{path}: dropped {bots} bot entr(ies)"] if bots else []
    return Export(rows(parts, path=path, what="Perceval items"), Source.file(path, "frame"), notes=notes)


def _matches(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in (".json", ".jsonl"):
        return False
    head = sniff_json(path, 1024)
    return head.lstrip().startswith("{") and '"backend_name"' in head and '"backend_version"' in head


READER = register_reader(Reader(name="perceval", read=read_perceval, matches=_matches, export=True,
                                description="GrimoireLab Perceval items (git, GitHub)"))
