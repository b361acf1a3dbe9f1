"""Named patterns in the levels over time.

``stuck_periphery``
    a member peripheral (still taking part, never inactive) for at least
    ``min_periods`` consecutive periods up to the last one (default 6).
``moving_inward``
    a member first seen within the last ``recent`` periods (default 12) who
    was peripheral and is now active or core.
``drifting_core``
    a member who was core within the last ``recent`` periods, has not been core
    for the last two periods, and is now peripheral, inactive or active.

    Precedence: a member is in at most one of ``moving_inward`` and
    ``drifting_core``.  When both rules hold, the *latest* movement decides:
    if the member's last core period comes after their last peripheral period
    (peripheral -> core -> lower), they are drifting core; if the last
    peripheral period comes after the last core period (core -> peripheral ->
    higher again), they are moving inward.
``siloed_organization``
    an organization siloed by the rule of :func:`cop.health.organizations.is_siloed`:
    it stays at the edge (at least ``SILO_MIN_MEMBERS`` (3) current members, at
    least ``share`` (``SILO_PERIPHERAL_SHARE``, 70 %) of them peripheral or
    inactive) for ``min_org_periods`` consecutive periods up to the last
    (default 3), and leans inward (weighted E-I <= 0 or below what random
    mixing gives) — the large company that keeps to itself.  An organization
    with few ties at all is ``isolated_organization`` instead, never both.
``isolated_organization``
    an organization whose verdict in the diagnosis window is ``isolated``
    (:func:`cop.health.organizations.is_isolated`: at least three members and
    fewer ties, inside and outside together, than members) — whichever way its
    few ties go.

Examples
--------
>>> import pandas as pd
>>> p = pd.date_range("2024-01-01", periods=7, freq="MS", tz="UTC")
>>> lbp = pd.DataFrame({"period": list(p) * 2, "member_id": ["a"] * 7 + ["b"] * 7,
...                     "level": ["peripheral"] * 7 + ["core"] * 7})
>>> find_patterns(lbp)[["pattern", "member_id", "periods"]].values.tolist()
[['stuck_periphery', 'a', 7]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cop.frames import frame_of_rows
from cop.health.organizations import SILO_PERIPHERAL_SHARE, leans_inward, stays_at_edge
from cop.participation.flows import LevelGrid

__all__ = ["find_patterns", "PATTERNS", "trailing_run"]

PATTERNS: tuple[str, ...] = ("stuck_periphery", "moving_inward", "drifting_core", "siloed_organization",
                             "isolated_organization")
_COLS = ["pattern", "member_id", "organization", "since", "periods", "detail"]


def trailing_run(mask: np.ndarray) -> np.ndarray:
    """Length of the run of True at the end of each row of a boolean matrix.

    Examples
    --------
    >>> trailing_run(np.array([[True, False, True, True], [False, False, False, True]])).tolist()
    [2, 1]
    """
    rev = mask[:, ::-1]
    return np.where(rev.all(axis=1), mask.shape[1], np.argmin(rev, axis=1))


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in _COLS}).astype({"periods": np.int64})


def _wide(levels: pd.DataFrame) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """``levels.pivot(index="member_id", columns="period", values="level")`` as ``(ids, periods, levels)``, a
    missing level ``""``: the sorted ids and periods, and the grid of levels as strings (``str`` array).

    Placed by the factorised codes rather than through pandas' pivot (whose per-column cost dominates
    small communities diagnosed side by side); a duplicated or missing key goes through the pivot
    itself, which raises or drops as it does.
    """
    mc, ids = pd.factorize(levels["member_id"], sort=True)
    pc, per = pd.factorize(levels["period"], sort=True)
    n_m, n_p = len(ids), len(per)
    if (mc < 0).any() or (pc < 0).any() or _repeated(mc.astype(np.int64) * max(n_p, 1) + pc, n_m * max(n_p, 1)):
        wide = levels.pivot(index="member_id", columns="period", values="level")
        lv = wide.to_numpy(dtype=object)
        return wide.index.to_numpy(dtype=object), list(wide.columns), np.where(pd.isna(lv), "", lv).astype(str)
    vals = levels["level"].to_numpy(dtype=object)
    grid = np.full((n_m, n_p), "", dtype=object)
    grid[mc, pc] = np.where(pd.isna(vals), "", vals)
    return np.asarray(ids, dtype=object), list(per), grid.astype(str)


def _repeated(key: np.ndarray, n_keys: int) -> bool:
    """Whether some value of ``key`` (in ``[0, n_keys)``) occurs twice: counted in a grid when it is small, else sorted."""
    if n_keys <= 1 << 26:
        return bool(len(key)) and int(np.bincount(key, minlength=n_keys).max()) > 1
    return len(np.unique(key)) != len(key)


def _order(rows: list[tuple]) -> np.ndarray:
    """The order of the patterns table: pattern (in :data:`PATTERNS` order), ``periods`` descending, ``member_id``,
    ``organization`` (missing last).

    The positions ``sort_values(["_o", "periods", "member_id", "organization"], ascending=[True, False, True, True],
    na_position="last")`` gives (a stable sort of each key's sorted codes), by one ``np.lexsort``.
    """
    rank = {p: i for i, p in enumerate(PATTERNS)}
    o = np.array([rank.get(r[0], len(PATTERNS)) for r in rows], dtype=np.int64)
    periods = np.array([r[4] for r in rows], dtype=np.int64)

    def codes(k: int) -> np.ndarray:
        c, uniques = pd.factorize(np.array([r[k] for r in rows], dtype=object), sort=True)
        return np.where(c < 0, len(uniques), c)
    return np.lexsort((codes(2), codes(1), -periods, o))


def find_patterns(levels: pd.DataFrame, organizations: pd.Series | None = None, org_table: pd.DataFrame | None = None,
                  *, min_periods: int = 6, recent: int = 12, min_org_periods: int = 3,
                  share: float = SILO_PERIPHERAL_SHARE, grid: LevelGrid | None = None) -> pd.DataFrame:
    """The ``patterns`` table from a tidy ``period, member_id, level`` frame.

    Parameters
    ----------
    levels : pandas.DataFrame
        ``levels_by_period`` of a diagnosis.
    organizations : pandas.Series, optional
        Organization per ``member_id`` (for ``siloed_organization`` and the ``organization`` column).
    org_table : pandas.DataFrame, optional
        The diagnosis ``organizations`` table (``ei_index``, ``external_ties``, ``members``).
    grid : LevelGrid, optional
        The :func:`cop.participation.flows.level_grid` of the periods behind ``levels`` when at hand
        (the levels read from it instead of pivoting the frame).
    """
    if levels.empty:
        return _empty()
    ids, periods, lv = _wide(levels) if grid is None else (grid.ids, grid.periods, grid.levels)
    org = organizations.reindex(ids).to_numpy(dtype=object) if organizations is not None else np.full(len(ids), None)
    rows = []
    n_p = len(periods)

    run = trailing_run(lv == "peripheral")
    for i in np.flatnonzero(run >= min_periods):
        rows.append(("stuck_periphery", ids[i], org[i], periods[n_p - run[i]], int(run[i]),
                     f"peripheral for {run[i]} consecutive periods while still taking part"))

    last = lv[:, -1]
    window = lv[:, max(0, n_p - recent):]
    present = window != ""
    first_pos = np.argmax(present, axis=1)
    seen_before = (lv[:, : max(0, n_p - recent)] != "").any(axis=1) if n_p > recent else np.zeros(len(ids), bool)
    inward: dict[int, tuple] = {}
    for i in np.flatnonzero(np.isin(last, ["core", "active"]) & ~seen_before):
        w = window[i]
        per = np.flatnonzero(w == "peripheral")
        if len(per):
            move = per[-1] + 1
            inward[i] = ("moving_inward", ids[i], org[i], periods[n_p - window.shape[1] + move], int(window.shape[1] - move),
                         f"newcomer since {periods[n_p - window.shape[1] + first_pos[i]]:%Y-%m}, moved from peripheral to {last[i]}")

    drifting: dict[int, tuple] = {}
    if n_p >= 3:
        month = [f"{t:%Y-%m}" for t in periods]  # (each period's month once, not once per member)
        was_core = (window[:, :-2] == "core").any(axis=1)
        not_core = (lv[:, -2:] != "core").all(axis=1) & (lv[:, -2:] != "").all(axis=1)
        for i in np.flatnonzero(was_core & not_core & np.isin(last, ["peripheral", "inactive", "active"])):
            w = window[i]
            lastcore = np.flatnonzero(w == "core")[-1]
            since = periods[n_p - window.shape[1] + lastcore + 1]
            drifting[i] = ("drifting_core", ids[i], org[i], since, int(window.shape[1] - lastcore - 1),
                           f"core until {month[n_p - window.shape[1] + lastcore]}, now {last[i]}")
    # precedence (module docs): the latest movement decides
    for i in set(inward) & set(drifting):
        w = window[i]
        if np.flatnonzero(w == "core")[-1] > np.flatnonzero(w == "peripheral")[-1]:
            del inward[i]
        else:
            del drifting[i]
    rows += [inward[i] for i in sorted(inward)] + [drifting[i] for i in sorted(drifting)]

    if organizations is not None and org_table is not None and len(org_table):
        known = np.array([o is not None and not (isinstance(o, float) and np.isnan(o)) for o in org])
        codes_names, codes = np.unique(np.where(known, org, "").astype(str), return_inverse=True)
        outer = np.isin(lv, ["peripheral", "inactive"]).astype(float)
        inside = (lv != "") & (lv != "outsider") & (lv != "coordinator")
        k = len(codes_names)
        tot = np.zeros((k, n_p))
        per = np.zeros((k, n_p))
        np.add.at(tot, codes, inside.astype(float))
        np.add.at(per, codes, outer * inside)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = per / tot
        cond = stays_at_edge(tot, frac, share=share)
        orun = trailing_run(cond)
        info = org_table.set_index("organization")
        for j in np.flatnonzero(orun >= min_org_periods):
            name = codes_names[j]
            if not name or name not in info.index:
                continue
            row = info.loc[name]
            if row.get("integration") == "isolated" or not leans_inward(row["weighted_ei"], row["expected_ei"]):
                continue
            ei = f"weighted E-I {row['weighted_ei']:.2f}, {row['expected_ei']:.2f} at random"
            rows.append(("siloed_organization", None, name, periods[n_p - orun[j]], int(orun[j]),
                         f"{int(row['members'])} members, {100 * frac[j, -1]:.0f}% peripheral or inactive; {int(row['external_ties'])} outside ties ({ei})"))
        if "integration" in info.columns:
            last_p = periods[-1]
            for name, row in info[info["integration"] == "isolated"].iterrows():
                ties = int(row["internal_ties"] + row["external_ties"])
                rows.append(("isolated_organization", None, name, last_p, 1,
                             f"{int(row['members'])} members and only {ties} ties in all "
                             f"({int(row['external_ties'])} outside, {int(row['internal_ties'])} inside)"))

    if not rows:
        return _empty()
    # the rows in the table's order, one frame (a sort of the frame costs more than the patterns on a small community)
    out = frame_of_rows([rows[i] for i in _order(rows)], _COLS)
    out["periods"] = out["periods"].astype(np.int64)
    return out
