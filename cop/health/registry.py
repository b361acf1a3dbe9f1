"""The list of health indicators and the function that runs them all.

Each indicator is one function ``f(ctx: HealthContext) -> Indicator``; the
registry fixes their order (by principle) and turns the results into the tidy
``indicators`` table of the diagnosis.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext, run_indicators
>>> table = run_indicators(HealthContext.from_log(cop.load_example()))
>>> table.columns.tolist()
['name', 'value', 'status', 'principle', 'explanation', 'interventions', 'reference', 'reason']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from cop.health import dialogue, domain, familiarity, levels, manager, newcomers, organizations, rhythm, spaces, value
from cop.health._base import HealthContext, Indicator

__all__ = ["INDICATORS", "run_indicators", "indicator_names", "indicator_catalogue", "catalogue_markdown"]

#: Every indicator function, in reporting order.
INDICATORS: tuple[Callable[[HealthContext], Indicator], ...] = (
    rhythm.event_cadence_cv,
    rhythm.events_per_active_member,
    levels.core_share,
    levels.active_share,
    levels.inward_mobility,
    spaces.small_group_share,
    dialogue.external_activity_share,
    familiarity.recurring_format_share,
    familiarity.topic_novelty,
    value.collaborations_per_member,
    value.members_with_collaboration_share,
    domain.topic_drift,
    domain.domain_coherence,
    organizations.cross_org_tie_share,
    organizations.ei_index,
    organizations.siloed_member_share,
    manager.coordinator_involvement_share,
    manager.brokered_introduction_share,
    manager.coordinator_dependent_share,
    manager.coordinator_betweenness,
    manager.fragmentation_without_coordinator,
    manager.contributor_absence_factor,
    newcomers.time_to_first_tie,
    newcomers.newcomers_with_tie_share,
)

COLUMNS = ["name", "value", "status", "principle", "explanation", "interventions", "reference", "reason"]


def indicator_names() -> list[str]:
    """Stable names of all indicators (the function names)."""
    return [f.__name__ for f in INDICATORS]


def run_indicators(ctx: HealthContext, indicators: Sequence[Callable[[HealthContext], Indicator]] = INDICATORS) -> pd.DataFrame:
    """Run indicators on a context; returns the tidy ``indicators`` table."""
    rows = []
    for f in indicators:
        r = f(ctx)
        rows.append({"name": r.name, "value": float(r.value) if r.value is not None else np.nan, "status": r.status,
                     "principle": r.principle, "explanation": r.explanation, "interventions": list(r.interventions),
                     "reference": r.reference, "reason": r.reason})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["value"] = out["value"].astype(np.float64)
    out["reason"] = out["reason"].astype(object).where(out["reason"].notna(), None)
    return out


def indicator_catalogue(ctx: HealthContext | None = None) -> pd.DataFrame:
    """What every indicator measures: name, principle, definition, reference range and source, interventions.

    The reference and interventions are read from the indicators themselves (run
    on ``ctx``, by default the bundled example), so this table cannot drift from
    the code.

    Examples
    --------
    >>> cat = indicator_catalogue()
    >>> cat.loc[cat["name"] == "brokered_introduction_share", "principle"].item()
    'manager_dependency'
    """
    if ctx is None:
        from cop.datasets import load_example

        ctx = HealthContext.from_log(load_example())
    table = run_indicators(ctx)
    table["definition"] = [((f.__doc__ or "").strip().splitlines() or [""])[0] for f in INDICATORS]
    return table[["name", "principle", "definition", "reference", "interventions"]]


def catalogue_markdown(catalogue: pd.DataFrame | None = None) -> str:
    """The indicator catalogue as the Markdown page ``docs/indicators.md``."""
    cat = indicator_catalogue() if catalogue is None else catalogue
    lines = [
        "# Health indicators",
        "",
        "Generated from the code by `cop.health.catalogue_markdown()`; a test keeps it in sync.",
        "Each indicator returns `name`, `value`, `status` (healthy / watch / critical / not_available),",
        "`principle`, a one-sentence `explanation` and the `interventions` that address it.",
        "",
    ]
    for principle, group in cat.groupby("principle", sort=False):
        lines += [f"## {principle.replace('_', ' ')}", "", "| indicator | definition | reference range and source | interventions |",
                  "|---|---|---|---|"]
        for r in group.itertuples():
            cell = lambda t: str(t).replace("|", "\\|")  # noqa: E731
            lines.append(f"| `{r.name}` | {cell(r.definition)} | {cell(r.reference)} | {', '.join(r.interventions)} |")
        lines.append("")
    return "\n".join(lines)
