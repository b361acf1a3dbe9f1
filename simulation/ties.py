"""Sparse, symmetric tie strengths between current members, as sorted edge arrays.

A tie is stored in both directions, so the ties of member ``i`` are one
contiguous slice of the arrays (:meth:`Ties.slices`).  The arrays are sorted
by the key ``i * 2**32 + j``; ``dst`` holds ``j`` and ``val`` the strength.
Adding strength to existing ties is an in-place update; new ties are merged
in by one sorted insert per batch; decay multiplies every strength and drops
the ties that fall below a floor (``encounters.tie_floor``).  Memory and time
grow with the number of ties, never with the square of the head-count.

Examples
--------
>>> import numpy as np
>>> t = Ties()
>>> t.add(np.array([0, 0, 2]), np.array([1, 1, 0]), 1.0)
>>> t.get(np.array([1, 0, 1]), np.array([0, 2, 2])).tolist()
[2.0, 1.0, 0.0]
>>> lo, hi = t.slices(np.array([0]))
>>> t.dst[lo[0]:hi[0]].tolist()
[1, 2]
>>> t.decay(0.5, floor=0.6)
>>> len(t), t.get(np.array([0]), np.array([1])).tolist()
(2, [1.0])
>>> t.remove_members([1])
>>> len(t)
0
"""

from __future__ import annotations

import numpy as np

__all__ = ["Ties"]

_SHIFT = np.int64(32)
_LOW = np.int64(0xFFFFFFFF)


