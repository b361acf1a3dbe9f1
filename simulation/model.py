"""The SimPy model: one run of a scenario with one seed.

Time unit: **one day** (``env.now`` is days since ``space.start_date``).  The
processes are

* :func:`simulation.members.arrivals` — daily applicants and admission;
* :func:`simulation.members.member_life` — one per member: onboarding, departure;
* :func:`simulation.encounters.daily_presence` — each workday: presence and
  chance conversations (vectorised over the members present);
* :func:`simulation.manager.manager` — weekly: the manager's hours as a
  :class:`simpy.Container` spent on building, onboarding, events, introductions;
* :func:`simulation.events.event` — one per event, on its day;
* :func:`weekly` — tie decay, collaborations, neglect and exits;
* :func:`simulation.interventions.intervention_process` — one per timed lever.

Participation levels and the life-cycle are not assigned anywhere: they emerge
from these mechanisms and are read back by the diagnosis from the log.

Randomness comes only from :class:`simulation.streams.Streams`: independent
numpy Generators per mechanism, day and member, spawned from the run's seed by
stable keys, so the same scenario and seed give a byte-identical activity log
and two scenarios with the same seed share every draw an intervention does not
touch (common random numbers).

Examples
--------
>>> from simulation import run, Scenario
>>> res = run(Scenario(space={"years": 0.25}, arrivals={"initial_members": 20}), seed=42)
>>> list(res.participations.columns)
['activity_id', 'member_id', 'timestamp', 'kind', 'role', 'topic', 'weight', 'channel']
>>> res.participations["timestamp"].dt.tz is not None
True
>>> run(Scenario(space={"years": 0.25}, arrivals={"initial_members": 20}), seed=42).participations.equals(
...     res.participations)
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import simpy

from cop.io import check_folder
from cop.io import write_csv, write_log
from cop.log import ActivityLog

from ._blas import single_threaded_blas
from .collaborations import weekly_collaborations
from .config import Scenario
from .encounters import daily_presence, decay_ties
from .groups import weekly_threads
from .interventions import apply_intervention, intervention_process
from .manager import manager
from .members import admit_initial, arrivals, weekly_engagement_and_exit
from .space import CHANNELS, KINDS, MANAGER, ORG_TYPES, PLANS, PREFIXES, ROLES, TYPES, Space

__all__ = ["run", "SimulationResult", "weekly", "simulate_space", "seed_of"]


def weekly(env, space: Space):
    """SimPy process: weekly tie decay, online threads, collaborations, neglect and exits."""
    while True:
        yield env.timeout(7)
        day = int(env.now)
        if day >= space.horizon:
            return
        decay_ties(space, 7.0)
        weekly_threads(space, day)
        weekly_collaborations(space, day)
        weekly_engagement_and_exit(space, day)


@dataclass
class SimulationResult:
    """The output of one run.

    Attributes
    ----------
    scenario : Scenario
    seed : int or None
        The integer seed, when the run was seeded with one.
    participations : pandas.DataFrame
        The activity log (one row per participation), in cop's documented columns.
    members : pandas.DataFrame
        Members (plus the manager and external guests) with ``organization``,
        ``role``, ``joined``, ``left`` and extra attributes.
    activities : pandas.DataFrame
        One row per activity: ``activity_id, type, topic, external, organizer``.
    workload : pandas.DataFrame
        The manager's week: ``week, task, hours_demanded, hours_spent, backlog``.

    Examples
    --------
    >>> from simulation import Scenario, run
    >>> res = run(Scenario(space={"years": 0.2}, arrivals={"initial_members": 10}), seed=0)
    >>> res.participations.columns.tolist()[:3], type(res.log).__name__
    (['activity_id', 'member_id', 'timestamp'], 'ActivityLog')
    >>> len(res.log) == len(res.participations)  # diagnose it like any export: cop.diagnose(res.log)
    True
    """

    scenario: Scenario
    seed: int | None
    participations: pd.DataFrame
    members: pd.DataFrame
    activities: pd.DataFrame
    workload: pd.DataFrame
    _log: Any = field(default=None, repr=False)

    @property
    def log(self) -> ActivityLog:
        """The run as a validated :class:`cop.ActivityLog` (built on first use)."""
        if self._log is None:
            self._log = ActivityLog.from_frame(
                self.participations, members=self.members, activities=self.activities, source="<simulation>"
            )
        return self._log

    def write(self, directory: str | os.PathLike, *, log: ActivityLog | None = None) -> Path:
        """Write ``activities.csv``, ``members.csv``, ``activity_details.csv`` and ``workload.csv``.

        The log goes through :func:`cop.write_log`, so ``cop diagnose
        DIR/activities.csv --members DIR/members.csv --activities
        DIR/activity_details.csv`` reads the run back.  ``log`` replaces the
        run's own log, e.g. a pseudonymized copy of it.
        """
        d = Path(directory)
        check_folder(d, option="directory")  # the run's folder is created, its parent must exist
        d.mkdir(exist_ok=True)
        write_log(self.log if log is None else log, d)
        write_csv(self.workload, d / "workload.csv")
        return d


def seed_of(rng: int | np.random.Generator | np.random.SeedSequence | None) -> int | None:
    """The integer seed behind ``rng`` when there is one."""
    if isinstance(rng, (int, np.integer)):
        return int(rng)
    return None


def simulate_space(scenario: Scenario, rng: int | np.random.SeedSequence | np.random.Generator | None
                   ) -> tuple[Space, simpy.Environment]:
    """Build the environment, start every process and run to the horizon (``rng``: the run's seed)."""
    env = simpy.Environment()
    space = Space(env, scenario, rng)
    later = []
    for iv in scenario.interventions:
        if iv.start_month == 0:
            apply_intervention(space.levers, iv, space)
        else:
            later.append(iv)
    admit_initial(space)
    env.process(arrivals(env, space))
    env.process(daily_presence(env, space))
    env.process(manager(env, space))
    env.process(weekly(env, space))
    for iv in later:
        env.process(intervention_process(env, space, iv))
    with single_threaded_blas():
        env.run(until=space.horizon)
    eid = getattr(env, "_eid", None)  # simpy's event counter (itertools.count)
    space.events_scheduled = next(eid) if eid is not None else None
    return space, env


def run(scenario: Scenario | str, seed: int | np.random.Generator | None = None) -> SimulationResult:
    """Run ``scenario`` once and return its activity log, tables and workload.

    Parameters
    ----------
    scenario : Scenario or str
        A scenario, or the name/path of one (see :func:`scenarios.load_scenario`).
    seed : int, numpy.random.Generator or None
        The only source of randomness.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> from simulation import run, Scenario
    >>> res = run(Scenario(space={"years": 0.2}, arrivals={"initial_members": 10}), seed=0)
    >>> res.seed, "presence" in set(res.participations["kind"])
    (0, True)
    """
    if isinstance(scenario, str):
        from scenarios import load_scenario

        scenario = load_scenario(scenario)
    if scenario.network.spaces:  # a network of spaces (issue 16)
        from .network import run_network

        return run_network(scenario, seed)
    space, _env = simulate_space(scenario, seed)
    return _result(space, scenario, seed_of(seed))


def _take(labels, codes: np.ndarray):
    """``labels[codes]`` as a column of pandas' default string type (built from the few labels)."""
    return pd.Series(np.asarray(labels, dtype=object)).array.take(codes)


def _activity_ids(prefix: np.ndarray, number: np.ndarray, start: pd.Timestamp, label: str = "") -> np.ndarray:
    """Activity ids (``conv-000001``, ``checkin-20220103``...) from prefix codes and numbers.

    ``label`` starts every id (a network's space: ``bergen-conv-000001``), so ids stay unique across spaces.
    """
    out = np.empty(len(prefix), dtype=object)
    for code, name in enumerate(PREFIXES):
        sel = np.flatnonzero(prefix == code)
        if not len(sel):
            continue
        if name == "checkin":
            dates = (np.datetime64(start.date()) + number[sel].astype("timedelta64[D]")).astype(str)
            out[sel] = [f"{label}checkin-{d[:4]}{d[5:7]}{d[8:]}" for d in dates.tolist()]
        else:
            out[sel] = [f"{label}{name}-{k:06d}" for k in number[sel].tolist()]
    return out


def _result(space: Space, scenario: Scenario, seed: int | None) -> SimulationResult:
    """The run's tables, one builder per output table."""
    start = pd.Timestamp(scenario.space.start_date, tz="UTC")
    prow, arow = space.record.tables()
    act_ids = _activity_ids(arow[:, 1], arow[:, 2], start, space.id_label)
    names = _person_ids(space)
    return SimulationResult(
        scenario, seed,
        participations=_participations_table(space, prow, arow, act_ids, names, start),
        members=_members_table(space, names, start),
        activities=_activities_table(space, arow, act_ids),
        workload=_workload_table(space, start),
    )


def _topic_labels(space: Space) -> np.ndarray:
    return np.asarray(("",) + space.topics, dtype=object)  # topic code -1 is ""


def _person_ids(space: Space) -> np.ndarray:
    """Ids by person code position: roster members, then the manager, then the guests."""
    n = space.roster.n
    n_guests = len(space.record.guests)
    names = np.empty(n + 1 + n_guests, dtype=object)
    names[:n] = [space.member_id(i) for i in range(n)]
    names[n] = space.manager_id
    names[n + 1:] = [space.guest_id(k) for k in range(n_guests)]
    return names


def _activities_table(space: Space, arow: np.ndarray, act_ids: np.ndarray) -> pd.DataFrame:
    """One row per activity, in creation order."""
    topics = _topic_labels(space)
    return pd.DataFrame(
        {
            "activity_id": _take(act_ids, np.arange(len(act_ids))),
            "type": _take(TYPES, arow[:, 3]),
            "topic": _take(topics, arow[:, 4] + 1),
            "external": arow[:, 5].astype(bool),
            "organizer": _take(space.organizer_labels, arow[:, 6]),
        }
    )


def _participations_table(space: Space, prow: np.ndarray, arow: np.ndarray, act_ids: np.ndarray,
                          names: np.ndarray, start: pd.Timestamp) -> pd.DataFrame:
    """The activity log, sorted by time, then activity id (stable)."""
    act = prow[:, 0]
    minutes = prow[:, 2]
    if int(arow[:, 2].max(initial=0)) < 1_000_000:  # zero-padded numbers: id order is (prefix, number)
        rank = np.empty(len(arow), dtype=np.int64)
        rank[arow[:, 0]] = arow[:, 1] * 10**9 + arow[:, 2]
        order = np.lexsort((rank[act], minutes))
    else:
        order = np.lexsort((pd.factorize(act_ids, sort=True)[0][act], minutes))
    prow = prow[order]
    n = space.roster.n
    topics = _topic_labels(space)
    # member codes: roster index i >= 0, the manager -1, guest k at -2 - k
    code = prow[:, 1]
    who = np.where(code >= 0, code, np.where(code == MANAGER, n, n - 1 - code))
    parts = pd.DataFrame(
        {
            "activity_id": _take(act_ids, prow[:, 0]),
            "member_id": _take(names, who),
            "timestamp": pd.DatetimeIndex(
                start.as_unit("ns").value + prow[:, 2] * 60_000_000_000, tz="UTC"
            ) if len(prow) else pd.DatetimeIndex([], tz="UTC"),
            "kind": _take(KINDS, prow[:, 3]),
            "role": _take(ROLES, prow[:, 4]),
            "topic": _take(topics, prow[:, 5] + 1),
            "weight": np.ones(len(prow)),
            "channel": _take(CHANNELS, prow[:, 6]),
        }
    )
    parts["timestamp"] = parts["timestamp"].astype("datetime64[ns, UTC]")
    return parts


def _day_ts(start: pd.Timestamp, days: np.ndarray) -> pd.Series:
    """Timestamps of day numbers (``NaT`` for negative ones)."""
    out = start + pd.to_timedelta(np.where(days >= 0, days, 0), unit="D")
    return pd.Series(out).where(days >= 0).astype("datetime64[ns, UTC]")


def _members_table(space: Space, names: np.ndarray, start: pd.Timestamp) -> pd.DataFrame:
    """Members with their attributes, then the manager and the external guests."""
    r = space.roster
    n = r.n
    org_sizes = np.bincount(r.org[:n], minlength=len(space.org_names)) if n else np.zeros(0, int)
    org_names = np.asarray(space.org_names, dtype=object)
    members = pd.DataFrame(
        {
            "member_id": names[:n],
            "organization": org_names[r.org[:n]] if n else [],
            "role": ["member"] * n,
            "joined": _day_ts(start, r.joined[:n]),
            "left": _day_ts(start, r.left[:n]),
            "org_type": np.asarray(ORG_TYPES, dtype=object)[r.org_type[:n].astype(int)] if n else [],
            "org_size": org_sizes[r.org[:n]] if n else [],
            "interests": [";".join([space.topics[t] for t in r.topic_list[i]]) for i in range(n)],
            "onboarded": _day_ts(start, r.onboarded_day[:n]),
            "plan": np.asarray(PLANS, dtype=object)[r.plan[:n].astype(int)] if n else [],
            "tool_user": r.tool_user[:n].copy(),
            "engagement_at_exit": r.exit_engagement[:n].round(6),
            "engagement_final": np.where(r.active[:n], r.engagement[:n], np.nan).round(6),
        }
    )
    members = pd.concat([members, _staff_and_guests(space, start)], ignore_index=True)
    members["org_size"] = members["org_size"].astype("int64")
    members["tool_user"] = members["tool_user"].astype(bool)
    return members


def _staff_and_guests(space: Space, start: pd.Timestamp) -> pd.DataFrame:
    """The manager's row and one row per external guest (on the day of their event)."""
    left_mgr = space.manager_left_day
    extra = [
        {
            "member_id": space.manager_id,
            "organization": "space",
            "role": "manager",
            "joined": start,
            "left": start + pd.Timedelta(days=left_mgr) if left_mgr is not None else pd.NaT,
            "org_type": "space",
            "org_size": 1,
            "interests": "",
            "tool_user": False,
        }
    ]
    extra += [
        {
            "member_id": space.guest_id(g),
            "organization": "external",
            "role": "guest",
            "joined": start + pd.Timedelta(days=d),
            "left": start + pd.Timedelta(days=d),
            "org_type": "external",
            "org_size": 0,
            "interests": "",
            "tool_user": False,
        }
        for g, d in enumerate(space.record.guests)
    ]
    ext = pd.DataFrame(extra)
    for c in ("joined", "left"):
        ext[c] = pd.to_datetime(ext[c], utc=True).astype("datetime64[ns, UTC]")
    return ext


def _workload_table(space: Space, start: pd.Timestamp) -> pd.DataFrame:
    """The manager's weeks: ``week, task, hours_demanded, hours_spent, backlog``."""
    wl = pd.DataFrame(space.record.workload, columns=["day", "task", "hours_demanded", "hours_spent", "backlog"])
    wl.insert(0, "week", (start + pd.to_timedelta(wl["day"], unit="D")).astype("datetime64[ns, UTC]"))
    wl = wl.drop(columns="day")
    wl["hours_demanded"] = wl["hours_demanded"].astype(float).round(6)
    wl["hours_spent"] = wl["hours_spent"].astype(float).round(6)
    wl["backlog"] = wl["backlog"].astype("int64")
    return wl
