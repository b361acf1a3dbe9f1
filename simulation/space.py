"""Shared state of one simulated community: members, ties, levers and the record.

The state lives in small classes (like SimPy's ``carwash`` example): the
processes in :mod:`simulation.members`, :mod:`simulation.encounters`,
:mod:`simulation.manager`, :mod:`simulation.events` and
:mod:`simulation.collaborations` read and change it.

* :class:`Levers` holds the *current* value of every intervention lever (the
  scenario gives the starting values; :mod:`simulation.interventions` switches
  them at simulated dates).
* :class:`Roster` holds one row per person ever admitted, as growable numpy
  arrays (engagement, knowledge of who does what, plan, interests,
  organisation...), and the sparse tie strengths of the *current* members
  (:class:`simulation.ties.Ties`).
* :class:`Recorder` collects the activity log rows (participations, activities,
  the manager's weekly workload) as integer codes in lists and numpy blocks,
  turned into DataFrames once at the end of the run.

Time is measured in days since ``space.start_date``; a log row's time is stored
in minutes since the start.

Examples
--------
>>> import numpy as np
>>> from simulation.space import Roster
>>> r = Roster(n_topics=3)
>>> i = r.add(day=0, org=0, org_type=0, sociability=1.0,
...           interests=np.array([True, False, True]), engagement=0.5)
>>> r.n, r.active_idx().tolist()
(1, [0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .streams import Streams
from .ties import Ties

__all__ = ["Levers", "Roster", "Recorder", "Space", "ORG_TYPES", "PLANS", "MINUTES_PER_DAY", "KINDS", "ROLES", "CHANNELS",
           "TYPES", "PREFIXES", "ORGANIZERS", "MANAGER"]

#: Organisation types, coded 0, 1, 2 in :attr:`Roster.org_type`.
ORG_TYPES: tuple[str, ...] = ("freelancer", "startup", "large_company")
#: Membership plans, coded 0, 1, 2 in :attr:`Roster.plan`.
PLANS: tuple[str, ...] = ("full_time", "part_time", "day_pass")
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
    tool_ranking: str = "manager"  # who picks the tool's pairs (simulation.match_ranking.RANKINGS)
    seat_cap: int | None = None
    onboarding_introductions: int = 2
    onboarding_hours: float = 1.5
    story_share_probability: float = 0.05
    story_learning: float = 0.1
    tool_fade_per_month: float = 0.0
    speaker_guests: float = 0.0
    speaker_relevance: float = 0.0
    #: networks of spaces (:mod:`simulation.network`): chance a member present works that day at another space
    visit_probability: float = 0.0
    #: networks of spaces: share of this space's professional events streamed to the other spaces
    stream_share: float = 0.0
    #: networks of spaces: share of this space's professional events whose speaker tours the other spaces
    tour_share: float = 0.0


class Roster:
    """Everyone ever admitted, as growable arrays, plus the tie strengths of current members.

    Ties are sparse (:class:`simulation.ties.Ties`, keyed by roster index): a
    departing member's ties are dropped, so memory and per-day work grow with
    the ties of current members, never with the square of the head-count.

    ``version`` changes whenever the set of current or onboarded members does;
    :meth:`active_idx` and :meth:`onboarded_idx` are cached on it.
    """

    def __init__(self, n_topics: int, capacity: int = 256) -> None:
        self.n = 0
        self.n_topics = n_topics
        self.n_active = 0
        self.version = 0
        self._cap = 0
        self._grow(capacity)
        self.ties = Ties()
        self.topic_list: list[tuple[int, ...]] = []  # interests of member i as topic indices
        self.topic_mask: list[int] = []  # the same as a bit mask
        self._cache: dict[str, tuple[int, np.ndarray]] = {}

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
        g("plan", np.int8, 0)
        g("sociability", np.float64, 1.0)
        g("engagement", np.float64, 0.0)
        g("knowledge", np.float64, 0.0)
        g("onboarded", bool, False)
        g("onboarded_day", np.int64, -1)
        g("tool_user", bool, False)
        g("tool_left_day", np.int64, -1)
        g("tool_offers", np.float64, 0.0)
        g("tool_declined", np.float64, 0.0)
        g("exit_engagement", np.float64, np.nan)
        g("interests", bool, False, (self.n_topics,))
        g("serial", np.int64, -1)
        self._cap = cap

    def add(self, *, day, org, org_type, sociability, interests, engagement, plan=0, serial=-1) -> int:
        """Admit one person and return their index (``serial``: their applicant number, the key of their draws)."""
        if self.n == self._cap:
            self._grow(self._cap * 2)
        i = self.n
        self.n += 1
        self.active[i] = True
        self.joined[i] = day
        self.org[i] = org
        self.org_type[i] = org_type
        self.plan[i] = plan
        self.sociability[i] = sociability
        self.interests[i] = interests
        self.engagement[i] = engagement
        self.serial[i] = serial
        topics = tuple(np.flatnonzero(interests).tolist())
        self.topic_list.append(topics)
        self.topic_mask.append(sum(1 << t for t in topics))
        self.n_active += 1
        self.version += 1
        return i

    def add_block(self, *, day: int, org: np.ndarray, org_type: np.ndarray, sociability: np.ndarray,
                  interests: np.ndarray, engagement: np.ndarray, plan: np.ndarray, serial: np.ndarray) -> np.ndarray:
        """Admit ``len(org)`` people at once (rows as :meth:`add` would make them one by one); return their indices."""
        k = len(org)
        while self.n + k > self._cap:
            self._grow(self._cap * 2)
        idx = np.arange(self.n, self.n + k)
        self.n += k
        self.active[idx] = True
        self.joined[idx] = day
        self.org[idx] = org
        self.org_type[idx] = org_type
        self.plan[idx] = plan
        self.sociability[idx] = sociability
        self.interests[idx] = interests
        self.engagement[idx] = engagement
        self.serial[idx] = serial
        for row in interests:
            topics = tuple(np.flatnonzero(row).tolist())
            self.topic_list.append(topics)
            self.topic_mask.append(sum(1 << t for t in topics))
        self.n_active += k
        self.version += 1
        return idx

    def remove(self, members, day: int) -> None:
        """Mark members (an index or an array of them) as gone; their ties vanish with them."""
        m = np.atleast_1d(np.asarray(members, dtype=np.int64))
        if len(m) == 0:
            return
        self.active[m] = False
        self.left[m] = day
        self.exit_engagement[m] = self.engagement[m]
        self.ties.remove_members(m)
        self.n_active -= len(m)
        self.version += 1

    def set_onboarded(self, i: int, day: int) -> None:
        """Mark member ``i`` onboarded on ``day``."""
        self.onboarded[i] = True
        self.onboarded_day[i] = day
        self.version += 1

    def _cached(self, key: str, make) -> np.ndarray:
        hit = self._cache.get(key)
        if hit is not None and hit[0] == self.version:
            return hit[1]
        value = make()
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, np.ndarray):
                v.flags.writeable = False
        self._cache[key] = (self.version, value)
        return value

    def active_idx(self) -> np.ndarray:
        """Indices of current members (read-only, cached)."""
        return self._cached("active", lambda: np.flatnonzero(self.active[: self.n]))

    def onboarded_idx(self) -> np.ndarray:
        """Indices of current, onboarded members (read-only, cached)."""
        return self._cached("onboarded", lambda: np.flatnonzero(self.active[: self.n] & self.onboarded[: self.n]))

    def add_ties(self, a: np.ndarray, b: np.ndarray, amount) -> None:
        """Strengthen the ties between the pairs ``(a[k], b[k])`` (repeated pairs add up)."""
        self.ties.add(a, b, amount)

    def add_tie(self, a: int, b: int, amount: float) -> None:
        """Strengthen one tie."""
        self.ties.add_one(a, b, amount)


#: Codes of the log's categorical columns (the recorder stores integers).
KINDS = ("presence", "interaction", "collaboration", "event")
ROLES = ("attendee", "sender", "recipient", "organizer", "guest", "partner")
CHANNELS = ("public", "private")
TYPES = ("checkin", "conversation", "introduction", "onboarding", "social", "professional", "collaboration",
         "lunch", "thread")
#: Activity-id prefixes, in the lexicographic order of the ids they start.
PREFIXES = ("checkin", "collab", "conv", "event", "group", "intro", "onboard", "thread")
ORGANIZERS = ("", "manager-1", "matchmaking-tool")
MANAGER = -1  # member code of the manager; guest k (0-based) is -2 - k
_COUNTER_OF = {"checkin": None, "collab": "collaboration", "conv": "conversation", "event": "event",
               "intro": "introduction", "onboard": "introduction", "group": "group", "thread": "thread"}
_PCODE = {p: k for k, p in enumerate(PREFIXES)}


class Recorder:
    """Rows of the activity log, collected as integer codes during the run.

    Single activities (an introduction, a collaboration) append tuples to
    lists; the bulk of the log (a day's check-ins and conversations, an
    event's attendees) arrives as numpy blocks.  :meth:`tables` turns both into
    arrays once, at the end of the run.

    Participation rows: ``(activity, member, minute, kind, role, topic,
    channel)`` where ``activity`` is the activity's sequence number, ``member``
    a roster index (or :data:`MANAGER`, or ``-2 - k`` for guest ``k``) and
    ``topic`` an index into the space's topics (``-1``: none).  Activity rows:
    ``(prefix, number, type, topic, external, organizer)``.
    """

    def __init__(self) -> None:
        self._p_rows: list[tuple] = []
        self._p_blocks: list[np.ndarray] = []
        self._a_rows: list[tuple] = []
        self._a_blocks: list[np.ndarray] = []
        self.n_activities = 0
        self.n_participations = 0
        #: manager workload: (week_day, task, demanded, spent, backlog)
        self.workload: list = []
        #: guests: the day each guest came
        self.guests: list[int] = []
        self.counters: dict = {"conversation": 0, "introduction": 0, "event": 0, "collaboration": 0, "group": 0,
                               "thread": 0}

    def activity(self, prefix: str, type_: str, topic: int, *, external: bool = False, organizer: int = 0,
                 number: int | None = None) -> int:
        """Register one activity and return its sequence number."""
        if number is None:
            c = _COUNTER_OF[prefix]
            self.counters[c] += 1
            number = self.counters[c]
        seq = self.n_activities
        self.n_activities += 1
        self._a_rows.append((seq, _PCODE[prefix], number, TYPES.index(type_), topic, int(external), organizer))
        return seq

    def activities_block(self, prefix: str, type_: str, topics: np.ndarray) -> np.ndarray:
        """Register ``len(topics)`` activities at once; return their sequence numbers."""
        k = len(topics)
        c = _COUNTER_OF[prefix]
        numbers = np.arange(self.counters[c] + 1, self.counters[c] + 1 + k)
        self.counters[c] += k
        seq = np.arange(self.n_activities, self.n_activities + k)
        self.n_activities += k
        block = np.zeros((k, 7), dtype=np.int64)
        block[:, 0] = seq
        block[:, 1] = _PCODE[prefix]
        block[:, 2] = numbers
        block[:, 3] = TYPES.index(type_)
        block[:, 4] = topics
        self._a_blocks.append(block)
        return seq

    def row(self, activity: int, member: int, minute: int, kind: int, role: int, topic: int, channel: int) -> None:
        """Record one participation (integer codes)."""
        self._p_rows.append((activity, member, minute, kind, role, topic, channel))
        self.n_participations += 1

    def block(self, activity, members, minute, kind: int, role, topic, channel: int) -> None:
        """Record ``len(members)`` participations; the other columns are scalars or arrays."""
        k = len(members)
        if k == 0:
            return
        b = np.empty((k, 7), dtype=np.int64)
        b[:, 0] = activity
        b[:, 1] = members
        b[:, 2] = minute
        b[:, 3] = kind
        b[:, 4] = role
        b[:, 5] = topic
        b[:, 6] = channel
        self._p_blocks.append(b)
        self.n_participations += k

    def pair_block(self, activities, a, b, minutes, kind: int, roles: tuple[int, int], topics, channel: int) -> None:
        """Record two-person activities: rows ``a[k]`` then ``b[k]`` for each activity ``k``."""
        k = len(a)
        if k == 0:
            return
        blk = np.empty((2 * k, 7), dtype=np.int64)
        for half, who, role in ((blk[0::2], a, roles[0]), (blk[1::2], b, roles[1])):
            half[:, 0] = activities
            half[:, 1] = who
            half[:, 2] = minutes
            half[:, 3] = kind
            half[:, 4] = role
            half[:, 5] = topics
            half[:, 6] = channel
        self._p_blocks.append(blk)
        self.n_participations += 2 * k

    def participations_since(self, cursor: tuple[int, int] | None = None) -> tuple[np.ndarray, tuple[int, int]]:
        """Participation rows (``k x 7``) recorded since ``cursor``, and the cursor now.

        ``cursor`` is what an earlier call returned (``None``: from the start);
        each row is returned once (the numpy blocks first, then the single rows, as in :meth:`tables`).
        """
        blocks, rows = cursor if cursor is not None else (0, 0)
        new = self._p_blocks[blocks:]
        if len(self._p_rows) > rows:
            new = new + [np.array(self._p_rows[rows:], dtype=np.int64)]
        out = np.concatenate(new) if new else np.zeros((0, 7), dtype=np.int64)
        return out, (len(self._p_blocks), len(self._p_rows))

    def tables(self) -> tuple[np.ndarray, np.ndarray]:
        """All participation rows (``n x 7``) and activity rows (``n x 7``, in creation order)."""
        p = self._p_blocks + ([np.array(self._p_rows, dtype=np.int64)] if self._p_rows else [])
        a = self._a_blocks + ([np.array(self._a_rows, dtype=np.int64)] if self._a_rows else [])
        parts = np.concatenate(p) if p else np.zeros((0, 7), dtype=np.int64)
        acts = np.concatenate(a) if a else np.zeros((0, 7), dtype=np.int64)
        acts = acts[np.argsort(acts[:, 0], kind="stable")]
        return parts, acts


class Space:
    """The shared state a simulation's processes work on.

    Parameters
    ----------
    env : simpy.Environment
    scenario : simulation.config.Scenario
    rng : int, numpy.random.SeedSequence, numpy.random.Generator or None
        The run's seed, the root of :attr:`streams`.
    """

    MANAGER_ID = "manager-1"
    #: labels of the activities' ``organizer`` codes (:data:`ORGANIZERS`, with this space's manager id)
    organizer_labels: tuple[str, ...] = ORGANIZERS
    #: start of every activity id (``""``: one space; a network's space ``"bergen-"``)
    id_label = ""
    #: the network the space belongs to (:class:`simulation.network.Network`), ``None`` for one space
    network = None

    def __init__(self, env, scenario, rng) -> None:
        self.env = env
        self.scenario = scenario
        self.streams = Streams(rng)
        self.n_applicants = 0  # serial number of the next applicant (refused ones included)
        self.topics = tuple(scenario.space.topics)
        self.roster = Roster(len(self.topics))
        self.topic_index = {t: k for k, t in enumerate(self.topics)}
        self.record = Recorder()
        m = scenario.manager
        self.levers = Levers(
            hours_per_week=m.hours_per_week,
            cadence_days=scenario.events.cadence_days,
            professional_share=scenario.events.professional_share,
            onboarding_introductions=m.onboarding_introductions,
            onboarding_hours=m.onboarding_hours,
            story_share_probability=scenario.collaborations.story_share_probability,
            story_learning=scenario.collaborations.story_learning,
        )
        self.horizon = int(round(scenario.space.years * 365.25))
        self.org_names: list[str] = []
        # per organisation (the first len(org_names) entries): type code and current members
        self.org_types = np.zeros(64, dtype=np.int8)
        self.org_members = np.zeros(64, dtype=np.int64)
        self.manager_left_day: int | None = None
        self.onboarding_queue: list[int] = []  # member indices waiting, FIFO
        self.onboarding_events: dict[int, object] = {}
        self.departure_events: dict[int, object] = {}
        self.next_event_day = scenario.events.cadence_days if scenario.events.cadence_days else None
        self._open_weekends = scenario.space.open_weekends
        self._start_weekday = scenario.space.start_date.weekday()
        # seasonality: closed days (holidays) and the presence factor of each day (summer)
        sc = scenario.space
        dates = np.datetime64(sc.start_date, "D") + np.arange(self.horizon + 14)
        month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
        dom = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
        closed = ((month == 12) & (dom >= 24)) | ((month == 1) & (dom == 1))
        self._closed = closed if sc.holiday_closure else np.zeros(len(dates), dtype=bool)
        self._manager_days: dict[int, bool] = {}
        self.season = np.where(np.isin(month, (7, 8)), sc.summer_presence_factor, 1.0)
        self.matchmaking = None  # simulation.match_ranking.MatchState, made on first use

    def member_id(self, i: int) -> str:
        """The public id of roster index ``i``."""
        return f"m{i + 1:05d}"

    @property
    def manager_id(self) -> str:
        """The public id of the space's manager (:attr:`MANAGER_ID`)."""
        return self.MANAGER_ID

    def guest_id(self, k: int) -> str:
        """The public id of external guest ``k`` (0-based)."""
        return f"g{k + 1:05d}"

    def is_closed(self, day: int) -> bool:
        """Whether the space is closed on ``day`` (holidays)."""
        return bool(day < len(self._closed) and self._closed[day])

    def is_workday(self, day: int) -> bool:
        """Whether members come in on ``day`` (weekends only if the space opens them; closed on holidays)."""
        if day < len(self._closed) and self._closed[day]:
            return False
        if self._open_weekends:
            return True
        return (self._start_weekday + day) % 7 < 5

    def manager_present(self, day: int) -> bool:
        """Whether the manager is in the space on ``day`` (``manager.presence_days_per_week``, while employed)."""
        hit = self._manager_days.get(day)
        if hit is None:
            p = min(self.scenario.manager.presence_days_per_week / 5.0, 1.0)
            hit = self._manager_days[day] = bool(
                self.levers.hours_per_week > 0 and self.is_workday(day)
                and self.streams.for_("manager_presence", day).random() < p)
        return hit

    def clip_day(self, day: int) -> int:
        """``day`` limited to the simulated horizon (for activities spread over a week)."""
        return min(int(day), self.horizon - 1)

    def member_uniforms(self, mechanism: str, key: int, idx: np.ndarray, columns: int = 1) -> np.ndarray:
        """Uniforms for members ``idx`` (roster indices), read by their serial numbers (common random numbers)."""
        return self.streams.by_member(mechanism, key, self.roster.serial[idx], columns=columns,
                                      n_serials=self.n_applicants)

    def month(self, day: float) -> float:
        """Simulated months elapsed at ``day``."""
        return day / (365.25 / 12)
