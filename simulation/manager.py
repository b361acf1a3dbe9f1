"""The community manager: a SimPy resource with limited weekly hours.

The manager's time is a :class:`simpy.Container` refilled every Monday with the
current ``hours_per_week`` (unused hours do not carry over).  The week's tasks
draw hours from it in a fixed priority:

1. **building** — running the space (a baseline load plus a little per
   member); always served first;
2. **onboarding** — newcomers in arrival order; each onboarding includes a
   welcome conversation and a few introductions; newcomers that wait longer
   than ``manager.backlog_weeks`` are dropped from the backlog and integrate on
   their own, later and without introductions;
3. **events** — preparing the event due this week on the current cadence; an
   event the manager has no time for is cancelled;
4. **introductions** — 1:1 matchmaking requested by members (through the
   matchmaking tool first, at a fraction of the cost); the rest are dropped.

Every week logs, per task, the hours demanded, the hours spent and the backlog
(items left waiting or dropped).

Grounding: in coworking field studies the community manager is the main value
driver and is often overloaded, with building tasks crowding out community
work; members value daily 1:1 matchmaking more than big events.  Wenger,
McDermott & Snyder (2002) name the coordinator as the first success factor.

Examples
--------
>>> from simulation.model import run
>>> from simulation.config import Scenario
>>> res = run(Scenario(space={"years": 0.2}, arrivals={"initial_members": 15}), seed=3)
>>> sorted(res.workload["task"].unique())
['building', 'events', 'introductions', 'onboarding']
"""

from __future__ import annotations

import numpy as np
import simpy

from .introductions import choose_one, success_probability_one
from .match_ranking import match_state, note_introduction, ranking_for, uses_match_state
from .space import CHANNELS, KINDS, MANAGER, MINUTES_PER_DAY, ORGANIZERS, ROLES, Space
from .streams import poisson_from_uniform

__all__ = ["manager", "introduce", "onboard", "fade_tool_use"]

_DAYS_PER_MONTH = 365.25 / 12
TOOL_ID = "matchmaking-tool"


def introduce(space: Space, a: int, day: int, *, via: str = "manager", minute: int | None = None,
              draws=None, partner: int | None = None) -> int | None:
    """Introduce member ``a`` to a member of another organisation (:func:`simulation.introductions.choose_pairs`).

    ``draws`` are four uniforms: the partner, the topic, the time of day and
    the outcome (drawn here when not given).  Returns the partner, or ``None``
    when nobody fits or a tool suggestion is declined.  The outcome depends on
    the pair's fit (:func:`simulation.introductions.success_probability`).
    Who picks the partner: ``manager.introduction_ranking`` for the manager
    (``via="manager"``), the tool's ``ranking`` for the tool
    (:func:`simulation.match_ranking.ranking_for`).
    """
    r = space.roster
    day = space.clip_day(day)
    u = space.streams.for_("introduction_draws", day, 1 + int(r.serial[a])).random(4) if draws is None else draws
    by_manager = via == "manager"
    if partner is None:
        ranking = ranking_for(space, via) if space.matchmaking is not None or uses_match_state(space) else None
        b = choose_one(space, a, u[0], ranking=ranking)
    else:
        b = partner
    if b < 0:
        return None
    if space.matchmaking is not None or uses_match_state(space):
        match_state(space)
        note_introduction(space, a, b)
    works = bool(u[3] < success_probability_one(space, a, b))
    if space.matchmaking is not None:
        space.matchmaking.outcomes[0] += 1
        space.matchmaking.outcomes[1] += works
    if not by_manager:
        r.tool_offers[a] += 1
        if not works:  # a declined suggestion: no meeting
            r.tool_declined[a] += 1
            return None
    ta, mb = r.topic_list[a], r.topic_mask[b]
    pool = [t for t in ta if mb >> t & 1] or ta
    topic = pool[int(u[1] * len(pool))]
    when = minute if minute is not None else day * MINUTES_PER_DAY + 9 * 60 + int(u[2] * (8 * 60))
    rec = space.record
    aid = rec.activity("intro", "introduction", topic, organizer=_BY_MANAGER if by_manager else _BY_TOOL)
    if by_manager:
        rec.row(aid, MANAGER, when, _INTERACTION, _ORGANIZER, topic, _PRIVATE)
    rec.row(aid, a, when, _INTERACTION, _RECIPIENT, topic, _PRIVATE)
    rec.row(aid, b, when, _INTERACTION, _RECIPIENT, topic, _PRIVATE)
    mc = space.scenario.manager
    if works:
        r.add_tie(a, b, mc.tie_per_introduction)
        v = space.scenario.members.value_per_introduction
        e = r.engagement
        e[a] = min(1.0, e[a] + v)
        e[b] = min(1.0, e[b] + v)
    else:
        r.add_tie(a, b, mc.tie_per_failed_introduction)
    return b


