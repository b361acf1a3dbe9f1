"""The GitHub reader: saved REST API responses (issues, pull requests, comments) and GH Archive event files.

Formats:

* REST API (docs.github.com, "REST API endpoints for issues" / "... for issue
  comments" / "... for pull requests"): a JSON array of issues or pull requests
  (``number``, ``user.login``, ``user.type``, ``created_at``,
  ``author_association``, ``repository_url`` or ``html_url``), or of comments
  (``issue_url`` or ``pull_request_url``, ``user``, ``created_at``,
  ``author_association``).  A folder of such ``.json`` files is read as one.
* GH Archive (gharchive.org; the GitHub Events API payloads): JSON Lines,
  possibly gzipped (``2024-01-01-15.json.gz``), one event a line with ``type``,
  ``actor.login``, ``repo.name``, ``created_at`` and ``payload``.  Used:
  ``IssuesEvent``, ``IssueCommentEvent``, ``PullRequestEvent``,
  ``PullRequestReviewEvent``, ``PullRequestReviewCommentEvent``; other event
  types (stars, pushes, forks...) are not threads and are skipped (counted).

Rows: an issue or pull request is one ``interaction`` activity
``{owner/repo}#{number}``, ``topic`` the repository.  Its opener takes part with
weight 1.0, commenters and reviewers (and, in GH Archive, whoever closes or
labels it) with 0.5.  ``role`` is the hint from ``author_association``:
``maintainer`` for ``OWNER``, ``MEMBER`` and ``COLLABORATOR``, else
``contributor``.  Bots (``user.type == "Bot"``, a login ending in ``[bot]``) are
dropped and counted in a warning.  Member ids are GitHub logins.  Texts
(titles, bodies) are never kept.

Examples
--------
>>> import json, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "issues.json"
>>> _ = p.write_text(json.dumps([{"number": 1, "user": {"login": "ann", "type": "User"},
...     "created_at": "2024-01-01T10:00:00Z", "author_association": "OWNER",
...     "repository_url": "https://api.github.com/repos/acme/tool"}]))
>>> from cop.io import read_activities
>>> read_activities(p).data[["activity_id", "role"]].astype(str).values.tolist()
[['acme/tool#1', 'maintainer']]
"""

from __future__ import annotations

import gzip
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from cop._locate import Source
from cop.io._export import READ_ERRORS, Export, Part, bad, is_bot_name, load_json, rows, sniff_json
from cop.io.registry import Reader, register_reader

__all__ = ["read_github", "MAINTAINER_ASSOCIATIONS", "READER"]

#: ``author_association`` values read as role ``maintainer``.
MAINTAINER_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
_THREAD = re.compile(r"(?:/repos/|github\.com/(?!repos/))([^/]+/[^/]+)/(?:issues|pulls?)/(\d+)")
_REPO = re.compile(r"(?:/repos/|github\.com/(?!repos/))([^/]+/[^/#?]+)")
_EVENTS = {"IssuesEvent", "IssueCommentEvent", "PullRequestEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent"}


def _when(path: Path, where: str, value: Any, field: str = "created_at") -> float:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise bad(path, f"{where}, field '{field}'", f"is {value!r}", "an ISO 8601 time such as 2024-01-01T10:00:00Z") from None


def _role(assoc: Any) -> str:
    return "maintainer" if isinstance(assoc, str) and assoc in MAINTAINER_ASSOCIATIONS else "contributor"


def _login(user: Any) -> tuple[str | None, bool]:
    """``(login, is_bot)`` of a user object."""
    if not isinstance(user, dict) or not isinstance(user.get("login"), str) or not user["login"]:
        return None, False
    return user["login"], user.get("type") == "Bot" or is_bot_name(user["login"])


class _Counter:
    bots = 0
    skipped = 0


def _rest(path: Path, data: Any, name: str, parts: list[Part], count: _Counter) -> None:
    if not isinstance(data, list):
        raise bad(path, name, f"is a JSON {type(data).__name__}", "a JSON array of issues, pull requests or comments")
    for i, item in enumerate(data, start=1):
        where = f"{name}, item {i}"
        if not isinstance(item, dict):
            raise bad(path, where, f"is a JSON {type(item).__name__}", "an issue, pull request or comment object")
        login, bot = _login(item.get("user"))
        if login is None:
            raise bad(path, f"{where}, field 'user.login'", "is missing", "the GitHub login of the author")
        if "number" in item:  # an issue or pull request
            repo = _REPO.search(str(item.get("repository_url") or item.get("html_url") or item.get("url") or ""))
            if repo is None:
                raise bad(path, f"{where}, field 'repository_url'", "is missing", "the API URL of the repository")
            thread, weight = f"{repo.group(1)}#{item['number']}", 1.0
        else:
            hit = _THREAD.search(str(item.get("issue_url") or item.get("pull_request_url") or ""))
            if hit is None:
                raise bad(path, f"{where}, field 'issue_url'", "is missing or not an issue URL", "an issue or pull request (with 'number') or a comment (with 'issue_url')")
            thread, weight = f"{hit.group(1)}#{hit.group(2)}", 0.5
        if bot:
            count.bots += 1
            continue
        when = _when(path, where, item.get("created_at") or item.get("submitted_at"))
        parts.append(Part(thread, login, when, "interaction", _role(item.get("author_association")), weight, thread.split("#")[0]))


