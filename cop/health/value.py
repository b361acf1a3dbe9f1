"""Focus on value: collaborations formed, and how many members take part in one.

Reference: Wenger, McDermott & Snyder (2002) — focus on value; coworking
interviews — collaborations between members are the business value of a space,
and success stories are rarely shared.  Collaborations started per member per
month: >= 0.01 healthy (one a month per 100 members), 0.003-0.01 watch.  Share
of current members in at least one collaboration in the past year: >= 10 %
healthy, 3-10 % watch.  Not available when the log records no collaborations at
all (kind ``collaboration``): an unrecorded thing is not a zero.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> collaborations_per_member(HealthContext.from_log(cop.load_example())).principle
'focus_on_value'
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext, Indicator, grade, unavailable
from cop.kernel import DAY_NS

__all__ = ["collaborations_per_member", "members_with_collaboration_share"]

_P = "focus_on_value"
_NONE = "the log records no collaborations (kind 'collaboration'), so their absence cannot be told from missing data"


def collaborations_per_member(ctx: HealthContext) -> Indicator:
    """Collaborations started in the window per current member per month."""
    name, itv = "collaborations_per_member", ["matchmaking_tool", "success_stories", "theme"]
    ref = "collaborations per member per month: >= 0.01 healthy, 0.003-0.01 watch, < 0.003 critical"
    p = ctx.prep
    if not p.is_collab.any():
        return unavailable(name, _P, _NONE, itv, ref)
    n = int((ctx.members & ~p.is_coordinator).sum())
    if n == 0:
        return unavailable(name, _P, "no current members", itv, ref)
    k = int(p.is_collab[ctx.cols].sum())
    v = k / n / ctx.months
    st = grade(v, healthy=(0.01, np.inf), watch=(0.003, 0.01))
    msg = {"healthy": f"{k} collaboration(s) started in the window: members turn ties into joint work.",
           "watch": f"Only {k} collaboration(s) started in the window for {n} members.",
           "critical": f"{k} collaboration(s) in the window for {n} members: ties rarely become joint work."}[st]
    return Indicator(name, float(v), st, _P, msg, itv, ref)


def members_with_collaboration_share(ctx: HealthContext) -> Indicator:
    """Share of current members in at least one collaboration in the past year."""
    name, itv = "members_with_collaboration_share", ["matchmaking_tool", "success_stories"]
    ref = "members in >= 1 collaboration in the past year: >= 10 % healthy, 3-10 % watch, < 3 % critical"
    p = ctx.prep
    if not p.is_collab.any():
        return unavailable(name, _P, _NONE, itv, ref)
    base = ctx.members & ~p.is_coordinator
    if not base.any():
        return unavailable(name, _P, "no current members", itv, ref)
    c = p.cols(ctx.hi - 365 * DAY_NS, ctx.hi)
    has = (np.asarray(p.Bbin[:, c] @ p.is_collab[c].astype(np.float64)).ravel() > 0) if c.stop > c.start else np.zeros(p.n, bool)
    v = float(has[base].mean())
    st = grade(v, healthy=(0.10, 1.0), watch=(0.03, 0.10))
    msg = {"healthy": f"{100 * v:.0f}% of members collaborated with another member this past year.",
           "watch": f"Only {100 * v:.0f}% of members collaborated with another member this past year.",
           "critical": f"{100 * v:.0f}% of members collaborated this past year: the community creates little joint value."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
