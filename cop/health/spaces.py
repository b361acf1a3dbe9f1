"""Public and private spaces: 1:1 and small-group interaction against large events.

Reference: Wenger, McDermott & Snyder (2002) — a community needs both public
events and private one-to-one connections; coworking managers report that
members value daily 1:1 matchmaking more than big events.  The measure is the
share of engaged (non-presence) participations in activities of at most
``small_group`` people (default 10); its ranges are declared with the indicator.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> 0 < small_group_share(HealthContext.from_log(cop.load_example())).value < 1
True
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext
from cop.health.declaration import Reading, indicator, not_available

__all__ = ["small_group_share"]


@indicator(principle="public_private_spaces", unit="share of engaged participations", healthy=(0.2, 0.8), watch=(0.1, 0.9),
           reference="share of participations in activities of <= 10 people: {healthy:%} healthy, {watch:%} watch "
                     "(Wenger et al. 2002; coworking interviews)",
           source="Wenger, McDermott & Snyder (2002) public and private spaces; coworking interviews (1:1 matchmaking)",
           interventions=("matchmaking_tool", "event_cadence"))
def small_group_share(ctx: HealthContext) -> Reading:
    """Share of engaged participations that happen in 1:1 or small-group activities.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = small_group_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.324)
    """
    c = ctx.cols
    p = ctx.prep
    eng = ~p.is_presence[c]
    rows = np.diff(p.Bbin.indptr)[c.start:c.stop] if c.stop > c.start else np.zeros(0)
    total = float(rows[eng].sum()) if len(rows) else 0.0
    if total == 0:
        return not_available("no engaged (non-presence) participation in the window")
    small = eng & (p.size[c] <= p.small_group) & (p.size[c] >= 2)
    v = float(rows[small].sum() / total)
    lead = f"{100 * v:.0f}% of participation is 1:1 or small-group: "
    return Reading(v, {"healthy": f"{100 * v:.0f}% of participation is 1:1 or in small groups, balanced with larger events.",
                       "watch_low": lead + "private spaces are scarce.",
                       "watch_high": lead + "public events are scarce.",
                       "critical_low": lead + "nearly everything happens at big events.",
                       "critical_high": lead + "there is almost no public space."})
