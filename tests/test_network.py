"""Networks of spaces (issue 16): the space column, the spaces table, home spaces, the network diagnosis.

The fixture ``tests/fixtures/network`` is built by ``examples/generate_network.py``, whose docstring
works out the answers checked here (who visits where, which space is cut off and which bridges).
"""

from __future__ import annotations

import json
import warnings
from importlib.resources import files
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest
from _json_compare import same_json
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.exceptions import DataError, DataWarning, SchemaError, ValueFormatError
from cop.network import benchmark_table, home_spaces, normalize_spaces, read_spaces, space_logs

FIX = Path(__file__).parent / "fixtures" / "network"
SCHEMA = json.loads((files("cop") / "schemas" / "network.schema.json").read_text())
DIAGNOSIS_SCHEMA = json.loads((files("cop") / "schemas" / "diagnosis.schema.json").read_text())
WINDOW = dict(lookback=200)  # the whole half year of the fixture


@pytest.fixture(scope="module")
def log():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.read_activities(FIX / "activities.csv", members=FIX / "members.csv")


@pytest.fixture(scope="module")
def nd(log):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.diagnose_network(log, FIX / "spaces.csv", **WINDOW)


def same(a, b, path="$") -> None:
    """Equal JSON-like values, floats to 1e-12 relative (sums in another id order differ in the last bits)."""
    same_json(a, b, rel=1e-12, abs_=1e-15, path=path)


def rows(**cols):
    n = len(next(iter(cols.values())))
    base = {"activity_id": [f"a{i}" for i in range(n)], "timestamp": ["2024-01-01"] * n}
    base.update(cols)
    return cop.ActivityLog.from_frame(pd.DataFrame(base), emit_warnings=False)


# --------------------------------------------------------------------------- the fixture's answers
def test_home_spaces_of_the_fixture(nd):
    m = nd.members.set_index("member_id")
    assert m.loc["o01", "home_space"] == "oslo" and m.loc["b03", "home_space"] == "bergen"
    # n01: two rows in bergen, two in oslo; the first was in bergen (week 5, before oslo's week 7)
    assert m.loc["n01", "home_space"] == "bergen" and m.loc["n01", "home_from"] == "tie: first visited"
    assert (m["home_from"] == "tie: first visited").sum() == 1


def test_visits_of_the_fixture(nd):
    m = nd.members.set_index("member_id")
    assert m["visits"][m["visits"] > 0].to_dict() == {"o01": 4, "b03": 3, "b02": 2, "n01": 2, "t01": 1}
    assert nd.summary["visits"] == 12 and nd.summary["visitors"] == 5 and nd.summary["multi_space_people"] == 5
    s = nd.spaces.set_index("space_id")
    assert s["visits_in"].to_dict() == {"oslo": 4, "bergen": 5, "trondheim": 3, "tromso": 0}
    assert s["visits_out"].to_dict() == {"oslo": 4, "bergen": 7, "trondheim": 1, "tromso": 0}


def test_bridge_and_cut_off_of_the_fixture(nd):
    links = nd.links.set_index(["space_a", "space_b"])
    assert links.loc[("oslo", "bergen"), "shared_members"] == 3      # o01, b02, n01
    assert links.loc[("bergen", "trondheim"), "shared_members"] == 2  # b03, t01
    assert links.loc[("oslo", "trondheim"), "connections"] == 0
    assert links.loc[("oslo", "bergen"), "ties"] >= 1 and links.loc[("bergen", "trondheim"), "ties"] >= 1  # the two intros
    s = nd.spaces.set_index("space_id")
    assert nd.summary["bridges"] == ["bergen"] and nd.summary["cut_off"] == ["tromso"]
    assert s.loc["bergen", "betweenness"] == pytest.approx(1 / 3)     # on the one path oslo-trondheim of 3 pairs
    assert s.loc["tromso", ["ties_across", "shared_people", "linked_spaces"]].tolist() == [0, 0, 0]
    assert nd.summary["components"] == 2 and s["component"].to_dict() == {"oslo": 1, "bergen": 1, "trondheim": 1, "tromso": 2}


def test_shared_streamed_event(nd):
    ev = nd.shared_events
    assert ev["activity_id"].tolist() == ["summit-2024-04-10"]
    assert ev["spaces"].iloc[0] == ("oslo", "bergen", "trondheim", "tromso")
    assert ev["participants"].iloc[0] == 4 + 6 + 5 + 4 + 3             # managers + the first half of each space
    assert (nd.links["shared_events"] == 1).all() and len(nd.links) == 6
    assert nd.spaces["shared_events"].tolist() == [1, 1, 1, 1]


