"""HTML reports: the health report of a diagnosis and the scenario comparison of an experiment.

Both are single self-contained HTML files (plotly.js inline, no network access
when opened).

* :func:`render_report` / :func:`write_report` — the health report
  (also ``Diagnosis.to_html()`` and ``cop report``);
* :func:`render_comparison` / :func:`comparison_report` — outcomes per scenario
  over time with confidence bands and effects against the baseline
  (``cop experiment ... --report comparison.html``);
* :data:`INTERVENTION_COMMANDS` — the ``cop experiment`` command testing each
  recommended intervention.

Examples
--------
>>> from cop.report import command_for
>>> command_for("theme").startswith("cop experiment baseline_coworking themed_space")
True
"""

from cop.report.commands import INTERVENTION_COMMANDS, command_for, label_for
from cop.report.comparison import comparison_report, render_comparison
from cop.report.html import render_report, write_report

__all__ = [
    "render_report",
    "write_report",
    "render_comparison",
    "comparison_report",
    "INTERVENTION_COMMANDS",
    "command_for",
    "label_for",
]
