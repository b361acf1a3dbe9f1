"""The demo report's layout in headless Chromium at 380, 768 and 1400 px wide, and printed.

* no horizontal scroll, the navigation entirely on screen;
* plotly's toolbar (modebar) over no text of a chart, and no chart title or
  axis title overlapping any other text of its chart;
* every table complete: all rows in the page or in its CSV download;
* printing (``Page.printToPDF``): charts redrawn at the paper's width, none taller
  than a page and none breakable across pages, a page count that matches the
  printed length.

Screenshots of the first screen and of the whole page at each width are saved in
the pytest temporary folder (and copied to ``$COP_REPORT_SHOTS`` when set).
Skipped when Chromium is not installed (the ``browser`` fixture).
"""

from __future__ import annotations

import base64
import math
import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (380, 768, 1400)
#: A4 with the report's ``@page { margin: 12mm }``, in CSS pixels (96 per inch).
PAGE_W_MM, PAGE_H_MM, MARGIN_MM = 210, 297, 12
PX_PER_MM = 96 / 25.4
PRINT_W = (PAGE_W_MM - 2 * MARGIN_MM) * PX_PER_MM
PRINT_H = (PAGE_H_MM - 2 * MARGIN_MM) * PX_PER_MM

_TEXTS = """
var out = [];
document.querySelectorAll('div.plot').forEach(function (p) {
  if (!p.checkVisibility()) { return; }
  var m = p.querySelector('.modebar');
  var box = function (r) { return [r.left, r.top, r.right, r.bottom]; };
  var texts = [];
  p.querySelectorAll('svg text').forEach(function (t) {
    var r = t.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && (t.textContent || '').trim()) {
      var cls = (t.getAttribute('class') || '') + ' ' + (t.parentNode.getAttribute('class') || '');
      texts.push([cls, (t.textContent || '').trim(), box(r)]);
    }
  });
  out.push([p.id, m ? box(m.getBoundingClientRect()) : null, texts, box(p.getBoundingClientRect())]);
});
return out;
"""


def _overlap(a, b, slack: float = 0.5) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def _is_title(cls: str) -> bool:
    return bool(re.search(r"\b(g?title|[xy]\d*title|legendtitletext|annotation-text)\b", cls))


def overlaps(charts) -> list[str]:
    """Text of a chart under its toolbar or cut at its edge, or a chart's title overlapping another of its texts."""
    found = []
    for fig, modebar, texts, frame in charts:
        for cls, text, box in texts:
            if box[0] < frame[0] - 1 or box[2] > frame[2] + 1:
                found.append(f"{fig}: {text!r} is cut at the chart's edge")
            if modebar is not None and _overlap(modebar, box):
                found.append(f"{fig}: the toolbar covers {text!r}")
        titles = [(c, t, b) for c, t, b in texts if _is_title(c)]
        for i, (cls, text, box) in enumerate(titles):
            for cls2, text2, box2 in texts:
                if (text2, box2) != (text, box) and _overlap(box, box2):
                    found.append(f"{fig}: title {text!r} overlaps {text2!r}")
    return found


