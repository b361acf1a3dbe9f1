"""Fuzzing the export readers: a mangled export loads or raises one cop error, never another exception.

Two kinds of damage: bytes (truncation, inserted or replaced bytes) and JSON structure (any field of a
JSON export replaced by any JSON value).  Also: reading never modifies the input (hashes before and after).
"""

from __future__ import annotations

import json
import shutil
import warnings
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop.exceptions import CopError
from cop.io import read_activities
from tests._readers import FIXTURES, make_git_repo, tree_hash

FILES = {  # fixture -> reader
    "discord.json": "discord",
    "list.mbox": "mbox",
    "calendar.ics": "ics",
    "gharchive.json": "github",
    "github/issues.json": "github",
    "github/comments.json": "github",
    "perceval_git.json": "perceval",
    "perceval_github.jsonl": "perceval",
    "visits.xlsx": "spreadsheet",
}
JSON_FILES = ["discord.json", "perceval_github.jsonl", "github/issues.json", "github/comments.json", "slack/general/2024-01-01.json", "slack/users.json",
              "slack/channels.json"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["", "U01", "1704103200.000100", "2024-01-01T00:00:00Z", "Reply", "bot_message", "<@U02>", "mailto:a@b"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["id", "user", "users", "ts", "thread_ts", "type", "subtype", "author", "isBot", "reference", "messageId", "login",
         "number", "created_at", "issue_url", "name", "reactions", "mentions"]), inner, max_size=4),
    max_leaves=8,
)


def _load(path, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            kw = {"mapping": {"activity_id": "Visit", "member_id": "Member", "timestamp": "When"},
                  "reader_options": {"sheet": "Visits"}} if fmt == "spreadsheet" else {}
            read_activities(path, format=fmt if fmt != "spreadsheet" else None, **kw)
        except CopError:
            pass


def _mangle(data: bytes, how: str, at: int, junk: bytes) -> bytes:
    at = at % (len(data) + 1)
    if how == "truncate":
        return data[:at]
    if how == "insert":
        return data[:at] + junk + data[at:]
    return data[:at] + junk + data[at + len(junk):]


@pytest.mark.parametrize("name", sorted(FILES))
@SETTINGS
@given(how=st.sampled_from(["truncate", "insert", "replace"]), at=st.integers(0, 10**6), junk=st.binary(min_size=1, max_size=8))
def test_mangled_bytes_load_or_raise_a_cop_error(tmp_path, name, how, at, junk):
    p = tmp_path / name.replace("/", "_")
    if name.endswith(".json") and "perceval" not in name:
        p = p.with_name("x_" + p.name)
    p.write_bytes(_mangle((FIXTURES / name).read_bytes(), how, at, junk))
    _load(p, FILES[name])


def _paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


def _replace(doc, path, value):
    if not path:
        return value
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    return doc


@pytest.mark.parametrize("name", JSON_FILES)
@SETTINGS
@given(data=st.data(), value=json_values)
def test_any_json_field_replaced_loads_or_raises_a_cop_error(tmp_path, name, data, value):
    doc = json.loads((FIXTURES / name).read_text())
    path = data.draw(st.sampled_from(list(_paths(doc))))
    doc = _replace(doc, path, value)
    if name.startswith("slack/"):
        root = tmp_path / "slack"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(FIXTURES / "slack", root)
        (root / name.split("/", 1)[1]).write_text(json.dumps(doc))
        _load(root, "slack")
    else:
        p = tmp_path / ("x_" + name.replace("/", "_"))
        p.write_text(json.dumps(doc))
        _load(p, "discord" if "discord" in name else "perceval" if "perceval" in name else "github")


@SETTINGS
@given(how=st.sampled_from(["truncate", "insert", "replace"]), at=st.integers(0, 10**6), junk=st.binary(min_size=1, max_size=8))
def test_mangled_slack_zip_loads_or_raises_a_cop_error(tmp_path, how, at, junk):
    z = tmp_path / "e.zip"
    if not z.exists():
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as out:
            for f in sorted((FIXTURES / "slack").rglob("*.json")):
                out.write(f, f.relative_to(FIXTURES / "slack").as_posix())
    bad = tmp_path / "bad.zip"
    bad.write_bytes(_mangle(z.read_bytes(), how, at, junk))
    _load(bad, "slack")


people = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>\n"), min_size=0, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(people, people, people, people, st.integers(0, 2**31 - 1)), min_size=1, max_size=4))
def test_git_any_names_and_trailers_load_or_raise_a_cop_error(tmp_path_factory, commits):
    stream = []
    for i, (name, mail, co_name, co_mail, when) in enumerate(commits, start=1):
        msg = f"c{i}\n\nCo-authored-by: {co_name} <{co_mail}>\n".encode()
        stream.append(f"commit refs/heads/main\nmark :{i}\nauthor {name} <{mail}> {when} +0000\ncommitter {name} <{mail}> {when} +0000\n"
                      f"data {len(msg)}\n".encode() + msg + (f"from :{i - 1}\n".encode() if i > 1 else b""))
    where = tmp_path_factory.mktemp("g")
    fi = where / "s.fi"
    fi.write_bytes(b"\n".join(stream) + b"\ndone\n")
    repo = make_git_repo(where / "r", fi)
    _load(repo, "git")


def test_reading_never_modifies_the_input(tmp_path):
    repo = make_git_repo(tmp_path / "repo")
    z = tmp_path / "slack.zip"
    with zipfile.ZipFile(z, "w") as out:
        for f in sorted((FIXTURES / "slack").rglob("*.json")):
            out.write(f, f.relative_to(FIXTURES / "slack").as_posix())
    paths = [FIXTURES / n for n in FILES] + [FIXTURES / "slack", FIXTURES / "github", FIXTURES / "visits.ods", z, repo]
    before = {p: tree_hash(p) for p in paths}
    mtimes = {p: p.stat().st_mtime_ns for p in paths}
    for p in paths:
        _load(p, None if p.suffix in (".xlsx", ".ods") else None)
    assert {p: tree_hash(p) for p in paths} == before
    assert {p: p.stat().st_mtime_ns for p in paths} == mtimes
