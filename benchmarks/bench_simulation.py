"""Benchmark of the simulation: scale (1,000 vs 10,000 members, one simulated year), and experiment speed-up.

Prints, in one run,
  * the model's time for 1,000 and for 10,000 members over one simulated year (seats 1.2 x members,
    arrivals proportionate: 4 % of the head-count a month), their ratio (target <= 12x) and the growth
    exponent ``log(t10k / t1k) / log(10)`` (target <= 1.1);
  * the peak memory of the 10,000-member run (tracemalloc peak of Python allocations, numpy included,
    and the process's maximum resident set size; target <= 2 GiB);
  * single-run throughput in member-days per second, against a bare SimPy loop doing one event per
    member-day (the floor of a model with one process per member per day);
  * the speed-up of an 8-replicate experiment on 2 processes against sequential (``--experiment``).

Times are medians of repeats of wall-clock time; CPU time is shown too (the machine may be shared).

Run: ``PYTHONPATH=. python benchmarks/bench_simulation.py [--quick] [--experiment]``.  Not a timed test.

Measured 2026-12-02 with ``--quick`` on the shared 2-core machine, the code before and after the
speed-ups of branch ``simspeed`` (same seed, identical output) within the same hour: 1,000 members,
one year, 1.92 -> 1.93 s CPU (load about 7 before, 4-7 after); 10,000 members 17.43 -> 14.40 s CPU
(1.21x); growth exponent 0.958 -> 0.874 (CPU); peak RSS of the 10,000-member run 633 -> 637 MiB.
Under that load CPU times move by a third from run to run: the alternated comparison in
``bench_network_sim.py``'s docstring (1.36x for one space of 300 members over three years) is the
better figure.
"""

from __future__ import annotations

import argparse
import math
import resource
import time
import tracemalloc

import numpy as np
import simpy

from simulation import Scenario, run_experiment
from simulation.metrics import log_metrics
from simulation.model import simulate_space


def scale_scenario(n: int, years: float = 1.0) -> Scenario:
    """``n`` founding members, seats for 1.2 n, 4 % of n applying a month, for ``years``."""
    return Scenario(
        name=f"scale_{n}",
        space={"years": years, "seats": int(1.2 * n)},
        arrivals={"initial_members": n, "per_month": 0.04 * n},
    )


def bare_simpy(n_events: int) -> float:
    """Seconds for one process scheduling ``n_events`` timeouts (the SimPy floor)."""
    env = simpy.Environment()

    def proc(env):
        for _ in range(n_events):
            yield env.timeout(1)

    env.process(proc(env))
    t = time.perf_counter()
    env.run()
    return time.perf_counter() - t


def timed_run(scenario: Scenario, seed: int):
    t, c = time.perf_counter(), time.process_time()
    space, _ = simulate_space(scenario, seed)
    return time.perf_counter() - t, time.process_time() - c, space


def member_days(space) -> int:
    r = space.roster
    n = r.n
    left = np.where(r.left[:n] >= 0, r.left[:n], space.horizon)
    return int((left - r.joined[:n]).sum())


def scale(repeat: int) -> None:
    rows = {}
    for n in (1_000, 10_000):
        runs = [timed_run(scale_scenario(n), k) for k in range(repeat if n == 1_000 else max(1, repeat // 2))]
        wall = float(np.median([r[0] for r in runs]))
        cpu = float(np.median([r[1] for r in runs]))
        space = runs[-1][2]
        rows[n] = (wall, cpu, member_days(space), space)
        print(f"{n:>6,} members, 1 year: {wall:7.2f} s wall, {cpu:7.2f} s CPU, {member_days(space):>10,} member-days "
              f"({member_days(space) / wall:,.0f}/s), {space.record.n_participations:>10,} participations, "
              f"{len(space.roster.ties):>9,} stored tie directions")
    ratio = rows[10_000][0] / rows[1_000][0]
    ratio_cpu = rows[10_000][1] / rows[1_000][1]
    print(f"10,000 / 1,000 members: time ratio {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU (target <= 12x); "
          f"growth exponent {math.log(ratio) / math.log(10):.3f} wall, {math.log(ratio_cpu) / math.log(10):.3f} CPU "
          f"(target <= 1.1)")
    # peak memory of one 10,000-member run
    tracemalloc.start()
    simulate_space(scale_scenario(10_000), 99)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak memory, 10,000 members: {peak / 2**20:,.0f} MiB traced (tracemalloc), process max RSS "
          f"{rss:,.0f} MiB (target <= 2,048 MiB)")
    md = rows[10_000][2]
    floor = bare_simpy(md)
    print(f"throughput, 10,000 members: {md / rows[10_000][0]:,.0f} member-days/s; bare SimPy, one event per "
          f"member-day: {md / floor:,.0f} events/s -> model / floor = {rows[10_000][0] / floor:.2f}x")


def experiment(quick: bool) -> None:
    scen = Scenario(name="bench_300", space={"years": 3.0, "seats": 320},
                    arrivals={"initial_members": 300, "per_month": 25.0})
    reps = 4 if quick else 8

    def once(executor):
        t = time.perf_counter()
        res = run_experiment(scen, replicates=reps, seed=1, executor=executor, workers=2, metrics=log_metrics)
        return time.perf_counter() - t, res

    par_cold, _ = once("processes")  # starts the session's worker pool
    s, seq = once("sequential")
    p, par = once("processes")
    print(f"{reps}-replicate experiment: sequential {s:.2f} s, 2 processes {p:.2f} s -> speed-up {s / p:.2f}x "
          f"(first experiment, starting the pool: {par_cold:.2f} s; identical results: {seq.results.equals(par.results)})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one repeat of each size")
    ap.add_argument("--experiment", action="store_true", help="also time an 8-replicate experiment")
    args = ap.parse_args()
    scale(1 if args.quick else 3)
    if args.experiment:
        experiment(args.quick)


if __name__ == "__main__":
    main()
