"""The spaces of a network diagnosed in groups, one group per worker process.

:class:`SpaceDiagnoses` runs each space's ordinary diagnosis (its kernel arrays,
its periods classified in one stacked pass with the other spaces of its group,
:mod:`cop.network.stacked`, and the rest of :func:`cop.diagnose`'s stages).  With
``workers=1`` that is one group in this process.  With more workers the spaces
are dealt into groups of about equal rows (largest first, each to the lightest
group); this process diagnoses the first group while forked copies of it
diagnose the others and send their diagnoses back.  The diagnoses are the same
as in one group (``tests/test_network_parallel.py`` compares every table), and
the warnings the spaces raise are raised again here, in the spaces' order.

Workers are forked copies of this process (they read its logs and arrays without
copying them), so more than one worker is used only where the ``fork`` start
method exists (Linux, other Unix systems; not Windows), and only for logs of
at least :data:`PARALLEL_MIN_ROWS` rows: below that a second process saved at most
a tenth of a second (``benchmarks/bench_spaces.py``'s network at 11,076 to 124,126 rows,
2026-12-04, wall-clock medians of three: 0.32 to 0.29 s, 0.44 to 0.35 s, 0.67 to 0.67 s,
0.77 to 0.67 s).  Before forking, the objects so far are frozen out of the garbage
collector's walks (``gc.freeze``), so that a worker's collections do not write to, and
copy, every page they sit on; they are let back in when the workers are done.

Examples
--------
>>> space_groups([5, 1, 4, 2, 3], 2)
[[0, 1, 3], [2, 4]]
>>> space_groups([5, 1, 4], 1)
[[0, 1, 2]]
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np
import pandas as pd

from cop.diagnosis import Diagnosis, _diagnosis, current_window
from cop.exceptions import ConfigError, CopError
from cop.kernel import Prepared, period_bounds, window_bounds
from cop.kernel.periods import DAY_NS
from cop.log import ActivityLog
from cop.network.stacked import StackedWindows, periods_from, seed_windows, stacked_period_levels

__all__ = ["SpaceDiagnoses", "space_groups", "resolve_workers", "PARALLEL_MIN_ROWS"]

#: Fewest participation rows (all spaces together) for which more than one worker process is used.
PARALLEL_MIN_ROWS = 100_000

# the groups of the spaces a forked worker reads (set just before the workers are forked, cleared after)
_TASK: dict[str, Any] = {}


def space_groups(sizes: Sequence[int], workers: int) -> list[list[int]]:
    """Positions of the spaces dealt into at most ``workers`` groups of about equal total ``sizes``.

    The largest space first, each to the group with the fewest rows so far (the first such group on a tie);
    each group in the spaces' order.  Empty groups are left out.

    Examples
    --------
    >>> space_groups([10, 10, 1, 1], 3)
    [[0], [1], [2, 3]]
    """
    if workers < 1:
        raise ConfigError(f"parameter 'workers': expected a whole number of at least 1, got {workers!r}")
    groups: list[list[int]] = [[] for _ in range(min(workers, max(1, len(sizes))))]
    load = [0] * len(groups)
    for k in sorted(range(len(sizes)), key=lambda k: (-int(sizes[k]), k)):
        g = load.index(min(load))
        groups[g].append(k)
        load[g] += int(sizes[k])
    return [sorted(g) for g in groups if g]


def resolve_workers(workers: int | None, rows: int, spaces: int) -> int:
    """How many worker processes diagnose the spaces: ``workers`` (``None``: the CPU count), at most one per
    space, and 1 where forking is not available, in a daemonic process (itself a pool's worker), or when the
    log has fewer than :data:`PARALLEL_MIN_ROWS` rows.

    Examples
    --------
    >>> resolve_workers(4, rows=50, spaces=20)
    1
    >>> resolve_workers(1, rows=10**6, spaces=20)
    1
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1):
        raise ConfigError(f"parameter 'workers': expected a whole number of at least 1 or None, got {workers!r}")
    n = (os.cpu_count() or 1) if workers is None else int(workers)
    if n <= 1 or spaces < 2 or rows < PARALLEL_MIN_ROWS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if multiprocessing.current_process().daemon:  # a daemonic process (a pool's worker) may not start processes
        return 1
    return min(n, spaces)


