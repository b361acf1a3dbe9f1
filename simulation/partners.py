"""Choosing conversation partners: exact sampling by components, in time linear in the ties.

A member ``i`` present with others chooses partner ``j`` with weight

``w_ij = c_i * r'_j * (base + topic_affinity * shared_ij + tie_affinity * min(s_ij, cap)
+ closure_affinity * mutual_ij) + colleague_affinity * [org_i = org_j] * r_j``

where ``r_j`` is ``j``'s receptiveness (``sqrt(sociability)``, lower for a
newcomer not yet onboarded), ``r'_j = r_j * c_j`` the same in the common areas
and ``c = 1 - members.team_room_share`` for a member with a colleague present
that day (teams spend part of the day in their own room), else 1.  ``shared``
counts shared topics, ``s`` is the tie strength, ``mutual`` the number of
mutual acquaintances (ties above ``encounters.tie_threshold``: triadic closure,
Jin, Girvan & Newman 2001).

The weight is a sum of five components, so a partner is drawn exactly by
first drawing a component with probability proportional to its total for
``i``, then a member within it: the base component from the cumulative
receptiveness of everyone present, the topic component from per-topic lists,
the tie component from ``i``'s ties, the closure component through one of
``i``'s acquaintances ``k`` (weighted by the receptiveness of ``k``'s
acquaintances present) and then one of ``k``'s, the colleague component from
per-organisation lists.  No ``people x people`` matrix is built: the cost of a
day is linear in the number of people present and in their ties
(organizational homophily, issue 12; sampling by components: Walker's
composition method, Devroye 1986, ch. II.4).

Examples
--------
>>> import numpy as np
>>> C = np.array([0.0, 1.0, 1.0, 3.0])   # weights 1, 0, 2
>>> _pick(C, np.array([0, 0]), np.array([3, 3]), np.array([-1, 2]), np.array([0.0, 2.0]), np.array([0.6, 0.99]))
array([2, 0])
"""

from __future__ import annotations

import numpy as np

__all__ = ["PartnerSampler", "UNIFORMS_PER_DRAW"]

#: uniforms one partner draw uses: the component, the first stage, the second stage
UNIFORMS_PER_DRAW = 3


def _pick(C: np.ndarray, lo: np.ndarray, hi: np.ndarray, self_at: np.ndarray, w_self: np.ndarray,
          u: np.ndarray) -> np.ndarray:
    """Indices drawn in segments ``[lo, hi)`` of a list with cumulative weights ``C`` (leading 0), ``-1`` if empty.

    The element at ``self_at`` (``-1``: none) is excluded exactly, by skipping its weight.
    """
    has_self = self_at >= 0
    if has_self.all():  # the usual case: the same arithmetic without the masks
        c_lo = C[lo]
        total = C[hi] - c_lo - w_self
        x = c_lo + u * total
        x = x + np.where(x >= C[self_at], w_self, 0.0)
    else:
        ws = np.where(has_self, w_self, 0.0)
        total = C[hi] - C[lo] - ws
        x = C[lo] + u * total
        x = x + np.where(has_self & (x >= C[np.maximum(self_at, 0)]), ws, 0.0)
    k = C.searchsorted(x, side="right") - 1
    k = np.minimum(np.maximum(k, lo), np.maximum(hi - 1, lo))
    return np.where((total <= 0) | (k == self_at) | (hi <= lo), -1, k)


