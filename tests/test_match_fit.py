"""Fitted matchmaking weights (cop.match.fit): a planted signal, the fallback, determinism, the option."""

from __future__ import annotations

import warnings
from dataclasses import replace
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import cop
from cop.cli import app
from cop.exceptions import ConfigError, DataWarning
from cop.match import DEFAULT_WEIGHTS, MatchData
from cop.match.fit import MIN_PAST_TIES, fit_component_weights, fit_weights

pytestmark = pytest.mark.filterwarnings("ignore::cop.exceptions.DataWarning")

AS_OF = pd.Timestamp("2024-03-01", tz="UTC")
PERIOD = 29  # days: the training features are those of 2024-01-31, the labels the ties of February


def _planted(n_new_ties: int, seed: int = 7) -> tuple[cop.ActivityLog, set[frozenset]]:
    """60 members.  January: 6 events of 10 people each (a random partition, so a pair shares one event or none), and check-ins of random people on 20 days.
    February: 1:1 talks between ``n_new_ties`` pairs drawn among the pairs that shared a January event
    (so every tie that forms in February is between people who shared an event, and days in the space
    together say nothing about it); everyone checks in on 2024-02-28 (so all are current members)."""
    rng = np.random.default_rng(seed)
    people = [f"p{k:02d}" for k in range(60)]
    rows = []
    shared: set[frozenset] = set()
    order = rng.permutation(60)
    for e in range(6):
        who = order[10 * e:10 * e + 10]
        day = pd.Timestamp("2024-01-02") + pd.Timedelta(days=2 * e)
        rows += [(f"event-{e}", people[w], day, "event") for w in who]
        shared |= {frozenset((people[a], people[b])) for a, b in combinations(sorted(who), 2)}
    for d in range(20):
        who = rng.choice(60, 25, replace=False)
        day = pd.Timestamp("2024-01-03") + pd.Timedelta(days=d)
        rows += [(f"checkin-{d}", people[w], day, "presence") for w in who]
    pairs = sorted(tuple(sorted(p)) for p in shared)
    chosen = [pairs[k] for k in rng.choice(len(pairs), n_new_ties, replace=False)]
    for k, (a, b) in enumerate(chosen):
        day = pd.Timestamp("2024-02-05") + pd.Timedelta(days=k % 20)
        rows += [(f"talk-{k}", a, day, "interaction"), (f"talk-{k}", b, day, "interaction")]
    rows += [("checkin-last", p, pd.Timestamp("2024-02-28"), "presence") for p in people]
    frame = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.ActivityLog.from_frame(frame), {frozenset(p) for p in chosen}


def test_planted_log_is_as_constructed():
    log, new = _planted(60)
    then = MatchData.from_log(log, as_of=AS_OF - pd.Timedelta(days=PERIOD))
    now = MatchData.from_log(log, as_of=AS_OF)
    assert then.ties.nnz == 0            # one shared event of ten does not make a tie
    assert now.ties.nnz == 2 * len(new)  # every February talk does
    assert then.events.nnz and then.presence.nnz


def test_fitted_weights_recover_the_planted_signal():
    log, _ = _planted(60)
    f = fit_weights(log, as_of=AS_OF, period=PERIOD)
    assert f.fitted and f.past_ties == 60
    assert f.pairs == 60 * 59 // 2       # 60 people: every pair is a training pair
    # the ties formed between people who shared an event; being in the space together says nothing
    assert f.weights.shared_events == 1.0
    assert f.weights.co_presence < 0.1
    # the normative weights are the rule's (a product choice, not fitted)
    assert (f.weights.bridging, f.weights.priority) == (DEFAULT_WEIGHTS.bridging, DEFAULT_WEIGHTS.priority)
    assert "fitted on the 60 ties" in f.note


def test_component_weights_follow_the_labels():
    rng = np.random.default_rng(1)
    a, b = rng.random(3000), rng.random(3000)
    y = rng.random(3000) < 0.05 + 0.5 * b ** 3      # only b predicts
    w = fit_component_weights({"shared_events": a, "co_presence": b}, y)
    assert w["co_presence"] == 1.0 and w["shared_events"] < 0.1
    assert fit_component_weights({"shared_events": a}, np.zeros(3000, bool)) == {"shared_events": 0.0}


