"""The git, GitHub (REST and GH Archive) and Perceval readers: rows worked out by hand from the fixtures."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess

import pytest

from cop.exceptions import FileFormatError
from cop.io import read_activities, reader_for
from tests._readers import FIXTURES, make_git_repo


def _rows(log, key="activity_id"):
    d = log.data
    return {(a, m): (r, w, str(t.tz_convert(None))) for a, m, r, w, t in
            zip(d[key].astype(str), d["member_id"].astype(str), d["role"].astype(str), d["weight"], d["timestamp"])}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_git_repo(tmp_path_factory.mktemp("git") / "repo")


def _shas(repo):
    out = subprocess.run(["git", "-C", str(repo), "log", "--format=%H %s", "main"], capture_output=True, text=True, check=True).stdout
    return {s: h for h, s in (line.split(" ", 1) for line in out.splitlines())}


def test_git_commits_coauthors_mailmap_committers_mergers_and_bots(repo):
    assert reader_for(repo).name == "git"
    with pytest.warns(Warning, match="dropped 2 bot"):
        log = read_activities(repo)
    c = _shas(repo)
    day = lambda n: f"2024-01-0{n} 10:00:00"  # noqa: E731  (author times: one day apart from 2024-01-01 10:00 UTC)
    assert _rows(log) == {
        (c["start"], "ann@example.org"): ("author", 1.0, day(1)),  # Ann@Example.org lower-cased; committer the same person
        (c["second"], "bo@example.org"): ("author", 1.0, day(2)),  # "Bo Old <bo@old...>" mapped by .mailmap
        (c["second"], "ann@example.org"): ("committer", 0.5, day(2)),
        (c["pair work"], "cy@example.org"): ("author", 1.0, day(3)),
        (c["pair work"], "dee@example.org"): ("co-author", 1.0, day(3)),
        (c["pair work"], "bo@example.org"): ("co-author", 1.0, day(3)),  # the trailer mapped too
        (c["side"], "dee@example.org"): ("author", 1.0, day(5)),
        (c["Merge side"], "ann@example.org"): ("merger", 1.0, day(6)),  # the author of a merge commit merged
        (c["Merge side"], "eve@example.org"): ("merger", 1.0, day(6)),
    }  # "bump" (dependabot, committed by GitHub's noreply address) has no people
    kinds = dict(zip(log.data["activity_id"].astype(str), log.data["kind"].astype(str)))
    assert kinds[c["pair work"]] == "collaboration" and kinds[c["start"]] == "contribution"


def test_git_pseudonymous_ids(repo):
    log = read_activities(repo, reader_options={"hash_ids": True}, emit_warnings=False)
    want = "git-" + hashlib.sha256(b"eve@example.org").hexdigest()[:12]
    assert want in set(log.data["member_id"].astype(str))
    assert not any("@" in m for m in log.data["member_id"].astype(str))


def test_git_not_a_repository_and_empty_repository(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(FileFormatError, match="is not a git repository"):
        read_activities(tmp_path, format="git")
    empty = tmp_path / "empty"
    subprocess.run(["git", "init", "-q", str(empty)], check=True)
    with pytest.raises(FileFormatError, match=r"empty, HEAD: the repository has no commits"):
        read_activities(empty)


GITHUB_ROWS = {
    ("acme/tool#1", "ann"): ("contributor", 1.0, "2024-01-01 10:00:00"),  # opened, NONE
    ("acme/tool#1", "bo"): ("maintainer", 0.5, "2024-01-01 12:00:00"),  # comment, MEMBER
    ("acme/tool#1", "cy"): ("maintainer", 0.5, "2024-01-02 12:00:00"),  # comment, COLLABORATOR
    ("acme/tool#2", "bo"): ("maintainer", 1.0, "2024-01-03 10:00:00"),  # a pull request (the bot's comment dropped)
}  # issue 3 is dependabot's


def test_github_rest_folder():
    assert reader_for(FIXTURES / "github").name == "github"
    with pytest.warns(Warning, match="dropped 2 item"):
        log = read_activities(FIXTURES / "github")
    assert _rows(log) == GITHUB_ROWS
    assert set(log.data["topic"].astype(str)) == {"acme/tool"}


def test_github_single_issues_file():
    rows = _rows(read_activities(FIXTURES / "github" / "issues.json", emit_warnings=False))
    assert rows == {k: v for k, v in GITHUB_ROWS.items() if v[1] == 1.0}


def test_gh_archive_plain_and_gzipped(tmp_path):
    want = {
        ("acme/tool#7", "ann"): ("contributor", 1.0, "2024-01-05 10:00:00"),
        ("acme/tool#7", "bo"): ("maintainer", 0.5, "2024-01-05 11:00:00"),
        ("acme/tool#8", "bo"): ("maintainer", 0.5, "2024-01-05 14:00:00"),  # review; renovate's PR dropped, the star skipped
    }
    log = read_activities(FIXTURES / "gharchive.json", emit_warnings=False)
    assert _rows(log) == want
    assert any("skipped 1 event" in w for w in log.warnings)
    gz = tmp_path / "2024-01-05-10.json.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "gharchive.json").read_bytes()))
    assert reader_for(gz).name == "github"
    assert _rows(read_activities(gz, emit_warnings=False)) == want
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(gz.read_bytes()[:-30])
    with pytest.raises(FileFormatError, match=r"cut\.json\.gz.*truncated"):
        read_activities(cut, format="github")


def test_github_json_that_is_not_the_format(tmp_path):
    p = tmp_path / "issues.json"
    p.write_text(json.dumps([{"number": 1, "user": {"login": "a"}, "author_association": "NONE", "created_at": "2024-01-01T00:00:00Z"}]))
    with pytest.raises(FileFormatError, match=r"item 1, field 'repository_url'"):
        read_activities(p)
    p.write_text(json.dumps([{"issue_url": "x", "user": {"login": "a"}, "author_association": "NONE"}]))
    with pytest.raises(FileFormatError, match=r"item 1, field 'issue_url'"):
        read_activities(p)
    p.write_text(json.dumps({"user": 1}))
    with pytest.raises(FileFormatError, match="expected a JSON array of issues"):
        read_activities(p, format="github")


def test_perceval_git_items():
    assert reader_for(FIXTURES / "perceval_git.json").name == "perceval"
    log = read_activities(FIXTURES / "perceval_git.json", emit_warnings=False)
    a, b = "a" * 40, "b" * 40
    assert _rows(log) == {
        (a, "ann@example.org"): ("author", 1.0, "2024-01-01 09:00:00"),  # +0100
        (b, "bo@example.org"): ("author", 1.0, "2024-01-02 10:00:00"),
        (b, "dee@example.org"): ("co-author", 1.0, "2024-01-02 10:00:00"),
        (b, "cy@example.org"): ("committer", 0.5, "2024-01-02 10:00:00"),
    }  # dependabot's co-author trailer dropped


def test_perceval_github_items():
    log = read_activities(FIXTURES / "perceval_github.jsonl", emit_warnings=False)
    assert _rows(log) == {
        ("acme/tool#4", "ann"): ("maintainer", 1.0, "2024-01-01 10:00:00"),
        ("acme/tool#4", "bo"): ("contributor", 0.5, "2024-01-01 11:00:00"),
        ("acme/tool#4", "cy"): ("contributor", 0.25, "2024-01-01 12:00:00"),  # a reaction
    }


def test_perceval_other_backend_and_broken_item(tmp_path):
    p = tmp_path / "items.json"
    p.write_text(json.dumps({"backend_name": "Mbox", "backend_version": "1", "category": "message", "data": {}}))
    with pytest.raises(FileFormatError, match=r"item 1 \(line 1\), field 'backend_name'.*'Mbox'"):
        read_activities(p)
    p.write_text(json.dumps({"backend_name": "Git", "backend_version": "1", "category": "commit",
                             "data": {"commit": "c", "Author": "Ann <a@example.org>", "AuthorDate": "yesterday"}}))
    with pytest.raises(FileFormatError, match=r"field 'data\.AuthorDate'.*git date"):
        read_activities(p)
    p.write_text('{"backend_name": "Git", "backend_version": "1", "data": {')
    with pytest.raises(FileFormatError, match=r"item 1 \(line 1\).*not valid JSON"):
        read_activities(p)
