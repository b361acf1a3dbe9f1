"""Independent random streams, one per mechanism and key, for common random numbers.

A run draws from many small :class:`numpy.random.Generator` streams rather
than one: each is spawned from the run's root :class:`numpy.random.SeedSequence`
by a *stable key* — the mechanism's fixed number in :data:`MECHANISMS` and
integers such as the day, or an applicant's serial number — so
``SeedSequence(entropy=root.entropy, spawn_key=root.spawn_key + (mechanism, *keys))``.
Keys never come from Python's salted :func:`hash`, so streams are the same in
every process and on every machine.

Draws that belong to a member are read **by the member's serial number**
(the order of applicants, refused ones included) from a per-day matrix whose
rows are serial numbers: ``streams.by_member("presence", day, serials)``.  A
numpy stream is prefix-stable (``random((n, c))`` begins with
``random((m, c))`` for ``m < n``), so member ``s`` gets the same numbers on
day ``d`` whoever else is in the space.  Two scenarios run with the same seed
therefore share every draw an intervention does not touch: presence, the
number of conversations each member starts, event attendance, exits — the
basis of common random numbers (Law 2015, *Simulation Modeling and
Analysis*, ch. 11).

Examples
--------
>>> import numpy as np
>>> s = Streams(7)
>>> a = s.for_("presence", 3).random(4)
>>> bool(np.array_equal(a, Streams(7).for_("presence", 3).random(4)))
True
>>> bool(np.array_equal(a, s.for_("presence", 4).random(4)))
False
>>> u = s.by_member("presence", 3, np.array([0, 5]), columns=2, n_serials=6)
>>> bool(np.array_equal(u, s.by_member("presence", 3, np.array([0, 5]), columns=2, n_serials=60)))
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["Streams", "MECHANISMS", "poisson_from_uniform"]

#: The stable number of each mechanism's stream (never reorder; append new ones).
MECHANISMS = {
    "applicant": 1,        # key: applicant serial — type, interests, sociability, fit, tool, organisation
    "arrivals": 2,         # key: day — number of applicants
    "presence": 3,         # key: day; rows: member serial
    "conversations": 4,    # key: day; rows: member serial — number started, partner/time/topic of each
    "conversations_extra": 5,  # key: day — conversations beyond the per-member block (positional)
    "event": 6,            # key: day — kind, theme, topic, guests
    "event_attendance": 7,  # key: day; rows: member serial
    "event_conversations": 8,  # key: day; rows: member serial
    "onboarding": 9,       # key: day; rows: member serial — welcome day
    "introductions": 10,   # key: day; rows: member serial — requests, tool suggestions, order key
    "introduction_draws": 11,  # key: day — partner, topic, time of each introduction (positional)
    "collaborations": 12,  # key: day — pairs in member-serial order (positional)
    "exits": 13,           # key: day; rows: member serial
    "intervention": 14,    # key: intervention position, then rows: member serial
    "groups": 15,          # key: day; rows: member serial — lunch: goes, circle, topic, seat order
    "presence_team": 16,   # key: day; rows: organisation number — the team's day schedule
    "manager_presence": 17,  # key: day — whether the manager is in
    "threads": 18,         # key: day; rows: member serial — threads joined, topic, order
    "tool_fade": 19,       # key: day; rows: member serial — giving up the matchmaking tool
    "introduction_outcomes": 20,  # key: day — whether each introduction works out (positional)
    "brokering": 21,       # key: day — who the manager brokers for (positional)
    "matchmaking": 22,     # key: day — the random pairs that calibrate the cop-fit offset (positional)
    "visits": 40,          # key: day; rows: member serial — visiting another space of a network, and which
    "streaming": 41,       # key: day — whether an event is streamed (networks of spaces)
}


class Streams:
    """The random streams of one run, spawned from one root seed by stable keys.

    Parameters
    ----------
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        The run's seed.  A Generator contributes the SeedSequence it was made from (so
        ``default_rng(s)`` and ``s`` give the same run, whatever it has drawn before), or,
        failing that, one 63-bit integer drawn from it.
    """

    def __init__(self, seed: int | np.random.SeedSequence | np.random.Generator | None) -> None:
        if isinstance(seed, np.random.Generator):  # its SeedSequence: default_rng(s) and s give the same run
            seq = getattr(seed.bit_generator, "seed_seq", None)
            seed = seq if isinstance(seq, np.random.SeedSequence) else int(seed.integers(0, 2**63))
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        self.entropy = root.entropy
        self.spawn_key = tuple(root.spawn_key)
        self._prefix: dict[int, tuple[list[int], int]] = {}  # mechanism -> pool and hash step after it
        self._blocks: dict[tuple[int, int], np.ndarray] = {}  # (mechanism, key >> _BLOCK_BITS) -> states
        self._fast = _FAST_SEEDING and _words(self.entropy) is not None and _words(self.spawn_key) is not None

    def for_(self, mechanism: str, *keys: int) -> np.random.Generator:
        """A fresh Generator for ``mechanism`` and integer ``keys`` (the same keys: the same stream)."""
        mech = MECHANISMS[mechanism]
        if self._fast:
            if len(keys) == 1 and type(keys[0]) is int and 0 <= keys[0] < _BLOCK_KEYS:
                k = keys[0]
                block = self._blocks.get((mech, k >> _BLOCK_BITS))
                if block is None:
                    block = self._block(mech, k >> _BLOCK_BITS)
                return np.random.Generator(np.random.PCG64(_State(block[k & _BLOCK_MASK])))
            if all(type(k) is int and k >= 0 for k in keys):
                return np.random.Generator(np.random.PCG64(_State(self._state(mech, keys))))
        ss = np.random.SeedSequence(entropy=self.entropy, spawn_key=self.spawn_key + (mech, *map(int, keys)))
        return np.random.Generator(np.random.PCG64(ss))

    def _state(self, mech: int, keys: tuple[int, ...]) -> np.ndarray:
        """``SeedSequence(entropy, spawn_key=spawn_key + (mech, *keys)).generate_state(4, np.uint64)``.

        numpy's SeedSequence hashes the words of its entropy and spawn key one after the other, so
        the pool after ``(entropy, spawn_key, mech)`` is computed once and only the keys are mixed
        in per stream (the same algorithm, in Python integers: :func:`_mix_words`).
        """
        hit = self._prefix.get(mech)
        if hit is None:
            hit = self._prefix[mech] = _mix_words(_words(self.entropy), _words(self.spawn_key + (mech,)))
        pool, t = hit
        if keys:
            pool = list(pool)
            for k in keys:
                t = _mix_tail(pool, t, _int_words(k) if k else [0])
        return _generate(pool)

    def _block(self, mech: int, b: int) -> np.ndarray:
        """The states of the streams ``(mech, k)`` for the ``2**_BLOCK_BITS`` keys ``k`` of block ``b``, at once.

        One key below ``2**32`` is one word, so :func:`_mix_tail` and :func:`_generate` run on
        arrays of keys (uint64 arithmetic, kept to 32 bits).
        """
        hit = self._prefix.get(mech)
        if hit is None:
            hit = self._prefix[mech] = _mix_words(_words(self.entropy), _words(self.spawn_key + (mech,)))
        pool0, t = hit
        m32 = np.uint64(_M32)
        s16 = np.uint64(16)
        w = np.arange(b << _BLOCK_BITS, (b + 1) << _BLOCK_BITS, dtype=np.uint64)
        pool = []
        for i in range(_POOL):
            v = ((w ^ np.uint64(_HA[t])) * np.uint64(_HA[t + 1])) & m32
            v ^= v >> s16
            r = (np.uint64(_MIX_L * pool0[i] & _M32) - np.uint64(_MIX_R) * v) & m32
            pool.append(r ^ (r >> s16))
            t += 1
        out = np.empty((len(w), 4), dtype=np.uint64)
        for i in range(8):
            v = ((pool[i % _POOL] ^ np.uint64(_HB[i])) * np.uint64(_HB[i + 1])) & m32
            v ^= v >> s16
            if i % 2 == 0:
                out[:, i // 2] = v
            else:
                out[:, i // 2] |= v << np.uint64(32)
        self._blocks[(mech, b)] = out
        return out

    def by_member(self, mechanism: str, key: int, serials: np.ndarray, *, columns: int = 1,
                  n_serials: int | None = None) -> np.ndarray:
        """Uniforms of shape ``(len(serials), columns)`` (1-d when ``columns == 1``), row ``k`` fixed by ``serials[k]``.

        Only the rows up to the largest serial asked for are drawn: a stream's first rows are the
        same whatever their number (``n_serials`` says how many there are).
        """
        serials = np.asarray(serials, dtype=np.int64)
        top = int(serials.max(initial=-1)) + 1
        n = top if n_serials is None else min(int(n_serials), top)
        gen = self.for_(mechanism, key)
        if len(serials) * _JUMP_COST < n * columns:  # a few rows far apart (visitors): jump to each row
            uniq, inv = np.unique(serials, return_inverse=True)
            bg = gen.bit_generator
            rows = np.empty((len(uniq), columns))
            at = 0
            for i, row in enumerate(uniq.tolist()):
                bg.advance(row * columns - at)  # as if the rows before had been drawn: one 64-bit step a uniform
                rows[i] = gen.random(columns)
                at = (row + 1) * columns
            u = rows[inv.reshape(-1)]
        else:
            u = gen.random((n, columns))[serials]
        return u[:, 0] if columns == 1 else u


# ---------------------------------------------------------------------------------------------- seeding
# numpy's SeedSequence (numpy/random/bit_generator.pyx, pool size 4), word by word, so that the pool
# after a common prefix of the spawn key is reused.  Checked against numpy on import (_FAST_SEEDING).
_M32 = 0xFFFFFFFF
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_POOL = 4
#: one-key streams are seeded in blocks of 2**_BLOCK_BITS consecutive keys (days, serial numbers)
_BLOCK_BITS = 9
_BLOCK_MASK = (1 << _BLOCK_BITS) - 1
_BLOCK_KEYS = 1 << 32
#: :meth:`Streams.by_member` jumps to each row when it needs fewer rows than the uniforms it would draw / this
_JUMP_COST = 1000


def _int_words(n: int) -> list[int]:
    """The uint32 words of a non-negative integer, least significant first (``[0]`` for 0)."""
    if n == 0:
        return [0]
    out = []
    while n > 0:
        out.append(n & _M32)
        n >>= 32
    return out


def _words(x) -> list[int] | None:
    """The uint32 words numpy makes of an entropy or spawn key (``None``: a kind left to numpy)."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return _int_words(int(x)) if x >= 0 else None
    if isinstance(x, (tuple, list)):
        out: list[int] = []
        for v in x:
            w = _words(v)
            if w is None:
                return None
            out += w
        return out
    return None


