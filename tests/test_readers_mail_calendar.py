"""The mbox and iCalendar readers: threads, dates, attendance and recurrence worked out by hand from the fixtures."""

from __future__ import annotations

import pytest

from cop.exceptions import FileFormatError
from cop.io import read_activities
from tests._readers import FIXTURES


def _rows(log):
    d = log.data
    return {(a, m): (r, w, str(t.tz_convert(None))) for a, m, r, w, t in
            zip(d["activity_id"].astype(str), d["member_id"].astype(str), d["role"].astype(str), d["weight"], d["timestamp"])}


def test_mbox_threads_from_references_and_in_reply_to():
    log = read_activities(FIXTURES / "list.mbox")
    # message 2 replies to 1 (In-Reply-To); 3 names both in References; 4 reuses the subject without headers
    assert _rows(log) == {
        ("<a1@list.example.org>", "ann@example.org"): ("starter", 1.0, "2024-01-01 10:00:00"),  # From lower-cased
        ("<a1@list.example.org>", "bo@example.org"): ("replier", 0.5, "2024-01-01 11:00:00"),  # +0100
        ("<a1@list.example.org>", "cy@example.org"): ("replier", 0.5, "2024-01-02 14:30:00"),  # -0500, encoded name
        ("<a4@list.example.org>", "bo@example.org"): ("starter", 1.0, "2024-01-03 08:00:00"),
    }
    assert set(log.data["topic"].astype(str)) == {"makers.list.example.org"}


def test_mbox_subject_fallback_only_when_asked():
    log = read_activities(FIXTURES / "list.mbox", reader_options={"subject_threads": True})
    assert log.n_activities == 1
    assert _rows(log)[("<a1@list.example.org>", "bo@example.org")][0] == "replier"


def test_mbox_broken_date_names_message_and_header():
    with pytest.raises(FileFormatError, match=r"broken_date\.mbox, message 2, header 'Date'.*'yesterday afternoon'.*RFC 5322"):
        read_activities(FIXTURES / "broken_date.mbox")


def test_mbox_missing_from_and_not_an_mbox(tmp_path):
    p = tmp_path / "a.mbox"
    p.write_text("From x Mon Jan  1 00:00:00 2024\nDate: Mon, 01 Jan 2024 10:00:00 +0000\n\nbody\n")
    with pytest.raises(FileFormatError, match=r"message 1, header 'From'.*expected an address"):
        read_activities(p)
    p.write_text("Subject: hello\n\nbody\n")
    with pytest.raises(FileFormatError, match=r"a\.mbox, line 1.*'From '"):
        read_activities(p)


def test_ics_attendance_recurrence_zones_and_overrides():
    log = read_activities(FIXTURES / "calendar.ics")
    rows = _rows(log)
    # weekly on Tuesdays 18:00 Oslo (17:00 UTC in winter), COUNT=4: Jan 2, 9 (EXDATE), 16, 23 (moved to 19:00 by a
    # RECURRENCE-ID event with other attendees); declined, needs-action, the room and the alarm's attendee take no part
    expected = {}
    for day in ("20240102", "20240116"):
        a = f"w1@example.org@{day}T170000Z"
        when = f"{day[:4]}-{day[4:6]}-{day[6:]} 17:00:00"
        expected[(a, "ann@example.org")] = ("organizer", 1.0, when)
        expected[(a, "bo@example.org")] = ("attendee", 1.0, when)  # the folded line
        expected[(a, "cy@example.org")] = ("tentative", 0.5, when)
    moved = "w1@example.org@20240123T170000Z"
    expected[(moved, "ann@example.org")] = ("organizer", 1.0, "2024-01-23 18:00:00")
    expected[(moved, "fay@example.org")] = ("attendee", 1.0, "2024-01-23 18:00:00")
    # monthly on the first Friday until the end of March
    for day in ("2024-01-05", "2024-02-02", "2024-03-01"):
        expected[(f"m1@example.org@{day.replace('-', '')}T090000Z", "bo@example.org")] = ("organizer", 1.0, f"{day} 09:00:00")
    expected[("s1@example.org", "cy@example.org")] = ("attendee", 1.0, "2024-01-10 00:00:00")  # a whole day, in UTC
    assert rows == expected
    assert set(log.data["kind"].astype(str)) == {"event"}


def test_ics_all_day_event_in_the_given_zone():
    log = read_activities(FIXTURES / "calendar.ics", tz="Europe/Oslo")
    assert _rows(log)[("s1@example.org", "cy@example.org")][2] == "2024-01-09 23:00:00"


