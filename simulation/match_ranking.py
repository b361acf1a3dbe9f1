"""The ranking of ``cop match`` inside the simulation: who picks the pairs, and how the fit decides success.

The simulated community is handed to :mod:`cop.match` as a
:class:`cop.match.MatchData` built with :meth:`cop.match.MatchData.from_arrays`
from the live state, at most once per simulated week (:class:`MatchState`):

* ``ties`` — the current tie graph: pairs whose strength is above
  ``encounters.tie_threshold``;
* ``events`` — person x activity: every non-presence activity so far (events,
  conversations, introductions, lunch tables, threads, collaborations) of 2
  to :data:`cop.kernel.projection.MAX_GROUP_SIZE` people, manager and guests
  counted in the size, as ``cop match`` counts a log;
* ``presence`` — person x day: the days each member checked in (days with two
  people or more);
* ``topics`` — person x topic: non-presence participations per topic;
  ``tags`` — the members' declared interests;
* ``organization``, ``joined_days``, ``newcomer`` (joined fewer than
  :data:`cop.match.NEWCOMER_DAYS` days ago), ``peripheral`` (not a newcomer and
  at most one tie: a proxy, the simulation does not classify levels while it
  runs), ``eligible`` (current members).

The log-derived matrices are accumulated incrementally from the rows recorded
since the previous week (the recorder only appends, and every activity is
recorded whole), so a rebuild costs the sparse construction, not a pass over
the whole history.  The scores are cop.match's own:
:func:`cop.match.candidate_signals` (candidates from sparse products, never all
pairs), :func:`cop.match.score_signals` with :data:`cop.match.DEFAULT_WEIGHTS`
(the score) and with the normative weights at 0 (the *fit*, 0-1), and
:func:`cop.match.draft` (each member in at most ``manager.match_per_member_week``
introductions a week, a pair introduced once).

Who picks (:data:`RANKINGS`; ``manager.introduction_ranking`` for the
manager's introductions, the ``matchmaking_tool`` intervention's ``ranking``
for the tool's):

``"manager"``
    the manager's judgement, :func:`simulation.introductions.introduction_weights`
    (the model before matchmaking, the default);
``"cop"``
    the requester's best remaining suggestion by ``cop match``'s score, among
    onboarded members not tied to them now and never introduced to them
    (:func:`cop_weights`);
``"random"``
    a uniform draw among onboarded members of other organisations not tied to
    the requester and never introduced to them, the rules of random-pairing
    tools (:func:`random_weights`).

Fit and success (``manager.introduction_cop_fit`` = ``s`` > 0): the log-odds
of :func:`simulation.introductions.success_probability` gain ``s x fit - c``,
where the offset ``c`` is recalibrated at each rebuild by bisection so that the
mean chance over :data:`CALIBRATION_PAIRS` random pairs (onboarded members of
other organisations not tied, drawn from the ``matchmaking`` stream) equals
their mean chance without the fit term: the fit moves success from poorly to
well fitting pairs and leaves the base rate of random introductions where the
other terms put it.

Examples
--------
>>> from simulation.model import simulate_space
>>> from simulation.config import Scenario
>>> sc = Scenario(space={"years": 0.2}, arrivals={"initial_members": 25},
...               manager={"introduction_ranking": "cop", "introduction_cop_fit": 2.0})
>>> space, _ = simulate_space(sc, 1)
>>> st = match_state(space)
>>> st.data.n == space.roster.n, bool(st.data.events.nnz > 0), bool(0 <= st.fit_mean <= 1)
(True, True, True)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from cop.kernel.projection import MAX_GROUP_SIZE
from cop.match import (
    DEFAULT_WEIGHTS,
    NEWCOMER_DAYS,
    MatchData,
    MatchWeights,
    available_components,
    candidate_signals,
    draft,
    pair_keys,
    pair_signals,
    score_signals,
    top_per_member,
)

from .space import KINDS

__all__ = ["RANKINGS", "CALIBRATION_PAIRS", "FIT_WEIGHTS", "MatchState", "match_state", "uses_match_state",
           "ranking_for", "cop_weights", "random_weights", "pair_fit", "fit_logit", "note_introduction"]

#: Who may pick an introduction's partner.
RANKINGS = ("manager", "cop", "random")
#: Random pairs that calibrate the offset of the fit term at each rebuild.
CALIBRATION_PAIRS = 2000
#: The fit: cop match's evidence components only (bridging and priority reorder suggestions, they are no fit).
FIT_WEIGHTS = MatchWeights(bridging=0.0, priority=0.0)
#: Days between rebuilds of the :class:`~cop.match.MatchData`.
REBUILD_DAYS = 7

_PRESENCE = KINDS.index("presence")


class MatchState:
    """The simulated community as ``cop match`` sees it, rebuilt at most once a week (see the module doc).

    Attributes
    ----------
    data : cop.match.MatchData
        The arrays of the last rebuild (indexed by roster index).
    built_day : int
        Simulated day of the last rebuild.
    introduced : set of int
        Unordered keys ``min * 2**32 + max`` of every pair introduced so far (any ranking).
    met : dict of int to set of int
        The same pairs, by member: who was introduced to whom.
    load : numpy.ndarray
        Introductions of each member this week.
    offset : float
        The calibrated offset ``c`` of the fit term (see the module doc).
    fit_mean : float
        Mean fit of the calibration pairs at the last rebuild.
    rebuilds : int
        Rebuilds so far.
    outcomes : list of int
        Introductions decided so far, ``[made, worked out]`` (tool suggestions declined count as made).
    """

    def __init__(self, space) -> None:
        self.space = space
        self.data: MatchData | None = None
        self.built_day = -(10**9)
        self.introduced: set[int] = set()
        self.met: dict[int, set[int]] = {}
        self.load = np.zeros(0, dtype=np.int64)
        self.offset = 0.0
        self.fit_mean = 0.0
        self.rebuilds = 0
        self.outcomes = [0, 0]
        # accumulated from the recorder: cursors, (member, activity) of non-presence and presence rows, sizes
        self._cursor: tuple[int, int] | None = None
        self._ev_m: list[np.ndarray] = []
        self._ev_a: list[np.ndarray] = []
        self._pr_m: list[np.ndarray] = []
        self._pr_a: list[np.ndarray] = []
        self._size = np.zeros(0, dtype=np.int64)
        self._topics = np.zeros((0, len(space.topics)))
        self._cand: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._fits: dict[int, float] = {}
        self._avail: tuple[str, ...] = ()

    # ------------------------------------------------------------------ the data
    def _absorb(self) -> None:
        """Take in the participation rows recorded since the last rebuild."""
        rec = self.space.record
        rows, self._cursor = rec.participations_since(self._cursor)
        n = self.space.roster.n
        if self._topics.shape[0] < n:
            grown = np.zeros((max(n, 2 * self._topics.shape[0]), self._topics.shape[1]))
            grown[: self._topics.shape[0]] = self._topics
            self._topics = grown
        if len(self._size) < rec.n_activities:
            self._size = np.concatenate([self._size, np.zeros(rec.n_activities - len(self._size), dtype=np.int64)])
        if not len(rows):
            return
        act, who, kind, topic = rows[:, 0], rows[:, 1], rows[:, 3], rows[:, 5]
        self._size += np.bincount(act, minlength=len(self._size))
        mem = who >= 0
        pres = kind == _PRESENCE
        e = mem & ~pres
        self._ev_m.append(who[e])
        self._ev_a.append(act[e])
        self._pr_m.append(who[mem & pres])
        self._pr_a.append(act[mem & pres])
        t = e & (topic >= 0)
        np.add.at(self._topics, (who[t], topic[t]), 1.0)

    def _incidence(self, m: list[np.ndarray], a: list[np.ndarray], lo: int, hi: float) -> sp.csr_array:
        n, width = self.space.roster.n, max(len(self._size), 1)
        mm = np.concatenate(m) if m else np.zeros(0, dtype=np.int64)
        aa = np.concatenate(a) if a else np.zeros(0, dtype=np.int64)
        size = self._size[aa]
        keep = (size >= lo) & (size <= hi)
        out = sp.csr_array((np.ones(int(keep.sum())), (mm[keep], aa[keep])), shape=(n, width))
        out.sum_duplicates()
        out.data[:] = 1.0
        return out

    def rebuild(self) -> None:
        """Build :attr:`data` from the live state, the week's candidates and the fit offset."""
        space = self.space
        r = space.roster
        day = int(space.env.now)
        self._absorb()
        n = r.n
        thr = space.scenario.encounters.tie_threshold
        a, b = r.ties.pairs_above(thr)
        ties = sp.csr_array((np.ones(len(a)), (a, b)), shape=(n, n))
        active = r.active[:n].copy()
        joined_days = (day - r.joined[:n]).astype(np.float64)
        newcomer = active & (joined_days < NEWCOMER_DAYS)
        degree = r.ties.count_above(np.arange(n), thr)
        self.data = MatchData.from_arrays(
            ties,
            events=self._incidence(self._ev_m, self._ev_a, 2, MAX_GROUP_SIZE),
            presence=self._incidence(self._pr_m, self._pr_a, 2, np.inf),
            topics=sp.csr_array(self._topics[:n]),
            tags=sp.csr_array(r.interests[:n].astype(np.float64)),
            organization=r.org[:n], newcomer=newcomer, peripheral=active & ~newcomer & (degree <= 1),
            eligible=active, joined_days=joined_days,
        )
        self.built_day = day
        self.rebuilds += 1
        self.load = np.zeros(n, dtype=np.int64)
        self._avail = available_components(self.data)
        self._fits = {}
        self._candidates(np.flatnonzero(active))
        self._calibrate(day)

    def _candidates(self, targets: np.ndarray) -> None:
        """Each target's candidates (cop match's), best first, with their fits remembered."""
        self._cand = {}
        if not len(targets):
            return
        n = self.data.n
        used = np.fromiter(self.introduced, dtype=np.int64, count=len(self.introduced))
        lo, hi = used >> 32, used & 0xFFFFFFFF
        inside = hi < n
        excl = np.concatenate([pair_keys(lo[inside], hi[inside], n), pair_keys(hi[inside], lo[inside], n)])
        i, j, sig = candidate_signals(self.data, targets, exclude=excl)
        if not len(i):
            return
        score, _ = score_signals(sig, DEFAULT_WEIGHTS, available=self._avail)
        fit, _ = score_signals(sig, FIT_WEIGHTS, available=self._avail)
        order = top_per_member(i, j, score, None)
        i, j, score, fit = i[order], j[order], score[order], fit[order]
        self._fits.update(zip((np.minimum(i, j) << 32 | np.maximum(i, j)).tolist(), fit.tolist()))
        starts = np.r_[0, np.flatnonzero(i[1:] != i[:-1]) + 1, len(i)]
        for s, e in zip(starts[:-1], starts[1:]):
            self._cand[int(i[s])] = (j[s:e], score[s:e])

    def fits(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """cop match's fit (0-1) of the pairs ``(a[k], b[k])`` at the last rebuild."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        keys = (np.minimum(a, b) << 32 | np.maximum(a, b)).tolist()
        out = np.array([self._fits.get(k, np.nan) for k in keys], dtype=np.float64)
        if len(a) and max(int(a.max()), int(b.max())) >= self.data.n:  # someone admitted since the rebuild
            self.rebuild()
            return self.fits(a, b)
        miss = np.flatnonzero(np.isnan(out))
        if len(miss):
            n = self.data.n
            ok = miss[(a[miss] < n) & (b[miss] < n)]
            out[np.setdiff1d(miss, ok)] = 0.0
            if len(ok):  # pairs that are no candidate of this week (rare: co-presence makes most pairs candidates)
                sig = pair_signals(self.data, a[ok], b[ok])
                f, _ = score_signals(sig, FIT_WEIGHTS, available=self._avail)
                out[ok] = f
                self._fits.update(zip([keys[k] for k in ok.tolist()], f.tolist()))
        return out

    def _calibrate(self, day: int) -> None:
        """The offset ``c`` keeping the mean success over random pairs at its value without the fit term."""
        space = self.space
        slope = space.scenario.manager.introduction_cop_fit
        r = space.roster
        pool = r.onboarded_idx()
        if slope <= 0 or len(pool) < 2:
            return
        rng = space.streams.for_("matchmaking", day)
        a = pool[rng.integers(0, len(pool), CALIBRATION_PAIRS)]
        b = pool[rng.integers(0, len(pool), CALIBRATION_PAIRS)]
        thr = space.scenario.encounters.tie_threshold
        ok = (a != b) & (r.org[a] != r.org[b]) & (r.ties.get(a, b) <= thr)
        a, b = a[ok], b[ok]
        if not len(a):
            return
        from .introductions import base_logit

        z = base_logit(space, a, b)
        f = self.fits(a, b)
        self.fit_mean = float(f.mean())
        target = float(np.mean(1.0 / (1.0 + np.exp(-z))))
        lo, hi = -slope - 20.0, slope + 20.0
        for _ in range(60):  # mean success is increasing in the offset: bisection
            mid = (lo + hi) / 2
            if np.mean(1.0 / (1.0 + np.exp(-(z + slope * f - mid)))) > target:
                lo = mid
            else:
                hi = mid
        self.offset = (lo + hi) / 2

    def refresh(self, requester: int | None = None) -> None:
        """Rebuild when a week has passed since the last rebuild (or ``requester`` is not in :attr:`data`)."""
        now = int(self.space.env.now)
        if (self.data is None or now >= self.built_day + REBUILD_DAYS
                or (requester is not None and (requester >= self.data.n or not self.data.eligible[requester]))):
            self.rebuild()

    def candidates(self, a: int) -> tuple[np.ndarray, np.ndarray]:
        """Member ``a``'s candidates and scores, best first (empty when none)."""
        return self._cand.get(int(a), (np.zeros(0, dtype=np.int64), np.zeros(0)))


def uses_match_state(space) -> bool:
    """Whether the run needs :class:`MatchState`: a ranking other than the manager's, or the fit term on."""
    mc = space.scenario.manager
    return mc.introduction_ranking != "manager" or space.levers.tool_ranking != "manager" or mc.introduction_cop_fit > 0


def match_state(space) -> MatchState:
    """The space's :class:`MatchState`, made on first use and refreshed when a week has passed."""
    st = space.matchmaking
    if st is None:
        st = space.matchmaking = MatchState(space)
    st.refresh()
    return st


def _pair_key(a: int, b: int) -> int:
    return (min(a, b) << 32) | max(a, b)


def _free(space, a: int, pool: np.ndarray, *, other_org: bool) -> np.ndarray:
    """Members of ``pool`` not ``a``, not tied to ``a`` now and never introduced to ``a`` (other organisations)."""
    r = space.roster
    thr = space.scenario.encounters.tie_threshold
    lo, hi = r.ties.slices(np.array([a]))
    tied = r.ties.dst[lo[0]:hi[0]][r.ties.val[lo[0]:hi[0]] > thr]
    mark = np.zeros(r.n, dtype=bool)
    mark[tied] = True
    mark[a] = True
    st = space.matchmaking
    met = st.met.get(int(a)) if st is not None else None
    if met:
        mark[np.fromiter(met, dtype=np.int64, count=len(met))] = True
    free = ~mark[pool]
    if other_org:
        free &= r.org[pool] != r.org[a]
    return free


def cop_weights(space, a: int, pool: np.ndarray, interests: np.ndarray) -> np.ndarray:
    """The ``cop`` ranking: weight 1 on ``a``'s best remaining suggestion by ``cop match``'s score, 0 elsewhere.

    A suggestion remains when the member is onboarded now, not tied to ``a``
    now, never introduced to ``a``, and neither has reached
    ``manager.match_per_member_week`` introductions this week
    (:func:`cop.match.draft`).  Colleagues are not suggested (``cop match``'s
    default).
    """
    st = match_state(space)
    st.refresh(a)
    w = np.zeros(len(pool))
    j, score = st.candidates(a)
    if not len(j):
        return w
    pos = np.searchsorted(pool, j)
    inpool = (pos < len(pool)) & (pool[np.minimum(pos, len(pool) - 1)] == j)
    free = np.zeros(len(j), dtype=bool)
    free[inpool] = _free(space, a, pool, other_org=False)[pos[inpool]]
    j, score, pos = j[free], score[free], pos[free]
    if not len(j):
        return w
    n = st.data.n
    load = st.load.copy()
    sel = draft(np.full(len(j), a, dtype=np.int64), j, score, per_member=space.scenario.manager.match_per_member_week,
                urgency=np.zeros(n), load=load, wanted=1)
    if len(sel):
        w[pos[sel[0]]] = 1.0
    return w


def random_weights(space, a: int, pool: np.ndarray, interests: np.ndarray) -> np.ndarray:
    """The ``random`` ranking: weight 1 on every onboarded member of another organisation not tied to, nor introduced to, ``a``."""
    return _free(space, a, pool, other_org=True).astype(np.float64)


def ranking_for(space, via: str) -> Callable[..., np.ndarray] | None:
    """The ranking function of an introduction by ``via`` (``"tool"`` or the manager); ``None``: the manager's."""
    name = space.levers.tool_ranking if via == "tool" else space.scenario.manager.introduction_ranking
    return {"cop": cop_weights, "random": random_weights}.get(name)


def pair_fit(space, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``cop match``'s fit (0-1) of the pairs ``(a[k], b[k])`` in the simulated community this week."""
    return match_state(space).fits(a, b)


def fit_logit(space, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The fit term of the success log-odds: ``introduction_cop_fit x fit - offset`` (0 when the term is off)."""
    slope = space.scenario.manager.introduction_cop_fit
    if slope <= 0:
        return np.zeros(len(np.atleast_1d(a)))
    st = match_state(space)
    return slope * st.fits(a, b) - st.offset


def note_introduction(space, a: int, b: int) -> None:
    """Remember that ``a`` and ``b`` were introduced (never again) and count it in this week's load."""
    st = space.matchmaking
    if st is None:
        return
    a, b = int(a), int(b)
    st.introduced.add(_pair_key(a, b))
    st.met.setdefault(a, set()).add(b)
    st.met.setdefault(b, set()).add(a)
    if st.data is not None and max(a, b) < len(st.load):
        st.load[a] += 1
        st.load[b] += 1
