"""Temporal link prediction: do cop's introductions predict the ties that then form?

For each real history of ``tests/fixtures/validation/`` (loaded as
``benchmarks/validation/run_validation.py`` does) and each cut-off of
:data:`ROLLING` (every 5 % of its time span from 40 to 80 %; the original
design's five, :data:`CUTS`, are among them and reported separately as before):

1. keep the log before the cut (``log.window(end=cut)``) and build the
   matchmaking arrays with ``cop.match.MatchData.from_log(..., as_of=cut)``
   (cop's defaults: timescale window, ``min_tie`` 0.25), and the fitted weights
   (:func:`cop.match.fit.fit_weights` on that log only, training period = the horizon);
2. the *candidate universe* is every pair of people eligible at the cut (current
   members, as cop's suggestions require) who are not tied yet;
3. the *positives* are those pairs that become tied in the following period
   (15 % of the time span after the cut): their accumulated tie weight (the
   kernel's rule, ``min_tie`` 0.25) reaches the threshold by its end;
4. every method scores every pair of the universe; ties in a score are broken
   by one seeded random order shared by all methods; we report precision@10,
   precision@100, recall@10, recall@100 and the AUC (Mann-Whitney, exact) —
   each the mean over the cut-offs with a new tie — and a paired comparison
   per cut-off (:func:`paired`: sign test and bootstrap interval).

Methods, all measured in the same run on the same pairs:

* ``cop fitted`` — the fitted weights (what ``cop match`` ranks by by default);
  ``cop fitted, community scale`` — the fit on the community's own half-points
  (``fit_weights(scale="community")``, measured and not the default); ``cop rule`` —
  :data:`cop.match.DEFAULT_WEIGHTS`, not fitted; each as *evidence* (without
  the two normative components, bridging and priority: the predictive claim)
  and *final* (with them: the order ``cop match`` uses); colleagues allowed (in
  highschool and workplace the "organization" is the class or department);
* ``cop fitted, pool`` / ``pairwise`` / ``listwise`` — the fit on the candidate pool cop ranks, or with a ranking
  loss within each person's candidates (``fit_weights(objective=...)``, :data:`OBJECTIVES`; measured, not the
  default), evidence and final, each compared with the default fit and the baselines;
* ``cop fitted (evidence, candidates only)`` — pairs outside the candidate
  generation of :mod:`cop.match.candidates` ranked last (what ``cop match``
  can suggest);
* baselines: ``random``, ``common neighbours``, ``Adamic-Adar`` (all
  acquaintances counted), ``topic similarity`` (cosine of topic profiles;
  histories with topics), ``same group`` (the profile tag of the members
  table: class or department; histories with one), and, beyond those asked
  for, ``preferential attachment`` (product of degrees) as a known strong
  predictor;
* with ``--variants``, the fit on one scale per count (before 2026-12-02), and what was measured and not
  adopted: the fit without L2 or unbalanced, and weighted / recency-weighted proximity
  (:func:`weighted_proximity`);
* ``resource allocation`` (all acquaintances counted; not a required baseline) and, after the tables, a
  diagnosis of the top 10 per history with a fit (:func:`diagnosis`: distinct pairs and distinct new ties
  found, the pairs that recur, what can still order the top).

Usage::

    python benchmarks/matchmaking.py                 # all histories, markdown tables
    python benchmarks/matchmaking.py davis workplace --json out.json
    python benchmarks/matchmaking.py highschool workplace --variants
    python benchmarks/matchmaking.py --design old    # only the original five cut-offs
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent / "validation"))

import cop  # noqa: E402
from cop.kernel import Prepared, timescale  # noqa: E402
from cop.kernel.projection import project  # noqa: E402
from cop.match import (  # noqa: E402
    DEFAULT_WEIGHTS, MatchData, available_components, candidate_signals, pair_signals, score_signals,
)
from cop.match.fit import EVIDENCE, fit_weights  # noqa: E402
from run_validation import HISTORIES, load_history  # noqa: E402

#: The original design's cut-offs (fractions of the span), reported as before.
CUTS = (0.40, 0.50, 0.60, 0.70, 0.80)
#: The rolling design: a cut-off every 5 % of the span from 40 to 80 % (a superset of :data:`CUTS`), the same for
#: every method and history.  Successive test periods overlap (the horizon is 15 %), so the cut-offs are not
#: independent samples: more of them average out the draw of the cut, they do not multiply the data.
ROLLING = tuple(round(0.40 + 0.05 * k, 2) for k in range(9))
HORIZON = 0.15
#: Resamples of the paired bootstrap over cut-offs.
BOOT = 10_000
KS = (10, 100)
SEED = 20261201
#: The fits on the deployed distribution (``fit_weights(objective=...)``), measured against the default: the logistic
#: regression on the candidate pool, and two ranking losses within each person's candidates (docs/matchmaking.md).
OBJECTIVES = ("pool", "pairwise", "listwise")
#: Methods whose top-10 pairs are kept per cut-off for the diagnosis (:func:`diagnosis`) and the distinct new ties.
TRACKED = ("cop fitted (evidence)", "cop fitted (final)", "common neighbours", "Adamic-Adar", "resource allocation") + tuple(
    f"cop fitted, {o} ({k})" for o in OBJECTIVES for k in ("evidence", "final"))


def future_ties(log: cop.ActivityLog, lo: pd.Timestamp, hi: pd.Timestamp, min_tie: float = 0.25) -> sp.csr_array:
    """Pairs tied by ``hi`` (the tie rule on everything before ``hi``) that have activities in ``[lo, hi)``.

    A tie *forms* in the period when the pair's accumulated weight reaches
    ``min_tie`` by its end; pairs tied before ``lo`` are outside the universe anyway.
    Binary, upper triangle, aligned with the log's member ids.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cop.DataWarning)
        prep = Prepared(log, min_tie=min_tie)
    c = prep.incidence.columns(None, hi.value)
    n = prep.n
    if c.stop <= c.start:
        return sp.csr_array((n, n))
    w = sp.csr_array(project(prep.B[:, c], prep.tie_weight[c]))
    if w.shape != (n, n):
        return sp.csr_array((n, n))
    return sp.csr_array(sp.triu(w >= min_tie, k=1), dtype=np.float64)


