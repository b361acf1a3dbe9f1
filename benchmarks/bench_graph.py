"""Benchmark: building the member interaction graph of a large, heavy-tailed log.

What is measured
----------------
A synthetic log is generated with a seeded :class:`numpy.random.Generator`:
1,000,000 participation rows, 100,000 members with heavy-tailed propensity
(Pareto), activity sizes from a Zipf law truncated to [2, 1500] (one activity is
forced to 1,200 people), one timestamp per activity spread over three years, and
mixed kinds (interactions and collaborations for small groups, events and
presence for large ones, contributions in between).

* ``load/validate``: ``ActivityLog.from_frame`` on the raw frame (ids given as
  categoricals, timestamps as ``datetime64[ns, UTC]``), measured separately.
* ``ours``: ``GraphBuilder(log).graph()`` on a fresh (uncached) log: incidence
  construction (codes -> time-ordered csc matrix), per-activity weights (kind
  weight x Newman 1/(n-1)), the product ``B W B^T``, diagonal removal, and the
  node attribute table (``log.members``).
* ``floor``: bare scipy on the same codes and weights: ``B = csr_array((w, (m, a)))``
  then ``B @ B.T``.  Reported as product only and as construct + product; the
  target compares ours with construct + product.
* ``networkx``: what a user would otherwise write -- a bipartite ``nx.Graph`` of
  the rows of a 50,000-row subset (the earliest activities in time order) and
  ``networkx.algorithms.bipartite.weighted_projected_graph`` onto the members --
  against ours on the same subset (log built outside the timing).
* ``36 monthly graphs``: ``GraphBuilder.by_period("MS")`` (one incidence matrix,
  sliced by columns) against 36 separate ``interaction_graph(log, start, end)``
  calls.

Times are the median of ``--repeats`` runs (default 5; the monthly graphs at
most 3), with the compared functions run round-robin so that the noise of a
shared machine hits them alike; wall and CPU time (``process_time``; the timed
code is single-threaded) are both printed.  networkx runs once by default: it is slow.  Memory: the tracemalloc peak of one extra run of ``ours`` (numpy and
scipy allocate through tracked allocators) and the process's peak RSS
(``getrusage``).

Targets (issue): ours at least 20x faster than networkx on the subset, and
within 1.5x of the construct + product floor.

Run::

    PYTHONPATH=. python benchmarks/bench_graph.py            # full size, ~4-6 minutes
    PYTHONPATH=. python benchmarks/bench_graph.py --rows 200000 --members 20000 --repeats 3
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd
import scipy.sparse as sp

from cop import ActivityLog
from cop.graph import GraphBuilder, interaction_graph
from cop.schema import KINDS

SPAN_SECONDS = 3 * 365 * 86_400
START = pd.Timestamp("2022-01-01", tz="UTC").value


def synthetic_frame(n_rows: int, n_members: int, seed: int = 20240601, max_size: int = 1500) -> pd.DataFrame:
    """A heavy-tailed participation log as a raw frame (no duplicate member per activity)."""
    rng = np.random.default_rng(seed)
    # activity sizes: Zipf(2.0) + 1, truncated to [2, max_size]; one forced large activity
    sizes = []
    total = 0
    while total < n_rows:
        s = rng.zipf(2.0, n_rows) + 1
        s = s[s <= max_size]
        sizes.append(s)
        total += int(s.sum())
    size = np.concatenate(sizes)
    big = min(1200, max_size, n_rows // 4)
    size = np.concatenate(([big], size))
    cum = np.cumsum(size)
    k = int(np.searchsorted(cum, n_rows)) + 1
    size = size[:k]
    size[-1] -= int(cum[k - 1]) - n_rows  # exact row count
    if size[-1] < 2:
        size[-2] += size[-1]
        size = size[:-1]
    n_act = len(size)
    rng.shuffle(size)
    act = np.repeat(np.arange(n_act), size)
    # members: heavy-tailed propensity
    prop = rng.pareto(1.5, n_members) + 0.05
    prop /= prop.sum()
    mem = rng.choice(n_members, size=n_rows, p=prop)
    # no member twice in one activity: redraw repeats uniformly until none are left
    for _ in range(100):
        key = act.astype(np.int64) * n_members + mem
        order = np.argsort(key, kind="stable")
        dup = np.zeros(n_rows, dtype=bool)
        dup[order[1:][np.diff(key[order]) == 0]] = True
        if not dup.any():
            break
        mem[dup] = rng.integers(0, n_members, int(dup.sum()))
    # one start per activity over three years (seconds), kinds by size
    t_act = START + rng.integers(0, SPAN_SECONDS, n_act) * 10**9
    u = rng.random(n_act)
    kind_act = np.where(
        size == 2,
        np.where(u < 0.7, 1, np.where(u < 0.85, 2, 4)),  # interaction / collaboration / contribution
        np.where(size <= 8, np.where(u < 0.5, 2, np.where(u < 0.8, 0, 4)),  # collab / event / contribution
                 np.where(u < 0.6, 0, 3)),  # event / presence
    ).astype(np.int8)
    width_a, width_m = len(str(n_act)), len(str(n_members))
    act_ids = np.array([f"a{i:0{width_a}d}" for i in range(n_act)], dtype=object)
    mem_ids = np.array([f"m{i:0{width_m}d}" for i in range(n_members)], dtype=object)
    return pd.DataFrame(
        {
            "activity_id": pd.Categorical.from_codes(act.astype(np.int32), categories=act_ids),
            "member_id": pd.Categorical.from_codes(mem.astype(np.int32), categories=mem_ids),
            "timestamp": pd.to_datetime(t_act[act].view("M8[ns]")).tz_localize("UTC"),
            "kind": pd.Categorical.from_codes(kind_act[act], categories=list(KINDS)),
        }
    )


def timed(fn, repeats: int) -> tuple[float, object]:
    """Median wall time over ``repeats`` runs and the last result."""
    times = []
    out = None
    for _ in range(repeats):
        out = None
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def interleaved(fns: dict, repeats: int) -> tuple[dict, dict]:
    """Median wall and CPU times of each function, run round-robin so machine noise hits all alike.

    CPU time (``time.process_time``) does not count the time the process waits
    for a core on a busy machine; all timed code here is single-threaded.
    """
    wall: dict = {name: [] for name in fns}
    cpu: dict = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            gc.collect()
            c0, t0 = time.process_time(), time.perf_counter()
            out = fn()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            del out
    return ({name: statistics.median(t) for name, t in wall.items()},
            {name: statistics.median(t) for name, t in cpu.items()})


def ours(log: ActivityLog):
    fresh = log.with_rows(log.data)  # no cached members/activities tables
    # every group tied, as in the floor B B^T (the default cap would leave out activities over 1,000 people)
    return GraphBuilder(fresh, max_group_size=None, max_ties=None).graph()


def floor_construct(log: ActivityLog) -> sp.csr_array:
    d = log.data
    m = d["member_id"].cat.codes.to_numpy()
    a = d["activity_id"].cat.codes.to_numpy()
    shape = (len(d["member_id"].cat.categories), len(d["activity_id"].cat.categories))
    return sp.csr_array((d["weight"].to_numpy(), (m, a)), shape=shape)


def floor_product(b: sp.csr_array) -> sp.csr_array:
    return b @ b.T


def networkx_projection(frame: pd.DataFrame):
    import networkx as nx
    from networkx.algorithms import bipartite

    g = nx.Graph()
    members = frame["member_id"].astype(str).map(lambda s: ("m", s)).tolist()
    acts = frame["activity_id"].astype(str).map(lambda s: ("a", s)).tolist()
    g.add_nodes_from(set(members), bipartite=0)
    g.add_nodes_from(set(acts), bipartite=1)
    g.add_edges_from(zip(members, acts))
    return bipartite.weighted_projected_graph(g, set(members))


def subset(frame: pd.DataFrame, n_rows: int) -> pd.DataFrame:
    """The earliest activities, whole, until about ``n_rows`` rows."""
    order = np.argsort(frame["timestamp"].to_numpy(), kind="stable")
    cut = frame.iloc[order[:n_rows]]
    last = cut["activity_id"].iloc[-1]
    cut = cut[cut["activity_id"] != last] if len(frame) > n_rows else cut  # drop a partial activity
    out = cut.reset_index(drop=True)
    for col in ("activity_id", "member_id"):
        out[col] = out[col].cat.remove_unused_categories()
    return out


def mib(nbytes: float) -> str:
    return f"{nbytes / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--subset", type=int, default=50_000, help="rows for the networkx comparison")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--nx-repeats", type=int, default=1)
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args(argv)

    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"scipy {sp.__name__ and __import__('scipy').__version__}")
    t0 = time.perf_counter()
    frame = synthetic_frame(args.rows, args.members, args.seed)
    print(f"generated {len(frame):,} rows in {time.perf_counter() - t0:.1f} s")

    t_load, log = timed(lambda: ActivityLog.from_frame(frame, emit_warnings=False), max(1, args.repeats // 2))
    sizes = log.data.groupby("activity_id", observed=True).size()
    print(f"log: {len(log):,} rows, {log.n_members:,} members, {log.n_activities:,} activities, "
          f"sizes {sizes.min()}..{sizes.max()} (median {sizes.median():.0f}, {int((sizes > 1000).sum())} over 1,000), "
          f"{log.start:%Y-%m-%d}..{log.end:%Y-%m-%d}")

    # ---------------------------------------------------------------- full size
    g = ours(log)
    b = floor_construct(log)
    bbt = floor_product(b)
    med, cpu = interleaved(
        {
            "ours": lambda: ours(log),
            "construct": lambda: floor_construct(log),
            "product": lambda b=b: floor_product(b),
            "floor": lambda: floor_product(floor_construct(log)),
        },
        args.repeats,
    )
    t_ours, t_constr, t_prod, t_floor = med["ours"], med["construct"], med["product"], med["floor"]
    same_pattern = (bbt.nnz - int((bbt.diagonal() != 0).sum())) == g.adjacency.nnz
    print(f"graph: {len(g.nodes):,} nodes, {g.n_edges:,} edges (B·Bᵀ nnz {bbt.nnz:,}; "
          f"same off-diagonal pattern: {same_pattern})")
    del bbt, b
    gc.collect()

    tracemalloc.start()
    ours(log)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()
    tracemalloc.start()
    floor_product(floor_construct(log))
    _, floor_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del g
    gc.collect()

    # ---------------------------------------------------------------- networkx subset
    sub_frame = subset(frame, args.subset)
    sub_log = ActivityLog.from_frame(sub_frame, emit_warnings=False)
    t_ours_sub, g_sub = timed(lambda: ours(sub_log), args.repeats)
    t_nx, p_nx = timed(lambda: networkx_projection(sub_frame), args.nx_repeats)
    sub_sizes = sub_log.data.groupby("activity_id", observed=True).size()
    print(f"subset: {len(sub_log):,} rows, {sub_log.n_members:,} members, {sub_log.n_activities:,} activities "
          f"(largest {sub_sizes.max()}); edges ours {g_sub.n_edges:,} / networkx {p_nx.number_of_edges():,}")
    del p_nx

    # ---------------------------------------------------------------- monthly graphs
    from cop.graph import period_starts

    bounds = period_starts(log, "MS")[:37]
    n_periods = len(bounds) - 1

    def monthly_by_period():
        return GraphBuilder(log.with_rows(log.data)).by_period("MS")

    def monthly_separate():
        fresh = log.with_rows(log.data)
        return [interaction_graph(fresh, bounds[i], bounds[i + 1]) for i in range(n_periods)]

    reps_m = max(1, min(3, args.repeats))  # 36 graphs twice per repeat
    monthly_by_period()  # warm-up
    med_m, cpu_m = interleaved({"by_period": monthly_by_period, "separate": monthly_separate}, reps_m)
    t_byp, t_sep = med_m["by_period"], med_m["separate"]

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    # ---------------------------------------------------------------- report
    r_floor = t_ours / t_floor
    r_nx = t_nx / t_ours_sub
    print()
    print(f"{'measurement':66s} {'wall s':>8s} {'CPU s':>8s}")
    print("-" * 84)
    rows = [
        (f"load/validate: ActivityLog.from_frame ({len(frame):,} rows)", t_load, None),
        ("ours: GraphBuilder(log).graph() [incidence, weights, BWBᵀ, diag]", t_ours, cpu["ours"]),
        ("floor: scipy csr construct from codes", t_constr, cpu["construct"]),
        ("floor: scipy B @ B.T (product only)", t_prod, cpu["product"]),
        ("floor: construct + product", t_floor, cpu["floor"]),
        (f"subset ours ({len(sub_log):,} rows)", t_ours_sub, None),
        (f"subset networkx weighted_projected_graph ({args.nx_repeats} run)", t_nx, None),
        (f"{n_periods} monthly graphs: GraphBuilder.by_period('MS')", t_byp, cpu_m["by_period"]),
        (f"{n_periods} monthly graphs: separate interaction_graph calls", t_sep, cpu_m["separate"]),
    ]
    for name, t, c in rows:
        print(f"{name:66s} {t:8.3f} {'' if c is None else f'{c:8.3f}':>8s}")
    r_floor_cpu = cpu["ours"] / cpu["floor"]
    print()
    print("ratios (medians)")
    print(f"  networkx / ours (subset, wall)          {r_nx:8.1f}x   target >= 20x    "
          f"{'PASS' if r_nx >= 20 else 'MISS'}")
    print(f"  ours / (construct + product), wall      {r_floor:8.2f}x   target <= 1.5x   "
          f"{'PASS' if r_floor <= 1.5 else 'MISS'}")
    print(f"  ours / (construct + product), CPU       {r_floor_cpu:8.2f}x   target <= 1.5x   "
          f"{'PASS' if r_floor_cpu <= 1.5 else 'MISS'}")
    print(f"  ours / product only, wall               {t_ours / t_prod:8.2f}x   (information)")
    print(f"  separate calls / by_period, wall        {t_sep / t_byp:8.1f}x   (information)")
    print()
    print("memory")
    print(f"  tracemalloc peak, ours (one run)            {mib(traced_peak)}")
    print(f"  tracemalloc peak, floor construct+product   {mib(floor_peak)}")
    print(f"  process peak RSS (ru_maxrss, whole run)     {mib(maxrss)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
