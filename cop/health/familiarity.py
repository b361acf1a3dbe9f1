"""Familiarity and excitement: recurring formats against novel ones, and new topics.

Reference: Wenger, McDermott & Snyder (2002) — combine familiar, regular
events with exciting novel ones.  A *format* is the activity ``type`` from the
activities table, else the activity id without its trailing number or date
(``breakfast-2024-05-07`` -> ``breakfast``); it is *recurring* when it occurred
at least three times in the year before ``as_of``.  Recurring share of events
50-90 % healthy, 30-100 % watch (all routine is a watch, not a crisis).  Topic novelty (share of the window's topical
activities with a tag unseen in the previous year) 5-50 % healthy, 0-5 % and 50-70 % watch.

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

from cop.health._base import HealthContext, Indicator, grade, unavailable
from cop.kernel import DAY_NS

__all__ = ["recurring_format_share", "topic_novelty", "activity_format"]

_P = "familiarity_excitement"
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


def recurring_format_share(ctx: HealthContext) -> Indicator:
    """Share of the window's events whose format recurs (>= 3 times in the past year)."""
    name, itv = "recurring_format_share", ["event_cadence", "theme", "external_speakers"]
    ref = "events in recurring formats: 50-90 % healthy (familiar with room for novelty), 30-50 % or 90-100 % watch"
    p = ctx.prep
    if not p.is_event.any():
        return unavailable(name, _P, "the log has no events (kind 'event')", itv, ref)
    c = ctx.cols
    sel = np.flatnonzero(p.is_event[c]) + c.start
    if len(sel) < 2:
        return unavailable(name, _P, "fewer than two events in the window", itv, ref)
    year = p.cols(ctx.hi - 365 * DAY_NS, ctx.hi)
    ysel = np.flatnonzero(p.is_event[year]) + year.start
    types = p.activities["type"] if "type" in p.activities.columns else None
    fmt = activity_format(p.incidence.activity_ids, types)
    counts = pd.Series(fmt[ysel]).value_counts()
    recurring = np.array([counts.get(f, 0) >= 3 for f in fmt[sel]])
    v = float(recurring.mean())
    st = grade(v, healthy=(0.5, 0.9), watch=(0.3, 1.0))
    if v > 0.9:
        itv = ["external_speakers", "theme", "event_cadence"]
    msg = {"healthy": f"{100 * v:.0f}% of events are familiar formats, leaving room for new ones.",
           "watch": f"{100 * v:.0f}% of events are recurring formats: " + ("little familiar routine." if v < 0.5 else "little novelty to excite members."),
           "critical": f"{100 * v:.0f}% of events are recurring formats: " + ("no dependable routine." if v < 0.5 else "nothing new happens.")}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def topic_novelty(ctx: HealthContext) -> Indicator:
    """Share of the window's topical activities carrying a tag not seen in the previous year."""
    name, itv = "topic_novelty", ["theme", "external_speakers"]
    ref = "topical activities with a tag new against the previous year: 5-50 % healthy, 0-5 % or 50-70 % watch"
    topics = ctx.topics()
    if topics is None:
        return unavailable(name, _P, "the data has no topics", itv, ref)
    p = ctx.prep
    c = ctx.cols
    prev = p.cols(ctx.lo - 365 * DAY_NS, ctx.lo)
    if prev.stop == prev.start:
        return unavailable(name, _P, "no history before the window to compare with", itv, ref)
    seen = set(t for lst in topics.iloc[prev] for t in lst)
    cur = [lst for lst in topics.iloc[c] if lst]
    if not cur:
        return unavailable(name, _P, "no topical activity in the window", itv, ref)
    v = float(np.mean([any(t not in seen for t in lst) for lst in cur]))
    st = grade(v, healthy=(0.05, 0.5), watch=(0.0, 0.7))
    msg = {"healthy": f"{100 * v:.1f}% of topical activities open a new theme.",
           "watch": f"{100 * v:.1f}% of topical activities open a new theme: " + ("the agenda is getting familiar." if v < 0.05 else "the agenda shifts a lot."),
           "critical": f"{100 * v:.1f}% of topical activities open a new theme: " + ("no new themes at all." if v < 0.05 else "no stable themes.")}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
