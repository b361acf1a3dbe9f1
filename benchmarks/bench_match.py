"""Speed of ``cop.suggest_introductions``: every member of a 100,000-member log, and against brute force.

A synthetic coworking network is generated with a seeded
:class:`numpy.random.Generator`: ``spaces`` spaces of ``members / spaces``
members each (organizations of 1-5 people), 60 working days with check-ins
(each member present with probability 0.3), a weekly event per space
(10-30 attendees, one of eight topics), and 1:1 interactions between members
of the same space (about three per member).

Timed, in one run:

* ``prepared``: :class:`cop.kernel.Prepared` (the kernel's incidence);
* ``arrays``: :meth:`cop.match.MatchData.from_log` from it (the tie graph,
  levels of the current window, topics);
* ``suggest``: :func:`cop.suggest_introductions` for every member, from those
  arrays, rule weights (candidates, signals, score, the draft round, reasons);
* ``fit``: :func:`cop.match.fit.fit_weights` on the last 30 days (the synthetic
  log is shorter than its 90-day window, so ``weights="fitted"`` would fall
  back to the rule there; the fit is timed on its own);
* wall-clock and CPU time of this process, medians of ``--repeat`` runs (the
  machine is shared: CPU time is the less load-dependent figure);
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
import os
import time
import warnings

import numpy as np
import pandas as pd

import cop
from cop.kernel import Prepared
from cop.match import MatchData, available_components, candidate_signals, score_signals, top_per_member
from cop.match.fit import fit_weights

LOAD_AT_START = " ".join(f"{x:.1f}" for x in os.getloadavg())

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


def timed_cpu(fn, repeat: int = 1):
    """``(median wall s, median CPU s of this process, last output)`` over ``repeat`` runs."""
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return float(np.median(wall)), float(np.median(cpu)), out


def log_of(frame: pd.DataFrame, table: pd.DataFrame) -> cop.ActivityLog:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cop.DataWarning)
        return cop.ActivityLog.from_frame(frame, table)


def compare_brute_force(log: cop.ActivityLog, k: int = 3, repeat: int = 1) -> dict:
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

    t_c, _, (top_c, n_c) = timed_cpu(lambda: ranked(False), repeat)
    t_b, _, (top_b, n_b) = timed_cpu(lambda: ranked(True), 1)
    return {"members": int(len(people)), "candidate_pairs": n_c, "all_pairs": n_b, "candidates_s": t_c, "brute_s": t_b,
            "ratio": t_b / t_c, "top_agreement": len(top_c & top_b) / max(len(top_b), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--spaces", type=int, default=500)
    ap.add_argument("--subset-spaces", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timed step (the median is reported)")
    args = ap.parse_args(argv)
    t_gen, (frame, table) = timed(lambda: synthetic(args.members, args.spaces))
    t_load, log = timed(lambda: log_of(frame, table))
    print(f"synthetic log: {len(frame):,} rows, {table.shape[0]:,} members, {args.spaces} spaces "
          f"(generated in {t_gen:.1f} s, loaded in {t_load:.1f} s)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cop.DataWarning)
        w_prep, c_prep, prep = timed_cpu(lambda: Prepared(log), args.repeat)
        w_data, c_data, data = timed_cpu(lambda: MatchData.from_log(log, prepared=prep), args.repeat)
        w_sug, c_sug, s = timed_cpu(lambda: cop.suggest_introductions(log, data=data, prepared=prep, weights="rule"),
                                    args.repeat)
        w_fit, c_fit, fw = timed_cpu(lambda: fit_weights(log, period=30, prepared=prep, data_now=data), args.repeat)
    print(f"median of {args.repeat} run(s), wall (CPU of this process) seconds; load average at start {LOAD_AT_START}")
    print(f"prepared log (cop.kernel.Prepared): {w_prep:.1f} ({c_prep:.1f})")
    print(f"arrays (MatchData.from_log, from the prepared log): {w_data:.1f} ({c_data:.1f})")
    print(f"suggestions for every member, rule weights: {w_sug:.1f} ({c_sug:.1f}) "
          f"({len(s):,} suggestions for {s['member_id'].nunique():,} of {int(data.eligible.sum()):,} eligible members)")
    print(f"fitting the weights on the last 30 days (fit_weights): {w_fit:.1f} ({c_fit:.1f}): {fw.note}")
    print(f"total, prepared log + arrays + suggestions: {w_prep + w_data + w_sug:.1f} ({c_prep + c_data + c_sug:.1f}); "
          f"with the fit: {w_prep + w_data + w_sug + w_fit:.1f} ({c_prep + c_data + c_sug + c_fit:.1f})")
    per = args.members // args.spaces
    sub_ids = set(table["member_id"].iloc[: per * args.subset_spaces])
    sub = frame[frame["member_id"].isin(sub_ids)]
    r = compare_brute_force(log_of(sub, table[table["member_id"].isin(sub_ids)]), repeat=args.repeat)
    print(f"subset of {args.subset_spaces} spaces ({r['members']:,} eligible members): candidates {r['candidate_pairs']:,} "
          f"pairs in {r['candidates_s']:.2f} s; brute force {r['all_pairs']:,} pairs in {r['brute_s']:.2f} s; "
          f"brute force / candidates = {r['ratio']:.1f}x; candidates find {r['top_agreement']:.1%} of the brute-force top-3")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
