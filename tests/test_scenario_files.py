"""Scenario files are read safely: size cap, regular files only, UTF-8 (BOM accepted), bounded nesting,
``extends`` only to library names or files beside the scenario, cycles and long chains refused."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cop.cli.simulate_cmd import register
from cop.exceptions import ConfigError
from scenarios import MAX_EXTENDS, MAX_SCENARIO_BYTES, load_scenario, read_scenario_dict

runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_a_file_beside_or_below_the_scenario(tmp_path):
    write(tmp_path / "base.toml", 'extends = "baseline_coworking"\n[manager]\nhours_per_week = 12\n')
    write(tmp_path / "parts" / "events.toml", '[events]\ncadence_days = 9\n')
    top = write(tmp_path / "top.toml", 'extends = "base.toml"\n[space]\nyears = 1.0\n')
    sc = load_scenario(top)
    assert (sc.manager.hours_per_week, sc.space.years) == (12, 1.0)
    assert load_scenario(write(tmp_path / "ev.toml", 'extends = "parts/events.toml"\n')).events.cadence_days == 9


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/hostname", "baseline_coworking.txt", "no_such_library_name"])
def test_extends_that_is_neither_a_library_name_nor_a_toml_file(tmp_path, target):
    f = write(tmp_path / "s.toml", f'extends = "{target}"\n')
    with pytest.raises(ConfigError, match=rf"scenario '{f}': 'extends' = '{target}' is not a library scenario \("):
        read_scenario_dict(f)


def test_extends_outside_the_scenario_folder_needs_an_allowed_folder(tmp_path):
    shared = write(tmp_path / "shared" / "base.toml", '[manager]\nhours_per_week = 33\n')
    f = write(tmp_path / "mine" / "s.toml", 'extends = "../shared/base.toml"\n')
    with pytest.raises(ConfigError, match=r"'extends' = '../shared/base.toml' lies outside the scenario's folder") as exc:
        load_scenario(f)
    assert "allow_dirs" in exc.value.hint
    absolute = write(tmp_path / "mine" / "abs.toml", f'extends = "{shared}"\n')
    with pytest.raises(ConfigError, match="lies outside the scenario's folder"):
        load_scenario(absolute)
    assert load_scenario(f, allow_dirs=[tmp_path / "shared"]).manager.hours_per_week == 33
    assert load_scenario(absolute, allow_dirs=[str(tmp_path / "shared")]).manager.hours_per_week == 33


def test_a_symlink_beside_the_scenario_is_judged_by_its_target(tmp_path):
    outside = write(tmp_path / "elsewhere" / "base.toml", '[manager]\nhours_per_week = 33\n')
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "base.toml").symlink_to(outside)
    f = write(tmp_path / "mine" / "s.toml", 'extends = "base.toml"\n')
    with pytest.raises(ConfigError, match="lies outside the scenario's folder"):
        load_scenario(f)


HOSTILE = textwrap.dedent(
    """
    import os, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))  # reading /dev/zero for ever fails fast
    from cop.exceptions import ConfigError
    from scenarios import load_scenario
    d = sys.argv[1]
    os.symlink("/dev/zero", os.path.join(d, "zero.toml"))
    os.mkfifo(os.path.join(d, "fifo.toml"))
    for name, text in [("dev.toml", 'extends = "/dev/zero.toml"'), ("link.toml", 'extends = "zero.toml"'),
                       ("pipe.toml", 'extends = "fifo.toml"')]:
        with open(os.path.join(d, name), "w") as fh:
            fh.write(text + "\\n")
    for target in ["dev.toml", "link.toml", "pipe.toml", "/dev/zero", "fifo.toml", "zero.toml"]:
        try:
            load_scenario(os.path.join(d, target))
            print(target, "LOADED")
        except ConfigError as exc:
            print(target, "ConfigError", exc)
        except BaseException as exc:
            print(target, "RAW", type(exc).__name__)
    """
)


def test_devices_fifos_and_links_to_them_are_refused(tmp_path):
    proc = subprocess.run([sys.executable, "-c", HOSTILE, str(tmp_path)], capture_output=True, text=True, timeout=60)
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert lines["dev.toml"].startswith("ConfigError") and "lies outside the scenario's folder" in lines["dev.toml"]
    assert lines["link.toml"].startswith("ConfigError") and "lies outside the scenario's folder" in lines["link.toml"]
    assert lines["pipe.toml"].startswith("ConfigError") and "not a regular file" in lines["pipe.toml"]
    for top in ("/dev/zero", "fifo.toml", "zero.toml"):
        assert lines[top].startswith("ConfigError") and "not a regular file" in lines[top], lines[top]


def test_size_cap(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"# padding\n" * (MAX_SCENARIO_BYTES // 10 + 1))
    with pytest.raises(ConfigError, match=rf"scenario '{big}': 1,048,58\d bytes, more than the 1,048,576"):
        load_scenario(big)
    ok = tmp_path / "ok.toml"
    ok.write_bytes(b"# padding\n" * (MAX_SCENARIO_BYTES // 10 - 3) + b"[space]\nyears = 1.0\n")  # just under
    assert load_scenario(ok).space.years == 1.0


@pytest.mark.parametrize("payload, bad", [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\x89"),
                                          (b"[space]\nname = 'caf\xe9'\n", b"\xe9")])
def test_binary_or_not_utf8_files(tmp_path, payload, bad):
    f = tmp_path / "b.toml"
    f.write_bytes(payload)
    with pytest.raises(ConfigError, match=rf"scenario '{f}': not UTF-8 text \(byte {payload.index(bad)} is 0x{bad.hex()}\)"):
        load_scenario(f)


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.toml"
    f.write_bytes("\ufeff# Windows editor\n[manager]\nhours_per_week = 21\n".encode("utf-8"))
    assert load_scenario(f).manager.hours_per_week == 21
    base = tmp_path / "base.toml"
    base.write_bytes('\ufeffextends = "baseline_coworking"\n[space]\nyears = 2.0\n'.encode("utf-8"))
    top = write(tmp_path / "top.toml", 'extends = "base.toml"\n')
    assert load_scenario(top).space.years == 2.0


@pytest.mark.parametrize("shape", ["header", "dotted", "inline", "array"])
def test_5000_deep_nesting_is_one_config_error(tmp_path, shape):
    n = 5000
    text = {
        "header": "[" + ".".join(["a"] * n) + "]\nx = 1\n",
        "dotted": ".".join(["a"] * n) + " = 1\n",
        "inline": "a = " + "{a = " * n + "1" + "}" * n + "\n",
        "array": "a = " + "[" * n + "1" + "]" * n + "\n",
    }[shape]
    f = write(tmp_path / "deep.toml", text)
    with pytest.raises(ConfigError, match=rf"scenario '{f}': tables or arrays nested more than 16 deep"):
        load_scenario(f)
    # the bundled schema nests 2 levels ([[interventions]]): well inside the bound
    write(tmp_path / "iv.toml", '[[interventions]]\nname = "theme"\nfit = 0.5\n')
    assert load_scenario(tmp_path / "iv.toml").interventions[0].fit == 0.5


def test_extends_cycles_name_the_files(tmp_path):
    a = write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    b = write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ConfigError, match="'extends' forms a cycle") as exc:
        load_scenario(a)
    msg = str(exc.value)
    assert f"{a.resolve()} -> {b.resolve()} -> {a.resolve()}" in msg
    me = write(tmp_path / "me.toml", 'extends = "me.toml"\n')
    with pytest.raises(ConfigError, match=rf"cycle: {me.resolve()} -> {me.resolve()}"):
        load_scenario(me)


def test_long_extends_chains_are_refused(tmp_path):
    for i in range(MAX_EXTENDS + 3):
        write(tmp_path / f"s{i}.toml", f'extends = "s{i + 1}.toml"\n' if i < MAX_EXTENDS + 2 else "[space]\nyears = 1.0\n")
    with pytest.raises(ConfigError, match=f"more than {MAX_EXTENDS} levels of 'extends'"):
        load_scenario(tmp_path / "s0.toml")
    assert load_scenario(tmp_path / "s3.toml").space.years == 1.0  # 15 levels: fine


def test_extends_must_be_a_string(tmp_path):
    f = write(tmp_path / "s.toml", "extends = 3\n")
    with pytest.raises(ConfigError, match=rf"scenario '{f}': key 'extends' must be a scenario name or a .toml path"):
        load_scenario(f)


def test_cli_reports_a_bad_scenario_file_in_one_line(tmp_path):
    app = typer.Typer()
    register(app)
    f = tmp_path / "bin.toml"
    f.write_bytes(bytes(range(256)))
    res = runner.invoke(app, ["simulate", str(f), "-o", str(tmp_path / "out"), "--no-progress"])
    assert res.exit_code == 1
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "not UTF-8 text" in res.output and "Traceback" not in res.output
    deep = write(tmp_path / "deep.toml", "a = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n")
    res = runner.invoke(app, ["experiment", str(deep), "-o", str(tmp_path / "e.csv"), "--no-progress"])
    assert res.exit_code == 1 and "nested more than 16 deep" in res.output and "Traceback" not in res.output


def test_a_folder_is_not_a_scenario(tmp_path):
    (tmp_path / "folder.toml").mkdir()
    for target in (tmp_path, tmp_path / "folder.toml"):
        with pytest.raises(ConfigError, match=rf"scenario '{target}': not a regular file"):
            load_scenario(target)
