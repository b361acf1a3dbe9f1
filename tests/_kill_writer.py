"""Child process of tests/test_outputs_kill.py: write one large output with one writer, over and over.

Usage: ``python tests/_kill_writer.py WRITER TARGET``.  Each round writes a
complete, checkable file (see ``check`` in the test); the test kills the
process with SIGKILL while a temporary file of the target is being written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 200_000


def frame() -> pd.DataFrame:
    i = np.arange(ROWS)
    return pd.DataFrame({"activity_id": pd.Series(i // 7).map("a{}".format), "member_id": pd.Series(i % 997).map("m{}".format),
                         "timestamp": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(i % 86_400, unit="s")})


def writer(name: str):
    if name == "text":  # atomic_write_text: diagnose -o, report HTML, diagnosis JSON, scenario.json
        from cop._atomic import atomic_write_text

        text = "x" * 60_000_000 + "\nEND\n"
        return lambda target: atomic_write_text(target, text)
    if name == "csv":  # write_csv: logs (write_log, simulate replicates) and workload
        from cop.io import write_csv

        df = frame()
        return lambda target: write_csv(df, target)
    if name in ("graphml", "gexf", "edges"):  # InteractionGraph.write: cop graph
        import cop

        g = cop.interaction_graph(cop.ActivityLog.from_frame(frame().head(40_000), emit_warnings=False))
        return lambda target: g.write(target)
    if name in ("table_csv", "table_parquet"):  # simulation write_table: cop experiment, simulate metrics/summary
        from simulation.experiment import write_table

        df = frame().assign(value=np.arange(ROWS) * 0.5)
        df = pd.concat([df] * 4, ignore_index=True)
        return lambda target: write_table(df, target)
    raise SystemExit(f"unknown writer {name}")


def main() -> None:
    write = writer(sys.argv[1])
    target = Path(sys.argv[2])
    print("ready", flush=True)
    while True:
        write(target)


if __name__ == "__main__":
    main()
