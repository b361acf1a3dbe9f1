"""Diagnose a community from its exports, as a developer would: pandas and networkx in and out.

Run on the bundled coworking example (or your own files)::

    python examples/diagnose_exports.py
    python examples/diagnose_exports.py --activities my/activities.csv --members my/members.csv --out out/

It loads the log, prints who is core / active / peripheral, the current
life-cycle phase with its evidence, the weak indicators and what to try; it
then writes a pseudonymized members table, the interaction graph for Gephi and
the HTML report into ``--out``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import networkx as nx
import pandas as pd

import cop


def main(argv: list[str] | None = None) -> cop.Diagnosis:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=Path, help="participation log (default: the bundled example)")
    parser.add_argument("--members", type=Path, help="members table")
    parser.add_argument("--details", type=Path, help="activities table")
    parser.add_argument("--out", type=Path, default=Path("diagnosis-out"), help="folder for the outputs")
    args = parser.parse_args(argv)

    log = cop.load_example() if args.activities is None else cop.read_activities(args.activities, args.members, args.details)
    print(log)

    d = cop.diagnose(log)
    print(f"\nphase: {d.phase} (confidence {d.phase_confidence:.2f})")
    for sentence in d.phase_evidence:
        print("  -", sentence)

    # pandas in, pandas out: who is where, by organization
    levels = d.members.groupby(["organization", "level"], dropna=False).size().unstack(fill_value=0)
    print("\nlargest organizations by level:")
    print(levels.loc[levels.sum(axis=1).nlargest(5).index].to_string())

    weak = d.indicators[d.indicators["status"].isin(["critical", "watch"])]
    print("\nweak indicators:")
    print(weak[["name", "status", "value", "principle"]].to_string(index=False))
    print("\nwhat to try:")
    print(d.recommendations[["rank", "intervention", "indicator"]].head(3).to_string(index=False))

    # networkx out: the last 90 days' ties, with level on every node
    g = d.graph.to_networkx()
    nx.set_node_attributes(g, d.members.set_index("member_id")["level"].to_dict(), "level")
    bridges = sorted(nx.betweenness_centrality(g, k=min(200, len(g)), seed=1, weight=None).items(), key=lambda kv: -kv[1])[:3]
    print("\nmembers bridging most shortest paths:", [m for m, _ in bridges])

    args.out.mkdir(parents=True, exist_ok=True)
    private = cop.pseudonymize(log, salt="change me")
    cop.diagnose(private).members.to_csv(args.out / "members_pseudonymized.csv", index=False)
    cop.interaction_graph(private, start=d.as_of - pd.Timedelta(days=d.lookback)).write(args.out / "ties.gexf")
    d.to_html(args.out / "report.html")
    print(f"\nwrote {args.out}/members_pseudonymized.csv, ties.gexf and report.html")
    return d


if __name__ == "__main__":
    main()
