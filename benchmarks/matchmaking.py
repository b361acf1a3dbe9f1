"""Temporal link prediction: do cop's introductions predict the ties that then form?

For each real history of ``tests/fixtures/validation/`` (loaded as
``benchmarks/validation/run_validation.py`` does) and each of three cut-offs
at 50 %, 65 % and 80 % of its time span:

1. keep the log before the cut (``log.window(end=cut)``) and build the
   matchmaking arrays with ``cop.match.MatchData.from_log(..., as_of=cut)``
   (cop's defaults: timescale window, ``min_tie`` 0.25);
2. the *candidate universe* is every pair of people eligible at the cut (current
   members, as cop's suggestions require) who are not tied yet;
3. the *positives* are those pairs that become tied in the following period
   (15 % of the time span after the cut): their accumulated tie weight (the
   kernel's rule, ``min_tie`` 0.25) reaches the threshold by its end;
4. every method scores every pair of the universe; ties in a score are broken
   by one seeded random order shared by all methods; we report precision@10,
   precision@100, recall@100 and the AUC (Mann-Whitney, exact) — each the
   mean over the three cut-offs.

Methods, all measured in the same run on the same pairs:

* ``cop`` — the default score (``cop.match.DEFAULT_WEIGHTS``, the documented
  rule of :mod:`cop.match.ranking`, not fitted to any history), with
  colleagues allowed (in highschool and workplace the "organization" is the
  class or department, where most ties form);
* ``cop fit`` — the same without the two normative components (bridging,
  priority), to show what they cost in prediction;
* ``cop (candidates only)`` — the same score, pairs outside the candidate
  generation of :mod:`cop.match.candidates` ranked last (what ``cop match``
  can suggest);
* baselines: ``random``, ``common neighbours``, ``Adamic-Adar`` (all
  acquaintances counted), ``topic similarity`` (cosine of topic profiles;
  histories with topics), ``same group`` (the profile tag of the members
  table: class or department; histories with one), and, beyond those asked
  for, ``preferential attachment`` (product of degrees) as a known strong
  predictor.

Usage::

    python benchmarks/matchmaking.py                 # all histories, markdown table
    python benchmarks/matchmaking.py davis workplace --json out.json
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
from cop.kernel import Prepared  # noqa: E402
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


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(score).rank(method="average").to_numpy()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def metrics(score: np.ndarray, positive: np.ndarray, tiebreak: np.ndarray) -> dict[str, float]:
    order = np.lexsort((tiebreak, -score))
    hits = positive[order]
    out = {f"precision@{k}": float(hits[:k].mean()) for k in KS}
    for k in KS:
        out[f"recall@{k}"] = float(hits[:k].sum() / max(positive.sum(), 1))
    out["auc"] = auc(score, positive)
    return out


def one_cut(log: cop.ActivityLog, frac: float) -> dict | None:
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
        # the fit before the community's own half-points (the rule's scale): the "before" of the same run
        fw_fixed = fit_weights(past, as_of=cut, period=period_days, prepared=prep, data_now=data, scale="fixed")
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
    methods["cop fitted, fixed scale (evidence)"], _ = score_signals(sig_all, replace(fw_fixed.weights, **no_norm), available=avail)
    methods["cop fitted, fixed scale (final)"], _ = score_signals(sig_all, fw_fixed.weights, available=avail)
    methods["cop rule (evidence)"], _ = score_signals(sig_all, replace(DEFAULT_WEIGHTS, **no_norm), available=avail)
    methods["cop rule (final)"], _ = score_signals(sig_all, DEFAULT_WEIGHTS, available=avail)
    ci, cj, _ = candidate_signals(data, people, include_colleagues=True)
    cand = np.isin(keys, np.minimum(ci, cj) * n + np.maximum(ci, cj))
    methods["cop fitted (evidence, candidates only)"] = np.where(cand, methods["cop fitted (evidence)"], -1.0)
    methods["random"] = rng.random(len(ii))
    full = pair_signals(data, ii, jj, max_pivot_degree=10**9)
    methods["common neighbours"] = full["common_neighbours"]
    methods["Adamic-Adar"] = full["adamic_adar"]
    if data.has_topics:
        methods["topic similarity"] = full["shared_topics"]
    org = data.organization
    if (org >= 0).any():
        methods["same group"] = ((org[ii] >= 0) & (org[ii] == org[jj])).astype(np.float64)
    deg = data.degree.astype(np.float64)
    methods["preferential attachment"] = deg[ii] * deg[jj]
    return {
        "cut": f"{cut:%Y-%m-%d %H:%M}", "pairs": int(len(ii)), "positives": int(positive.sum()),
        "candidates": int(cand.sum()), "positives_in_candidates": int((cand & positive).sum()),
        "fitted": fw.fitted, "past_ties": fw.past_ties, "fit": fw.note,
        "weights": {c: round(getattr(fw.weights, c), 3) for c in EVIDENCE},
        "half_points": dict(fw.weights.half_points),
        "weights_fixed_scale": {c: round(getattr(fw_fixed.weights, c), 3) for c in EVIDENCE},
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


def evaluate(name: str, fracs: tuple[float, ...] = ROLLING) -> dict:
    """Every cut-off of ``fracs``; ``mean``/``sd`` over the cut-offs with a new tie, and the same for the
    original design's cut-offs (:data:`CUTS`) among them (``old_mean``/``old_sd``)."""
    log, _ = load_history(name)
    t = time.perf_counter()
    every = []
    for f in fracs:
        r = one_cut(log, f)
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
    the mean difference per cut-off (:data:`BOOT` seeded resamples of the cut-offs; optimistic, since
    overlapping test periods make the cut-offs dependent).  ``against`` names other methods to compare with
    instead of the baselines (e.g. the fit before a change).
    """
    from scipy.stats import binomtest

    metric = f"precision@{k}"
    lines = [f"\npaired, {ours} minus baseline, hits in the top {k} per cut-off (rolling cut-offs)\n",
             "| history | baseline | cut-offs | hits ours | hits baseline | difference | wins / losses / ties | sign test p | "
             "bootstrap 95 % of mean difference per cut-off |", "|---|---|---|---|---|---|---|---|---|"]
    rng = np.random.default_rng(SEED)
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
            boot = d[rng.integers(0, len(d), (BOOT, len(d)))].mean(axis=1)
            ci = np.percentile(boot, [2.5, 97.5])
            tag = f"{b} (best)" if b == best and not against else b
            lines.append(f"| {r['history']} | {tag} | {len(d)} | {ho:.0f} | {hb:.0f} | {ho - hb:+.0f} | {w} / {lo_} / {t_} | "
                         f"{p:.2f} | [{ci[0]:+.2f}, {ci[1]:+.2f}] |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", default=list(HISTORIES))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--design", choices=("rolling", "old"), default="rolling",
                    help="rolling: the cut-offs of ROLLING (the original five among them, also reported); old: CUTS only")
    args = ap.parse_args(argv)
    results = []
    for name in args.names:
        r = evaluate(name, ROLLING if args.design == "rolling" else CUTS)
        print(f"{name}: {r['seconds']} s", file=sys.stderr)
        results.append(r)
    print(markdown(results))
    for design in ("old_mean", "mean"):
        for ours in ("cop fitted (evidence)", "cop fitted (final)", "cop fitted, fixed scale (evidence)",
                     "cop fitted, fixed scale (final)", "cop rule (evidence)", "cop rule (final)"):
            print(verdict(results, ours, design=design))
    print(verdict(results, "cop fitted (evidence)", "auc"))
    for ours in ("cop fitted (evidence)", "cop fitted (final)"):
        print(paired(results, ours))
    print(paired(results, "cop fitted (evidence)", against=("cop fitted, fixed scale (evidence)",)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