def _own_windows(log: ActivityLog, as_of: pd.Timestamp, lookback: int, freq: str) -> list[tuple[int, int]]:
    """The windows a space's diagnosis reads besides its periods': the current window, the indicators'
    (the same days before ``as_of``) and the one before it (inward mobility)."""
    lo, hi = current_window(log, as_of, lookback, freq)
    days = int((hi - lo) // DAY_NS)
    lo2, hi2 = window_bounds(as_of, days)
    return list(dict.fromkeys([(lo, hi), (lo2, hi2), (lo2 - days * DAY_NS, lo2)]))


Caught = list[tuple[str, Any, str, int]]


class _Recorder:
    """The warnings raised in blocks of code, as ``(message, category, filename, lineno)``, by key (or none kept)."""

    def __init__(self, record: bool) -> None:
        self.record = record
        self.caught: dict[str, Caught] = {}

    @contextmanager
    def under(self, key: str) -> Iterator[None]:
        if not self.record:
            yield
            return
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            yield
        self.caught.setdefault(key, []).extend((str(w.message), w.category, w.filename, w.lineno) for w in got)


def _group(todo: Sequence[tuple[str, ActivityLog]], params: dict[str, Any], tie: dict[str, Any], record: bool = False
           ) -> tuple[dict[str, Diagnosis], float, dict[str, Caught]]:
    """One group's diagnoses (in ``todo``'s order), the seconds of its stacked periods, and (``record``) the
    warnings each space raised (those of the stacked pass with the group's first space) instead of raising them."""
    as_of, lookback, freq = params["as_of"], params["lookback"], params["freq"]
    rec = _Recorder(record)
    preps, prep_times = [], []
    for name, sub in todo:
        tp = time.perf_counter()
        with rec.under(name):
            preps.append(Prepared(sub, **tie))
        prep_times.append(time.perf_counter() - tp)
    tp = time.perf_counter()
    with rec.under(todo[0][0]):
        bounds = [period_bounds(sub, freq, as_of) for _, sub in todo]
        stack = StackedWindows(preps)
        levels = stacked_period_levels(preps, bounds, lookback, params["method"], stack=stack)
        seed_windows(stack, [_own_windows(sub, as_of, lookback, freq) for _, sub in todo])
        del stack
    precomputed = {k: (bounds[k], lookback, params["method"], levels[k]) for k in range(len(todo))}
    stacked = time.perf_counter() - tp
    out: dict[str, Diagnosis] = {}
    for k, (name, sub) in enumerate(todo):
        own: dict[str, float] = {}
        tp = time.perf_counter()
        with rec.under(name):
            out[name] = _diagnosis(sub, own, prepared=preps[k], periods=periods_from(precomputed, k), **params)
        own["prepare"] = own.get("prepare", 0.0) + prep_times[k]
        own["total"] = time.perf_counter() - tp + prep_times[k]
    return out, stacked, rec.caught


def _forked(g: int) -> tuple[dict[str, Diagnosis], float, dict[str, Caught]]:
    """The work of a forked worker: group ``g`` of the task this process was forked with, its warnings recorded."""
    task = _TASK
    return _group([task["todo"][k] for k in task["groups"][g]], task["params"], task["tie"], record=True)


def _raise_again(caught: Caught) -> None:
    """Issue recorded warnings here, through this process's filters, as if raised where they were (under the
    name of the loaded module whose file raised it, which the filters match, else the file's stem)."""
    if not caught:
        return
    modules = {getattr(mod, "__file__", None): name for name, mod in list(sys.modules.items())}  # (once, not per warning)
    for message, category, filename, lineno in caught:
        module = modules.get(filename) or os.path.splitext(os.path.basename(filename))[0]
        mod = sys.modules.get(module)
        registry = mod.__dict__.setdefault("__warningregistry__", {}) if mod is not None else None
        warnings.warn_explicit(message, category, filename, lineno, module=module, registry=registry)


class SpaceDiagnoses:
    """Each space's diagnosis by ``workers`` processes: the other groups start in forked workers when this is
    made, this process's group is diagnosed by :meth:`result` (so this process can do other work in between).

    Parameters
    ----------
    todo : sequence of (name, ActivityLog)
        The spaces to diagnose, each with its own log.
    params : dict
        Keyword arguments of the diagnosis (those of :func:`cop.diagnose`, with ``as_of``, ``lookback`` and
        ``freq`` resolved).
    tie : dict
        The tie parameters of each space's :class:`~cop.kernel.Prepared`.
    workers : int, default 1
        Processes (this one included); see :func:`resolve_workers` for when more than one is used.

    Examples
    --------
    >>> import cop, pandas as pd
    >>> log = cop.load_example()
    >>> as_of = log.end + pd.Timedelta(days=1)
    >>> params = dict(as_of=as_of, lookback=90, freq="MS", method="combined", naming="1998", persistence=2,
    ...               margin=0.3, stuck_periods=6, agreement=False, settings=None, min_tie=0.25,
    ...               presence_weight=0.0, small_group=10, max_group_size=1000, max_ties=None)
    >>> tie = {k: params[k] for k in ("min_tie", "presence_weight", "small_group", "max_group_size", "max_ties")}
    >>> with SpaceDiagnoses([("all", log)], params, tie) as jobs:
    ...     out, _ = jobs.result()
    >>> out["all"].phase == cop.diagnose(log, as_of=as_of, lookback=90, agreement=False).phase
    True
    """

    def __init__(self, todo: Sequence[tuple[str, ActivityLog]], params: dict[str, Any], tie: dict[str, Any],
                 workers: int = 1) -> None:
        self.todo, self.params, self.tie = list(todo), params, tie
        self.groups = space_groups([len(sub) for _, sub in self.todo], workers) if self.todo else []
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Any] = []
        self.frozen = False
        if len(self.groups) > 1:
            _TASK.update(todo=self.todo, groups=self.groups, params=params, tie=tie)
            # the objects so far kept out of the collector's walks, so that a worker's collections do not write to
            # (and copy) every page of them; let back in when the workers are done (close)
            self.frozen = gc.get_freeze_count() == 0
            if self.frozen:
                gc.freeze()
            with warnings.catch_warnings():
                # a forked worker only computes and sends its diagnoses back; it takes no lock another thread holds
                warnings.filterwarnings("ignore", message=r".*multi-threaded, use of fork\(\)", category=DeprecationWarning)
                self.pool = ProcessPoolExecutor(max_workers=len(self.groups) - 1, mp_context=multiprocessing.get_context("fork"))
                self.futures = [self.pool.submit(_forked, g) for g in range(1, len(self.groups))]

    def __enter__(self) -> SpaceDiagnoses:
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(stop=exc_type is not None)

    def close(self, stop: bool = False) -> None:
        """Let the workers go: wait for them, or (``stop``: an error or an interrupt here) stop them at once."""
        if self.pool is not None:
            if stop:  # (the executor has no public way to stop its workers before Python 3.14)
                for proc in list(getattr(self.pool, "_processes", {}).values()):
                    proc.terminate()
            self.pool.shutdown(wait=not stop, cancel_futures=True)
            self.pool = None
        if self.frozen:
            gc.unfreeze()
            self.frozen = False
        _TASK.clear()

    def result(self) -> tuple[dict[str, Diagnosis], float]:
        """The diagnoses, keyed and ordered as the spaces were given, and the seconds this process spent on its
        group's stacked periods; the spaces' warnings raised here, in the spaces' order."""
        if not self.todo:
            return {}, 0.0
        if self.pool is None:
            out, stacked, _ = _group(self.todo, self.params, self.tie)
            return out, stacked
        try:
            results = [_group([self.todo[k] for k in self.groups[0]], self.params, self.tie, record=True)]
            for g, f in enumerate(self.futures, start=1):
                try:
                    results.append(f.result())
                except BrokenProcessPool:
                    names = ", ".join(self.todo[k][0] for k in self.groups[g][:5])
                    raise CopError(f"the worker process diagnosing the spaces {names}"
                                   f"{' …' if len(self.groups[g]) > 5 else ''} stopped abruptly (out of memory?)",
                                   hint="run again with one process: --workers 1 (workers=1)") from None
        except BaseException:
            self.close(stop=True)
            raise
        self.close()
        got: dict[str, Diagnosis] = {}
        caught: dict[str, Caught] = {}
        for out, _, rec in results:
            got.update(out)
            caught.update(rec)
        _raise_again([w for name, _ in self.todo for w in caught.get(name, [])])  # in the spaces' order, as one process
        return {name: got[name] for name, _ in self.todo}, results[0][1]
