"""Golden outputs: refactors keep the diagnosis JSON and the simulated logs byte-identical.

When behaviour changes on purpose, regenerate with ``python tests/golden/make_golden.py``
and say so in the commit message.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
_spec = importlib.util.spec_from_file_location("make_golden", GOLDEN / "make_golden.py")
make_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_golden)


def test_example_diagnosis_json_is_unchanged():
    assert make_golden.example_json() == (GOLDEN / "example_diagnosis.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["star", "silos"])
def test_hand_built_diagnosis_json_is_unchanged(name):
    import _diag_logs

    text = make_golden.diagnosis_json(getattr(_diag_logs, name)())
    assert text == (GOLDEN / f"{name}_diagnosis.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", make_golden.SIM_CASES, ids=lambda c: c[0])
def test_simulated_logs_are_unchanged(case):
    expected = json.loads((GOLDEN / "simulated_logs.json").read_text(encoding="utf-8"))
    name, seed, years, initial = case
    assert make_golden.simulated_log_digest(name, seed, years, initial) == expected[f"{name}-seed{seed}"]
