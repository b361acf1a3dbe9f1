"""The simulation of a network of spaces (issue 16): ids, the space column, visits, streamed events, levers.

Small seeded networks: three spaces of 30 founding members over 120 days (about a second each).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cop.exceptions import ConfigError
from simulation import Scenario, run
from simulation.config import scenario_from_dict
from simulation.network import simulate_network

DAYS = 120
IDS = ("alpha", "beta", "gamma")
SEATS = (40, 80, 160)


def network(members: int = 30, days: int = DAYS, n_spaces: int = 3, **net) -> Scenario:
    spaces = [{"id": sid, "initial_members": members, "seats": seats, "per_month": 2.0}
              for sid, seats in list(zip(IDS, SEATS))[:n_spaces]]
    return Scenario(space={"years": days / 365.25}, network={"spaces": spaces, **net})


@pytest.fixture(scope="module")
def visiting():
    """Visits on a fifth of the days present, no theme (hosts by seats alone)."""
    return run(network(visit_probability=0.2, host_theme_affinity=0.0), seed=3)


@pytest.fixture(scope="module")
def streaming():
    return run(network(visit_probability=0.0, stream_share=1.0), seed=4)


def _home(res) -> pd.Series:
    return res.members.set_index("member_id")["home_space"]


def _member_presence(res) -> pd.DataFrame:
    p = res.participations
    roles = res.members.set_index("member_id")["role"]
    pres = p[(p["kind"] == "presence") & p["member_id"].map(roles).eq("member")].copy()
    pres["home"] = pres["member_id"].map(_home(res))
    return pres


def test_ids_are_unique_across_spaces_and_carry_the_space(visiting):
    m, a, p = visiting.members, visiting.activities, visiting.participations
    assert m["member_id"].is_unique and a["activity_id"].is_unique
    assert set(m["home_space"]) == set(IDS)
    for _, row in m.iterrows():
        if row["role"] == "manager":
            assert row["member_id"] == f"manager-{row['home_space']}"
        else:
            assert row["member_id"].startswith(row["home_space"] + "-")
    assert sorted(m.loc[m["role"] == "manager", "member_id"]) == [f"manager-{s}" for s in IDS]
    # every participation names a listed activity and person
    assert set(p["activity_id"]) <= set(a["activity_id"])
    assert set(p["member_id"]) <= set(m["member_id"])
    # one check-in activity per space and day, held in that space
    chk = p[p["kind"] == "presence"]
    assert (chk["activity_id"].str.split("-").str[0] == chk["space"]).all()
    per = chk.groupby("activity_id")["space"].nunique()
    assert (per == 1).all()
    days = chk.assign(d=chk["timestamp"].dt.date).groupby(["space", "d"])["activity_id"].nunique()
    assert (days == 1).all()
    # organisations are the space's own
    own = m[m["role"] == "member"]
    assert (own["organization"].str.split("-").str[0] == own["home_space"]).all()
    # activities are organised by the space's own manager
    org = a.loc[a["organizer"].str.startswith("manager-"), ["activity_id", "organizer"]]
    assert len(org) and (org["organizer"].str[len("manager-"):] == org["activity_id"].str.split("-").str[0]).all()


def test_without_visits_presence_is_at_home(streaming):
    pres = _member_presence(streaming)
    assert len(pres) > 1000
    assert (pres["space"] == pres["home"]).all()


def test_a_member_is_present_in_one_space_a_day(visiting):
    pres = _member_presence(visiting)
    per_day = pres.groupby([pres["member_id"], pres["timestamp"].dt.date])["space"].size()
    assert (per_day == 1).all()


def test_visits_happen_at_the_configured_rate_and_hosts_by_seats(visiting):
    pres = _member_presence(visiting)
    away = pres["space"] != pres["home"]
    n, p = len(pres), 0.2
    # each day present is an independent draw: binomial(n, p); 4 standard deviations
    assert abs(away.mean() - p) < 4 * np.sqrt(p * (1 - p) / n), (away.mean(), n)
    # hosts with weight seats ** 1: visitors from alpha go to beta and gamma as 80 : 160
    out = pres[away & (pres["home"] == "alpha")]["space"]
    k, share = len(out), (out == "gamma").mean()
    q = 160 / 240
    assert k > 100 and abs(share - q) < 4 * np.sqrt(q * (1 - q) / k), (share, k)


def test_visitors_meet_the_hosts_members_through_the_same_mechanisms(visiting):
    """Visitors' conversations and lunch tables in the host space include the host's own members."""
    p, home = visiting.participations, _home(visiting)
    inter = p[p["kind"] == "interaction"].copy()
    inter["home"] = inter["member_id"].map(home)
    away = inter[inter["space"] != inter["home"]]
    assert len(away) > 50
    # in each such activity someone of the host space takes part
    acts = inter[inter["activity_id"].isin(away["activity_id"])]
    hosts_there = acts.groupby("activity_id").apply(lambda g: bool((g["home"] == g["space"]).any()),
                                                    include_groups=False)
    assert hosts_there.mean() > 0.8


def _cross_pairs(res) -> int:
    """Distinct pairs of members of different home spaces who took part in one interaction or collaboration."""
    p, home = res.participations, _home(res)
    x = p[p["kind"].isin(["interaction", "collaboration"])][["activity_id", "member_id"]].drop_duplicates()
    pairs = x.merge(x, on="activity_id")
    pairs = pairs[pairs["member_id_x"] < pairs["member_id_y"]]
    diff = pairs["member_id_x"].map(home) != pairs["member_id_y"].map(home)
    return int(pairs[diff][["member_id_x", "member_id_y"]].drop_duplicates().shape[0])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_network_membership_raises_ties_across_spaces(seed):
    base = network(members=20, days=90)  # the default visit_probability, 0.01
    with_nm = base.model_copy(update={"interventions": scenario_from_dict(
        {"interventions": [{"name": "network_membership", "visit_probability": 0.15}],
         "network": base.network.model_dump()}).interventions})
    a, b = _cross_pairs(run(base, seed)), _cross_pairs(run(with_nm, seed))
    assert b > 2 * a and b > 30, (a, b)


def test_visits_without_conversations_make_no_ties_across_spaces():
    """The lever only moves people: with no chance conversations or lunches there, no pair forms."""
    s = network(members=20, days=60, visit_probability=0.3).with_params({
        "encounters.conversations_per_day": 0.0, "groups.lunch_share": 0.0, "manager.brokered_per_week": 0.0})
    net, _ = simulate_network(s, 6)
    for sp in net.spaces:
        mirrors = sp.is_mirror()
        assert mirrors.any()  # visitors came
        owner = sp.roster.ties.key >> 32  # a tie is stored both ways: its owners are both ends
        assert not mirrors[owner].any()  # but no tie to a visitor


def test_streamed_events_have_participations_in_several_spaces(streaming):
    p, a = streaming.participations, streaming.activities
    ev = p[p["kind"] == "event"]
    n_spaces = ev.groupby("activity_id")["space"].nunique()
    prof = set(a.loc[a["type"] == "professional", "activity_id"])
    shared = set(n_spaces[n_spaces >= 2].index)
    assert shared and shared <= prof  # only professional events are streamed
    assert len(shared) >= 0.8 * len(prof)  # stream_share 1: all, where someone watched elsewhere
    # one activity row (the origin's); its organizer is in the origin space
    for aid in list(shared)[:10]:
        origin = aid.split("-")[0]
        orgr = ev[(ev["activity_id"] == aid) & (ev["role"] == "organizer")]
        assert orgr["space"].tolist() == [origin] and orgr["member_id"].tolist() == [f"manager-{origin}"]
        assert (a["activity_id"] == aid).sum() == 1
    # remote participants are members of the space they watch in
    remote = ev[ev["activity_id"].isin(shared) & (ev["space"] != ev["activity_id"].str.split("-").str[0])]
    assert len(remote) and (remote["member_id"].map(_home(streaming)) == remote["space"]).all()


def test_remote_attendance_is_lower_than_in_person(streaming):
    p = streaming.participations
    ev = p[(p["kind"] == "event") & (p["role"] == "attendee")]
    origin = ev["activity_id"].str.split("-").str[0]
    in_person, remote = (ev["space"] == origin).sum(), (ev["space"] != origin).sum()
    # remote: two other spaces at 0.3 of the attendance probability, only for professional events
    assert 0 < remote < in_person


def test_without_streaming_no_event_is_in_two_spaces(visiting):
    p = visiting.participations
    ev = p[p["kind"] == "event"]
    assert (ev.groupby("activity_id")["space"].nunique() == 1).all()


def test_the_simulated_log_diagnoses_by_space(visiting):
    import cop
    from cop.network import diagnose_network

    nd = diagnose_network(visiting.log)
    assert set(nd.spaces["space_id"]) == set(IDS)
    assert set(nd.diagnoses) == set(IDS)
    assert all(isinstance(d, cop.Diagnosis) for d in nd.diagnoses.values())
    assert len(nd.links) == 3 and (nd.links["connections"] > 0).all()


def test_same_seed_same_log_other_seed_other_log():
    s = network(members=15, days=60, n_spaces=2, visit_probability=0.2, stream_share=1.0)
    a, b, c = run(s, 9), run(s, 9), run(s, 10)
    assert (a.participations["space"] != a.participations["member_id"].map(_home(a))).any()  # visits happened
    assert a.participations.equals(b.participations) and a.members.equals(b.members)
    assert a.activities.equals(b.activities) and a.workload.equals(b.workload)
    assert not a.participations.equals(c.participations)


def test_a_single_space_log_has_no_space_column():
    res = run(Scenario(space={"years": 0.1}, arrivals={"initial_members": 10}), seed=1)
    assert "space" not in res.participations.columns and "home_space" not in res.members.columns
    assert "manager-1" in set(res.members["member_id"])


def test_bad_network_configuration_is_one_clear_error():
    with pytest.raises(ConfigError, match="space ids must be unique"):
        scenario_from_dict({"network": {"spaces": [{"id": "a"}, {"id": "a"}]}})
    with pytest.raises(ConfigError, match=r"network.spaces.0.theme.*not one of space.topics"):
        scenario_from_dict({"network": {"spaces": [{"id": "a", "theme": "knitting"}]}})
    with pytest.raises(ConfigError, match=r"network.spaces.0.seats' = 0 is out of range \[1, 50000\] seats"):
        scenario_from_dict({"network": {"spaces": [{"id": "a", "seats": 0}]}})
    with pytest.raises(ConfigError, match="no network.spaces"):
        scenario_from_dict({"interventions": [{"name": "network_membership"}]})
    with pytest.raises(ConfigError, match="no network.spaces"):
        scenario_from_dict({"interventions": [{"name": "shared_events"}]})


def test_the_library_network_and_its_levers():
    from scenarios import load_scenario
    from simulation.variants import with_intervention

    s = load_scenario("coworking_network")
    sizes = [sp.initial_members for sp in s.network.spaces]
    assert len(sizes) == 10 and len(set(sizes)) == 10
    assert len({sp.theme for sp in s.network.spaces}) >= 5
    assert float(np.median(sizes)) == 75.0  # Deskmag 2017: trimmed mean 74, median-like
    for name in ("network_membership", "shared_events"):
        v = with_intervention(s, name)
        assert v.interventions[-1].name == name


@pytest.mark.slow
def test_cop_experiment_runs_the_network_intervention(tmp_path):
    from typer.testing import CliRunner

    from cop.cli import app

    toml = tmp_path / "tiny_network.toml"
    toml.write_text('name = "tiny_network"\n[space]\nyears = 0.15\n[network]\n'
                    '[[network.spaces]]\nid = "a"\ninitial_members = 12\nseats = 20\n'
                    '[[network.spaces]]\nid = "b"\ninitial_members = 12\nseats = 20\n', encoding="utf-8")
    out = tmp_path / "nm.csv"
    res = CliRunner().invoke(app, ["experiment", str(toml), "--intervention", "network_membership",
                                   "--replicates", "2", "--seed", "1", "-o", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert df["scenario"].nunique() == 2
    # the network's outcome metrics are reported with their intervals
    summary = pd.read_csv(tmp_path / "nm_summary.csv")
    cross = summary[summary["metric"] == "cross_space_ties"]
    assert len(cross) == 2 and cross[["ci_low", "ci_high"]].notna().all().all()


# ---------------------------------------------------------------------------------------------- touring speakers
@pytest.fixture(scope="module")
def touring():
    """Every professional event tours (three stops), no visits, nothing streamed."""
    return run(network(visit_probability=0.0, tour_share=1.0, host_theme_affinity=0.0), seed=5)


def _stops(res) -> pd.DataFrame:
    a, p = res.activities, res.participations
    ser = a.dropna(subset=["series"]).set_index("activity_id")
    ev = p[p["activity_id"].isin(ser.index)]
    first = ev.groupby("activity_id").agg(space=("space", "first"), n_spaces=("space", "nunique"),
                                         day=("timestamp", "min"), topic=("topic", "first"))
    return first.join(ser[["series", "organizer", "type", "external"]])


def test_a_tour_is_one_activity_per_stop_in_distinct_spaces_one_after_another(touring):
    st = _stops(touring)
    assert len(st) > 20
    assert (st["n_spaces"] == 1).all()  # each stop is held in one space
    assert (st["type"] == "professional").all() and st["external"].all()
    assert (st["organizer"] == "manager-" + st["space"]).all()  # each stop is organised by its host
    for series, g in st.groupby("series"):
        g = g.sort_values("day")
        assert 2 <= len(g) <= 3, series  # network.tour_stops = 3, the origin included
        assert g["space"].is_unique  # never twice in one space
        assert g["space"].iloc[0] == series.split("-")[0]  # the tour starts where its series id says
        assert g["day"].diff().dropna().gt(pd.Timedelta(0)).all()  # one stop after another, on later days
        assert g["topic"].nunique() == 1  # the same talk


def test_the_touring_speaker_is_one_guest_in_every_stop(touring):
    st, p, m = _stops(touring), touring.participations, touring.members.set_index("member_id")
    home = m["home_space"]
    guests = p[p["activity_id"].isin(st.index) & (p["role"] == "guest")]
    assert m.index.is_unique
    for series, g in st.groupby("series"):
        speakers = [set(guests.loc[guests["activity_id"] == aid, "member_id"]) for aid in g.index]
        common = set.intersection(*speakers)
        assert len(common) == 1, series
        who = common.pop()
        assert m.loc[who, "role"] == "guest" and who.startswith(series.split("-")[0] + "-g")
        assert m.loc[who, "left"] == p.loc[p["member_id"] == who, "timestamp"].max().normalize()
    # in every stop the attendees are the host's own members (no remote audience, no visitors here)
    att = p[p["activity_id"].isin(st.index) & (p["role"] == "attendee")]
    assert len(att) > 100 and (att["member_id"].map(home) == att["space"]).all()


def test_stops_attract_like_ordinary_events_of_the_host(touring):
    """A stop is an ordinary in-person event: attendance per stop near the host's own professional events'."""
    st, p, a = _stops(touring), touring.participations, touring.activities
    att = p[(p["kind"] == "event") & (p["role"] == "attendee")].groupby("activity_id").size()
    prof = a[(a["type"] == "professional")].set_index("activity_id")
    first_stops = st.sort_values("day").groupby("series").head(1).index  # the origin's own events
    later = st.index.difference(first_stops)
    ratio = att.reindex(later).fillna(0).mean() / att.reindex(prof.index.difference(later)).fillna(0).mean()
    assert 0.6 < ratio < 1.6, ratio  # not the remote factor (0.3) of a stream


def test_hosts_follow_the_documented_rule():
    """Next host drawn by weight seats ** exponent x (1 + theme affinity), on its next event day."""
    from simulation.network import Network

    s = network(n_spaces=3).model_copy(update={"network": network(n_spaces=3).network.model_copy(
        update={"host_theme_affinity": 2.0, "spaces": tuple(
            sp.model_copy(update={"theme": "software"}) if sp.id == "gamma" else sp
            for sp in network(n_spaces=3).network.spaces)})})
    import simpy

    net = Network(simpy.Environment(), s, 1)
    for sp in net.spaces:
        sp.next_event_day = 7  # weekly events from day 7 on
    design = net.scenario.space.topics.index("design")
    software = net.scenario.space.topics.index("software")
    # weights from alpha (40 seats): beta 80, gamma 160; cumulative 80, 240; u * 240 picks
    assert net.plan_tour(0, 3, design, np.array([0.30])) == [(1, 7)]
    assert net.plan_tour(0, 3, design, np.array([0.34])) == [(2, 7)]
    # a talk on gamma's theme: gamma weighs 160 x 3 = 480; cumulative 80, 560
    assert net.plan_tour(0, 3, software, np.array([0.15])) == [(2, 7)]
    # the next stop is after the previous one, on the host's cadence (7, 14, ...), never the same space twice
    assert net.plan_tour(0, 7, design, np.array([0.0, 0.0])) == [(1, 14), (2, 21)]
    assert net.plan_tour(0, 3, design, np.array([0.99, 0.99, 0.99])) == [(2, 7), (1, 14)]


def test_the_simulated_tours_read_back_as_shared_events(touring):
    from cop.network import diagnose_network

    st = _stops(touring)
    span = (touring.participations["timestamp"].max() - touring.participations["timestamp"].min()).days + 2
    nd = diagnose_network(touring.log, lookback=span)
    multi = st.groupby("series")["space"].nunique()
    expected = set(multi[multi >= 2].index)
    assert nd.summary["shared_events"] == len(expected) > 10
    assert set(nd.shared_events["activity_id"]) == expected
    spaces = nd.shared_events.set_index("activity_id")["n_spaces"]
    assert (spaces == multi.reindex(spaces.index)).all()
    assert nd.spaces["shared_events"].sum() == multi[multi >= 2].sum()


def test_shared_events_tours_speakers_and_no_tour_without_it():
    from simulation.variants import with_intervention

    base = network(members=15, days=60, visit_probability=0.0)
    off = run(base, 2)
    assert "series" not in off.activities.columns  # the default: no tour (tour_share 0)
    on = run(with_intervention(base, "shared_events"), 2)
    assert on.activities["series"].notna().any()
    ev = on.participations[on.participations["kind"] == "event"]
    assert (ev.groupby("activity_id")["space"].nunique() >= 2).any()  # and streamed events
    # a toured event is not also streamed
    toured = set(on.activities.dropna(subset=["series"])["activity_id"])
    assert (ev[ev["activity_id"].isin(toured)].groupby("activity_id")["space"].nunique() == 1).all()


def test_touring_keeps_the_run_reproducible():
    s = network(members=15, days=60, n_spaces=3, tour_share=0.6, stream_share=0.5, visit_probability=0.1)
    a, b = run(s, 11), run(s, 11)
    assert a.activities["series"].notna().any()
    assert a.participations.equals(b.participations) and a.members.equals(b.members)
    assert a.activities.equals(b.activities)


# ---------------------------------------------------------------------------------------------- cross-space ties
def test_cross_space_metrics_on_a_log_worked_out_by_hand():
    from types import SimpleNamespace

    from simulation.metrics import log_metrics

    ts = pd.to_datetime(["2022-01-05", "2022-01-06", "2022-02-03", "2022-02-04", "2022-02-10"], utc=True)
    pairs = [("a1", "a2"), ("a1", "b1"), ("a1", "b1"), ("a2", "b1"), ("b1", "b2")]
    rows = [(f"conv-{k}", who, t) for k, (pair, t) in enumerate(zip(pairs, ts)) for who in pair]
    parts = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp"]).assign(
        kind="interaction", role="attendee", space="a")
    mem = pd.DataFrame({"member_id": ["a1", "a2", "b1", "b2"], "role": "member", "home_space": ["a", "a", "b", "b"],
                        "joined": pd.to_datetime(["2022-01-01"] * 3 + ["2022-02-01"], utc=True),
                        "left": pd.to_datetime([None, None, None, None], utc=True)})
    acts = pd.DataFrame({"activity_id": [f"conv-{k}" for k in range(5)], "type": "conversation"})
    m = log_metrics(SimpleNamespace(participations=parts, members=mem, activities=acts, scenario=None))
    v = m.set_index(["period", "metric"])["value"]
    # pairs first met: a1-a2 (Jan), a1-b1 (Jan, across), a2-b1 (Feb, across), b1-b2 (Feb): 4 ties, 2 across
    assert v["all", "new_ties"] == 4 and v["all", "cross_space_ties"] == 2
    assert v["all", "cross_space_tie_share"] == 0.5
    assert v["2022-01", "cross_space_ties"] == 1 and v["2022-02", "cross_space_ties"] == 1
    # end of January: a1, a2, b1 on the books, a1 and b1 tied across; at the end: a1, a2, b1 of a1, a2, b1, b2
    assert v["2022-01", "members_with_cross_space_tie_share"] == pytest.approx(2 / 3)
    assert v["all", "members_with_cross_space_tie_share"] == pytest.approx(3 / 4)


def test_a_single_space_run_has_no_cross_space_metrics():
    from simulation.metrics import NETWORK_METRIC_NAMES, log_metrics

    m = log_metrics(run(Scenario(space={"years": 0.1}, arrivals={"initial_members": 10}), seed=1))
    assert not set(NETWORK_METRIC_NAMES) & set(m["metric"])


def test_network_membership_raises_cross_space_ties_in_an_experiment():
    """Mechanism: more visits, more ties across spaces (paired 95% interval of the effect above zero)."""
    from cop.report.comparison import effects
    from simulation.experiment import run_experiment
    from simulation.metrics import log_metrics

    base = network(members=15, days=60, n_spaces=2)
    with_nm = base.model_copy(update={"interventions": scenario_from_dict(
        {"interventions": [{"name": "network_membership"}], "network": base.network.model_dump()}).interventions})
    ex = run_experiment({"baseline": base, "network_membership": with_nm}, replicates=4, seed=1,
                        executor="sequential", metrics=log_metrics)
    summ = ex.summary.set_index(["scenario", "metric"])
    for metric in ("cross_space_ties", "cross_space_tie_share", "members_with_cross_space_tie_share"):
        assert summ.loc[("baseline", metric), "n"] == 4 and np.isfinite(summ.loc[("baseline", metric), "ci_low"])
    eff = effects(ex.results).set_index(["variant", "metric"])
    for metric in ("cross_space_ties", "cross_space_tie_share", "members_with_cross_space_tie_share"):
        assert eff.loc[("network_membership", metric), "ci_low"] > 0, eff.loc[("network_membership", metric)]


def test_model_md_lists_the_network_parameters():
    from pathlib import Path

    from simulation.config import NetworkConfig

    page = (Path(__file__).resolve().parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line for line in page.splitlines() if line.startswith("| `")}
    for name, field in NetworkConfig.model_fields.items():
        if name == "spaces":
            continue
        key = f"network.{name}"
        assert key in rows, f"{key} missing from docs/model.md"
        cells = [c.strip() for c in rows[key].split("|")]
        assert cells[5] == str(field.default), (key, cells[5], field.default)
        assert cells[6], f"{key}: no source of the default"