def weighted_proximity(prep: Prepared, data: MatchData, t: pd.Timestamp, ii: np.ndarray, jj: np.ndarray,
                       tau: float | None = None) -> dict[str, np.ndarray]:
    """Weighted common neighbours, Adamic-Adar and resource allocation (Murata & Moriyasu 2007) of the pairs.

    The strength ``s_ik`` of a tie is its accumulated kernel tie weight before ``t`` (contact durations, group
    sizes), each activity discounted by ``exp(-age / tau)`` when ``tau`` (days) is given; over the common
    acquaintances ``k`` (as cop counts them: 2 to :data:`~cop.match.MAX_PIVOT_DEGREE` ties):
    ``sum (s_ik + s_jk) / 2`` times 1, ``1 / log(1 + S_k)`` or ``1 / S_k`` (``S_k`` the strength of ``k``).
    """
    from cop.kernel import DAY_NS
    from cop.match import MAX_PIVOT_DEGREE

    n = prep.n
    c = prep.incidence.columns(None, t.value)
    w = prep.tie_weight[c].copy()
    if tau is not None:
        w = w * np.exp(-((t.value - prep.start[c]) / DAY_NS) / tau)
    s = project(prep.B[:, c], w) if c.stop > c.start else sp.csr_array((n, n))
    s = sp.csr_array(s) if s.shape == (n, n) else sp.csr_array((n, n))
    a = sp.csr_array(data.ties)
    s = sp.csr_array(s.multiply(a))
    deg = np.diff(a.indptr)
    piv = ((deg >= 2) & (deg <= MAX_PIVOT_DEGREE)).astype(np.float64)
    strength = np.asarray(s.sum(axis=1)).ravel()
    safe = np.maximum(strength, 1e-300)
    out = {}
    for name, f in (("weighted CN", piv), ("weighted AA", np.where(piv > 0, 1.0 / np.log1p(safe), 0.0)),
                    ("weighted RA", np.where(piv > 0, 1.0 / safe, 0.0))):
        fd = sp.diags_array(f)
        m1, m2 = sp.csr_array(s @ fd @ a), sp.csr_array(a @ fd @ s)
        out[name] = (np.asarray(m1[ii, jj]).ravel() + np.asarray(m2[ii, jj]).ravel()) / 2
    return out


