"""The network report: one page for a network of spaces, linking to one health report per space.

``cop report --by space -o FOLDER`` (and :meth:`cop.NetworkDiagnosis.to_html`)
writes into one folder:

* ``index.html`` — the network: its figures in plain words, a table of the
  spaces (phase, people, weak indicators, visits, ties across spaces, role in
  the network) linking to their pages, small multiples of each space's
  activity over time, the space-to-space graph of shared people and ties (with
  the table of links), shared events, the benchmark of each space's
  indicators against the network's quartiles, the people active in several
  spaces;
* ``space-<id>.html`` — each space's ordinary health report
  (:func:`cop.report.render_report` of its :class:`cop.Diagnosis`) with a link
  back to the network page;
* with ``previous`` (``cop report --by space --previous``), each space's page
  also says what changed since that space's earlier diagnosis
  (:func:`read_previous_network`);
* ``plotly.min.js`` — plotly.js once, which every page loads from the folder
  (so twenty pages do not carry twenty copies); nothing is fetched from the
  network, and the folder works offline wherever it is copied.

Examples
--------
>>> space_file("Bergen / Brygge"), space_file("tromsø")
('space-Bergen-Brygge.html', 'space-troms-.html')
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cop._atomic import atomic_write_text
from cop._version import __version__
from cop.report._page import (
    OKABE_ITO,
    PHASE_COLORS,
    SERIES_COLORS,
    csv_link,
    esc,
    figure_block,
    fmt_value,
    json_script,
    page,
    placeholder,
    table_block,
    table_html,
)

__all__ = ["render_network_report", "write_network_report", "read_previous_network", "space_file", "space_graph_figure", "activity_figure",
           "benchmark_figure", "PLOTLY_FILE", "NETWORK_SCRIPT_ID"]

#: The plotly.js file every page of the folder loads.
PLOTLY_FILE = "plotly.min.js"
#: Id of the ``<script type="application/json">`` holding the network diagnosis (without the per-space diagnoses).
NETWORK_SCRIPT_ID = "cop-network"
_ROLE_COLORS = {"bridge": OKABE_ITO["vermillion"], "cut off": OKABE_ITO["grey"], "linked": OKABE_ITO["blue"], "": OKABE_ITO["blue"]}


def space_file(space_id: str) -> str:
    """The file name of a space's page: ``space-`` and the id with anything but letters, digits, ``_`` and ``-`` as ``-``."""
    return "space-" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(space_id)) + ".html"


