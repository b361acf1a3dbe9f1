"""The network diagnosis benchmark script runs end to end on a tiny network (both of its modes)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.parametrize("mode", [["--pairs", "1"], ["--in-process", "--repeats", "1"]])
def test_bench_spaces_runs(mode):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_spaces.py"), "--spaces", "3", "--members", "30",
                           "--years", "0.5", *mode], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "3 spaces diagnosed" in proc.stdout
    assert "(goal <= 2)" in proc.stdout
