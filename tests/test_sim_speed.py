"""The speed-ups of the simulation keep every draw: fast paths agree with the plain numpy ones they replace."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import streams as S
from simulation.streams import MECHANISMS, Streams, poisson_from_uniform
from simulation.ties import Ties


def _numpy_stream(entropy, spawn, mech, keys):
    ss = np.random.SeedSequence(entropy, spawn_key=tuple(spawn) + (MECHANISMS[mech], *keys))
    return np.random.Generator(np.random.PCG64(ss))


def test_fast_seeding_is_on_and_checked_against_numpy():
    assert S._FAST_SEEDING
    assert S._check_fast_seeding()


@pytest.mark.parametrize("trial", range(4))
def test_streams_equal_numpys_seed_sequence(trial):
    rng = np.random.default_rng(trial)
    names = list(MECHANISMS)
    for t in range(150):
        entropy = int(rng.integers(0, 2**62)) << int(rng.integers(0, 70))
        spawn = tuple(int(x) for x in rng.integers(0, 2 ** int(rng.integers(1, 40)), int(rng.integers(0, 3))))
        st = Streams(np.random.SeedSequence(entropy, spawn_key=spawn))
        mech = names[t % len(names)]
        n_keys = int(rng.integers(0, 4))
        keys = tuple(int(x) for x in rng.integers(0, 2 ** int(rng.integers(1, 45)), n_keys))
        # block edges of the one-key cache, and keys of several words
        for k in [keys, (0,), (511,), (512,), (1023,), (2**32 - 1,), (2**32,), (5, 2**40)]:
            assert np.array_equal(st.for_(mech, *k).random(4), _numpy_stream(entropy, spawn, mech, k).random(4)), k


def test_streams_of_an_os_seed_and_of_numpy_integers():
    st = Streams(None)  # entropy from the OS: 128 bits
    ent = st.entropy
    assert np.array_equal(st.for_("presence", 7).random(3), _numpy_stream(ent, (), "presence", (7,)).random(3))
    st = Streams(np.random.SeedSequence(3))
    assert np.array_equal(st.for_("exits", np.int64(9)).random(3), _numpy_stream(3, (), "exits", (9,)).random(3))


def test_by_member_draws_only_the_rows_needed_and_the_same_numbers():
    st = Streams(4)
    serials = np.array([3, 0, 7])
    got = st.by_member("presence", 10, serials, columns=2, n_serials=500)
    full = _numpy_stream(4, (), "presence", (10,)).random((500, 2))[serials]
    assert np.array_equal(got, full)


def _poisson_reference(u, lam):
    """The former loop over every count, kept as the reference."""
    u = np.asarray(u, dtype=np.float64)
    lam = np.broadcast_to(np.asarray(lam, dtype=np.float64), u.shape)
    k = np.zeros(u.shape, dtype=np.int64)
    p = np.exp(-lam)
    f = p.copy()
    go = u > f
    limit = int(np.ceil(lam.max(initial=0.0) * 10 + 60))
    while go.any() and k.max(initial=0) < limit:
        k[go] += 1
        p = np.where(go, p * lam / np.maximum(k, 1), p)
        f = np.where(go, f + p, f)
        go &= u > f
    return k


def test_poisson_from_uniform_equals_the_full_loop():
    rng = np.random.default_rng(2)
    for shape, scale in (((1000,), 3.0), ((40, 3), 0.2), ((5000,), 30.0), ((0,), 1.0)):
        u = rng.random(shape)
        lam = rng.lognormal(0, 1, shape) * scale
        assert np.array_equal(poisson_from_uniform(u, lam), _poisson_reference(u, lam))
    # a uniform the distribution function never passes stops at the limit of steps (10 x 50 + 60)
    u, lam = np.array([1 - 1e-16, 0.5, 1 - 1e-16]), np.array([50.0, 1.0, 0.0])
    assert poisson_from_uniform(u, lam).tolist() == _poisson_reference(u, lam).tolist() == [560, 1, 0]


def test_ties_stay_exactly_symmetric_and_match_a_dense_matrix():
    rng = np.random.default_rng(8)
    t, dense = Ties(), np.zeros((40, 40))
    for step in range(60):
        if step % 3 == 0:  # one tie at a time (introductions), new or existing
            a, b = (int(x) for x in rng.choice(40, 2, replace=False))
            t.add_one(a, b, 0.25)
            dense[a, b] += 0.25
            dense[b, a] += 0.25
        else:
            a, b = rng.integers(0, 40, 25), rng.integers(0, 40, 25)
            a, b = a[a != b], b[a != b]
            amt = 0.1 if step % 2 else rng.random(len(a))
            t.add(a, b, amt)
            np.add.at(dense, (a, b), amt)
            np.add.at(dense, (b, a), amt)
        if step % 10 == 9:
            t.decay(0.8, floor=0.05)
            dense *= 0.8
            dense[dense < 0.05] = 0.0
    assert (np.diff(t.key) > 0).all() and np.array_equal(t.dst, t.key & 0xFFFFFFFF)
    back = t.get(t.dst, t.src())
    assert np.array_equal(back, t.val)  # (b, a) holds exactly the strength of (a, b)
    got = np.zeros((40, 40))
    got[t.src(), t.dst] = t.val
    assert np.allclose(got, dense, rtol=1e-12, atol=1e-12)


def test_a_self_pair_counts_twice_as_before():
    t = Ties()
    t.add(np.array([2, 2]), np.array([2, 3]), 1.0)
    assert t.get(np.array([2, 2, 3]), np.array([2, 3, 2])).tolist() == [2.0, 1.0, 1.0]
    t.add_one(2, 2, 0.5)
    assert t.get(np.array([2]), np.array([2])).tolist() == [3.0]


def test_by_member_jumps_to_a_few_far_rows_with_the_same_numbers():
    st = Streams(9)
    for columns in (1, 2, 31):
        serials = np.array([4990, 3, 3, 700, 4990, 0])  # few, far apart, repeated, unsorted
        got = st.by_member("conversations", 12, serials, columns=columns, n_serials=5000)
        full = _numpy_stream(9, (), "conversations", (12,)).random((5000, columns))[serials]
        assert np.array_equal(got, full[:, 0] if columns == 1 else full)
    assert st.by_member("groups", 1, np.zeros(0, dtype=np.int64), columns=3, n_serials=10).shape == (0, 3)
