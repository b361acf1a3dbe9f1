"""Plotly figures of a diagnosis: pyramid, level flows, network, timeline, organizations.

Each function takes the contract's DataFrames (see ``docs/diagnosis-contract.md``)
and returns a :class:`plotly.graph_objects.Figure`, or ``None`` when there is
nothing to draw.  All figures use SVG traces (no WebGL), are deterministic
(the network layout is seeded) and escape user text in hover labels.

Examples
--------
>>> import pandas as pd
>>> counts = pd.DataFrame({"level": ["core", "peripheral"], "count": [2, 8], "share": [0.2, 0.8],
...                        "reference_low": [0.10, 0.65], "reference_high": [0.15, 0.75]})
>>> fig = pyramid_figure(counts)
>>> [t.name for t in fig.data]
['members', 'reference range (Wenger)']
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import scipy.sparse as sp
from plotly.subplots import make_subplots

from cop.kernel import network_consolidation

from cop.report._page import LEVEL_COLORS, LEVEL_ORDER, OKABE_ITO, PHASE_COLORS, SERIES_COLORS, esc, rgba
from cop.report.wording import TIMELINE_LABELS

__all__ = [
    "pyramid_figure",
    "level_areas_figure",
    "flows_sankey_figure",
    "network_figure",
    "timeline_figure",
    "organizations_figure",
    "manager_dependency_figure",
    "network_sample",
    "network_caption",
    "phase_scores_figure",
]


def _naive(values) -> pd.Series:
    """Timestamps as tz-naive UTC (what plotly.js expects)."""
    s = pd.to_datetime(pd.Series(values), utc=True)
    return s.dt.tz_convert("UTC").dt.tz_localize(None)


def _levels_present(levels) -> list[str]:
    seen = [str(v) for v in pd.unique(pd.Series(levels).dropna().astype(str))]
    return [lv for lv in LEVEL_ORDER if lv in seen] + sorted(lv for lv in seen if lv not in LEVEL_ORDER)


def _legend_above(fig: go.Figure, gap: int = 6) -> go.Figure:
    """A horizontal legend just above the plotting area, where no tick label or axis title can be (below, rotated
    date ticks would run into it on a narrow screen); plotly widens the top margin when it wraps onto more lines."""
    m = fig.layout.margin
    area = max(float(fig.layout.height or 450) - float(m.t or 0) - float(m.b or 0), 100.0)
    fig.update_layout(legend=dict(orientation="h", x=0, xanchor="left", y=1 + gap / area, yanchor="bottom"))
    return fig


def _color(level: str) -> str:
    return LEVEL_COLORS.get(level, "#7f7f7f")


def pyramid_figure(level_counts: pd.DataFrame) -> go.Figure | None:
    """The participation pyramid: share of people per level, beside Wenger's reference shares."""
    if level_counts is None or len(level_counts) == 0 or float(level_counts["count"].sum()) == 0:
        return None
    lc = level_counts.copy()
    lc["level"] = lc["level"].astype(str)
    order = _levels_present(lc["level"])
    lc = lc.set_index("level").reindex(order).reset_index()
    raw_share = lc["share"].astype(float)
    share = raw_share.fillna(0) * 100
    labels = [f"{int(c)} ({s:.0f}%)" if not np.isnan(r) else f"{int(c)} (not in the shares)"
              for c, s, r in zip(lc["count"].fillna(0), share, raw_share)]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=lc["level"], x=share, orientation="h", name="members", text=labels, textposition="outside",
        cliponaxis=False, marker_color=[_color(lv) for lv in lc["level"]],
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    low = lc.get("reference_low", pd.Series(np.nan, index=lc.index)).astype(float) * 100
    high = lc.get("reference_high", pd.Series(np.nan, index=lc.index)).astype(float) * 100
    has_ref = low.notna() & high.notna()
    if has_ref.any():
        # the reference range as a thick open bracket in vermillion, visible on every bar colour
        xs, ys = [], []
        for lv, lo, hi in zip(lc["level"][has_ref], low[has_ref], high[has_ref]):
            xs += [lo, hi, None]
            ys += [lv, lv, None]
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines+markers", name="reference range (Wenger)", connectgaps=False,
            line=dict(color=OKABE_ITO["vermillion"], width=3),
            marker=dict(symbol="line-ns-open", size=20, line=dict(width=3, color=OKABE_ITO["vermillion"])),
            hovertemplate="%{y}: reference %{x:.0f}%<extra></extra>",
        ))
    fig.update_layout(
        height=130 + 46 * len(order), margin=dict(l=10, r=70, t=10, b=40), showlegend=True, bargap=0.25,
        xaxis=dict(title=dict(text="% of people in the window", standoff=6), rangemode="tozero", gridcolor="#eceff3",
                   range=[0, max(float(share.max()), float(high.max()) if has_ref.any() else 0) * 1.18 + 1]),
        yaxis=dict(autorange="reversed", automargin=True),
    )
    return _legend_above(fig)


