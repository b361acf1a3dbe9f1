"""The simulation ranks introductions with cop match's own ranking (simulation.match_ranking)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import simpy

import simulation.match_ranking as mr
from cop.exceptions import ConfigError
from scenarios import load_scenario
from simulation.config import Scenario, scenario_from_dict
from simulation.introductions import base_logit, success_probability
from simulation.model import run, simulate_space
from simulation.space import CHANNELS, KINDS, ROLES, Space

SHORT = {"space.years": 0.2, "arrivals.initial_members": 40}


def _tiny_space():
    """Six members of six organisations with the same interests: 0-1-2 a path of ties, 0 and 3 in one thread."""
    sc = Scenario(space={"years": 1.0}, manager={"introduction_ranking": "cop"})
    space = Space(simpy.Environment(), sc, 0)
    r = space.roster
    same = np.zeros(len(space.topics), dtype=bool)
    same[[0, 1]] = True
    for k in range(6):
        i = r.add(day=0, org=k, org_type=0, sociability=1.0, interests=same.copy(), engagement=0.5, serial=k)
        r.set_onboarded(i, 0)
    space.n_applicants = 6
    r.add_ties(np.array([0, 1]), np.array([1, 2]), 2.0)
    rec = space.record
    aid = rec.activity("thread", "thread", 0)
    rec.block(aid, np.array([0, 3]), 600, KINDS.index("interaction"), ROLES.index("sender"), 0,
              CHANNELS.index("public"))
    return space


def test_adapter_ranks_common_acquaintance_and_shared_thread_above_strangers():
    space = _tiny_space()
    st = mr.match_state(space)
    assert st.data.ties.nnz == 4 and st.data.events.nnz == 2
    j, score = st.candidates(0)
    ranked = dict(zip(j.tolist(), score.tolist()))
    assert 1 not in ranked  # already tied
    for known in (2, 3):  # a common acquaintance (1); a thread together
        for stranger in (4, 5):
            assert ranked[known] > ranked.get(stranger, 0.0)
    fits = st.fits(np.array([0, 0, 0]), np.array([2, 3, 4]))
    assert fits[0] > fits[2] and fits[1] > fits[2]
    pool = space.roster.onboarded_idx()
    w = mr.cop_weights(space, 0, pool, None)
    assert w.sum() == 1.0 and int(pool[w > 0][0]) == max(ranked, key=ranked.get)


def test_cop_ranking_skips_pairs_introduced_and_members_at_their_weekly_bound():
    space = _tiny_space()
    pool = space.roster.onboarded_idx()
    first = int(pool[mr.cop_weights(space, 0, pool, None) > 0][0])
    mr.note_introduction(space, 0, first)
    second = int(pool[mr.cop_weights(space, 0, pool, None) > 0][0])
    assert second not in (first, 0, 1)
    st = space.matchmaking
    st.load[0] = space.scenario.manager.match_per_member_week
    assert mr.cop_weights(space, 0, pool, None).sum() == 0  # 0 is at the bound this week


def test_cop_ranking_never_proposes_an_existing_tie_nor_a_repeat(monkeypatch):
    seen = []
    orig = mr.cop_weights

    def checked(space, a, pool, interests):
        w = orig(space, a, pool, interests)
        if w.sum():
            b = int(pool[np.argmax(w)])
            thr = space.scenario.encounters.tie_threshold
            assert space.roster.ties.get(np.array([a]), np.array([b]))[0] <= thr
            key = (min(a, b), max(a, b))
            assert key not in seen
            seen.append(key)
        return w

    monkeypatch.setattr(mr, "cop_weights", checked)
    sc = load_scenario("matchmaking_follow_cop").with_params(SHORT)
    res = run(sc, seed=4)
    assert len(seen) > 50
    intro = res.participations[res.participations["activity_id"].str.startswith("intro")
                               & res.participations["member_id"].str.startswith("m")]
    pairs = intro.groupby("activity_id")["member_id"].apply(lambda s: tuple(sorted(s)))
    assert pairs.is_unique  # every introduction (tool and manager alike) is a new pair


def test_same_seed_same_log_and_the_ranking_changes_the_run():
    tiny = {"space.years": 0.12, "arrivals.initial_members": 30}
    sc = load_scenario("matchmaking_follow_cop").with_params(tiny)
    a = run(sc, seed=9).participations
    pd.testing.assert_frame_equal(a, run(sc, seed=9).participations)
    rnd = load_scenario("matchmaking_random").with_params(tiny)
    assert not a.equals(run(rnd, seed=9).participations)


def test_default_ranking_does_not_build_the_match_state():
    space, _ = simulate_space(Scenario(space={"years": 0.1}, arrivals={"initial_members": 20}), 1)
    assert space.matchmaking is None


@pytest.fixture(scope="module")
def fitted_space():
    sc = load_scenario("matchmaking_manager_only").with_params({"space.years": 0.25, "arrivals.initial_members": 50})
    space, _ = simulate_space(sc, 2)
    mr.match_state(space).rebuild()  # introductions are decided in the manager's weekly step, right at a rebuild
    return space


def test_success_rises_with_fit_exactly_by_the_slope(fitted_space):
    space = fitted_space
    pool = space.roster.onboarded_idx()
    rng = np.random.default_rng(0)
    a, b = pool[rng.integers(0, len(pool), 300)], pool[rng.integers(0, len(pool), 300)]
    keep = a != b
    a, b = a[keep], b[keep]
    p = success_probability(space, a, b)
    fit = mr.pair_fit(space, a, b)
    st = space.matchmaking
    slope = space.scenario.manager.introduction_cop_fit
    np.testing.assert_allclose(np.log(p / (1 - p)) - base_logit(space, a, b), slope * fit - st.offset, atol=1e-9)
    assert slope > 0 and fit.std() > 0.02  # the fit varies, so success does too


def test_mean_success_over_random_pairs_stays_at_the_base_rate(fitted_space):
    space = fitted_space
    r = space.roster
    pool = r.onboarded_idx()
    rng = np.random.default_rng(1)  # pairs other than the calibration's
    a, b = pool[rng.integers(0, len(pool), 3000)], pool[rng.integers(0, len(pool), 3000)]
    keep = (a != b) & (r.org[a] != r.org[b]) & (r.ties.get(a, b) <= space.scenario.encounters.tie_threshold)
    a, b = a[keep], b[keep]
    with_fit = success_probability(space, a, b).mean()
    without = (1.0 / (1.0 + np.exp(-base_logit(space, a, b)))).mean()
    assert abs(with_fit - without) < 0.02, (with_fit, without)


def test_bad_ranking_is_one_config_error():
    with pytest.raises(ConfigError, match="manager.introduction_ranking"):
        scenario_from_dict({"manager": {"introduction_ranking": "best"}})
    with pytest.raises(ConfigError, match="interventions.0.ranking"):
        scenario_from_dict({"interventions": [{"name": "matchmaking_tool", "ranking": "best"}]})
