"""Life-cycle phases of a community, per period (Wenger 1998; Wenger, McDermott & Snyder 2002).

Phases (1998 naming): ``potential`` (people with a shared concern, loosely
connected, no core yet), ``coalescing`` (newcomers arrive, the network
consolidates, a core forms), ``active`` (a stable core, members stay, activity
near the community's own peak, regular rhythm), ``dispersed`` (members no
longer engage intensely -- activity well below its peak for several periods
while membership falls -- or members leave and the network loosens; the
community is still alive as a force and a centre of knowledge) and ``memorable`` (the
community has effectively ended: near-zero activity for several periods after
having been active).

How a phase is chosen, period by period (all causal: a period uses only data
up to its end, so later data never rewrites earlier phases):

1. **Measurable indicators** per period (:func:`period_metrics`):
   ``active_members`` (members taking part in the period), ``newcomers`` and
   ``newcomer_share`` (first participation, or ``joined``, in the period),
   ``retention`` (share of the previous period's active members active again),
   ``activity`` (kind-weighted participations) and ``activity_vs_peak`` (the
   rolling ``lookback`` activity over its running maximum so far), ``growth``
   (change of the rolling active membership over ``trend_periods`` periods),
   network consolidation on the rolling window's tie graph (the periods making
   up ``lookback`` days, see :func:`cop.participation.flows.rolling_periods`)
   (``largest_component_share``, ``clustering`` = transitivity, ``density``),
   ``core_size`` and ``core_stability`` (Jaccard overlap of the core with the
   previous period's), ``rhythm_cv`` (coefficient of variation of the gaps
   between event days in the window), ``members_vs_peak`` (people taking part
   in the rolling window over its running maximum), ``sustained_activity_vs_peak``
   (the highest ``activity_vs_peak`` of the last 3 complete periods),
   ``coverage`` and ``partial`` (see *Partial periods* below).
2. **Rule scores** per phase in [0, 1] (:func:`phase_scores`), every one against the community's
   own trajectory (issue 10; the rules in words, with the figures, are in ``docs/lifecycle.md``):
   ``activity_vs_reference`` and ``members_vs_reference`` compare this period's activity and active
   members (averaged over ``trend_periods``, two return times of :func:`cop.kernel.timescale`) with
   their high level of the last three years (:data:`REFERENCE_RULE`; not the all-time peak), and
   ``retention_vs_baseline`` compares retention with its own median.  Each phase averages
   piecewise-linear memberships of its indicators (:data:`PHASE_RULES`); a missing indicator counts
   as neutral 0.5.  Three decisive rules override the averages: a **launch**
   (:data:`LAUNCH_RULE`: most activity by newcomers, activity growing fast and at a new high, in the
   community's first year) raises ``coalescing``; a **sustained fall** (:data:`DISPERSAL_RULE`:
   two complete periods below half the reference with shrinking membership) raises ``dispersed``;
   two complete periods below 5 % of the reference are ``memorable`` (:data:`MEMORABLE_RULE`).
   Activity is necessary for ``active`` (:data:`ACTIVE_FLOOR`): with membership shrinking, a period
   below 15-30 % of its reference keeps only part of its ``active`` average.
   A summer dip with everybody still taking part leaves the decline at 0.
3. **Temporal smoothing** (:func:`smooth_phases`): the phase changes only when
   another phase scores best for ``persistence`` consecutive periods (default 2),
   beats the current phase by at least ``margin`` (default 0.3, strong
   evidence) or is carried by a decisive rule of strength >= :data:`DECISIVE`.  Once left, ``potential`` does not come back; ``dispersed`` and
   ``memorable`` can recover to ``active`` or ``coalescing``.
4. **Confidence** = the phase's score x how clearly it beats the runner-up
   (``0.5 + margin/0.4``, capped at 1; :data:`CONFIDENCE_LEAD`) x ``0.5 + 0.5 x`` the share of its
   signals that agree (:func:`phase_support`) x a thin-data factor (:data:`THIN_DATA`); **evidence** =
   plain sentences with the figures behind the phase.

A community observed mid-life is not forced into ``potential`` in its first
period: without ``joined`` dates the first period's newcomer share is unknown
(everybody is "first seen"), so phases rest on size, consolidation and core.

**Partial periods.**  A period is *complete* when its nominal end (its start
plus one ``freq``) is <= ``as_of`` (default: the day after the last timestamp)
and the log's first day is <= its start.  Every period gets ``coverage`` (the
observed share of its nominal length) and ``partial`` (``coverage < 1``):

* a **trailing** partial period (a log cut mid-month, ``as_of`` inside a period)
  keeps its row with the raw counts (``active_members``, ``newcomers``,
  ``activity``: what happened so far), but its counts are never compared with
  full periods: ``retention``, ``growth`` and ``members_vs_peak`` are NaN, its
  rolling activity is scaled up by the window's coverage before it is divided
  by the peak (and does not move the peak), and it takes no part in phase
  inference -- its ``phase`` and ``confidence`` are carried over from the last
  complete period and its evidence says so.  The current phase of a diagnosis
  is therefore the phase of the last complete period; pass ``as_of`` at a
  period boundary (e.g. ``"2025-01-01"``) to declare a period complete.
* a **leading** partial period (data starting mid-month) is inferred as usual
  (there is nothing to carry over), and ``newcomer_share`` (without
  ``joined`` dates) stays unknown until at least one period's length of data
  precedes the period -- otherwise regulars who did not happen to show up in
  the first few days would count as newcomers in the next period.  (``growth``
  of the first periods is measured from the first period's members, partial
  or not, as for any log start: that is how a new community's coalescing
  shows; its rolling windows are not yet full either.)

``naming="2002"`` maps to potential, coalescing, **maturing** (``active`` while
still growing: growth > 5 % or newcomer share > 20 %, :data:`MATURING_RULE`), **stewardship**
(``active`` and stable) and **transformation** (``dispersed`` and
``memorable``).

Examples
--------
>>> import cop
>>> tl = lifecycle(cop.load_example())
>>> tl["phase"].iloc[-1]
'active'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError
from cop.kernel import DAY_NS, Prepared, check_lookback, network_consolidation, nominal_period_days, parse_freq, period_bounds, timescale
from cop.log import ActivityLog
from cop.participation.flows import PeriodLevels, period_levels

__all__ = [
    "PHASES",
    "PHASES_2002",
    "PHASE_RULES",
    "DISPERSAL_RULE",
    "LAUNCH_RULE",
    "REFERENCE_RULE",
    "THIN_DATA",
    "DECISIVE",
    "MEMORABLE_RULE",
    "ACTIVE_FLOOR",
    "MATURING_RULE",
    "CONFIDENCE_LEAD",
    "REGULAR_RHYTHM_CV",
    "NAMINGS",
    "check_naming",
    "period_metrics",
    "phase_scores",
    "smooth_phases",
    "to_2002",
    "lifecycle",
    "network_consolidation",
    "rhythm_cv",
    "build_timeline",
    "period_timeline",
    "period_coverage",
    "sustained_decline",
    "launch",
    "phase_support",
]

PHASES: tuple[str, ...] = ("potential", "coalescing", "active", "dispersed", "memorable")
PHASES_2002: tuple[str, ...] = ("potential", "coalescing", "maturing", "stewardship", "transformation")
#: Phase namings: Wenger (1998) and Wenger, McDermott & Snyder (2002).
NAMINGS: tuple[str, ...] = ("1998", "2002")

#: Rule of each phase: (indicator, direction, low, high).  ``up`` scores 0 below
#: ``low`` and 1 above ``high``; ``down`` the reverse.
PHASE_RULES: dict[str, list[tuple[str, str, float, float]]] = {
    "potential": [
        ("largest_component_share", "down", 0.3, 0.7),
        ("core_size", "down", 2, 5),
        ("members_in_window", "down", 5, 15),
        ("rhythm_cv", "up", 0.6, 1.2),
    ],
    "coalescing": [
        ("newcomer_activity_share", "up", 0.3, 0.6),
        ("growth", "up", 0.05, 0.3),
        ("largest_component_share", "up", 0.3, 0.6),
        ("core_stability", "down", 0.5, 0.8),
    ],
    "active": [
        ("activity_vs_reference", "up", 0.3, 0.6),
        ("retention_vs_baseline", "up", 0.6, 0.9),
        ("core_stability", "up", 0.4, 0.7),
        ("largest_component_share", "up", 0.5, 0.8),
        ("growth", "up", -0.3, -0.05),
        ("growth", "down", 0.15, 0.4),
        ("newcomer_activity_share", "down", 0.3, 0.6),
        ("rhythm_cv", "down", 0.6, 1.2),
        ("members_in_window", "up", 3, 10),
    ],
    "dispersed": [
        ("activity_vs_reference", "down", 0.2, 0.5),
        ("growth", "down", -0.3, -0.05),
        ("retention_vs_baseline", "down", 0.4, 0.7),
        ("largest_component_share", "down", 0.3, 0.6),
        ("core_stability", "down", 0.2, 0.5),
    ],
}

#: Sustained decline, the second route to ``dispersed`` (see the module documentation): depth ramps
#: down over ``activity_vs_peak`` on the highest value of the last ``sustained`` complete periods,
#: shrinking ramps down over ``members_vs_peak`` or ``growth`` (the stronger); decline =
#: sqrt(depth x shrinking); ``active`` is multiplied by ``1 - active_discount x decline``.
DISPERSAL_RULE: dict[str, Any] = {
    "sustained": 2,
    "activity_vs_reference": (0.25, 0.5),
    "members_vs_reference": (0.5, 0.8),
    "growth": (-0.3, -0.05),
    "active_discount": 1.0,
}

#: A launch, the first route to ``coalescing``: *newness* ramps from 0 to 1 as the share of the period's
#: activity by newcomers (``newcomer_activity_share``) rises over ``newcomer_activity_share``, *growth*
#: as ``activity_growth`` (the period's activity over the previous trend span's, minus 1) rises over
#: ``activity_growth``; launch = sqrt(newness x growth); ``coalescing`` scores at least ``launch`` and
#: ``active`` is multiplied by ``1 - active_discount x launch``.
LAUNCH_RULE: dict[str, Any] = {
    "activity_vs_reference": (0.6, 0.9),
    "newcomer_activity_share": (0.25, 0.5),
    "activity_growth": (0.3, 1.0),
    "age_days": (180, 365),
    "active_discount": 1.0,
}

#: The reference level of activity and membership: the ``quantile`` of the (trend-smoothed) per-period
#: values over the trailing ``horizon_days`` (complete periods only), so one burst month does not set the
#: bar for ever and a slow community is compared with its own recent years; retention is compared with
#: its ``quantile=0.5`` (median) over the same horizon (``min_periods`` periods at least).
REFERENCE_RULE: dict[str, Any] = {
    "trend_returns": 2,
    "quantile": 0.8,
    "horizon_days": 3 * 365,
    "min_periods": 3,
}

#: ``memorable``, the community that has ended: a complete period is *quiet* when ``activity_vs_peak``
#: is below ``quiet_below``; after ``quiet_periods`` consecutive quiet periods ``memorable`` scores 1
#: below ``quiet_below``, ramping down to 0 at ``fade_above``.
MEMORABLE_RULE: dict[str, Any] = {
    "quiet_below": 0.05,
    "fade_above": 0.15,
    "quiet_periods": 2,
}

#: Activity is necessary for ``active``: its averaged score is multiplied by a ramp of
#: ``activity_vs_reference`` from 0 at ``activity_vs_reference[0]`` (where ``memorable`` stops fading in) to 1 at
#: ``activity_vs_reference[1]`` (the low end of ``active``'s own activity rule), so that a period at a small
#: fraction of the community's reference is not ``active`` because its other signals (a stable core of one,
#: no newcomers...) look calm.  No new figure: both ends are the rules' own.
ACTIVE_FLOOR: dict[str, tuple[float, float]] = {
    "activity_vs_reference": (MEMORABLE_RULE["fade_above"], next(lo for c, d, lo, hi in PHASE_RULES["active"] if c == "activity_vs_reference")),
}

#: ``naming="2002"``: an ``active`` period is ``maturing`` while ``growth`` exceeds ``growth`` or the
#: ``newcomer_share`` exceeds ``newcomer_share``, ``stewardship`` otherwise.
MATURING_RULE: dict[str, float] = {"growth": 0.05, "newcomer_share": 0.2}

#: Confidence = the phase's score x ``min(1, 0.5 + lead / CONFIDENCE_LEAD)``, where ``lead`` is its
#: score minus the runner-up's: a lead of 0.2 or more is full confidence, a tie halves it.
CONFIDENCE_LEAD = 0.4

#: A decisive rule (launch, sustained decline, memorable quiet) at least this strong changes the phase
#: at once, without waiting ``persistence`` periods.
DECISIVE = 0.8

#: Thin data lowers confidence: fewer than ``members`` people in the window, or fewer than ``periods``
#: complete periods before this one, scale confidence down linearly (to half at none).
THIN_DATA: dict[str, int] = {"members": 10, "periods": 3}

#: Evidence wording: event gaps with a coefficient of variation below this are a "regular" rhythm
#: (the low end of the ``rhythm_cv`` ramps of :data:`PHASE_RULES`; 1 is random timing).
REGULAR_RHYTHM_CV = 0.6


def check_naming(naming: str) -> str:
    """``naming`` if it is one of :data:`NAMINGS`, else :class:`ConfigError` naming the parameter.

    Examples
    --------
    >>> check_naming("2002")
    '2002'
    """
    if naming not in NAMINGS:
        raise ConfigError(f"parameter 'naming': {naming!r}; expected '1998' or '2002'")
    return naming


def rhythm_cv(event_starts_ns: np.ndarray) -> float:
    """Coefficient of variation of the gaps (in days) between distinct event days; NaN below three event days.

    0 is a perfectly regular cadence; 1 is what random (Poisson) timing gives.

    Examples
    --------
    >>> day = 86_400 * 10**9
    >>> rhythm_cv(np.array([0, 7, 14, 21]) * day)
    0.0
    """
    return _days_cv(np.unique(np.asarray(event_starts_ns, dtype=np.int64) // DAY_NS))


def _days_cv(days: np.ndarray) -> float:
    """:func:`rhythm_cv` of the distinct event days ``days`` (ascending)."""
    if len(days) < 3:
        return float("nan")
    gaps = np.diff(days).astype(np.float64)
    mean = gaps.mean()
    return float(gaps.std() / mean) if mean > 0 else float("nan")


def period_coverage(bounds: pd.DatetimeIndex, freq: str | None = None, observed_start: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """``(coverage, nominal_end)`` of each period between ``bounds``: the observed share of its nominal length.

    A period's nominal end is its start plus one ``freq`` (inferred from the
    bounds when ``freq`` is None; without a frequency every period counts as
    complete).  Observation runs from ``observed_start`` (the log's first day)
    to the last bound (``as_of``).

    Examples
    --------
    >>> b = pd.DatetimeIndex(["2024-11-01", "2024-12-01", "2025-01-01", "2025-01-03"], tz="UTC")
    >>> cov, _ = period_coverage(b, "MS", pd.Timestamp("2024-11-16", tz="UTC"))
    >>> cov.round(3).tolist()
    [0.5, 1.0, 0.065]
    """
    n = max(len(bounds) - 1, 0)
    ns = bounds.as_unit("ns").asi8 if n else np.zeros(0, np.int64)
    starts, ends = ns[:-1], ns[1:]
    offset = None
    if freq is not None:
        offset = parse_freq(freq)
    elif len(bounds) >= 4:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            inferred = pd.infer_freq(bounds[:-1])
        offset = pd.tseries.frequencies.to_offset(inferred) if inferred else None
    if offset is None or n == 0:
        return np.ones(n), ends.copy()
    with warnings.catch_warnings():  # (an offset pandas cannot add to all bounds at once is added bound by bound)
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        nominal = (bounds[:-1] + offset).as_unit("ns").asi8  # each bound plus one period
    nominal = np.maximum(nominal, ends)
    lo = starts.copy()
    if observed_start is not None:
        first = pd.Timestamp(observed_start)
        first = (first.tz_localize("UTC") if first.tzinfo is None else first.tz_convert("UTC")).value
        lo = np.maximum(lo, first)
    cov = np.clip((ends - lo) / np.maximum(nominal - starts, 1), 0.0, 1.0)
    return cov.astype(np.float64), nominal


def period_metrics(prep: Prepared, bounds: pd.DatetimeIndex, periods: Sequence[PeriodLevels], *, trend_periods: int = 3,
                   freq: str | None = None, return_days: float | None = None) -> pd.DataFrame:
    """The per-period indicator frame behind the phases (see the module documentation).

    ``periods`` are the classifications of the periods between ``bounds``
    (:func:`cop.participation.flows.period_levels`), with their rolling
    windows and network consolidation.  ``freq`` (inferred from ``bounds`` when None) fixes each period's nominal
    length, hence ``coverage`` and ``partial`` (see *Partial periods*).  ``return_days`` is the
    community's return time (:func:`cop.kernel.timescale`): activity is smoothed over as many periods as
    it spans, and without ``joined`` dates newcomers are known once that much data precedes a period
    (``None``: a full period's length, one period of smoothing).
    """
    return _period_metrics(prep, bounds, periods, trend_periods=trend_periods, freq=freq, return_days=return_days).frame


def _period_metrics(prep: Prepared, bounds: pd.DatetimeIndex, periods: Sequence[PeriodLevels], *, trend_periods: int = 3,
                    freq: str | None = None, return_days: float | None = None) -> _Columns:
    """The columns of :func:`period_metrics` (its frame built when asked for)."""
    log_day = (prep.start[0] // DAY_NS) * DAY_NS if len(prep.start) else None
    coverage, nominal_end = period_coverage(bounds, freq, None if log_day is None else pd.Timestamp(int(log_day), tz="UTC"))
    n_periods = len(periods)
    members_mask = ~prep.is_outsider
    seen_first = prep.first_seen.copy()
    if prep.has_joined:
        listed = prep.members["listed"].to_numpy(dtype=bool)
        use = listed & (prep.joined != np.iinfo(np.int64).min)
        seen_first = np.where(use, np.minimum(prep.joined, np.where(seen_first == np.iinfo(np.int64).min, np.iinfo(np.int64).max, seen_first)), seen_first)
    log_start = prep.start[0] if len(prep.start) else 0
    ns = [int(v) for v in bounds.as_unit("ns").asi8]  # (not one Timestamp lookup per use)
    sums = _period_sums(prep, periods, ns, members_mask)
    events = _period_events(prep, periods, ns)
    # the per-person tests of every period at once (periods x people; counts of booleans are exact in any order)
    part = np.array(sums.part).reshape(n_periods, prep.n)
    edges = np.array(ns[:n_periods + 1], dtype=np.int64)
    active = (part > 0) & members_mask
    new = active & (seen_first >= edges[:-1, None]) & (seen_first < edges[1:, None])
    core = np.array([p.column("level", object) for p in periods], dtype=object).reshape(n_periods, prep.n) == "core"
    core &= np.array([p.column("current", bool) for p in periods], dtype=bool).reshape(n_periods, prep.n)
    in_window = (np.array([p.column("participations") for p in periods]).reshape(n_periods, prep.n) > 0) & members_mask
    n_active, n_new, n_core = active.sum(axis=1), new.sum(axis=1), core.sum(axis=1)
    kept, stayed = active[:-1].sum(axis=1), (active[1:] & active[:-1]).sum(axis=1)
    either, both = (core[1:] | core[:-1]).sum(axis=1), (core[1:] & core[:-1]).sum(axis=1)
    cols_of: dict[str, list[Any]] = {c: [] for c in ("newcomer_share", "newcomer_activity_share", "retention", "window_activity",
                                                     "core_stability")}
    trailing_rows: list[bool] = []
    for i, period in enumerate(periods):
        ps, act = ns[i], sums.activity[i]
        # without joining dates, "first seen" only means "new" once a full period's length of data precedes
        # the period (the first period, and the one after a leading partial period, are censored)
        observed_before = ps - (log_day if log_day is not None else log_start)
        needed = nominal_end[i] - ps if return_days is None or not np.isfinite(return_days) else min(nominal_end[i] - ps, return_days * DAY_NS)
        censored = not prep.has_joined and (ps <= log_start or observed_before < needed)
        trailing = i == n_periods - 1 and i > 0 and coverage[i] < 1.0
        retention = float("nan") if i == 0 or kept[i - 1] == 0 else float(stayed[i - 1] / kept[i - 1])
        window_activity = float(period.column("intensity_raw")[members_mask].sum())
        wlo, whi = period.lo, period.hi
        if trailing and whi > wlo:
            # a rate: the window's activity per observed day, over the window's nominal length
            window_activity *= (nominal_end[i] - wlo) / (whi - wlo)
        cols_of["newcomer_share"].append(float("nan") if censored or n_active[i] == 0 else int(n_new[i]) / int(n_active[i]))
        cols_of["newcomer_activity_share"].append(float("nan") if censored or act <= 0
                                                  else float(sums.per_member[i][new[i]].sum() / act))
        cols_of["retention"].append(float("nan") if trailing else retention)  # a partial period's retention is not compared
        cols_of["window_activity"].append(window_activity)
        cols_of["core_stability"].append(float("nan") if i == 0 or either[i - 1] == 0 else float(both[i - 1] / either[i - 1]))
        trailing_rows.append(trailing)
    base = {
        "period": bounds[:n_periods], "active_members": n_active, "members_in_window": in_window.sum(axis=1), "newcomers": n_new,
        "newcomer_share": cols_of["newcomer_share"], "newcomer_activity_share": cols_of["newcomer_activity_share"],
        "retention": cols_of["retention"], "activity": sums.activity, "window_activity": cols_of["window_activity"],
        "largest_component_share": [p.largest_component_share for p in periods], "clustering": [p.clustering for p in periods],
        "density": [p.density for p in periods], "core_size": n_core, "core_stability": cols_of["core_stability"],
        "rhythm_cv": events.rhythm_cv, "events": events.days, "coverage": coverage[:n_periods], "partial": coverage[:n_periods] < 1.0,
    }
    cols = ["period", "active_members", "members_in_window", "newcomers", "newcomer_share", "newcomer_activity_share", "retention", "activity",
            "window_activity", "largest_component_share", "clustering", "density", "core_size", "core_stability",
            "rhythm_cv", "events", "coverage", "partial"]
    # the nominal period length (not the median of these bounds, which moves as periods are added)
    if freq is not None:
        period_days = nominal_period_days(freq)
    else:
        period_days = float(np.median(np.diff(bounds.as_unit("ns").asi8))) / DAY_NS if len(bounds) > 1 else 30.0
    span = REFERENCE_RULE["trend_returns"] * return_days if return_days is not None and np.isfinite(return_days) else 0.0
    # the whole number of periods nearest to the span (at least one)
    smooth = int(max(1, np.round(span / max(period_days, 1.0))))
    horizon = max(REFERENCE_RULE["min_periods"], int(round(REFERENCE_RULE["horizon_days"] / max(period_days, 1.0))))
    trailing = np.array(trailing_rows, dtype=bool)
    if n_periods:
        # the period columns and those against the trajectory (one frame when built, not a frame, its reads and a join)
        return _Columns.of({**base, **_trajectory_columns(base, trailing, trend_periods, min(smooth, 6), horizon)}, n_periods)
    out = _against_trajectory(pd.DataFrame([], columns=cols), trailing, trend_periods, smooth=min(smooth, 6), horizon=horizon)
    out["partial"] = out["partial"].astype(bool)
    return _Columns(out)


class _PeriodSums(NamedTuple):
    """Each period's participations and kind-weighted activity per person (:func:`_period_sums`), and its members' activity."""

    part: list[np.ndarray]
    per_member: list[np.ndarray]
    activity: list[float]


def _period_sums(prep: Prepared, periods: Sequence[PeriodLevels], ns: list[int], members_mask: np.ndarray) -> _PeriodSums:
    """The sums of :func:`period_metrics` over each period's own activities (``ns``: the bounds' nanoseconds)."""
    out = _PeriodSums([], [], [])
    for i, period in enumerate(periods):
        ps, pe = ns[i], ns[i + 1]
        c = prep.incidence.columns(ps, pe)
        given = period.arrays.get("period_sums") if period.arrays is not None else None
        if given is not None and given[0] == (ps, pe):
            # the period's own participations and weighted activity per person, computed for several
            # communities at once (cop.network.stacked: the same sums over the same columns in the same order)
            part, per_member = given[1], given[2]
            act = float(per_member[members_mask].sum()) if c.stop > c.start else 0.0
        elif c.stop > c.start:
            part = np.asarray(prep.Bbin[:, c] @ np.ones(c.stop - c.start)).ravel()
            per_member = np.asarray(prep.B[:, c] @ prep.intensity_weight[c]).ravel()
            act = float(per_member[members_mask].sum())
        else:
            part = np.zeros(prep.n)
            per_member = np.zeros(prep.n)
            act = 0.0
        out.part.append(part)
        out.per_member.append(per_member)
        out.activity.append(act)
    return out


class _PeriodEvents(NamedTuple):
    """Each period's :func:`rhythm_cv` (of its rolling window's events) and distinct event days (of its own)."""

    rhythm_cv: list[float]
    days: np.ndarray


def _period_events(prep: Prepared, periods: Sequence[PeriodLevels], ns: list[int]) -> _PeriodEvents:
    """The events columns of :func:`period_metrics`, from one selection of the log's events.

    The activities are in time order, so the events of a block of columns are a block of the events
    (found by counting the events before each column) and their distinct days are one more than the
    changes of day within the block.
    """
    ev = prep.start[prep.is_event]
    before = np.concatenate(([0], np.cumsum(prep.is_event)))  # events among the first k activities
    day = ev // DAY_NS
    changes = np.concatenate(([0], np.cumsum(day[1:] != day[:-1])))  # each event's place among the distinct days
    distinct = day[np.r_[True, day[1:] != day[:-1]]] if len(day) else day
    n = len(periods)
    # the events of each rolling window and of each period: blocks of the events, as Incidence.columns finds them
    start = prep.incidence.start
    lo = np.searchsorted(start, np.array([p.lo for p in periods] + ns[:n], dtype=np.int64), "left")
    hi = np.maximum(lo, np.searchsorted(start, np.array([p.hi for p in periods] + ns[1:n + 1], dtype=np.int64), "left"))
    e0, e1 = before[lo].tolist(), before[hi].tolist()
    ch = changes.tolist()
    # a window's distinct event days are a block of the log's (the events are in time order): np.unique of its days
    cv = [_days_cv(distinct[ch[a]:ch[b - 1] + 1]) if b > a else float("nan") for a, b in zip(e0[:n], e1[:n])]
    days = [ch[b - 1] - ch[a] + 1 if b > a else 0 for a, b in zip(e0[n:], e1[n:])]
    return _PeriodEvents(cv, np.array(days, dtype=np.int64))


def _shift(x: np.ndarray, k: int, fill: float = np.nan) -> np.ndarray:
    """``x`` moved ``k`` places later (``Series.shift``), ``fill`` at the start."""
    out = np.full(len(x), fill, dtype=np.float64)
    if k < len(x):
        out[k:] = x[:len(x) - k]
    return out


def _cummax(x: np.ndarray) -> np.ndarray:
    """The running maximum skipping NaN, NaN where ``x`` is NaN (``Series.cummax``)."""
    nan = np.isnan(x)
    run = np.fmax.accumulate(np.where(nan, -np.inf, x)) if len(x) else x.copy()
    run = np.where(np.isneginf(run), np.nan, run)
    return np.where(nan, np.nan, run)


def _ffill(x: np.ndarray) -> np.ndarray:
    """NaN replaced by the last value before it (``Series.ffill``)."""
    ok = ~np.isnan(x)
    idx = np.where(ok, np.arange(len(x)), 0)
    np.maximum.accumulate(idx, out=idx)
    out = x[idx] if len(x) else x.copy()
    return np.where(ok | (np.cumsum(ok) > 0), out, np.nan)


def _rolling_order(x: np.ndarray, window: int, min_periods: int, stat: str, q: float = 0.5) -> np.ndarray:
    """:func:`_rolling` of ``np.max`` (``stat="max"``), ``np.median`` (``"median"``) or the k-th highest value of
    :func:`_high_level` (``"high"``, quantile ``q``), for all windows at once: each window's values sorted side by
    side (missing last), the statistic picked by position.

    The same figures as calling the function on each window: a maximum and a k-th highest are values of the
    window, and a median the middle value or ``(a + b) / 2`` of the middle two, the arithmetic ``np.median`` does.
    """
    n = len(x)
    out = np.full(n, np.nan)
    if n == 0:
        return out
    w = max(1, min(int(window), n))
    pos = np.arange(n)[:, None] + np.arange(1 - w, 1)[None, :]
    vals = np.sort(np.where(pos >= 0, x[np.maximum(pos, 0)], np.nan), axis=1)
    count = (~np.isnan(vals)).sum(axis=1)
    ok = count >= max(min_periods, 1)
    rows, c = np.flatnonzero(ok), count[ok]
    if stat == "max":
        out[rows] = vals[rows, c - 1]
    elif stat == "median":
        lo, hi = vals[rows, (c - 1) // 2], vals[rows, c // 2]
        out[rows] = np.where(c % 2 == 1, lo, (lo + hi) / 2.0)
    else:
        k = 1 + np.floor((1.0 - q) * (c - 1)).astype(np.int64)
        out[rows] = vals[rows, c - k]
    return out


def _rolling(x: np.ndarray, window: int, min_periods: int, func: Any) -> np.ndarray:
    """``func`` of the non-NaN values of each trailing window of ``window`` values, NaN below ``min_periods`` of them
    (``Series.rolling(window, min_periods).agg``, on the few dozen periods of a timeline)."""
    out = np.full(len(x), np.nan)
    for i in range(len(x)):
        v = x[max(0, i - window + 1):i + 1]
        v = v[~np.isnan(v)]
        if len(v) >= max(min_periods, 1):
            out[i] = func(v)
    return out


def _rolling_mean(x: np.ndarray, window: int, min_periods: int = 1) -> np.ndarray:
    """``Series.rolling(window, min_periods).mean()``, by pandas itself (its running, compensated sum is
    the timeline's figure to the last bit; the other windows here are exact in numpy)."""
    return pd.Series(x).rolling(window, min_periods=min_periods).mean().to_numpy(dtype=np.float64)


def _div(a: np.ndarray, b: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """``a / b`` where ``ok`` (and ``b > 0`` there), else NaN."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, a / np.where(b > 0, b, 1.0), np.nan)


def _against_trajectory(out: pd.DataFrame, trailing: np.ndarray, trend_periods: int, smooth: int = 1, horizon: int = 36) -> pd.DataFrame:
    """Add the columns that compare each period with the community's own trajectory (peaks, trends, quiet runs).

    Peaks, trends and run lengths are taken over complete periods only; a trailing partial period
    (``trailing``, whose retention is already NaN) is compared with the peak so far but never moves it.  The new
    columns are computed on numpy arrays and joined once (pandas' rolling windows, shifts and inserts
    each cost more than their arithmetic on a few dozen periods, and a network diagnoses many
    communities).
    """
    if len(out):
        new = _trajectory_columns(out, trailing, trend_periods, smooth, horizon)
        out = pd.concat([out, pd.DataFrame(new, index=out.index)], axis=1)
    else:
        out["activity_vs_peak"] = pd.Series(dtype=float)
        out["growth"] = pd.Series(dtype=float)
        out["members_vs_peak"] = pd.Series(dtype=float)
        out["sustained_activity_vs_peak"] = pd.Series(dtype=float)
        for c in _REFERENCE_COLUMNS:
            out[c] = pd.Series(dtype=float)
        out["quiet_periods"] = pd.Series(dtype=np.int64)
    return out


def _trajectory_columns(out: Any, trailing: np.ndarray, trend_periods: int, smooth: int, horizon: int) -> dict[str, Any]:
    """The columns :func:`_against_trajectory` adds, from ``out``'s columns (a frame, or the lists a frame is built
    from: :func:`period_metrics` builds one frame of all its columns) of at least one period."""
    full = ~trailing
    new: dict[str, Any] = {}
    wa = np.asarray(out["window_activity"], dtype=np.float64)
    peak = _ffill(_cummax(np.where(full, wa, np.nan)))
    peak = np.maximum(np.nan_to_num(peak, nan=0.0), np.where(~full, wa, 0.0))
    new["activity_vs_peak"] = _div(wa, peak, peak > 0)
    w = np.asarray(out["members_in_window"], dtype=np.float64)
    before = _shift(w, trend_periods)
    pos = np.arange(len(w))
    before = np.where((pos > 0) & (pos < trend_periods), w[0], before)
    new["growth"] = np.where((before > 0) & full, _div(w, before, before > 0) - 1.0, np.nan)
    mpeak = _cummax(np.where(full, w, np.nan))
    new["members_vs_peak"] = _div(w, mpeak, (mpeak > 0) & full)
    _against_reference(out, full, smooth, horizon, new)
    k = 3  # informational since issue 10: the rules read sustained_activity_vs_reference
    new["sustained_activity_vs_peak"] = _rolling_order(np.where(full, new["activity_vs_peak"], np.nan), k, k, "max")
    with np.errstate(invalid="ignore"):
        quiet = ((new["activity_vs_reference"] < MEMORABLE_RULE["quiet_below"]) & (new["reference_activity"] > 0))[full]
    # the length of the run of quiet complete periods ending at each one; a trailing period carries the last
    run = np.zeros(len(quiet), dtype=np.int64)
    for i, q in enumerate(quiet):
        run[i] = run[i - 1] + 1 if q and i > 0 else int(q)
    at = np.cumsum(full) - 1  # the last complete period at or before each row
    new["quiet_periods"] = np.where(at >= 0, run[np.maximum(at, 0)] if len(run) else 0, 0).astype(np.int64)
    return new


_REFERENCE_COLUMNS = ("trend_periods", "activity_level", "reference_activity", "activity_vs_reference", "activity_growth",
                      "reference_members", "members_vs_reference", "retention_baseline", "retention_vs_baseline",
                      "sustained_activity_vs_reference", "complete_before", "age_days")


def _high_level(values: np.ndarray, q: float) -> float:
    """The k-th highest of ``values`` (NaN ignored), ``k = 1 + floor((1 - q) (n - 1))``: the top while few periods are known."""
    v = values[~np.isnan(values)]
    if not len(v):
        return float("nan")
    k = 1 + int(np.floor((1.0 - q) * (len(v) - 1)))
    return float(np.sort(v)[-k])


def _against_reference(out: pd.DataFrame, full: np.ndarray, smooth: int, horizon: int, new: dict[str, Any]) -> None:
    """The columns against the community's own trailing reference (see :data:`REFERENCE_RULE`).

    ``activity_level`` is the period's activity per nominal period (a partial period's scaled up by its
    coverage), averaged over the last ``smooth`` periods (the return time); ``reference_activity`` its
    high quantile over the last ``horizon`` complete periods; likewise ``reference_members`` for the
    active members; ``retention_baseline`` is the median retention of the ``horizon`` complete periods
    before this one.  The columns go into ``new`` (joined by the caller).
    """
    r = REFERENCE_RULE
    q, mp = float(r["quantile"]), int(r["min_periods"])
    coverage = np.asarray(out["coverage"], dtype=np.float64)
    cov = np.where(np.isnan(coverage), np.nan, np.maximum(coverage, 0.05))
    with np.errstate(invalid="ignore", divide="ignore"):
        per = np.asarray(out["activity"], dtype=np.float64) / cov
    level = _rolling_mean(np.where(full, per, np.nan), smooth)
    members = _rolling_mean(np.where(full, np.asarray(out["active_members"], dtype=np.float64), np.nan), smooth)
    ref = _ffill(_rolling_order(level, horizon, 1, "high", q))
    mref = _ffill(_rolling_order(members, horizon, 1, "high", q))
    lvl_all = np.where(full, level, _rolling_mean(per, smooth))
    new["trend_periods"] = smooth
    new["activity_level"] = lvl_all
    new["reference_activity"] = ref
    new["activity_vs_reference"] = _div(lvl_all, ref, ref > 0)
    before = _shift(level, smooth)
    new["activity_growth"] = np.where((before > 0) & full, _div(level, before, before > 0) - 1.0, np.nan)
    new["reference_members"] = mref
    new["members_vs_reference"] = _div(members, mref, (mref > 0) & full)
    ret = np.where(full, np.asarray(out["retention"], dtype=np.float64), np.nan)
    base = _rolling_order(_shift(ret, 1), horizon, mp, "median")
    new["retention_baseline"] = base
    new["retention_vs_baseline"] = _div(ret, base, base > 0)
    k = int(DISPERSAL_RULE["sustained"])
    new["sustained_activity_vs_reference"] = _rolling_order(np.where(full, new["activity_vs_reference"], np.nan), k, k, "max")
    new["complete_before"] = _shift(np.cumsum(full.astype(np.int64)).astype(np.float64), 1, 0.0).astype(np.int64)
    t = pd.to_datetime(out["period"]).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    new["age_days"] = ((t - t[0]) // DAY_NS).astype(np.float64) + coverage[0] * 0


def _ramp(x: np.ndarray, direction: str, lo: float, hi: float) -> np.ndarray:
    up = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return up if direction == "up" else 1.0 - up


class _Columns:
    """A metrics frame whose columns are each read once (:func:`build_timeline` reads some of them a dozen times
    over, and a column read costs more than the arithmetic on a few dozen periods).

    Takes the frame's place in :func:`_col` and the functions built on it (:func:`phase_scores`,
    :func:`phase_support`, :func:`launch`, :func:`sustained_decline`); the arrays handed out are shared,
    never written.  :meth:`of` holds the columns :func:`period_metrics` builds its frame from, the frame
    built only when asked for (:func:`period_timeline` builds the timeline from the columns).
    """

    def __init__(self, frame: pd.DataFrame | None, source: dict[str, Any] | None = None, n: int = 0) -> None:
        self._frame, self.source = frame, source
        self.columns = frame.columns if frame is not None else pd.Index(list(source or ()))
        self.index = frame.index if frame is not None else pd.RangeIndex(n)
        self._series: dict[str, pd.Series] = {}
        self._floats: dict[str, np.ndarray] = {}
        self.memo: dict[str, Any] = {}  # rule values read by several functions (:func:`_memo`)

    @classmethod
    def of(cls, columns: dict[str, Any], n: int) -> _Columns:
        """The metrics of ``n`` periods as ``columns`` (arrays, lists or scalars, as :func:`_metrics_frame` builds the frame)."""
        return cls(None, columns, n)

    @property
    def frame(self) -> pd.DataFrame:
        """The metrics frame."""
        if self._frame is None:
            self._frame = _metrics_frame(self.source)
        return self._frame

    def __len__(self) -> int:
        return len(self.index)

    def series(self, c: str) -> pd.Series:
        """The column ``c``."""
        got = self._series.get(c)
        if got is None:
            got = self._series[c] = self.frame[c] if self.source is None else pd.Series(self._values(c), name=c)
        return got

    def floats(self, c: str) -> np.ndarray:
        """The column ``c`` as float64 (as ``frame[c].to_numpy(dtype=np.float64)``)."""
        got = self._floats.get(c)
        if got is None:
            v = np.asarray(self._values(c)) if self.source is not None else None
            numeric = v is not None and v.dtype.kind in "biuf"
            got = self._floats[c] = v.astype(np.float64, copy=False) if numeric else self.series(c).to_numpy(dtype=np.float64)
        return got

    def head_list(self, c: str, n: int) -> list[Any]:
        """The first ``n`` values of the column ``c`` as Python scalars (as ``series(c).iloc[:n].tolist()``)."""
        if self.source is not None:
            v = np.asarray(self._values(c))
            if v.dtype.kind in "biuf":  # (a numeric column's values are what its Series holds)
                return v[:n].tolist()
        return self.series(c).iloc[:n].tolist()

    def _values(self, c: str) -> Any:
        """The column ``c`` of :attr:`source`, a scalar repeated on every row (as the frame broadcasts it)."""
        v = self.source[c]
        return np.full(len(self.index), v) if np.ndim(v) == 0 else v


def _metrics_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """The frame of :func:`period_metrics` from its columns."""
    out = pd.DataFrame(columns)
    out["partial"] = out["partial"].astype(bool)
    return out


def _memo(metrics: pd.DataFrame | _Columns, key: str, f: Callable[[], Any]) -> Any:
    """``f()``, computed once per :class:`_Columns` (:func:`build_timeline` reads the memberships, the launch and
    the sustained decline in three places; the values handed out are shared, never written)."""
    if not isinstance(metrics, _Columns):
        return f()
    got = metrics.memo.get(key)
    if got is None:
        got = metrics.memo[key] = f()
    return got


def _col(metrics: pd.DataFrame | _Columns, c: str, default: float = np.nan) -> np.ndarray:
    if isinstance(metrics, _Columns):
        return metrics.floats(c) if c in metrics.columns else np.full(len(metrics), default)
    return metrics[c].to_numpy(dtype=np.float64) if c in metrics.columns else np.full(len(metrics), default)


def sustained_decline(metrics: pd.DataFrame) -> np.ndarray:
    """Strength in [0, 1] of a sustained decline per period (:data:`DISPERSAL_RULE`, see the module documentation).

    Examples
    --------
    >>> m = pd.DataFrame({"sustained_activity_vs_reference": [0.9, 0.375, 0.2, 0.2], "members_vs_reference": [1.0, 0.5, 1.0, 0.4],
    ...                   "growth": [0.0, -0.1, 0.0, -0.1]})
    >>> sustained_decline(m).round(2).tolist()   # no dip; half-way down with members gone; deep, nobody left; both
    [0.0, 0.71, 0.0, 1.0]
    """
    return _memo(metrics, "sustained_decline", lambda: _sustained_decline(metrics))


def _sustained_decline(metrics: pd.DataFrame | _Columns) -> np.ndarray:
    r = DISPERSAL_RULE
    depth = np.nan_to_num(_ramp(_col(metrics, "sustained_activity_vs_reference"), "down", *r["activity_vs_reference"]), nan=0.0)
    return np.sqrt(depth * _shrinking(metrics))


def _shrinking(metrics: pd.DataFrame) -> np.ndarray:
    """How clearly membership shrinks, in [0, 1] (:data:`DISPERSAL_RULE`): the stronger of the two member ramps."""
    r = DISPERSAL_RULE
    return np.nan_to_num(np.fmax(_ramp(_col(metrics, "members_vs_reference"), "down", *r["members_vs_reference"]),
                                 _ramp(_col(metrics, "growth"), "down", *r["growth"])), nan=0.0)


def _floor(metrics: pd.DataFrame) -> np.ndarray:
    """The activity floor of ``active`` in [0, 1] (:data:`ACTIVE_FLOOR`); 1 where activity is unknown."""
    return np.nan_to_num(_ramp(_col(metrics, "activity_vs_reference"), "up", *ACTIVE_FLOOR["activity_vs_reference"]), nan=1.0)


def launch(metrics: pd.DataFrame) -> np.ndarray:
    """Strength in [0, 1] of a launch per period (:data:`LAUNCH_RULE`): most activity by newcomers and growing fast.

    Examples
    --------
    >>> m = pd.DataFrame({"newcomer_activity_share": [0.7, 0.7, 0.2, 0.7], "activity_growth": [2.0, 0.0, 2.0, 2.0],
    ...                   "activity_vs_reference": [1.1, 1.0, 1.0, 0.2]})
    >>> launch(m).tolist()   # new, growing, at a new high; new but flat; growing with the old members; far below its level
    [1.0, 0.0, 0.0, 0.0]
    """
    return _memo(metrics, "launch", lambda: _launch(metrics))


def _launch(metrics: pd.DataFrame | _Columns) -> np.ndarray:
    r = LAUNCH_RULE
    newness = np.nan_to_num(_ramp(_col(metrics, "newcomer_activity_share"), "up", *r["newcomer_activity_share"]), nan=0.0)
    growth = np.nan_to_num(_ramp(_col(metrics, "activity_growth"), "up", *r["activity_growth"]), nan=0.0)
    high = np.nan_to_num(_ramp(_col(metrics, "activity_vs_reference"), "up", *r["activity_vs_reference"]), nan=1.0)
    young = np.nan_to_num(_ramp(_col(metrics, "age_days"), "down", *r["age_days"]), nan=1.0)
    return np.sqrt(newness * growth) * high * young


def _memberships(metrics: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per phase of :data:`PHASE_RULES`: the memberships of its indicators, one row per rule (NaN where unknown)."""
    return _memo(metrics, "memberships", lambda: _memberships_of(metrics))


