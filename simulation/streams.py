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

    def for_(self, mechanism: str, *keys: int) -> np.random.Generator:
        """A fresh Generator for ``mechanism`` and integer ``keys`` (the same keys: the same stream)."""
        ss = np.random.SeedSequence(
            entropy=self.entropy, spawn_key=self.spawn_key + (MECHANISMS[mechanism], *map(int, keys)))
        return np.random.Generator(np.random.PCG64(ss))

    def by_member(self, mechanism: str, key: int, serials: np.ndarray, *, columns: int = 1,
                  n_serials: int | None = None) -> np.ndarray:
        """Uniforms of shape ``(len(serials), columns)`` (1-d when ``columns == 1``), row ``k`` fixed by ``serials[k]``."""
        serials = np.asarray(serials, dtype=np.int64)
        n = int(serials.max(initial=-1)) + 1 if n_serials is None else int(n_serials)
        u = self.for_(mechanism, key).random((n, columns))[serials]
        return u[:, 0] if columns == 1 else u


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
