"""Scenario configuration: frozen, validated parameter models with units.

A :class:`Scenario` holds every parameter of the model, grouped by mechanism
(``space``, ``arrivals``, ``members``, ``encounters``, ``manager``, ``events``,
``collaborations``) plus a list of timed ``interventions``.  All models are
pydantic v2, frozen and ``extra="forbid"``: an unknown key or an out-of-range
value is a :class:`cop.exceptions.ConfigError` naming the key path, the value
and the allowed range with its unit (see :func:`scenario_from_dict`).

Numbers and booleans are strict about their kind (``seats = true`` or
``seats = "300"`` is an error, not 1 or 300 seats); ``space.start_date`` lies
in 1970-01-01..2200-12-31; cross-key rules are checked at validation (a
``theme`` topic must be one of ``space.topics``).  The intervention models
are declared in :mod:`simulation.interventions`; the ``interventions`` union is
built from those declarations.  The model's behavioural constants (presence
floor, partner weights, attendance slopes, tie increments, the theme's share
of events...) are fields of the sub-models too, with the former literal values
as defaults, so a sweep can vary them.

Time in the model is measured in days; rates say their unit in the field
description (``/week``, ``/month``, ``hours/week``...).  A variant of a
scenario is a copy with changes (:meth:`Scenario.with_params`), never a
mutation.

Examples
--------
>>> from simulation.config import Scenario
>>> s = Scenario()
>>> s.manager.hours_per_week
40.0
>>> s2 = s.with_params({"manager.hours_per_week": 20})
>>> (s.manager.hours_per_week, s2.manager.hours_per_week)
(40.0, 20.0)
>>> from cop.exceptions import ConfigError
>>> try:
...     s.with_params({"manager.hours_per_week": 90})
... except ConfigError as e:
...     print(e)
scenario '<dict>': key 'manager.hours_per_week' = 90 is out of range [0, 80] hours/week
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from cop.exceptions import ConfigError

from . import interventions as _iv
from ._fields import Frozen as _Frozen
from ._fields import ranged as _f
from .interventions import (  # noqa: F401 - the declarations, importable from here as before
    INTERVENTION_NAMES,
    EventCadenceIntervention,
    ExternalSpeakersIntervention,
    ManagerHoursIntervention,
    ManagerLeavesIntervention,
    MatchmakingToolIntervention,
    OnboardingProgramIntervention,
    SeatCapIntervention,
    SuccessStoriesIntervention,
    ThemeIntervention,
    intervention_union,
)

__all__ = [
    "SpaceConfig",
    "ArrivalConfig",
    "MemberConfig",
    "EncounterConfig",
    "ManagerConfig",
    "EventConfig",
    "CollaborationConfig",
    "GroupConfig",
    "NetworkSpaceConfig",
    "NetworkConfig",
    "Scenario",
    "scenario_from_dict",
    "DEFAULT_TOPICS",
    "REMOVED_KEYS",
]

#: Keys that older scenarios may still carry, with why they went and what replaces them (a scenario
#: naming one fails with this message rather than a bare "unknown key").
REMOVED_KEYS: dict[str, str] = {
    "collaborations.theme_bonus": (
        "a theme no longer adds a collaboration bonus; it acts through shared topics (theme.interest_share, "
        "theme.fit, events.theme_share) -> conversations -> ties -> collaborations"),
    "members.large_company_openness": (
        "large companies are no longer closed by a fixed factor; their peripherality comes from organizational "
        "homophily: encounters.colleague_affinity, members.team_room_share, members.team_presence_sync"),
    "events.large_company_penalty": (
        "attendance no longer has a large-company penalty; it follows familiarity with members of other "
        "organisations (events.familiarity_weight, events.familiarity_ties)"),
    "collaborations.story_value": (
        "a shared story no longer adds engagement; members learn who does what (collaborations.story_learning), "
        "which raises their introduction requests (manager.knowledge_request_factor) and the fit of matches "
        "(manager.introduction_knowledge_fit)"),
    "interventions.success_stories.story_value": (
        "a shared story no longer adds engagement; members learn who does what: use the intervention's "
        "'learning' key"),
    "interventions.onboarding_program.engagement_boost": (
        "onboarding no longer adds engagement directly; it acts through earlier first ties: use the "
        "intervention's 'introductions' and 'hours' keys"),
}

#: The default universe of topics (interests) members and events draw from.
DEFAULT_TOPICS: tuple[str, ...] = (
    "software",
    "design",
    "marketing",
    "finance",
    "legal",
    "health",
    "sustainability",
    "media",
    "education",
    "hardware",
    "games",
    "food",
)


class SpaceConfig(_Frozen):
    """The space itself: dates, seats, topic universe."""

    start_date: _dt.date = Field(
        _dt.date(2022, 1, 3), ge=_dt.date(1970, 1, 1), le=_dt.date(2200, 12, 31),
        description="first simulated day (a Monday is best), from 1970-01-01 to 2200-12-31 [date]",
        json_schema_extra={"unit": "date"},
    )
    years: float = _f(3.0, 0.05, 20.0, "years", "simulated duration", strict_lo=False)
    seats: int = _f(300, 1, 50_000, "seats", "capacity of the space; arrivals are refused when full")
    topics: tuple[str, ...] = Field(
        DEFAULT_TOPICS, min_length=2, description="universe of topics members and events draw from [tags]"
    )
    open_weekends: bool = Field(False, description="whether members come on Saturdays and Sundays [bool]")
    holiday_closure: bool = Field(
        True, description="whether the space closes from 24 December to 1 January (seasonality) [bool]")
    summer_presence_factor: float = _f(
        0.7, 0.0, 1.0, "ratio", "presence in July and August relative to the rest of the year (seasonality)")


class ArrivalConfig(_Frozen):
    """Who applies for a seat and how many."""

    initial_members: int = _f(60, 0, 20_000, "members", "members present on day one")
    per_month: float = _f(8.0, 0.0, 5_000.0, "applicants/month", "mean number of applicants per month (Poisson)")
    share_freelancer: float = _f(0.5, 0.0, 1.0, "share", "share of applicants who are freelancers")
    share_startup: float = _f(0.35, 0.0, 1.0, "share", "share of applicants from startups (rest: large companies)")
    startup_size: float = _f(3.0, 1.0, 50.0, "people", "mean team size of a startup in the space")
    large_company_size: float = _f(12.0, 1.0, 500.0, "people", "mean team size of a large company in the space")
    topics_per_member: float = _f(2.0, 1.0, 6.0, "topics", "mean number of interests per member")
    topic_popularity_exponent: float = _f(
        0.6, 0.0, 5.0, "exponent", "skew of topic popularity: topic of rank k is drawn with weight k ** -exponent"
    )
    share_part_time: float = _f(
        0.15, 0.0, 1.0, "share", "share of applicants on a part-time plan (membership plans; rest: full-time)")
    share_day_pass: float = _f(
        0.08, 0.0, 1.0, "share", "share of applicants on day passes (membership plans; rest: full-time)")


class MemberConfig(_Frozen):
    """Presence, engagement and exit of members."""

    presence_days_per_week: float = _f(4.8, 0.1, 7.0, "days/week", "mean days present per week at full engagement")
    sociability_sigma: float = _f(1.2, 0.0, 3.0, "log-sd", "heterogeneity of sociability (lognormal sd)")
    initial_engagement: float = _f(0.5, 0.0, 1.0, "0-1", "engagement of a newcomer")
    engagement_decay_per_week: float = _f(
        0.05, 0.0, 1.0, "share/week", "share of engagement lost per week without value (neglect)"
    )
    value_per_encounter: float = _f(0.006, 0.0, 1.0, "engagement", "engagement gained per conversation")
    value_per_introduction: float = _f(0.06, 0.0, 1.0, "engagement", "engagement gained per useful introduction")
    value_per_event: float = _f(0.02, 0.0, 1.0, "engagement", "engagement gained per event attended")
    value_per_collaboration: float = _f(0.2, 0.0, 1.0, "engagement", "engagement gained per collaboration")
    exit_hazard_per_month: float = _f(
        0.03, 0.0, 1.0, "1/month", "monthly exit hazard of a fully engaged, established member"
    )
    low_engagement_hazard_factor: float = _f(
        8.0, 1.0, 100.0, "ratio", "hazard multiplier for a member with engagement 0 (vs 1)"
    )
    newcomer_hazard_factor: float = _f(
        2.0, 1.0, 20.0, "ratio", "hazard multiplier in the first months (liability of newness)"
    )
    newcomer_months: float = _f(4.0, 0.0, 36.0, "months", "months during which a member counts as a newcomer")
    flexible_plan_hazard_factor: float = _f(
        1.7, 1.0, 20.0, "ratio", "exit hazard of a part-time or day-pass member relative to a full-time one")
    team_room_share: float = _f(
        0.5, 0.0, 1.0, "share",
        "share of the day a member with a colleague present spends in the team's room, not the common areas")
    team_presence_sync: float = _f(
        0.5, 0.0, 1.0, "probability", "chance a member of a team follows the team's day schedule (colleagues come together)")
    part_time_presence_factor: float = _f(
        0.5, 0.0, 1.0, "ratio", "presence of a part-time member relative to a full-time one")
    day_pass_presence_factor: float = _f(
        0.2, 0.0, 1.0, "ratio", "presence of a day-pass member relative to a full-time one")
    presence_floor: float = _f(
        0.4, 0.0, 1.0, "share", "presence of a member with engagement 0, as a share of full presence"
    )
    presence_per_engagement: float = _f(
        0.6, 0.0, 1.0, "share/engagement", "presence gained per unit of engagement (full presence at floor + this)"
    )
    newcomer_presence_factor: float = _f(
        0.6, 0.0, 1.0, "ratio", "presence of a newcomer not yet onboarded relative to an onboarded member"
    )


class EncounterConfig(_Frozen):
    """Chance meetings between people present on the same day (Jin, Girvan & Newman 2001)."""

    conversations_per_day: float = _f(
        0.3, 0.0, 20.0, "conversations/person/day", "mean chance conversations started by a present member"
    )
    topic_affinity: float = _f(1.5, 0.0, 50.0, "ratio", "extra weight per shared topic when choosing a partner")
    tie_affinity: float = _f(8.0, 0.0, 50.0, "ratio", "extra weight for an existing tie (at full strength)")
    closure_affinity: float = _f(
        0.5, 0.0, 50.0, "ratio", "extra weight per mutual acquaintance (triadic closure)"
    )
    tie_half_life_days: float = _f(120.0, 1.0, 10_000.0, "days", "half-life of a tie without contact")
    tie_threshold: float = _f(0.5, 0.0, 10.0, "strength", "strength above which two members count as tied")
    base_partner_weight: float = _f(
        1.0, 0.0, 50.0, "weight", "partner-choice weight of any member present, before affinities"
    )
    tie_weight_cap: float = _f(
        1.0, 0.0, 100.0, "strength", "tie strength beyond which a tie adds no more partner-choice weight"
    )
    newcomer_receptiveness: float = _f(
        0.4, 0.0, 1.0, "ratio", "chance of being chosen as a partner of a newcomer not yet onboarded (vs onboarded)"
    )
    tie_per_conversation: float = _f(
        1.0, 0.0, 20.0, "strength/conversation", "tie strength added by one conversation (also at events)"
    )
    shared_topic_value_bonus: float = _f(
        1.0, 0.0, 20.0, "ratio", "extra value of a conversation between members sharing a topic"
    )
    colleague_affinity: float = _f(
        20.0, 0.0, 100.0, "weight", "partner-choice weight of a colleague present (organizational homophily)")
    tie_floor: float = _f(
        0.05, 0.0, 10.0, "strength", "ties decayed below this strength are forgotten (dropped from memory)")


class GroupConfig(_Frozen):
    """Group interactions: lunch tables in the space, online threads (3-8 people)."""

    lunch_share: float = _f(0.9, 0.0, 1.0, "share", "share of members present who sit at a lunch table")
    lunch_colleague_share: float = _f(
        0.6, 0.0, 1.0, "share", "chance a member with colleagues present lunches with them (organizational homophily)")
    lunch_topic_share: float = _f(
        0.3, 0.0, 1.0, "share", "chance a member (not with colleagues) sits with people of one of their topics")
    table_size: float = _f(6.5, 3.0, 8.0, "people", "mean size of a lunch table (tables of 3-8)")
    threads_per_member_month: float = _f(
        0.5, 0.0, 50.0, "threads/member/month", "online threads an engaged member joins per month")
    thread_size: float = _f(4.0, 3.0, 8.0, "people", "mean size of an online thread (3-8)")
    tie_per_group: float = _f(
        0.15, 0.0, 20.0, "strength/pair", "tie strength added between every two members of a group")
    value_per_group: float = _f(0.002, 0.0, 1.0, "engagement", "engagement gained per group interaction")


class ManagerConfig(_Frozen):
    """The community manager: a resource with limited weekly hours."""

    hours_per_week: float = _f(40.0, 0.0, 80.0, "hours/week", "working hours of the community manager")
    building_hours_per_week: float = _f(
        10.0, 0.0, 80.0, "hours/week", "running the building (always served first)"
    )
    building_hours_per_member: float = _f(
        0.05, 0.0, 5.0, "hours/week/member", "extra building load per active member"
    )
    onboarding_hours: float = _f(1.5, 0.0, 40.0, "hours/newcomer", "manager time to onboard one newcomer")
    onboarding_introductions: int = _f(2, 0, 20, "introductions", "introductions made during onboarding")
    introduction_hours: float = _f(0.5, 0.0, 10.0, "hours/introduction", "manager time for one 1:1 introduction")
    introduction_requests_per_month: float = _f(
        1.0, 0.0, 30.0, "requests/member/month", "introductions an engaged member asks for per month"
    )
    backlog_weeks: float = _f(
        8.0, 0.0, 104.0, "weeks", "onboarding requests older than this are dropped from the backlog"
    )
    introduction_engagement_floor: float = _f(
        0.2, 0.0, 10.0, "engagement", "partner weight of an introduction is (floor + engagement) x topic weight"
    )
    introduction_topic_weight: float = _f(
        2.0, 0.0, 50.0, "weight/topic", "extra partner weight of an introduction per shared topic"
    )
    tie_per_introduction: float = _f(1.5, 0.0, 20.0, "strength/introduction", "tie strength added by an introduction")
    request_engagement_floor: float = _f(
        0.3, 0.0, 10.0, "engagement", "introduction requests scale with (floor + engagement)"
    )
    newcomer_request_factor: float = _f(
        2.0, 0.0, 20.0, "ratio", "introductions a newcomer asks for relative to an established member"
    )
    introduction_fit_base: float = _f(
        -0.5, -20.0, 20.0, "log-odds", "log-odds that an introduction between members sharing no topic works out")
    introduction_fit_per_topic: float = _f(
        1.2, 0.0, 20.0, "log-odds/topic", "gain in the log-odds of success per topic the pair shares")
    introduction_fit_engagement: float = _f(
        1.5, 0.0, 20.0, "log-odds/engagement", "gain in the log-odds of success per unit of the pair's mean engagement")
    introduction_knowledge_fit: float = _f(
        1.5, 0.0, 20.0, "log-odds/knowledge",
        "gain in the log-odds of success per unit of the requester's knowledge of who does what")
    tie_per_failed_introduction: float = _f(
        0.3, 0.0, 20.0, "strength/introduction", "tie strength left by an introduction that did not work out")
    knowledge_request_factor: float = _f(
        1.0, 0.0, 20.0, "ratio", "extra introduction requests of a member who knows who does what (knowledge 1)")
    presence_days_per_week: float = _f(
        4.0, 0.0, 7.0, "days/week", "days a week the manager is in the space (brokering happens there)")
    brokered_per_week: float = _f(
        2.0, 0.0, 100.0, "introductions/week",
        "introductions the manager starts on their own among members present (brokering), hours allowing")
    introduction_ranking: Literal["manager", "cop", "random"] = Field(
        "manager",
        description=(
            "who picks the partner of the manager's introductions (onboarding, requests, brokering): 'manager' the "
            "manager's own judgement (simulation.introductions.introduction_weights: shared topics weighted by "
            "engagement and the requester's knowledge), 'cop' the best remaining suggestion of cop match's ranking "
            "on the simulated community (simulation.match_ranking), 'random' a uniform draw among members of other "
            "organisations not tied to the requester and never introduced to them [choice]"),
        json_schema_extra={"unit": "choice"})
    introduction_cop_fit: float = _f(
        0.0, 0.0, 20.0, "log-odds/fit",
        "gain in the log-odds that an introduction works out per unit of the pair's cop match fit (0-1), with an "
        "offset recalibrated weekly so that the mean chance over random pairs stays that of the other fit terms; "
        "0 leaves the fit out (the model before matchmaking). Assumed: similar pairs form ties more often "
        "(Kossinets & Watts 2009) but no published slope for a 0-1 fit exists")
    match_per_member_week: int = _f(
        3, 1, 100, "introductions/member/week",
        "most introductions a member takes part in per week when cop picks the pairs (cop match's per_member)")


class EventConfig(_Frozen):
    """Events organised by the manager."""

    cadence_days: int = _f(7, 0, 365, "days", "days between events (0: no events)")
    event_hours: float = _f(6.0, 0.0, 80.0, "hours/event", "manager time to prepare and run one event")
    professional_share: float = _f(0.5, 0.0, 1.0, "share", "share of events that are professional (rest social)")
    base_attendance: float = _f(0.25, 0.0, 1.0, "probability", "attendance probability of an average member")
    relevance_weight: float = _f(1.5, 0.0, 20.0, "log-odds", "weight of topic relevance on attendance")
    familiarity_weight: float = _f(1.0, 0.0, 20.0, "log-odds", "weight of knowing people on attendance")
    conversations_per_attendee: float = _f(2.0, 0.0, 50.0, "conversations/attendee", "conversations at an event")
    external_guests: float = _f(0.0, 0.0, 500.0, "guests/event", "mean number of external guests per event")
    theme_share: float = _f(0.6, 0.0, 1.0, "share", "share of events on the theme in a themed space")
    social_relevance_factor: float = _f(
        0.4, 0.0, 1.0, "ratio", "weight of topic relevance at a social event relative to a professional one"
    )
    engagement_weight: float = _f(
        2.5, 0.0, 20.0, "log-odds/engagement", "weight of engagement (centred on 0.5) on attendance"
    )
    familiarity_ties: float = _f(
        5.0, 0.1, 1000.0, "ties",
        "ties to members of other organisations at which familiarity reaches tanh(1) (tanh(ties / this))"
    )
    newcomer_penalty: float = _f(0.7, 0.0, 20.0, "log-odds", "lower attendance of a newcomer not yet onboarded")
    relevant_value_bonus: float = _f(
        1.0, 0.0, 20.0, "ratio", "extra value of an event on one of the attendee's topics"
    )


class CollaborationConfig(_Frozen):
    """Formal collaborations between tied members: the measurable business value."""

    rate_per_month: float = _f(
        0.02, 0.0, 1.0, "1/month", "monthly probability a strong tie with a shared topic turns into a collaboration"
    )
    story_share_probability: float = _f(
        0.05, 0.0, 1.0, "probability", "chance a collaboration's story is shared with the community"
    )
    story_learning: float = _f(
        0.1, 0.0, 1.0, "share",
        "share of the gap to full knowledge of who does what that every member closes per shared story")
    strong_tie_factor: float = _f(
        2.0, 1.0, 100.0, "ratio", "a tie can turn into a collaboration above this multiple of encounters.tie_threshold"
    )
    tie_per_collaboration: float = _f(2.0, 0.0, 20.0, "strength/collaboration", "tie strength added by a collaboration")


class NetworkSpaceConfig(_Frozen):
    """One space of a network (:mod:`simulation.network`): what differs from the scenario's other sections.

    Every other parameter (presence, encounters, events' attendance...) is the scenario's.
    """

    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_]{0,31}$",
                    description="space id: lower-case letters, digits, '_' (starts member and activity ids) [slug]")
    name: str = Field("", description="display name [text]")
    city: str = Field("", description="city [text]")
    seats: int = _f(300, 1, 50_000, "seats", "capacity of the space; arrivals are refused when full")
    initial_members: int = _f(60, 0, 20_000, "members", "members present on day one")
    per_month: float = _f(8.0, 0.0, 5_000.0, "applicants/month", "mean number of applicants per month (Poisson)")
    manager_hours_per_week: float = _f(40.0, 0.0, 80.0, "hours/week", "working hours of the space's manager")
    cadence_days: int = _f(7, 0, 365, "days", "days between the space's events (0: no events)")
    theme: str | None = Field(
        None, description="the space's theme, one of space.topics (admission by fit, topical events), or none [tag]")
    theme_fit: float = _f(0.5, 0.0, 1.0, "share", "share of applicants without the theme who are refused")
    theme_interest_share: float = _f(0.6, 0.0, 1.0, "share", "share of applicants attracted who carry the theme")


class NetworkConfig(_Frozen):
    """Several spaces in one run (:mod:`simulation.network`); no ``spaces``: one space, as before.

    The rates are assumed (no published figure found): members who hold one space's membership rarely work
    at another (``visit_probability``); ``network_membership`` raises it, ``shared_events`` streams events.
    """

    spaces: tuple[NetworkSpaceConfig, ...] = Field((), description="the spaces of the network [list]")
    visit_probability: float = _f(
        0.01, 0.0, 1.0, "probability/day present",
        "chance a member who comes in on a workday works that day at another space of the network (assumed)")
    host_seat_exponent: float = _f(
        1.0, 0.0, 5.0, "exponent", "a visitor picks a host space with weight seats ** exponent (assumed)")
    host_theme_affinity: float = _f(
        2.0, 0.0, 50.0, "ratio", "extra host weight of a space whose theme is one of the visitor's interests (assumed)")
    stream_share: float = _f(
        0.0, 0.0, 1.0, "share", "share of each space's professional events streamed to the other spaces")
    remote_attendance_factor: float = _f(
        0.3, 0.0, 1.0, "ratio", "attendance probability of a streamed event relative to attending in person (assumed)")
    remote_conversation_factor: float = _f(
        0.25, 0.0, 1.0, "ratio",
        "conversations of a remote attendee, with those watching in the same space, relative to in person (assumed)")
    remote_value_factor: float = _f(
        0.5, 0.0, 1.0, "ratio", "value of attending a streamed event relative to attending in person (assumed)")
    tour_share: float = _f(
        0.0, 0.0, 1.0, "share",
        "share of each space's professional events whose speaker then gives the talk in person in other spaces")
    tour_stops: int = _f(
        3, 2, 50, "spaces", "spaces a touring speaker's talk is given in, the origin included (assumed)")

    @model_validator(mode="after")
    def _unique_ids(self) -> "NetworkConfig":
        ids = [sp.id for sp in self.spaces]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise PydanticCustomError("scenario_check", "key {key} = {value} {what}",
                                      {"key": repr("network.spaces"), "value": repr(dup[0]),
                                       "what": "is the id of two spaces; space ids must be unique"})
        return self


# --------------------------------------------------------------------------- interventions
# Declared in simulation.interventions (one class per lever); the union of the declared models is
# built from that registry and rebuilt when a new one is declared (see _rebuild_interventions below).
Intervention = intervention_union()


class Scenario(_Frozen):
    """A complete, validated parameter set of the model.

    Examples
    --------
    >>> s = Scenario(name="tiny", space={"years": 0.5}, arrivals={"initial_members": 10})
    >>> s.space.years, s.arrivals.initial_members
    (0.5, 10)
    """

    name: str = Field("custom", description="scenario name [text]")
    description: str = Field("", description="what the scenario represents [text]")
    space: SpaceConfig = SpaceConfig()
    arrivals: ArrivalConfig = ArrivalConfig()
    members: MemberConfig = MemberConfig()
    encounters: EncounterConfig = EncounterConfig()
    manager: ManagerConfig = ManagerConfig()
    events: EventConfig = EventConfig()
    collaborations: CollaborationConfig = CollaborationConfig()
    groups: GroupConfig = GroupConfig()
    network: NetworkConfig = NetworkConfig()
    interventions: tuple[Intervention, ...] = Field((), description="timed levers [list]")

    @model_validator(mode="after")
    def _check_interventions(self) -> "Scenario":
        """Cross-key checks each intervention declares (e.g. a theme topic must be one of the space's)."""
        for i, sp in enumerate(self.network.spaces):
            if sp.theme is not None and sp.theme not in self.space.topics:
                raise PydanticCustomError("scenario_check", "key {key} = {value} {what}",
                                          {"key": repr(f"network.spaces.{i}.theme"), "value": repr(sp.theme),
                                           "what": f"is not one of space.topics ({', '.join(self.space.topics)})"})
        for i, iv in enumerate(self.interventions):
            problem = iv.check(self)
            if problem:
                key, what = problem
                raise PydanticCustomError("scenario_check", "key {key} = {value} {what}",
                                          {"key": repr(f"interventions.{i}.{key}"), "value": repr(getattr(iv, key)),
                                           "what": what})
        return self

    def with_params(self, changes: dict[str, Any], *, source: str = "<dict>") -> "Scenario":
        """Return a validated copy with dotted-path changes applied.

        ``changes`` maps paths such as ``"manager.hours_per_week"`` or
        ``"interventions.0.start_month"`` to values.
        """
        data = self.model_dump(mode="json")
        for path, value in changes.items():
            _set_path(data, path, value, source)
        return scenario_from_dict(data, source=source)


def _set_path(data: dict, path: str, value: Any, source: str) -> None:
    parts = path.split(".")
    node: Any = data
    for i, key in enumerate(parts[:-1]):
        try:
            node = node[int(key)] if isinstance(node, list) else node[key]
        except (KeyError, IndexError, ValueError, TypeError):
            raise ConfigError(f"scenario {source!r}: no key {'.'.join(parts[: i + 1])!r} (in {path!r})") from None
    last = parts[-1]
    if isinstance(node, list):
        try:
            node[int(last)] = value
        except (IndexError, ValueError):
            raise ConfigError(f"scenario {source!r}: no key {path!r}") from None
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise ConfigError(f"scenario {source!r}: no key {path!r}")


def _field_info(loc: tuple) -> Any:
    """Find the pydantic FieldInfo for a validation-error location."""
    model: Any = Scenario
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        if part in INTERVENTION_NAMES and info is not None and info is Scenario.model_fields["interventions"]:
            model = _iv.declared_interventions()[part]
            continue
        if model is None:
            return None
        fields = getattr(model, "model_fields", None)
        if fields is None:
            return None
        if part not in fields:
            return None
        info = fields[part]
        ann = info.annotation
        if getattr(ann, "__origin__", None) is tuple and ann.__args__:  # tuple[Model, ...] (network.spaces)
            ann = ann.__args__[0]
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return info


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _range_text(info: Any) -> str:
    lo = hi = None
    lo_open = False
    for m in getattr(info, "metadata", []):
        if hasattr(m, "ge"):
            lo = m.ge
        if hasattr(m, "gt"):
            lo, lo_open = m.gt, True
        if hasattr(m, "le"):
            hi = m.le
    unit = (info.json_schema_extra or {}).get("unit", "") if info is not None else ""
    left = "(" if lo_open else "["
    lo_s = "-inf" if lo is None else _fmt(lo)
    hi_s = "inf" if hi is None else _fmt(hi)
    return f"{left}{lo_s}, {hi_s}]" + (f" {unit}" if unit else "")


def _loc_path(loc: tuple) -> str:
    parts = []
    for p in loc:
        if isinstance(p, str) and p in INTERVENTION_NAMES and parts and parts[-1].isdigit():
            continue  # discriminator tag inserted by pydantic
        parts.append(str(p))
    return ".".join(parts)


def scenario_from_dict(data: dict[str, Any], *, source: str = "<dict>") -> Scenario:
    """Validate a mapping into a :class:`Scenario`, raising :class:`ConfigError`.

    Every problem is reported with its key path; ranges and units are given for
    out-of-range values, and the allowed keys for unknown ones.

    Examples
    --------
    >>> scenario_from_dict({"manager": {"hourz": 3}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: scenario '<dict>': unknown key 'manager.hourz'; allowed keys: backlog_weeks, brokered_per_week, ...
    """
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        messages = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            path = _loc_path(loc)
            kind = err["type"]
            value = err.get("input")
            if kind == "extra_forbidden":
                parent = _field_info(loc[:-1]) if len(loc) > 1 else None
                model = parent.annotation if parent is not None else Scenario
                if len(loc) >= 3 and isinstance(loc[-3], int):
                    model = _iv.declared_interventions().get(loc[-2], model)
                allowed = sorted(getattr(model, "model_fields", {}))
                full = ", ".join(allowed)
                alias = (f"interventions.{loc[2]}.{loc[-1]}" if loc[0] == "interventions" and len(loc) == 4
                         else path)
                if path in REMOVED_KEYS or alias in REMOVED_KEYS:
                    messages.append((f"key {path!r} was removed: {REMOVED_KEYS.get(path) or REMOVED_KEYS[alias]}",
                                     None))
                else:
                    messages.append((f"unknown key {path!r}; allowed keys: {full}", full))
            elif kind in {"less_than_equal", "greater_than_equal", "greater_than", "less_than"}:
                info = _field_info(loc)
                messages.append((f"key {path!r} = {_fmt(value)} is out of range {_range_text(info)}", None))
            elif kind == "union_tag_invalid":
                messages.append(
                    (f"key {path}.name = {err.get('ctx', {}).get('tag')!r} is not an intervention; "
                     f"expected one of {', '.join(INTERVENTION_NAMES)}", None)
                )
            elif kind == "scenario_check":
                messages.append((err["msg"], None))
            elif kind == "strict_kind":
                ctx = err.get("ctx", {})
                key = _loc_path(loc + (ctx.get("field"),))
                messages.append((f"key {key!r} = {ctx.get('value')!r}: expected {ctx.get('kind')}, "
                                 f"got {ctx.get('got')}", None))
            else:
                messages.append((f"key {path!r} = {value!r}: {err['msg']}", None))
        head = f"scenario {source!r}: " + messages[0][0]
        if len(messages) > 1:
            head += f" (and {len(messages) - 1} more: " + "; ".join(m for m, _ in messages[1:]) + ")"
        err = ConfigError(head, hint=(f"allowed keys: {messages[0][1]}" if messages[0][1] else None))
        raise err from None


def _rebuild_interventions() -> None:
    """Give :class:`Scenario` the union of the interventions declared so far."""
    global Intervention
    Intervention = intervention_union()
    Scenario.model_fields["interventions"].annotation = tuple[Intervention, ...]
    Scenario.model_rebuild(force=True)


_iv._LISTENERS.append(_rebuild_interventions)
