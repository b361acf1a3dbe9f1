"""Plain words for the report: what each indicator is called and the unit its value is shown in.

The health indicators (:mod:`cop.health`) have technical names
(``event_cadence_cv``) and raw values (0.00252); a manager reads "Variation in
the gap between events: 41 %" and "0.25 collaborations per 100 members a
month".  This module holds that translation in one table,
:data:`INDICATOR_WORDING` (indicator name -> plain label and display unit), and
the formatters of each display unit, :data:`UNITS`.

Where the unit comes from, in order:

1. :data:`INDICATOR_WORDING` (the report's own choice for known indicators,
   e.g. collaborations are shown per 100 members);
2. the indicator's declaration in :mod:`cop.health`, when it declares a
   ``unit`` (``"share"``, ``"days"``, ``"people"`` ...; read by
   :func:`declared_unit`, mapped by :data:`UNIT_ALIASES`) — so a new indicator
   is shown in its unit without editing this file;
3. the indicator's name (``*_share`` -> percent, ``time_to_*`` -> days).

The technical name, definition (the indicator function's first docstring
line) and reference range stay one click away in the report.

Examples
--------
>>> describe("collaborations_per_member", 0.002524)
('Collaborations per 100 members a month', '0.25')
>>> describe("core_share", 0.194)
('Members in the core', '19 %')
>>> describe("contributor_absence_factor", 32.0)
('People who produce half of all activity', '32 people')
>>> describe("some_new_share", 0.5)
('Some new share', '50 %')
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "Wording",
    "INDICATOR_WORDING",
    "UNITS",
    "UNIT_ALIASES",
    "UNIT_TEXT",
    "unit_text",
    "wording_for",
    "describe",
    "format_in_unit",
    "declared_unit",
    "indicator_definition",
    "STATUS_TEXT",
    "TIMELINE_LABELS",
    "PATTERN_TEXT",
]


@dataclass(frozen=True)
class Wording:
    """The plain name of an indicator and the unit (a key of :data:`UNITS`) its value is shown in."""

    label: str
    unit: str


def _num(v: float, digits: int = 2) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}" if abs(v) < 1 else f"{v:.{digits + 1}g}"


def _percent(v: float) -> str:
    p = 100 * v
    if p != 0 and abs(p) < 1:
        return f"{p:.1f} %"
    return f"{p:.0f} %"


#: display unit -> formatter of a finite value.
UNITS: dict[str, Callable[[float], str]] = {
    "percent": _percent,
    "people": lambda v: f"{_num(v)} {'person' if v == 1 else 'people'}",
    "days": lambda v: f"{_num(v)} {'day' if v == 1 else 'days'}",
    "per_month": lambda v: f"{_num(v)} a month",
    "per_100": lambda v: _num(100 * v),
    "index01": lambda v: f"{v:.2f} of 1",
    "balance": lambda v: f"{v:+.2f}",
    "number": _num,
}

#: display unit -> words.
UNIT_TEXT: dict[str, str] = {
    "percent": "percent", "people": "people", "days": "days", "per_month": "per month",
    "per_100": "collaborations per 100 members a month", "index01": "a scale from 0 to 1",
    "balance": "a scale from −1 (all inside) to +1 (all outside)", "number": "a plain number",
}

#: a unit as declared by an indicator (``cop.health`` declarations) -> display unit.
UNIT_ALIASES: dict[str, str] = {
    "share": "percent", "fraction": "percent", "proportion": "percent", "percent": "percent", "%": "percent",
    "people": "people", "members": "people", "persons": "people",
    "days": "days", "day": "days",
    "per month": "per_month", "per member per month": "per_month",
    "index": "index01", "balance": "balance",
}

#: indicator name -> plain label and display unit (the report's choice; see the module docstring).
INDICATOR_WORDING: dict[str, Wording] = {
    "event_cadence_cv": Wording("Variation in the gap between events", "percent"),
    "events_per_active_member": Wording("Events attended per active member", "per_month"),
    "core_share": Wording("Members in the core", "percent"),
    "active_share": Wording("Regularly active members (beyond the core)", "percent"),
    "inward_mobility": Wording("Peripheral members who moved inward", "percent"),
    "small_group_share": Wording("Taking part in 1:1 or small groups", "percent"),
    "external_activity_share": Wording("Events with outside guests", "percent"),
    "recurring_format_share": Wording("Events in recurring formats", "percent"),
    "topic_novelty": Wording("Activities on a new topic", "percent"),
    "collaborations_per_member": Wording("Collaborations per 100 members a month", "per_100"),
    "members_with_collaboration_share": Wording("Members who collaborated this year", "percent"),
    "topic_drift": Wording("Change in the topic mix over a year", "index01"),
    "domain_coherence": Wording("Focus on shared themes", "index01"),
    "cross_org_tie_share": Wording("Ties across organizations", "percent"),
    "ei_index": Wording("Ties outside vs inside one's organization (−1 to +1)", "balance"),
    "ei_vs_random": Wording("Mixing across organizations compared with chance (0 = as random mixing)", "balance"),
    "siloed_member_share": Wording("Members in organizations that keep to themselves", "percent"),
    "coordinator_involvement_share": Wording("Activities that involve a coordinator", "percent"),
    "brokered_introduction_share": Wording("Introductions made by a coordinator", "percent"),
    "coordinator_dependent_share": Wording("Members who rely mainly on a coordinator", "percent"),
    "coordinator_betweenness": Wording("Contacts that pass through a coordinator", "percent"),
    "fragmentation_without_coordinator": Wording("Members cut off without the coordinator", "percent"),
    "contributor_absence_factor": Wording("People who produce half of all activity", "people"),
    "time_to_first_tie": Wording("Days to a newcomer's first contact (median)", "days"),
    "newcomers_with_tie_share": Wording("Newcomers with a first contact within 60 days", "percent"),
}

#: status -> the words shown on its badge (a symbol and a word: never colour alone).
STATUS_TEXT: dict[str, str] = {
    "healthy": "✓ healthy",
    "watch": "! watch",
    "critical": "✕ critical",
    "not_available": "– not available",
}

#: Title and meaning of each named pattern.
PATTERN_TEXT: dict[str, tuple[str, str]] = {
    "stuck_periphery": ("Stuck at the periphery", "Members who have stayed peripheral for several periods while still taking part."),
    "moving_inward": ("Moving inward", "Members whose participation level is rising: candidates for more responsibility."),
    "drifting_core": ("Drifting core", "Core members whose participation is falling: worth a conversation."),
    "siloed_organization": ("Siloed organizations", "Organizations whose members mostly interact among themselves."),
    "isolated_organization": ("Isolated organizations",
                              "Organizations with hardly any ties at all, inside or outside: their people need introductions first."),
}

#: timeline column -> plain label (the series shown on the main timeline).
TIMELINE_LABELS: dict[str, str] = {
    "active_members": "active members",
    "newcomers": "newcomers",
    "core_size": "core members",
    "retention": "came back from the last period",
    "largest_component_share": "in the main network",
    "core_stability": "core unchanged",
    "activity_vs_peak": "activity vs its peak",
}


def _spec_unit(spec: Any) -> str | None:
    unit = getattr(spec, "unit", None)
    return str(unit) if unit else None


@lru_cache(maxsize=None)
def _declarations() -> dict[str, Any]:
    """Indicator name -> its function in :data:`cop.health.INDICATORS` (empty when unavailable)."""
    try:
        from cop.health import INDICATORS
    except ImportError:  # pragma: no cover - cop.health always ships INDICATORS
        return {}
    out = {}
    for f in INDICATORS:
        spec = getattr(f, "spec", None) or getattr(f, "__indicator__", None)
        name = getattr(spec, "name", None) or getattr(f, "__name__", "")
        out[str(name)] = f
    return out


def _spec(name: str) -> Any:
    """The declaration of an indicator (``cop.health.declaration.spec_of`` when that module exists, else a
    ``spec`` attribute of the function), or ``None``."""
    f = _declarations().get(str(name))
    if f is None:
        return None
    try:
        from cop.health.declaration import spec_of  # type: ignore[import-not-found]
    except ImportError:
        return getattr(f, "spec", None)
    return spec_of(f)


def declared_unit(name: str) -> str | None:
    """The ``unit`` an indicator's declaration gives, or ``None`` (no declaration, or none declared).

    Examples
    --------
    >>> declared_unit("no_such_indicator") is None
    True
    """
    return _spec_unit(_spec(name))


def indicator_definition(name: str) -> str:
    """What an indicator measures in one sentence: its declaration's definition or the function's docstring.

    Examples
    --------
    >>> indicator_definition("core_share").startswith("Share of current members at the core")
    True
    >>> indicator_definition("no_such_indicator")
    ''
    """
    f = _declarations().get(str(name))
    if f is None:
        return ""
    text = getattr(_spec(name), "definition", None) or (f.__doc__ or "").strip()
    return text.splitlines()[0].strip() if text else ""


def unit_text(unit: str) -> str:
    """A display unit in words (for the report's "shown in").

    Examples
    --------
    >>> unit_text("per_100"), unit_text("index01")
    ('collaborations per 100 members a month', 'a scale from 0 to 1')
    """
    return UNIT_TEXT.get(unit, unit.replace("_", " "))


def _guess_unit(name: str) -> str:
    n = str(name)
    if n.endswith("_share") or "share" in n or n.endswith("_rate"):
        return "percent"
    if n.startswith("time_to") or n.endswith("_days"):
        return "days"
    if n.endswith(("_factor", "_count", "_people")):
        return "people"
    return "number"


def wording_for(name: str, unit: str | None = None) -> Wording:
    """The plain label and display unit of an indicator.

    Parameters
    ----------
    name : str
        The indicator's technical name.
    unit : str, optional
        A declared unit (e.g. ``"share"``) overriding the guess from the name
        for an indicator this module does not know; by default
        :func:`declared_unit` is asked.

    Examples
    --------
    >>> wording_for("time_to_first_tie")
    Wording(label="Days to a newcomer's first contact (median)", unit='days')
    >>> wording_for("mean_wait", unit="days")
    Wording(label='Mean wait', unit='days')
    """
    known = INDICATOR_WORDING.get(str(name))
    if known is not None:
        return known
    declared = unit if unit is not None else declared_unit(name)
    display = UNIT_ALIASES.get(str(declared).strip().lower()) if declared else None
    return Wording(str(name).replace("_", " ").capitalize(), display or _guess_unit(name))


def format_in_unit(value: Any, unit: str) -> str:
    """A value in a display unit (``–`` when missing).

    Examples
    --------
    >>> format_in_unit(0.0968, "percent"), format_in_unit(1.21, "days"), format_in_unit(None, "days")
    ('10 %', '1.21 days', '–')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return UNITS.get(unit, UNITS["number"])(v)


def describe(name: str, value: Any, unit: str | None = None) -> tuple[str, str]:
    """``(plain label, value in its display unit)`` of an indicator.

    Examples
    --------
    >>> describe("core_share", 0.176)
    ('Members in the core', '18 %')
    """
    w = wording_for(name, unit)
    return w.label, format_in_unit(value, w.unit)