def test_short_history_falls_back_to_the_rule():
    log, _ = _planted(MIN_PAST_TIES - 1)
    f = fit_weights(log, as_of=AS_OF, period=PERIOD)
    assert not f.fitted and f.weights == DEFAULT_WEIGHTS and f.past_ties == MIN_PAST_TIES - 1
    assert f"fewer than {MIN_PAST_TIES}" in f.note
    # no earlier period at all: the log starts after as_of - period
    g = fit_weights(log, as_of=AS_OF, period=200)
    assert not g.fitted and g.weights == DEFAULT_WEIGHTS and "no earlier period" in g.note
    with pytest.raises(ConfigError, match="period"):
        fit_weights(log, as_of=AS_OF, period=0)


def test_same_input_same_weights_and_suggestions():
    log, _ = _planted(60)
    assert fit_weights(log, as_of=AS_OF, period=PERIOD) == fit_weights(log, as_of=AS_OF, period=PERIOD)
    a = cop.suggest_introductions(log, as_of=AS_OF, weights="fitted")
    b = cop.suggest_introductions(log, as_of=AS_OF, weights="fitted")
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["weights"] == b.attrs["weights"]


def test_suggest_weights_option():
    log, _ = _planted(60)
    rule = cop.suggest_introductions(log, as_of=AS_OF, weights="rule")
    assert rule.attrs["match_weights"] == DEFAULT_WEIGHTS
    with pytest.raises(ConfigError, match="weights"):
        cop.suggest_introductions(log, as_of=AS_OF, weights="best")


def test_cli_weights_option(tmp_path):
    log, _ = _planted(60)
    path = tmp_path / "log.csv"
    log.to_frame().to_csv(path, index=False)
    r = CliRunner().invoke(app, ["match", str(path), "--weights", "rule", "--as-of", "2024-03-01"])
    assert r.exit_code == 0, r.output
    assert "rule weights" in r.output
    r = CliRunner().invoke(app, ["match", str(path), "--weights", "best"])
    assert r.exit_code != 0 and "--weights" in r.output and "Traceback" not in r.output


def test_community_half_points_are_the_medians_of_the_counts_pairs_have():
    from cop.match.fit import community_half_points
    from cop.match.ranking import HALF_POINTS

    sig = {"common_neighbours": np.array([0.0, 0, 1, 4, 9, 20]), "co_presence": np.array([0.0, 2, 6]),
           "shared_events": np.zeros(3)}
    hp = community_half_points(sig)
    assert hp["common_neighbours"] == 6.5      # median of 1, 4, 9, 20
    assert hp["co_presence"] == 4.0            # median of 2, 6
    assert hp["shared_events"] == HALF_POINTS["shared_events"]   # no pair has any: the rule's
    assert hp["adamic_adar"] == HALF_POINTS["adamic_adar"]       # not measured at all: the rule's


def test_half_points_scale_the_counts_and_are_checked():
    from cop.match import MatchWeights, score_signals

    sig = {"common_neighbours": np.array([4.0, 12.0])}
    w = MatchWeights.only("common_neighbours")
    _, fixed = score_signals(sig, w, available=("common_neighbours",))
    _, own = score_signals(sig, replace(w, half_points={"common_neighbours": 4.0}), available=("common_neighbours",))
    assert fixed["common_neighbours"].tolist() == [0.8, 12 / 13]   # x / (x + 1)
    assert own["common_neighbours"].tolist() == [0.5, 0.75]       # x / (x + 4)
    with pytest.raises(ConfigError, match="half point"):
        MatchWeights(half_points={"bridging": 1.0})                # not a count
    with pytest.raises(ConfigError, match="half point"):
        MatchWeights(half_points={"common_neighbours": 0})
    assert MatchWeights(half_points={"co_presence": 2, "common_neighbours": 3}) == \
        MatchWeights(half_points=(("common_neighbours", 3.0), ("co_presence", 2.0)))


def _dense(seed: int = 3) -> cop.ActivityLog:
    """40 members.  January: 6 rounds of 2 events of 20 people (each round a random partition), so a pair
    shares 0-6 events (three on average) and a shared event of 20 adds little to a tie.  February: 1:1 talks between 40 pairs that shared an event; everyone checks in at the end."""
    rng = np.random.default_rng(seed)
    people = [f"p{k:02d}" for k in range(40)]
    rows, together = [], {}
    for rnd in range(6):
        order = rng.permutation(40)
        for e in range(2):
            who = sorted(order[20 * e:20 * e + 20])
            day = pd.Timestamp("2024-01-02") + pd.Timedelta(days=4 * rnd + e)
            rows += [(f"event-{rnd}-{e}", people[w], day, "event") for w in who]
            for a, b in combinations(who, 2):
                together[(a, b)] = together.get((a, b), 0) + 1
    pairs = sorted(together)
    for k, t in enumerate(rng.choice(len(pairs), 40, replace=False)):
        a, b = pairs[t]
        day = pd.Timestamp("2024-02-05") + pd.Timedelta(days=k % 20)
        rows += [(f"talk-{k}", people[a], day, "interaction"), (f"talk-{k}", people[b], day, "interaction")]
    rows += [("checkin-last", p, pd.Timestamp("2024-02-28"), "presence") for p in people]
    frame = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.ActivityLog.from_frame(frame), together


