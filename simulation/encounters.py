"""Presence in the space and chance encounters between the people present.

Mechanisms and their grounding
------------------------------
* **Presence.** Each workday a member comes in with probability
  ``presence_days_per_week / 5 * (presence_floor + presence_per_engagement * engagement)``
  (``members.*``), times ``newcomer_presence_factor`` for newcomers not yet onboarded.  Every day
  present is a ``presence`` participation in that day's ``checkin`` activity (as
  a door or booking system would export it).
* **Chance encounters.** People present together meet by chance; a member
  starts a Poisson number of conversations (scaled by sociability and
  openness) and picks a partner among those present with weight
  ``base_partner_weight + topic_affinity * shared_topics + tie_affinity *
  min(tie, tie_weight_cap) + closure_affinity * mutual_acquaintances``, times
  the partner's openness, the square root of their sociability and, for a
  newcomer not yet onboarded, ``newcomer_receptiveness`` (``encounters.*``).
  A conversation adds ``tie_per_conversation`` to the tie and is worth
  ``value_per_encounter * (1 + shared_topic_value_bonus)`` when the two share
  a topic.  This is the model of Jin, Girvan & Newman (2001):
  meetings are more likely between people with mutual friends (triadic
  closure), and ties decay without contact (exponential decay with a
  half-life).  Shared interests act as the *domain* of the community (Wenger,
  McDermott & Snyder 2002).  Each conversation is an ``interaction``
  (``conversation``) with two participants.

All draws of a day are vectorised over the members present; only the rows of
the partner-weight matrix of members who start a conversation are computed.

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

from .space import CHANNELS, KINDS, MINUTES_PER_DAY, ROLES, Space
from .streams import poisson_from_uniform

__all__ = ["daily_presence", "choose_partners", "partner_weights", "decay_ties"]


def choose_partners(weights: np.ndarray, starters: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one partner column per starter row, proportional to ``weights``.

    Rows with zero total weight get ``-1``.
    """
    if len(starters) == 0:
        return np.empty(0, dtype=np.int64)
    return _draw_columns(weights[starters], rng)


def _draw_columns(rows: np.ndarray, rng: np.random.Generator, u: np.ndarray | None = None) -> np.ndarray:
    """One column per row of ``rows``, drawn proportional to the row's weights (``-1``: all zero).

    ``u`` are the uniform numbers to use (one per row; drawn here when not given).
    """
    cum = np.cumsum(rows, axis=1)
    total = cum[:, -1]
    u = (rng.random(len(rows)) if u is None else u) * total
    out = (cum <= u[:, None]).sum(axis=1)
    out = np.minimum(out, rows.shape[1] - 1)
    out[total <= 0] = -1
    return out


def partner_weights(space: Space, people: np.ndarray, rows: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Partner-choice weights among ``people`` and their shared-topic counts.

    With ``rows`` (positions in ``people``, repeats allowed) only those rows
    of the ``len(people) x len(people)`` matrices are computed: row ``k`` is
    the weights of ``people[rows[k]]`` over ``people``.
    """
    r = space.roster
    enc = space.scenario.encounters
    interests = r.interests[people].astype(np.float32)
    own = np.arange(len(people)) if rows is None else rows
    shared = interests[own] @ interests.T
    tie_rows = r.tie_rows(people)  # ties to every current member (departed members' ties are zero)
    slots = r.slot[people]
    ties = tie_rows[own][:, slots]
    tied = (tie_rows > enc.tie_threshold).astype(np.float32)
    mutual = tied[own] @ tied.T
    w = (enc.base_partner_weight + enc.topic_affinity * shared + enc.tie_affinity * np.minimum(ties, enc.tie_weight_cap)
         + enc.closure_affinity * mutual)
    recv = (r.openness[people] * np.sqrt(r.sociability[people])
            * np.where(r.onboarded[people], 1.0, enc.newcomer_receptiveness))
    w *= recv[None, :].astype(np.float32)
    w[np.arange(len(own)), own] = 0.0
    return w, shared


def daily_presence(env, space: Space):
    """SimPy process: each workday, who comes in, the check-in record, and chance conversations."""
    r = space.roster
    m = space.scenario.members
    enc = space.scenario.encounters
    p_base = min(m.presence_days_per_week / 5.0, 1.0)
    while True:
        day = int(env.now)
        if day >= space.horizon:
            return
        if space.is_workday(day):
            idx = r.active_idx()
            if len(idx):
                p = (p_base * (m.presence_floor + m.presence_per_engagement * r.engagement[idx])
                     * np.where(r.onboarded[idx], 1.0, m.newcomer_presence_factor))
                present = idx[space.member_uniforms("presence", day, idx) < p]
                if len(present):
                    _log_day(space, day, present)
                if len(present) > 1:
                    _conversations(space, day, present, enc)
        yield env.timeout(1)


def _log_day(space: Space, day: int, present: np.ndarray) -> None:
    rec = space.record
    aid = rec.activity("checkin", "checkin", -1, number=day)
    rec.block(aid, present, day * MINUTES_PER_DAY + 9 * 60, _PRESENCE, _ATTENDEE, -1, _PUBLIC)


def _conversations(space: Space, day: int, present: np.ndarray, enc) -> None:
    r = space.roster
    # each member's row of the day: how many conversations they start, then partner, time and topic of each
    mu = space.member_uniforms("conversations", day, present, columns=1 + 3 * _SLOTS)
    starts = poisson_from_uniform(mu[:, 0], enc.conversations_per_day * r.sociability[present] * r.openness[present])
    starters = np.repeat(np.arange(len(present)), starts)
    if len(starters) == 0:
        return
    w, _ = partner_weights(space, present, starters)
    nth = np.arange(len(starters)) - np.repeat(np.cumsum(starts) - starts, starts)  # k-th conversation of its starter
    u = np.empty((3, len(starters)))
    inside = nth < _SLOTS
    cols = 1 + 3 * nth[inside]
    for c in range(3):
        u[c, inside] = mu[starters[inside], cols + c]
    if not inside.all():  # the rare member starting more conversations than their row holds
        u[:, ~inside] = space.streams.for_("conversations_extra", day).random((3, int((~inside).sum())))
    partners = _draw_columns(w, None, u[0])
    ok = partners >= 0
    starters, partners = starters[ok], partners[ok]
    k = len(starters)
    if k == 0:
        return
    u = u[1:, ok]
    minutes = 10 * 60 + (u[0] * (8 * 60)).astype(np.int64)
    gi, gj = present[starters], present[partners]
    # ties and value, vectorised (np.add.at handles repeated pairs)
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
    """Exponential decay of every tie over ``days`` without contact (Jin, Girvan & Newman 2001)."""
    r = space.roster
    factor = np.float32(0.5 ** (days / space.scenario.encounters.tie_half_life_days))
    r.ties[: r.hw, : r.hw] *= factor


#: Conversations per member and day drawn from the member's own row (more use a positional stream).
_SLOTS = 6

_PRESENCE, _INTERACTION = KINDS.index("presence"), KINDS.index("interaction")
_ATTENDEE = ROLES.index("attendee")
_SENDER_RECIPIENT = (ROLES.index("sender"), ROLES.index("recipient"))
_PUBLIC, _PRIVATE = CHANNELS.index("public"), CHANNELS.index("private")
