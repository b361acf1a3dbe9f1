"""One log per space: the rows of a network's log that happened in each space.

Each space's log is what that space's own export would be: its rows (a shared
or streamed activity keeps, in each space, the rows of its participants
there), the ids that occur in them, the members table restricted to its
participants and to the members whose ``home_space`` it is, and the activities
table restricted to its activities.  The managers the spaces table names for
a space are its coordinators (role ``manager``) in that space's log.

Examples
--------
>>> import pandas as pd
>>> import cop
>>> log = cop.ActivityLog.from_frame(pd.DataFrame({
...     "activity_id": ["talk", "talk", "talk", "intro"], "member_id": ["ann", "bo", "cy", "ann"],
...     "timestamp": ["2024-01-02"] * 3 + ["2024-01-05"], "space": ["oslo", "oslo", "bergen", "oslo"]}))
>>> logs = space_logs(log)
>>> {s: (len(x), list(x.data["member_id"].cat.categories)) for s, x in logs.items()}
{'bergen': (1, ['cy']), 'oslo': (3, ['ann', 'bo'])}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cop.log import ActivityLog
from cop.network.homes import require_spaces
from cop.network.table import SPACE
from cop.tables import _remove_unused_categories

__all__ = ["space_logs", "space_order"]


def space_order(log: ActivityLog, spaces: pd.DataFrame | None = None) -> list[str]:
    """The spaces of a network: those of the spaces table in its order, then the log's other values alphabetically.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> log = cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "b"], "member_id": ["ann", "bo"],
    ...     "timestamp": ["2024-01-02", "2024-01-03"], "space": ["oslo", "bergen"]}))
    >>> space_order(log)
    ['bergen', 'oslo']
    """
    seen = np.asarray(log.data[SPACE].cat.categories, dtype=object)
    codes = log.data[SPACE].cat.codes.to_numpy()
    used = set(seen[np.unique(codes[codes >= 0])])
    listed = [] if spaces is None else [str(s) for s in spaces["space_id"]]
    return listed + sorted(used - set(listed))


def space_logs(log: ActivityLog, spaces: pd.DataFrame | None = None) -> dict[str, ActivityLog]:
    """The log of each space that has rows (in :func:`space_order`); rows without a space are in none.

    Parameters
    ----------
    log : ActivityLog
        A log with a ``space`` column.
    spaces : pandas.DataFrame, optional
        A normalised spaces table (:func:`cop.network.normalize_spaces`); its
        ``managers`` become coordinators of their space.

    Returns
    -------
    dict
        ``{space_id: ActivityLog}``; each log's ``source`` is ``"<source> [space_id]"``.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> log = cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["talk", "talk", "intro"], "member_id": ["ann", "cy", "ann"],
    ...     "timestamp": ["2024-01-02", "2024-01-02", "2024-01-05"], "space": ["oslo", "bergen", "oslo"]}))
    >>> {name: len(sub) for name, sub in space_logs(log).items()}
    {'bergen': 1, 'oslo': 2}
    """
    require_spaces(log)
    d = log.data
    codes = d[SPACE].cat.codes.to_numpy()
    cats = np.asarray(d[SPACE].cat.categories, dtype=object)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(cats) + 1))
    managers = {} if spaces is None else {str(r.space_id): tuple(r.managers) for r in spaces.itertuples(index=False)}
    table = log.members_table
    # each member's home space (stripped), read once for all spaces
    homes = _stripped_homes(table)
    details = log.activities_table
    out: dict[str, ActivityLog] = {}
    by_name = {str(c): k for k, c in enumerate(cats)}
    for name in space_order(log, spaces):
        k = by_name.get(name)
        if k is None or bounds[k + 1] == bounds[k]:
            continue
        rows = d.iloc[order[bounds[k]:bounds[k + 1]]].reset_index(drop=True)
        for col in ("activity_id", "member_id", "role", "topic", SPACE):
            rows[col] = _remove_unused_categories(rows[col])
        members = _members_of(rows, table, name, managers.get(name, ()), homes)
        if members is not None:
            extra = pd.Index(members["member_id"]).difference(rows["member_id"].cat.categories, sort=False)
            if len(extra):
                rows["member_id"] = rows["member_id"].cat.add_categories(extra)
        acts = None
        if details is not None:
            acts = details[details["activity_id"].isin(rows["activity_id"].cat.categories)].reset_index(drop=True)
        out[name] = ActivityLog(rows, members, acts, source=f"{log.source} [{name}]", warnings=[])
    return out


def _stripped_homes(table: pd.DataFrame | None) -> np.ndarray | None:
    """The members table's ``home_space`` values stripped (``None`` where not text); ``None`` without the column."""
    if table is None or "home_space" not in table.columns:
        return None
    return table["home_space"].astype(object).map(lambda v: v.strip() if isinstance(v, str) else None).to_numpy(dtype=object)


def _members_of(rows: pd.DataFrame, table: pd.DataFrame | None, space: str, managers: tuple[str, ...],
                homes: np.ndarray | None = None) -> pd.DataFrame | None:
    """The members table of one space: its participants and home members, its managers as coordinators.

    ``homes``: the table's ``home_space`` values stripped (``None`` where not text), computed once for
    all spaces by :func:`space_logs`; without it they are read from the table here.
    """
    people = rows["member_id"].cat.categories
    if table is None:
        if not managers:
            return None
        ids = pd.Index(people).union(pd.Index(managers, dtype=object), sort=False)
        sub = pd.DataFrame({"member_id": ids.to_numpy(dtype=object), "organization": None, "role": "member",
                            "joined": pd.Series(pd.NaT, index=range(len(ids)), dtype="datetime64[ns, UTC]"),
                            "left": pd.Series(pd.NaT, index=range(len(ids)), dtype="datetime64[ns, UTC]")})
    else:
        keep = table["member_id"].isin(people)
        if "home_space" in table.columns:
            if homes is None:
                homes = _stripped_homes(table)
            keep |= homes == space
        if managers:
            keep |= table["member_id"].isin(managers)
        sub = table[keep.to_numpy()].reset_index(drop=True)
        missing = [m for m in managers if m not in set(sub["member_id"])]
        if missing:
            add = pd.DataFrame({"member_id": missing, "role": "member"})
            sub = pd.concat([sub, add], ignore_index=True)
            for col in ("joined", "left"):
                sub[col] = pd.to_datetime(sub[col], utc=True)
    if managers:
        sub = sub.copy()
        sub.loc[sub["member_id"].isin(managers).to_numpy(), "role"] = "manager"
    return sub
