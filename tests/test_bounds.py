"""Bounded work of the member graph: large groups add no ties, and a hard bound on the graph's size.

One 20,000-person event would make about 2x10^8 ties (several GiB); with the
default ``max_group_size`` it counts in participation statistics only, with a
warning, and ``cop graph`` / ``cop.diagnose`` stay small and fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from typer.testing import CliRunner

from cop import ActivityLog, interaction_graph
from cop.cli import app
from cop.exceptions import ConfigError, DataWarning
from cop.kernel import MAX_GROUP_SIZE, Prepared, project, tie_bound
from cop.kernel.projection import group_discount

runner = CliRunner()

BIG = 20_000


def community_frame(big: int, seed: int = 1) -> pd.DataFrame:
    """One ``big``-person gala plus 60 meetups of 3-7 of 30 members every three days."""
    rng = np.random.default_rng(seed)
    acts = ["gala"] * big
    mems = [f"g{i}" for i in range(big)]
    ts = ["2024-03-01T18:00:00Z"] * big
    for k in range(60):
        n = int(rng.integers(3, 8))
        who = rng.choice(30, n, replace=False)
        day = (pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(days=3 * k)).isoformat()
        acts += [f"meet{k}"] * n
        mems += [f"m{i}" for i in who]
        ts += [day] * n
    return pd.DataFrame({"activity_id": acts, "member_id": mems, "timestamp": ts})


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "gala.csv"
    community_frame(BIG).to_csv(path, index=False)
    return path


CHILD = textwrap.dedent(
    """
    import resource, sys, time
    limit = 4 * 2**30  # address space: a pre-fix all-pairs projection (~5 GB) fails fast instead of swapping
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    t0 = time.perf_counter()
    code = 0
    try:
        {body}
    except SystemExit as exc:
        code = exc.code or 0
    print(f"PEAK_KB={{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}} SECONDS={{time.perf_counter() - t0:.1f}}",
          file=sys.stderr)
    sys.exit(code)
    """
)


def run_child(body: str) -> tuple[subprocess.CompletedProcess, int, float]:
    """Run ``body`` in a fresh interpreter under a 4 GiB address-space limit; its peak RSS (KiB) and time."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", COLUMNS="400")
    code = CHILD.format(body=textwrap.indent(textwrap.dedent(body), "    ").strip())
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    last = [ln for ln in proc.stderr.splitlines() if ln.startswith("PEAK_KB=")]
    assert last, proc.stderr[-3000:]
    fields = dict(kv.split("=") for kv in last[-1].split())
    return proc, int(fields["PEAK_KB"]), float(fields["SECONDS"])


#: Peak RSS allowed for the 20,000-person log: a small log's diagnosis peaks near 180 MB here, the
#: fixed run near 200-330 MB; the all-pairs projection needed about 5 GB.
PEAK_BOUND_KB = 900 * 1024


@pytest.mark.slow
def test_cop_graph_of_a_20000_person_event_is_small_and_warns(big_csv, tmp_path):
    out = tmp_path / "g.csv"
    proc, peak, seconds = run_child(f"""
        sys.argv = ["cop", "graph", {str(big_csv)!r}, "-o", {str(out)!r}]
        from cop.cli import main
        main()
    """)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert peak < PEAK_BOUND_KB, f"peak RSS {peak / 1024:.0f} MiB"
    assert seconds < 60
    assert "warning: 1 activity with more than max_group_size=1,000 participants (largest 20,000; 20,000 participations)" in proc.stderr
    edges = pd.read_csv(out)
    # the gala ties no one: the edges are exactly those of the meetups alone
    small = interaction_graph(ActivityLog.from_frame(community_frame(0), emit_warnings=False)).to_edges()
    key = lambda df: sorted((min(s, t), max(s, t), round(w, 9)) for s, t, w in zip(df["source"], df["target"], df["weight"]))  # noqa: E731
    assert key(edges) == key(small)
    assert not edges["source"].str.startswith("g").any()


@pytest.mark.slow
def test_diagnose_of_a_20000_person_event_is_small_and_warns(big_csv):
    proc, peak, seconds = run_child(f"""
        import warnings
        import cop
        from cop.exceptions import DataWarning
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            d = cop.diagnose({str(big_csv)!r}, as_of="2024-03-15")
        notes = [str(w.message) for w in caught if issubclass(w.category, DataWarning) and "max_group_size" in str(w.message)]
        print("NOTES", len(notes), notes[0] if notes else "")
        m = d.members.set_index("member_id")
        print("GALA", int(m.index.str.startswith("g").sum()), int(m.loc["g0", "participations"]))
    """)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert peak < PEAK_BOUND_KB, f"peak RSS {peak / 1024:.0f} MiB"
    assert seconds < 90
    assert "NOTES 1 1 activity with more than max_group_size=1,000" in proc.stdout  # warned once, not per window
    # the gala's guests are in the window and keep their participation
    assert f"GALA {BIG} 1" in proc.stdout


