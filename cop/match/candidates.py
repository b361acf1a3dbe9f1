"""Candidate pairs: who could be introduced to whom, generated from sparse products (never all pairs).

For each target person ``i`` (in blocks of rows) the candidates ``j`` are the
people who

* share an acquaintance with ``i`` (two steps in the tie graph, through
  acquaintances with at most ``max_pivot_degree`` ties),
* took part in one of ``i``'s activities (2 to ``max_group_size`` people),
* were in the space on one of ``i``'s days,
* are among the ``hubs`` most active people of one of ``i``'s topics, or
  among the ``hubs`` first listed people with one of ``i``'s declared
  interests or skills, or offering a skill ``i`` needs,

keeping at most ``max_candidates`` per person (default
:data:`MAX_CANDIDATES`, those with the best cheap pre-score: acquaintances,
activities and days in common; a topic or tag hub counts
:data:`HUB_PRESCORE`), and then pass the rules: not ``i``, not already tied to ``i``, eligible
(:attr:`MatchData.eligible`: current, a member, not opted out), not in
``i``'s organization unless ``include_colleagues``, not an excluded pair.
``all_pairs=True`` takes every eligible person instead (the brute-force
reference of the benchmarks).

Examples
--------
>>> import numpy as np, scipy.sparse as sp
>>> from cop.match.data import MatchData
>>> ties = sp.csr_array(np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]))  # path 0-1-2, 3 alone
>>> i, j, sig = candidate_signals(MatchData.from_arrays(ties), np.array([0, 3]))
>>> list(zip(i.tolist(), j.tolist()))                # 0 and 2 share 1; 3 shares nothing with anyone
[(0, 2)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import scipy.sparse as sp

from cop.match.data import MatchData
from cop.match.ranking import top_per_member
from cop.match.signals import COMPONENTS, MAX_PIVOT_DEGREE, PRESCORE_HALF_POINTS, RowBlock, _shared

__all__ = ["candidate_signals", "hub_matrix", "TOPIC_HUBS", "MAX_CANDIDATES", "HUB_PRESCORE", "pair_keys"]

#: Most candidates scored per person: those with the best pre-score (:meth:`cop.match.signals.RowBlock.pattern`).
MAX_CANDIDATES = 100
#: Pre-score of a candidate found only as a hub of a shared topic or declared tag.
HUB_PRESCORE = 0.25
#: Most active people per topic (and first listed per declared tag) offered as candidates to everyone with it.
TOPIC_HUBS = 30


def pair_keys(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Flat keys ``i * n + j`` of ordered pairs (int64).

    Examples
    --------
    >>> import numpy as np
    >>> pair_keys(np.array([0, 1]), np.array([5, 9]), 10).tolist()
    [5, 19]
    """
    return np.asarray(i, dtype=np.int64) * n + np.asarray(j, dtype=np.int64)


def hub_matrix(m: sp.csr_array, eligible: np.ndarray, k: int) -> sp.csr_array:
    """``n x columns`` binary matrix: for each column, its ``k`` eligible people with the largest values.

    Examples
    --------
    >>> m = sp.csr_array(np.array([[3, 0], [1, 2], [2, 5], [9, 9]]))
    >>> hub_matrix(m, np.array([True, True, True, False]), 2).toarray().astype(int).tolist()
    [[1, 0], [0, 1], [1, 1], [0, 0]]
    """
    csc = sp.csc_array(m)
    rows, cols = [], []
    for c in range(csc.shape[1]):
        lo, hi = csc.indptr[c], csc.indptr[c + 1]
        r = csc.indices[lo:hi]
        v = csc.data[lo:hi]
        keep = eligible[r] & (v > 0)
        r, v = r[keep], v[keep]
        if len(r) > k:
            top = np.lexsort((r, -v))[:k]
            r = r[top]
        rows.append(r)
        cols.append(np.full(len(r), c))
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    return sp.csr_array((np.ones(len(r)), (r, c)), shape=m.shape)