def onboard(space: Space, i: int, day: int, *, by_manager: bool) -> None:
    """Mark newcomer ``i`` onboarded; with the manager, a welcome and introductions (earlier first ties)."""
    r = space.roster
    day = space.clip_day(day)
    r.set_onboarded(i, day)
    ev = space.onboarding_events.pop(i, None)
    if ev is not None and not ev.triggered:
        ev.succeed()
    if not by_manager:
        return
    rec = space.record
    minute = day * MINUTES_PER_DAY + 9 * 60 + 30
    topic = r.topic_list[i][0]
    aid = rec.activity("onboard", "onboarding", topic, organizer=_BY_MANAGER)
    rec.row(aid, MANAGER, minute, _INTERACTION, _ORGANIZER, topic, _PRIVATE)
    rec.row(aid, i, minute, _INTERACTION, _RECIPIENT, topic, _PRIVATE)
    n_intro = space.levers.onboarding_introductions
    draws = space.streams.for_("introduction_draws", day, 1 + int(r.serial[i])).random((n_intro, 4))
    for k in range(n_intro):
        introduce(space, i, day, minute=minute + 30 * (k + 1), draws=draws[k])


_INTERACTION = KINDS.index("interaction")
_ORGANIZER, _RECIPIENT = ROLES.index("organizer"), ROLES.index("recipient")
_PRIVATE = CHANNELS.index("private")
_BY_MANAGER, _BY_TOOL = ORGANIZERS.index(Space.MANAGER_ID), ORGANIZERS.index(TOOL_ID)


def _take(hours: simpy.Container, amount: float):
    """Draw ``amount`` hours if available (never blocks); yields the SimPy get."""
    if amount > 0:
        yield hours.get(amount)


def manager(env, space: Space):
    """SimPy process of the community manager, one iteration per week: refill the hours, then the four tasks."""
    hours = simpy.Container(env, capacity=80.0, init=0.0)
    space.manager_hours = hours
    while True:
        day = int(env.now)
        if day >= space.horizon:
            return
        yield from _refill(hours, space.levers)
        active = space.roster.active_idx()
        yield from _building(space, hours, day, active)
        yield from _onboarding(space, hours, day)
        yield from _events(env, space, hours, day)
        yield from _introductions(space, hours, day, active)
        yield env.timeout(7)


def _refill(hours: simpy.Container, lv):
    """Monday: unused hours are lost, the week's hours are put in."""
    if hours.level > 0:
        yield hours.get(hours.level)
    if lv.hours_per_week > 0:
        yield hours.put(lv.hours_per_week)


def _building(space: Space, hours: simpy.Container, day: int, active: np.ndarray):
    """Task 1: running the building, always served first."""
    mc = space.scenario.manager
    demand = mc.building_hours_per_week + mc.building_hours_per_member * len(active)
    spent = min(demand, hours.level)
    yield from _take(hours, spent)
    space.record.workload.append((day, "building", demand, spent, 0))


def _onboarding(space: Space, hours: simpy.Container, day: int):
    """Task 2: newcomers in arrival order; those waiting longer than the backlog allows onboard on their own."""
    r, lv = space.roster, space.levers
    queue = [i for i in space.onboarding_queue if r.active[i]]
    welcome = space.member_uniforms("onboarding", day, np.asarray(queue, dtype=np.int64)).tolist() if queue else []
    demand = len(queue) * lv.onboarding_hours
    spent = 0.0
    waiting = []
    for i, u_day in zip(queue, welcome):
        if hours.level >= lv.onboarding_hours and lv.hours_per_week > 0:
            yield from _take(hours, lv.onboarding_hours)
            spent += lv.onboarding_hours
            onboard(space, i, day + int(u_day * 5), by_manager=True)
        elif day - r.joined[i] > space.scenario.manager.backlog_weeks * 7:
            onboard(space, i, day, by_manager=False)
        else:
            waiting.append(i)
    space.onboarding_queue = waiting
    space.record.workload.append((day, "onboarding", demand, spent, len(waiting)))


def _events(env, space: Space, hours: simpy.Container, day: int):
    """Task 3: the events due this week on the current cadence; one without hours is cancelled."""
    from .events import event

    lv = space.levers
    cost = space.scenario.events.event_hours
    demand = spent = 0.0
    dropped = 0
    nxt = space.next_event_day
    while nxt is not None and nxt < day + 7 and lv.cadence_days > 0:
        demand += cost
        if hours.level >= cost and lv.hours_per_week > 0:
            yield from _take(hours, cost)
            spent += cost
            env.process(event(env, space, max(nxt, day)))
        else:
            dropped += 1
        nxt += lv.cadence_days
        space.next_event_day = nxt
    space.record.workload.append((day, "events", demand, spent, dropped))


