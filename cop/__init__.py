"""cop — the health of communities of practice.

Load a community's exports into an :class:`ActivityLog`, build interaction
graphs, and diagnose participation levels, life-cycle phases and health
indicators.

Examples
--------
>>> import cop
>>> log = cop.load_example()
>>> log.n_members > 150
True
"""

from cop._version import __version__
from cop.datasets import example_paths, load_example
from cop.diagnosis import Diagnosis, diagnose
from cop.exceptions import (
    ConfigError,
    CopError,
    CopWarning,
    DataError,
    DataWarning,
    FileFormatError,
    SchemaError,
    SimulationError,
    ValueFormatError,
)
from cop.graph import GraphBuilder, InteractionGraph, graphs_by_period, group_discount, interaction_graph
from cop.kernel import Incidence
from cop.io import read_activities, read_activities_many, read_table, write_log
from cop.log import ActivityLog
from cop.match import MatchData, MatchWeights, suggest_introductions
from cop.network import NetworkDiagnosis, diagnose_network
from cop.privacy import Pseudonymizer, pseudonymize
from cop.participation import LevelClassifier, cohen_kappa, level_agreement, levels_by_period
from cop.settings import Settings, bundled_settings, read_settings

__all__ = [
    "__version__",
    "ActivityLog",
    "pseudonymize",
    "Pseudonymizer",
    "read_activities",
    "read_activities_many",
    "read_table",
    "write_log",
    "load_example",
    "example_paths",
    "Incidence",
    "InteractionGraph",
    "GraphBuilder",
    "interaction_graph",
    "graphs_by_period",
    "group_discount",
    "diagnose",
    "Diagnosis",
    "read_settings",
    "Settings",
    "bundled_settings",
    "diagnose_network",
    "NetworkDiagnosis",
    "LevelClassifier",
    "level_agreement",
    "cohen_kappa",
    "levels_by_period",
    "suggest_introductions",
    "MatchData",
    "MatchWeights",
    "CopError",
    "DataError",
    "SchemaError",
    "FileFormatError",
    "ValueFormatError",
    "ConfigError",
    "SimulationError",
    "CopWarning",
    "DataWarning",
]
