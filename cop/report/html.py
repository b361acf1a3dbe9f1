"""The health report: one self-contained HTML page of a :class:`cop.Diagnosis`.

Written for a community manager who has five minutes.  The first screen says
the phase, what is going well, what is weak and what to try, in plain words;
then, when a previous diagnosis is given, what changed since; the
recommendations with ready-to-run ``cop experiment`` commands; every indicator
by principle with a plain name and a value in percent, people or days (the
technical name, definition and reference range one click away); participation
(pyramid beside the reference shares, moves between levels, levels over time,
named patterns); the network, the timeline and organizations and the manager.
Long tables, the network and the phase rule scores are folded in
``<details>``; every table is complete in the page and downloadable as CSV
(a ``data:`` link).  The page embeds plotly.js once, loads nothing from the
network, prints without cut charts, and embeds its diagnosis as JSON
(``<script type="application/json" id="cop-diagnosis">``) so that the next
report can say what changed (:mod:`cop.report.changes`).

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

from cop.privacy import source_name
from cop._atomic import atomic_write_text
from cop._version import __version__
from cop.report import figures as F
from cop.report._page import (
    PHASE_COLORS,
    STATUS_COLORS,
    esc,
    figure_block,
    fmt_value,
    json_script,
    page,
    placeholder,
    table_block,
    table_html,
)
from cop.report.changes import DIAGNOSIS_SCRIPT_ID, LEFT, NEW, Changes, compare
from cop.report.commands import baseline_note, command_for, label_for
from cop.report.introductions import ANCHOR as INTRO_ANCHOR, introductions_section
from cop.report.wording import PATTERN_TEXT, STATUS_TEXT, describe, indicator_definition, unit_text, wording_for
from cop.words import counted

__all__ = ["render_report", "write_report", "report_data", "data_name", "PHASE_TEXT", "PRINCIPLE_TEXT", "PATTERN_TEXT"]

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
    "design_for_evolution": ("Design for evolution", "The community's domain keeps evolving: its topics renew while members share a focus."),
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

#: Patterns whose ``detail`` only restates the ``periods`` column (the table leaves it out).
_DETAIL_REPEATS_PERIODS = ("stuck_periphery",)
_SUMMARY_ITEMS = 3
_SHOWN_RECOMMENDATIONS = 3


# ----------------------------------------------------------------------------- helpers
def _badge(status: str) -> str:
    status = str(status)
    return (f'<span class="badge" style="background:{STATUS_COLORS.get(status, "#bbb")}">'
            f'{esc(STATUS_TEXT.get(status, status.replace("_", " ")))}</span>')


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


def _period_word(freq: Any) -> str:
    """``MS`` -> "month", ``QS`` -> "quarter", ``W-MON`` -> "week" (else "period")."""
    f = str(freq or "").upper()
    for prefix, word in (("W", "week"), ("QS", "quarter"), ("Q", "quarter"), ("MS", "month"), ("ME", "month"), ("M", "month"),
                         ("YS", "year"), ("AS", "year"), ("Y", "year"), ("A", "year"), ("D", "day")):
        if f.startswith(prefix):
            return word
    return "period"


def _window_days(d: Any) -> int | None:
    """Days of the current window: from ``window_start`` to ``as_of`` (the window used), else ``lookback``."""
    start, end = getattr(d, "window_start", None), getattr(d, "as_of", None)
    if start is not None and end is not None and not pd.isna(start):
        return int(round((pd.Timestamp(end) - pd.Timestamp(start)) / pd.Timedelta(days=1)))
    lookback = getattr(d, "lookback", None)
    return int(lookback) if lookback else None


def data_name(source: Any, *, pseudonymized: bool = False) -> str:
    """What the report says about the data: the file name only (never a folder path), nothing when pseudonymized.

    Examples
    --------
    >>> data_name("/home/ann/exports/checkins.csv"), data_name("<DataFrame>"), data_name("x.csv", pseudonymized=True)
    ('checkins.csv', '', '')
    >>> data_name("C:\\\\Users\\\\ann\\\\checkins.xlsx")
    'checkins.xlsx'
    """
    name = source_name(source)
    return "" if pseudonymized or name.startswith("<") else name


def report_data(diagnosis: Any, *, pseudonymized: bool = False) -> dict[str, Any]:
    """The diagnosis JSON a report embeds (``Diagnosis.to_dict``), with ``source`` reduced to :func:`data_name`.

    Examples
    --------
    >>> import cop
    >>> data = report_data(cop.diagnose(cop.load_example()), pseudonymized=True)
    >>> "indicators" in data and "members" in data
    True
    """
    data = diagnosis.to_dict() if hasattr(diagnosis, "to_dict") else {}
    if data:
        data["source"] = data_name(data.get("source"), pseudonymized=pseudonymized)
    return data


# ----------------------------------------------------------------------------- the first screen
def _verdict_items(ind: pd.DataFrame) -> tuple[list[str], list[str], int]:
    """Up to four sentences of what goes well (one per principle) and of what is weak (critical first)."""
    if ind.empty:
        return [], [], 0
    order = {p: i for i, p in enumerate(PRINCIPLE_TEXT)}
    rows = ind.assign(_p=ind["principle"].astype(str).map(order).fillna(len(order)))
    good = rows[rows["status"].astype(str) == "healthy"].sort_values("_p", kind="stable").drop_duplicates("principle")
    weak = rows[rows["status"].astype(str).isin(["critical", "watch"])].copy()
    weak["_s"] = weak["status"].map({"critical": 0, "watch": 1})
    weak = weak.sort_values(["_s", "_p"], kind="stable")

    def item(r: dict[str, Any]) -> str:
        label, value = describe(r["name"], r.get("value"))
        badge = " " + _badge(r["status"]) if r["status"] != "healthy" else ""
        return (f'<li>{esc(r.get("explanation", ""))} <a class="muted" href="#ind-{esc(r["name"])}">'
                f'({esc(label.lower())}: {esc(value)})</a>{badge}</li>')

    g = [item(r) for r in good.head(_SUMMARY_ITEMS).to_dict("records")]
    w = [item(r) for r in weak.head(_SUMMARY_ITEMS).to_dict("records")]
    return g, w, max(0, len(weak) - _SUMMARY_ITEMS)


def _headline(d: Any, changes: Changes | None) -> str:
    phase = str(getattr(d, "phase", "unknown"))
    conf = float(getattr(d, "phase_confidence", float("nan")))
    color = PHASE_COLORS.get(phase, "#777")
    evidence = "".join(f"<li>{esc(s)}</li>" for s in (getattr(d, "phase_evidence", None) or []))
    conf_text = "unknown" if np.isnan(conf) else f"{conf:.0%}"
    meter = "" if np.isnan(conf) else f'<div class="meter"><span style="width:{conf * 100:.0f}%;background:{color}"></span></div>'
    counts = _level_counts(d)
    people = sum(v for k, v in counts.items() if k not in ("outsider", "inactive"))
    stats = [(fmt_value(people), "people taking part")]
    stats += [(fmt_value(counts.get(lv, 0)), f"{lv}") for lv in ("core", "active", "peripheral") if lv in counts]
    tl = _frame(d, "timeline")
    if not tl.empty and "newcomers" in tl:
        stats.append((fmt_value(tl.sort_values("period")["newcomers"].iloc[-1]), "newcomers last period"))
    stat_html = "".join(f'<div class="stat"><b>{v}</b><span>{esc(k)}</span></div>' for v, k in stats)
    ind = _frame(d, "indicators")
    good, weak, more_weak = _verdict_items(ind)
    more = f'<li><a href="#indicators">{counted(more_weak, "more indicator")} to watch</a></li>' if more_weak else ""
    recs = _frame(d, "recommendations")
    tries = []
    if not recs.empty:
        for r in recs.sort_values("rank").head(3).to_dict("records"):
            tries.append(f'<li><a href="#rec-{esc(r["rank"])}">{esc(label_for(r["intervention"]))}</a></li>')
    days = _window_days(d)
    window = f" in the last {days} days" if days else ""
    verdicts = (
        '<div class="verdicts">'
        f'<div style="border-top-color:{STATUS_COLORS["healthy"]}"><h3>✓ Going well</h3>'
        f'<ul>{"".join(good) or "<li>No indicator is healthy yet.</li>"}</ul></div>'
        f'<div style="border-top-color:{STATUS_COLORS["critical"]}"><h3>✕ Weak</h3>'
        f'<ul>{"".join(weak) or "<li>Nothing is weak: every indicator is healthy or not available.</li>"}{more}</ul></div>'
        f'<div style="border-top-color:{STATUS_COLORS["watch"]}"><h3>→ What to try</h3>'
        f'<ol style="margin:0;padding-left:20px">{"".join(tries) or "<li>Nothing urgent: keep the rhythm going.</li>"}</ol></div>'
        "</div>"
    )
    change = _change_line(changes) if changes is not None else ""
    return (
        '<section id="headline"><div class="summary">'
        f'<div><div class="muted">Life-cycle phase</div><p class="phase" style="color:{_dark(color)}">{esc(phase)}</p>'
        f'{meter}<div class="muted">confidence {conf_text}</div></div>'
        f'<div><p style="margin-top:0">{esc(PHASE_TEXT.get(phase, ""))}</p>{change}{_settings_line(d)}'
        f'<div class="stats">{stat_html}</div>'
        f'<details><summary>Why this phase{esc(window)}</summary><ul class="evidence">{evidence or "<li>No evidence recorded.</li>"}</ul></details>'
        f"</div></div>{verdicts}</section>\n"
    )


def _dark(color: str) -> str:
    """A phase colour darkened for large text on white (WCAG 3:1 for large text)."""
    h = color.lstrip("#")
    if len(h) != 6:
        return color
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.72) for c in (r, g, b)))


# ----------------------------------------------------------------------------- the manager's own thresholds
def _settings_of(d: Any) -> Any:
    return getattr(d, "settings", None)


def _band_text(band: Any, name: str) -> str:
    """A band as the reference texts write it, in percent when the indicator is graded on a share."""
    unit = str(getattr(_spec(name), "unit", ""))
    return format(band, "%") if "share" in unit or unit in ("percent", "fraction") else format(band)


def _spec(name: str) -> Any:
    from cop.health import indicator_specs

    return {s.name: s for s in indicator_specs()}.get(name)


def _settings_line(d: Any) -> str:
    """The first screen's line saying the indicators named are graded on the manager's own ranges."""
    own = _settings_of(d)
    if own is None:
        return ""
    names = ", ".join(describe(n, None)[0].lower() for n in own.names) or "none"
    n = len(own.names)
    return (f'<p class="custom" id="custom-ranges-note"><b>Your own reference ranges</b> from {esc(own.label)} for '
            f'{counted(n, "indicator")}: {esc(names)}. <a href="#settings">Which ranges</a></p>')


def _settings_block(d: Any) -> str:
    own = _settings_of(d)
    if own is None:
        return ""
    rows = [[describe(t.name, None)[0], _band_text(t.healthy, t.name), _band_text(t.watch, t.name),
             f"{_band_text(t.default_healthy, t.name)} / {_band_text(t.default_watch, t.name)}", t.why, t.name]
            for t in own.thresholds]
    csv = [[t.name, t.healthy.lo, t.healthy.hi, t.watch.lo, t.watch.hi, t.default_healthy.lo, t.default_healthy.hi,
            t.default_watch.lo, t.default_watch.hi, t.why] for t in own.thresholds]
    desc = f"<p>{esc(own.description)}</p>" if own.description else ""
    table = table_block(rows, ["indicator", "healthy", "watch", "cop's default (healthy / watch)", "why", "technical name"],
                        filename="reference_ranges.csv", summary=f"Your own ranges ({len(rows)})", open=True, csv_rows=csv,
                        csv_header=["name", "healthy_low", "healthy_high", "watch_low", "watch_high", "default_healthy_low",
                                    "default_healthy_high", "default_watch_low", "default_watch_high", "why"])
    lead = (f"These indicators are graded on the ranges of {esc(own.label)} instead of cop's, which are set for a coworking "
            "space; every other indicator keeps cop's range. Outside both bands an indicator is critical.")
    return f'<h3 id="settings">Your own reference ranges</h3><p class="lead">{lead}</p>{desc}{table}'


# ----------------------------------------------------------------------------- what changed
def _change_line(ch: Changes) -> str:
    c = ch.counts()
    phase = (f"phase <b>{esc(ch.phase_before)} → {esc(ch.phase_now)}</b>" if ch.phase_before != ch.phase_now
             else f"phase still <b>{esc(ch.phase_now)}</b>")
    return (f'<p style="margin:0 0 10px"><b>Since {_date(ch.as_of_before)}:</b> {phase}; '
            f'{counted(c["better"], "indicator")} better, {c["worse"]:,} worse; '
            f'{counted(c["inward"], "member")} moved inward, {c["outward"]:,} outward, {c["joined"]:,} joined, {c["left"]:,} left. '
            '<a href="#changes">What changed</a></p>')


def _changes_section(ch: Changes, pseudonymized: bool) -> str:
    conf = lambda v: "" if v != v else f" ({v:.0%} confident)"  # noqa: E731
    if ch.phase_before != ch.phase_now:
        phase = (f"<p>The phase changed from <b>{esc(ch.phase_before)}</b>{conf(ch.confidence_before)} to "
                 f"<b>{esc(ch.phase_now)}</b>{conf(ch.confidence_now)}: {esc(PHASE_TEXT.get(ch.phase_now, ''))}</p>")
    else:
        phase = f"<p>The phase is still <b>{esc(ch.phase_now)}</b>{conf(ch.confidence_now)}, as on {_date(ch.as_of_before)}.</p>"
    ind = ch.indicators
    order = {"worse": 0, "better": 1, "new": 2, "gone": 3, "same": 4}
    ind = ind.assign(_o=ind["direction"].map(order)).sort_values("_o", kind="stable")
    words = {"worse": "↓ worse", "better": "↑ better", "same": "= same status", "new": "new", "gone": "no longer computed"}
    rows = [[r["label"], r["before"], r["now"], r["change"],
             f'{STATUS_TEXT.get(str(r["status_before"]), "–")} → {STATUS_TEXT.get(str(r["status_now"]), "–")}',
             words.get(r["direction"], r["direction"])] for r in ind.to_dict("records")]
    csv = [[r["name"], r["value_before"], r["value_now"], r["status_before"], r["status_now"], r["direction"]]
           for r in ind.to_dict("records")]
    table = table_block(rows, ["indicator", "before", "now", "change", "status", ""], filename="indicator_changes.csv",
                        summary=f"Every indicator before and now ({len(rows)})", open=True,
                        csv_rows=csv, csv_header=["indicator", "value_before", "value_now", "status_before", "status_now", "direction"])
    mv = ch.moves
    c = ch.counts()
    moves_text = (f"<p>{counted(c['inward'], 'member')} moved to a more central level, {c['outward']:,} to a less central one; "
                  f"{c['joined']:,} joined and {c['left']:,} left the diagnosis window.</p>")
    if ch.members_in_common == 0 and not mv.empty:
        moves_text += ('<p class="muted">No member is in both diagnoses: if both are pseudonymized, were they made with the same '
                       "salt?</p>")
    if mv.empty:
        moves_html = placeholder("Nobody changed level.")
    else:
        header = ["from", "to", "people"] + ([] if pseudonymized else ["who"])
        rows = [[r["from_level"], r["to_level"], r["count"]] + ([] if pseudonymized else [", ".join(r["members"])])
                for r in mv.to_dict("records")]
        csv_rows = [[r["from_level"], r["to_level"], r["count"]] + ([] if pseudonymized else ["; ".join(r["members"])])
                    for r in mv.to_dict("records")]
        lead = ("Member ids are left out: the report is pseudonymized." if pseudonymized
                else f"{esc(NEW)}: not in the previous diagnosis; {esc(LEFT)}: not in this one.")
        moves_html = table_block(rows, header, filename="level_moves.csv", summary="Who moved between levels", numeric={2},
                                 csv_rows=csv_rows, lead=lead)
    lead = f"This diagnosis (as of {_date(ch.as_of_now)}) against the previous one (as of {_date(ch.as_of_before)})."
    return _section("changes", "What changed since last time", lead,
                    f"{phase}<h3>Indicators</h3>{table}<h3>Participation levels</h3>{moves_text}{moves_html}")


# ----------------------------------------------------------------------------- sections
def _recommendations(d: Any, baseline: str | None = None) -> str:
    recs = _frame(d, "recommendations")
    if recs.empty:
        return _section("recommendations", "What to try", "",
                        placeholder("No recommendation: no indicator is at watch or critical level."))
    items = []
    for r in recs.sort_values("rank").to_dict("records"):
        status = str(r.get("status", ""))
        cmd = command_for(r.get("intervention"), baseline)
        against = f"the calibrated scenario {esc(baseline)}" if baseline else "a generic coworking space"
        cmd_html = (
            '<details><summary>Test it in simulation first</summary>'
            f'<div class="muted">Compares it with {against} (8 replicates, an HTML comparison report):</div>'
            f'<pre class="cmd"><button class="copy" type="button">copy</button><code>{esc(cmd)}</code></pre></details>'
        ) if cmd else ""
        label, value = describe(r.get("indicator", ""), None)
        items.append(
            f'<div class="rec" id="rec-{esc(r.get("rank"))}" style="border-left-color:{STATUS_COLORS.get(status, "#bbb")}">'
            f'<h3>{esc(r.get("rank"))}. {esc(label_for(r.get("intervention")))}</h3>'
            f'<div>because <a href="#ind-{esc(r.get("indicator"))}">{esc(label.lower())}</a> is {_badge(status)}</div>'
            f'<p class="why">{esc(r.get("rationale", ""))}</p>{cmd_html}</div>'
        )
    lead = f"Ranked by how weak the indicators behind them are. {esc(baseline_note(baseline))}"
    shown, rest = items[:_SHOWN_RECOMMENDATIONS], items[_SHOWN_RECOMMENDATIONS:]
    more = (f'<details class="more"><summary>{counted(len(rest), "more idea")}</summary>{"".join(rest)}</details>'
            if rest else "")
    return _section("recommendations", "What to try", lead, "".join(shown) + more)


def _levers(r: dict[str, Any]) -> list[str]:
    levers = r.get("interventions")
    if isinstance(levers, str):
        levers = [levers]
    return [str(x) for x in (levers if isinstance(levers, (list, tuple, np.ndarray)) else [])]


def _indicator_card(r: dict[str, Any], own: Any = None) -> str:
    name = str(r.get("name", ""))
    status = str(r.get("status", "not_available"))
    levers = _levers(r)
    label, value = describe(name, r.get("value"))
    reason = r.get("reason")
    reason_html = f'<div class="muted">not available: {esc(reason)}</div>' if reason and not pd.isna(reason) else ""
    ref = r.get("reference")
    definition = indicator_definition(name)
    custom = ' <span class="custom-tag">your own range</span>' if own is not None and own.get(name) is not None else ""
    facts = [("Technical name", f"<code>{esc(name)}</code> = {fmt_value(r.get('value'))}")]
    if definition:
        facts.append(("Definition", esc(definition)))
    if ref and not pd.isna(ref):
        facts.append(("Reference range and source", esc(ref)))
    facts.append(("Shown in", esc(unit_text(wording_for(name).unit))))
    if levers:
        facts.append(("What helps", ", ".join(esc(label_for(x).lower()) for x in levers)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    return (
        f'<div class="card" id="ind-{esc(name)}" style="border-left-color:{STATUS_COLORS.get(status, "#bbb")}">'
        f'<h4>{esc(label)}</h4>{_badge(status)}{custom}'
        f'<div class="value">{esc(value)}</div>'
        f'<div>{esc(r.get("explanation", ""))}</div>{reason_html}'
        f'<details><summary>How it is measured</summary><dl>{dl}</dl></details></div>'
    )


def _indicator_group(ind: pd.DataFrame, principle: str, own: Any = None) -> str:
    title, meaning = PRINCIPLE_TEXT.get(principle, (_title(principle), ""))
    rows = ind[ind["principle"].astype(str) == principle]
    cards = "".join(_indicator_card(r, own) for r in rows.to_dict("records"))
    return f'<h3>{esc(title)}</h3><p class="muted" style="margin:0 0 8px">{esc(meaning)}</p><div class="cards">{cards}</div>'


def _indicators(d: Any, skip: tuple[str, ...]) -> str:
    ind = _frame(d, "indicators")
    if ind.empty:
        return _section("indicators", "Health indicators", "", placeholder("No indicators were computed."))
    principles = [p for p in PRINCIPLE_TEXT if p in set(ind["principle"].astype(str)) and p not in skip]
    principles += sorted(set(ind["principle"].astype(str)) - set(PRINCIPLE_TEXT) - set(skip))
    legend = " ".join(_badge(s) for s in STATUS_COLORS)
    lead = (f"Grouped by the principles of cultivating communities of practice (Wenger, McDermott &amp; Snyder 2002). {legend} "
            "Open “How it is measured” on a card for its technical name, definition and reference range.")
    rows = [[r["name"], r["value"], r["status"], r["principle"], r.get("reference"), r.get("explanation")]
            for r in ind.to_dict("records")]
    table = table_block([[describe(r[0], r[1])[0], describe(r[0], r[1])[1], STATUS_TEXT.get(str(r[2]), r[2]), r[0]] for r in rows],
                        ["indicator", "value", "status", "technical name"], filename="indicators.csv",
                        summary=f"All {len(rows)} indicators as a table", csv_rows=rows,
                        csv_header=["name", "value", "status", "principle", "reference", "explanation"])
    return _section("indicators", "Health indicators", lead,
                    "".join(_indicator_group(ind, p, _settings_of(d)) for p in principles) + table + _settings_block(d))


def _pattern_tables(d: Any, kinds: tuple[str, ...]) -> str:
    pat = _frame(d, "patterns")
    if pat.empty:
        return ""
    parts = []
    names = [k for k in kinds if k in set(pat["pattern"].astype(str))]
    for name in names:
        rows = pat[pat["pattern"].astype(str) == name]
        title, meaning = PATTERN_TEXT.get(name, (_title(name), ""))
        org_only = rows["member_id"].isna().all() if "member_id" in rows else True
        detail = name not in _DETAIL_REPEATS_PERIODS
        header = (["organization"] if org_only else ["member", "organization"]) + ["since", "periods"] + (["detail"] if detail else [])
        table_rows = []
        for r in rows.to_dict("records"):
            cells = [] if org_only else [r.get("member_id")]
            cells += [r.get("organization"), _date(r.get("since")), r.get("periods")] + ([r.get("detail")] if detail else [])
            table_rows.append(cells)
        n = len(rows)
        what = "organization" if org_only else "member"
        parts.append(table_block(
            table_rows, header, filename=f"{name}.csv", numeric={header.index("periods")},
            summary=f"{esc(title)} — {counted(n, what)}", lead=esc(meaning),
        ))
    return "".join(parts)


def _members_table(d: Any) -> str:
    members = _frame(d, "members")
    if members.empty or "member_id" not in members:
        return ""
    cols = [c for c in ("member_id", "level", "organization", "participations", "score", "degree", "first_seen", "last_seen")
            if c in members]
    m = members[cols]
    order = {lv: i for i, lv in enumerate(F.LEVEL_ORDER)}
    if "level" in m:
        m = m.assign(_o=m["level"].astype(str).map(order).fillna(len(order))).sort_values(["_o", "member_id"]).drop(columns="_o")
    shown = [[(_date(v) if c in ("first_seen", "last_seen") else v) for c, v in zip(cols, row)] for row in m.itertuples(index=False)]
    csv = [list(row) for row in m.astype(object).itertuples(index=False)]
    numeric = {i for i, c in enumerate(cols) if c in ("participations", "score", "degree")}
    return table_block(shown, [c.replace("_", " ") for c in cols], filename="members.csv", numeric=numeric, csv_rows=csv,
                       csv_header=cols, summary=f"All {len(m):,} members and their level")


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
        f'summed over the last six changes (left: before, right: after).</p>{sk}</div></div>'
        f'<h3>Levels over time</h3>{ar}'
        f'<h3 id="patterns">Patterns</h3>{patterns or placeholder("No named pattern was found.")}'
        f"{_members_table(d)}"
    )
    return _section("participation", "Participation", lead, body)


def _network(d: Any) -> str:
    graph = getattr(d, "graph", None)
    members = _frame(d, "members")
    fig = F.network_figure(graph, members)
    lead = ("Who interacts with whom in the current window: colour = participation level, size = engagement score. "
            "Hover over a member for their organization and level; drag to pan, scroll to zoom, click the legend to hide a level.")
    if fig is None:
        return _section("network", "Interaction network", lead, placeholder("No interactions in the window."))
    shown = F.network_caption(graph, members)
    return _section("network", "Interaction network", lead,
                    f'<details class="more"><summary>Show the network ({esc(shown)})</summary>{figure_block(fig, "fig-network")}</details>')


def _timeline(d: Any) -> str:
    tl = _frame(d, "timeline")
    fig = F.timeline_figure(tl)
    if fig is None:
        return _section("timeline", "Life-cycle timeline", "", placeholder("No timeline: too few periods."))
    lead = (f"The phase of every {esc(_period_word(getattr(d, 'freq', '')))}, how confident the classification is, and the main "
            "signals behind it. Click legend entries to show or hide lines.")
    scores = F.phase_scores_figure(tl)
    scores_html = ""
    if scores is not None:
        scores_html = ('<details class="more"><summary>How the phase is decided: the score of each phase per period</summary>'
                       '<p class="muted" style="margin:4px 0">Each period gets a score per phase from rules on its signals; the '
                       "highest wins and the gap to the runner-up sets the confidence.</p>"
                       f'{figure_block(scores, "fig-phase-scores")}</details>')
    t = tl.sort_values("period")
    why = _phase_reasons(t, _period_word(getattr(d, "freq", "")))
    cols = list(t.columns)
    shown_cols = [c for c in cols if c != "evidence"]  # the evidence is in the table of reasons, the hover text and the CSV
    records = t.astype(object).to_dict("records")
    shown = [[(_date(r[c]) if c == "period" else r[c]) for c in shown_cols] for r in records]
    csv = [[(_date(r[c]) if c == "period" else r[c]) for c in cols] for r in records]
    numeric = {i for i, c in enumerate(shown_cols) if pd.api.types.is_numeric_dtype(t[c]) and t[c].dtype != bool}
    table = table_block(shown, [c.replace("_", " ") for c in shown_cols], filename="timeline.csv", numeric=numeric,
                        csv_rows=csv, csv_header=cols, summary=f"Every measure of every period ({len(t)} periods)")
    return _section("timeline", "Life-cycle timeline", lead, figure_block(fig, "fig-timeline") + why + scores_html + table)


def _phase_reasons(t: pd.DataFrame, word: str) -> str:
    """Every period's phase with the figures behind it, in plain words (the timeline's ``evidence``), newest first."""
    if "evidence" not in t or "phase" not in t:
        return ""
    rows, csv = [], []
    for r in t.iloc[::-1].to_dict("records"):
        text = "; ".join(c for c in str(r.get("evidence") or "").split("; ") if c)
        conf = r.get("confidence")
        conf_text = "" if conf is None or pd.isna(conf) else f"{float(conf):.0%}"
        period = pd.Timestamp(r["period"])
        label = period.strftime("%b %Y") if word in ("month", "quarter", "year") else period.strftime("%Y-%m-%d")
        rows.append([label, str(r["phase"]), conf_text, (text[:1].upper() + text[1:] + ".") if text else "no figures recorded"])
        csv.append([_date(r["period"]), r["phase"], conf, r.get("evidence")])
    return table_block(rows, [word, "phase", "confidence", "the figures behind it"], filename="phase_reasons.csv",
                       summary=f"Why each {esc(word)} got its phase: the figures behind it ({len(rows)} {esc(word)}s)",
                       lead="The signals the phase rules weigh, for each period (the last one first); the rules in plain "
                            "words are in cop's docs/lifecycle.md.",
                       csv_rows=csv, csv_header=["period", "phase", "confidence", "evidence"])


def _organizations(d: Any) -> str:
    orgs = _frame(d, "organizations")
    fig = F.organizations_figure(orgs)
    dep = F.manager_dependency_figure(getattr(d, "graph", None), _frame(d, "members"))
    ind = _frame(d, "indicators")
    body = ['<div class="grid2"><div><h3>Organization integration</h3>'
            '<p class="muted" style="margin:0">Organizations of two or more members: how many of their members stay at the periphery. '
            f'Colour and label say where their ties go (<b style="color:#a84300">inside</b>: mostly within the organization, '
            f'<b style="color:#005a8c">outside</b>: mostly with others, grey: no ties at all).</p>']
    body.append(figure_block(fig, "fig-organizations") if fig is not None else placeholder("No organizations known (no members table)."))
    body.append("</div><div><h3>Manager dependency</h3>"
                '<p class="muted" style="margin:0">How connected would the community stay without its coordinators? '
                "The share of members in one connected network with and without them (the figure behind the phase), and the share of all tie "
                "strength that involves a coordinator.</p>")
    body.append(figure_block(dep, "fig-dependency") if dep is not None else placeholder("No coordinator (manager or staff) is known."))
    body.append("</div></div>")
    if not ind.empty:
        for principle in ("organization_integration", "manager_dependency"):
            if principle in set(ind["principle"].astype(str)):
                body.append(_indicator_group(ind, principle, _settings_of(d)))
    body.append(_pattern_tables(d, ("siloed_organization", "isolated_organization")))
    if not orgs.empty:
        o = orgs.sort_values(["members", "organization"], ascending=[False, True])
        cols = [c for c in ("organization", "members", "internal_ties", "external_ties", "ei_index", "share_peripheral") if c in o]
        rows = [[r[c] for c in cols] for r in o.to_dict("records")]
        body.append(table_block(rows, [c.replace("_", " ") for c in cols], filename="organizations.csv",
                                numeric=set(range(1, len(cols))), csv_header=cols, summary=f"All {len(o)} organizations"))
    return _section("organizations", "Organizations and the manager", "", "".join(body))


# ----------------------------------------------------------------------------- public
def render_report(diagnosis: Any, *, title: str | None = None, previous: Any = None, pseudonymized: bool = False,
                  provenance: dict | None = None, introductions: Any = None,
                  baseline: str | None = None) -> str:
    """The health report of a diagnosis as one self-contained HTML string.

    Parameters
    ----------
    diagnosis : cop.Diagnosis
        The result of :func:`cop.diagnose` (only the attributes of the
        contract in ``docs/diagnosis-contract.md`` are read).
    title : str, optional
        Page title; default "Community health report".
    previous : path, dict or cop.Diagnosis, optional
        An earlier diagnosis (its JSON, a report written by cop, or the object):
        the report then says what changed since (:func:`cop.report.changes.compare`).
    pseudonymized : bool, default False
        The data were pseudonymized: the report names no data file and lists
        no member id among the moves between levels.
    provenance : dict, optional
        A :func:`cop.provenance.input_provenance` record, shown at the foot of the
        page (``cop report`` passes one; without it the page is a pure function of
        the diagnosis).
    introductions : pandas.DataFrame, optional
        Suggestions of :func:`cop.suggest_introductions`: the report then has a
        "Who to introduce this week" section (:mod:`cop.report.introductions`).
    baseline : str, optional
        A scenario fitted to the community's own log (``cop calibrate -o
        fitted.toml``), as the reader would type its path: every
        recommendation's command then tests the intervention on it. Without
        one, the report says the commands use a generic coworking space.

    Returns
    -------
    str
        An HTML document with plotly.js and all data inline (about 5 MB);
        it opens offline in any browser.

    Raises
    ------
    cop.exceptions.FileFormatError
        ``previous`` is not a diagnosis (see :func:`cop.report.changes.read_previous`).

    Examples
    --------
    >>> import cop
    >>> html = render_report(cop.diagnose(cop.load_example()))
    >>> html.startswith("<!DOCTYPE html>"), len(html) > 10_000
    (True, True)
    """
    title = title or "Community health report"
    changes = compare(diagnosis, previous) if previous is not None else None
    as_of = getattr(diagnosis, "as_of", None)
    lookback = _window_days(diagnosis)
    meta_parts = []
    if as_of is not None:
        meta_parts.append(f"as of {_date(as_of)}")
    if lookback:
        start = getattr(diagnosis, "window_start", None)
        meta_parts.append(f"window: the last {lookback} days" + (f" (from {_date(start)})" if start is not None else ""))
    name = data_name(getattr(diagnosis, "source", None), pseudonymized=pseudonymized)
    if name:
        meta_parts.append(f"data: {esc(name)}")
    elif pseudonymized:
        meta_parts.append("pseudonymized data")
    if changes is not None:
        meta_parts.append(f"compared with {_date(changes.as_of_before)}")
    body = "".join([
        _headline(diagnosis, changes),
        _changes_section(changes, pseudonymized) if changes is not None else "",
        _recommendations(diagnosis, baseline),
        introductions_section(introductions, pseudonymized=pseudonymized) if introductions is not None else "",
        _indicators(diagnosis, skip=("organization_integration", "manager_dependency")),
        _participation(diagnosis),
        _network(diagnosis),
        _timeline(diagnosis),
        _organizations(diagnosis),
    ])
    nav = [("headline", "Summary")] + ([("changes", "What changed")] if changes is not None else []) + [
        ("recommendations", "What to try")] + ([(INTRO_ANCHOR, "Introductions")] if introductions is not None else []) + [
        ("indicators", "Indicators"), ("participation", "Participation"),
        ("network", "Network"), ("timeline", "Timeline"), ("organizations", "Organizations & manager")]
    footer = (f"Made with cop {esc(__version__)}. This file is self-contained: it works offline and sends nothing anywhere. "
              "Levels, phases and indicators are estimates from activity data; read them with what you know of your community. "
              "The diagnosis is embedded in the page, so the next report can say what changed: "
              "<code>cop report … --previous this-report.html</code>." + provenance_note(provenance))
    data = report_data(diagnosis, pseudonymized=pseudonymized)
    embedded = json_script(data, DIAGNOSIS_SCRIPT_ID) + "\n" if data else ""
    return page(title, " · ".join(meta_parts), nav, body, footer, data=embedded)


def provenance_note(record: dict | None) -> str:
    """A one-paragraph provenance block (versions, inputs and their hashes, command, time), or "" without a record.

    Examples
    --------
    >>> note = provenance_note({"cop_version": "1.0", "python": "3.12", "time": "t", "command": ["cop"],
    ...                         "inputs": {"files": {"a.csv": "ab" * 32}}})
    >>> "cop 1.0, Python 3.12" in note, "a.csv (sha256 abababababababab…)" in note, provenance_note(None)
    (True, True, '')
    """
    if not record:
        return ""
    libs = ", ".join(f"{k} {v}" for k, v in (record.get("libraries") or {}).items())
    files = "; ".join(f"{esc(name)} (sha256 {esc(h[:16])}…)"
                      for name, h in ((record.get("inputs") or {}).get("files") or {}).items())
    parts = [f"cop {esc(record.get('cop_version', ''))}", f"Python {esc(record.get('python', ''))}"]
    if libs:
        parts.append(esc(libs))
    if files:
        parts.append(f"inputs {files}")
    parts.append(f"made {esc(record.get('time', ''))} by <code>{esc(' '.join(record.get('command') or []))}</code>")
    return f' <span class="provenance">Provenance: {", ".join(parts)}.</span>'


def write_report(diagnosis: Any, path: str | os.PathLike[str], *, title: str | None = None, previous: Any = None,
                 pseudonymized: bool = False, provenance: dict | None = None, introductions: Any = None,
                 baseline: str | None = None) -> Path:
    """Write :func:`render_report` to ``path`` atomically and return the path.

    Examples
    --------
    >>> import pathlib, tempfile, cop
    >>> path = write_report(cop.diagnose(cop.load_example()), pathlib.Path(tempfile.mkdtemp()) / "report.html")
    >>> path.name, path.stat().st_size > 10_000
    ('report.html', True)
    """
    text = render_report(diagnosis, title=title, previous=previous, pseudonymized=pseudonymized, provenance=provenance,
                         introductions=introductions, baseline=baseline)
    return atomic_write_text(Path(path), text)
