"""One declaration per health indicator: ranges, reference, source, interventions and preconditions.

An indicator is one function of a :class:`~cop.health.HealthContext` that
returns a :class:`Reading` (its value and a plain-language explanation per
status), decorated with :func:`indicator`.  The declaration is the only place
its facts are written; everything else is derived from it:

* the status (:meth:`IndicatorSpec.grade`, from the ``healthy`` and ``watch``
  :class:`Band` s),
* the ``reference`` string (the declared template with the bands filled in),
* ``not_available`` with the derived reason when a declared precondition
  (:data:`cop.health.requirements.REQUIREMENTS`) is unmet, or when the value
  is missing (NaN) — never a made-up number graded ``critical``,
* the registry (:data:`cop.health.INDICATORS` collects every decorated function
  of the ``cop.health`` modules) and ``docs/indicators.md``.

Adding an indicator therefore means writing one decorated function in a module
of ``cop/health/`` (an existing one, or a new one: modules are found by name)
and its test.

The reference template
----------------------
``reference`` is a :meth:`str.format` template with four fields, each taking an
optional number format (default ``g``; a trailing ``%`` shows percentages):

``{healthy}``, ``{watch}``
    the declared band: ``0.2-0.8``, or one-sided (``<= 0.6``, ``> 10 %``) when
    one end is infinite;
``{watch_only}``
    the parts of the watch band outside the healthy band (``30-50 % or 90-100 %``);
``{critical}``
    everything outside both bands, one-sided (``< 0.3``, ``> 1.0``).

Examples
--------
>>> from cop.health.declaration import IndicatorSpec
>>> spec = IndicatorSpec(name="x", principle="rhythm", unit="share", healthy=(0.1, float("inf")),
...                      watch=(0.05, 0.1), template="share: {healthy:%} healthy, {watch:%} watch, {critical:%} critical",
...                      source="none", interventions=("theme",))
>>> spec.reference
'share: >= 10 % healthy, 5-10 % watch, < 5 % critical'
>>> [spec.grade(v) for v in (0.5, 0.07, 0.01, float("nan"))]
['healthy', 'watch', 'critical', 'not_available']
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cop.exceptions import ConfigError
from cop.health._base import PRINCIPLES, HealthContext, Indicator
from cop.health.bands import Band, Segments, critical_bands, grade, watch_only_bands
from cop.health.requirements import REQUIREMENTS

__all__ = ["Reading", "IndicatorSpec", "indicator", "not_available", "spec_of", "MISSING_VALUE"]

#: Reason given when an indicator's value comes out NaN without a reason of its own.
MISSING_VALUE = "the value cannot be computed from the data"


@dataclass(frozen=True)
class Reading:
    """What an indicator function returns: its value and an explanation per status.

    Parameters
    ----------
    value : float
        The indicator value (NaN: not available).
    explanation : mapping
        One sentence per status: ``healthy``, ``watch``, ``critical``; ``watch_low`` /
        ``watch_high`` (and ``critical_low`` / ``critical_high``) are used instead when
        the value lies below / above the healthy band and they are given.
    interventions : sequence of str, optional
        Replaces the declared interventions for this reading (a different order).
    by_side : mapping, optional
        Interventions for a value below (``"low"``) or above (``"high"``) the healthy band, replacing
        the declared ones there: the advice for "too much" is not the advice for "too little", and the
        side is read from the bands the status is graded on (a manager's own ones too).
    graded : float, optional
        The number the status is graded on when it is not ``value`` itself.
    reason : str, optional
        Why the indicator is not available (see :func:`not_available`).

    Examples
    --------
    >>> from cop.health import core_share
    >>> reading = Reading(0.5, {"healthy": "fine", "watch": "look at it", "critical": "act now"})
    >>> result = spec_of(core_share).result(reading)  # graded on the declared bands
    >>> result.status, result.explanation
    ('critical', 'act now')
    """

    value: float
    explanation: Mapping[str, str] = field(default_factory=dict)
    interventions: Sequence[str] | None = None
    by_side: Mapping[str, Sequence[str]] = field(default_factory=dict)
    graded: float | None = None
    reason: str | None = None

    def sentence(self, status: str, side: str) -> str:
        """The explanation for ``status`` on ``side`` (``low`` / ``high``) of the healthy band."""
        return self.explanation.get(f"{status}_{side}", self.explanation.get(status, ""))


def not_available(reason: str) -> Reading:
    """The reading of an indicator that the data cannot support, with the reason.

    Examples
    --------
    >>> not_available("fewer than three event days in the window").reason
    'fewer than three event days in the window'
    """
    return Reading(float("nan"), reason=reason)


@dataclass(frozen=True)
class IndicatorSpec:
    """The declaration of one indicator (:func:`indicator` builds it from its keywords).

    ``template`` is the reference template (the ``reference`` keyword of
    :func:`indicator`); :attr:`reference` is the text with the bands filled in;
    ``definition`` is the first paragraph of the function's docstring.  A
    declaration that names an unknown principle, intervention or precondition,
    leaves a field empty, or has bands that neither overlap nor touch raises
    :class:`~cop.exceptions.ConfigError` when its module is imported.

    Examples
    --------
    >>> from cop.health import core_share
    >>> spec = spec_of(core_share)
    >>> spec.principle, spec.requires, spec.grade(0.5)
    ('levels_of_participation', ('members',), 'critical')
    >>> spec.reference
    'Wenger et al. (2002) core 10-15 % of members; here 5-25 % healthy, 2-40 % watch'
    """

    name: str
    principle: str
    unit: str
    healthy: Band
    watch: Band
    template: str
    source: str
    interventions: tuple[str, ...]
    requires: tuple[str, ...] = ()
    definition: str = ""

    def __post_init__(self) -> None:
        for f in ("healthy", "watch"):
            object.__setattr__(self, f, Band.of(getattr(self, f)))
        for f in ("interventions", "requires"):
            object.__setattr__(self, f, tuple(getattr(self, f)))
        self._check()
        object.__setattr__(self, "_reference", self.template.format(
            healthy=self.healthy, watch=self.watch, watch_only=Segments(self.watch_only), critical=Segments(self.critical)))

    @property
    def reference(self) -> str:
        """The reference range and source, written from the template and the bands."""
        return self._reference  # type: ignore[attr-defined]

    def _check(self) -> None:
        where = f"indicator {self.name!r}"
        if self.principle not in PRINCIPLES:
            raise ConfigError(f"{where}: principle {self.principle!r} is not one of {', '.join(PRINCIPLES)}")
        # that each name is a declared intervention is checked by tests/test_indicator_declarations.py, not here:
        # the declarations live in the simulation, which cop does not import when it is imported
        if not self.interventions or not all(isinstance(i, str) and i for i in self.interventions):
            raise ConfigError(f"{where}: interventions {list(self.interventions)} must be a non-empty list of intervention names")
        missing = [r for r in self.requires if r not in REQUIREMENTS]
        if missing:
            raise ConfigError(f"{where}: unknown precondition(s) {missing}; known: {', '.join(REQUIREMENTS)}")
        if max(self.healthy.lo, self.watch.lo) > min(self.healthy.hi, self.watch.hi):
            raise ConfigError(f"{where}: the healthy and watch bands must overlap or touch")
        for f in ("unit", "source", "template"):
            if not getattr(self, f).strip():
                raise ConfigError(f"{where}: {f} must not be empty")

    @property
    def watch_only(self) -> tuple[Band, ...]:
        """The parts of the watch band outside the healthy band."""
        return watch_only_bands(self.healthy, self.watch)

    @property
    def critical(self) -> tuple[Band, ...]:
        """Values outside both bands (graded ``critical``)."""
        return critical_bands(self.healthy, self.watch)

    def with_bands(self, healthy: Band | tuple[float, float], watch: Band | tuple[float, float], *,
                   note: str = "") -> IndicatorSpec:
        """This declaration with other healthy and watch bands (a manager's own thresholds, :mod:`cop.settings`).

        The reference text is rewritten from the same template with the new bands, followed by ``note``.

        Examples
        --------
        >>> from cop.health import spec_of, core_share
        >>> s = spec_of(core_share).with_bands((0.01, 0.1), (0.005, 0.2), note="custom range")
        >>> s.grade(0.15), s.reference.endswith("here 1-10 % healthy, 0.5-20 % watch (custom range)")
        ('watch', True)
        """
        template = self.template + (" (" + note.replace("{", "{{").replace("}", "}}") + ")" if note else "")
        return dataclasses.replace(self, healthy=Band.of(healthy), watch=Band.of(watch), template=template)

    def grade(self, value: float | None) -> str:
        """``healthy`` inside the healthy band, ``watch`` inside the watch band, ``critical`` outside, NaN ``not_available``."""
        return grade(value, healthy=self.healthy, watch=self.watch)

    def unmet(self, ctx: HealthContext) -> str | None:
        """The reason of the first declared precondition ``ctx`` does not meet, or ``None``."""
        for kind in self.requires:
            req = REQUIREMENTS[kind]
            if not req.met(ctx):
                return req.reason
        return None

    def result(self, reading: Reading) -> Indicator:
        """The :class:`Indicator` of a reading: graded, explained and referenced from this declaration."""
        if reading.reason is not None or reading.value is None or not math.isfinite(reading.value):
            return self.unavailable(reading.reason or MISSING_VALUE)
        graded = reading.value if reading.graded is None else reading.graded
        status = self.grade(graded)
        side = "low" if graded < self.healthy.lo else "high"
        itv = self.interventions if reading.interventions is None else tuple(reading.interventions)
        if status != "healthy" and side in reading.by_side:
            itv = tuple(reading.by_side[side])
        return Indicator(self.name, float(reading.value), status, self.principle, reading.sentence(status, side),
                         list(itv), self.reference)

    def unavailable(self, reason: str) -> Indicator:
        """This indicator, not available for ``reason``."""
        return Indicator(self.name, float("nan"), "not_available", self.principle, f"Not available: {reason}.",
                         list(self.interventions), self.reference, reason)


def indicator(*, principle: str, unit: str, healthy: Band | tuple[float, float], watch: Band | tuple[float, float],
              reference: str, source: str, interventions: Sequence[str], requires: Sequence[str] = (),
              name: str | None = None) -> Callable[[Callable[[HealthContext], Reading]], Callable[[HealthContext], Indicator]]:
    """Declare a health indicator (in the style of networkx's precondition decorators).

    Parameters
    ----------
    principle : str
        One of :data:`~cop.health.PRINCIPLES`.
    unit : str
        What the value counts (``share``, ``days``, ``people`` ...).
    healthy, watch : (lo, hi) or Band
        Value bands graded ``healthy`` and ``watch``; anything else is ``critical``.
    reference : str
        The reference template (see the module notes): ``{healthy}``, ``{watch}``,
        ``{watch_only}``, ``{critical}`` are filled from the bands.
    source : str
        Where the ranges come from (literature, field studies).
    interventions : sequence of str
        The interventions the indicator informs (names of :data:`~cop.health.INTERVENTIONS`).
    requires : sequence of str
        Preconditions checked in order before the function runs (keys of
        :data:`~cop.health.requirements.REQUIREMENTS`); the first unmet one makes the
        indicator ``not_available`` with that precondition's reason.
    name : str, optional
        Stable name (default: the function name).

    Returns
    -------
    callable
        Decorator turning ``f(ctx) -> Reading`` into ``f(ctx) -> Indicator`` with the
        declaration as its ``spec`` attribute; ``f.evaluate(ctx, spec)`` grades the same
        reading on another declaration (:meth:`IndicatorSpec.with_bands`).

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> @indicator(principle="rhythm", unit="events per month", healthy=(2, float("inf")), watch=(1, 2),
    ...            reference="events per month: {healthy} healthy, {watch} watch", source="illustration",
    ...            interventions=("event_cadence",), requires=("events",))
    ... def monthly_events(ctx):
    ...     '''Events per month in the window.'''
    ...     v = float(ctx.prep.is_event[ctx.cols].sum() / ctx.months)
    ...     return Reading(v, {"healthy": "Regular events.", "watch": "Few events.", "critical": "Hardly any events."})
    >>> r = monthly_events(HealthContext.from_log(cop.load_example()))
    >>> r.name, r.status, r.reference
    ('monthly_events', 'healthy', 'events per month: >= 2 healthy, 1-2 watch')
    """

    def declare(body: Callable[[HealthContext], Reading]) -> Callable[[HealthContext], Indicator]:
        summary = inspect.cleandoc(body.__doc__ or "").split("\n\n")[0]
        spec = IndicatorSpec(name=name or body.__name__, principle=principle, unit=unit, healthy=healthy, watch=watch,
                             template=reference, source=source, interventions=interventions, requires=requires,
                             definition=" ".join(summary.split()))

        def evaluate(ctx: HealthContext, declared: IndicatorSpec = spec) -> Indicator:
            reason = declared.unmet(ctx)
            if reason is not None:
                return declared.unavailable(reason)
            return declared.result(body(ctx))

        @functools.wraps(body)
        def run(ctx: HealthContext) -> Indicator:
            return evaluate(ctx)

        run.spec = spec  # type: ignore[attr-defined]
        run.evaluate = evaluate  # type: ignore[attr-defined]  # graded on another declaration (run_indicators' settings)
        return run

    return declare


def spec_of(f: Any) -> IndicatorSpec | None:
    """The declaration of a decorated indicator function (``None`` for anything else).

    Examples
    --------
    >>> from cop.health import core_share
    >>> spec_of(core_share).principle
    'levels_of_participation'
    """
    spec = getattr(f, "spec", None)
    return spec if isinstance(spec, IndicatorSpec) else None
