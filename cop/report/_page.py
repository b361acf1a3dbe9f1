"""Page assembly shared by the health report and the comparison report.

One HTML string: inline CSS (system fonts only), plotly.js embedded once
inline, each figure's JSON in a ``<script type="application/json">`` block and
one small script at the end that draws them all.  Nothing is fetched from the
network, so the file opens offline.

Examples
--------
>>> import plotly.graph_objects as go
>>> block = figure_block(go.Figure(go.Bar(x=["a"], y=[1])), "fig-demo", height=200)
>>> 'data-figure="fig-demo-data"' in block and "</script" not in block.split("application/json")[1].split("</script>")[0]
True
>>> esc("<b>Ann & Bo</b>")
'&lt;b&gt;Ann &amp; Bo&lt;/b&gt;'
"""

from __future__ import annotations

import html
import json
import math
from urllib.parse import quote
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

__all__ = [
    "rgba",
    "esc",
    "fmt_value",
    "figure_block",
    "page",
    "placeholder",
    "table_html",
    "LEVEL_ORDER",
    "LEVEL_COLORS",
    "STATUS_COLORS",
    "PHASE_COLORS",
    "SERIES_COLORS",
    "OKABE_ITO",
    "FONT",
    "MODEBAR_STRIP",
    "csv_link",
    "json_script",
    "table_block",
]

#: Participation levels from the centre outwards (the contract's ``level`` values).
LEVEL_ORDER: tuple[str, ...] = ("coordinator", "core", "active", "peripheral", "inactive", "outsider")

#: The Okabe & Ito (2008) palette, distinguishable with every common colour-vision deficiency.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
_O = OKABE_ITO
#: Levels: blues of rising lightness from the centre outwards (they differ in lightness, not hue alone).
LEVEL_COLORS: dict[str, str] = {
    "coordinator": _O["reddish_purple"],
    "core": _O["blue"],
    "active": _O["sky_blue"],
    "peripheral": "#B9DDF3",
    "inactive": "#CCCCCC",
    "outsider": _O["orange"],
}
#: Statuses; every badge also carries its word and a symbol (``cop.report.wording.STATUS_TEXT``).
STATUS_COLORS: dict[str, str] = {
    "healthy": _O["bluish_green"],
    "watch": _O["orange"],
    "critical": _O["vermillion"],
    "not_available": "#BBBBBB",
}
PHASE_COLORS: dict[str, str] = {
    "potential": _O["grey"],
    "coalescing": _O["sky_blue"],
    "active": _O["bluish_green"],
    "dispersed": _O["orange"],
    "memorable": _O["reddish_purple"],
}
#: Series colours of line charts, in order.
SERIES_COLORS: tuple[str, ...] = (_O["blue"], _O["orange"], _O["bluish_green"], _O["vermillion"], _O["reddish_purple"],
                                  _O["sky_blue"], _O["black"], _O["yellow"])
#: System font stack: no web font is ever loaded.
FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif'
#: Height of the strip above every chart that holds plotly's toolbar, so it never covers a label.
MODEBAR_STRIP = 30