def _archive(path: Path, parts: list[Part], count: _Counter) -> None:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                ev = load_json(path, line, f"line {n}")
                where = f"line {n}"
                if not isinstance(ev, dict) or not isinstance(ev.get("type"), str):
                    raise bad(path, where, "has no 'type'", "a GH Archive event object")
                if ev["type"] not in _EVENTS:
                    count.skipped += 1
                    continue
                login, bot = _login(ev.get("actor"))
                repo = (ev.get("repo") or {}).get("name") if isinstance(ev.get("repo"), dict) else None
                payload = ev.get("payload")
                if login is None or not isinstance(repo, str) or not isinstance(payload, dict):
                    raise bad(path, f"{where}, field 'actor.login', 'repo.name' or 'payload'", "is missing", "a GH Archive event")
                thing = payload.get("issue") or payload.get("pull_request") or {}
                number = thing.get("number") if isinstance(thing, dict) else None
                number = number if number is not None else payload.get("number")
                if number is None:
                    raise bad(path, f"{where}, field 'payload.issue.number'", "is missing", "the issue or pull request number")
                if bot:
                    count.bots += 1
                    continue
                own = payload.get("comment") or payload.get("review")
                opened = ev["type"] in ("IssuesEvent", "PullRequestEvent") and payload.get("action") == "opened"
                holder = own if isinstance(own, dict) else thing if opened and isinstance(thing, dict) else {}
                assoc = holder.get("author_association")
                parts.append(Part(f"{repo}#{number}", login, _when(path, where, ev.get("created_at")), "interaction",
                                  _role(assoc), 1.0 if opened else 0.5, repo))
    except (EOFError, OSError, UnicodeDecodeError) as exc:
        raise bad(path, "the file", f"cannot be read; it may be truncated ({exc})", "GH Archive JSON Lines (gzipped or plain)") from None


def _is_archive(head: str) -> bool:
    return head.lstrip().startswith("{") and '"actor"' in head and '"payload"' in head


def _is_rest(head: str) -> bool:
    return head.lstrip().startswith("[") and '"user"' in head and ('"author_association"' in head or '"issue_url"' in head)


def read_github(path: Path, *, tz: str = "UTC") -> Export:
    """Read saved GitHub REST responses (a file or a folder of them) or a GH Archive file into rows."""
    path = Path(path)
    parts: list[Part] = []
    count = _Counter()
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise bad(path, "the folder", "holds no .json files", "saved GitHub API responses")
    for f in files:
        if f.name.lower().endswith(".gz") or _is_archive(sniff_json(f)):  # GH Archive files are gzipped JSON Lines
            _archive(f, parts, count)
            continue
        try:
            data = load_json(f, f.read_bytes())
        except READ_ERRORS as exc:
            raise bad(f, "the file", f"cannot be read ({exc})", "a JSON file") from None
        _rest(f, data, "the file" if f == path else f.name, parts, count)
    frame = rows(parts, path=path, what="issues, pull requests or comments by people")
    notes = []
    if count.bots:
        notes.append(f"{path}: dropped {count.bots} item(s) by bots")
    if count.skipped:
        notes.append(f"{path}: skipped {count.skipped} event(s) that are not about issues or pull requests")
    return Export(frame, Source.file(path, "frame"), notes=notes)


def _matches(path: Path) -> bool:
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        return bool(files) and all(_is_rest(sniff_json(f, 16384)) for f in files)
    name = path.name.lower()
    if not path.is_file() or not name.endswith((".json", ".json.gz", ".jsonl", ".jsonl.gz")):
        return False
    head = sniff_json(path, 16384)
    return _is_archive(head) and '"repo"' in head and '"backend_name"' not in head or _is_rest(head)


READER = register_reader(Reader(name="github", read=read_github, matches=_matches, export=True,
                                description="saved GitHub issues, pull requests and comments, or GH Archive events"))
