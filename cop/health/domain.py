"""Design for evolution: change of topics over time and the coherence of the domain.

References: Wenger, McDermott & Snyder (2002) — design for evolution; the
domain gives a community its identity; coworking interviews — themed spaces make
the domain clearer.  *Topic drift* is the Jensen-Shannon divergence (base 2, in
[0, 1]) between the topic mix of participations in the window and in the year
before it: 0.05-0.4 healthy (evolving), 0.02-0.6 watch.  *Domain coherence* is
the Herfindahl concentration of participations over topics (1/K for an even
spread over K topics, 1 for a single topic): >= 0.25 healthy, 0.15-0.25 watch.

Examples
--------
>>> import cop
>>> from cop.health import HealthContext
>>> domain_coherence(HealthContext.from_log(cop.load_example())).value > 0
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop.health._base import HealthContext, Indicator, grade, unavailable
from cop.kernel import DAY_NS

__all__ = ["topic_drift", "domain_coherence", "topic_mix", "js_divergence"]

_P = "design_for_evolution"


def topic_mix(ctx: HealthContext, lo: int, hi: int) -> pd.Series:
    """Participations per topic in ``[lo, hi)`` (a tagged activity splits each participation over its tags)."""
    topics = ctx.topics()
    p = ctx.prep
    c = p.cols(lo, hi)
    if topics is None or c.stop == c.start:
        return pd.Series(dtype=np.float64)
    sizes = np.diff(p.Bbin.indptr)[c.start:c.stop]
    acc: dict[str, float] = {}
    for lst, n in zip(topics.iloc[c], sizes):
        for t in lst:
            acc[t] = acc.get(t, 0.0) + n / len(lst)
    return pd.Series(acc, dtype=np.float64).sort_index()


def js_divergence(p: pd.Series, q: pd.Series) -> float:
    """Jensen-Shannon divergence (base 2) of two non-negative weightings.

    Examples
    --------
    >>> js_divergence(pd.Series({"a": 1.0}), pd.Series({"b": 1.0}))
    1.0
    """
    idx = p.index.union(q.index)
    a = p.reindex(idx, fill_value=0).to_numpy(dtype=np.float64)
    b = q.reindex(idx, fill_value=0).to_numpy(dtype=np.float64)
    a, b = a / a.sum(), b / b.sum()
    m = (a + b) / 2

    def kl(x: np.ndarray, y: np.ndarray) -> float:
        nz = x > 0
        return float((x[nz] * np.log2(x[nz] / y[nz])).sum())

    return 0.5 * kl(a, m) + 0.5 * kl(b, m)


def topic_drift(ctx: HealthContext) -> Indicator:
    """Jensen-Shannon divergence between the window's topic mix and the previous year's."""
    name, itv = "topic_drift", ["theme", "external_speakers"]
    ref = "Jensen-Shannon divergence of the topic mix against the previous year: 0.05-0.4 healthy, 0.02-0.6 watch"
    if ctx.topics() is None:
        return unavailable(name, _P, "the data has no topics", itv, ref)
    now = topic_mix(ctx, ctx.lo, ctx.hi)
    before = topic_mix(ctx, ctx.lo - 365 * DAY_NS, ctx.lo)
    if now.sum() == 0 or before.sum() == 0:
        return unavailable(name, _P, "no topical activity in the window or the year before", itv, ref)
    v = js_divergence(now, before)
    top_now = now.idxmax()
    st = grade(v, healthy=(0.05, 0.4), watch=(0.02, 0.6))
    msg = {"healthy": f"The domain is evolving (now led by '{top_now}') without losing its thread.",
           "watch": "The topics have " + ("barely changed in a year: the domain may be going stale." if v < 0.05 else f"shifted a lot in a year (now '{top_now}')."),
           "critical": "The topics have " + ("not moved at all in a year." if v < 0.05 else f"changed almost completely in a year (now '{top_now}'): the domain is unstable.")}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)


def domain_coherence(ctx: HealthContext) -> Indicator:
    """Herfindahl concentration of the window's participation over topics."""
    name, itv = "domain_coherence", ["theme"]
    ref = "Herfindahl index of participation over topics: >= 0.25 healthy, 0.15-0.25 watch, < 0.15 critical"
    if ctx.topics() is None:
        return unavailable(name, _P, "the data has no topics", itv, ref)
    mix = topic_mix(ctx, ctx.lo, ctx.hi)
    if mix.sum() == 0:
        return unavailable(name, _P, "no topical activity in the window", itv, ref)
    s = mix / mix.sum()
    v = float((s ** 2).sum())
    st = grade(v, healthy=(0.25, 1.0), watch=(0.15, 0.25))
    lead = ", ".join(s.sort_values(ascending=False).index[:2])
    msg = {"healthy": f"Participation concentrates on shared themes ({lead}).",
           "watch": f"Participation is spread over many themes (leading: {lead}); the domain is blurry.",
           "critical": "Participation is spread evenly over unrelated themes: there is no shared domain."}[st]
    return Indicator(name, v, st, _P, msg, itv, ref)