def _prescore(fields: dict[str, np.ndarray]) -> np.ndarray:
    """The pre-score of :meth:`RowBlock.pattern` from the unpacked counts (same sums, same order)."""
    h = PRESCORE_HALF_POINTS
    cn, ev, pr = fields["cn"], fields["ev"], fields["pr"]
    pre = cn / (cn + h["common_neighbours"])      # 0 where the count is 0, as a pair absent from a matrix
    pre += ev / (ev + h["shared_events"])
    pre += pr / (pr + h["co_presence"])
    for k in range(int(fields["hub"].max()) if len(pre) else 0):
        pre += np.where(fields["hub"] > k, HUB_PRESCORE, 0.0)
    return pre


def top_positions(li: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """``np.sort(top_per_member(li, li, score, k))`` for ``li`` sorted ascending, without a stable sort.

    An element is kept when fewer than ``k`` elements of its row have a smaller
    sort key (``top_per_member``'s key: row, then score descending), counting
    equal keys earlier in the input as smaller: exactly the stable sort's top
    ``k``, from one unstable sort and a pass over the elements tied with each
    row's ``k``-th key.

    Examples
    --------
    >>> top_positions(np.array([0, 0, 0, 1]), np.array([0.5, 0.9, 0.5, 0.2]), 2).tolist()
    [0, 1, 3]
    """
    li = np.asarray(li)
    n = len(li)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if np.any(li[1:] < li[:-1]):
        return np.sort(top_per_member(li, li, score, k))
    s = np.asarray(score, dtype=np.float64)
    hi, lo = float(s.max()), float(s.min())
    frac = (hi - s) / ((hi - lo) * 1.000001) if hi > lo else np.zeros(n)
    key = li.astype(np.float64) + frac * 0.999
    start = np.r_[0, np.flatnonzero(li[1:] != li[:-1]) + 1]
    count = np.diff(np.r_[start, n])
    if not (count > k).any():
        return np.arange(n, dtype=np.int64)
    sk = np.sort(key)                                  # rows stay contiguous: row r's keys lie in [r, r + 1)
    row = np.repeat(np.arange(len(start)), count)
    bound = np.where(count > k, sk[start + np.minimum(count, k) - 1], np.inf)
    b = bound[row]
    keep = key < b
    eq = np.flatnonzero(key == b)                      # in input order: earlier equal keys first
    if len(eq):
        r = row[eq]
        less = np.searchsorted(sk, b[eq], side="left") - start[r]   # elements of the row below its bound
        first = np.r_[0, np.flatnonzero(r[1:] != r[:-1]) + 1]
        rank = np.arange(len(eq)) - np.repeat(first, np.diff(np.r_[first, len(eq)]))
        keep[eq[rank < (k - less)]] = True
    return np.flatnonzero(keep).astype(np.int64)


_COUNT_FROM = 1 << 16  # pairs in a block from which counting beats one sort


def _top_prescore(li: np.ndarray, fields: dict[str, np.ndarray], k: int) -> np.ndarray:
    """``top_positions(li, _prescore(fields), k)`` without a sort of the pairs.

    The pre-score is a function of the small whole counts ``cn, ev, pr, hub``:
    it is computed once per distinct combination (the same arithmetic, so the
    same floats), and so is :func:`top_positions`' sort key for each (row,
    value) — values that round to one key in a row are one rank there.  Each
    row's top ``k`` is then read from a histogram of (row, rank): the ranks
    below the row's ``k``-th, then the first of those equal to it in input
    order, exactly what :func:`top_positions` keeps.  Falls back to it when the
    combinations or (rows x values) are too many, and for fewer than
    ``_COUNT_FROM`` pairs (one sort is cheaper there).
    """
    n = len(li)
    if n < _COUNT_FROM:
        return top_positions(li, _prescore(fields), k)
    names = ("cn", "ev", "pr", "hub")
    counts = [fields[f] for f in names]                     # whole numbers stored as floats
    tops = [int(c.max()) + 1 for c in counts]
    combos = int(np.prod(tops, dtype=np.float64))
    rows = int(li[-1]) + 1 if np.all(li[1:] >= li[:-1]) else 0
    if rows == 0 or combos > 1 << 52 or any(float(c.min()) < 0 for c in counts):
        return top_positions(li, _prescore(fields), k)
    code = counts[0].copy()                                 # mixed radix, exact in float64 below 2**53
    for c, t in zip(counts[1:], tops[1:]):
        code *= t
        code += c
    code = code.astype(np.int64)
    if combos <= 2 * n:
        present = np.flatnonzero(np.bincount(code, minlength=combos))
        where = None
    else:                                     # few pairs, many possible combinations: the distinct ones by a sort
        present, where = np.unique(code, return_inverse=True)
    parts, rest = [], present
    for t in tops[::-1]:
        parts.append((rest % t).astype(np.float64))
        rest = rest // t
    pr, ev, cn, hub = parts[1], parts[2], parts[3], parts[0]
    value = _prescore({"cn": cn, "ev": ev, "pr": pr, "hub": hub})       # the pre-score of each combination
    distinct, rank_of = np.unique(-value, return_inverse=True)           # best first
    r_count = len(distinct)
    if rows * r_count > 1 << 24:
        return top_positions(li, _prescore(fields), k)
    hi, lo = float(value.max()), float(value.min())
    frac = (hi + distinct) / ((hi - lo) * 1.000001) if hi > lo else np.zeros(r_count)
    # top_positions' sort key of each (row, value), the same floats: values that round to one key in a row are one rank there
    key = np.arange(rows, dtype=np.float64)[:, None] + (frac * 0.999)[None, :]
    rank_in_row = np.zeros((rows, r_count), dtype=np.int64)
    np.cumsum(key[:, 1:] != key[:, :-1], axis=1, out=rank_in_row[:, 1:])
    if where is None:
        lookup = np.zeros(combos, dtype=np.int64)
        lookup[present] = rank_of
        rank = rank_in_row[li, lookup[code]]
    else:
        rank = rank_in_row[li, rank_of[where]]
    hist = np.bincount(li * r_count + rank, minlength=rows * r_count).reshape(rows, r_count)
    cum = np.cumsum(hist, axis=1)
    over = cum[:, -1] > k
    if not over.any():
        return np.arange(n, dtype=np.int64)
    bound = np.where(over, np.argmax(cum >= k, axis=1), r_count)         # rank of each row's k-th value
    below = np.where(bound > 0, cum[np.arange(rows), np.maximum(bound - 1, 0)], 0)
    b = bound[li]
    keep = rank < b
    eq = np.flatnonzero(rank == b)                                       # in input order
    if len(eq):
        r = li[eq]
        first = np.r_[0, np.flatnonzero(r[1:] != r[:-1]) + 1]
        nth = np.arange(len(eq)) - np.repeat(first, np.diff(np.r_[first, len(eq)]))
        keep[eq[nth < (k - below[r])]] = True
    return np.flatnonzero(keep).astype(np.int64)


def candidate_signals(
    data: MatchData,
    targets: Iterable[int],
    *,
    include_colleagues: bool = False,
    exclude: np.ndarray | None = None,
    hubs: int = TOPIC_HUBS,
    max_pivot_degree: int = MAX_PIVOT_DEGREE,
    block_rows: int = 2048,
    all_pairs: bool = False,
    max_candidates: int | None = MAX_CANDIDATES,
    keep_best: tuple[Callable[[dict[str, np.ndarray]], np.ndarray], int] | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """``(i, j, raw signals)`` of every candidate pair of the ``targets`` (see the module docstring).

    ``exclude`` holds flat keys (:func:`pair_keys`) of ordered pairs never to
    return; give both orders to exclude a pair either way.  ``keep_best=(score,
    k)`` keeps only each target's ``k`` best pairs by ``score(signals)``,
    block by block (a target's pairs are all in its block, so this is exact
    and bounds the memory).

    Examples
    --------
    >>> import cop
    >>> from cop.match import MatchData
    >>> data = MatchData.from_log(cop.load_example())
    >>> i, j, signals = candidate_signals(data, [0, 1])
    >>> len(i), sorted(set(i.tolist())), "common_neighbours" in signals
    (117, [0, 1], True)
    """
    n = data.n
    targets = np.unique(np.asarray(list(targets), dtype=np.int64))
    cache = _shared(data, max_pivot_degree)
    hub_parts = []
    if not all_pairs:
        if data.has_topics:
            tb = sp.csr_array(data.topics > 0, dtype=np.float64)
            hub_parts.append((tb, sp.csr_array(hub_matrix(data.topics, data.eligible, hubs).T)))
        if data.tags is not None and data.tags.nnz:
            hub_parts.append((sp.csr_array(data.tags), sp.csr_array(hub_matrix(data.tags, data.eligible, hubs).T)))
        if data.needs is not None and data.offers is not None and data.needs.nnz and data.offers.nnz:
            hub_parts.append((sp.csr_array(data.needs), sp.csr_array(hub_matrix(data.offers, data.eligible, hubs).T)))
    org = data.organization
    excl = np.unique(exclude) if exclude is not None and len(exclude) else None
    out_i, out_j = [], []
    out_s: dict[str, list[np.ndarray]] = {c: [] for c in COMPONENTS}
    eligible_idx = np.flatnonzero(data.eligible)
    for s in range(0, len(targets), block_rows):
        rows = targets[s:s + block_rows]
        block = RowBlock(data, rows, max_pivot_degree=max_pivot_degree, _cache=cache)
        packed = None
        if all_pairs:
            li = np.repeat(np.arange(len(rows)), len(eligible_idx))
            jj = np.tile(eligible_idx, len(rows))
        else:
            packed = block.packed([(sp.csr_array(left[rows]), hub_t) for left, hub_t in hub_parts])
        if not all_pairs and packed is not None:
            li, jj, fields = packed
            ii = rows[li]
            keep = (ii != jj) & data.eligible[jj] & (fields["tie"] == 0)
            if not include_colleagues:
                keep &= ~((org[ii] >= 0) & (org[ii] == org[jj]))
            if excl is not None:
                k = pair_keys(ii, jj, n)
                pos = np.minimum(np.searchsorted(excl, k), len(excl) - 1)
                keep &= excl[pos] != k
            sel = np.flatnonzero(keep)
            if max_candidates is not None and len(sel):
                sel = sel[_top_prescore(li[sel], {f: v[sel] for f, v in fields.items() if f != "tie"}, max_candidates)]
            li, ii, jj = li[sel], ii[sel], jj[sel]
            fields = {f: v[sel] for f, v in fields.items()}
            vals = block.values_from(li, jj, fields)
        else:
            if not all_pairs:
                pat = block.pattern()
                for left, hub_t in hub_parts:
                    h = sp.csr_array(sp.csr_array(left[rows]) @ hub_t)
                    h.data[:] = HUB_PRESCORE
                    pat = pat + h
                pat = sp.csr_array(pat)
                li = np.repeat(np.arange(len(rows)), np.diff(pat.indptr))
                jj = pat.indices.astype(np.int64)
                pre = pat.data
            ii = rows[li]
            keep = (ii != jj) & data.eligible[jj]
            if not include_colleagues:
                keep &= ~((org[ii] >= 0) & (org[ii] == org[jj]))
            li, ii, jj = li[keep], ii[keep], jj[keep]
            if not all_pairs:
                pre = pre[keep]
            ok = ~block.tied(li, jj)
            if excl is not None:
                k = pair_keys(ii, jj, n)
                pos = np.minimum(np.searchsorted(excl, k), len(excl) - 1)
                ok &= excl[pos] != k
            li, ii, jj = li[ok], ii[ok], jj[ok]
            if not all_pairs and max_candidates is not None and len(li):
                top = top_per_member(li, jj, pre[ok], max_candidates)
                top.sort()
                li, ii, jj = li[top], ii[top], jj[top]
            vals = block.values(li, jj)
        if keep_best is not None and len(li):
            best = top_positions(li, keep_best[0](vals), keep_best[1])
            ii, jj = ii[best], jj[best]
            vals = {c: v[best] for c, v in vals.items()}
        out_i.append(ii)
        out_j.append(jj)
        for c in COMPONENTS:
            out_s[c].append(vals[c])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), {c: np.zeros(0) for c in COMPONENTS}
    return np.concatenate(out_i), np.concatenate(out_j), {c: np.concatenate(v) for c, v in out_s.items()}
