"""Home spaces: where each member of a network belongs.

Member ids are network-wide: the same id in two spaces is one person.  A
member's home space is, in this order:

1. the ``home_space`` column of the members table, where it is filled in;
2. else the space of most of their participations before ``as_of``;
   a tie goes to the tied space where they took part first, and a tie at the
   very same instant to the first space id in alphabetical order;
3. else none: a member with no participation in any space (a listed member who
   never took part, or one whose rows have no ``space``) has no home space,
   makes no visits and counts in no space's home members.

Examples
--------
>>> import pandas as pd
>>> import cop
>>> log = cop.ActivityLog.from_frame(pd.DataFrame({
...     "activity_id": ["a", "b", "c", "d"], "member_id": ["ann", "ann", "ann", "bo"],
...     "timestamp": ["2024-01-02", "2024-01-01", "2024-01-03", "2024-01-02"],
...     "space": ["oslo", "bergen", "bergen", "oslo"]}))
>>> home_spaces(log)[["home_space", "home_from"]].values.tolist()
[['bergen', 'participations'], ['oslo', 'participations']]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cop.exceptions import DataError
from cop.log import ActivityLog
from cop.network.table import SPACE
from cop.timestamps import as_ns, to_utc_timestamp

__all__ = ["home_spaces", "require_spaces"]


def require_spaces(log: ActivityLog) -> None:
    """Raise one :class:`~cop.exceptions.DataError` unless some rows of ``log`` say their space.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> require_spaces(cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a"], "member_id": ["x"],
    ...                                                          "timestamp": ["2024-01-01"]})))
    Traceback (most recent call last):
    ...
    cop.exceptions.DataError: <DataFrame>: the log has no 'space' column; diagnosing by space needs one naming where each participation happened (e.g. oslo, bergen)
    """
    if SPACE not in log.data.columns:
        raise DataError(f"{log.source}: the log has no 'space' column; diagnosing by space needs one naming where each "
                        "participation happened (e.g. oslo, bergen)",
                        hint="add a space column, map yours with --map space=YourHeader, or give the file its space "
                             "with --set space=NAME (each added file: --add FILE@space=NAME)")
    if not (log.data[SPACE].cat.codes.to_numpy() >= 0).any():
        raise DataError(f"{log.source}, column 'space': every row is empty; diagnosing by space needs the space of "
                        "each participation", hint="fill in the space column, or --set space=NAME")


#: Largest people x spaces grid :func:`_best_spaces` counts densely (else it groups the rows with pandas).
_DENSE_CELLS = 1 << 25


def _best_spaces(m: np.ndarray, s: np.ndarray, t: np.ndarray, n_m: int, n_s: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each person's space with the most rows (ties: the earliest first row, then the first space code).

    Returns ``(people, their space codes, their rows there, people tied at the most rows)``; the
    people are those with a row, in code order.  A grid of the (person, space) counts and first
    times when it is small; else the rows grouped and sorted with pandas.
    """
    if n_m * n_s <= _DENSE_CELLS and n_s > 0:
        key = m.astype(np.int64) * n_s + s
        n = np.bincount(key, minlength=n_m * n_s).reshape(n_m, n_s)
        first = np.full(n_m * n_s, np.iinfo(np.int64).max)
        np.minimum.at(first, key, t)
        first = first.reshape(n_m, n_s)
        top = n.max(axis=1)
        people = np.flatnonzero(top > 0)
        at_top = (n == top[:, None]) & (n > 0)
        earliest = np.where(at_top, first, np.iinfo(np.int64).max).min(axis=1)
        best = np.argmax(at_top & (first == earliest[:, None]), axis=1)
        tied = np.flatnonzero(at_top.sum(axis=1) > 1)
        return people, best[people], top[people].astype(np.int64), tied
    pairs = pd.DataFrame({"m": m, "s": s, "t": t})
    per = pairs.groupby(["m", "s"], sort=False).agg(n=("t", "size"), first=("t", "min")).reset_index()
    per = per.sort_values(["m", "n", "first", "s"], ascending=[True, False, True, True], kind="stable")
    best = per.drop_duplicates("m")
    top = per.merge(best[["m", "n"]], on=["m", "n"])
    tied = top.groupby("m").size()
    return (best["m"].to_numpy(), best["s"].to_numpy(), best["n"].to_numpy(dtype=np.int64),
            tied[tied > 1].index.to_numpy())


