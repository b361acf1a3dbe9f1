"""Events organised by the community manager.

An event is social or professional and has a topic (the theme's, when the
space has one, more often than not).  Each member attends with a logistic
probability driven by

* engagement,
* topic relevance (a shared interest; for professional events, plus the pull
  of external speakers),
* familiarity: how many ties the member has (people come where they know
  people — Wenger, McDermott & Snyder 2002, "combine familiarity and
  excitement"),

and large-company staff attend less (coworking field studies: they stay
peripheral).  External guests may join (``external_speakers``).  Attendees talk
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

from .encounters import choose_partners, partner_weights
from .members import apply_value
from .space import MINUTES_PER_DAY, Space

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
    rel_w = ev.relevance_weight * (1.0 if professional else 0.4)
    ties = (r.ties[idx, : r.n] > space.scenario.encounters.tie_threshold).sum(axis=1)
    familiarity = np.tanh(ties / 5.0)
    z = (
        _logit(ev.base_attendance)
        + 2.5 * (r.engagement[idx] - 0.5)
        + rel_w * (relevance - 0.3)
        + ev.familiarity_weight * (familiarity - 0.5)
        + (lv.speaker_relevance if professional else 0.0)
        - 1.5 * (1.0 - r.openness[idx])
        - np.where(r.onboarded[idx], 0.0, 0.7)
    )
    return 1.0 / (1.0 + np.exp(-z))


def event(env, space: Space, day: int):
    """SimPy process: wait until the event's day, then run it."""
    if day > env.now:
        yield env.timeout(day - env.now)
    day = int(env.now)
    if day >= space.horizon:
        return
    r = space.roster
    rng = space.rng
    ev = space.scenario.events
    lv = space.levers
    professional = bool(rng.random() < lv.professional_share)
    if lv.theme is not None and rng.random() < 0.6:
        topic = space.topics.index(lv.theme)
    else:
        topic = int(rng.integers(len(space.topics)))
    idx = r.active_idx()
    p = attendance_probability(space, idx, topic, professional)
    att = idx[rng.random(len(idx)) < p]
    n_guests = int(rng.poisson(ev.external_guests + (lv.speaker_guests if professional else 0.0)))
    rec = space.record
    aid = rec.next_id("event")
    kind_type = "professional" if professional else "social"
    tname = space.topics[topic]
    minute = day * MINUTES_PER_DAY + 17 * 60
    rec.participate(aid, [Space.MANAGER_ID], minute, "event", "organizer", tname, "public")
    rec.participate(aid, [space.member_id(i) for i in att.tolist()], minute, "event", "attendee", tname, "public")
    if n_guests:
        start = len(rec.guests)
        gids = [f"g{start + k + 1:05d}" for k in range(n_guests)]
        rec.guests.extend((g, day) for g in gids)
        rec.participate(aid, gids, minute, "event", "guest", tname, "public")
    rec.activities.append((aid, kind_type, tname, n_guests > 0, Space.MANAGER_ID))
    if len(att) == 0:
        return
    relevance = r.interests[att, topic]
    apply_value(space, att, space.scenario.members.value_per_event * (1.0 + relevance))
    if len(att) > 1:
        w, _ = partner_weights(space, att)
        starts = rng.poisson(ev.conversations_per_attendee * r.sociability[att] * r.openness[att])
        starters = np.repeat(np.arange(len(att)), starts)
        partners = choose_partners(w, starters, rng)
        ok = partners >= 0
        gi, gj = att[starters[ok]], att[partners[ok]]
        np.add.at(r.ties, (gi, gj), 1.0)
        np.add.at(r.ties, (gj, gi), 1.0)