_CSS = """
:root { --ink:#1d2330; --muted:#545d6c; --line:#dfe3ea; --bg:#f5f6f8; --card:#fff; --accent:#0b5a8e; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; font-family: FONT; color:var(--ink); background:var(--bg); line-height:1.45; font-size:15px; overflow-wrap:anywhere; }
header.top { background:#1d2330; color:#fff; padding:16px 20px 12px; }
header.top h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header.top .meta { color:#c9cfd9; font-size:13px; }
nav { position:sticky; top:0; z-index:10; background:#fff; border-bottom:1px solid var(--line); padding:6px 20px;
      font-size:14px; display:flex; flex-wrap:wrap; gap:2px 16px; }
nav a { color:var(--accent); text-decoration:none; white-space:nowrap; padding:2px 0; }
main { max-width:1240px; margin:0 auto; padding:14px 16px 40px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 18px; margin:16px 0; min-width:0; }
section > h2 { margin:0 0 6px; font-size:19px; }
h3 { font-size:16px; margin:18px 0 6px; }
p.lead, .muted { color:var(--muted); }
p.lead { margin:0 0 12px; }
code { font-size:0.92em; }
.grid2 { display:grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap:18px; }
.grid2 > * { min-width:0; }
.cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(min(260px, 100%), 1fr)); gap:12px; }
.card { border:1px solid var(--line); border-left:6px solid #bbb; border-radius:8px; padding:10px 12px; background:#fff; min-width:0; }
.card h4 { margin:0 0 4px; font-size:15px; }
.card .value { font-size:22px; font-weight:600; margin:2px 0; }
.card details { font-size:13px; color:var(--muted); margin-top:6px; }
.card details dl { margin:4px 0 0; }
.card details dt { font-weight:600; color:var(--ink); }
.card details dd { margin:0 0 4px; }
.card .levers { font-size:12.5px; margin-top:6px; }
p.custom { margin:0 0 10px; padding:6px 10px; border-left:4px solid #0072b2; background:#eef5fb; }
.custom-tag { display:inline-block; margin-left:4px; padding:0 6px; border:1px solid #0072b2; border-radius:10px; color:#005a8c;
  font-size:11px; font-weight:600; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; color:#000; font-size:12px; font-weight:600;
         vertical-align:middle; white-space:nowrap; -webkit-print-color-adjust:exact; print-color-adjust:exact; }
.summary { display:grid; grid-template-columns: minmax(min(220px, 100%), 1fr) 3fr; gap:8px 24px; align-items:start; }
.summary > * { min-width:0; }
.phase { font-size:34px; font-weight:700; text-transform:capitalize; margin:0; }
.meter { height:10px; background:#e8ebf0; border-radius:5px; overflow:hidden; margin:6px 0 4px; }
.meter > span { display:block; height:100%; -webkit-print-color-adjust:exact; print-color-adjust:exact; }
.verdicts { display:grid; grid-template-columns: repeat(auto-fit, minmax(min(250px, 100%), 1fr)); gap:12px; margin-top:14px; }
.verdicts > div { border-radius:8px; padding:8px 12px; background:var(--bg); border-top:4px solid #bbb; }
.verdicts h3 { margin:0 0 4px; font-size:15px; }
.verdicts ul { margin:0; padding-left:18px; }
.verdicts li { margin:3px 0; }
.stats { display:flex; flex-wrap:wrap; gap:8px; margin-top:12px; }
.stat { background:var(--bg); border-radius:8px; padding:6px 12px; min-width:84px; }
.stat b { display:block; font-size:20px; }
.stat span { font-size:12px; color:var(--muted); }
ul.evidence { margin:6px 0 0; padding-left:20px; }
.rec { border:1px solid var(--line); border-radius:8px; padding:10px 14px; margin:10px 0; border-left:6px solid #bbb; }
.rec h3 { margin:0 0 4px; }
.rec .why { margin:4px 0 6px; }
pre.cmd { background:#1d2330; color:#e8eaf0; padding:10px 12px; border-radius:6px; overflow-x:auto; font-size:13px; margin:6px 0 0;
          white-space:pre-wrap; word-break:break-all; }
button.copy { float:right; font-size:12px; border:1px solid var(--line); background:#fff; border-radius:5px; padding:2px 8px; cursor:pointer; }
.table-wrap { overflow-x:auto; max-width:100%; }
table.data { border-collapse:collapse; min-width:100%; font-size:13.5px; margin:6px 0; }
table.data th, table.data td { border-bottom:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top;
                               overflow-wrap:normal; word-break:normal; }
table.data td { max-width:28em; }
table.data td.num { white-space:nowrap; }
table.data th { background:var(--bg); font-weight:600; }
table.data td.num { text-align:right; font-variant-numeric: tabular-nums; }
table.data tr.up td:first-child, table.data tr.down td:first-child { font-weight:600; }
a.csv { display:inline-block; font-size:13px; margin:4px 0 8px; }
.plot-wrap { position:relative; padding-top:MODEBARpx; break-inside:avoid; page-break-inside:avoid; }
.plot { width:100%; min-height:200px; }
.plot .modebar-container { top:-MODEBARpx !important; }
.empty { color:var(--muted); background:var(--bg); border-radius:8px; padding:18px; text-align:center; }
details { margin:8px 0; }
details > summary { cursor:pointer; color:var(--accent); }
details.more { border:1px solid var(--line); border-radius:8px; padding:8px 12px; }
details.more > summary { font-weight:600; }
.change-up { color:#006e50; } .change-down { color:#a84300; }
footer { color:var(--muted); font-size:12.5px; text-align:center; padding:10px 16px 30px; }
@media (max-width: 760px) { .summary { grid-template-columns: 1fr; } .phase { font-size:28px; } section { padding:12px; }
  main { padding:10px 8px 30px; } header.top { padding:12px; } nav { padding:6px 12px; } }
@page { margin: 12mm; }
@media print {
  nav, .modebar-container, button.copy, a.csv { display:none !important; }
  body { background:#fff; font-size:11pt; }
  header.top { background:#fff; color:#000; padding:0 0 6px; border-bottom:2px solid #000; }
  header.top .meta { color:#333; }
  main { max-width:none; padding:0; }
  section { border:none; border-radius:0; padding:0; margin:0 0 14px; }
  .grid2, .summary { display:block; }
  .plot-wrap { padding-top:0; margin:6px 0; overflow:hidden; }
  .plot-wrap, .card, .rec, .stat, tr, .verdicts > div, pre.cmd { break-inside:avoid; page-break-inside:avoid; }
  h2, h3, h4, summary { break-after:avoid; page-break-after:avoid; }
  a { color:inherit; text-decoration:none; }
  pre.cmd { background:#fff; color:#000; border:1px solid #999; }
}
""".replace("FONT", FONT).replace("MODEBAR", str(MODEBAR_STRIP))

