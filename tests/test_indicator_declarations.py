"""Every indicator is declared once, completely, and its reference text and grading agree with its bands."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pytest

import cop.health
from cop.exceptions import ConfigError
from cop.health import (
    INDICATORS,
    INTERVENTIONS,
    PRINCIPLES,
    REQUIREMENTS,
    Band,
    HealthContext,
    IndicatorSpec,
    Reading,
    grade,
    indicator,
    indicator_names,
    indicator_specs,
    spec_of,
)

HEALTH = Path(cop.health.__file__).parent
SPECS = indicator_specs()


def _decorated_in_source() -> list[str]:
    """Names of the functions decorated with ``@indicator(...)`` in the cop/health sources (read independently)."""
    names = []
    for path in sorted(HEALTH.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", None) == "indicator" for d in node.decorator_list):
                names.append(node.name)
    return names


def test_the_registry_holds_every_declared_function_once():
    assert sorted(indicator_names()) == sorted(_decorated_in_source())
    assert len(set(indicator_names())) == len(INDICATORS) >= 24


def test_registry_order_follows_the_principles_then_the_source():
    ranks = [PRINCIPLES.index(s.principle) for s in SPECS]
    assert ranks == sorted(ranks)
    # the order the diagnosis has always reported (recommendation ties are broken by it)
    assert indicator_names()[:5] == ["event_cadence_cv", "events_per_active_member", "core_share", "active_share",
                                     "inward_mobility"]
    assert indicator_names()[-2:] == ["time_to_first_tie", "newcomers_with_tie_share"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_registered_indicator_has_a_complete_declaration(spec):
    f = INDICATORS[indicator_names().index(spec.name)]
    assert spec_of(f) is spec and spec.name == f.__name__
    assert getattr(cop.health, spec.name) is f and spec.name in cop.health.__all__
    assert spec.principle in PRINCIPLES
    assert spec.unit.strip() and spec.source.strip()
    assert spec.definition.endswith(".") and spec.definition[0].isupper()
    assert spec.interventions and set(spec.interventions) <= set(INTERVENTIONS)
    assert set(spec.requires) <= set(REQUIREMENTS)
    # the numbers of the ranges come from the bands, never typed into the text
    assert "{healthy" in spec.template and "{watch" in spec.template
    assert not math.isinf(spec.healthy.lo) or not math.isinf(spec.healthy.hi)
    assert len(spec.reference) > 20 and "{" not in spec.reference


# --- the reference text, read back as English, against the grading -----------------------------

_NUM = r"-?\d+(?:\.\d+)?"
_ONE = rf"(?:[<>]=? {_NUM}|{_NUM}-{_NUM}|{_NUM})(?: %)?"
_EXPR = rf"{_ONE}(?: or {_ONE})*"


def _predicate(expr: str):
    """``v -> bool`` for a written range such as ``<= 0.6``, ``5-25 %``, ``0-5 % or 50-70 %``."""
    parts = []
    for one in expr.split(" or "):
        scale = 0.01 if one.endswith(" %") else 1.0
        one = one.removesuffix(" %")
        if m := re.fullmatch(rf"([<>]=?) ({_NUM})", one):
            op, x = m.group(1), float(m.group(2)) * scale
            parts.append({"<": lambda v, x=x: v < x, "<=": lambda v, x=x: v <= x,
                          ">": lambda v, x=x: v > x, ">=": lambda v, x=x: v >= x}[op])
        else:
            m = re.fullmatch(rf"({_NUM})-({_NUM})", one)
            lo, hi = float(m.group(1)) * scale, float(m.group(2)) * scale
            parts.append(lambda v, lo=lo, hi=hi: lo <= v <= hi)
    return lambda v: any(p(v) for p in parts)


def _written(reference: str, status: str):
    """The range written just before ``status`` in the reference text (``None`` when not written)."""
    m = re.search(rf"({_EXPR})((?: [a-z]+)*)(?: \([^)]*\))? {status}\b", reference)
    return _predicate(m.group(1)) if m else None


def _inside(band: Band) -> float:
    """A value well inside a band (away from both ends)."""
    if math.isinf(band.lo):
        return band.hi - max(abs(band.hi), 1.0) / 2
    if math.isinf(band.hi):
        return band.lo + max(abs(band.lo), 1.0) / 2
    return (band.lo + band.hi) / 2


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_reference_text_and_grading_agree_with_the_declared_bands(spec):
    healthy, watch, critical = (_written(spec.reference, s) for s in ("healthy", "watch", "critical"))
    assert healthy is not None and watch is not None, spec.reference
    # a value inside the healthy band
    v = _inside(spec.healthy)
    assert spec.grade(v) == "healthy" and healthy(v), v
    # values inside the watch band only
    assert spec.watch_only, "a watch band that adds nothing to the healthy band"
    for band in spec.watch_only:
        v = _inside(band)
        assert spec.grade(v) == "watch" and watch(v) and not healthy(v), v
        assert critical is None or not critical(v)
    # values outside the watch band
    assert spec.critical
    for band in spec.critical:
        v = _inside(band)
        assert spec.grade(v) == "critical" and not healthy(v) and not watch(v), v
        assert critical is None or critical(v)
    assert spec.grade(float("nan")) == "not_available"


def test_written_ranges_are_read_back():
    # the reader of the test itself, on hand-written texts
    assert _written("x: <= 0.6 healthy, 0.6-1.0 watch, > 1.0 critical (1 = random)", "critical")(1.2)
    assert not _written("here 5-25 % healthy, 2-40 % watch", "healthy")(0.3)
    assert _written("50-90 % healthy (fine), 30-50 % or 90-100 % watch", "watch")(0.95)
    assert _written("E-I: >= 0 healthy, -0.5-0 watch", "watch")(-0.25)
    assert _written("> 10 % of active members healthy; 5-10 % (and >= 3 people) watch", "watch")(0.07)
    assert _written("no range here; else critical", "critical") is None


# --- bands and declarations ---------------------------------------------------------------------


def test_band_ends_and_text():
    assert [x in Band(0.5, 0.8, "left") for x in (0.5, 0.8)] == [True, False]
    assert [x in Band(0.1, np.inf, "right") for x in (0.1, 0.2)] == [False, True]
    assert (f"{Band(0.05, 0.25):%}", f"{Band(-np.inf, 0.6):.1f}", f"{Band(0.0, np.inf)}") == ("5-25 %", "<= 0.6", ">= 0")
    assert grade(0.5, healthy=Band(-np.inf, 0.5, "left"), watch=Band(0.5, 0.8, "left")) == "watch"
    assert grade(0.8, healthy=Band(-np.inf, 0.5, "left"), watch=Band(0.5, 0.8, "left")) == "critical"
    with pytest.raises(ConfigError, match="lo <= hi"):
        Band(1.0, 0.0)


def _spec(**changes):
    kw = dict(name="x", principle="rhythm", unit="share", healthy=(0.5, 1.0), watch=(0.2, 0.5),
              template="{healthy} healthy, {watch} watch", source="test", interventions=("theme",))
    return IndicatorSpec(**{**kw, **changes})


@pytest.mark.parametrize("changes, message", [
    ({"principle": "vibes"}, "principle 'vibes'"),
    ({"interventions": ()}, "interventions"),
    ({"requires": ("unicorns",)}, "unknown precondition"),
    ({"healthy": (0.8, 1.0), "watch": (0.2, 0.5)}, "overlap or touch"),
    ({"source": " "}, "source must not be empty"),
])
def test_incomplete_declarations_are_refused_at_import(changes, message):
    with pytest.raises(ConfigError, match=message):
        _spec(**changes)


def test_template_fields():
    s = _spec(healthy=(0.5, 0.9), watch=(0.3, 1.0), template="{healthy:%}; {watch_only:%}; {critical:%}; {watch}")
    assert s.reference == "50-90 %; 30-50 % or 90-100 %; < 30 % or > 100 %; 0.3-1"


def test_explanation_follows_the_side_of_the_healthy_band():
    s = _spec(healthy=(0.4, 0.6), watch=(0.2, 0.8))
    texts = {"healthy": "fine", "watch": "either", "watch_low": "too few", "critical": "bad"}
    got = [s.result(Reading(v, texts)).explanation for v in (0.5, 0.3, 0.7, 0.1, 0.9)]
    assert got == ["fine", "too few", "either", "bad", "bad"]


def test_graded_value_and_intervention_override():
    s = _spec()
    r = s.result(Reading(2.0, {"critical": "two people"}, graded=0.0, interventions=("seat_cap", "theme")))
    # the value reported is 2, the status comes from the graded number
    assert (r.value, r.status, r.explanation, r.interventions) == (2.0, "critical", "two people", ["seat_cap", "theme"])


def test_a_missing_value_is_never_graded():
    s = _spec()
    r = s.result(Reading(float("nan"), {"critical": "never shown"}))
    assert (r.status, r.reason) == ("not_available", "the value cannot be computed from the data")
    assert np.isnan(r.value) and r.explanation == "Not available: the value cannot be computed from the data."


def test_decorated_function_keeps_its_name_doc_and_declaration():
    @indicator(principle="rhythm", unit="share", healthy=(0.5, 1.0), watch=(0.2, 0.5), reference="{healthy} healthy",
               source="test", interventions=("theme",))
    def half(ctx: HealthContext) -> Reading:
        """Always one half."""
        return Reading(0.5, {"healthy": "half"})

    assert (half.__name__, half.__doc__, spec_of(half).definition) == ("half", "Always one half.", "Always one half.")
    assert "half" not in indicator_names()  # only cop.health modules are registered
    assert spec_of(len) is None


def test_every_indicator_names_declared_interventions():
    """Indicators name interventions by string; each must be declared in the simulation."""
    from cop.health import INTERVENTIONS
    from cop.health.registry import indicator_specs

    for spec in indicator_specs():
        unknown = [i for i in spec.interventions if i not in INTERVENTIONS]
        assert not unknown, f"{spec.name}: unknown interventions {unknown}"


def test_importing_cop_loads_no_simulation_module():
    import subprocess
    import sys

    code = "import sys, cop, cop.health; print(sorted(m for m in sys.modules if m.split('.')[0] in ('simulation', 'scenarios')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
