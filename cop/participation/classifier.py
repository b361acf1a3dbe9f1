"""Participation levels: coordinator, core, active, peripheral, inactive, outsider.

Wenger, McDermott & Snyder (2002) describe concentric levels of participation:
a coordinator, a small core (they suggest 10-15 % of members), an active group
(15-20 %), a large periphery, and outsiders.  :class:`LevelClassifier` assigns
one level per person for a window ``[as_of - lookback, as_of)``.

Fixed by role, before any classification
    ``coordinator`` (members-table role ``manager`` or ``staff``) and ``outsider``
    (role ``guest``, or a participant missing from a given members table).
    A member with no participation in the window is ``inactive``.

Methods for the remaining (participating) members
    ``combined`` (default)
        Three components, each scaled to [0, 1]:

        * *intensity*: participations in the window weighted by kind (event 1,
          interaction 1, collaboration 3, presence 0.2, contribution 0.5) and
          by the row ``weight``, scaled as ``log1p(x) / log1p(max x)``;
        * *centrality*: number of ties in the interaction graph of the window
          (presence excluded, ties of weight >= ``min_tie``), scaled the same way;
        * *consistency*: share of the ``n_sub`` equal sub-windows (default:
          one per 15 days) with at least one non-presence participation.

        ``score`` is their mean.  The thresholds between core, active and
        peripheral are the *natural breaks* of the scores (Jenks/Fisher optimal
        1-D three-class partition, i.e. the least within-class sum of squares).

        Rationale: counts and network metrics agree only partly (Joblin et al.
        2017), so one needs both, and consistency separates a steady contributor
        from a one-off burst.  The log scale over the maximum keeps the heavy
        tail (participation inequality: Nielsen's 90-9-1; van Mierlo 2014) from
        flattening everyone else and makes the score free of the community's
        size and units; natural breaks put the thresholds where the data has
        gaps instead of at fixed quotas, so the core is as large as the data
        says.  Wenger's reference shares are reported beside the result
        (:meth:`LevelClassifier.level_counts`), never imposed.  Presence (sharing
        a coworking space) raises intensity a little but creates no ties and no
        consistency: being around is not yet taking part.
    ``activity_share``
        The CHAOSS "onion": core = the smallest set of members producing 80 %
        of the (kind-weighted) activity, active = the next 15 %, the rest
        peripheral.
    ``network``
        Percentile thresholds on the number of ties (Joblin et al. 2017): core
        at or above the 80th percentile, active at or above the median, among
        members with at least one tie; members without ties are peripheral.
    ``kcore``
        k-core decomposition of the tie graph: core = members of the innermost
        k-core (k >= 2), active = core number at least half of it.

Roles that mark review, merge or organizing work
    A participation row whose ``role`` is one of :data:`ROLE_WEIGHTS`
    (``reviewer``, ``merger``, ``committer``, ``maintainer``, ``organizer``,
    ``host``) counts that many times its kind weight in *intensity* (default
    2: merging or reviewing a change weighs twice authoring one; organizing an
    event twice attending it).  Other roles (``author``, ``attendee``...) count
    once.

Ties in groups: a repeated encounter
    Where the window's typical activity (median size of those with two or
    more participants) is a group of three or more, *centrality* counts a tie
    only when the pair shared :data:`REPEATED_TIE` (2) activities of the
    typical size and kind (:func:`repeated_tie_threshold`): sitting once side
    by side at a large gathering is a meeting, not yet a tie.  Where the
    typical activity is a pair (messages, contacts, commits) one shared
    activity is an exchange and ``min_tie`` applies unchanged.  On the
    Southern Women (events of 3 to 14, median 5.5) this moves the weighted
    kappa against the published levels from 0.81 to 0.94
    (``docs/validation.md``).

Dense participation: levels not well separated
    When everyone takes part, the natural breaks find no clear gap and put
    nearly everyone in the top class.  The ``combined`` levels are *well
    separated* when at least one break stands (:data:`MIN_CLASS_GAP`) and the
    top class holds at most :data:`DENSE_CORE_SHARE` (40 %) of the
    participating members (Wenger's reference core is 10-15 %), or when fewer
    than :data:`DENSE_MIN_PARTICIPANTS` (20) take part (shares of a handful
    mean little).  Otherwise the classifier says so
    (:func:`separation` returns ``separated=False`` with a sentence) and falls
    back to the reference pyramid on the same scores: core = the top
    :data:`PYRAMID_SHARES` [0] (15 %), active = the next members up to
    :data:`PYRAMID_SHARES` [1] (35 %); members tied at a cut share the higher
    level.  The diagnosis reports the agreement between methods beside it.

Cohen's kappa between methods (:func:`level_agreement`) shows how robust the
labels are.

Examples
--------
>>> import cop
>>> log = cop.load_example()
>>> clf = LevelClassifier().fit(log)
>>> sorted(clf.levels_.unique())
['active', 'coordinator', 'core', 'inactive', 'outsider', 'peripheral']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import ArrayLike

from cop.exceptions import ConfigError
from cop.frames import frame_of_rows
from cop.kernel import Prepared, Window, check_lookback, default_as_of, resolve_as_of, window_bounds
from cop.log import ActivityLog

__all__ = [
    "LEVELS",
    "REFERENCE_SHARES",
    "METHODS",
    "LevelClassifier",
    "classify_window",
    "window_levels",
    "combined_levels",
    "has_role_weights",
    "role_matrix",
    "natural_breaks",
    "tie_threshold",
    "cohen_kappa",
    "level_agreement",
    "window_agreement",
    "agreement_methods",
    "check_method",
    "KCORE_AGREEMENT_LIMIT",
    "MIN_CLASS_GAP",
    "UNIFORM_CORE_SCORE",
    "ONION_SHARES",
    "NETWORK_QUANTILES",
    "ROLE_WEIGHTS",
    "REPEATED_TIE",
    "repeated_tie_threshold",
    "DENSE_CORE_SHARE",
    "DENSE_MIN_PARTICIPANTS",
    "PYRAMID_SHARES",
    "Separation",
    "separation",
    "default_as_of",
    "level_counts",
]

#: Levels from the centre outwards.
LEVELS: tuple[str, ...] = ("coordinator", "core", "active", "peripheral", "inactive", "outsider")
#: Wenger, McDermott & Snyder (2002): reference shares of members (low, high).
REFERENCE_SHARES: dict[str, tuple[float, float]] = {"core": (0.10, 0.15), "active": (0.15, 0.20)}
#: Classification methods.
METHODS: tuple[str, ...] = ("combined", "activity_share", "network", "kcore")


#: Most participants for which the diagnosis includes ``kcore`` in the agreement between methods:
#: the k-core decomposition (networkx, in Python) takes minutes on larger windows.
KCORE_AGREEMENT_LIMIT = 3000


def check_method(method: str) -> str:
    """``method`` if it is one of :data:`METHODS`, else :class:`ConfigError` naming the parameter.

    Examples
    --------
    >>> check_method("kcore")
    'kcore'
    """
    if method not in METHODS:
        raise ConfigError(f"parameter 'method': {method!r} is not one of {', '.join(METHODS)}")
    return method


def agreement_methods(participants: int) -> list[str]:
    """The methods compared by the diagnosis: all of :data:`METHODS`, without ``kcore`` above
    :data:`KCORE_AGREEMENT_LIMIT` participants.

    Examples
    --------
    >>> agreement_methods(100)[-1], agreement_methods(5000)[-1]
    ('kcore', 'network')
    """
    return list(METHODS) if participants <= KCORE_AGREEMENT_LIMIT else [m for m in METHODS if m != "kcore"]


def natural_breaks(values: np.ndarray, k: int = 3, max_units: int = 400) -> list[float]:
    """Lower bounds of classes 2..k of the optimal 1-D partition (Jenks / Fisher).

    Minimises the within-class sum of squares exactly by dynamic programming
    over the sorted distinct values (grouped into at most ``max_units`` blocks
    of consecutive values for large inputs).

    Returns fewer than ``k - 1`` breaks when there are fewer distinct values.

    Examples
    --------
    >>> natural_breaks(np.array([0.1, 0.12, 0.11, 0.5, 0.52, 0.9, 0.95]), 3)
    [0.5, 0.9]
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return []
    u, w = np.unique(v, return_counts=True)
    k = min(k, len(u))
    if k <= 1:
        return []
    if len(u) > max_units:
        edges = np.linspace(0, len(u), max_units + 1).astype(np.int64)
        edges = np.unique(edges)
        s0 = np.add.reduceat(w.astype(np.float64), edges[:-1])
        s1 = np.add.reduceat(w * u, edges[:-1])
        s2 = np.add.reduceat(w * u * u, edges[:-1])
        lows = u[edges[:-1]]
    else:
        s0, s1, s2, lows = w.astype(np.float64), w * u, w * u * u, u
    m = len(s0)
    c0 = np.concatenate(([0.0], np.cumsum(s0)))
    c1 = np.concatenate(([0.0], np.cumsum(s1)))
    c2 = np.concatenate(([0.0], np.cumsum(s2)))
    i = np.arange(m)[:, None]
    j = np.arange(m)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        n_ij = c0[j + 1] - c0[i]
        sse = (c2[j + 1] - c2[i]) - (c1[j + 1] - c1[i]) ** 2 / n_ij
    sse = np.where(j >= i, np.maximum(sse, 0.0), np.inf)
    # best[c][j]: least cost of splitting units 0..j into c+1 classes; arg[c][j]: start of the last class
    best = sse[0].copy()
    args: list[np.ndarray] = []
    for _ in range(2, k):
        # cost of last class starting at i (1..j) = best[i-1] + sse[i, j]
        cand = np.full((m, m), np.inf)
        cand[1:, :] = best[:-1, None] + sse[1:, :]
        arg = np.argmin(cand, axis=0)
        best = cand[arg, np.arange(m)]
        args.append(arg)
    # the last class ends at the last unit: only that column of the last step is read
    last = np.empty(m)
    last[0] = np.inf
    last[1:] = best[:-1] + sse[1:, m - 1]
    starts = [int(np.argmin(last))]
    j_end = starts[0] - 1
    for arg in reversed(args):
        s = int(arg[j_end])
        starts.append(s)
        j_end = s - 1
    return [float(lows[s]) for s in sorted(starts)]


