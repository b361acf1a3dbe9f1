"""Run a benchmark's child code in a fresh Python process that imports this checkout's ``cop``.

Examples
--------
>>> run_child('import json; print(json.dumps({"ok": 1}))')["ok"]
1
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])


def run_child(code: str, *args: str, what: str = "child") -> dict:
    """Run ``python -c code args...`` with this checkout first on ``PYTHONPATH``; the JSON of its last line of output.

    Adds ``process_seconds`` (the whole process, start-up included).  A failing child stops the benchmark
    with its error output, naming ``what``.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed:\n{proc.stderr}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_seconds"] = wall
    return out
