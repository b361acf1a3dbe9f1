"""Benchmark: the whole diagnosis of 1 million participation rows over 36 monthly periods.

What is measured
----------------
The synthetic heavy-tailed log of ``bench_graph.py`` (seeded: Zipf activity
sizes in [2, 1500], Pareto member propensity, mixed kinds, three years =
36 monthly periods), with ``--members`` people (default 20,000).

* ``load/validate``: ``ActivityLog.from_frame`` (not part of the diagnosis).
* ``graphs alone`` (the baseline): ``GraphBuilder(log).by_period("MS")``, the
  36 monthly interaction graphs a user would build first, on a fresh log.
* ``diagnose``: ``cop.diagnose(log)`` on a fresh log, with the time of each
  stage (``Diagnosis.timings``): ``prepare`` (incidence matrix, arrays),
  ``levels`` (current window), ``levels_by_period`` (36 rolling 90-day windows:
  projection, natural breaks), ``lifecycle`` (per-period metrics: components,
  transitivity, phases), ``indicators`` (23 indicators incl. sampled
  betweenness), ``patterns``, ``graph`` (the current window's graph),
  ``agreement`` (Cohen's kappa between level methods).
* memory: tracemalloc peak of the diagnosis (numpy/scipy allocate through
  tracked allocators) and the process's peak RSS.

Run::

    PYTHONPATH=. python benchmarks/bench_diagnose.py
    PYTHONPATH=. python benchmarks/bench_diagnose.py --rows 200000 --members 5000
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cop  # noqa: E402
from bench_graph import synthetic_frame  # noqa: E402
from cop import ActivityLog  # noqa: E402
from cop.graph import GraphBuilder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the (slower) traced run")
    args = ap.parse_args()

    frame = synthetic_frame(args.rows, args.members)
    t = time.perf_counter()
    log = ActivityLog.from_frame(frame, emit_warnings=False)
    t_load = time.perf_counter() - t
    print(f"log: {len(log):,} rows, {log.n_members:,} people, {log.n_activities:,} activities, "
          f"{log.start:%Y-%m-%d} to {log.end:%Y-%m-%d}; load/validate {t_load:.2f} s")

    fresh = lambda: ActivityLog(log.data, source="bench")  # noqa: E731  (no cached members/activities)

    gc.collect()
    l1 = fresh()
    t = time.perf_counter()
    graphs = GraphBuilder(l1).by_period("MS")
    t_graphs = time.perf_counter() - t
    print(f"graphs alone (GraphBuilder.by_period('MS'), {len(graphs)} periods): {t_graphs:.2f} s")
    del graphs, l1

    gc.collect()
    l2 = fresh()
    t = time.perf_counter()
    d = cop.diagnose(l2)
    t_diag = time.perf_counter() - t
    print(f"diagnose: {t_diag:.2f} s total, {len(d.timeline)} periods, phase {d.phase}")
    for stage, sec in d.timings.items():
        if stage != "total":
            print(f"  {stage:<18}{sec:8.2f} s  {100 * sec / d.timings['total']:5.1f}%")
    print(f"ratio diagnose / graphs alone: {t_diag / t_graphs:.2f}x")
    counts = dict(zip(d.level_counts["level"], d.level_counts["count"]))
    print(f"levels: {counts}")

    if not args.no_tracemalloc:
        gc.collect()
        l3 = fresh()
        tracemalloc.start()
        cop.diagnose(l3)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"diagnose peak traced memory: {peak / 2**20:.0f} MiB")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