def home_spaces(log: ActivityLog, as_of: Any = None, notes: list[str] | None = None) -> pd.DataFrame:
    """Each person's home space (the rule of :mod:`cop.network.homes`).

    Parameters
    ----------
    log : ActivityLog
        A log with a ``space`` column.
    as_of : date-like, optional
        Only participations before it count (default all).
    notes : list of str, optional
        Receives a note counting the members whose home space was a tie.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``member_id`` (every person of the log, in its category
        order): ``home_space`` (str or ``None``), ``home_from``
        (``"members table"``, ``"participations"``, ``"tie: first visited"``
        or ``None``) and ``home_participations`` (rows in the home space).

    Examples
    --------
    >>> import pandas as pd, cop
    >>> log = cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "b", "c", "d"], "member_id": ["ann"] * 3 + ["bo"],
    ...     "timestamp": ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"], "space": ["oslo", "oslo", "bergen", "bergen"]}))
    >>> home_spaces(log)[["home_space", "home_from"]].values.tolist()
    [['oslo', 'participations'], ['bergen', 'participations']]
    """
    require_spaces(log)
    d = log.data
    ids = pd.Index(np.asarray(d["member_id"].cat.categories, dtype=object), name="member_id")
    space_cats = np.asarray(d[SPACE].cat.categories, dtype=object)
    m = d["member_id"].cat.codes.to_numpy()
    s = d[SPACE].cat.codes.to_numpy()
    t = as_ns(d["timestamp"])
    keep = s >= 0
    if as_of is not None:
        keep &= t < to_utc_timestamp(as_of, name="as_of").value
    # categories are sorted, so the space code order is the alphabetical order of the ids
    bm, bs, bn, tied = _best_spaces(m[keep], s[keep], t[keep], len(ids), len(space_cats))
    home = np.full(len(ids), None, dtype=object)
    count = np.zeros(len(ids), dtype=np.int64)
    src = np.full(len(ids), None, dtype=object)
    home[bm] = space_cats[bs]
    count[bm] = bn
    src[bm] = "participations"
    src[tied] = "tie: first visited"
    out = pd.DataFrame({"home_space": pd.Series(home, index=ids, dtype=object),
                        "home_from": pd.Series(src, index=ids, dtype=object), "home_participations": count}, index=ids)
    table = log.members_table
    if table is not None and "home_space" in table.columns:
        given = table.set_index("member_id")["home_space"]
        given = given.astype(object).where(given.notna(), None).map(lambda v: None if v is None else str(v).strip() or None)
        given = given.dropna().reindex(ids).dropna()
        if len(given):
            out.loc[given.index, "home_space"] = given.to_numpy(dtype=object)
            out.loc[given.index, "home_from"] = "members table"
            at = pd.Series(space_cats).reset_index().set_index(0)["index"] if len(space_cats) else pd.Series(dtype=int)
            codes = given.map(at).to_numpy()
            n = np.zeros(len(given), dtype=np.int64)
            pos = ids.get_indexer(given.index)
            ok = ~pd.isna(codes)
            if ok.any():
                sub = pd.DataFrame({"m": m[keep], "s": s[keep]}).groupby(["m", "s"]).size()
                look = pd.MultiIndex.from_arrays([pos[ok], codes[ok].astype(np.int64)])
                n[ok] = sub.reindex(look).fillna(0).to_numpy(dtype=np.int64)
            out.loc[given.index, "home_participations"] = n
    n_tied = int((out["home_from"] == "tie: first visited").sum())
    if notes is not None and n_tied:
        first = out.index[(out["home_from"] == "tie: first visited").to_numpy()][0]
        notes.append(f"{log.source}: {n_tied} member(s) took part equally often in two or more spaces (first: {first!r}); "
                     "each is given the tied space where they took part first as home space "
                     "(a members table column home_space says otherwise)")
    return out
