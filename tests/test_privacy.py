"""Pseudonymization: stable keyed pseudonyms, and no original member id in any output."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.privacy import DEFAULT_SALT, Pseudonymizer, pseudonymize


def _original_ids_in(text: str, ids) -> list[str]:
    """Ids found as whole tokens (ids here are word characters and dashes)."""
    tokens = set(re.findall(r"[\w-]+", text))
    return sorted(set(map(str, ids)) & tokens)


def test_pseudonyms_are_stable_keyed_and_distinct():
    a, b = Pseudonymizer("k1"), Pseudonymizer("k1")
    assert a.member("m0001") == b.member("m0001")
    assert a.member("m0001") != Pseudonymizer("k2").member("m0001")
    assert re.fullmatch(r"p-[0-9a-f]{8}", a.member("m0001"))
    ids = [f"m{i:05d}" for i in range(5000)]
    short = Pseudonymizer("k1", length=4).mapping(ids)  # 16 bits: collisions certain, resolved by lengthening
    assert len(set(short.values())) == len(ids)


def test_salt_from_environment(monkeypatch):
    monkeypatch.delenv("COP_SALT", raising=False)
    assert Pseudonymizer().is_default_salt
    assert Pseudonymizer().member("x") == Pseudonymizer(DEFAULT_SALT).member("x")
    monkeypatch.setenv("COP_SALT", "from-env")
    assert Pseudonymizer().member("x") == Pseudonymizer("from-env").member("x")
    assert not Pseudonymizer().is_default_salt


def test_log_is_pseudonymized_everywhere(example_log):
    out = pseudonymize(example_log, salt="s")
    ids = set(example_log.members.index)
    assert not ids & set(out.data["member_id"].astype(str))
    assert not ids & set(out.members_table["member_id"].astype(str))
    assert not ids & set(out.activities_table["organizer"].dropna().astype(str))
    assert (out.members_table["name"].astype(str) == out.members_table["member_id"].astype(str)).all()
    # consistent: the same person has the same pseudonym in every table, and the structure is unchanged
    p = Pseudonymizer("s")
    assert set(out.activities_table["organizer"].dropna()) <= set(out.members_table["member_id"])
    assert p.member("m0001") in set(out.members_table["member_id"])
    assert len(out) == len(example_log) and out.n_members == example_log.n_members
    # one-person organizations (trade names with a person's name) are pseudonymized, teams are kept
    orgs = set(out.members_table["organization"].dropna())
    assert "Nordbank Digital" in orgs and not any(o.startswith("Tmi ") for o in orgs)
    # the input is untouched
    assert "m0001" in set(example_log.data["member_id"].astype(str))


def test_frames_and_graphs(small_log):
    g = cop.interaction_graph(small_log)
    pg = pseudonymize(g, "s")
    assert not {"ann", "bo"} & set(pg.nodes)
    assert pg.weight(Pseudonymizer("s").member("ann"), Pseudonymizer("s").member("bo")) == g.weight("ann", "bo")
    edges = pseudonymize(g.to_edges(), "s")
    assert not {"ann", "bo", "cy"} & (set(edges["source"]) | set(edges["target"]))
    with pytest.raises(cop.ConfigError):
        pseudonymize("ann", "s")


def test_graph_export_after_pseudonymized_log(small_log, tmp_path):
    path = cop.interaction_graph(pseudonymize(small_log, "s")).write(tmp_path / "g.graphml")
    text = path.read_text()
    assert _original_ids_in(text, ["ann", "bo", "cy", "dee", "eve", "fay", "gus"]) == []
    assert "Ann A." not in text


def test_simulation_summaries(tmp_path):
    from simulation import Scenario, run

    res = run(Scenario(space={"years": 0.1}, arrivals={"initial_members": 8}), seed=1)
    ids = set(res.log.members.index.astype(str))
    plog = pseudonymize(res.log, "s")
    written = cop.write_log(plog, tmp_path / "sim")
    text = "".join(p.read_text() for p in written.values())
    assert _original_ids_in(text, ids) == []


@pytest.mark.slow
def test_cli_report_and_json_hold_no_original_id(tmp_path, example_log):
    p = cop.example_paths()
    out, js = tmp_path / "r.html", tmp_path / "d.json"
    result = CliRunner().invoke(app, ["report", str(p["activities"]), "-m", str(p["members"]), "-a", str(p["details"]),
                                      "-o", str(out), "--json", str(js), "--pseudonymize", "--salt", "secret"])
    assert result.exit_code == 0, result.output
    ids = list(example_log.members.index)
    names = list(example_log.members_table["name"].astype(str))
    for path in (out, js):
        text = path.read_text(encoding="utf-8")
        assert _original_ids_in(text, ids) == [], path
        assert [n for n in names if n in text] == [], path
    assert Pseudonymizer("secret").member("m0001") in json.dumps(json.loads(js.read_text()))
    assert _original_ids_in(result.output, ids) == []


@pytest.mark.slow
def test_cli_demo_pseudonymized(tmp_path, example_log):
    result = CliRunner().invoke(app, ["demo", "-o", str(tmp_path), "--pseudonymize"])
    assert result.exit_code == 0, result.output
    ids = list(example_log.members.index)
    for name in ("report.html", "diagnosis.json"):
        assert _original_ids_in((tmp_path / name).read_text(encoding="utf-8"), ids) == []
    assert _original_ids_in(result.output, ids) == []