def _memberships_of(metrics: pd.DataFrame | _Columns) -> dict[str, np.ndarray]:
    out = {}
    for phase, rules in PHASE_RULES.items():
        parts = [_ramp(_col(metrics, c), direction, lo, hi) for c, direction, lo, hi in rules]
        out[phase] = np.vstack(parts) if parts else np.zeros((1, len(metrics)))
    return out


def phase_scores(metrics: pd.DataFrame, quiet_periods: int = MEMORABLE_RULE["quiet_periods"]) -> pd.DataFrame:
    """Score of each phase (columns :data:`PHASES`) per period, from :func:`period_metrics`.

    Examples
    --------
    >>> m = pd.DataFrame({"activity_vs_reference": [1.0], "retention_vs_baseline": [1.0], "core_stability": [0.9],
    ...     "largest_component_share": [0.95], "growth": [0.0], "rhythm_cv": [0.3], "newcomer_activity_share": [0.05],
    ...     "core_size": [10], "members_in_window": [50], "quiet_periods": [0]})
    >>> phase_scores(m).iloc[0].idxmax()
    'active'
    """
    # (arrays gathered, one frame: a column insert costs more than the arithmetic on a few dozen periods)
    return pd.DataFrame(_phase_score_arrays(metrics, quiet_periods), index=metrics.index)


