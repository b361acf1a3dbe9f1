"""Matchmaking: who should meet whom this week, with reasons.

:func:`suggest_introductions` ranks introductions between people who have no
tie yet.  The ranking core is a pure function of arrays, so other consumers
(the report, the benchmarks, a simulation) rank pairs the same way:

* :class:`MatchData` — the sparse matrices and per-person arrays
  (:meth:`MatchData.from_log`, or :meth:`MatchData.from_arrays` from a tie
  graph and attendance matrices);
* :func:`candidate_signals` — candidate pairs from sparse products, with their
  raw signals; :func:`pair_signals` — the signals of any given pairs;
* :func:`score_signals` with :class:`MatchWeights` — one score per pair;
  :func:`fit_weights` — evidence weights fitted on the ties that formed in
  the community's own past (:mod:`cop.match.fit`), the rule's when too few did;
* :func:`draft` and :func:`weekly_plan` — rounds in which every person appears
  a bounded number of times; :func:`pair_reasons` — reasons in plain words.

Examples
--------
>>> import cop
>>> from cop.match import MatchData, candidate_signals, score_signals, available_components
>>> data = MatchData.from_log(cop.load_example())
>>> i, j, sig = candidate_signals(data, [0, 1, 2])
>>> score, parts = score_signals(sig, available=available_components(data))
>>> bool(((score >= 0) & (score <= 1)).all())
True
"""

from cop.match.candidates import TOPIC_HUBS, candidate_signals, hub_matrix, pair_keys
from cop.match.data import NEWCOMER_DAYS, OPT_OUT_COLUMN, PROFILE_COLUMNS, MatchData, split_tags
from cop.match.exclusions import read_exclusions
from cop.match.fit import MIN_PAST_TIES, WEIGHT_MODES, FittedWeights, fit_weights
from cop.match.plan import draft, weekly_plan
from cop.match.ranking import DEFAULT_WEIGHTS, HALF_POINTS, MatchWeights, available_components, score_signals, top_per_member
from cop.match.reasons import pair_reasons
from cop.match.signals import COMPONENTS, MAX_PIVOT_DEGREE, pair_signals, priorities
from cop.match.suggest import SUGGESTION_COLUMNS, WHO, resolve_members, suggest_introductions

__all__ = [
    "suggest_introductions", "resolve_members", "read_exclusions", "WHO", "SUGGESTION_COLUMNS",
    "MatchData", "OPT_OUT_COLUMN", "PROFILE_COLUMNS", "NEWCOMER_DAYS", "split_tags",
    "candidate_signals", "hub_matrix", "pair_keys", "TOPIC_HUBS",
    "pair_signals", "priorities", "COMPONENTS", "MAX_PIVOT_DEGREE",
    "MatchWeights", "DEFAULT_WEIGHTS", "HALF_POINTS", "score_signals", "available_components", "top_per_member",
    "draft", "weekly_plan", "pair_reasons",
    "fit_weights", "FittedWeights", "MIN_PAST_TIES", "WEIGHT_MODES",
]
