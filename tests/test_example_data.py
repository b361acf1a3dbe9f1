"""Checks of the committed example coworking dataset (examples/coworking/).

Uses only pandas and pytest, so it does not depend on cop's loader.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "coworking"
PACKAGE_DATA = ROOT / "cop" / "data" / "coworking"
GENERATOR = ROOT / "examples" / "generate_coworking.py"
FILES = ("activities.csv", "members.csv", "activity_details.csv")
LARGE = ("Nordbank Digital", "Kivi Industrial Labs")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def activities() -> pd.DataFrame:
    return _read("activities.csv")


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return _read("members.csv")


@pytest.fixture(scope="module")
def details() -> pd.DataFrame:
    return _read("activity_details.csv")


def test_columns(activities, members, details):
    assert list(activities.columns) == [
        "activity_id", "member_id", "timestamp", "kind", "role", "topic", "weight", "channel"]
    assert list(members.columns) == [
        "member_id", "name", "organization", "role", "joined", "left", "org_size", "profession"]
    assert list(details.columns) == ["activity_id", "type", "topic", "external", "organizer"]


def test_row_counts(activities, members, details):
    assert 30_000 <= len(activities) <= 80_000
    assert len(details) > 1_000
    assert len(members) > 150
    assert (DATA / "activities.csv").stat().st_size < 6_000_000


def test_allowed_values(activities, members, details):
    assert set(activities["kind"]) <= {"event", "interaction", "collaboration", "presence",
                                       "contribution"}
    assert set(activities["channel"]) <= {"public", "private"}
    assert set(members["role"]) == {"member", "manager", "staff", "guest"}
    assert set(details["external"]) <= {"true", "false"}
    assert (activities["weight"].astype(float) >= 0).all()
    assert not activities.duplicated(["activity_id", "member_id"]).any()


def test_every_activity_has_details(activities, details):
    assert details["activity_id"].is_unique
    assert set(activities["activity_id"]) == set(details["activity_id"])


def test_every_participant_is_listed(activities, members):
    assert members["member_id"].is_unique
    assert set(activities["member_id"]) <= set(members["member_id"])


def test_members_and_roles(members):
    assert (members["role"] == "member").sum() >= 150
    assert (members["role"] == "manager").sum() == 1
    assert (members["role"] == "staff").sum() >= 1
    sizes = members.loc[members["role"] == "member", "organization"].value_counts()
    for company in LARGE:
        assert 10 <= sizes[company] <= 30
    assert ((sizes >= 2) & (sizes <= 6)).sum() >= 10  # startups


def test_span_and_timestamps(activities):
    ts = pd.to_datetime(activities["timestamp"], utc=True, format="ISO8601")
    assert ts.notna().all()
    assert ts.max() - ts.min() >= pd.Timedelta(days=730)


def test_churn_exists(members):
    regular = members[members["role"] == "member"]
    left = (regular["left"] != "").sum()
    assert 0.15 * len(regular) < left < 0.6 * len(regular)


def test_large_companies_are_peripheral(activities, members):
    org = activities["member_id"].map(members.set_index("member_id")["organization"])
    large = org.isin(LARGE)
    share_events = (activities.loc[large, "kind"] == "event").mean()
    share_events_others = (activities.loc[~large, "kind"] == "event").mean()
    assert share_events < share_events_others / 3


def test_package_copy_matches():
    for name in FILES:
        assert (PACKAGE_DATA / name).read_bytes() == (DATA / name).read_bytes()


def test_regeneration_is_byte_identical(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--seed", "7", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