def level_areas_figure(levels_by_period: pd.DataFrame) -> go.Figure | None:
    """People per level and period, as stacked areas."""
    if levels_by_period is None or len(levels_by_period) == 0:
        return None
    df = levels_by_period.assign(level=levels_by_period["level"].astype(str))
    counts = df.groupby(["period", "level"]).size().unstack("level", fill_value=0).sort_index()
    x = _naive(counts.index)
    fig = go.Figure()
    for lv in _levels_present(df["level"]):
        if lv in ("outsider",):
            continue
        fig.add_trace(go.Scatter(
            x=x, y=counts[lv].to_numpy(), name=lv, mode="lines", stackgroup="levels", line=dict(width=0.5, color=_color(lv)),
            fillcolor=_color(lv), hovertemplate=f"{esc(lv)}: %{{y}}<extra>%{{x|%b %Y}}</extra>",
        ))
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=10, b=30), hovermode="x unified",
                      yaxis=dict(title="people", gridcolor="#eceff3", automargin=True), xaxis=dict(automargin=True))
    return _legend_above(fig)


def flows_sankey_figure(flows: pd.DataFrame, periods: int = 6) -> go.Figure | None:
    """Moves between levels summed over the last ``periods`` period changes (Sankey)."""
    if flows is None or len(flows) == 0:
        return None
    f = flows.copy()
    f["from_level"] = f["from_level"].astype(str)
    f["to_level"] = f["to_level"].astype(str)
    last = sorted(pd.unique(f["period"]))[-periods:]
    f = f[f["period"].isin(last)]
    agg = f.groupby(["from_level", "to_level"], as_index=False)["count"].sum()
    agg = agg[agg["count"] > 0]
    if agg.empty:
        return None
    left = _levels_present(agg["from_level"])
    right = _levels_present(agg["to_level"])
    labels = [f"{lv} (before)" for lv in left] + [f"{lv} (after)" for lv in right]
    src = [left.index(v) for v in agg["from_level"]]
    dst = [len(left) + right.index(v) for v in agg["to_level"]]
    colors = [_color(lv) for lv in left] + [_color(lv) for lv in right]
    link_colors = [rgba(_color(v), 0.35) for v in agg["from_level"]]
    fig = go.Figure(go.Sankey(
        arrangement="fixed",
        node=dict(label=labels, color=colors, pad=14, thickness=16, line=dict(width=0)),
        link=dict(source=src, target=dst, value=agg["count"].astype(float).to_numpy(), color=link_colors,
                  hovertemplate="%{source.label} → %{target.label}: %{value:.0f}<extra></extra>"),
    ))
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=10, b=10))
    return fig


def network_sample(graph, members: pd.DataFrame | None = None, *, max_nodes: int = 300,
                   max_edges: int = 3000) -> tuple[pd.Index, sp.coo_array]:
    """The members and ties drawn: the ``max_nodes`` strongest members (coordinators always)
    and the ``max_edges`` strongest ties among them.

    Returns
    -------
    nodes : pandas.Index
        Member ids kept.
    edges : scipy.sparse.coo_array
        Upper-triangle ties among ``nodes`` (positions in ``nodes``).
    """
    adj = sp.csr_array(graph.adjacency, copy=True)
    adj.sum_duplicates()
    adj.sort_indices()
    strength = np.asarray(adj.sum(axis=1)).ravel()
    keep = np.argsort(-strength, kind="stable")[:max_nodes]
    if members is not None and "level" in members.columns and len(graph.nodes) > max_nodes:
        coord = set(members.loc[members["level"].astype(str) == "coordinator", "member_id"].astype(str))
        extra = [i for i, n in enumerate(graph.nodes.astype(str)) if n in coord and i not in set(keep)]
        keep = np.concatenate([keep[: max_nodes - len(extra)], np.asarray(extra, dtype=keep.dtype)]) if extra else keep
    keep = np.sort(keep)
    sub = sp.triu(adj[keep][:, keep], k=1).tocoo()
    order = np.lexsort((sub.col, sub.row))  # canonical order: the same page for the same graph
    data, row, col = sub.data[order], sub.row[order], sub.col[order]
    if len(data) > max_edges:
        top = np.sort(np.argsort(-data, kind="stable")[:max_edges])
        data, row, col = data[top], row[top], col[top]
    return graph.nodes[keep], sp.coo_array((data, (row, col)), shape=sub.shape)