class Ties:
    """Symmetric tie strengths as sorted ``(key, dst, val)`` arrays (see the module doc)."""

    def __init__(self) -> None:
        self.key = np.zeros(0, dtype=np.int64)
        self.dst = np.zeros(0, dtype=np.int64)
        self.val = np.zeros(0, dtype=np.float64)

    def __len__(self) -> int:
        return len(self.key)

    @staticmethod
    def _keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (np.asarray(a, dtype=np.int64) << _SHIFT) | np.asarray(b, dtype=np.int64)

    def add(self, a: np.ndarray, b: np.ndarray, amount) -> None:
        """Strengthen the ties ``(a[k], b[k])`` by ``amount`` (scalar or per pair; repeats add up).

        Both directions of a tie get the same sum, so the strengths stay exactly symmetric.
        """
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        m = len(a)
        if m == 0:
            return
        scalar = np.ndim(amount) == 0
        if m == 1:  # one tie (introductions, collaborations): in place when it exists, else two inserts
            x, y = int(a[0]), int(b[0])
            if x != y:
                amt = float(amount) if scalar else float(np.asarray(amount, dtype=np.float64).reshape(-1)[0])
                self._add_one(x, y, amt)
                return
        if (a == b).any():
            self._add_general(a, b, amount)
            return
        # one canonical key (low, high) per pair; the sum of each distinct pair goes to both directions
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        ck = (lo << _SHIFT) | hi
        order = np.argsort(ck, kind="stable")
        sk = ck[order]
        first = np.empty(m, dtype=bool)
        first[0] = True
        np.not_equal(sk[1:], sk[:-1], out=first[1:])
        gid = np.cumsum(first) - 1
        uk = sk[first]
        if scalar:  # equal summands: any order gives the same sum
            add = np.bincount(gid, weights=np.full(m, float(amount)), minlength=len(uk))
        else:  # the pairs' own order, as a sum over the input
            inv = np.empty(m, dtype=np.int64)
            inv[order] = gid
            amt = np.broadcast_to(np.asarray(amount, dtype=np.float64), a.shape)
            add = np.bincount(inv, weights=amt, minlength=len(uk))
        rev = ((uk & _LOW) << _SHIFT) | (uk >> _SHIFT)
        keys = np.concatenate([uk, rev])
        o2 = np.argsort(keys)
        keys = keys[o2]
        add = np.concatenate([add, add])[o2]
        self._merge(keys, add)

    def _merge(self, keys: np.ndarray, add: np.ndarray) -> None:
        """Add ``add`` to the sorted, distinct ``keys``: in place where they exist, inserted where not."""
        key = self.key
        pos = np.searchsorted(key, keys)
        n = len(key)
        found = pos < n
        found[found] = key[pos[found]] == keys[found]
        if found.all():
            self.val[pos] += add
            return
        if found.any():
            self.val[pos[found]] += add[found]
            new = ~found
            p, keys, add = pos[new], keys[new], add[new]
        else:
            p = pos
        q = len(p)
        at = p + np.arange(q)  # where the new entries land in the merged arrays
        old = np.ones(n + q, dtype=bool)
        old[at] = False
        for name, fill in (("key", keys), ("dst", keys & _LOW), ("val", add)):
            arr = getattr(self, name)
            out = np.empty(n + q, dtype=arr.dtype)
            out[at] = fill
            out[old] = arr
            setattr(self, name, out)

    def add_one(self, a: int, b: int, amount: float) -> None:
        """Strengthen one tie (what :meth:`add` does for one pair, without the arrays)."""
        if a == b:
            self._add_general(np.array([a], dtype=np.int64), np.array([b], dtype=np.int64), amount)
        else:
            self._add_one(int(a), int(b), float(amount))

    def _add_one(self, x: int, y: int, amt: float) -> None:
        """Strengthen the one tie ``(x, y)``, ``x != y``."""
        k1, k2 = (x << 32) | y, (y << 32) | x
        key = self.key
        n = len(key)
        p1, p2 = int(key.searchsorted(k1)), int(key.searchsorted(k2))
        has1 = p1 < n and int(key[p1]) == k1
        has2 = p2 < n and int(key[p2]) == k2
        if has1 and has2:
            self.val[p1] += amt
            self.val[p2] += amt
            return
        if has1 or has2:  # one direction only: never made by this class; the general path copes
            self._add_general(np.array([x]), np.array([y]), amt)
            return
        if k1 > k2:
            k1, k2, p1, p2, x, y = k2, k1, p2, p1, y, x
        d = self.dst
        v = self.val
        self.key = np.concatenate((key[:p1], (k1,), key[p1:p2], (k2,), key[p2:]))
        self.dst = np.concatenate((d[:p1], (y,), d[p1:p2], (x,), d[p2:]))
        self.val = np.concatenate((v[:p1], (amt,), v[p1:p2], (amt,), v[p2:]))

    def _add_general(self, a: np.ndarray, b: np.ndarray, amount) -> None:
        """Both directions of every pair, summed per direction (self-ties count twice)."""
        amt = np.broadcast_to(np.asarray(amount, dtype=np.float64), a.shape)
        keys = np.concatenate([self._keys(a, b), self._keys(b, a)])
        uk, inv = np.unique(keys, return_inverse=True)
        add = np.bincount(inv, weights=np.concatenate([amt, amt]), minlength=len(uk))
        self._merge(uk, add)

    def get(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Strengths of the ties ``(a[k], b[k])`` (0 where there is none)."""
        keys = self._keys(a, b)
        pos = np.searchsorted(self.key, keys)
        pos_c = np.minimum(pos, max(len(self.key) - 1, 0))
        out = np.zeros(len(keys))
        if len(self.key):
            hit = self.key[pos_c] == keys
            out[hit] = self.val[pos_c[hit]]
        return out

    def slices(self, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(lo, hi)``: the ties of ``members[k]`` are ``dst[lo[k]:hi[k]]``, ``val[lo[k]:hi[k]]``."""
        m = np.asarray(members, dtype=np.int64)
        return np.searchsorted(self.key, m << _SHIFT), np.searchsorted(self.key, (m + 1) << _SHIFT)

    def slice_of(self, member: int) -> tuple[int, int]:
        """:meth:`slices` of one member: its ties are ``dst[lo:hi]``, ``val[lo:hi]``."""
        return int(self.key.searchsorted(member << _SHIFT)), int(self.key.searchsorted((member + 1) << _SHIFT))

    def gather(self, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions of every tie of ``members`` (concatenated) and the owner row of each."""
        lo, hi = self.slices(members)
        n = hi - lo
        owner = np.repeat(np.arange(len(lo)), n)
        pos = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n) + np.repeat(lo, n)
        return pos, owner

    def src(self) -> np.ndarray:
        """The first member of every stored direction."""
        return self.key >> _SHIFT

    def count_above(self, members: np.ndarray, threshold: float) -> np.ndarray:
        """Number of ties stronger than ``threshold`` of each of ``members``."""
        lo, hi = self.slices(members)
        c = np.concatenate([[0], np.cumsum(self.val > threshold)])
        return c[hi] - c[lo]

    def decay(self, factor: float, *, floor: float = 0.0) -> None:
        """Multiply every strength by ``factor``; drop ties below ``floor``."""
        self.val *= factor
        if floor > 0 and len(self.val):
            keep = self.val >= floor
            if not keep.all():
                self.key, self.dst, self.val = self.key[keep], self.dst[keep], self.val[keep]

    def remove_members(self, members) -> None:
        """Drop every tie of ``members`` (both directions), in one pass over the arrays."""
        m = np.atleast_1d(np.asarray(members, dtype=np.int64))
        if len(m) == 0 or len(self.key) == 0:
            return
        gone = np.zeros(int(max(m.max(), self.dst.max())) + 1, dtype=bool)
        gone[m] = True
        src = self.src()
        keep = ~(gone[np.minimum(src, len(gone) - 1)] & (src < len(gone))) & ~gone[self.dst]
        if not keep.all():
            self.key, self.dst, self.val = self.key[keep], self.dst[keep], self.val[keep]

    def pairs_above(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """Pairs ``(a, b)`` with ``a < b`` whose tie is stronger than ``threshold``, in key order."""
        src = self.src()
        sel = (self.val > threshold) & (src < self.dst)
        return src[sel], self.dst[sel]

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return self.key.nbytes + self.dst.nbytes + self.val.nbytes
