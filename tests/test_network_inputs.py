"""Networks of spaces (issue 16): ``cop.diagnose(by="space")``, ``--add FILE@space=NAME``,
``cop report --by space --previous``, and the bad input of the issue.

The fixture ``tests/fixtures/network`` is the four-space network of ``examples/generate_network.py``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path, PureWindowsPath

import pandas as pd
import pytest
from _json_compare import same_json
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.exceptions import ConfigError, DataError, DataWarning, FileFormatError
from cop.io import parse_add, read_activities_many
from cop.report.network import read_previous_network

FIX = Path(__file__).parent / "fixtures" / "network"
WINDOW = dict(lookback=200)


def quiet(f, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return f(*a, **k)


@pytest.fixture(scope="module")
def log():
    return quiet(cop.read_activities, FIX / "activities.csv", members=FIX / "members.csv")


def without_sources(data):
    """A network dict without the ``source`` names (they name the input files, which differ on purpose)."""
    if isinstance(data, dict):
        return {k: without_sources(v) for k, v in data.items() if k != "source"}
    if isinstance(data, list):
        return [without_sources(v) for v in data]
    if isinstance(data, str) and ": " in data:          # a note starts with the source's name
        return data.split(": ", 1)[1]
    return data


def same(a, b, path="$") -> None:
    """Equal JSON-like values, floats to 1e-12 relative (sums over rows in another order differ in the last bits)."""
    same_json(a, b, rel=1e-12, abs_=1e-15, path=path)


# --------------------------------------------------------------------------- cop.diagnose(by="space")
def test_diagnose_by_space_is_diagnose_network(log):
    nd = quiet(cop.diagnose, log, by="space", spaces=FIX / "spaces.csv", **WINDOW)
    want = quiet(cop.diagnose_network, log, FIX / "spaces.csv", **WINDOW)
    assert isinstance(nd, cop.NetworkDiagnosis)
    assert nd.to_dict() == want.to_dict()
    assert sorted(nd.diagnoses) == ["bergen", "oslo", "tromso", "trondheim"]
    assert nd.summary["bridges"] == ["bergen"] and nd.summary["cut_off"] == ["tromso"]


def test_diagnose_by_space_passes_the_options_on(log):
    nd = quiet(cop.diagnose, log, by="space", lookback=120, naming="2002", agreement=False)
    d = nd.diagnoses["oslo"]
    assert nd.lookback == 120 and d.lookback == 120 and d.naming == "2002" and d.agreement.empty


def test_diagnose_by_space_bad_input_is_one_clear_error():
    with pytest.raises(DataError, match="the log has no 'space' column; diagnosing by space needs one"):
        cop.diagnose(cop.load_example(), by="space")
    with pytest.raises(ConfigError, match="parameter 'by': expected 'space' or None, got 'city'"):
        cop.diagnose(cop.load_example(), by="city")
    with pytest.raises(ConfigError, match="parameter 'spaces': a spaces table is used only with by='space'"):
        cop.diagnose(cop.load_example(), spaces=FIX / "spaces.csv")


# --------------------------------------------------------------------------- --add FILE[:PRESET]@space=NAME
def test_parse_add_space_suffix():
    assert parse_add("bergen.csv:nexudus-checkins@space=bergen") == (Path("bergen.csv"), "nexudus-checkins", {"space": "bergen"})
    assert parse_add("bergen.csv@space=Bergen Brygge") == (Path("bergen.csv"), None, {"space": "Bergen Brygge"})
    # Windows paths: the drive's colon and the backslashes stay in the path
    path, preset, cols = parse_add(r"C:\data\bergen.csv:nexudus-checkins@space=bergen")
    assert str(path) == r"C:\data\bergen.csv" and preset == "nexudus-checkins" and cols == {"space": "bergen"}
    assert parse_add(r"C:\data\bergen.csv") == (Path(r"C:\data\bergen.csv"), None)
    # a folder named like the suffix is still a path; an "@" of a file name is no suffix
    assert parse_add(r"D:\x@space=y\log.csv") == (Path(r"D:\x@space=y\log.csv"), None)
    assert parse_add("ann@example.csv") == (Path("ann@example.csv"), None)
    assert PureWindowsPath(str(parse_add(r"C:\a b\c.csv@space=oslo")[0])).name == "c.csv"
    with pytest.raises(ConfigError, match="names no space around '@space='"):
        parse_add("bergen.csv@space=")
    with pytest.raises(ConfigError, match="names no file around '@space='"):
        parse_add("@space=bergen")


def _split_fixture(tmp_path: Path) -> dict[str, Path]:
    """The fixture's rows as one file per space, without the space column (as each space's own export)."""
    frame = pd.read_csv(FIX / "activities.csv")
    out = {}
    for name, part in frame.groupby("space", sort=False):
        out[name] = tmp_path / f"{name}.csv"
        part.drop(columns="space").to_csv(out[name], index=False)
    return out


def test_read_activities_many_gives_each_input_its_space(tmp_path):
    files = _split_fixture(tmp_path)
    names = list(files)
    inputs = [(files[names[0]], None, {"space": names[0]}), *[(files[n], None, {"space": n}) for n in names[1:]]]
    log = quiet(read_activities_many, inputs, members=FIX / "members.csv")
    got = log.data.groupby(["source", "space"], observed=True).size()
    frame = pd.read_csv(FIX / "activities.csv")
    assert {s: n for (src, s), n in got.items() if src == f"{s}.csv"} == frame["space"].value_counts().to_dict()
    assert len(got) == len(names)          # every row of a file in that file's space only
    with pytest.raises(ConfigError, match=r"is not a path, a \(path, preset\) pair or a \(path, preset, columns\) triple"):
        read_activities_many([(files[names[0]], None, "oslo")])


def test_cli_add_with_a_space_per_file_is_the_network_of_one_file(tmp_path):
    files = _split_fixture(tmp_path)
    first, *rest = files
    args = ["diagnose", str(files[first]), "--set", f"space={first}"]
    for name in rest:
        args += ["--add", f"{files[name]}@space={name}"]
    common = ["-m", str(FIX / "members.csv"), "--by", "space", "--spaces", str(FIX / "spaces.csv"), "--lookback", "200",
              "--format", "json"]
    r = CliRunner().invoke(app, args + common)
    assert r.exit_code == 0, r.output
    r0 = CliRunner().invoke(app, ["diagnose", str(FIX / "activities.csv"), *common])
    assert r0.exit_code == 0, r0.output
    got, want = json.loads(r.stdout), json.loads(r0.stdout)
    assert sorted(got["diagnoses"]) == ["bergen", "oslo", "tromso", "trondheim"]
    same(without_sources(got), without_sources(want))


# --------------------------------------------------------------------------- --previous with --by space
def test_cli_report_by_space_previous_from_json_and_from_folder(tmp_path):
    base = [str(FIX / "activities.csv"), "-m", str(FIX / "members.csv"), "--by", "space", "--spaces", str(FIX / "spaces.csv")]
    r = CliRunner().invoke(app, ["diagnose", *base, "--as-of", "2024-05-01", "--lookback", "90", "--format", "json",
                                 "-o", str(tmp_path / "april.json")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["report", *base, "--as-of", "2024-05-01", "--lookback", "90", "-o", str(tmp_path / "april")])
    assert r.exit_code == 0, r.output
    before = read_previous_network(tmp_path / "april.json")
    assert read_previous_network(tmp_path / "april") == before       # the folder's pages embed the same diagnoses
    assert sorted(before) == ["bergen", "oslo", "tromso", "trondheim"] and before["oslo"]["as_of"].startswith("2024-05-01")
    for previous in ("april.json", "april"):
        out = tmp_path / f"june-{previous}"
        r = CliRunner().invoke(app, ["report", *base, "--lookback", "90", "-o", str(out), "--previous", str(tmp_path / previous)])
        assert r.exit_code == 0, r.output
        assert "compared 4 space(s) with their previous diagnosis" in r.output
        for name in before:
            page = (out / f"space-{name}.html").read_text()
            assert "against the previous one (as of 2024-05-01)" in page, name


def test_previous_with_by_space_is_a_network_diagnosis(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(cop.diagnose(cop.load_example()).to_json())
    with pytest.raises(FileFormatError, match="is the diagnosis of one community, not of a network of spaces"):
        read_previous_network(one)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileFormatError, match="is a folder without index.html"):
        read_previous_network(tmp_path / "empty")
    r = CliRunner().invoke(app, ["report", str(FIX / "activities.csv"), "--by", "space", "-o", str(tmp_path / "net"),
                                 "--previous", str(one)])
    assert r.exit_code == 1 and "is the diagnosis of one community" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "net").exists()          # it stops before anything is diagnosed or written


# --------------------------------------------------------------------------- bad input of the issue
def test_home_space_not_in_the_spaces_table_is_kept_and_counted():
    frame = pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": ["ann", "bo", "ann", "cy"],
                          "timestamp": ["2024-01-02", "2024-01-02", "2024-01-09", "2024-01-09"], "space": ["oslo"] * 4})
    members = pd.DataFrame({"member_id": ["ann", "bo", "cy"], "home_space": ["narvik", "bodo", ""]})
    log = cop.ActivityLog.from_frame(frame, members, emit_warnings=False)
    with pytest.warns(DataWarning) as caught:
        nd = cop.diagnose_network(log, pd.DataFrame({"space_id": ["oslo"]}), lookback=30, agreement=False)
    assert any("2 member(s) have a home_space that is not in the spaces table" in str(w.message) for w in caught)
    m = nd.members.set_index("member_id")
    # kept and shown, but narvik is no space of the network: no visits, and no ties inside or across
    assert m.loc["ann", "home_space"] == "narvik" and m.loc["ann", "visits"] == 0
    assert m.loc["cy", "home_space"] == "oslo" and m.loc["cy", "home_from"] == "participations"   # empty cell: from the rows
    oslo = nd.spaces.set_index("space_id").loc["oslo"]
    assert oslo["home_members"] == 1 and oslo["ties_inside"] == 0 and oslo["ties_across"] == 0


def test_a_member_who_never_took_part_has_no_home_space():
    frame = pd.DataFrame({"activity_id": ["a", "a"], "member_id": ["ann", "bo"], "timestamp": ["2024-01-02"] * 2,
                          "space": ["oslo", "oslo"]})
    members = pd.DataFrame({"member_id": ["ann", "bo", "dan"]})
    log = cop.ActivityLog.from_frame(frame, members, emit_warnings=False)
    h = cop.network.home_spaces(log)
    assert h.loc["dan", "home_space"] is None and h.loc["dan", "home_from"] is None
    nd = cop.diagnose_network(log, lookback=30, agreement=False, emit_warnings=False)
    assert int(nd.spaces.set_index("space_id").loc["oslo", "home_members"]) == 2
