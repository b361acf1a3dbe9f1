"""The shortcuts the network diagnosis takes for speed (issue 16) give exactly the figures of the plain code:
each is checked here against the computation it replaces."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import cop
from cop.exceptions import DataWarning
from cop.kernel import Prepared, period_bounds
from cop.network import space_logs

from test_network_stacked import _members, _network_rows


def quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return f(*a, **k)


@pytest.fixture(scope="module")
def network_log() -> cop.ActivityLog:
    frame = _network_rows(seed=11, spaces=3, members=30, days=220)
    return quiet(cop.ActivityLog.from_frame, frame)


def _members_by_inserts(data: pd.DataFrame) -> pd.DataFrame:
    """The members table of a log without a members table as ``ActivityLog.members`` built it before
    (a frame of the ids, then each column inserted), from pandas' own grouping: the reference."""
    g = data.groupby("member_id", observed=False)["timestamp"]
    ids = data["member_id"].cat.categories
    out = pd.DataFrame(index=pd.Index(np.asarray(ids, dtype=object), name="member_id"))
    out["organization"] = None
    out["role"] = "member"
    out["joined"] = pd.NaT
    out["left"] = pd.NaT
    out["listed"] = False
    out["first_seen"] = g.min().reindex(ids).to_numpy()
    out["last_seen"] = g.max().reindex(ids).to_numpy()
    out["participations"] = g.size().reindex(ids).to_numpy()
    out["participant_type"] = np.full(len(ids), "member", dtype=object)
    return out


def test_members_table_without_a_table_is_the_inserted_one(network_log):
    for sub in [network_log, *space_logs(network_log).values()]:
        got = cop.ActivityLog(sub.data, None, None).members
        want = _members_by_inserts(sub.data)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert list(got.dtypes) == list(want.dtypes) and got.index.dtype == want.index.dtype
        assert [type(v) for v in got["organization"]] == [type(v) for v in want["organization"]]
    # a space log with a members table joins it: its listed members and roles, the others outsiders
    frame = _network_rows(seed=11, spaces=2, members=10, days=60)
    table = _members(frame)
    with_table = quiet(cop.ActivityLog.from_frame, frame, table)
    m = with_table.members
    assert m["listed"].sum() == len(set(table["member_id"]) & set(m.index))
    assert set(m.loc[~m["listed"], "participant_type"]) <= {"outsider"}


@pytest.mark.parametrize("roles", [True, False])
@pytest.mark.parametrize("method", ["combined", "activity_share", "network", "kcore"])
def test_window_levels_is_the_level_column(network_log, method, roles):
    from cop.participation.classifier import classify_window, window_levels

    data = network_log.data if roles else network_log.data.assign(role=None)
    for sub in space_logs(quiet(cop.ActivityLog.from_frame, data)).values():
        prep = quiet(Prepared, sub)
        hi = int(prep.start[-1]) + 1
        for lo in (hi - 90 * 86_400 * 10**9, hi - 30 * 86_400 * 10**9):
            want = classify_window(prep, lo, hi, method=method)["level"].to_numpy(dtype=object)
            got = window_levels(prep, lo, hi, method=method)
            assert got.dtype == object and got.tolist() == want.tolist()


def test_deferred_period_levels_build_their_frame_once():
    from cop.participation.flows import PeriodLevels

    calls = []
    f = pd.DataFrame({"level": ["core", "active"], "current": [True, False]}, index=["a", "b"])

    def make():
        calls.append(1)
        return f

    start = pd.Timestamp("2024-01-01", tz="UTC")
    p = PeriodLevels.deferred(start, 0, 1, make, 1.0, 0.0, 1.0, arrays={"level": np.array(["core", "active"], dtype=object)})
    assert p.column("level", object).tolist() == ["core", "active"] and not calls   # the arrays, not the frame
    assert p.levels is f and p.levels is f and len(calls) == 1
    assert p == PeriodLevels(start, 0, 1, f, 1.0, 0.0, 1.0)
    with pytest.raises(AttributeError):
        p.no_such_attribute  # noqa: B018


def test_period_windows_are_period_window(network_log):
    from cop.participation.flows import period_window, period_windows

    for freq in ("MS", "W-MON", "QS"):
        b = period_bounds(network_log, freq)
        for lookback in (30, 90, 200):
            assert period_windows(b, lookback) == [period_window(b, i, lookback) for i in range(len(b) - 1)]


