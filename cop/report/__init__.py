"""HTML reports: the health report of a diagnosis and the scenario comparison of an experiment.

Both are single self-contained HTML files (plotly.js inline, no network access
when opened).

* :func:`render_report` / :func:`write_report` — the health report
  (also ``Diagnosis.to_html()`` and ``cop report``);
* :func:`render_comparison` / :func:`comparison_report` — outcomes per scenario
  over time with confidence bands and effects against the baseline
  (``cop experiment ... --report comparison.html``);
* :func:`render_calibration` / :func:`calibration_report` — how well a scenario fitted by
  ``cop calibrate`` reproduces the observed statistics, and what it cannot reach;
* :func:`compare` / :func:`read_previous` / :class:`Changes` — what changed since a
  previous diagnosis (its JSON, or a report written by cop: every report embeds
  its diagnosis, :func:`report_data`);
* :func:`describe` — an indicator's plain name and its value in percent, people
  or days (:mod:`cop.report.wording`);
* :func:`write_network_report` / :func:`render_network_report` — a network
  of spaces (:func:`cop.diagnose_network`): one page for the network linking to
  each space's health report, in one folder (:mod:`cop.report.network`);
* :data:`INTERVENTION_COMMANDS` — the ``cop experiment`` command testing each
  recommended intervention.

Examples
--------
>>> from cop.report import command_for
>>> command_for("theme").startswith("cop experiment baseline_coworking themed_space")
True
"""

from cop.report.calibration import calibration_report, render_calibration
from cop.report.changes import Changes, compare, read_previous
from cop.report.commands import INTERVENTION_COMMANDS, command_for, label_for
from cop.report.comparison import comparison_report, render_comparison
from cop.report.html import report_data, render_report, write_report
from cop.report.network import render_network_report, write_network_report
from cop.report.wording import describe

__all__ = [
    "render_report",
    "write_report",
    "report_data",
    "compare",
    "read_previous",
    "Changes",
    "describe",
    "render_comparison",
    "comparison_report",
    "render_calibration",
    "calibration_report",
    "INTERVENTION_COMMANDS",
    "command_for",
    "label_for",
    "render_network_report",
    "write_network_report",
]
