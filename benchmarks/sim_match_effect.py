"""Effect of who picks the introductions, read from the simulated state (complements ``cop experiment``).

Runs ``matchmaking_follow_cop``, ``matchmaking_random`` and
``matchmaking_manager_only`` for ``--years`` (default 1) with the same seeds
(common random numbers), ``--replicates`` each (default 5), and reports per
scenario the mean and a 95 % t interval of

* ``intro_success`` — share of introductions (tool suggestions included) that worked out;
* ``ties_per_member`` — ties above ``encounters.tie_threshold`` per current member at the end;
* ``newcomer_cross_tie`` — share of the members who joined during the run and are still there with a tie
  to another organisation at the end;
* ``retention`` — share of the members who joined during the run still members at the end;

and the paired difference follow_cop - random and follow_cop - manager_only
(same seed), with a 95 % t interval.

Run: ``python benchmarks/sim_match_effect.py [--replicates 5] [--years 1]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy import stats

from scenarios import load_scenario
from simulation.model import simulate_space

SCENARIOS = ("matchmaking_follow_cop", "matchmaking_random", "matchmaking_manager_only")
METRICS = ("intro_success", "ties_per_member", "newcomer_cross_tie", "retention")


def measure(space) -> dict[str, float]:
    r = space.roster
    thr = space.scenario.encounters.tie_threshold
    n = r.n
    act = r.active_idx()
    made, worked = space.matchmaking.outcomes
    new = np.flatnonzero(r.joined[:n] > 0)
    stay = new[r.active[new]]
    a, b = r.ties.pairs_above(thr)
    cross = r.org[a] != r.org[b]
    has_cross = np.zeros(n, dtype=bool)
    has_cross[a[cross]] = True
    has_cross[b[cross]] = True
    return {
        "intro_success": worked / max(made, 1),
        "ties_per_member": float(r.ties.count_above(act, thr).mean()),
        "newcomer_cross_tie": float(has_cross[stay].mean()) if len(stay) else np.nan,
        "retention": len(stay) / max(len(new), 1),
    }


def ci(x: np.ndarray) -> str:
    m = float(np.mean(x))
    h = float(stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / np.sqrt(len(x))) if len(x) > 1 else np.nan
    return f"{m:8.3f} [{m - h:7.3f}, {m + h:7.3f}]"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=5)
    ap.add_argument("--years", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    seeds = np.random.SeedSequence(args.seed).generate_state(args.replicates).tolist()
    res = {s: {m: [] for m in METRICS} for s in SCENARIOS}
    for seed in seeds:
        for name in SCENARIOS:
            space, _ = simulate_space(load_scenario(name).with_params({"space.years": args.years}), int(seed))
            for m, v in measure(space).items():
                res[name][m].append(v)
    print(f"{args.replicates} replicates x {args.years:g} year(s), seed {args.seed}; mean [95% CI]")
    for m in METRICS:
        print(m)
        for name in SCENARIOS:
            print(f"  {name:26s} {ci(np.array(res[name][m]))}")
        for other in SCENARIOS[1:]:
            d = np.array(res[SCENARIOS[0]][m]) - np.array(res[other][m])
            print(f"  follow_cop - {other[12:]:13s} {ci(d)}")


if __name__ == "__main__":
    main()