def test_fit_on_the_community_scale_uses_the_median_shared_events_of_untied_pairs():
    log, together = _dense()
    then = MatchData.from_log(log, as_of=AS_OF - pd.Timedelta(days=PERIOD))
    ids = list(then.member_ids)
    tied = {(min(a, b), max(a, b)) for a, b in zip(*then.ties.nonzero())}
    # the shared January events of the pairs untied on 2024-01-31, counted from the rows above
    counts = [c for (a, b), c in together.items()
              if (min(ids.index(f"p{a:02d}"), ids.index(f"p{b:02d}")), max(ids.index(f"p{a:02d}"), ids.index(f"p{b:02d}"))) not in tied]
    expected = float(np.median(counts))
    f = fit_weights(log, as_of=AS_OF, period=PERIOD, scale="community")
    g = fit_weights(log, as_of=AS_OF, period=PERIOD)            # the default: the rule's half-points
    assert f.fitted and g.fitted and f.weights.shared_events == 1.0
    assert f.weights.half_point("shared_events") == expected
    assert g.weights.half_points == () and g.weights.half_point("shared_events") == 1.0
    assert expected > 1.0 and f"half-points shared_events {expected:.3g}" in f.note   # the rule's half-point is 1
    with pytest.raises(ConfigError, match="scale"):
        fit_weights(log, as_of=AS_OF, period=PERIOD, scale="own")


def test_extra_scales_add_terms_to_the_fit_and_are_checked():
    from cop.match import MatchWeights, score_signals

    sig = {"common_neighbours": np.array([20.0, 30.0])}
    one = MatchWeights.only("common_neighbours")
    two = replace(one, extra_scales=[("common_neighbours", 16.0, 1.0)])
    s1, _ = score_signals(sig, one, available=("common_neighbours",))
    s2, parts = score_signals(sig, two, available=("common_neighbours",))
    x = sig["common_neighbours"]
    assert np.allclose(s1, x / (x + 1))
    assert np.allclose(s2, (x / (x + 1) + x / (x + 16)) / 2)      # one more term of the weighted mean
    assert s2[1] - s2[0] > 3 * (s1[1] - s1[0])                    # 30 vs 20 in common: further apart
    assert np.allclose(parts["common_neighbours"], x / (x + 1))   # the parts keep the main scale
    # a component the data cannot measure adds nothing, whatever its extra scales
    s3, _ = score_signals(sig, two, available=())
    assert s3.tolist() == [0.0, 0.0]
    for bad in ([("bridging", 4.0, 1.0)], [("common_neighbours", 0.0, 1.0)], [("common_neighbours", 4.0, -1.0)],
                [("common_neighbours", 4.0)]):
        with pytest.raises(ConfigError, match="extra scale"):
            MatchWeights(extra_scales=bad)


