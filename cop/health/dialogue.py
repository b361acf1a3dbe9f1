"""Inside and outside perspectives: activities with external participants.

Reference: Wenger, McDermott & Snyder (2002) — open a dialogue between inside
and outside perspectives.  Share of events (or all group activities when there
are no events) that had outsiders, or are flagged ``external`` in the activities
table: 10-50 % healthy, 5-10 % or 50-70 % watch, else critical.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> external_activity_share(HealthContext.from_log(cop.load_example())).status in ("healthy", "watch", "critical")
True
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext, Indicator, grade, unavailable

__all__ = ["external_activity_share"]

_P = "inside_outside_dialogue"


def external_activity_share(ctx: HealthContext) -> Indicator:
    """Share of events with external participants."""
    name, itv = "external_activity_share", ["external_speakers", "theme"]
    ref = "share of events with outside participants: 10-50 % healthy, 5-70 % watch (Wenger et al. 2002)"
    p = ctx.prep
    if not ctx.log.has_members_table and not ctx.log.has_activities_table:
        return unavailable(name, _P, "no members table (guests) and no activities table (external flag)", itv, ref)
    c = ctx.cols
    sel = p.is_event[c] if p.is_event.any() else (p.size[c] >= 3)
    if not sel.any():
        return unavailable(name, _P, "no events in the window", itv, ref)
    outs = np.asarray(p.Bbin[:, c].T @ p.is_outsider.astype(np.float64)).ravel() > 0 if c.stop > c.start else np.zeros(0, bool)
    flag = p.activities["external"].astype("boolean").fillna(False).to_numpy(dtype=bool)[c]
    ext = (outs | flag)[sel]
    v = float(ext.mean())
    st = grade(v, healthy=(0.10, 0.50), watch=(0.05, 0.70))
    msg = {"healthy": f"{100 * v:.0f}% of events bring in outside perspectives.",
           "watch": f"{100 * v:.0f}% of events involve outsiders: " + ("the community talks mostly to itself." if v < 0.1 else "outsiders dominate many events."),
           "critical": f"{100 * v:.0f}% of events involve outsiders: " + ("the community is closed to outside ideas." if v < 0.1 else "the community is hardly its own.")}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
