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

from __future__ import annotations

import importlib
from typing import Any

#: Where each public name lives; a module is imported when one of its names is first used, so that
#: ``cop.report.wording`` (plain words, read by the terminal summary) does not load plotly.
_HOME: dict[str, str] = {
    "calibration_report": "calibration", "render_calibration": "calibration",
    "Changes": "changes", "compare": "changes", "read_previous": "changes",
    "INTERVENTION_COMMANDS": "commands", "command_for": "commands", "label_for": "commands",
    "comparison_report": "comparison", "render_comparison": "comparison",
    "report_data": "html", "render_report": "html", "write_report": "html",
    "render_network_report": "network", "write_network_report": "network",
    "describe": "wording",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'cop.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"cop.report.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


__all__ = list(_HOME)