def _cal(tmp_path, *lines):
    p = tmp_path / "c.ics"
    p.write_text("\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR", ""]))
    return p


def test_ics_daily_interval_until_and_weekly_byday(tmp_path):
    p = _cal(tmp_path, "BEGIN:VEVENT", "UID:d", "DTSTART:20240101T080000Z", "RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20240107T080000Z",
             "ORGANIZER:mailto:a@example.org", "END:VEVENT",
             "BEGIN:VEVENT", "UID:w", "DTSTART:20240101T080000Z", "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3",
             "ORGANIZER:mailto:b@example.org", "END:VEVENT")
    ids = sorted(read_activities(p).data["activity_id"].astype(str).unique())
    assert ids == ["d@20240101T080000Z", "d@20240103T080000Z", "d@20240105T080000Z", "d@20240107T080000Z",
                   "w@20240101T080000Z", "w@20240104T080000Z", "w@20240108T080000Z"]


def test_ics_dst_keeps_wall_clock_time(tmp_path):
    p = _cal(tmp_path, "BEGIN:VEVENT", "UID:x", "DTSTART;TZID=Europe/Oslo:20240328T180000", "RRULE:FREQ=WEEKLY;COUNT=2",
             "ORGANIZER:mailto:a@example.org", "END:VEVENT")
    times = sorted(str(t.tz_convert(None)) for t in read_activities(p).data["timestamp"])
    assert times == ["2024-03-28 17:00:00", "2024-04-04 16:00:00"]  # summer time (UTC+2) from 31 March 2024


@pytest.mark.parametrize("lines, match", [
    (("BEGIN:VEVENT", "UID:x", "DTSTART:20240101T080000Z", "RRULE:FREQ=YEARLY;COUNT=2", "END:VEVENT"), r"line 5, field 'RRULE'.*FREQ=YEARLY"),
    (("BEGIN:VEVENT", "UID:x", "DTSTART:20240101T080000Z", "RRULE:FREQ=DAILY;BYHOUR=9", "END:VEVENT"), r"line 5, field 'RRULE'.*BYHOUR"),
    (("BEGIN:VEVENT", "UID:x", "DTSTART:2024-01-01", "END:VEVENT"), r"line 4, field 'DTSTART'.*'2024-01-01'"),
    (("BEGIN:VEVENT", "UID:x", "DTSTART;TZID=Mars/Base:20240101T080000", "END:VEVENT"), r"line 4, parameter 'TZID'.*Mars/Base"),
    (("BEGIN:VEVENT", "UID:x", "ORGANIZER:mailto:a@example.org", "END:VEVENT"), r"line 2 \(event 1\), field 'DTSTART'.*missing"),
    (("BEGIN:VEVENT", "UID:x", "DTSTART:20240101T080000Z"), r"line 5: END:VCALENDAR without a matching BEGIN; expected END:VEVENT"),
    (("BEGIN:VEVENT", "UID:x", "DTSTART:20240101T080000Z", "END:VEVENT", "END:VTODO"), r"line 6.*END:VTODO without"),
])
def test_ics_bad_input_names_the_line_and_field(tmp_path, lines, match):
    with pytest.raises(FileFormatError, match=match):
        read_activities(_cal(tmp_path, *lines))


def test_ics_without_events_and_without_takers(tmp_path):
    with pytest.raises(FileFormatError, match=r"no_events\.ics, the calendar: holds no VEVENT"):
        read_activities(FIXTURES / "no_events.ics")
    p = _cal(tmp_path, "BEGIN:VEVENT", "UID:x", "DTSTART:20240101T080000Z", "ATTENDEE;PARTSTAT=DECLINED:mailto:a@example.org", "END:VEVENT")
    with pytest.raises(FileFormatError, match="holds no attendees who accepted"):
        read_activities(p)
    (tmp_path / "t.ics").write_text("hello\n")
    with pytest.raises(FileFormatError, match=r"t\.ics, line 1"):
        read_activities(tmp_path / "t.ics")


def test_ics_unbounded_rule_stops_at_a_year_with_a_warning(tmp_path):
    p = _cal(tmp_path, "BEGIN:VEVENT", "UID:x", "DTSTART:20240101T080000Z", "RRULE:FREQ=MONTHLY", "ORGANIZER:mailto:a@example.org", "END:VEVENT")
    with pytest.warns(Warning, match="no COUNT or UNTIL"):
        log = read_activities(p)
    assert log.n_activities == 13  # 2024-01-01 .. 2025-01-01 (366 days later, inclusive)
    assert read_activities(p, reader_options={"until": "2024-03-15"}, emit_warnings=False).n_activities == 3
