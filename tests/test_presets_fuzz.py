"""Fuzzing presets and identities: a mangled export, preset file or identities table loads or raises one cop error."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop.exceptions import CopError
from cop.io import read_activities
from cop.io import read_identities
from cop.presets import parse_preset

FIX = Path(__file__).parent / "fixtures" / "presets"
CASES = {
    "founders-breakfast-2024-03-07.csv": "meetup-attendees",
    "design-meetup-2024-04-11.csv": "eventbrite-attendees",
    "ai-night-2024-05-02.csv": "luma-guests",
    "nexudus-checkins.csv": "nexudus-checkins",
    "nexudus-event-attendees.csv": "nexudus-event-attendees",
    "nexudus-bookings.csv": "nexudus-bookings",
    "officernd-bookings.csv": "officernd-bookings",
    "cobot-work-sessions.csv": "cobot-work-sessions",
    "spacebring-bookings.csv": "spacebring-bookings",
}
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
cells = st.sampled_from(["", " ", "yes", "No", "true", "cancelled", "approved", "user 1", "A@B.org", "45352",
                         "2024-13-45", "31/12/2024", "1970-01-01", ";", ";;a@b.c", "\u00e9", "nan"]) | st.text(max_size=8)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
@SETTINGS
@given(data=st.data())
def test_mangled_cells_load_or_raise_one_cop_error(name, data, tmp_path):
    rows = list(csv.reader(io.StringIO((FIX / name).read_text())))
    for _ in range(data.draw(st.integers(1, 4))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = data.draw(cells)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            read_activities(path, preset=CASES[name])
        except CopError:
            pass


toml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=6)
    | st.sampled_from(["member_id", "kind", "day", "week", "RSVP", "meetup-user", "presence"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["member_id", "activity_id", "timestamp", "kind", "column", "values", "organization", "x"]), inner, max_size=3),
    max_leaves=6,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["name", "title", "source", "per_event", "split", "separator", "dayfirst", "normalize",
                                        "columns", "constants", "members", "keep", "drop", "sheet", "tz", "other"]),
                       toml_values, max_size=8))
def test_any_preset_data_parses_or_raises_config_error(data):
    try:
        parse_preset(data, path="fuzz.toml")
    except CopError:
        pass


@SETTINGS
@given(st.lists(st.tuples(cells, cells, cells), max_size=5))
def test_any_identities_table_reads_or_raises_one_cop_error(rows):
    frame = pd.DataFrame(rows, columns=["source", "handle", "member_id"], dtype=object)
    try:
        read_identities(frame)
    except CopError:
        pass
