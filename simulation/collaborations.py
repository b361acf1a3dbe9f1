"""Formal collaborations: the measurable business value of the community.

Each week, every pair of current, onboarded members with a strong tie
(strength above twice the tie threshold) and at least one shared topic starts
a collaboration with probability

``1 - exp(-rate * weeks * shared_topics * sqrt(e_i * e_j) * openness_i * openness_j
* (1 + theme_bonus * both_carry_theme))``

so collaborations need ties *and* a common domain, are likelier between
engaged members and — in a themed space — between members of the theme
(coworking field studies: a theme makes the business value clearer).  A
collaboration brings value to both partners; its story is shared with the
community with a small probability (field studies: success stories are rarely
shared), or a large one under ``success_stories``; a shared story raises
every member's expected value (engagement).

Examples
--------
>>> from simulation.model import run
>>> from simulation.config import Scenario
>>> res = run(Scenario(space={"years": 0.5}, arrivals={"initial_members": 40}), seed=5)
>>> set(res.participations.loc[res.participations["kind"] == "collaboration", "role"]) <= {"partner"}
True
"""

from __future__ import annotations

import numpy as np

from .members import apply_value
from .space import MINUTES_PER_DAY, Space

__all__ = ["weekly_collaborations"]

_DAYS_PER_MONTH = 365.25 / 12


def weekly_collaborations(space: Space, day: int) -> int:
    """Draw this week's new collaborations; return how many formed."""
    r = space.roster
    rng = space.rng
    c = space.scenario.collaborations
    thr = space.scenario.encounters.tie_threshold
    idx = r.active_idx()
    idx = idx[r.onboarded[idx]]
    if len(idx) < 2:
        return 0
    ties = r.ties[np.ix_(idx, idx)]
    interests = r.interests[idx].astype(np.float32)
    shared = interests @ interests.T
    e = r.engagement[idx]
    o = r.openness[idx]
    rate = c.rate_per_month * 7.0 / _DAYS_PER_MONTH * shared * np.sqrt(np.outer(e, e)) * np.outer(o, o)
    lv = space.levers
    if lv.theme is not None:
        th = interests[:, space.topics.index(lv.theme)]
        rate = rate * (1.0 + c.theme_bonus * np.outer(th, th))
    eligible = np.triu((ties > 2 * thr) & (shared > 0), k=1)
    ii, jj = np.nonzero(eligible)
    if len(ii) == 0:
        return 0
    p = 1.0 - np.exp(-rate[ii, jj])
    hit = rng.random(len(ii)) < p
    ii, jj = ii[hit], jj[hit]
    rec = space.record
    members = space.scenario.members
    for a, b in zip(idx[ii].tolist(), idx[jj].tolist()):
        common = np.flatnonzero(r.interests[a] & r.interests[b])
        if lv.theme is not None and space.topics.index(lv.theme) in common:
            t = space.topics.index(lv.theme)
        else:
            t = int(common[rng.integers(len(common))])
        topic = space.topics[t]
        aid = rec.next_id("collaboration")
        minute = space.clip_day(day + int(rng.integers(0, 5))) * MINUTES_PER_DAY + int(rng.integers(9 * 60, 17 * 60))
        rec.participate(aid, [space.member_id(a), space.member_id(b)], minute, "collaboration", "partner", topic,
                        "private")
        rec.activities.append((aid, "collaboration", topic, False, ""))
        apply_value(space, [a, b], members.value_per_collaboration)
        r.ties[a, b] += 2.0
        r.ties[b, a] += 2.0
        if rng.random() < lv.story_share_probability:
            everyone = r.active_idx()
            apply_value(space, everyone, lv.story_value)
    return len(ii)
