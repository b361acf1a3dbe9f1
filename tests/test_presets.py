"""Presets: each shipped preset loads a synthetic export written in its tool's format; counts worked out by hand."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cop import read_activities
from cop.cli.app import app
from cop.exceptions import ConfigError, SchemaError
from cop.presets import load_preset, preset_names

FIX = Path(__file__).parent / "fixtures" / "presets"


def load(name: str, preset: str, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_activities(FIX / name, preset=preset, **kw)


def members(log) -> set[str]:
    return set(log.data["member_id"].astype(str))


def activities(log) -> dict[str, set[str]]:
    d = log.data.astype({"activity_id": str, "member_id": str})
    return {a: set(g["member_id"]) for a, g in d.groupby("activity_id")}


def test_shipped_presets():
    names = set(preset_names())
    assert {"meetup-attendees", "eventbrite-attendees", "luma-guests", "nexudus-checkins", "nexudus-event-attendees",
            "nexudus-bookings", "officernd-bookings", "cobot-work-sessions", "spacebring-bookings"} <= names
    for n in names:
        p = load_preset(n)
        assert p.source and p.expected_headers  # every preset cites where its columns come from


def test_meetup_rsvp_yes_only_event_from_file_name():
    # 7 RSVPs: Yes x4 + "yes" x1 kept; No and Waitlist left out; "user 1001" -> "1001"
    log = load("founders-breakfast-2024-03-07.csv", "meetup-attendees")
    assert len(log) == 5 and members(log) == {"1001", "1002", "1005", "1006", "1007"}
    assert activities(log) == {"founders-breakfast-2024-03-07": {"1001", "1002", "1005", "1006", "1007"}}
    assert log.start == pd.Timestamp("2024-03-07", tz="UTC")
    assert set(log.data["kind"].astype(str)) == {"event"}
    audit = log.summary()["sources"]["founders-breakfast-2024-03-07.csv"]
    assert audit["filtered"] == 2 and audit["accounts"] == 5 and audit["rows"] == 5
    assert any("left out 2 of 7 row(s) by status" in w for w in log.warnings)


def test_meetup_event_time_and_id_from_options_in_the_users_zone():
    log = load("founders-breakfast-2024-03-07.csv", "meetup-attendees", tz="Europe/Oslo",
               set_columns={"timestamp": "2024-03-07 18:30", "activity_id": "Breakfast #12"})
    assert log.start == pd.Timestamp("2024-03-07 17:30", tz="UTC")  # 18:30 in Oslo (UTC+1)
    assert set(log.data["activity_id"].astype(str)) == {"Breakfast #12"}


def test_per_event_file_without_a_date_says_how_to_give_it(tmp_path):
    p = tmp_path / "breakfast.csv"
    p.write_text((FIX / "founders-breakfast-2024-03-07.csv").read_text())
    with pytest.raises(ConfigError, match=r"breakfast.csv: preset 'meetup-attendees' reads one file per event") as e:
        read_activities(p, preset="meetup-attendees")
    assert "--set timestamp=" in e.value.hint


def test_eventbrite_attending_and_checked_in_capitalised_email_merged():
    # 6 tickets: Attending x3, Checked In x1 kept (Refunded, Deleted out); Ada's two tickets are one member
    log = load("design-meetup-2024-04-11.csv", "eventbrite-attendees")
    assert members(log) == {"ada.example@example.org", "ben@example.org", "eve@example.org"}
    assert len(log) == 3 and log.n_activities == 1
    audit = log.audit["design-meetup-2024-04-11.csv"]
    assert (audit["filtered"], audit["accounts"], audit["merged"]) == (2, 4, 1)


def test_luma_approved_guests_only():
    # 8 guests: approved x4; pending, declined, waitlist, invited left out
    log = load("ai-night-2024-05-02.csv", "luma-guests")
    assert members(log) == {"ada@example.org", "ben@example.org", "eve@example.org", "hal@example.org"}
    assert log.audit["ai-night-2024-05-02.csv"]["filtered"] == 4
    assert log.start == pd.Timestamp("2024-05-02", tz="UTC")


def test_nexudus_checkins_one_presence_activity_per_location_and_day():
    log = load("nexudus-checkins.csv", "nexudus-checkins")
    assert activities(log) == {"Nordic Hub 2024-02-01": {"101", "102"}, "Nordic Hub 2024-02-02": {"101", "103"},
                               "Harbour Loft 2024-02-02": {"102"}, "Nordic Hub 2024-02-05": {"101"}}
    assert set(log.data["kind"].astype(str)) == {"presence"}
    m = log.members
    assert m.loc["101", "organization"] == "Acme" and m.loc["102", "plan"] == "Fixed desk"
    assert log.summary()["organizations"] == 3


def test_nexudus_checkins_days_are_the_users_days():
    # 103 checked in at 23:30 UTC on 2 Feb: 00:30 on 3 Feb in Oslo, a day of its own there
    log = load("nexudus-checkins.csv", "nexudus-checkins", tz="Europe/Oslo")
    assert "Nordic Hub 2024-02-03" in activities(log) and log.n_activities == 5


def test_nexudus_event_attendees_checked_in_and_recurring_event_split():
    # 8 registrations, 6 checked in; event 501 on two days is two occurrences
    log = load("nexudus-event-attendees.csv", "nexudus-event-attendees")
    assert activities(log) == {"501 2024-03-14": {"ada@example.org", "ben@example.org", "cy@example.org"},
                               "501 2024-03-21": {"ada@example.org", "di@example.org"},
                               "502 2024-03-15": {"ben@example.org"}}
    assert log.audit["nexudus-event-attendees.csv"]["filtered"] == 2


def test_nexudus_bookings_tentative_left_out():
    log = load("nexudus-bookings.csv", "nexudus-bookings")
    assert activities(log) == {"Room A 2024-02-05": {"201", "202"}, "Room A 2024-02-06": {"201"},
                               "Room B 2024-02-05": {"202"}}
    assert log.audit["nexudus-bookings.csv"]["filtered"] == 1
    assert log.members.loc["202", "organization"] == "Beta" and log.members.loc["201", "plan"] == "Hot desk"


def test_officernd_bookings_canceled_and_team_only_left_out():
    log = load("officernd-bookings.csv", "officernd-bookings")
    assert activities(log) == {"res-1 2024-03-04": {"mem-1", "mem-2"}, "res-2 2024-03-05": {"mem-3"},
                               "res-1 2024-03-06": {"mem-2"}}
    assert log.audit["officernd-bookings.csv"]["filtered"] == 1
    assert any("left out 1 row(s) with no member in 'member'" in w for w in log.warnings)
    assert log.members.loc["mem-3", "organization"] == "team-1"


def test_cobot_work_sessions_one_presence_day_each():
    log = load("cobot-work-sessions.csv", "cobot-work-sessions")
    assert activities(log) == {"space 2024-01-08": {"c1", "c2"}, "space 2024-01-09": {"c1", "c3"},
                               "space 2024-01-10": {"c1"}}
    assert len(log) == 5


def test_spacebring_booking_with_attendees_is_a_small_group_interaction():
    # sb-3 lists its booker among the attendees (counted once); sb-4 is cancelled
    log = load("spacebring-bookings.csv", "spacebring-bookings")
    assert activities(log) == {"sb-1": {"ada@example.org", "ben@example.org", "cy@example.org"},
                               "sb-2": {"di@example.org"}, "sb-3": {"ada@example.org", "ben@example.org"}}
    assert set(log.data["kind"].astype(str)) == {"interaction"} and len(log) == 6
    org = log.members["organization"]
    # the company is the booker's: Ada booked sb-1 (Acme), Ben sb-3 (Beta); Cy booked only the cancelled sb-4
    assert (org["ada@example.org"], org["ben@example.org"], org["di@example.org"]) == ("Acme", "Beta", "Delta")
    assert pd.isna(org["cy@example.org"])


def test_wrong_export_for_the_preset_names_the_missing_columns():
    with pytest.raises(SchemaError, match=r"nexudus-checkins.csv: preset 'luma-guests' .*expects the column\(s\) 'email', "
                                          r"'approval_status'"):
        read_activities(FIX / "nexudus-checkins.csv", preset="luma-guests")


def test_map_overrides_a_preset_header(tmp_path):
    p = tmp_path / "checkins.csv"
    p.write_text((FIX / "nexudus-checkins.csv").read_text().replace("CoworkerId", "Member"))
    log = read_activities(p, preset="nexudus-checkins", mapping={"member_id": "Member"}, emit_warnings=False)
    assert members(log) == {"101", "102", "103"}


def test_users_own_preset_file(tmp_path):
    own = tmp_path / "desk.toml"
    own.write_text('name = "desk"\ntitle = "Our desk sheet"\nsource = "our own sheet"\nsplit = "day"\n'
                   '[columns]\nmember_id = "Who"\ntimestamp = "When"\n[constants]\nactivity_id = "desk"\nkind = "presence"\n'
                   '[[drop]]\ncolumn = "Note"\nvalues = ["sick"]\n')
    data = tmp_path / "d.csv"
    data.write_text("Who,When,Note\nann,05.03.2024,\nbo,05.03.2024,sick\nann,06.03.2024,\n")
    log = read_activities(data, preset=own, dayfirst=True, emit_warnings=False)
    assert activities(log) == {"desk 2024-03-05": {"ann"}, "desk 2024-03-06": {"ann"}}


def test_bad_preset_file_names_the_key(tmp_path):
    own = tmp_path / "bad.toml"
    own.write_text('name = "bad"\ntitle = "t"\nsource = "s"\n[columns]\nmember = "Who"\n')
    with pytest.raises(ConfigError, match=r"preset 'bad' \(.*bad.toml\): \[columns\]: 'member' is not a cop column"):
        load_preset(own)
    with pytest.raises(ConfigError, match=r"'nexudus' is not a preset; expected one of"):
        load_preset("nexudus")


def test_cli_preset_on_validate_and_presets_listing():
    runner = CliRunner()
    r = runner.invoke(app, ["validate", str(FIX / "nexudus-checkins.csv"), "--preset", "nexudus-checkins", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert '"activities": 4' in r.output
    r = runner.invoke(app, ["presets"])
    assert r.exit_code == 0 and "spacebring-bookings" in r.output and "CoworkerId" in r.output
    r = runner.invoke(app, ["presets", "meetup-attendees"])
    assert r.exit_code == 0 and "only rows where RSVP is 'yes'" in r.output
    r = runner.invoke(app, ["validate", str(FIX / "nexudus-checkins.csv"), "--preset", "nope"])
    assert r.exit_code == 1 and "'nope' is not a preset" in r.output


def test_spreadsheet_export_with_serial_dates(tmp_path):
    # a Nexudus check-in report saved from Excel: FromTime as serial days (45323.5 is 2024-02-01 12:00)
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Checkins"
    sheet.append(["CoworkerId", "BusinessName", "FromTime"])
    for who, day in ((101, 45323.5), (102, 45323.75), (101, 45324.5)):
        sheet.append([who, "Nordic Hub", day])
    path = tmp_path / "checkins.xlsx"
    book.save(path)
    log = read_activities(path, preset="nexudus-checkins", reader_options={"sheet": "Checkins"}, emit_warnings=False)
    assert activities(log) == {"Nordic Hub 2024-02-01": {"101", "102"}, "Nordic Hub 2024-02-02": {"101"}}
    assert log.start == pd.Timestamp("2024-02-01 12:00", tz="UTC")
