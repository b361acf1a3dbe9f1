"""Group interactions of 3-8 people: lunch tables in the space, online threads.

Lunch tables
    Each workday a share ``groups.lunch_share`` of the members present sits at
    a lunch table.  A member with colleagues present joins their team's table
    with probability ``groups.lunch_colleague_share`` (organizational
    homophily); otherwise, with probability ``groups.lunch_topic_share``, a
    table of people sharing one of their topics; otherwise a mixed table.
    Each circle of fewer than three goes to the mixed tables; each circle is
    seated, in random order, at ``max(ceil(g / 8), round(g / table_size))``
    tables.  A table is one activity (type ``lunch``, kind ``interaction``,
    every member an ``attendee``); every two members at a table strengthen
    their tie by ``groups.tie_per_group`` and each gains
    ``groups.value_per_group``.
Online threads
    Weekly, each current member joins a Poisson number of threads (mean
    ``threads_per_member_month`` per month, scaled by ``0.3 + engagement``)
    on one of their topics; the joiners of a topic are split into threads of
    about ``groups.thread_size`` (type ``thread``, channel ``public``, the
    first member the ``sender``, the others ``recipient``).

Grounding: members of coworking spaces name shared lunches and informal
exchanges as the main occasions to meet (coworking field studies); Deskmag's
2016 survey reports 5.2 fellow coworkers spoken to a day, more than pairwise
chance conversations give.

Examples
--------
>>> import numpy as np
>>> _seat(np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]), 5.5).tolist()
[0, 1, 0, 1, 0, 1, 0, 1, 0, -1, -1]
"""

from __future__ import annotations

import numpy as np

from .space import CHANNELS, KINDS, MINUTES_PER_DAY, ROLES, Space
from .streams import poisson_from_uniform

__all__ = ["lunch_tables", "weekly_threads", "group_ties"]

_DAYS_PER_MONTH = 365.25 / 12
_MIXED = -1


def _seat(circle: np.ndarray, size: float) -> np.ndarray:
    """Table number within each run of equal ``circle`` codes (sorted input), ``-1`` for circles under 3."""
    n = len(circle)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.flatnonzero(np.concatenate([[True], circle[1:] != circle[:-1]]))
    g = np.diff(np.concatenate([start, [n]]))
    tables = np.maximum(np.ceil(g / 8.0), np.round(g / size)).astype(np.int64)
    tables = np.maximum(tables, 1)
    rank = np.arange(n) - np.repeat(start, g)
    seat = rank % np.repeat(tables, g)
    return np.where(np.repeat(g, g) >= 3, seat, -1)