#: the hash constants: ``_HA[t]`` before the hash step ``t`` of the pool, ``_HB[i]`` before output word ``i``
_HA = [_INIT_A]
for _ in range(4096):
    _HA.append((_HA[-1] * _MULT_A) & _M32)
_HB = [_INIT_B]
for _ in range(8):
    _HB.append((_HB[-1] * _MULT_B) & _M32)


def _mix_tail(pool: list[int], t: int, words: list[int]) -> int:
    """Mix ``words`` into the full pool (in place) from hash step ``t``; return the next step."""
    ha = _HA
    if t + 4 * len(words) >= len(ha):
        raise ValueError("spawn key too long for the fast path")
    for w in words:
        for i in range(_POOL):
            v = ((w ^ ha[t]) * ha[t + 1]) & _M32
            v ^= v >> 16
            r = (_MIX_L * pool[i] - _MIX_R * v) & _M32
            pool[i] = r ^ (r >> 16)
            t += 1
    return t


def _mix_words(entropy: list[int], spawn: list[int]) -> tuple[list[int], int]:
    """The pool and the next hash step after the entropy and spawn words (numpy's ``mix_entropy``)."""
    if spawn and len(entropy) < _POOL:
        entropy = entropy + [0] * (_POOL - len(entropy))
    words = entropy + spawn
    ha = _HA
    t = 0
    pool = []
    for i in range(_POOL):
        v = (((words[i] if i < len(words) else 0) ^ ha[t]) * ha[t + 1]) & _M32
        pool.append(v ^ (v >> 16))
        t += 1
    for i_src in range(_POOL):
        for i_dst in range(_POOL):
            if i_src != i_dst:
                v = ((pool[i_src] ^ ha[t]) * ha[t + 1]) & _M32
                v ^= v >> 16
                r = (_MIX_L * pool[i_dst] - _MIX_R * v) & _M32
                pool[i_dst] = r ^ (r >> 16)
                t += 1
    t = _mix_tail(pool, t, words[_POOL:])
    return pool, t