def top_pairs(score: np.ndarray, tiebreak: np.ndarray, k: int = 10) -> np.ndarray:
    """Positions of the ``k`` best scores, ties broken by ``tiebreak`` (the order :func:`metrics` uses)."""
    return np.lexsort((tiebreak, -score))[:k]


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(score).rank(method="average").to_numpy()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def metrics(score: np.ndarray, positive: np.ndarray, tiebreak: np.ndarray) -> dict[str, float]:
    order = top_pairs(score, tiebreak, len(score))
    hits = positive[order]
    out = {f"precision@{k}": float(hits[:k].mean()) for k in KS}
    for k in KS:
        out[f"recall@{k}"] = float(hits[:k].sum() / max(positive.sum(), 1))
    out["auc"] = auc(score, positive)
    return out


def one_cut(log: cop.ActivityLog, frac: float, variants: bool = False) -> dict | None:
    span = log.end - log.start
    cut = log.start + span * frac
    end = log.start + span * min(frac + HORIZON, 1.0) + pd.Timedelta(seconds=1)
    period_days = (span * HORIZON) / pd.Timedelta(days=1)
    past = log.window(None, cut)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cop.DataWarning)
        prep = Prepared(past)
        data = MatchData.from_log(past, as_of=cut, prepared=prep)
        # the fit reads the cut log only: features at cut - period, labels = ties formed in (cut - period, cut]
        fw = fit_weights(past, as_of=cut, period=period_days, prepared=prep, data_now=data)
        # the fit on the community's own half-points: measured, not the default
        fw_own = fit_weights(past, as_of=cut, period=period_days, prepared=prep, data_now=data, scale="community")
    n = data.n
    people = np.flatnonzero(data.eligible)
    if len(people) < 3:
        return None
    # every untied pair of eligible people, i < j
    ii, jj, sig_all = candidate_signals(data, people, include_colleagues=True, all_pairs=True)
    up = ii < jj
    ii, jj = ii[up], jj[up]
    sig_all = {c: v[up] for c, v in sig_all.items()}
    fut = future_ties(log, cut, end)
    keys = ii * n + jj
    fr, fc = fut.nonzero()
    positive = np.isin(keys, fr.astype(np.int64) * n + fc)
    if positive.sum() == 0:
        return {"cut": f"{cut:%Y-%m-%d %H:%M}", "pairs": int(len(ii)), "positives": 0, "fit": fw.note}
    rng = np.random.default_rng(SEED)
    tiebreak = rng.random(len(ii))
    avail = available_components(data)
    no_norm = {"bridging": 0.0, "priority": 0.0}
    methods: dict[str, np.ndarray] = {}
    methods["cop fitted (evidence)"], _ = score_signals(sig_all, replace(fw.weights, **no_norm), available=avail)
    methods["cop fitted (final)"], _ = score_signals(sig_all, fw.weights, available=avail)
    methods["cop fitted, community scale (evidence)"], _ = score_signals(sig_all, replace(fw_own.weights, **no_norm), available=avail)
    methods["cop fitted, community scale (final)"], _ = score_signals(sig_all, fw_own.weights, available=avail)
    fit_obj = {}
    for o in OBJECTIVES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", cop.DataWarning)
            fo = fit_obj[o] = fit_weights(past, as_of=cut, period=period_days, prepared=prep, data_now=data, objective=o)
        methods[f"cop fitted, {o} (evidence)"], _ = score_signals(sig_all, replace(fo.weights, **no_norm), available=avail)
        methods[f"cop fitted, {o} (final)"], _ = score_signals(sig_all, fo.weights, available=avail)
    methods["cop rule (evidence)"], _ = score_signals(sig_all, replace(DEFAULT_WEIGHTS, **no_norm), available=avail)
    methods["cop rule (final)"], _ = score_signals(sig_all, DEFAULT_WEIGHTS, available=avail)
    ci, cj, _ = candidate_signals(data, people, include_colleagues=True)
    cand = np.isin(keys, np.minimum(ci, cj) * n + np.maximum(ci, cj))
    methods["cop fitted (evidence, candidates only)"] = np.where(cand, methods["cop fitted (evidence)"], -1.0)
    methods["random"] = rng.random(len(ii))
    full = pair_signals(data, ii, jj, max_pivot_degree=10**9)
    methods["common neighbours"] = full["common_neighbours"]
    methods["Adamic-Adar"] = full["adamic_adar"]
    methods["resource allocation"] = full["resource_allocation"]  # not a required baseline: for the diagnosis
    if data.has_topics:
        methods["topic similarity"] = full["shared_topics"]
    org = data.organization
    if (org >= 0).any():
        methods["same group"] = ((org[ii] >= 0) & (org[ii] == org[jj])).astype(np.float64)
    deg = data.degree.astype(np.float64)
    methods["preferential attachment"] = deg[ii] * deg[jj]
    if variants:  # measured and not adopted (docs/matchmaking.md): other fits, weighted and recency-weighted proximity
        for label, kw in (("one scale per count", {"scales": (1.0,)}), ("no L2", {"l2": 0.0}),
                          ("unbalanced", {"balanced": False}),
                          ("community scale, no L2", {"l2": 0.0, "scale": "community"})):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", cop.DataWarning)
                fv = fit_weights(past, as_of=cut, period=period_days, prepared=prep, data_now=data, **kw)
            methods[f"variant: cop fitted, {label} (evidence)"], _ = score_signals(
                sig_all, replace(fv.weights, **no_norm), available=avail)
            methods[f"variant: cop fitted, {label} (final)"], _ = score_signals(sig_all, fv.weights, available=avail)
        tau = float(timescale(prep, None).return_days)
        for label, t_ in (("", None), (", recency (tau = return_days, 9 returns in 10 within it)", tau)):
            for m, v in weighted_proximity(prep, data, cut, ii, jj, t_).items():
                methods[f"variant: {m}{label}"] = v
    ids = data.member_ids
    tops = {m: top_pairs(methods[m], tiebreak) for m in TRACKED if m in methods}
    _, scaled = score_signals(sig_all, fw.weights, available=avail)
    top = tops["cop fitted (evidence)"]
    return {
        "top10": {m: [f"{ids[ii[q]]}|{ids[jj[q]]}" for q in t] for m, t in tops.items()},
        "top10_hits": {m: [f"{ids[ii[q]]}|{ids[jj[q]]}" for q in t if positive[q]] for m, t in tops.items()},
        # range of each scaled evidence component over cop's top 10: what can still order the top
        "top10_spread": {c: [round(float(scaled[c][top].min()), 4), round(float(scaled[c][top].max()), 4)]
                         for c in EVIDENCE if c in avail},
        "extra_scales": [list(x) for x in fw.weights.extra_scales],
        "cut": f"{cut:%Y-%m-%d %H:%M}", "pairs": int(len(ii)), "positives": int(positive.sum()),
        "candidates": int(cand.sum()), "positives_in_candidates": int((cand & positive).sum()),
        "fitted": fw.fitted, "past_ties": fw.past_ties, "fit": fw.note,
        "weights": {c: round(getattr(fw.weights, c), 3) for c in EVIDENCE},
        "weights_community_scale": {c: round(getattr(fw_own.weights, c), 3) for c in EVIDENCE},
        "weights_objective": {o: {c: round(getattr(f.weights, c), 3) for c in EVIDENCE} for o, f in fit_obj.items()},
        "extra_scales_objective": {o: [list(x) for x in f.weights.extra_scales] for o, f in fit_obj.items()},
        "fit_objective": {o: f.note for o, f in fit_obj.items()},
        "half_points_community_scale": dict(fw_own.weights.half_points),
        "methods": {m: metrics(s, positive, tiebreak) for m, s in methods.items()},
    }


