"""The recurring-activity trap: one activity id reused for every occurrence of an event series."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cop import ActivityLog, diagnose, read_activities
from cop.cli import app
from cop.exceptions import ConfigError, DataWarning
from cop.occurrences import RECURRING_MIN_DAYS

runner = CliRunner()

#: Five event names, rotating weekly: week w is NAMES[w % 5], 45 weeks in all.
NAMES = ["Thursday Founders Breakfast", "Product Clinic", "Investor Office Hours", "Design Crit", "Friday Demo Night"]
WEEKS = 45
MAPPING = {"activity_id": "Event name", "member_id": "Attendee email", "timestamp": "Check-in time"}
CLI_MAP = [a for col, head in MAPPING.items() for a in ("--map", f"{col}={head}")]


@pytest.fixture
def event_export(tmp_path):
    """An event tool's check-in export: the event name repeats each occurrence, no occurrence id."""
    rng = np.random.default_rng(11)
    start = pd.Timestamp("2024-01-04 08:00")  # a Thursday
    rows = []
    for w in range(WEEKS):
        day = start + pd.Timedelta(weeks=w)
        for m in rng.choice(45, size=8, replace=False):
            t = day + pd.Timedelta(minutes=int(rng.integers(0, 40)))
            rows.append({"Event name": NAMES[w % 5], "Attendee email": f"m{m:02d}@example.org",
                         "Check-in time": t.strftime("%Y-%m-%d %H:%M")})
    path = tmp_path / "checkins.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _recurring(notes):
    return [n for n in notes if "unique per occurrence" in n]


def test_series_ids_warn_with_figures(event_export):
    with pytest.warns(DataWarning, match="is activity_id unique per occurrence"):
        log = read_activities(event_export, mapping=MAPPING)
    assert log.n_activities == 5
    (note,) = _recurring(log.warnings)
    # each name recurs every 5th week: 9 days, the first and last 40 weeks apart (281 days inclusive)
    assert "5 activities have rows on" in note
    assert "activity 'Thursday Founders Breakfast' has rows on 9 days over 281 days" in note
    assert "(and 2 more)" in note and "--split-activities day" in note


@pytest.mark.parametrize("by", ["day", "week"])
def test_split_makes_one_activity_per_occurrence(event_export, by):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        log = read_activities(event_export, mapping=MAPPING, split_activities=by)
    assert log.n_activities == WEEKS
    assert not _recurring(log.warnings)
    ids = set(log.data["activity_id"].astype(str))
    assert ("Thursday Founders Breakfast 2024-01-04" if by == "day" else "Thursday Founders Breakfast 2024-W01") in ids
    assert ("Product Clinic 2024-01-11" if by == "day" else "Product Clinic 2024-W02") in ids


def test_diagnosis_no_longer_says_everyone_is_inactive(event_export):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        merged = diagnose(read_activities(event_export, mapping=MAPPING))
        split = diagnose(read_activities(event_export, mapping=MAPPING, split_activities="day"))

    def inactive(d):
        counts = dict(zip(d.level_counts["level"], d.level_counts["count"]))
        return counts.get("inactive", 0)

    assert inactive(merged) == 45  # every series "happened" in its first week
    assert inactive(split) < 45
    assert split.phase != merged.phase


def test_threshold_is_the_named_constant():
    def frame(days):
        ts = pd.date_range("2024-01-01 10:00", periods=days, freq="7D")
        return pd.DataFrame({"activity_id": ["s"] * days, "member_id": ["a"] * days, "timestamp": ts.astype(str)})

    below = ActivityLog.from_frame(frame(RECURRING_MIN_DAYS - 1), emit_warnings=False)
    at = ActivityLog.from_frame(frame(RECURRING_MIN_DAYS), emit_warnings=False)
    assert not _recurring(below.warnings)
    assert _recurring(at.warnings)
    # many rows on one day are one occurrence
    one_day = pd.DataFrame({"activity_id": ["s"] * 50, "member_id": [f"m{i}" for i in range(50)],
                            "timestamp": ["2024-01-01 10:00"] * 50})
    assert not _recurring(ActivityLog.from_frame(one_day, emit_warnings=False).warnings)


def test_split_day_is_the_local_day():
    # 00:30 in Oslo on 8 March is 23:30 UTC on 7 March: the occurrence is the local day
    frame = pd.DataFrame({"activity_id": ["night", "night"], "member_id": ["a", "b"],
                          "timestamp": ["2024-03-08 00:30", "2024-03-07 20:00"]})
    log = ActivityLog.from_frame(frame, tz="Europe/Oslo", split_activities="day", emit_warnings=False)
    assert sorted(log.data["activity_id"].astype(str)) == ["night 2024-03-07", "night 2024-03-08"]


def test_split_copies_the_series_details_to_each_occurrence():
    frame = pd.DataFrame({"activity_id": ["talk", "talk", "lunch"], "member_id": ["a", "b", "a"],
                          "timestamp": ["2024-03-01", "2024-03-08", "2024-03-01"]})
    details = pd.DataFrame({"activity_id": ["talk", "lunch"], "type": ["meetup", "meal"], "external": ["yes", "no"]})
    log = ActivityLog.from_frame(frame, activities=details, split_activities="day", emit_warnings=False)
    got = log.activities
    assert sorted(got.index) == ["lunch 2024-03-01", "talk 2024-03-01", "talk 2024-03-08"]
    assert got.loc["talk 2024-03-08", "type"] == "meetup" and bool(got.loc["talk 2024-03-08", "external"])
    assert not [n for n in log.warnings if "have no row in" in n]
    assert len(log.activities_table) == 3


def test_bad_split_unit_is_one_error(event_export):
    with pytest.raises(ConfigError, match="expected one of day, week, got 'month'"):
        read_activities(event_export, mapping=MAPPING, split_activities="month")
    result = runner.invoke(app, ["validate", str(event_export), *CLI_MAP, "--split-activities", "month"])
    assert result.exit_code == 1
    assert "option '--split-activities'" in result.output and "Traceback" not in result.output


def test_cli_validate_and_diagnose(event_export):
    plain = runner.invoke(app, ["validate", str(event_export), *CLI_MAP])
    assert plain.exit_code == 0, plain.output
    assert "is activity_id unique per occurrence" in plain.output
    split = runner.invoke(app, ["validate", str(event_export), *CLI_MAP, "--split-activities", "day", "--format", "json"])
    assert split.exit_code == 0, split.output
    assert "unique per occurrence" not in split.output
    diag = runner.invoke(app, ["diagnose", str(event_export), *CLI_MAP])
    assert diag.exit_code == 0 and "unique per occurrence" in diag.output