def _generate(pool: list[int]) -> np.ndarray:
    """numpy's ``generate_state(4, np.uint64)`` of the pool."""
    hb = _HB
    p0, p1, p2, p3 = pool
    w = []
    for i, p in enumerate((p0, p1, p2, p3, p0, p1, p2, p3)):
        v = ((p ^ hb[i]) * hb[i + 1]) & _M32
        w.append(v ^ (v >> 16))
    return np.array([w[0] | w[1] << 32, w[2] | w[3] << 32, w[4] | w[5] << 32, w[6] | w[7] << 32], dtype=np.uint64)


class _State(np.random.bit_generator.ISeedSequence):
    """A seed sequence whose state is already known (what :class:`numpy.random.PCG64` asks of one)."""

    __slots__ = ("state",)

    def __init__(self, state: np.ndarray) -> None:
        self.state = state

    def generate_state(self, n_words, dtype=np.uint32):
        if n_words != 4 or np.dtype(dtype) != np.uint64:
            raise ValueError("a fixed state of four uint64 words")
        return self.state


def _check_fast_seeding() -> bool:
    """Whether the Python seeding gives numpy's streams (else :meth:`Streams.for_` uses numpy's own)."""
    try:
        for entropy, spawn, keys in ((1, (), (3, 7)), (2**100 + 5, (1003, 7), (40, 2**33, 0)), (0, (5,), (1,))):
            s = Streams(np.random.SeedSequence(entropy, spawn_key=spawn))
            s._fast = True
            a = np.random.Generator(np.random.PCG64(_State(s._state(keys[0], keys[1:])))).random(3)
            b = np.random.Generator(np.random.PCG64(np.random.SeedSequence(
                entropy, spawn_key=spawn + keys))).random(3)
            if not np.array_equal(a, b):
                return False
        return True
    except Exception:  # noqa: BLE001 - any change of numpy's internals: use numpy's path
        return False


