"""The network report in a real browser (headless Chromium): every chart drawn, plotly.js from the folder, nothing fetched."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import cop
from cop.exceptions import DataWarning
import re

from test_browser import _open, _requests, _screenshot, _severe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIX = Path(__file__).parent / "fixtures" / "network"


def test_network_report_renders_in_chromium(browser, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        log = cop.read_activities(FIX / "activities.csv", members=FIX / "members.csv")
        nd = cop.diagnose_network(log, FIX / "spaces.csv", lookback=200)
    index = nd.to_html(tmp_path / "net")
    state = _open(browser, index, 3)
    assert [s[0] for s in state] == ["fig-activity", "fig-space-graph", "fig-benchmark"]
    assert all(n > 0 and h > 100 for _, n, h in state), state
    assert _severe(browser) == [] and _requests(browser) == []
    _screenshot(browser, tmp_path / "network.png")
    # a space's page: its ordinary report, drawn with the folder's plotly.js, and the link back
    page = index.parent / "space-bergen.html"
    state = _open(browser, page, len(re.findall(r'class="plot" id=', page.read_text())))
    assert state and all(n > 0 for _, n, _ in state), state
    assert _severe(browser) == [] and _requests(browser) == []
    assert browser.find_element("css selector", "nav a").get_attribute("href").endswith("/index.html")
    _screenshot(browser, tmp_path / "bergen.png")