def test_spaces_table_attributes_and_managers(nd):
    s = nd.spaces.set_index("space_id")
    assert s.loc["bergen", "name"] == "Bergen Brygge Cowork" and s.loc["oslo", "seats"] == 60
    for name, d in nd.diagnoses.items():
        assert d.members.set_index("member_id").loc[f"m-{name}", "level"] == "coordinator"


def test_managers_from_the_spaces_table_alone():
    frame = pd.read_csv(FIX / "activities.csv")
    log = cop.ActivityLog.from_frame(frame, emit_warnings=False)
    sub = space_logs(log, read_spaces(FIX / "spaces.csv"))
    assert sub["oslo"].members.loc["m-oslo", "participant_type"] == "coordinator"
    assert sub["oslo"].members.loc["o02", "participant_type"] == "member"
    assert "b01" not in sub["oslo"].members.index                   # bergen's people are not in oslo's log


def test_each_space_is_its_ordinary_diagnosis(nd):
    """A space's diagnosis is cop.diagnose of its own rows and members (the same window), nothing else."""
    frame = pd.read_csv(FIX / "activities.csv")
    members = pd.read_csv(FIX / "members.csv")
    for name in ("bergen", "tromso"):
        own = frame[frame["space"] == name]
        log = cop.ActivityLog.from_frame(own, members[members["member_id"].isin(own["member_id"])], emit_warnings=False)
        want = cop.diagnose(log, as_of=nd.as_of, lookback=nd.lookback).to_dict()
        got = nd.diagnoses[name].to_dict()
        assert got.pop("source").endswith(f"[{name}]")
        want.pop("source")
        same(got, want)


def test_each_space_without_side_tables_equals_diagnose_of_its_rows():
    frame = pd.read_csv(FIX / "activities.csv")
    log = cop.ActivityLog.from_frame(frame, emit_warnings=False)
    nd = cop.diagnose_network(log, emit_warnings=False, **WINDOW)
    for name in ("oslo", "tromso"):
        own = cop.ActivityLog.from_frame(frame[frame["space"] == name], emit_warnings=False)
        want = cop.diagnose(own, as_of=nd.as_of, lookback=nd.lookback).to_dict()
        got = nd.diagnoses[name].to_dict()
        want.pop("source"), got.pop("source")
        same(got, want)


def test_json_follows_the_schema(nd):
    data = json.loads(nd.to_json())
    jsonschema.validate(data, SCHEMA)
    for d in data["diagnoses"].values():
        jsonschema.validate(d, DIAGNOSIS_SCHEMA)
    assert data["summary"]["bridges"] == ["bergen"]


def test_benchmark_quartiles(nd):
    b = nd.benchmark
    people = b[b["indicator"] == "people"].set_index("space")
    # people taking part in the window: oslo 15 (12 + manager + b02 + n01), bergen 14, trondheim 10 (8 + manager + b03), tromso 7
    assert people["value"].to_dict() == {"oslo": 15, "bergen": 14, "trondheim": 10, "tromso": 7}
    assert people["quartile"].to_dict() == {"oslo": 4, "bergen": 3, "trondheim": 2, "tromso": 1}
    assert people["network_median"].iloc[0] == 12.0
    assert set(b["indicator"]) >= set(nd.diagnoses["oslo"].indicators["name"])


def test_benchmark_gives_no_quartile_where_every_space_is_alike():
    v = pd.DataFrame({"space": list("abc"), "indicator": "x", "value": [0.0, 0.0, 0.0], "status": None})
    t = benchmark_table(v)
    assert t["quartile"].tolist() == [None] * 3 and t["rank"].tolist() == [None] * 3 and t["network_median"].tolist() == [0.0] * 3


def test_benchmark_table_with_missing_and_tied_values():
    v = pd.DataFrame({"space": list("abcde"), "indicator": "x", "value": [1.0, 1.0, np.nan, 3.0, 5.0], "status": None})
    t = benchmark_table(v).set_index("space")
    # values 1, 1, 3, 5: Q1 = 1, median 2, Q3 = 3.5
    assert t.loc["a", "network_median"] == 2.0 and t.loc["a", "network_q3"] == 3.5
    assert t["quartile"].to_dict() == {"a": 1, "b": 1, "c": None, "d": 3, "e": 4}
    assert t.loc["e", "rank"] == 1 and t.loc["a", "rank"] == 3 and t.loc["c", "n_spaces"] == 4