def _layout(g: nx.Graph, n: int, seed: int) -> np.ndarray:
    """Seeded spring layout of the connected members in [-1, 1]²; members without ties on a ring around them."""
    xy = np.zeros((n, 2))
    linked = [v for v in g.nodes if g.degree(v) > 0]
    alone = [v for v in g.nodes if g.degree(v) == 0]
    if linked:
        sub = g.subgraph(linked)
        pos = nx.spring_layout(sub, seed=seed, weight="weight", k=2.0 / math.sqrt(len(linked)), iterations=100)
        pts = np.array([pos[v] for v in linked]).reshape(-1, 2)
        pts = pts - np.median(pts, axis=0)
        scale = float(np.quantile(np.abs(pts), 0.95)) or 1.0
        xy[linked] = np.clip(pts / scale, -1.1, 1.1)
    if alone:
        angle = np.linspace(0, 2 * np.pi, len(alone), endpoint=False) + np.pi / 2
        radius = 1.3 if linked else 1.0
        xy[alone] = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return xy


def network_figure(graph, members: pd.DataFrame | None = None, *, max_nodes: int = 300, max_edges: int = 3000,
                   seed: int = 7) -> go.Figure | None:
    """The interaction network: colour = level, size = engagement score, hover = member, organization, level.

    Large graphs show the ``max_nodes`` strongest members and the ``max_edges``
    strongest ties among them; the layout is a seeded spring layout.
    """
    if graph is None or len(graph.nodes) == 0:
        return None
    nodes, edges = network_sample(graph, members, max_nodes=max_nodes, max_edges=max_edges)
    ids = [str(n) for n in nodes]
    g = nx.Graph()
    g.add_nodes_from(range(len(ids)))
    w = edges.data.astype(float)
    if len(w):
        wn = w / w.max()
        g.add_weighted_edges_from(zip(edges.row.tolist(), edges.col.tolist(), np.sqrt(wn).tolist()))
    xy = _layout(g, len(ids), seed)

    info = pd.DataFrame(index=pd.Index(ids, name="member_id"))
    if members is not None and len(members):
        m = members.assign(member_id=members["member_id"].astype(str)).drop_duplicates("member_id").set_index("member_id")
        info = info.join(m[[c for c in ("level", "organization", "score", "strength") if c in m.columns]], how="left")
    attrs = graph.attributes
    if "organization" not in info.columns and "organization" in attrs.columns:
        info["organization"] = attrs["organization"].reindex(nodes).to_numpy()
    info["level"] = info["level"].astype(object).where(info["level"].notna(), "outsider") if "level" in info else "outsider"
    strength = np.asarray(sp.csr_array(graph.adjacency).sum(axis=1)).ravel()[graph.nodes.get_indexer(nodes)]
    engagement = info["score"].astype(float).fillna(0).to_numpy() if "score" in info else strength / max(strength.max(), 1e-12)
    size = 5 + 16 * np.sqrt(np.clip(engagement, 0, 1))

    fig = go.Figure()
    if edges.nnz:
        ex = np.column_stack([xy[edges.row, 0], xy[edges.col, 0], np.full(edges.nnz, np.nan)]).ravel()
        ey = np.column_stack([xy[edges.row, 1], xy[edges.col, 1], np.full(edges.nnz, np.nan)]).ravel()
        fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", line=dict(width=0.5, color="rgba(90,100,120,0.28)"),
                                 hoverinfo="skip", showlegend=False, name="ties"))
    org = info["organization"] if "organization" in info else pd.Series(None, index=info.index)
    for lv in _levels_present(info["level"]):
        sel = np.flatnonzero(info["level"].astype(str).to_numpy() == lv)
        text = [
            f"<b>{esc(ids[i])}</b><br>organization: {esc(org.iloc[i]) or '–'}<br>level: {esc(lv)}"
            f"<br>engagement: {engagement[i]:.2f}<br>tie strength: {strength[i]:.1f}"
            for i in sel
        ]
        fig.add_trace(go.Scatter(
            x=xy[sel, 0], y=xy[sel, 1], mode="markers", name=lv, text=text, hovertemplate="%{text}<extra></extra>",
            marker=dict(size=size[sel], color=_color(lv), line=dict(width=0.6, color="white"), opacity=0.95),
        ))
    fig.update_layout(
        height=620, margin=dict(l=10, r=10, t=10, b=10), hovermode="closest", dragmode="pan",
        xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x", scaleratio=1),
        legend=dict(orientation="h", y=-0.02, x=0.5, xanchor="center", yanchor="top", itemsizing="constant"),
    )
    return fig


