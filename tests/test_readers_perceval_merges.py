"""The Perceval reader's merge rule is the git reader's (:func:`cop.io.gitrepo.commit_roles`): the author of a merge
commit is its ``merger`` (weight 1.0), as is a human committer of it; rows worked out by hand from items written here,
and the same commits read by both readers give the same roles and weights."""

from __future__ import annotations

import json

from cop.io import read_activities
from cop.io.gitrepo import WEIGHTS, commit_roles

ANN, BO, CY, DEE = "Ann <ann@example.org>", "Bo <bo@example.org>", "Cy <cy@example.org>", "Dee <dee@example.org>"
GITHUB = "GitHub <noreply@github.com>"


def _item(sha: str, parents: list[str], author: str, committer: str, day: int) -> dict:
    return {"backend_name": "Git", "backend_version": "0.12", "category": "commit", "origin": "https://example.org/r.git",
            "perceval_version": "1.0", "tag": "r", "timestamp": 0, "updated_on": 0, "uuid": sha,
            "data": {"commit": sha, "parents": parents, "Author": author, "Commit": committer,
                     "AuthorDate": f"Thu May {day} 15:00:00 2024 +0000", "message": "m"}}


def _rows(log):
    d = log.data
    return {(a, m): (r, w) for a, m, r, w in
            zip(d["activity_id"].astype(str), d["member_id"].astype(str), d["role"].astype(str), d["weight"])}


def test_merge_author_is_the_merger(tmp_path):
    items = [
        _item("c1", ["c0"], BO, ANN, 2),            # an ordinary commit committed by another person
        _item("m1", ["c0", "c1"], ANN, ANN, 3),     # a local --no-ff merge: author = committer
        _item("m2", ["m1", "c2"], BO, GITHUB, 4),   # GitHub's merge button: the presser authors, GitHub (a bot) commits
        _item("m3", ["m2", "c3"], CY, DEE, 5),      # Cy authored the merge, Dee committed it
    ]
    p = tmp_path / "items.json"
    p.write_text("\n".join(json.dumps(i, indent=4, sort_keys=True) for i in items))
    log = read_activities(p, emit_warnings=False)
    assert _rows(log) == {
        ("c1", "bo@example.org"): ("author", 1.0),
        ("c1", "ann@example.org"): ("committer", 0.5),
        ("m1", "ann@example.org"): ("merger", 1.0),   # one row: the author merged (was: author 1.0)
        ("m2", "bo@example.org"): ("merger", 1.0),    # was: author 1.0; GitHub's committer entry dropped as a bot
        ("m3", "cy@example.org"): ("merger", 1.0),
        ("m3", "dee@example.org"): ("merger", 1.0),
    }
    assert any("bot" in w for w in log.warnings)


def test_commit_roles_rule():
    assert commit_roles(True, "ann@example.org", " ANN@example.org") == ("merger", None)
    assert commit_roles(True, "cy@example.org", "dee@example.org") == ("merger", "merger")
    assert commit_roles(False, "cy@example.org", "dee@example.org") == ("author", "committer")
    assert commit_roles(False, "cy@example.org", "cy@example.org") == ("author", None)
    assert WEIGHTS["merger"] == 1.0 and WEIGHTS["committer"] == 0.5
