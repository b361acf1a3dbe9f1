"""Introductions: who is introduced to whom, and whether it works out.

One function chooses the pairs (:func:`choose_pairs`), so a different
matchmaking ranking plugs in as its ``ranking`` argument.  The default ranking
(:func:`introduction_weights`) weighs every onboarded member of *another*
organisation not yet tied to the requester by ``(floor + engagement) x (1 +
topic_weight x (1 + knowledge) x shared topics)`` among those sharing a topic
(everyone not tied, failing that): a requester who knows who does what
(``knowledge``, learnt from shared success stories) finds better matches.

Who picks the pairs is ``manager.introduction_ranking`` (the manager's own
introductions) and the ``matchmaking_tool``'s ``ranking``: this default,
``cop match``'s ranking or random pairs (:mod:`simulation.match_ranking`).

Whether an introduction works out depends on the pair's fit
(:func:`success_probability`): ``logistic(fit_base + fit_per_topic x shared +
fit_engagement x mean engagement + knowledge_fit x knowledge)``, plus, when
``manager.introduction_cop_fit`` > 0, the pair's ``cop match`` fit (0-1) times
that slope minus an offset that keeps the mean over random pairs unchanged.  One that
works out leaves a tie of ``manager.tie_per_introduction`` and brings both
``members.value_per_introduction``; one that does not leaves a weak tie
(``manager.tie_per_failed_introduction``) and no value.  A matchmaking-tool
suggestion that would not work out is declined: no meeting, no tie.

Examples
--------
>>> from simulation.model import simulate_space
>>> from simulation.config import Scenario
>>> space, _ = simulate_space(Scenario(space={"years": 0.1}, arrivals={"initial_members": 20}), 1)
>>> import numpy as np
>>> b = choose_pairs(space, np.array([0, 1]), np.array([0.3, 0.7]))
>>> bool(((b >= 0) & (b != np.array([0, 1]))).all())
True
>>> p = success_probability(space, np.array([0]), b[:1])
>>> bool(0 < p[0] < 1)
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["choose_pairs", "choose_one", "introduction_weights", "success_probability", "success_probability_one",
           "base_logit", "introduction_pool"]


def introduction_pool(space) -> tuple[np.ndarray, np.ndarray]:
    """Current onboarded members and their interests as floats (cached per roster version)."""
    r = space.roster
    return r._cached("intro_pool", lambda: (r.onboarded_idx(), r.interests[r.onboarded_idx()].astype(np.float64)))


def introduction_weights(space, a: int, pool: np.ndarray, interests: np.ndarray) -> np.ndarray:
    """The default ranking: weights of introducing member ``a`` to each member of ``pool``."""
    r = space.roster
    mc = space.scenario.manager
    thr = space.scenario.encounters.tie_threshold
    shared = interests @ r.interests[a].astype(np.float64)
    t = r.ties
    lo, hi = t.slice_of(a)
    tied = t.dst[lo:hi][t.val[lo:hi] > thr]
    mark = np.zeros(r.n, dtype=bool)
    mark[tied] = True
    mark[a] = True
    free = ~mark[pool] & (r.org[pool] != r.org[a])
    base = (mc.introduction_engagement_floor + r.engagement[pool]) * free
    w = (1.0 + mc.introduction_topic_weight * (1.0 + r.knowledge[a]) * shared) * (shared > 0) * base
    return w if w.sum() > 0 else base


def choose_pairs(space, requesters: np.ndarray, u: np.ndarray, *,
                 ranking: Callable[..., np.ndarray] | None = None) -> np.ndarray:
    """The partner of each requester (roster indices; ``-1`` when nobody fits), one uniform each in ``u``.

    ``ranking(space, a, pool, interests)`` returns the weights of the ``pool``
    members for requester ``a`` (default :func:`introduction_weights`).
    """
    pool, interests = introduction_pool(space)
    rank = introduction_weights if ranking is None else ranking
    out = np.full(len(requesters), -1, dtype=np.int64)
    if len(pool) == 0:
        return out
    for k, a in enumerate(np.asarray(requesters).tolist()):
        out[k] = _choose_one(space, a, float(u[k]), rank, pool, interests)
    return out


def _choose_one(space, a: int, u: float, rank, pool: np.ndarray, interests: np.ndarray) -> int:
    """One requester's partner (``-1``: nobody fits), by inversion of the uniform ``u``."""
    w = rank(space, a, pool, interests)
    cum = np.cumsum(w)
    top = float(cum[-1])
    if top <= 0:
        return -1
    j = min(int(cum.searchsorted(u * top, side="right")), len(pool) - 1)
    while w[j] <= 0 and j > 0:  # rounding at the top end: the last member with weight
        j -= 1
    return int(pool[j])


