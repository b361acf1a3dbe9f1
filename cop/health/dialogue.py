"""Inside and outside perspectives: activities with external participants.

Reference: Wenger, McDermott & Snyder (2002) — open a dialogue between inside
and outside perspectives.  The measure is the share of events (or of all group
activities of at least :data:`MIN_GROUP` people when there are no events) that
had outsiders, or are flagged ``external`` in the activities table; its ranges
are declared with the indicator.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> external_activity_share(HealthContext.from_log(cop.load_example())).status in ("healthy", "watch", "critical")
True
"""

from __future__ import annotations

import numpy as np

from cop.health._base import HealthContext
from cop.health.declaration import Reading, indicator, not_available

__all__ = ["external_activity_share", "MIN_GROUP"]

#: Smallest activity counted as a group activity when the log has no events.
MIN_GROUP = 3


@indicator(principle="inside_outside_dialogue", unit="share of events", healthy=(0.10, 0.50), watch=(0.05, 0.70),
           reference="share of events with outside participants: {healthy:%} healthy, {watch:%} watch (Wenger et al. 2002)",
           source="Wenger, McDermott & Snyder (2002): open a dialogue between inside and outside perspectives",
           interventions=("external_speakers", "theme"), requires=("side_table",))
def external_activity_share(ctx: HealthContext) -> Reading:
    """Share of events with external participants.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = external_activity_share(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.278)
    """
    p = ctx.prep
    c = ctx.cols
    sel = p.is_event[c] if p.is_event.any() else (p.size[c] >= MIN_GROUP)
    if not sel.any():
        return not_available("no events in the window")
    outs = np.asarray(p.Bbin[:, c].T @ p.is_outsider.astype(np.float64)).ravel() > 0 if c.stop > c.start else np.zeros(0, bool)
    flag = p.activities["external"].astype("boolean").fillna(False).to_numpy(dtype=bool)[c]
    v = float((outs | flag)[sel].mean())
    lead = f"{100 * v:.0f}% of events involve outsiders: "
    return Reading(v, {"healthy": f"{100 * v:.0f}% of events bring in outside perspectives.",
                       "watch_low": lead + "the community talks mostly to itself.",
                       "watch_high": lead + "outsiders dominate many events.",
                       "critical_low": lead + "the community is closed to outside ideas.",
                       "critical_high": lead + "the community is hardly its own."})
