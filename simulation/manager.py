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

from .members import apply_value
from .space import CHANNELS, KINDS, MANAGER, MINUTES_PER_DAY, ORGANIZERS, ROLES, Space
from .streams import poisson_from_uniform

__all__ = ["manager", "introduce", "onboard"]

_DAYS_PER_MONTH = 365.25 / 12
TOOL_ID = "matchmaking-tool"


def _intro_pool(space: Space):
    """Current onboarded members with their static introduction weights (cached per roster version)."""
    r = space.roster

    def make():
        idx = r.onboarded_idx()
        pos = np.full(r.n, -1, dtype=np.int64)
        pos[idx] = np.arange(len(idx))
        return idx, r.interests[idx].astype(np.float64), r.openness[idx], r.slot[idx], pos.tolist()

    return r._cached("intro_pool", make)


def introduce(space: Space, a: int, day: int, *, via: str = "manager", minute: int | None = None,
              draws=None) -> int | None:
    """Introduce member ``a`` to a relevant member they are not tied to; return the partner.

    The partner shares a topic with ``a`` where possible and is chosen with
    weight proportional to shared topics and engagement.  ``draws`` are three
    uniform numbers for the partner, the topic and the time of day (drawn
    here when not given).
    """
    r = space.roster
    day = space.clip_day(day)
    idx, interests, openness, slots, pos_of = _intro_pool(space)
    pos = pos_of[a]
    a_in = pos >= 0
    if len(idx) - a_in == 0:
        return None
    u = space.streams.for_("introduction_draws", day, 1 + int(r.serial[a])).random(3) if draws is None else draws
    shared = interests @ r.interests[a].astype(np.float64)
    not_tied = r.ties[r.slot[a], slots] <= space.scenario.encounters.tie_threshold
    mc = space.scenario.manager
    base = (mc.introduction_engagement_floor + r.engagement[idx]) * not_tied
    if a_in:
        base[pos] = 0.0
    w = (1.0 + mc.introduction_topic_weight * shared) * (shared > 0) * base * openness
    cum = np.cumsum(w)
    if cum[-1] <= 0:
        cum = np.cumsum(base)
        if cum[-1] <= 0:
            return None
    k = int(np.searchsorted(cum, u[0] * cum[-1], side="right"))
    if k >= len(idx):  # rounding at the top end: the last member with weight
        k = int(np.searchsorted(cum, cum[-1], side="left"))
    b = int(idx[k])
    ta, mb = r.topic_list[a], r.topic_mask[b]
    pool = [t for t in ta if mb >> t & 1] or ta
    topic = pool[int(u[1] * len(pool))]
    when = minute if minute is not None else day * MINUTES_PER_DAY + 9 * 60 + int(u[2] * (8 * 60))
    rec = space.record
    by_manager = via == "manager"
    aid = rec.activity("intro", "introduction", topic, organizer=_BY_MANAGER if by_manager else _BY_TOOL)
    if by_manager:
        rec.row(aid, MANAGER, when, _INTERACTION, _ORGANIZER, topic, _PRIVATE)
    rec.row(aid, a, when, _INTERACTION, _RECIPIENT, topic, _PRIVATE)
    rec.row(aid, b, when, _INTERACTION, _RECIPIENT, topic, _PRIVATE)
    r.add_tie(a, b, mc.tie_per_introduction)
    v = space.scenario.members.value_per_introduction
    e = r.engagement
    e[a] = min(1.0, e[a] + v)
    e[b] = min(1.0, e[b] + v)
    return b


def onboard(space: Space, i: int, day: int, *, by_manager: bool) -> None:
    """Mark newcomer ``i`` onboarded; with the manager, a welcome and introductions."""
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
    apply_value(space, i, space.levers.onboarding_boost)
    n_intro = space.levers.onboarding_introductions
    draws = space.streams.for_("introduction_draws", day, 1 + int(r.serial[i])).random((n_intro, 3))
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
    """Task 4: the 1:1 introductions members request this week, through the tool first; the rest are dropped."""
    r, lv = space.roster, space.levers
    mc = space.scenario.manager
    w = 7.0 / _DAYS_PER_MONTH
    onb = active[r.onboarded[active]]
    e = r.engagement[onb]
    tenure = (day - r.joined[onb]) / _DAYS_PER_MONTH
    need = np.where(tenure < space.scenario.members.newcomer_months, mc.newcomer_request_factor, 1.0)
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
    demand = len(tool_req) * cost_tool + len(man_req) * mc.introduction_hours
    spent = 0.0
    dropped = 0
    # four uniforms per request: the day of the week, the partner, the topic, the time of day
    draws = space.streams.for_("introduction_draws", day).random((len(tool_req) + len(man_req), 4))
    offset = (draws[:, 0] * 5).astype(np.int64).tolist()
    queue = [(a, "tool", cost_tool) for a in tool_req.tolist()]
    queue += [(a, "manager", mc.introduction_hours) for a in man_req.tolist()]
    for k, (a, via, cost) in enumerate(queue):
        if lv.hours_per_week > 0 and hours.level >= cost:
            yield from _take(hours, cost)
            spent += cost
            introduce(space, a, day + offset[k], via=via, draws=draws[k, 1:])
        else:
            dropped += 1
    space.record.workload.append((day, "introductions", demand, spent, dropped))
