"""The network diagnosis as text: sections shared by ``NetworkDiagnosis.summary_text()`` and ``cop diagnose --by space``.

Examples
--------
>>> import pandas as pd
>>> import cop
>>> rows = pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": ["ann", "bo", "cy", "ann"],
...                      "timestamp": ["2024-01-05", "2024-01-05", "2024-01-06", "2024-01-06"],
...                      "space": ["oslo", "oslo", "bergen", "bergen"]})
>>> nd = cop.diagnose_network(cop.ActivityLog.from_frame(rows), lookback=90, agreement=False, emit_warnings=False)
>>> [s.title.split(" (")[0] for s in network_sections(nd)][:3]
['Network of 2 spaces as of 2024-01-07', 'Spaces', 'Links between spaces']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cop.summary import Section

__all__ = ["network_sections", "space_role"]


def _pct(v: Any) -> str:
    return "n/a" if v is None or (isinstance(v, float) and not np.isfinite(v)) else f"{100 * float(v):.0f}%"


def space_role(row: Any) -> str:
    """``"bridge"``, ``"cut off"``, ``"linked"`` or ``""`` (a network of one space) for a row of ``NetworkDiagnosis.spaces``.

    Examples
    --------
    >>> space_role({"bridge": True, "cut_off": False, "linked_spaces": 3, "shared_events": 0})
    'bridge'
    >>> space_role({"bridge": False, "cut_off": True, "linked_spaces": 0, "shared_events": 2})
    'cut off (shared events only)'
    """
    if bool(row["cut_off"]):
        return "cut off" + (" (shared events only)" if int(row["shared_events"]) else "")
    if bool(row["bridge"]):
        return "bridge"
    return "linked" if int(row["linked_spaces"]) else ""


def network_sections(nd: Any, top: int = 10) -> list[Section]:
    """The sections: the network's figures, the spaces, their links, shared events, benchmark, people in several spaces, each space.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> log = cop.ActivityLog.from_frame(pd.DataFrame({
    ...     "activity_id": ["talk", "talk", "talk", "intro"], "member_id": ["ann", "bo", "cy", "ann"],
    ...     "timestamp": ["2024-01-02"] * 3 + ["2024-01-05"], "space": ["oslo", "oslo", "bergen", "oslo"]}))
    >>> nd = cop.diagnose_network(log, emit_warnings=False)
    >>> [s.title for s in network_sections(nd)][1:3]
    ['Spaces', 'Links between spaces']
    """
    s = nd.summary
    head = [
        f"{s['people']} people took part; {s['multi_space_people']} ({_pct(s['multi_space_share'])}) in two or more spaces.",
        f"{s['visits']} of {s['participations']} participations ({_pct(s['visit_share'])}) were visits outside the home "
        f"space, by {s['visitors']} people.",
        f"{s['ties_across_spaces']} of {s['ties']} ties ({_pct(s['tie_share_across'])}) link members of different home spaces; "
        f"{s['mixed_activities']} of {s['activities']} activities mixed members of several home spaces.",
        f"{s['shared_events']} shared or streamed event(s) had participants in several spaces.",
        ("Bridges (the network falls apart without them): " + ", ".join(s["bridges"])) if s["bridges"]
        else "No single space holds the network together.",
        ("Cut off (no shared people or ties with any other space): " + ", ".join(s["cut_off"])) if s["cut_off"]
        else "No space is cut off.",
    ]
    if s.get("components", 1) > 1:
        head.append(f"The spaces form {s['components']} separate groups.")
    out = [Section(f"Network of {s['spaces']} spaces as of {nd.as_of:%Y-%m-%d} ({nd.lookback}-day window)",
                   notes=head + list(nd.notes), bullets=True)]
    sp = nd.spaces
    out.append(Section("Spaces", ("space", "phase", "people", "core", "weak", "visits in", "out", "ties across", "role"),
                       [(str(r["space_id"]), str(r["phase"] or "-"), str(r["people"]), str(r["core"]),
                         f"{r['critical']}+{r['watch']}", str(r["visits_in"]), str(r["visits_out"]), str(r["ties_across"]),
                         space_role(r) + (f" ({r['betweenness']:.2f})" if r["betweenness"] > 0 else ""))
                        for _, r in sp.iterrows()],
                       ["weak: critical + watch indicators of the space's own diagnosis; in brackets: betweenness in the "
                        "space graph"]))
    links = nd.links.sort_values("connections", ascending=False, kind="stable")
    out.append(Section("Links between spaces", ("spaces", "shared people", "ties", "shared events"),
                       [(f"{r.space_a} - {r.space_b}", str(r.shared_members), str(r.ties), str(r.shared_events))
                        for r in links.head(top).itertuples(index=False)],
                       [] if len(links) else ["none: no space shares people, ties or events with another"]))
    ev = nd.shared_events
    if len(ev):
        out.append(Section(f"Shared events ({len(ev)})", ("activity", "start", "spaces", "participants"),
                           [(str(r.activity_id), f"{pd.Timestamp(r.start):%Y-%m-%d}", ", ".join(r.spaces), str(r.participants))
                            for r in ev.head(top).itertuples(index=False)]))
    b = nd.benchmark
    if len(b):
        rows = []
        for name, g in b.groupby("indicator", sort=False):
            g = g[g["quartile"].notna()]
            if not len(g):
                continue
            low = ", ".join(g.loc[g["quartile"] == 1, "space"].astype(str))
            high = ", ".join(g.loc[g["quartile"] == 4, "space"].astype(str))
            rows.append((str(name), f"{g['network_median'].iloc[0]:.3g}", low or "-", high or "-"))
        out.append(Section("Benchmark (each space's quartile in the network)", ("indicator", "median", "lowest quarter",
                                                                                  "highest quarter"), rows))
    multi = nd.members[nd.members["n_spaces"] >= 2]
    if len(multi):
        out.append(Section(f"People in several spaces ({len(multi)})", ("member", "home", "spaces", "visits"),
                           [(str(r.member_id), str(r.home_space or "-"), ", ".join(r.spaces), str(r.visits))
                            for r in multi.head(top).itertuples(index=False)]))
    each = []
    for name, d in nd.diagnoses.items():
        weak = d.weak_indicators
        first = d.recommendations.iloc[0]["intervention"] if len(d.recommendations) else "-"
        each.append((name, f"{d.phase} ({d.phase_confidence:.2f})", ", ".join(weak["name"].head(3)) or "-", str(first)))
    out.append(Section("Each space (its own diagnosis)", ("space", "phase", "weakest indicators", "first thing to try"), each,
                       [f"{k}: {v}" for k, v in nd.skipped.items()]))
    return out