def _phase_score_arrays(metrics: pd.DataFrame | _Columns, quiet_periods: int) -> dict[str, np.ndarray]:
    """The columns of :func:`phase_scores`, in :data:`PHASES` order."""
    out: dict[str, np.ndarray] = {}
    for phase, stack in _memberships(metrics).items():
        # a missing indicator counts as neutral (0.5): a rule backed by one indicator must not beat
        # a rule backed by many just because the others are unknown yet
        out[phase] = np.where(np.isnan(stack), 0.5, stack).mean(axis=0) if len(metrics) else np.array([])
    decline = sustained_decline(metrics)
    start = launch(metrics)
    out["dispersed"] = np.maximum(np.asarray(out["dispersed"], dtype=np.float64), decline)
    out["coalescing"] = np.maximum(np.asarray(out["coalescing"], dtype=np.float64), start)
    act = np.asarray(out["active"], dtype=np.float64)
    act = act * (1.0 - DISPERSAL_RULE["active_discount"] * decline) * (1.0 - LAUNCH_RULE["active_discount"] * start)
    act = act * (1.0 - (1.0 - _floor(metrics)) * _shrinking(metrics))
    out["active"] = act
    q = _col(metrics, "quiet_periods", 0.0)
    avr = _col(metrics, "activity_vs_reference", np.nan)
    memorable = (q >= quiet_periods) * _ramp(np.nan_to_num(avr, nan=0.0), "down", MEMORABLE_RULE["quiet_below"],
                                             MEMORABLE_RULE["fade_above"])
    out["memorable"] = memorable
    # an ended community is not "potential" again, nor dispersed forever
    ended = memorable >= 1
    for p in ("potential", "coalescing", "active", "dispersed"):
        out[p] = np.asarray(out[p], dtype=np.float64).copy()
        out[p][ended] *= 0.5
    return {p: out[p] for p in PHASES}


