"""The mechanisms of issue 12 do what their documentation says, on small seeded runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation import Scenario, run
from simulation.introductions import choose_pairs, success_probability
from simulation.model import simulate_space

SMALL = Scenario(space={"years": 1.0, "seats": 120}, arrivals={"initial_members": 60, "share_freelancer": 0.3,
                                                               "share_startup": 0.3})


@pytest.fixture(scope="module")
def res():
    return run(SMALL, seed=5)


def test_group_interactions_have_three_to_eight_members(res):
    p = res.participations
    groups = p[p["activity_id"].str.startswith(("group", "thread"))].groupby("activity_id").size()
    assert len(groups) > 100
    assert groups.between(3, 8).all()
    types = res.activities.set_index("activity_id")["type"]
    assert set(types[groups.index]) == {"lunch", "thread"}


def test_closed_over_the_holidays_and_quieter_in_summer(res):
    p = res.participations
    days = p.loc[p["kind"] == "presence", "timestamp"].dt.tz_convert(None).dt.normalize()
    per_day = days.value_counts()
    assert not any((d.month == 12 and d.day >= 24) or (d.month == 1 and d.day == 1) for d in per_day.index)
    summer = per_day[per_day.index.month.isin([7, 8])].mean()
    spring = per_day[per_day.index.month.isin([5, 6])].mean()
    assert summer < 0.85 * spring


def test_plans_set_how_often_members_come(res):
    p, m = res.participations, res.members
    mem = m[m["role"] == "member"].set_index("member_id")
    end = p["timestamp"].max()
    weeks = ((mem["left"].fillna(end) - mem["joined"]).dt.days / 7).clip(lower=1)
    days = p[p["kind"] == "presence"].groupby("member_id").size().reindex(mem.index, fill_value=0) / weeks
    by_plan = days.groupby(mem["plan"]).mean()
    assert by_plan["full_time"] > by_plan["part_time"] > by_plan["day_pass"]


def test_colleagues_come_together_and_talk_mostly_with_each_other():
    sync = run(SMALL, seed=6)
    off = run(SMALL.with_params({"members.team_presence_sync": 0.0, "encounters.colleague_affinity": 0.0,
                                 "groups.lunch_colleague_share": 0.0, "members.team_room_share": 0.0}), seed=6)

    def internal_share(r):
        """Share of the conversations large-company staff start that are with a colleague."""
        p = r.participations
        m = r.members.set_index("member_id")
        conv = p[p["activity_id"].str.startswith("conv")]
        a, b = conv.iloc[0::2]["member_id"].to_numpy(), conv.iloc[1::2]["member_id"].to_numpy()
        large = m.loc[a, "org_type"].to_numpy() == "large_company"
        same = m.loc[a, "organization"].to_numpy() == m.loc[b, "organization"].to_numpy()
        return float(same[large].mean())

    on, without = internal_share(sync), internal_share(off)
    # large teams talk mostly among themselves; without homophily only as often as chance seats colleagues together
    assert on >= without + 0.15 and on >= 2 * without, (on, without)


def test_introduction_success_depends_on_fit():
    space, _ = simulate_space(SMALL.with_params({"space.years": 0.2}), 2)
    r = space.roster
    idx = r.onboarded_idx()
    b = choose_pairs(space, idx[:20], np.linspace(0.01, 0.99, 20))
    assert ((b >= 0) & (r.org[b] != r.org[idx[:20]])).all()  # introductions go across organisations
    p0 = success_probability(space, idx[:20], b)
    r.knowledge[idx[:20]] = 1.0  # knowing who does what improves the fit
    assert (success_probability(space, idx[:20], b) > p0).all()
    shared = (r.interests[idx[:20]] & r.interests[b]).sum(axis=1)
    at_random = (r.interests[idx[:20]].astype(int) @ r.interests[idx].T.astype(int)).mean(axis=1)
    assert shared.mean() > 1.5 * at_random.mean()  # the default ranking prefers members sharing a topic


def test_tool_suggestions_can_be_declined_and_adoption_fades():
    tool = {"name": "matchmaking_tool", "adoption_rate": 1.0, "suggestions_per_month": 4.0, "fade_per_month": 3.0}
    s = SMALL.model_copy(update={"interventions": Scenario(interventions=[tool]).interventions})
    space, _ = simulate_space(s, 3)
    r = space.roster
    n = r.n
    assert r.tool_declined[:n].sum() > 0 and r.tool_declined[:n].sum() < r.tool_offers[:n].sum()
    assert (r.tool_left_day[:n] >= 0).sum() > 0
    never = s.with_params({"manager.introduction_fit_base": 20.0, "interventions.0.fade_per_month": 0.0})
    space2, _ = simulate_space(never, 3)
    assert space2.roster.tool_declined.sum() == 0 and (space2.roster.tool_left_day >= 0).sum() == 0


def test_manager_is_in_on_some_days_and_brokers():
    res = run(SMALL.with_params({"space.years": 0.3}), seed=4)
    p = res.participations
    mgr = p[(p["member_id"] == "manager-1") & (p["kind"] == "presence")]
    checkin_days = p.loc[p["kind"] == "presence", "activity_id"].nunique()
    assert 0.6 * checkin_days <= len(mgr) <= 0.95 * checkin_days  # 4 days a week of 5
    assert res.workload.query("task == 'introductions'")["hours_spent"].sum() > 0


def test_stories_teach_who_does_what_without_adding_engagement():
    s = SMALL.with_params({"collaborations.story_share_probability": 1.0, "collaborations.story_learning": 0.2})
    space, _ = simulate_space(s, 7)
    r = space.roster
    assert r.knowledge[r.active_idx()].mean() > 0.3
    off, _ = simulate_space(s.with_params({"collaborations.story_learning": 0.0}), 7)
    assert off.roster.knowledge.max() == 0.0
