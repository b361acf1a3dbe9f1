"""Ranked recommendations: which intervention to try, for which weak indicator.

Each indicator names the interventions that address it, most direct first.
Every ``critical`` indicator adds 2 points and every ``watch`` 1 point to each of
its interventions, divided by the intervention's position in the indicator's
list (1, 1/2, 1/3...).  Interventions are ranked by their total; each row names
the weakest indicator behind it (the largest single contribution).  The
intervention names are shared with the simulation (``cop simulate``), so each
recommendation can be tried as a scenario first.

One recommendation per indicator: interventions whose weakest indicator is the
same are merged into the row of the best-ranked of them, the others listed in
``alternatives`` (in rank order), so two recommendations never give the same
reason.  An indicator's reading may replace its declared interventions
(:class:`cop.health.Reading`), so a reading never triggers advice that would
push it further the wrong way (too many recurring events never advise more
recurring events).

Examples
--------
>>> import pandas as pd
>>> ind = pd.DataFrame({"name": ["a", "b"], "status": ["critical", "watch"], "explanation": ["A is low.", "B is low."],
...                     "interventions": [["theme", "event_cadence"], ["event_cadence"]]})
>>> recommend(ind)[["rank", "intervention", "indicator"]].values.tolist()
[[1, 'theme', 'a']]
>>> recommend(ind)["alternatives"].tolist()
[['event_cadence']]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from cop.frames import frame_of_rows

__all__ = ["recommend", "INTERVENTION_TEXT", "intervention_texts", "intervention_names", "LazyMapping", "LazySequence"]


def intervention_texts() -> dict[str, str]:
    """What each recommendable intervention means, in a manager's words: ``name -> text``.

    Derived from the intervention declarations of :mod:`simulation.interventions`
    (their ``advice``), imported here on first use: ``cop`` never imports
    ``simulation`` at module level.

    Examples
    --------
    >>> intervention_texts()["seat_cap"]
    'Cap the seats a single company can hold, so large teams mix with the rest of the community.'
    """
    from simulation.interventions import declared_interventions

    return {name: cls.advice for name, cls in declared_interventions().items() if cls.advice}


def intervention_names() -> tuple[str, ...]:
    """Names of the interventions a diagnosis may recommend (those with a text), in declaration order.

    Examples
    --------
    >>> intervention_names()[:2]
    ('theme', 'manager_hours')
    """
    return tuple(intervention_texts())


class LazyMapping(Mapping):
    """A read-only mapping whose items come from ``load()`` on each use.

    It lets a module-level name (such as :data:`INTERVENTION_TEXT`) stand for
    data that lives in :mod:`simulation` without importing it when ``cop`` is
    imported, and always reflects the current declarations.

    Examples
    --------
    >>> m = LazyMapping(lambda: {"a": 1})
    >>> m["a"], list(m), dict(m)
    (1, ['a'], {'a': 1})
    """

    def __init__(self, load: Callable[[], Mapping]) -> None:
        self._load = load

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self) -> Iterator:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __repr__(self) -> str:
        return repr(dict(self._load()))


class LazySequence(Sequence):
    """A read-only tuple-like sequence whose items come from ``load()`` on each use (equal to that tuple).

    Examples
    --------
    >>> s = LazySequence(lambda: ("a", "b"))
    >>> s == ("a", "b"), "b" in s, s[0], len(s)
    (True, True, 'a', 2)
    """

    def __init__(self, load: Callable[[], tuple]) -> None:
        self._load = load

    def __getitem__(self, i):
        return tuple(self._load())[i]

    def __len__(self) -> int:
        return len(self._load())

    def __iter__(self) -> Iterator:
        return iter(tuple(self._load()))

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, LazySequence) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self._load()))


#: What each intervention means, in a manager's words (derived from the declarations, see
#: :func:`intervention_texts`; a lazily filled read-only mapping).
INTERVENTION_TEXT: Mapping[str, str] = LazyMapping(intervention_texts)

_SEVERITY = {"critical": 2.0, "watch": 1.0}
COLUMNS = ["rank", "intervention", "indicator", "status", "rationale", "score", "also_addresses", "alternatives"]


def recommend(indicators: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Rank interventions from an ``indicators`` table (columns ``name, status, explanation, interventions``).

    Returns ``rank, intervention, indicator, status, rationale, score, also_addresses, alternatives``.
    """
    totals: dict[str, float] = {}
    best: dict[str, tuple[float, int, str, str, str]] = {}
    others: dict[str, list[str]] = {}
    # the columns zipped (itertuples builds a namedtuple class on every call)
    rows = zip(indicators["name"], indicators["status"], indicators["interventions"], indicators["explanation"])
    for order, (name, status, interventions, explanation) in enumerate(rows):
        sev = _SEVERITY.get(status, 0.0)
        if not sev:
            continue
        for pos, itv in enumerate(list(interventions)):
            pts = sev / (pos + 1)
            totals[itv] = totals.get(itv, 0.0) + pts
            others.setdefault(itv, []).append(name)
            cand = (pts, -order, name, status, explanation)
            if itv not in best or cand[:2] > best[itv][:2]:
                best[itv] = cand
    texts = intervention_texts()
    order_of = {name: i for i, name in enumerate(texts)}
    ranked = sorted(totals, key=lambda k: (-totals[k], -best[k][0], order_of.get(k, 99)))
    rows: list[dict] = []
    by_indicator: dict[str, dict] = {}
    for itv in ranked:
        pts, _, name, status, expl = best[itv]
        if name in by_indicator:  # same reason as a better-ranked recommendation: merged into it
            row = by_indicator[name]
            row["alternatives"].append(itv)
            row["also_addresses"] = list(dict.fromkeys(row["also_addresses"] + [n for n in others[itv] if n != name]))
            continue
        also = [n for n in dict.fromkeys(others[itv]) if n != name]
        rationale = f"{expl} {texts.get(itv, itv)}"
        row = {"rank": len(rows) + 1, "intervention": itv, "indicator": name, "status": status, "rationale": rationale,
               "score": round(float(totals[itv]), 3), "also_addresses": also, "alternatives": []}
        by_indicator[name] = row
        rows.append(row)
    out = frame_of_rows(rows, COLUMNS)
    out["rank"] = out["rank"].astype(np.int64)
    return out if top is None else out.head(top)
