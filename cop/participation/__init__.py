"""Participation levels, their flows between periods, and named patterns.

Examples
--------
>>> import cop
>>> from cop.participation import LevelClassifier
>>> LevelClassifier(lookback=60).fit(cop.load_example()).level_counts()["level"].tolist()
['coordinator', 'core', 'active', 'peripheral', 'inactive', 'outsider']
"""

from cop.participation.classifier import (
    LEVELS,
    METHODS,
    REFERENCE_SHARES,
    LevelClassifier,
    classify_window,
    cohen_kappa,
    level_agreement,
    level_counts,
    natural_breaks,
)
from cop.participation.flows import flows_between, levels_by_period, period_bounds, transition_matrix

__all__ = [
    "LEVELS", "METHODS", "REFERENCE_SHARES", "LevelClassifier", "classify_window", "cohen_kappa",
    "level_agreement", "level_counts", "natural_breaks", "levels_by_period", "flows_between",
    "transition_matrix", "period_bounds",
]
