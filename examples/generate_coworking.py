"""Generate the example coworking-space dataset shipped with ``cop``.

The dataset describes *Kallio Hub*, a fictional coworking space in Helsinki
run by the (fictional) operator **Hub Oy**, from its opening on 2023-01-02 to
2025-06-30.  All people and organizations are invented; names are
pseudonymous display names such as ``"Aino K."``.

It is written in cop's documented input format, three CSV files:

``activities.csv``
    The participation log, one row per participation:
    ``activity_id,member_id,timestamp,kind,role,topic,weight,channel``.
``members.csv``
    ``member_id,name,organization,role,joined,left,org_size,profession``.
``activity_details.csv``
    ``activity_id,type,topic,external,organizer``, one row per activity.

The model of the data
---------------------
The generator is a small hand-written stochastic model (plain NumPy, no
simulation package).  Its structure is deliberate, so that the diagnostics of
``cop`` have something real to find:

*Members and organizations.*  About 35 people move in during the opening month
(founding cohort), growth is strong through 2023 and slows to replacement level
in 2024-2025.  Organizations: ~110 freelancers (each their own one-person
trade name), 13 startups of 2-6 people (founders first, hires later; two
startups fold and one grows out of the space), and two large company teams,
*Nordbank Digital* (~20 people) and *Kivi Industrial Labs* (~12 people).
Plus one community manager (``m0001``), one host (``m0002``), both of Hub Oy,
and external guests (``g0001``...) who come to talks and parties.

*Engagement.*  Every member has a latent engagement level drawn from a skewed
Beta distribution, so a small core attends most events while most members are
peripheral.  Engagement is higher during a member's first month (newcomer
curiosity) and fades over the last two months before they leave.

*Presence.*  Every weekday the space is open (Finnish public holidays closed)
there is one check-in activity ``checkin-YYYY-MM-DD`` (kind ``presence``) shared
by everyone who came in; ``weight`` is hours in the space / 8.  Probability of
coming in depends on organization (teams come in most), engagement and season
(July and the Christmas weeks are quiet).  The host checks in every working day.

*Events.*  A social breakfast every Tuesday (not in July, not over Christmas),
a professional talk on the second Thursday of each month (not in July), six big
parties, and from autumn 2023 a dozen workshops run by core members.  Talk
topics drift: fintech and design dominate 2023, sustainability rises through
2024.  New members' interests follow the same drift.  Attendance depends on
engagement and on whether the topic matches the member's interests.

*Introductions.*  The community manager brokers most 1:1 introductions
(``intro-0001``...; kind ``interaction``, channel ``private``; two rows: role
``sender`` for the member being introduced, ``recipient`` for the member they
are introduced to; the broker is the ``organizer`` in activity_details).  Most
are onboarding introductions in a newcomer's first four weeks.  Newcomers who
get no introduction churn at almost twice the rate.

*The manager-centred network and its fragility.*  The manager organizes most
events and brokers most introductions.  The manager is away from 2024-06-17
to 2024-08-16: no talks, no brokered introductions, staff-run breakfasts;
members who join then get few introductions and churn more -- a visible
summer-2024 dip.

*A stuck periphery.*  The two large company teams check in almost daily but
rarely attend events, are rarely introduced and never collaborate: they sit
at the periphery of the graph for the whole period.

*Collaborations.*  About a dozen formal collaborations (kind ``collaboration``,
role ``partner``, channel ``private``) of 2-4 members, most between members
who were introduced earlier, the rest between co-attendees of a talk.

*Chat.*  Threads in the space's chat (``thread-00001``...; kind
``interaction``), public channel threads and private direct messages.  Chat
timestamps are exported in UTC (``Z``), everything else in Helsinki local time
with its offset, as real exports from different systems would be.

Reproducibility
---------------
One ``numpy.random.SeedSequence`` seeds the run; each part of the model draws
from its own spawned child generator, so changing one part does not reshuffle
the others.  Rows are sorted deterministically and floats formatted with a
fixed format, so the same seed gives byte-identical files.

Usage::

    python examples/generate_coworking.py [--seed 7] [--out examples/coworking]

With the default ``--out`` the files are also copied to ``cop/data/coworking/``
(package data); pass ``--package-dir`` to choose or ``--no-package-copy`` to
skip.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

__all__ = ["generate", "write_dataset", "main", "DEFAULT_SEED"]

DEFAULT_SEED = 7
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "examples" / "coworking"
DEFAULT_PACKAGE_DIR = ROOT / "cop" / "data" / "coworking"

TZ = ZoneInfo("Europe/Helsinki")
START = date(2023, 1, 2)
END = date(2025, 6, 30)
N_DAYS = (END - START).days + 1

TOPICS = ("ai", "design", "sustainability", "fintech", "health")
#: Topic popularity at three anchor dates; linearly interpolated in between.
TOPIC_DRIFT = (
    (date(2023, 1, 1), (0.20, 0.30, 0.04, 0.34, 0.12)),
    (date(2024, 6, 1), (0.18, 0.12, 0.48, 0.10, 0.12)),
    (date(2025, 6, 30), (0.32, 0.08, 0.42, 0.06, 0.12)),
)

HOLIDAYS = {
    date(2023, 1, 6), date(2023, 4, 7), date(2023, 4, 10), date(2023, 5, 1),
    date(2023, 5, 18), date(2023, 6, 23), date(2023, 12, 6), date(2023, 12, 25),
    date(2023, 12, 26), date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1),
    date(2024, 5, 1), date(2024, 5, 9), date(2024, 6, 21), date(2024, 12, 6),
    date(2024, 12, 24), date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1),
    date(2025, 1, 6), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 1),
    date(2025, 5, 29), date(2025, 6, 20),
}
MANAGER_AWAY = (
    (date(2023, 7, 3), date(2023, 7, 21)),
    (date(2023, 12, 22), date(2024, 1, 5)),
    (date(2024, 6, 17), date(2024, 8, 16)),
    (date(2024, 12, 20), date(2025, 1, 3)),
)
STAFF_AWAY = (
    (date(2023, 7, 10), date(2023, 7, 28)),
    (date(2024, 7, 1), date(2024, 7, 26)),
)
PARTIES = (
    (date(2023, 6, 15), "Summer party"),
    (date(2023, 12, 14), "Christmas party"),
    (date(2024, 1, 18), "First anniversary"),
    (date(2024, 6, 13), "Summer party"),
    (date(2024, 12, 12), "Christmas party"),
    (date(2025, 6, 12), "Summer party"),
)

FIRST_NAMES = (
    "Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Olivia", "Elias", "Aada",
    "Onni", "Venla", "Oliver", "Emma", "Eetu", "Ella", "Lauri", "Iida", "Mikko",
    "Laura", "Juho", "Sanna", "Ville", "Johanna", "Antti", "Kaisa", "Tuomas",
    "Riikka", "Jussi", "Maija", "Pekka", "Noora", "Janne", "Henna", "Teemu",
    "Katja", "Sami", "Elina", "Petri", "Tiina", "Heikki", "Anni", "Markus",
    "Saara", "Otto", "Linnea", "Aleksi", "Veera", "Joonas", "Milla", "Ilkka",
    "Emilia", "Arttu", "Pinja", "Niko", "Reetta", "Kalle", "Jenni", "Tapio",
    "Outi", "Matti", "Hanna", "Rasmus", "Minna", "Oskari", "Satu", "Vesa",
    "Anna", "Daniel", "Maria", "David", "Sara", "Lucas", "Nina", "Marco",
    "Priya", "Arjun", "Mei", "Chen", "Fatima", "Omar", "Elena", "Ivan", "Kasia",
    "Tomasz", "Lena", "Jonas", "Ingrid", "Erik", "Astrid", "Nils", "Yuki",
    "Hiro", "Ana", "Diego", "Grace", "Samuel", "Zainab", "Amir", "Julia", "Max",
)
INITIALS = tuple("ABEHJKLMNOPRSTUVY")
FREELANCE_PROFESSIONS = (
    "designer", "software developer", "consultant", "copywriter", "photographer",
    "coach", "architect", "data scientist", "marketing specialist", "translator",
    "illustrator", "product manager", "researcher", "accountant", "video producer",
)
STARTUP_PROFESSIONS = ("software developer", "designer", "sales", "data scientist",
                       "product manager", "marketing specialist")
LARGE_PROFESSIONS = ("software engineer", "product owner", "data scientist",
                     "business analyst", "UX designer", "scrum master")
GUEST_ORGS = (
    "Aalto University", "University of Helsinki", "City of Helsinki",
    "Business Finland", "Nordic Angels", "Loimu Ventures", "Design Forum Finland",
    "Climate Lab Helsinki", "HealthTech Alliance", "Fintech Finland ry",
)
GUEST_PROFESSIONS = ("speaker", "investor", "researcher", "journalist", "visitor")

#: Startup name, topic focus, founding date, fate ("stays", "folds", "grows out")
#: and the date of that fate.
STARTUPS = (
    ("Lumo Analytics", "ai", date(2023, 1, 2), "stays", None),
    ("Kiertoa", "sustainability", date(2023, 1, 9), "stays", None),
    ("Nordic Pulse", "health", date(2023, 1, 16), "grows out", date(2025, 1, 31)),
    ("Sauna Labs", "design", date(2023, 1, 23), "folds", date(2024, 3, 31)),
    ("Vaaka Finance", "fintech", date(2023, 1, 30), "stays", None),
    ("Pixelpuu", "design", date(2023, 4, 3), "folds", date(2024, 11, 29)),
    ("Kide AI", "ai", date(2023, 5, 15), "stays", None),
    ("Verso Health", "health", date(2023, 8, 21), "stays", None),
    ("Routa Robotics", "ai", date(2023, 10, 2), "stays", None),
    ("Kassa.io", "fintech", date(2024, 1, 8), "stays", None),
    ("Tuuli Energy", "sustainability", date(2024, 3, 4), "stays", None),
    ("Hiili Solutions", "sustainability", date(2024, 5, 6), "stays", None),
    ("Kuura Design", "design", date(2024, 9, 2), "stays", None),
)
#: Large company teams: name, interests, (batch date, batch size) pairs.
LARGE_COMPANIES = (
    ("Nordbank Digital", ("fintech", "ai"),
     ((date(2023, 3, 1), 8), (date(2023, 8, 14), 6), (date(2024, 2, 1), 4))),
    ("Kivi Industrial Labs", ("ai", "sustainability"),
     ((date(2023, 9, 4), 8), (date(2024, 4, 2), 4))),
)
OPERATOR = "Hub Oy"


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------

def _day(d: date) -> int:
    """Day index of ``d`` counted from :data:`START`."""
    return (d - START).days


def _date(i: int) -> date:
    """Inverse of :func:`_day`."""
    return START + timedelta(days=int(i))


def _in_periods(d: date, periods) -> bool:
    return any(a <= d <= b for a, b in periods)


def _topic_weights(d: date) -> np.ndarray:
    """Popularity of :data:`TOPICS` on day ``d`` (interpolated drift)."""
    for (d0, w0), (d1, w1) in zip(TOPIC_DRIFT, TOPIC_DRIFT[1:]):
        if d <= d1:
            t = min(max((d - d0).days / (d1 - d0).days, 0.0), 1.0)
            w = (1 - t) * np.asarray(w0) + t * np.asarray(w1)
            return w / w.sum()
    w = np.asarray(TOPIC_DRIFT[-1][1])
    return w / w.sum()


def _fmt_weight(w: float) -> str:
    """Fixed, locale-free float formatting (at most four decimals)."""
    s = f"{w:.4f}".rstrip("0").rstrip(".")
    return s if s else "0"


@dataclass
class Member:
    """Internal description of one person (not written as-is)."""

    member_id: str
    name: str
    organization: str
    org_kind: str  # operator, freelancer, startup, large, guest
    role: str
    joined: int  # day index; may be negative (before START)
    left: int | None  # last day of membership (inclusive), None if staying
    profession: str
    engagement: float
    interests: tuple[str, ...]
    onboarding_intros: list[int] = field(default_factory=list)

    def last_day(self) -> int:
        return N_DAYS - 1 if self.left is None else self.left


@dataclass
class Row:
    """One participation row before formatting."""

    activity_id: str
    member_id: str
    when: datetime  # naive local Helsinki time
    kind: str
    role: str
    topic: str
    weight: float
    channel: str
    utc: bool = False  # write as UTC ``Z`` instead of local offset


# ----------------------------------------------------------------------------
# the model
# ----------------------------------------------------------------------------

class _Generator:
    """Holds the state of one generation run; see the module docstring."""

    def __init__(self, seed: int):
        children = np.random.SeedSequence(seed).spawn(10)
        (self.rng_members, self.rng_churn, self.rng_presence, self.rng_events,
         self.rng_intros, self.rng_chat, self.rng_collab, self.rng_guests,
         self.rng_names, self.rng_misc) = (np.random.default_rng(c) for c in children)
        self.days = [_date(i) for i in range(N_DAYS)]
        self.members: list[Member] = []
        self.guests: list[Member] = []
        self.rows: list[Row] = []
        self.details: dict[str, tuple[str, str, bool, str]] = {}
        self.intros: list[tuple[int, int, int, str]] = []  # (day, i_sender, i_recipient, topic)
        self.talks: list[tuple[int, str, list[int]]] = []
        self._names = self._name_pool()

    # -- names -------------------------------------------------------------
    def _name_pool(self) -> list[str]:
        pool = [f"{f} {i}." for f in FIRST_NAMES for i in INITIALS]
        order = self.rng_names.permutation(len(pool))
        return [pool[k] for k in order]

    def _next_name(self) -> str:
        return self._names.pop()

    # -- members -------------------------------------------------------------
    def _interests(self, rng, d: int, focus: tuple[str, ...] = ()) -> tuple[str, ...]:
        w = _topic_weights(_date(max(d, 0)))
        picks = list(focus)
        n = 1 + int(rng.random() < 0.45)
        while len(picks) < n:
            t = TOPICS[rng.choice(len(TOPICS), p=w)]
            if t not in picks:
                picks.append(t)
        return tuple(picks)

    def build_members(self) -> None:
        rng = self.rng_members
        people: list[dict] = []
        # Freelancers: founding cohort in January 2023, then monthly arrivals.
        join_days: list[int] = list(rng.integers(0, 30, size=26))
        month = date(2023, 2, 1)
        while month <= END:
            rate = 4.2 if month.year == 2023 else 2.6
            if month.month == 7:
                rate *= 0.4
            for _ in range(rng.poisson(rate)):
                d = _day(month) + int(rng.integers(0, 28))
                if d < N_DAYS:
                    join_days.append(d)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        for d in join_days:
            people.append(dict(org_kind="freelancer", organization=None, joined=int(d),
                               profession=FREELANCE_PROFESSIONS[rng.integers(len(FREELANCE_PROFESSIONS))],
                               engagement=float(rng.beta(0.6, 1.9)), focus=(), fate=None))
        # Startups: two founders at founding, hires later.
        for name, topic, founded, fate, fate_day in STARTUPS:
            size = int(rng.integers(2, 7))
            for k in range(size):
                d = _day(founded) if k < 2 else _day(founded) + int(rng.integers(45, 420))
                end = _day(fate_day) if fate_day else N_DAYS
                if d >= min(end - 20, N_DAYS):
                    continue
                prof = "founder" if k < 2 else STARTUP_PROFESSIONS[rng.integers(len(STARTUP_PROFESSIONS))]
                people.append(dict(org_kind="startup", organization=name, joined=d, profession=prof,
                                   engagement=float(rng.beta(0.55, 2.0)), focus=(topic,),
                                   fate=(fate, _day(fate_day)) if fate_day else None))
        # Large company teams, moving in in batches.
        for name, interests, batches in LARGE_COMPANIES:
            for bday, bsize in batches:
                for _ in range(bsize):
                    people.append(dict(org_kind="large", organization=name,
                                       joined=_day(bday) + int(rng.integers(0, 10)),
                                       profession=LARGE_PROFESSIONS[rng.integers(len(LARGE_PROFESSIONS))],
                                       engagement=float(rng.beta(0.45, 3.5)),
                                       focus=(interests[int(rng.integers(2))],), fate=None))
        people.sort(key=lambda p: (p["joined"], p["org_kind"], p["organization"] or "", p["profession"]))

        self.members.append(Member("m0001", self._next_name(), OPERATOR, "operator", "manager",
                                   _day(date(2022, 10, 3)), None, "community manager", 1.0,
                                   ("design", "sustainability")))
        self.members.append(Member("m0002", self._next_name(), OPERATOR, "operator", "staff",
                                   _day(date(2022, 12, 1)), None, "host", 0.45, ()))
        self._fates: dict[str, tuple[str, int] | None] = {}
        used_orgs: set[str] = set()
        for k, p in enumerate(people, start=3):
            mid = f"m{k:04d}"
            name = self._next_name()
            org = p["organization"]
            if org is None:  # a freelancer's own trade name
                first, initial = name.split(" ")
                pattern = ("Studio {f}", "{f} {i} Consulting", "Tmi {f} {i}", "{f} {i} Design",
                           "{f} Works")[int(rng.integers(5))]
                org = pattern.format(f=first, i=initial)
                while org in used_orgs:
                    org = f"{org} Oy"
            used_orgs.add(org)
            m = Member(mid, name, org, p["org_kind"], "member", p["joined"], None, p["profession"],
                       p["engagement"], self._interests(rng, p["joined"], p["focus"]))
            self._fates[mid] = p["fate"]
            self.members.append(m)

    # -- onboarding introductions and churn ---------------------------------
    def manager_away(self, d: int) -> bool:
        return _in_periods(_date(d), MANAGER_AWAY)

    def plan_onboarding(self) -> None:
        """Draw onboarding introductions (days only); they drive churn."""
        rng = self.rng_intros
        for m in self.members[2:]:
            lam = {"freelancer": 2.3, "startup": 1.6, "large": 0.12}[m.org_kind]
            for _ in range(rng.poisson(lam)):
                d = m.joined + 1 + int(rng.exponential(7.0))
                if d - m.joined > 28 or d >= N_DAYS:
                    continue
                if self.manager_away(d) or _date(d).weekday() >= 5 or _date(d) in HOLIDAYS:
                    continue  # nobody brokers it: the introduction never happens
                m.onboarding_intros.append(d)

    def draw_churn(self) -> None:
        rng = self.rng_churn
        for m in self.members[2:]:
            fate = self._fates[m.member_id]
            hazard = {"freelancer": 0.12, "startup": 0.05, "large": 0.08}[m.org_kind]
            if not m.onboarding_intros and m.org_kind != "large":
                hazard *= 1.9  # nobody to connect with: leaves sooner
            left = None
            if m.org_kind == "freelancer" and rng.random() < (0.12 if not m.onboarding_intros else 0.04):
                left = m.joined + int(rng.integers(30, 100))  # trial month(s), then gone
            else:
                t = rng.exponential(365.0 / hazard)
                if m.joined + t < N_DAYS:
                    left = m.joined + max(int(t), 45)
            if fate is not None:
                left = fate[1] if left is None else min(left, fate[1])
            if left is not None and left >= N_DAYS - 1:
                left = None
            m.left = left
            m.onboarding_intros = [d for d in m.onboarding_intros if left is None or d <= left]

    # -- activity levels -----------------------------------------------------
    def activity_matrix(self) -> np.ndarray:
        """Member x day engagement including life-cycle effects (0 if not a member)."""
        n = len(self.members)
        t = np.arange(N_DAYS)
        act = np.zeros((n, N_DAYS))
        for k, m in enumerate(self.members):
            a = np.full(N_DAYS, m.engagement)
            a[(t - m.joined >= 0) & (t - m.joined < 30)] *= 1.35
            if m.left is not None:
                fade = np.clip((m.left - t) / 60.0, 0.0, 1.0)
                a *= 0.3 + 0.7 * fade
            a[(t < m.joined) | (t > m.last_day())] = 0.0
            act[k] = np.minimum(a, 1.0)
        return act

    def season(self, d: date) -> float:
        f = 1.0
        if d.month == 7:
            f = 0.4
        elif d.month in (6, 8):
            f = 0.8
        if (d.month == 12 and d.day >= 20) or (d.month == 1 and d.day <= 5):
            f = 0.3
        if date(2024, 6, 1) <= d <= date(2024, 8, 31):
            f *= 0.8  # the quieter summer of 2024
        return f

    # -- presence ------------------------------------------------------------
    def build_presence(self, act: np.ndarray) -> None:
        rng = self.rng_presence
        base = np.array([{"operator": 0.0, "freelancer": 0.5, "startup": 0.7,
                          "large": 0.7, "guest": 0.0}[m.org_kind] for m in self.members])
        floor = np.array([{"operator": 0.0, "freelancer": 0.45, "startup": 0.55,
                           "large": 0.85, "guest": 0.0}[m.org_kind] for m in self.members])
        active = np.array([[m.joined <= i <= m.last_day() for i in range(N_DAYS)]
                           for m in self.members])
        for i, d in enumerate(self.days):
            if d.weekday() >= 5 or d in HOLIDAYS:
                continue
            aid = f"checkin-{d.isoformat()}"
            p = base * (floor + (1 - floor) * np.sqrt(act[:, i])) * self.season(d)
            p = np.where(active[:, i], np.minimum(p, 0.95), 0.0)
            came = rng.random(len(self.members)) < p
            if not self.manager_away(i) and rng.random() > 0.03:
                came[0] = True
            came[1] = not _in_periods(d, STAFF_AWAY) and rng.random() > 0.02
            who = np.flatnonzero(came)
            if len(who) == 0:
                continue
            arrive = np.clip(rng.normal(9.0, 0.9, len(who)), 7.0, 13.0)
            hours = np.clip(rng.normal(6.5, 1.8, len(who)), 1.0, 10.0)
            self.details[aid] = ("checkin", "", False, "")
            for k, a, h in zip(who, arrive, hours):
                if k == 1:
                    a, h = 7.75, 8.0
                minutes = int(round(a * 12)) * 5
                when = datetime(d.year, d.month, d.day) + timedelta(minutes=minutes)
                self.rows.append(Row(aid, self.members[k].member_id, when, "presence", "",
                                     "", round(h * 2) / 2 / 8, "public"))

    # -- events --------------------------------------------------------------
    def _event(self, aid: str, day: int, hour: float, etype: str, topic: str, organizer: int,
               attendees: np.ndarray, guests: list[int], staff_attends: bool) -> None:
        d = self.days[day]
        when = datetime(d.year, d.month, d.day) + timedelta(minutes=int(hour * 60))
        org_id = self.members[organizer].member_id
        self.details[aid] = (etype, topic, bool(guests), org_id)
        self.rows.append(Row(aid, org_id, when, "event", "organizer", topic, 1.0, "public"))
        for k in attendees:
            if k == organizer or (k == 1 and staff_attends):
                continue
            self.rows.append(Row(aid, self.members[k].member_id, when, "event", "attendee",
                                 topic, 1.0, "public"))
        if staff_attends and organizer != 1:
            self.rows.append(Row(aid, "m0002", when, "event", "attendee", topic, 1.0, "public"))
        for g in guests:
            gm = self.guests[g]
            gm.joined = min(gm.joined, day)
            gm.left = max(gm.left if gm.left is not None else -1, day)
            self.rows.append(Row(aid, gm.member_id, when, "event", "guest", topic, 1.0, "public"))

    def _make_guests(self) -> None:
        rng = self.rng_guests
        for k in range(60):
            self.guests.append(Member(
                f"g{k + 1:04d}", self._next_name(), GUEST_ORGS[int(rng.integers(len(GUEST_ORGS)))],
                "guest", "guest", N_DAYS, None,
                GUEST_PROFESSIONS[int(rng.integers(len(GUEST_PROFESSIONS)))], 0.0,
                (TOPICS[int(rng.integers(len(TOPICS)))],)))

    def _pick_guests(self, n: int, topic: str | None = None) -> list[int]:
        rng = self.rng_guests
        if n <= 0:
            return []
        w = np.array([(3.0 if topic and topic in g.interests else 1.0)
                      * (2.0 if g.left is not None else 1.0) for g in self.guests])
        return sorted(int(x) for x in rng.choice(len(self.guests), size=min(n, len(w)),
                                                  replace=False, p=w / w.sum()))

    def build_events(self, act: np.ndarray) -> None:
        rng = self.rng_events
        self._make_guests()
        n = len(self.members)
        event_factor = np.array([{"operator": 0.0, "freelancer": 1.0, "startup": 0.75,
                                  "large": 0.12, "guest": 0.0}[m.org_kind] for m in self.members])
        interest = {t: np.array([t in m.interests for m in self.members]) for t in TOPICS}
        b = 0
        for i, d in enumerate(self.days):
            # Weekly social breakfast on Tuesdays.
            if (d.weekday() == 1 and d.month != 7 and d not in HOLIDAYS
                    and not ((d.month == 12 and d.day >= 20) or (d.month == 1 and d.day <= 6))):
                away = self.manager_away(i)
                p = 0.9 * act[:, i] * event_factor * (0.6 if away else 1.0)
                came = np.flatnonzero(rng.random(n) < p)
                b += 1
                self._event(f"breakfast-{d.isoformat()}", i, 8.5, "social", "",
                            1 if away else 0, came, [], staff_attends=not _in_periods(d, STAFF_AWAY))
        # Monthly talks on the second Thursday (not in July, not while the manager is away).
        month = date(2023, 1, 1)
        t = 0
        credit = np.zeros(len(TOPICS))
        while month <= END:
            d = month + timedelta(days=(3 - month.weekday()) % 7 + 7)
            i = _day(d)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            if d.month == 7 or d < START or d > END or self.manager_away(i) or d in HOLIDAYS:
                continue
            t += 1
            # The programme follows the trend: each topic earns credit at its current
            # popularity and the topic with most credit is booked (a little noise).
            credit += _topic_weights(d)
            first = int(np.argmax(credit + 0.25 * rng.random(len(TOPICS))))
            credit[first] -= 1.0
            topics = [TOPICS[first]]
            if rng.random() < 0.3:
                second = TOPICS[rng.choice(len(TOPICS), p=_topic_weights(d))]
                if second not in topics:
                    topics.append(second)
            topic = ";".join(topics)
            match = np.zeros(n, dtype=bool)
            for tp in topics:
                match |= interest[tp]
            p = 0.55 * act[:, i] * event_factor * np.where(match, 1.6, 0.45)
            came = np.flatnonzero(rng.random(n) < np.minimum(p, 0.95))
            guests: list[int] = []
            if rng.random() < 0.45:  # external speaker
                guests += self._pick_guests(1, topics[0])
            if rng.random() < 0.3:  # a few outside visitors
                guests += [g for g in self._pick_guests(1 + int(rng.poisson(1.0)), topics[0])
                           if g not in guests]
            aid = f"talk-{d.strftime('%Y-%m')}"
            self._event(aid, i, 17.0, "professional", topic, 0, came, sorted(guests), True)
            self.talks.append((i, topics[0], [int(k) for k in came]))
        # Parties (40-80 people).
        for d, _title in PARTIES:
            i = _day(d)
            p = (0.42 + 0.55 * act[:, i]) * np.maximum(event_factor, 0.35) * (act[:, i] > 0)
            came = np.flatnonzero(rng.random(n) < np.minimum(p, 0.95))
            guests = self._pick_guests(int(rng.integers(4, 11)))
            self._event(f"party-{d.isoformat()}", i, 18.0, "social", "", 0, came, guests, True)
        # Workshops run by core members, from autumn 2023.
        for i in sorted(rng.choice(np.arange(_day(date(2023, 9, 1)), N_DAYS - 7), size=13, replace=False)):
            i = int(i)
            i += (2 - self.days[i].weekday()) % 7  # move to a Wednesday
            d = self.days[i]
            if d.month == 7 or d in HOLIDAYS or i >= N_DAYS:
                continue
            cand = np.flatnonzero((act[:, i] > 0.45) & (event_factor >= 0.75))
            if len(cand) == 0:
                continue
            org = int(rng.choice(cand, p=act[cand, i] / act[cand, i].sum()))
            topic = self.members[org].interests[0]
            p = 0.35 * act[:, i] * event_factor * np.where(interest[topic], 1.8, 0.4)
            came = np.flatnonzero(rng.random(n) < np.minimum(p, 0.95))
            came = came[came != org]
            if not self.manager_away(i):
                came = np.union1d(came, [0])
            self._event(f"workshop-{d.isoformat()}", i, 16.0, "professional", topic, org,
                        came, self._pick_guests(int(rng.random() < 0.3)), False)
        self.n_breakfasts, self.n_talks = b, t

    # -- introductions -------------------------------------------------------
    def _choose_partner(self, rng, k: int, day: int, act: np.ndarray, intro_w: np.ndarray) -> int | None:
        m = self.members[k]
        share = np.array([bool(set(m.interests) & set(o.interests)) for o in self.members])
        same_org = np.array([o.organization == m.organization for o in self.members])
        w = act[:, day] * intro_w * np.where(share, 3.0, 1.0) * ~same_org
        w[:2] = 0.0
        w[k] = 0.0
        if w.sum() <= 0:
            return None
        return int(rng.choice(len(w), p=w / w.sum()))

    def build_intros(self, act: np.ndarray) -> None:
        rng = self.rng_intros
        intro_w = np.array([{"operator": 0.0, "freelancer": 1.0, "startup": 0.8,
                             "large": 0.08, "guest": 0.0}[m.org_kind] for m in self.members])
        planned: list[tuple[int, int, bool]] = []  # (day, sender, onboarding)
        for k, m in enumerate(self.members):
            planned += [(d, k, True) for d in m.onboarding_intros]
        # Ongoing introductions for established members (requests to the manager).
        for i, d in enumerate(self.days):
            if d.weekday() >= 5 or d in HOLIDAYS:
                continue
            rate = 0.22 if not self.manager_away(i) else 0.04  # peers still broker a few
            for _ in range(rng.poisson(rate)):
                w = act[:, i] * intro_w
                if w.sum() > 0:
                    planned.append((i, int(rng.choice(len(w), p=w / w.sum())), False))
        planned.sort()
        core = None
        for n, (day, s, onboarding) in enumerate(planned, start=1):
            r = self._choose_partner(rng, s, day, act, intro_w)
            if r is None:
                continue
            if self.manager_away(day) or rng.random() < 0.12:
                # brokered by a core member instead of the manager
                core = np.flatnonzero(act[:, day] > 0.5)
                core = core[(core != s) & (core != r) & (core > 1)]
                broker = self.members[int(rng.choice(core))].member_id if len(core) else ""
            else:
                broker = "m0001"
            aid = f"intro-{len(self.intros) + 1:04d}"
            shared = [t for t in self.members[s].interests if t in self.members[r].interests]
            topic = ";".join(shared)
            d = self.days[day]
            when = datetime(d.year, d.month, d.day, 10) + timedelta(minutes=15 * int(rng.integers(0, 28)))
            self.rows.append(Row(aid, self.members[s].member_id, when, "interaction", "sender",
                                 topic, 1.0, "private"))
            self.rows.append(Row(aid, self.members[r].member_id, when, "interaction", "recipient",
                                 topic, 1.0, "private"))
            self.details[aid] = ("introduction", topic, False, broker)
            self.intros.append((day, s, r, shared[0] if shared else self.members[s].interests[0]))

    # -- chat ------------------------------------------------------------------
    def build_chat(self, act: np.ndarray) -> None:
        rng = self.rng_chat
        chat_w = np.array([{"operator": 0.0, "freelancer": 1.0, "startup": 0.8,
                            "large": 0.15, "guest": 0.0}[m.org_kind] for m in self.members])
        pairs = [(s, r) for _, s, r, _ in self.intros]
        k = 0
        for i, d in enumerate(self.days):
            season = self.season(d) if d.weekday() < 5 else 0.3 * self.season(d)
            for _ in range(rng.poisson(0.9 * season)):
                w = act[:, i] ** 1.5 * chat_w
                if w.sum() <= 0:
                    continue
                public = rng.random() < 0.6
                if public:
                    size = 2 + int(rng.poisson(1.5))
                    w2 = w.copy()
                    if not self.manager_away(i):
                        w2[0] = w.max() * 1.5
                    who = rng.choice(len(w2), size=min(size, int((w2 > 0).sum())), replace=False,
                                     p=w2 / w2.sum())
                else:
                    known = [p for p in pairs if act[p[0], i] > 0 and act[p[1], i] > 0]
                    if known and rng.random() < 0.6:
                        who = np.array(known[int(rng.integers(len(known)))])
                    else:
                        who = rng.choice(len(w), size=2, replace=False, p=w / w.sum())
                k += 1
                aid = f"thread-{k:05d}"
                topic = ""
                if public and rng.random() < 0.5:
                    topic = self.members[int(who[0])].interests[0] if who[0] > 1 else ""
                start = datetime(d.year, d.month, d.day) + timedelta(
                    minutes=5 * int(rng.integers(8 * 12, 22 * 12)))
                for j, p in enumerate(who):
                    when = start + timedelta(minutes=int(j * rng.integers(2, 90)))
                    self.rows.append(Row(aid, self.members[int(p)].member_id, when, "interaction",
                                         "sender" if j == 0 else "recipient", topic, 1.0,
                                         "public" if public else "private", utc=True))
                self.details[aid] = ("chat", topic, False, "")

    # -- collaborations ----------------------------------------------------------
    def build_collaborations(self, act: np.ndarray) -> None:
        rng = self.rng_collab
        eligible = [x for x in self.intros
                    if self.members[x[1]].org_kind != "large" and self.members[x[2]].org_kind != "large"
                    and x[0] + 60 < min(self.members[x[1]].last_day(), self.members[x[2]].last_day())]
        w = np.array([self.members[s].engagement + self.members[r].engagement for _, s, r, _ in eligible])
        chosen = rng.choice(len(eligible), size=10, replace=False, p=w / w.sum())
        seeds: list[tuple[int, list[int], str]] = []
        for c in sorted(int(x) for x in chosen):
            day, s, r, topic = eligible[c]
            last = min(self.members[s].last_day(), self.members[r].last_day())
            start = day + int(rng.integers(30, max(31, min(150, last - day - 20))))
            seeds.append((start, [s, r], topic))
        talks = [tk for tk in self.talks if len(tk[2]) >= 6]
        for c in sorted(int(x) for x in rng.choice(len(talks), size=4, replace=False)):
            day, topic, came = talks[c]
            cand = [k for k in came if topic in self.members[k].interests
                    and self.members[k].org_kind != "large" and self.members[k].last_day() > day + 120]
            orgs: dict[str, int] = {}
            for k in cand:
                orgs.setdefault(self.members[k].organization, k)
            cand = sorted(orgs.values())
            if len(cand) < 2:
                continue
            who = [int(x) for x in rng.choice(cand, size=min(len(cand), 2 + int(rng.random() < 0.4)),
                                              replace=False)]
            seeds.append((day + int(rng.integers(20, 90)), who, topic))
        seeds.sort()
        for n, (start, who, topic) in enumerate(seeds, start=1):
            start = min(start, N_DAYS - 1)
            # sometimes a third/fourth partner with the same interest joins
            extra = [k for k in range(2, len(self.members))
                     if k not in who and act[k, start] > 0.3 and topic in self.members[k].interests
                     and self.members[k].org_kind != "large"]
            if extra and len(who) < 4 and rng.random() < 0.35:
                who.append(int(rng.choice(extra)))
            d = self.days[start]
            while d.weekday() >= 5:
                d -= timedelta(days=1)
            when = datetime(d.year, d.month, d.day, 13)
            aid = f"collab-{n:03d}"
            for k in sorted(who):
                self.rows.append(Row(aid, self.members[k].member_id, when, "collaboration",
                                     "partner", topic, 1.0, "private"))
            self.details[aid] = ("collaboration", topic, False, "")
        self.n_collabs = len(seeds)

    def run(self) -> None:
        self.build_members()
        self.plan_onboarding()
        self.draw_churn()
        act = self.activity_matrix()
        self.build_presence(act)
        self.build_events(act)
        self.build_intros(act)
        self.build_chat(act)
        self.build_collaborations(act)


# ----------------------------------------------------------------------------
# output
# ----------------------------------------------------------------------------

def _csv_cell(value: str) -> str:
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _lines(header: tuple[str, ...], rows) -> str:
    out = [",".join(header)]
    out += [",".join(_csv_cell(str(v)) for v in row) for row in rows]
    return "\n".join(out) + "\n"


def generate(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Generate the dataset and return the CSV texts.

    Parameters
    ----------
    seed : int, default 7
        Seed of the root ``numpy.random.SeedSequence``.

    Returns
    -------
    dict of str to str
        File name (``activities.csv``, ``members.csv``,
        ``activity_details.csv``) to the file's full text.
    """
    g = _Generator(seed)
    g.run()

    formatted = []
    for r in g.rows:
        aware = r.when.replace(tzinfo=TZ)
        utc = aware.astimezone(timezone.utc)
        ts = utc.strftime("%Y-%m-%dT%H:%M:%SZ") if r.utc else aware.isoformat(timespec="seconds")
        formatted.append((utc, r.activity_id, r.member_id,
                          (r.activity_id, r.member_id, ts, r.kind, r.role, r.topic,
                           _fmt_weight(r.weight), r.channel)))
    formatted.sort(key=lambda x: x[:3])
    activities = _lines(("activity_id", "member_id", "timestamp", "kind", "role", "topic",
                         "weight", "channel"), [f[3] for f in formatted])

    used = {r.activity_id for r in g.rows}
    details = _lines(("activity_id", "type", "topic", "external", "organizer"),
                     [(aid, t, tp, "true" if ext else "false", org)
                      for aid, (t, tp, ext, org) in sorted(g.details.items()) if aid in used])

    people = g.members + [x for x in g.guests if x.left is not None]
    sizes: dict[str, int] = {}
    for m in people:
        if m.role != "guest":
            sizes[m.organization] = sizes.get(m.organization, 0) + 1
    members = _lines(("member_id", "name", "organization", "role", "joined", "left", "org_size",
                      "profession"),
                     [(m.member_id, m.name, m.organization, m.role, _date(m.joined).isoformat(),
                       "" if m.left is None else _date(m.left).isoformat(),
                       sizes.get(m.organization, "") if m.role != "guest" else "", m.profession)
                      for m in people])
    return {"activities.csv": activities, "members.csv": members,
            "activity_details.csv": details}


def write_dataset(files: dict[str, str], out: Path) -> None:
    """Write the CSV texts of :func:`generate` into directory ``out``.

    Parameters
    ----------
    files : dict of str to str
        File name to content.
    out : pathlib.Path
        Target directory, created if missing.
    """
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description="Generate the example coworking dataset.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"output directory (default {DEFAULT_OUT.relative_to(ROOT)})")
    parser.add_argument("--package-dir", type=Path, default=None,
                        help="also copy the files here (default cop/data/coworking when --out "
                             "is not given)")
    parser.add_argument("--no-package-copy", action="store_true",
                        help="do not copy the files into the package data directory")
    args = parser.parse_args(argv)
    out = args.out or DEFAULT_OUT
    package_dir = args.package_dir
    if package_dir is None and args.out is None:
        package_dir = DEFAULT_PACKAGE_DIR
    if args.no_package_copy:
        package_dir = None
    files = generate(args.seed)
    write_dataset(files, out)
    if package_dir is not None and Path(package_dir).resolve() != Path(out).resolve():
        Path(package_dir).mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copyfile(out / name, Path(package_dir) / name)
    for name, text in files.items():
        print(f"{out / name}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
