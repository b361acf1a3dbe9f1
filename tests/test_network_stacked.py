"""The network's per-space diagnoses share the periods' window statistics (cop.network.stacked);
each must still be exactly ``cop.diagnose`` of that space's own log (issue 16, speed)."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cop
from cop.exceptions import DataWarning
from cop.kernel import Prepared, period_bounds, rolling_periods
from cop.network import space_logs
from cop.network.stacked import StackedWindows

FIX = Path(__file__).parent / "fixtures" / "network"


def quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return f(*a, **k)


def assert_same_diagnosis(got: cop.Diagnosis, want: cop.Diagnosis) -> None:
    """Field by field: every table exactly equal (values, dtypes, order), the graph's ties too."""
    for f in dataclasses.fields(cop.Diagnosis):
        if f.name in ("timings", "source"):
            continue
        a, b = getattr(got, f.name), getattr(want, f.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=f.name)
        elif f.name == "graph":
            assert (a.adjacency != b.adjacency).nnz == 0 and list(a.nodes) == list(b.nodes)
            pd.testing.assert_frame_equal(a.attributes, b.attributes, check_exact=True, obj="graph.attributes")
            assert (a.start, a.end) == (b.start, b.end)
        else:
            assert a == b, f.name


@pytest.mark.parametrize("with_tables", [True, False])
def test_every_space_of_the_fixture_is_diagnose_of_its_own_log(with_tables):
    if with_tables:
        log = quiet(cop.read_activities, FIX / "activities.csv", members=FIX / "members.csv")
        spaces = cop.network.read_spaces(FIX / "spaces.csv")
    else:
        log, spaces = quiet(cop.read_activities, FIX / "activities.csv"), None
    nd = quiet(cop.diagnose_network, log, spaces, lookback=90)
    subs = space_logs(log, spaces)     # each space's own export: its rows, members (managers as coordinators)
    assert sorted(nd.diagnoses) == ["bergen", "oslo", "tromso", "trondheim"]
    for name, d in nd.diagnoses.items():
        want = quiet(cop.diagnose, subs[name], as_of=nd.as_of, lookback=nd.lookback)
        assert len(want.levels_by_period) > 0 and len(want.timeline) >= 5
        assert_same_diagnosis(d, want)


def test_stacked_windows_are_each_space_own_windows():
    log = quiet(cop.read_activities, FIX / "activities.csv", members=FIX / "members.csv")
    subs = list(space_logs(log).values())
    preps = [quiet(Prepared, s) for s in subs]
    stack = StackedWindows(preps)
    as_of = log.end + pd.Timedelta(days=1)
    checked = 0
    for k, (sub, prep) in enumerate(zip(subs, preps)):
        bounds = period_bounds(sub, "MS", as_of)
        n = rolling_periods(bounds, 90)
        for i in range(len(bounds) - 1):
            first = max(0, i + 1 - n)
            blocks = [(bounds[j].value, bounds[j + 1].value) for j in range(first, i + 1)]
            lo, hi = blocks[0][0], blocks[-1][1]
            got, want = stack.window(k, lo, hi, blocks), prep.window(lo, hi, blocks=blocks)
            assert got.cols == want.cols
            for attr in ("participations", "intensity", "consistency", "engaged", "degree", "strength"):
                np.testing.assert_array_equal(getattr(got, attr), getattr(want, attr), err_msg=attr)
            assert (got.adjacency != want.adjacency).nnz == 0 and got.adjacency.shape == want.adjacency.shape
            assert (got.weights != want.weights).nnz == 0
            checked += 1
    assert checked >= 4 * 5
