"""Shared fixtures: the example's diagnosis, small hand-built logs, and a headless Chromium."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
DRIVER_CANDIDATES = ("chromedriver",)


def _which(names: tuple[str, ...], env: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def example_log():
    import cop

    return cop.load_example()


@pytest.fixture(scope="session")
def example_diagnosis(example_log):
    from cop.diagnosis import diagnose

    return diagnose(example_log)


@pytest.fixture(scope="session")
def small_log():
    """Six people over three months: two organizations, a manager, one guest, events and introductions."""
    from cop import ActivityLog

    rows = []
    people = ["ann", "bo", "cy", "dee", "eve", "fay"]
    for month in (1, 2, 3):
        for week in (1, 2, 3):
            day = f"2024-0{month}-{week * 7:02d}"
            for p in people[: 3 + (week + month) % 4]:
                rows.append((f"breakfast-{day}", p, f"{day}T08:30", "event", "attendee"))
        rows.append((f"intro-{month}a", "ann", f"2024-0{month}-10T10:00", "interaction", "sender"))
        rows.append((f"intro-{month}a", people[month], f"2024-0{month}-10T10:00", "interaction", "recipient"))
    rows.append(("talk-1", "gus", "2024-02-15T17:00", "event", "guest"))
    rows.append(("talk-1", "bo", "2024-02-15T17:00", "event", "attendee"))
    frame = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind", "role"])
    members = pd.DataFrame({
        "member_id": people + ["gus"],
        "name": ["Ann A.", "Bo B.", "Cy C.", "Dee D.", "Eve E.", "Fay F.", "Gus G."],
        "organization": ["Hub Oy", "Acme", "Acme", "Tmi Dee D.", "Acme", "Studio Fay", "Uni"],
        "role": ["manager", "member", "member", "member", "member", "member", "guest"],
    })
    details = pd.DataFrame({"activity_id": ["intro-1a", "intro-2a", "intro-3a"], "type": ["introduction"] * 3,
                            "organizer": ["ann", "ann", "dee"]})
    return ActivityLog.from_frame(frame, members, details, emit_warnings=False)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """A headless Chromium driven by selenium; skipped only when Chromium (or its driver) is not installed."""
    chromium = _which(CHROMIUM_CANDIDATES, "COP_CHROMIUM")
    driver_path = _which(DRIVER_CANDIDATES, "COP_CHROMEDRIVER")
    if chromium is None or driver_path is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install '.[test]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1300,1000"):
        options.add_argument(arg)
    profile = Path(tempfile.mkdtemp(prefix="cop-chromium-", dir=tmp_path_factory.getbasetemp()))
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


#: Doctests as slow as the tests marked ``slow`` (an experiment): marked ``slow``, so the
#: quick lane (``-m "not slow and not browser and not dask"``) leaves them out.
SLOW_DOCTESTS = frozenset({"simulation.experiment", "simulation.calibration.calibrate"})


def pytest_collection_modifyitems(config, items):
    """Mark the slow doctests ``slow``, and every test that uses the ``browser`` fixture ``browser``."""
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name in SLOW_DOCTESTS:
            item.add_marker(pytest.mark.slow)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
