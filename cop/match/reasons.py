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


def _by_distinct(columns: list[np.ndarray], phrase) -> np.ndarray:
    """``phrase(*values)`` for each row of the integer ``columns``, computed once per distinct row (object array)."""
    if len(columns[0]) == 0:
        return np.zeros(0, dtype=object)
    cols = [np.asarray(c, dtype=np.int64) for c in columns]
    low = [int(c.min()) for c in cols]
    span = [int(c.max()) - lo + 1 for c, lo in zip(cols, low)]
    if float(np.prod(span, dtype=np.float64)) < 2.0**62:      # one integer per row (mixed radix), one 1-d unique
        code = np.zeros(len(cols[0]), dtype=np.int64)
        for c, lo, w in zip(cols, low, span):
            code = code * w + (c - lo)
        uniq, inv = np.unique(code, return_inverse=True)
        rows = np.empty((len(uniq), len(cols)), dtype=np.int64)
        rest = uniq.copy()
        for k in range(len(cols) - 1, -1, -1):
            rows[:, k] = rest % span[k] + low[k]
            rest //= span[k]
    else:
        rows, inv = np.unique(np.column_stack(cols), axis=0, return_inverse=True)
    words = np.array([phrase(*row) for row in rows.tolist()] + [""], dtype=object)[:-1]
    return words[inv.ravel()]


def join_parts(parts: list[np.ndarray], sep: str = "; ") -> np.ndarray:
    """The non-empty phrases of each row of ``parts`` (equal-length object arrays) joined with ``sep``.

    Examples
    --------
    >>> join_parts([np.array(["a", ""], dtype=object), np.array(["b", ""], dtype=object)]).tolist()
    ['a; b', '']
    """
    out = np.asarray(parts[0], dtype=object).copy()
    for p in parts[1:]:
        p = np.asarray(p, dtype=object)
        have, add = out != "", p != ""
        both = have & add
        out[both] = out[both] + sep + p[both]
        only = ~have & add
        out[only] = p[only]
    return out


def _events_phrases(data: MatchData, i: np.ndarray, j: np.ndarray) -> np.ndarray:
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
    top_names = top_names.tolist()

    def phrase(n: int, lab: int, lc: int, top: int, tc: int) -> str:
        if n == 0:
            return ""
        word = words[lab] if lab >= 0 else ""
        topic = str(top_names[top]) if top >= 0 else ""
        if word and lc == n:
            what = (f"{topic} " if topic and tc == n else "") + word
            return f"both came to the same {what}" if n == 1 else f"both came to the {plural(n, what)}"
        if word:
            return f"both took part in {plural(n, 'activity')} together ({plural(lc, word)})"
        return f"both took part in {plural(n, 'activity')} together" + (f" (mostly {topic})" if topic and tc * 2 > n else "")

    # the phrase depends only on these five numbers: one sentence per distinct combination
    return _by_distinct([c, lab, lc, top, tc], phrase)


