"""Rounds and weekly plans: who gets which suggestion, with every person appearing a bounded number of times.

A round is a *draft*: targets take turns, most urgent first (higher priority,
then better best score), and in each turn a target takes its best remaining
candidate who still has room.  A person appears in at most ``per_member``
introductions of a round, as the one introduced or as the suggestion, and a
pair is introduced once.  A draft gives every target a first suggestion
before anyone gets a second, so nobody is left out for someone else's third.

A weekly plan (:func:`weekly_plan`) repeats rounds of ``per_week``
introductions per person for ``weeks`` weeks, never repeating a pair.

Examples
--------
>>> import numpy as np
>>> i = np.array([0, 0, 1, 1]); j = np.array([9, 8, 9, 7]); score = np.array([0.9, 0.5, 0.8, 0.1])
>>> sel = draft(i, j, score, per_member=1, urgency=np.zeros(10))
>>> sorted(zip(i[sel].tolist(), j[sel].tolist()))     # 9 is taken by 0 first; 1 gets its next best
[(0, 9), (1, 7)]
"""

from __future__ import annotations

import numpy as np

from cop.exceptions import ConfigError

__all__ = ["draft", "weekly_plan"]


def _check(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"parameter {name!r}: {value!r}; expected a whole number >= 1")
    return int(value)


def draft(
    i: np.ndarray,
    j: np.ndarray,
    score: np.ndarray,
    *,
    per_member: int,
    urgency: np.ndarray,
    load: np.ndarray | None = None,
    used: set[int] | None = None,
    wanted: int | None = None,
) -> np.ndarray:
    """Positions of the candidate pairs ``(i, j)`` chosen by one draft round.

    Parameters
    ----------
    i, j, score : numpy.ndarray
        Candidate pairs (``i`` a target) and their scores.
    per_member : int
        Most introductions of one person in the round (either side).
    urgency : numpy.ndarray
        Per person: targets with a higher value choose first (ties: best score first).
    load : numpy.ndarray, optional
        Introductions each person already has in this round (updated in place).
    used : set of int, optional
        Unordered pair keys ``min * n + max`` already introduced (updated in place).
    wanted : int, optional
        Most suggestions per target (default ``per_member``).

    Examples
    --------
    >>> import numpy as np
    >>> i, j, score = np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.9, 0.8, 0.7])
    >>> draft(i, j, score, per_member=1, urgency=np.zeros(3)).tolist()  # 0-1 first; then 0 and 1 are taken
    [0]
    """
    per_member = _check("per_member", per_member)
    wanted = per_member if wanted is None else _check("wanted", wanted)
    n = len(urgency)
    load = np.zeros(n, dtype=np.int64) if load is None else load
    used = set() if used is None else used
    if len(i) == 0:
        return np.zeros(0, dtype=np.int64)
    i = np.asarray(i, dtype=np.int64)
    j = np.asarray(j, dtype=np.int64)
    # by target, best first, ties by person (input already sorted by target then person: ties keep that order)
    pk = i * n + j
    order = np.lexsort((-score, i)) if np.all(pk[1:] > pk[:-1]) else np.lexsort((j, -score, i))
    si, sj = i[order], j[order]
    starts = np.r_[0, np.flatnonzero(np.diff(si)) + 1]
    ends = np.r_[starts[1:], len(si)]
    tgt = si[starts]
    best = score[order][starts]
    turn = np.lexsort((tgt, -best, -urgency[tgt]))
    keys = np.minimum(si, sj) * n + np.maximum(si, sj)
    if len(tgt) == 1:                         # one target: its first candidates with room, nothing to interleave
        room = per_member - int(load[tgt[0]])
        free = load[sj] < per_member
        if used:
            free &= ~np.isin(keys, np.fromiter(used, dtype=np.int64, count=len(used)))
        e = np.flatnonzero(free)[:max(0, min(wanted, room))]
        np.add.at(load, sj[e], 1)
        load[tgt[0]] += len(e)
        out = order[e].astype(np.int64)
        used.update(keys[e].tolist())
        return out
    ukeys, kid = np.unique(keys, return_inverse=True)          # one id per unordered pair
    taken = np.zeros(len(ukeys), dtype=bool)                   # pairs introduced (before, or in this draft)
    if used:
        taken[np.isin(ukeys, np.fromiter(used, dtype=np.int64, count=len(used)))] = True
    ptr = starts.copy()
    cur = np.asarray(load, dtype=np.int64).copy()
    chosen: list[np.ndarray] = []
    active = turn
    for _ in range(wanted):
        # a round, in chunks of turns: the picks of a chunk depend only on the state the earlier chunks left
        picked_t, picked_e = [], []
        for c in range(0, len(active), _CHUNK):
            part = active[c:c + _CHUNK]
            pick = _round(part, ptr, ends, tgt, sj, kid, taken, per_member - cur)
            ok = pick >= 0
            t, e = part[ok], pick[ok]
            np.add.at(cur, tgt[t], 1)
            np.add.at(cur, sj[e], 1)
            taken[kid[e]] = True
            ptr[t] = e + 1
            picked_t.append(t)
            picked_e.append(e)
        t, e = np.concatenate(picked_t), np.concatenate(picked_e)
        if not len(t):
            break
        chosen.append(order[e])
        active = t
    load[:] = cur
    out = np.concatenate(chosen).astype(np.int64) if chosen else np.zeros(0, dtype=np.int64)
    used.update((np.minimum(i[out], j[out]) * n + np.maximum(i[out], j[out])).tolist())
    return out


