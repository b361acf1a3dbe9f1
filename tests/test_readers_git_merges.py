"""The git reader's ``merger`` role: the author of a merge commit merged (GitHub's merge button makes the presser the
author), as does a human committer of it; rows worked out by hand from a repository built here."""

from __future__ import annotations

import os
import subprocess

import pytest

from cop.io import read_activities


def _env(author: str, committer: str, when: str) -> dict[str, str]:
    a_name, a_mail = author.split(" <")
    c_name, c_mail = committer.split(" <")
    return {**os.environ, "GIT_AUTHOR_NAME": a_name, "GIT_AUTHOR_EMAIL": a_mail.rstrip(">"), "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": c_name, "GIT_COMMITTER_EMAIL": c_mail.rstrip(">"), "GIT_COMMITTER_DATE": when,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


ANN, BO, CY, DEE = "Ann <ann@example.org>", "Bo <bo@example.org>", "Cy <cy@example.org>", "Dee <dee@example.org>"
GITHUB = "GitHub <noreply@github.com>"


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    d = tmp_path_factory.mktemp("merges")
    git = lambda *a, env: subprocess.run(["git", "-C", str(d), *a], check=True, capture_output=True, env=env)  # noqa: E731
    e0 = _env(ANN, ANN, "2024-05-01T10:00:00Z")
    git("init", "-q", "-b", "main", env=e0)
    (d / "README.md").write_text("start\n")
    git("add", "-A", env=e0)
    git("commit", "-q", "-m", "start", env=e0)
    # three feature branches, each one commit, merged with --no-ff in three ways
    for n, (branch, author, merge_author, merge_committer) in enumerate(
            [("local", BO, ANN, ANN),          # Ann merges on her machine: author = committer = Ann
             ("button", CY, BO, GITHUB),        # Bo presses GitHub's merge button: author Bo, committer GitHub
             ("pair", DEE, CY, DEE)], start=2):  # Cy authored the merge, Dee committed it
        day = f"2024-05-0{n}T10:00:00Z"
        git("checkout", "-q", "-b", branch, "main", env=e0)
        (d / "src").mkdir(exist_ok=True)
        (d / "src" / f"{branch}.py").write_text(f"{branch}\n")
        git("add", "-A", env=_env(author, author, day))
        git("commit", "-q", "-m", f"work {branch}", env=_env(author, author, day))
        git("checkout", "-q", "main", env=e0)
        when = f"2024-05-0{n}T15:00:00Z"
        git("merge", "-q", "--no-ff", "-m", f"Merge {branch}", branch, env=_env(merge_author, merge_committer, when))
    return d


def _shas(repo):
    out = subprocess.run(["git", "-C", str(repo), "log", "--format=%H %s", "main"], capture_output=True, text=True, check=True).stdout
    return {s: h for h, s in (line.split(" ", 1) for line in out.splitlines())}


def _rows(log):
    d = log.data
    return {(a, m): (r, w) for a, m, r, w in
            zip(d["activity_id"].astype(str), d["member_id"].astype(str), d["role"].astype(str), d["weight"])}


def test_author_of_a_merge_commit_is_the_merger(repo):
    with pytest.warns(Warning, match="dropped 1 bot"):  # GitHub, the committer of the button merge
        log = read_activities(repo)
    c = _shas(repo)
    assert _rows(log) == {
        (c["start"], "ann@example.org"): ("author", 1.0),
        (c["work local"], "bo@example.org"): ("author", 1.0),
        (c["Merge local"], "ann@example.org"): ("merger", 1.0),  # author and committer: one row
        (c["work button"], "cy@example.org"): ("author", 1.0),
        (c["Merge button"], "bo@example.org"): ("merger", 1.0),  # the presser; GitHub dropped
        (c["work pair"], "dee@example.org"): ("author", 1.0),
        (c["Merge pair"], "cy@example.org"): ("merger", 1.0),
        (c["Merge pair"], "dee@example.org"): ("merger", 1.0),  # a human committer of a merge merged too
    }


def test_grouped_merges_keep_the_strongest_role(repo):
    log = read_activities(repo, reader_options={"group": "month"}, emit_warnings=False)
    rows = _rows(log)
    # merge commits change no file of their own (git log --name-only lists none): area "(none)"
    assert {m: r for (a, m), r in rows.items() if a == "(none) 2024-05"} == {
        "ann@example.org": ("merger", 1.0), "bo@example.org": ("merger", 1.0),
        "cy@example.org": ("merger", 1.0), "dee@example.org": ("merger", 1.0)}
    # Cy authored a change under src/ and merged another: in src the authored change (weight 1.0) is the strongest
    assert rows[("src 2024-05", "cy@example.org")] == ("author", 1.0)
