"""The shortcuts of the ordinary diagnosis taken for speed (issue 16: twenty small diagnoses in one network
run) give exactly the tables of the code they replace: each is checked here against that code."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import cop
from cop.diagnosis import MEMBER_COLUMNS, _current_levels, _rows_of, _settings
from cop.exceptions import DataWarning
from cop.kernel import Prepared, current_people
from cop.participation.classifier import classify_window


def quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return f(*a, **k)


def _members_before(prep: Prepared, s) -> pd.DataFrame:
    """The ``members`` table as :func:`cop.diagnosis._current_levels` built it before (an insert, column sets, a selection)."""
    from cop.diagnosis import _member_order

    frame = classify_window(prep, s.lo, s.hi, method=s.method)
    cur = current_people(prep, s.lo, s.hi, s.days)
    keep = cur | (frame["participations"].to_numpy() > 0)
    keep &= (prep.first_seen < s.hi) | cur
    people = prep.log.members.reindex(prep.member_ids)
    sel = np.flatnonzero(keep)
    rows = sel[_member_order(frame["level"].to_numpy(dtype=object)[sel], frame["score"].to_numpy()[sel], frame.index[sel])]
    mem = frame.take(rows)
    mem.index.name = None
    mem.insert(0, "member_id", mem.index.to_numpy(dtype=object))
    for c in ("organization", "participant_type", "first_seen", "last_seen", "role"):
        if c in people.columns:
            mem[c] = _rows_of(people[c], rows)
    mem["organization"] = mem["organization"].astype(object).where(mem["organization"].notna(), None)
    mem["current"] = cur[rows]
    return mem[MEMBER_COLUMNS + [c for c in ("role", "current", "intensity_raw") if c in mem.columns]].reset_index(drop=True)


def _logs() -> list[tuple[cop.ActivityLog, object]]:
    ex = cop.load_example()
    plain = quiet(cop.ActivityLog.from_frame, pd.DataFrame({
        "activity_id": ["a", "a", "b", "b", "c", "c", "d"], "member_id": ["x", "y", "x", "z", "y", "z", "w"],
        "timestamp": ["2024-01-02", "2024-01-02", "2024-02-03", "2024-02-03", "2024-03-04", "2024-03-04", "2024-06-01"]}))
    # as of a day long after the last activity: nobody takes part in the current window
    return [(ex, None), (ex, ex.start + pd.Timedelta(days=120)), (plain, None), (plain, "2026-01-01")]


@pytest.mark.parametrize("case", range(4))
def test_members_table_is_the_one_built_column_by_column(case):
    log, as_of = _logs()[case]
    prep = Prepared(log)
    s = _settings(log, prep, as_of, None, "MS", "combined", "1998")
    want = _members_before(prep, s)
    got = _current_levels(prep, s).members
    if case == 3:
        assert len(got) == 0  # (the empty table)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.columns) == list(want.columns) and got.columns.dtype == want.columns.dtype
    assert list(got.dtypes) == list(want.dtypes) and type(got.index) is type(want.index)
    for c in got.columns:
        assert [type(v) for v in got[c]] == [type(v) for v in want[c]], c
