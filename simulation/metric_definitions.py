"""What each experiment metric means: its unit, its whole-run value and its feasible range.

One :class:`MetricDefinition` per metric of :func:`simulation.metrics.log_metrics`
(:data:`METRIC_DEFINITIONS`), and one per family of
:func:`simulation.metrics.default_metrics` (``diag_<column>``,
``phase_<name>``, ``level_<name>``); :func:`describe_metric` finds either.
The comparison report prints them next to the numbers and clips its bands to
the feasible range; ``docs/metrics.md`` is the same table in prose, and
``tests/test_designs.py`` checks that every metric has a definition.

The whole-run value (``period == "all"``) is not the same statistic for every
metric: ``active_members`` is the **mean over months**, ``members`` the **last
value** (members on the books at the end), counts such as ``events`` or
``new_ties`` are **totals over the run**, and shares are computed **over the
pooled run** (all newcomers, all participations) — ``whole_run`` says which.

Examples
--------
>>> d = describe_metric("active_members")
>>> d.unit, d.whole_run
('members', 'mean over months')
>>> describe_metric("level_core").whole_run
'value at the end of the run'
>>> describe_metric("newcomers_with_tie_share").high
1.0
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MetricDefinition", "METRIC_DEFINITIONS", "describe_metric", "metrics_markdown"]


@dataclass(frozen=True)
class MetricDefinition:
    """A metric's meaning, unit, whole-run statistic and feasible range ``[low, high]`` (``None``: unbounded)."""

    meaning: str
    unit: str
    whole_run: str
    low: float | None = 0.0
    high: float | None = None


_TOTAL = "total over the run"
_MEAN = "mean over months"
_LAST = "value at the end of the run"
_POOLED = "over the whole run, pooled"

#: metric name -> definition, for every metric of :func:`simulation.metrics.log_metrics`.
METRIC_DEFINITIONS: dict[str, MetricDefinition] = {
    "active_members": MetricDefinition("members (role member) with at least one participation in the month",
                                       "members", _MEAN),
    "members": MetricDefinition("members on the books at the end of the month (joined, not yet left)", "members", _LAST),
    "participations": MetricDefinition("participation rows of members (presence days, events, interactions, ...)",
                                       "participations", _TOTAL),
    "events": MetricDefinition("social and professional events held", "events", _TOTAL),
    "new_members": MetricDefinition("members who joined after the first day", "members", _TOTAL),
    "departed_members": MetricDefinition("members who left", "members", _TOTAL),
    "new_ties": MetricDefinition("member pairs interacting (conversation, introduction, collaboration) for the first time",
                                 "pairs", _TOTAL),
    "introductions": MetricDefinition("1:1 introductions, by the manager or a matchmaking tool", "introductions", _TOTAL),
    "collaborations": MetricDefinition("formal collaborations started", "collaborations", _TOTAL),
    "collaborations_per_member": MetricDefinition(
        "collaborations started per active member (whole run: per member ever active)", "collaborations per member",
        _POOLED),
    "newcomers_with_tie_share": MetricDefinition(
        "share of newcomers with at least one partner within 60 days of joining (the month's newcomers; "
        "whole run: all newcomers)", "share (0-1)", _POOLED, 0.0, 1.0),
    "newcomer_partners_90d": MetricDefinition(
        "mean number of distinct partners of newcomers in their first 90 days (whole run: all newcomers)",
        "partners", _POOLED),
    "top10_share": MetricDefinition(
        "share of non-presence participations by the most active 10% of active members", "share (0-1)", _POOLED,
        0.0, 1.0),
}

#: the metrics of a network of spaces (:data:`simulation.metrics.NETWORK_METRICS`), in the same table.
METRIC_DEFINITIONS.update({
    "cross_space_ties": MetricDefinition(
        "networks of spaces only: new_ties between members of different home spaces (a visitor and a host's member, "
        "two visitors from different spaces)", "pairs", _TOTAL),
    "cross_space_tie_share": MetricDefinition(
        "networks of spaces only: cross_space_ties / new_ties (the month's; whole run: all pairs)", "share (0-1)",
        _POOLED, 0.0, 1.0),
    "members_with_cross_space_tie_share": MetricDefinition(
        "networks of spaces only: share of the members on the books at the end of the month with a tie to a member "
        "of another home space made by then (whole run: at the end of the run, a tie at any time)", "share (0-1)",
        _LAST, 0.0, 1.0),
})