def _wait_for_charts(browser, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    script = ("return [document.querySelectorAll('div.plot').length,"
              " document.querySelectorAll('div.plot svg.main-svg').length > 0 &&"
              " Array.from(document.querySelectorAll('div.plot')).every(d => d.querySelector('svg.main-svg'))]")
    while True:
        n, done = browser.execute_script(script)
        if done or time.monotonic() > deadline:
            assert done, "the charts were not drawn"
            return n
        time.sleep(0.2)


def _set_width(browser, width: int, height: int = 900) -> None:
    browser.set_window_size(width, height)
    for _ in range(20):  # the window manager may need a moment; the responsive charts redraw 100 ms after
        if browser.execute_script("return window.innerWidth") == width:
            break
        time.sleep(0.1)
    time.sleep(0.6)


def _open_all_details(browser) -> None:
    browser.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    time.sleep(0.8)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Path:
    """The report `cop demo` writes."""
    from typer.testing import CliRunner

    from cop.cli import app

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out / "report.html"


@pytest.fixture(scope="module")
def shots(tmp_path_factory, request) -> Path:
    """The screenshots' folder; its path (and $COP_REPORT_SHOTS when set) is printed at the end of the run."""
    folder = tmp_path_factory.mktemp("report-shots")
    yield folder
    saved = sorted(p.name for p in folder.glob("*.png"))
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if saved and capture is not None:
        where = f"{folder}" + (f" (copied to {os.environ['COP_REPORT_SHOTS']})" if os.environ.get("COP_REPORT_SHOTS") else "")
        with capture.global_and_fixture_disabled():  # printed past pytest's capture, also without -s
            print(f"\nreport screenshots in {where}: {', '.join(saved)}")


@pytest.fixture()
def page(browser, demo_report):
    browser.set_window_size(1400, 900)
    browser.get(demo_report.resolve().as_uri())
    _wait_for_charts(browser)
    yield browser
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _save(browser, path: Path) -> None:
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 5_000
    target = os.environ.get("COP_REPORT_SHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scroll_nothing_over_labels(page, width, shots):
    _set_width(page, width)
    _save(page, shots / f"report-{width}-first-screen.png")
    height = page.execute_script("return document.documentElement.scrollHeight")
    page.set_window_size(width, min(int(height) + 100, 16000))
    time.sleep(0.8)
    _save(page, shots / f"report-{width}-whole-page.png")
    _set_width(page, width)
    for state in ("as opened", "every section unfolded"):
        if state != "as opened":
            _open_all_details(page)
        scroll, inner = page.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{width} px, {state}: the page scrolls sideways ({scroll} > {inner})"
        # the navigation is all on screen: every link inside the viewport
        links = page.execute_script(
            "return Array.from(document.querySelectorAll('nav a')).map(a => {var r = a.getBoundingClientRect();"
            " return [a.textContent, r.left, r.right, r.width];})")
        assert links and all(left >= 0 and right <= inner and w > 0 for _, left, right, w in links), links
        charts = page.execute_script(_TEXTS)
        assert charts and all(c[1] is not None for c in charts), "every chart has its toolbar"
        assert sum(len(c[2]) for c in charts) > 50
        assert overlaps(charts) == [], f"{width} px, {state}"
        # every chart shown fills its box, also those drawn while folded (the network, the phase scores)
        fits = page.execute_script(
            "return Array.from(document.querySelectorAll('div.plot')).filter(p => p.checkVisibility()).map(p =>"
            " [p.id, p.clientWidth, +p.querySelector('svg.main-svg').getAttribute('width')])")
        assert all(abs(svg - box) <= 1 for _, box, svg in fits), (state, fits)


def test_the_overlap_check_sees_a_toolbar_over_a_label(page):
    """Not vacuous: with the toolbar moved back into the chart (plotly's default), it covers labels."""
    _set_width(page, 1400)
    _open_all_details(page)
    page.execute_script("var s = document.createElement('style');"
                        "s.textContent = '.plot .modebar-container { top: 0 !important; }'; document.head.appendChild(s);")
    found = overlaps(page.execute_script(_TEXTS))
    assert any("the toolbar covers" in f for f in found), found


def test_the_first_screen_says_phase_strengths_weaknesses_and_what_to_try(page):
    _set_width(page, 1400, 900)
    visible = page.execute_script(
        "return Array.from(document.querySelectorAll('#headline .phase, #headline .verdicts h3')).map(e => "
        "[e.textContent.trim(), e.getBoundingClientRect().bottom])")
    assert [t for t, _ in visible] == ["active", "✓ Going well", "✕ Weak", "→ What to try"]
    assert all(bottom <= 900 for _, bottom in visible), visible


def _csv_rows(href: str) -> list[str]:
    assert href.startswith("data:text/csv;charset=utf-8,")
    text = unquote(href.split(",", 1)[1])
    return [line for line in text.splitlines()[1:]]


def test_every_table_is_complete(page, example_diagnosis):
    d = example_diagnosis
    tables = page.execute_script(
        "return Array.from(document.querySelectorAll('details.more')).filter(x => x.querySelector('table')).map(x => "
        "[x.querySelector('summary').textContent, x.querySelectorAll('tbody tr').length,"
        " x.querySelector('a.csv').getAttribute('href'), x.querySelector('a.csv').getAttribute('download'),"
        " Array.from(x.querySelectorAll('thead th')).map(th => th.textContent)])")
    by_file = {t[3]: t for t in tables}
    counts = d.patterns["pattern"].value_counts()
    expected = {f"{k}.csv": int(v) for k, v in counts.items()}
    expected.update({"members.csv": len(d.members), "organizations.csv": len(d.organizations),
                     "timeline.csv": len(d.timeline), "indicators.csv": len(d.indicators)})
    assert set(expected) <= set(by_file)
    for name, n in expected.items():
        summary, in_page, href, _, header = by_file[name]
        assert in_page == n, f"{summary}: {in_page} of {n} rows in the page"
        assert len(_csv_rows(href)) == n, f"{summary}: the CSV download misses rows"
    # the stuck-periphery table no longer repeats its periods in a detail column
    assert by_file["stuck_periphery.csv"][4] == ["member", "organization", "since", "periods"]
    text = page.execute_script("return document.body.innerText")
    assert not re.search(r"… and \d+ more", text)


def _charts_fit_their_boxes(page, wait: float = 5.0) -> list:
    """The shown charts as ``[id, box width, drawn width]``, once each is drawn at its box's width (or after ``wait`` s)."""
    deadline = time.monotonic() + wait
    while True:
        widths = page.execute_script(
            "return Array.from(document.querySelectorAll('div.plot')).filter(p => p.checkVisibility()).map(p =>"
            " [p.id, p.clientWidth, +p.querySelector('svg.main-svg').getAttribute('width')])")
        if (widths and all(abs(svg - box) <= 1 for _, box, svg in widths)) or time.monotonic() > deadline:
            return widths
        time.sleep(0.1)


def test_print_renders_without_cut_charts(page):
    # 1. on paper the charts are redrawn at the paper's width (the print listener), not left at the screen's
    _set_width(page, 1400)
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    # no resize event happens: only the page's print listener can redraw them (it may take a moment on a busy machine)
    widths = _charts_fit_their_boxes(page)
    assert widths and all(abs(svg - box) <= 1 for _, box, svg in widths), widths
    # 2. the printed layout: A4 minus the margins; every chart fits a page and may not be broken
    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": round(PRINT_W), "height": round(PRINT_H), "deviceScaleFactor": 1, "mobile": False})
    time.sleep(0.8)
    blocks = page.execute_script(
        "return Array.from(document.querySelectorAll('.plot-wrap')).filter(p => p.checkVisibility()).map(p => {"
        " var r = p.getBoundingClientRect(), svg = p.querySelector('svg.main-svg');"
        " return [p.firstElementChild.id, r.width, r.height, getComputedStyle(p).breakInside,"
        " svg.getBoundingClientRect().right - r.right];})")
    assert len(blocks) >= 6
    for fig, w, h, brk, overflow in blocks:
        assert brk == "avoid", fig
        assert h <= PRINT_H, f"{fig} is taller than a printed page ({h:.0f} > {PRINT_H:.0f} px)"
        assert w <= PRINT_W + 1 and overflow <= 1, f"{fig} is cut at the right edge"
    printed_height = page.execute_script("return document.documentElement.scrollHeight")
    page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # back on the screen, the charts are redrawn at the window's width (plotly's resize waits 100 ms); printing
    # before that redraw has finished would queue the print redraw behind it, which no user can do with Ctrl+P
    time.sleep(0.3)
    settled = _charts_fit_their_boxes(page)
    assert settled and all(abs(svg - box) <= 1 for _, box, svg in settled), settled
    assert max(box for _, box, _ in settled) > PRINT_W + 2, settled  # the screen layout, wider than paper
    # 3. the PDF: as many pages as the printed length needs, plus at most one per block pushed to the next page
    #    (fewer would mean Chrome shrank the page to fit something too wide); while it prints, a listener added
    #    after the page's own records the charts as printed
    page.execute_script(
        "window.__printed = []; matchMedia('print').addEventListener('change', function (e) { if (!e.matches) return;"
        " document.querySelectorAll('div.plot').forEach(function (p) { if (p.checkVisibility()) window.__printed.push("
        "[p.id, p.clientWidth, +p.querySelector('svg.main-svg').getAttribute('width')]); }); });")
    pdf = base64.b64decode(page.execute_cdp_cmd("Page.printToPDF", {
        "paperWidth": PAGE_W_MM / 25.4, "paperHeight": PAGE_H_MM / 25.4, "printBackground": True})["data"])
    printed = page.execute_script("return window.__printed")
    assert len(printed) == len(blocks), printed
    assert all(box <= PRINT_W + 2 and abs(svg - box) <= 1 for _, box, svg in printed), printed  # 1 px of rounding
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    least = math.ceil(printed_height / PRINT_H)
    assert least <= pages <= least + len(blocks), (pages, least, printed_height)
    assert 3 <= pages <= 30


def test_print_shrinks_a_chart_whose_redraw_has_not_finished(page):
    """Not vacuous: with plotly's redraw held back (as when it is queued behind another), the charts drawn at
    the screen's width are shrunk into the paper's width instead of being cut, and restored after printing."""
    _set_width(page, 1400)
    page.execute_script("window.__relayout = Plotly.relayout; Plotly.relayout = function () { return Promise.resolve(); };")
    page.execute_script(
        "window.__printed = []; matchMedia('print').addEventListener('change', function (e) { if (!e.matches) return;"
        " document.querySelectorAll('div.plot').forEach(function (p) { if (!p.checkVisibility()) return;"
        " var r = p.getBoundingClientRect(), c = p.querySelector('svg.main-svg').getBoundingClientRect();"
        " window.__printed.push([p.id, +p.querySelector('svg.main-svg').getAttribute('width'), r.right, c.right]); });"
        " });")
    page.execute_cdp_cmd("Page.printToPDF", {"paperWidth": PAGE_W_MM / 25.4, "paperHeight": PAGE_H_MM / 25.4})
    printed = page.execute_script("return window.__printed")
    assert len(printed) >= 6
    assert any(drawn > PRINT_W + 2 for _, drawn, _, _ in printed), printed  # some were drawn wider than paper
    assert all(right_drawn <= right_box + 1 for _, _, right_box, right_drawn in printed), printed
    page.execute_script("Plotly.relayout = window.__relayout;")
    transforms = page.execute_script(
        "return Array.from(document.querySelectorAll('div.plot .svg-container')).map(c => c.style.transform)")
    assert transforms and all(t == "" for t in transforms), transforms
