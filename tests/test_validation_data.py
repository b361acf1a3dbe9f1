"""The validation histories: fixtures load with cop, keep their published sizes and structure; the harness runs.

These tests assert facts of the data (sizes published by the datasets' authors,
the within-group contact shares, the collapse of the messaging network, the
Southern Women attendance table), never cop's current answers: the baseline
figures in ``docs/validation.md`` are expected to change as the rules improve.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cop

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "validation"


def _harness():
    name = "cop_validation_harness"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "validation" / "run_validation.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def harness():
    return _harness()


@functools.lru_cache(maxsize=None)
def _history(name: str):
    return _harness().load_history(name)


def _load(name: str) -> cop.ActivityLog:
    return _history(name)[0]


# Sizes published by the datasets' authors (SNAP's CollegeMsg page; the SocioPatterns
# releases; the Southern Women table) -- not read from our own files.
PUBLISHED = {
    "collegemsg": {"people": 1899, "activities": 59835},
    "highschool": {"people": 327, "activities": 188508, "groups": 9},
    "workplace": {"people": 92, "activities": 9827, "groups": 5},
    "davis": {"people": 18, "activities": 14, "rows": 89},
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_sizes(name):
    log = _load(name)
    pub = PUBLISHED[name]
    assert log.n_members == pub["people"]
    assert log.to_frame()["activity_id"].nunique() == pub["activities"]
    if "rows" in pub:
        assert len(log) == pub["rows"]
    if "groups" in pub:
        assert log.members["organization"].nunique() == pub["groups"]


#: Merge commits of each fixture's head, counted with ``git rev-list --merges --count <head_commit>`` on the
#: original repositories (not read from our own files).
MERGES = {"request": 680, "moment": 1014, "nose": 141, "urllib3": 736, "sphinx": 5835, "click": 1183}


@pytest.mark.parametrize("name", ["request", "moment", "nose", "urllib3", "sphinx", "click"])
def test_git_fixtures_match_their_truth_files(harness, name):
    log, truth = _history(name)
    frame = log.to_frame()
    assert frame["activity_id"].nunique() == truth["commits"]
    assert len(frame) == truth["rows"] and log.n_members == truth["people"]
    role = frame["role"].astype(str)
    assert set(role) <= {"author", "merger", "committer", "coauthor"}
    # every commit has exactly one author row, or (a merge commit) one or two merger rows: its author, and its
    # committer when a different person (not GitHub's web-flow)
    first = frame.groupby("activity_id", observed=True)["role"].first().astype(str)
    assert first.isin(["author", "merger"]).all() and len(first) == truth["commits"]
    assert (role == "author").sum() == (first == "author").sum()
    assert (first == "merger").sum() == MERGES[name]
    assert not set(frame.loc[role == "committer", "activity_id"]) & set(first.index[first == "merger"])
    assert frame["timestamp"].max() <= pd.Timestamp(truth["head_date"]).tz_convert("UTC") + pd.Timedelta(days=1)


def test_fixtures_hold_no_names_or_emails():
    pattern = {"collegemsg": r"u\d{4}", "highschool": r"s\d{4}", "workplace": r"w\d{4}", "davis": r"w\d{2}"}
    for folder in sorted(p for p in FIX.iterdir() if p.is_dir()):
        for f in folder.glob("activities.csv*"):
            text = (gzip.open(f, "rt") if f.suffix == ".gz" else open(f)).read()
            assert "@" not in text, f
        log = _load(folder.name)
        ids = log.members.index.astype(str)
        want = pattern.get(folder.name, r"m\d{4}")
        assert ids.str.fullmatch(want).all(), folder.name


def _within_share(log: cop.ActivityLog) -> tuple[float, float]:
    """(share of contacts inside a group, the share random mixing would give), from the loaded log."""
    data = log.to_frame()
    org = log.members["organization"]
    g = data["member_id"].astype(object).map(org).to_numpy()
    act = data["activity_id"].cat.codes.to_numpy()
    order = np.argsort(act, kind="stable")
    a, b = g[order][0::2], g[order][1::2]
    assert (act[order][0::2] == act[order][1::2]).all()
    n = org.value_counts().to_numpy(float)
    return float((a == b).mean()), float((n * (n - 1)).sum() / (n.sum() * (n.sum() - 1)))


@pytest.mark.parametrize("name, share, expected", [("highschool", 0.930, 0.110), ("workplace", 0.820, 0.257)])
def test_within_group_contact_share(harness, name, share, expected):
    log, truth = _history(name)
    got, rand = _within_share(log)
    assert got == pytest.approx(share, abs=0.005)
    assert got == pytest.approx(truth["within_group_contact_share"], abs=1e-4)
    assert rand == pytest.approx(expected, abs=0.005)
    assert got >= 2 * rand  # the groups are at least twice as inward as random mixing


def test_group_mixing_agrees_with_direct_count(harness):
    log = _load("workplace")
    mix = harness.group_mixing(log)
    got, _ = _within_share(log)
    cross = mix["external"].sum() / 2
    assert mix["internal"].sum() / (mix["internal"].sum() + cross) == pytest.approx(got)
    # expected E-I under random mixing: 1 - 2 (n_g - 1) / (N - 1)
    row = mix.set_index("group").loc["SFLE"]
    assert row["members"] == 4 and row["expected_ei"] == pytest.approx(1 - 2 * 3 / 91)
    assert ((mix["weighted_ei"] >= -1) & (mix["weighted_ei"] <= 1)).all()


def test_messaging_network_collapses():
    data = _load("collegemsg").to_frame()
    months = data.drop_duplicates("activity_id")["timestamp"].dt.tz_localize(None).dt.to_period("M")
    per = months.value_counts().sort_index()
    peak = per.idxmax()
    after = per[per.index > peak].iloc[:-1]  # complete months after the peak (the last month is partial)
    assert str(peak) == "2004-05"
    assert (after.iloc[1:] < 0.2 * per.max()).all()  # from the second month after the peak on, below 20 %
    assert after.iloc[-1] < 0.1 * per.max()
    people = data.assign(m=data["timestamp"].dt.tz_localize(None).dt.to_period("M")).groupby("m")["member_id"].nunique()
    assert people[after.index[-1]] < 0.5 * people.max()


def test_davis_attendance_table_and_levels(harness):
    log, truth = _history("davis")
    data = log.to_frame()
    # the attendance row sums of the published table (DGG 1941, women in their order)
    row_sums = [8, 7, 8, 7, 4, 4, 4, 3, 4, 4, 4, 6, 7, 8, 5, 2, 2, 2]
    counts = data["member_id"].astype(str).value_counts()
    assert [int(counts[f"w{i:02d}"]) for i in range(1, 19)] == row_sums
    # 6/27 was attended by women 1, 2 and 4
    assert sorted(data.loc[data["timestamp"].dt.strftime("%m-%d") == "06-27", "member_id"].astype(str)) == ["w01", "w02", "w04"]
    levels = pd.Series({r["member_id"]: r["published_level"] for r in truth["levels"]})
    assert levels.value_counts().to_dict() == {"core": 7, "secondary": 6, "primary": 5}
    assert levels[["w01", "w02", "w03", "w04", "w13", "w14", "w15"]].eq("core").all()


def test_weighted_kappa_by_hand(harness):
    # 4 items, one off by one step: observed disagreement 0.25 * 0.5; expected from margins
    a, b = [0, 1, 2, 2], [0, 1, 2, 1]
    obs = 0.125
    pa, pb = np.array([1, 1, 2]) / 4, np.array([1, 2, 1]) / 4
    w = np.abs(np.subtract.outer(range(3), range(3))) / 2
    exp = (w * np.outer(pa, pb)).sum()
    assert harness.weighted_kappa(a, b) == pytest.approx(1 - obs / exp)
    assert harness.weighted_kappa([0, 1, 2], [0, 1, 2]) == 1.0


@pytest.mark.parametrize("name", ["request", "moment", "nose"])
def test_dead_project_labels_follow_the_notice(harness, name):
    """Every 'after_notice' label is after the maintainers' notice, with activity below half the busiest year's."""
    log, truth = _history(name)
    notice = pd.Timestamp(truth["notices"][0]["date"])
    commits = log.to_frame().drop_duplicates("activity_id")["timestamp"].dt.tz_localize(None).dt.to_period("M")
    per = commits.value_counts().sort_index()
    per = per.reindex(pd.period_range(per.index.min(), per.index.max(), freq="M"), fill_value=0)
    roll = per.rolling(3, min_periods=1).mean()
    busiest = per.groupby(per.index.year).sum()
    labels = [p for p in truth["periods"] if p["rule"] == "after_notice"]
    assert labels
    years = [int(p["period"][:4]) for p in truth["periods"] if p["rule"] == "busiest_year"]
    ref_year = years[0] if years else None
    for p in labels:
        m = pd.Period(p["period"][:7], "M")
        assert m.start_time > notice
        if ref_year is not None:
            assert roll[m] < 0.5 * per[per.index.year == ref_year].mean()
    if ref_year is not None:
        complete = busiest.drop(busiest.index[[0, -1]])
        assert ref_year == complete.idxmax()


@pytest.mark.parametrize("name, listed", [("urllib3", 4), ("sphinx", 9)])
def test_thriving_projects_have_their_listed_maintainers(harness, name, listed):
    log, truth = _history(name)
    found = [m["member_ids"] for m in truth["maintainers"]]
    assert len(found) == listed and all(found)
    data = log.to_frame()
    labelled = {int(p["period"][:4]) for p in truth["periods"] if p["rule"] == "current_team_year"}
    (year,) = labelled
    in_year = set(data.loc[data["timestamp"].dt.year == year, "member_id"].astype(str))
    assert sum(bool(in_year & set(ids)) for ids in found) >= 2


def test_harness_on_a_small_subset(harness):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = harness.run(["davis", "workplace"])
    assert [r["history"] for r in res] == ["davis", "davis", "workplace"]
    davis = res[0]
    assert davis["kappa_items"] == 18 and -1 <= davis["weighted_kappa"] <= 1
    assert 0 <= davis["core_share"] <= 1
    wp = res[2]
    assert wp["within_share"] == pytest.approx(0.8203, abs=1e-3)
    assert {g["group"] for g in wp["groups"]} == {"DISQ", "DMCT", "DSE", "SFLE", "SRH"}
    text = harness.markdown(res)
    assert "| davis | lookback=275 |" in text and "SFLE" in text


@pytest.mark.slow
def test_harness_full_run(harness):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = harness.run()
    defaults = [r for r in res if r["config"] == "default"]
    assert [r["history"] for r in defaults] == list(harness.HISTORIES)
    for r in defaults:
        truth = harness.load_truth(r["history"])
        assert r["labelled"] == len(truth.get("periods", []))
        assert all(p["period"][:4].isdigit() for p in r["periods"])
    cal = harness.calibration(defaults)
    assert int(cal["periods"].sum()) == sum(r["labelled"] for r in defaults)
    assert re.search(r"Defaults: \d+/\d+ labelled periods right", harness.markdown(res))


def test_harness_cli_and_doctests(harness, tmp_path, capsys):
    import doctest

    assert doctest.testmod(harness).failed == 0
    out = tmp_path / "r.json"
    assert harness.main(["davis", "--no-alternative", "--json", str(out)]) == 0
    assert "| davis | default |" in capsys.readouterr().out
    import json

    (res,) = json.loads(out.read_text())
    assert res["history"] == "davis" and res["kappa_items"] == 18
    with pytest.raises(SystemExit):
        harness.main(["no-such-history"])
