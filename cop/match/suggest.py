"""``cop.suggest_introductions``: who should meet whom, with reasons.

The steps, each in its own module: the arrays of the community
(:mod:`cop.match.data`), candidate pairs from sparse products
(:mod:`cop.match.candidates`), their signals (:mod:`cop.match.signals`), one
weighted score (:mod:`cop.match.ranking`), a round or a weekly plan in which
everyone appears a bounded number of times (:mod:`cop.match.plan`), and the
reasons in plain words (:mod:`cop.match.reasons`).

Rules: a pair already tied is never suggested, nor a person who opted out
(members-table column ``match_opt_out``), nor a coordinator, guest or former
member as the suggestion; colleagues (same organization) only with
``include_colleagues=True``; excluded pairs (e.g. last week's suggestions)
never.

Examples
--------
>>> import cop, warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", cop.DataWarning)   # one newcomer shares nothing with anyone yet
...     s = cop.suggest_introductions(cop.load_example(), who="newcomers", per_member=2)
>>> list(s.columns[:5])
['member_id', 'suggested_id', 'rank', 'score', 'reasons']
>>> bool((s.groupby("member_id").size() <= 2).all())
True
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError, DataWarning
from cop.kernel.projection import MAX_GROUP_SIZE
from cop.match.candidates import TOPIC_HUBS, candidate_signals, pair_keys
from cop.kernel import Prepared
from cop.match.data import NEWCOMER_DAYS, OPT_OUT_COLUMN, MatchData
from cop.match.fit import WEIGHT_MODES, fit_weights
from cop.match.plan import draft, weekly_plan
from cop.match.ranking import DEFAULT_WEIGHTS, MatchWeights, available_components, score_signals
from cop.match.reasons import pair_reasons
from cop.match.signals import COMPONENTS, priorities

__all__ = ["suggest_introductions", "resolve_members", "WHO", "SUGGESTION_COLUMNS", "DRAFT_DEPTH"]

#: Whom to find introductions for, when no members are named.
WHO = ("all", "newcomers", "peripheral")
#: The first columns of the result (then ``week`` in a plan, then one column per component).
SUGGESTION_COLUMNS = ("member_id", "suggested_id", "rank", "score", "reasons")
#: Candidates kept per target for the draft: this many times the suggestions it can get.
DRAFT_DEPTH = 5


def resolve_members(ids: Iterable[Any], member_ids: pd.Index, what: str = "parameter 'targets'") -> np.ndarray:
    """Positions of ``ids`` in ``member_ids``; a :class:`~cop.exceptions.ConfigError` names the first unknown one.

    Examples
    --------
    >>> resolve_members(["b"], pd.Index(["a", "b"])).tolist()
    [1]
    >>> resolve_members(["zz"], pd.Index(["a", "b"]), "option '--for'")
    Traceback (most recent call last):
    ...
    cop.exceptions.ConfigError: option '--for': member 'zz' is not in the log (2 people, e.g. 'a', 'b')
    """
    ids = [str(x) for x in ids]
    pos = member_ids.get_indexer(ids)
    if (pos < 0).any():
        bad = [x for x, p in zip(ids, pos) if p < 0]
        sample = ", ".join(repr(str(x)) for x in member_ids[:3])
        more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
        raise ConfigError(f"{what}: member {bad[0]!r}{more} is not in the log ({len(member_ids):,} people, e.g. {sample})",
                          hint="member ids are matched exactly, as in the log's member_id column")
    return pos.astype(np.int64)


def _check_count(name: str, value: Any, allow_none: bool = True) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"parameter {name!r}: {value!r}; expected a whole number >= 1")
    return int(value)


def suggest_introductions(
    log: Any,
    *,
    targets: Iterable[Any] | None = None,
    who: str = "all",
    top: int | None = None,
    per_member: int = 3,
    per_week: int | None = None,
    weeks: int = 4,
    exclude: pd.DataFrame | None = None,
    include_colleagues: bool = False,
    as_of: Any = None,
    lookback: int | None = None,
    min_tie: float = 0.25,
    max_group_size: int | None = MAX_GROUP_SIZE,
    newcomer_days: int = NEWCOMER_DAYS,
    weights: MatchWeights | str = "fitted",
    hubs: int = TOPIC_HUBS,
    data: MatchData | None = None,
    prepared: Prepared | None = None,
) -> pd.DataFrame:
    """Rank introductions between people who have no tie yet, with reasons.

    Parameters
    ----------
    log : ActivityLog
    targets : iterable of member ids, optional
        Find introductions for these people (default: by ``who``).
    who : {"all", "newcomers", "peripheral"}
        Without ``targets``: every eligible member, the newcomers (first seen or
        joined fewer than ``newcomer_days`` days before ``as_of``), or the
        members at the periphery of the current window (and newcomers).
    top : int, optional
        Keep the ``top`` best suggestions overall.
    per_member : int, default 3
        Suggestions per target, and the most introductions any one person is
        part of in the round (as target or as suggestion).
    per_week, weeks : int, optional
        Instead of one round, a plan of ``weeks`` weeks with at most
        ``per_week`` introductions per person each week (column ``week``).
    exclude : DataFrame, optional
        ``member_id`` (and optionally ``suggested_id``): people never suggested,
        or pairs never suggested (either way round).
    include_colleagues : bool, default False
        Also suggest people of the same organization.
    as_of, lookback, min_tie, max_group_size
        As in :func:`cop.diagnose`: what counts up to ``as_of``, the window of
        current people, the tie rule, the size above which activities tie no one.
    weights : {"fitted", "rule"} or MatchWeights, default "fitted"
        ``"fitted"``: evidence weights fitted on the ties that formed in the
        window before ``as_of`` (:func:`cop.match.fit.fit_weights`), the rule
        weights when fewer than :data:`cop.match.fit.MIN_PAST_TIES` formed;
        ``"rule"``: :data:`cop.match.ranking.DEFAULT_WEIGHTS`; or given weights.
        What was used is in ``result.attrs["weights"]`` (a sentence) and
        ``result.attrs["match_weights"]``.
    hubs : int
        Most active people per topic offered as candidates.
    data : MatchData, optional
        Arrays already built (:meth:`MatchData.from_log`).
    prepared : Prepared, optional
        The prepared log (:class:`cop.kernel.Prepared`), when already built.

    Returns
    -------
    pandas.DataFrame
        One row per suggestion: ``member_id``, ``suggested_id``, ``rank`` (1 =
        best for that member), ``score`` in [0, 1], ``reasons``; ``week`` in a
        plan; then the scaled value of each component (:data:`COMPONENTS`).

    Warns
    -----
    DataWarning
        When the log has no topics or no ties (the suggestions then rest on
        what exists), and when targets get no suggestion.

    Examples
    --------
    >>> import cop
    >>> s = suggest_introductions(cop.load_example(), top=3)
    >>> s[["member_id", "suggested_id", "rank"]].values.tolist()
    [['m0010', 'm0127', 1], ['m0023', 'm0081', 1], ['m0090', 'm0039', 1]]
    >>> s["reasons"].iloc[0].split("; ")[0]
    'both came to the six breakfasts'
    """
    if who not in WHO:
        raise ConfigError(f"parameter 'who': {who!r}; expected one of {', '.join(WHO)}")
    top = _check_count("top", top)
    per_member = _check_count("per_member", per_member, allow_none=False)
    per_week = _check_count("per_week", per_week)
    weeks = _check_count("weeks", weeks, allow_none=False)
    if isinstance(weights, str) and weights not in WEIGHT_MODES:
        raise ConfigError(f"parameter 'weights': {weights!r}; expected one of {', '.join(WEIGHT_MODES)} or MatchWeights")
    if not isinstance(weights, (str, MatchWeights)):
        raise ConfigError(f"parameter 'weights': {type(weights).__name__}; expected one of {', '.join(WEIGHT_MODES)} "
                          "or MatchWeights")
    if weights == "fitted" and prepared is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            prepared = Prepared(log, min_tie=min_tie, max_group_size=max_group_size)
    if data is None:
        data = MatchData.from_log(log, as_of=as_of, lookback=lookback, min_tie=min_tie, max_group_size=max_group_size,
                                  newcomer_days=newcomer_days, prepared=prepared)
    if weights == "fitted":
        fw = fit_weights(log, as_of=as_of, lookback=lookback, min_tie=min_tie, max_group_size=max_group_size,
                         newcomer_days=newcomer_days, hubs=hubs, prepared=prepared, data_now=data)
        weights, note = fw.weights, fw.note
    elif weights == "rule":
        weights, note = DEFAULT_WEIGHTS, "rule weights (cop.match.ranking)"
    else:
        note = "weights given"
    n = data.n
    if not data.has_topics:
        warnings.warn("the log has no topics: suggestions rest on shared activities, acquaintances and days in the "
                      "space only (add a topic column to the log or the activities table)", DataWarning, stacklevel=2)
    if data.ties.nnz == 0:
        warnings.warn("no ties before the as-of date: suggestions rest on shared activities, topics and days in the "
                      "space only, with no acquaintances in common", DataWarning, stacklevel=2)
    if targets is not None:
        tgt = resolve_members(targets, data.member_ids)
        opted = tgt[~data.eligible[tgt] & _opted_out(log, data)[tgt]]
        if len(opted):
            warnings.warn(f"{len(opted):,} of the members asked for opted out of matchmaking (members-table column "
                          f"{OPT_OUT_COLUMN}); no suggestions for them", DataWarning, stacklevel=2)
            tgt = np.setdiff1d(tgt, opted)
    elif who == "newcomers":
        tgt = np.flatnonzero(data.eligible & data.newcomer)
    elif who == "peripheral":
        tgt = np.flatnonzero(data.eligible & (data.peripheral | data.newcomer))
    else:
        tgt = np.flatnonzero(data.eligible)
    excl_keys = None
    eligible = data.eligible
    if exclude is not None and len(exclude):
        people = resolve_members(exclude["member_id"], data.member_ids, "parameter 'exclude', column 'member_id'")
        if "suggested_id" in exclude.columns and exclude["suggested_id"].notna().any():
            has = exclude["suggested_id"].notna().to_numpy()
            other = resolve_members(exclude.loc[has, "suggested_id"], data.member_ids, "parameter 'exclude', column 'suggested_id'")
            a, b = people[has], other
            excl_keys = np.concatenate([pair_keys(a, b, n), pair_keys(b, a, n)])
            people = people[~has]
        if len(people):
            eligible = eligible.copy()
            eligible[people] = False
            tgt = np.setdiff1d(tgt, people)
            data = _with_eligible(data, eligible)
    avail = available_components(data)
    # each target's best few are enough for the draft (others fill in when someone is taken)
    depth = DRAFT_DEPTH * max(per_member, per_week or 1) * (weeks if per_week else 1)
    i, j, sig = candidate_signals(data, tgt, include_colleagues=include_colleagues, exclude=excl_keys, hubs=hubs,
                                  keep_best=(lambda v: score_signals(v, weights, available=avail)[0], depth))
    score, parts = score_signals(sig, weights, available=avail)
    urgency = priorities(data)
    if per_week is not None:
        pos, week = weekly_plan(i, j, score, per_week=per_week, weeks=weeks, urgency=urgency)
    else:
        pos, week = draft(i, j, score, per_member=per_member, urgency=urgency), None
    seen = np.zeros(n, dtype=bool)
    seen[i[pos]] = True
    seen[j[pos]] = True
    missing = len(tgt) - int(seen[np.unique(tgt)].sum())
    if len(tgt) and missing:
        warnings.warn(f"{missing:,} of {len(tgt):,} members got no suggestion (nothing shared with an eligible person "
                      "they do not know yet, or everyone suitable is already suggested per_member times)",
                      DataWarning, stacklevel=2)
    out = _frame(data, i, j, score, parts, sig, pos, week)
    if top is not None:
        out = out.sort_values(["score", "member_id", "suggested_id"], ascending=[False, True, True]).head(top)
        out = out.sort_values(["member_id", "rank"]).reset_index(drop=True)
    out.attrs["weights"] = note
    out.attrs["match_weights"] = weights
    return out


def _opted_out(log: Any, data: MatchData) -> np.ndarray:
    try:
        members = log.members.reindex(data.member_ids)
    except AttributeError:
        return np.zeros(data.n, bool)
    if OPT_OUT_COLUMN not in members.columns:
        return np.zeros(data.n, bool)
    return members[OPT_OUT_COLUMN].astype(str).str.strip().str.lower().isin({"true", "yes", "1", "y", "x", "t"}).to_numpy()


def _with_eligible(data: MatchData, eligible: np.ndarray) -> MatchData:
    from dataclasses import replace

    return replace(data, eligible=eligible, group=data.group)


def _frame(data: MatchData, i, j, score, parts, sig, pos, week) -> pd.DataFrame:
    ids = np.asarray(data.member_ids, dtype=object)
    cols: dict[str, Any] = {
        "member_id": ids[i[pos]], "suggested_id": ids[j[pos]], "rank": np.zeros(len(pos), dtype=np.int64),
        "score": np.round(score[pos], 4),
        "reasons": pair_reasons(data, i[pos], j[pos], {c: v[pos] for c, v in sig.items()}),
    }
    if week is not None:
        cols["week"] = week
    for c in COMPONENTS:
        cols[c] = np.round(parts[c][pos], 4)
    out = pd.DataFrame(cols)
    if not len(out):
        return out
    keys = ["member_id", "week"] if week is not None else ["member_id"]
    out = out.sort_values(keys + ["score", "suggested_id"], ascending=[True] * len(keys) + [False, True], kind="stable")
    out["rank"] = out.groupby("member_id", sort=False).cumcount() + 1
    return out.reset_index(drop=True)
