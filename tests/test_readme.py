"""Every ```python and ```bash block of README.md runs as written against the bundled example.

Python blocks run each in a fresh interpreter in a temporary folder (the project importable); the
``cop ...`` commands of bash blocks run with this interpreter's ``cop`` (``python -m cop.cli``).
The install commands (``pip install ...``) and the test-suite command are not run.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2), README.count("\n", 0, m.start()) + 1)
          for m in re.finditer(r"^```(python|bash)\n(.*?)^```", README, flags=re.S | re.M)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env.setdefault("COP_SALT", "readme-test")
    return env


def _commands(block: str) -> list[list[str]]:
    """The ``cop`` commands of a bash block (``a && b`` split; install and test-suite commands left out)."""
    commands = []
    for line in block.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part)
            if words and words[0] == "cop":
                commands.append(words[1:])
    return commands


def _param(kind: str, text: str, line: int):
    slow = kind == "python" and "run_experiment" in text  # replicates in worker processes
    return pytest.param(kind, text, id=f"{kind}-line{line}", marks=[pytest.mark.slow] if slow else [])


def test_the_readme_has_the_blocks_it_should():
    kinds = [k for k, _, _ in BLOCKS]
    assert kinds.count("python") >= 4 and kinds.count("bash") >= 2
    assert "cop.load_example()" in README and "cop.example_paths()" in README


@pytest.mark.parametrize("kind, text", [_param(*b) for b in BLOCKS])
def test_readme_block_runs(kind, text, tmp_path):
    if kind == "python":
        script = tmp_path / "block.py"
        script.write_text(text, encoding="utf-8")
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=_env(), capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
        return
    commands = _commands(text)
    if not commands:
        pytest.skip("install / test-suite commands only")
    for args in commands:
        done = subprocess.run([sys.executable, "-m", "cop.cli", *args], cwd=tmp_path, env=_env(), capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
    if args[:1] == ["demo"]:
        assert (tmp_path / "cop-demo" / "report.html").is_file()
