"""The command line keeps its promise: flags shown as flags, ACTIVITIES in usage lines, one-line usage errors
with exit code 1, shared analysis options, required arguments shown as required, each message once."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cop.cli import app, main
from cop.cli.common import AnalysisOptions
from cop.datasets import example_paths

runner = CliRunner()


def _help(*command: str) -> str:
    result = runner.invoke(app, [*(c for c in command if c), "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["", "validate", "graph", "diagnose", "report", "demo", "simulate", "experiment"])
def test_flags_take_no_value_in_help(command):
    out = _help(command)
    assert "<bool>" not in out
    assert not command or "--debug" in out


@pytest.mark.parametrize("command", ["validate", "graph", "diagnose", "report"])
def test_usage_line_names_the_argument_in_capitals(command):
    out = _help(command)
    assert f"Usage: cop {command} [OPTIONS] ACTIVITIES" in " ".join(out.split())
    assert "{activities}" not in out


def test_simulate_shows_scenario_and_output_as_required():
    out = " ".join(_help("simulate").split())
    assert "Usage: cop simulate [OPTIONS] SCENARIO" in out
    assert out.count("[required]") == 2  # SCENARIO and --output


def test_simulate_list_needs_no_scenario():
    result = runner.invoke(app, ["simulate", "--list"])
    assert result.exit_code == 0
    assert "baseline_coworking" in result.output


@pytest.mark.parametrize("argv, expected", [
    (["diagnose", "--bogus"], "error: No such option: --bogus"),
    (["diagnose"], "error: Missing argument 'ACTIVITIES'."),
    (["diagnose", "x.csv", "--method", "foo"], "error: Invalid value for '--method': 'foo' is not one of"),
    (["nonsense"], "error: No such command 'nonsense'."),
    (["simulate", "baseline_coworking"], "error: Missing option '--output'"),
])
def test_usage_errors_are_one_line_and_exit_1(argv, expected, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 2, err  # the error, and a hint to --help
    assert lines[0].startswith(expected)
    assert lines[1].startswith("hint: see 'cop") and lines[1].endswith("--help'")


def test_console_script_exit_code_in_a_subprocess():
    done = subprocess.run([sys.executable, "-m", "cop.cli", "graph", "--zzqx"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("error: No such option: --zzqx")
    assert "Traceback" not in done.stderr


def test_main_returns_the_command_exit_code(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("cop ")
    with pytest.raises(SystemExit) as info:
        main(["validate", "no-such-file.csv"])
    assert info.value.code == 1


@pytest.mark.parametrize("command", ["diagnose", "report"])
def test_report_and_diagnose_share_the_analysis_options(command):
    out = _help(command)
    for option in ("--as-of", "--lookback", "--freq", "--method", "--naming", "--min-tie", "--presence-weight"):
        assert option in out, (command, option)


def test_graph_lookback_cuts_the_window(tmp_path):
    p = example_paths()
    whole, recent = tmp_path / "whole.csv", tmp_path / "recent.csv"
    for out, extra in ((whole, []), (recent, ["--lookback", "30"])):
        result = runner.invoke(app, ["graph", str(p["activities"]), "-m", str(p["members"]), "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
    import pandas as pd

    import cop

    log = cop.load_example()
    end = log.end.normalize() + pd.Timedelta(days=1)
    expected = cop.interaction_graph(log, start=end - pd.Timedelta(days=30), end=end)
    assert len(pd.read_csv(recent)) == expected.n_edges
    assert expected.n_edges < len(pd.read_csv(whole))
    both = runner.invoke(app, ["graph", str(p["activities"]), "--start", "2024-01-01", "--lookback", "3", "-o",
                               str(tmp_path / "x.csv")])
    assert both.exit_code == 1 and "'--start' and '--lookback'" in both.output


def test_presence_weight_and_min_tie_reach_the_diagnosis(tmp_path):
    p = example_paths()
    import json

    import cop

    out = tmp_path / "d.json"
    result = runner.invoke(app, ["diagnose", str(p["activities"]), "-m", str(p["members"]), "-a", str(p["details"]),
                                 "--format", "json", "-o", str(out),
                                 "--presence-weight", "0.2", "--min-tie", "0.5", "--method", "network"])
    assert result.exit_code == 0, result.output
    direct = cop.diagnose(cop.load_example(), presence_weight=0.2, min_tie=0.5, method="network")
    assert json.loads(out.read_text())["phase"] == direct.phase
    assert AnalysisOptions(presence_weight=0.2).diagnose_kwargs()["presence_weight"] == 0.2


def test_each_message_printed_once():
    result = runner.invoke(app, ["experiment", "baseline_coworking", "--sweep", "manager.foo=1,2", "-o", "x.csv"])
    assert result.exit_code == 1
    assert result.output.count("allowed keys") == 1, result.output


def test_gitignore_covers_the_demo_folder():
    from pathlib import Path

    lines = (Path(__file__).parents[1] / ".gitignore").read_text().split()
    assert "/cop-demo/" in lines or "cop-demo/" in lines
