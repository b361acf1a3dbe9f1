"""Reliability campaign of the loaders: many generated inputs, no raw exception, no silent change.

What is run
-----------
``--n`` inputs (default 50,000), half of them *oracle* cases -- random valid
logs written as CSV, TSV, gzipped CSV, JSON Lines, a JSON array, Parquet or
handed over as a DataFrame, with blank lines, quoted delimiters and newlines,
extra columns, decomposed Unicode, floats and bytes for ids, exact duplicates,
timestamps in seven zone offsets to the nanosecond -- and half *hostile* cases
(missing or repeated columns, ragged or truncated rows, bad bytes, NUL bytes,
nested JSON values, typed DataFrame columns, impossible values).  The
generators and the checks are those of the test suite
(``tests/_loader_cases.py``): input *i* is generated from
``numpy.random.default_rng([seed, i])``, so any line of the table can be
replayed.

Each input is loaded with ``cop.read_activities`` (or
``ActivityLog.from_frame``) and counted as

* accepted -- loaded, and (oracle cases) the rows equal the rows written;
* accepted with a warning -- the rows differ from what was written (exact
  duplicates dropped, ids put in Unicode form NFC, floats read as integers) and
  a warning says so;
* rejected with a cop error -- one ``CopError`` naming the file;
* other exceptions -- anything else (must be 0);
* silent changes -- rows that differ from what was written without a warning,
  or a valid log rejected (must be 0).

Run::

    PYTHONPATH=. python benchmarks/reliability.py --n 50000 --workers 2   # roughly 40 ms of CPU per input
    PYTHONPATH=. python benchmarks/reliability.py --n 2000 --seed 1

The first failures of each kind are printed with the index that replays them.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _loader_cases import FORMATS, check, hostile_case, oracle_case  # noqa: E402

ROWS = [("accepted", "accepted"), ("warned", "accepted with a warning"), ("rejected", "rejected with a cop error"),
        ("crashed", "other exceptions (must be 0)"), ("silent", "silent changes (must be 0)")]


def run(
    n: int, seed: int, progress: bool = True, workers: int = 1, parts: Path | None = None
) -> tuple[collections.Counter, list[tuple[int, str, str, str, str]]]:
    """Generate and check ``n`` inputs; the counts by (kind, format, outcome) and the defects found.

    With ``workers > 1`` the inputs are shared out among processes (input *i*
    is the same whoever checks it).  With ``parts`` each worker saves its
    counts there as it goes (``--summarize`` prints them, e.g. of a run still going).
    """
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        counts: collections.Counter = collections.Counter()
        defects: list[tuple[int, str, str, str, str]] = []
        # blocks of 100 dealt out in turn, so that every worker checks both kinds of input
        jobs = [(seed, [i for i in range(n) if (i // 100) % workers == w], progress and w == 0, parts, w)
                for w in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            for c, d in pool.map(_run_part, jobs):
                counts.update(c)
                defects.extend(d)
        return counts, sorted(defects)
    return _run_part((seed, range(n), progress, parts, 0))


def _save(parts: Path, worker: int, counts: collections.Counter, defects: list) -> None:
    data = {"counts": [[*k, v] for k, v in counts.items()], "defects": defects}
    tmp = parts / f".part-{worker}.json.tmp"
    tmp.write_text(json.dumps(data))
    tmp.replace(parts / f"part-{worker}.json")


def summarize(parts: Path) -> tuple[collections.Counter, list]:
    """The counts and defects saved by the workers of a run in ``parts``."""
    counts: collections.Counter = collections.Counter()
    defects: list = []
    for f in sorted(parts.glob("part-*.json")):
        data = json.loads(f.read_text())
        for kind, fmt, outcome, v in data["counts"]:
            counts[(kind, fmt, outcome)] += v
        defects += [tuple(d) for d in data["defects"]]
    return counts, sorted(defects)


def _run_part(job: tuple[int, range | list[int], bool, Path | None, int]) -> tuple[collections.Counter, list[tuple[int, str, str, str, str]]]:
    seed, indices, progress, parts, worker = job
    counts: collections.Counter = collections.Counter()
    defects: list[tuple[int, str, str, str, str]] = []
    root = Path(tempfile.mkdtemp(prefix="cop-reliability-"))
    t0 = time.perf_counter()
    try:
        for done, i in enumerate(indices):
            rng = np.random.default_rng([seed, i])
            folder = root / str(i % 64)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            case = (oracle_case if i % 2 == 0 else hostile_case)(rng, folder)
            outcome, detail = check(case)
            counts[(case.kind, case.format, outcome)] += 1
            if outcome in ("crashed", "silent"):
                defects.append((i, case.kind, case.format, outcome, detail[:300]))
            if parts is not None and (done + 1) % 200 == 0:
                _save(parts, worker, counts, defects)
            if progress and (done + 1) % 1000 == 0:
                print(f"  {done + 1:,} inputs, {time.perf_counter() - t0:,.0f} s, {len(defects)} defects", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if parts is not None:
        _save(parts, worker, counts, defects)
    return counts, defects


def table(counts: collections.Counter) -> str:
    """The counts as a text table: one column per format, and the total."""
    cols = list(FORMATS)
    lines = [f"{'':32}" + "".join(f"{c:>9}" for c in cols) + f"{'total':>10}"]
    tried = [sum(v for (k, f, o), v in counts.items() if f == c) for c in cols]
    lines.append(f"{'inputs tried':32}" + "".join(f"{t:>9,}" for t in tried) + f"{sum(tried):>10,}")
    for key, label in ROWS:
        per = [sum(v for (k, f, o), v in counts.items() if f == c and o == key) for c in cols]
        lines.append(f"{label:32}" + "".join(f"{t:>9,}" for t in per) + f"{sum(per):>10,}")
    oracle = sum(v for (k, f, o), v in counts.items() if k == "oracle")
    lines.append(f"(of which oracle cases: {oracle:,}; hostile: {sum(tried) - oracle:,})")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=50_000, help="inputs to generate (half oracle, half hostile)")
    ap.add_argument("--seed", type=int, default=20240901)
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    ap.add_argument("--workers", type=int, default=1, help="processes sharing the inputs")
    ap.add_argument("--parts", type=Path, help="folder where the workers save their counts as they go")
    ap.add_argument("--summarize", type=Path, metavar="PARTS", help="print the table of the counts saved in PARTS and exit")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.summarize is not None:
        counts, defects = summarize(args.summarize)
        print(f"\ncop loader reliability (saved counts in {args.summarize}), seed {args.seed}\n")
    else:
        if args.parts is not None:
            args.parts.mkdir(parents=True, exist_ok=True)
        counts, defects = run(args.n, args.seed, progress=not args.quiet, workers=args.workers, parts=args.parts)
        print(f"\ncop loader reliability: {args.n:,} inputs, seed {args.seed}, {time.perf_counter() - t0:,.0f} s\n")
    print(table(counts))
    by_kind: dict[str, list] = collections.defaultdict(list)
    for d in defects:
        by_kind[d[3]].append(d)
    for kind, items in by_kind.items():
        print(f"\nfirst {kind} inputs (index, kind, format: detail); replay with default_rng([seed, index]):")
        for i, k, f, _, detail in items[:10]:
            print(f"  {i}, {k}, {f}: {detail}")
    bad = sum(v for (k, f, o), v in counts.items() if o in ("crashed", "silent"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
