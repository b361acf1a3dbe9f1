"""Events organised by the community manager.

An event is social or professional and has a topic (the theme's, when the
space has one, more often than not).  Each member attends with a logistic
probability driven by

* engagement,
* topic relevance (a shared interest; for professional events, plus the pull
  of external speakers),
* familiarity: how many ties the member has to members of *other*
  organisations (people come where they know people — Wenger, McDermott &
  Snyder 2002, "combine familiarity and excitement"); staff who mostly know
  their colleagues attend less, without a penalty of their own.

On the log-odds scale, around ``logit(base_attendance)``:
``engagement_weight * (engagement - 0.5) + relevance_weight * (relevance - 0.3)``
(times ``social_relevance_factor`` at social events) ``+ familiarity_weight *
(tanh(ties / familiarity_ties) - 0.5)``, less ``newcomer_penalty`` before
onboarding (all ``events.*``).  No event is held on a day the space is closed.  In
a themed space ``theme_share`` of the events are on the theme.  External guests may join (``external_speakers``).  Attendees talk
to a few others, forming and renewing ties (not logged: co-attendance already
is in the log); attending brings value.

Examples
--------
>>> from simulation.model import run
>>> from simulation.config import Scenario
>>> res = run(Scenario(space={"years": 0.3}, arrivals={"initial_members": 30},
...                    events={"cadence_days": 14}), seed=2)
>>> bool(res.activities["type"].isin(["social", "professional"]).any())
True
"""

from __future__ import annotations

import numpy as np

from .members import apply_value
from .partners import UNIFORMS_PER_DRAW, PartnerSampler
from .space import CHANNELS, KINDS, MANAGER, MINUTES_PER_DAY, ORGANIZERS, ROLES, Space
from .streams import poisson_from_uniform

__all__ = ["event", "attendance_probability"]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def attendance_probability(space: Space, idx: np.ndarray, topic: int, professional: bool) -> np.ndarray:
    """Probability that each member in ``idx`` attends an event on ``topic``."""
    r = space.roster
    ev = space.scenario.events
    lv = space.levers
    relevance = r.interests[idx, topic].astype(float)
    rel_w = ev.relevance_weight * (1.0 if professional else ev.social_relevance_factor)
    ties = outside_ties(space, idx)
    familiarity = np.tanh(ties / ev.familiarity_ties)
    z = (
        _logit(ev.base_attendance)
        + ev.engagement_weight * (r.engagement[idx] - 0.5)
        + rel_w * (relevance - 0.3)
        + ev.familiarity_weight * (familiarity - 0.5)
        + (lv.speaker_relevance if professional else 0.0)
        - np.where(r.onboarded[idx], 0.0, ev.newcomer_penalty)
    )
    return 1.0 / (1.0 + np.exp(-z))


def outside_ties(space: Space, idx: np.ndarray) -> np.ndarray:
    """Number of ties above the threshold each member of ``idx`` has to members of other organisations."""
    r = space.roster
    t = r.ties
    lo, hi = t.slices(idx)  # each member's ties are one slice: count the qualifying ones by a running total
    src = t.src()
    ok = (t.val > space.scenario.encounters.tie_threshold) & (r.org[src] != r.org[t.dst])
    c = np.empty(len(ok) + 1, dtype=np.int64)
    c[0] = 0
    np.cumsum(ok, out=c[1:])
    return c[hi] - c[lo]


def event(env, space: Space, day: int):
    """SimPy process: wait until the event's day, then run it."""
    if day > env.now:
        yield env.timeout(day - env.now)
    day = int(env.now)
    if day >= space.horizon or space.is_closed(day):
        return
    r = space.roster
    rng = space.streams.for_("event", day)
    ev = space.scenario.events
    lv = space.levers
    idx = r.active_idx()
    # the event's kind, theme and topic; each member's attendance from their own row of the day
    u = rng.random(3)
    professional = bool(u[0] < lv.professional_share)
    if lv.theme is not None and u[1] < ev.theme_share:
        topic = space.topic_index[lv.theme]
    else:
        topic = int(u[2] * len(space.topics))
    p = attendance_probability(space, idx, topic, professional)
    att = idx[space.member_uniforms("event_attendance", day, idx) < p]
    n_guests = int(rng.poisson(ev.external_guests + (lv.speaker_guests if professional else 0.0)))
    rec = space.record
    kind_type = "professional" if professional else "social"
    aid = rec.activity("event", kind_type, topic, external=n_guests > 0, organizer=_BY_MANAGER)
    minute = day * MINUTES_PER_DAY + 17 * 60
    start = len(rec.guests)
    rec.guests.extend([day] * n_guests)
    # the organizer, the attendees, then the guests
    who = np.concatenate([[MANAGER], att, -2 - np.arange(start, start + n_guests)])
    roles = np.repeat([_ORGANIZER, _ATTENDEE, _GUEST], [1, len(att), n_guests])
    rec.block(aid, who, minute, _EVENT, roles, topic, _PUBLIC)
    if space.network is not None:  # a network of spaces may stream it to the others (simulation.network)
        space.network.stream_event(space, day, aid, topic, professional)
    if len(att) == 0:
        return
    relevance = r.interests[att, topic]
    apply_value(space, att, space.scenario.members.value_per_event * (1.0 + ev.relevant_value_bonus * relevance))
    event_conversations(space, att, day, ev.conversations_per_attendee)


def event_conversations(space, att: np.ndarray, key: int, rate: float) -> None:
    """Conversations among the people ``att`` at one event: ties from partner choice in the room.

    Each attendee starts ``Poisson(rate x sociability)`` conversations (uniforms of the
    ``event_conversations`` stream under ``key``: the day for a space's own events, the stream's or
    the tour's key in a network); partners are drawn among the attendees by
    :class:`simulation.partners.PartnerSampler` (no team rooms) and each conversation adds
    ``encounters.tie_per_conversation`` to the pair's tie.  Fewer than two attendees: nothing.

    Examples
    --------
    >>> from simulation.config import Scenario
    >>> from simulation.model import run
    >>> run(Scenario(space={"years": 0.1}), seed=3).participations["kind"].eq("event").any()
    np.True_
    """
    if len(att) < 2:
        return
    r = space.roster
    mu = space.member_uniforms("event_conversations", key, att)
    starters = np.repeat(np.arange(len(att)), poisson_from_uniform(mu, rate * r.sociability[att]))
    if len(starters) == 0:
        return
    sampler = PartnerSampler(space, att, team_rooms=False)
    u = space.streams.for_("event_conversations", key, 1).random((UNIFORMS_PER_DRAW, len(starters)))
    partners = sampler.draw(starters, u)
    ok = partners >= 0
    r.add_ties(att[starters[ok]], partners[ok], space.scenario.encounters.tie_per_conversation)


_EVENT = KINDS.index("event")
_ORGANIZER, _ATTENDEE, _GUEST = ROLES.index("organizer"), ROLES.index("attendee"), ROLES.index("guest")
_PUBLIC = CHANNELS.index("public")
_BY_MANAGER = ORGANIZERS.index(Space.MANAGER_ID)
