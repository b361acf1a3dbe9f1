"""Public and private spaces: 1:1 and small-group interaction against large events.

Reference: Wenger, McDermott & Snyder (2002) — a community needs both public
events and private one-to-one connections; coworking managers report that
members value daily 1:1 matchmaking more than big events.  Share of engaged
(non-presence) participations in activities of at most ``small_group`` people
(default 10): 20-80 % healthy, 10-90 % watch.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> 0 < small_group_share(HealthContext.from_log(cop.load_example())).value < 1
True
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext, Indicator, grade, unavailable

__all__ = ["small_group_share"]

_P = "public_private_spaces"


def small_group_share(ctx: HealthContext) -> Indicator:
    """Share of engaged participations that happen in 1:1 or small-group activities."""
    name, itv = "small_group_share", ["matchmaking_tool", "event_cadence"]
    ref = "share of participations in activities of <= 10 people: 20-80 % healthy, 10-90 % watch (Wenger et al. 2002; coworking interviews)"
    c = ctx.cols
    p = ctx.prep
    eng = ~p.is_presence[c]
    rows = np.diff(p.Bbin.indptr)[c.start:c.stop] if c.stop > c.start else np.zeros(0)
    total = float(rows[eng].sum()) if len(rows) else 0.0
    if total == 0:
        return unavailable(name, _P, "no engaged (non-presence) participation in the window", itv, ref)
    small = eng & (p.size[c] <= p.small_group) & (p.size[c] >= 2)
    v = float(rows[small].sum() / total)
    st = grade(v, healthy=(0.2, 0.8), watch=(0.1, 0.9))
    msg = {"healthy": f"{100 * v:.0f}% of participation is 1:1 or in small groups, balanced with larger events.",
           "watch": f"{100 * v:.0f}% of participation is 1:1 or small-group: " + ("private spaces are scarce." if v < 0.2 else "public events are scarce."),
           "critical": f"{100 * v:.0f}% of participation is 1:1 or small-group: " + ("nearly everything happens at big events." if v < 0.2 else "there is almost no public space.")}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