def _files(names: list[str]) -> dict[str, str]:
    """A distinct file per space (a numbered suffix where two ids give the same name)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for n in names:
        f = space_file(n)
        k = 2
        while f.lower() in used:
            f = space_file(n)[:-5] + f"-{k}.html"
            k += 1
        used.add(f.lower())
        out[n] = f
    return out


def _role(r: Any) -> str:
    from cop.network.text import space_role

    return space_role(r).split(" (")[0]


def space_graph_figure(spaces: pd.DataFrame, links: pd.DataFrame) -> go.Figure | None:
    """Spaces on a circle, sized by people, coloured by role; lines as wide as their connections (shared people + ties)."""
    if len(spaces) < 2:
        return None
    names = spaces["space_id"].astype(str).tolist()
    angle = np.pi / 2 - 2 * np.pi * np.arange(len(names)) / len(names)
    xy = {n: (math.cos(a), math.sin(a)) for n, a in zip(names, angle)}
    fig = go.Figure()
    top = max(1, int(links["connections"].max()) if len(links) else 1)
    for r in links.itertuples(index=False):
        if r.connections <= 0:
            continue
        (x0, y0), (x1, y1) = xy[str(r.space_a)], xy[str(r.space_b)]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="text", showlegend=False,
                                 line=dict(width=1.5 + 8 * r.connections / top, color="rgba(0,114,178,0.45)"),
                                 text=f"{r.space_a} – {r.space_b}: {r.shared_members} shared people, {r.ties} ties"))
    streamed = links[(links["connections"] <= 0) & (links["shared_events"] > 0)] if len(links) else links
    for r in streamed.itertuples(index=False):
        (x0, y0), (x1, y1) = xy[str(r.space_a)], xy[str(r.space_b)]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="text", showlegend=False,
                                 line=dict(width=1, color="rgba(120,120,120,0.5)", dash="dot"),
                                 text=f"{r.space_a} – {r.space_b}: {r.shared_events} shared event(s) only"))
    roles = [_role(r) for _, r in spaces.iterrows()]
    people = spaces["people"].fillna(0).to_numpy(dtype=float)
    size = 18 + 30 * np.sqrt(people / max(people.max(), 1))
    for role in dict.fromkeys(roles):
        idx = [i for i, x in enumerate(roles) if x == role]
        fig.add_trace(go.Scatter(
            x=[xy[names[i]][0] for i in idx], y=[xy[names[i]][1] for i in idx], mode="markers+text",
            text=[names[i] for i in idx], textposition="top center", name=role or "space",
            marker=dict(size=[size[i] for i in idx], color=_ROLE_COLORS.get(role, OKABE_ITO["blue"]),
                        line=dict(color="white", width=1)),
            hovertext=[f"{names[i]}: {int(people[i])} people, betweenness {spaces['betweenness'].iloc[i]:.2f}" for i in idx],
            hoverinfo="text"))
    fig.update_layout(height=460, xaxis=dict(visible=False, range=[-1.4, 1.4]), yaxis=dict(visible=False, range=[-1.3, 1.4]),
                      legend=dict(orientation="h", y=-0.05), margin=dict(l=10, r=10, t=20, b=10))
    return fig


def activity_figure(activity: pd.DataFrame, names: list[str]) -> go.Figure | None:
    """Small multiples: each space's participations per period (same scale), people as a dotted line."""
    if activity.empty or not names:
        return None
    cols = min(3, len(names))
    rows = math.ceil(len(names) / cols)
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, subplot_titles=names,
                        vertical_spacing=min(0.12, 0.5 / rows), horizontal_spacing=0.05)
    for k, name in enumerate(names):
        a = activity[activity["space"] == name]
        x = pd.to_datetime(a["period"]).dt.tz_localize(None) if getattr(pd.to_datetime(a["period"]).dt, "tz", None) else a["period"]
        r, c = k // cols + 1, k % cols + 1
        fig.add_trace(go.Scatter(x=x, y=a["participations"], mode="lines", line=dict(color=SERIES_COLORS[0]),
                                 name="participations", showlegend=k == 0, legendgroup="p"), row=r, col=c)
        fig.add_trace(go.Scatter(x=x, y=a["people"], mode="lines", line=dict(color=SERIES_COLORS[1], dash="dot"),
                                 name="people", showlegend=k == 0, legendgroup="m"), row=r, col=c)
    height = 180 * rows + 110
    fig.update_layout(height=height, legend=dict(orientation="h", yanchor="bottom", y=1 + 34 / (height - 90), x=0),
                      margin=dict(l=10, r=10, t=70, b=20))
    return fig


def benchmark_figure(benchmark: pd.DataFrame, names: list[str]) -> go.Figure | None:
    """A heatmap of each space's quartile (1-4) for each indicator; the values in the hover text."""
    b = benchmark[benchmark["quartile"].notna()]
    if b.empty:
        return None
    indicators = list(dict.fromkeys(b["indicator"]))
    z = np.full((len(indicators), len(names)), np.nan)
    text = [["" for _ in names] for _ in indicators]
    pos = {n: i for i, n in enumerate(names)}
    ipos = {n: i for i, n in enumerate(indicators)}
    for r in b.itertuples(index=False):
        if r.space in pos:
            z[ipos[r.indicator], pos[r.space]] = float(r.quartile)
            text[ipos[r.indicator]][pos[r.space]] = f"{r.space}, {r.indicator}: {fmt_value(r.value)} (Q{int(r.quartile)}; median {fmt_value(r.network_median)})"
    fig = go.Figure(go.Heatmap(z=z, x=names, y=indicators, zmin=1, zmax=4, colorscale="Blues", hovertext=text, hoverinfo="text",
                               colorbar=dict(title="quartile", tickvals=[1, 2, 3, 4])))
    fig.update_layout(height=max(300, 22 * len(indicators) + 120), yaxis=dict(autorange="reversed"),
                      margin=dict(l=10, r=10, t=20, b=10))
    return fig


