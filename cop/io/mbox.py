"""The mbox reader: a mailing-list archive (``.mbox``, ``.mbx``), read with Python's :mod:`mailbox`.

Format: the mbox family (RFC 4155, each message begins with a ``From `` line)
holding RFC 5322 messages.  Only headers are used: ``From`` (the address,
trimmed and lower-cased, is the member id), ``Date`` (RFC 5322, parsed by
:func:`email.utils.parsedate_to_datetime`; a date without a zone is read in
UTC as RFC 5322 says of ``-0000``), ``Message-ID``, ``In-Reply-To`` and
``References``.  Bodies are never kept.

Threads (RFC 5322 section 3.6.4): a message's thread is the first id of its
``References``, else its ``In-Reply-To``, else its own ``Message-ID``; a reply
whose parent is in the archive joins the parent's thread.  With
``subject_threads=True`` a message with neither header joins the earliest
earlier message of the same subject once ``Re:``/``Fwd:``/``AW:`` and
``[list]`` prefixes are removed (off by default: subjects are often reused).

Rows: one ``interaction`` activity per thread; the thread's first writer is the
``starter`` (weight 1.0), others ``replier`` (0.5); ``topic`` is the list name
of a ``List-Id`` header when there is one.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "list.mbox"
>>> _ = p.write_text(
...     "From a@example.org Mon Jan  1 10:00:00 2024\\nFrom: Ann <Ann@Example.org>\\n"
...     "Date: Mon, 01 Jan 2024 10:00:00 +0000\\nMessage-ID: <m1@x>\\nSubject: hi\\n\\nbody\\n\\n"
...     "From b@example.org Mon Jan  1 11:00:00 2024\\nFrom: bo@example.org\\n"
...     "Date: Mon, 01 Jan 2024 12:00:00 +0100\\nMessage-ID: <m2@x>\\nIn-Reply-To: <m1@x>\\nSubject: Re: hi\\n\\nbody\\n")
>>> from cop.io import read_activities
>>> log = read_activities(p)
>>> log.data[["member_id", "role"]].astype(str).values.tolist()
[['ann@example.org', 'starter'], ['bo@example.org', 'replier']]
"""

from __future__ import annotations

import email.utils
import mailbox
import re
from datetime import timezone
from email.header import decode_header, make_header
from pathlib import Path

from cop._locate import Source
from cop.io._export import READ_ERRORS, Export, Part, bad, is_bot_name, rows
from cop.io.registry import Reader, register_reader

__all__ = ["read_mbox", "WEIGHTS", "READER"]

#: Weight of each role.
WEIGHTS = {"starter": 1.0, "replier": 0.5}

_IDS = re.compile(r"<[^<>\s]+>")
_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv|vs)\s*(\[\d+\])?\s*:|\[[^\]]*\])\s*", re.IGNORECASE)


def _subject(value: str) -> str:
    s = str(value or "")
    while True:
        t = _PREFIX.sub("", s, count=1)
        if t == s:
            return " ".join(s.split()).lower()
        s = t


def _text(value: object) -> str:
    try:
        return str(make_header(decode_header(str(value))))
    except Exception:  # an undecodable encoded-word: keep it as written
        return str(value)


def read_mbox(path: Path, *, tz: str = "UTC", subject_threads: bool = False) -> Export:
    """Read an mbox archive into participation rows (one activity per thread)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(5)
    except READ_ERRORS as exc:
        raise bad(path, "the file", f"cannot be read ({exc})", "an mbox file") from None
    if head != b"From ":
        raise bad(path, "line 1", f"starts with {head!r}", "an mbox file whose first line begins with 'From '")
    box = mailbox.mbox(path, factory=None, create=False)
    msgs = []
    try:
        for n, msg in enumerate(box, start=1):
            where = f"message {n}"
            sender = email.utils.parseaddr(_text(msg.get("From", "")))[1].strip().lower()
            if "@" not in sender:
                raise bad(path, f"{where}, header 'From'", f"is {msg.get('From')!r}", "an address such as 'Ann <ann@example.org>'")
            raw = msg.get("Date")
            try:
                when = email.utils.parsedate_to_datetime(str(raw))
            except (TypeError, ValueError, IndexError):
                raise bad(path, f"{where}, header 'Date'", f"is {raw!r}", "an RFC 5322 date such as 'Mon, 01 Jan 2024 10:00:00 +0000'") from None
            stamp = when.timestamp() if when.tzinfo is not None else when.replace(tzinfo=timezone.utc).timestamp()
            own = (_IDS.findall(str(msg.get("Message-ID", ""))) or [f"<{path.name}#{n}>"])[0]
            refs = _IDS.findall(str(msg.get("References", "")))
            reply = _IDS.findall(str(msg.get("In-Reply-To", "")))
            listid = _IDS.findall(str(msg.get("List-Id", "")))
            msgs.append((own, refs, reply, sender, stamp, _subject(_text(msg.get("Subject", ""))), listid[0][1:-1] if listid else None))
    except (UnicodeError, *READ_ERRORS) as exc:
        raise bad(path, f"message {len(msgs) + 1}", f"cannot be read ({exc})", "an mbox of RFC 5322 messages") from None
    if not msgs:
        raise bad(path, "the file", "holds no messages", "an mbox with at least one message")
    thread: dict[str, str] = {}
    first_by_subject: dict[str, str] = {}
    for own, refs, reply, _, _, subj, _ in sorted(msgs, key=lambda m: m[4]):
        parent = (refs[-1:] or reply[:1] or [None])[0]
        if parent is not None:
            root = thread.get(parent) or (refs[0] if refs else parent)
        elif subject_threads and subj and subj in first_by_subject:
            root = first_by_subject[subj]
        else:
            root = own
        thread[own] = root
        if subj:
            first_by_subject.setdefault(subj, root)
    parts = []
    n_bots = 0
    starts: dict[str, str] = {}
    for own, _, _, sender, stamp, _, topic in sorted(msgs, key=lambda m: m[4]):
        if is_bot_name(sender):
            n_bots += 1
            continue
        root = thread[own]
        role = "starter" if starts.setdefault(root, sender) == sender else "replier"
        parts.append(Part(root, sender, stamp, "interaction", role, WEIGHTS[role], topic))
    notes = [f"{path}: dropped {n_bots} message(s) from bot addresses"] if n_bots else []
    return Export(rows(parts, path=path, what="messages"), Source.file(path, "frame"), notes=notes)


READER = register_reader(Reader(name="mbox", read=read_mbox, suffixes=(".mbox", ".mbx"), export=True,
                                description="an mbox mailing-list archive"))