def test_activity_small_multiples_table(nd):
    a = nd.activity
    assert set(a["space"]) == {"oslo", "bergen", "trondheim", "tromso"}
    frame = pd.read_csv(FIX / "activities.csv")
    assert a.groupby("space")["participations"].sum().to_dict() == frame["space"].value_counts().to_dict()


# --------------------------------------------------------------------------- home-space rules
def test_home_space_from_the_members_table_makes_visits():
    frame = pd.DataFrame({"activity_id": ["a", "b", "c", "c"], "member_id": ["ann", "ann", "bo", "ann"],
                          "timestamp": ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-04"],
                          "space": ["oslo", "oslo", "bergen", "bergen"]})
    members = pd.DataFrame({"member_id": ["ann", "bo"], "home_space": ["bergen", ""]})
    log = cop.ActivityLog.from_frame(frame, members, emit_warnings=False)
    h = home_spaces(log)
    assert h.loc["ann"].tolist() == ["bergen", "members table", 1]
    assert h.loc["bo"].tolist() == ["bergen", "participations", 1]
    nd = cop.diagnose_network(log, lookback=30, emit_warnings=False, agreement=False)
    assert nd.members.set_index("member_id").loc["ann", "visits"] == 2   # her two oslo rows


def test_home_space_tie_at_the_same_instant_goes_alphabetically_and_no_space_means_no_home():
    log = rows(member_id=["ann", "ann", "bo", "cy"], space=["oslo", "bergen", "oslo", ""],
               timestamp=["2024-01-02"] * 4)
    notes = []
    h = home_spaces(log, notes=notes)
    assert h.loc["ann", "home_space"] == "bergen" and h.loc["ann", "home_from"] == "tie: first visited"
    assert h.loc["cy", "home_space"] is None and h.loc["cy", "home_from"] is None
    assert len(notes) == 1 and "1 member(s) took part equally often" in notes[0]


def test_home_space_counts_only_rows_before_as_of():
    log = rows(member_id=["ann"] * 3, space=["oslo", "bergen", "bergen"], timestamp=["2024-01-01", "2024-02-01", "2024-02-02"])
    assert home_spaces(log)["home_space"]["ann"] == "bergen"
    assert home_spaces(log, as_of="2024-01-15")["home_space"]["ann"] == "oslo"


# --------------------------------------------------------------------------- bad input
def test_no_space_column_is_one_clear_error():
    log = cop.load_example()
    with pytest.raises(DataError, match="the log has no 'space' column; diagnosing by space needs one"):
        cop.diagnose_network(log)
    with pytest.raises(DataError, match="column 'space': every row is empty"):
        cop.diagnose_network(rows(member_id=["a", "b"], space=["", ""]))


def test_space_not_in_the_spaces_table_warns_with_counts():
    log = rows(member_id=["a", "b", "c", "d"], space=["oslo", "tromso", "tromso", ""],
               timestamp=["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"])
    with pytest.warns(DataWarning) as caught:
        nd = cop.diagnose_network(log, pd.DataFrame({"space_id": ["oslo", "bergen"]}), lookback=30, agreement=False)
    text = [str(w.message) for w in caught]
    assert any("1 space value(s) are not in the spaces table: 'tromso' (2 rows)" in t for t in text)
    assert any("1 row(s) have no space" in t for t in text)
    assert any("bergen (no participation in the log)" in t for t in text)
    assert list(nd.diagnoses) == ["oslo", "tromso"] and nd.skipped == {"bergen": "no participation in the log"}
    assert nd.spaces["space_id"].tolist() == ["oslo", "bergen", "tromso"]   # the table's order, then the others
    assert nd.summary["people"] == 4 and nd.summary["people_without_home"] == 1


def test_spaces_table_errors_name_the_column_and_row():
    with pytest.raises(SchemaError, match="missing required column 'space_id'"):
        normalize_spaces(pd.DataFrame({"name": ["Oslo"]}))
    with pytest.raises(ValueFormatError, match=r"column 'seats': 1 value\(s\) that are not a number of seats at row 2 \(first: 'many'\)"):
        normalize_spaces(pd.DataFrame({"space_id": ["a", "b"], "seats": ["3", "many"]}))
    with pytest.raises(ValueFormatError, match="column 'space_id': 1 empty id"):
        normalize_spaces(pd.DataFrame({"space_id": ["a", ""]}))


