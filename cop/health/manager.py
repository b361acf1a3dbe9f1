"""Community-manager dependency: ties through the coordinator, betweenness, fragmentation, absence factor.

References: coworking interviews — the community manager is the most important
value driver and often overloaded, so a community that runs only through them is
fragile; CHAOSS contributor absence factor (the fewest people producing 50 % of
activity).  Ties are those of the window's tie graph (presence excluded, weight
>= ``min_tie``); betweenness is unweighted, exact up to 500 people, else
estimated from 256 seeded sample sources (Brandes 2001, vectorised with sparse
matrix products).

Thresholds: involvement (share of group activities a coordinator organized,
brokered — ``organizer`` in the activities table — or attended) <= 0.4 healthy,
0.4-0.7 watch; dependent share (members with >= 50 % of their tie weight to
coordinators) <= 0.2 healthy, 0.2-0.4 watch; coordinator betweenness <= 0.15
healthy, 0.15-0.35 watch; fragmentation (share of the connected members cut off
from the largest component without the coordinators) <= 0.1 healthy, 0.1-0.3
watch; absence factor > 10 % of active members healthy, 5-10 % or 3+ people
watch, else critical; brokered introductions (share of the window's 1:1
introductions -- activities-table ``type`` ``introduction`` -- whose broker,
the ``organizer`` in the activities table or a participant with ``role``
``organizer``, is a coordinator) < 0.5 healthy, 0.5-0.8 watch, >= 0.8
critical.

Exports often record the broker of an introduction only as its ``organizer``,
not as a participant: the tie graph then links the two members introduced and
never the manager, so betweenness, dependent share and fragmentation (which
describe the network as it stands) stay low even when every new tie depends on
one person.  :func:`brokered_introduction_share` measures that process
dependency directly: matchmaking that runs through one person does not scale
and stops when they are away or overloaded (coworking field studies: the
manager is the main value driver and often overloaded).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> coordinator_betweenness(HealthContext.from_log(cop.load_example())).value > 0
True
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from cop.health._base import HealthContext, Indicator, grade, unavailable

__all__ = [
    "coordinator_involvement_share",
    "brokered_introduction_share",
    "coordinator_dependent_share",
    "coordinator_betweenness",
    "fragmentation_without_coordinator",
    "contributor_absence_factor",
    "betweenness_of",
]

_P = "manager_dependency"
_NO_COORD = "no coordinator (members-table role manager or staff) took part in the window"


def betweenness_of(adjacency: sp.csr_array, targets: np.ndarray, *, max_sources: int = 256, seed: int = 0) -> np.ndarray:
    """Normalised unweighted betweenness of ``targets`` (indices), exact or from seeded sample sources.

    Examples
    --------
    >>> star = sp.csr_array(np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0.]]))
    >>> betweenness_of(star, np.array([0, 1])).tolist()
    [1.0, 0.0]
    """
    a = sp.csr_array(adjacency, dtype=np.float64)
    a.data = np.ones_like(a.data)
    n = a.shape[0]
    if n < 3:
        return np.zeros(len(targets))
    if n <= max(max_sources, 500):
        sources = np.arange(n)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=max_sources, replace=False))
    total = np.zeros(len(targets))
    for b in range(0, len(sources), 128):
        src = sources[b:b + 128]
        k = len(src)
        cols = np.arange(k)
        sigma = np.zeros((n, k))
        dist = np.full((n, k), -1, dtype=np.int32)
        sigma[src, cols] = 1.0
        dist[src, cols] = 0
        levels = [dist == 0]
        d = 0
        while True:
            nxt = a @ (sigma * levels[-1])
            new = (nxt > 0) & (dist < 0)
            if not new.any():
                break
            d += 1
            sigma[new] = nxt[new]
            dist[new] = d
            levels.append(new)
        delta = np.zeros((n, k))
        for lv in range(len(levels) - 2, 0, -1):
            coef = np.where(levels[lv + 1], (1.0 + delta) / np.where(sigma > 0, sigma, 1.0), 0.0)
            contrib = sigma * (a @ coef)
            delta = np.where(levels[lv], contrib, delta)
        total += delta[targets].sum(axis=1)
    scale = n / len(sources)
    return total * scale / ((n - 1) * (n - 2))


def _graph(ctx: HealthContext) -> tuple[sp.csr_array, np.ndarray]:
    """Tie graph among people taking part in the window (outsiders included), and its node indices."""
    idx = np.flatnonzero(ctx.window.active)
    return sp.csr_array(ctx.window.adjacency[idx][:, idx]), idx


def coordinator_involvement_share(ctx: HealthContext) -> Indicator:
    """Share of the window's group activities (events and small-group encounters) a coordinator organized,
    brokered or took part in."""
    name, itv = "coordinator_involvement_share", ["matchmaking_tool", "success_stories", "manager_hours"]
    ref = "activities organized, brokered or attended by a coordinator: <= 0.4 healthy, 0.4-0.7 watch, > 0.7 critical (coworking interviews)"
    p = ctx.prep
    if not p.is_coordinator.any():
        return unavailable(name, _P, "no coordinator (members-table role manager or staff)", itv, ref)
    c = ctx.cols
    sel = (~p.is_presence[c]) & (p.size[c] >= 2)
    if not sel.any():
        return unavailable(name, _P, "no group activity in the window", itv, ref)
    took_part = np.asarray(p.Bbin[:, c].T @ p.is_coordinator.astype(np.float64)).ravel() > 0
    coord_ids = set(p.member_ids[p.is_coordinator])
    if "organizer" in p.activities.columns:
        org = p.activities["organizer"].to_numpy(dtype=object)[c]
        organized = np.array([o in coord_ids for o in org])
    else:
        organized = np.zeros(len(took_part), bool)
    v = float((took_part | organized)[sel].mean())
    st = grade(v, healthy=(0.0, 0.4), watch=(0.4, 0.7))
    msg = {"healthy": f"Members run {100 * (1 - v):.0f}% of group activities without the coordinator.",
           "watch": f"The coordinator is behind {100 * v:.0f}% of group activities and introductions.",
           "critical": f"The coordinator is behind {100 * v:.0f}% of group activities and introductions: the community runs through one person."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


#: Activity types (activities table, case-insensitive) that are 1:1 introductions.
INTRODUCTION_TYPES: frozenset[str] = frozenset({"introduction", "intro", "matchmaking"})


def brokered_introduction_share(ctx: HealthContext) -> Indicator:
    """Share of the window's 1:1 introductions brokered by a coordinator.

    An introduction is an activity whose activities-table ``type`` is
    ``introduction``; its broker is its ``organizer`` (activities table) or a
    participant whose ``role`` is ``organizer``.  Not available without
    introductions, without any recorded broker, or without a coordinator.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = brokered_introduction_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 2)     # the manager brokers ~90 % of introductions
    ('critical', 0.91)
    """
    name, itv = "brokered_introduction_share", ["matchmaking_tool", "manager_hours"]
    ref = ("1:1 introductions brokered by a coordinator: < 0.5 healthy, 0.5-0.8 watch, >= 0.8 critical "
           "(coworking field studies: matchmaking that depends on one person does not scale)")
    p = ctx.prep
    if not p.is_coordinator.any():
        return unavailable(name, _P, "no coordinator (members-table role manager or staff)", itv, ref)
    c = ctx.cols
    types = p.activities["type"] if "type" in p.activities.columns else None
    if types is None or types.isna().all():
        return unavailable(name, _P, "no activity types (activities-table column 'type' with 'introduction')", itv, ref)
    acts = p.activities.iloc[c]
    intro = acts["type"].astype(object).map(lambda t: isinstance(t, str) and t.strip().lower() in INTRODUCTION_TYPES)
    intro = intro.to_numpy(dtype=bool)
    if not intro.any():
        return unavailable(name, _P, "no 1:1 introduction (activity type 'introduction') in the window", itv, ref)
    ids = acts.index.to_numpy(dtype=object)[intro]
    coord_ids = set(p.member_ids[p.is_coordinator])
    org = acts["organizer"].astype(object).to_numpy()[intro] if "organizer" in acts.columns else np.full(len(ids), None)
    recorded = np.array([isinstance(o, str) and o != "" for o in org])
    by_coord = np.array([o in coord_ids for o in org])
    d = ctx.log.data
    if "role" in d.columns and (d["role"] == "organizer").any():
        rows = d[(d["role"] == "organizer").to_numpy() & d["activity_id"].isin(ids).to_numpy()]
        if len(rows):
            brokered = set(rows["activity_id"].astype(object))
            coord_brokered = set(rows.loc[rows["member_id"].astype(object).isin(coord_ids).to_numpy(), "activity_id"].astype(object))
            recorded |= np.array([a in brokered for a in ids])
            by_coord |= np.array([a in coord_brokered for a in ids])
    if not recorded.any():
        return unavailable(name, _P, "no broker recorded for the window's introductions (activities-table 'organizer' "
                           "or role 'organizer')", itv, ref)
    v = float(by_coord.mean())
    st = "healthy" if v < 0.5 else "watch" if v < 0.8 else "critical"
    n, k = len(ids), int(by_coord.sum())
    msg = {"healthy": f"Members broker most introductions themselves: the coordinator made {k} of {n}.",
           "watch": f"The coordinator brokered {k} of {n} introductions ({100 * v:.0f}%): matchmaking leans on one person.",
           "critical": f"The coordinator brokered {k} of {n} introductions ({100 * v:.0f}%): new ties depend on one person, "
                       "who cannot scale and is not always there."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def coordinator_dependent_share(ctx: HealthContext) -> Indicator:
    """Share of members with ties whose tie weight goes mostly (>= 50 %) to coordinators."""
    name, itv = "coordinator_dependent_share", ["matchmaking_tool", "manager_hours", "onboarding_program"]
    ref = "members with >= 50 % of tie weight to coordinators: <= 0.2 healthy, 0.2-0.4 watch, > 0.4 critical"
    p = ctx.prep
    coord = p.is_coordinator & ctx.window.active
    if not coord.any():
        return unavailable(name, _P, _NO_COORD, itv, ref)
    adj = ctx.window.adjacency
    total = np.asarray(adj.sum(axis=1)).ravel()
    to_coord = np.asarray(adj @ coord.astype(np.float64)).ravel()
    base = ctx.members & ~p.is_coordinator & (total > 0)
    if not base.any():
        return unavailable(name, _P, "no member has a tie in the window", itv, ref)
    v = float((to_coord[base] >= 0.5 * total[base]).mean())
    st = grade(v, healthy=(0.0, 0.2), watch=(0.2, 0.4))
    msg = {"healthy": f"{100 * v:.0f}% of connected members rely mainly on the coordinator for their ties.",
           "watch": f"{100 * v:.0f}% of connected members' ties run mainly through the coordinator.",
           "critical": f"{100 * v:.0f}% of connected members' ties run mainly through the coordinator: the network is a star."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def coordinator_betweenness(ctx: HealthContext) -> Indicator:
    """Highest normalised betweenness of a coordinator in the window's tie graph."""
    name, itv = "coordinator_betweenness", ["matchmaking_tool", "manager_hours", "success_stories"]
    ref = "normalised betweenness of the coordinator: <= 0.15 healthy, 0.15-0.35 watch, > 0.35 critical (a star is 1)"
    g, idx = _graph(ctx)
    pos = np.flatnonzero(ctx.prep.is_coordinator[idx])
    if len(pos) == 0:
        return unavailable(name, _P, _NO_COORD, itv, ref)
    if g.nnz == 0:
        return unavailable(name, _P, "no ties in the window", itv, ref)
    v = float(betweenness_of(g, pos).max())
    st = grade(v, healthy=(0.0, 0.15), watch=(0.15, 0.35))
    msg = {"healthy": "Members reach each other without going through the coordinator.",
           "watch": f"The coordinator lies on {100 * v:.0f}% of shortest paths between members: a broker many depend on.",
           "critical": f"The coordinator lies on {100 * v:.0f}% of shortest paths between members: the community hangs on one person."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def fragmentation_without_coordinator(ctx: HealthContext) -> Indicator:
    """Share of connected members cut off from the largest component when coordinators are removed."""
    name, itv = "fragmentation_without_coordinator", ["matchmaking_tool", "onboarding_program", "manager_hours"]
    ref = "members in the largest component who fall out of it without coordinators: <= 0.1 healthy, 0.1-0.3 watch"
    g, idx = _graph(ctx)
    coord = ctx.prep.is_coordinator[idx]
    if not coord.any():
        return unavailable(name, _P, _NO_COORD, itv, ref)
    if g.nnz == 0:
        return unavailable(name, _P, "no ties in the window", itv, ref)
    _, lab = connected_components(g, directed=False)
    big = lab == np.bincount(lab).argmax()
    keep = np.flatnonzero(~coord)
    before = int((big & ~coord).sum())
    if before < 2:
        return unavailable(name, _P, "fewer than two connected members", itv, ref)
    h = sp.csr_array(g[keep][:, keep])
    _, lab2 = connected_components(h, directed=False)
    after = int(np.bincount(lab2[big[keep]]).max()) if big[keep].any() else 0
    v = float(1.0 - after / before)
    st = grade(v, healthy=(0.0, 0.1), watch=(0.1, 0.3))
    msg = {"healthy": "The network holds together without the coordinator.",
           "watch": f"Without the coordinator {100 * v:.0f}% of connected members would be cut off.",
           "critical": f"Without the coordinator {100 * v:.0f}% of connected members would be cut off: the network falls apart."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def contributor_absence_factor(ctx: HealthContext) -> Indicator:
    """The fewest people producing 50 % of the window's (kind-weighted) activity (CHAOSS)."""
    name, itv = "contributor_absence_factor", ["success_stories", "onboarding_program", "manager_hours"]
    ref = "CHAOSS contributor absence factor: > 10 % of active members healthy; 5-10 % (and >= 3 people) watch; else critical"
    x = ctx.window.intensity[ctx.active_members]
    if x.sum() <= 0:
        return unavailable(name, _P, "no activity in the window", itv, ref)
    s = np.sort(x)[::-1]
    v = int(np.searchsorted(np.cumsum(s) / s.sum(), 0.5 - 1e-12) + 1)
    rel = v / len(x)
    st = "healthy" if rel > 0.10 and v >= 3 else "watch" if rel >= 0.05 and v >= 3 else "critical"
    msg = {"healthy": f"Half of all activity comes from {v} people: the load is shared.",
           "watch": f"Half of all activity comes from just {v} people.",
           "critical": f"Half of all activity comes from {v} {'person' if v == 1 else 'people'}: losing them would stall the community."}[st]
    return Indicator(name, float(v), st, _P, msg, itv, ref)
