"""Benchmark: the Slack and git export readers against the bare parse of the same export.

What is measured
----------------
* **Slack**: a synthetic export folder (``channels.json``, ``users.json``, one
  folder per channel, one JSON file per day) of ``--messages`` messages
  (default 50,000) by 500 users in 20 channels over 250 days; about 40 % of the
  messages are replies in threads, 30 % carry reactions, 10 % mention someone,
  2 % are bot or join messages.  ``cop.read_activities(folder)`` (reading,
  threading, bots dropped, one row per member and thread, normalised into an
  ActivityLog) against the floor ``json.load`` of every file of the export.
* **git**: a synthetic repository of ``--commits`` commits (default 50,000)
  made with ``git fast-import`` (a linear history, 500 authors, 10 % with a
  ``Co-authored-by`` trailer, 20 % committed by someone else, a ``.mailmap``).
  ``cop.read_activities(repo)`` against the floor: the same ``git log
  --use-mailmap --format=...`` run alone, its output read into Python.

Each timing is the best of ``--repeat`` runs (default 3) in this process.

Run::

    PYTHONPATH=. python benchmarks/bench_readers.py
    PYTHONPATH=. python benchmarks/bench_readers.py --messages 5000 --commits 5000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np


def make_slack(root: Path, n_messages: int, seed: int = 1) -> Path:
    """Write a synthetic Slack export folder of ``n_messages`` messages."""
    rng = np.random.default_rng(seed)
    users = [f"U{i:05d}" for i in range(500)]
    channels = [f"chan{i:02d}" for i in range(20)]
    (root / "channels.json").write_text(json.dumps([{"id": f"C{i:03d}", "name": c} for i, c in enumerate(channels)]))
    (root / "users.json").write_text(json.dumps([{"id": u, "name": u.lower(), "is_bot": False} for u in users]
                                                + [{"id": "UBOT", "name": "bot", "is_bot": True}]))
    days = 250
    per_file = max(1, n_messages // (len(channels) * days))
    t0 = 1704067200.0
    written = 0
    for d in range(days):
        for c in channels:
            if written >= n_messages:
                break
            msgs, threads = [], []
            for k in range(min(per_file, n_messages - written)):
                ts = f"{t0 + d * 86400 + k * 60 + rng.random():.6f}"
                u = users[int(rng.integers(len(users)))]
                r = rng.random()
                m: dict = {"type": "message", "user": u, "text": "synthetic text of a message", "ts": ts}
                if r < 0.01:
                    m = {"type": "message", "subtype": "bot_message", "bot_id": "B1", "text": "ci", "ts": ts}
                elif r < 0.02:
                    m = {"type": "message", "subtype": "channel_join", "user": u, "text": "joined", "ts": ts}
                elif r < 0.42 and threads:
                    m["thread_ts"] = threads[int(rng.integers(len(threads)))]
                else:
                    m["thread_ts"] = ts
                    threads.append(ts)
                if rng.random() < 0.3:
                    m["reactions"] = [{"name": "+1", "users": [users[int(i)] for i in rng.integers(len(users), size=3)], "count": 3}]
                if rng.random() < 0.1:
                    m["text"] += f" <@{users[int(rng.integers(len(users)))]}>"
                msgs.append(m)
            (root / c).mkdir(exist_ok=True)
            (root / c / f"2024-{1 + d // 28:02d}-{1 + d % 28:02d}.json").write_text(json.dumps(msgs))
            written += len(msgs)
    return root


def make_git(root: Path, n_commits: int, seed: int = 2) -> Path:
    """Make a synthetic repository of ``n_commits`` commits with ``git fast-import``."""
    rng = np.random.default_rng(seed)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    lines = []
    t0 = 1500000000
    for i in range(1, n_commits + 1):
        a = int(rng.integers(500))
        c = int(rng.integers(500)) if rng.random() < 0.2 else a
        msg = f"change {i}\n"
        if rng.random() < 0.1:
            msg += f"\nCo-authored-by: Person {(a + 7) % 500} <p{(a + 7) % 500}@example.org>\n"
        data = msg.encode()
        lines.append(f"commit refs/heads/main\nmark :{i}\nauthor Person {a} <p{a}@example.org> {t0 + i * 600} +0000\n"
                     f"committer Person {c} <P{c}@Example.org> {t0 + i * 600 + 30} +0000\ndata {len(data)}\n{msg}"
                     + (f"from :{i - 1}\n" if i > 1 else "") + "\n")
    stream = ("".join(lines) + "done\n").encode()
    subprocess.run(["git", "-C", str(root), "fast-import", "--quiet", "--done"], input=stream, check=True)
    subprocess.run(["git", "-C", str(root), "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    (root / ".mailmap").write_text("Person 1 <p1@example.org> Old Name <old1@example.org>\n")
    return root


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=50_000)
    ap.add_argument("--commits", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from cop.io import read_activities
    from cop.io.gitrepo import GIT_FORMAT

    work = Path(tempfile.mkdtemp(prefix="cop-bench-readers-"))
    try:
        t = time.perf_counter()
        (work / "slack").mkdir()
        slack = make_slack(work / "slack", args.messages)
        print(f"slack export: {args.messages} messages written in {time.perf_counter() - t:.1f} s")
        files = sorted(slack.rglob("*.json"))

        def bare_slack():
            for f in files:
                with open(f, "rb") as fh:
                    json.load(fh)

        def cop_slack():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return read_activities(slack)

        log = cop_slack()
        floor, ours = best(bare_slack, args.repeat), best(cop_slack, args.repeat)
        print(f"slack: json.load of {len(files)} files {floor:.3f} s; read_activities {ours:.3f} s "
              f"({len(log.data)} rows, {log.n_activities} threads); ratio {ours / floor:.1f}x")

        t = time.perf_counter()
        repo = make_git(work / "repo", args.commits)
        print(f"git repository: {args.commits} commits made in {time.perf_counter() - t:.1f} s")

        def bare_git():
            subprocess.run(["git", "-C", str(repo), "log", "--use-mailmap", f"--format={GIT_FORMAT}", "HEAD", "--"],
                           capture_output=True, check=True, encoding="utf-8")

        def cop_git():
            return read_activities(repo, emit_warnings=False)

        log = cop_git()
        floor, ours = best(bare_git, args.repeat), best(cop_git, args.repeat)
        print(f"git: git log alone {floor:.3f} s; read_activities {ours:.3f} s "
              f"({len(log.data)} rows, {log.n_activities} commits); ratio {ours / floor:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("LC_ALL", "C")
    main()
