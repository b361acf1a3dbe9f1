"""The iCalendar reader (``.ics``): events and who takes part in them, with the standard library only.

Format: RFC 5545.  Lines are unfolded (a line starting with a space or tab
continues the previous one, section 3.1); each ``VEVENT`` gives ``UID``,
``DTSTART`` (``...Z`` in UTC, ``TZID=`` an IANA zone read with :mod:`zoneinfo`,
a floating time or a ``VALUE=DATE`` day in the reader's ``tz``), ``STATUS``
(``CANCELLED`` events are skipped), ``ORGANIZER``, ``ATTENDEE`` (with
``PARTSTAT``, ``CUTYPE``, ``ROLE``), ``RRULE``, ``EXDATE`` and
``RECURRENCE-ID``.  Other components (``VTIMEZONE``, ``VALARM``, ``VTODO``) are
skipped.

Who takes part (``kind`` ``event``; one activity per occurrence):

=========== ====== ===========================================================
role        weight who
=========== ====== ===========================================================
organizer   1.0    the ``ORGANIZER``
attendee    1.0    an ``ATTENDEE`` with ``PARTSTAT=ACCEPTED``
tentative   0.5    an ``ATTENDEE`` with ``PARTSTAT=TENTATIVE``
=========== ====== ===========================================================

Declined, delegated and ``NEEDS-ACTION`` attendees (the default), rooms and
resources (``CUTYPE=ROOM``/``RESOURCE``) and ``ROLE=NON-PARTICIPANT`` do not
take part.  Member ids are the lower-case ``mailto:`` address.

Recurrence (a documented subset of RFC 5545 section 3.3.10): ``FREQ`` one of
``DAILY``, ``WEEKLY``, ``MONTHLY``, with ``INTERVAL``, ``COUNT``, ``UNTIL``,
``BYDAY`` (``MO``..``SU``; with ``MONTHLY`` also ``1MO``, ``-1FR``) and ``WKST``;
``EXDATE`` removes occurrences and a ``RECURRENCE-ID`` event replaces one.
Occurrences are computed in the wall-clock time of ``DTSTART``'s zone.  A rule
with neither ``COUNT`` nor ``UNTIL`` is expanded up to ``until`` (default: one
year after its ``DTSTART``), with a warning.  Any other rule part is one error
naming the line.  An occurrence's activity id is ``{UID}@{start, UTC}``; an
event that does not recur keeps its ``UID``.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "cal.ics"
>>> _ = p.write_text("BEGIN:VCALENDAR\\r\\nBEGIN:VEVENT\\r\\nUID:e1\\r\\nDTSTART:20240101T100000Z\\r\\n"
...     "RRULE:FREQ=WEEKLY;COUNT=3\\r\\nORGANIZER:mailto:Ann@example.org\\r\\n"
...     "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@example.org\\r\\n"
...     "ATTENDEE;PARTSTAT=DECLINED:mailto:cy@example.org\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n")
>>> from cop.io import read_activities
>>> log = read_activities(p)
>>> log.n_activities, sorted(log.data["member_id"].astype(str).unique())
(3, ['ann@example.org', 'bo@example.org'])
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cop._locate import Source
from cop.io._export import READ_ERRORS, Export, Part, bad, rows
from cop.io.registry import Reader, register_reader

__all__ = ["read_ics", "WEIGHTS", "MAX_OCCURRENCES", "READER"]

#: Weight of each role.
WEIGHTS = {"organizer": 1.0, "attendee": 1.0, "tentative": 0.5}
#: Most occurrences one rule may expand to.
MAX_OCCURRENCES = 100_000
_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_RULE_PARTS = {"FREQ", "COUNT", "UNTIL", "INTERVAL", "BYDAY", "WKST"}


@dataclass
class _Prop:
    name: str
    params: dict[str, str]
    value: str
    line: int


@dataclass
class _Event:
    line: int
    props: dict[str, _Prop] = field(default_factory=dict)
    attendees: list[_Prop] = field(default_factory=list)
    exdates: list[_Prop] = field(default_factory=list)


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad(path, "the file", "is not UTF-8 text", "an iCalendar file (RFC 5545, UTF-8)") from None
    except READ_ERRORS as exc:
        raise bad(path, "the file", f"cannot be read ({exc})", "an iCalendar file") from None
    out: list[tuple[int, str]] = []
    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if raw[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif raw.strip():
            out.append((n, raw))
    return out


def _prop(path: Path, n: int, line: str) -> _Prop:
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1:]
            break
    else:
        raise bad(path, f"line {n}", f"{line[:40]!r} has no ':'", "NAME[;PARAM=VALUE]:VALUE")
    name, *params = head.split(";")
    out = {}
    for p in params:
        k, _, v = p.partition("=")
        out[k.strip().upper()] = v.strip().strip('"')
    return _Prop(name.strip().upper(), out, value.strip(), n)


def _events(path: Path) -> list[_Event]:
    events: list[_Event] = []
    stack: list[str] = []
    current: _Event | None = None
    seen_calendar = False
    for n, line in _lines(path):
        p = _prop(path, n, line)
        if p.name == "BEGIN":
            stack.append(p.value.upper())
            seen_calendar = seen_calendar or p.value.upper() == "VCALENDAR"
            if stack[-1] == "VEVENT":
                current = _Event(n)
            continue
        if p.name == "END":
            if not stack or stack[-1] != p.value.upper():
                raise bad(path, f"line {n}", f"END:{p.value} without a matching BEGIN", f"END:{stack[-1] if stack else 'VCALENDAR'}")
            if stack.pop() == "VEVENT" and current is not None:
                events.append(current)
                current = None
            continue
        if current is None or stack[-1] != "VEVENT":
            continue  # calendar, time zone, alarm properties
        if p.name == "ATTENDEE":
            current.attendees.append(p)
        elif p.name == "EXDATE":
            current.exdates.append(p)
        else:
            current.props.setdefault(p.name, p)
    if not seen_calendar:
        raise bad(path, "line 1", "has no BEGIN:VCALENDAR", "an iCalendar file (RFC 5545)")
    if stack:
        raise bad(path, "the end of the file", f"BEGIN:{stack[-1]} is not closed", f"END:{stack[-1]}")
    if not events:
        raise bad(path, "the calendar", "holds no VEVENT", "at least one event (BEGIN:VEVENT ... END:VEVENT)")
    return events


def _zone(path: Path, p: _Prop, tz: str):
    name = p.params.get("TZID")
    try:
        return ZoneInfo(name or tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise bad(path, f"line {p.line}, parameter 'TZID'", f"{name!r} is not a known zone", "an IANA zone name such as Europe/Oslo") from None


def _times(path: Path, p: _Prop, tz: str) -> list[datetime]:
    """The aware datetimes of a DTSTART/EXDATE/RECURRENCE-ID value (a list: EXDATE may hold several)."""
    zone = _zone(path, p, tz)
    out = []
    for v in p.value.split(","):
        v = v.strip()
        try:
            if len(v) == 8:
                out.append(datetime.combine(date(int(v[:4]), int(v[4:6]), int(v[6:8])), datetime.min.time(), zone))
            elif v.endswith("Z"):
                out.append(datetime.strptime(v, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc))
            else:
                out.append(datetime.strptime(v, "%Y%m%dT%H%M%S").replace(tzinfo=zone))
        except ValueError:
            raise bad(path, f"line {p.line}, field '{p.name}'", f"is {v!r}", "a date-time such as 20240101T100000Z or a date 20240101") from None
    return out


def _rule(path: Path, p: _Prop) -> dict[str, str]:
    parts = {}
    for item in p.value.split(";"):
        k, _, v = item.partition("=")
        parts[k.strip().upper()] = v.strip().upper()
    extra = sorted(set(parts) - _RULE_PARTS)
    if extra:
        raise bad(path, f"line {p.line}, field 'RRULE'", f"uses {', '.join(extra)}", f"only {', '.join(sorted(_RULE_PARTS))} (cop's supported subset)")
    if parts.get("FREQ") not in ("DAILY", "WEEKLY", "MONTHLY"):
        raise bad(path, f"line {p.line}, field 'RRULE'", f"FREQ={parts.get('FREQ')}", "FREQ=DAILY, WEEKLY or MONTHLY (cop's supported subset)")
    for key in ("COUNT", "INTERVAL"):
        if key in parts and not (parts[key].isdigit() and int(parts[key]) > 0):
            raise bad(path, f"line {p.line}, field 'RRULE'", f"{key}={parts[key]}", f"a positive whole number for {key}")
    for d in filter(None, parts.get("BYDAY", "").split(",")):
        num = d[:-2]
        if d[-2:] not in _DAYS or (num and (parts["FREQ"] != "MONTHLY" or not num.lstrip("+-").isdigit() or int(num) == 0)):
            raise bad(path, f"line {p.line}, field 'RRULE'", f"BYDAY={parts['BYDAY']}", "days MO..SU (with MONTHLY also 1MO, -1FR)")
    return parts


def _occurrences(path: Path, p: _Prop, start: datetime, until_default: datetime) -> tuple[list[datetime], bool]:
    """The starts of the occurrences of rule ``p`` from ``start``, and whether the rule was unbounded."""
    rule = _rule(path, p)
    interval = int(rule.get("INTERVAL", "1"))
    count = int(rule["COUNT"]) if "COUNT" in rule else None
    until = None
    if "UNTIL" in rule:
        u = _Prop("UNTIL", {"TZID": start.tzinfo.key} if isinstance(start.tzinfo, ZoneInfo) else {}, rule["UNTIL"], p.line)
        until = _times(path, u, "UTC")[0]
        if len(rule["UNTIL"]) == 8:
            until = until + timedelta(days=1) - timedelta(seconds=1)
    unbounded = count is None and until is None
    limit = until if until is not None else until_default
    zone = start.tzinfo
    local = start.replace(tzinfo=None)
    days = [d for d in rule.get("BYDAY", "").split(",") if d]
    wkst = _DAYS.index(rule.get("WKST", "MO")) if rule.get("WKST", "MO") in _DAYS else 0
    out: list[datetime] = []

    def candidates():
        k = 0
        if rule["FREQ"] == "DAILY":
            while True:
                d = local + timedelta(days=k * interval)
                if not days or _DAYS[d.weekday()] in days:
                    yield d
                k += 1
        elif rule["FREQ"] == "WEEKLY":
            wanted = sorted({_DAYS.index(d) for d in days} or {local.weekday()}, key=lambda w: (w - wkst) % 7)
            week0 = local - timedelta(days=(local.weekday() - wkst) % 7)
            while True:
                base = week0 + timedelta(weeks=k * interval)
                for w in wanted:
                    yield base + timedelta(days=(w - wkst) % 7)
                k += 1
        else:
            while True:
                m = local.month - 1 + k * interval
                y, m = local.year + m // 12, m % 12 + 1
                n_days = calendar.monthrange(y, m)[1]
                picks = []
                if not days:
                    picks = [local.day] if local.day <= n_days else []
                for d in days:
                    wd = _DAYS.index(d[-2:])
                    all_days = [x for x in range(1, n_days + 1) if date(y, m, x).weekday() == wd]
                    if d[:-2]:
                        i = int(d[:-2])
                        if 1 <= abs(i) <= len(all_days):
                            picks.append(all_days[i - 1 if i > 0 else i])
                    else:
                        picks.extend(all_days)
                for x in sorted(set(picks)):
                    yield local.replace(year=y, month=m, day=x)
                k += 1
                if y > local.year + 1000:
                    return

    for c in candidates():
        if c < local:
            continue
        when = c.replace(tzinfo=zone)
        if when > limit or (count is not None and len(out) >= count):
            break
        out.append(when)
        if len(out) >= MAX_OCCURRENCES:
            raise bad(path, f"line {p.line}, field 'RRULE'", f"expands to more than {MAX_OCCURRENCES} occurrences", "a rule with COUNT or UNTIL")
    return out, unbounded


def _address(value: str) -> str:
    v = value.strip()
    return (v[7:] if v.lower().startswith("mailto:") else v).strip().lower()


def read_ics(path: Path, *, tz: str = "UTC", until: str | None = None) -> Export:
    """Read an iCalendar file into event participations (occurrences of recurring events expanded)."""
    path = Path(path)
    events = _events(path)
    overrides: dict[str, set[datetime]] = {}
    for ev in events:
        if "RECURRENCE-ID" in ev.props and "UID" in ev.props:
            overrides.setdefault(ev.props["UID"].value, set()).update(_times(path, ev.props["RECURRENCE-ID"], tz))
    horizon = None
    if until is not None:
        try:
            horizon = datetime.fromisoformat(until)
        except ValueError:
            raise bad(path, "option 'until'", f"is {until!r}", "an ISO date such as 2025-12-31") from None
        horizon = horizon if horizon.tzinfo else horizon.replace(tzinfo=ZoneInfo(tz))
    parts: list[Part] = []
    unbounded = 0
    for i, ev in enumerate(events, start=1):
        if "DTSTART" not in ev.props:
            raise bad(path, f"line {ev.line} (event {i}), field 'DTSTART'", "is missing", "the event's start, e.g. DTSTART:20240101T100000Z")
        if ev.props.get("STATUS") and ev.props["STATUS"].value.upper() == "CANCELLED":
            continue
        uid = ev.props["UID"].value if "UID" in ev.props else f"{path.name}#event{i}"
        start = _times(path, ev.props["DTSTART"], tz)[0]
        if "RECURRENCE-ID" in ev.props:
            rid = _times(path, ev.props["RECURRENCE-ID"], tz)[0]
            starts, ids = [start], [f"{uid}@{rid.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"]
        elif "RRULE" in ev.props:
            limit = horizon or start + timedelta(days=366)
            occ, open_ended = _occurrences(path, ev.props["RRULE"], start, limit)
            unbounded += open_ended
            skip = {t.astimezone(timezone.utc) for p in ev.exdates for t in _times(path, p, tz)}
            skip |= {t.astimezone(timezone.utc) for t in overrides.get(uid, ())}
            starts = [t for t in occ if t.astimezone(timezone.utc) not in skip]
            ids = [f"{uid}@{t.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}" for t in starts]
        else:
            starts, ids = [start], [uid]
        people = []
        if "ORGANIZER" in ev.props and _address(ev.props["ORGANIZER"].value):
            people.append((_address(ev.props["ORGANIZER"].value), "organizer"))
        for a in ev.attendees:
            status = a.params.get("PARTSTAT", "NEEDS-ACTION").upper()
            if a.params.get("CUTYPE", "INDIVIDUAL").upper() in ("ROOM", "RESOURCE") or a.params.get("ROLE", "").upper() == "NON-PARTICIPANT":
                continue
            if status in ("ACCEPTED", "TENTATIVE") and _address(a.value):
                people.append((_address(a.value), "attendee" if status == "ACCEPTED" else "tentative"))
        for when, activity in zip(starts, ids):
            stamp = when.timestamp()
            for member, role in people:
                parts.append(Part(activity, member, stamp, "event", role, WEIGHTS[role]))
    notes = []
    if unbounded:
        notes.append(f"{path}: {unbounded} recurring event(s) have no COUNT or UNTIL; expanded up to "
                     f"{'the until option' if horizon else 'one year after their start'}")
    return Export(rows(parts, path=path, what="attendees who accepted (or an organizer)"), Source.file(path, "frame"), notes=notes)


READER = register_reader(Reader(name="ics", read=read_ics, suffixes=(".ics", ".ical", ".ifb"), export=True,
                                description="an iCalendar file (.ics)"))