def network_caption(graph, members: pd.DataFrame | None = None, *, max_nodes: int = 300, max_edges: int = 3000) -> str:
    """What :func:`network_figure` draws, in words ("146 of 146 members, 259 of 259 ties")."""
    if graph is None or len(graph.nodes) == 0:
        return "no members"
    nodes, edges = network_sample(graph, members, max_nodes=max_nodes, max_edges=max_edges)
    return f"{len(nodes):,} of {len(graph.nodes):,} members, {edges.nnz:,} of {graph.n_edges:,} ties"


#: Timeline series on the main chart (plain names in ``cop.report.wording.TIMELINE_LABELS``); the rest are in the table.
TIMELINE_COUNTS: tuple[str, ...] = ("active_members", "newcomers", "core_size")
TIMELINE_SHARES: tuple[str, ...] = ("retention", "largest_component_share", "core_stability", "activity_vs_peak")


def _phase_bars(fig: go.Figure, tl: pd.DataFrame, x: pd.Series) -> None:
    phases = tl["phase"].astype(str).to_numpy()
    conf = tl["confidence"].astype(float).fillna(0).to_numpy() if "confidence" in tl else np.ones(len(tl))
    evidence = tl["evidence"].astype(object).where(tl["evidence"].notna(), "").to_numpy() if "evidence" in tl else [""] * len(tl)
    # a period the data covers only in part is drawn faint: its phase is carried over, not inferred
    partial = tl["partial"].fillna(False).astype(bool).to_numpy() if "partial" in tl else np.zeros(len(tl), dtype=bool)
    for ph in [p for p in PHASE_COLORS if p in set(phases)] + sorted(set(phases) - set(PHASE_COLORS)):
        sel = phases == ph
        fig.add_trace(go.Bar(
            x=x[sel], y=conf[sel], name=ph, marker_color=PHASE_COLORS.get(ph, "#777777"), legendgroup="phase",
            marker_opacity=np.where(partial[sel], 0.35, 1.0),
            legendgrouptitle_text="phase",
            # the figures behind each period's phase, one clause a line (the hover box stays narrow)
            customdata=np.column_stack([[esc(e).replace("; ", "<br>") for e in np.asarray(evidence, dtype=object)[sel]]]),
            hovertemplate=f"<b>{esc(ph)}</b> %{{x|%b %Y}}<br>confidence %{{y:.0%}}<br>%{{customdata[0]}}<extra></extra>",
        ), row=1, col=1)