METRICS = ("precision@10", "precision@100", "recall@10", "recall@100", "auc")


def _summary(cuts: list[dict]) -> tuple[dict, dict]:
    names = list(dict.fromkeys(m for r in cuts for m in r["methods"]))
    mean = {m: {k: float(np.nanmean([r["methods"][m][k] for r in cuts if m in r["methods"]])) for k in METRICS}
            for m in names}
    sd = {m: {k: float(np.nanstd([r["methods"][m][k] for r in cuts if m in r["methods"]])) for k in METRICS}
          for m in names}
    return mean, sd


def evaluate(name: str, fracs: tuple[float, ...] = ROLLING, variants: bool = False) -> dict:
    """Every cut-off of ``fracs``; ``mean``/``sd`` over the cut-offs with a new tie, and the same for the
    original design's cut-offs (:data:`CUTS`) among them (``old_mean``/``old_sd``)."""
    log, _ = load_history(name)
    t = time.perf_counter()
    every = []
    for f in fracs:
        r = one_cut(log, f, variants)
        if r is not None:
            r["frac"] = f
            every.append(r)
    cuts = [r for r in every if r["positives"] > 0]
    mean, sd = _summary(cuts)
    old = [r for r in cuts if any(abs(r["frac"] - c) < 1e-9 for c in CUTS)]
    old_mean, old_sd = _summary(old)
    return {"history": name, "cuts": cuts, "all_cuts": [{k: r[k] for k in ("frac", "cut", "pairs", "positives", "fit")} for r in every],
            "mean": mean, "sd": sd, "old_cuts": len(old), "old_mean": old_mean, "old_sd": old_sd,
            "seconds": round(time.perf_counter() - t, 1)}


