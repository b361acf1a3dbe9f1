"""The ranking: raw signals -> scaled components -> one weighted score per pair.

A pure function on arrays (:func:`score_signals`), so the CLI, the report, the
benchmarks and a simulation rank pairs the same way::

    signals = pair_signals(data, i, j)          # cop.match.signals
    score, parts = score_signals(signals, weights, available=available_components(data))

Scaling
    Counts saturate as ``x / (x + h)`` with a documented half-point ``h``
    (:data:`HALF_POINTS`): one shared event gives 0.5, three give 0.75; one
    common acquaintance gives 0.5; three shared days in the space give 0.5.
    Topic cosine, profile overlap, bridging and priority are already in [0, 1].
    Weights may carry their own half-points (:attr:`MatchWeights.half_points`),
    e.g. those of :func:`cop.match.fit.fit_weights` with ``scale="community"``
    (the median of each count among the pairs that have some, before the
    as-of date), and further saturation scales of a count
    (:attr:`MatchWeights.extra_scales`: ``x / (x + h')`` with its own weight,
    added to the mean), e.g. those of a fit: one scale alone is flat where
    the counts are large (20 and 30 acquaintances in common both scale to
    about 0.96), a sum of scales still rises there.

Weights (:class:`MatchWeights`: this documented rule, or fitted on the community's own past by
:func:`cop.match.fit.fit_weights`, the default of :func:`cop.suggest_introductions`)
    Each family of evidence that two people have something in common weighs
    1: shared activities, shared topics, graph proximity (split equally
    between common neighbours, Adamic-Adar and resource allocation), shared
    days in the space, and declared profiles.  Their weighted mean over the
    components the data can measure (:func:`available_components`) is the
    pair's *fit*, in [0, 1].

    The two normative components (:data:`NORMATIVE`) — bridging organizations
    and groups, and newcomer / peripheral priority — weigh 0.25 each and
    *multiply* the fit::

        score = fit * (1 + 0.25 * bridging + 0.25 * priority) / (1 + 0.25 + 0.25)

    so they reorder close calls (at most by a factor 1.5) but never make two
    strangers with nothing in common a match: a pair with fit 0 scores 0.
    (A first version added them to the mean; on the workplace and high-school
    histories that pushed pairs with little in common to the top, see
    ``docs/matchmaking.md``.)

Examples
--------
>>> import numpy as np
>>> sig = {c: np.zeros(2) for c in COMPONENTS}
>>> sig["shared_events"] = np.array([1.0, 3.0])
>>> score, parts = score_signals(sig, available=("shared_events",))
>>> parts["shared_events"].tolist(), score.tolist()
([0.5, 0.75], [0.5, 0.75])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from cop.exceptions import ConfigError
from cop.match.data import MatchData
from cop.match.signals import COMPONENTS

__all__ = ["MatchWeights", "DEFAULT_WEIGHTS", "HALF_POINTS", "NORMATIVE", "score_signals", "available_components", "top_per_member"]

#: Half-points ``h`` of the count signals, scaled as ``x / (x + h)``.
HALF_POINTS: dict[str, float] = {
    "shared_events": 1.0,
    "common_neighbours": 1.0,
    "adamic_adar": 1.0,
    "resource_allocation": 0.25,
    "co_presence": 3.0,
}

#: Components that multiply the fit instead of adding to it.
NORMATIVE = ("bridging", "priority")


@dataclass(frozen=True, kw_only=True)
class MatchWeights:
    """Weight of each component in the score (see the module docstring for the rule).

    Examples
    --------
    >>> MatchWeights(bridging=0.0).bridging, DEFAULT_WEIGHTS.shared_topics
    (0.0, 1.0)
    >>> MatchWeights(priority=-1)
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: weight 'priority': -1; expected a number >= 0
    >>> MatchWeights(half_points={"common_neighbours": 4}).half_points
    (('common_neighbours', 4.0),)

    ``half_points`` overrides some of :data:`HALF_POINTS` (pairs ``(component, h > 0)``;
    a mapping is accepted; stored sorted): the scaling of those counts in :func:`score_signals`.
    ``extra_scales`` adds terms ``(component, h', weight)`` of a count component to the fit (stored sorted):

    >>> MatchWeights(extra_scales=[("common_neighbours", 16, 0.5)]).extra_scales
    (('common_neighbours', 16.0, 0.5),)
    """

    shared_events: float = 1.0
    shared_topics: float = 1.0
    common_neighbours: float = 1 / 3
    adamic_adar: float = 1 / 3
    resource_allocation: float = 1 / 3
    co_presence: float = 1.0
    profile: float = 1.0
    bridging: float = 0.25
    priority: float = 0.25
    half_points: tuple[tuple[str, float], ...] = ()
    extra_scales: tuple[tuple[str, float, float], ...] = ()

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise ConfigError(f"weight {name!r}: {value!r}; expected a number >= 0")
        hp = self.half_points
        items = sorted(hp.items()) if isinstance(hp, Mapping) else [tuple(x) for x in hp]
        out = []
        for item in items:
            if len(item) != 2 or item[0] not in HALF_POINTS:
                raise ConfigError(f"half point {item!r}; expected (component, value) with a component of "
                                  f"{', '.join(HALF_POINTS)}")
            name, value = item
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value > 0:
                raise ConfigError(f"half point of {name!r}: {value!r}; expected a number > 0")
            out.append((str(name), float(value)))
        object.__setattr__(self, "half_points", tuple(sorted(out)))
        extra = []
        for item in self.extra_scales:
            item = tuple(item)
            if len(item) != 3 or item[0] not in HALF_POINTS:
                raise ConfigError(f"extra scale {item!r}; expected (component, half point, weight) with a component of "
                                  f"{', '.join(HALF_POINTS)}")
            name, h, w = item
            for what, v, ok in (("half point", h, lambda x: x > 0), ("weight", w, lambda x: x >= 0)):
                if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not ok(v):
                    raise ConfigError(f"extra scale of {name!r}: {what} {v!r}; expected a number "
                                      f"{'> 0' if what == 'half point' else '>= 0'}")
            extra.append((str(name), float(h), float(w)))
        object.__setattr__(self, "extra_scales", tuple(sorted(extra)))

    def half_point(self, component: str) -> float | None:
        """The half-point of a count component (:attr:`half_points`, else :data:`HALF_POINTS`; None for the others).

        Examples
        --------
        >>> MatchWeights(half_points={"co_presence": 6}).half_point("co_presence"), DEFAULT_WEIGHTS.half_point("shared_events")
        (6.0, 1.0)
        """
        return dict(self.half_points).get(component, HALF_POINTS.get(component))

    @classmethod
    def only(cls, *names: str) -> MatchWeights:
        """Weights with every component 0 but ``names`` (1 each): one signal alone, as a baseline.

        Examples
        --------
        >>> MatchWeights.only("adamic_adar").shared_events
        0.0
        """
        unknown = set(names) - set(COMPONENTS)
        if unknown:
            raise ConfigError(f"unknown component(s) {sorted(unknown)}; expected some of {', '.join(COMPONENTS)}")
        return cls(**{c: (1.0 if c in names else 0.0) for c in COMPONENTS})


#: The default weights.
DEFAULT_WEIGHTS = MatchWeights()


def available_components(data: MatchData) -> tuple[str, ...]:
    """The components the data can measure (a log without topics has no ``shared_topics``...).

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> available_components(MatchData.from_arrays(sp.csr_array(np.eye(2)[::-1])))
    ('common_neighbours', 'adamic_adar', 'resource_allocation', 'bridging', 'priority')
    """
    have = {
        "shared_events": data.events.nnz > 0,
        "shared_topics": data.has_topics,
        "common_neighbours": data.ties.nnz > 0,
        "adamic_adar": data.ties.nnz > 0,
        "resource_allocation": data.ties.nnz > 0,
        "co_presence": data.presence.nnz > 0,
        "profile": data.has_profiles,
        "bridging": True,
        "priority": True,
    }
    return tuple(c for c in COMPONENTS if have[c])


def score_signals(
    signals: Mapping[str, np.ndarray],
    weights: MatchWeights = DEFAULT_WEIGHTS,
    *,
    available: Iterable[str] = COMPONENTS,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``(score, scaled components)`` of pairs from their raw signals.

    ``score`` is the fit (the weighted mean of the scaled evidence components
    in ``available``, each extra scale of :attr:`MatchWeights.extra_scales` one
    more term; 0 when none has a weight) times the normative factor
    (see the module docstring).  ``parts`` holds each component on its main
    scale only.  With only normative weights (a baseline of
    priority alone), the score is their weighted mean.

    Examples
    --------
    >>> sig = {"common_neighbours": np.array([1.0, 1.0, 0.0]), "bridging": np.array([0.0, 1.0, 1.0])}
    >>> score, _ = score_signals(sig, MatchWeights.only("common_neighbours", "bridging"))
    >>> score.round(3).tolist()     # fit 0.5; bridging lifts it by (1 + 1) / (1 + 1); strangers stay at 0
    [0.25, 0.5, 0.0]
    """
    avail = set(available)
    w = {c: getattr(weights, c) for c in COMPONENTS}
    n = len(next(iter(signals.values()))) if signals else 0
    parts: dict[str, np.ndarray] = {}
    fit = np.zeros(n)
    wsum = 0.0
    factor = np.ones(n)
    nsum = 0.0
    for c in COMPONENTS:
        x = np.asarray(signals.get(c, np.zeros(n)), dtype=np.float64)
        h = weights.half_point(c)
        scaled = x / (x + h) if h is not None else np.clip(x, 0.0, 1.0)
        parts[c] = scaled
        if c not in avail or w[c] <= 0:
            continue
        if c in NORMATIVE:
            factor += w[c] * scaled
            nsum += w[c]
        else:
            fit += w[c] * scaled
            wsum += w[c]
    for c, h, we in weights.extra_scales:
        if c in avail and we > 0:
            x = np.asarray(signals.get(c, np.zeros(n)), dtype=np.float64)
            fit += we * (x / (x + h))
            wsum += we
    if wsum > 0:
        return fit / wsum * factor / (1.0 + nsum), parts
    return ((factor - 1.0) / nsum if nsum > 0 else fit), parts


def top_per_member(i: np.ndarray, j: np.ndarray, score: np.ndarray, k: int | None) -> np.ndarray:
    """Positions of each ``i``'s ``k`` best pairs (all with ``k=None``), sorted by ``i`` then rank.

    Equal scores keep the input order (``i, j`` sorted input: ties by ``j``).
    One stable sort of ``i + (max - score) / (range + eps)``: scores closer
    than about 1e-9 of their range count as equal.

    Examples
    --------
    >>> top_per_member(np.array([0, 0, 0, 1]), np.array([5, 6, 7, 5]), np.array([0.1, 0.9, 0.5, 0.2]), 2).tolist()
    [1, 2, 3]
    """
    i = np.asarray(i)
    if len(i) == 0:
        return np.zeros(0, dtype=np.int64)
    s = np.asarray(score, dtype=np.float64)
    hi, lo = float(s.max()), float(s.min())
    frac = (hi - s) / ((hi - lo) * 1.000001) if hi > lo else np.zeros(len(s))
    order = np.argsort(i.astype(np.float64) + frac * 0.999, kind="stable")
    if k is None:
        return order
    si = i[order]
    start = np.r_[0, np.flatnonzero(si[1:] != si[:-1]) + 1]
    rank = np.arange(len(si)) - np.repeat(start, np.diff(np.r_[start, len(si)]))
    return order[rank < k]