_FAMILIES: dict[str, MetricDefinition] = {
    "diag_": MetricDefinition("column {rest!r} of the diagnosis timeline (cop diagnose; see docs/lifecycle.md)",
                              "as in the diagnosis", "monthly only (no whole-run value)", None, None),
    "phase_": MetricDefinition("1 when the diagnosed life-cycle phase of the month is {rest!r}, else 0",
                               "indicator (0/1)", "monthly only (no whole-run value)", 0.0, 1.0),
    "level_": MetricDefinition("members at participation level {rest!r} in the diagnosis of the whole run",
                               "members", _LAST),
}


def describe_metric(name: str) -> MetricDefinition | None:
    """The definition of a metric (or of its family), ``None`` for an unknown one.

    Examples
    --------
    >>> describe_metric("diag_retention").meaning
    "column 'retention' of the diagnosis timeline (cop diagnose; see docs/lifecycle.md)"
    >>> describe_metric("my_metric") is None
    True
    """
    if name in METRIC_DEFINITIONS:
        return METRIC_DEFINITIONS[name]
    for prefix, family in _FAMILIES.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            rest = name[len(prefix):]
            return MetricDefinition(family.meaning.format(rest=rest), family.unit, family.whole_run, family.low,
                                    family.high)
    return None


_PAGE_HEAD = """# Experiment metrics

The metrics of `cop experiment` and `simulation.run_experiment`: one row per run × period × metric,
`period` is a month (`YYYY-MM`) or `all` (the whole run).  Computed from the simulated activity log
(members only: the manager and guests are left out) by `simulation.metrics.log_metrics`; the
diagnosis families come from `simulation.metrics.default_metrics`.  This page is generated from
`simulation/metric_definitions.py` (`python -c "from simulation.metric_definitions import
metrics_markdown; open('docs/metrics.md', 'w').write(metrics_markdown())"`); a test keeps it in sync.

**The whole-run value is not the same statistic for every metric**: `active_members` is the mean
over months, `members` the value at the end of the run, counts (events, ties, introductions…) are
totals over the run, and shares are computed over the pooled run (all newcomers of the run, all
its participations), not as a mean of monthly shares.  A trailing month the run does not cover to
its end is left out of the monthly rows.

## Intervals in the comparison report

* **Effects** (scenario against the baseline, whole-run metrics) are paired: replicate *i* of every
  scenario uses the same seed (common random numbers), the difference is taken between the two
  runs of the same replicate, and the mean of the *n* paired differences gets a Student-t 95%
  interval with *n* − 1 degrees of freedom (a paired t interval).  The relative effect divides by
  the absolute baseline mean (treated as fixed).  The effect size is
  d<sub>z</sub> = mean difference / standard deviation of the differences, with the approximate
  95% interval d<sub>z</sub> ± t·√(1/n + d<sub>z</sub>²/(2n)).  Intervals are per metric, not
  adjusted for the number of metrics compared.
* **Monthly bands** are the Student-t 95% interval of the mean over replicates (unpaired),
  clipped to the metric's feasible range below.
* **Sensitivity indices** (`--sample sobol|morris`): Sobol first-order (S1) and total (ST)
  indices with SALib's bootstrap 95% intervals; Morris μ* (mean absolute elementary effect, in the
  output's units per full range of the parameter) with its bootstrap interval, and σ.  Each index
  is computed on the replicate mean of the whole-run metric at each design point.

## Metrics

| metric | meaning | unit | whole-run value | feasible range |
|---|---|---|---|---|
"""


def _bound(v: float | None, inf: str) -> str:
    return inf if v is None else f"{v:g}"


def metrics_markdown() -> str:
    """The ``docs/metrics.md`` page: every definition, with the families of :func:`default_metrics`.

    Examples
    --------
    >>> "| `members` |" in metrics_markdown()
    True
    """
    rows = [f"| `{name}` | {d.meaning} | {d.unit} | {d.whole_run} | [{_bound(d.low, '−∞')}, {_bound(d.high, '∞')}] |"
            for name, d in METRIC_DEFINITIONS.items()]
    for prefix, d in _FAMILIES.items():
        rows.append(f"| `{prefix}NAME` | {d.meaning.format(rest='NAME')} | {d.unit} | {d.whole_run} | "
                    f"[{_bound(d.low, '−∞')}, {_bound(d.high, '∞')}] |")
    return _PAGE_HEAD + "\n".join(rows) + "\n"