def timeline_figure(timeline: pd.DataFrame) -> go.Figure | None:
    """The phase of every period (coloured bars, height = confidence) over the main signals behind it.

    Only the series of :data:`TIMELINE_COUNTS` and :data:`TIMELINE_SHARES`
    are drawn, under plain names; the phase rule scores are in
    :func:`phase_scores_figure` and every column in the report's table.
    """
    if timeline is None or len(timeline) == 0:
        return None
    tl = timeline.sort_values("period")
    x = _naive(tl["period"])

    def present(cols: tuple[str, ...]) -> list[str]:
        return [c for c in cols if c in tl.columns and pd.api.types.is_numeric_dtype(tl[c]) and tl[c].notna().any()]

    counts, shares = present(TIMELINE_COUNTS), present(TIMELINE_SHARES)
    rows = 1 + bool(counts) + bool(shares)
    heights = [0.22] + [0.78 / (rows - 1)] * (rows - 1) if rows > 1 else [1.0]
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.06, row_heights=heights)
    _phase_bars(fig, tl, x)
    axis_titles = ["phase<br>confidence"]
    for i, c in enumerate(counts):
        label = TIMELINE_LABELS.get(c, c.replace("_", " "))
        fig.add_trace(go.Scatter(x=x, y=tl[c].astype(float), name=label, mode="lines+markers",
                                 marker=dict(size=4), line=dict(color=SERIES_COLORS[i % len(SERIES_COLORS)], width=2),
                                 legendgroup="counts", legendgrouptitle_text="people",
                                 hovertemplate=f"{esc(label)}: %{{y:,.0f}}<extra></extra>"), row=2, col=1)
    if counts:
        axis_titles.append("people")
    for i, c in enumerate(shares):
        label = TIMELINE_LABELS.get(c, c.replace("_", " "))
        fig.add_trace(go.Scatter(x=x, y=tl[c].astype(float), name=label, mode="lines",
                                 line=dict(color=SERIES_COLORS[(i + len(counts)) % len(SERIES_COLORS)], width=2,
                                           dash=("solid", "dash", "dot", "dashdot")[i % 4]),
                                 legendgroup="shares", legendgrouptitle_text="shares",
                                 hovertemplate=f"{esc(label)}: %{{y:.0%}}<extra></extra>"), row=rows, col=1)
    if shares:
        axis_titles.append("share")
        fig.update_yaxes(tickformat=".0%", row=rows, col=1)
    for r, t in enumerate(axis_titles, start=1):
        fig.update_yaxes(title=dict(text=t, font=dict(size=12)), automargin=True, row=r, col=1)
    fig.update_yaxes(range=[0, 1], tickformat=".0%", row=1, col=1)
    fig.update_yaxes(gridcolor="#eceff3")
    fig.update_layout(height=300 + 170 * (rows - 1), margin=dict(l=10, r=10, t=10, b=10), bargap=0.05,
                      hovermode="x", legend=dict(groupclick="toggleitem", font=dict(size=12)))
    return _legend_above(fig)


def phase_scores_figure(timeline: pd.DataFrame) -> go.Figure | None:
    """The rule score of each phase per period (``score_<phase>`` columns): the phase with the highest score wins."""
    if timeline is None or len(timeline) == 0:
        return None
    tl = timeline.sort_values("period")
    cols = [c for c in tl.columns if c.startswith("score_") and tl[c].notna().any()]
    if not cols:
        return None
    x = _naive(tl["period"])
    fig = go.Figure()
    for i, c in enumerate(cols):
        ph = c[len("score_"):]
        fig.add_trace(go.Scatter(x=x, y=tl[c].astype(float), name=ph, mode="lines",
                                 line=dict(color=PHASE_COLORS.get(ph, SERIES_COLORS[i % len(SERIES_COLORS)]), width=2,
                                           dash=("solid", "dash", "dot", "dashdot", "longdash")[i % 5]),
                                 hovertemplate=f"{esc(ph)}: %{{y:.2f}}<extra>%{{x|%b %Y}}</extra>"))
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=10, b=10), hovermode="x",
                      yaxis=dict(title="score", rangemode="tozero", gridcolor="#eceff3", automargin=True),
                      legend=dict(title_text="phase "))
    return _legend_above(fig)