def _round(active: np.ndarray, ptr: np.ndarray, ends: np.ndarray, tgt: np.ndarray, sj: np.ndarray,
           kid: np.ndarray, taken: np.ndarray, room: np.ndarray) -> np.ndarray:
    """The pick (a sorted-candidate index, -1 for none) of each target of ``active`` in one round of the draft.

    The rule, as a loop: in turn order, a target with no ``room`` left is
    skipped; otherwise it takes its first candidate from ``ptr`` on who still
    has room and whose pair is not taken, and that uses one unit of room of
    both.  A target's pick depends only on the picks of the targets before it,
    so the picks of the loop are the unique fixed point of "every target picks
    given the current picks of those before it".  Iterating that map agrees
    with the loop on at least one more leading target per step and stops when
    nothing changes (after a few steps in practice, each vectorised over the
    candidates).  :func:`draft` runs it on chunks of :data:`_CHUNK` turns, each
    from the state the earlier chunks left: exact, and the chains of turns
    that wait for each other stay short.
    """
    m = len(active)
    # the candidates in play, per target from its pointer on: pairs not taken, people with room
    lens = ends[active] - ptr[active]
    seg = np.repeat(np.arange(m), lens)
    ent = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(ptr[active] - (np.cumsum(lens) - lens), lens)
    keep = ~taken[kid[ent]] & (room[sj[ent]] > 0)
    seg, ent = seg[keep], ent[keep]
    lo = np.searchsorted(seg, np.arange(m))                          # each target's slice of ``ent``
    hi = np.r_[lo[1:], len(ent)]
    # local numbers of the people and pairs involved
    people, inv = np.unique(np.r_[tgt[active], sj[ent]], return_inverse=True)
    a, eb = inv[:m], inv[m:]
    pairs, ek = np.unique(kid[ent], return_inverse=True)
    r0 = room[people]
    turns = np.arange(m)
    never = np.int64(m + 1)
    full_base = np.where(r0 <= 0, -1, never)
    pick = np.full(m, -1, dtype=np.int64)                            # an index into ``ent``
    win = np.full(m, _WINDOW, dtype=np.int64)                        # candidates looked at per target
    while True:
        has = np.flatnonzero(pick >= 0)
        # the turn at which each person's room runs out (its room-th use in turn order; -1: none at the start)
        full_at = full_base.copy()
        key_at = np.full(len(pairs), never)
        if len(has):
            who = np.column_stack([a[has], eb[pick[has]]]).ravel()
            at = np.repeat(has, 2)
            o = np.argsort(who, kind="stable")                        # by person, then turn
            w, p = who[o], at[o]
            first = np.r_[0, np.flatnonzero(w[1:] != w[:-1]) + 1]
            cnt = np.diff(np.r_[first, len(w)])
            pw = w[first]
            r = r0[pw]
            hit = (r >= 1) & (r <= cnt)
            full_at[pw[hit]] = p[first[hit] + r[hit] - 1]
            np.minimum.at(key_at, ek[pick[has]], has)                 # the first turn taking each pair
        new = np.full(m, -1, dtype=np.int64)
        todo = np.flatnonzero(full_at[a] >= turns)                   # targets with room left at their turn
        while len(todo):
            # each target's first ``win`` candidates in play; a target without a free one there looks further
            ln = np.minimum(hi[todo] - lo[todo], win[todo])
            s = np.repeat(todo, ln)
            e = np.arange(int(ln.sum()), dtype=np.int64) + np.repeat(lo[todo] - (np.cumsum(ln) - ln), ln)
            ok = np.flatnonzero((full_at[eb[e]] >= s) & (key_at[ek[e]] >= s))
            found = np.zeros(m, dtype=bool)
            if len(ok):
                so = s[ok]
                firsts = np.r_[True, so[1:] != so[:-1]]
                new[so[firsts]] = e[ok[firsts]]
                found[so[firsts]] = True
            todo = todo[~found[todo] & (ln < hi[todo] - lo[todo])]
            win[todo] *= 4
        if np.array_equal(new, pick):
            return np.where(pick >= 0, ent[np.maximum(pick, 0)] if len(ent) else -1, -1)
        pick = new


