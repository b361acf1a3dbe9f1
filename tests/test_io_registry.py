"""The reader registry: one entry per reader, chosen by format or by what the path is; the CLI's shared input options."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import cop.io
from cop._locate import Source
from cop.exceptions import ConfigError, FileFormatError
from cop.io import Reader, reader_for, readers, register_reader
from cop.io import registry as _registry


@pytest.fixture
def scratch_registry(monkeypatch):
    monkeypatch.setattr(_registry, "_READERS", dict(_registry._READERS))


@pytest.mark.parametrize("name,fmt", [("a.csv", "csv"), ("A.TSV", "csv"), ("a.txt", "csv"), ("a.csv.gz", "csv"),
                                      ("a.parquet", "parquet"), ("a.pq", "parquet"), ("a.jsonl", "jsonl"),
                                      ("a.ndjson.gz", "jsonl"), ("a.json", "jsonl")])
def test_endings(name, fmt):
    assert reader_for(name).name == fmt
    assert cop.io.detect_format(name) == fmt


def test_a_folder_is_matched_by_what_it_is(tmp_path):
    assert reader_for(tmp_path).name == "folder"
    with pytest.raises(FileFormatError, match="is a folder without activities.csv"):
        cop.io.read_activities(tmp_path)


def test_unknown_ending_and_format():
    with pytest.raises(FileFormatError, match=r"unknown file type '.docx'; expected one of .*\.csv, .tsv, .txt, .parquet, .pq, .jsonl, .ndjson, .json, .xlsx.* \(optionally .gz\)"):
        reader_for("export.docx")
    with pytest.raises(ConfigError, match=r"parameter 'format': 'xlsx' is not one of csv, parquet, jsonl, spreadsheet$"):
        cop.io.read_table("export.csv", format="xlsx")


def test_a_new_reader_is_one_entry(tmp_path, scratch_registry):
    """A toy reader for ``.pipe`` files (``|``-separated) plugs in without touching the loaders."""

    def read_pipe(path, timestamps=None):
        lines = path.read_text().splitlines()
        return pd.DataFrame([r.split("|") for r in lines[1:]], columns=lines[0].split("|")), Source.file(path, "csv")

    register_reader(Reader(name="pipe", read=read_pipe, suffixes=(".pipe",)))
    p = tmp_path / "log.pipe"
    p.write_text("activity_id|member_id|timestamp\ne1|ann|2024-01-01\ne1|bo|2024-01-01\n")
    log = cop.io.read_activities(p)
    assert log.n_members == 2 and "pipe" in readers()
    assert reader_for(p).name == "pipe" and cop.io.detect_format(p) == "pipe"


def test_a_name_or_ending_cannot_be_registered_twice(scratch_registry):
    with pytest.raises(ConfigError, match="already registered"):
        register_reader(Reader(name="csv", read=lambda p: None))
    with pytest.raises(ConfigError, match=r"ending\(s\) .csv already belong to 'csv'"):
        register_reader(Reader(name="csv2", read=lambda p: None, suffixes=(".csv",)))


def test_public_names_keep_working():
    from cop.io import LOG_FILES, read_activities, read_table, write_csv, write_log  # noqa: F401

    assert cop.read_activities is cop.io.read_activities and cop.write_log is cop.io.write_log
    assert LOG_FILES["activities"] == "activities.csv"


# ------------------------------------------------------------------ CLI: one set of input options
def test_every_data_command_has_the_shared_input_options():
    import typer.main

    from cop.cli.app import app

    click_app = typer.main.get_command(app)
    expected = {"--members", "--activities", "--map", "--member-map", "--tz"}
    for name in ("validate", "graph", "diagnose", "report"):
        cmd = click_app.commands[name]
        opts = {o for p in cmd.params for o in p.opts}
        assert expected <= opts, (name, expected - opts)
        assert [p.name for p in cmd.params if p.param_type_name == "argument"] == ["activities"], name


def test_input_options_come_in_one_object(tmp_path):
    from typer.testing import CliRunner

    from cop.cli.app import app

    p = tmp_path / "log.csv"
    p.write_text("Activity,Email,When\ne1,ann,2024-01-01 09:00\ne1,bo,2024-01-01 09:00\n")
    r = CliRunner().invoke(app, ["validate", str(p), "--map", "activity_id=Activity", "--map", "member_id=Email",
                                 "--map", "timestamp=When", "--tz", "Europe/Helsinki", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert '"start": "2024-01-01T07:00:00+00:00"' in r.output
    r = CliRunner().invoke(app, ["validate", str(p), "--map", "member_id"])
    assert r.exit_code == 1 and "option '--map': 'member_id' is not of the form COLUMN=HEADER" in r.output


def test_input_options_decorator_keeps_the_other_parameters():
    from cop.cli.common import InputOptions, input_options

    @input_options
    def cmd(inputs: InputOptions, n: int = 3) -> tuple:
        return inputs, n

    params = inspect.signature(cmd).parameters
    assert list(params)[-1] == "n" and params["tz"].default == "UTC"
    inputs, n = cmd(activities="x.csv", members=None, details=None, map=["a=b"], member_map=None, tz="UTC", n=5)
    assert inputs.map == ("a=b",) and n == 5
