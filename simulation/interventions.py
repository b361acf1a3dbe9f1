"""Interventions: one declaration per lever — its parameters, its words, its test and its mechanism.

An intervention is declared once, as a subclass of :class:`Intervention` (a
frozen pydantic model).  The class carries

* ``name`` — a ``Literal`` field: the key in a scenario's ``[[interventions]]``
  and the name the diagnosis recommends;
* its parameters — pydantic fields with units and ranges (plus the inherited
  ``start_month``);
* ``label`` — a short plain-language title (the HTML report's headings);
* ``advice`` — what the intervention means, in a manager's words (the
  rationale of a recommendation); ``None`` for a lever that is not
  recommended (``manager_leaves``), which keeps it out of the diagnosis
  vocabulary;
* ``trial`` — how to test it against the bundled baseline (an
  :class:`Trial`: a library scenario, a sweep of one key, or the intervention
  with a few parameters), from which the report builds its ``cop experiment``
  command;
* :meth:`Intervention.apply` — its effect on the model (the mechanism): which
  :class:`simulation.space.Levers` it switches; the processes read the levers;
* :meth:`Intervention.check` — optional cross-key validation against the
  whole scenario (``theme.topic`` must be one of ``space.topics``).

Defining the class registers it (pydantic's ``__pydantic_init_subclass__``
hook): the scenario union (:class:`simulation.config.Scenario`), the
:data:`INTERVENTION_NAMES`, :data:`cop.health.INTERVENTIONS`,
:data:`cop.recommend.INTERVENTION_TEXT` and the report's
:data:`cop.report.INTERVENTION_COMMANDS` / ``INTERVENTION_LABELS`` are all
derived from the registry (:func:`declared_interventions`).  Adding a lever is
its declaration here plus the code in the processes that reads its new
``Levers`` field — nothing else.  The indicator → intervention links live on
the indicators' side (each indicator names the interventions it informs), so
they are not repeated here.

Each declaration's docstring says its effect on the model; the list of levers
is :data:`INTERVENTION_NAMES` (``theme``, ``manager_hours``,
``manager_leaves``, ``event_cadence``, ``matchmaking_tool``, ``seat_cap``,
``onboarding_program``, ``success_stories``, ``external_speakers``, and for networks of spaces
``network_membership``, ``shared_events``).

Examples
--------
>>> from simulation.config import Scenario
>>> from simulation.interventions import apply_intervention, declared_interventions
>>> from simulation.space import Levers
>>> s = Scenario(interventions=[{"name": "manager_hours", "hours_per_week": 10}])
>>> lv = Levers(hours_per_week=40, cadence_days=30, professional_share=0.5)
>>> apply_intervention(lv, s.interventions[0])
>>> lv.hours_per_week
10.0
>>> declared_interventions()["seat_cap"].label
'Cap the seats of large companies'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import Field

from ._fields import Frozen, ranged

if TYPE_CHECKING:  # pragma: no cover
    from .config import Scenario
    from .space import Levers, Space

__all__ = [
    "Intervention",
    "Trial",
    "declared_interventions",
    "intervention_union",
    "apply_intervention",
    "intervention_process",
    "INTERVENTION_NAMES",
    "ThemeIntervention",
    "ManagerHoursIntervention",
    "ManagerLeavesIntervention",
    "EventCadenceIntervention",
    "MatchmakingToolIntervention",
    "SeatCapIntervention",
    "OnboardingProgramIntervention",
    "SuccessStoriesIntervention",
    "ExternalSpeakersIntervention",
    "NetworkMembershipIntervention",
    "SharedEventsIntervention",
]

@dataclass(frozen=True)
class Trial:
    """How to test an intervention against the ``baseline_coworking`` scenario (exactly one of three).

    Attributes
    ----------
    scenario : str or None
        A library scenario applying the intervention (compared with the baseline).
    sweep : str or None
        A ``--sweep KEY=SPEC`` of the baseline (e.g. ``"manager.hours_per_week=20:40:5"``).
    params : mapping or None
        The intervention's parameters in a one-intervention scenario extending the baseline.

    Examples
    --------
    >>> Trial(sweep="events.cadence_days=7,14,30").sweep
    'events.cadence_days=7,14,30'
    >>> Trial()
    Traceback (most recent call last):
    ...
    ValueError: a Trial takes exactly one of scenario, sweep, params
    """

    scenario: str | None = None
    sweep: str | None = None
    params: Mapping[str, Any] | None = field(default=None)

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.scenario, self.sweep, self.params)) != 1:
            raise ValueError("a Trial takes exactly one of scenario, sweep, params")


#: name -> declaration, in declaration order (the order of recommendations' ties).
_REGISTRY: dict[str, type["Intervention"]] = {}
#: called with no argument after each new declaration (the scenario model rebuilds its union).
_LISTENERS: list[Callable[[], None]] = []


class Intervention(Frozen):
    """Base of every intervention declaration (subclass it to declare one; see the module doc)."""

    label: ClassVar[str] = ""
    advice: ClassVar[str | None] = None
    trial: ClassVar[Trial | None] = None

    start_month: float = ranged(0.0, 0.0, 240.0, "months", "simulated month at which the lever is switched")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        info = cls.model_fields.get("name")
        if info is None:  # an intermediate base without a name of its own
            return
        name = info.annotation.__args__[0]
        if not cls.label:
            raise TypeError(f"intervention {name!r}: declare its label")
        _REGISTRY[name] = cls
        for listener in list(_LISTENERS):
            listener()

    def apply(self, levers: "Levers", space: "Space | None" = None) -> None:
        """Switch this intervention's levers (the mechanism); ``space`` is ``None`` before the run."""
        raise NotImplementedError(f"intervention {self.name!r} declares no mechanism")  # type: ignore[attr-defined]

    def check(self, scenario: "Scenario") -> tuple[str, str] | None:
        """A problem with this intervention in ``scenario``: ``(field, what is wrong)``, or ``None``."""
        return None

    @property
    def start_day(self) -> int:
        """The simulated day at which the lever is switched."""
        return int(round(self.start_month * 365.25 / 12))