def choose_one(space, a: int, u: float, *, ranking: Callable[..., np.ndarray] | None = None) -> int:
    """:func:`choose_pairs` for one requester ``a`` (a roster index) and its uniform ``u``.

    Examples
    --------
    >>> from simulation.model import simulate_space
    >>> from simulation.config import Scenario
    >>> space, _ = simulate_space(Scenario(space={"years": 0.1}, arrivals={"initial_members": 20}), 1)
    >>> choose_one(space, 0, 0.3) == int(choose_pairs(space, np.array([0]), np.array([0.3]))[0])
    True
    """
    pool, interests = introduction_pool(space)
    if len(pool) == 0:
        return -1
    return _choose_one(space, int(a), float(u), introduction_weights if ranking is None else ranking, pool, interests)


def base_logit(space, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Log-odds that introducing ``a[k]`` to ``b[k]`` works out, before the cop-fit term."""
    r = space.roster
    mc = space.scenario.manager
    shared = (r.interests[a] & r.interests[b]).sum(axis=1)
    return _logit(mc, shared, r.engagement[a], r.engagement[b], r.knowledge[a])


def _logit(mc, shared, engagement_a, engagement_b, knowledge_a):
    """The base log-odds from its parts (arrays of pairs or one pair's floats: the same arithmetic)."""
    return (mc.introduction_fit_base + mc.introduction_fit_per_topic * shared
            + mc.introduction_fit_engagement * (engagement_a + engagement_b) / 2
            + mc.introduction_knowledge_fit * knowledge_a)


def success_probability(space, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Chance that introducing ``a[k]`` to ``b[k]`` works out (their fit).

    ``logistic(base_logit + introduction_cop_fit x fit - offset)``: the cop
    match fit term (:func:`simulation.match_ranking.fit_logit`) only when
    ``manager.introduction_cop_fit`` > 0.
    """
    z = base_logit(space, a, b)
    if space.scenario.manager.introduction_cop_fit > 0:
        from .match_ranking import fit_logit

        z = z + fit_logit(space, np.asarray(a), np.asarray(b))
    return 1.0 / (1.0 + np.exp(-z))


def success_probability_one(space, a: int, b: int) -> float:
    """:func:`success_probability` of one pair (roster indices), with the same arithmetic.

    Examples
    --------
    >>> from simulation.model import simulate_space
    >>> from simulation.config import Scenario
    >>> space, _ = simulate_space(Scenario(space={"years": 0.1}, arrivals={"initial_members": 20}), 1)
    >>> success_probability_one(space, 0, 1) == float(success_probability(space, np.array([0]), np.array([1]))[0])
    True
    """
    mc = space.scenario.manager
    if mc.introduction_cop_fit > 0:
        return float(success_probability(space, np.array([a]), np.array([b]))[0])
    r = space.roster
    shared = (r.topic_mask[a] & r.topic_mask[b]).bit_count()
    z = _logit(mc, shared, float(r.engagement[a]), float(r.engagement[b]), float(r.knowledge[a]))
    return float(1.0 / (1.0 + np.exp(-np.array([z])))[0])  # numpy's exp, as for an array of pairs