_DRAW = """
(function () {
  var config = {displaylogo: false, responsive: true, showLink: false,
                modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d"]};
  var divs = document.querySelectorAll("div.plot[data-figure]");
  for (var i = 0; i < divs.length; i++) {
    var div = divs[i];
    try {
      var fig = JSON.parse(document.getElementById(div.getAttribute("data-figure")).textContent);
      Plotly.newPlot(div, fig.data, fig.layout, config);
    } catch (err) {
      div.textContent = "This chart could not be drawn: " + err;
      console.error("cop report: chart " + div.id + " failed: " + err);
    }
  }
  function shown(el) {  // laid out and painted (not inside a closed <details>)
    return el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
  }
  function fit(root) {  // redraw the charts under root at their container's width
    var plots = root.querySelectorAll("div.plot.js-plotly-plot");
    for (var k = 0; k < plots.length; k++) {
      if (shown(plots[k]) && plots[k].clientWidth > 0) {
        Plotly.relayout(plots[k], {autosize: true});
      }
    }
  }
  // a chart drawn inside a closed <details> gets its width when opened
  var folds = document.querySelectorAll("details");
  for (var f = 0; f < folds.length; f++) {
    folds[f].addEventListener("toggle", function (ev) { if (ev.target.open) { fit(ev.target); } });
  }
  // a chart whose redraw has not finished (plotly queues it behind one still running) is shrunk to its box
  // for the moment, so that paper never cuts it at the right edge
  function shrink(on) {
    var plots = document.querySelectorAll("div.plot.js-plotly-plot");
    for (var k = 0; k < plots.length; k++) {
      var box = plots[k].querySelector(".svg-container"), svg = plots[k].querySelector("svg.main-svg");
      if (!box || !svg) { continue; }
      var drawn = +svg.getAttribute("width"), room = plots[k].clientWidth;
      if (on && shown(plots[k]) && room > 0 && drawn > room + 1) {
        box.style.transformOrigin = "0 0";
        box.style.transform = "scale(" + (room / drawn) + ")";
      } else if (!on) {
        box.style.transform = "";
      }
    }
  }
  // printing: the page is narrower than the screen, so charts are redrawn at the paper's width, then back
  var onScreen = null;
  function printing(on) {
    if (on) { fit(document); shrink(true); onScreen = true; }
    else if (onScreen) { onScreen = null; shrink(false); fit(document); }
  }
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    if (mq.addEventListener) { mq.addEventListener("change", function (e) { printing(e.matches); }); }
    else if (mq.addListener) { mq.addListener(function (e) { printing(e.matches); }); }
  }
  window.addEventListener("afterprint", function () { printing(false); });
  var buttons = document.querySelectorAll("button.copy");
  for (var j = 0; j < buttons.length; j++) {
    buttons[j].addEventListener("click", function (ev) {
      var code = ev.target.parentNode.querySelector("code");
      var range = document.createRange();
      range.selectNodeContents(code);
      var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      try { document.execCommand("copy"); ev.target.textContent = "copied"; } catch (e) { ev.target.textContent = "select + copy"; }
    });
  }
})();
"""


