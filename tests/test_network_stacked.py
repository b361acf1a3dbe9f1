"""The network's per-space diagnoses share the periods' window statistics (cop.network.stacked);
each must still be exactly ``cop.diagnose`` of that space's own log (issue 16, speed)."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cop
from cop.exceptions import DataWarning
from cop.kernel import Prepared, period_bounds, rolling_periods
from cop.network import space_logs
from cop.network.stacked import StackedWindows

FIX = Path(__file__).parent / "fixtures" / "network"


def quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return f(*a, **k)


def assert_same_diagnosis(got: cop.Diagnosis, want: cop.Diagnosis) -> None:
    """Field by field: every table exactly equal (values, dtypes, order), the graph's ties too."""
    for f in dataclasses.fields(cop.Diagnosis):
        if f.name in ("timings", "source"):
            continue
        a, b = getattr(got, f.name), getattr(want, f.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=f.name)
        elif f.name == "graph":
            assert (a.adjacency != b.adjacency).nnz == 0 and list(a.nodes) == list(b.nodes)
            pd.testing.assert_frame_equal(a.attributes, b.attributes, check_exact=True, obj="graph.attributes")
            assert (a.start, a.end) == (b.start, b.end)
        else:
            assert a == b, f.name


@pytest.mark.parametrize("with_tables", [True, False])
def test_every_space_of_the_fixture_is_diagnose_of_its_own_log(with_tables):
    if with_tables:
        log = quiet(cop.read_activities, FIX / "activities.csv", members=FIX / "members.csv")
        spaces = cop.network.read_spaces(FIX / "spaces.csv")
    else:
        log, spaces = quiet(cop.read_activities, FIX / "activities.csv"), None
    nd = quiet(cop.diagnose_network, log, spaces, lookback=90)
    subs = space_logs(log, spaces)     # each space's own export: its rows, members (managers as coordinators)
    assert sorted(nd.diagnoses) == ["bergen", "oslo", "tromso", "trondheim"]
    for name, d in nd.diagnoses.items():
        want = quiet(cop.diagnose, subs[name], as_of=nd.as_of, lookback=nd.lookback)
        assert len(want.levels_by_period) > 0 and len(want.timeline) >= 5
        assert_same_diagnosis(d, want)


def test_stacked_windows_are_each_space_own_windows():
    log = quiet(cop.read_activities, FIX / "activities.csv", members=FIX / "members.csv")
    subs = list(space_logs(log).values())
    preps = [quiet(Prepared, s) for s in subs]
    stack = StackedWindows(preps)
    as_of = log.end + pd.Timedelta(days=1)
    checked = 0
    for k, (sub, prep) in enumerate(zip(subs, preps)):
        bounds = period_bounds(sub, "MS", as_of)
        n = rolling_periods(bounds, 90)
        for i in range(len(bounds) - 1):
            first = max(0, i + 1 - n)
            blocks = [(bounds[j].value, bounds[j + 1].value) for j in range(first, i + 1)]
            lo, hi = blocks[0][0], blocks[-1][1]
            got, want = stack.window(k, lo, hi, blocks), prep.window(lo, hi, blocks=blocks)
            assert got.cols == want.cols
            for attr in ("participations", "intensity", "consistency", "engaged", "degree", "strength"):
                np.testing.assert_array_equal(getattr(got, attr), getattr(want, attr), err_msg=attr)
            assert (got.adjacency != want.adjacency).nnz == 0 and got.adjacency.shape == want.adjacency.shape
            assert (got.weights != want.weights).nnz == 0
            checked += 1
    assert checked >= 4 * 5


# --------------------------------------------------------------------------- the batched periods (issue 16, speed)