def group_ties(members: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of members in the same group (``members`` sorted by ``group``; groups of at most 8)."""
    a, b = [], []
    for d in range(1, 8):
        same = group[d:] == group[:-d]
        a.append(members[:-d][same])
        b.append(members[d:][same])
    return np.concatenate(a), np.concatenate(b)


def _record_groups(space: Space, members: np.ndarray, group: np.ndarray, topics: np.ndarray, minutes: np.ndarray,
                   type_: str, prefix: str, channel: int, roles: np.ndarray) -> None:
    """One activity per group (``members`` sorted by ``group``), its rows, ties and value."""
    if len(members) == 0:
        return
    first = np.concatenate([[True], group[1:] != group[:-1]])
    gid = np.cumsum(first) - 1
    rec = space.record
    aids = rec.activities_block(prefix, type_, topics[first])
    rec.block(aids[gid], members, minutes, _INTERACTION, roles, topics, channel)
    g = space.scenario.groups
    a, b = group_ties(members, gid)
    r = space.roster
    r.add_ties(a, b, g.tie_per_group)
    np.add.at(r.engagement, members, g.value_per_group)
    r.engagement[members] = np.minimum(r.engagement[members], 1.0)


def lunch_tables(space: Space, day: int, present: np.ndarray, sampler) -> None:
    """The day's lunch tables among ``present`` (``sampler.has_colleague`` says who has a colleague in)."""
    g = space.scenario.groups
    if g.lunch_share <= 0 or len(present) < 3:
        return
    r = space.roster
    u = space.member_uniforms("groups", day, present, columns=5)
    go = u[:, 0] < g.lunch_share
    who = present[go]
    u = u[go]
    with_team = sampler.has_colleague[go] & (u[:, 1] < g.lunch_colleague_share)
    on_topic = ~with_team & (u[:, 2] < g.lunch_topic_share)
    # the topic circle: one of the member's topics
    interests = r.interests[who]
    cum = np.cumsum(interests, axis=1)
    pick = (u[:, 3] * cum[:, -1]).astype(np.int64)
    topic = np.minimum((cum <= pick[:, None]).sum(axis=1), interests.shape[1] - 1)
    k = interests.shape[1]
    circle = np.where(with_team, k + r.org[who], np.where(on_topic, topic, _MIXED))
    settled = False
    for _ in range(2):  # circles under three people go to the mixed tables
        order = np.lexsort((u[:, 4], circle))
        seat = _seat(circle[order], g.table_size)
        small = np.zeros(len(who), dtype=bool)
        small[order[seat < 0]] = True
        small &= circle != _MIXED
        if not small.any():
            settled = True  # the seating of these circles is the final one
            break
        circle = np.where(small, _MIXED, circle)
    if not settled:
        order = np.lexsort((u[:, 4], circle))
        seat = _seat(circle[order], g.table_size)
    keep = seat >= 0
    order, seat = order[keep], seat[keep]
    circ = circle[order]
    table = (circ.astype(np.int64) + 1) * (len(who) + 1) + seat
    o2 = np.lexsort((seat, circ))
    members, table = who[order][o2], table[o2]
    t_topic = np.where((circ[o2] >= 0) & (circ[o2] < k), circ[o2], -1)
    minute = day * MINUTES_PER_DAY + 12 * 60 + 30
    _record_groups(space, members, table, t_topic, np.full(len(members), minute), "lunch", "group", _PUBLIC,
                   np.full(len(members), _ATTENDEE))


def weekly_threads(space: Space, day: int) -> None:
    """This week's online threads among current members."""
    g = space.scenario.groups
    if g.threads_per_member_month <= 0:
        return
    r = space.roster
    idx = r.active_idx()
    if len(idx) < 3:
        return
    u = space.member_uniforms("threads", day, idx, columns=4)
    lam = g.threads_per_member_month * 7.0 / _DAYS_PER_MONTH * (0.3 + r.engagement[idx])
    joins = np.minimum(poisson_from_uniform(u[:, 0], lam), 1)
    who = idx[joins > 0]
    u = u[joins > 0]
    if len(who) < 3:
        return
    interests = r.interests[who]
    cum = np.cumsum(interests, axis=1)
    topic = np.minimum((cum <= (u[:, 1] * cum[:, -1]).astype(np.int64)[:, None]).sum(axis=1), interests.shape[1] - 1)
    order = np.lexsort((u[:, 2], topic))
    seat = _seat(topic[order], g.thread_size)
    keep = seat >= 0
    order, seat = order[keep], seat[keep]
    t = topic[order]
    o2 = np.lexsort((seat, t))
    members, t, seat = who[order][o2], t[o2], seat[o2]
    group = t.astype(np.int64) * 1_000_000 + seat
    first = np.concatenate([[True], group[1:] != group[:-1]]) if len(group) else np.zeros(0, bool)
    roles = np.where(first, _SENDER, _RECIPIENT)
    offset = (u[order][o2][:, 3] * 5).astype(np.int64)
    off = offset[first][np.cumsum(first) - 1]
    minutes = (np.minimum(day + off, space.horizon - 1) * MINUTES_PER_DAY + 14 * 60)
    _record_groups(space, members, group, t, minutes, "thread", "thread", _ONLINE, roles)


_INTERACTION = KINDS.index("interaction")
_ATTENDEE, _SENDER, _RECIPIENT = ROLES.index("attendee"), ROLES.index("sender"), ROLES.index("recipient")
_PUBLIC = _ONLINE = CHANNELS.index("public")
