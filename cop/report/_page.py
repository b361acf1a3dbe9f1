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
import math
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
    "FONT",
]

#: Participation levels from the centre outwards (the contract's ``level`` values).
LEVEL_ORDER: tuple[str, ...] = ("coordinator", "core", "active", "peripheral", "inactive", "outsider")
LEVEL_COLORS: dict[str, str] = {
    "coordinator": "#3b1f6e",
    "core": "#1f4e9c",
    "active": "#3f8fd2",
    "peripheral": "#9cc8ee",
    "inactive": "#c9c9c9",
    "outsider": "#e2a86b",
}
STATUS_COLORS: dict[str, str] = {
    "healthy": "#2e7d32",
    "watch": "#e69b00",
    "critical": "#c62828",
    "not_available": "#9e9e9e",
}
PHASE_COLORS: dict[str, str] = {
    "potential": "#b0bec5",
    "coalescing": "#64b5f6",
    "active": "#43a047",
    "dispersed": "#fb8c00",
    "memorable": "#8d6e63",
}
#: System font stack: no web font is ever loaded.
FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif'

_CSS = """
:root { --ink:#1d2330; --muted:#5b6474; --line:#e3e6ec; --bg:#f5f6f8; --card:#fff; --accent:#1f4e9c; }
* { box-sizing: border-box; }
body { margin:0; font-family: FONT; color:var(--ink); background:var(--bg); line-height:1.45; font-size:15px; }
header.top { background:#1d2330; color:#fff; padding:18px 28px 12px; }
header.top h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header.top .meta { color:#c3c9d4; font-size:13px; }
nav { position:sticky; top:0; z-index:10; background:#fff; border-bottom:1px solid var(--line); padding:8px 28px; font-size:14px; }
nav a { color:var(--accent); text-decoration:none; margin-right:18px; white-space:nowrap; }
main { max-width:1240px; margin:0 auto; padding:18px 24px 40px; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 22px; margin:18px 0; }
section > h2 { margin:0 0 6px; font-size:19px; }
h3 { font-size:16px; margin:18px 0 6px; }
p.lead, .muted { color:var(--muted); }
p.lead { margin:0 0 12px; }
.grid2 { display:grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap:18px; }
.cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap:12px; }
.card { border:1px solid var(--line); border-left:6px solid #9e9e9e; border-radius:8px; padding:10px 12px; background:#fff; }
.card h4 { margin:0 0 4px; font-size:15px; }
.card .value { font-size:22px; font-weight:600; margin:2px 0; }
.card .ref, .card .reason { font-size:12.5px; color:var(--muted); margin-top:6px; }
.card .levers { font-size:12.5px; margin-top:6px; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; color:#fff; font-size:12px; font-weight:600; vertical-align:middle; }
.headline { display:grid; grid-template-columns: minmax(260px, 1fr) 2fr; gap:22px; align-items:start; }
.phase { font-size:34px; font-weight:700; text-transform:capitalize; margin:0; }
.meter { height:10px; background:#e8ebf0; border-radius:5px; overflow:hidden; margin:6px 0 4px; }
.meter > span { display:block; height:100%; }
.stats { display:flex; flex-wrap:wrap; gap:10px; margin-top:12px; }
.stat { background:var(--bg); border-radius:8px; padding:6px 12px; min-width:92px; }
.stat b { display:block; font-size:20px; }
.stat span { font-size:12px; color:var(--muted); }
ul.evidence { margin:6px 0 0; padding-left:20px; }
.rec { border:1px solid var(--line); border-radius:8px; padding:12px 14px; margin:10px 0; border-left:6px solid #9e9e9e; }
.rec h3 { margin:0 0 4px; }
.rec .why { margin:4px 0 8px; }
pre.cmd { background:#1d2330; color:#e8eaf0; padding:10px 12px; border-radius:6px; overflow-x:auto; font-size:13px; margin:6px 0 0; white-space:pre-wrap; word-break:break-all; }
button.copy { float:right; font-size:12px; border:1px solid var(--line); background:#fff; border-radius:5px; padding:2px 8px; cursor:pointer; }
table.data { border-collapse:collapse; width:100%; font-size:13.5px; margin:6px 0; }
table.data th, table.data td { border-bottom:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top; }
table.data th { background:var(--bg); font-weight:600; }
table.data td.num { text-align:right; font-variant-numeric: tabular-nums; }
.plot { width:100%; min-height:200px; }
.empty { color:var(--muted); background:var(--bg); border-radius:8px; padding:18px; text-align:center; }
details summary { cursor:pointer; color:var(--accent); }
footer { color:var(--muted); font-size:12.5px; text-align:center; padding:10px 0 30px; }
@media (max-width: 760px) { .headline { grid-template-columns: 1fr; } .grid2 { grid-template-columns: 1fr; } }
@media print { nav { display:none; } section { break-inside: avoid; } body { background:#fff; } }
""".replace("FONT", FONT)

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
    """A plot container and its figure JSON; drawn by the page's script."""
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
        f'<div class="plot" id="{esc(fig_id)}" data-figure="{esc(fig_id)}-data" style="height:{h}px"></div>\n'
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


def page(title: str, meta: str, nav: list[tuple[str, str]], body: str, footer: str) -> str:
    """The whole self-contained HTML document (plotly.js inline, once)."""
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
        f"<script>{_DRAW}</script>\n</body>\n</html>\n"
    )
