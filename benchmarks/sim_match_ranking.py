"""Cost of cop match's ranking inside the simulation (simulation.match_ranking).

One year of ``baseline_coworking`` (seed 1), three variants run interleaved,
``--repeats`` times each (default 3), the median wall-clock and CPU time
(``time.process_time``, the figure that depends less on the machine's load)
of each:

* ``baseline`` — the default model: the manager's own ranking, no cop fit term
  (the adapter is never built);
* ``fit`` — the manager's ranking, success depending on the cop fit
  (``manager.introduction_cop_fit = 3``): the MatchData, the week's candidates
  and the offset are rebuilt every simulated week;
* ``cop`` — the same, and every introduction follows cop's suggestions
  (``manager.introduction_ranking = "cop"``).

Run: ``python benchmarks/sim_match_ranking.py [--years 1] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from scenarios import load_scenario
from simulation.model import simulate_space

VARIANTS = {
    "baseline": {},
    "fit": {"manager.introduction_cop_fit": 3.0},
    "cop": {"manager.introduction_cop_fit": 3.0, "manager.introduction_ranking": "cop"},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    base = load_scenario("baseline_coworking").with_params({"space.years": args.years})
    times: dict[str, list[float]] = {k: [] for k in VARIANTS}
    cpu: dict[str, list[float]] = {k: [] for k in VARIANTS}
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    rebuilds: dict[str, int] = {}
    for _ in range(args.repeats):
        for name, change in VARIANTS.items():
            sc = base.with_params(change) if change else base
            t, c = time.perf_counter(), time.process_time()
            space, _ = simulate_space(sc, 1)
            times[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
            st = space.matchmaking
            rebuilds[name] = 0 if st is None else st.rebuilds
    ref = statistics.median(times["baseline"])
    ref_cpu = statistics.median(cpu["baseline"])
    print(f"{args.years:g} year(s) of baseline_coworking, median of {args.repeats}; load average at start {load}")
    for name, ts in times.items():
        med, mc = statistics.median(ts), statistics.median(cpu[name])
        print(f"{name:9s} wall {med:6.2f} s  x{med / ref:4.2f}   CPU {mc:6.2f} s  x{mc / ref_cpu:4.2f}  "
              f"rebuilds {rebuilds[name]:3d}  wall runs {', '.join(f'{t:.2f}' for t in ts)}")


if __name__ == "__main__":
    main()
