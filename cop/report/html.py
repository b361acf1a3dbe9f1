"""The health report: one self-contained HTML page of a :class:`cop.Diagnosis`.

Sections: the headline (phase, confidence, evidence, key numbers), what to try
(recommendations with ready-to-run ``cop experiment`` commands), indicator cards
by principle, participation (pyramid beside the reference shares, levels over
time, moves between levels, named patterns with the members concerned), the
interactive network, the phase timeline with its indicators, and organization
integration and manager dependency.  The page embeds plotly.js once and loads
nothing from the network.

Examples
--------
>>> import cop
>>> from cop.report import render_report
>>> d = cop.diagnose(cop.load_example())                      # doctest: +SKIP
>>> html = render_report(d)                                   # doctest: +SKIP
>>> html.startswith("<!DOCTYPE html>")                        # doctest: +SKIP
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cop._atomic import atomic_write_text
from cop._version import __version__
from cop.report import figures as F
from cop.report._page import (
    PHASE_COLORS,
    STATUS_COLORS,
    esc,
    figure_block,
    fmt_value,
    page,
    placeholder,
    table_html,
)
from cop.report.commands import command_for, label_for

__all__ = ["render_report", "write_report", "PHASE_TEXT", "PRINCIPLE_TEXT", "PATTERN_TEXT"]

#: Plain-language meaning of each life-cycle phase (Wenger 1998).
PHASE_TEXT: dict[str, str] = {
    "potential": "People with a shared concern are finding each other; there is no regular practice yet.",
    "coalescing": "Members come together, get to know each other and start regular activities.",
    "active": "Members take part regularly, build ties across the community and develop a shared practice.",
    "dispersed": "Activity and ties are thinning: fewer people take part and the core is shrinking.",
    "memorable": "The community is no longer central to its members' work; it lives on in stories and contacts.",
}

#: Title and one-line meaning of each principle (Wenger, McDermott & Snyder 2002; coworking studies).
PRINCIPLE_TEXT: dict[str, tuple[str, str]] = {
    "design_for_evolution": ("Design for evolution", "The community grows and renews itself: newcomers arrive and stay."),
    "inside_outside_dialogue": ("Dialogue between inside and outside", "Outside perspectives (guests, speakers) reach the members."),
    "levels_of_participation": ("Different levels of participation", "A healthy mix of core, active and peripheral members."),
    "public_private_spaces": ("Public and private spaces", "Both community-wide events and one-to-one connections happen."),
    "focus_on_value": ("Focus on value", "Taking part pays off: collaborations and concrete outcomes."),
    "familiarity_excitement": ("Familiarity and excitement", "Regular routines plus new people and topics."),
    "rhythm": ("A rhythm for the community", "Activities recur at a steady, predictable pace."),
    "organization_integration": ("Organization integration", "Members of different organizations mix instead of staying in silos."),
    "manager_dependency": ("Manager dependency", "The community does not hinge on one coordinator."),
    "newcomer_integration": ("Newcomer integration", "Newcomers get connected early and move inward."),
}

#: Title and meaning of each named pattern.
PATTERN_TEXT: dict[str, tuple[str, str]] = {
    "stuck_periphery": ("Stuck at the periphery", "Members who have stayed peripheral for several periods."),
    "moving_inward": ("Moving inward", "Members whose participation level is rising: candidates for more responsibility."),
    "drifting_core": ("Drifting core", "Core members whose participation is falling: worth a conversation."),
    "siloed_organization": ("Siloed organizations", "Organizations whose members mostly interact among themselves."),
}

_MAX_PATTERN_ROWS = 40


# ----------------------------------------------------------------------------- helpers
def _badge(status: str) -> str:
    status = str(status)
    return (f'<span class="badge" style="background:{STATUS_COLORS.get(status, "#9e9e9e")}">'
            f'{esc(status.replace("_", " "))}</span>')


def _frame(diagnosis: Any, name: str) -> pd.DataFrame:
    value = getattr(diagnosis, name, None)
    return value if isinstance(value, pd.DataFrame) else pd.DataFrame()


def _date(value: Any) -> str:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return esc(value)
    return "" if pd.isna(ts) else ts.strftime("%Y-%m-%d")


def _title(name: str) -> str:
    return str(name).replace("_", " ").capitalize()


def _section(anchor: str, title: str, lead: str, body: str) -> str:
    lead_html = f'<p class="lead">{lead}</p>' if lead else ""
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>{lead_html}{body}</section>\n'


def _level_counts(diagnosis: Any) -> dict[str, int]:
    lc = _frame(diagnosis, "level_counts")
    if lc.empty:
        return {}
    return {str(k): int(v) for k, v in zip(lc["level"], lc["count"].fillna(0))}


# ----------------------------------------------------------------------------- sections
def _headline(d: Any) -> str:
    phase = str(getattr(d, "phase", "unknown"))
    conf = float(getattr(d, "phase_confidence", float("nan")))
    color = PHASE_COLORS.get(phase, "#7f7f7f")
    evidence = "".join(f"<li>{esc(s)}</li>" for s in (getattr(d, "phase_evidence", None) or []))
    conf_text = "unknown" if np.isnan(conf) else f"{conf:.0%}"
    meter = "" if np.isnan(conf) else f'<div class="meter"><span style="width:{conf * 100:.0f}%;background:{color}"></span></div>'
    counts = _level_counts(d)
    people = sum(v for k, v in counts.items() if k not in ("outsider", "inactive"))
    ind = _frame(d, "indicators")
    status_counts = ind["status"].astype(str).value_counts() if not ind.empty else pd.Series(dtype=int)
    stats = [(fmt_value(people), "members in the window")]
    stats += [(fmt_value(counts.get(lv, 0)), lv) for lv in ("core", "active", "peripheral") if lv in counts]
    tl = _frame(d, "timeline")
    if not tl.empty and "newcomers" in tl:
        stats.append((fmt_value(tl.sort_values("period")["newcomers"].iloc[-1]), "newcomers last period"))
    stat_html = "".join(f"<div class=\"stat\"><b>{v}</b><span>{esc(k)}</span></div>" for v, k in stats)
    status_html = " ".join(
        f'{_badge(s)} {int(status_counts.get(s, 0))}' for s in ("critical", "watch", "healthy", "not_available")
        if int(status_counts.get(s, 0))
    )
    recs = _frame(d, "recommendations")
    first = ""
    if not recs.empty:
        top = recs.sort_values("rank").iloc[0]
        first = (f'<p><b>First thing to try:</b> <a href="#recommendations">{esc(label_for(top["intervention"]))}</a> '
                 f'— {esc(top.get("rationale", ""))}</p>')
    lookback = getattr(d, "lookback", None)
    return (
        '<section id="headline"><div class="headline">'
        f'<div><div class="muted">Life-cycle phase</div><p class="phase" style="color:{color}">{esc(phase)}</p>'
        f'{meter}<div class="muted">confidence {conf_text}</div>'
        f'<p>{esc(PHASE_TEXT.get(phase, ""))}</p></div>'
        f'<div><div class="muted">Why: the evidence{f" (last {int(lookback)} days)" if lookback else ""}</div>'
        f'<ul class="evidence">{evidence or "<li>No evidence recorded.</li>"}</ul>'
        f'<div class="stats">{stat_html}</div>'
        f'<p>Indicators: {status_html or "none"}</p>{first}</div>'
        "</div></section>\n"
    )


def _recommendations(d: Any) -> str:
    recs = _frame(d, "recommendations")
    if recs.empty:
        return _section("recommendations", "What to try", "",
                        placeholder("No recommendation: no indicator is at watch or critical level."))
    items = []
    for row in recs.sort_values("rank").itertuples(index=False):
        r = row._asdict()
        status = str(r.get("status", ""))
        cmd = command_for(r.get("intervention"))
        cmd_html = (
            '<div class="muted" style="margin-top:6px">Test it in simulation before trying it for real:</div>'
            f'<pre class="cmd"><button class="copy" type="button">copy</button><code>{esc(cmd)}</code></pre>'
        ) if cmd else ""
        items.append(
            f'<div class="rec" style="border-left-color:{STATUS_COLORS.get(status, "#9e9e9e")}">'
            f'<h3>{esc(r.get("rank"))}. {esc(label_for(r.get("intervention")))} '
            f'<span class="muted" style="font-weight:normal;font-size:13px">({esc(r.get("intervention"))})</span></h3>'
            f'<div>because <a href="#ind-{esc(r.get("indicator"))}">{esc(_title(r.get("indicator", "")))}</a> is {_badge(status)}</div>'
            f'<p class="why">{esc(r.get("rationale", ""))}</p>{cmd_html}</div>'
        )
    lead = ("Ranked by how weak the indicators behind them are. Each comes with a <code>cop experiment</code> command that "
            "compares the intervention with a baseline coworking space in simulation (8 replicates, an HTML comparison report).")
    return _section("recommendations", "What to try", lead, "".join(items))


def _indicator_card(r: dict[str, Any]) -> str:
    status = str(r.get("status", "not_available"))
    levers = r.get("interventions")
    if isinstance(levers, str):
        levers = [levers]
    levers = [str(x) for x in (levers if isinstance(levers, (list, tuple, np.ndarray)) else [])]
    lever_html = (f'<div class="levers">levers: {", ".join(esc(label_for(x).lower()) for x in levers)}</div>') if levers else ""
    reason = r.get("reason")
    reason_html = f'<div class="reason">not available: {esc(reason)}</div>' if reason and not pd.isna(reason) else ""
    ref = r.get("reference")
    ref_html = f'<div class="ref">reference: {esc(ref)}</div>' if ref and not pd.isna(ref) else ""
    return (
        f'<div class="card" id="ind-{esc(r.get("name"))}" style="border-left-color:{STATUS_COLORS.get(status, "#9e9e9e")}">'
        f'<h4>{esc(_title(r.get("name", "")))}</h4>{_badge(status)}'
        f'<div class="value">{fmt_value(r.get("value"))}</div>'
        f'<div>{esc(r.get("explanation", ""))}</div>{ref_html}{reason_html}{lever_html}</div>'
    )


def _indicator_group(ind: pd.DataFrame, principle: str) -> str:
    title, meaning = PRINCIPLE_TEXT.get(principle, (_title(principle), ""))
    rows = ind[ind["principle"].astype(str) == principle]
    cards = "".join(_indicator_card(r) for r in rows.to_dict("records"))
    return f'<h3>{esc(title)}</h3><p class="muted" style="margin:0 0 8px">{esc(meaning)}</p><div class="cards">{cards}</div>'


def _indicators(d: Any, skip: tuple[str, ...]) -> str:
    ind = _frame(d, "indicators")
    if ind.empty:
        return _section("indicators", "Health indicators", "", placeholder("No indicators were computed."))
    principles = [p for p in PRINCIPLE_TEXT if p in set(ind["principle"].astype(str)) and p not in skip]
    principles += sorted(set(ind["principle"].astype(str)) - set(PRINCIPLE_TEXT) - set(skip))
    legend = " ".join(_badge(s) for s in STATUS_COLORS)
    lead = f"Grouped by the principles of cultivating communities of practice (Wenger, McDermott &amp; Snyder 2002). {legend}"
    return _section("indicators", "Health indicators", lead, "".join(_indicator_group(ind, p) for p in principles))


def _pattern_tables(d: Any, kinds: tuple[str, ...]) -> str:
    pat = _frame(d, "patterns")
    if pat.empty:
        return ""
    parts = []
    names = [k for k in kinds if k in set(pat["pattern"].astype(str))]
    for name in names:
        rows = pat[pat["pattern"].astype(str) == name]
        title, meaning = PATTERN_TEXT.get(name, (_title(name), ""))
        shown = rows.head(_MAX_PATTERN_ROWS)
        org_only = rows["member_id"].isna().all() if "member_id" in rows else True
        header = (["organization"] if org_only else ["member", "organization"]) + ["since", "periods", "detail"]
        table_rows = []
        for r in shown.to_dict("records"):
            cells = [] if org_only else [r.get("member_id")]
            cells += [r.get("organization"), _date(r.get("since")), r.get("periods"), r.get("detail")]
            table_rows.append(cells)
        more = f'<p class="muted">… and {len(rows) - len(shown)} more.</p>' if len(rows) > len(shown) else ""
        n = len(rows)
        parts.append(
            f'<details open><summary><b>{esc(title)}</b> — {n} {"organization" if org_only else "member"}{"s" if n != 1 else ""}</summary>'
            f'<p class="muted" style="margin:4px 0">{esc(meaning)}</p>'
            f'{table_html(table_rows, header, numeric={len(header) - 2})}{more}</details>'
        )
    return "".join(parts)


def _participation(d: Any) -> str:
    pyramid = F.pyramid_figure(_frame(d, "level_counts"))
    areas = F.level_areas_figure(_frame(d, "levels_by_period"))
    sankey = F.flows_sankey_figure(_frame(d, "flows"))
    py = figure_block(pyramid, "fig-pyramid") if pyramid is not None else placeholder("No participation levels.")
    ar = figure_block(areas, "fig-levels") if areas is not None else placeholder("Not enough periods for levels over time.")
    sk = figure_block(sankey, "fig-flows") if sankey is not None else placeholder("Not enough periods for moves between levels.")
    lead = ("Who is coordinator, core, active, peripheral or an outsider in the current window, beside Wenger's reference shares "
            "(a core of 10–15%, an active group of 15–20%, the rest peripheral).")
    patterns = _pattern_tables(d, ("stuck_periphery", "drifting_core", "moving_inward"))
    body = (
        f'<div class="grid2"><div><h3>Participation pyramid</h3>{py}</div>'
        f'<div><h3>Moves between levels</h3><p class="muted" style="margin:0">From one period to the next, '
        f'summed over the last six changes.</p>{sk}</div></div>'
        f'<h3>Levels over time</h3>{ar}'
        f'<h3 id="patterns">Patterns</h3>{patterns or placeholder("No named pattern was found.")}'
    )
    return _section("participation", "Participation", lead, body)


def _network(d: Any) -> str:
    graph = getattr(d, "graph", None)
    fig = F.network_figure(graph, _frame(d, "members"))
    lead = ("Who interacts with whom in the current window: colour = participation level, size = engagement score. "
            "Hover over a member for their organization and level; drag to pan, scroll to zoom, click the legend to hide a level.")
    return _section("network", "Interaction network", lead,
                    figure_block(fig, "fig-network") if fig is not None else placeholder("No interactions in the window."))


def _timeline(d: Any) -> str:
    tl = _frame(d, "timeline")
    fig = F.timeline_figure(tl)
    lead = (f"The phase of every period ({esc(getattr(d, 'freq', ''))}), how confident the classification is, and the indicators "
            "behind it. Click legend entries to show or hide lines.")
    return _section("timeline", "Life-cycle timeline", lead,
                    figure_block(fig, "fig-timeline") if fig is not None else placeholder("No timeline: too few periods."))


def _organizations(d: Any) -> str:
    orgs = _frame(d, "organizations")
    fig = F.organizations_figure(orgs)
    dep = F.manager_dependency_figure(getattr(d, "graph", None), _frame(d, "members"))
    ind = _frame(d, "indicators")
    body = ['<div class="grid2"><div><h3>Organization integration</h3>'
            '<p class="muted" style="margin:0">Organizations of two or more members: how many of their members stay at the periphery, '
            'coloured by the E-I index of their ties (<span style="color:#c62828">red</span>: mostly inside the organization, '
            '<span style="color:#3f8fd2">blue</span>: mostly with others, grey: no ties at all).</p>']
    body.append(figure_block(fig, "fig-organizations") if fig is not None else placeholder("No organizations known (no members table)."))
    body.append("</div><div><h3>Manager dependency</h3>"
                '<p class="muted" style="margin:0">How connected would the community stay without its coordinators?</p>')
    body.append(figure_block(dep, "fig-dependency") if dep is not None else placeholder("No coordinator (manager or staff) is known."))
    body.append("</div></div>")
    if not ind.empty:
        for principle in ("organization_integration", "manager_dependency"):
            if principle in set(ind["principle"].astype(str)):
                body.append(_indicator_group(ind, principle))
    body.append(_pattern_tables(d, ("siloed_organization",)))
    if not orgs.empty:
        o = orgs.sort_values(["members", "organization"], ascending=[False, True])
        cols = [c for c in ("organization", "members", "internal_ties", "external_ties", "ei_index", "share_peripheral") if c in o]
        rows = [[r[c] for c in cols] for r in o.to_dict("records")]
        body.append(f"<details><summary>All {len(o)} organizations</summary>"
                    f"{table_html(rows, [c.replace('_', ' ') for c in cols], numeric=set(range(1, len(cols))))}</details>")
    return _section("organizations", "Organizations and the manager", "", "".join(body))


# ----------------------------------------------------------------------------- public
def render_report(diagnosis: Any, *, title: str | None = None) -> str:
    """The health report of a diagnosis as one self-contained HTML string.

    Parameters
    ----------
    diagnosis : cop.Diagnosis
        The result of :func:`cop.diagnose` (only the attributes of the
        contract in ``docs/diagnosis-contract.md`` are read).
    title : str, optional
        Page title; default "Community health report".

    Returns
    -------
    str
        An HTML document with plotly.js and all data inline (about 5 MB);
        it opens offline in any browser.
    """
    title = title or "Community health report"
    as_of = getattr(diagnosis, "as_of", None)
    lookback = getattr(diagnosis, "lookback", None)
    meta_parts = []
    if as_of is not None:
        meta_parts.append(f"as of {_date(as_of)}")
    if lookback:
        meta_parts.append(f"window: the last {int(lookback)} days")
    source = getattr(diagnosis, "source", None)
    if source:
        meta_parts.append(f"data: {esc(source)}")
    body = "".join([
        _headline(diagnosis),
        _recommendations(diagnosis),
        _indicators(diagnosis, skip=("organization_integration", "manager_dependency")),
        _participation(diagnosis),
        _network(diagnosis),
        _timeline(diagnosis),
        _organizations(diagnosis),
    ])
    nav = [("headline", "Summary"), ("recommendations", "What to try"), ("indicators", "Indicators"),
           ("participation", "Participation"), ("network", "Network"), ("timeline", "Timeline"),
           ("organizations", "Organizations & manager")]
    footer = (f"Made with cop {esc(__version__)}. This file is self-contained: it works offline and sends nothing anywhere. "
              "Levels, phases and indicators are estimates from activity data; read them with what you know of your community.")
    return page(title, " · ".join(meta_parts), nav, body, footer)


def write_report(diagnosis: Any, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write :func:`render_report` to ``path`` atomically and return the path."""
    return atomic_write_text(Path(path), render_report(diagnosis, title=title))
