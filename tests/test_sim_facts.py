"""The baseline's defaults reproduce published coworking facts, each within a stated tolerance.

Sources (the surveys' own reports, see docs/model.md "References"):

* [D12] Deskmag, "Interaction inside and between coworking spaces", 2nd Global Coworking
  Survey (2011-2012): spaces host 4.5 events a month on average (2 most often); 84 % of
  coworkers attend events, 1.8 a month on average.
* [D12] also: coworkers made 3.6 useful new acquaintances in the past two months.
* [D16] Deskmag, first results of the 2016 Global Coworking Survey (Allwork.space, Dec 2016):
  71 % of members work in the space at least 3 times a week; members speak with 5.2 fellow
  coworkers a day; 74 % plan to stay at least a year.
* Manager load: coworking field studies describe community managers as overloaded; we read
  "at or over capacity at a full-time 40 h/week" as demanded hours >= 90 % of available hours.

Where a single simulated space cannot match a figure that describes the spread across spaces
(the *mode* of 2 events a month), the test uses the mean (4.5), which is a single space's rate.

Tolerances (means over 3 replicates, 80 founding members, 2 simulated years):

* members coming >= 3 days a week: 71 % +/- 12 points;
* events hosted per month: 4.5 +/- 1.0;
* events attended per member per month: 1.8 +/- 0.5;
* members attending at least one event: 84 % +/- 10 points;
* manager's demanded hours at 40 h/week: >= 90 % of the hours;
* members staying at least a year (of those who joined at least a year before the end):
  74 % planned [D16]; measured stays are shorter, so the tolerance is wide: 45-90 %;
* coworkers spoken to per day (others met per present member-day in conversations,
  introductions and lunch tables; online threads excluded): 5.2 +/- 1.0 [D16];
* useful new acquaintances in the past two months (first met in the window, then talked to one
  to one): 3.6 +/- 1.2 [D12];
* the participation pyramid as cop's diagnosis reads it: core 10-25 % of participating members
  (Wenger, McDermott & Snyder 2002 suggest 10-15 %; the upper bound allows the diagnosis's own
  natural breaks);
* large companies more peripheral: the share of large-company staff the diagnosis calls
  peripheral is at least 5 points above that of freelancers and of startups (coworking field
  studies), with no factor of their own in the model (organizational homophily).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scenarios import load_scenario
from simulation import run
from simulation.experiment import replicate_seeds

YEARS = 2.0


def useful_new_acquaintances(p: pd.DataFrame, mem: pd.DataFrame, end: pd.Timestamp, days: int = 61) -> float:
    """Mean number of members first met in the last ``days`` with whom a one-to-one exchange followed there.

    "Useful" is read as: first met in the window (no interaction of any kind before) and talked to one to
    one (a conversation, an introduction or a collaboration) in the window; a lunch table or thread alone
    does not count.  Members present for the whole window only.
    """
    w0 = end - pd.Timedelta(days=days)
    q = p[p["kind"].isin(["interaction", "collaboration"]) & p["member_id"].isin(mem.index)]
    q = q[["activity_id", "member_id", "timestamp"]]
    pairs = q.merge(q, on="activity_id")
    pairs = pairs[pairs["member_id_x"] != pairs["member_id_y"]]
    one_to_one = ~pairs["activity_id"].str.startswith(("group", "thread"))
    first = pairs.groupby(["member_id_x", "member_id_y"])["timestamp_x"].min()
    talked = pairs[one_to_one & (pairs["timestamp_x"] >= w0)].groupby(["member_id_x", "member_id_y"]).size()
    useful = first[first >= w0].index.intersection(talked.index)
    there = mem[(mem["joined"] <= w0) & mem["left"].isna()].index
    return float(pd.Series(1, index=useful).groupby(level=0).sum().reindex(there, fill_value=0).mean())


def facts(result) -> dict[str, float]:
    """The published facts' counterparts, measured on one run's log (members only)."""
    import cop

    p, m = result.participations, result.members
    mem = m[m["role"] == "member"].set_index("member_id")
    start, end = p["timestamp"].min(), p["timestamp"].max()
    weeks = ((mem["left"].fillna(end) - mem["joined"]).dt.days / 7).clip(lower=1)
    presence = p[(p["kind"] == "presence") & p["member_id"].isin(mem.index)]
    present = presence.groupby("member_id").size().reindex(mem.index, fill_value=0)
    months = (end - start).days / (365.25 / 12)
    events = result.activities["type"].isin(["social", "professional"]).sum()
    attended = (p[(p["kind"] == "event") & (p["role"] == "attendee")].groupby("member_id").size()
                .reindex(mem.index, fill_value=0))
    # in-person exchanges (conversations, introductions, lunch tables; not online threads): others met per row
    inperson = p[(p["kind"] == "interaction") & ~p["activity_id"].str.startswith("thread")
                 & p["member_id"].isin(mem.index)]
    others = inperson.groupby("activity_id")["member_id"].transform("size") - 1
    wl = result.workload
    hours = result.scenario.manager.hours_per_week
    cohort = mem[mem["joined"] <= end - pd.Timedelta(days=366)]
    levels = cop.diagnose(result.log).members.merge(m[["member_id", "org_type"]], on="member_id")
    levels = levels[levels["level"].isin(["core", "active", "peripheral"])]
    peripheral = levels.groupby("org_type")["level"].apply(lambda s: float((s == "peripheral").mean()))
    return {
        "share_3_days": float((present / weeks >= 3).mean()),
        "events_per_month": float(events / months),
        "attended_per_member_month": float((attended / (weeks * 7 / (365.25 / 12))).mean()),
        "share_attending": float((attended > 0).mean()),
        "manager_demand_share": float(wl.groupby("week")["hours_demanded"].sum().mean() / hours),
        "spoken_to_per_day": float(others.sum() / max(len(presence), 1)),
        "stay_one_year": float(((cohort["left"].fillna(end) - cohort["joined"]).dt.days >= 365).mean()),
        "useful_new_acquaintances": useful_new_acquaintances(p, mem, end),
        "core_share": float((levels["level"] == "core").mean()),
        "peripheral_large_company": peripheral.get("large_company", np.nan),
        "peripheral_freelancer": peripheral.get("freelancer", np.nan),
        "peripheral_startup": peripheral.get("startup", np.nan),
    }


@pytest.fixture(scope="module")
def measured():
    base = load_scenario("baseline_coworking").with_params({"space.years": YEARS})
    seeds, _ = replicate_seeds(31, 3)
    rows = [facts(run(base, s)) for s in seeds]
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


pytestmark = pytest.mark.slow


def test_share_of_members_coming_three_days_a_week(measured):
    assert abs(measured["share_3_days"] - 0.71) <= 0.12, measured["share_3_days"]


def test_events_hosted_per_month(measured):
    assert abs(measured["events_per_month"] - 4.5) <= 1.0, measured["events_per_month"]


def test_events_attended_per_member(measured):
    assert abs(measured["attended_per_member_month"] - 1.8) <= 0.5, measured["attended_per_member_month"]


def test_share_of_members_attending_events(measured):
    assert abs(measured["share_attending"] - 0.84) <= 0.10, measured["share_attending"]


def test_manager_at_or_over_capacity_full_time(measured):
    assert measured["manager_demand_share"] >= 0.90, measured["manager_demand_share"]


def test_stays(measured):
    assert 0.45 <= measured["stay_one_year"] <= 0.90, measured["stay_one_year"]


def test_coworkers_spoken_to_per_day(measured):
    assert abs(measured["spoken_to_per_day"] - 5.2) <= 1.0, measured["spoken_to_per_day"]


def test_useful_new_acquaintances_in_two_months(measured):
    assert abs(measured["useful_new_acquaintances"] - 3.6) <= 1.2, measured["useful_new_acquaintances"]


def test_participation_pyramid_is_plausible(measured):
    assert 0.10 <= measured["core_share"] <= 0.25, measured["core_share"]


def test_large_companies_are_more_peripheral(measured):
    lc = measured["peripheral_large_company"]
    assert lc >= measured["peripheral_freelancer"] + 0.05, measured
    assert lc >= measured["peripheral_startup"] + 0.05, measured
