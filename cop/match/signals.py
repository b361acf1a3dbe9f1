"""The signals of a pair: raw values, one array per component, for any pairs of people.

Each component is a documented measure of how much two people have in common
or how much an introduction would add (weights and scaling in
:mod:`cop.match.ranking`):

``shared_events``
    Non-presence activities of 2 to ``max_group_size`` people both took part in
    (events, meetings, threads, reviews) — people who already share a context.
``shared_topics``
    Cosine similarity of the two people's topic profiles (non-presence
    participations per topic tag).
``common_neighbours``, ``adamic_adar``, ``resource_allocation``
    Graph proximity in the tie graph: acquaintances in common, each counted 1,
    ``1/log(degree)`` (Adamic & Adar 2003) or ``1/degree`` (Zhou, Lü & Zhang
    2009).  Acquaintances with more than ``max_pivot_degree`` ties are not
    counted (the contacts of a hub are not each other's; this also bounds the
    work of the two-step product).
``co_presence``
    Days both were in the space (presence activities of two people or more).
``profile``
    Declared profiles (members-table ``interests``, ``skills``, ``needs``):
    the Jaccard overlap of interests and skills, or 1 when one needs what the
    other offers as a skill.
``bridging``
    Half for different (known) organizations, half for being in different
    connected groups of the tie graph (both having ties): an introduction that
    links parts of the community that do not meet.
``priority``
    The larger priority of the two people: 1 for a newcomer without a tie,
    0.75 for another newcomer, 0.5 for a member at the periphery, else 0.

Everything is computed from sparse products of blocks of rows (never all
pairs): :func:`pair_signals` serves any list of pairs, and
:mod:`cop.match.candidates` uses the same blocks to generate the pairs.

Examples
--------
>>> import numpy as np, scipy.sparse as sp
>>> from cop.match.data import MatchData
>>> ties = sp.csr_array(np.array([[0, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]))  # a square 0-1-3-2-0
>>> s = pair_signals(MatchData.from_arrays(ties), np.array([0, 1]), np.array([3, 2]))
>>> s["common_neighbours"].tolist(), s["resource_allocation"].tolist()
([2.0, 2.0], [1.0, 1.0])
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from cop.match.data import MatchData

__all__ = ["COMPONENTS", "MAX_PIVOT_DEGREE", "pair_signals", "RowBlock", "priorities"]

#: The components, in the order of the output columns.
COMPONENTS = ("shared_events", "shared_topics", "common_neighbours", "adamic_adar", "resource_allocation",
              "co_presence", "profile", "bridging", "priority")
#: Acquaintances with more ties than this are not counted as common acquaintances.
MAX_PIVOT_DEGREE = 500

#: Half-points of the candidates' pre-score (as in :data:`cop.match.ranking.HALF_POINTS`).
PRESCORE_HALF_POINTS = {"common_neighbours": 1.0, "shared_events": 1.0, "co_presence": 3.0}

_DENSE_TOPICS = 256  # topic profiles up to this width are compared as dense rows


def priorities(data: MatchData) -> np.ndarray:
    """Priority of each person: 1 newcomer without a tie, 0.75 newcomer, 0.5 peripheral, else 0.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> d = MatchData.from_arrays(sp.csr_array(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]])),
    ...                           newcomer=[True, False, True], peripheral=[False, True, False])
    >>> priorities(d).tolist()
    [0.75, 0.5, 1.0]
    """
    deg = data.degree
    return np.where(data.newcomer, np.where(deg == 0, 1.0, 0.75), np.where(data.peripheral, 0.5, 0.0))


class RowBlock:
    """The sparse products of a block of rows with everyone: the values of every signal for pairs starting there.

    Parameters
    ----------
    data : MatchData
    rows : numpy.ndarray
        Sorted, distinct person indices.
    max_pivot_degree : int
        See :data:`MAX_PIVOT_DEGREE`.
    """

    def __init__(self, data: MatchData, rows: np.ndarray, *, max_pivot_degree: int = MAX_PIVOT_DEGREE,
                 _cache: dict | None = None) -> None:
        self.data, self.rows = data, rows
        cache = _cache if _cache is not None else _shared(data, max_pivot_degree)
        self._c = cache
        a = cache["A"]
        self.left = sp.csr_array(a[rows])
        self.cn = sp.csr_array(self.left @ cache["A_cn"])  # the pattern; AA and RA only for the pairs kept (values)
        self.ev = sp.csr_array(sp.csr_array(data.events[rows]) @ cache["E_T"]) if cache["E_T"] is not None else None
        self.pr = sp.csr_array(sp.csr_array(data.presence[rows]) @ cache["P_T"]) if cache["P_T"] is not None else None

    def pattern(self) -> sp.csr_array:
        """The pairs (block row x person) with any shared acquaintance, activity or day, valued by a cheap pre-score.

        The pre-score is the sum of the scaled counts (:data:`PRESCORE_HALF_POINTS`):
        acquaintances in common, shared activities, shared days.  It is only
        used to keep the most promising candidates of a person
        (:func:`cop.match.candidates.candidate_signals`, ``max_candidates``).
        """
        out = sp.csr_array((len(self.rows), self.data.n))
        for m, h in ((self.cn, PRESCORE_HALF_POINTS["common_neighbours"]), (self.ev, PRESCORE_HALF_POINTS["shared_events"]),
                     (self.pr, PRESCORE_HALF_POINTS["co_presence"])):
            if m is not None and m.nnz:
                t = m.copy()
                t.data = t.data / (t.data + h)
                out = out + t
        return sp.csr_array(out)

    def packed(self, hubs: list[tuple[sp.csr_array, sp.csr_array]] = ()) -> tuple[np.ndarray, np.ndarray, dict] | None:
        """Every pair of the block's union pattern with its exact counts, from one sparse sum (or None).

        The counts (acquaintances in common, shared activities, shared days,
        matching topic / tag hubs) and a tie flag are packed into disjoint
        bit fields of one float64 (exact up to 2**53), so a single sum of the
        sparse matrices aligns them, without a look-up per component.  Pairs
        come sorted by block row, then person.  ``None`` when the counts are
        not whole numbers or do not fit (then use :meth:`pattern`).
        """
        mats = {"cn": self.cn, "ev": self.ev, "pr": self.pr}
        bits = {}
        for name, m in mats.items():
            if m is None or m.nnz == 0:
                bits[name] = 0
                continue
            top = float(m.data.max())
            if not np.all(m.data == np.floor(m.data)) or top < 0:
                return None
            bits[name] = int(top).bit_length()
        hub_mats = []
        for left, hub_t in hubs:
            h = sp.csr_array(left @ hub_t)
            h.data[:] = 1.0
            hub_mats.append(h)
        bits["hub"] = len(hub_mats).bit_length()
        bits["tie"] = 1
        if sum(bits.values()) > 52:
            return None
        shift, at = {}, 0
        for name in ("pr", "ev", "cn", "hub", "tie"):
            shift[name] = at
            at += bits[name]
        total = None
        parts = [(m, shift[k]) for k, m in mats.items() if m is not None and m.nnz]
        parts += [(h, shift["hub"]) for h in hub_mats] + [(self.left, shift["tie"])]
        for m, sh in parts:
            t = m.copy()
            t.data = t.data * float(1 << sh)
            total = t if total is None else total + t
        total = sp.csr_array(total)
        total.sum_duplicates()
        total.sort_indices()
        li = np.repeat(np.arange(len(self.rows)), np.diff(total.indptr))
        jj = total.indices.astype(np.int64)
        v = total.data.astype(np.int64)
        fields = {}
        for name in ("pr", "ev", "cn", "hub", "tie"):
            fields[name] = ((v >> shift[name]) & ((1 << bits[name]) - 1)).astype(np.float64) if bits[name] else np.zeros(len(v))
        return li, jj, fields

    def values_from(self, local: np.ndarray, j: np.ndarray, fields: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Raw signals of the pairs ``(rows[local], j)`` given their unpacked counts (:meth:`packed`).

        Adamic-Adar and resource allocation are summed over the common
        acquaintances of the pairs that have some (``cn > 0``) only.
        """
        i = self.rows[local]
        c = self._c
        aa = np.zeros(len(i))
        ra = np.zeros(len(i))
        some = np.flatnonzero(fields["cn"] > 0)
        if len(some):
            both = sp.csr_array(sp.csr_array(self.left[local[some]]).multiply(sp.csr_array(c["A"][j[some]])))
            aa[some] = both @ c["w_aa"]
            ra[some] = both @ c["w_ra"]
        return signals_for(self.data, i, j, c, lookups={
            "common_neighbours": fields["cn"], "adamic_adar": aa, "resource_allocation": ra,
            "shared_events": fields["ev"], "co_presence": fields["pr"],
        })

    def tied(self, local: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Whether the pairs ``(rows[local], j)`` are already tied."""
        return _lookup(self.left, local, j) > 0

    def values(self, local: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
        """Raw signals of the pairs ``(rows[local], j)``."""
        i = self.rows[local]
        c = self._c
        # acquaintances in common of each pair: the elementwise product of the two rows of the tie graph
        both = sp.csr_array(sp.csr_array(c["A"][i]).multiply(sp.csr_array(c["A"][j])))
        return signals_for(self.data, i, j, c, lookups={
            "common_neighbours": both @ c["w_cn"], "adamic_adar": both @ c["w_aa"],
            "resource_allocation": both @ c["w_ra"], "shared_events": _lookup(self.ev, local, j),
            "co_presence": _lookup(self.pr, local, j),
        })


def _shared(data: MatchData, max_pivot_degree: int) -> dict:
    """Matrices computed once per :class:`MatchData` (the right-hand sides of the products)."""
    a = sp.csr_array(data.ties)
    deg = np.diff(a.indptr).astype(np.float64)
    piv = (deg >= 2) & (deg <= max_pivot_degree)
    inv_log = np.zeros_like(deg)
    inv_log[piv] = 1.0 / np.log(deg[piv])
    inv = np.zeros_like(deg)
    inv[piv] = 1.0 / deg[piv]
    cache = {
        "A": a,
        "A_cn": sp.csr_array(sp.diags_array(piv.astype(np.float64)) @ a),
        "w_cn": piv.astype(np.float64), "w_aa": inv_log, "w_ra": inv,
        "E_T": sp.csr_array(data.events.T) if data.events.nnz else None,
        "P_T": sp.csr_array(data.presence.T) if data.presence.nnz else None,
        "priority": priorities(data),
    }
    t = sp.csr_array(data.topics, dtype=np.float64)
    norm = np.sqrt(np.asarray(t.multiply(t).sum(axis=1)).ravel())
    tn = sp.csr_array(sp.diags_array(np.divide(1.0, norm, out=np.zeros_like(norm), where=norm > 0)) @ t)
    cache["topics"] = tn.toarray().astype(np.float32) if tn.shape[1] <= _DENSE_TOPICS else tn
    cache["tags"] = None if data.tags is None else sp.csr_array(data.tags > 0, dtype=np.float64)
    cache["tag_count"] = None if data.tags is None else np.diff(cache["tags"].indptr).astype(np.float64)
    return cache


def _lookup(m: sp.csr_array | None, local: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Values of a csr block at ``(local[k], j[k])`` (0 where not stored), by scipy's sampling of sorted rows."""
    if m is None or m.nnz == 0 or len(local) == 0:
        return np.zeros(len(local))
    if not m.has_sorted_indices:
        m.sort_indices()
    return np.asarray(m[local, j], dtype=np.float64).ravel()


def _rowwise_dot(m, i: np.ndarray, j: np.ndarray, chunk: int = 1 << 18) -> np.ndarray:
    out = np.zeros(len(i))
    for s in range(0, len(i), chunk):
        a, b = i[s:s + chunk], j[s:s + chunk]
        if isinstance(m, np.ndarray):
            out[s:s + chunk] = np.einsum("ij,ij->i", m[a], m[b], dtype=np.float64)
        else:
            out[s:s + chunk] = np.asarray(sp.csr_array(m[a]).multiply(sp.csr_array(m[b])).sum(axis=1)).ravel()
    return out


def signals_for(data: MatchData, i: np.ndarray, j: np.ndarray, cache: dict, lookups: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Assemble the raw signals of pairs ``(i, j)`` from the block lookups and the per-person arrays."""
    out = dict(lookups)
    out["shared_topics"] = _rowwise_dot(cache["topics"], i, j) if data.has_topics else np.zeros(len(i))
    prof = np.zeros(len(i))
    if cache["tags"] is not None:
        inter = _rowwise_dot(cache["tags"], i, j)
        union = cache["tag_count"][i] + cache["tag_count"][j] - inter
        prof = np.divide(inter, union, out=np.zeros(len(i)), where=union > 0)
    if data.needs is not None and data.offers is not None:
        met = _cross_dot(data.needs, data.offers, i, j) + _cross_dot(data.needs, data.offers, j, i)
        prof = np.maximum(prof, (met > 0).astype(np.float64))
    out["profile"] = prof
    org = data.organization
    diff_org = (org[i] >= 0) & (org[j] >= 0) & (org[i] != org[j])
    g = data.group
    diff_group = (g[i] >= 0) & (g[j] >= 0) & (g[i] != g[j])
    out["bridging"] = 0.5 * diff_org + 0.5 * diff_group
    pr = cache["priority"]
    out["priority"] = np.maximum(pr[i], pr[j])
    return {c: np.asarray(out[c], dtype=np.float64) for c in COMPONENTS}


def _cross_dot(a: sp.csr_array, b: sp.csr_array, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``a[i] . b[j]`` row by row."""
    if a.nnz == 0 or b.nnz == 0:
        return np.zeros(len(i))
    return np.asarray(sp.csr_array(a[i]).multiply(sp.csr_array(b[j])).sum(axis=1)).ravel()


def pair_signals(data: MatchData, i: np.ndarray, j: np.ndarray, *, max_pivot_degree: int = MAX_PIVOT_DEGREE,
                 block_rows: int = 2048) -> dict[str, np.ndarray]:
    """Raw signals (one array per :data:`COMPONENTS` entry) of the pairs ``(i[k], j[k])``.

    Pairs are grouped by their first person into blocks of ``block_rows``
    rows; each block costs a few sparse products (:class:`RowBlock`).

    Examples
    --------
    >>> import numpy as np, cop
    >>> from cop.match import MatchData
    >>> data = MatchData.from_log(cop.load_example())
    >>> sig = pair_signals(data, np.array([0]), np.array([1]))
    >>> int(sig["common_neighbours"][0])
    100
    """
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    out = {c: np.zeros(len(i)) for c in COMPONENTS}
    if len(i) == 0:
        return out
    cache = _shared(data, max_pivot_degree)
    order = np.argsort(i, kind="stable")
    sorted_i = i[order]
    rows = np.unique(i)
    for s in range(0, len(rows), block_rows):
        block = rows[s:s + block_rows]
        lo = np.searchsorted(sorted_i, block[0], side="left")
        hi = np.searchsorted(sorted_i, block[-1], side="right")
        sel = order[lo:hi]
        rb = RowBlock(data, block, max_pivot_degree=max_pivot_degree, _cache=cache)
        vals = rb.values(np.searchsorted(block, i[sel]), j[sel])
        for c in COMPONENTS:
            out[c][sel] = vals[c]
    return out