def declared_interventions() -> dict[str, type[Intervention]]:
    """Every declared intervention, ``name -> class``, in declaration order (a copy).

    Examples
    --------
    >>> list(declared_interventions())[:3]
    ['theme', 'manager_hours', 'manager_leaves']
    """
    return dict(_REGISTRY)


def intervention_union() -> Any:
    """The pydantic type of one ``[[interventions]]`` entry: the declared models, discriminated by ``name``."""
    return Annotated[Union[tuple(_REGISTRY.values())], Field(discriminator="name")]


class _Names(Sequence):
    """A live, read-only tuple-like view of the declared names."""

    def __getitem__(self, i):
        return tuple(_REGISTRY)[i]

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __iter__(self):
        return iter(tuple(_REGISTRY))

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, _Names) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


#: Names of the intervention levers (a live view of the declarations).
INTERVENTION_NAMES: Sequence[str] = _Names()


def _forget(name: str) -> None:
    """Remove a declaration (for tests that declare a throwaway intervention)."""
    _REGISTRY.pop(name, None)
    for listener in list(_LISTENERS):
        listener()


# --------------------------------------------------------------------------- the declarations
class ThemeIntervention(Intervention):
    """Give the space a theme: admission by fit, topical events, clearer domain.

    Admission by fit with ``topic`` (``fit`` = share of applicants without it
    refused; ``interest_share`` = share of applicants carrying it), events on
    the theme (``events.theme_share``).  There is no collaboration bonus: more
    members sharing the theme talk, tie and collaborate more (see
    :mod:`simulation.collaborations`).
    """

    label: ClassVar[str] = "Give the space a theme"
    advice: ClassVar[str | None] = (
        "Give the community a clear theme so events, introductions and members gather around a shared domain.")
    trial: ClassVar[Trial | None] = Trial(scenario="themed_space")

    name: Literal["theme"]
    topic: str = Field("sustainability", description="the theme topic, one of space.topics [tag]")
    fit: float = ranged(0.8, 0.0, 1.0, "share", "share of applicants without the theme who are refused")
    interest_share: float = ranged(0.7, 0.0, 1.0, "share", "share of applicants attracted who carry the theme")

    def apply(self, levers, space=None):
        levers.theme = self.topic
        levers.theme_fit = self.fit
        levers.theme_interest_share = self.interest_share

    def check(self, scenario):
        if self.topic not in scenario.space.topics:
            return "topic", f"is not one of space.topics ({', '.join(scenario.space.topics)})"
        return None


