"""What happens between the spaces of a network, in the current window.

All from the pooled log of the network (one kernel preparation):

* **members and visits** — each person's home space (:mod:`cop.network.homes`),
  the spaces they took part in, and their *visits*: participations in a space
  other than their home space;
* **ties across spaces** — ties of the pooled tie graph (the one a diagnosis
  builds: presence excluded, weights of at least ``min_tie``) between members
  of different home spaces;
* **co-participation across spaces** — activities whose participants come from
  two or more home spaces;
* **shared events** — activities with participants in two or more spaces (an
  event streamed to other spaces, or one held jointly), and *series* whose
  activities together have participants in two or more spaces (the
  activities table's optional ``series`` column: one talk given in person in
  several spaces by a touring speaker, one activity per stop; the row's
  ``activity_id`` is then the series id);
* **the space graph** — spaces linked by *connections*: people active in both
  (shared members) plus ties between their home members.  A space lying on
  the shortest paths between others has a positive betweenness; one whose
  removal cuts the network apart (an articulation point) is a *bridge*; one
  with no connection at all is *cut off* (shared events alone do not connect:
  watching the same stream makes no acquaintance).

Examples
--------
>>> import pandas as pd
>>> import cop
>>> from cop.kernel import Prepared
>>> from cop.network import home_spaces
>>> log = cop.ActivityLog.from_frame(pd.DataFrame({
...     "activity_id": ["a", "a", "b", "b", "c", "c"], "member_id": ["ann", "bo", "ann", "cy", "dan", "eve"],
...     "timestamp": ["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03", "2024-01-04", "2024-01-04"],
...     "space": ["oslo", "oslo", "oslo", "bergen", "tromso", "tromso"]}))
>>> prep = Prepared(log)
>>> t = network_tables(prep, prep.window(log.start.value, log.end.value + 1), home_spaces(log), ["oslo", "bergen", "tromso"])
>>> t.links[["space_a", "space_b", "shared_members", "ties"]].values.tolist(), t.summary["cut_off"]
([['oslo', 'bergen', 0, 1]], ['tromso'])
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from cop.kernel import Prepared, Window
from cop.network.table import SPACE
from cop.timestamps import as_ns

__all__ = ["NetworkTables", "network_tables", "LINK_COLUMNS", "SHARED_EVENT_COLUMNS", "MEMBER_COLUMNS"]

LINK_COLUMNS = ["space_a", "space_b", "shared_members", "ties", "shared_events", "connections"]
SHARED_EVENT_COLUMNS = ["activity_id", "start", "kind", "spaces", "n_spaces", "participants"]
MEMBER_COLUMNS = ["member_id", "home_space", "home_from", "spaces", "n_spaces", "participations", "visits"]


@dataclass(frozen=True)
class NetworkTables:
    """The network-level tables of one window (see :mod:`cop.network.links`).

    Examples
    --------
    >>> from cop.kernel import Prepared
    >>> from cop.network import home_spaces, space_order
    >>> import pandas as pd, cop
    >>> log = cop.ActivityLog.from_frame(pd.DataFrame({
    ...     "activity_id": ["talk", "talk", "talk", "intro"], "member_id": ["ann", "bo", "cy", "ann"],
    ...     "timestamp": ["2024-01-02"] * 3 + ["2024-01-05"], "space": ["oslo", "oslo", "bergen", "oslo"]}))
    >>> prep = Prepared(log)
    >>> tables = network_tables(prep, prep.window(log.start.value, log.end.value + 1), home_spaces(log), space_order(log))
    >>> len(tables.members), len(tables.links), len(tables.shared_events)  # the talk had people of both spaces
    (3, 1, 1)
    """

    members: pd.DataFrame
    spaces: pd.DataFrame
    links: pd.DataFrame
    shared_events: pd.DataFrame
    summary: dict


def _pairs_matrix(a: np.ndarray, b: np.ndarray, shape: tuple[int, int]) -> sp.csr_array:
    """Counts of the (a, b) code pairs as a sparse matrix (duplicates summed)."""
    return sp.csr_array((np.ones(len(a), dtype=np.float64), (a, b)), shape=shape)


def network_tables(prep: Prepared, window: Window, homes: pd.DataFrame, names: list[str]) -> NetworkTables:
    """The network-level tables of ``window`` of the pooled ``prep``.

    Parameters
    ----------
    prep : cop.kernel.Prepared
        The pooled log of the network, prepared once.
    window : cop.kernel.Window
        Its current window (``prep.window(lo, hi)``).
    homes : pandas.DataFrame
        :func:`cop.network.home_spaces` of the log.
    names : list of str
        The spaces, in report order (:func:`cop.network.space_order`).

    Examples
    --------
    >>> import pandas as pd, cop
    >>> from cop.kernel import Prepared
    >>> from cop.network import home_spaces, space_order
    >>> day = pd.Timestamp("2024-01-01", tz="UTC")
    >>> rows = [{"activity_id": f"{s}-day{d}", "member_id": f"{s}{m}", "timestamp": day + pd.Timedelta(days=d),
    ...          "kind": "presence", "space": s} for s in ("oslo", "bergen") for d in range(120) for m in range(6) if (d + m) % 3]
    >>> log = cop.ActivityLog.from_frame(pd.DataFrame(rows))
    >>> prep = Prepared(log)
    >>> tables = network_tables(prep, prep.window(log.start.value, log.end.value + 1), home_spaces(log), space_order(log))
    >>> tables.spaces[["space_id", "people"]].values.tolist()
    [['bergen', 6], ['oslo', 6]]
    """
    log = prep.log
    d = log.data
    n_s = len(names)
    pos = {n: i for i, n in enumerate(names)}
    cat_pos = np.array([pos.get(str(c), -1) for c in d[SPACE].cat.categories], dtype=np.int64)
    raw = d[SPACE].cat.codes.to_numpy()
    sc = np.where(raw >= 0, cat_pos[np.maximum(raw, 0)] if len(cat_pos) else -1, -1)
    t = as_ns(d["timestamp"])
    inwin = (t >= window.lo) & (t < window.hi)
    m = d["member_id"].cat.codes.to_numpy()
    n_m = len(prep.member_ids)
    home_name = homes.reindex(prep.member_ids)["home_space"].to_numpy(dtype=object)
    home = np.array([pos.get(h, -1) if isinstance(h, str) else -1 for h in home_name], dtype=np.int64)

    # ---- members, participations and visits in the window
    w = inwin & (sc >= 0)
    mw, sw = m[w], sc[w]
    P = _pairs_matrix(mw, sw, (n_m, n_s))
    Pb = (P > 0).astype(np.float64)
    n_spaces = np.asarray(Pb.sum(axis=1)).ravel().astype(np.int64)
    parts = np.asarray(P.sum(axis=1)).ravel().astype(np.int64)
    visit = (home[mw] >= 0) & (home[mw] != sw)
    visits = np.bincount(mw[visit], minlength=n_m)
    active = n_spaces > 0
    Pc = P.tocsr()
    # each active member's spaces in the matrix's order, sliced from Python lists (numpy slices per member took
    # 5 ms for 6,000 members, these 1.2 ms)
    ind, ptr = Pc.indices.tolist(), Pc.indptr.tolist()
    spaces_of = [tuple([names[j] for j in ind[ptr[i]:ptr[i + 1]]]) for i in np.flatnonzero(active).tolist()]
    members = pd.DataFrame({
        "member_id": prep.member_ids[active].to_numpy(dtype=object),
        "home_space": pd.Series(home_name[active], dtype=object),
        "home_from": pd.Series(homes.reindex(prep.member_ids)["home_from"].to_numpy(dtype=object)[active], dtype=object),
        "spaces": spaces_of,
        "n_spaces": n_spaces[active],
        "participations": parts[active],
        "visits": visits[active],
    }, columns=MEMBER_COLUMNS)
    members = members.sort_values(["n_spaces", "visits", "member_id"], ascending=[False, False, True], kind="stable")
    members = members.reset_index(drop=True)

    # ---- shared members between spaces
    shared = (Pb.T @ Pb).toarray()
    # ---- ties of the pooled window graph between home spaces
    A = sp.triu(window.adjacency, k=1).tocoo()
    hi_, hj = home[A.row], home[A.col]
    known = (hi_ >= 0) & (hj >= 0)
    T = np.zeros((n_s, n_s))
    np.add.at(T, (hi_[known], hj[known]), 1.0)
    T = T + T.T - np.diag(np.diag(T))
    n_ties = int(A.nnz)
    cross = int((known & (hi_ != hj)).sum())
    # ---- activities: co-participation across home spaces and shared (streamed) events
    a_codes = d["activity_id"].cat.codes.to_numpy()
    n_a = len(d["activity_id"].cat.categories)
    act_home = _pairs_matrix(a_codes[inwin & (home[m] >= 0)], home[m][inwin & (home[m] >= 0)], (n_a, max(n_s, 1)))
    homes_per_act = np.diff((act_home > 0).astype(np.float64).tocsr().indptr) if n_s else np.zeros(n_a)
    rows_per_act = np.bincount(a_codes[inwin], minlength=n_a)
    mixed = homes_per_act >= 2
    acts = log.activities
    act_ids = np.asarray(d["activity_id"].cat.categories, dtype=object)
    # shared events are counted per unit: an activity, or a series of activities (one talk in several spaces)
    u_codes, u_ids, u_start, u_kind = a_codes, act_ids, acts["start"].reindex(act_ids), acts["kind"].reindex(act_ids)
    if "series" in acts.columns:
        ser = acts["series"].reindex(act_ids)
        ser = ser.where(ser.notna() & ser.astype(str).str.strip().ne(""))
        if ser.notna().any():
            s_codes, s_ids = pd.factorize(ser.to_numpy(dtype=object))  # -1: no series
            unit = np.where(s_codes >= 0, n_a + s_codes, np.arange(n_a))
            _, unit = np.unique(unit, return_inverse=True)
            u_codes = unit[a_codes]
            first = pd.DataFrame({"u": unit, "start": as_ns(u_start), "i": np.arange(n_a)}).sort_values(["u", "start", "i"], kind="stable").drop_duplicates("u")
            lead = first["i"].to_numpy()  # the earliest activity of each unit
            u_ids = np.where(s_codes[lead] >= 0, np.asarray(s_ids, dtype=object)[np.maximum(s_codes[lead], 0)], act_ids[lead])
            u_start, u_kind = u_start.iloc[lead], u_kind.iloc[lead]
    n_u = len(u_ids)
    act_space = (_pairs_matrix(u_codes[w], sw, (n_u, n_s)) > 0).astype(np.float64).tocsr()
    spaces_per_act = np.diff(act_space.indptr)
    shared_act = np.flatnonzero(spaces_per_act >= 2)
    SE = (act_space[shared_act].T @ act_space[shared_act]).toarray() if len(shared_act) else np.zeros((n_s, n_s))
    people = _pairs_matrix(u_codes[inwin], m[inwin], (n_u, n_m))
    n_people = np.diff((people > 0).astype(np.float64).tocsr().indptr)
    ev = pd.DataFrame({
        "activity_id": np.asarray(u_ids, dtype=object)[shared_act],
        # the shared units' starts taken from the datetime array (not all units' boxed into Timestamps first)
        "start": u_start.array[shared_act] if len(shared_act) else u_start.to_numpy()[shared_act],
        "kind": u_kind.iloc[shared_act].astype(str).to_numpy(),
        "spaces": [tuple(names[j] for j in act_space.indices[act_space.indptr[a]:act_space.indptr[a + 1]]) for a in shared_act],
        "n_spaces": spaces_per_act[shared_act].astype(np.int64),
        "participants": n_people[shared_act].astype(np.int64),
    }, columns=SHARED_EVENT_COLUMNS)
    if len(ev):
        ev["start"] = pd.to_datetime(ev["start"], utc=True)
        ev = ev.sort_values(["start", "activity_id"], kind="stable").reset_index(drop=True)

    # ---- the space graph
    link_rows = []
    for i in range(n_s):
        for j in range(i + 1, n_s):
            c = int(shared[i, j] + T[i, j])
            if c or SE[i, j]:
                link_rows.append((names[i], names[j], int(shared[i, j]), int(T[i, j]), int(SE[i, j]), c))
    links = pd.DataFrame(link_rows, columns=LINK_COLUMNS)
    g = nx.Graph()
    g.add_nodes_from(names)
    g.add_edges_from((r[0], r[1]) for r in link_rows if r[5] > 0)
    between = nx.betweenness_centrality(g, normalized=True) if n_s > 2 else {n: 0.0 for n in names}
    cut_points = set(nx.articulation_points(g))
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c))
    component = {n: k + 1 for k, c in enumerate(comps) for n in c}

    # ---- per space
    in_space = np.bincount(sw, minlength=n_s)
    visits_in = np.bincount(sw[visit], minlength=n_s)
    visitors_in = np.asarray(_pairs_matrix(mw[visit], sw[visit], (n_m, n_s)).astype(bool).sum(axis=0)).ravel()
    hv = home[mw][visit]
    visits_out = np.bincount(hv, minlength=n_s)
    home_members = np.bincount(home[home >= 0], minlength=n_s)
    home_active = np.bincount(home[(home >= 0) & active], minlength=n_s)
    multi = n_spaces >= 2
    shared_people = np.asarray(Pb[multi].sum(axis=0)).ravel() if multi.any() else np.zeros(n_s)
    own_ties = np.diag(T)
    cross_ties = T.sum(axis=1) - own_ties
    # each space's shared events: the column sums of the 0/1 matrix (whole numbers, as its column slices' sums)
    shared_in = np.asarray(act_space[shared_act].sum(axis=0)).ravel() if len(shared_act) else np.zeros(n_s)
    sp_rows = []
    for i, name in enumerate(names):
        sp_rows.append({
            "space_id": name,
            "participations": int(in_space[i]),
            "people": int(shared[i, i]),
            "home_members": int(home_members[i]),
            "home_members_active": int(home_active[i]),
            "visits_in": int(visits_in[i]),
            "visitors_in": int(visitors_in[i]),
            "visits_out": int(visits_out[i]),
            "shared_people": int(shared_people[i]),
            "ties_inside": int(own_ties[i]),
            "ties_across": int(cross_ties[i]),
            "shared_events": int(shared_in[i]),
            "linked_spaces": int(g.degree(name)),
            "betweenness": float(between.get(name, 0.0)),
            "bridge": name in cut_points,
            "cut_off": n_s > 1 and g.degree(name) == 0,
            "component": component[name],
        })
    spaces = pd.DataFrame(sp_rows)
    anyone = np.bincount(m[inwin], minlength=n_m) > 0  # also rows without a space
    n_active = int(anyone.sum())
    rows_w = int(w.sum())
    summary = {
        "spaces": n_s,
        "people": n_active,
        "multi_space_people": int(multi.sum()),
        "multi_space_share": float(multi.sum() / n_active) if n_active else None,
        "participations": rows_w,
        "visits": int(visit.sum()),
        "visit_share": float(visit.sum() / rows_w) if rows_w else None,
        "visitors": int((visits > 0).sum()),
        "ties": n_ties,
        "ties_across_spaces": cross,
        "tie_share_across": float(cross / n_ties) if n_ties else None,
        "activities": int((rows_per_act > 0).sum()),
        "mixed_activities": int(mixed.sum()),
        "mixed_participation_share": float(rows_per_act[mixed].sum() / rows_per_act.sum()) if rows_per_act.sum() else None,
        "shared_events": int(len(shared_act)),
        "components": len(comps),
        "bridges": [n for n in names if n in cut_points],
        "cut_off": [n for n in names if n_s > 1 and g.degree(n) == 0],
        "most_between": max(names, key=lambda n: (between.get(n, 0.0), -names.index(n))) if n_s > 2 and max(between.values()) > 0 else None,
        "people_without_home": int((anyone & (home < 0)).sum()),
    }
    return NetworkTables(members=members, spaces=spaces, links=links, shared_events=ev, summary=summary)
