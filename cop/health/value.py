"""Focus on value: collaborations formed, and how many members take part in one.

Reference: Wenger, McDermott & Snyder (2002) — focus on value; coworking
interviews — collaborations between members are the business value of a space,
and success stories are rarely shared.  The ranges are declared with each
indicator (a healthy 0.01 collaborations per member per month is one a month per
100 members).  Not available when the log records no collaborations at all (kind
``collaboration``): an unrecorded thing is not a zero.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> collaborations_per_member(HealthContext.from_log(cop.load_example())).principle
'focus_on_value'
"""

from __future__ import annotations

import numpy as np

from cop.health._base import YEAR_DAYS, HealthContext
from cop.health.declaration import Reading, indicator
from cop.kernel import DAY_NS
from cop.words import counted

__all__ = ["collaborations_per_member", "members_with_collaboration_share"]

_P = "focus_on_value"
_SOURCE = "Wenger, McDermott & Snyder (2002) focus on value; coworking interviews (collaborations are the business value)"


@indicator(principle=_P, unit="collaborations per member per month", healthy=(0.01, np.inf), watch=(0.003, 0.01),
           reference="collaborations per member per month: {healthy} healthy, {watch} watch, {critical} critical",
           source=_SOURCE, interventions=("matchmaking_tool", "success_stories", "theme"),
           requires=("collaborations", "members"))
def collaborations_per_member(ctx: HealthContext) -> Reading:
    """Collaborations started in the window per current member per month.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = collaborations_per_member(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('critical', 0.003)
    """
    n = int(ctx.regular_members.sum())
    k = int(ctx.prep.is_collab[ctx.cols].sum())
    v = k / n / ctx.months
    return Reading(v, {"healthy": f"{counted(k, 'collaboration')} started in the window: members turn ties into joint work.",
                       "watch": f"Only {counted(k, 'collaboration')} started in the window for {counted(n, 'member')}.",
                       "critical": f"{counted(k, 'collaboration')} in the window for {counted(n, 'member')}: ties rarely become joint work."})


@indicator(principle=_P, unit="share of current members", healthy=(0.10, np.inf), watch=(0.03, 0.10),
           reference="members in >= 1 collaboration in the past year: {healthy:%} healthy, {watch:%} watch, {critical:%} critical",
           source=_SOURCE, interventions=("matchmaking_tool", "success_stories"), requires=("collaborations", "members"))
def members_with_collaboration_share(ctx: HealthContext) -> Reading:
    """Share of current members in at least one collaboration in the past year.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = members_with_collaboration_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('watch', 0.097)
    """
    p = ctx.prep
    c = p.incidence.columns(ctx.hi - YEAR_DAYS * DAY_NS, ctx.hi)
    has = (np.asarray(p.Bbin[:, c] @ p.is_collab[c].astype(np.float64)).ravel() > 0) if c.stop > c.start else np.zeros(p.n, bool)
    v = float(has[ctx.regular_members].mean())
    pct = f"{100 * v:.0f}%"
    return Reading(v, {"healthy": f"{pct} of members collaborated with another member this past year.",
                       "watch": f"Only {pct} of members collaborated with another member this past year.",
                       "critical": f"{pct} of members collaborated this past year: the community creates little joint value."})
