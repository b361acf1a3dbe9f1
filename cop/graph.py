"""Weighted member-by-member interaction graphs, built as sparse matrix products.

The tie between members ``i`` and ``j`` is

.. math:: A_{ij} = \\sum_a B_{ia} B_{ja} \\, k(a) \\, g(n_a) \\, \\delta(t_a)

over the activities ``a`` they share, where ``B`` is the incidence matrix
(participation weights), ``k`` the weight of the activity's kind
(:data:`cop.schema.DEFAULT_KIND_WEIGHTS`), ``g`` the group-size discount
(Newman's ``1/(n-1)`` by default, so one 300-person party does not outweigh a
month of 1:1 introductions) and ``delta`` an optional exponential decay with a
half-life, relative to ``as_of``.  In matrix form ``A = B W B^T`` with the
diagonal removed; pairs are never enumerated in Python.

Examples
--------
>>> import pandas as pd
>>> from cop import ActivityLog, interaction_graph
>>> log = ActivityLog.from_frame(pd.DataFrame({
...     "activity_id": ["party"] * 3 + ["intro"] * 2,
...     "member_id": ["ann", "bo", "cy", "ann", "bo"],
...     "timestamp": ["2024-01-05"] * 3 + ["2024-01-08"] * 2,
...     "kind": ["event"] * 3 + ["interaction"] * 2}))
>>> g = interaction_graph(log)
>>> g.weight("ann", "bo"), g.weight("ann", "cy")   # 1/2 from the party (+1 from the intro)
(1.5, 0.5)
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from cop._atomic import atomic_path
from cop.exceptions import ConfigError, DataError, DataWarning
from cop.kernel import DAY_NS, Incidence, Prepared, Window, group_discount, period_starts, project
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES
from cop.log import ActivityLog
from cop.schema import DEFAULT_KIND_WEIGHTS, KINDS
from cop.timestamps import to_utc_timestamp

__all__ = ["GRAPH_FORMATS", "InteractionGraph", "GraphBuilder", "interaction_graph", "graphs_by_period", "group_discount",
           "window_graph"]

#: Formats :meth:`InteractionGraph.write` writes, by file ending: GraphML and GEXF (Gephi), a CSV edge list.
GRAPH_FORMATS: tuple[str, ...] = ("graphml", "gexf", "csv")


@dataclass(frozen=True)
class InteractionGraph:
    """An undirected weighted graph of members, held as a sparse symmetric matrix.

    Attributes
    ----------
    adjacency : scipy.sparse.csr_array
        Symmetric, zero diagonal; ``adjacency[i, j]`` is the tie strength.
    nodes : pandas.Index
        Member ids of the rows (everyone who took part in the window).
    attributes : pandas.DataFrame
        Node attributes indexed like ``nodes`` (``organization``, ``role``,
        ``participant_type``...).
    start, end : pandas.Timestamp or None
        The window ``[start, end)``.
    directed_adjacency : scipy.sparse.csr_array
        Sender-to-recipient counts of two-person interactions (roles
        ``sender``/``recipient``), for :meth:`to_networkx` with ``directed=True``.

    Examples
    --------
    >>> import cop
    >>> g = cop.interaction_graph(cop.load_example())
    >>> len(g), g.n_edges, g.to_edges().columns.tolist()
    (220, 17163, ['source', 'target', 'weight'])
    >>> g.to_networkx().number_of_edges()
    17163
    """

    adjacency: sp.csr_array
    nodes: pd.Index
    attributes: pd.DataFrame
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    directed_adjacency: sp.csr_array | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """Number of undirected edges."""
        return int(self.adjacency.nnz // 2)

    @property
    def density(self) -> float:
        """Edges over possible pairs (0 for fewer than two nodes)."""
        n = len(self.nodes)
        return 0.0 if n < 2 else 2.0 * self.n_edges / (n * (n - 1))

    def _repr_html_(self) -> str:
        """A small summary table for notebooks (escaped): members, ties, density, window.

        Examples
        --------
        >>> import pandas as pd
        >>> from cop import ActivityLog, interaction_graph
        >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a"], "member_id": ["x", "y"],
        ...                                            "timestamp": ["2024-01-01", "2024-01-01"]}))
        >>> "<th>ties</th><td>1</td>" in interaction_graph(log)._repr_html_()
        True
        """
        from cop._html import summary_table

        day = lambda t: "open" if t is None else f"{t:%Y-%m-%d}"  # noqa: E731
        return summary_table("InteractionGraph", [
            ("members", f"{len(self):,}"),
            ("ties", f"{self.n_edges:,}"),
            ("density", f"{self.density:.3f}"),
            ("window", f"{day(self.start)} to {day(self.end)}"),
        ])

    def _pos(self, member: str) -> int:
        loc = self.nodes.get_indexer([member])[0]
        if loc < 0:
            raise KeyError(member)
        return int(loc)

    def weight(self, u: str, v: str) -> float:
        """Tie strength between two members (0 when they share nothing)."""
        return float(self.adjacency[self._pos(u), self._pos(v)])

    def strength(self) -> pd.Series:
        """Sum of tie strengths per member."""
        return pd.Series(np.asarray(self.adjacency.sum(axis=1)).ravel(), index=self.nodes, name="strength")

    def degree(self) -> pd.Series:
        """Number of distinct ties per member."""
        return pd.Series(np.diff(self.adjacency.indptr), index=self.nodes, name="degree")

    def to_edges(self) -> pd.DataFrame:
        """Edges as a DataFrame ``source, target, weight`` (each pair once, ``source < target`` by position)."""
        upper = sp.triu(self.adjacency, k=1, format="coo")
        return pd.DataFrame(
            {
                "source": np.asarray(self.nodes, dtype=object)[upper.row],
                "target": np.asarray(self.nodes, dtype=object)[upper.col],
                "weight": upper.data,
            }
        )

    def to_networkx(self, directed: bool = False) -> nx.Graph:
        """A networkx graph with ``weight`` on edges and member attributes on nodes.

        With ``directed=True`` the graph holds only the sender-to-recipient
        interactions, weighted by their count.
        """
        g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
        attrs = self.attributes
        for member in self.nodes:
            row = attrs.loc[member] if member in attrs.index else {}
            g.add_node(member, **{k: _plain(v) for k, v in dict(row).items() if _plain(v) is not None})
        names = np.asarray(self.nodes, dtype=object)
        if directed:
            m = (self.directed_adjacency if self.directed_adjacency is not None else sp.csr_array(self.adjacency.shape)).tocoo()
            g.add_weighted_edges_from(zip(names[m.row], names[m.col], m.data.tolist()))
        else:
            e = sp.triu(self.adjacency, k=1, format="coo")
            g.add_weighted_edges_from(zip(names[e.row], names[e.col], e.data.tolist()))
        return g

    def write(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the graph as GraphML, GEXF (for Gephi) or a CSV edge list, atomically.

        The format comes from the ending (``.graphml``, ``.gexf``, ``.csv``)
        unless ``format`` is given.  Edges carry the attribute ``weight``.
        """
        path = Path(path)
        fmt = (format or path.suffix.lstrip(".")).lower()
        if fmt not in GRAPH_FORMATS:
            raise ConfigError(f"output {path}: unknown graph format {fmt!r}; expected .graphml, .gexf or .csv")
        g = None if fmt == "csv" else _xml_safe(self.to_networkx(), path)
        with atomic_path(path) as tmp:
            if fmt == "csv":
                self.to_edges().to_csv(tmp, index=False, lineterminator="\n")
            elif fmt == "graphml":
                nx.write_graphml(g, tmp)
            else:
                nx.write_gexf(g, tmp)
        return path


