"""The analysis kernel: the one place that turns an ActivityLog into arrays.

Everything that analyses a log — the graph builder, the level classifier,
flows, the life-cycle, the health indicators and the matchmaking engine —
stands on these pieces:

* :class:`Incidence` (:mod:`cop.kernel.incidence`) — the sparse member x
  activity matrix with activities in time order, so any time window is a
  contiguous block of columns (:meth:`Incidence.columns`, the one column search);
* :class:`Prepared` and :class:`Window` (:mod:`cop.kernel.windows`) — per-person
  and per-activity arrays and a window's statistics (participations,
  intensity, consistency, ties), and :func:`current_people`, who belongs to
  the community in a window;
* :mod:`cop.kernel.periods` — the time constants (:data:`DAY_NS`), the current
  window (:func:`window_bounds`, :func:`resolve_as_of`), the periods
  (:func:`period_bounds`, :func:`rolling_periods`) and the sub-window rule
  (:func:`sub_windows`);
* :mod:`cop.kernel.timescale` — the community's own timescale (how long members take to
  return) and the default window that follows from it (:func:`timescale`);
* :mod:`cop.kernel.projection` — the projection ``B W B^T`` and the group discount;
* :mod:`cop.kernel.network` — network consolidation of a window's tie graph.

Examples
--------
>>> import cop
>>> from cop.kernel import Prepared, resolve_as_of, window_bounds
>>> log = cop.load_example()
>>> prep = Prepared(log)
>>> lo, hi = window_bounds(resolve_as_of(log), 90)
>>> win = prep.window(lo, hi)
>>> prep.n > 150, int(win.active.sum()) > 50
(True, True)
"""

from cop.kernel.incidence import Incidence
from cop.kernel.network import TRANSITIVITY_SAMPLE, TRANSITIVITY_SEED, network_consolidation
from cop.kernel.periods import (
    DAY_NS,
    MIN_SUB_WINDOWS,
    SUB_WINDOW_DAYS,
    check_lookback,
    default_as_of,
    nominal_period_days,
    parse_freq,
    period_bounds,
    period_floor,
    period_starts,
    resolve_as_of,
    rolling_periods,
    sub_windows,
    window_bounds,
)
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES, group_discount, project, tie_bound
from cop.kernel.timescale import Timescale, lookback_for, return_gaps, timescale
from cop.kernel.windows import Prepared, Window, current_people

__all__ = [
    "Incidence", "Prepared", "Window", "current_people",
    "DAY_NS", "SUB_WINDOW_DAYS", "MIN_SUB_WINDOWS", "check_lookback", "default_as_of", "resolve_as_of", "window_bounds",
    "sub_windows", "nominal_period_days", "parse_freq", "period_floor", "period_bounds", "period_starts", "rolling_periods",
    "Timescale", "timescale", "return_gaps", "lookback_for",
    "MAX_GROUP_SIZE", "MAX_TIES", "group_discount", "project", "tie_bound",
    "network_consolidation", "TRANSITIVITY_SAMPLE", "TRANSITIVITY_SEED",
]