def _pick_free(C: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """:func:`_pick` with nothing to exclude (``self_at`` all ``-1``): the same draws."""
    c_lo = C[lo]
    total = C[hi] - c_lo
    k = C.searchsorted(c_lo + u * total, side="right") - 1
    k = np.minimum(np.maximum(k, lo), np.maximum(hi - 1, lo))
    return np.where((total <= 0) | (hi <= lo), -1, k)


def _cum(w: np.ndarray) -> np.ndarray:
    out = np.empty(len(w) + 1)
    out[0] = 0.0
    np.cumsum(w, dtype=np.float64, out=out[1:])
    return out


def _segments(owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(lo, hi)`` of each of ``n`` owners in a list sorted by owner."""
    hi = np.cumsum(np.bincount(owner, minlength=n))
    return hi - np.bincount(owner, minlength=n), hi


class PartnerSampler:
    """Partner choice among ``people`` (roster indices, ascending) on one occasion.

    Parameters
    ----------
    space : simulation.space.Space
    people : numpy.ndarray
        The members who can meet (present that day, or at an event).
    team_rooms : bool
        Whether members with a colleague among ``people`` spend part of the time in their team's
        room (``members.team_room_share``); ``False`` at events, which are common ground.
    """

    def __init__(self, space, people: np.ndarray, *, team_rooms: bool = True) -> None:
        r = space.roster
        enc = space.scenario.encounters
        self.space = space
        self.people = people = np.asarray(people, dtype=np.int64)
        n = self.n = len(people)
        recv = np.sqrt(r.sociability[people]) * np.where(r.onboarded[people], 1.0, enc.newcomer_receptiveness)
        org = r.org[people]
        counts = np.bincount(org, minlength=int(org.max(initial=0)) + 1)
        self.has_colleague = counts[org] >= 2
        share = space.scenario.members.team_room_share if team_rooms else 0.0
        self.common = np.where(self.has_colleague, 1.0 - share, 1.0)
        self.r = recv
        self.rc = recv * self.common
        self.rc_roster = np.zeros(r.n)
        self.rc_roster[people] = self.rc
        self.enc = enc
        # base: everyone present
        self.C_base = _cum(self.rc)
        # topics: members of each topic, in position order
        interests = r.interests[people]
        self.interests = interests
        tt, tp = np.nonzero(interests.T)
        k = interests.shape[1]
        self.t_pos = tp
        self.t_key = tt.astype(np.int64) * max(n, 1) + tp
        self.C_topic = _cum(self.rc[tp])
        self.t_lo = np.searchsorted(tt, np.arange(k))
        self.t_hi = np.searchsorted(tt, np.arange(k), side="right")
        self.R_topic = self.C_topic[self.t_hi] - self.C_topic[self.t_lo]
        # organisations: colleagues, in position order within each organisation
        order = np.argsort(org, kind="stable")
        self.o_pos = order
        self.o_rank = np.empty(n, dtype=np.int64)
        self.o_rank[order] = np.arange(n)
        so = org[order]
        self.C_org = _cum(self.r[order])
        self.o_lo = np.searchsorted(so, org)
        self.o_hi = np.searchsorted(so, org, side="right")
        self._P = None

    @property
    def pos_of(self) -> np.ndarray:
        """Position in ``people`` of each roster index (``-1``: not among them)."""
        out = np.full(len(self.rc_roster), -1, dtype=np.int64)
        out[self.people] = np.arange(self.n)
        return out

    # ------------------------------------------------------------------ component totals
    def _closure_weights(self):
        """``P[k]``: the common-area receptiveness of ``k``'s acquaintances among ``people``."""
        if self._P is None:
            # ties are symmetric, so P[k] sums rc[j] over the strong ties (j, k) in the order of j, as over
            # k's own ties; the absent and the weak add exact zeros (no compress of the tie arrays)
            ties = self.space.roster.ties
            w = self.rc_roster[ties.src()] * (ties.val > self.enc.tie_threshold)
            self._P = np.bincount(ties.dst, weights=w, minlength=len(self.rc_roster))
        return self._P

    def draw(self, starters: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Partners (roster indices, ``-1``: none) of ``starters`` (positions in ``people``).

        ``u`` holds :data:`UNIFORMS_PER_DRAW` uniforms per draw (shape ``(3, len(starters))``).
        """
        enc = self.enc
        ties = self.space.roster.ties
        starters = np.asarray(starters, dtype=np.int64)
        m = len(starters)
        out = np.full(m, -1, dtype=np.int64)
        if m == 0 or self.n < 2:
            return out
        if m == 1 or (starters[1:] >= starters[:-1]).all():  # sorted (a day's starters are): no sort
            first = np.empty(m, dtype=bool)
            first[0] = True
            np.not_equal(starters[1:], starters[:-1], out=first[1:])
            uniq, inv = starters[first], np.cumsum(first) - 1
        else:
            uniq, inv = np.unique(starters, return_inverse=True)
        who = self.people[uniq]
        rc_i = self.rc[uniq]
        # W0 base, W1 topics
        W = np.zeros((5, len(uniq)))
        W[0] = enc.base_partner_weight * (self.C_base[-1] - rc_i)
        topic_w = self.interests[uniq] * np.maximum(self.R_topic[None, :] - rc_i[:, None], 0.0)
        W[1] = enc.topic_affinity * topic_w.sum(axis=1)
        # W2 ties, W3 closure (through the starters' tie slices)
        tpos, towner = ties.gather(who)
        tdst = ties.dst[tpos]
        tval = ties.val[tpos]
        w_tie = enc.tie_affinity * np.minimum(tval, enc.tie_weight_cap) * self.rc_roster[tdst]
        C_tie = _cum(w_tie)
        t_lo, t_hi = _segments(towner, len(uniq))
        W[2] = C_tie[t_hi] - C_tie[t_lo]
        if enc.closure_affinity > 0:
            P = self._closure_weights()
            w_cl = np.where(tval > enc.tie_threshold, np.maximum(P[tdst] - rc_i[towner], 0.0), 0.0)
            w_cl[w_cl < 1e-12] = 0.0
        else:
            w_cl = np.zeros(len(tpos))
        C_cl = _cum(w_cl)
        W[3] = enc.closure_affinity * (C_cl[t_hi] - C_cl[t_lo])
        W[:4] *= self.common[uniq][None, :]
        W[4] = enc.colleague_affinity * (self.C_org[self.o_hi[uniq]] - self.C_org[self.o_lo[uniq]] - self.r[uniq])
        W = np.maximum(W, 0.0)
        cw = np.cumsum(W, axis=0)[:, inv]  # per draw
        comp = (cw <= (u[0] * cw[-1])[None, :]).sum(axis=0)
        comp = np.where(cw[-1] > 0, np.minimum(comp, 4), -1)
        us = inv  # the unique-starter row of each draw
        # base
        sel = np.flatnonzero(comp == 0)
        if len(sel):
            s = starters[sel]
            k = _pick(self.C_base, np.zeros(len(sel), np.int64), np.full(len(sel), self.n), s, self.rc[s], u[1, sel])
            out[sel] = np.where(k >= 0, self.people[np.maximum(k, 0)], -1)
        # topics: a topic by its weight, then a member of it
        sel = np.flatnonzero(comp == 1)
        if len(sel):
            s = starters[sel]
            tw = topic_w[us[sel]]
            ct = np.cumsum(tw, axis=1)
            t = np.minimum((ct <= (u[1, sel] * ct[:, -1])[:, None]).sum(axis=1), tw.shape[1] - 1)
            self_at = np.searchsorted(self.t_key, t * max(self.n, 1) + s)
            k = _pick(self.C_topic, self.t_lo[t], self.t_hi[t], self_at, self.rc[s], u[2, sel])
            out[sel] = np.where(k >= 0, self.people[self.t_pos[np.maximum(k, 0)]], -1)
        # ties
        sel = np.flatnonzero(comp == 2)
        if len(sel):
            g = us[sel]
            k = _pick_free(C_tie, t_lo[g], t_hi[g], u[1, sel])
            out[sel] = np.where(k >= 0, tdst[np.maximum(k, 0)], -1)
        # closure: an acquaintance k, then one of k's acquaintances present (not the starter)
        sel = np.flatnonzero(comp == 3)
        if len(sel):
            g = us[sel]
            k = _pick_free(C_cl, t_lo[g], t_hi[g], u[1, sel])
            ok = k >= 0
            sel, k = sel[ok], k[ok]
            via = tdst[k]
            ppos, powner = ties.gather(via)
            pdst = ties.dst[ppos]
            w2 = self.rc_roster[pdst] * (ties.val[ppos] > enc.tie_threshold)  # the same values as a where
            w2[pdst == self.people[starters[sel]][powner]] = 0.0
            C2 = _cum(w2)
            lo2, hi2 = _segments(powner, len(sel))
            k2 = _pick_free(C2, lo2, hi2, u[2, sel])
            out[sel] = np.where(k2 >= 0, pdst[np.maximum(k2, 0)], -1)
        # colleagues
        sel = np.flatnonzero(comp == 4)
        if len(sel):
            s = starters[sel]
            k = _pick(self.C_org, self.o_lo[s], self.o_hi[s], self.o_rank[s], self.r[s], u[1, sel])
            out[sel] = np.where(k >= 0, self.people[self.o_pos[np.maximum(k, 0)]], -1)
        return out