#: Smallest difference between the mean scores of two adjacent classes for a break to stand.
MIN_CLASS_GAP = 0.1
#: ``combined`` when every participating member has the same score: core at or above this score.
UNIFORM_CORE_SCORE = 0.5
#: ``activity_share`` (the CHAOSS onion): cumulative shares of activity closing the core and the active group.
ONION_SHARES: tuple[float, float] = (0.8, 0.95)
#: ``network`` (Joblin et al. 2017): degree quantiles from which a member is core, active.
NETWORK_QUANTILES: tuple[float, float] = (0.8, 0.5)
#: Row roles marking review, merge or organizing work, and the factor on their kind weight in intensity.
ROLE_WEIGHTS: dict[str, float] = {"reviewer": 2.0, "merger": 2.0, "committer": 2.0, "maintainer": 2.0,
                                  "organizer": 2.0, "host": 2.0}
#: Where the typical activity is a group of three or more, a tie counts towards the ``centrality`` of the levels when
#: the pair shared at least this many activities of the window's typical size and kind (a repeated encounter: one
#: meeting side by side is not yet a tie); see :func:`repeated_tie_threshold`.
REPEATED_TIE = 2
#: Largest share of participating members in the top natural-breaks class for the levels to count as separated.
DENSE_CORE_SHARE = 0.4
#: Fewest participating members for which a dense top class counts as "not separated" (shares of a handful mean little).
DENSE_MIN_PARTICIPANTS = 20
#: Fallback when the levels are not separated: cumulative shares of members (by score) closing core and active.
PYRAMID_SHARES: tuple[float, float] = (REFERENCE_SHARES["core"][1], REFERENCE_SHARES["core"][1] + REFERENCE_SHARES["active"][1])


