"""Presence in the space and chance encounters between the people present.

Mechanisms and their grounding
------------------------------
* **Presence.** Each workday a member comes in with a probability that grows
  with engagement; newcomers who have not been onboarded come less.  Every day
  present is a ``presence`` participation in that day's ``checkin`` activity (as
  a door or booking system would export it).
* **Chance encounters.** People present together meet by chance; a member
  starts a Poisson number of conversations (scaled by sociability and
  openness) and picks a partner among those present with weight
  ``1 + topic_affinity * shared_topics + tie_affinity * tie + closure_affinity
  * mutual_acquaintances``.  This is the model of Jin, Girvan & Newman (2001):
  meetings are more likely between people with mutual friends (triadic
  closure), and ties decay without contact (exponential decay with a
  half-life).  Shared interests act as the *domain* of the community (Wenger,
  McDermott & Snyder 2002).  Each conversation is an ``interaction``
  (``conversation``) with two participants.

All draws of a day are vectorised over the members present.

Examples
--------
>>> import numpy as np
>>> from simulation.encounters import choose_partners
>>> w = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
>>> choose_partners(w, np.array([0, 1, 2]), np.random.default_rng(0)).tolist()
[1, 0, 1]
"""

from __future__ import annotations

import numpy as np

from .members import apply_value
from .space import MINUTES_PER_DAY, Space

__all__ = ["daily_presence", "choose_partners", "partner_weights", "decay_ties"]


def choose_partners(weights: np.ndarray, starters: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one partner column per starter row, proportional to ``weights``.

    Rows with zero total weight get ``-1``.
    """
    if len(starters) == 0:
        return np.empty(0, dtype=np.int64)
    cum = np.cumsum(weights[starters], axis=1)
    total = cum[:, -1]
    u = rng.random(len(starters)) * total
    out = (cum <= u[:, None]).sum(axis=1)
    out = np.minimum(out, weights.shape[1] - 1)
    out[total <= 0] = -1
    return out


def partner_weights(space: Space, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Partner-choice weights among ``people`` and their shared-topic counts."""
    r = space.roster
    enc = space.scenario.encounters
    interests = r.interests[people].astype(np.float32)
    shared = interests @ interests.T
    ties = r.ties[np.ix_(people, people)]
    others = r.active_idx()  # departed members' ties are zero: skip their columns
    tied = (r.ties[np.ix_(people, others)] > enc.tie_threshold).astype(np.float32)
    mutual = tied @ tied.T
    w = 1.0 + enc.topic_affinity * shared + enc.tie_affinity * np.minimum(ties, 1.0) + enc.closure_affinity * mutual
    recv = r.openness[people] * np.sqrt(r.sociability[people]) * np.where(r.onboarded[people], 1.0, 0.4)
    w *= recv[None, :].astype(np.float32)
    np.fill_diagonal(w, 0.0)
    return w, shared


def daily_presence(env, space: Space):
    """SimPy process: each workday, who comes in, the check-in record, and chance conversations."""
    r = space.roster
    m = space.scenario.members
    enc = space.scenario.encounters
    rng = space.rng
    p_base = min(m.presence_days_per_week / 5.0, 1.0)
    start_dow = space.scenario.space.start_date
    while True:
        day = int(env.now)
        if day >= space.horizon:
            return
        if space.is_workday(day):
            idx = r.active_idx()
            if len(idx):
                p = p_base * (0.3 + 0.7 * r.engagement[idx]) * np.where(r.onboarded[idx], 1.0, 0.6)
                present = idx[rng.random(len(idx)) < p]
                if len(present):
                    _log_day(space, day, present, start_dow)
                if len(present) > 1:
                    _conversations(space, day, present, enc, rng)
        yield env.timeout(1)


def _log_day(space: Space, day: int, present: np.ndarray, start) -> None:
    date = np.datetime64(start) + np.timedelta64(day, "D")
    aid = f"checkin-{str(date).replace('-', '')}"
    ids = [space.member_id(i) for i in present.tolist()]
    space.record.participate(aid, ids, day * MINUTES_PER_DAY + 9 * 60, "presence", "attendee", "", "public")
    space.record.activities.append((aid, "checkin", "", False, ""))


def _conversations(space: Space, day: int, present: np.ndarray, enc, rng) -> None:
    r = space.roster
    w, shared = partner_weights(space, present)
    starts = rng.poisson(enc.conversations_per_day * r.sociability[present] * r.openness[present])
    starters = np.repeat(np.arange(len(present)), starts)
    if len(starters) == 0:
        return
    partners = choose_partners(w, starters, rng)
    ok = partners >= 0
    starters, partners = starters[ok], partners[ok]
    minutes = rng.integers(10 * 60, 18 * 60, size=len(starters))
    topic_pick = rng.random(len(starters))
    gi, gj = present[starters], present[partners]
    # ties and value, vectorised (np.add.at handles repeated pairs)
    np.add.at(r.ties, (gi, gj), 1.0)
    np.add.at(r.ties, (gj, gi), 1.0)
    m = space.scenario.members
    gain = m.value_per_encounter * (1.0 + (shared[starters, partners] > 0))
    np.add.at(r.engagement, gi, gain)
    np.add.at(r.engagement, gj, gain)
    both = np.concatenate([gi, gj])
    r.engagement[both] = np.minimum(r.engagement[both], 1.0)
    rec = space.record
    interests = r.interests
    topics = space.topics
    base = day * MINUTES_PER_DAY
    for k in range(len(gi)):
        a, b = int(gi[k]), int(gj[k])
        common = np.flatnonzero(interests[a] & interests[b])
        if len(common) == 0:
            common = np.flatnonzero(interests[a])
        topic = topics[int(common[int(topic_pick[k] * len(common))])]
        aid = rec.next_id("conversation")
        rec.participate(aid, [space.member_id(a), space.member_id(b)], base + int(minutes[k]),
                        "interaction", ["sender", "recipient"], topic, "private")
        rec.activities.append((aid, "conversation", topic, False, ""))


def decay_ties(space: Space, days: float) -> None:
    """Exponential decay of every tie over ``days`` without contact (Jin, Girvan & Newman 2001)."""
    n = space.roster.n
    factor = np.float32(0.5 ** (days / space.scenario.encounters.tie_half_life_days))
    space.roster.ties[:n, :n] *= factor
