"""The indicator result, the shared context and the vocabularies (principles, interventions, statuses).

Examples
--------
>>> Indicator("x", 0.5, "healthy", "rhythm", "Fine.").to_dict()["status"]
'healthy'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from cop.log import ActivityLog
from cop.recommend import LazySequence, intervention_names
from cop.kernel import Prepared, Window, current_people, resolve_as_of, window_bounds
from cop.participation.classifier import classify_window

__all__ = ["Indicator", "HealthContext", "PRINCIPLES", "INTERVENTIONS", "STATUSES", "DAYS_PER_MONTH", "YEAR_DAYS", "number_word"]

#: The seven principles of aliveness (Wenger, McDermott & Snyder 2002) and the coworking findings,
#: in reporting order (the order of the diagnosis ``indicators`` table).
PRINCIPLES: tuple[str, ...] = (
    "rhythm", "levels_of_participation", "public_private_spaces", "inside_outside_dialogue", "familiarity_excitement",
    "focus_on_value", "design_for_evolution", "organization_integration", "manager_dependency", "newcomer_integration",
)
#: Intervention names shared with the simulation: the recommendable declarations of
#: :mod:`simulation.interventions`, read on first use (a tuple-like lazy sequence).
INTERVENTIONS: Sequence[str] = LazySequence(intervention_names)
STATUSES: tuple[str, ...] = ("healthy", "watch", "critical", "not_available")
#: Mean days in a month (365.25 / 12): rates "per month" divide the window's days by it.
DAYS_PER_MONTH = 30.4375
#: Days of history the year-on-year indicators compare against (topic drift and novelty, recurring
#: formats, collaborations in the past year).
YEAR_DAYS = 365

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: int) -> str:
    """``n`` in words up to ten (for the reasons of minimum counts), else in digits.

    Examples
    --------
    >>> number_word(3), number_word(12)
    ('three', '12')
    """
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


@dataclass(frozen=True)
class Indicator:
    """One health indicator's result.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext, core_share
    >>> r = core_share(HealthContext.from_log(cop.load_example()))
    >>> r.name, r.status, r.principle
    ('core_share', 'healthy', 'levels_of_participation')
    >>> r.explanation
    '18% of members form the core, close to the 10-15% Wenger reports.'
    """

    name: str
    value: float
    status: str
    principle: str
    explanation: str
    interventions: list[str] = field(default_factory=list)
    reference: str = ""
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (value None when NaN)."""
        v = None if self.value is None or not np.isfinite(self.value) else float(self.value)
        return {"name": self.name, "value": v, "status": self.status, "principle": self.principle,
                "explanation": self.explanation, "interventions": list(self.interventions),
                "reference": self.reference, "reason": self.reason}


class HealthContext:
    """Everything the indicators read, computed once: the window, levels, ties.

    Parameters
    ----------
    log : ActivityLog
    as_of : date-like, optional
        End of the window (default: the day after the last timestamp).
    lookback : int, default 90
        Days in the window.
    prepared : Prepared, optional
        Reuse arrays already built (``diagnose`` does).
    levels : pandas.DataFrame, optional
        Output of :func:`~cop.participation.classifier.classify_window` for the window.

    Examples
    --------
    >>> import cop
    >>> ctx = HealthContext.from_log(cop.load_example())
    >>> int(ctx.current.sum()) > 100
    True
    """

    def __init__(self, log: ActivityLog, *, as_of: Any = None, lookback: int = 90, prepared: Prepared | None = None,
                 levels: pd.DataFrame | None = None) -> None:
        self.log = log
        self.prep = prepared if prepared is not None else Prepared(log)
        self.as_of = resolve_as_of(log, as_of)
        self.lookback = int(lookback)
        self.lo, self.hi = window_bounds(self.as_of, self.lookback)
        self.levels = levels if levels is not None else classify_window(self.prep, self.lo, self.hi)

    @classmethod
    def from_log(cls, log: ActivityLog, **kwargs: Any) -> HealthContext:
        """Build a context (see the class parameters)."""
        return cls(log, **kwargs)

    @cached_property
    def window(self) -> Window:
        return self.prep.window(self.lo, self.hi)

    @cached_property
    def current(self) -> np.ndarray:
        """People who belong to the community in the window (outsiders only while taking part)."""
        return current_people(self.prep, self.lo, self.hi, self.lookback)

    @cached_property
    def level(self) -> np.ndarray:
        return self.levels["level"].to_numpy(dtype=object)

    @cached_property
    def members(self) -> np.ndarray:
        """Current non-outsiders (members and coordinators)."""
        return self.current & ~self.prep.is_outsider

    @cached_property
    def regular_members(self) -> np.ndarray:
        """Current members who are not coordinators (the base of the share indicators)."""
        return self.members & ~self.prep.is_coordinator

    @cached_property
    def active_graph(self) -> tuple[sp.csr_array, np.ndarray]:
        """The window's tie graph among people taking part in it (outsiders included), and their indices."""
        idx = np.flatnonzero(self.window.active)
        return sp.csr_array(self.window.adjacency[idx][:, idx]), idx

    @cached_property
    def active_members(self) -> np.ndarray:
        """Non-outsiders with participation in the window."""
        return self.window.active & ~self.prep.is_outsider

    @property
    def cols(self) -> slice:
        return self.window.cols

    @cached_property
    def months(self) -> float:
        return self.lookback / DAYS_PER_MONTH

    def topics(self) -> pd.Series | None:
        """Topic tags of each activity (in incidence order) as lists, or ``None`` when the data has no topics."""
        if "_topics" not in self.__dict__:
            t = self.prep.activities["topic"]
            if t.isna().all():
                self._topics = None
            else:
                t = t.astype(object)
                self._topics = t.where(t.notna(), None).map(
                    lambda s: [x.strip() for x in str(s).split(";") if x.strip()] if s else [])
        return self._topics
