"""Where each headline effect comes from: the effect with each of its mechanisms switched off (ablations).

For each headline effect (a theme on collaborations; the manager's hours, 40 against 20 a week, on
members and collaborations; the matchmaking tool on introductions and collaborations; large
companies' peripherality as cop's diagnosis reads it), the effect is measured in the full model and
in each ablation scenario (``scenarios/ablation_*.toml``, one mechanism off in both arms).  Every
scenario runs the same replicate seeds (common random numbers); an effect is the mean of the paired
per-replicate differences, with a 95 % t-interval.

Run: ``PYTHONPATH=. python benchmarks/effect_origins.py [--replicates 5] [--years 2] [--seed 77]``
(prints a Markdown table; docs/model.md quotes its output).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from scipy import stats

from scenarios import load_scenario
from simulation import run_experiment
from simulation.metrics import log_metrics

HOMOPHILY = ("baseline_coworking", "ablation_no_homophily", "ablation_no_colleague_affinity", "ablation_no_team_rooms",
             "ablation_no_team_lunch")


def metrics(result) -> pd.DataFrame:
    """log_metrics (whole run) plus, for the homophily scenarios, the peripheral-share gap read by cop."""
    out = log_metrics(result)
    out = out[out["period"] == "all"]
    rows = []
    if result.scenario.name in HOMOPHILY:
        import cop

        lv = cop.diagnose(result.log).members.merge(result.members[["member_id", "org_type"]], on="member_id")
        lv = lv[lv["level"].isin(["core", "active", "peripheral"])]
        per = lv.groupby("org_type")["level"].apply(lambda s: float((s == "peripheral").mean()))
        rows.append(("all", "peripheral_gap", per.get("large_company", np.nan)
                     - np.nanmean([per.get("freelancer", np.nan), per.get("startup", np.nan)])))
    return pd.concat([out, pd.DataFrame(rows, columns=["period", "metric", "value"])], ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicates", type=int, default=5)
    ap.add_argument("--years", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=77)
    args = ap.parse_args()

    def sc(name, **params):
        return load_scenario(name).with_params({"space.years": args.years, **params})

    hours20 = {"manager.hours_per_week": 20}
    tool = load_scenario("matchmaking_tool").interventions
    scen = {
        "baseline_coworking": sc("baseline_coworking"),
        "themed_space": sc("themed_space"),
        **{n: sc(n) for n in ("ablation_theme_no_topical_events", "ablation_theme_no_admission_fit",
                               "ablation_theme_no_theme_interests")},
        **{n: sc(n) for n in HOMOPHILY[1:]},
        **{n: sc(n) for n in ("ablation_no_brokering", "ablation_introductions_always_work",
                               "ablation_no_onboarding_introductions", "ablation_no_group_interactions")},
        "matchmaking_tool": sc("matchmaking_tool"),
        "ablation_tool_no_fading": sc("ablation_tool_no_fading"),
    }
    scen["tool+ablation_introductions_always_work"] = scen["ablation_introductions_always_work"].model_copy(
        update={"interventions": tool})
    for n in ("baseline_coworking", "ablation_no_brokering", "ablation_introductions_always_work",
              "ablation_no_onboarding_introductions", "ablation_no_group_interactions"):
        scen[f"{n}@20h"] = scen[n].with_params(hours20)
    ex = run_experiment(scen, replicates=args.replicates, seed=args.seed, metrics=metrics, executor="processes",
                        workers=2)
    r = ex.results
    r = r[r["period"] == "all"].pivot_table(index=["scenario", "replicate"], columns="metric", values="value")

    def effect(a: str, b: str, metric: str) -> str:
        d = (r.loc[a][metric] - r.loc[b][metric]).dropna()
        m = d.mean()
        h = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.nan
        return f"{m:+.2f} [{m - h:+.2f}, {m + h:+.2f}]"

    def level(a: str, metric: str) -> str:
        return f"{r.loc[a][metric].mean():.2f}"

    print(f"replicates {args.replicates}, seed {args.seed}, {args.years:g} simulated years\n")
    print("| headline effect | outcome | mechanisms | effect (95 % CI) | level in the arm with the lever |")
    print("|---|---|---|---|---|")
    for a, label in (("themed_space", "all"), ("ablation_theme_no_topical_events", "no topical events"),
                     ("ablation_theme_no_admission_fit", "no admission by fit"),
                     ("ablation_theme_no_theme_interests", "no theme-carrying applicants")):
        print(f"| theme | collaborations per member | {label} | {effect(a, 'baseline_coworking', 'collaborations_per_member')}"
              f" | {level(a, 'collaborations_per_member')} |")
    for base, label in (("baseline_coworking", "all"), ("ablation_no_brokering", "no brokering"),
                        ("ablation_introductions_always_work", "introductions always work"),
                        ("ablation_no_onboarding_introductions", "no onboarding introductions"),
                        ("ablation_no_group_interactions", "no group interactions")):
        for metric in ("members", "collaborations_per_member"):
            print(f"| manager 40 h vs 20 h | {metric} | {label} | {effect(base, base + '@20h', metric)} | "
                  f"{level(base, metric)} |")
    for a, b, label in (("matchmaking_tool", "baseline_coworking", "all (suggestions declined, adoption fades)"),
                        ("ablation_tool_no_fading", "baseline_coworking", "adoption never fades"),
                        ("tool+ablation_introductions_always_work", "ablation_introductions_always_work",
                         "suggestions never declined")):
        for metric in ("introductions", "collaborations_per_member"):
            print(f"| matchmaking tool | {metric} | {label} | {effect(a, b, metric)} | {level(a, metric)} |")
    for a, label in zip(HOMOPHILY, ("all", "no homophily at all", "no colleague affinity", "no team rooms",
                                    "no team lunches")):
        d = r.loc[a]["peripheral_gap"]
        m = d.mean()
        h = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        print(f"| large companies more peripheral | peripheral share, large companies - others | {label} | "
              f"{m:+.2f} [{m - h:+.2f}, {m + h:+.2f}] (gap itself) | — |")
    if not ex.failures.empty:
        print(ex.failures)


if __name__ == "__main__":
    main()
