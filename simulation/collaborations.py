"""Formal collaborations: the measurable business value of the community.

Each week, every pair of current, onboarded members of *different*
organisations with a strong tie (strength above twice the tie threshold) and
at least one shared topic starts a collaboration with probability

``1 - exp(-rate * weeks * shared_topics * sqrt(e_i * e_j))``

so collaborations need ties *and* a common domain and are likelier between
engaged members.  A theme has no term of its own here: it acts through the
mechanisms upstream — more members carry the theme (admission by fit, theme
interests), more events are on it, so more pairs share a topic, talk, form
strong ties and then collaborate (coworking field studies: a theme makes the
business value clearer).  A
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

from .space import CHANNELS, KINDS, MINUTES_PER_DAY, ROLES, Space

__all__ = ["weekly_collaborations", "share_story"]

_DAYS_PER_MONTH = 365.25 / 12


def weekly_collaborations(space: Space, day: int) -> int:
    """Draw this week's new collaborations; return how many formed."""
    r = space.roster
    c = space.scenario.collaborations
    thr = space.scenario.encounters.tie_threshold
    # strong ties are few: take them from the sparse tie store, in member order
    a, b = r.ties.pairs_above(c.strong_tie_factor * thr)
    if len(a) == 0:
        return 0
    ok = r.onboarded[a] & r.onboarded[b] & (r.org[a] != r.org[b])
    ia, ib = r.interests[a], r.interests[b]
    shared = (ia & ib).sum(axis=1)
    ok &= shared > 0
    if not ok.any():
        return 0
    a, b, shared = a[ok], b[ok], shared[ok]
    e = r.engagement
    rate = c.rate_per_month * 7.0 / _DAYS_PER_MONTH * shared * np.sqrt(e[a] * e[b])
    lv = space.levers
    theme = space.topic_index[lv.theme] if lv.theme is not None else None
    p = 1.0 - np.exp(-rate)
    rng = space.streams.for_("collaborations", day)
    hit = rng.random(len(a)) < p
    a, b = a[hit], b[hit]
    if len(a) == 0:
        return 0
    # four uniforms per collaboration: topic, day, time of day, story shared
    draws = rng.random((len(a), 4)).tolist()
    rec = space.record
    members = space.scenario.members
    v = members.value_per_collaboration
    for (x, y), (u_topic, u_day, u_time, u_story) in zip(zip(a.tolist(), b.tolist()), draws):
        my = r.topic_mask[y]
        common = [t for t in r.topic_list[x] if my >> t & 1]
        t = theme if theme is not None and theme in common else common[int(u_topic * len(common))]
        minute = space.clip_day(day + int(u_day * 5)) * MINUTES_PER_DAY + 9 * 60 + int(u_time * (8 * 60))
        aid = rec.activity("collab", "collaboration", t)
        rec.row(aid, x, minute, _COLLABORATION, _PARTNER, t, _PRIVATE)
        rec.row(aid, y, minute, _COLLABORATION, _PARTNER, t, _PRIVATE)
        e[x] = min(1.0, e[x] + v)
        e[y] = min(1.0, e[y] + v)
        r.add_tie(x, y, c.tie_per_collaboration)
        if u_story < lv.story_share_probability:
            share_story(space)
    return len(a)


def share_story(space: Space) -> None:
    """A shared story: every current member closes ``story_learning`` of their gap to knowing who does what."""
    r = space.roster
    idx = r.active_idx()
    r.knowledge[idx] += (1.0 - r.knowledge[idx]) * space.levers.story_learning


_COLLABORATION = KINDS.index("collaboration")
_PARTNER = ROLES.index("partner")
_PRIVATE = CHANNELS.index("private")
