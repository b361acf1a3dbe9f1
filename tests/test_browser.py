"""The reports in a real browser (headless Chromium): no console error, every chart drawn, nothing fetched.

Skipped only when Chromium or chromedriver is not installed (``.ci/run`` installs
Debian's ``chromium`` and ``chromium-driver``).  Screenshots are saved in the
test's temporary folder.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from cop.report import comparison_report, write_report

#: Every test here drives Chromium; they are slow too (a browser start, then page loads).
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(browser, path: Path, expected: int, timeout: float = 60.0) -> list[list]:
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get_log("performance")
    browser.get(path.resolve().as_uri())
    deadline = time.monotonic() + timeout
    script = ("return Array.from(document.querySelectorAll('div.plot')).map("
              "d => [d.id, d.querySelectorAll('svg.main-svg').length, d.getBoundingClientRect().height])")
    while True:
        state = browser.execute_script(script)
        if len(state) == expected and all(n > 0 for _, n, _ in state):
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def _severe(browser) -> list[dict]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _requests(browser) -> list[str]:
    """URLs the page requested (besides the file itself and inline data)."""
    urls = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if not url.startswith(("file:", "data:", "blob:", "about:")):
                urls.append(url)
    return urls


def _screenshot(browser, path: Path) -> None:
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1300, min(int(height), 12000))
    browser.save_screenshot(str(path))
    browser.set_window_size(1300, 1000)
    assert path.stat().st_size > 10_000


def test_health_report_renders_in_chromium(browser, example_diagnosis, tmp_path):
    page = write_report(example_diagnosis, tmp_path / "report.html")
    n_plots = page.read_text(encoding="utf-8").count('<div class="plot"')
    assert n_plots >= 7
    state = _open(browser, page, n_plots)
    assert _severe(browser) == []
    assert len(state) == n_plots
    for fig_id, svgs, height in state:
        assert svgs > 0, f"{fig_id} was not drawn"
        assert height > 100, f"{fig_id} is collapsed"
    assert _requests(browser) == []
    # the network is interactive: its traces carry member, organization and level in the hover text
    hover = browser.execute_script(
        "var d = document.getElementById('fig-network'); return d.data.filter(t => t.mode === 'markers')[0].text[0];")
    assert "organization:" in hover and "level:" in hover
    assert browser.execute_script("return document.querySelectorAll('#fig-network g.scatterlayer .point').length") > 50
    assert browser.execute_script("return document.querySelectorAll('#fig-flows g.sankey-node').length") > 0
    assert browser.title == "Community health report"
    _screenshot(browser, tmp_path / "report.png")


def test_small_report_renders_in_chromium(browser, small_log, tmp_path):
    from cop.diagnosis import diagnose

    page = write_report(diagnose(small_log), tmp_path / "small.html")
    n_plots = page.read_text(encoding="utf-8").count('<div class="plot"')
    state = _open(browser, page, n_plots)
    assert _severe(browser) == []
    assert all(svgs > 0 for _, svgs, _ in state), state
    assert _requests(browser) == []
    _screenshot(browser, tmp_path / "small.png")


def test_comparison_report_renders_in_chromium(browser, tmp_path):
    from simulation import Scenario, run_experiment

    base = Scenario(name="baseline_small", space={"years": 0.3}, arrivals={"initial_members": 20})
    hours = run_experiment(base, sweep={"manager.hours_per_week": [10, 40]}, replicates=2, seed=5, executor="sequential")
    page = comparison_report(hours, tmp_path / "comparison.html")
    state = _open(browser, page, 2)
    assert _severe(browser) == []
    assert [fig for fig, svgs, _ in state if svgs > 0] == ["fig-over-time", "fig-effects"]
    assert _requests(browser) == []
    _screenshot(browser, tmp_path / "comparison.png")


def test_a_broken_chart_is_reported_as_a_console_error(browser, tmp_path):
    """The check above would notice: a figure that fails to draw logs a SEVERE console error."""
    from cop.report._page import page

    html = page("t", "", [], '<div class="plot" id="x" data-figure="x-data"></div>'
                '<script type="application/json" id="x-data">{not json</script>', "")
    path = tmp_path / "broken.html"
    path.write_text(html, encoding="utf-8")
    _open(browser, path, 1, timeout=3)
    assert any("chart x failed" in e["message"] for e in _severe(browser))


def test_the_request_check_sees_external_fetches(browser, tmp_path):
    """The no-request assertion is not vacuous: a page loading an external image is caught."""
    path = tmp_path / "external.html"
    path.write_text('<!DOCTYPE html><html><body><img src="http://192.0.2.1/x.png"></body></html>', encoding="utf-8")
    _open(browser, path, 0, timeout=1)
    time.sleep(0.5)
    assert any("192.0.2.1" in u for u in _requests(browser))