def test_set_space_gives_one_file_its_space(tmp_path):
    p = tmp_path / "bergen.csv"
    p.write_text("activity_id,member_id,timestamp\na,x,2024-01-01\na,y,2024-01-01\n")
    log = cop.read_activities(p, set_columns={"space": "bergen"})
    assert log.data["space"].astype(str).tolist() == ["bergen", "bergen"]
    nd = cop.diagnose_network(log, lookback=30, agreement=False, emit_warnings=False)
    assert list(nd.diagnoses) == ["bergen"] and nd.summary["cut_off"] == []


def test_space_column_is_kept_only_when_given():
    assert "space" not in cop.load_example().data.columns
    log = rows(member_id=["a", "b"], space=[" oslo", "oslo"])
    assert log.data["space"].astype(str).tolist() == ["oslo", "oslo"]


# --------------------------------------------------------------------------- CLI and report
def test_cli_diagnose_by_space():
    r = CliRunner().invoke(app, ["diagnose", str(FIX / "activities.csv"), "-m", str(FIX / "members.csv"), "--by", "space",
                                 "--spaces", str(FIX / "spaces.csv"), "--lookback", "200"], terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "Bridges (the network falls apart without them): bergen" in r.output
    assert "Cut off (no shared people or ties with any other space): tromso" in r.output
    r = CliRunner().invoke(app, ["diagnose", str(FIX / "activities.csv"), "--by", "space", "--format", "json", "--lookback", "200"])
    assert r.exit_code == 0
    jsonschema.validate(json.loads(r.stdout), SCHEMA)


def test_cli_set_space_gives_a_file_its_space(tmp_path):
    p = tmp_path / "bergen.csv"
    p.write_text("activity_id,member_id,timestamp\na,x,2024-01-01\na,y,2024-01-01\nb,x,2024-01-08\n")
    r = CliRunner().invoke(app, ["diagnose", str(p), "--set", "space=bergen", "--by", "space", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [s["space_id"] for s in data["spaces"]] == ["bergen"] and list(data["diagnoses"]) == ["bergen"]


def test_cli_by_space_errors():
    p = cop.example_paths()["activities"]
    r = CliRunner().invoke(app, ["diagnose", str(p), "--by", "space"])
    assert r.exit_code == 1 and "the log has no 'space' column" in r.output and "Traceback" not in r.output
    assert "--set space=NAME" in r.output
    r = CliRunner().invoke(app, ["diagnose", str(FIX / "activities.csv"), "--spaces", str(FIX / "spaces.csv")])
    assert r.exit_code == 1 and "option '--spaces': a spaces table is read only with --by space" in r.output
    r = CliRunner().invoke(app, ["diagnose", str(FIX / "activities.csv"), "--by", "organization"])
    assert r.exit_code == 1 and "option '--by': expected space" in r.output
    r = CliRunner().invoke(app, ["report", str(FIX / "activities.csv"), "--by", "space", "-o", "net.html"])
    assert r.exit_code == 1 and "with --by space the report is a folder" in r.output


def test_cli_report_by_space_writes_one_offline_folder(tmp_path):
    out = tmp_path / "net"
    r = CliRunner().invoke(app, ["report", str(FIX / "activities.csv"), "-m", str(FIX / "members.csv"), "--by", "space",
                                 "--spaces", str(FIX / "spaces.csv"), "--lookback", "200", "-o", str(out),
                                 "--json", str(tmp_path / "net.json")])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["index.html", "plotly.min.js", "space-bergen.html", "space-oslo.html", "space-tromso.html",
                     "space-trondheim.html"]
    index = (out / "index.html").read_text()
    for name in ("oslo", "bergen", "trondheim", "tromso"):
        assert f'href="space-{name}.html"' in index
        page = (out / f"space-{name}.html").read_text()
        assert '<nav><a href="index.html">' in page and 'src="plotly.min.js"' in page
        assert page.count("<!DOCTYPE html>") == 1 and len(page) < 1_000_000   # plotly.js is not inlined again
    assert 'id="fig-space-graph"' in index and 'id="fig-activity"' in index and 'id="fig-benchmark"' in index
    assert "summit-2024-04-10" in index
    assert "http://" not in index.replace("http://www.w3.org", "") and "https://cdn" not in index
    jsonschema.validate(json.loads((tmp_path / "net.json").read_text()), SCHEMA)


def test_fixture_is_what_the_script_builds(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_network", Path(__file__).parents[1] / "examples" / "generate_network.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--out", str(tmp_path)])
    for name in ("activities.csv", "members.csv", "spaces.csv"):
        assert (tmp_path / name).read_bytes() == (FIX / name).read_bytes(), name
