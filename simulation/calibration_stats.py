"""The statistics a calibration matches: one computation, by cop's diagnosis, on observed and simulated logs.

Each statistic is declared once in :data:`STATISTICS` (name, plain-language
label, unit, and a function of a :class:`cop.Diagnosis`), so the observed log
and every simulated log are summarised by exactly the same code:
:func:`calibration_statistics` diagnoses a log (with ``agreement=False``, and
with the observed log's own ``lookback`` when given, so both sides use the same
window) and reads the statistics off the diagnosis.

=================================  ==========================================================================
statistic                          what it reads (from ``cop.diagnose``)
=================================  ==========================================================================
core_share, active_share,          shares of the current members at each participation level
peripheral_share                   (``level_counts``)
active_members                     active members per month (timeline mean over complete months)
newcomers_per_month                newcomers per month (timeline mean, founding month left out)
retention                          month-to-month retention (timeline mean, founding month left out)
activity_per_member                weighted activity per active member per month (timeline)
events_per_month                   events per month (timeline mean)
clustering                         clustering of the monthly tie graph (timeline mean)
largest_component_share            share of members in the largest connected group (timeline mean)
core_stability                     share of the core still core a month later (timeline mean)
ties_per_member                    mean number of ties of a member in the current window (the graph)
events_per_active_member           indicator of the same name (event participations / active member / month)
small_group_share                  indicator: participation in activities of <= 10 people
newcomers_with_tie_share           indicator: newcomers with a first tie within 60 days
time_to_first_tie                  indicator: median days to a newcomer's first tie
members_with_collaboration_share   indicator: members in at least one collaboration this past year
cross_org_tie_share                indicator: share of tie volume crossing organizations (organization
                                   integration)
siloed_member_share                indicator: members in organizations staying at the edge together
coordinator_involvement_share      indicator: activities organised, brokered or attended by a coordinator
                                   (the manager's load, where the log knows the manager)
brokered_introduction_share        indicator: 1:1 introductions brokered by a coordinator
contributor_absence_share          CHAOSS contributor absence factor / active members
=================================  ==========================================================================

A statistic the diagnosis cannot compute on a log (no organizations, no
coordinator, no introductions...) is ``NaN``; a calibration drops a statistic
that is missing in the observed log.

Examples
--------
>>> import simulation
>>> from simulation.calibration_stats import calibration_statistics, STATISTIC_NAMES
>>> res = simulation.run(simulation.Scenario(space={"years": 0.5}, arrivals={"initial_members": 20}), seed=3)
>>> stats = calibration_statistics(res.log)
>>> list(stats.index) == list(STATISTIC_NAMES)
True
>>> bool(0 < stats["core_share"] < 1), bool(stats["events_per_month"] > 3)
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Statistic", "STATISTICS", "STATISTIC_NAMES", "calibration_statistics", "statistics_of_diagnosis",
           "CalibrationMetrics"]


@dataclass(frozen=True)
class Statistic:
    """One calibration statistic: its name, a plain label, its unit and how it is read off a diagnosis."""

    name: str
    label: str
    unit: str
    read: Callable[[Any], float]


def _level_share(level: str) -> Callable[[Any], float]:
    def read(d: Any) -> float:
        c = d.level_counts.set_index("level")["share"]
        return float(c.get(level, np.nan))
    return read


def _timeline_mean(column: str, *, skip_first: bool = False) -> Callable[[Any], float]:
    def read(d: Any) -> float:
        t = d.timeline
        t = t[~t["partial"].astype(bool)] if "partial" in t else t
        if skip_first:
            t = t.iloc[1:]
        v = pd.to_numeric(t[column], errors="coerce").dropna()
        return float(v.mean()) if len(v) else float("nan")
    return read


def _activity_per_member(d: Any) -> float:
    t = d.timeline
    t = t[~t["partial"].astype(bool)] if "partial" in t else t
    n = pd.to_numeric(t["active_members"], errors="coerce")
    v = (pd.to_numeric(t["activity"], errors="coerce") / n.where(n > 0)).dropna()
    return float(v.mean()) if len(v) else float("nan")


def _indicator(name: str) -> Callable[[Any], float]:
    def read(d: Any) -> float:
        ind = d.indicators.set_index("name")
        if name not in ind.index:
            return float("nan")
        v = pd.to_numeric(pd.Series([ind.at[name, "value"]]), errors="coerce").iloc[0]
        return float(v)
    return read


def _ties_per_member(d: Any) -> float:
    g = d.graph
    return 2.0 * g.n_edges / len(g) if len(g) else float("nan")


def _absence_share(d: Any) -> float:
    factor = _indicator("contributor_absence_factor")(d)
    c = d.level_counts.set_index("level")["count"]
    n = float(c.drop(["outsider", "inactive"], errors="ignore").sum())
    return factor / n if n > 0 else float("nan")


#: The statistics, in report order (see the module docstring for what each reads).
STATISTICS: tuple[Statistic, ...] = (
    Statistic("core_share", "share of members in the core", "share", _level_share("core")),
    Statistic("active_share", "share of members who are active", "share", _level_share("active")),
    Statistic("peripheral_share", "share of members at the periphery", "share", _level_share("peripheral")),
    Statistic("active_members", "active members per month", "members", _timeline_mean("active_members")),
    Statistic("newcomers_per_month", "newcomers per month", "members/month",
              _timeline_mean("newcomers", skip_first=True)),
    Statistic("retention", "month-to-month retention", "share", _timeline_mean("retention", skip_first=True)),
    Statistic("activity_per_member", "activity per active member per month", "weighted participations",
              _activity_per_member),
    Statistic("events_per_month", "events per month", "events/month", _timeline_mean("events")),
    Statistic("clustering", "clustering of the tie graph", "0-1", _timeline_mean("clustering")),
    Statistic("largest_component_share", "share of members in the largest connected group", "share",
              _timeline_mean("largest_component_share")),
    Statistic("core_stability", "share of the core still core a month later", "share",
              _timeline_mean("core_stability", skip_first=True)),
    Statistic("ties_per_member", "ties per member (current window)", "ties", _ties_per_member),
    Statistic("events_per_active_member", "event participations per active member per month", "events/member/month",
              _indicator("events_per_active_member")),
    Statistic("small_group_share", "participation in small groups (<= 10 people)", "share",
              _indicator("small_group_share")),
    Statistic("newcomers_with_tie_share", "newcomers with a first tie within 60 days", "share",
              _indicator("newcomers_with_tie_share")),
    Statistic("time_to_first_tie", "days to a newcomer's first tie (median)", "days", _indicator("time_to_first_tie")),
    Statistic("members_with_collaboration_share", "members in a collaboration this past year", "share",
              _indicator("members_with_collaboration_share")),
    Statistic("cross_org_tie_share", "tie volume crossing organizations", "share", _indicator("cross_org_tie_share")),
    Statistic("siloed_member_share", "members in organizations that stay at the edge together", "share",
              _indicator("siloed_member_share")),
    Statistic("coordinator_involvement_share", "activities the manager organises, brokers or attends", "share",
              _indicator("coordinator_involvement_share")),
    Statistic("brokered_introduction_share", "introductions brokered by the manager", "share",
              _indicator("brokered_introduction_share")),
    Statistic("contributor_absence_share", "fewest members making half the activity, per active member", "share",
              _absence_share),
)

#: Names of :data:`STATISTICS`, in order.
STATISTIC_NAMES: tuple[str, ...] = tuple(s.name for s in STATISTICS)


def statistics_of_diagnosis(diagnosis: Any) -> pd.Series:
    """The :data:`STATISTICS` of a :class:`cop.Diagnosis`, a float Series indexed by name (``NaN`` when missing).

    Examples
    --------
    >>> import cop
    >>> s = statistics_of_diagnosis(cop.diagnose(cop.load_example(), agreement=False))
    >>> round(float(s["newcomers_with_tie_share"]), 2), round(float(s["core_share"]), 2)
    (0.78, 0.21)
    """
    values = {}
    for stat in STATISTICS:
        try:
            v = float(stat.read(diagnosis))
        except (KeyError, ValueError, TypeError, ZeroDivisionError):
            v = float("nan")
        values[stat.name] = v if np.isfinite(v) else float("nan")
    return pd.Series(values, dtype=float, name="value")


def calibration_statistics(log: Any, *, lookback: int | None = None) -> pd.Series:
    """Diagnose ``log`` and return its :data:`STATISTICS` (see :func:`statistics_of_diagnosis`).

    Parameters
    ----------
    log : cop.ActivityLog
        An observed or simulated log.
    lookback : int, optional
        Days of the diagnosis window; a calibration passes the observed log's
        own lookback so simulated logs are read through the same window.

    Examples
    --------
    >>> import cop
    >>> st = calibration_statistics(cop.load_example())
    >>> st.index.tolist()[:3], len(st)
    (['core_share', 'active_share', 'peripheral_share'], 22)
    """
    from cop.diagnosis import diagnose

    return statistics_of_diagnosis(diagnose(log, lookback=lookback, agreement=False))


class CalibrationMetrics:
    """Metric function for :func:`simulation.run_experiment`: a run's statistics as ``period="all"`` rows.

    Picklable (a class with plain attributes), so worker processes can run it.

    Examples
    --------
    >>> import simulation
    >>> res = simulation.run(simulation.Scenario(space={"years": 0.3}, arrivals={"initial_members": 15}), seed=1)
    >>> df = CalibrationMetrics(lookback=60)(res)
    >>> list(df.columns), set(df["period"])
    (['period', 'metric', 'value'], {'all'})
    """

    def __init__(self, lookback: int | None = None) -> None:
        self.lookback = lookback

    def __call__(self, result: Any) -> pd.DataFrame:
        s = calibration_statistics(result.log, lookback=self.lookback)
        return pd.DataFrame({"period": "all", "metric": list(s.index), "value": s.to_numpy()})
