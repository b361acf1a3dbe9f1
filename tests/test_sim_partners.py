"""Partner choice by components draws exactly the documented weights; sparse ties behave like a matrix."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.config import Scenario
from simulation.model import simulate_space
from simulation.partners import PartnerSampler
from simulation.ties import Ties


@pytest.fixture(scope="module")
def space():
    s = Scenario(space={"years": 0.4}, arrivals={"initial_members": 40, "share_freelancer": 0.3,
                                                  "large_company_size": 6.0})
    sp, _ = simulate_space(s, 11)
    return sp


def dense_weights(space, people, i, team_rooms=True):
    """The documented weights of starter ``people[i]`` over ``people``, written out pair by pair."""
    r = space.roster
    enc = space.scenario.encounters
    share = space.scenario.members.team_room_share if team_rooms else 0.0
    org = r.org[people]
    col = np.array([(org == o).sum() >= 2 for o in org])
    c = np.where(col, 1 - share, 1.0)
    recv = np.sqrt(r.sociability[people]) * np.where(r.onboarded[people], 1.0, enc.newcomer_receptiveness)
    strength = {(int(a), int(b)): v for a, b, v in zip(r.ties.src(), r.ties.dst, r.ties.val)}
    current = r.active_idx()
    a = people[i]
    w = np.zeros(len(people))
    for j, b in enumerate(people):
        if j == i:
            continue
        shared = int((r.interests[a] & r.interests[b]).sum())
        s = strength.get((int(a), int(b)), 0.0)
        mutual = sum(1 for k in current if strength.get((int(a), int(k)), 0) > enc.tie_threshold
                     and strength.get((int(k), int(b)), 0) > enc.tie_threshold)
        common = (enc.base_partner_weight + enc.topic_affinity * shared
                  + enc.tie_affinity * min(s, enc.tie_weight_cap) + enc.closure_affinity * mutual)
        w[j] = c[i] * c[j] * recv[j] * common + enc.colleague_affinity * (org[i] == org[j]) * recv[j]
    return w / w.sum()


@pytest.mark.parametrize("team_rooms", [True, False])
def test_sampler_draws_the_dense_distribution(space, team_rooms):
    people = space.roster.active_idx()
    sampler = PartnerSampler(space, people, team_rooms=team_rooms)
    rng = np.random.default_rng(0)
    n = 200_000
    # the starter with the most ties (every component in play) and one with colleagues present
    deg = space.roster.ties.count_above(people, space.scenario.encounters.tie_threshold)
    cand = [int(np.argmax(deg)), int(np.flatnonzero(sampler.has_colleague)[0])]
    for i in cand:
        got = sampler.draw(np.full(n, i), rng.random((3, n)))
        assert (got >= 0).all() and (got != people[i]).all()
        freq = np.bincount(np.searchsorted(people, got), minlength=len(people)) / n
        want = dense_weights(space, people, i, team_rooms)
        assert 0.5 * np.abs(freq - want).sum() < 0.015, (i, 0.5 * np.abs(freq - want).sum())


def test_ties_add_decay_forget_and_remove_like_a_matrix():
    rng = np.random.default_rng(3)
    t, dense = Ties(), np.zeros((30, 30))
    for _ in range(20):
        a, b = rng.integers(0, 30, 15), rng.integers(0, 30, 15)
        keep = a != b
        a, b = a[keep], b[keep]
        amt = rng.random(len(a))
        t.add(a, b, amt)
        np.add.at(dense, (a, b), amt)
        np.add.at(dense, (b, a), amt)
        t.decay(0.9, floor=0.05)
        dense *= 0.9
        dense[dense < 0.05] = 0.0
    gone = [3, 17]
    t.remove_members(gone)
    dense[gone, :] = 0
    dense[:, gone] = 0
    ii, jj = np.nonzero(dense)
    assert np.allclose(t.get(ii, jj), dense[ii, jj])
    assert len(t) == len(ii)
    assert (np.diff(t.key) > 0).all()
    assert t.count_above(np.arange(30), 0.5).tolist() == (dense > 0.5).sum(axis=1).tolist()
