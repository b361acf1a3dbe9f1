"""Benchmark of the simulation: a 300-member space over 3 years, and experiment speed-up.

Prints
  * simulated member-days per second;
  * the number of SimPy events the model schedules, and the ratio of the model's
    time to a bare SimPy loop scheduling the same number of events (the floor;
    target: within 5x);
  * for reference, the time of a bare SimPy loop with one event per simulated
    member-day (the floor of a model with one process per member per day);
  * the speed-up of an 8-replicate experiment on 2 processes against sequential
    (the first experiment starts the worker pool; later ones reuse it: both are shown).

Times are medians of repeats (wall clock; the CPU time of the model run is shown
too, as the machine may be shared and noisy).

Run: ``PYTHONPATH=. python benchmarks/bench_simulation.py [--quick]``.  Not a timed test.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import simpy

from simulation import Scenario, run_experiment
from simulation.metrics import log_metrics
from simulation.model import simulate_space

SCENARIO = Scenario(
    name="bench_300",
    space={"years": 3.0, "seats": 320},
    arrivals={"initial_members": 300, "per_month": 25.0},
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


def median(f, repeat: int) -> float:
    return float(np.median([f() for _ in range(repeat)]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1 repeat, 4 replicates")
    args = ap.parse_args()
    repeat = 1 if args.quick else 5

    times, cpu = [], []
    for k in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        space, env = simulate_space(SCENARIO, np.random.default_rng(k))
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    model_s = float(np.median(times))
    r = space.roster
    n = r.n
    joined, left = r.joined[:n], np.where(r.left[:n] >= 0, r.left[:n], space.horizon)
    member_days = int((left - joined).sum())
    n_events = space.events_scheduled
    floor_s = median(lambda: bare_simpy(n_events), repeat)
    per_member_day_s = median(lambda: bare_simpy(member_days), 1)
    print(f"scenario: {SCENARIO.name}: {SCENARIO.space.years:g} years, {n} members admitted, "
          f"{member_days / space.horizon:.0f} on average, {len(r.active_idx())} at the end, "
          f"{space.record.n_participations:,} participations")
    print(f"model run:                 {model_s:8.3f} s  ({member_days / model_s:,.0f} member-days/s, "
          f"{member_days:,} member-days; CPU {np.median(cpu):.3f} s)")
    print(f"SimPy events scheduled:    {n_events:,}")
    print(f"bare SimPy, same events:   {floor_s:8.4f} s  -> model / floor = {model_s / floor_s:,.0f}x")
    print(f"bare SimPy, 1 event per member-day: {per_member_day_s:8.3f} s  -> model / that = "
          f"{model_s / per_member_day_s:,.2f}x")

    reps = 4 if args.quick else 8

    def experiment(executor):
        t = time.perf_counter()
        res = run_experiment(SCENARIO, replicates=reps, seed=1, executor=executor, workers=2, metrics=log_metrics)
        return time.perf_counter() - t, res

    rounds = 1 if args.quick else 3
    par_cold, par = experiment("processes")  # starts the session's worker pool
    seq_times, par_times = [], []
    for _ in range(rounds):
        s, seq = experiment("sequential")
        p, par = experiment("processes")
        seq_times.append(s)
        par_times.append(p)
    seq_s, par_s = float(np.median(seq_times)), float(np.median(par_times))
    same = seq.results.equals(par.results)
    print(f"{reps}-replicate experiment: sequential {seq_s:.2f} s, 2 processes {par_s:.2f} s "
          f"-> speed-up {seq_s / par_s:.2f}x (first experiment, starting the pool: {par_cold:.2f} s, "
          f"{seq_s / par_cold:.2f}x; identical results: {same})")


if __name__ == "__main__":
    main()
