"""Networks of spaces: several coworking spaces in one log, diagnosed side by side and as one network.

A log says where each participation happened in its ``space`` column; an
optional spaces table (:func:`read_spaces`) names and describes the spaces.
Member ids are network-wide; each member has a home space (:func:`home_spaces`).

* :func:`diagnose_network` / :class:`NetworkDiagnosis` — the ordinary
  diagnosis of each space (:func:`space_logs`) over one common window, and the
  network between them (:mod:`cop.network.links`): visits, ties and
  co-participation across spaces, shared events, bridges and cut-off spaces,
  and a benchmarking table (:mod:`cop.network.benchmark`);
* :func:`network_sections` — the text rendering; the report is
  :func:`cop.report.network.write_network_report`.

Examples
--------
>>> import pandas as pd
>>> import cop
>>> rows = pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": ["ann", "bo", "cy", "ann"],
...                      "timestamp": ["2024-01-05", "2024-01-05", "2024-01-06", "2024-01-06"],
...                      "space": ["oslo", "oslo", "bergen", "bergen"]})
>>> nd = cop.diagnose_network(cop.ActivityLog.from_frame(rows), lookback=90, agreement=False, emit_warnings=False)
>>> nd.links[["space_a", "space_b", "shared_members"]].values.tolist()
[['bergen', 'oslo', 1]]
"""

from cop.network.benchmark import BENCHMARK_COLUMNS, NETWORK_INDICATORS, benchmark_table
from cop.network.diagnosis import SPACE_TABLE_COLUMNS, NetworkDiagnosis, diagnose_network
from cop.network.homes import home_spaces, require_spaces
from cop.network.links import NetworkTables, network_tables
from cop.network.split import space_logs, space_order
from cop.network.table import SPACE, check_space_values, normalize_spaces, read_spaces
from cop.network.text import network_sections, space_role

__all__ = [
    "NetworkDiagnosis",
    "diagnose_network",
    "SPACE_TABLE_COLUMNS",
    "home_spaces",
    "require_spaces",
    "space_logs",
    "space_order",
    "network_tables",
    "NetworkTables",
    "benchmark_table",
    "BENCHMARK_COLUMNS",
    "NETWORK_INDICATORS",
    "normalize_spaces",
    "read_spaces",
    "check_space_values",
    "SPACE",
    "network_sections",
    "space_role",
]