# characters XML 1.0 cannot hold, even escaped (control characters, NUL, lone surrogates, U+FFFE/U+FFFF)
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(g: nx.Graph, path: Path) -> nx.Graph:
    """``g`` when every id, attribute name and text value can be written as XML; else a :class:`DataError`."""
    bad: list[str] = []
    for node, attrs in g.nodes(data=True):
        texts = [node, *attrs.keys(), *attrs.values()]
        if any(isinstance(t, str) and _XML_INVALID.search(t) for t in texts):
            bad.append(node)
    if bad:
        raise DataError(
            f"output {path}: {len(bad)} member(s) have an id or attribute holding a character XML cannot hold "
            f"(a control character or NUL; first: {bad[0]!r})",
            hint="clean those ids in the input, or write the graph as a .csv edge list",
        )
    return g


def _plain(value: Any) -> Any:
    """A value networkx writers accept (no NaN/NaT, no numpy scalars)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (str, int, float, bool)):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


class GraphBuilder:
    """Build interaction graphs for any window from one incidence matrix.

    Parameters
    ----------
    log : ActivityLog
        The log to project.
    kind_weights : dict, optional
        Weight per kind; missing kinds take :data:`cop.schema.DEFAULT_KIND_WEIGHTS`.
    discount : {"newman", "none", "log"} or callable, default "newman"
        Group-size discount, see :func:`group_discount`.
    incidence : cop.kernel.Incidence, optional
        The log's incidence matrix when the caller already holds it (it is built
        from ``log`` otherwise).
    max_group_size : int or None, default 1000
        Activities with more participants add no ties (see :mod:`cop.kernel.projection`).
    max_ties : int or None, default 100,000,000
        Largest graph built; a larger one stops with a :class:`~cop.exceptions.ConfigError`.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a", "b", "b"],
    ...     "member_id": ["x", "y", "x", "y"], "timestamp": ["2024-01-03", "2024-01-03", "2024-02-03", "2024-02-03"]}))
    >>> [round(g.weight("x", "y"), 2) for g in GraphBuilder(log).by_period("MS").values()]
    [1.0, 1.0]
    """

    def __init__(
        self,
        log: ActivityLog,
        *,
        kind_weights: Mapping[str, float] | None = None,
        discount: str | Callable[[np.ndarray], np.ndarray] = "newman",
        incidence: Incidence | None = None,
        max_group_size: int | None = MAX_GROUP_SIZE,
        max_ties: int | None = MAX_TIES,
    ) -> None:
        weights = dict(DEFAULT_KIND_WEIGHTS)
        for k, v in (kind_weights or {}).items():
            if k not in KINDS:
                raise ConfigError(f"parameter 'kind_weights': unknown kind {k!r}; expected one of {', '.join(KINDS)}")
            if not np.isfinite(v) or v < 0:
                raise ConfigError(f"parameter 'kind_weights[{k!r}]': {v!r} is not a non-negative number")
            weights[k] = float(v)
        self.log = log
        self.kind_weights = weights
        self.discount = discount
        self.max_ties = max_ties
        self.incidence = Incidence.from_log(log) if incidence is None else incidence
        inc = self.incidence
        kind_w = np.array([weights[k] for k in KINDS])[inc.kind]
        #: Per-activity weight before decay: kind weight x group discount.
        self.activity_weight = kind_w * group_discount(inc.size, discount, max_group_size=max_group_size)
        self._directed = _sender_recipient(log, inc)
        self._members_aligned: bool | None = None

    def graph(self, start: Any = None, end: Any = None, *, half_life: float | None = None, as_of: Any = None) -> InteractionGraph:
        """The graph of activities starting in ``[start, end)``.

        Parameters
        ----------
        start, end : date-like, optional
            Window bounds (``end`` exclusive).
        half_life : float, optional
            Days after which an activity's contribution halves, counted back
            from ``as_of`` (default: ``end``, else the last timestamp).  Activities
            after ``as_of`` are left out.
        as_of : date-like, optional
            Reference date for the decay.
        """
        inc = self.incidence
        cols = inc.columns(start, end)
        w = self.activity_weight[cols]
        starts = inc.start[cols]
        if half_life is not None:
            if not half_life > 0:
                raise ConfigError(f"parameter 'half_life': {half_life!r} days; expected a positive number of days")
            ref = (
                to_utc_timestamp(as_of, name="as_of").value if as_of is not None
                else to_utc_timestamp(end, name="end").value if end is not None
                else (int(starts.max()) if len(starts) else 0)
            )
            age_days = (ref - starts) / DAY_NS
            w = np.where(age_days >= 0, w * np.power(0.5, np.maximum(age_days, 0) / half_life), 0.0)
        block = inc.matrix[:, cols]
        csr = block.tocsr()
        rows = np.flatnonzero(np.diff(csr.indptr)) if block.nnz else np.array([], dtype=np.int64)
        sub = (csr if len(rows) == csr.shape[0] else csr[rows]) if len(rows) else sp.csr_array((0, block.shape[1]))
        return self._assemble(project(sub, w, max_ties=self.max_ties), cols, rows, start, end)

    def window_graph(self, window: Window, start: Any = None, end: Any = None) -> InteractionGraph:
        """The graph of a kernel :class:`~cop.kernel.Window`: its tie graph (already thresholded at
        ``min_tie``) among the people taking part in the window, with this builder's node attributes
        and sender/recipient counts.  Nothing is projected or thresholded again.

        ``window`` must come from a :class:`~cop.kernel.Prepared` sharing this builder's incidence.
        """
        rows = np.flatnonzero(np.diff(self.incidence.matrix[:, window.cols].tocsr().indptr))
        adj = window.adjacency
        adj = sp.csr_array(adj if len(rows) == adj.shape[0] else adj[rows][:, rows])
        return self._assemble(adj, window.cols, rows, start, end)

    def _assemble(self, adj: sp.csr_array, cols: slice, rows: np.ndarray, start: Any, end: Any) -> InteractionGraph:
        """An InteractionGraph over ``rows`` (positions in the incidence) of the activities in ``cols``."""
        inc = self.incidence
        directed = None
        if self._directed is not None and len(rows):
            d_cols = self._directed[1][cols]
            s_mat, r_mat = self._directed[0]
            s = s_mat.tocsc()[:, cols].tocsr()[rows]
            r = r_mat.tocsc()[:, cols].tocsr()[rows]
            directed = sp.csr_array(s @ r.T) if d_cols.any() else sp.csr_array((len(rows), len(rows)))
            directed.setdiag(0)
            directed.eliminate_zeros()
        nodes = inc.member_ids[rows]
        members = self.log.members
        attr_cols = [c for c in ("organization", "role", "participant_type") if c in members.columns]
        if self._members_aligned is None:
            self._members_aligned = bool(members.index.equals(inc.member_ids))
        # rows are positions in member_ids, which is the index of log.members: take, don't hash
        attrs = members.iloc[rows][attr_cols] if self._members_aligned else members.reindex(nodes)[attr_cols]
        return InteractionGraph(
            adjacency=adj, nodes=pd.Index(nodes, name="member_id"), attributes=attrs,
            start=None if start is None else to_utc_timestamp(start, name="start"),
            end=None if end is None else to_utc_timestamp(end, name="end"),
            directed_adjacency=directed,
        )

    def by_period(self, freq: str = "MS", *, rolling: int = 1, half_life: float | None = None) -> dict[pd.Timestamp, InteractionGraph]:
        """One graph per period (``freq`` a pandas offset such as ``MS``, ``QS``, ``W-MON``).

        With ``rolling=k`` each graph covers the ``k`` periods ending with its own.
        Keys are period starts.
        """
        return dict(self.iter_periods(freq, rolling=rolling, half_life=half_life))

    def iter_periods(self, freq: str = "MS", *, rolling: int = 1, half_life: float | None = None) -> Iterator[tuple[pd.Timestamp, InteractionGraph]]:
        """Like :meth:`by_period`, lazily."""
        if rolling < 1:
            raise ConfigError(f"parameter 'rolling': {rolling!r}; expected a whole number of periods >= 1")
        starts = period_starts(self.log, freq)
        for i in range(len(starts) - 1):
            lo = starts[max(0, i - rolling + 1)]
            yield starts[i], self.graph(lo, starts[i + 1], half_life=half_life)


def _sender_recipient(log: ActivityLog, inc: Incidence) -> tuple[tuple[sp.csr_array, sp.csr_array], np.ndarray] | None:
    """Sender and recipient incidence matrices of two-person interactions, if any."""
    d = log.data
    if not len(d["role"].cat.categories):
        return None
    role = d["role"].astype(object).str.lower()
    is_s = (role == "sender").to_numpy()
    is_r = (role == "recipient").to_numpy()
    if not (is_s.any() and is_r.any()):
        return None
    pos = pd.Index(inc.activity_ids).get_indexer(np.asarray(d["activity_id"].astype(object)))
    m = d["member_id"].cat.codes.to_numpy()
    shape = inc.matrix.shape
    s = sp.csr_array((np.ones(is_s.sum()), (m[is_s], pos[is_s])), shape=shape)
    r = sp.csr_array((np.ones(is_r.sum()), (m[is_r], pos[is_r])), shape=shape)
    s.data[:] = 1.0
    r.data[:] = 1.0
    has = np.zeros(shape[1], dtype=bool)
    has[pos[is_s]] = True
    return (s, r), has


def interaction_graph(
    log: ActivityLog,
    start: Any = None,
    end: Any = None,
    *,
    kind_weights: Mapping[str, float] | None = None,
    discount: str | Callable[[np.ndarray], np.ndarray] = "newman",
    half_life: float | None = None,
    as_of: Any = None,
    max_group_size: int | None = MAX_GROUP_SIZE,
    max_ties: int | None = MAX_TIES,
) -> InteractionGraph:
    """The interaction graph of a log, or of the window ``[start, end)``.

    See :class:`GraphBuilder` for the parameters; use the builder directly to
    build many windows from one incidence matrix.

    Examples
    --------
    A 1:1 interaction of x and y, then a meeting of x, y and z: each shared
    activity adds its kind's weight (1) discounted by group size, 1/(n-1).

    >>> import pandas as pd
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({
    ...     "activity_id": ["a", "a", "b", "b", "b"], "member_id": ["x", "y", "x", "y", "z"],
    ...     "timestamp": ["2024-01-02"] * 2 + ["2024-02-05"] * 3, "kind": ["interaction"] * 2 + ["event"] * 3}))
    >>> g = interaction_graph(log)
    >>> len(g), g.n_edges, g.weight("x", "y"), g.weight("x", "z")
    (3, 3, 1.5, 0.5)
    >>> interaction_graph(log, start="2024-02-01").weight("x", "y")   # the window [start, end)
    0.5
    """
    builder = GraphBuilder(log, kind_weights=kind_weights, discount=discount, max_group_size=max_group_size, max_ties=max_ties)
    return builder.graph(start, end, half_life=half_life, as_of=as_of)


def graphs_by_period(
    log: ActivityLog,
    freq: str = "MS",
    *,
    rolling: int = 1,
    kind_weights: Mapping[str, float] | None = None,
    discount: str | Callable[[np.ndarray], np.ndarray] = "newman",
    half_life: float | None = None,
    max_group_size: int | None = MAX_GROUP_SIZE,
    max_ties: int | None = MAX_TIES,
) -> dict[pd.Timestamp, InteractionGraph]:
    """One graph per period (monthly by default), all cut from one incidence matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop import ActivityLog
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a", "b", "b"],
    ...     "member_id": ["x", "y", "y", "z"], "timestamp": ["2024-01-03"] * 2 + ["2024-03-03"] * 2}))
    >>> {k.strftime("%b"): g.n_edges for k, g in graphs_by_period(log, rolling=3).items()}
    {'Jan': 1, 'Feb': 1, 'Mar': 2}
    """
    builder = GraphBuilder(log, kind_weights=kind_weights, discount=discount, max_group_size=max_group_size, max_ties=max_ties)
    return builder.by_period(freq, rolling=rolling, half_life=half_life)


def window_graph(prep: Prepared, window: Window) -> InteractionGraph:
    """The tie graph the kernel already holds for a window, as an :class:`InteractionGraph`.

    The window's ties (presence weighted by ``presence_weight``, weights of at
    least ``min_tie``) among the people taking part in it; see
    :meth:`GraphBuilder.window_graph`.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop import ActivityLog
    >>> from cop.kernel import Prepared
    >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a", "b", "b", "b", "b", "b"],
    ...     "member_id": ["x", "y", "x", "y", "z", "u", "v"], "timestamp": ["2024-01-03"] * 2 + ["2024-01-04"] * 5}))
    >>> prep = Prepared(log, min_tie=0.5)
    >>> g = window_graph(prep, prep.window(log.start.value, log.end.value + 1))
    >>> len(g), g.n_edges, g.weight("x", "y")   # the 5-person meeting gives 0.25 per pair: below min_tie
    (5, 1, 1.25)
    """
    with warnings.catch_warnings():  # large groups were counted once, by Prepared
        warnings.simplefilter("ignore", DataWarning)
        builder = GraphBuilder(prep.log, kind_weights=prep.tie_kind_weights, incidence=prep.incidence,
                               max_group_size=prep.max_group_size, max_ties=prep.max_ties)
    return builder.window_graph(window, pd.Timestamp(window.lo, tz="UTC"), pd.Timestamp(window.hi, tz="UTC"))