#: Turns of a round whose picks are found together (then the state moves on to the next ones).
_CHUNK = 1024
#: Candidates first looked at per target in a round of :func:`draft` (more when none of them is free).
_WINDOW = 4


def weekly_plan(
    i: np.ndarray,
    j: np.ndarray,
    score: np.ndarray,
    *,
    per_week: int,
    weeks: int,
    urgency: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(positions, week)`` of a plan of ``weeks`` rounds of at most ``per_week`` introductions per person.

    Pairs are never repeated; in each week, targets with fewer introductions
    so far choose first (then by ``urgency``), so suggestions spread over
    everyone before anyone gets more.

    Examples
    --------
    >>> i = np.array([0, 0, 1, 1]); j = np.array([2, 3, 2, 3]); s = np.array([0.9, 0.8, 0.7, 0.6])
    >>> pos, week = weekly_plan(i, j, s, per_week=1, weeks=2, urgency=np.zeros(4))
    >>> [(int(i[p]), int(j[p]), int(w)) for p, w in zip(pos, week)]
    [(0, 2, 1), (1, 3, 1), (0, 3, 2), (1, 2, 2)]
    """
    per_week = _check("per_week", per_week)
    weeks = _check("weeks", weeks)
    n = len(urgency)
    used: set[int] = set()
    received = np.zeros(n)
    pos_all, week_all = [], []
    for w in range(1, weeks + 1):
        load = np.zeros(n, dtype=np.int64)
        # fewer introductions so far first, then urgency (a large factor keeps the order lexicographic)
        urg = -received * 10.0 + np.clip(urgency, 0, 9)
        sel = draft(i, j, score, per_member=per_week, urgency=urg, load=load, used=used)
        if len(sel) == 0:
            break
        np.add.at(received, i[sel], 1)
        pos_all.append(sel)
        week_all.append(np.full(len(sel), w))
    if not pos_all:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(pos_all), np.concatenate(week_all)