class Separation(NamedTuple):
    """Whether the ``combined`` levels are well separated, and how they were set.

    ``method`` is ``"natural breaks"`` or ``"reference pyramid"`` (the fallback);
    ``breaks_core`` is how many members the natural breaks alone put at core.
    """

    separated: bool
    method: str
    breaks_core: int
    participants: int
    sentence: str
    breaks: tuple[float, ...] = ()


def separation(scores: ArrayLike, breaks_of: Callable[[np.ndarray, int], list[float]] | None = None) -> Separation:
    """Whether natural breaks separate the ``combined`` scores into levels (module docs), with a sentence.

    ``breaks_of(values, k)`` computes the natural breaks (default :func:`natural_breaks`; the network's
    stacked classification passes an exact faster one for ``k = 3``).

    Examples
    --------
    >>> separation([0.1] * 16 + [0.5] * 3 + [0.9]).separated
    True
    >>> s = separation(np.linspace(0.80, 0.95, 20).tolist() + [0.2])
    >>> s.separated, s.method, s.breaks_core
    (False, 'reference pyramid', 20)
    """
    sc = np.asarray(scores, dtype=np.float64)
    n = len(sc)
    breaks = _separated((breaks_of or natural_breaks)(np.round(sc, 12), 3), sc) if n else []
    top = int((sc >= breaks[-1] - 1e-12).sum()) if breaks else int((sc >= UNIFORM_CORE_SCORE).sum())
    ok = n < DENSE_MIN_PARTICIPANTS or (len(breaks) >= 1 and top <= DENSE_CORE_SHARE * n)
    if ok:
        return Separation(True, "natural breaks", top, n, "", tuple(breaks))
    why = "the scores show no clear gap" if not breaks else "the natural breaks put too many at the top"
    sentence = (f"Participation levels are not well separated ({why}: natural breaks would put {top} of {n} participants, "
                f"{100 * top / n:.0f} %, at core); levels use the reference pyramid instead (core the top "
                f"{100 * PYRAMID_SHARES[0]:.0f} % by score, active the next {100 * (PYRAMID_SHARES[1] - PYRAMID_SHARES[0]):.0f} %)")
    return Separation(False, "reference pyramid", top, n, sentence, tuple(breaks))


