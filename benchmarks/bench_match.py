"""Speed of ``cop.suggest_introductions``: every member of a 100,000-member log, and against brute force.

A synthetic coworking network is generated with a seeded
:class:`numpy.random.Generator`: ``spaces`` spaces of ``members / spaces``
members each (organizations of 1-5 people), 60 working days with check-ins
(each member present with probability 0.3), a weekly event per space
(10-30 attendees, one of eight topics), and 1:1 interactions between members
of the same space (about three per member).

Timed, in one run:

* ``arrays``: :meth:`cop.match.MatchData.from_log` (the kernel's incidence,
  the tie graph, levels of the current window, topics);
* ``suggest``: :func:`cop.suggest_introductions` for every member, from those
  arrays (candidates, signals, score, the draft round, reasons);
* on a subset of ``--subset-spaces`` spaces, the same suggestions with
  candidates generated from sparse products and with brute force: every
  eligible pair scored (``candidate_signals(..., all_pairs=True)``), the
  ratio of times, and the share of the brute-force top-3 per member that the
  candidate generation also ranks top-3.

Usage::

    python benchmarks/bench_match.py                       # 100,000 members
    python benchmarks/bench_match.py --members 20000 --subset-spaces 5
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

import cop
from cop.match import MatchData, available_components, candidate_signals, score_signals, top_per_member

TOPICS = ("ai", "design", "fintech", "health", "sustainability", "food", "media", "hardware")


def synthetic(members: int, spaces: int, seed: int = 20261202) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(activities, members table)`` of the synthetic network."""
    rng = np.random.default_rng(seed)
    per = members // spaces
    ids = np.array([f"m{k:06d}" for k in range(per * spaces)], dtype=object)
    space = np.repeat(np.arange(spaces), per)
    org = np.array([f"o{k:06d}" for k in (np.arange(len(ids)) // rng.integers(1, 6, len(ids)).clip(1))], dtype=object)
    days = pd.date_range("2025-01-06", periods=84, freq="D")
    days = days[days.day_of_week < 5][:60]
    parts = []
    # presence: each member each day with probability 0.3
    for d_i, day in enumerate(days):
        here = np.flatnonzero(rng.random(len(ids)) < 0.3)
        parts.append(pd.DataFrame({"activity_id": [f"checkin-s{s}-{d_i}" for s in space[here]], "member_id": ids[here],
                                   "timestamp": day + pd.Timedelta(hours=9), "kind": "presence", "topic": None}))
    # a weekly event per space
    for w in range(12):
        size = rng.integers(10, 31, spaces)
        for s in range(spaces):
            who = rng.choice(per, size[s], replace=False) + s * per
            parts.append(pd.DataFrame({"activity_id": f"breakfast-s{s}-w{w}", "member_id": ids[who],
                                       "timestamp": days[min(w * 5 + 1, len(days) - 1)] + pd.Timedelta(hours=8),
                                       "kind": "event", "topic": TOPICS[(s + w) % len(TOPICS)]}))
    # 1:1 interactions within a space, about three per member
    k = 3 * len(ids) // 2
    a = rng.integers(0, len(ids), k)
    b = space[a] * per + rng.integers(0, per, k)
    ok = a != b
    a, b = a[ok], b[ok]
    when = days[rng.integers(0, len(days), len(a))] + pd.Timedelta(hours=14)
    act = np.array([f"chat-{x}" for x in range(len(a))], dtype=object)
    parts.append(pd.DataFrame({"activity_id": np.r_[act, act], "member_id": np.r_[ids[a], ids[b]],
                               "timestamp": np.r_[when, when], "kind": "interaction", "topic": None}))
    frame = pd.concat(parts, ignore_index=True)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    table = pd.DataFrame({"member_id": ids, "organization": org, "role": "member"})
    return frame, table


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def log_of(frame: pd.DataFrame, table: pd.DataFrame) -> cop.ActivityLog:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cop.DataWarning)
        return cop.ActivityLog.from_frame(frame, table)


def compare_brute_force(log: cop.ActivityLog, k: int = 3) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cop.DataWarning)
        data = MatchData.from_log(log)
    people = np.flatnonzero(data.eligible)
    avail = available_components(data)

    def ranked(all_pairs: bool):
        i, j, sig = candidate_signals(data, people, all_pairs=all_pairs)
        score, _ = score_signals(sig, available=avail)
        keep = top_per_member(i, j, score, k)
        return set(zip(i[keep].tolist(), j[keep].tolist())), len(i)

    t_c, (top_c, n_c) = timed(lambda: ranked(False))
    t_b, (top_b, n_b) = timed(lambda: ranked(True))
    return {"members": int(len(people)), "candidate_pairs": n_c, "all_pairs": n_b, "candidates_s": t_c, "brute_s": t_b,
            "ratio": t_b / t_c, "top_agreement": len(top_c & top_b) / max(len(top_b), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--spaces", type=int, default=500)
    ap.add_argument("--subset-spaces", type=int, default=10)
    args = ap.parse_args(argv)
    t_gen, (frame, table) = timed(lambda: synthetic(args.members, args.spaces))
    t_load, log = timed(lambda: log_of(frame, table))
    print(f"synthetic log: {len(frame):,} rows, {table.shape[0]:,} members, {args.spaces} spaces "
          f"(generated in {t_gen:.1f} s, loaded in {t_load:.1f} s)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cop.DataWarning)
        t_data, data = timed(lambda: MatchData.from_log(log))
        t_sug, s = timed(lambda: cop.suggest_introductions(log, data=data))
    print(f"arrays (MatchData.from_log): {t_data:.1f} s; suggestions for every member: {t_sug:.1f} s "
          f"({len(s):,} suggestions for {s['member_id'].nunique():,} of {int(data.eligible.sum()):,} eligible members)")
    per = args.members // args.spaces
    sub_ids = set(table["member_id"].iloc[: per * args.subset_spaces])
    sub = frame[frame["member_id"].isin(sub_ids)]
    r = compare_brute_force(log_of(sub, table[table["member_id"].isin(sub_ids)]))
    print(f"subset of {args.subset_spaces} spaces ({r['members']:,} eligible members): candidates {r['candidate_pairs']:,} "
          f"pairs in {r['candidates_s']:.2f} s; brute force {r['all_pairs']:,} pairs in {r['brute_s']:.2f} s; "
          f"brute force / candidates = {r['ratio']:.1f}x; candidates find {r['top_agreement']:.1%} of the brute-force top-3")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