def rgba(hex_color: str, alpha: float) -> str:
    """A ``#rrggbb`` colour with an opacity, as CSS ``rgba(...)``.

    Examples
    --------
    >>> rgba("#1f77b4", 0.35)
    'rgba(31,119,180,0.35)'
    """
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def esc(value: Any) -> str:
    """HTML-escape any value (``None`` and NaN become an empty string)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def fmt_value(value: Any, digits: int = 3) -> str:
    """A number with ``digits`` significant digits (``–`` when missing).

    Examples
    --------
    >>> fmt_value(0.123456), fmt_value(1234.5), fmt_value(float("nan")), fmt_value(12)
    ('0.123', '1,234', '–', '12')
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        return esc(value) if value is not None else "–"
    if math.isnan(v):
        return "–"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def _figure_json(fig: go.Figure) -> str:
    text = pio.to_json(fig, validate=False, remove_uids=True, pretty=False)
    # safe inside <script>: no "</script>" or "<!--" can appear
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def figure_block(fig: go.Figure, fig_id: str, *, height: int | None = None) -> str:
    """A plot container and its figure JSON; drawn by the page's script.

    The container sits below a strip of :data:`MODEBAR_STRIP` pixels that
    holds plotly's toolbar, so the toolbar never covers a title or label; it
    does not break across printed pages.
    """
    fig.update_layout(
        font=dict(family=FONT, size=13, color="#1d2330"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=fig.layout.margin if fig.layout.margin.t is not None else dict(l=10, r=10, t=30, b=10),
    )
    if height is not None:
        fig.update_layout(height=height)
    h = int(fig.layout.height or 420)
    return (
        f'<div class="plot-wrap"><div class="plot" id="{esc(fig_id)}" data-figure="{esc(fig_id)}-data" style="height:{h}px"></div></div>\n'
        f'<script type="application/json" id="{esc(fig_id)}-data">{_figure_json(fig)}</script>\n'
    )


def placeholder(message: str) -> str:
    """A grey box saying why a chart is not shown."""
    return f'<div class="empty">{esc(message)}</div>'


def table_html(rows: list[list[Any]], header: list[str], *, numeric: set[int] | frozenset[int] = frozenset(),
               raw: set[int] | frozenset[int] = frozenset()) -> str:
    """A simple table; cells are escaped unless their column index is in ``raw``.

    Examples
    --------
    >>> table_html([["<x>", 1]], ["name", "n"], numeric={1})
    '<table class="data"><thead><tr><th>name</th><th>n</th></tr></thead><tbody><tr><td>&lt;x&gt;</td><td class="num">1</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = cell if i in raw else (fmt_value(cell) if i in numeric else esc(cell))
            cells.append(f'<td class="num">{text}</td>' if i in numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _csv_cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if any(c in text for c in ',"\n\r'):
        text = '"' + text.replace('"', '""') + '"'
    # a cell a spreadsheet would run as a formula is kept as text
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_link(rows: list[list[Any]], header: list[str], filename: str, label: str | None = None) -> str:
    """A link downloading ``rows`` as a CSV file, embedded as a ``data:`` URI (nothing is fetched).

    Examples
    --------
    >>> link = csv_link([["ann", 3], ["bo, jr", 1]], ["member", "n"], "people.csv")
    >>> link.startswith('<a class="csv" download="people.csv" href="data:text/csv;charset=utf-8,member%2Cn%0Aann%2C3')
    True
    >>> "%22bo%2C%20jr%22" in link and "2 rows" in link
    True
    """
    text = "\n".join(",".join(_csv_cell(c) for c in row) for row in [header, *rows]) + "\n"
    href = "data:text/csv;charset=utf-8," + quote(text, safe="")
    label = label or f"Download all {len(rows):,} row{'s' if len(rows) != 1 else ''} as CSV"
    return f'<a class="csv" download="{esc(filename)}" href="{esc(href)}">{esc(label)}</a>'


def table_block(rows: list[list[Any]], header: list[str], *, filename: str, summary: str,
                numeric: set[int] | frozenset[int] = frozenset(), csv_rows: list[list[Any]] | None = None,
                csv_header: list[str] | None = None, max_rows: int = 500, open: bool = False, lead: str = "") -> str:
    """A table folded in a ``<details>``, every row in the page (up to ``max_rows``) and all in a CSV download.

    ``csv_rows`` / ``csv_header`` give the download unformatted values (default:
    the displayed rows).

    Examples
    --------
    >>> html = table_block([[1], [2], [3]], ["n"], filename="n.csv", summary="Numbers", max_rows=2)
    >>> html.count("<tr>"), "the other 1 row is in the CSV download" in html
    (3, True)
    """
    shown = rows[:max_rows]
    rest = len(rows) - len(shown)
    note = (f'<p class="muted">{len(shown):,} of {len(rows):,} rows shown; the other {rest:,} '
            f'row{" is" if rest == 1 else "s are"} in the CSV download.</p>') if rest > 0 else ""
    link = csv_link(csv_rows if csv_rows is not None else rows, csv_header or header, filename)
    lead_html = f'<p class="muted" style="margin:4px 0">{lead}</p>' if lead else ""
    return (f'<details class="more"{" open" if open else ""}><summary>{summary}</summary>{lead_html}'
            f'<div class="table-wrap">{table_html(shown, header, numeric=numeric)}</div>{note}{link}</details>')


def json_script(data: Any, element_id: str) -> str:
    """``data`` as JSON in a ``<script type="application/json">`` that no text can break out of.

    Examples
    --------
    >>> print(json_script({"a": "</script>"}, "x"))
    <script type="application/json" id="x">{"a": "\\u003c/script\\u003e"}</script>
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def page(title: str, meta: str, nav: list[tuple[str, str]], body: str, footer: str, *, data: str = "") -> str:
    """The whole self-contained HTML document (plotly.js inline, once); ``data`` is extra markup at the end
    of the body (e.g. a :func:`json_script`)."""
    from plotly.offline import get_plotlyjs

    links = "".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="cop">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n"
        f'<script type="text/javascript">{get_plotlyjs()}</script>\n'
        "</head>\n<body>\n"
        f'<header class="top"><h1>{esc(title)}</h1><div class="meta">{meta}</div></header>\n'
        f"<nav>{links}</nav>\n<main>\n{body}\n</main>\n<footer>{footer}</footer>\n"
        f"{data}<script>{_DRAW}</script>\n</body>\n</html>\n"
    )
