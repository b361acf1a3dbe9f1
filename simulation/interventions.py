"""Interventions: named levers, switchable from the start or at a simulated date.

Each lever is declared in a scenario as ``[[interventions]]`` with a ``name``,
a ``start_month`` (0 = from the start) and its own parameters (validated by the
models in :mod:`simulation.config`).  At ``start_month`` a SimPy process
switches the lever in :class:`simulation.space.Levers`.  The names are the ones
the diagnosis recommends.

============================  ================================================================
name                          effect
============================  ================================================================
``theme``                     admission by fit with ``topic`` (``fit`` = share of applicants
                              without it refused; ``interest_share`` = applicants carrying it),
                              events on the theme, collaboration bonus within the theme
``manager_hours``             the manager's weekly hours (``hours_per_week``; 0 = gone)
``manager_leaves``            same as ``manager_hours`` with 0 hours
``event_cadence``             days between events (``cadence_days``), optionally the share of
                              professional events
``matchmaking_tool``          a share ``adoption_rate`` of members get introductions through a
                              tool (``suggestions_per_month``) costing ``cost_factor`` times a
                              manual introduction
``seat_cap``                  at most ``max_seats`` members per large company
``onboarding_program``        more introductions per newcomer, less time each, a welcome boost
``success_stories``           collaborations' stories shared with ``share_probability``, each
                              worth ``story_value`` engagement to every member
``external_speakers``         professional events bring ``guests_per_event`` external guests and
                              attract members more (``relevance_boost``)
============================  ================================================================

Examples
--------
>>> from simulation.config import Scenario
>>> from simulation.interventions import apply_intervention
>>> from simulation.space import Levers
>>> s = Scenario(interventions=[{"name": "manager_hours", "hours_per_week": 10}])
>>> lv = Levers(hours_per_week=40, cadence_days=30, professional_share=0.5)
>>> apply_intervention(lv, s.interventions[0])
>>> lv.hours_per_week
10.0
"""

from __future__ import annotations

from .config import INTERVENTION_NAMES
from .space import Levers, Space

__all__ = ["apply_intervention", "intervention_process", "INTERVENTION_NAMES"]


def apply_intervention(levers: Levers, iv, space: Space | None = None) -> None:
    """Switch the lever described by ``iv`` (a validated intervention model)."""
    name = iv.name
    if name == "theme":
        levers.theme = iv.topic
        levers.theme_fit = iv.fit
        levers.theme_interest_share = iv.interest_share
    elif name in ("manager_hours", "manager_leaves"):
        levers.hours_per_week = 0.0 if name == "manager_leaves" else iv.hours_per_week
    elif name == "event_cadence":
        levers.cadence_days = iv.cadence_days
        if iv.professional_share is not None:
            levers.professional_share = iv.professional_share
        if space is not None:
            space.next_event_day = int(space.env.now) + iv.cadence_days if iv.cadence_days else None
    elif name == "matchmaking_tool":
        levers.tool_adoption = iv.adoption_rate
        levers.tool_suggestions_per_month = iv.suggestions_per_month
        levers.tool_cost_factor = iv.cost_factor
        if space is not None:  # current members adopt too
            r = space.roster
            idx = r.active_idx()
            r.tool_user[idx] = space.rng.random(len(idx)) < iv.adoption_rate
    elif name == "seat_cap":
        levers.seat_cap = iv.max_seats
    elif name == "onboarding_program":
        levers.onboarding_introductions = iv.introductions
        levers.onboarding_hours = iv.hours
        levers.onboarding_boost = iv.engagement_boost
    elif name == "success_stories":
        levers.story_share_probability = iv.share_probability
        levers.story_value = iv.story_value
    elif name == "external_speakers":
        levers.speaker_guests = iv.guests_per_event
        levers.speaker_relevance = iv.relevance_boost
    else:  # pragma: no cover - config validation prevents this
        raise ValueError(f"unknown intervention {name!r}")
    if space is not None and levers.hours_per_week == 0 and space.manager_left_day is None:
        space.manager_left_day = int(space.env.now)


def intervention_process(env, space: Space, iv):
    """SimPy process: wait until the intervention's start, then switch its lever."""
    day = int(round(iv.start_month * 365.25 / 12))
    if day > env.now:
        yield env.timeout(day - env.now)
    apply_intervention(space.levers, iv, space)
