"""Kill-during-write: a writer killed with SIGKILL mid-write leaves the old file (or none), never a truncated one.

Each writer runs in a subprocess (tests/_kill_writer.py) that rewrites one large
output in a loop; the test kills it while a temporary file of the target is
growing, then checks the target and that the next write removes the dead
process's temporary file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from cop._atomic import atomic_write_text, stale_temporaries

CHILD = Path(__file__).with_name("_kill_writer.py")
ROOT = Path(__file__).resolve().parents[1]

# writer -> (file name, check that a file is complete)
WRITERS = {
    "text": ("diagnosis.json", lambda p: p.read_text().endswith("\nEND\n") and len(p.read_bytes()) == 60_000_005),
    "csv": ("activities.csv", lambda p: len(pd.read_csv(p)) == 200_000),
    "graphml": ("g.graphml", lambda p: ET.parse(p).getroot() is not None),
    "gexf": ("g.gexf", lambda p: ET.parse(p).getroot() is not None),
    "edges": ("edges.csv", lambda p: len(pd.read_csv(p)) > 0),
    "table_csv": ("metrics.csv", lambda p: len(pd.read_csv(p)) == 800_000),
    "table_parquet": ("experiment.parquet", lambda p: pq.read_table(p).num_rows == 800_000),
}


def _kill_mid_write(writer: str, target: Path) -> Path:
    """Start the writer, SIGKILL it while a temporary file of ``target`` grows; return that temporary file."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(CHILD), writer, str(target)], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        assert child.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 20  # an atomic writer makes its temporary file at once
        while time.monotonic() < deadline:
            temps = [p for p in target.parent.glob(f".{target.name}.*.tmp") if p.stat().st_size > 0]
            if temps:
                child.send_signal(signal.SIGKILL)
                child.wait(timeout=30)
                assert child.returncode == -signal.SIGKILL
                assert temps[0].exists()  # left behind by the killed process
                return temps[0]
            time.sleep(0.002)
        pytest.fail(f"{writer}: no temporary file seen")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.slow
@pytest.mark.parametrize(
    "writer",
    list(WRITERS),
)
def test_sigkill_leaves_old_content_or_nothing(tmp_path, writer):
    name, complete = WRITERS[writer]
    target = tmp_path / name
    fresh = writer == "text"  # one writer also from no file at all (the others replace an old one)
    if not fresh:
        target.write_bytes(b"OLD CONTENT\n")
    temp = _kill_mid_write(writer, target)
    if fresh:
        assert not target.exists() or complete(target)  # absent, or a whole earlier round
    else:
        assert target.read_bytes() == b"OLD CONTENT\n" or complete(target)
    assert stale_temporaries(target) == [temp]
    atomic_write_text(target, "next\n")  # the next write to the same target cleans up
    assert not temp.exists() and target.read_text() == "next\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]