def test_large_groups_warning_counts_activities_and_participations():
    sizes = np.array([2, 3, 1001, 1500, 1000])
    with pytest.warns(DataWarning) as rec:
        w = group_discount(sizes)
    assert w.tolist() == [1.0, 0.5, 0.0, 0.0, 1 / 999]
    msgs = [str(r.message) for r in rec]
    assert msgs == [
        "2 activities with more than max_group_size=1,000 participants (largest 1,500; 2,501 participations) "
        "counts in participation statistics but adds no ties; raise max_group_size (--max-group-size) to tie "
        "their participants"
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert group_discount(sizes, max_group_size=None)[3] == pytest.approx(1 / 1499)
        assert group_discount(sizes, "none", max_group_size=2000).tolist() == [1.0] * 5
    with pytest.raises(ConfigError, match="max_group_size"):
        group_discount(sizes, max_group_size=1)


def test_capped_group_keeps_participation_statistics():
    frame = pd.DataFrame({
        "activity_id": ["big"] * 5 + ["pair"] * 2,
        "member_id": ["a", "b", "c", "d", "e", "a", "b"],
        "timestamp": ["2024-01-02"] * 5 + ["2024-01-03"] * 2,
    })
    log = ActivityLog.from_frame(frame)
    with pytest.warns(DataWarning, match="1 activity with more than max_group_size=4"):
        prep = Prepared(log, max_group_size=4, min_tie=0)
    win = prep.window(pd.Timestamp("2024-01-01", tz="UTC").value, pd.Timestamp("2024-02-01", tz="UTC").value)
    ids = list(prep.member_ids)
    assert dict(zip(ids, win.participations.tolist())) == {"a": 2, "b": 2, "c": 1, "d": 1, "e": 1}
    assert dict(zip(ids, win.degree.tolist())) == {"a": 1, "b": 1, "c": 0, "d": 0, "e": 0}
    # uncapped, the 5-person group ties everyone (Newman weight 1/4)
    full = Prepared(log, max_group_size=None, min_tie=0).window(win.lo, win.hi)
    assert full.degree.tolist() == [4] * 5
    with pytest.warns(DataWarning):
        g = interaction_graph(log, max_group_size=4)
    assert g.n_edges == 1 and g.weight("a", "b") == 1.0


@pytest.mark.parametrize("seed", range(6))
def test_tie_bound_is_an_upper_bound_and_exact_without_repeated_pairs(seed):
    rng = np.random.default_rng(seed)
    n, m = 40, 25
    dense = (rng.random((n, m)) < rng.uniform(0.02, 0.3)).astype(float)
    b = sp.csr_array(dense)
    ties = project(b, np.ones(m), max_ties=None).nnz // 2
    co = dense @ dense.T
    np.fill_diagonal(co, 0)
    assert ties == int((co > 0).sum()) // 2
    bound = tie_bound(b)
    assert bound >= ties
    # pairwise-disjoint groups meet no pair twice: the bound is the exact count
    groups = rng.integers(1, 6, 8)
    members = np.arange(groups.sum())
    cols = np.repeat(np.arange(len(groups)), groups)
    disjoint = sp.csr_array((np.ones(len(members)), (members, cols)))
    assert tie_bound(disjoint) == int((groups * (groups - 1) // 2).sum())
    assert tie_bound(sp.csc_array(disjoint)) == tie_bound(disjoint)


def test_hard_bound_stops_before_the_product_naming_the_options():
    b = sp.csc_array(np.ones((3000, 2)))  # two 3,000-person activities: at most 4,498,500 distinct pairs
    assert tie_bound(b) == 2_999 * 3_000 // 2
    with pytest.raises(ConfigError, match=r"up to 4,498,500 ties .* more than max_ties=1,000,000") as exc:
        project(b, np.array([1.0, 1.0]), max_ties=1_000_000)
    assert "--max-group-size" in exc.value.hint and "--max-ties" in exc.value.hint
    assert project(b, np.array([1.0, 0.0]), max_ties=4_498_500).nnz == 2 * 4_498_500  # at the bound: built


def test_cli_graph_hard_bound_is_one_clear_error(tmp_path):
    src = tmp_path / "acts.csv"
    community_frame(2_000).to_csv(src, index=False)
    res = runner.invoke(app, ["graph", str(src), "-o", str(tmp_path / "g.csv"), "--max-group-size", "5000",
                              "--max-ties", "100000"])
    assert res.exit_code == 1
    assert "error: the member graph would hold up to 1,999," in res.output and "more than max_ties=100,000" in res.output
    assert "hint: lower max_group_size (--max-group-size)" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "g.csv").exists()
    # the default cap leaves a 2,000-person event out of the ties (and says so)
    res = runner.invoke(app, ["graph", str(src), "-o", str(tmp_path / "g.csv")])
    assert res.exit_code == 0, res.output
    assert "warning: 1 activity with more than max_group_size=1,000 participants (largest 2,000" in res.output


def test_default_cap_leaves_the_bundled_example_alone(example_log):
    sizes = example_log.data.groupby("activity_id", observed=True)["member_id"].nunique()
    assert sizes.max() < MAX_GROUP_SIZE
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        a = interaction_graph(example_log)
    b = interaction_graph(example_log, max_group_size=None, max_ties=None)
    assert (a.adjacency != b.adjacency).nnz == 0


def test_diagnose_passes_the_bounds(example_log):
    import cop

    with pytest.raises(ConfigError, match="max_ties=10"):
        cop.diagnose(example_log, max_ties=10)
    t0 = time.perf_counter()
    with pytest.warns(DataWarning, match="max_group_size=20"):
        d = cop.diagnose(example_log, max_group_size=20, agreement=False)
    assert time.perf_counter() - t0 < 120
    assert len(d.members) > 0