def _introductions(space: Space, hours: simpy.Container, day: int, active: np.ndarray):
    """Task 4: requested introductions (through the tool first), then brokering; the rest are dropped.

    Requests scale with engagement and with the member's knowledge of who does
    what (``manager.knowledge_request_factor``); newcomers ask for more.  On
    the days the manager is in, they also broker ``manager.brokered_per_week``
    introductions on their own for the least connected members.
    """
    r, lv = space.roster, space.levers
    mc = space.scenario.manager
    w = 7.0 / _DAYS_PER_MONTH
    onb = active[r.onboarded[active]]
    e = r.engagement[onb]
    tenure = (day - r.joined[onb]) / _DAYS_PER_MONTH
    need = np.where(tenure < space.scenario.members.newcomer_months, mc.newcomer_request_factor, 1.0)
    need = need * (1.0 + mc.knowledge_request_factor * r.knowledge[onb])
    # each member's row of the week: requests, tool suggestions, and the key that orders the manager's queue
    mu = space.member_uniforms("introductions", day, onb, columns=3)
    requests = poisson_from_uniform(
        mu[:, 0], mc.introduction_requests_per_month * w * (mc.request_engagement_floor + e) * need)
    tool = r.tool_user[onb]
    if lv.tool_adoption > 0:
        requests = requests + np.where(tool, poisson_from_uniform(mu[:, 1], lv.tool_suggestions_per_month * w), 0)
    tool_req = np.repeat(onb[tool], requests[tool])
    man_req = np.repeat(onb[~tool], requests[~tool])
    man_req = man_req[np.argsort(np.repeat(mu[~tool, 2], requests[~tool]), kind="stable")]
    cost_tool = mc.introduction_hours * lv.tool_cost_factor
    # brokering: the manager's own introductions, on the days they are in, for the least connected members
    in_days = [d for d in range(day, min(day + 7, space.horizon)) if space.manager_present(d)]
    brokered = np.zeros(0, dtype=np.int64)
    if in_days and mc.brokered_per_week > 0 and len(onb):
        rng = space.streams.for_("brokering", day)
        n_b = int(rng.poisson(mc.brokered_per_week))
        deg = r.ties.count_above(onb, space.scenario.encounters.tie_threshold)
        wb = np.cumsum(1.0 / (1.0 + deg))
        brokered = onb[np.minimum(np.searchsorted(wb, rng.random(n_b) * wb[-1], side="right"), len(onb) - 1)]
    demand = (len(tool_req) * cost_tool + (len(man_req) + len(brokered)) * mc.introduction_hours)
    spent = 0.0
    dropped = 0
    # five uniforms per introduction: the day of the week, the partner, the topic, the time of day, the outcome
    queue = [(a, "tool", cost_tool) for a in tool_req.tolist()]
    queue += [(a, "manager", mc.introduction_hours) for a in man_req.tolist()]
    queue += [(a, "broker", mc.introduction_hours) for a in brokered.tolist()]
    draws = space.streams.for_("introduction_draws", day).random((len(queue), 5))
    offset = (draws[:, 0] * 5).astype(np.int64).tolist()
    for k, (a, via, cost) in enumerate(queue):
        if lv.hours_per_week > 0 and hours.level >= cost:
            yield from _take(hours, cost)
            spent += cost
            d = day + offset[k]
            if via == "broker":
                d = in_days[min(int(draws[k, 0] * len(in_days)), len(in_days) - 1)]
            introduce(space, a, d, via="tool" if via == "tool" else "manager", draws=draws[k, 1:])
        else:
            dropped += 1
    space.record.workload.append((day, "introductions", demand, spent, dropped))
    fade_tool_use(space, day)


def fade_tool_use(space: Space, day: int) -> None:
    """Tool users give up the tool with a weekly hazard: ``fade_per_month`` x their share of declined suggestions."""
    r, lv = space.roster, space.levers
    if lv.tool_adoption <= 0 or lv.tool_fade_per_month <= 0:
        return
    users = r.active_idx()[r.tool_user[r.active_idx()]]
    if not len(users):
        return
    declined = r.tool_declined[users] / np.maximum(r.tool_offers[users], 1.0)
    p = 1.0 - np.exp(-lv.tool_fade_per_month * declined * 7.0 / _DAYS_PER_MONTH)
    quit_ = users[space.member_uniforms("tool_fade", day, users) < p]
    r.tool_user[quit_] = False
    r.tool_left_day[quit_] = day