def _network_rows(seed: int = 7, spaces: int = 4, members: int = 40, days: int = 300) -> pd.DataFrame:
    """A seeded network: per space weekly events, 1:1 introductions, daily check-ins, visitors to another
    space's events and one streamed event (one activity id in every space); ``roles`` and dates vary by space."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01", tz="UTC")
    out = []
    for s in range(spaces):
        ids = [f"s{s}-m{i:02d}" for i in range(members)]
        p = rng.beta(2, 3, members)
        for d in range(days):
            t = start + pd.Timedelta(days=d, hours=9)
            came = [ids[i] for i in np.flatnonzero(rng.random(members) < p * 0.3)]
            out += [(f"s{s}-in-{d}", m, t, "presence", f"sp{s}") for m in came]
            if d % 7 == 2:
                went = [ids[i] for i in np.flatnonzero(rng.random(members) < p * 0.6)]
                out += [(f"s{s}-ev-{d}", m, t + pd.Timedelta(hours=8), "event", f"sp{s}") for m in went]
                a, b = rng.choice(members, 2, replace=False)
                out += [(f"s{s}-intro-{d}", ids[x], t + pd.Timedelta(hours=3), "interaction", f"sp{s}") for x in (a, b)]
        for v in rng.choice(members, 4, replace=False):   # visitors: another space's events
            o = (s + 1) % spaces
            for d in rng.choice(np.arange(2, days, 7), 3, replace=False):
                out.append((f"s{o}-ev-{d}", ids[v], start + pd.Timedelta(days=int(d), hours=17), "event", f"sp{o}"))
        for i in rng.choice(members, members // 3, replace=False):
            out.append(("streamed", ids[i], start + pd.Timedelta(days=150, hours=15), "event", f"sp{s}"))
    frame = pd.DataFrame(out, columns=["activity_id", "member_id", "timestamp", "kind", "space"])
    frame = frame.drop_duplicates(["activity_id", "member_id"]).reset_index(drop=True)
    frame["role"] = None
    frame.loc[frame["activity_id"].str.startswith("s1-ev-") & (frame.index % 5 == 0), "role"] = "host"   # space 1: role weights
    return frame


def _members(frame: pd.DataFrame) -> pd.DataFrame:
    """Members table: space 2 has left dates, space 3 joined dates and a guest (outsiders count only while taking part)."""
    ids = sorted(set(frame["member_id"]))
    tab = pd.DataFrame({"member_id": ids, "role": "member", "joined": pd.NaT, "left": pd.NaT})
    tab.loc[tab["member_id"].str.startswith("s2-") & tab["member_id"].str.endswith("3"), "left"] = "2024-06-01"
    tab.loc[tab["member_id"].str.startswith("s3-") & tab["member_id"].str.endswith("1"), "joined"] = "2023-12-01"
    tab.loc[tab["member_id"] == "s3-m05", "role"] = "guest"
    return tab


@pytest.mark.parametrize("with_members", [False, True])
def test_every_space_json_is_the_unbatched_diagnosis(with_members, monkeypatch):
    """Every space of a seeded network (visitors, a streamed event, role weights in one space, left and joined
    dates, a guest): its JSON is that of ``cop.diagnose`` of its own log, which classifies its periods one
    by one; a small transitivity sample sends some spaces' consolidation through the per-space path."""
    import cop.kernel.network
    import cop.network.stacked
    from _json_compare import same_json

    monkeypatch.setattr(cop.kernel.network, "TRANSITIVITY_SAMPLE", 30)
    monkeypatch.setattr(cop.network.stacked, "TRANSITIVITY_SAMPLE", 30)
    frame = _network_rows()
    log = quiet(cop.ActivityLog.from_frame, frame, _members(frame) if with_members else None)
    nd = quiet(cop.diagnose_network, log, lookback=90)
    subs = space_logs(log)
    assert sorted(nd.diagnoses) == ["sp0", "sp1", "sp2", "sp3"]
    for name, d in nd.diagnoses.items():
        want = quiet(cop.diagnose, subs[name], as_of=nd.as_of, lookback=nd.lookback)
        assert len(want.timeline) >= 9
        assert_same_diagnosis(d, want)
        same_json(d.to_dict(), want.to_dict(), rel=0.0, abs_=0.0)


@pytest.mark.parametrize("method,roles", [("combined", True), ("combined", False), ("network", True)])
def test_stacked_period_levels_are_each_space_own_period_levels(method, roles):
    """The batched classification (``combined``, with and without role weights) and the per-space one on the
    shared windows (other methods) give each space's own :func:`period_levels`."""
    from cop.network.stacked import stacked_period_levels
    from cop.participation.classifier import has_role_weights
    from cop.participation.flows import period_levels

    frame = _network_rows(seed=3, spaces=3, members=30, days=200)
    if not roles:
        frame = frame.drop(columns="role")
    log = quiet(cop.ActivityLog.from_frame, frame)
    subs = list(space_logs(log).values())
    preps = [quiet(Prepared, s) for s in subs]
    as_of = log.end + pd.Timedelta(days=1)
    bounds = [period_bounds(s, "MS", as_of) for s in subs]
    assert [has_role_weights(p) for p in preps] == [False, roles, False]
    got = stacked_period_levels(preps, bounds, 90, method)
    for k, (prep, b) in enumerate(zip(preps, bounds)):
        want = period_levels(prep, b, 90, method)
        assert len(got[k]) == len(want) >= 6
        for g, w in zip(got[k], want):
            pd.testing.assert_frame_equal(g.levels, w.levels, check_exact=True)
            assert (g.start, g.lo, g.hi) == (w.start, w.lo, w.hi)
            for f in ("largest_component_share", "clustering", "density"):
                a, e = getattr(g, f), getattr(w, f)
                assert a == e or (np.isnan(a) and np.isnan(e)), f