def test_best_spaces_dense_grid_is_the_grouping(monkeypatch):
    import cop.network.homes as homes

    rng = np.random.default_rng(4)
    for _ in range(60):
        n_m, n_s = int(rng.integers(1, 30)), int(rng.integers(1, 6))
        n = int(rng.integers(0, 200))
        m, s = rng.integers(0, n_m, n), rng.integers(0, n_s, n)
        t = rng.integers(0, 15, n) * 10**9   # few distinct times: ties on count and first time
        dense = homes._best_spaces(m, s, t, n_m, n_s)
        monkeypatch.setattr(homes, "_DENSE_CELLS", 0)
        grouped = homes._best_spaces(m, s, t, n_m, n_s)
        monkeypatch.undo()
        for a, b in zip(dense, grouped):
            assert np.asarray(a, dtype=np.int64).tolist() == np.asarray(b, dtype=np.int64).tolist()


def test_activity_dense_grid_is_the_sorted_keys(network_log, monkeypatch):
    import cop.network.diagnosis as nd

    names = sorted(space_logs(network_log))
    as_of = network_log.end + pd.Timedelta(days=1)
    dense = nd._activity(network_log, names, "MS", as_of)
    monkeypatch.setattr(nd, "_DENSE_CELLS", 0)
    pd.testing.assert_frame_equal(nd._activity(network_log, names, "MS", as_of), dense, check_exact=True)
    assert dense["people"].sum() > 0


def test_members_table_order_and_dates_are_the_pandas_ones():
    from cop.diagnosis import _member_order, _rows_of

    rng = np.random.default_rng(2)
    levels = np.array(["core", "active", "peripheral", "inactive", "coordinator", "outsider"], dtype=object)
    frame = pd.DataFrame({"member_id": np.array([f"m{i:03d}" for i in rng.permutation(200)], dtype=object),
                          "level": levels[rng.integers(0, 6, 200)], "score": np.round(rng.random(200), 1)})
    order = {lv: i for i, lv in enumerate(cop.participation.LEVELS)}
    want = frame.assign(_o=frame["level"].map(order)).sort_values(["_o", "score", "member_id"], ascending=[True, False, True])
    got = frame.take(_member_order(frame["level"].to_numpy(dtype=object), frame["score"].to_numpy(), frame["member_id"]))
    pd.testing.assert_frame_equal(got, want.drop(columns="_o"), check_exact=True)
    dates = pd.Series(pd.to_datetime(["2024-01-02", None, "2024-03-04"], utc=True))
    for keep in (np.array([True, False, True]), np.array([False, True, False]), np.array([True, True, True])):
        a, b = pd.DataFrame(index=range(keep.sum())), pd.DataFrame(index=range(keep.sum()))
        a["d"], b["d"] = _rows_of(dates, keep), dates.to_numpy()[keep]
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_build_timeline_columns_read_once_are_the_frame():
    from cop.lifecycle import _Columns, launch, phase_scores, phase_support, sustained_decline

    log = cop.load_example()
    d = quiet(cop.diagnose, log, agreement=False)
    metrics = d.timeline.drop(columns=["phase", "confidence", "evidence"] + [c for c in d.timeline.columns if c.startswith("score_")])
    cols = _Columns(metrics)
    pd.testing.assert_frame_equal(phase_scores(cols), phase_scores(metrics), check_exact=True)
    pd.testing.assert_frame_equal(phase_support(cols), phase_support(metrics), check_exact=True)
    for f in (launch, sustained_decline):
        assert np.array_equal(f(cols), f(metrics), equal_nan=True)


