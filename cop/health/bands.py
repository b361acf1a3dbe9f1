"""Bands of indicator values, the status grading, and how a band is written in a reference text.

Examples
--------
>>> grade(0.3, healthy=(0.2, 0.8), watch=(0.1, 0.9))
'healthy'
>>> grade(0.05, healthy=(0.2, 0.8), watch=(0.1, 0.9))
'critical'
>>> grade(0.8, healthy=Band(0.0, 0.8, closed="left"), watch=Band(0.8, 0.9))
'watch'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cop.exceptions import ConfigError

__all__ = ["Band", "Segments", "grade", "watch_only_bands", "critical_bands"]

_CLOSED = ("both", "left", "right", "neither")
def _number(x: float, spec: str) -> str:
    if spec.endswith("%"):
        return format(x * 100, spec[:-1] or "g")
    return format(x, spec or "g")


@dataclass(frozen=True)
class Band:
    """An interval of indicator values, closed at both ends unless ``closed`` says otherwise.

    Parameters
    ----------
    lo, hi : float
        Ends (``-inf`` / ``inf`` for a one-sided band).
    closed : {"both", "left", "right", "neither"}, default "both"
        Which ends belong to the band (as in :class:`pandas.Interval`).

    Examples
    --------
    >>> b = Band(0.5, 0.8, closed="left")
    >>> 0.5 in b, 0.8 in b
    (True, False)
    >>> f"{b}", f"{Band(0.1, float('inf')):%}", f"{Band(float('-inf'), 0.5, 'left')}"
    ('0.5-0.8', '>= 10 %', '< 0.5')
    """

    lo: float
    hi: float
    closed: str = "both"

    def __post_init__(self) -> None:
        if self.closed not in _CLOSED:
            raise ConfigError(f"Band closed={self.closed!r}: expected one of {', '.join(_CLOSED)}")
        if not self.lo <= self.hi:
            raise ConfigError(f"Band({self.lo}, {self.hi}): expected lo <= hi")

    @classmethod
    def of(cls, band: Band | tuple[float, float]) -> Band:
        """A band from a ``(lo, hi)`` pair (closed at both ends) or a band."""
        if isinstance(band, Band):
            return band
        lo, hi = band
        return cls(float(lo), float(hi))

    @property
    def closed_left(self) -> bool:
        return self.closed in ("both", "left")

    @property
    def closed_right(self) -> bool:
        return self.closed in ("both", "right")

    def __contains__(self, value: object) -> bool:
        v = float(value)  # type: ignore[arg-type]
        above = v >= self.lo if self.closed_left else v > self.lo
        below = v <= self.hi if self.closed_right else v < self.hi
        return above and below

    def __format__(self, spec: str) -> str:
        pct = " %" if spec.endswith("%") else ""
        if math.isinf(self.lo) and math.isinf(self.hi):
            return "any value"
        if math.isinf(self.lo):
            return f"{'<=' if self.closed_right else '<'} {_number(self.hi, spec)}{pct}"
        if math.isinf(self.hi):
            return f"{'>=' if self.closed_left else '>'} {_number(self.lo, spec)}{pct}"
        return f"{_number(self.lo, spec)}-{_number(self.hi, spec)}{pct}"


@dataclass(frozen=True)
class Segments:
    """Bands written one after the other, joined by ``or``."""

    bands: tuple[Band, ...]

    def __format__(self, spec: str) -> str:
        return " or ".join(format(b, spec) for b in self.bands) or "none"


def watch_only_bands(healthy: Band, watch: Band) -> tuple[Band, ...]:
    out = []
    if watch.lo < healthy.lo:
        out.append(Band(watch.lo, healthy.lo, _closed(watch.closed_left, not healthy.closed_left)))
    if watch.hi > healthy.hi:
        out.append(Band(healthy.hi, watch.hi, _closed(not healthy.closed_right, watch.closed_right)))
    return tuple(out)


def critical_bands(healthy: Band, watch: Band) -> tuple[Band, ...]:
    lo = min((healthy, watch), key=lambda b: (b.lo, not b.closed_left))
    hi = max((healthy, watch), key=lambda b: (b.hi, b.closed_right))
    out = []
    if not math.isinf(lo.lo):
        out.append(Band(-math.inf, lo.lo, _closed(False, not lo.closed_left)))
    if not math.isinf(hi.hi):
        out.append(Band(hi.hi, math.inf, _closed(not hi.closed_right, False)))
    return tuple(out)


def _closed(left: bool, right: bool) -> str:
    return {(True, True): "both", (True, False): "left", (False, True): "right", (False, False): "neither"}[(left, right)]


def grade(value: float | None, *, healthy: Band | tuple[float, float], watch: Band | tuple[float, float]) -> str:
    """``healthy`` inside the healthy band, ``watch`` inside the watch band, else ``critical``; NaN is ``not_available``.

    ``(lo, hi)`` pairs are closed bands.

    Examples
    --------
    >>> [grade(v, healthy=(0.1, 0.25), watch=(0.05, 0.4)) for v in (0.2, 0.3, 0.5, float("nan"))]
    ['healthy', 'watch', 'critical', 'not_available']
    """
    if value is None or not math.isfinite(value):
        return "not_available"
    if value in Band.of(healthy):
        return "healthy"
    if value in Band.of(watch):
        return "watch"
    return "critical"