class ManagerHoursIntervention(Intervention):
    """Change the manager's weekly hours (``hours_per_week``; 0 = the manager leaves)."""

    label: ClassVar[str] = "Give the community manager more hours"
    advice: ClassVar[str | None] = (
        "Give the community manager more hours (or a second host) for hosting, brokering and follow-up.")
    trial: ClassVar[Trial | None] = Trial(sweep="manager.hours_per_week=20:40:5")

    name: Literal["manager_hours"]
    hours_per_week: float = ranged(20.0, 0.0, 80.0, "hours/week", "new weekly hours")

    def apply(self, levers, space=None):
        levers.hours_per_week = self.hours_per_week


class ManagerLeavesIntervention(Intervention):
    """The manager leaves: ``manager_hours`` with 0 hours."""

    label: ClassVar[str] = "The community manager leaves"

    name: Literal["manager_leaves"]

    def apply(self, levers, space=None):
        levers.hours_per_week = 0.0


class EventCadenceIntervention(Intervention):
    """Change how often events happen: days between events (``cadence_days``), optionally the professional share."""

    label: ClassVar[str] = "Change the rhythm of events"
    advice: ClassVar[str | None] = (
        "Keep a steady cadence of recurring events (a weekly breakfast, a monthly talk) that people can plan around.")
    trial: ClassVar[Trial | None] = Trial(sweep="events.cadence_days=7,14,30")

    name: Literal["event_cadence"]
    cadence_days: int = ranged(7, 0, 365, "days", "days between events (0: none)")
    professional_share: float | None = Field(None, ge=0.0, le=1.0, description="share of professional events [share]")

    def apply(self, levers, space=None):
        levers.cadence_days = self.cadence_days
        if self.professional_share is not None:
            levers.professional_share = self.professional_share
        if space is not None:
            space.next_event_day = int(space.env.now) + self.cadence_days if self.cadence_days else None


class MatchmakingToolIntervention(Intervention):
    """A digital tool that suggests introductions at a fraction of the manager's cost.

    A share ``adoption_rate`` of members (current ones included) get
    ``suggestions_per_month`` suggestions through the tool, each costing
    ``cost_factor`` times a manual introduction of the manager's time.  A
    suggestion is accepted by the pair with the fit-dependent chance of an
    introduction working out (:func:`simulation.introductions.success_probability`)
    and can be declined; users stop using the tool with a monthly hazard
    ``fade_per_month`` times the share of their suggestions that came to nothing.
    ``ranking`` says who picks the pairs (:mod:`simulation.match_ranking`):
    the manager's judgement (the default), ``cop match``'s ranking, or random
    pairs under the rules of random-pairing tools.
    """

    label: ClassVar[str] = "Introduce members to each other systematically (matchmaking)"
    advice: ClassVar[str | None] = (
        "Introduce members to each other 1:1, daily, with a matchmaking routine or tool that does not depend on "
        "one person.")
    trial: ClassVar[Trial | None] = Trial(scenario="matchmaking_tool")

    name: Literal["matchmaking_tool"]
    adoption_rate: float = ranged(0.6, 0.0, 1.0, "share", "share of members who use the tool")
    suggestions_per_month: float = ranged(1.5, 0.0, 30.0, "introductions/user/month", "introductions the tool makes")
    cost_factor: float = ranged(0.1, 0.0, 1.0, "ratio", "manager hours per tool introduction relative to a manual one")
    fade_per_month: float = ranged(
        0.3, 0.0, 10.0, "1/month", "monthly hazard of giving up the tool, times the share of declined suggestions")
    ranking: Literal["manager", "cop", "random"] = Field(
        "manager",
        description=(
            "who picks the tool's pairs: 'manager' the manager's own judgement, 'cop' cop match's ranking, "
            "'random' random pairs of members of other organisations not yet tied (see "
            "manager.introduction_ranking) [choice]"),
        json_schema_extra={"unit": "choice"})

    def apply(self, levers, space=None):
        levers.tool_ranking = self.ranking
        levers.tool_adoption = self.adoption_rate
        levers.tool_suggestions_per_month = self.suggestions_per_month
        levers.tool_cost_factor = self.cost_factor
        levers.tool_fade_per_month = self.fade_per_month
        if space is not None:  # current members adopt too
            r = space.roster
            idx = r.active_idx()
            r.tool_user[idx] = space.member_uniforms("intervention", int(space.env.now), idx) < self.adoption_rate