def _section(anchor: str, title: str, lead: str, body: str) -> str:
    lead_html = f'<p class="lead">{lead}</p>' if lead else ""
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{lead_html}{body}</section>\n'


def _phase_badge(phase: Any) -> str:
    if not isinstance(phase, str):
        return '<span class="muted">no diagnosis</span>'
    return f'<span class="badge" style="background:{PHASE_COLORS.get(phase, "#999")}">{esc(phase)}</span>'


def _spaces_section(nd: Any, files: dict[str, str]) -> str:
    sp = nd.spaces
    header = ["space", "name", "city", "phase", "people", "core", "critical", "watch", "visits in", "visits out",
              "ties across", "linked spaces", "betweenness", "role"]
    rows, csv_rows = [], []
    for _, r in sp.iterrows():
        name = str(r["space_id"])
        link = f'<a href="{esc(files[name])}">{esc(name)}</a>' if name in files else esc(name)
        role = _role(r)
        rows.append([link, r["name"], r["city"], _phase_badge(r["phase"]), r["people"], r["core"], r["critical"], r["watch"],
                     r["visits_in"], r["visits_out"], r["ties_across"], r["linked_spaces"], f"{r['betweenness']:.2f}",
                     f'<b style="color:{_ROLE_COLORS.get(role, "#333")}">{esc(role)}</b>'])
        csv_rows.append([r[c] for c in sp.columns])
    table = table_html(rows, header, numeric=set(range(4, 13)), raw={0, 3, 13})
    return _section("spaces", "Spaces", "Each space's own diagnosis over the same window; click a space for its report. "
                    "<i>Weak</i> indicators are critical or watch; a <i>bridge</i> holds the network together, a "
                    "<i>cut-off</i> space shares no people and no ties with any other.",
                    f'<div class="table-wrap">{table}</div>' + csv_link(csv_rows, list(sp.columns), "spaces.csv"))


def _headline(nd: Any, pseudonymized: bool) -> str:
    from cop.network.text import network_sections
    from cop.privacy import source_name

    first = network_sections(nd)[0]
    name = "the log" if pseudonymized else source_name(nd.source)  # the page names no folder
    items = "".join(f"<li>{esc(str(n).replace(str(nd.source), name))}</li>" for n in first.notes)
    s = nd.summary
    stats = [(s["spaces"], "spaces"), (s["people"], "people"), (s["multi_space_people"], "in several spaces"),
             (s["visits"], "visits"), (s["ties_across_spaces"], "ties across spaces"), (s["shared_events"], "shared events")]
    stat_html = "".join(f'<div class="stat"><b>{fmt_value(v)}</b><span>{esc(k)}</span></div>' for v, k in stats)
    return f'<section id="headline"><div class="stats">{stat_html}</div><ul class="evidence">{items}</ul></section>\n'


def _graph_section(nd: Any) -> str:
    fig = space_graph_figure(nd.spaces, nd.links)
    body = figure_block(fig, "fig-space-graph") if fig is not None else placeholder("A network of one space has no links.")
    links = nd.links
    rows = [[r.space_a, r.space_b, r.shared_members, r.ties, r.shared_events] for r in links.itertuples(index=False)]
    body += table_block(rows, ["space", "space", "shared people", "ties", "shared events"], filename="links.csv",
                        summary=f"All {len(rows)} links between spaces", numeric={2, 3, 4})
    return _section("graph", "Between the spaces", "Spaces are linked by <i>shared people</i> (active in both) and "
                    "<i>ties</i> between their home members; the wider the line, the more of both. A dotted line is a "
                    "shared or streamed event only, which makes no acquaintance.", body)