def organizations_figure(organizations: pd.DataFrame, top: int = 25) -> go.Figure | None:
    """Share of peripheral members of every organization with two or more members, coloured by its
    E-I index (red: ties mostly inside, blue: mostly to others, grey: no ties at all)."""
    if organizations is None or len(organizations) == 0 or "share_peripheral" not in organizations:
        return None
    o = organizations[organizations["members"].fillna(0) >= 2]
    if o.empty:
        return None
    o = o.sort_values(["members", "organization"], ascending=[False, True]).head(top)
    o = o.assign(_p=o["share_peripheral"].astype(float).fillna(0)).sort_values(["_p", "members"], ascending=[False, False])
    ei = o["ei_index"].astype(float) if "ei_index" in o else pd.Series(np.nan, index=o.index)
    colors = [("#9e9e9e" if np.isnan(v) else _ei_color(v)) for v in ei]
    custom = np.column_stack([
        o["members"].to_numpy(), o.get("internal_ties", pd.Series(np.nan, index=o.index)).astype(float).to_numpy(),
        o.get("external_ties", pd.Series(np.nan, index=o.index)).astype(float).to_numpy(),
        [("no ties" if np.isnan(v) else f"{v:+.2f}") for v in ei],
    ])
    fig = go.Figure(go.Bar(
        y=[esc(n) for n in o["organization"]], x=o["_p"], orientation="h", customdata=custom, marker_color=colors,
        text=[f"{p:.0%} of {int(m)} · " + _ei_word(e) for p, m, e in zip(o["_p"], o["members"], ei)],
        textposition="outside", cliponaxis=False,
        hovertemplate=("<b>%{y}</b><br>peripheral %{x:.0%} of %{customdata[0]} members<br>ties inside %{customdata[1]:.0f},"
                       " to others %{customdata[2]:.0f}<br>E-I index %{customdata[3]}<extra></extra>"),
    ))
    fig.update_layout(height=max(220, 80 + 26 * len(o)), margin=dict(l=10, r=150, t=10, b=10),
                      xaxis=dict(title=dict(text="members at the periphery", standoff=6), range=[0, 1.05],
                                 tickformat=".0%", gridcolor="#eceff3", automargin=True),
                      yaxis=dict(autorange="reversed", automargin=True))
    return fig


def _ei_word(v: float) -> str:
    """Where an organization's ties go, in a word (the bar's label: its colour is never the only cue)."""
    if np.isnan(v):
        return "no ties"
    return "ties inside" if v < -0.33 else "ties outside" if v > 0.33 else "ties mixed"


def _ei_color(v: float) -> str:
    """Vermillion for −1 (ties only inside the organization), grey at 0, blue for +1 (only outside):
    a diverging scale of the Okabe-Ito palette that holds for colour-blind readers."""
    v = max(-1.0, min(1.0, v))
    stops = [(-1.0, (213, 94, 0)), (0.0, (170, 170, 170)), (1.0, (0, 114, 178))]
    for (x0, c0), (x1, c1) in zip(stops, stops[1:]):
        if v <= x1:
            t = (v - x0) / (x1 - x0)
            return "rgb({},{},{})".format(*(round(a + (b - a) * t) for a, b in zip(c0, c1)))
    return "rgb(0,114,178)"


def manager_dependency_figure(graph, members: pd.DataFrame | None) -> go.Figure | None:
    """How connected the community stays without its coordinators: share of members in one connected
    network with and without them, and share of all tie strength that involves a coordinator.

    The first bar is the figure the phase evidence states ("50% of members in one connected network"):
    :func:`cop.kernel.network_consolidation` on the window's tie graph among its members (outsiders
    left out), the computation the life-cycle timeline makes; the second is the same without the
    coordinators, among the other members.
    """
    if graph is None or len(graph.nodes) < 2 or members is None or "level" not in members:
        return None
    level = members.assign(member_id=members["member_id"].astype(str)).set_index("member_id")["level"].astype(str)
    lv = level.reindex([str(n) for n in graph.nodes]).fillna("").to_numpy()
    is_coord = lv == "coordinator"
    if not is_coord.any():
        return None
    adj = sp.csr_array(graph.adjacency)
    inside = lv != "outsider"
    with_c = network_consolidation(adj, inside)[0]
    without_c = network_consolidation(adj, inside & ~is_coord)[0]
    with_c, without_c = (0.0 if np.isnan(v) else float(v) for v in (with_c, without_c))
    total = float(adj.sum()) / 2
    coord_idx = np.flatnonzero(is_coord)
    via = (float(adj[coord_idx].sum()) - float(adj[coord_idx][:, coord_idx].sum()) / 2) / total if total > 0 else 0.0
    labels = ["members in one<br>connected network", "the same without<br>the coordinators", "ties involving<br>a coordinator"]
    values = [with_c, without_c, via]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h",
        marker_color=[OKABE_ITO["blue"], OKABE_ITO["vermillion"] if without_c < 0.5 * with_c else OKABE_ITO["orange"],
                      OKABE_ITO["reddish_purple"]],
        text=[f"{v:.0%}" for v in values], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:.0%}<extra></extra>",
    ))
    fig.update_layout(height=250, margin=dict(l=10, r=50, t=10, b=30),
                      xaxis=dict(range=[0, 1.05], tickformat=".0%", gridcolor="#eceff3", automargin=True),
                      yaxis=dict(autorange="reversed", automargin=True))
    return fig
