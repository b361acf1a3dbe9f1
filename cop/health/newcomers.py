"""Newcomer integration: time to first tie, and the share of newcomers tied within 60 days.

References: coworking interviews and the example data — introductions in the
first weeks make newcomers stay; Lave & Wenger (1991) legitimate peripheral
participation.  A *first tie* is the first non-presence activity shared with
at most ``small_group`` (default 10) people: a 1:1 introduction, a thread, a
small meeting, a collaboration (large events and co-presence do not count).
Newcomers are members first seen between 425 and 60 days before ``as_of`` (so
each has 60 days to be observed).  Median days to first tie <= 14 healthy,
14-30 watch; share tied within 60 days >= 0.7 healthy, 0.5-0.7 watch.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> 0 <= newcomers_with_tie_share(HealthContext.from_log(cop.load_example())).value <= 1
True
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext, Indicator, grade, unavailable
from cop.kernel import DAY_NS

__all__ = ["first_tie_days", "time_to_first_tie", "newcomers_with_tie_share"]

_P = "newcomer_integration"


def first_tie_days(ctx: HealthContext) -> tuple[np.ndarray, np.ndarray]:
    """``(newcomer indices, days from first participation to first tie)`` (inf: none before ``as_of``)."""
    p = ctx.prep
    newcomer = (p.is_member & (p.first_seen >= ctx.hi - 425 * DAY_NS) & (p.first_seen < ctx.hi - 60 * DAY_NS))
    idx = np.flatnonzero(newcomer)
    qual = np.flatnonzero((~p.is_presence) & (p.size >= 2) & (p.size <= p.small_group) & (p.start < ctx.hi))
    days = np.full(len(idx), np.inf)
    if len(idx) and len(qual):
        q = p.Bbin[:, qual].tocsr()[idx]
        q.sort_indices()
        has = np.diff(q.indptr) > 0
        first_col = qual[q.indices[q.indptr[:-1][has]]]
        days[has] = np.maximum(0, (p.start[first_col] - p.first_seen[idx][has])) / DAY_NS
    return idx, days


def time_to_first_tie(ctx: HealthContext) -> Indicator:
    """Median days from a newcomer's first participation to their first small-group tie."""
    name, itv = "time_to_first_tie", ["onboarding_program", "matchmaking_tool", "manager_hours"]
    ref = "median days to a newcomer's first 1:1 or small-group tie: <= 14 healthy, 14-30 watch, > 30 critical"
    idx, days = first_tie_days(ctx)
    if len(idx) < 3:
        return unavailable(name, _P, "fewer than three newcomers in the year before the last 60 days", itv, ref)
    v = float(np.median(days))
    if not np.isfinite(v):
        return Indicator(name, float("nan"), "critical", _P, "More than half of the newcomers never formed a first tie.", itv, ref)
    st = grade(v, healthy=(0, 14), watch=(14, 30))
    msg = {"healthy": f"Newcomers make a first real contact within {v:.0f} days (median).",
           "watch": f"Newcomers wait {v:.0f} days (median) for a first real contact.",
           "critical": f"Newcomers wait {v:.0f} days (median) for a first real contact: many drift off before."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def newcomers_with_tie_share(ctx: HealthContext) -> Indicator:
    """Share of newcomers with at least one small-group tie within 60 days."""
    name, itv = "newcomers_with_tie_share", ["onboarding_program", "matchmaking_tool", "manager_hours"]
    ref = "newcomers with a first tie within 60 days: >= 0.7 healthy, 0.5-0.7 watch, < 0.5 critical"
    idx, days = first_tie_days(ctx)
    if len(idx) < 3:
        return unavailable(name, _P, "fewer than three newcomers in the year before the last 60 days", itv, ref)
    v = float((days <= 60).mean())
    st = grade(v, healthy=(0.7, 1.0), watch=(0.5, 0.7))
    msg = {"healthy": f"{100 * v:.0f}% of newcomers formed a tie within 60 days.",
           "watch": f"Only {100 * v:.0f}% of newcomers formed a tie within 60 days.",
           "critical": f"Only {100 * v:.0f}% of newcomers formed a tie within 60 days: most stay strangers."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
