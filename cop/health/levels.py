"""Levels of participation: the shape of the onion against Wenger's reference shares, and mobility.

References: Wenger, McDermott & Snyder (2002): core about 10-15 % of members,
active 15-20 %; a healthy community lets people move between levels (legitimate
peripheral participation, Lave & Wenger 1991).  Thresholds: core share 5-25 %
healthy (wider than the reference: communities differ), 2-40 % watch; active
share 10-35 % healthy, 5-50 % watch; inward mobility (peripheral members a
lookback ago now active or core) >= 10 % healthy, 5-10 % watch.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> core_share(HealthContext.from_log(cop.load_example())).status
'healthy'
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext, Indicator, grade, unavailable
from cop.kernel import DAY_NS, current_people
from cop.participation.classifier import classify_window

__all__ = ["core_share", "active_share", "inward_mobility"]

_P = "levels_of_participation"


def _share(ctx: HealthContext, level: str) -> tuple[float, int]:
    base = ctx.members & ~ctx.prep.is_coordinator
    n = int(base.sum())
    return (float((ctx.level[base] == level).sum() / n) if n else float("nan")), n


def core_share(ctx: HealthContext) -> Indicator:
    """Share of current members at the core (reference 10-15 %)."""
    name, itv = "core_share", ["success_stories", "theme", "manager_hours"]
    ref = "Wenger et al. (2002) core 10-15 % of members; here 5-25 % healthy, 2-40 % watch"
    v, n = _share(ctx, "core")
    if n == 0:
        return unavailable(name, _P, "no current members", itv, ref)
    st = grade(v, healthy=(0.05, 0.25), watch=(0.02, 0.40))
    msg = {"healthy": f"{100 * v:.0f}% of members form the core, close to the 10-15% Wenger reports.",
           "watch": f"The core is {'thin' if v < 0.1 else 'broad'} ({100 * v:.0f}% of members); leadership {'rests on few people' if v < 0.1 else 'may be diffuse'}.",
           "critical": f"The core is {'almost absent' if v < 0.1 else 'most of the community'} ({100 * v:.0f}% of members)."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def active_share(ctx: HealthContext) -> Indicator:
    """Share of current members at the active level (reference 15-20 %)."""
    name, itv = "active_share", ["matchmaking_tool", "event_cadence", "theme"]
    ref = "Wenger et al. (2002) active 15-20 % of members; here 10-35 % healthy, 5-50 % watch"
    v, n = _share(ctx, "active")
    if n == 0:
        return unavailable(name, _P, "no current members", itv, ref)
    st = grade(v, healthy=(0.10, 0.35), watch=(0.05, 0.50))
    msg = {"healthy": f"{100 * v:.0f}% of members are regularly active beyond the core.",
           "watch": f"Only {100 * v:.0f}% of members are active beyond the core." if v < 0.1 else f"{100 * v:.0f}% of members sit at the active level.",
           "critical": f"Hardly anyone ({100 * v:.0f}%) is active beyond the core." if v < 0.1 else f"{100 * v:.0f}% at the active level: levels are not differentiated."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def inward_mobility(ctx: HealthContext) -> Indicator:
    """Share of members peripheral one lookback ago who are now active or core."""
    name, itv = "inward_mobility", ["matchmaking_tool", "onboarding_program", "success_stories"]
    ref = "peripheral members moving to active/core within one lookback: >= 10 % healthy, 5-10 % watch, < 5 % critical"
    hi0 = ctx.lo
    lo0 = hi0 - ctx.lookback * DAY_NS
    before = classify_window(ctx.prep, lo0, hi0)["level"].to_numpy(dtype=object)
    was = (before == "peripheral") & current_people(ctx.prep, lo0, hi0, ctx.lookback) & ctx.members
    if was.sum() < 3:
        return unavailable(name, _P, "fewer than three peripheral members one lookback ago", itv, ref)
    v = float(np.isin(ctx.level[was], ["core", "active"]).mean())
    st = grade(v, healthy=(0.10, 1.0), watch=(0.05, 0.10))
    msg = {"healthy": f"{100 * v:.0f}% of last window's peripheral members have moved inward.",
           "watch": f"Only {100 * v:.0f}% of peripheral members moved inward: the edge is sticky.",
           "critical": f"{100 * v:.0f}% of peripheral members moved inward: people stay stuck at the edge."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
