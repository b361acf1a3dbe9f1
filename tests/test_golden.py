"""Golden outputs: refactors keep the diagnosis JSON and the simulated logs unchanged.

The diagnosis JSON is compared value by value: every key, string, integer and list
length exactly, floats to a relative 1e-9 (a last-digit difference in a sum is what
another numpy/BLAS build gives; a behaviour change moves far more digits). The
simulated logs are compared by their digest, exactly.

When behaviour changes on purpose, regenerate with ``python tests/golden/make_golden.py``
and say so in the commit message.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from _json_compare import same_json

REL = 1e-9


def _same(got, want):
    """Parsed JSON values equal, floats to a relative ``REL``, keys in the same order."""
    same_json(got, want, rel=REL, abs_=1e-12, ordered_keys=True)


def test_same_catches_real_changes():
    _same({"a": [1.0, "x"]}, {"a": [1.0 + 1e-14, "x"]})
    for got in ({"a": [1.001, "x"]}, {"a": [1.0, "y"]}, {"a": [1.0]}, {"b": [1.0, "x"]}):
        with pytest.raises(AssertionError):
            _same(got, {"a": [1.0, "x"]})

GOLDEN = Path(__file__).resolve().parent / "golden"
_spec = importlib.util.spec_from_file_location("make_golden", GOLDEN / "make_golden.py")
make_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_golden)


def test_example_diagnosis_json_is_unchanged():
    _same(json.loads(make_golden.example_json()),
          json.loads((GOLDEN / "example_diagnosis.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", ["star", "silos"])
def test_hand_built_diagnosis_json_is_unchanged(name):
    import _diag_logs

    text = make_golden.diagnosis_json(getattr(_diag_logs, name)())
    _same(json.loads(text), json.loads((GOLDEN / f"{name}_diagnosis.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", make_golden.SIM_CASES, ids=lambda c: c[0])
def test_simulated_logs_are_unchanged(case):
    expected = json.loads((GOLDEN / "simulated_logs.json").read_text(encoding="utf-8"))
    name, seed, years, initial = case
    assert make_golden.simulated_log_digest(name, seed, years, initial) == expected[f"{name}-seed{seed}"]