def phase_support(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per period and phase, the share in [0, 1] of the phase's known signals that point to it (membership >= 0.5).

    A phase carried by a decisive rule (sustained decline, launch, memorable quiet) counts that rule's
    strength as its support; where no signal is known the support is 0.5 (no evidence either way).
    Disagreeing signals make the support, and so the confidence, fall.

    Examples
    --------
    >>> m = pd.DataFrame({"activity_vs_reference": [1.0, 1.0], "retention_vs_baseline": [1.0, 0.2]})
    >>> phase_support(m)["active"].round(2).tolist()
    [1.0, 0.5]
    """
    # (arrays gathered, one frame, as in phase_scores)
    return pd.DataFrame(_phase_support_arrays(metrics), index=metrics.index)


def _phase_support_arrays(metrics: pd.DataFrame | _Columns) -> dict[str, np.ndarray]:
    """The columns of :func:`phase_support`, in :data:`PHASES` order."""
    out: dict[str, np.ndarray] = {}
    for phase, stack in _memberships(metrics).items():
        known = (~np.isnan(stack)).sum(axis=0)
        agree = np.where(np.isnan(stack), 0.0, stack >= 0.5).sum(axis=0)
        out[phase] = np.where(known > 0, agree / np.maximum(known, 1), 0.5).astype(np.float64)
    out["dispersed"] = np.maximum(out["dispersed"], sustained_decline(metrics))
    out["coalescing"] = np.maximum(out["coalescing"], launch(metrics))
    q = _col(metrics, "quiet_periods", 0.0)
    out["memorable"] = np.where(q >= MEMORABLE_RULE["quiet_periods"], 1.0, 0.0)
    return {p: out[p] for p in PHASES}


def _thin(metrics: pd.DataFrame) -> np.ndarray:
    """Confidence factor in [0.5, 1] for thin data (:data:`THIN_DATA`)."""
    m = np.nan_to_num(_col(metrics, "members_in_window", np.inf), nan=np.inf)
    p = np.nan_to_num(_col(metrics, "complete_before", np.inf), nan=np.inf)
    fm = np.clip(m / THIN_DATA["members"], 0.0, 1.0)
    fp = np.clip(p / THIN_DATA["periods"], 0.0, 1.0)
    return 0.5 + 0.5 * np.minimum(fm, fp)


def _first_highest(s: list[float]) -> int:
    """The position of the first highest non-NaN value of ``s`` (0 when all are NaN), as ``argmax`` over the known ones."""
    b, top = 0, None
    for j, v in enumerate(s):
        if v == v and (top is None or v > top):
            b, top = j, v
    return b


def _clip01(x: float) -> float:
    """``float(np.clip(x, 0.0, 1.0))`` of a float, without a ufunc call per period (NaN and -0.0 kept, as there)."""
    if x != x:
        return x
    x = 0.0 if x < 0.0 else x
    return 1.0 if x > 1.0 else x


def smooth_phases(scores: pd.DataFrame, persistence: int = 2, margin: float = 0.3, support: pd.DataFrame | None = None,
                  thin: np.ndarray | None = None, decisive: pd.DataFrame | None = None) -> tuple[list[str], list[float]]:
    """Causal hysteresis over per-period phase scores; returns ``(phases, confidences)``.

    Confidence is the phase's score x its lead over the runner-up (:data:`CONFIDENCE_LEAD`), times
    ``0.5 + 0.5 x support`` (the share of its signals that agree, :func:`phase_support`) and the
    thin-data factor ``thin`` when given.  ``decisive`` (per phase, the strength of a decisive rule:
    launch, sustained decline, memorable quiet) switches at once to a phase whose decisive strength is
    at least :data:`DECISIVE` and which scores best.

    Examples
    --------
    >>> s = pd.DataFrame({"potential": [0.0] * 4, "coalescing": [0.0] * 4, "active": [0.8, 0.5, 0.8, 0.8],
    ...                   "dispersed": [0.2, 0.6, 0.2, 0.2], "memorable": [0.0] * 4})
    >>> smooth_phases(s)[0]   # a one-period dip does not flip the phase
    ['active', 'active', 'active', 'active']
    """
    cols = [str(c) for c in scores.columns]
    values = scores.to_numpy(dtype=np.float64, copy=True).reshape(len(scores), len(cols))
    dec = {c: decisive[c].to_numpy(dtype=np.float64) for c in decisive.columns} if decisive is not None else {}
    sup = {c: support[c].to_numpy() for c in support.columns} if support is not None else None
    return _smooth(values, cols, persistence, margin, sup, thin, dec)


def _smooth(values: np.ndarray, cols: list[str], persistence: int, margin: float, sup: dict[str, np.ndarray] | None,
            thin: np.ndarray | None, dec: dict[str, np.ndarray]) -> tuple[list[str], list[float]]:
    """:func:`smooth_phases` of the scores ``values`` (periods x ``cols``), the support and decisive strengths by phase."""
    # plain arrays, one row at a time (the rule is causal): the same result as Series arithmetic, without
    # its per-row cost, which dominates small communities diagnosed side by side (a network of spaces)
    if "potential" not in cols:  # set to -1 once left; until then no score (NaN is never best nor runner-up)
        cols = [*cols, "potential"]
        values = np.column_stack([values, np.full(len(values), np.nan)])
    at = {c: k for k, c in enumerate(cols)}
    phases: list[str] = []
    confs: list[float] = []
    current: str | None = None
    streak_phase, streak = None, 0
    left_potential = False
    for i, row in enumerate(values.tolist()):  # a handful of phases: Python floats, no array call per period
        s = row
        if left_potential:
            s[at["potential"]] = -1.0
        b = _first_highest(s)
        best, best_score = cols[b], float(s[b])
        if current is None:
            current = best
        elif best != current:
            streak = streak + 1 if streak_phase == best else 1
            streak_phase = best
            strong = best in dec and float(dec[best][i]) >= DECISIVE
            if streak >= persistence or best_score - float(s[at[current]]) >= margin or strong:
                current = best
                streak_phase, streak = None, 0
        else:
            streak_phase, streak = None, 0
        if current != "potential":
            left_potential = True
        own = max(float(s[at[current]]), 0.0)
        others = [v for j, v in enumerate(s) if j != at[current]]
        known = [v for v in others if v == v]
        runner = float(max(known)) if known else (np.nan if others else 0.0)
        conf = own * min(1.0, max(0.0, 0.5 + (own - runner) / CONFIDENCE_LEAD))
        if sup is not None:
            conf *= 0.5 + 0.5 * float(sup[current][i])
        if thin is not None:
            conf *= float(thin[i])
        phases.append(current)
        confs.append(round(_clip01(conf), 3))
    return phases, confs


def to_2002(phases: Sequence[str], metrics: pd.DataFrame) -> list[str]:
    """Map 1998 phases to the 2002 naming (see the module documentation).

    Examples
    --------
    >>> to_2002(["active", "active", "dispersed"], pd.DataFrame({"growth": [0.2, 0.0, -0.3], "newcomer_share": [0.1, 0.1, 0.0]}))
    ['maturing', 'stewardship', 'transformation']
    """
    growth = metrics["growth"].to_numpy(dtype=np.float64) if "growth" in metrics else np.zeros(len(phases))
    new = metrics["newcomer_share"].to_numpy(dtype=np.float64) if "newcomer_share" in metrics else np.zeros(len(phases))
    out = []
    for p, g, n in zip(phases, growth, new):
        if p == "active":
            maturing = np.nan_to_num(g) > MATURING_RULE["growth"] or np.nan_to_num(n) > MATURING_RULE["newcomer_share"]
            out.append("maturing" if maturing else "stewardship")
        elif p in ("dispersed", "memorable"):
            out.append("transformation")
        else:
            out.append(p)
    return out


def _fmt_pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _evidence(phase: str, row: Any) -> str:
    """The figures behind a period's phase, as plain clauses joined by ``"; "`` (see ``docs/lifecycle.md``); ``row`` maps columns to cells."""
    bits = []

    def has(c: str) -> bool:
        return c in row and pd.notna(row[c])
    span = int(row["trend_periods"]) if has("trend_periods") else 1
    over = "this period" if span == 1 else f"the last {span} periods"
    if has("activity_vs_reference"):
        bits.append(f"activity over {over} at {_fmt_pct(row['activity_vs_reference'])} of the community's own reference "
                    f"(its high level of the last three years)")
    elif phase in ("active", "dispersed", "memorable", "maturing", "stewardship", "transformation") and has("activity_vs_peak"):
        bits.append(f"activity at {_fmt_pct(row['activity_vs_peak'])} of its peak so far")
    if phase in ("coalescing", "potential", "maturing") and has("activity_growth"):
        bits.append(f"activity {'grew' if row['activity_growth'] >= 0 else 'fell'} {_fmt_pct(abs(row['activity_growth']))} "
                    f"on the previous {'period' if span == 1 else f'{span} periods'}")
    if has("growth"):
        bits.append(f"active membership {'grew' if row['growth'] >= 0 else 'shrank'} {_fmt_pct(abs(row['growth']))} over the last periods")
    if has("members_vs_reference") and phase in ("active", "dispersed", "memorable", "stewardship", "transformation"):
        bits.append(f"active members at {_fmt_pct(row['members_vs_reference'])} of their reference")
    if phase in ("coalescing", "potential", "maturing") and has("newcomer_share"):
        bits.append(f"{_fmt_pct(row['newcomer_share'])} of active members are newcomers")
    if phase in ("coalescing", "potential", "maturing") and has("newcomer_activity_share"):
        bits.append(f"newcomers did {_fmt_pct(row['newcomer_activity_share'])} of the activity")
    if has("retention"):
        base = (f" (its usual share is {_fmt_pct(row['retention_baseline'])})" if has("retention_baseline") else "")
        bits.append(f"{_fmt_pct(row['retention'])} of last period's active members came back{base}")
    if has("core_size"):
        stab = f", {_fmt_pct(row['core_stability'])} unchanged" if has("core_stability") else ""
        bits.append(f"a core of {int(row['core_size'])} members{stab}")
    if has("largest_component_share"):
        bits.append(f"{_fmt_pct(row['largest_component_share'])} of members in one connected network")
    if phase in ("dispersed", "transformation") and has("sustained_activity_vs_reference"):
        bits.append(f"activity at most {_fmt_pct(row['sustained_activity_vs_reference'])} of its reference for "
                    f"{DISPERSAL_RULE['sustained']} periods")
    if phase == "memorable" and has("quiet_periods"):
        bits.append(f"near-silent for {int(row['quiet_periods'])} periods")
    if has("rhythm_cv"):
        bits.append(f"event rhythm {'regular' if row['rhythm_cv'] < REGULAR_RHYTHM_CV else 'irregular'} "
                        f"(gaps between events vary by {row['rhythm_cv']:.0%} of their mean)")
    return "; ".join(bits)


#: The columns :func:`_evidence` reads.
_EVIDENCE_COLUMNS = ("trend_periods", "activity_vs_reference", "activity_vs_peak", "activity_growth", "growth",
                     "members_vs_reference", "newcomer_share", "newcomer_activity_share", "retention", "retention_baseline",
                     "core_size", "core_stability", "largest_component_share", "sustained_activity_vs_reference",
                     "quiet_periods", "rhythm_cv")


def _records(metrics: pd.DataFrame | _Columns, n: int) -> list[dict[str, Any]]:
    """The first ``n`` rows of the :data:`_EVIDENCE_COLUMNS` of ``metrics`` as dicts of Python scalars (as ``to_dict("records")``)."""
    get = metrics.head_list if isinstance(metrics, _Columns) else (lambda c, k: metrics[c].iloc[:k].tolist())
    cols = {c: get(c, n) for c in _EVIDENCE_COLUMNS if c in metrics.columns}
    return [{c: v[i] for c, v in cols.items()} for i in range(min(n, len(metrics)))]


def build_timeline(metrics: pd.DataFrame, *, persistence: int = 2, margin: float = 0.3, naming: str = "1998",
                   quiet_periods: int = MEMORABLE_RULE["quiet_periods"]) -> pd.DataFrame:
    """Add ``phase``, ``confidence``, ``evidence`` and the phase scores (``score_<phase>``) to a metrics frame."""
    # each column read once (the rules below are elementwise: a prefix's values are its own)
    return _timeline_of(_Columns(metrics), persistence=persistence, margin=margin, naming=naming, quiet_periods=quiet_periods)


def period_timeline(prep: Prepared, bounds: pd.DatetimeIndex, periods: Sequence[PeriodLevels], *, freq: str | None = None,
                    return_days: float | None = None, persistence: int = 2, margin: float = 0.3,
                    naming: str = "1998") -> pd.DataFrame:
    """:func:`build_timeline` of :func:`period_metrics`, the timeline built from the metrics' columns (not from their frame).

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> log = cop.load_example()
    >>> prep, bounds = Prepared(log), period_bounds(log, "QS")
    >>> periods = period_levels(prep, bounds, 90)
    >>> period_timeline(prep, bounds, periods, freq="QS").equals(build_timeline(period_metrics(prep, bounds, periods, freq="QS")))
    True
    """
    cols = _period_metrics(prep, bounds, periods, freq=freq, return_days=return_days)
    return _timeline_of(cols, persistence=persistence, margin=margin, naming=naming)


def _timeline_of(cols: _Columns, *, persistence: int, margin: float, naming: str,
                 quiet_periods: int = MEMORABLE_RULE["quiet_periods"]) -> pd.DataFrame:
    """:func:`build_timeline` of the metrics ``cols``."""
    check_naming(naming)
    scores = _phase_score_arrays(cols, quiet_periods)  # (the frames of phase_scores, phase_support and smooth_phases'
    n = len(cols)                                       # decisive rules as their arrays: the same values)
    # a trailing partial period takes no part in phase inference: it carries the last complete period's phase
    trailing = n > 1 and "partial" in cols.columns and bool(cols.series("partial").iloc[-1])
    n_in = n - 1 if trailing else n
    support = {p: v[:n_in] for p, v in _phase_support_arrays(cols).items()}
    thin = _thin(cols)[:n_in]
    q = _col(cols, "quiet_periods", 0.0)[:n_in]
    decisive = {"coalescing": np.asarray(launch(cols)[:n_in], dtype=np.float64),
                "dispersed": np.asarray(sustained_decline(cols)[:n_in], dtype=np.float64),
                "memorable": np.where(q >= quiet_periods, 1.0, 0.0)}
    inferred = np.column_stack([np.asarray(scores[p], dtype=np.float64)[:n_in] for p in PHASES]) if n_in else None
    phases, conf = _smooth(inferred, list(PHASES), persistence, margin, support, thin, decisive) if n_in else ([], [])
    if naming == "2002":
        phases = to_2002(phases, cols.frame.iloc[:len(phases)])
    # plain dicts of the rows (the clauses read a few cells of each; a row Series per period costs more)
    evidence = [_evidence(p, r) for p, r in zip(phases, _records(cols, len(phases)))]
    if trailing:
        prev = pd.Timestamp(cols.series("period").iloc[-2])
        cov = float(cols.series("coverage").iloc[-1]) if "coverage" in cols.columns else float("nan")
        note = (f"partial period ({_fmt_pct(cov)} of its length observed): its counts are not compared with full "
                f"periods, so the phase is carried over from the last complete period ({prev:%Y-%m-%d})")
        phases = phases + [phases[-1]]
        conf = conf + [conf[-1]]
        evidence.append(note + ("; " + evidence[-1] if evidence[-1] else ""))
    idx = cols.index
    head = {"phase": pd.Series(phases, index=idx, dtype=object), "confidence": pd.Series(conf, index=idx, dtype=np.float64),
            "evidence": pd.Series(evidence, index=idx, dtype=object)}
    tail = {f"score_{p}": (np.asarray(scores[p], dtype=np.float64) if n else np.array([])) for p in PHASES}
    if cols.source is not None:  # one frame of all the columns, in the order of the join below
        first, *rest = cols.source
        return _metrics_frame({first: cols.source[first], **head, **{c: cols.source[c] for c in rest}, **tail})
    # one join (as metrics.copy() with the columns inserted one by one: phase, confidence, evidence after the period)
    metrics = cols.frame
    return pd.concat([metrics.iloc[:, :1], pd.DataFrame(head, index=idx), metrics.iloc[:, 1:], pd.DataFrame(tail, index=idx)], axis=1)


def lifecycle(log: ActivityLog, freq: str = "MS", *, as_of: Any = None, lookback: int | None = None, naming: str = "1998",
              persistence: int = 2, margin: float = 0.3) -> pd.DataFrame:
    """The life-cycle timeline of a log: one row per period with phase, confidence, evidence and indicators.

    Examples
    --------
    >>> import cop
    >>> tl = lifecycle(cop.load_example(), "QS", naming="2002")
    >>> set(tl["phase"]) <= set(PHASES_2002)
    True
    """
    prep = Prepared(log)
    ts = timescale(prep, None if lookback is None else check_lookback(lookback))
    bounds = period_bounds(log, freq, as_of)
    return period_timeline(prep, bounds, period_levels(prep, bounds, ts.lookback), freq=freq, return_days=ts.return_days,
                           persistence=persistence, margin=margin, naming=naming)
