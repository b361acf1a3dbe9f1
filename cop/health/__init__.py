"""Health indicators of a community of practice, grouped by principle.

The seven principles of aliveness (Wenger, McDermott & Snyder 2002) and the
findings of coworking field studies each get a module; every indicator is one
function of a :class:`HealthContext` returning an :class:`Indicator` with a
stable ``name``, ``value``, ``status`` (``healthy``, ``watch``, ``critical``,
``not_available``), ``principle``, a one-sentence ``explanation``, the
``interventions`` that address it, its ``reference`` range and source, and the
``reason`` when it is not available (never a made-up 0).

Each indicator is declared once, with :func:`indicator` (see
:mod:`cop.health.declaration`): its principle, unit, healthy and watch bands,
reference and source, interventions and preconditions.  The grading, the
reference text, the ``not_available`` reasons, the registry
(:data:`INDICATORS`, collected from the modules of this package) and
``docs/indicators.md`` are derived from it, and every indicator function is
re-exported here under its name.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext, core_share
>>> core_share(HealthContext.from_log(cop.load_example())).name
'core_share'
>>> INDICATORS[0].__name__, len(INDICATORS) >= 20
('event_cadence_cv', True)
"""

from cop.health._base import INTERVENTIONS, PRINCIPLES, STATUSES, HealthContext, Indicator
from cop.health.bands import Band, grade
from cop.health.declaration import IndicatorSpec, Reading, indicator, not_available, spec_of
from cop.health.organizations import (
    SILO_MIN_MEMBERS,
    SILO_PERIPHERAL_SHARE,
    INWARD_MARGIN,
    expected_ei,
    integration_verdict,
    is_isolated,
    is_siloed,
    isolated_organizations,
    leans_inward,
    organizations_table,
    stays_at_edge,
)
from cop.health.registry import (
    INDICATORS,
    catalogue_markdown,
    indicator_catalogue,
    indicator_names,
    indicator_specs,
    run_indicators,
)
from cop.health.requirements import REQUIREMENTS, Requirement, requirement

# every declared indicator function, under its name (the registry is the one list of them)
globals().update({f.__name__: f for f in INDICATORS})

__all__ = [
    "HealthContext", "Indicator", "grade", "Band", "PRINCIPLES", "INTERVENTIONS", "STATUSES",
    "indicator", "IndicatorSpec", "Reading", "not_available", "spec_of", "REQUIREMENTS", "Requirement", "requirement",
    "INDICATORS", "run_indicators", "indicator_names", "indicator_specs", "indicator_catalogue", "catalogue_markdown",
    "organizations_table", "is_siloed", "is_isolated", "isolated_organizations", "stays_at_edge", "leans_inward",
    "expected_ei", "integration_verdict", "INWARD_MARGIN", "SILO_MIN_MEMBERS", "SILO_PERIPHERAL_SHARE",
    *(f.__name__ for f in INDICATORS),
]
