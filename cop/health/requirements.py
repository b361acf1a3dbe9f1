"""Preconditions an indicator can declare (``requires=``), each with the reason given when it is unmet.

An indicator whose precondition fails is ``not_available`` with the
precondition's reason, the same sentence for every indicator that needs it.
A module may add a kind of its own with :func:`requirement` (as
:mod:`cop.health.newcomers` does for its newcomer cohort).

The kinds and their reasons are listed in ``docs/indicators.md`` (generated
from :data:`REQUIREMENTS`).

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> ctx = HealthContext.from_log(cop.load_example())
>>> REQUIREMENTS["events"].met(ctx), REQUIREMENTS["joined"].reason
(True, 'the members table has no joined dates')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cop.exceptions import ConfigError
from cop.health._base import HealthContext

__all__ = ["Requirement", "REQUIREMENTS", "requirement"]


@dataclass(frozen=True)
class Requirement:
    """A precondition: its ``name``, the ``reason`` when unmet, and the test ``met(ctx) -> bool``.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> events = REQUIREMENTS["events"]
    >>> events.reason, events.met(HealthContext.from_log(cop.load_example()))
    ("the log has no events (kind 'event')", True)
    """

    name: str
    reason: str
    met: Callable[[HealthContext], bool]


#: Every precondition kind by name (filled by :func:`requirement`).
REQUIREMENTS: dict[str, Requirement] = {}


def requirement(name: str, reason: str) -> Callable[[Callable[[HealthContext], bool]], Callable[[HealthContext], bool]]:
    """Register ``f(ctx) -> bool`` as the precondition ``name``, unmet for ``reason``.

    Examples
    --------
    >>> @requirement("example_kind", "the example is not met")
    ... def _never(ctx):
    ...     return False
    >>> REQUIREMENTS.pop("example_kind").reason
    'the example is not met'
    """

    def register(f: Callable[[HealthContext], bool]) -> Callable[[HealthContext], bool]:
        if name in REQUIREMENTS and REQUIREMENTS[name].met is not f:
            raise ConfigError(f"precondition {name!r} is declared twice")
        REQUIREMENTS[name] = Requirement(name, reason, f)
        return f

    return register


@requirement("events", "the log has no events (kind 'event')")
def _events(ctx: HealthContext) -> bool:
    return bool(ctx.prep.is_event.any())


@requirement("topics", "the data has no topics")
def _topics(ctx: HealthContext) -> bool:
    return ctx.topics() is not None


@requirement("collaborations", "the log records no collaborations (kind 'collaboration'), so their absence cannot be "
                               "told from missing data")
def _collaborations(ctx: HealthContext) -> bool:
    return bool(ctx.prep.is_collab.any())


@requirement("organizations", "the members table has no organizations")
def _organizations(ctx: HealthContext) -> bool:
    return any(o is not None for o in ctx.prep.organization[ctx.members])


@requirement("joined", "the members table has no joined dates")
def _joined(ctx: HealthContext) -> bool:
    return bool(ctx.prep.has_joined)


@requirement("coordinator", "no coordinator (members-table role manager or staff)")
def _coordinator(ctx: HealthContext) -> bool:
    return bool(ctx.prep.is_coordinator.any())


@requirement("active_coordinator", "no coordinator (members-table role manager or staff) took part in the window")
def _active_coordinator(ctx: HealthContext) -> bool:
    return bool((ctx.prep.is_coordinator & ctx.window.active).any())


@requirement("members", "no current members")
def _members(ctx: HealthContext) -> bool:
    return bool(ctx.regular_members.any())


@requirement("participants", "nobody took part in the window")
def _participants(ctx: HealthContext) -> bool:
    return bool(ctx.active_members.any())


@requirement("ties", "no ties in the window")
def _ties(ctx: HealthContext) -> bool:
    return ctx.active_graph[0].nnz > 0


@requirement("side_table", "no members table (guests) and no activities table (external flag)")
def _side_table(ctx: HealthContext) -> bool:
    return bool(ctx.log.has_members_table or ctx.log.has_activities_table)
