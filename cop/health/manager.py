"""Community-manager dependency: ties through the coordinator, betweenness, fragmentation, absence factor.

References: coworking interviews — the community manager is the most important
value driver and often overloaded, so a community that runs only through them is
fragile; CHAOSS contributor absence factor (the fewest people producing 50 % of
activity).  Ties are those of the window's tie graph (presence excluded, weight
>= ``min_tie``); betweenness is unweighted, exact up to
:data:`BETWEENNESS_EXACT_MAX` people, else estimated from
:data:`BETWEENNESS_SOURCES` seeded sample sources (Brandes 2001, vectorised
with sparse matrix products).

Involvement is the share of group activities a coordinator organized, brokered
(``organizer`` in the activities table) or attended; a member is dependent with
at least :data:`DEPENDENT_TIE_SHARE` of their tie weight to coordinators;
fragmentation is the share of the connected members cut off from the largest
component without the coordinators; brokered introductions are the window's 1:1
introductions (activities-table ``type`` ``introduction``) whose broker, the
``organizer`` in the activities table or a participant with ``role``
``organizer``, is a coordinator.  The ranges are declared with each indicator
(see ``docs/indicators.md``).

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

from cop.health._base import HealthContext, number_word
from cop.health.bands import Band
from cop.health.declaration import Reading, indicator, not_available

__all__ = [
    "coordinator_involvement_share",
    "brokered_introduction_share",
    "coordinator_dependent_share",
    "coordinator_betweenness",
    "fragmentation_without_coordinator",
    "contributor_absence_factor",
    "betweenness_of",
    "INTRODUCTION_TYPES",
    "BETWEENNESS_EXACT_MAX",
    "BETWEENNESS_SOURCES",
    "BETWEENNESS_SEED",
    "DEPENDENT_TIE_SHARE",
    "ABSENCE_ACTIVITY_SHARE",
    "ABSENCE_MIN_PEOPLE",
    "MIN_CONNECTED",
]

_P = "manager_dependency"


#: Largest tie graph whose betweenness is computed exactly (from every source).
BETWEENNESS_EXACT_MAX = 500
#: Sample sources of the estimated betweenness of larger graphs.
BETWEENNESS_SOURCES = 256
#: Seed of the sample of sources (the estimate is reproducible).
BETWEENNESS_SEED = 0
_SOURCE_BLOCK = 128  # sources per batch of matrix products (memory: n x 128 per array)
#: Share of a member's tie weight to coordinators from which the member depends on them.
DEPENDENT_TIE_SHARE = 0.5
#: Share of the window's activity the contributor absence factor counts people for (CHAOSS: half).
ABSENCE_ACTIVITY_SHARE = 0.5
#: Fewest people carrying that share for the absence factor to be better than critical.
ABSENCE_MIN_PEOPLE = 3
#: Fewest members connected to the largest component for fragmentation to be measured.
MIN_CONNECTED = 2


def betweenness_of(adjacency: sp.csr_array, targets: np.ndarray, *, max_sources: int = BETWEENNESS_SOURCES,
                   seed: int = BETWEENNESS_SEED) -> np.ndarray:
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
    if n <= max(max_sources, BETWEENNESS_EXACT_MAX):
        sources = np.arange(n)
    else:
        sources = np.sort(np.random.default_rng(seed).choice(n, size=max_sources, replace=False))
    total = np.zeros(len(targets))
    for b in range(0, len(sources), _SOURCE_BLOCK):
        src = sources[b:b + _SOURCE_BLOCK]
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


_COWORKING = "coworking interviews: the community manager is the main value driver and often overloaded"


@indicator(principle=_P, unit="share of group activities", healthy=(-np.inf, 0.4), watch=(0.4, 0.7),
           reference="activities organized, brokered or attended by a coordinator: {healthy} healthy, {watch} watch, "
                     "{critical} critical (coworking interviews)",
           source=_COWORKING, interventions=("matchmaking_tool", "success_stories", "manager_hours"), requires=("coordinator",))
def coordinator_involvement_share(ctx: HealthContext) -> Reading:
    """Share of the window's group activities (events and small-group encounters) a coordinator organized,
    brokered or took part in.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = coordinator_involvement_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('watch', 0.484)
    """
    p = ctx.prep
    c = ctx.cols
    sel = (~p.is_presence[c]) & (p.size[c] >= 2)
    if not sel.any():
        return not_available("no group activity in the window")
    took_part = np.asarray(p.Bbin[:, c].T @ p.is_coordinator.astype(np.float64)).ravel() > 0
    coord_ids = set(p.member_ids[p.is_coordinator])
    if "organizer" in p.activities.columns:
        org = p.activities["organizer"].to_numpy(dtype=object)[c]
        organized = np.array([o in coord_ids for o in org])
    else:
        organized = np.zeros(len(took_part), bool)
    v = float((took_part | organized)[sel].mean())
    return Reading(v, {"healthy": f"Members run {100 * (1 - v):.0f}% of group activities without the coordinator.",
                       "watch": f"The coordinator is behind {100 * v:.0f}% of group activities and introductions.",
                       "critical": f"The coordinator is behind {100 * v:.0f}% of group activities and introductions: "
                                   "the community runs through one person."})


#: Activity types (activities table, case-insensitive) that are 1:1 introductions.
INTRODUCTION_TYPES: frozenset[str] = frozenset({"introduction", "intro", "matchmaking"})


@indicator(principle=_P, unit="share of introductions", healthy=Band(-np.inf, 0.5, "left"), watch=Band(0.5, 0.8, "left"),
           reference="1:1 introductions brokered by a coordinator: {healthy} healthy, {watch} watch, {critical} critical "
                     "(coworking field studies: matchmaking that depends on one person does not scale)",
           source="coworking field studies: matchmaking that depends on one person does not scale",
           interventions=("matchmaking_tool", "manager_hours"), requires=("coordinator",))
def brokered_introduction_share(ctx: HealthContext) -> Reading:
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
    p = ctx.prep
    c = ctx.cols
    types = p.activities["type"] if "type" in p.activities.columns else None
    if types is None or types.isna().all():
        return not_available("no activity types (activities-table column 'type' with 'introduction')")
    acts = p.activities.iloc[c]
    intro = acts["type"].astype(object).map(lambda t: isinstance(t, str) and t.strip().lower() in INTRODUCTION_TYPES)
    intro = intro.to_numpy(dtype=bool)
    if not intro.any():
        return not_available("no 1:1 introduction (activity type 'introduction') in the window")
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
        return not_available("no broker recorded for the window's introductions (activities-table 'organizer' "
                             "or role 'organizer')")
    v = float(by_coord.mean())
    n, k = len(ids), int(by_coord.sum())
    return Reading(v, {"healthy": f"Members broker most introductions themselves: the coordinator made {k} of {n}.",
                       "watch": f"The coordinator brokered {k} of {n} introductions ({100 * v:.0f}%): matchmaking leans on one person.",
                       "critical": f"The coordinator brokered {k} of {n} introductions ({100 * v:.0f}%): new ties depend on one person, "
                                   "who cannot scale and is not always there."})


@indicator(principle=_P, unit="share of connected members", healthy=(-np.inf, 0.2), watch=(0.2, 0.4),
           reference=f"members with >= {100 * DEPENDENT_TIE_SHARE:.0f} % of tie weight to coordinators: "
                     "{healthy} healthy, {watch} watch, {critical} critical",
           source=_COWORKING, interventions=("matchmaking_tool", "manager_hours", "onboarding_program"),
           requires=("active_coordinator",))
def coordinator_dependent_share(ctx: HealthContext) -> Reading:
    """Share of members with ties whose tie weight goes mostly (>= 50 %) to coordinators.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = coordinator_dependent_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.0)
    """
    coord = ctx.prep.is_coordinator & ctx.window.active
    adj = ctx.window.adjacency
    total = np.asarray(adj.sum(axis=1)).ravel()
    to_coord = np.asarray(adj @ coord.astype(np.float64)).ravel()
    base = ctx.regular_members & (total > 0)
    if not base.any():
        return not_available("no member has a tie in the window")
    v = float((to_coord[base] >= DEPENDENT_TIE_SHARE * total[base]).mean())
    pct = f"{100 * v:.0f}% of connected members"
    return Reading(v, {"healthy": f"{pct} rely mainly on the coordinator for their ties.",
                       "watch": f"{pct}' ties run mainly through the coordinator.",
                       "critical": f"{pct}' ties run mainly through the coordinator: the network is a star."})


@indicator(principle=_P, unit="normalised betweenness", healthy=(-np.inf, 0.15), watch=(0.15, 0.35),
           reference="normalised betweenness of the coordinator: {healthy} healthy, {watch} watch, {critical} critical "
                     "(a star is 1)",
           source=_COWORKING + "; Brandes (2001) betweenness", interventions=("matchmaking_tool", "manager_hours", "success_stories"),
           requires=("active_coordinator", "ties"))
def coordinator_betweenness(ctx: HealthContext) -> Reading:
    """Highest normalised betweenness of a coordinator in the window's tie graph.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = coordinator_betweenness(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.018)
    """
    g, idx = ctx.active_graph
    v = float(betweenness_of(g, np.flatnonzero(ctx.prep.is_coordinator[idx])).max())
    share = f"The coordinator lies on {100 * v:.0f}% of shortest paths between members"
    return Reading(v, {"healthy": "Members reach each other without going through the coordinator.",
                       "watch": f"{share}: a broker many depend on.",
                       "critical": f"{share}: the community hangs on one person."})


@indicator(principle=_P, unit="share of connected members", healthy=(-np.inf, 0.1), watch=(0.1, 0.3),
           reference="members in the largest component who fall out of it without coordinators: {healthy} healthy, {watch} watch",
           source=_COWORKING, interventions=("matchmaking_tool", "onboarding_program", "manager_hours"),
           requires=("active_coordinator", "ties"))
def fragmentation_without_coordinator(ctx: HealthContext) -> Reading:
    """Share of connected members cut off from the largest component when coordinators are removed.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = fragmentation_without_coordinator(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.0)
    """
    g, idx = ctx.active_graph
    coord = ctx.prep.is_coordinator[idx]
    _, lab = connected_components(g, directed=False)
    big = lab == np.bincount(lab).argmax()
    keep = np.flatnonzero(~coord)
    before = int((big & ~coord).sum())
    if before < MIN_CONNECTED:
        return not_available(f"fewer than {number_word(MIN_CONNECTED)} connected members")
    h = sp.csr_array(g[keep][:, keep])
    _, lab2 = connected_components(h, directed=False)
    after = int(np.bincount(lab2[big[keep]]).max()) if big[keep].any() else 0
    v = float(1.0 - after / before)
    cut = f"Without the coordinator {100 * v:.0f}% of connected members would be cut off"
    return Reading(v, {"healthy": "The network holds together without the coordinator.",
                       "watch": f"{cut}.",
                       "critical": f"{cut}: the network falls apart."})


@indicator(principle=_P, unit="people", healthy=Band(0.10, np.inf, "right"), watch=(0.05, 0.10),
           reference="CHAOSS contributor absence factor: {healthy:%} of active members healthy; "
                     f"{{watch:%}} (and >= {ABSENCE_MIN_PEOPLE} people) watch; else critical",
           source="CHAOSS contributor absence factor (the fewest people producing 50 % of activity)",
           interventions=("success_stories", "onboarding_program", "manager_hours"))
def contributor_absence_factor(ctx: HealthContext) -> Reading:
    """The fewest people producing 50 % of the window's (kind-weighted) activity (CHAOSS).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = contributor_absence_factor(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 32.0)
    """
    x = ctx.window.intensity[ctx.active_members]
    if x.sum() <= 0:
        return not_available("no activity in the window")
    s = np.sort(x)[::-1]
    v = int(np.searchsorted(np.cumsum(s) / s.sum(), ABSENCE_ACTIVITY_SHARE - 1e-12) + 1)
    # graded on the share of active members; fewer than ABSENCE_MIN_PEOPLE people is critical whatever the share
    graded = v / len(x) if v >= ABSENCE_MIN_PEOPLE else 0.0
    return Reading(float(v), {"healthy": f"Half of all activity comes from {v} people: the load is shared.",
                              "watch": f"Half of all activity comes from just {v} people.",
                              "critical": f"Half of all activity comes from {v} {'person' if v == 1 else 'people'}: "
                                          "losing them would stall the community."}, graded=graded)
