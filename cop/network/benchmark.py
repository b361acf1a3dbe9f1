"""Benchmarking: each space's key indicators beside the network's distribution.

One row per space and indicator: the space's value, the network's quartiles
(25th, 50th, 75th percentile of the spaces that have a value, linear
interpolation) and the space's quartile: 1 at or below the 25th percentile, 2
at or below the median, 3 at or below the 75th percentile, else 4; and its
rank (1 = highest value, ties share the better rank).  Where every space has
the same value there is no quartile or rank (``None``).  Whether a
high value is good depends on the indicator (its ``status`` says how the
space's own diagnosis reads it); a quartile is a position, not a verdict.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"space": list("abcd"), "indicator": ["x"] * 4, "value": [1.0, 2.0, 3.0, 4.0], "status": None})
>>> benchmark_table(rows)[["space", "quartile", "rank"]].values.tolist()
[['a', 1, 4], ['b', 2, 3], ['c', 3, 2], ['d', 4, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["benchmark_table", "BENCHMARK_COLUMNS", "NETWORK_INDICATORS"]

BENCHMARK_COLUMNS = ["space", "indicator", "value", "status", "network_q1", "network_median", "network_q3", "quartile",
                     "rank", "n_spaces"]

#: Indicators of a space's place in the network (from :mod:`cop.network.links`), benchmarked with its health indicators.
NETWORK_INDICATORS = {
    "people": "people taking part in the space in the window",
    "participations_per_person": "participations per person taking part",
    "visitor_share": "share of the space's participations made by visitors from other spaces",
    "shared_people_share": "share of the space's people who also take part in another space",
    "ties_across_share": "share of the ties of the space's home members that reach other spaces",
}


def benchmark_table(values: pd.DataFrame) -> pd.DataFrame:
    """Quartiles of each indicator over the spaces, and each space's quartile and rank (1 = highest value).

    ``values`` has columns ``space, indicator, value, status`` (``value`` NaN
    where a space has none; such rows keep no quartile).

    Examples
    --------
    >>> import pandas as pd
    >>> values = pd.DataFrame({"space": ["a", "b", "c", "d"], "indicator": ["core_share"] * 4,
    ...                        "value": [0.1, 0.2, 0.3, 0.4], "status": [None] * 4})
    >>> t = benchmark_table(values)
    >>> t["quartile"].tolist(), t["rank"].tolist(), float(t["network_median"].iloc[0])
    ([1, 2, 3, 4], [4, 3, 2, 1], 0.25)
    """
    if values.empty:
        return pd.DataFrame(columns=BENCHMARK_COLUMNS)
    v = pd.to_numeric(values["value"], errors="coerce").to_numpy(dtype=float)
    key = pd.factorize(values["indicator"], sort=False)[0]
    n = len(v)
    q1, med, q3 = (np.full(n, np.nan) for _ in range(3))
    quart = np.full(n, None, dtype=object)
    rank = np.full(n, None, dtype=object)
    count = np.zeros(n, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(key.max() + 2))
    for k in range(len(bounds) - 1):
        idx = order[bounds[k]:bounds[k + 1]]
        x = v[idx]
        ok = np.isfinite(x)
        count[idx] = int(ok.sum())
        if not ok.any():
            continue
        a, b, c = np.percentile(x[ok], [25, 50, 75])
        q1[idx], med[idx], q3[idx] = a, b, c
        good = idx[ok]
        if x[ok].min() == x[ok].max():
            continue  # every space alike: no position to give
        xs = v[good]
        quart[good] = np.where(xs <= a, 1, np.where(xs <= b, 2, np.where(xs <= c, 3, 4))).tolist()
        rank[good] = (1 + (xs[None, :] > xs[:, None]).sum(axis=1)).tolist()  # 1 = highest; ties share the best rank
    return pd.DataFrame({
        "space": values["space"].to_numpy(dtype=object), "indicator": values["indicator"].to_numpy(dtype=object),
        "value": v, "status": pd.Series(values["status"].to_numpy(dtype=object), dtype=object),
        "network_q1": q1, "network_median": med, "network_q3": q3, "quartile": pd.Series(quart, dtype=object),
        "rank": pd.Series(rank, dtype=object), "n_spaces": count,
    }, columns=BENCHMARK_COLUMNS)
