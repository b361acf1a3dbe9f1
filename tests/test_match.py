"""Matchmaking (cop.match, cop match): behaviour on small logs whose answers are worked out by hand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.exceptions import ConfigError, DataError, DataWarning
from cop.match import (
    MatchData, MatchWeights, candidate_signals, draft, pair_signals, read_exclusions, score_signals,
    suggest_introductions, weekly_plan,
)

AS_OF = "2024-03-01"

pytestmark = pytest.mark.filterwarnings("ignore::cop.exceptions.DataWarning")


def _rows(*groups):
    """``(activity_id, [members], date, kind, topic)`` -> log rows."""
    out = []
    for aid, people, day, kind, topic in groups:
        out += [{"activity_id": aid, "member_id": m, "timestamp": day, "kind": kind, "topic": topic} for m in people]
    return pd.DataFrame(out)


def _log(frame, members=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.ActivityLog.from_frame(frame, members)


@pytest.fixture()
def path_log():
    """a-b and b-c talked (1:1); d talked with e.  a and c have b in common; nobody else shares anything."""
    frame = _rows(("t1", ["a", "b"], "2024-02-01", "interaction", "design"),
                  ("t2", ["b", "c"], "2024-02-02", "interaction", "design"),
                  ("t3", ["d", "e"], "2024-02-03", "interaction", "food"))
    return _log(frame)


def _pairs(s):
    return {frozenset(p) for p in zip(s["member_id"], s["suggested_id"])}


def test_triangle_closure_signals(path_log):
    data = MatchData.from_log(path_log, as_of=AS_OF)
    a, c = data.member_ids.get_indexer(["a", "c"])
    sig = pair_signals(data, [a], [c])
    # one common neighbour (b, 2 ties): CN 1, Adamic-Adar 1/ln 2, resource allocation 1/2
    assert sig["common_neighbours"][0] == 1
    assert sig["adamic_adar"][0] == pytest.approx(1 / math.log(2))
    assert sig["resource_allocation"][0] == pytest.approx(0.5)
    assert sig["shared_topics"][0] == pytest.approx(1.0)  # both only in design threads
    s = suggest_introductions(path_log, as_of=AS_OF)
    # the only pair with something in common that is not yet tied
    assert _pairs(s) == {frozenset({"a", "c"})}
    assert "one person in common" in s["reasons"].iloc[0] and "both active in design" in s["reasons"].iloc[0]


def test_never_an_existing_tie_or_an_opted_out_member(path_log):
    s = suggest_introductions(path_log, as_of=AS_OF, include_colleagues=True)
    tied = {frozenset(p) for p in (("a", "b"), ("b", "c"), ("d", "e"))}
    assert not (_pairs(s) & tied)
    members = pd.DataFrame({"member_id": list("abcde"), "match_opt_out": ["", "", "yes", "", ""]})
    s2 = suggest_introductions(_log(path_log.data, members), as_of=AS_OF)
    assert "c" not in set(s2["member_id"]) | set(s2["suggested_id"])
    assert len(s2) == 0  # a's only candidate opted out


def test_colleagues_only_when_asked(path_log):
    members = pd.DataFrame({"member_id": list("abcde"), "organization": ["X", "Y", "X", "Z", "Z"]})
    log = _log(path_log.data, members)
    assert len(suggest_introductions(log, as_of=AS_OF)) == 0  # a and c are both at X
    s = suggest_introductions(log, as_of=AS_OF, include_colleagues=True)
    assert _pairs(s) == {frozenset({"a", "c"})}


def test_bounded_appearances_in_a_round():
    # a hub h talked with nobody; five people p1..p5 each went to a small meeting with h and one other (q)
    groups = [(f"m{k}", [f"p{k}", "h", "q"], f"2024-02-0{k}", "event", "ai") for k in range(1, 6)]
    frame = _rows(*groups)
    log = _log(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        s = suggest_introductions(log, as_of=AS_OF, min_tie=0.6, per_member=2)
    counts = pd.concat([s["member_id"], s["suggested_id"]]).value_counts()
    assert counts.max() <= 2
    # the unbounded ranking would put h (or q) beside every p
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        s9 = suggest_introductions(log, as_of=AS_OF, min_tie=0.6, per_member=9)
    assert pd.concat([s9["member_id"], s9["suggested_id"]]).value_counts().max() > 2


def test_draft_gives_everyone_a_first_choice_before_anyone_a_second():
    # targets 0 and 1 both prefer 9; 0 is more urgent, so 0 gets 9 and 1 its second best, 8
    i = np.array([0, 0, 1, 1])
    j = np.array([9, 8, 9, 8])
    score = np.array([0.9, 0.8, 0.95, 0.1])
    sel = draft(i, j, score, per_member=1, urgency=np.r_[1.0, np.zeros(9)])
    assert sorted(zip(i[sel].tolist(), j[sel].tolist())) == [(0, 9), (1, 8)]


def test_weekly_plan_spreads_and_never_repeats():
    # three targets, the same two candidates; one introduction per person per week
    i = np.repeat([0, 1, 2], 2)
    j = np.tile([3, 4], 3)
    score = np.array([0.9, 0.5, 0.8, 0.4, 0.7, 0.3])
    pos, week = weekly_plan(i, j, score, per_week=1, weeks=3, urgency=np.zeros(5))
    got = pd.DataFrame({"i": i[pos], "j": j[pos], "week": week})
    assert (got.groupby("week").size() <= 2).all()           # 3 and 4 can each meet one person a week
    assert not got.duplicated(["i", "j"]).any()
    # the one left out in week 1 comes first in week 2
    left_out = ({0, 1, 2} - set(got.loc[got.week == 1, "i"])).pop()
    assert left_out in set(got.loc[got.week == 2, "i"])


def _breakfast_log():
    """x and y came to the same three climate-tech breakfasts (14 people each: 3/13 < 0.25, no tie);
    n joined three weeks before as-of, came to nothing yet but one design talk with no one it knows."""
    def crowd(k):
        return [f"c{k}{m:02d}" for m in range(12)]  # a different crowd each time: only x and y come thrice

    groups = [(f"breakfast-2024-01-{d}", ["x", "y", *crowd(k)], f"2024-01-{d}", "event", "climate-tech")
              for k, d in enumerate(("09", "16", "23"))]
    groups.append(("breakfast-2024-02-09", ["n", "x", *crowd(3)], "2024-02-09", "event", "design"))
    return _log(_rows(*groups))


def test_reasons_in_plain_words():
    log = _breakfast_log()
    s = suggest_introductions(log, targets=["y"], as_of=AS_OF)
    xy = s[s["suggested_id"] == "x"]
    assert len(xy) == 1 and xy["rank"].iloc[0] == 1
    assert xy["reasons"].iloc[0].startswith("both came to the three climate-tech breakfasts")
    sn = suggest_introductions(log, targets=["n"], as_of=AS_OF)
    assert "n joined three weeks ago and has no tie yet" in sn["reasons"].iloc[0]


def test_newcomer_priority_and_score_bounds():
    log = _breakfast_log()
    s = suggest_introductions(log, who="newcomers", as_of=AS_OF)
    assert set(s["member_id"]) | set(s["suggested_id"]) >= {"n"}
    assert ((s["score"] >= 0) & (s["score"] <= 1)).all()
    assert list(s.columns[:5]) == ["member_id", "suggested_id", "rank", "score", "reasons"]


def test_normative_components_never_make_strangers_a_match():
    sig = {c: np.zeros(1) for c in ("shared_events", "bridging", "priority")}
    sig["bridging"][:] = 1.0
    sig["priority"][:] = 1.0
    score, _ = score_signals(sig, available=("shared_events", "bridging", "priority"))
    assert score[0] == 0.0


def test_candidate_signals_agree_with_pair_signals():
    log = cop.load_example()
    data = MatchData.from_log(log)
    tgt = np.flatnonzero(data.eligible)[:20]
    i, j, sig = candidate_signals(data, tgt)
    again = pair_signals(data, i, j)
    for c, v in sig.items():
        np.testing.assert_allclose(v, again[c])
    # brute force over every eligible pair finds the same best candidate for most targets
    bi, bj, bsig = candidate_signals(data, tgt, all_pairs=True)
    s, _ = score_signals(sig)
    bs, _ = score_signals(bsig)
    best = pd.DataFrame({"i": i, "j": j, "s": s}).sort_values(["i", "s"], ascending=[True, False]).groupby("i").head(1)
    bbest = pd.DataFrame({"i": bi, "j": bj, "s": bs}).sort_values(["i", "s"], ascending=[True, False]).groupby("i").head(1)
    agree = best.merge(bbest, on=["i", "j"]).shape[0] / len(bbest)
    assert agree >= 0.9


def test_from_arrays_for_a_simulation():
    # a 4-cycle 0-1-2-3-0 plus 4 alone: the two diagonals are the only pairs with anyone in common
    ties = sp.csr_array(np.array([[0, 1, 0, 1, 0], [1, 0, 1, 0, 0], [0, 1, 0, 1, 0], [1, 0, 1, 0, 0], [0] * 5]))
    data = MatchData.from_arrays(ties)
    i, j, sig = candidate_signals(data, range(5))
    assert sorted(zip(i.tolist(), j.tolist())) == [(0, 2), (1, 3), (2, 0), (3, 1)]
    assert (sig["common_neighbours"] == 2).all()


# ----------------------------------------------------------------------------- bad input
def test_bad_input_library(path_log, tmp_path):
    with pytest.raises(ConfigError, match="member 'zz' is not in the log"):
        suggest_introductions(path_log, targets=["zz"], as_of=AS_OF)
    with pytest.raises(ConfigError, match="parameter 'top': 0; expected a whole number >= 1"):
        suggest_introductions(path_log, top=0, as_of=AS_OF)
    f = tmp_path / "ex.csv"
    f.write_text("member_id,suggested_id\na,c\nb,nobody\n")
    with pytest.raises(DataError, match=r"ex.csv, line 3, column 'suggested_id': member 'nobody' is not in the log"):
        read_exclusions(f, path_log.members.index)
    f.write_text("member_id,suggested_id\na,c\n")
    excl = read_exclusions(f, path_log.members.index)
    assert len(suggest_introductions(path_log, exclude=excl, as_of=AS_OF)) == 0


def test_warnings_without_topics_or_ties():
    frame = _rows(("e1", ["a", "b", "c", "d", "e", "f"], "2024-02-01", "event", None),
                  ("e2", ["a", "b", "g", "h", "i", "j"], "2024-02-08", "event", None))
    with pytest.warns(DataWarning) as caught:
        s = suggest_introductions(_log(frame), as_of=AS_OF, min_tie=0.5)
    text = " ".join(str(w.message) for w in caught)
    assert "the log has no topics" in text and "no ties before the as-of date" in text
    # suggestions still rest on what exists: a and b shared two events
    assert frozenset({"a", "b"}) in _pairs(s)


def test_cli_match(tmp_path):
    p = cop.example_paths()
    base = ["match", str(p["activities"]), "-m", str(p["members"]), "-a", str(p["details"])]
    runner = CliRunner()
    out = tmp_path / "s.csv"
    r = runner.invoke(app, [*base, "--newcomers", "-o", str(out)])
    assert r.exit_code == 0, r.output
    s = pd.read_csv(out)
    assert list(s.columns[:5]) == ["member_id", "suggested_id", "rank", "score", "reasons"] and len(s)
    r = runner.invoke(app, [*base, "--for", "nobody"])
    assert r.exit_code == 1 and "option '--for': member 'nobody' is not in the log" in r.output
    r = runner.invoke(app, [*base, "--top", "0"])
    assert r.exit_code == 1 and "option '--top': 0; expected a whole number >= 1" in r.output
    ex = tmp_path / "ex.csv"
    ex.write_text("member_id\nm0003\nghost\n")
    r = runner.invoke(app, [*base, "--exclude", str(ex)])
    assert r.exit_code == 1 and "ex.csv, line 3, column 'member_id': member 'ghost' is not in the log" in r.output
    # last week's suggestions as the exclusion file: no pair again
    r = runner.invoke(app, [*base, "--newcomers", "--exclude", str(out), "-o", str(tmp_path / "s2.csv")])
    assert r.exit_code == 0, r.output
    s2 = pd.read_csv(tmp_path / "s2.csv")
    assert not ({frozenset(x) for x in zip(s.member_id, s.suggested_id)} & {frozenset(x) for x in zip(s2.member_id, s2.suggested_id)})


def test_cli_match_pseudonymized(tmp_path):
    p = cop.example_paths()
    out = tmp_path / "plan.csv"
    r = CliRunner().invoke(app, ["match", str(p["activities"]), "-m", str(p["members"]), "--for", "m0003",
                                 "--pseudonymize", "--salt", "s", "--per-week", "1", "--weeks", "2", "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "m0" not in text and "p-" in text
    s = pd.read_csv(out)
    assert set(s["week"]) <= {1, 2} and s["member_id"].nunique() == 1


def test_report_section(example_diagnosis, example_log):
    from cop.report import render_report

    s = suggest_introductions(example_log, who="peripheral", as_of=example_diagnosis.as_of, lookback=example_diagnosis.lookback)
    html = render_report(example_diagnosis, introductions=s)
    assert 'id="introductions"' in html and "Who to introduce this week" in html
    assert any(r.split(";")[0] in html for r in s["reasons"])
    assert 'id="introductions"' not in render_report(example_diagnosis)


def test_weights_are_validated():
    with pytest.raises(ConfigError):
        MatchWeights(shared_events=float("nan"))
