"""Rhythm: regularity of the event cadence and events per active member.

Reference: Wenger, McDermott & Snyder (2002) — a community's rhythm of
regular events is "the strongest indicator of its aliveness".  The coefficient
of variation (CV) of gaps between event days is 0 for a perfectly regular
cadence and 1 for random (Poisson) timing, so CV <= 0.6 is healthy, 0.6-1.0
watch, > 1.0 critical (no more regular than chance).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> event_cadence_cv(HealthContext.from_log(cop.load_example())).status
'healthy'
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext, Indicator, grade, unavailable
from cop.lifecycle import rhythm_cv

__all__ = ["event_cadence_cv", "events_per_active_member"]

_P = "rhythm"


def event_cadence_cv(ctx: HealthContext) -> Indicator:
    """Coefficient of variation of the gaps between event days in the window."""
    name, itv = "event_cadence_cv", ["event_cadence", "manager_hours"]
    ref = "CV of gaps between event days: <= 0.6 healthy, 0.6-1.0 watch, > 1.0 critical (1 = random timing)"
    c = ctx.cols
    ev = ctx.prep.start[c][ctx.prep.is_event[c]]
    if not ctx.prep.is_event.any():
        return unavailable(name, _P, "the log has no events (kind 'event')", itv, ref)
    v = rhythm_cv(ev)
    if not np.isfinite(v):
        return Indicator(name, float("nan"), "critical", _P, "Fewer than three event days in the window: there is no rhythm to speak of.", itv, ref)
    st = grade(v, healthy=(0, 0.6), watch=(0.6, 1.0))
    msg = {"healthy": "Events come at a regular beat members can plan around.",
           "watch": "Events come at an uneven beat; a predictable cadence helps people keep coming.",
           "critical": "Events are as irregular as chance; the community has no rhythm to rely on."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def events_per_active_member(ctx: HealthContext) -> Indicator:
    """Event participations per active member per month."""
    name, itv = "events_per_active_member", ["event_cadence", "theme", "external_speakers"]
    ref = "event participations per active member per month: >= 1 healthy, 0.3-1 watch, < 0.3 critical"
    if not ctx.prep.is_event.any():
        return unavailable(name, _P, "the log has no events (kind 'event')", itv, ref)
    act = ctx.active_members
    if not act.any():
        return unavailable(name, _P, "nobody took part in the window", itv, ref)
    c = ctx.cols
    ev = ctx.prep.is_event[c].astype(np.float64)
    per = np.asarray(ctx.prep.Bbin[:, c] @ ev).ravel() if c.stop > c.start else np.zeros(ctx.prep.n)
    v = float(per[act].mean() / ctx.months)
    st = grade(v, healthy=(1.0, np.inf), watch=(0.3, 1.0))
    msg = {"healthy": "Active members meet at events at least monthly.",
           "watch": "Active members come to an event less than once a month.",
           "critical": "Events reach few active members; most take part only in other ways."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
