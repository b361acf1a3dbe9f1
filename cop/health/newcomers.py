"""Newcomer integration: time to first tie, and the share of newcomers tied within :data:`FIRST_TIE_DAYS` days.

References: coworking interviews and the example data — introductions in the
first weeks make newcomers stay; Lave & Wenger (1991) legitimate peripheral
participation.  A *first tie* is the first non-presence activity shared with
at most ``small_group`` (default 10) people: a 1:1 introduction, a thread, a
small meeting, a collaboration (large events and co-presence do not count).
*Newcomers* are members first seen in the :data:`COHORT_DAYS` days that end
:data:`FIRST_TIE_DAYS` days before ``as_of`` (so each has been observed for at
least that long: 425 to 60 days before ``as_of`` by default).  The ranges are
declared with each indicator (see ``docs/indicators.md``).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> 0 <= newcomers_with_tie_share(HealthContext.from_log(cop.load_example())).value <= 1
True
"""

from __future__ import annotations

import numpy as np

from cop.health._base import YEAR_DAYS, HealthContext, number_word
from cop.health.declaration import Reading, indicator, not_available
from cop.health.requirements import requirement
from cop.kernel import DAY_NS

__all__ = ["first_tie_days", "newcomer_mask", "time_to_first_tie", "newcomers_with_tie_share", "FIRST_TIE_DAYS",
           "COHORT_DAYS", "MIN_NEWCOMERS"]

_P = "newcomer_integration"
_SOURCE = "coworking interviews (introductions in the first weeks make newcomers stay); Lave & Wenger (1991)"
#: Days a newcomer has to form a first tie; newcomers are first seen at least this long before ``as_of``.
FIRST_TIE_DAYS = 60
#: Days of first appearances that make the newcomer cohort (ending :data:`FIRST_TIE_DAYS` before ``as_of``).
COHORT_DAYS = YEAR_DAYS
#: Fewest newcomers in the cohort for the newcomer indicators to be measured.
MIN_NEWCOMERS = 3


def newcomer_mask(ctx: HealthContext) -> np.ndarray:
    """Members first seen between ``COHORT_DAYS + FIRST_TIE_DAYS`` and ``FIRST_TIE_DAYS`` days before ``as_of``."""
    p = ctx.prep
    end = ctx.hi - FIRST_TIE_DAYS * DAY_NS
    return p.is_member & (p.first_seen >= end - COHORT_DAYS * DAY_NS) & (p.first_seen < end)


@requirement("newcomers", f"fewer than {number_word(MIN_NEWCOMERS)} newcomers in the year before the last "
                          f"{FIRST_TIE_DAYS} days")
def _enough_newcomers(ctx: HealthContext) -> bool:
    return int(newcomer_mask(ctx).sum()) >= MIN_NEWCOMERS


def first_tie_days(ctx: HealthContext) -> tuple[np.ndarray, np.ndarray]:
    """``(newcomer indices, days from first participation to first tie)`` (inf: none before ``as_of``)."""
    p = ctx.prep
    idx = np.flatnonzero(newcomer_mask(ctx))
    qual = np.flatnonzero((~p.is_presence) & (p.size >= 2) & (p.size <= p.small_group) & (p.start < ctx.hi))
    days = np.full(len(idx), np.inf)
    if len(idx) and len(qual):
        q = p.Bbin[:, qual].tocsr()[idx]
        q.sort_indices()
        has = np.diff(q.indptr) > 0
        first_col = qual[q.indices[q.indptr[:-1][has]]]
        days[has] = np.maximum(0, (p.start[first_col] - p.first_seen[idx][has])) / DAY_NS
    return idx, days


@indicator(principle=_P, unit="days", healthy=(-np.inf, 14), watch=(14, 30),
           reference="median days to a newcomer's first 1:1 or small-group tie: {healthy} healthy, {watch} watch, "
                     "{critical} critical",
           source=_SOURCE, interventions=("onboarding_program", "matchmaking_tool", "manager_hours"), requires=("newcomers",))
def time_to_first_tie(ctx: HealthContext) -> Reading:
    """Median days from a newcomer's first participation to their first small-group tie.

    Not available when more than half of the newcomers never formed a tie: the
    median is then not observed (:func:`newcomers_with_tie_share` is critical).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = time_to_first_tie(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 1.208)
    """
    _, days = first_tie_days(ctx)
    v = float(np.median(days))
    if not np.isfinite(v):
        return not_available("more than half of the newcomers never formed a first tie, so the median is not observed")
    return Reading(v, {"healthy": f"Newcomers make a first real contact within {v:.0f} days (median).",
                       "watch": f"Newcomers wait {v:.0f} days (median) for a first real contact.",
                       "critical": f"Newcomers wait {v:.0f} days (median) for a first real contact: many drift off before."})


@indicator(principle=_P, unit="share of newcomers", healthy=(0.7, np.inf), watch=(0.5, 0.7),
           reference=f"newcomers with a first tie within {FIRST_TIE_DAYS} days: "
                     "{healthy} healthy, {watch} watch, {critical} critical",
           source=_SOURCE, interventions=("onboarding_program", "matchmaking_tool", "manager_hours"), requires=("newcomers",))
def newcomers_with_tie_share(ctx: HealthContext) -> Reading:
    """Share of newcomers with at least one small-group tie within 60 days.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = newcomers_with_tie_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.784)
    """
    _, days = first_tie_days(ctx)
    v = float((days <= FIRST_TIE_DAYS).mean())
    pct = f"{100 * v:.0f}%"
    within = f"formed a tie within {FIRST_TIE_DAYS} days"
    return Reading(v, {"healthy": f"{pct} of newcomers {within}.",
                       "watch": f"Only {pct} of newcomers {within}.",
                       "critical": f"Only {pct} of newcomers {within}: most stay strangers."})
