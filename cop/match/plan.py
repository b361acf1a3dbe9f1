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
    """
    per_member = _check("per_member", per_member)
    wanted = per_member if wanted is None else _check("wanted", wanted)
    n = len(urgency)
    load = np.zeros(n, dtype=np.int64) if load is None else load
    used = set() if used is None else used
    if len(i) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((j, -score, i))
    si = i[order]
    starts = np.r_[0, np.flatnonzero(np.diff(si)) + 1]
    ends = np.r_[starts[1:], len(si)]
    tgt = si[starts]
    best = score[order][starts]
    turn = np.lexsort((tgt, -best, -urgency[tgt]))
    ptr = starts.copy()
    got = np.zeros(len(tgt), dtype=np.int64)
    j_sorted = j[order].tolist()
    chosen: list[int] = []
    load_l = load.tolist()
    active = [int(t) for t in turn]
    for _ in range(wanted):
        nxt = []
        for t in active:
            a = int(tgt[t])
            if load_l[a] >= per_member:
                continue
            p, e = int(ptr[t]), int(ends[t])
            while p < e:
                b = j_sorted[p]
                key = a * n + b if a < b else b * n + a
                if load_l[b] < per_member and key not in used:
                    break
                p += 1
            ptr[t] = p + 1
            if p >= e:
                continue
            used.add(key)
            load_l[a] += 1
            load_l[b] += 1
            got[t] += 1
            chosen.append(int(order[p]))
            nxt.append(t)
        active = nxt
        if not active:
            break
    load[:] = load_l
    return np.asarray(chosen, dtype=np.int64)


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