class SeatCapIntervention(Intervention):
    """Cap the seats a large organisation may hold: at most ``max_seats`` members per large company."""

    label: ClassVar[str] = "Cap the seats of large companies"
    advice: ClassVar[str | None] = (
        "Cap the seats a single company can hold, so large teams mix with the rest of the community.")
    trial: ClassVar[Trial | None] = Trial(scenario="big_company_caps")

    name: Literal["seat_cap"]
    max_seats: int = ranged(4, 1, 1000, "seats", "maximum members of one large organisation")

    def apply(self, levers, space=None):
        levers.seat_cap = self.max_seats


class OnboardingProgramIntervention(Intervention):
    """A structured onboarding: more introductions on the welcome day, less manager time per newcomer.

    It acts only through earlier first ties: newcomers are onboarded sooner
    (less time each, so a busy manager's queue moves faster) and meet more
    members on their first day; the ties then bring conversations, event
    attendance (familiarity) and value.  There is no direct engagement boost.
    """

    label: ClassVar[str] = "Run a structured onboarding for newcomers"
    advice: ClassVar[str | None] = (
        "Run an onboarding program: introductions and a buddy in each newcomer's first weeks.")
    trial: ClassVar[Trial | None] = Trial(params={"introductions": 4})

    name: Literal["onboarding_program"]
    introductions: int = ranged(4, 0, 20, "introductions", "introductions made during onboarding")
    hours: float = ranged(1.0, 0.0, 40.0, "hours/newcomer", "manager time per newcomer")

    def apply(self, levers, space=None):
        levers.onboarding_introductions = self.introductions
        levers.onboarding_hours = self.hours


class SuccessStoriesIntervention(Intervention):
    """Share stories of collaborations: members learn who does what.

    A collaboration's story is shared with ``share_probability``; each closes
    ``learning`` of every member's gap to full knowledge of who does what.
    Knowing more, members ask for more introductions
    (``manager.knowledge_request_factor``) and their introductions fit better
    (``manager.introduction_knowledge_fit``) — no engagement is added directly.
    """

    label: ClassVar[str] = "Share success stories of collaborations"
    advice: ClassVar[str | None] = "Collect and share success stories of collaborations between members."
    trial: ClassVar[Trial | None] = Trial(params={"share_probability": 0.6})

    name: Literal["success_stories"]
    share_probability: float = ranged(0.6, 0.0, 1.0, "probability", "chance a collaboration's story is shared")
    learning: float = ranged(0.15, 0.0, 1.0, "share", "share of the knowledge gap a shared story closes")

    def apply(self, levers, space=None):
        levers.story_share_probability = self.share_probability
        levers.story_learning = self.learning