_FAST_SEEDING = True
_FAST_SEEDING = _check_fast_seeding()


def poisson_from_uniform(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Poisson counts with means ``lam`` by inversion of the uniforms ``u`` (one uniform per count).

    Inversion keeps common random numbers: a small change of ``lam`` changes
    the count only for the few ``u`` near a step of the distribution function.

    Examples
    --------
    >>> import numpy as np
    >>> poisson_from_uniform(np.array([0.1, 0.5, 0.99]), np.array([1.0, 1.0, 1.0])).tolist()
    [0, 1, 4]
    >>> k = poisson_from_uniform(np.random.default_rng(0).random(100_000), np.full(100_000, 2.5))
    >>> bool(abs(k.mean() - 2.5) < 0.02)
    True
    """
    u = np.asarray(u, dtype=np.float64)
    lam = np.broadcast_to(np.asarray(lam, dtype=np.float64), u.shape)
    k = np.zeros(u.shape, dtype=np.int64)
    p = np.exp(-lam)
    limit = int(np.ceil(lam.max(initial=0.0) * 10 + 60))
    # the counts still going after t steps are t; only those are carried on (the same arithmetic per count)
    kf = k.reshape(-1)
    uf, lf, pf = u.reshape(-1), lam.reshape(-1), p.reshape(-1)
    idx = np.flatnonzero(uf > pf)
    u_, l_, p_ = uf[idx], lf[idx], pf[idx]
    f_ = p_.copy()
    t = 0
    while len(idx) and t < limit:
        t += 1
        p_ = p_ * l_ / t
        f_ = f_ + p_
        go = u_ > f_
        if go.all():
            continue
        kf[idx[~go]] = t
        idx, u_, l_, p_, f_ = idx[go], u_[go], l_[go], p_[go], f_[go]
    kf[idx] = t
    return k
