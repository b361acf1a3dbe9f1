"""Daily presence and chance conversations among the members present.

Presence
    Each workday (closed on holidays when ``space.holiday_closure``) a member
    comes in with probability ``min(presence_days_per_week / 5, 1) x (floor +
    per_engagement x engagement)``, times the plan's factor (full-time 1,
    ``members.part_time_presence_factor``, ``members.day_pass_presence_factor``),
    ``members.newcomer_presence_factor`` before onboarding and
    ``space.summer_presence_factor`` in July and August (seasonality).  A
    member of a team (a startup or large company with colleagues) follows the
    team's day schedule with probability ``members.team_presence_sync``, so
    colleagues are present together (organizational homophily).
Chance conversations
    A present member starts a Poisson number of conversations (mean
    ``conversations_per_day x sociability``) with partners drawn by
    :class:`simulation.partners.PartnerSampler`: shared topics, existing ties,
    mutual acquaintances (triadic closure; Jin, Girvan & Newman 2001) and
    colleagues (``encounters.colleague_affinity``); members with a colleague
    present spend ``members.team_room_share`` of the day in their team's room,
    away from the common areas.  Each conversation strengthens the tie and
    brings value, more with a shared topic.
Group interactions
    Lunch tables of 3-8 among the members present (:mod:`simulation.groups`).
Tie decay
    Weekly, every tie loses strength with a half-life; ties below
    ``encounters.tie_floor`` are forgotten.

Examples
--------
>>> from simulation.model import run
>>> from simulation.config import Scenario
>>> res = run(Scenario(space={"years": 0.2}, arrivals={"initial_members": 25}), seed=4)
>>> sorted(set(res.activities["type"]) & {"conversation", "lunch"})
['conversation', 'lunch']
"""

from __future__ import annotations

import numpy as np

from .groups import lunch_tables
from .partners import UNIFORMS_PER_DRAW, PartnerSampler
from .space import CHANNELS, KINDS, MANAGER, MINUTES_PER_DAY, ROLES, Space
from .streams import poisson_from_uniform

__all__ = ["daily_presence", "decay_ties", "presence_probability", "conversations"]


def presence_probability(space: Space, day: int, idx: np.ndarray) -> np.ndarray:
    """Probability that each member of ``idx`` comes in on ``day`` (a workday)."""
    r = space.roster
    m = space.scenario.members
    p_base = min(m.presence_days_per_week / 5.0, 1.0)
    plan = np.array([1.0, m.part_time_presence_factor, m.day_pass_presence_factor])[r.plan[idx]]
    return (p_base * (m.presence_floor + m.presence_per_engagement * r.engagement[idx]) * plan
            * np.where(r.onboarded[idx], 1.0, m.newcomer_presence_factor) * space.season[day])


def _present(space: Space, day: int, idx: np.ndarray) -> np.ndarray:
    """Who comes in: each member's own uniform, or their team's with probability ``team_presence_sync``."""
    r = space.roster
    p = presence_probability(space, day, idx)
    u = space.member_uniforms("presence", day, idx, columns=2)
    own = u[:, 0]
    sync = space.scenario.members.team_presence_sync
    if sync > 0:
        org = r.org[idx]
        team = r.org_type[idx] > 0
        n_org = len(space.org_names)
        u_team = space.streams.for_("presence_team", day).random(n_org)[org]
        own = np.where(team & (u[:, 1] < sync), u_team, own)
    return idx[own < p]


def daily_presence(env, space: Space):
    """SimPy process: each workday, who comes in, the check-in record, chance conversations and lunch tables."""
    r = space.roster
    enc = space.scenario.encounters
    while True:
        day = int(env.now)
        if day >= space.horizon:
            return
        if space.is_workday(day):
            idx = r.active_idx()
            if len(idx):
                present = _present(space, day, idx)
                if len(present):
                    _log_day(space, day, present)
                if len(present) > 1:
                    sampler = PartnerSampler(space, present)
                    conversations(space, day, present, enc, sampler)
                    lunch_tables(space, day, present, sampler)
        yield env.timeout(1)