def _events_section(nd: Any) -> str:
    ev = nd.shared_events
    if ev.empty:
        return _section("events", "Shared events", "", placeholder("No activity had participants in several spaces."))
    rows = [[r.activity_id, f"{pd.Timestamp(r.start):%Y-%m-%d}", r.kind, "; ".join(r.spaces), r.participants]
            for r in ev.itertuples(index=False)]
    return _section("events", "Shared events", "Activities with participants in several spaces (held jointly or streamed).",
                    table_block(rows, ["activity", "start", "kind", "spaces", "participants"], filename="shared_events.csv",
                                summary=f"All {len(rows)} shared events", numeric={4}, open=True))


def _benchmark_section(nd: Any, names: list[str]) -> str:
    fig = benchmark_figure(nd.benchmark, names)
    body = figure_block(fig, "fig-benchmark") if fig is not None else placeholder("No indicator has values in several spaces.")
    b = nd.benchmark
    rows = [[r.space, r.indicator, fmt_value(r.value), r.status or "", fmt_value(r.network_q1), fmt_value(r.network_median),
             fmt_value(r.network_q3), "" if r.quartile is None else r.quartile] for r in b.itertuples(index=False)]
    body += table_block(rows, ["space", "indicator", "value", "status", "network Q1", "median", "network Q3", "quartile"],
                        filename="benchmark.csv", summary=f"All {len(rows)} values", numeric={2, 4, 5, 6, 7},
                        csv_rows=[list(r) for r in b.itertuples(index=False)], csv_header=list(b.columns))
    return _section("benchmark", "Benchmark", "Each space's indicators beside the network's distribution: quartile 1 is "
                    "the lowest quarter of the spaces, 4 the highest. A position, not a verdict: whether high is good "
                    "depends on the indicator (each space's report says).", body)


def _members_section(nd: Any, pseudonymized: bool) -> str:
    multi = nd.members[nd.members["n_spaces"] >= 2]
    if multi.empty:
        return _section("people", "People in several spaces", "", placeholder("Nobody took part in more than one space."))
    rows = [[r.member_id, r.home_space or "", r.home_from or "", "; ".join(r.spaces), r.participations, r.visits]
            for r in multi.itertuples(index=False)]
    lead = ("A member's home space is the members table's home_space, else the space of most of their participations "
            "(a tie goes to the one where they took part first). A visit is a participation outside the home space.")
    return _section("people", "People in several spaces", lead,
                    table_block(rows, ["member", "home", "home from", "spaces", "participations", "visits"],
                                filename="people_in_several_spaces.csv", summary=f"All {len(rows)} people", numeric={4, 5}))


def _activity_section(nd: Any, names: list[str]) -> str:
    fig = activity_figure(nd.activity, names)
    body = figure_block(fig, "fig-activity") if fig is not None else placeholder("No activity to show.")
    return _section("activity", "Activity over time", f"Participations and people per {'month' if nd.freq == 'MS' else 'period'} "
                    "in each space, on the same scale.", body)


def _shared_plotly(text: str) -> str:
    """A page with plotly.js loaded from :data:`PLOTLY_FILE` beside it instead of inline."""
    from plotly.offline import get_plotlyjs

    inline = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    return text.replace(inline, f'<script type="text/javascript" src="{PLOTLY_FILE}"></script>', 1)


def _with_back_link(text: str, label: str) -> str:
    """A space's report with a first navigation link back to the network page."""
    return text.replace("<nav>", f'<nav><a href="index.html">← {esc(label)}</a>', 1)


