"""Health indicators of a community of practice, grouped by principle.

The seven principles of aliveness (Wenger, McDermott & Snyder 2002) and the
findings of coworking field studies each get a module; every indicator is one
function of a :class:`HealthContext` returning an :class:`Indicator` with a
stable ``name``, ``value``, ``status`` (``healthy``, ``watch``, ``critical``,
``not_available``), ``principle``, a one-sentence ``explanation``, the
``interventions`` that address it, its ``reference`` range and source, and the
``reason`` when it is not available (never a made-up 0).

=====================  ==========================================================
module                 indicators
=====================  ==========================================================
``rhythm``             event_cadence_cv, events_per_active_member
``levels``             core_share, active_share, inward_mobility
``spaces``             small_group_share
``dialogue``           external_activity_share
``familiarity``        recurring_format_share, topic_novelty
``value``              collaborations_per_member, members_with_collaboration_share
``domain``             topic_drift, domain_coherence
``organizations``      cross_org_tie_share, ei_index, siloed_member_share
``manager``            coordinator_involvement_share, brokered_introduction_share, coordinator_dependent_share,
                       coordinator_betweenness, fragmentation_without_coordinator, contributor_absence_factor
``newcomers``          time_to_first_tie, newcomers_with_tie_share
=====================  ==========================================================

Examples
--------
>>> import cop
>>> from cop.health import HealthContext, core_share
>>> core_share(HealthContext.from_log(cop.load_example())).name
'core_share'
"""

from cop.health._base import INTERVENTIONS, PRINCIPLES, STATUSES, HealthContext, Indicator, grade
from cop.health.dialogue import external_activity_share
from cop.health.domain import domain_coherence, topic_drift
from cop.health.familiarity import recurring_format_share, topic_novelty
from cop.health.levels import active_share, core_share, inward_mobility
from cop.health.manager import (
    brokered_introduction_share,
    contributor_absence_factor,
    coordinator_betweenness,
    coordinator_dependent_share,
    coordinator_involvement_share,
    fragmentation_without_coordinator,
)
from cop.health.newcomers import newcomers_with_tie_share, time_to_first_tie
from cop.health.organizations import cross_org_tie_share, ei_index, organizations_table, siloed_member_share
from cop.health.registry import INDICATORS, catalogue_markdown, indicator_catalogue, indicator_names, run_indicators
from cop.health.rhythm import event_cadence_cv, events_per_active_member
from cop.health.spaces import small_group_share
from cop.health.value import collaborations_per_member, members_with_collaboration_share

__all__ = [
    "HealthContext", "Indicator", "grade", "PRINCIPLES", "INTERVENTIONS", "STATUSES",
    "INDICATORS", "run_indicators", "indicator_names", "indicator_catalogue", "catalogue_markdown", "organizations_table",
    "event_cadence_cv", "events_per_active_member", "core_share", "active_share", "inward_mobility",
    "small_group_share", "external_activity_share", "recurring_format_share", "topic_novelty",
    "collaborations_per_member", "members_with_collaboration_share", "topic_drift", "domain_coherence",
    "cross_org_tie_share", "ei_index", "siloed_member_share", "coordinator_involvement_share", "brokered_introduction_share",
    "coordinator_dependent_share",
    "coordinator_betweenness", "fragmentation_without_coordinator", "contributor_absence_factor",
    "time_to_first_tie", "newcomers_with_tie_share",
]