def test_patterns_order_is_the_sort():
    from cop.participation.patterns import PATTERNS, _COLS, _order

    rng = np.random.default_rng(9)
    since = pd.Timestamp("2024-01-01", tz="UTC")
    for _ in range(20):
        rows = []
        for _ in range(int(rng.integers(1, 40))):
            pat = PATTERNS[int(rng.integers(0, len(PATTERNS)))]
            member = None if pat.endswith("organization") else f"m{int(rng.integers(0, 15)):02d}"
            org = [None, np.nan, "acme", "beta", "zeta"][int(rng.integers(0, 5))]
            rows.append((pat, member, org, since, int(rng.integers(1, 5)), "detail"))
        want = pd.DataFrame(rows, columns=_COLS)
        want["_o"] = want["pattern"].map({p: i for i, p in enumerate(PATTERNS)})
        want = want.sort_values(["_o", "periods", "member_id", "organization"], ascending=[True, False, True, True],
                                na_position="last").drop(columns="_o").reset_index(drop=True)
        got = pd.DataFrame([rows[i] for i in _order(rows)], columns=_COLS)
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_rolling_order_statistics_are_the_window_by_window_ones():
    from cop.lifecycle import _high_level, _rolling, _rolling_order

    rng = np.random.default_rng(5)
    for _ in range(400):
        n = int(rng.integers(0, 45))
        x = np.round(rng.random(n) * 3, int(rng.integers(0, 3)))   # ties, and few distinct values
        x[rng.random(n) < 0.3] = np.nan
        window, min_periods, q = int(rng.integers(1, 40)), int(rng.integers(0, 5)), float(rng.choice([0.5, 0.8, 0.9]))
        for stat, f in (("max", np.max), ("median", np.median), ("high", lambda v: _high_level(v, q))):
            want, got = _rolling(x, window, min_periods, f), _rolling_order(x, window, min_periods, stat, q)
            assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))


def test_clip01_is_numpy_clip():
    import math

    from cop.lifecycle import _clip01

    rng = np.random.default_rng(6)
    for x in [-0.0, 0.0, 1.0, -1e-300, 1.0000000000000002, float("nan"), float("inf"), -float("inf"), *rng.normal(0.5, 1, 200)]:
        got, want = _clip01(float(x)), float(np.clip(float(x), 0.0, 1.0))
        assert (got == want or (math.isnan(got) and math.isnan(want))) and math.copysign(1, got) == math.copysign(1, want)


def _smooth_phases_by_arrays(scores, persistence=2, margin=0.3, support=None, thin=None, decisive=None):
    """``cop.lifecycle.smooth_phases`` as it was written on numpy rows (the reference of the test below)."""
    from cop.lifecycle import CONFIDENCE_LEAD, DECISIVE

    cols = [str(c) for c in scores.columns]
    values = scores.to_numpy(dtype=np.float64, copy=True).reshape(len(scores), len(cols))
    if "potential" not in cols:
        cols.append("potential")
        values = np.column_stack([values, np.full(len(values), np.nan)])
    at = {c: k for k, c in enumerate(cols)}
    dec = {c: decisive[c].to_numpy(dtype=np.float64) for c in decisive.columns} if decisive is not None else {}
    sup = {c: support[c].to_numpy() for c in support.columns} if support is not None else None
    phases, confs, current, streak_phase, streak, left = [], [], None, None, 0, False
    for i in range(len(values)):
        s = values[i].copy()
        if left:
            s[at["potential"]] = -1.0
        ok = ~np.isnan(s)
        b = int(np.flatnonzero(ok)[np.argmax(s[ok])]) if ok.any() else 0
        best, best_score = cols[b], float(s[b])
        if current is None:
            current = best
        elif best != current:
            streak = streak + 1 if streak_phase == best else 1
            streak_phase = best
            strong = best in dec and float(dec[best][i]) >= DECISIVE
            if streak >= persistence or best_score - float(s[at[current]]) >= margin or strong:
                current, streak_phase, streak = best, None, 0
        else:
            streak_phase, streak = None, 0
        if current != "potential":
            left = True
        own = max(float(s[at[current]]), 0.0)
        others = np.delete(s, at[current])
        known = others[~np.isnan(others)]
        runner = float(known.max()) if len(known) else (np.nan if len(others) else 0.0)
        conf = own * min(1.0, max(0.0, 0.5 + (own - runner) / CONFIDENCE_LEAD))
        if sup is not None:
            conf *= 0.5 + 0.5 * float(sup[current][i])
        if thin is not None:
            conf *= float(thin[i])
        phases.append(current)
        confs.append(round(float(np.clip(conf, 0.0, 1.0)), 3))
    return phases, confs


