"""Benchmark: loading a ten-million-row participation export with ``cop.read_activities``.

What is measured
----------------
A realistic CSV is written to a temporary folder (about 600 MB at full size;
regenerated only if missing): ``--rows`` participation rows (default
10,000,000) by about 50,000 members in about 500,000 activities over three
years, with columns ``activity_id, member_id, timestamp, kind, role, topic,
weight, channel``.  Timestamps are ISO 8601 with a zone offset
(``2023-05-04T09:31:12+03:00``, Helsinki local time), and carry the minute and
second of each participation, so there are millions of distinct values.

Each loader then runs in a *fresh* Python process, which reports its wall time
and its peak resident memory (``VmHWM`` from ``/proc/self/status``, else
``getrusage(RUSAGE_SELF).ru_maxrss``, which on Linux may include the parent's
memory at exec):

* ``cop``: ``cop.read_activities(path)`` -- the compiled reader of files without
  quotes (``cop/io/_fastcsv.c``, via :mod:`cop.io._unquoted`: the two halves of the
  file on two threads, one dictionary per column for each half, joined in C; ISO
  timestamps parsed while reading), validation, timestamps as
  ``datetime64[ns, UTC]``, categorical ids, duplicate check.  Also reports
  ``log.data.memory_usage(deep=True)``.
* ``pandas`` (baseline, the code a user would otherwise write):
  ``pandas.read_csv(path)`` with default options (no parsing of timestamps,
  no validation).
* ``arrow`` (with ``--arrow``): ``cop.read_activities`` with Arrow's CSV reader
  instead of the compiled one (one-threaded Arrow readers, one for each half of
  the file, dictionary-encoded columns), as before the evening of 3 December 2026.
* ``python``: the interpreter plus ``import cop`` alone, the floor under ``cop``
  (the ``pandas`` process imports only numpy and pandas).

Targets (issues): ids stored as categoricals, ten million rows load in under
4 GiB of memory (peak RSS of the ``cop`` process), and in at most 3x the time
of plain ``pandas.read_csv``.  Both wall time and CPU time (``process_time``,
all threads) are printed with their ratios, and the load average: on a shared
machine wall time stretches with the other processes' load, CPU time much less.

Last measured 2 December 2026, 07:20 UTC (``--repeats 3``, medians; pandas 3.1,
pyarrow 26; a shared 2-core machine at load average 6.6-8.3, which stretches
wall and CPU time), after the changes of the ``loadfast`` branch (Arrow on one
thread, its freed buffers released, cheaper duplicate and note checks): 10M
rows, cop 21.7 s wall / 10.7 s CPU / 1.71 GiB peak RSS, ``pandas.read_csv``
3.3 s / 2.1 s / 2.46 GiB: ratios 6.6x wall, 5.0x CPU, 0.70x memory; a run
minutes before (load 8.3, before the buffers were released) 4.4x wall / 4.6x
CPU.  **The 3x target is not met** in wall or CPU time.  Before and after in one
run (fresh processes interleaved, medians of 2, load 6.7, the tests running
alongside): CPU 13.7 s -> 12.5 s (5.3x -> 4.9x ``pandas.read_csv``), wall
32.6 s -> 35.6 s (one thread cannot use a free second core); at 2M rows
(medians of 3, load 6-7) CPU 2.22 s -> 1.67 s (4.5x -> 3.4x), wall 4.0 s ->
2.6 s (4.8x -> 3.1x).  Split at 10M rows (CPU, one fresh process): Arrow's
dictionary-encoded parse 5.4-6.6 s, alone 2-2.6x the whole
``pandas.read_csv``; conversion 1.7 s; checks, duplicates and notes 4.4 s.
Measured and not taken: timestamps read as text and parsed afterwards (Arrow
parses ISO timestamps while reading at no measurable cost over reading the
text), text read as bytes and dictionary-encoded after the parse (as much CPU
at 10M rows: hashing each value is the cost either way), ids only that way
(5% less CPU at 10M, within the noise).

At low load (2 December 2026, 07:59 UTC, load average 0.2-0.8, ``--keep --repeats 3``):
cop 10.0 s wall / 10.9 s CPU / 1.72 GiB, ``pandas.read_csv`` 1.5 s / 2.6 s / 2.46 GiB
(pandas uses a second thread): 6.9x wall, 4.1x CPU.  Not met.

After the ``loadspeed`` branch (2 December 2026, 17:07-17:09 UTC, ``--keep --repeats 5``, medians of
five alternated fresh processes, pandas 3.1, pyarrow 26, load average 3.1-4.0 on the shared
2-core machine): 10M rows, cop 13.3 s wall / 8.8 s CPU / 1.05 GiB peak RSS (was 1.72),
``pandas.read_csv`` 3.8 s / 2.4 s / 2.46 GiB: **3.6x CPU, 3.5x wall -- the 3x target is still
not met at 10M rows**; 2M rows (same load, 17:09): cop 2.5 s / 1.6 s / 0.37 GiB, pandas 0.9 s /
0.6 s: 2.9x CPU, 2.9x wall.  A 10M run minutes before (load 0.6 -> 3.1 during the run, medians
of 3) gave 8.1 s CPU against pandas 4.0 s (2.0x), pandas' runs being stretched by the rising
load: the figure above is the one to quote.  What changed (in-process CPU split at 10M, load
about 1: parse 4.8 s, conversion 1.5 s, timestamps 0.2 s, checks 1.3 s, members 0.2 s; total
8.2 s against 12.3 s before): Arrow parses 4 MiB blocks (16 MiB before: 13% less CPU for the
parse and conversion) and, when the file has no quote after its header, without following
quoted values across lines; no copy of a column on its way into the frames (pandas 3 copies an
array set on a frame or wrapped in a Series: each fresh 80 MB array cost up to 0.2 s of system
time here); duplicate keys mixed in place from views of the codes; rows dropped by one mask per
array instead of ``DataFrame.loc``; unused categories found by marking the codes; activity days
numbered from the codes instead of ``pd.factorize``.  Measured and not taken: ids read as plain
strings and dictionary-encoded afterwards, 1 MiB blocks (as much CPU: hashing the ids is the cost
either way), unifying the blocks' dictionaries by encoding them anew (slower than Arrow's
``unify_dictionaries``), the system or jemalloc allocator for Arrow (no gain in a fresh process).
What remains: Arrow's parse alone is about 2x the whole of ``pandas.read_csv`` (tokenising 1.5 s,
the two id columns 1.4 s, the five small dictionary columns 1.2 s).

Issue 11, 2 December 2026, 21:13-21:31 UTC (load average 0.3-1.5, pandas 3.1, pyarrow 26):
nothing tried reaches 3x, nothing taken.  ``--keep --repeats 2`` at 10M rows, two rounds
alternated with the threaded variant: cop 10.0 and 12.8 s wall / 10.9 and 13.8 s CPU / 1.06-1.14
GiB, ``pandas.read_csv`` 2.0-2.2 s / 3.9-4.2 s / 2.46 GiB (pandas uses both cores): 5.1-5.9x
wall, 2.8-3.3x CPU.  Arrow's reader on two threads: 8.6 and 10.3 s wall / 14.0 and 16.5 s CPU /
1.25 GiB, 4.5x wall but 3.7x CPU.  At 2M rows (``--repeats 3``): one thread 2.3 s / 2.5 s (5.3x
wall, 2.9x CPU), two 1.9 s / 3.0 s (4.1x, 3.5x), pandas 0.4 s / 0.9 s.  Parse alone at 2M rows
(in-process, one thread): dictionary columns with the timestamp typed 1.6-1.9 s CPU, the timestamp
as text instead 1.7 s, with ``timestamp_parsers=[ISO8601]`` 1.8 s, every column plain text 1.0-1.1 s
(but then still to encode).  polars 2.1 (``read_csv`` on both cores, ``pl.Categorical`` columns,
timestamp by ``str.to_datetime``, then ``to_arrow``) 2.0-2.6 s wall / 3.4-4.3 s CPU / 0.42 GB;
polars text columns then Arrow's ``dictionary_encode`` 1.6-1.9 s / 2.6-3.1 s / 0.85 GB: more CPU
than Arrow's one thread and no wall time gained over Arrow on two threads, so not a dependency.

Issue 11, 3 December 2026, 07:39-08:12 UTC (``load2`` branch; ``--keep --repeats 3`` (twice) and
``5 --one-range``, fresh processes alternated cop / cop1 / pandas; pandas 3.1.1, pyarrow 26.0.1;
other sessions' benchmarks and tests took one core at times, seen with ps): kept for the wall
time, at 8% more CPU time.  A file of 32 MiB or more without a quote after its header
(``cop.io.csvfile._SPLIT``) is cut at the newline nearest its middle and each half parsed by its
own one-threaded Arrow reader, both at once on two threads (Arrow releases the GIL), then the
halves' columns put end to end (their blocks' dictionaries unified by the conversion as before:
as many blocks as with one reader).  Each half is read through a file object limited to its
bytes, into buffers of Arrow's memory pool (``read_buffer``): reading 900 MB that way takes 0.16 s
of CPU time, as Arrow's own file does, against 0.6-1.1 s through ``bytes`` objects (the first
try: +1 s CPU); a memory map instead counted the whole file in the peak RSS (parse alone 0.72 ->
1.65 GB).  Any Arrow error other than a timestamp's conversion is read again by one reader, so
the messages are its own; frames, categories (and their order), dtypes and messages are the same
(tests/test_csv_ranges.py).  The 6 rounds with the second core free (load 1.0-1.5, pandas on both
cores): cop 9.3 s wall / 14.7 s CPU (runs 9.1/14.5, 10.3/15.0, 7.4/11.5, 9.5/14.9, 7.2/11.3,
9.5/15.1), one reader 12.5 s / 13.7 s (13.1/14.0, 12.8/13.9, 12.1/13.4, 10.3/11.6, 14.1/15.6,
11.5/12.8), ``pandas.read_csv`` 1.9 s / 3.6 s: **4.9x wall (one reader 6.6x), 4.1x CPU (one
reader 3.8x): the 3x target is not met**; wall time 25% less, CPU time 8% more in the medians
(higher in 4 of the 6 rounds; the runs spread over 11.3-15.1 s and 11.6-15.6 s): two parsers at
once cost a little more each, as pandas' threads do.  With the other core busy (every loader at
wall = CPU, pandas 4-5.5 s) the two took 12.1-15.9 s and 11.4-14.7 s CPU: about even.  Peak RSS
1.06-1.08 GiB either way.  At 2M rows (load 2.0, one core taken by other tests): cop 2.1 s / 2.1 s,
one reader 2.7 s / 2.7 s, pandas 0.7 s / 0.7 s.  In-process split (10M rows, load about 1.5):
Arrow's parse 3.6 s wall / 7.0 s CPU with two halves against 5.7 s / 6.1 s with one reader;
conversion 1.0-1.2 s wall / 2.0-2.2 s CPU (of which unifying the 225 blocks' dictionaries of the
activity ids 0.9 s); what follows the reader (checks, members: one thread, in cop/log.py) 2.2-2.6
s.  System time is 3-5 s of the CPU time in both (page faults of fresh memory on this machine);
``MIMALLOC_PURGE_DELAY=-1`` or the system allocator did not lower it.  Not done: the checks after
the reader run concurrently (in cop/log.py, outside the reader).  A last run at 08:16-08:18 (load
1.8-1.9, pandas stretched to 3.0-5.8 s wall, medians of 3): cop 10.3 s / 15.0 s, one reader 12.1 s /
13.5 s: wall 15% less, CPU 11% more.  To go back to one reader: raise ``_SPLIT``.

Issue 11, 3 December 2026, 14:09-14:40 UTC, on another machine of the same kind (quiet: load average
0.7-1.5, nothing else running; pandas 3.1.1, pyarrow 26.0.1), the code above unchanged: ``--keep
--repeats 5 --one-range`` at 10M rows: cop 6.0 s wall / 9.2 s CPU / 1.10 GiB (runs 6.5/10.3, 4.2/6.4,
6.0/9.1, 6.3/9.6, 5.7/9.2), one reader 8.3 s / 9.3 s, ``pandas.read_csv`` 2.0 s / 3.8 s / 2.46 GiB:
3.00x wall, 2.45x CPU (one reader 4.18x / 2.46x).  Six more alternated rounds (``main`` and a trial
change, fresh processes) gave ``main`` 6.42 s / 10.39 s against pandas 2.08 s / 4.00 s: 3.09x wall,
2.60x CPU.  **Those ratios flattered cop**: the machine had booted minutes before, and on a new virtual
machine the first touch of each page of memory is slow (see below); pandas touches 2.46 GiB, cop
1.10 GiB, so pandas paid more.  Seventy minutes later (15:21-15:23 UTC, load average 1.2-1.8, the same
code and file, ``--keep --repeats 5``): cop 5.7 s wall / 9.2 s CPU (runs 5.0-6.7 / 8.1-10.4), pandas
1.3 s / 2.4 s (1.2-1.4 / 2.2-2.6): **4.37x wall, 3.76x CPU**, in line with the earlier machines.
The target is **not met**.  Where the time goes (one run, 10M rows): the two
ranges' parse 2.9-3.9 s wall, the conversion to categoricals 0.3-0.9 s (the activity ids' 226 block
dictionaries, 6.6M entries for 477,194 ids, unified in 1.1 s), the timestamps' 226 chunks copied into
one array 0.25 s (fresh memory: the same copy takes 0.01 s into reused pages), the checks after the
reader 1.0-1.3 s on one thread.  ``perf`` shows 23 % of the process's CPU in the kernel clearing
fresh huge pages (``clear_page_erms`` under ``do_huge_pmd_anonymous_page``, from Arrow's mimalloc and
numpy's large arrays); the system time of identical runs ranged 1.0-3.8 s.  Tried and not kept
(measured in the same hour): unifying each range's dictionaries on its own thread (the conversion
0.9 -> 0.3 s but each range's parse 0.8 s longer: 6.81 s against 6.42 s wall in six alternated
rounds; Arrow's ``unify_dictionaries`` on chunks that share one dictionary per range hashes every
chunk's copy: 12 s for 226 chunks); ids read as text and dictionary-encoded per range (5 s more);
four or eight ranges on two threads (no steadier); 8 MiB blocks instead of 4 (median 5.6 s against
6.0 s wall over six alternated rounds, within the noise); ``pandas.read_csv`` with ``dtype="category"``
(6.7 s at 2M rows against 0.64 s for plain strings); glibc's ``MALLOC_MMAP_THRESHOLD_`` and
``MALLOC_TRIM_THRESHOLD_`` raised, transparent huge pages off for the process (no gain, or slower).
What would be needed: a parser that builds one dictionary per column across blocks (Arrow's
per-block dictionaries then need unifying), or fewer fresh pages.

Issue 11, 3 December 2026, 17:39-17:41 UTC: **the compiled reader** (``cop/io/_fastcsv.c``;
quiet machine, load average 0.1-1.1, nothing else running; pandas 3.1.1, pyarrow 26.0.1).
``--keep --repeats 5 --arrow`` at 10M rows, fresh processes alternated: cop 4.5 s wall / 6.2 s
CPU / 0.98 GiB (runs 5.7/7.6, 4.9/6.7, 4.5/6.2, 4.3/5.9, 4.4/6.0), with Arrow's reader instead
6.3 s / 9.6 s / 1.10 GiB, ``pandas.read_csv`` 1.6 s / 3.0 s / 2.46 GiB: **2.88x wall, 2.11x CPU**
(Arrow's reader 4.07x, 3.23x).  ``--repeats 5`` right after: cop 5.3 s / 6.9 s, pandas 1.6 s /
3.0 s: **3.28x, 2.30x**.  The compiled reader takes about 30% off cop's wall time and 35% off its
CPU time against Arrow's in the same runs, but **the 3x target is not met with any margin**: the
ratio straddles it.  (Runs at 17:01-17:23 had printed 1.96-2.04x: the benchmark then imported cop
in the ``pandas`` process inside its timed region, an error of this evening's edit, corrected
before the runs above; those figures are void.)
Where cop's time goes (10M rows, in-process,
two runs): the compiled parse 1.9-2.2 s wall / 3.4-3.6 s CPU on two threads (one thread alone
2.9-3.7 s; not twice as fast, the cause not measured), the checks after the reader
(``ActivityLog.from_frame``) 2.1-2.4 s in a fresh process (1.1 s in a process whose memory is
reused), identities 0.2-0.3 s.  How the parser got there (CPU of one thread
over the whole file, ``perf`` at each step): a first version 10.9 s (collisions: the hash's
low bits, the table's index, depended on few of the value's bytes); MurmurHash3's finaliser
8.2 s; one slot holding all a probe reads but the value's bytes 6.7 s; the slots read a batch of rows ahead (``__builtin_prefetch``, the ids' table outgrows
the caches) 3.4-4.4 s; 16-byte slots and a word-wise comparison 2.7-3.1 s.

Issue 11, 3-4 December 2026, on another machine of the same kind (slower: the same code at
fb5c930 measured 23:05 UTC, ``--keep --repeats 3``, load 0.6-1.3: cop 5.8 s wall / 8.1 s CPU,
``pandas.read_csv`` 2.2 s / 4.0 s, **2.68x wall, 2.00x CPU**).  Three changes to the parser
(``perf`` on one thread: the splitter byte by byte was 17% of its samples, the growth of the
column vectors and their first touch 8-10%, and 27% of the lookups' samples fell on the
instruction after the prefetch of a slot of the ids' tables, taken for address-cache (TLB) misses:
not checked with TLB counters, and the huge pages' own share of the gain not measured apart): lines split 64 bytes at a time by SSE2 compares (the byte-by-byte splitter
kept where SSE2 is missing, and tested against the vector one and Arrow on generated files and on
files of several read blocks), each range's column vectors reserved once from the rows of its first
block, hash tables of 2 MiB or more asked for in huge pages (``madvise``).  The parse alone
(``_fastcsv.read`` in one process, three calls): two threads 2.7-2.9 s -> 2.2-2.5 s wall, one thread
4.2-5.5 s -> 3.4-3.6 s.  Then ``--keep --repeats 3`` (23:26 UTC, load 0.6-0.8): cop 5.0 s / 6.5 s,
pandas 2.3 s / 4.4 s: **2.22x wall, 1.47x CPU**; ``--keep --repeats 5`` (00:39 UTC, load 0.2-1.0):
cop 4.3 s / 5.7 s (runs 6.3/8.0, 3.6/4.8, 4.0/5.3, 4.4/5.8, 4.3/5.7), pandas 2.0 s / 3.9 s (1.9-2.2 s
wall): **2.20x wall, 1.47x CPU**, peak RSS 0.99 GiB against 2.46 GiB.  **The 3x target is met**, by
about a quarter in wall time and a half in CPU time, on a machine whose pandas baseline is slower
than the evening's (2.0-2.3 s against 1.6 s).  What is left (in one process, warm memory): the parse
2.2 s, ``ActivityLog.from_frame`` 1.6-1.8 s (the exact-duplicate check 0.6 s, the recurring-activity
check 0.4 s, dropping the duplicate rows 0.25 s, unused categories 0.15 s), identities 0.2-0.3 s.

Run::

    PYTHONPATH=. python benchmarks/bench_load.py              # 10M rows, ~3-6 minutes
    PYTHONPATH=. python benchmarks/bench_load.py --rows 1000000 --keep
    PYTHONPATH=. python benchmarks/bench_load.py --keep --repeats 3 --arrow   # also Arrow's reader, alternated

``--keep`` leaves the CSV (and reuses it next time, in ``--dir``, default the
system temp folder); without it the file is deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import _child  # benchmarks/_child.py (this folder is first on sys.path when a benchmark runs)

GIB = 2**30
TARGET_BYTES = 4 * GIB

TOPICS = ["ai", "design", "sustainability", "fintech", "health", "gaming", "legal", "marketing", "hardware",
          "education", "ai;design", "health;ai", "sustainability;design", "", ""]
ROLES = ["", "", "", "participant", "host", "speaker"]
KINDS = ["event", "interaction", "collaboration", "presence", "contribution"]
WEIGHTS = ["1", "1", "1", "0.5", "2", ""]


def write_csv(path: Path, n_rows: int, seed: int = 20240601, chunk: int = 1_000_000) -> None:
    """Write the synthetic export in chunks (bounded memory), atomically."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    n_members = max(100, n_rows // 200)  # 50,000 at 10M rows
    n_act = max(10, n_rows // 20)  # 500,000 at 10M rows
    # heavy-tailed sizes and member activity
    act_p = rng.pareto(1.3, n_act) + 0.2
    act_p /= act_p.sum()
    mem_p = rng.pareto(1.2, n_members) + 0.1
    mem_p /= mem_p.sum()
    start = np.datetime64("2022-01-01T00:00:00", "s").astype(np.int64)
    act_start = start + rng.integers(0, 3 * 365 * 86_400, n_act)
    act_start = act_start - act_start % 60  # activities start on the minute
    act_kind = rng.choice(len(KINDS), n_act, p=[0.3, 0.25, 0.1, 0.25, 0.1])
    act_topic = rng.integers(0, len(TOPICS), n_act)
    act_channel = rng.integers(0, 2, n_act)
    width_a, width_m = len(str(n_act)), len(str(n_members))
    act_ids = pa.array([f"act-{i:0{width_a}d}" for i in range(n_act)])
    mem_ids = pa.array([f"member-{i:0{width_m}d}@example.org" for i in range(n_members)])
    tmp = path.with_suffix(".partial")
    writer = None
    try:
        with open(tmp, "wb") as fh:
            for lo in range(0, n_rows, chunk):
                n = min(chunk, n_rows - lo)
                a = rng.choice(n_act, n, p=act_p)
                m = rng.choice(n_members, n, p=mem_p)
                # participation time: the start, plus up to 3 hours for presence/contribution rows
                spread = np.isin(act_kind[a], (3, 4))
                t = act_start[a] + np.where(spread, rng.integers(0, 3 * 3600, n), 0)
                summer = ((t // 86_400 + 4) % 365 > 88) & ((t // 86_400 + 4) % 365 < 300)  # rough EEST
                offset = np.where(summer, 3, 2)
                local = (t + offset * 3600).astype("M8[s]")
                text = pa.array(np.datetime_as_string(local, unit="s"))
                zone = pa.array(np.where(summer, "+03:00", "+02:00"))
                ts = pc.binary_join_element_wise(text, zone, "")
                table = pa.table(
                    {
                        "activity_id": act_ids.take(pa.array(a)),
                        "member_id": mem_ids.take(pa.array(m)),
                        "timestamp": ts,
                        "kind": pa.array(np.asarray(KINDS)[act_kind[a]]),
                        "role": pa.array(np.asarray(ROLES)[rng.integers(0, len(ROLES), n)]),
                        "topic": pa.array(np.asarray(TOPICS)[act_topic[a]]),
                        "weight": pa.array(np.asarray(WEIGHTS)[rng.integers(0, len(WEIGHTS), n)]),
                        "channel": pa.array(np.asarray(["public", "private"])[act_channel[a]]),
                    }
                )
                if writer is None:
                    writer = pacsv.CSVWriter(fh, table.schema, write_options=pacsv.WriteOptions(quoting_style="none"))
                writer.write_table(table)
            if writer is not None:
                writer.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


CHILD = r"""
import json, resource, sys, time
which, path = sys.argv[1], sys.argv[2]


def peak_rss():
    # VmHWM is this process's own high-water mark; ru_maxrss can also hold the
    # parent's memory at the time of fork/exec (Linux folds it in at exec)
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


import numpy as np, pandas as pd
if which != "pandas":  # (the pandas process loads only numpy and pandas)
    import cop
    import cop.io._unquoted
    if which == "arrow":  # the reader as before the compiled one (3 December 2026): Arrow's, on two byte ranges
        cop.io._unquoted.AVAILABLE = False
out = {"rss_imports": peak_rss()}
if which != "pandas":
    out["compiled"] = cop.io._unquoted.AVAILABLE
t0 = time.perf_counter()
c0 = time.process_time()
if which in ("cop", "arrow"):
    log = cop.read_activities(path, emit_warnings=False)
    out["seconds"] = time.perf_counter() - t0
    out["cpu"] = time.process_time() - c0
    d = log.data
    out["rows"] = len(d)
    out["members"] = int(len(d["member_id"].cat.categories))
    out["activities"] = int(len(d["activity_id"].cat.categories))
    out["bytes"] = int(d.memory_usage(deep=True).sum())
    out["dtypes"] = {c: str(t) for c, t in d.dtypes.items()}
    out["warnings"] = len(log.warnings)
elif which == "pandas":
    d = pd.read_csv(path)
    out["seconds"] = time.perf_counter() - t0
    out["cpu"] = time.process_time() - c0
    out["rows"] = len(d)
    out["bytes"] = int(d.memory_usage(deep=True).sum())
    out["dtypes"] = {c: str(t) for c, t in d.dtypes.items()}
else:
    out["seconds"] = out["cpu"] = 0.0
out["peak_rss"] = peak_rss()
print(json.dumps(out))
"""


def run_child(which: str, path: Path) -> dict:
    return _child.run_child(CHILD, which, str(path), what=f"{which} loader")


def gib(n: float) -> str:
    return f"{n / GIB:.2f} GiB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "cop-bench-load")
    ap.add_argument("--keep", action="store_true", help="keep the CSV for the next run")
    ap.add_argument("--repeats", type=int, default=1, help="runs of each loader (median reported)")
    ap.add_argument("--arrow", action="store_true",
                    help="also run cop with Arrow's reader instead of the compiled one (as before), alternated")
    args = ap.parse_args(argv)

    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / f"activities-{args.rows}.csv"
    try:
        if path.exists():
            print(f"reusing {path} ({path.stat().st_size / 2**20:,.0f} MiB)")
        else:
            t0 = time.perf_counter()
            write_csv(path, args.rows)
            print(f"wrote {path} ({path.stat().st_size / 2**20:,.0f} MiB) in {time.perf_counter() - t0:.1f} s")

        loaders = ("cop", "arrow", "pandas") if args.arrow else ("cop", "pandas")
        results: dict[str, list[dict]] = {"python": [], **{k: [] for k in loaders}}
        results["python"].append(run_child("python", path))
        for _ in range(args.repeats):
            for which in loaders:
                results[which].append(run_child(which, path))
        med = {k: {f: float(np.median([r[f] for r in v])) for f in ("seconds", "cpu", "peak_rss")} for k, v in results.items()}
        c, p = results["cop"][-1], results["pandas"][-1]

        if not c["compiled"]:
            print("NOTE: cop.io._fastcsv was not built (no C compiler at install): cop read the file with Arrow's reader")
        print(f"cop log: {c['rows']:,} rows, {c['members']:,} members, {c['activities']:,} activities, "
              f"{c['warnings']} warning(s)")
        print("cop dtypes:    " + ", ".join(f"{k}={v}" for k, v in c["dtypes"].items()))
        print("pandas dtypes: " + ", ".join(f"{k}={v}" for k, v in p["dtypes"].items()))
        print()
        print(f"{'loader':36s} {'seconds':>9s} {'CPU s':>7s} {'peak RSS':>10s} {'frame size':>11s}")
        print("-" * 78)
        print(f"{'python + import cop (floor)':36s} {'':>9s} {'':>7s} {gib(med['python']['peak_rss']):>10s}")
        print(f"{'cop.read_activities':36s} {med['cop']['seconds']:9.1f} {med['cop']['cpu']:7.1f} "
              f"{gib(med['cop']['peak_rss']):>10s} {gib(c['bytes']):>11s}")
        if args.arrow:
            print(f"{'cop, with Arrow reader (not compiled)':36s} {med['arrow']['seconds']:9.1f} {med['arrow']['cpu']:7.1f} "
                  f"{gib(med['arrow']['peak_rss']):>10s}")
        print(f"{'pandas.read_csv (baseline)':36s} {med['pandas']['seconds']:9.1f} {med['pandas']['cpu']:7.1f} "
              f"{gib(med['pandas']['peak_rss']):>10s} {gib(p['bytes']):>11s}")
        print()
        ok = med["cop"]["peak_rss"] < TARGET_BYTES
        for which in loaders:  # each run, in the order they alternated
            print(f"{which} runs (wall/CPU s): " + ", ".join(f"{r['seconds']:.1f}/{r['cpu']:.1f}" for r in results[which]))
        print(f"cop peak RSS {gib(med['cop']['peak_rss'])}  target < 4 GiB ({args.rows:,} rows)   {'PASS' if ok else 'MISS'}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average at the end {load:.1f} on {os.cpu_count()} CPUs (wall time stretches under load; CPU time "
              "counts every thread of the process)")
        print(f"ratios cop / pandas: time {med['cop']['seconds'] / med['pandas']['seconds']:.2f}x, "
              f"CPU time {med['cop']['cpu'] / med['pandas']['cpu']:.2f}x (target 3x), "
              f"peak RSS {med['cop']['peak_rss'] / med['pandas']['peak_rss']:.2f}x, "
              f"in-memory frame {c['bytes'] / p['bytes']:.2f}x")
        if args.arrow:
            print(f"ratios cop with Arrow's reader / pandas: time {med['arrow']['seconds'] / med['pandas']['seconds']:.2f}x, "
                  f"CPU time {med['arrow']['cpu'] / med['pandas']['cpu']:.2f}x")
        ids_cat = all(c["dtypes"][k] == "category" for k in ("activity_id", "member_id"))
        print(f"ids stored as categoricals: {ids_cat}")
    finally:
        if not args.keep and path.exists():
            path.unlink()
            try:
                args.dir.rmdir()
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
