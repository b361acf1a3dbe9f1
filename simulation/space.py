"""Shared state of one simulated community: members, ties, levers and the record.

The state lives in small classes (like SimPy's ``carwash`` example): the
processes in :mod:`simulation.members`, :mod:`simulation.encounters`,
:mod:`simulation.manager`, :mod:`simulation.events` and
:mod:`simulation.collaborations` read and change it.

* :class:`Levers` holds the *current* value of every intervention lever (the
  scenario gives the starting values; :mod:`simulation.interventions` switches
  them at simulated dates).
* :class:`Roster` holds one row per person ever admitted, as growable numpy
  arrays (engagement, presence, interests, organisation...), and the dense
  symmetric tie-strength matrix.
* :class:`Recorder` collects the activity log rows (participations, activities,
  the manager's weekly workload) as plain lists, turned into DataFrames once at
  the end of the run.

Time is measured in days since ``space.start_date``; a log row's time is stored
in minutes since the start.

Examples
--------
>>> import numpy as np
>>> from simulation.space import Roster
>>> r = Roster(n_topics=3)
>>> i = r.add(day=0, org=0, org_type=0, sociability=1.0, openness=1.0,
...           interests=np.array([True, False, True]), engagement=0.5)
>>> r.n, r.active_idx().tolist()
(1, [0])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Levers", "Roster", "Recorder", "Space", "ORG_TYPES", "MINUTES_PER_DAY"]

#: Organisation types, coded 0, 1, 2 in :attr:`Roster.org_type`.
ORG_TYPES: tuple[str, ...] = ("freelancer", "startup", "large_company")
MINUTES_PER_DAY = 1440


@dataclass
class Levers:
    """Current values of the intervention levers (mutable runtime state)."""

    hours_per_week: float
    cadence_days: int
    professional_share: float
    theme: str | None = None
    theme_fit: float = 0.0
    theme_interest_share: float = 0.0
    tool_adoption: float = 0.0
    tool_suggestions_per_month: float = 0.0
    tool_cost_factor: float = 1.0
    seat_cap: int | None = None
    onboarding_introductions: int = 2
    onboarding_hours: float = 1.5
    onboarding_boost: float = 0.0
    story_share_probability: float = 0.05
    story_value: float = 0.02
    speaker_guests: float = 0.0
    speaker_relevance: float = 0.0


class Roster:
    """Everyone ever admitted, as growable arrays, plus the tie-strength matrix."""

    def __init__(self, n_topics: int, capacity: int = 256) -> None:
        self.n = 0
        self.n_topics = n_topics
        self._cap = 0
        self._grow(capacity)

    def _grow(self, cap: int) -> None:
        def g(name, dtype, fill, shape=()):
            new = np.full((cap, *shape), fill, dtype=dtype)
            old = getattr(self, name, None)
            if old is not None:
                new[: self._cap] = old
            setattr(self, name, new)

        g("active", bool, False)
        g("joined", np.int64, -1)
        g("left", np.int64, -1)
        g("org", np.int64, -1)
        g("org_type", np.int8, 0)
        g("sociability", np.float64, 1.0)
        g("openness", np.float64, 1.0)
        g("engagement", np.float64, 0.0)
        g("onboarded", bool, False)
        g("onboarded_day", np.int64, -1)
        g("tool_user", bool, False)
        g("exit_engagement", np.float64, np.nan)
        g("interests", bool, False, (self.n_topics,))
        ties = np.zeros((cap, cap), dtype=np.float32)
        old = getattr(self, "ties", None)
        if old is not None:
            ties[: self._cap, : self._cap] = old
        self.ties = ties
        self._cap = cap

    def add(self, *, day, org, org_type, sociability, openness, interests, engagement) -> int:
        """Admit one person and return their index."""
        if self.n == self._cap:
            self._grow(self._cap * 2)
        i = self.n
        self.n += 1
        self.active[i] = True
        self.joined[i] = day
        self.org[i] = org
        self.org_type[i] = org_type
        self.sociability[i] = sociability
        self.openness[i] = openness
        self.interests[i] = interests
        self.engagement[i] = engagement
        return i

    def remove(self, i: int, day: int) -> None:
        """Mark a member as gone; their ties vanish with them."""
        self.active[i] = False
        self.left[i] = day
        self.exit_engagement[i] = self.engagement[i]
        self.ties[i, :] = 0.0
        self.ties[:, i] = 0.0

    def active_idx(self) -> np.ndarray:
        """Indices of current members."""
        return np.flatnonzero(self.active[: self.n])


@dataclass
class Recorder:
    """Rows of the activity log, collected as lists during the run."""

    # participations
    p_activity: list = field(default_factory=list)
    p_member: list = field(default_factory=list)
    p_minute: list = field(default_factory=list)
    p_kind: list = field(default_factory=list)
    p_role: list = field(default_factory=list)
    p_topic: list = field(default_factory=list)
    p_channel: list = field(default_factory=list)
    # activities
    activities: list = field(default_factory=list)
    # manager workload: (week_day, task, demanded, spent, backlog)
    workload: list = field(default_factory=list)
    # guests: (guest_id, day)
    guests: list = field(default_factory=list)
    counters: dict = field(default_factory=lambda: {"conversation": 0, "introduction": 0, "event": 0, "collaboration": 0})

    def next_id(self, prefix: str) -> str:
        """A new activity id such as ``intro-000001``."""
        self.counters[prefix] += 1
        return f"{_PREFIX[prefix]}-{self.counters[prefix]:06d}"

    def participate(self, activity_id: str, members, minute: int, kind: str, role, topic: str, channel: str) -> None:
        """Record one participation row per member (``role`` may be a list)."""
        if isinstance(members, (str, np.str_)):
            members = [members]
        k = len(members)
        self.p_activity.extend([activity_id] * k)
        self.p_member.extend(members)
        self.p_minute.extend([minute] * k)
        self.p_kind.extend([kind] * k)
        self.p_role.extend(role if isinstance(role, list) else [role] * k)
        self.p_topic.extend([topic] * k)
        self.p_channel.extend([channel] * k)


_PREFIX = {"conversation": "conv", "introduction": "intro", "event": "event", "collaboration": "collab"}


class Space:
    """The shared state a simulation's processes work on.

    Parameters
    ----------
    env : simpy.Environment
    scenario : simulation.config.Scenario
    rng : numpy.random.Generator
    """

    MANAGER_ID = "manager-1"

    def __init__(self, env, scenario, rng: np.random.Generator) -> None:
        self.env = env
        self.scenario = scenario
        self.rng = rng
        self.topics = tuple(scenario.space.topics)
        self.roster = Roster(len(self.topics))
        self.record = Recorder()
        m = scenario.manager
        self.levers = Levers(
            hours_per_week=m.hours_per_week,
            cadence_days=scenario.events.cadence_days,
            professional_share=scenario.events.professional_share,
            onboarding_introductions=m.onboarding_introductions,
            onboarding_hours=m.onboarding_hours,
            story_share_probability=scenario.collaborations.story_share_probability,
            story_value=scenario.collaborations.story_value,
        )
        self.horizon = int(round(scenario.space.years * 365.25))
        self.org_names: list[str] = []
        self.org_types: list[int] = []
        self.org_members: list[int] = []  # current members per org
        self.manager_left_day: int | None = None
        self.onboarding_queue: list[int] = []  # member indices waiting, FIFO
        self.onboarding_events: dict[int, object] = {}
        self.departure_events: dict[int, object] = {}
        self.next_event_day = scenario.events.cadence_days if scenario.events.cadence_days else None
        self.story_boost_until = -1

    def member_id(self, i: int) -> str:
        """The public id of roster index ``i``."""
        return f"m{i + 1:05d}"

    def is_workday(self, day: int) -> bool:
        """Whether members come in on ``day`` (weekends only if the space opens them)."""
        if self.scenario.space.open_weekends:
            return True
        return (self.scenario.space.start_date.weekday() + day) % 7 < 5

    def clip_day(self, day: int) -> int:
        """``day`` limited to the simulated horizon (for activities spread over a week)."""
        return min(int(day), self.horizon - 1)

    def month(self, day: float) -> float:
        """Simulated months elapsed at ``day``."""
        return day / (365.25 / 12)
