"""The analysis kernel: the one place that turns an ActivityLog into arrays.

Everything that analyses a log — the graph builder, the level classifier,
flows, the life-cycle, the health indicators and the matchmaking engine —
stands on these pieces:

* :class:`Incidence` (:mod:`cop.kernel.incidence`) — the sparse member x
  activity matrix with activities in time order, so any time window is a
  contiguous block of columns;
* :class:`Prepared` and :class:`Window` (:mod:`cop.kernel.windows`) — per-person
  and per-activity arrays and a window's statistics (participations,
  intensity, consistency, ties);
* :mod:`cop.kernel.periods` — period arithmetic (``parse_freq``,
  ``period_floor``).

Examples
--------
>>> import cop
>>> from cop.kernel import Prepared
>>> prep = Prepared(cop.load_example())
>>> prep.n > 150
True
"""

from cop.kernel.incidence import Incidence
from cop.kernel.periods import parse_freq, period_floor
from cop.kernel.projection import DAY_NS, group_discount, project
from cop.kernel.windows import Prepared, Window, current_people

__all__ = [
    "Incidence", "Prepared", "Window", "current_people", "DAY_NS", "group_discount", "project", "parse_freq", "period_floor",
]