class ExternalSpeakersIntervention(Intervention):
    """Invite external speakers to professional events: more relevance, external guests.

    Professional events bring ``guests_per_event`` external guests and attract
    members more (``relevance_boost`` log-odds).
    """

    label: ClassVar[str] = "Invite external speakers"
    advice: ClassVar[str | None] = "Invite external speakers and guests to bring outside perspectives."
    trial: ClassVar[Trial | None] = Trial(params={"guests_per_event": 10})

    name: Literal["external_speakers"]
    guests_per_event: float = ranged(10.0, 0.0, 500.0, "guests/event", "external guests per event")
    relevance_boost: float = ranged(0.8, 0.0, 20.0, "log-odds", "extra attraction of professional events")

    def apply(self, levers, space=None):
        levers.speaker_guests = self.guests_per_event
        levers.speaker_relevance = self.relevance_boost


class _NetworkLever(Intervention):
    """Base of the levers of a network of spaces: they need ``network.spaces``."""

    def check(self, scenario):
        if not scenario.network.spaces:
            key = next(k for k in type(self).model_fields if k not in ("name", "start_month"))
            return key, "has no effect: the scenario has no network.spaces (e.g. scenario coworking_network)"
        return None


class NetworkMembershipIntervention(_NetworkLever):
    """One membership for every space of the network: members may work at any member space.

    Raises, in every space, the chance that a member who comes in on a workday works that day at
    another space of the network (``visit_probability``, from ``network.visit_probability``).  A
    visitor is present in the host space like its own members: the same partner choice, chance
    conversations and lunch tables (:mod:`simulation.network`), so ties across spaces come from
    meeting people there, not from the lever itself.
    """

    label: ClassVar[str] = "Let members work at any space of the network"

    name: Literal["network_membership"]
    visit_probability: float = ranged(
        0.1, 0.0, 1.0, "probability/day present",
        "chance a member who comes in works that day at another space of the network (assumed: one day in ten)")

    def apply(self, levers, space=None):
        levers.visit_probability = self.visit_probability


class SharedEventsIntervention(_NetworkLever):
    """Share speakers across the network: speakers tour the spaces, or their events are streamed.

    A share ``tour_share`` of each space's professional events *tours*: the speaker (a guest) gives
    the same talk in person in ``network.tour_stops`` spaces, one after another, each stop an
    ordinary event of its host on the host's next event day (:mod:`simulation.network`).  Of the
    other professional events a share ``stream_share`` is streamed to every other space of the
    network.  There, members attend with their own attendance probability times
    ``network.remote_attendance_factor``, get ``network.remote_value_factor`` of the value, and talk
    with the others watching in the same room at ``network.remote_conversation_factor`` of the rate
    in person; the log holds one event with participations in several spaces.
    """

    label: ClassVar[str] = "Share speakers across the network: tours and streamed events"

    name: Literal["shared_events"]
    stream_share: float = ranged(
        0.5, 0.0, 1.0, "share", "share of each space's professional events (not touring) streamed to the other spaces")
    tour_share: float = ranged(
        0.25, 0.0, 1.0, "share",
        "share of each space's professional events whose speaker tours other spaces in person (assumed: one in four)")

    def apply(self, levers, space=None):
        levers.stream_share = self.stream_share
        levers.tour_share = self.tour_share


# --------------------------------------------------------------------------- running them
def apply_intervention(levers: "Levers", iv: Intervention, space: "Space | None" = None) -> None:
    """Switch the lever described by ``iv`` (a validated intervention model); note when the manager is gone."""
    iv.apply(levers, space)
    if space is not None and levers.hours_per_week == 0 and space.manager_left_day is None:
        space.manager_left_day = int(space.env.now)


def intervention_process(env, space: "Space", iv: Intervention):
    """SimPy process: wait until the intervention's start, then switch its lever."""
    day = iv.start_day
    if day > env.now:
        yield env.timeout(day - env.now)
    apply_intervention(space.levers, iv, space)