def render_network_report(nd: Any, *, title: str | None = None, files: dict[str, str] | None = None,
                          pseudonymized: bool = False, inline_plotly: bool = True) -> str:
    """The network page as an HTML string (``files``: ``{space_id: page file}`` to link; default :func:`space_file`).

    Examples
    --------
    >>> import pandas as pd, cop
    >>> log = cop.ActivityLog.from_frame(pd.DataFrame({
    ...     "activity_id": ["talk", "talk", "talk", "intro"], "member_id": ["ann", "bo", "cy", "ann"],
    ...     "timestamp": ["2024-01-02"] * 3 + ["2024-01-05"], "space": ["oslo", "oslo", "bergen", "oslo"]}))
    >>> nd = cop.diagnose_network(log, emit_warnings=False)
    >>> html = render_network_report(nd)
    >>> html.startswith("<!DOCTYPE html>"), "bergen" in html
    (True, True)
    """
    from cop.report.html import data_name

    names = nd.spaces["space_id"].astype(str).tolist()
    files = files if files is not None else {n: space_file(n) for n in nd.diagnoses}
    title = title or "Network of spaces: health report"
    meta = [f"as of {nd.as_of:%Y-%m-%d}", f"window: the last {int(nd.lookback)} days"]
    name = data_name(nd.source, pseudonymized=pseudonymized)
    meta.append(f"data: {esc(name)}" if name else ("pseudonymized data" if pseudonymized else ""))
    body = "".join([_headline(nd, pseudonymized), _spaces_section(nd, files), _activity_section(nd, names), _graph_section(nd),
                    _events_section(nd), _benchmark_section(nd, names), _members_section(nd, pseudonymized)])
    nav = [("headline", "Network"), ("spaces", "Spaces"), ("activity", "Activity"), ("graph", "Between the spaces"),
           ("events", "Shared events"), ("benchmark", "Benchmark"), ("people", "People in several spaces")]
    footer = (f"Made with cop {esc(__version__)}. The folder is self-contained: it works offline and sends nothing anywhere. "
              "Each space's page is its ordinary health report over the same window.")
    text = page(title, " · ".join(m for m in meta if m), nav, body, footer,
                data=json_script(nd.to_dict(diagnoses=False), NETWORK_SCRIPT_ID) + "\n")
    return text if inline_plotly else _shared_plotly(text)


_PREVIOUS_EXPECTED = ("expected the JSON of `cop diagnose --by space --format json` (or `cop report --by space --json`) "
                      "or the folder written by `cop report --by space`")