def test_smooth_phases_on_floats_is_the_array_version():
    from cop.lifecycle import PHASES, smooth_phases

    rng = np.random.default_rng(8)
    for _ in range(150):
        n = int(rng.integers(1, 30))
        cols = list(PHASES) if rng.random() < 0.7 else [p for p in PHASES if p != "potential"]
        scores = pd.DataFrame(np.round(rng.random((n, len(cols))), int(rng.integers(1, 3))), columns=cols)
        scores = scores.mask(rng.random(scores.shape) < 0.15)
        support = pd.DataFrame(rng.random((n, len(PHASES))), columns=list(PHASES))
        decisive = pd.DataFrame({c: rng.random(n) for c in ("coalescing", "dispersed", "memorable")})
        thin = 0.5 + 0.5 * rng.random(n)
        for kw in ({}, {"support": support, "thin": thin, "decisive": decisive}):
            (got, got_conf), (want, want_conf) = smooth_phases(scores, **kw), _smooth_phases_by_arrays(scores, **kw)
            assert got == want and np.array_equal(got_conf, want_conf, equal_nan=True)
            assert np.array_equal(np.signbit(got_conf), np.signbit(want_conf))


def _natural_breaks_every_step(values, k=3, max_units=400):
    """The natural breaks with every step of the dynamic programme over all columns (the code the shortcut replaces)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return []
    u, w = np.unique(v, return_counts=True)
    k = min(k, len(u))
    if k <= 1:
        return []
    if len(u) > max_units:
        edges = np.unique(np.linspace(0, len(u), max_units + 1).astype(np.int64))
        s0, s1 = np.add.reduceat(w.astype(np.float64), edges[:-1]), np.add.reduceat(w * u, edges[:-1])
        s2, lows = np.add.reduceat(w * u * u, edges[:-1]), u[edges[:-1]]
    else:
        s0, s1, s2, lows = w.astype(np.float64), w * u, w * u * u, u
    m = len(s0)
    c0, c1, c2 = (np.concatenate(([0.0], np.cumsum(s))) for s in (s0, s1, s2))
    i, j = np.arange(m)[:, None], np.arange(m)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        sse = (c2[j + 1] - c2[i]) - (c1[j + 1] - c1[i]) ** 2 / (c0[j + 1] - c0[i])
    sse = np.where(j >= i, np.maximum(sse, 0.0), np.inf)
    best, args = sse[0].copy(), []
    for _ in range(1, k):
        cand = np.full((m, m), np.inf)
        cand[1:, :] = best[:-1, None] + sse[1:, :]
        arg = np.argmin(cand, axis=0)
        best = cand[arg, np.arange(m)]
        args.append(arg)
    starts, j_end = [], m - 1
    for arg in reversed(args):
        starts.append(int(arg[j_end]))
        j_end = starts[-1] - 1
    return [float(lows[s]) for s in sorted(starts)]


def test_natural_breaks_last_step_on_one_column():
    from cop.participation.classifier import natural_breaks

    rng = np.random.default_rng(16)
    for trial in range(400):
        n = int(rng.integers(1, 900))
        v = np.round(rng.random(n) ** rng.uniform(0.3, 3.0), int(rng.integers(1, 13)))
        if trial % 4 == 0:
            v[rng.random(n) < 0.1] = np.nan
        for k in (2, 3, 4):
            assert natural_breaks(v, k) == _natural_breaks_every_step(v, k), (trial, k)


def _breaks_inputs(seed: int = 5) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = [np.round(rng.random(int(rng.integers(1, 300))) ** rng.uniform(0.3, 3), int(rng.choice([1, 2, 3, 12])))
           for _ in range(400)]
    out += [rng.integers(0, int(rng.integers(2, 12)), int(rng.integers(2, 40))).astype(float) for _ in range(300)]
    out += [np.array([]), np.array([0.5]), np.array([1.0, 2.0]), np.array([0.1, 0.1, 0.2]), np.array([np.nan, 1, 2, 3]),
            np.array([np.inf, 0.0, 1.0, 1.0, 2.0, 5.0]), np.zeros(10), np.arange(4.0), np.arange(5.0), np.array([1.0, 1, 1, 1, 5]),
            np.round(rng.random(2000), 12)]
    return out


def test_natural_breaks3_is_the_kernel_natural_breaks():
    from cop.network.stacked import _natural_breaks3
    from cop.participation.classifier import natural_breaks

    for v in _breaks_inputs():
        assert _natural_breaks3(v) == natural_breaks(v, 3)


def test_stacked_combined_levels_are_combined_levels():
    from cop.network.stacked import _combined_levels
    from cop.participation.classifier import combined_levels

    rng = np.random.default_rng(8)
    for v in _breaks_inputs(9):
        if not len(v) or not np.isfinite(v).all():
            continue
        eligible = rng.random(len(v)) < rng.uniform(0.2, 1.0)
        got, want = _combined_levels(v, eligible), combined_levels(v, eligible)
        assert got.dtype == want.dtype == object and got.tolist() == want.tolist()


def test_stacked_tie_thresholds_and_spans_are_the_kernel_ones(network_log):
    from cop.kernel.windows import current_people
    from cop.network.stacked import StackedWindows, _current, _tie_thresholds, _UnionRows
    from cop.participation.classifier import repeated_tie_threshold

    preps = [quiet(Prepared, sub) for sub in space_logs(network_log).values()]
    stack = StackedWindows(preps)
    u, rows = stack._union, _UnionRows(stack)
    day = 86_400 * 10**9
    end = int(u.start[-1]) + 1
    for hi in (end, end - 45 * day, end - 150 * day, int(u.start[0]) + day):
        for lo in (hi - 90 * day, hi - 15 * day, hi - 1):
            thr = _tie_thresholds(stack, lo, hi, list(range(len(preps))))
            assert thr.tolist() == [repeated_tie_threshold(p, p.incidence.columns(lo, hi)) for p in preps]
            assert Prepared.engaged_in(u, lo, hi).tolist() == u.engaged_in(lo, hi).tolist()
            cur = _current(stack, rows, lo, hi, 90)
            assert cur.tolist() == np.concatenate([current_people(p, lo, hi, 90) for p in preps]).tolist()


def test_seeded_windows_are_each_space_own_windows(network_log):
    from cop.network.stacked import StackedWindows, seed_windows

    subs = list(space_logs(network_log).values())
    preps = [quiet(Prepared, sub) for sub in subs]
    day = 86_400 * 10**9
    hi = int(preps[0].start[-1]) + 1
    wanted = [(hi - 90 * day, hi), (hi - 180 * day, hi - 90 * day), (hi - 31 * day, hi)]
    seed_windows(StackedWindows(preps), [wanted] * len(preps))
    for sub, prep in zip(subs, preps):
        own = quiet(Prepared, sub)
        for lo, h in wanted:
            a, b = prep.window(lo, h), own.window(lo, h)
            assert a is prep._cache[(lo, h, next(k[2] for k in prep._cache if k[:2] == (lo, h)))]
            assert a.cols == b.cols
            for f in ("participations", "intensity", "consistency", "engaged"):
                assert getattr(a, f).tolist() == getattr(b, f).tolist()
            for m, n in ((a.adjacency, b.adjacency), (a.weights, b.weights)):
                assert m.shape == n.shape and m.indptr.tolist() == n.indptr.tolist()
                assert m.indices.tolist() == n.indices.tolist() and m.data.tolist() == n.data.tolist()


def test_home_spaces_read_once_keep_the_same_members():
    from cop.network.split import _members_of

    frame = _network_rows(seed=4, spaces=3, members=12, days=60)
    table = _members(frame)
    ids = table["member_id"].tolist()
    rng = np.random.default_rng(4)
    spaces = sorted(frame["space"].unique())
    table["home_space"] = [rng.choice([f" {s} ", s, None, np.nan, "", "elsewhere"] + spaces) for s in rng.choice(spaces, len(ids))]
    log = quiet(cop.ActivityLog.from_frame, frame, table)
    got = space_logs(log)
    t = log.members_table
    for name, sub in got.items():
        people = set(sub.data["member_id"].cat.categories)
        rows = sub.data[sub.data["member_id"].isin(list(people))]
        old = t["member_id"].isin(rows["member_id"].cat.categories) | t["home_space"].astype(object).map(
            lambda v: isinstance(v, str) and v.strip() == name)
        want = t[old.to_numpy()].reset_index(drop=True)
        pd.testing.assert_frame_equal(sub.members_table, want)
        pd.testing.assert_frame_equal(_members_of(sub.data, t, name, ()), want)


@pytest.mark.parametrize("stacked", [True, False])
def test_level_grid_is_the_pivot_of_the_tidy_levels(network_log, stacked):
    from cop.network.stacked import stacked_period_levels
    from cop.participation.flows import flows_between, level_grid, period_levels, tidy_levels
    from cop.participation.patterns import _wide, find_patterns

    subs = list(space_logs(network_log).values())
    preps = [quiet(Prepared, sub) for sub in subs]
    bounds = [period_bounds(sub, "W-MON") for sub in subs]
    runs = (stacked_period_levels(preps, bounds, 30) if stacked else
            [period_levels(p, b, 30, m) for p, b in zip(preps, bounds) for m in ("combined", "network")])
    for periods in runs:
        tidy, grid = tidy_levels(periods), level_grid(periods)
        ids, per, lv = _wide(tidy)
        assert grid.ids.tolist() == ids.tolist() and grid.periods == per and grid.levels.tolist() == lv.tolist()
        pd.testing.assert_frame_equal(flows_between(tidy, grid=grid), flows_between(tidy), check_exact=True)
        pd.testing.assert_frame_equal(find_patterns(tidy, min_periods=2, grid=grid), find_patterns(tidy, min_periods=2),
                                      check_exact=True)
    assert level_grid([]) is None


def test_level_grid_of_one_period_gives_the_empty_flows_of_the_frame():
    from cop.participation.flows import PeriodLevels, flows_between, level_grid, tidy_levels

    f = pd.DataFrame({"level": ["core", "active"], "current": [True, True]}, index=["b", "a"])
    periods = [PeriodLevels(pd.Timestamp("2024-01-01", tz="UTC"), 0, 1, f, 1.0, 0.0, 1.0)]
    tidy = tidy_levels(periods)
    got, want = flows_between(tidy, grid=level_grid(periods)), flows_between(tidy)
    assert got.empty and list(got.dtypes) == list(want.dtypes)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def _records_frame(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The frame pandas builds from ``frame``'s rows as records (tuples of Python objects), the construction the
    indicators, recommendations, patterns and agreement tables used before they were built from their columns."""
    rows = [tuple(r) for r in frame.astype(object).itertuples(index=False, name=None)]
    return pd.DataFrame(rows, columns=columns)


