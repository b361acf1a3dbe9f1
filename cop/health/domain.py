"""Design for evolution: change of topics over time and the coherence of the domain.

References: Wenger, McDermott & Snyder (2002) — design for evolution; the
domain gives a community its identity; coworking interviews — themed spaces make
the domain clearer.  *Topic drift* is the Jensen-Shannon divergence (base 2, in
[0, 1]) between the topic mix of participations in the window and in the year
before it (healthy while evolving, neither frozen nor unstable).  *Domain
coherence* is the Herfindahl concentration of participations over topics (1/K
for an even spread over K topics, 1 for a single topic).  The ranges are
declared with each indicator (see ``docs/indicators.md``).

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

from cop.health._base import YEAR_DAYS, HealthContext
from cop.health.declaration import Reading, indicator, not_available
from cop.kernel import DAY_NS

__all__ = ["topic_drift", "domain_coherence", "topic_mix", "js_divergence"]

_P = "design_for_evolution"
_SOURCE = "Wenger, McDermott & Snyder (2002) design for evolution; coworking interviews (themed spaces)"


def topic_mix(ctx: HealthContext, lo: int, hi: int) -> pd.Series:
    """Participations per topic in ``[lo, hi)`` (a tagged activity splits each participation over its tags)."""
    topics = ctx.topics()
    p = ctx.prep
    c = p.incidence.columns(lo, hi)
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


@indicator(principle=_P, unit="Jensen-Shannon divergence (bits)", healthy=(0.05, 0.4), watch=(0.02, 0.6),
           reference="Jensen-Shannon divergence of the topic mix against the previous year: {healthy} healthy, {watch} watch",
           source=_SOURCE, interventions=("theme", "external_speakers"), requires=("topics",))
def topic_drift(ctx: HealthContext) -> Reading:
    """Jensen-Shannon divergence between the window's topic mix and the previous year's.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = topic_drift(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('watch', 0.041)
    """
    now = topic_mix(ctx, ctx.lo, ctx.hi)
    before = topic_mix(ctx, ctx.lo - YEAR_DAYS * DAY_NS, ctx.lo)
    if now.sum() == 0 or before.sum() == 0:
        return not_available("no topical activity in the window or the year before")
    v = js_divergence(now, before)
    top = now.idxmax()
    return Reading(v, {"healthy": f"The domain is evolving (now led by '{top}') without losing its thread.",
                       "watch_low": "The topics have barely changed in a year: the domain may be going stale.",
                       "watch_high": f"The topics have shifted a lot in a year (now '{top}').",
                       "critical_low": "The topics have not moved at all in a year.",
                       "critical_high": f"The topics have changed almost completely in a year (now '{top}'): the domain is unstable."},
                   # too little change: outside perspectives first; too much: a clear theme first (the declared order)
                   by_side={"low": ("external_speakers", "theme")})


@indicator(principle=_P, unit="Herfindahl index", healthy=(0.25, np.inf), watch=(0.15, 0.25),
           reference="Herfindahl index of participation over topics: {healthy} healthy, {watch} watch, {critical} critical",
           source=_SOURCE, interventions=("theme",), requires=("topics",))
def domain_coherence(ctx: HealthContext) -> Reading:
    """Herfindahl concentration of the window's participation over topics.

    Examples
    --------
    >>> import cop
    >>> from cop.health import HealthContext
    >>> r = domain_coherence(HealthContext.from_log(cop.load_example()))
    >>> r.status, round(r.value, 3)
    ('healthy', 0.424)
    """
    mix = topic_mix(ctx, ctx.lo, ctx.hi)
    if mix.sum() == 0:
        return not_available("no topical activity in the window")
    s = mix / mix.sum()
    v = float((s ** 2).sum())
    lead = ", ".join(s.sort_values(ascending=False).index[:2])
    return Reading(v, {"healthy": f"Participation concentrates on shared themes ({lead}).",
                       "watch": f"Participation is spread over many themes (leading: {lead}); the domain is blurry.",
                       "critical": "Participation is spread evenly over unrelated themes: there is no shared domain."})