def read_previous_network(previous: Any) -> dict[str, dict[str, Any]]:
    """The earlier diagnosis of each space, ``{space_id: diagnosis dict}``, for ``cop report --by space --previous``.

    Parameters
    ----------
    previous : path, dict or cop.NetworkDiagnosis
        One of: the network JSON written by ``cop diagnose --by space --format
        json -o FILE`` or ``cop report --by space --json FILE`` (its
        ``diagnoses`` hold every space's diagnosis); the folder written by
        ``cop report --by space -o FOLDER`` (its ``index.html`` names the
        spaces, each ``space-<id>.html`` embeds that space's diagnosis); such a
        dict; what this function returned (``{space_id: diagnosis dict}``); or a
        :class:`cop.NetworkDiagnosis`.

    Raises
    ------
    cop.exceptions.FileFormatError
        Not a network diagnosis (a one-community diagnosis is named as such), or
        a folder without the network page or a space's page (one message naming
        the file and what was expected).

    Examples
    --------
    >>> import pandas as pd, cop
    >>> rows = pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": ["ann", "bo", "cy", "ann"],
    ...                      "timestamp": ["2024-01-05", "2024-01-05", "2024-01-06", "2024-01-06"],
    ...                      "space": ["oslo", "oslo", "bergen", "bergen"]})
    >>> nd = cop.diagnose_network(cop.ActivityLog.from_frame(rows), lookback=90, agreement=False, emit_warnings=False)
    >>> {k: v["phase"] for k, v in read_previous_network(nd.to_dict()).items()}
    {'bergen': 'potential', 'oslo': 'potential'}
    """
    import json

    from cop.exceptions import FileFormatError
    from cop.report.changes import _from_text, _validate

    def fail(where: str, what: str) -> FileFormatError:
        return FileFormatError(f"{where}: {what}; {_PREVIOUS_EXPECTED}")

    def from_dict(data: Any, where: str) -> dict[str, dict[str, Any]]:
        if not isinstance(data, dict):
            raise fail(where, f"holds a JSON {type(data).__name__}, not a network diagnosis")
        if data and "kind" not in data and all(isinstance(v, dict) and "phase" in v for v in data.values()):
            return {str(k): _validate(v, f"{where}, space {k!r}") for k, v in data.items()}  # already read
        if data.get("kind") != "network":
            if "phase" in data and "indicators" in data:
                raise fail(where, "is the diagnosis of one community, not of a network of spaces (it has no per-space "
                                  "diagnoses)")
            raise fail(where, "is not a cop network diagnosis (no \"kind\": \"network\")")
        if not isinstance(data.get("diagnoses"), dict):
            raise fail(where, "is a network diagnosis without the per-space diagnoses ('diagnoses')")
        return {str(k): _validate(v, f"{where}, space {k!r}") for k, v in data["diagnoses"].items()}

    if hasattr(previous, "diagnoses") and hasattr(previous, "to_dict"):
        return {k: d.to_dict() for k, d in previous.diagnoses.items()}
    if isinstance(previous, dict):
        return from_dict(previous, "previous network diagnosis")
    if not isinstance(previous, (str, os.PathLike)):
        raise FileFormatError(f"previous: got {type(previous).__name__}; {_PREVIOUS_EXPECTED}")
    path = Path(previous)
    if path.is_dir():
        index = path / "index.html"
        if not index.is_file():
            raise fail(str(path), "is a folder without index.html")
        m = re.search(rf'<script[^>]*id="{NETWORK_SCRIPT_ID}"[^>]*>(.*?)</script>', index.read_text(encoding="utf-8"), re.S)
        if m is None:
            raise fail(str(index), f'has no embedded network diagnosis (<script id="{NETWORK_SCRIPT_ID}">)')
        try:
            net = json.loads(m.group(1))
        except json.JSONDecodeError as exc:
            raise fail(f"{index} (embedded network diagnosis)", f"is not JSON ({exc.msg})") from None
        skipped = net.get("skipped") or {}
        names = [str(r["space_id"]) for r in net.get("spaces", []) if str(r.get("space_id")) not in skipped]
        out = {}
        for name, file in _files(names).items():
            page_path = path / file
            if not page_path.is_file():
                raise fail(str(path), f"has no page {file} for space {name!r}, which its index.html lists")
            out[name] = _from_text(page_path.read_text(encoding="utf-8"), str(page_path))
        return out
    if not path.is_file():
        raise fail(str(path), "no such file or folder")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise fail(str(path), "is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise fail(str(path), f"is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return from_dict(data, str(path))


def write_network_report(nd: Any, folder: str | os.PathLike[str], *, title: str | None = None,
                         pseudonymized: bool = False, previous: Any = None) -> Path:
    """Write ``index.html``, one ``space-<id>.html`` per diagnosed space and ``plotly.min.js`` into ``folder``; return the index.

    ``previous`` (see :func:`read_previous_network`) adds to each space's page
    what changed since its earlier diagnosis; a space without one gets none.

    Examples
    --------
    >>> import tempfile, pandas as pd, cop
    >>> rows = pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": ["ann", "bo", "cy", "ann"],
    ...                      "timestamp": ["2024-01-05", "2024-01-05", "2024-01-06", "2024-01-06"],
    ...                      "space": ["oslo", "oslo", "bergen", "bergen"]})
    >>> nd = cop.diagnose_network(cop.ActivityLog.from_frame(rows), lookback=90, agreement=False, emit_warnings=False)
    >>> index = write_network_report(nd, tempfile.mkdtemp())
    >>> sorted(p.name for p in index.parent.iterdir())
    ['index.html', 'plotly.min.js', 'space-bergen.html', 'space-oslo.html']
    """
    from plotly.offline import get_plotlyjs

    from cop.report.html import render_report

    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    atomic_write_text(folder / PLOTLY_FILE, get_plotlyjs())
    files = _files(list(nd.diagnoses))
    table = nd.spaces.set_index("space_id")
    network_title = title or "Network of spaces: health report"
    before = read_previous_network(previous) if previous is not None else {}
    for name, d in nd.diagnoses.items():
        label = table.loc[name, "name"] if name in table.index and isinstance(table.loc[name, "name"], str) else name
        text = render_report(d, title=f"{label}: community health report", pseudonymized=pseudonymized,
                             previous=before.get(name))
        atomic_write_text(folder / files[name], _shared_plotly(_with_back_link(text, network_title)))
    index = folder / "index.html"
    atomic_write_text(index, render_network_report(nd, title=title, files=files, pseudonymized=pseudonymized,
                                                   inline_plotly=False))
    return index
