"""Weights fitted on the community's own past: which signals predicted the ties that formed there.

The rule weights of :mod:`cop.match.ranking` treat every family of evidence
alike.  Communities differ (in a school new ties form between people who
share many contacts; in a coworking space between people at the same events),
so :func:`fit_weights` learns the evidence weights from the log itself, with
nothing after the as-of date ``t``:

1. the arrays at ``t - period`` (:meth:`MatchData.from_log` with
   ``as_of = t - period``: ties, activities, topics before that date only);
2. the training pairs: every untied pair of people eligible then (at most
   :data:`FIT_ALL_PAIRS` people), or each one's candidates
   (:func:`cop.match.candidates.candidate_signals`) in a larger community
   (of a seeded sample of :data:`FIT_MAX_TARGETS` people in a very large one);
3. the labels: a pair is positive when it is tied by ``t`` (the same tie rule,
   on everything before ``t``): a tie that formed in ``(t - period, t]``;
4. the counts are scaled with the rule's :data:`~cop.match.ranking.HALF_POINTS`
   (``scale="fixed"``, the default), or on the community's own scale
   (``scale="community"``: each count's half-point is its median among the
   training pairs that have some, :func:`community_half_points`, so that the
   typical pair of this community scores 0.5); measured on the real histories
   and not the default (``docs/matchmaking.md``: at or below the default's
   precision there); each count enters the
   fit on the :data:`FIT_COUNT_SCALES` multiples of that half-point (``x / (x +
   m h)`` for each ``m``), so that the fitted score can still rise where one
   scale is flat (in a dense contact network the top pairs have 20 to 30
   acquaintances in common, which ``x / (x + 1)`` all scales to about 0.96);
   the wider scales become :attr:`MatchWeights.extra_scales`;
5. a logistic regression of the labels on the scaled evidence components
   (:data:`EVIDENCE`, those the data can measure), positives and negatives
   weighted equally (half the loss each), L2 penalty ``l2 / positives`` on the
   weights (the prior counts for less the more ties there are to learn from),
   weights bounded at >= 0 (each component is evidence *for* a tie, so a
   suggestion's reasons never count against it), intercept free; solved with
   L-BFGS-B (:func:`scipy.optimize.minimize`), deterministic.

The fitted evidence weights replace the rule's in :class:`MatchWeights`
(scaled so the largest is 1), with the half-points of step 4 when they are the community's; the two normative components keep their rule
weights (a product choice, not evidence).  With fewer than
:data:`MIN_PAST_TIES` ties formed in the training period, or when every fitted
weight is 0, the rule weights are used (:attr:`FittedWeights.fitted` is
False and :attr:`FittedWeights.note` says why).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> x = rng.random((2000, 2))                           # two components; only the first predicts
>>> y = rng.random(2000) < 0.02 + 0.3 * x[:, 0] ** 4
>>> w = fit_component_weights({"shared_events": x[:, 0], "co_presence": x[:, 1]}, y)
>>> w["shared_events"] > 5 * w["co_presence"]
True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from cop.exceptions import ConfigError, DataWarning
from cop.kernel import Prepared, resolve_as_of, timescale
from cop.kernel.projection import MAX_GROUP_SIZE
from cop.match.candidates import TOPIC_HUBS, candidate_signals
from cop.match.data import NEWCOMER_DAYS, MatchData
from cop.match.ranking import DEFAULT_WEIGHTS, HALF_POINTS, NORMATIVE, MatchWeights, available_components, score_signals
from cop.match.signals import COMPONENTS

__all__ = ["FittedWeights", "fit_weights", "fit_component_weights", "training_pairs", "community_half_points", "EVIDENCE",
           "MIN_PAST_TIES", "FIT_ALL_PAIRS", "FIT_MAX_TARGETS", "FIT_L2", "WEIGHT_MODES", "FIT_SCALES", "FIT_COUNT_SCALES",
           "FIT_OBJECTIVES", "fit_ranking_weights"]

#: The evidence components (everything but the normative ones): the features of the fit.
EVIDENCE = tuple(c for c in COMPONENTS if c not in NORMATIVE)
#: Fewest ties formed in the training period for a fit; with fewer, the rule weights.
MIN_PAST_TIES = 20
#: Up to this many eligible people, the fit uses every untied pair; above, each person's candidates.
FIT_ALL_PAIRS = 2000
#: Above :data:`FIT_ALL_PAIRS` people, the candidates of at most this many of them (a seeded sample) are the training pairs.
FIT_MAX_TARGETS = 5000
#: Seed of that sample (same log, same weights).
FIT_SEED = 20261202
#: L2 penalty on the weights, divided by the number of positive pairs.
FIT_L2 = 1.0
#: Values of ``scale`` in :func:`fit_weights`: the rule's half-points (the default), or the community's own.
FIT_SCALES = ("fixed", "community")
#: Multiples of each count's half-point on which the count enters the fit (the first, 1, is its main scale).
FIT_COUNT_SCALES = (1.0, 4.0, 16.0)
#: Values of ``objective`` in :func:`fit_weights`: what the weights are fitted to (:func:`fit_component_weights` for
#: ``"pairs"`` and ``"pool"``, :func:`fit_ranking_weights` for the two ranking losses).
FIT_OBJECTIVES = ("pairs", "pool", "pairwise", "listwise")
#: Values of ``weights`` in :func:`cop.suggest_introductions` and ``cop match --weights``.
WEIGHT_MODES = ("fitted", "rule")


@dataclass(frozen=True)
class FittedWeights:
    """The outcome of :func:`fit_weights`.

    Attributes
    ----------
    weights : MatchWeights
        The weights to rank with (the rule's when ``fitted`` is False).
    fitted : bool
        Whether the evidence weights come from the fit.
    past_ties : int
        Ties formed in the training period among the training pairs.
    pairs : int
        Training pairs.
    train_as_of : pandas.Timestamp
        The date of the training features (``as_of - period``).
    note : str
        What was done, in words (e.g. why the rule weights were kept).

    Examples
    --------
    >>> import cop
    >>> from cop.match import fit_weights
    >>> fw = fit_weights(cop.load_example())
    >>> fw.fitted, fw.past_ties, fw.pairs
    (True, 163, 8978)
    """

    weights: MatchWeights
    fitted: bool
    past_ties: int
    pairs: int
    train_as_of: pd.Timestamp
    note: str


def fit_component_weights(parts: dict[str, np.ndarray], positive: np.ndarray, *, l2: float = FIT_L2,
                          balanced: bool = True) -> dict[str, float]:
    """Non-negative logistic-regression weights of scaled components (see the module docstring).

    Parameters
    ----------
    parts : dict of str to numpy.ndarray
        One array of scaled values in [0, 1] per component (the features).
    positive : numpy.ndarray of bool
        The labels.
    l2 : float
        Penalty on the weights, divided by the number of positives.
    balanced : bool, default True
        Positives and negatives weigh half the loss each; False: every pair
        weighs the same (the loss is the mean over the pairs).

    Returns
    -------
    dict of str to float
        Weight of each component of ``parts``, the largest scaled to 1 (all 0
        when no component helps).

    Examples
    --------
    >>> x = np.r_[np.zeros(50), np.ones(50)]
    >>> w = fit_component_weights({"shared_events": x, "co_presence": 1 - x}, x > 0)
    >>> w["shared_events"], w["co_presence"]
    (1.0, 0.0)
    """
    names = list(parts)
    y = np.asarray(positive, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if not names or n_pos == 0 or n_neg == 0:
        return {c: 0.0 for c in names}
    x = np.column_stack([np.asarray(parts[c], dtype=np.float64) for c in names])
    # pairs with the same feature values are one row weighted by their positives and negatives (the same loss,
    # exactly: most pairs share the all-zero row or a few small counts)
    x, inv = np.unique(x, axis=0, return_inverse=True)
    inv = inv.ravel()
    wp, wn = (0.5 / n_pos, 0.5 / n_neg) if balanced else (1.0 / (n_pos + n_neg),) * 2
    a = np.bincount(inv, weights=y.astype(np.float64), minlength=len(x)) * wp    # weight of "tie"
    b = np.bincount(inv, weights=(~y).astype(np.float64), minlength=len(x)) * wn  # weight of "no tie"
    lam = float(l2) / n_pos
    d = len(names)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, c = theta[:d], theta[d]
        z = x @ w + c
        soft = np.logaddexp(0.0, z)                    # -log P(no tie); -log P(tie) = soft - z
        p = 0.5 * (1.0 + np.tanh(0.5 * z))             # a stable sigmoid
        r = a * (p - 1.0) + b * p                      # d loss / d z
        val = a @ (soft - z) + b @ soft
        grad = np.r_[x.T @ r + lam * w, r.sum()]
        return float(val + 0.5 * lam * w @ w), grad

    prior = np.log(n_pos / n_neg)
    res = minimize(loss, np.r_[np.zeros(d), prior], jac=True, method="L-BFGS-B",
                   bounds=[(0.0, None)] * d + [(None, None)], options={"maxiter": 1000, "gtol": 1e-9, "ftol": 1e-13})
    w = np.clip(res.x[:d], 0.0, None)
    w[w < 1e-6 * max(w.max(), 1e-300)] = 0.0
    top = w.max()
    if not top > 0:
        return {c: 0.0 for c in names}
    return {c: float(v / top) for c, v in zip(names, w)}


def fit_ranking_weights(parts: dict[str, np.ndarray], positive: np.ndarray, target: np.ndarray, *,
                        loss: str = "pairwise", l2: float = FIT_L2) -> dict[str, float]:
    """Non-negative weights that order each target's candidates: its positives above its negatives.

    The score of a candidate is ``parts @ w`` (no intercept: it cancels within a target's list).
    Only targets with at least one positive and one negative candidate count, each weighing the
    same (the loss is the mean over them):

    ``"pairwise"``
        the mean over the target's (positive, negative) pairs of ``log(1 + exp(-(z_p - z_n)))``
        (RankNet): every wrong order counts, wherever it is in the list;
    ``"listwise"``
        the mean over the target's positives of ``-log softmax(z)_p`` over its whole list (ListNet
        with the positives equally likely): a positive below many negatives costs more, so the
        top of the list weighs more than in the pairwise loss.

    L2 penalty ``l2 / positives`` (positives of the counted targets), weights >= 0, L-BFGS-B;
    the largest weight scaled to 1 (all 0 when none helps).

    Parameters
    ----------
    parts : dict of str to numpy.ndarray
        One array of scaled values per component, one value per (target, candidate) pair.
    positive : numpy.ndarray of bool
        The labels of the pairs.
    target : numpy.ndarray of int
        The target (list) of each pair.
    loss : {"pairwise", "listwise"}
    l2 : float

    Examples
    --------
    >>> ev = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])   # in both lists the positive shared an event
    >>> pr = np.array([0.5, 0.5, 0.0, 0.0, 0.5, 0.0])   # days together: once above, once below a negative
    >>> w = fit_ranking_weights({"shared_events": ev, "co_presence": pr}, ev > 0, np.array([0, 0, 0, 1, 1, 1]))
    >>> w["shared_events"], w["co_presence"] < 0.5
    (1.0, True)
    """
    if loss not in ("pairwise", "listwise"):
        raise ConfigError(f"parameter 'loss': {loss!r}; expected pairwise or listwise")
    names = list(parts)
    y = np.asarray(positive, dtype=bool)
    g = np.asarray(target, dtype=np.int64)
    if not names or len(y) == 0:
        return {c: 0.0 for c in names}
    x = np.column_stack([np.asarray(parts[c], dtype=np.float64) for c in names])
    _, g = np.unique(g, return_inverse=True)
    g = g.ravel()
    n_g = int(g.max()) + 1
    pos_n = np.bincount(g, weights=y.astype(np.float64), minlength=n_g)
    neg_n = np.bincount(g, weights=(~y).astype(np.float64), minlength=n_g)
    used = (pos_n > 0) & (neg_n > 0)
    if not used.any():
        return {c: 0.0 for c in names}
    keep = used[g]
    x, y, g = x[keep], y[keep], g[keep]
    _, g = np.unique(g, return_inverse=True)
    g = g.ravel()
    n_g = int(g.max()) + 1
    pos_n = np.bincount(g, weights=y.astype(np.float64), minlength=n_g)
    neg_n = np.bincount(g, weights=(~y).astype(np.float64), minlength=n_g)
    lam = float(l2) / float(pos_n.sum())
    d = len(names)
    if loss == "pairwise":
        order = np.lexsort((~y, g))                     # per target: positives, then negatives
        x, y, g = x[order], y[order], g[order]
        start = np.r_[0, np.cumsum(pos_n + neg_n)[:-1]].astype(np.int64)
        p_idx, n_idx = [], []
        for t in range(n_g):                            # every (positive, negative) pair of each target
            s0, npos, nneg = int(start[t]), int(pos_n[t]), int(neg_n[t])
            p_idx.append(np.repeat(np.arange(s0, s0 + npos), nneg))
            n_idx.append(np.tile(np.arange(s0 + npos, s0 + npos + nneg), npos))
        pi, ni = np.concatenate(p_idx), np.concatenate(n_idx)
        diff = x[pi] - x[ni]
        pw = 1.0 / (n_g * pos_n[g[pi]] * neg_n[g[pi]])  # each target weighs 1 / n_g, shared by its pairs

        def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
            m = diff @ w
            val = pw @ np.logaddexp(0.0, -m)
            r = -pw * 0.5 * (1.0 - np.tanh(0.5 * m))     # d loss / d m = -sigmoid(-m)
            return float(val + 0.5 * lam * w @ w), diff.T @ r + lam * w
    else:
        yw = y / (n_g * np.maximum(pos_n[g], 1.0))      # each target weighs 1 / n_g, shared by its positives

        def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
            z = x @ w
            zmax = np.full(n_g, -np.inf)
            np.maximum.at(zmax, g, z)
            e = np.exp(z - zmax[g])
            tot = np.bincount(g, weights=e, minlength=n_g)
            lse = zmax + np.log(tot)
            val = 1.0 / n_g * lse.sum() - yw @ z          # mean over targets of logsumexp - mean of positives' z
            soft = e / tot[g]
            r = soft / n_g - yw
            return float(val + 0.5 * lam * w @ w), x.T @ r + lam * w

    res = minimize(objective, np.zeros(d), jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * d,
                   options={"maxiter": 1000, "gtol": 1e-9, "ftol": 1e-13})
    w = np.clip(res.x, 0.0, None)
    w[w < 1e-6 * max(w.max(), 1e-300)] = 0.0
    top = w.max()
    if not top > 0:
        return {c: 0.0 for c in names}
    return {c: float(v / top) for c, v in zip(names, w)}


def community_half_points(signals: dict[str, np.ndarray]) -> dict[str, float]:
    """Half-point of each count (:data:`~cop.match.ranking.HALF_POINTS`): its median among the pairs that have some.

    A component no pair has keeps the rule's half-point.

    Examples
    --------
    >>> hp = community_half_points({"common_neighbours": np.array([0, 0, 2, 6, 30.0])})
    >>> hp["common_neighbours"], hp["shared_events"]
    (6.0, 1.0)
    """
    out = {}
    for c, h in HALF_POINTS.items():
        v = np.asarray(signals.get(c, np.zeros(0)), dtype=np.float64)
        v = v[v > 0]
        out[c] = float(np.median(v)) if len(v) else float(h)
    return out


def _training_signals(data_then: MatchData, ties_now: Any, *, include_colleagues: bool, hubs: int,
                      all_pairs_limit: int, lists: bool = False) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Raw signals, labels and the ``2 x pairs`` people (target first) of the training pairs (see :func:`training_pairs`).

    ``lists=True``: each target's candidate list as cop ranks it (ordered pairs, target first, a pair
    in two lists twice), whatever the number of people; else unordered pairs, each once.
    """
    people = np.flatnonzero(data_then.eligible)
    if len(people) < 2:
        return {c: np.zeros(0) for c in COMPONENTS}, np.zeros(0, bool), np.zeros((2, 0), np.int64)
    brute = len(people) <= all_pairs_limit and not lists
    if not brute and len(people) > FIT_MAX_TARGETS:
        people = np.sort(np.random.default_rng(FIT_SEED).choice(people, FIT_MAX_TARGETS, replace=False))
    i, j, sig = candidate_signals(data_then, people, include_colleagues=include_colleagues, all_pairs=brute, hubs=hubs)
    if lists:
        keep = np.ones(len(i), bool)
    elif brute:
        keep = i < j
    else:  # both directions may be candidates: keep each unordered pair once
        a, b = np.minimum(i, j), np.maximum(i, j)
        _, first = np.unique(a * data_then.n + b, return_index=True)
        keep = np.zeros(len(i), bool)
        keep[first] = True
    i, j = i[keep], j[keep]
    sig = {c: v[keep] for c, v in sig.items()}
    now = ties_now.tocsr() if hasattr(ties_now, "tocsr") else ties_now
    positive = np.asarray(now[i, j]).ravel() > 0 if len(i) else np.zeros(0, bool)
    return sig, positive, np.stack([i, j]) if len(i) else np.zeros((2, 0), np.int64)