def _activities_by_grouping(data: pd.DataFrame) -> pd.DataFrame:
    """The activities table of a log without an activities table as ``ActivityLog.activities`` built it before
    (pandas' grouping of the rows by activity): the reference for the sort-based table."""
    from cop.timestamps import as_ns

    d = data
    codes = d["activity_id"].cat.codes.to_numpy()
    ids = d["activity_id"].cat.categories
    grouped = pd.DataFrame({"a": codes, "t": as_ns(d["timestamp"]), "k": d["kind"].cat.codes.to_numpy(),
                            "m": d["member_id"].cat.codes.to_numpy(), "topic": d["topic"].cat.codes.to_numpy()})
    g = grouped.groupby("a", sort=True)
    agg = g.agg(start=("t", "min"), end=("t", "max"), k=("k", "first"), rows=("m", "size"), topic=("topic", "max"))
    size = grouped.drop_duplicates(["a", "m"]).groupby("a").size()
    out = pd.DataFrame(index=pd.Index(np.asarray(ids[agg.index.to_numpy()], dtype=object), name="activity_id"))
    out["kind"] = pd.Categorical.from_codes(agg["k"].to_numpy(), dtype=d["kind"].dtype)
    out["start"] = pd.to_datetime(agg["start"].to_numpy().view("M8[ns]")).tz_localize("UTC")
    out["end"] = pd.to_datetime(agg["end"].to_numpy().view("M8[ns]")).tz_localize("UTC")
    out["size"] = size.reindex(agg.index).to_numpy()
    out["rows"] = agg["rows"].to_numpy()
    tcats = d["topic"].cat.categories
    tc = agg["topic"].to_numpy()
    out["topic"] = np.where(tc >= 0, np.asarray(tcats, dtype=object)[np.maximum(tc, 0)] if len(tcats) else None, None)
    out["type"] = None
    out["external"] = pd.array([pd.NA] * len(out), dtype="boolean")
    out["organizer"] = None
    out["listed"] = False
    return out


def test_activities_table_is_the_grouping_of_the_rows():
    frame = _network_rows(seed=5, spaces=2, members=20, days=60)
    frame["topic"] = np.where(frame.index % 3 == 0, "design", None)
    log = quiet(cop.ActivityLog.from_frame, frame)
    empty = cop.ActivityLog(log.data.iloc[:0], None, None)
    for sub in [log, *space_logs(log).values(), cop.load_example(), empty]:
        got = cop.ActivityLog(sub.data, sub.members_table, None).activities
        want = _activities_by_grouping(sub.data)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert list(got.dtypes) == list(want.dtypes) and (got["size"] <= got["rows"]).all()
    # the streamed event: one activity, its rows split between the two spaces
    per_space = {n: s.activities.loc["streamed", "size"] for n, s in space_logs(log).items()}
    assert sum(per_space.values()) == log.activities.loc["streamed", "size"]


def test_window_agreement_takes_known_levels_without_changing_the_kappas():
    """The diagnosis hands its own method's levels to the agreement; the table is the one classifying afresh,
    and the levels handed over are what is used (wrong levels give other kappas)."""
    from cop.participation.classifier import METHODS, classify_window, window_agreement

    log = cop.load_example()
    prep = Prepared(log)
    hi = pd.Timestamp("2024-01-01", tz="UTC").value
    lo = hi - 90 * 86_400 * 10**9
    fresh = window_agreement(prep, lo, hi, list(METHODS))
    own = classify_window(prep, lo, hi, method="combined")["level"].to_numpy(dtype=object)
    given = window_agreement(prep, lo, hi, list(METHODS), known={"combined": own})
    pd.testing.assert_frame_equal(given, fresh)
    flipped = np.where(own == "core", "peripheral", np.where(own == "peripheral", "core", own)).astype(object)
    other = window_agreement(prep, lo, hi, list(METHODS), known={"combined": flipped})
    assert not np.allclose(other["kappa"].to_numpy()[:len(METHODS) - 1], fresh["kappa"].to_numpy()[:len(METHODS) - 1])