def _log_day(space: Space, day: int, present: np.ndarray) -> None:
    rec = space.record
    aid = rec.activity("checkin", "checkin", -1, number=day)
    minute = day * MINUTES_PER_DAY + 9 * 60
    if space.manager_present(day):
        rec.row(aid, MANAGER, minute, _PRESENCE, _ATTENDEE, -1, _PUBLIC)
    rec.block(aid, present, minute, _PRESENCE, _ATTENDEE, -1, _PUBLIC)


def conversations(space: Space, day: int, present: np.ndarray, enc, sampler: PartnerSampler) -> None:
    """The day's chance conversations among ``present`` (ties, value and the log's rows)."""
    r = space.roster
    per = UNIFORMS_PER_DRAW + 2  # the partner draw, then time and topic
    # each member's row of the day: how many conversations they start, then partner, time and topic of each
    mu = space.member_uniforms("conversations", day, present, columns=1 + per * _SLOTS)
    starts = poisson_from_uniform(mu[:, 0], enc.conversations_per_day * r.sociability[present])
    starters = np.repeat(np.arange(len(present)), starts)
    if len(starters) == 0:
        return
    nth = np.arange(len(starters)) - np.repeat(np.cumsum(starts) - starts, starts)  # k-th conversation of its starter
    u = np.empty((per, len(starters)))
    inside = nth < _SLOTS
    cols = 1 + per * nth[inside]
    for c in range(per):
        u[c, inside] = mu[starters[inside], cols + c]
    if not inside.all():  # the rare member starting more conversations than their row holds
        u[:, ~inside] = space.streams.for_("conversations_extra", day).random((per, int((~inside).sum())))
    partners = sampler.draw(starters, u[:UNIFORMS_PER_DRAW])
    ok = partners >= 0
    gi, gj = present[starters[ok]], partners[ok]
    k = len(gi)
    if k == 0:
        return
    u = u[UNIFORMS_PER_DRAW:, ok]
    minutes = 10 * 60 + (u[0] * (8 * 60)).astype(np.int64)
    r.add_ties(gi, gj, enc.tie_per_conversation)
    ia, ib = r.interests[gi], r.interests[gj]
    common = ia & ib
    has_common = common.any(axis=1)
    m = space.scenario.members
    gain = m.value_per_encounter * (1.0 + enc.shared_topic_value_bonus * has_common)
    np.add.at(r.engagement, gi, gain)
    np.add.at(r.engagement, gj, gain)
    both = np.concatenate([gi, gj])
    r.engagement[both] = np.minimum(r.engagement[both], 1.0)
    # the topic: one of the shared interests, else one of the starter's
    pool = np.where(has_common[:, None], common, ia)
    cum = np.cumsum(pool, axis=1)
    pick = (u[1] * cum[:, -1]).astype(np.int64)
    topic = (cum <= pick[:, None]).sum(axis=1)
    rec = space.record
    aids = rec.activities_block("conv", "conversation", topic)
    base = day * MINUTES_PER_DAY
    rec.pair_block(aids, gi, gj, base + minutes, _INTERACTION, _SENDER_RECIPIENT, topic, _PRIVATE)


def decay_ties(space: Space, days: float) -> None:
    """Exponential decay of every tie over ``days`` without contact (Jin, Girvan & Newman 2001); weak ties forgotten."""
    enc = space.scenario.encounters
    space.roster.ties.decay(0.5 ** (days / enc.tie_half_life_days), floor=enc.tie_floor)


#: Conversations per member and day drawn from the member's own row (more use a positional stream).
_SLOTS = 6

_PRESENCE, _INTERACTION = KINDS.index("presence"), KINDS.index("interaction")
_ATTENDEE = ROLES.index("attendee")
_SENDER_RECIPIENT = (ROLES.index("sender"), ROLES.index("recipient"))
_PUBLIC, _PRIVATE = CHANNELS.index("public"), CHANNELS.index("private")