def training_pairs(
    data_then: MatchData,
    ties_now: Any,
    *,
    include_colleagues: bool = True,
    hubs: int = TOPIC_HUBS,
    all_pairs_limit: int = FIT_ALL_PAIRS,
    half_points: dict[str, float] | None = None,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """``(scaled components, positive)`` of the training pairs of ``data_then``.

    ``ties_now`` is the tie graph at the later date, aligned with
    ``data_then.member_ids`` (people not yet in the log then are not part of
    the training pairs).  Pairs are ``i < j``.  The counts are scaled with
    ``half_points`` (default: the rule's).
    """
    sig, positive, _ = _training_signals(data_then, ties_now, include_colleagues=include_colleagues, hubs=hubs,
                                         all_pairs_limit=all_pairs_limit)
    _, parts = score_signals(sig, MatchWeights(half_points=half_points or {}))
    return {c: parts[c] for c in EVIDENCE}, positive


def fit_weights(
    log: Any,
    *,
    as_of: Any = None,
    period: float | None = None,
    lookback: int | None = None,
    min_tie: float = 0.25,
    max_group_size: int | None = MAX_GROUP_SIZE,
    newcomer_days: int = NEWCOMER_DAYS,
    include_colleagues: bool = True,
    hubs: int = TOPIC_HUBS,
    min_ties: int = MIN_PAST_TIES,
    l2: float = FIT_L2,
    balanced: bool = True,
    rule: MatchWeights = DEFAULT_WEIGHTS,
    scale: str = "fixed",
    scales: tuple[float, ...] = FIT_COUNT_SCALES,
    objective: str = "pairs",
    prepared: Prepared | None = None,
    data_now: MatchData | None = None,
) -> FittedWeights:
    """Evidence weights fitted on the ties that formed in the ``period`` days before ``as_of`` (module docstring).

    Parameters
    ----------
    log : ActivityLog
    as_of : date, optional
        The date of the ranking (default: the day after the last activity).
        Nothing on or after it is read.
    period : float, optional
        Length in days (fractions allowed) of the training period (default: the window of current
        people, from the community's timescale, or ``lookback``).
    include_colleagues : bool, default True
        Whether the training pairs include people of the same organization
        (they are where many ties form; the weights say what predicts a tie).
    min_ties : int
        Fewest ties formed in the period for a fit (:data:`MIN_PAST_TIES`).
    l2, balanced
        The penalty and the weighting of the loss (:func:`fit_component_weights`).
    rule : MatchWeights
        The fallback, and the normative weights kept in a fit.
    scale : {"fixed", "community"}
        Half-points of the counts in a fit: the rule's, or the community's own
        (:func:`community_half_points` of the training pairs).
    scales : tuple of float
        Multiples of those half-points on which each count enters the fit
        (:data:`FIT_COUNT_SCALES`; starting with 1; ``(1,)``: one scale, the fit before 2026-12-02).
    objective : {"pairs", "pool", "pairwise", "listwise"}
        What the weights are fitted to (:data:`FIT_OBJECTIVES`). ``"pairs"``: the logistic
        regression on every untied pair (each person's candidates above :data:`FIT_ALL_PAIRS`
        people); ``"pool"``: the same regression on the candidate pool cop ranks (each person's
        :data:`~cop.match.candidates.MAX_CANDIDATES` best candidates by the pre-score, whatever
        the number of people); ``"pairwise"`` / ``"listwise"``: a ranking loss within each
        person's candidate list (:func:`fit_ranking_weights`). Measured on the real histories
        (``docs/matchmaking.md``).
    prepared, data_now : optional
        The prepared log and the arrays at ``as_of``, when already built.

    Examples
    --------
    >>> import cop, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", cop.DataWarning)
    ...     f = fit_weights(cop.load_example(), period=120)
    >>> f.weights.bridging == DEFAULT_WEIGHTS.bridging, isinstance(f.note, str)
    (True, True)
    """
    if period is not None and (isinstance(period, bool) or not isinstance(period, (int, float, np.integer, np.floating))
                               or not period > 0):
        raise ConfigError(f"parameter 'period': {period!r}; expected a number of days > 0")
    if scale not in FIT_SCALES:
        raise ConfigError(f"parameter 'scale': {scale!r}; expected one of {', '.join(FIT_SCALES)}")
    if objective not in FIT_OBJECTIVES:
        raise ConfigError(f"parameter 'objective': {objective!r}; expected one of {', '.join(FIT_OBJECTIVES)}")
    scales = tuple(float(m) for m in scales)
    if not scales or scales[0] != 1.0 or any(not m > 0 for m in scales) or len(set(scales)) != len(scales):
        raise ConfigError(f"parameter 'scales': {scales!r}; expected distinct multiples > 0 starting with 1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        prep = prepared if prepared is not None else Prepared(log, min_tie=min_tie, max_group_size=max_group_size)
        t = resolve_as_of(log, as_of)
        days = float(period) if period is not None else float(timescale(prep, lookback).lookback)
        then = t - pd.Timedelta(days=days)
        now = data_now if data_now is not None else MatchData.from_log(
            log, as_of=t, lookback=lookback, min_tie=min_tie, max_group_size=max_group_size,
            newcomer_days=newcomer_days, prepared=prep)
        if prep.n == 0 or then.value <= int(np.min(prep.first_seen)):
            return FittedWeights(rule, False, 0, 0, then, f"rule weights: the log starts after {then:%Y-%m-%d}, "
                                 f"so there is no earlier period of {days:g} days to learn from")
        # levels are not needed: the features are the evidence components (peripheral only feeds priority)
        old = MatchData.from_log(log, as_of=then, lookback=lookback, min_tie=min_tie, max_group_size=max_group_size,
                                 newcomer_days=newcomer_days, prepared=prep, levels=pd.Series(dtype=object))
    pos = now.member_ids.get_indexer(old.member_ids)
    ties_now = now.ties[pos][:, pos] if (pos >= 0).all() else None
    if ties_now is None:  # cannot happen with a shared Prepared; aligned by id otherwise
        raise ConfigError("fit_weights: the arrays at as_of do not cover the people of the earlier date")
    ranking = objective in ("pairwise", "listwise")
    sig, positive, who = _training_signals(old, ties_now, include_colleagues=include_colleagues, hubs=hubs,
                                              all_pairs_limit=FIT_ALL_PAIRS if objective == "pairs" else 0,
                                              lists=ranking)
    hp = community_half_points(sig) if scale == "community" else {}
    _, scaled = score_signals(sig, MatchWeights(half_points=hp))
    parts = {c: scaled[c] for c in EVIDENCE}
    avail = set(available_components(old))
    parts = {c: v for c, v in parts.items() if c in avail}
    base = {c: hp.get(c, h) for c, h in HALF_POINTS.items()}
    wider = {}  # feature name -> (component, half point) of the wider scales
    for m in scales[1:]:
        for c in HALF_POINTS:
            if c in parts:
                h = base[c] * m
                x = np.asarray(sig[c], dtype=np.float64)
                parts[f"{c} x{m:g}"] = x / (x + h)
                wider[f"{c} x{m:g}"] = (c, h)
    n_pos = int(positive.sum())
    n_pairs = len(positive)
    if ranking:  # a pair in two lists counts once
        key = np.minimum(who[0], who[1]) * old.n + np.maximum(who[0], who[1])
        n_pos, n_pairs = len(np.unique(key[positive])), len(np.unique(key))
    if n_pos < min_ties:
        return FittedWeights(rule, False, n_pos, n_pairs, then,
                             f"rule weights: {n_pos} ties formed in the {days:g} days before {t:%Y-%m-%d} "
                             f"among {n_pairs:,} pairs (fewer than {min_ties} to learn from)")
    if ranking:
        w = fit_ranking_weights(parts, positive, who[0], loss=objective, l2=l2)
    else:
        w = fit_component_weights(parts, positive, l2=l2, balanced=balanced)
    if not any(v > 0 for v in w.values()):
        return FittedWeights(rule, False, n_pos, n_pairs, then,
                             "rule weights: no component predicted the ties of the earlier period")
    new = {c: w.get(c, 0.0) for c in EVIDENCE}
    new.update({c: getattr(rule, c) for c in NORMATIVE})
    extra = tuple((c, h, w[k]) for k, (c, h) in wider.items() if w.get(k, 0.0) > 0)
    # only the half-points of counts the fit weighs on their main scale, and only where they differ from the rule's
    hp_kept = {c: h for c, h in hp.items() if new.get(c, 0) > 0 and h != HALF_POINTS[c]}
    fitted = replace(rule, **new, half_points=hp_kept, extra_scales=extra)
    shown = ", ".join(f"{c} {v:.2f}" for c, v in sorted(w.items(), key=lambda kv: -kv[1]) if v > 0)
    halves = ("; half-points " + ", ".join(f"{c} {h:.3g}" for c, h in sorted(hp_kept.items()))) if hp_kept else ""
    how = "" if objective == "pairs" else (" in the candidate pool" if objective == "pool" else
                                           f", {objective} within each person's candidates")
    return FittedWeights(fitted, True, n_pos, n_pairs, then,
                         f"weights fitted on the {n_pos} ties formed in the {days:g} days before {t:%Y-%m-%d} "
                         f"({n_pairs:,} pairs{how}): {shown}{halves}")
