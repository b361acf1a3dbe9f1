"""The network diagnosis on a real history: the SocioPatterns high school (Thiers13), its classes as spaces.

The fixture (``tests/fixtures/validation/highschool``, pseudonymized) is the released contact list of
327 students in nine classes over five days: each row one 20-second face-to-face contact between two
students.  Read as a network of spaces, each student's rows are put in their class (their home
space), so a contact between two classes is one activity with participants in two spaces, as an
event streamed between two coworking spaces.  The right answers are counted here from the raw rows
with pandas and networkx, independently of cop: how many contacts and distinct pairs join each two
classes, which classes are linked, which class holds the graph together, which is cut off.  The
class names give each class's curriculum (2BIO biology, MP mathematics-physics, PC physics-chemistry,
PSI engineering): in the raw rows each class's most frequent partner class shares its curriculum
wherever it has a sibling class (8 of 8; PSI* has none).
"""

from __future__ import annotations

import tomllib
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import cop
from cop.kernel import Prepared
from cop.network import home_spaces
from cop.network.links import network_tables

HERE = Path(__file__).parent / "fixtures" / "validation" / "highschool"


def _curriculum(c: str) -> str:
    return "BIO" if c.startswith("2BIO") else c.rstrip("*12")


@pytest.fixture(scope="module")
def school() -> tuple[pd.DataFrame, dict[str, str]]:
    raw = pd.read_csv(HERE / "activities.csv.gz")
    members = pd.read_csv(HERE / "members.csv")
    return raw, dict(zip(members["member_id"], members["organization"]))


def _network_log(raw: pd.DataFrame, cls: dict[str, str]) -> cop.ActivityLog:
    """Each contact one activity of its two students, each student's row in their class."""
    n = len(raw)
    frame = pd.DataFrame({
        "activity_id": np.repeat([f"c{i}" for i in range(n)], 2),
        "member_id": np.column_stack([raw["source"], raw["target"]]).ravel(),
        "timestamp": pd.to_datetime(np.repeat(raw["timestamp"].to_numpy(), 2), unit="s", utc=True),
        "kind": "interaction",
    })
    frame["space"] = frame["member_id"].map(cls)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cop.ActivityLog.from_frame(frame, emit_warnings=False)


def _class_pairs(raw: pd.DataFrame, cls: dict[str, str]) -> pd.DataFrame:
    """Per unordered pair of distinct classes: contacts and distinct student pairs (the raw rows' count)."""
    a, b = raw["source"].map(cls), raw["target"].map(cls)
    lo, hi = np.where(a < b, a, b), np.where(a < b, b, a)
    s_lo = np.where(a < b, raw["source"], raw["target"])
    s_hi = np.where(a < b, raw["target"], raw["source"])
    f = pd.DataFrame({"space_a": lo, "space_b": hi, "p": s_lo, "q": s_hi})[lo != hi]
    return f.groupby(["space_a", "space_b"]).agg(contacts=("p", "size"),
                                                  pairs=("p", lambda s: len(set(zip(s, f.loc[s.index, "q"])))))


def _tables(raw: pd.DataFrame, cls: dict[str, str]):
    log = _network_log(raw, cls)
    prep = Prepared(log)
    names = sorted(set(cls.values()))
    return network_tables(prep, prep.window(log.start.value, log.end.value + 1), home_spaces(log), names)


def test_contacts_and_pairs_between_classes_are_the_raw_counts(school):
    raw, cls = school
    log = _network_log(raw, cls)
    nd = cop.diagnose_network(log, emit_warnings=False)  # (the whole five days lie in the common window)
    truth = tomllib.loads((HERE / "truth.toml").read_text(encoding="utf-8"))
    assert nd.summary["mixed_participation_share"] == pytest.approx(1 - truth["within_group_contact_share"], abs=1e-4)
    want = _class_pairs(raw, cls)
    got = nd.links.set_index(["space_a", "space_b"])
    assert sorted(got.index) == sorted(want.index)  # every pair of classes with a contact, no other
    assert got.loc[want.index, "shared_events"].tolist() == want["contacts"].tolist()
    assert got.loc[want.index, "ties"].tolist() == want["pairs"].tolist()
    assert nd.summary["bridges"] == [] and nd.summary["cut_off"] == [] and nd.summary["components"] == 1
    # each class's strongest link goes to a class of its own curriculum wherever it has one (8 of 8)
    for c in sorted(set(cls.values())):
        mine = nd.links[(nd.links["space_a"] == c) | (nd.links["space_b"] == c)]
        top = mine.sort_values("shared_events", ascending=False).iloc[0]
        other = top["space_b"] if top["space_a"] == c else top["space_a"]
        siblings = [x for x in set(cls.values()) if x != c and _curriculum(x) == _curriculum(c)]
        assert (_curriculum(other) == _curriculum(c)) == bool(siblings), (c, other)


def test_a_class_without_contacts_outside_is_cut_off(school):
    raw, cls = school
    a, b = raw["source"].map(cls), raw["target"].map(cls)
    alone = raw[~(((a == "PSI*") | (b == "PSI*")) & (a != b))]
    t = _tables(alone, cls)
    assert t.summary["cut_off"] == ["PSI*"] and t.summary["components"] == 2
    assert t.spaces.set_index("space_id").loc["PSI*", "ties_across"] == 0


def test_the_class_that_alone_joins_the_curricula_is_the_bridge(school):
    raw, cls = school
    a, b = raw["source"].map(cls), raw["target"].map(cls)
    ca, cb = a.map(_curriculum), b.map(_curriculum)
    # contacts across curricula kept only when PSI* takes part: it alone joins biology, MP and PC
    kept = raw[(ca == cb) | (a == "PSI*") | (b == "PSI*")]
    g = nx.Graph()
    g.add_nodes_from(set(cls.values()))
    ka, kb = kept["source"].map(cls), kept["target"].map(cls)
    g.add_edges_from((x, y) for x, y in zip(ka, kb) if x != y)
    want = sorted(nx.articulation_points(g))
    assert "PSI*" in want  # (the perturbed school has the answer the test is about)
    t = _tables(kept, cls)
    assert sorted(t.summary["bridges"]) == want and t.summary["cut_off"] == []
    assert t.spaces.set_index("space_id").loc["PSI*", "bridge"]
