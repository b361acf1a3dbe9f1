"""Familiarity and excitement: recurring formats against novel ones, and new topics.

Reference: Wenger, McDermott & Snyder (2002) — combine familiar, regular
events with exciting novel ones.  A *format* is the activity ``type`` from the
activities table, else the activity id without its trailing number or date
(``breakfast-2024-05-07`` -> ``breakfast``); it is *recurring* when it occurred
at least :data:`MIN_RECURRENCES` times in the year before ``as_of``; all routine
is a watch, not a crisis.  *Topic novelty* is the share of the window's topical
activities with a tag unseen in the previous year.  The ranges are declared with
each indicator (see ``docs/indicators.md``).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> recurring_format_share(HealthContext.from_log(cop.load_example())).value > 0.5
True
>>> recurring_format_share(HealthContext.from_log(cop.load_example())).status
'watch'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cop.health._base import YEAR_DAYS, HealthContext, number_word
from cop.health.declaration import Reading, indicator, not_available
from cop.kernel import DAY_NS

__all__ = ["recurring_format_share", "topic_novelty", "activity_format", "MIN_RECURRENCES", "MIN_EVENTS"]

_P = "familiarity_excitement"
_WENGER = "Wenger, McDermott & Snyder (2002): combine familiarity and excitement"
#: Occurrences in the past year that make a format recurring.
MIN_RECURRENCES = 3
#: Fewest events in the window for the recurring share to be measured.
MIN_EVENTS = 2
_TAIL = re.compile(r"[-_ ]*[0-9][0-9\-_:T ]*$")


def activity_format(ids: pd.Index, types: pd.Series | None = None) -> np.ndarray:
    """Format of each activity: its ``type`` when given, else the id without a trailing number or date.

    Examples
    --------
    >>> activity_format(pd.Index(["breakfast-2024-05-07", "talk-2024-05", "intro-0001"])).tolist()
    ['breakfast', 'talk', 'intro']
    """
    base = np.array([_TAIL.sub("", str(x)) or str(x) for x in ids], dtype=object)
    if types is not None:
        t = types.to_numpy(dtype=object)
        has = pd.notna(t)
        base = np.where(has, t, base)
    return base


@indicator(principle=_P, unit="share of events", healthy=(0.5, 0.9), watch=(0.3, 1.0),
           reference="events in recurring formats: {healthy:%} healthy (familiar with room for novelty), {watch_only:%} watch",
           source=_WENGER, interventions=("event_cadence", "theme", "external_speakers"), requires=("events",))
def recurring_format_share(ctx: HealthContext) -> Reading:
    """Share of the window's events whose format recurs (>= 3 times in the past year).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = recurring_format_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('watch', 1.0)
    """
    p = ctx.prep
    c = ctx.cols
    sel = np.flatnonzero(p.is_event[c]) + c.start
    if len(sel) < MIN_EVENTS:
        return not_available(f"fewer than {number_word(MIN_EVENTS)} events in the window")
    year = p.incidence.columns(ctx.hi - YEAR_DAYS * DAY_NS, ctx.hi)
    ysel = np.flatnonzero(p.is_event[year]) + year.start
    types = p.activities["type"] if "type" in p.activities.columns else None
    # the formats of the events read here only (the same formats as of every activity, fewer ids parsed)
    need = np.union1d(ysel, sel)
    fmt_of = activity_format(p.incidence.activity_ids[need], None if types is None else types.iloc[need])
    counts = pd.Series(fmt_of[np.searchsorted(need, ysel)]).value_counts()
    recurring = np.array([counts.get(f, 0) >= MIN_RECURRENCES for f in fmt_of[np.searchsorted(need, sel)]])
    v = float(recurring.mean())
    # all routine: novelty, never more recurring events (the advice must not contradict the reading)
    lead = f"{100 * v:.0f}% of events are recurring formats: "
    return Reading(v, {"healthy": f"{100 * v:.0f}% of events are familiar formats, leaving room for new ones.",
                       "watch_low": lead + "little familiar routine.",
                       "watch_high": lead + "little novelty to excite members.",
                       "critical_low": lead + "no dependable routine.",
                       "critical_high": lead + "nothing new happens."}, by_side={"high": ("external_speakers", "theme")})


@indicator(principle=_P, unit="share of topical activities", healthy=(0.05, 0.5), watch=(0.0, 0.7),
           reference="topical activities with a tag new against the previous year: {healthy:%} healthy, {watch_only:%} watch",
           source=_WENGER, interventions=("theme", "external_speakers"), requires=("topics",))
def topic_novelty(ctx: HealthContext) -> Reading:
    """Share of the window's topical activities carrying a tag not seen in the previous year.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = topic_novelty(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('watch', 0.0)
    """
    topics = ctx.topics()
    p = ctx.prep
    c = ctx.cols
    prev = p.incidence.columns(ctx.lo - YEAR_DAYS * DAY_NS, ctx.lo)
    if prev.stop == prev.start:
        return not_available("no history before the window to compare with")
    seen = set(t for lst in topics.iloc[prev] for t in lst)
    cur = [lst for lst in topics.iloc[c] if lst]
    if not cur:
        return not_available("no topical activity in the window")
    v = float(np.mean([any(t not in seen for t in lst) for lst in cur]))
    lead = f"{100 * v:.1f}% of topical activities open a new theme: "
    return Reading(v, {"healthy": f"{100 * v:.1f}% of topical activities open a new theme.",
                       "watch_low": lead + "the agenda is getting familiar.",
                       "watch_high": lead + "the agenda shifts a lot.",
                       "critical_low": lead + "no new themes at all.",
                       "critical_high": lead + "no stable themes."},
                   # too familiar: outside perspectives first; too much churn: a clear theme first (the declared order)
                   by_side={"low": ("external_speakers", "theme")})