def _by_count(seed: int = 3) -> cop.ActivityLog:
    """The log of :func:`_dense` but the 40 February talks are between the untied pairs that shared the most
    January events (ties by a seeded draw): a tie is likelier the more events a pair shared."""
    rng = np.random.default_rng(seed)
    log, together = _dense(seed)
    frame = log.to_frame()
    frame = frame[~frame["activity_id"].astype(str).str.startswith("talk-")]
    then = MatchData.from_log(log, as_of=AS_OF - pd.Timedelta(days=PERIOD))
    ids = list(then.member_ids)
    tied = {frozenset((ids[a], ids[b])) for a, b in zip(*then.ties.nonzero())}
    pairs = [p for p in sorted(together) if frozenset((f"p{p[0]:02d}", f"p{p[1]:02d}")) not in tied]
    key = np.array([together[p] for p in pairs]) + rng.random(len(pairs)) * 0.5
    rows = []
    for k, t in enumerate(np.argsort(-key)[:40]):
        a, b = pairs[t]
        day = pd.Timestamp("2024-02-05", tz="UTC") + pd.Timedelta(days=k % 20)
        rows += [(f"talk-{k}", f"p{a:02d}", day, "interaction"), (f"talk-{k}", f"p{b:02d}", day, "interaction")]
    talks = pd.DataFrame(rows, columns=["activity_id", "member_id", "timestamp", "kind"])
    base = frame[["activity_id", "member_id", "timestamp", "kind"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cop.ActivityLog.from_frame(pd.concat([base, talks], ignore_index=True)), together


def test_fit_uses_a_wider_scale_where_ties_rise_with_large_counts():
    from cop.match import HALF_POINTS
    from cop.match.fit import FIT_COUNT_SCALES

    log, _ = _by_count()
    f = fit_weights(log, as_of=AS_OF, period=PERIOD)
    g = fit_weights(log, as_of=AS_OF, period=PERIOD, scales=(1,))   # one scale per count
    assert f.fitted and g.fitted and g.weights.extra_scales == ()
    assert " x4" not in g.note and " x16" not in g.note
    # every extra scale is a count's half-point times one of the wider multiples
    assert all(c in HALF_POINTS and any(h == HALF_POINTS[c] * m for m in FIT_COUNT_SCALES[1:])
               for c, h, _ in f.weights.extra_scales)
    # four to six shared events all scale to about 0.8-0.86 on x / (x + 1): the fit weighs a wider scale of them
    wide = {h: w for c, h, w in f.weights.extra_scales if c == "shared_events"}
    assert wide and max(wide.values()) > 0.1
    assert any(f"shared_events x{m:g}" in f.note for m in FIT_COUNT_SCALES[1:])
    with pytest.raises(ConfigError, match="scales"):
        fit_weights(log, as_of=AS_OF, period=PERIOD, scales=(4, 16))
    with pytest.raises(ConfigError, match="scales"):
        fit_weights(log, as_of=AS_OF, period=PERIOD, scales=(1, 1))


def _pairs_sharing_an_activity(log: cop.ActivityLog, before: pd.Timestamp) -> int:
    """Unordered pairs of people with an activity in common before ``before`` (from the raw rows)."""
    frame = log.to_frame()
    frame = frame[pd.to_datetime(frame["timestamp"], utc=True) < before]
    pairs = set()
    for _, who in frame.groupby("activity_id")["member_id"]:
        pairs |= {frozenset(p) for p in combinations(sorted(set(who)), 2)}
    return len(pairs)


@pytest.mark.parametrize("objective", ["pool", "pairwise", "listwise"])
def test_fit_on_the_candidate_pool_recovers_the_planted_signal(objective):
    log, _ = _planted(60)
    f = fit_weights(log, as_of=AS_OF, period=PERIOD, objective=objective)
    assert f.fitted and f.past_ties == 60          # every February tie shared a January event: all in the pool
    # the pool: pairs with an activity in common at the training date (60 people: each one's candidates are
    # all of them, fewer than MAX_CANDIDATES), not every pair
    assert f.pairs == _pairs_sharing_an_activity(log, AS_OF - pd.Timedelta(days=PERIOD)) < 60 * 59 // 2
    assert f.weights.shared_events == 1.0 and f.weights.co_presence < 0.1
    assert "candidate" in f.note
    assert f == fit_weights(log, as_of=AS_OF, period=PERIOD, objective=objective)
    with pytest.raises(ConfigError, match="objective"):
        fit_weights(log, as_of=AS_OF, period=PERIOD, objective="top")


@pytest.mark.parametrize("loss", ["pairwise", "listwise"])
def test_ranking_fit_ignores_what_is_the_same_within_each_list(loss):
    from cop.match.fit import fit_ranking_weights

    # 40 lists of 20 candidates.  "a" is one value per list, higher where the list has more positives: it tells
    # lists apart, not the candidates of a list, so no weight on it changes any list's order and a ranking loss
    # (differences within a list; a softmax over a list is unchanged by adding a constant) gives it 0 exactly.
    # "b" is higher for the positives of every list.  The regression over all pairs does weigh "a".
    rng = np.random.default_rng(3)
    target = np.repeat(np.arange(40), 20)
    rate = np.repeat(rng.uniform(0.05, 0.5, 40), 20)
    y = rng.random(len(target)) < rate
    y[::20] = True                                  # every list has a positive ...
    y[1::20] = False                                # ... and a negative
    a = rate.copy()
    b = np.where(y, 0.6, 0.4) + rng.uniform(-0.3, 0.3, len(y))
    w = fit_ranking_weights({"shared_events": a, "co_presence": b}, y, target, loss=loss)
    assert w == {"shared_events": 0.0, "co_presence": 1.0}
    assert fit_component_weights({"shared_events": a, "co_presence": b}, y)["shared_events"] > 0.1
    with pytest.raises(ConfigError, match="loss"):
        fit_ranking_weights({"shared_events": a}, y, target, loss="pointwise")