def _topic_phrases(data: MatchData, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """"both active in design and ai" (up to three topics both took part in, most shared first)."""
    t = sp.csr_array(data.topics)
    both = sp.csr_array(sp.csr_array(t[i]).minimum(sp.csr_array(t[j])))
    both.eliminate_zeros()
    rows = np.repeat(np.arange(len(i)), np.diff(both.indptr))
    order = np.lexsort((both.indices, -both.data, rows))
    rows, cols = rows[order], both.indices[order].astype(np.int64)
    names = data.topic_names
    ok = cols < len(names)
    rows, cols = rows[ok], cols[ok]
    start = np.r_[0, np.flatnonzero(rows[1:] != rows[:-1]) + 1] if len(rows) else np.zeros(0, np.int64)
    nth = np.arange(len(rows)) - np.repeat(start, np.diff(np.r_[start, len(rows)]))
    first3 = np.full((len(i), 3), -1, dtype=np.int64)
    top3 = nth < 3
    first3[rows[top3], nth[top3]] = cols[top3]

    def phrase(*cols: int) -> str:
        x = [names[c] for c in cols if c >= 0]
        return ("both active in " + _join(x)) if x else ""

    return _by_distinct([first3[:, 0], first3[:, 1], first3[:, 2]], phrase)


def _count_phrases(values: np.ndarray, phrase) -> np.ndarray:
    """``phrase(v)`` of whole numbers ``values``, once per distinct value (object array)."""
    uniq, inv = np.unique(values, return_inverse=True)
    return np.array([phrase(v) for v in uniq.tolist()] + [""], dtype=object)[:-1][inv.ravel()]


def _people_phrases(data: MatchData, people: np.ndarray) -> np.ndarray:
    """Per person of ``people``: "m0042 joined three weeks ago and has no tie yet", the periphery phrase, or ""."""
    ids = np.asarray(data.member_ids, dtype=object)[people].astype(str).astype(object)
    out = np.full(len(people), "", dtype=object)
    new = data.newcomer[people]
    if new.any():
        if data.joined_days is not None:
            age = _count_phrases(data.joined_days[people[new]], lambda d: f" {age_words(d)} ago")
        else:
            age = np.full(int(new.sum()), " recently", dtype=object)
        none = np.where(data.degree[people[new]] == 0, " and has no tie yet", "").astype(object)
        out[new] = ids[new] + " joined" + age + none
    per = ~new & data.peripheral[people]
    out[per] = ids[per] + " takes part at the periphery so far"
    return out


def pair_reasons(data: MatchData, i: np.ndarray, j: np.ndarray, signals: dict[str, np.ndarray]) -> list[str]:
    """One reason sentence per pair ``(i[k], j[k])`` from its raw ``signals`` (:func:`cop.match.signals.pair_signals`).

    The sentence joins, in order, the non-empty phrases of :data:`PHRASES`;
    each phrase is built for all pairs at once (most from the few distinct
    combinations of the numbers behind it).

    Examples
    --------
    >>> import numpy as np, cop
    >>> from cop.match import MatchData, pair_signals
    >>> data = MatchData.from_log(cop.load_example())
    >>> i, j = np.array([0]), np.array([1])
    >>> pair_reasons(data, i, j, pair_signals(data, i, j))[0].split("; ")[1]
    'both active in sustainability, ai and design'
    """
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    if len(i) == 0:
        return []
    parts = [builder(data, i, j, signals) for _, builder in PHRASES]
    out = join_parts(parts)
    out[out == ""] = "no shared context recorded"
    return out.tolist()


def _empty(k: int) -> np.ndarray:
    return np.full(k, "", dtype=object)


def _phrase_events(data, i, j, signals):
    return _events_phrases(data, i, j) if data.events.nnz else _empty(len(i))


def _phrase_topics(data, i, j, signals):
    return _topic_phrases(data, i, j) if data.has_topics else _empty(len(i))


def _phrase_common(data, i, j, signals):
    return _count_phrases(np.rint(signals["common_neighbours"]).astype(np.int64), lambda v: (
        "" if v <= 0 else "one person in common" if v == 1 else f"{number_word(v)} people in common"))


def _phrase_days(data, i, j, signals):
    return _count_phrases(np.rint(signals["co_presence"]).astype(np.int64), lambda v: (
        "" if v <= 0 else "in the space on the same day" if v == 1 else f"in the space on the same {number_word(v)} days"))


def _phrase_profile(data, i, j, signals):
    out = _empty(len(i))
    tags = sp.csr_array(data.tags) if data.tags is not None else None
    for k in np.flatnonzero(signals["profile"] > 0).tolist():
        out[k] = _profile_phrase(data, tags, int(i[k]), int(j[k]))
    return out


def _phrase_organizations(data, i, j, signals):
    org = data.organization
    diff = (org[i] >= 0) & (org[j] >= 0) & (org[i] != org[j])
    return np.where(diff, "different organizations", "").astype(object)


def _phrase_groups(data, i, j, signals):
    g = data.group
    diff = (g[i] >= 0) & (g[j] >= 0) & (g[i] != g[j])
    return np.where(diff, "from groups that are not connected yet", "").astype(object)


def _phrase_people(data, i, j, signals):
    people, inv = np.unique(np.r_[i, j], return_inverse=True)
    who = _people_phrases(data, people)[inv.ravel()]
    return join_parts([who[:len(i)], who[len(i):]])


#: The phrases of a reason, in their order: ``(name, builder(data, i, j, signals) -> object array of str)``.
PHRASES = (
    ("shared_events", _phrase_events),
    ("shared_topics", _phrase_topics),
    ("common_neighbours", _phrase_common),
    ("co_presence", _phrase_days),
    ("profile", _phrase_profile),
    ("organizations", _phrase_organizations),
    ("groups", _phrase_groups),
    ("newcomer_or_periphery", _phrase_people),
)


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
