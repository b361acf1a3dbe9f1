"""The list of health indicators, the function that runs them all, and their catalogue.

Nothing here is written by hand: :data:`INDICATORS` is every function declared
with :func:`~cop.health.declaration.indicator` in a module of ``cop.health``
(each module is imported once, when the package is), ordered by principle (the
order of :data:`~cop.health.PRINCIPLES`), then module, then place in the
module.  The catalogue and ``docs/indicators.md`` are read from the
declarations.

To add an indicator, write the decorated function in the module of its
principle (or in a new module of ``cop/health/``: it is found by name) and its
test; then regenerate ``docs/indicators.md`` (``python -c "from cop.health import
catalogue_markdown; open('docs/indicators.md', 'w').write(catalogue_markdown())"``),
which ``tests/test_docs.py`` keeps in sync.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext, run_indicators
>>> table = run_indicators(HealthContext.from_log(cop.load_example()))
>>> table.columns.tolist()
['name', 'value', 'status', 'principle', 'explanation', 'interventions', 'reference', 'reason']
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError
from cop.frames import frame_of_rows
from cop.health._base import PRINCIPLES, HealthContext, Indicator
from cop.health.declaration import IndicatorSpec, spec_of
from cop.health.requirements import REQUIREMENTS

__all__ = ["INDICATORS", "run_indicators", "indicator_names", "indicator_specs", "indicator_catalogue", "catalogue_markdown"]

COLUMNS = ["name", "value", "status", "principle", "explanation", "interventions", "reference", "reason"]


def _declared() -> tuple[Callable[[HealthContext], Indicator], ...]:
    """Every declared indicator function of the ``cop.health`` modules, in reporting order."""
    package = importlib.import_module(__name__.rpartition(".")[0])
    found: dict[str, Callable[[HealthContext], Indicator]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or f"{package.__name__}.{info.name}" == __name__:
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            spec = spec_of(value)
            if spec is None or value.__module__ != module.__name__:
                continue
            if spec.name in found and found[spec.name] is not value:
                raise ConfigError(f"indicator {spec.name!r} is declared twice ({found[spec.name].__module__}, {module.__name__})")
            found[spec.name] = value

    def order(f: Callable[..., Indicator]) -> tuple[int, str, int]:
        return PRINCIPLES.index(spec_of(f).principle), f.__module__, inspect.unwrap(f).__code__.co_firstlineno

    return tuple(sorted(found.values(), key=order))


#: Every indicator function, in reporting order (derived from the declarations).
INDICATORS: tuple[Callable[[HealthContext], Indicator], ...] = _declared()


def indicator_names() -> list[str]:
    """Stable names of all indicators (the function names).

    Examples
    --------
    >>> names = indicator_names()
    >>> len(names), names[:3]
    (25, ['event_cadence_cv', 'events_per_active_member', 'core_share'])
    """
    return [spec_of(f).name for f in INDICATORS]


def indicator_specs() -> list[IndicatorSpec]:
    """The declarations of all indicators, in reporting order.

    Examples
    --------
    >>> spec = {s.name: s for s in indicator_specs()}["core_share"]
    >>> spec.healthy, spec.requires
    (Band(lo=0.05, hi=0.25, closed='both'), ('members',))
    """
    return [spec_of(f) for f in INDICATORS]


def run_indicators(ctx: HealthContext, indicators: Sequence[Callable[[HealthContext], Indicator]] = INDICATORS, *,
                   settings: Any = None) -> pd.DataFrame:
    """Run indicators on a context; returns the tidy ``indicators`` table.

    ``settings`` (a :class:`cop.settings.Settings`) grades the indicators it names on its own
    reference ranges instead of the declared ones (their ``reference`` says so).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> table = run_indicators(HealthContext.from_log(cop.load_example()))
    >>> len(table), table.columns.tolist()[:3]
    (25, ['name', 'value', 'status'])
    """
    rows = []
    for f in indicators:
        spec = spec_of(f)
        own = settings.spec_for(spec) if settings is not None and spec is not None else None
        r = f(ctx) if own is None else f.evaluate(ctx, own)
        rows.append({"name": r.name, "value": float(r.value) if r.value is not None else np.nan, "status": r.status,
                     "principle": r.principle, "explanation": r.explanation, "interventions": list(r.interventions),
                     "reference": r.reference, "reason": r.reason})
    out = frame_of_rows(rows, COLUMNS)
    out["value"] = out["value"].astype(np.float64)
    out["reason"] = out["reason"].astype(object).where(out["reason"].notna(), None)
    return out


def indicator_catalogue() -> pd.DataFrame:
    """What every indicator measures, read from the declarations.

    Columns: ``name, principle, definition`` (the first line of its docstring),
    ``unit, reference`` (range and source), ``source, interventions, requires``.

    Examples
    --------
    >>> cat = indicator_catalogue()
    >>> cat.loc[cat["name"] == "brokered_introduction_share", "principle"].item()
    'manager_dependency'
    """
    return pd.DataFrame([{"name": s.name, "principle": s.principle, "definition": s.definition, "unit": s.unit,
                          "reference": s.reference, "source": s.source, "interventions": list(s.interventions),
                          "requires": list(s.requires)} for s in indicator_specs()],
                        columns=["name", "principle", "definition", "unit", "reference", "source", "interventions", "requires"])


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def catalogue_markdown(catalogue: pd.DataFrame | None = None) -> str:
    """The indicator catalogue as the Markdown page ``docs/indicators.md``.

    Examples
    --------
    >>> catalogue_markdown().splitlines()[0]
    '# Health indicators'
    """
    cat = indicator_catalogue() if catalogue is None else catalogue
    lines = [
        "# Health indicators",
        "",
        "Generated from the indicator declarations by `cop.health.catalogue_markdown()`; a test keeps it in sync.",
        "Each indicator returns `name`, `value`, `status` (healthy / watch / critical / not_available),",
        "`principle`, a one-sentence `explanation` and the `interventions` that address it.",
        "An indicator is `not_available` (with the reason, never a made-up value) when the data lacks what it",
        "needs (the last column; see [Preconditions](#preconditions)) or cannot support the measure.",
        "",
    ]
    for principle, group in cat.groupby("principle", sort=False):
        lines += [f"## {principle.replace('_', ' ')}", "",
                  "| indicator | definition | reference range and source | interventions | needs |", "|---|---|---|---|---|"]
        for r in group.itertuples():
            lines.append(f"| `{r.name}` | {_cell(r.definition)} | {_cell(r.reference)} | {', '.join(r.interventions)} "
                         f"| {', '.join(r.requires) or '—'} |")
        lines.append("")
    lines += ["## Preconditions", "", "| needs | not available when |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(req.reason)} |" for name, req in REQUIREMENTS.items()]
    lines += ["", "## Adding an indicator", "",
              "Write one function `f(ctx: HealthContext) -> Reading` in a module of `cop/health/`, declared with",
              "`@indicator(principle=..., unit=..., healthy=(lo, hi), watch=(lo, hi), reference=..., source=...,",
              "interventions=(...), requires=(...))`, and its test. The registry, the grading, the reference text,",
              "the `not_available` reasons and this page are derived from the declaration (regenerate this page).",
              ""]
    return "\n".join(lines)