def test_tables_built_from_columns_are_the_records_frames():
    """Four of each diagnosis's tables are built from their columns (half the cost of records on a small
    community); the same dtypes and values as the records' frame, empty tables included."""
    from cop.health import HealthContext, run_indicators
    from cop.participation.classifier import METHODS, window_agreement
    from cop.recommend import recommend

    from _diag_logs import star

    d = cop.diagnose(cop.load_example())
    got = quiet(cop.diagnose, star()).indicators  # (some indicators not available there: a reason in some rows)
    want = _records_frame(got, list(got.columns))
    want["value"] = want["value"].astype(np.float64)
    want["reason"] = want["reason"].astype(object).where(want["reason"].notna(), None)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert [type(v) for v in got["reason"]] == [type(v) for v in want["reason"]]
    assert got["reason"].isna().any() and got["reason"].notna().any()  # both kinds of cells compared
    empty = run_indicators(HealthContext.from_log(cop.load_example()), [])
    assert empty.empty and list(empty.columns) == list(got.columns) and empty["value"].dtype == np.float64

    for table in (d.recommendations, d.patterns, d.agreement):
        assert len(table) >= 2
        want = _records_frame(table, list(table.columns))
        for c in ("rank", "periods", "n"):
            if c in want.columns:
                want[c] = want[c].astype(np.int64)
        pd.testing.assert_frame_equal(table, want, check_exact=True)
        assert [str(t) for t in table.dtypes] == [str(t) for t in want.dtypes]
    none = recommend(d.indicators.assign(status="healthy"))
    assert none.empty and none["rank"].dtype == np.int64 and list(none.columns) == list(d.recommendations.columns)
    prep = Prepared(cop.load_example())
    hi = pd.Timestamp("2024-01-01", tz="UTC").value
    one = window_agreement(prep, hi - 90 * 86_400 * 10**9, hi, ["combined"])
    assert one.empty and list(one.columns) == ["method_a", "method_b", "kappa", "agreement", "n"]
    assert len(window_agreement(prep, hi - 90 * 86_400 * 10**9, hi, METHODS)) == len(METHODS) * (len(METHODS) - 1) // 2
