"""Ranked recommendations: which intervention to try, for which weak indicator.

Each indicator names the interventions that address it, most direct first.
Every ``critical`` indicator adds 2 points and every ``watch`` 1 point to each of
its interventions, divided by the intervention's position in the indicator's
list (1, 1/2, 1/3...).  Interventions are ranked by their total; each row names
the weakest indicator behind it (the largest single contribution).  The
intervention names are shared with the simulation (``cop simulate``), so each
recommendation can be tried as a scenario first.

Examples
--------
>>> import pandas as pd
>>> ind = pd.DataFrame({"name": ["a", "b"], "status": ["critical", "watch"], "explanation": ["A is low.", "B is low."],
...                     "interventions": [["theme", "event_cadence"], ["event_cadence"]]})
>>> recommend(ind)[["rank", "intervention", "indicator"]].values.tolist()
[[1, 'theme', 'a'], [2, 'event_cadence', 'a']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["recommend", "INTERVENTION_TEXT"]

#: What each intervention means, in a manager's words.
INTERVENTION_TEXT: dict[str, str] = {
    "theme": "Give the community a clear theme so events, introductions and members gather around a shared domain.",
    "manager_hours": "Give the community manager more hours (or a second host) for hosting, brokering and follow-up.",
    "event_cadence": "Keep a steady cadence of recurring events (a weekly breakfast, a monthly talk) that people can plan around.",
    "matchmaking_tool": "Introduce members to each other 1:1, daily, with a matchmaking routine or tool that does not depend on one person.",
    "seat_cap": "Cap the seats a single company can hold, so large teams mix with the rest of the community.",
    "onboarding_program": "Run an onboarding program: introductions and a buddy in each newcomer's first weeks.",
    "success_stories": "Collect and share success stories of collaborations between members.",
    "external_speakers": "Invite external speakers and guests to bring outside perspectives.",
}

_SEVERITY = {"critical": 2.0, "watch": 1.0}
COLUMNS = ["rank", "intervention", "indicator", "status", "rationale", "score", "also_addresses"]


def recommend(indicators: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Rank interventions from an ``indicators`` table (columns ``name, status, explanation, interventions``).

    Returns ``rank, intervention, indicator, status, rationale, score, also_addresses``.
    """
    totals: dict[str, float] = {}
    best: dict[str, tuple[float, int, str, str, str]] = {}
    others: dict[str, list[str]] = {}
    for order, row in enumerate(indicators.itertuples(index=False)):
        sev = _SEVERITY.get(row.status, 0.0)
        if not sev:
            continue
        for pos, itv in enumerate(list(row.interventions)):
            pts = sev / (pos + 1)
            totals[itv] = totals.get(itv, 0.0) + pts
            others.setdefault(itv, []).append(row.name)
            cand = (pts, -order, row.name, row.status, row.explanation)
            if itv not in best or cand[:2] > best[itv][:2]:
                best[itv] = cand
    ranked = sorted(totals, key=lambda k: (-totals[k], -best[k][0], list(INTERVENTION_TEXT).index(k) if k in INTERVENTION_TEXT else 99))
    rows = []
    for i, itv in enumerate(ranked, start=1):
        pts, _, name, status, expl = best[itv]
        also = [n for n in dict.fromkeys(others[itv]) if n != name]
        rationale = f"{expl} {INTERVENTION_TEXT.get(itv, itv)}"
        rows.append({"rank": i, "intervention": itv, "indicator": name, "status": status, "rationale": rationale,
                     "score": round(float(totals[itv]), 3), "also_addresses": also})
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["rank"] = out["rank"].astype(np.int64)
    return out if top is None else out.head(top)
