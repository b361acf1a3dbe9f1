"""Levels of participation: the shape of the onion against Wenger's reference shares, and mobility.

References: Wenger, McDermott & Snyder (2002): core about 10-15 % of members,
active 15-20 %; a healthy community lets people move between levels (legitimate
peripheral participation, Lave & Wenger 1991).  The healthy bands are wider
than the reference shares (communities differ); they are declared with each
indicator (see ``docs/indicators.md``).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> core_share(HealthContext.from_log(cop.load_example())).status
'healthy'
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext, number_word
from cop.health.declaration import Reading, indicator, not_available
from cop.kernel import DAY_NS, current_people
from cop.participation.classifier import window_levels

__all__ = ["core_share", "active_share", "inward_mobility", "MIN_PERIPHERAL"]

_P = "levels_of_participation"
_WENGER = "Wenger, McDermott & Snyder (2002): core about 10-15 %, active 15-20 % of members"
#: Fewest members peripheral one lookback ago for inward mobility to be measured.
MIN_PERIPHERAL = 3


def _share(ctx: HealthContext, level: str) -> float:
    # of every current member, coordinators included: the base of the diagnosis' level_counts shares and
    # the participation pyramid, so the report shows one share of the core, not two a point apart
    base = ctx.members
    return float((ctx.level[base] == level).sum() / base.sum())


@indicator(principle=_P, unit="share of current members", healthy=(0.05, 0.25), watch=(0.02, 0.40),
           reference="Wenger et al. (2002) core 10-15 % of members; here {healthy:%} healthy, {watch:%} watch",
           source=_WENGER, interventions=("success_stories", "theme", "manager_hours"), requires=("members",))
def core_share(ctx: HealthContext) -> Reading:
    """Share of current members at the core (reference 10-15 %).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = core_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.176)
    """
    v = _share(ctx, "core")
    pct = f"{100 * v:.0f}%"
    return Reading(v, {"healthy": f"{pct} of members form the core, close to the 10-15% Wenger reports.",
                       "watch_low": f"The core is thin ({pct} of members); leadership rests on few people.",
                       "watch_high": f"The core is broad ({pct} of members); leadership may be diffuse.",
                       "critical_low": f"The core is almost absent ({pct} of members).",
                       "critical_high": f"The core is most of the community ({pct} of members)."})


@indicator(principle=_P, unit="share of current members", healthy=(0.10, 0.35), watch=(0.05, 0.50),
           reference="Wenger et al. (2002) active 15-20 % of members; here {healthy:%} healthy, {watch:%} watch",
           source=_WENGER, interventions=("matchmaking_tool", "event_cadence", "theme"), requires=("members",))
def active_share(ctx: HealthContext) -> Reading:
    """Share of current members at the active level (reference 15-20 %).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = active_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.199)
    """
    v = _share(ctx, "active")
    pct = f"{100 * v:.0f}%"
    return Reading(v, {"healthy": f"{pct} of members are regularly active beyond the core.",
                       "watch_low": f"Only {pct} of members are active beyond the core.",
                       "watch_high": f"{pct} of members sit at the active level.",
                       "critical_low": f"Hardly anyone ({pct}) is active beyond the core.",
                       "critical_high": f"{pct} at the active level: levels are not differentiated."})


@indicator(principle=_P, unit="share of peripheral members", healthy=(0.10, np.inf), watch=(0.05, 0.10),
           reference="peripheral members moving to active/core within one lookback: {healthy:%} healthy, {watch:%} watch, "
                     "{critical:%} critical",
           source="Lave & Wenger (1991) legitimate peripheral participation; Wenger, McDermott & Snyder (2002)",
           interventions=("matchmaking_tool", "onboarding_program", "success_stories"))
def inward_mobility(ctx: HealthContext) -> Reading:
    """Share of members peripheral one lookback ago who are now active or core.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = inward_mobility(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('watch', 0.081)
    """
    hi0 = ctx.lo
    lo0 = hi0 - ctx.lookback * DAY_NS
    before = window_levels(ctx.prep, lo0, hi0)
    was = (before == "peripheral") & current_people(ctx.prep, lo0, hi0, ctx.lookback) & ctx.members
    if was.sum() < MIN_PERIPHERAL:
        return not_available(f"fewer than {number_word(MIN_PERIPHERAL)} peripheral members one lookback ago")
    v = float(np.isin(ctx.level[was], ["core", "active"]).mean())
    pct = f"{100 * v:.0f}%"
    return Reading(v, {"healthy": f"{pct} of last window's peripheral members have moved inward.",
                       "watch": f"Only {pct} of peripheral members moved inward: the edge is sticky.",
                       "critical": f"{pct} of peripheral members moved inward: people stay stuck at the edge."})
