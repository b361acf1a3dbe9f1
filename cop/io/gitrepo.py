"""The git reader: a repository folder (a work tree with ``.git``, or a bare repository).

It runs ``git log --use-mailmap`` with a fixed ``--format`` (no shell; git's
placeholders are documented in ``git help log``, "PRETTY FORMATS"): per commit
its hash, parents, the author's and committer's name and e-mail after
``.mailmap`` (``%aN %aE %cN %cE``), their times (``%at %ct``), and the values of
its ``Co-authored-by:`` trailers (``%(trailers:key=Co-authored-by,valueonly)``,
mapped through ``.mailmap`` with ``git check-mailmap``).  Commit messages are
never read.

Rows: every commit is one activity (its hash), at the author's time:

============ ====== ==============================================================
role         weight who
============ ====== ==============================================================
author       1.0    the commit's author (of a commit with one parent, or none)
co-author    1.0    a ``Co-authored-by:`` trailer
committer    0.5    the committer, when not the author
merger       1.0    the author of a merge commit (more than one parent), and its
                    committer when that is another person
============ ====== ==============================================================

A merge commit records merge work, not authored changes: GitHub's "Merge pull
request" button makes the person who pressed it the merge commit's *author*
(the committer is GitHub's web-flow address, a bot, dropped), and a local
``git merge --no-ff`` makes the person merging both author and committer; either
way that person is the ``merger``.  A merge row weighs 1.0, as the validation
fixtures (``benchmarks/validation/build_fixtures.py``) mark merges, so the rule
validated there (review and merge rows count twice their kind weight, in
``cop.participation``) is the one applied to a repository read here.  (Squash and rebase merges leave ordinary
one-parent commits and no trace of who merged.)

``kind`` is ``contribution``, or ``collaboration`` for a commit with
co-authors.

Grouped (``group="week"``, also ``"day"`` or ``"month"``; on the command line
``--reader-option group=week``): the activity is an *area* of the repository in
a period instead of one commit: ``"src 2024-W10"`` holds everyone who changed
files under ``src/`` in ISO week 10 of 2024 (in ``tz``).  The area of a file is
its first ``depth`` folders (``depth=1`` by default; ``depth=2`` gives
``src/cop``); a file at the top of the repository is in the area ``(top)`` and a
commit that changes no file (a merge) in ``(none)``.  A commit touching several
areas takes part in each; each person appears once per area and period, with
their strongest role, at their first commit there.  Grouping makes shared work
visible as co-participation (two people who changed ``docs`` in the same week)
where single commits are almost always one person's.  Bots are dropped (a name or e-mail ending in ``[bot]`` or
``-bot``, or a known bot address such as ``noreply@github.com``, the committer
of GitHub's web merges), and counted in a warning.  Member ids are the
trimmed, lower-case e-mail; ``hash_ids=True`` gives a pseudonymous
``git-<12 hex>`` (SHA-256 of the e-mail) instead.

Examples
--------
>>> import subprocess, tempfile, pathlib, os
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> env = {**os.environ, "GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "Ann@example.org",
...        "GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "ann@example.org"}
>>> _ = subprocess.run(["git", "init", "-q", str(d)], check=True)
>>> _ = subprocess.run(["git", "-C", str(d), "commit", "-q", "--allow-empty", "-m", "x"], check=True, env=env)
>>> from cop.io import read_activities
>>> log = read_activities(d)
>>> log.data["member_id"].astype(str).tolist(), log.data["role"].astype(str).tolist()
(['ann@example.org'], ['author'])
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

from cop._locate import Source
from cop.exceptions import FileFormatError
from cop.io._export import Export, Part, bad, is_bot_name, rows
from cop.io.registry import Reader, register_reader

__all__ = ["read_git", "commit_roles", "GIT_FORMAT", "WEIGHTS", "GROUPS", "READER"]

#: The ``git log --format`` used: one record per commit, fields separated by the unit separator.
GIT_FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%cN%x1f%cE%x1f%ct%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1d)"
#: Weight of each role.
WEIGHTS = {"author": 1.0, "co-author": 1.0, "committer": 0.5, "merger": 1.0}

_CONTACT = re.compile(r"^\s*(.*?)\s*<([^<>]*)>\s*$")


def commit_roles(merge: bool, author_email: str, committer_email: str) -> tuple[str, str | None]:
    """The roles of a commit's author and committer: ``(author role, committer role or None)``.

    The rule of this module (shared with the Perceval reader, :mod:`cop.io.perceval`):
    the author of a merge commit (more than one parent) is its ``merger``, else
    its ``author``; the committer, when another person (e-mails compared trimmed
    and case-insensitively), is a ``merger`` of a merge commit, else a
    ``committer``; ``None`` when the committer is the author.

    Examples
    --------
    >>> commit_roles(True, "ann@example.org", "Ann@example.org ")
    ('merger', None)
    >>> commit_roles(False, "ann@example.org", "bo@example.org")
    ('author', 'committer')
    """
    same = committer_email.strip().lower() == author_email.strip().lower()
    return ("merger" if merge else "author"), (None if same else "merger" if merge else "committer")


def _git(path: Path, *args: str, stdin: str | None = None) -> str:
    exe = shutil.which("git")
    if exe is None:
        raise FileFormatError(f"{path}: reading a git repository needs the git program, which is not installed")
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    # a user's log.showSignature would add signature lines to the fixed format
    proc = subprocess.run([exe, "-C", str(path), "-c", "log.showSignature=false", *args], input=stdin, capture_output=True, env=env,
                          encoding="utf-8", errors="surrogateescape")
    if proc.returncode != 0:
        msg = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        if "does not have any commits" in msg or "bad default revision" in msg or "bad revision 'HEAD'" in msg:
            raise bad(path, "HEAD", "the repository has no commits", "a git repository with at least one commit")
        raise bad(path, f"git {args[0]}", f"failed: {msg}", "a readable git repository")
    return proc.stdout


def _is_repo(path: Path) -> bool:
    return path.is_dir() and ((path / ".git").exists() or ((path / "HEAD").is_file() and (path / "objects").is_dir()))


def _member(email: str, hash_ids: bool) -> str:
    email = email.strip().lower()
    return "git-" + hashlib.sha256(email.encode()).hexdigest()[:12] if hash_ids else email


#: Periods of the grouped rows (``group=``) and the label of a period.
GROUPS = {"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m"}


def _flag(value: object, name: str, path: Path) -> bool:
    """A boolean option, also given as text on the command line (``hash_ids=true``)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise bad(path, f"option {name!r}", f"is {value!r}", "true or false")