def _pyramid(score: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Levels by rank of score: core the top ``PYRAMID_SHARES[0]``, active up to ``PYRAMID_SHARES[1]`` (ties share the higher level)."""
    out = np.full(len(score), "peripheral", dtype=object)
    idx = np.flatnonzero(eligible)
    if not len(idx):
        return out
    sv = np.sort(score[idx])[::-1]
    n = len(sv)
    cut_core = sv[max(0, int(np.ceil(PYRAMID_SHARES[0] * n)) - 1)]
    cut_active = sv[max(0, int(np.ceil(PYRAMID_SHARES[1] * n)) - 1)]
    v = score[idx]
    out[idx] = np.where(v >= cut_core - 1e-12, "core", np.where(v >= cut_active - 1e-12, "active", "peripheral"))
    return out


def repeated_tie_threshold(prep: Prepared, cols: slice) -> float:
    """Smallest tie weight counted in the levels' ``centrality`` over the window's activities ``cols``.

    Where the window's typical activity (the median size of those with two or more participants) is a pair, one
    shared activity is already an exchange and the prepared log's ``min_tie`` applies unchanged.  Where it is a
    group of three or more, sitting once in the same meeting is not yet a tie: a tie needs :data:`REPEATED_TIE`
    shared activities of the typical size and kind, i.e. ``REPEATED_TIE`` times their median tie weight (the
    kind weight over ``n - 1``, Newman's discount), and at least ``min_tie``.

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> prep = Prepared(cop.load_example())
    >>> repeated_tie_threshold(prep, slice(0, 0)) == prep.min_tie   # no activity: the log's own threshold
    True
    """
    size = prep.incidence.size[cols]
    group = size >= 2
    if not group.any():
        return float(prep.min_tie)
    return tie_threshold(float(np.median(size[group])), lambda: float(np.median(prep.tie_weight[cols][group])), prep.min_tie)


def tie_threshold(median_size: float, median_weight: Callable[[], float], min_tie: float) -> float:
    """The rule of :func:`repeated_tie_threshold` from a window's medians: ``min_tie`` where the typical group
    (``median_size``, of the activities with two or more participants) is a pair, else :data:`REPEATED_TIE`
    times the median tie weight (``median_weight()``, asked for only then), and at least ``min_tie``.

    Examples
    --------
    >>> tie_threshold(2.0, lambda: 0.5, 0.25), tie_threshold(4.0, lambda: 0.2, 0.25)
    (0.25, 0.4)
    """
    if median_size < 3:
        return float(min_tie)
    return max(float(min_tie), REPEATED_TIE * median_weight())


def _role_matrix(prep: Prepared) -> sp.csc_array | None:
    """Members x activities: extra intensity units of rows whose role is in :data:`ROLE_WEIGHTS` (cached on ``prep``)."""
    if "_role_extra" in prep.__dict__:
        return prep.__dict__["_role_extra"]
    d = prep.log.data
    mat = None
    if "role" in d.columns and not (isinstance(d["role"].dtype, pd.CategoricalDtype)
                                    and not any(ROLE_WEIGHTS.get(c, 1.0) != 1.0 for c in d["role"].cat.categories)):
        # (a categorical role column none of whose values is weighted has no extra units: skip the row-wise map)
        role = d["role"].astype(object)
        factor = role.map(ROLE_WEIGHTS).to_numpy(dtype=np.float64)
        hit = np.isfinite(factor) & (factor != 1.0)
        if hit.any():
            m = prep.member_ids.get_indexer(d["member_id"].astype(object)[hit])
            a = prep.incidence.activity_ids.get_indexer(d["activity_id"].astype(object)[hit])
            ok = (m >= 0) & (a >= 0)
            vals = (factor[hit] - 1.0) * d["weight"].to_numpy(dtype=np.float64)[hit]
            mat = sp.csc_array((vals[ok], (m[ok], a[ok])), shape=prep.B.shape)
            mat.sum_duplicates()
    prep.__dict__["_role_extra"] = mat
    return mat


def _separated(breaks: list[float], scores: np.ndarray) -> list[float]:
    """Drop natural breaks whose neighbouring classes differ by less than :data:`MIN_CLASS_GAP` in mean score."""
    while breaks:
        edges = [-np.inf] + list(breaks) + [np.inf]
        means = [scores[(scores >= edges[i] - 1e-12) & (scores < edges[i + 1] - 1e-12)].mean() for i in range(len(edges) - 1)]
        gaps = np.diff(means)
        j = int(np.argmin(gaps))
        if gaps[j] >= MIN_CLASS_GAP:
            break
        breaks = breaks[:j] + breaks[j + 1:]
    return breaks


def _scaled(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    top = x[mask].max() if mask.any() else 0.0
    if not top > 0:
        return np.zeros_like(x, dtype=np.float64)
    return np.clip(np.log1p(np.maximum(x, 0)) / np.log1p(top), 0.0, 1.0)


def _onion(values: np.ndarray, mask: np.ndarray, core: float = ONION_SHARES[0], active: float = ONION_SHARES[1]) -> np.ndarray:
    """Levels by cumulative share of ``values`` (CHAOSS onion); ties broken by value only."""
    out = np.full(len(values), "peripheral", dtype=object)
    idx = np.flatnonzero(mask)
    vals = values[idx]
    total = vals.sum()
    if not total > 0:
        return out
    order = np.argsort(-vals, kind="stable")
    sv = vals[order]
    cum = np.cumsum(sv) / total
    # members whose value equals the value at the cut share its level (permutation invariant)
    cut_core = sv[min(int(np.searchsorted(cum, core - 1e-12)), len(sv) - 1)]
    cut_active = sv[min(int(np.searchsorted(cum, active - 1e-12)), len(sv) - 1)]
    lv = np.where(vals >= cut_core, "core", np.where(vals >= cut_active, "active", "peripheral"))
    lv[vals <= 0] = "peripheral"
    out[idx] = lv
    return out


def _kcore_numbers(adj) -> np.ndarray:
    """Each node's core number (``networkx.core_number``) in the undirected graph of ``adj``'s stored entries, self-loops left out.

    By peeling: at each level ``k`` the nodes left with at most ``k`` neighbours
    among those left are removed (their core number is ``k``), one sparse
    product per round, until none is left; the core numbers are unique, so
    the result is networkx's (tested against it), without building a graph
    (measured with ``timeit``: 0.5 ms against 7.7 ms a call on a 300-person graph of density 0.05).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> tri_and_tail = sp.csr_array(([1.0] * 8, ([0, 1, 0, 2, 1, 2, 2, 3], [1, 0, 2, 0, 2, 1, 3, 2])), shape=(5, 5))
    >>> _kcore_numbers(tri_and_tail).tolist()
    [2, 2, 2, 1, 0]
    """
    import scipy.sparse as sp

    coo = sp.coo_array(adj)
    n = coo.shape[0]
    off = coo.row != coo.col
    rows, cols = coo.row[off], coo.col[off]
    pattern = sp.csr_array((np.ones(2 * len(rows), dtype=np.int64), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
                           shape=(n, n))
    pattern.data[:] = 1  # duplicates summed by the constructor: one edge per pair
    degree = np.asarray(pattern.sum(axis=1)).ravel().astype(np.int64)
    core = np.zeros(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    k = 0
    while alive.any():
        k = max(k, int(degree[alive].min()))
        remove = alive & (degree <= k)
        while remove.any():
            core[remove] = k
            alive &= ~remove
            degree -= pattern @ remove.astype(np.int64)
            remove = alive & (degree <= k)
    return core


def combined_levels(score: np.ndarray, eligible: np.ndarray,
                    breaks_of: Callable[[np.ndarray, int], list[float]] | None = None) -> np.ndarray:
    """The ``combined`` method's level (``core``, ``active`` or ``peripheral``, as objects) of each score.

    The natural breaks of the eligible members' scores when they separate the levels
    (:func:`separation`, ``breaks_of`` passed on), else the reference pyramid; :func:`classify_window`
    then marks the inactive, coordinators and outsiders.

    Examples
    --------
    >>> combined_levels(np.array([0.1] * 16 + [0.5] * 3 + [0.9]), np.ones(20, bool))[-5:].tolist()
    ['peripheral', 'active', 'active', 'active', 'core']
    """
    sep = separation(score[eligible], breaks_of)
    breaks = list(sep.breaks)
    if not sep.separated:
        return _pyramid(score, eligible)
    if len(breaks) == 2:
        return np.where(score >= breaks[1] - 1e-12, "core", np.where(score >= breaks[0] - 1e-12, "active", "peripheral")).astype(object)
    if len(breaks) == 1:
        return np.where(score >= breaks[0] - 1e-12, "core", "peripheral").astype(object)
    # one distinct score: everybody alike
    return np.where(score >= UNIFORM_CORE_SCORE, "core", "peripheral").astype(object)


def role_matrix(prep: Prepared) -> sp.csc_array | None:
    """Members x activities: the extra intensity units of rows whose role is in :data:`ROLE_WEIGHTS` (None without any).

    Examples
    --------
    >>> import pandas as pd, cop
    >>> from cop.kernel import Prepared
    >>> rows = pd.DataFrame({"activity_id": ["a", "a"], "member_id": ["x", "y"], "timestamp": ["2024-01-02"] * 2,
    ...                      "role": ["host", "member"]})
    >>> role_matrix(Prepared(cop.ActivityLog.from_frame(rows))).toarray().tolist()
    [[1.0], [0.0]]
    """
    return _role_matrix(prep)


def has_role_weights(prep: Prepared) -> bool:
    """Whether some rows' roles (:data:`ROLE_WEIGHTS`) add intensity units to their participation.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> from cop.kernel import Prepared
    >>> rows = pd.DataFrame({"activity_id": ["a", "a"], "member_id": ["x", "y"], "timestamp": ["2024-01-02"] * 2,
    ...                      "role": ["host", "member"]})
    >>> has_role_weights(Prepared(cop.ActivityLog.from_frame(rows))), has_role_weights(Prepared(cop.ActivityLog.from_frame(rows.drop(columns="role"))))
    (True, False)
    """
    return _role_matrix(prep) is not None


def classify_window(prep: Prepared, lo: int, hi: int, *, method: str = "combined", n_sub: int | None = None,
                    blocks: list[tuple[int, int]] | None = None, window: Window | None = None) -> pd.DataFrame:
    """Levels and scores of every person for the window ``[lo, hi)`` (nanoseconds UTC).

    ``window``: the window's statistics when already at hand (``prep.window(lo, hi, n_sub, blocks)``
    or the same figures computed another way, e.g. for several communities at once by
    :mod:`cop.network.stacked`); default computed here.

    Returns a DataFrame indexed by ``member_id`` (all people of the log) with
    ``level``, ``participations``, ``intensity``, ``centrality``, ``consistency``,
    ``score``, ``degree``, ``strength``, ``intensity_raw``.

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> prep = Prepared(cop.load_example())
    >>> hi = pd.Timestamp("2024-01-01", tz="UTC").value
    >>> classify_window(prep, hi - 90 * 86_400 * 10**9, hi)["level"].value_counts()["coordinator"]
    np.int64(2)
    """
    return _classify(prep, lo, hi, method, n_sub, blocks, window, frame=True)


def window_levels(prep: Prepared, lo: int, hi: int, *, method: str = "combined", n_sub: int | None = None,
                  blocks: list[tuple[int, int]] | None = None, window: Window | None = None) -> np.ndarray:
    """The ``level`` column of :func:`classify_window` (as objects), without building its frame.

    The agreement between methods and the indicators read only the levels of a window; a network
    reads them for each of its spaces, where the frame costs more than the classification.

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> prep = Prepared(cop.load_example())
    >>> hi = pd.Timestamp("2024-01-01", tz="UTC").value
    >>> lo = hi - 90 * 86_400 * 10**9
    >>> (window_levels(prep, lo, hi, method="network") == classify_window(prep, lo, hi, method="network")["level"].to_numpy(dtype=object)).all()
    np.True_
    """
    return _classify(prep, lo, hi, method, n_sub, blocks, window, frame=False)


def _classify(prep: Prepared, lo: int, hi: int, method: str, n_sub: int | None, blocks: list[tuple[int, int]] | None,
              window: Window | None, *, frame: bool) -> Any:
    """:func:`classify_window` (``frame=True``) or its ``level`` column as an object array (``frame=False``)."""
    check_method(method)
    win: Window = prep.window(lo, hi, int(n_sub) if n_sub else None, blocks) if window is None else window
    active = win.active
    eligible = active & prep.is_member
    deg = win.degree.astype(np.float64)
    if frame or method == "combined":  # the scores (the other methods' levels do not read them)
        raw = win.intensity
        roles = _role_matrix(prep)
        if roles is not None and win.cols.stop > win.cols.start:
            raw = raw + np.asarray(roles[:, win.cols] @ prep.intensity_weight[win.cols]).ravel()
        inten = _scaled(raw, eligible)
        thr = repeated_tie_threshold(prep, win.cols)
        adj = win.adjacency
        rows = np.repeat(np.arange(adj.shape[0]), np.diff(adj.indptr))
        strong = np.bincount(rows[adj.data >= thr - 1e-12], minlength=prep.n).astype(np.float64)
        cent = _scaled(strong, eligible)
        cons = win.consistency
        score = (inten + cent + cons) / 3.0
    level = np.full(prep.n, "peripheral", dtype=object)
    if method == "combined":
        level = combined_levels(score, eligible)
    elif method == "activity_share":
        level = _onion(win.intensity, eligible)
    elif method == "network":
        has_tie = eligible & (deg > 0)
        if has_tie.any():
            q80, q50 = np.quantile(deg[has_tie], list(NETWORK_QUANTILES))
            level = np.where(has_tie & (deg >= q80), "core", np.where(has_tie & (deg >= q50), "active", "peripheral")).astype(object)
    else:  # kcore
        cn = _kcore_numbers(win.adjacency) if win.adjacency.nnz else np.zeros(prep.n, dtype=np.int64)
        kmax = int(cn[eligible].max()) if eligible.any() else 0
        if kmax >= 2:
            level = np.where(cn >= kmax, "core", np.where(cn >= max(1, int(np.ceil(kmax / 2))), "active", "peripheral")).astype(object)
        elif kmax == 1:
            level = np.where(cn >= 1, "active", "peripheral").astype(object)
    level = np.asarray(level, dtype=object)
    level[~active] = "inactive"
    level[prep.is_coordinator] = "coordinator"
    level[prep.is_outsider] = "outsider"
    if not frame:
        return level
    return pd.DataFrame(
        {
            "level": level,
            "participations": win.participations.astype(np.int64),
            "intensity": inten,
            "centrality": cent,
            "consistency": cons,
            "score": np.where(active, score, 0.0),
            "degree": win.degree.astype(np.int64),
            "strength": win.strength,
            "intensity_raw": raw,
        },
        index=prep.member_ids,
    )


class LevelClassifier:
    """Assign a participation level to every person (scikit-learn style).

    Parameters
    ----------
    method : {"combined", "activity_share", "network", "kcore"}, default "combined"
        See the module documentation for each method and its rationale.
    as_of : date-like, optional
        End of the window (exclusive); default the day after the last timestamp.
    lookback : int, default 90
        Days in the window.
    n_sub : int, optional
        Sub-windows for consistency (default one per 15 days, at least 3).
    min_tie : float, default 0.25
        Smallest tie weight that counts as a tie.
    presence_weight : float, default 0.0
        Weight of presence in the tie graph.

    Attributes
    ----------
    members_ : pandas.DataFrame
        One row per person in the log (index ``member_id``): ``level`` and the scores.
    levels_ : pandas.Series
        ``members_["level"]``.
    as_of_ : pandas.Timestamp

    Examples
    --------
    >>> import pandas as pd
    >>> from cop import ActivityLog
    >>> rows = pd.DataFrame({"activity_id": ["e1"] * 3 + ["e2"] * 2 + ["i1"] * 2,
    ...     "member_id": ["a", "b", "c", "a", "b", "a", "b"],
    ...     "timestamp": ["2024-01-02"] * 3 + ["2024-02-02"] * 2 + ["2024-03-01"] * 2})
    >>> LevelClassifier().fit(ActivityLog.from_frame(rows)).levels_.to_dict()
    {'a': 'core', 'b': 'core', 'c': 'peripheral'}
    """

    def __init__(
        self,
        method: str = "combined",
        *,
        as_of: Any = None,
        lookback: int = 90,
        n_sub: int | None = None,
        min_tie: float = 0.25,
        presence_weight: float = 0.0,
    ) -> None:
        self.method = method
        self.as_of = as_of
        self.lookback = lookback
        self.n_sub = n_sub
        self.min_tie = min_tie
        self.presence_weight = presence_weight

    def get_params(self) -> dict[str, Any]:
        """Parameters as given to ``__init__``."""
        return {k: getattr(self, k) for k in ("method", "as_of", "lookback", "n_sub", "min_tie", "presence_weight")}

    def _prepared(self, log: ActivityLog | Prepared) -> Prepared:
        if isinstance(log, Prepared):
            return log
        return Prepared(log, min_tie=self.min_tie, presence_weight=self.presence_weight)

    def _window(self, prep: Prepared) -> tuple[int, int]:
        lookback = check_lookback(self.lookback)
        self.as_of_ = resolve_as_of(prep.log, self.as_of)
        return window_bounds(self.as_of_, lookback)

    def fit(self, log: ActivityLog | Prepared) -> LevelClassifier:
        """Classify everyone seen before ``as_of``; returns ``self``."""
        prep = self._prepared(log)
        lo, hi = self._window(prep)
        frame = classify_window(prep, lo, hi, method=self.method, n_sub=self.n_sub)
        seen = prep.first_seen < hi
        self.members_ = frame[seen]
        self.levels_ = self.members_["level"]
        return self

    def fit_predict(self, log: ActivityLog | Prepared) -> pd.Series:
        """``fit(log).levels_``."""
        return self.fit(log).levels_

    def level_counts(self) -> pd.DataFrame:
        """Counts and shares of each level beside Wenger's reference shares.

        Shares are of the people who are not outsiders; the outsiders' share is NaN.
        """
        return level_counts(self.levels_)

    def agreement(self, log: ActivityLog | Prepared, methods: Sequence[str] = METHODS) -> pd.DataFrame:
        """Pairwise Cohen's kappa between methods on the same window (see :func:`level_agreement`)."""
        prep = self._prepared(log)
        lo, hi = self._window(prep)
        return window_agreement(prep, lo, hi, methods, n_sub=self.n_sub)


def level_counts(levels: pd.Series) -> pd.DataFrame:
    """The ``level_counts`` table: ``level, count, share, reference_low, reference_high``.

    Examples
    --------
    >>> level_counts(pd.Series(["core", "active", "peripheral", "peripheral", "outsider"]))["count"].tolist()
    [0, 1, 1, 2, 0, 1]
    """
    # counted on the labels as objects (a pandas value_counts and reindex cost more than the counting itself,
    # and a network counts the levels of each of its spaces)
    lv = np.asarray(levels, dtype=object)
    counts = np.array([int(np.count_nonzero(lv == name)) for name in LEVELS], dtype=np.int64)
    members = int(counts[:-1].sum())  # all but the outsiders (the last of LEVELS)
    share = counts / members if members else counts * np.nan
    share[LEVELS.index("outsider")] = np.nan
    return pd.DataFrame(
        {
            "level": list(LEVELS),
            "count": counts,
            "share": share.astype(np.float64),
            "reference_low": [REFERENCE_SHARES.get(lv, (np.nan, np.nan))[0] for lv in LEVELS],
            "reference_high": [REFERENCE_SHARES.get(lv, (np.nan, np.nan))[1] for lv in LEVELS],
        }
    )


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Cohen's kappa between two labelings of the same items.

    ``(p_o - p_e) / (1 - p_e)``; 1 is perfect agreement, 0 what chance gives.
    Returns 1.0 when both labelings are one identical constant, NaN for no items.

    Examples
    --------
    >>> cohen_kappa(["core", "active", "peripheral", "core"], ["core", "active", "peripheral", "active"])
    0.6363636363636364
    """
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    if len(a) != len(b):
        raise ConfigError(f"cohen_kappa: labelings have different lengths ({len(a)} and {len(b)})")
    if len(a) == 0:
        return float("nan")
    labels, inv = np.unique(np.concatenate([a.astype(str), b.astype(str)]), return_inverse=True)
    ia, ib = inv[: len(a)], inv[len(a):]
    k = len(labels)
    table = np.zeros((k, k))
    np.add.at(table, (ia, ib), 1)
    table /= len(a)
    po = np.trace(table)
    pe = float(table.sum(axis=1) @ table.sum(axis=0))
    if pe >= 1.0:
        return 1.0 if po >= 1.0 else 0.0
    return float((po - pe) / (1.0 - pe))


def window_agreement(prep: Prepared, lo: int, hi: int, methods: Sequence[str] = METHODS, *, n_sub: int | None = None,
                     known: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Pairwise Cohen's kappa between level methods on the window ``[lo, hi)`` (nanoseconds UTC).

    Compared on the people every method places at core, active or peripheral;
    columns ``method_a, method_b, kappa, agreement, n``.  ``known``: the ``level`` column of
    :func:`classify_window` on this window (same ``n_sub``) for methods already classified (the
    diagnosis has its own method's levels at hand), not classified again.

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> prep = Prepared(cop.load_example())
    >>> hi = pd.Timestamp("2024-01-01", tz="UTC").value
    >>> k = window_agreement(prep, hi - 90 * 86_400 * 10**9, hi, ["combined", "combined"])
    >>> float(k["kappa"].iloc[0])
    1.0
    """
    graded = ["core", "active", "peripheral"]
    known = known or {}
    labels = {m: np.asarray(known[m], dtype=object) if m in known else
              window_levels(prep, lo, hi, method=m, n_sub=n_sub) for m in methods}
    mask = None
    for m in methods:
        ok = np.isin(labels[m], graded)
        mask = ok if mask is None else mask & ok
    rows = []
    for i, m1 in enumerate(methods):
        for m2 in methods[i + 1:]:
            rows.append({"method_a": m1, "method_b": m2, "kappa": cohen_kappa(labels[m1][mask], labels[m2][mask]),
                         "agreement": float(np.mean(labels[m1][mask] == labels[m2][mask])) if mask.any() else np.nan,
                         "n": int(mask.sum())})
    return frame_of_rows(rows, ["method_a", "method_b", "kappa", "agreement", "n"])


def level_agreement(log: ActivityLog, methods: Sequence[str] = METHODS, *, as_of: Any = None, lookback: int = 90) -> pd.DataFrame:
    """Pairwise Cohen's kappa between level methods, on the participating members.

    Examples
    --------
    >>> import cop
    >>> k = level_agreement(cop.load_example(), ["combined", "activity_share"])
    >>> k.columns.tolist()
    ['method_a', 'method_b', 'kappa', 'agreement', 'n']
    """
    return LevelClassifier(as_of=as_of, lookback=lookback).agreement(log, methods)
