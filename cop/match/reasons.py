"""Reasons in plain words: why a pair is suggested, from the signals behind its score.

One phrase per signal that is present, joined with ``; `` in a fixed order —
shared activities, shared topics, acquaintances in common, days in the
space, declared profiles, bridging, then newcomer or periphery::

    both came to the three sustainability breakfasts; two people in common;
    different organizations; m0042 joined three weeks ago and has no tie yet

Examples
--------
>>> number_word(3), number_word(12), plural(1, "breakfast"), plural(3, "breakfast")
('three', '12', 'one breakfast', 'three breakfasts')
>>> age_words(22.0), age_words(3.0)
('three weeks', 'three days')
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp

from cop.match.data import MatchData
from cop.words import plural_of

__all__ = ["pair_reasons", "number_word", "plural", "age_words"]

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: int) -> str:
    """``three`` for 3, digits above ten."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def plural(n: int, word: str) -> str:
    """``one breakfast``, ``three breakfasts``."""
    n = int(n)
    return f"{number_word(n)} {word if n == 1 else plural_of(word)}"


def age_words(days: float) -> str:
    """How long ago, in days below two weeks, weeks below two months, else months."""
    if days < 14:
        return plural(max(1, round(days)), "day")
    if days < 61:
        return plural(round(days / 7), "week")
    return plural(round(days / 30.4), "month")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _row_modes(m: sp.csr_array, codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a binary csr ``m``: the most frequent code of its stored columns and its count (-1, 0 for none)."""
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
    key = rows * (n_codes + 1) + codes[m.indices]
    uniq, cnt = np.unique(key, return_counts=True)
    r = uniq // (n_codes + 1)
    order = np.lexsort((uniq % (n_codes + 1), -cnt, r))
    r, uniq, cnt = r[order], uniq[order], cnt[order]
    first = np.r_[True, r[1:] != r[:-1]] if len(r) else np.zeros(0, bool)
    mode = np.full(m.shape[0], -1, dtype=np.int64)
    count = np.zeros(m.shape[0], dtype=np.int64)
    mode[r[first]] = uniq[first] % (n_codes + 1)
    count[r[first]] = cnt[first]
    return mode, count


def _events_phrases(data: MatchData, i: np.ndarray, j: np.ndarray) -> list[str]:
    """"both came to the three sustainability breakfasts", one per pair ("" without shared activities)."""
    ev = sp.csr_array(data.events)
    shared = sp.csr_array(sp.csr_array(ev[i]).multiply(sp.csr_array(ev[j])))
    shared.eliminate_zeros()
    c = np.diff(shared.indptr)
    n_ev = ev.shape[1]
    labels = data.event_labels if data.event_labels is not None else np.full(n_ev, "", dtype=object)
    topics = data.event_topics if data.event_topics is not None else np.full(n_ev, "", dtype=object)
    lab_names, lab_codes = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    top_names, top_codes = np.unique(np.asarray(topics, dtype=str), return_inverse=True)
    lab, lc = _row_modes(shared, lab_codes, len(lab_names))
    top, tc = _row_modes(shared, top_codes, len(top_names))
    words = [w.replace("-", " ").replace("_", " ").strip() if w.replace("-", "").replace("_", "").isalpha() else ""
             for w in lab_names.tolist()]
    out = []
    for k in range(len(i)):
        n = int(c[k])
        if n == 0:
            out.append("")
            continue
        word = words[lab[k]] if lab[k] >= 0 else ""
        topic = str(top_names[top[k]]) if top[k] >= 0 else ""
        if word and lc[k] == n:
            what = (f"{topic} " if topic and tc[k] == n else "") + word
            out.append(f"both came to the same {what}" if n == 1 else f"both came to the {plural(n, what)}")
        elif word:
            out.append(f"both took part in {plural(n, 'activity')} together ({plural(int(lc[k]), word)})")
        else:
            out.append(f"both took part in {plural(n, 'activity')} together" + (f" (mostly {topic})" if topic and tc[k] * 2 > n else ""))
    return out


def _topic_phrases(data: MatchData, i: np.ndarray, j: np.ndarray) -> list[str]:
    """"both active in design and ai" (up to three topics both took part in, most shared first)."""
    t = sp.csr_array(data.topics)
    both = sp.csr_array(sp.csr_array(t[i]).minimum(sp.csr_array(t[j])))
    both.eliminate_zeros()
    rows = np.repeat(np.arange(len(i)), np.diff(both.indptr))
    order = np.lexsort((both.indices, -both.data, rows))
    rows, cols = rows[order], both.indices[order]
    out = [[] for _ in range(len(i))]
    names = data.topic_names
    for r, col in zip(rows.tolist(), cols.tolist()):
        if len(out[r]) < 3 and col < len(names):
            out[r].append(names[col])
    return [("both active in " + _join(x)) if x else "" for x in out]


def pair_reasons(data: MatchData, i: np.ndarray, j: np.ndarray, signals: dict[str, np.ndarray]) -> list[str]:
    """One reason sentence per pair ``(i[k], j[k])`` from its raw ``signals`` (:func:`cop.match.signals.pair_signals`)."""
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    if len(i) == 0:
        return []
    ids = np.asarray(data.member_ids, dtype=object).astype(str)
    events = _events_phrases(data, i, j) if data.events.nnz else [""] * len(i)
    topics = _topic_phrases(data, i, j) if data.has_topics else [""] * len(i)
    tags = sp.csr_array(data.tags) if data.tags is not None else None
    cn = np.rint(signals["common_neighbours"]).astype(np.int64).tolist()
    days = np.rint(signals["co_presence"]).astype(np.int64).tolist()
    prof = (signals["profile"] > 0).tolist()
    org, g = data.organization, data.group
    diff_org = ((org[i] >= 0) & (org[j] >= 0) & (org[i] != org[j])).tolist()
    diff_group = ((g[i] >= 0) & (g[j] >= 0) & (g[i] != g[j])).tolist()
    deg = data.degree
    who = {}
    for p in np.unique(np.r_[i, j]).tolist():
        if data.newcomer[p]:
            age = f" {age_words(data.joined_days[p])} ago" if data.joined_days is not None else " recently"
            who[p] = f"{ids[p]} joined{age}" + (" and has no tie yet" if deg[p] == 0 else "")
        elif data.peripheral[p]:
            who[p] = f"{ids[p]} takes part at the periphery so far"
    # the phrases of the counts, once per distinct count
    cn_words = {v: ("" if v <= 0 else "one person in common" if v == 1 else f"{number_word(v)} people in common")
                for v in set(cn)}
    day_words = {v: ("" if v <= 0 else "in the space on the same day" if v == 1 else
                     f"in the space on the same {number_word(v)} days") for v in set(days)}
    out = []
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist())):
        parts = [events[k], topics[k], cn_words[cn[k]], day_words[days[k]]]
        if prof[k]:
            parts.append(_profile_phrase(data, tags, a, b))
        if diff_org[k]:
            parts.append("different organizations")
        if diff_group[k]:
            parts.append("from groups that are not connected yet")
        parts += [who.get(a, ""), who.get(b, "")]
        out.append("; ".join(x for x in parts if x) or "no shared context recorded")
    return out


def _profile_phrase(data: MatchData, tags: sp.csr_array | None, a: int, b: int) -> str:
    names = data.tag_names
    if data.needs is not None and data.offers is not None:
        nd, of = sp.csr_array(data.needs), sp.csr_array(data.offers)
        for x, y in ((a, b), (b, a)):
            met = np.intersect1d(nd.indices[nd.indptr[x]:nd.indptr[x + 1]], of.indices[of.indptr[y]:of.indptr[y + 1]])
            if len(met):
                return f"{data.member_ids[x]} needs {_join([names[t] for t in met[:2]])}, which {data.member_ids[y]} offers"
    if tags is not None:
        both = np.intersect1d(tags.indices[tags.indptr[a]:tags.indptr[a + 1]], tags.indices[tags.indptr[b]:tags.indptr[b + 1]])
        if len(both):
            return "both list " + _join([names[t] for t in both[:3]])
    return ""