def _area(file: str, depth: int) -> str:
    parts = file.split("/")[:-1]
    return "/".join(parts[:depth]) if parts else "(top)"


def read_git(path: Path, *, tz: str = "UTC", hash_ids: bool | str = False, rev: str = "HEAD",
             group: str | None = None, depth: int | str = 1) -> Export:
    """Read a git repository's history (``rev``, default ``HEAD``) into participation rows.

    ``group`` (``"day"``, ``"week"``, ``"month"``) makes one activity per area and
    period instead of one per commit, the area being a file's first ``depth``
    folders (see the module documentation).
    """
    path = Path(path)
    if not _is_repo(path):
        raise bad(path, "the folder", "is not a git repository (no .git)", "a git work tree or bare repository")
    hash_ids = _flag(hash_ids, "hash_ids", path)
    if group is not None and group not in GROUPS:
        raise bad(path, "option 'group'", f"is {group!r}", f"one of {', '.join(GROUPS)}")
    try:
        depth = int(depth)
    except (TypeError, ValueError):
        raise bad(path, "option 'depth'", f"is {depth!r}", "a whole number of folders (1, 2, ...)") from None
    if depth < 1:
        raise bad(path, "option 'depth'", f"is {depth}", "a whole number of folders (1, 2, ...)")
    names = ["--name-only"] if group is not None else []
    out = _git(path, "log", "--use-mailmap", *names, f"--format={GIT_FORMAT}", rev, "--")
    records = out.split("\x1e")[1:]
    coauthors: dict[str, tuple[str, str]] = {}
    parsed = []
    files: list[list[str]] = []
    for n, rec in enumerate(records, start=1):
        head, _, changed = rec.partition("\n\n") if group is not None else (rec, "", "")
        f = head.rstrip("\n").split("\x1f")
        if len(f) != 9:
            raise bad(path, f"commit {n}", "git log gave an unexpected record", "the fields of GIT_FORMAT")
        trailers = [t.strip() for t in f[8].replace("\n", "\x1d").split("\x1d") if t.strip()]
        for t in trailers:
            coauthors.setdefault(t, ("", ""))
        parsed.append((f, trailers))
        files.append([line for line in changed.splitlines() if line.strip()])
    if coauthors:  # .mailmap for the trailers too (one git call for all of them)
        contacts = [c for c in coauthors if _CONTACT.match(c)]
        mapped = _git(path, "check-mailmap", *contacts).splitlines() if contacts else []
        for c, m in zip(contacts, mapped):
            hit = _CONTACT.match(m)
            if hit:
                coauthors[c] = (hit.group(1), hit.group(2))
    parts: list[Part] = []
    n_bots = 0
    zone = ZoneInfo(tz) if group is not None else None
    for (f, trailers), changed in zip(parsed, files):
        sha, parents, aname, amail, at, cname, cmail, ct = f[:8]
        try:
            when = float(at)
        except ValueError:
            raise bad(path, f"commit {sha}, field 'author date'", f"is {at!r}", "seconds since the epoch") from None
        kind = "collaboration" if trailers else "contribution"
        merge = " " in parents.strip()  # more than one parent
        people = []
        author_role, committer_role = commit_roles(merge, amail, cmail)
        if is_bot_name(aname, amail):
            n_bots += 1
        elif amail.strip():
            people.append((_member(amail, hash_ids), author_role))
        for t in trailers:
            name, mail = coauthors.get(t, ("", ""))
            if not mail:
                continue  # a trailer that is not "Name <e-mail>"
            if is_bot_name(name, mail):
                n_bots += 1
            else:
                people.append((_member(mail, hash_ids), "co-author"))
        if committer_role is not None:
            if is_bot_name(cname, cmail):
                n_bots += 1
            elif cmail.strip():
                people.append((_member(cmail, hash_ids), committer_role))
        if group is None:
            for member, role in people:
                parts.append(Part(sha, member, when, kind, role, WEIGHTS[role]))
            continue
        period = dt.datetime.fromtimestamp(when, zone).strftime(GROUPS[group])
        areas = sorted({_area(file, depth) for file in changed}) or ["(none)"]
        for area in areas:
            for member, role in people:
                parts.append(Part(f"{area} {period}", member, when, kind, role, WEIGHTS[role], topic=area))
    frame = rows(parts, path=path, what="commits by people")
    notes = [f"{path}: dropped {n_bots} bot author/committer entr(ies) (bot names and addresses)"] if n_bots else []
    return Export(frame, Source.file(path, "frame"), notes=notes)


READER = register_reader(Reader(name="git", read=read_git, matches=_is_repo, export=True,
                                description="a git repository folder (commits as contributions)"))