def markdown(results: list[dict]) -> str:
    lines = []
    for r in results:
        cuts = r["cuts"]
        lines.append(f"\n### {r['history']}\n")
        lines.append(f"{len(cuts)} of {len(r['all_cuts'])} cut-offs with a new tie; per cut: " + "; ".join(
            f"{c['frac']:.2f} ({c['cut'][:10]}): {c['pairs']:,} pairs, {c['positives']:,} new ties" for c in r["all_cuts"]) + "\n")
        lines.append("fit per cut: " + " | ".join(c["fit"] for c in r["all_cuts"]) + "\n")
        for label, mean, sd in (("rolling design, every cut-off", r["mean"], r["sd"]),
                                (f"original design, {r['old_cuts']} of its 5 cut-offs with a new tie", r["old_mean"], r["old_sd"])):
            lines.append(f"\n{label}:\n")
            lines.append("| method | precision@10 | precision@100 | recall@10 | recall@100 | AUC |")
            lines.append("|---|---|---|---|---|---|")
            for m, v in mean.items():
                d = sd[m]
                lines.append(f"| {m} | " + " | ".join(f"{v[k]:.3f} ± {d[k]:.3f}" for k in METRICS) + " |")
    return "\n".join(lines)


REQUIRED = ("random", "common neighbours", "Adamic-Adar", "topic similarity", "same group")


def verdict(results: list[dict], ours: str = "cop fitted (evidence)", metric: str = "precision@10", design: str = "mean") -> str:
    """Whether ``ours`` beats every required baseline on ``metric``, history by history, with the margin.

    ``design`` is ``"mean"`` (the rolling cut-offs) or ``"old_mean"`` (the original five).
    """
    label = "rolling cut-offs" if design == "mean" else "original 5 cut-offs"
    lines = [f"\n{ours}, {metric} (mean over the {label} with a new tie)\n",
             f"| history | {ours} | best required baseline | its value | margin | beats all |", "|---|---|---|---|---|---|"]
    for r in results:
        m = r[design]
        if not m:
            lines.append(f"| {r['history']} | no cut-off with a new tie | | | | |")
            continue
        base = {k: v[metric] for k, v in m.items() if k in REQUIRED}
        best = max(base, key=base.get)
        val = m[ours][metric]
        gap = round(val - base[best], 6)
        lines.append(f"| {r['history']} | {val:.3f} | {best} | {base[best]:.3f} | {gap:+.3f} | "
                     f"{'yes' if gap > 0 else ('tie' if gap == 0 else 'no')} |")
    return "\n".join(lines)


