"""Provenance in ``cop demo``: diagnosis.json and report.html record what made them, as the other commands do."""

from __future__ import annotations

import datetime as dt
import json
import platform
from importlib.metadata import version
from pathlib import Path

import sys

import pytest
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.datasets import example_paths
from cop.provenance import file_hash

pytestmark = pytest.mark.slow  # one demo run (diagnosis and report of the bundled example): 15-60 s on a loaded machine


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> tuple[Path, dt.datetime, dt.datetime]:
    out = tmp_path_factory.mktemp("demo") / "cop-demo"
    argv = ["cop", "demo", "-o", str(out)]
    saved, sys.argv = sys.argv, argv  # what a shell would give the command (CliRunner leaves sys.argv alone)
    try:
        before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        res = CliRunner().invoke(app, argv[1:])
        after = dt.datetime.now(dt.timezone.utc)
    finally:
        sys.argv = saved
    assert res.exit_code == 0, res.output
    return out, before, after


def test_demo_diagnosis_json_records_its_provenance(demo_folder):
    out, before, after = demo_folder
    data = json.loads((out / "diagnosis.json").read_text(encoding="utf-8"))
    prov = data["provenance"]
    assert prov["cop_version"] == cop.__version__
    assert prov["python"] == platform.python_version()
    for lib in ("numpy", "pandas", "scipy", "networkx"):
        assert prov["libraries"][lib] == version(lib)
    assert prov["command"] == ["cop", "demo", "-o", str(out)]
    assert before <= dt.datetime.fromisoformat(prov["time"]) <= after
    # the demo runs no simulation: no scenario and no seed, recorded as such
    assert prov["root_seed"] is None and prov["scenarios"] == {}
    # every file of the bundled example, with its SHA-256 computed independently here
    files = prov["inputs"]["files"]
    assert files == {str(p): file_hash(p) for p in example_paths().values()}
    assert len(files) == 3 and all(len(h) == 64 for h in files.values())
    assert prov["inputs"]["options"] == {"example": "coworking", "pseudonymize": False}


def test_demo_diagnosis_json_is_valid_against_the_schema(demo_folder):
    jsonschema = pytest.importorskip("jsonschema")
    from importlib.resources import files

    schema = json.loads((files("cop") / "schemas" / "diagnosis.schema.json").read_text(encoding="utf-8"))
    data = json.loads((demo_folder[0] / "diagnosis.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def test_demo_report_shows_the_same_provenance(demo_folder):
    out = demo_folder[0]
    html = (out / "report.html").read_text(encoding="utf-8")
    prov = json.loads((out / "diagnosis.json").read_text(encoding="utf-8"))["provenance"]
    block = html.split('class="provenance">', 1)[1].split("</span>", 1)[0]
    assert f"cop {cop.__version__}, Python {platform.python_version()}" in block
    assert f"numpy {version('numpy')}" in block and prov["time"] in block
    for name, digest in prov["inputs"]["files"].items():
        assert f"(sha256 {digest[:16]}…)" in block
