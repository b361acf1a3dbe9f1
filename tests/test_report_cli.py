"""`cop report` and `cop demo` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import cop
from cop.cli import app

runner = CliRunner()


@pytest.mark.slow
def test_report_command_writes_html_and_json(tmp_path):
    p = cop.example_paths()
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(p["activities"]), "--members", str(p["members"]), "--activities",
                                 str(p["details"]), "--as-of", "2025-06-01", "-o", str(out), "--json", str(tmp_path / "d.json")])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.stat().st_size > 4_000_000
    assert "as of 2025-06-01" in out.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "d.json").read_text())["phase"]
    assert f"wrote {out}" in result.output


@pytest.mark.slow
def test_demo_writes_report_and_json(tmp_path):
    result = runner.invoke(app, ["demo", "-o", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / "report.html").exists()
    assert json.loads((tmp_path / "demo" / "diagnosis.json").read_text())["phase"]
    assert "report:" in result.output and "Recommendations" in result.output


def test_report_errors_are_one_line_with_exit_code_1(tmp_path):
    p = cop.example_paths()
    bad = runner.invoke(app, ["report", str(p["activities"]), "-o", str(tmp_path / "report.pdf")])
    assert bad.exit_code == 1
    assert "must end in .html" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(app, ["report", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "r.html")])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    broken = tmp_path / "broken.csv"
    broken.write_text("member_id,timestamp\nann,2024-01-01\n")
    result = runner.invoke(app, ["report", str(broken), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "error:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_report_previous_says_what_changed(tmp_path):
    p = cop.example_paths()
    files = [str(p["activities"]), "--members", str(p["members"]), "--activities", str(p["details"])]
    first = runner.invoke(app, ["report", *files, "--as-of", "2025-01-01", "-o", str(tmp_path / "january.html")])
    assert first.exit_code == 0, first.output
    # the previous report itself is enough: its diagnosis is embedded
    second = runner.invoke(app, ["report", *files, "-o", str(tmp_path / "july.html"), "--previous", str(tmp_path / "january.html")])
    assert second.exit_code == 0, second.output
    page = (tmp_path / "july.html").read_text(encoding="utf-8")
    assert 'id="changes"' in page and "Since 2025-01-01:" in page


def test_report_bad_previous_is_one_line(tmp_path):
    p = cop.example_paths()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a diagnosis")
    result = runner.invoke(app, ["report", str(p["activities"]), "-o", str(tmp_path / "r.html"), "--previous", str(notes)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{notes}: is not JSON" in " ".join(result.output.split())
    assert not (tmp_path / "r.html").exists()


def test_pseudonymized_report_names_no_file(tmp_path):
    p = cop.example_paths()
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(p["activities"]), "--members", str(p["members"]), "-o", str(out), "--pseudonymize"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "activities.csv" not in page and str(p["activities"].parent) not in page