def paired(results: list[dict], ours: str = "cop fitted (evidence)", k: int = 10, against: tuple[str, ...] = ()) -> str:
    """Paired comparison on the rolling cut-offs: per cut-off, hits in the top ``k`` of ``ours`` minus those of a baseline.

    Against the best required baseline of the history (chosen after the fact by its mean, which favours the
    baseline) and against each other required baseline: the total difference in hits, wins / losses / ties over
    the cut-offs, the exact two-sided sign-test p-value (ties left out), and a 95 % percentile bootstrap interval of
    the mean difference per cut-off (:data:`BOOT` resamples of the cut-offs, the same seed for every row; optimistic, since
    overlapping test periods make the cut-offs dependent).  ``against`` names other methods to compare with
    instead of the baselines (e.g. the fit before a change).  For the methods of :data:`TRACKED` (``k`` = 10), also
    the *distinct* new ties found: a tie that forms within three overlapping test periods is a hit at each of their
    cut-offs, so the hits count some ties up to three times (:func:`distinct_hits`).
    """
    from scipy.stats import binomtest

    metric = f"precision@{k}"
    lines = [f"\npaired, {ours} minus baseline, hits in the top {k} per cut-off (rolling cut-offs)\n",
             "| history | baseline | cut-offs | hits ours | hits baseline | difference | wins / losses / ties | sign test p | "
             "bootstrap 95 % of mean difference per cut-off | distinct new ties found, ours / baseline |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        cuts = r["cuts"]
        if not cuts:
            continue
        base_names = [b for b in (against or REQUIRED) if b in r["mean"]]
        best = max(base_names, key=lambda b: r["mean"][b][metric])
        for b in [best] + [x for x in base_names if x != best and x != "random"]:
            d = np.array([(c["methods"][ours][metric] - c["methods"][b][metric]) * k for c in cuts])
            ho = sum(c["methods"][ours][metric] * k for c in cuts)
            hb = sum(c["methods"][b][metric] * k for c in cuts)
            w, lo_, t_ = int((d > 0).sum()), int((d < 0).sum()), int((d == 0).sum())
            p = binomtest(w, w + lo_).pvalue if w + lo_ else 1.0
            rng = np.random.default_rng(SEED)  # the same resamples for every row, whichever histories are run
            boot = d[rng.integers(0, len(d), (BOOT, len(d)))].mean(axis=1)
            ci = np.percentile(boot, [2.5, 97.5])
            tag = f"{b} (best)" if b == best and not against else b
            do, db = distinct_hits(cuts, ours), distinct_hits(cuts, b)
            dist = f"{do} / {db}" if k == 10 and do is not None and db is not None else ""
            lines.append(f"| {r['history']} | {tag} | {len(d)} | {ho:.0f} | {hb:.0f} | {ho - hb:+.0f} | {w} / {lo_} / {t_} | "
                         f"{p:.2f} | [{ci[0]:+.2f}, {ci[1]:+.2f}] | {dist} |")
    return "\n".join(lines)


def distinct_hits(cuts: list[dict], method: str) -> int | None:
    """Distinct pairs among the hits in ``method``'s top 10 over the cut-offs (``None`` when not tracked).

    >>> distinct_hits([{"top10_hits": {"m": ["a|b", "c|d"]}}, {"top10_hits": {"m": ["a|b"]}}], "m")
    2
    """
    if any(method not in c.get("top10_hits", {}) for c in cuts):
        return None
    return len({p for c in cuts for p in c["top10_hits"][method]})


def diagnosis(results: list[dict], ours: str = "cop fitted (evidence)", recurring: int = 5) -> str:
    """Where cop's top 10 and the graph baselines' differ, per history with a fit (docs/matchmaking.md).

    Per method of :data:`TRACKED`: suggestions over the rolling cut-offs, distinct pairs among them, hits and
    distinct new ties found; the pairs in ``ours``' top 10 at ``recurring`` cut-offs or more (how often, how
    often a hit, how often in common neighbours' top 10); and the range of each scaled evidence component over
    ``ours``' top 10 (median over the cut-offs of min and max): a component whose range is narrow there cannot
    reorder the top, whatever its weight.
    """
    lines = []
    for r in results:
        cuts = [c for c in r["cuts"] if c.get("fitted")]
        if not cuts or any("top10" not in c for c in cuts):
            continue
        lines.append(f"\n### diagnosis: {r['history']} ({len(cuts)} fitted cut-offs with a new tie)\n")
        lines.append("| method | suggestions | distinct pairs | hits | distinct new ties found |")
        lines.append("|---|---|---|---|---|")
        for m in TRACKED:
            tops = [p for c in cuts for p in c["top10"].get(m, [])]
            hits = [p for c in cuts for p in c["top10_hits"].get(m, [])]
            lines.append(f"| {m} | {len(tops)} | {len(set(tops))} | {len(hits)} | {len(set(hits))} |")
        seen: dict[str, list[int]] = {}
        for c in cuts:
            cn = set(c["top10"].get("common neighbours", []))
            hit = set(c["top10_hits"][ours])
            for p in c["top10"][ours]:
                v = seen.setdefault(p, [0, 0, 0])
                v[0] += 1
                v[1] += p in hit
                v[2] += p in cn
        rec = sorted(((v, p) for p, v in seen.items() if v[0] >= recurring), key=lambda x: (-x[0][0], x[1]))
        if rec:
            lines.append(f"\npairs in the top 10 of {ours} at {recurring} cut-offs or more: " + "; ".join(
                f"{p.replace('|', '-')} {v[0]} times ({v[1]} a hit; in CN's top 10 {v[2]} times)" for v, p in rec))
        spread = {comp: (float(np.median([c["top10_spread"][comp][0] for c in cuts])),
                         float(np.median([c["top10_spread"][comp][1] for c in cuts])))
                  for comp in cuts[0]["top10_spread"] if all(comp in c["top10_spread"] for c in cuts)}
        lines.append("\nscaled components over the top 10 of " + ours + " (median min - max over the cut-offs): " + "; ".join(
            f"{comp} {lo:.3f} - {hi:.3f}" for comp, (lo, hi) in spread.items()))
        lines.append("\nfitted weights per cut-off: " + " | ".join(
            ", ".join(f"{k} {v:.2f}" for k, v in c["weights"].items() if v > 0) for c in cuts))
        if any(c.get("extra_scales") for c in cuts):
            lines.append("\nwider scales per cut-off (component, half-point: weight): " + " | ".join(
                ", ".join(f"{x[0]} {x[1]:g}: {x[2]:.2f}" for x in c.get("extra_scales") or []) for c in cuts))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", default=list(HISTORIES))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--design", choices=("rolling", "old"), default="rolling",
                    help="rolling: the cut-offs of ROLLING (the original five among them, also reported); old: CUTS only")
    ap.add_argument("--variants", action="store_true",
                    help="also the variants measured and not adopted (other fits, weighted proximity)")
    args = ap.parse_args(argv)
    results = []
    for name in args.names:
        r = evaluate(name, ROLLING if args.design == "rolling" else CUTS, args.variants)
        print(f"{name}: {r['seconds']} s", file=sys.stderr)
        results.append(r)
    print(markdown(results))
    for design in ("old_mean", "mean"):
        for ours in ("cop fitted (evidence)", "cop fitted (final)", "cop fitted, community scale (evidence)",
                     "cop fitted, community scale (final)", "cop rule (evidence)", "cop rule (final)"):
            print(verdict(results, ours, design=design))
    print(verdict(results, "cop fitted (evidence)", "auc"))
    for ours in ("cop fitted (evidence)", "cop fitted (final)"):
        print(paired(results, ours))
    print(paired(results, "cop fitted, community scale (evidence)", against=("cop fitted (evidence)",)))
    print(paired(results, "cop fitted, community scale (final)", against=("cop fitted (final)",)))
    for o in OBJECTIVES:
        for kind in ("evidence", "final"):
            print(verdict(results, f"cop fitted, {o} ({kind})"))
            print(paired(results, f"cop fitted, {o} ({kind})"))
            print(paired(results, f"cop fitted, {o} ({kind})", against=(f"cop fitted ({kind})",)))
    if args.variants:
        for kind in ("evidence", "final"):
            print(paired(results, f"cop fitted ({kind})", against=(f"variant: cop fitted, one scale per count ({kind})",)))
    print(diagnosis(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
