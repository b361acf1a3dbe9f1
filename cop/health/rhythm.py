"""Rhythm: regularity of the event cadence and events per active member.

Reference: Wenger, McDermott & Snyder (2002) — a community's rhythm of
regular events is "the strongest indicator of its aliveness".  The coefficient
of variation (CV) of gaps between event days is 0 for a perfectly regular
cadence and 1 for random (Poisson) timing.  The ranges are declared with each
indicator (see ``docs/indicators.md``).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> event_cadence_cv(HealthContext.from_log(cop.load_example())).status
'healthy'
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext
from cop.health.declaration import Reading, indicator, not_available
from cop.lifecycle import rhythm_cv

__all__ = ["event_cadence_cv", "events_per_active_member"]

_P = "rhythm"
_WENGER = "Wenger, McDermott & Snyder (2002): a regular rhythm of events is the strongest indicator of aliveness"


@indicator(principle=_P, unit="coefficient of variation", healthy=(-np.inf, 0.6), watch=(0.6, 1.0),
           reference="CV of gaps between event days: {healthy:.1f} healthy, {watch:.1f} watch, {critical:.1f} critical "
                     "(1 = random timing)",
           source=_WENGER, interventions=("event_cadence", "manager_hours"), requires=("events",))
def event_cadence_cv(ctx: HealthContext) -> Reading:
    """Coefficient of variation of the gaps between event days in the window.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = event_cadence_cv(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.41)
    """
    c = ctx.cols
    v = rhythm_cv(ctx.prep.start[c][ctx.prep.is_event[c]])
    if not np.isfinite(v):
        return not_available("fewer than three event days in the window, so there is no rhythm to measure")
    return Reading(v, {"healthy": "Events come at a regular beat members can plan around.",
                       "watch": "Events come at an uneven beat; a predictable cadence helps people keep coming.",
                       "critical": "Events are as irregular as chance; the community has no rhythm to rely on."})


@indicator(principle=_P, unit="event participations per active member per month", healthy=(1.0, np.inf), watch=(0.3, 1.0),
           reference="event participations per active member per month: {healthy} healthy, {watch} watch, {critical} critical",
           source=_WENGER, interventions=("event_cadence", "theme", "external_speakers"), requires=("events", "participants"))
def events_per_active_member(ctx: HealthContext) -> Reading:
    """Event participations per active member per month.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = events_per_active_member(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 1.042)
    """
    c = ctx.cols
    ev = ctx.prep.is_event[c].astype(np.float64)
    per = np.asarray(ctx.prep.Bbin[:, c] @ ev).ravel() if c.stop > c.start else np.zeros(ctx.prep.n)
    v = float(per[ctx.active_members].mean() / ctx.months)
    return Reading(v, {"healthy": "Active members meet at events at least monthly.",
                       "watch": "Active members come to an event less than once a month.",
                       "critical": "Events reach few active members; most take part only in other ways."})
