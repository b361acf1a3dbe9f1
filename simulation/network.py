"""A network of coworking spaces in one run: several spaces, members who visit, streamed events.

A scenario with ``network.spaces`` is a network (issue 16): each entry is a space with its own
seats, arrivals, manager hours, event cadence, theme and members; every other parameter is the
scenario's.  All spaces live in **one** :class:`simpy.Environment`, each a :class:`NetworkSpace`
(a :class:`simulation.space.Space`) running the single-space processes unchanged — arrivals,
the manager, events, weekly ties, collaborations, exits — on its own roster, levers and random
streams (spawned from the run's seed by the space's position).  Two mechanisms couple them:

Visits
    Each workday, in each space, who comes in is drawn as in one space
    (:func:`simulation.encounters.presence_probability`).  A member who comes in works that day at
    another space of the network with probability ``levers.visit_probability`` (the scenario's
    ``network.visit_probability``; the intervention ``network_membership`` raises it).  The host is
    drawn among the other spaces open that day with weight ``seats ** network.host_seat_exponent``
    times ``1 + network.host_theme_affinity`` when the host's theme is one of the visitor's
    interests.  In the host the visitor is a *mirror*: a roster row that is not a member there
    (not counted for seats, exits, events, introductions) but is present that day, so the host's
    own mechanisms — partner choice (:class:`simulation.partners.PartnerSampler`), chance
    conversations, lunch tables, and later collaborations over strong ties — bring the visitor and
    the host's members together.  The mirror keeps the ties made there (they decay with the host's
    ties; a departed member's mirror loses them); the value gained there flows back to the
    member's engagement at home the next day (a collaboration's value, within the week).
    Presence is drawn once: a visit moves a day of presence, it adds none.
Streamed events
    A share ``levers.stream_share`` of each space's professional events (``network.stream_share``;
    the intervention ``shared_events`` raises it) is streamed to every other space not closed that day.
    There, members attend with their own attendance probability
    (:func:`simulation.events.attendance_probability`, the event's topic) times
    ``network.remote_attendance_factor``, get ``network.remote_value_factor`` of the value, and
    talk with the others watching in the same room at ``network.remote_conversation_factor`` of
    the in-person rate.  The log holds one event (the origin's id) with participations in several
    spaces.  No acquaintance forms across rooms through a stream.
Touring speakers
    A share ``levers.tour_share`` of each space's professional events (``network.tour_share``; the
    intervention ``shared_events`` raises it) tours instead of being streamed: the speaker, a guest
    of the origin's event, gives the same talk in person in ``network.tour_stops - 1`` other spaces,
    one after another (:meth:`Network.plan_tour`: each next host drawn by the visitors' weights,
    with the talk's topic as the theme that attracts; the stop on the host's next event day after
    the previous stop).  Each stop is an ordinary in-person professional event of its host
    (:meth:`Network.hold_stop`); the log has one activity per stop, all with the tour's ``series``
    id in the activities table (``oslo-tour-0001``), which :func:`cop.network.diagnose_network`
    counts as one shared event.

Ids are network-wide: members ``bergen-m0001``, managers ``manager-bergen``, guests
``bergen-g00001``, activities ``bergen-conv-000001``, ``bergen-checkin-20220103`` (one check-in
activity per space and day); organisations ``bergen-freelancer-0001``.  The log carries a
``space`` column (where the participation happened) and the members table ``home_space``, so
``cop diagnose --by space`` and :func:`cop.network.diagnose_network` read a run back.

The rates of visits, of remote attendance and of tours are assumed (no published figure was found);
see ``docs/network.md`` and ``docs/model.md``.

Examples
--------
>>> from simulation import run, Scenario
>>> s = Scenario(space={"years": 0.2}, network={"visit_probability": 0.1, "spaces": [
...     {"id": "oslo", "initial_members": 15, "seats": 30}, {"id": "bergen", "initial_members": 10, "seats": 20}]})
>>> res = run(s, seed=1)
>>> sorted(res.participations["space"].unique())
['bergen', 'oslo']
>>> res.members.loc[res.members["role"] == "manager", "member_id"].tolist()
['manager-oslo', 'manager-bergen']
>>> bool(res.participations.equals(run(s, seed=1).participations))
True
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import simpy

from ._blas import single_threaded_blas
from .config import Scenario
from .encounters import _log_day, _present, conversations
from .events import _ATTENDEE, _BY_MANAGER, _EVENT, _GUEST, _ORGANIZER, _PUBLIC, attendance_probability, event_conversations
from .groups import lunch_tables
from .interventions import ThemeIntervention, apply_intervention, intervention_process
from .manager import manager
from .members import admit_initial, apply_value, arrivals
from .model import (SimulationResult, _activities_table, _activity_ids, _members_table, _participations_table,
                    _workload_table, seed_of, weekly)
from .partners import PartnerSampler
from .space import MANAGER, MINUTES_PER_DAY, Space
from .streams import Streams

__all__ = ["Network", "NetworkSpace", "Tour", "simulate_network", "run_network", "space_scenario"]

#: Serial numbers of mirrors start here (their draws come from a stream of their own, so visits
#: never shift the draws of a space's own applicants: common random numbers).
MIRROR_SERIAL = 1 << 40
#: Key offset of a streamed event's draws in the receiving space, per origin space.
_STREAM_KEY = 100_000
#: Key offset of a tour stop's draws in its host (plus ``_STREAM_KEY * (origin + 1) + origin day``):
#: above every streamed event's and every day's key, so a tour shifts no other draw.
_TOUR_KEY = 1 << 36


def space_scenario(scenario: Scenario, k: int) -> Scenario:
    """The single-space scenario of space ``k`` of ``scenario.network.spaces`` (not re-validated).

    Its seats, arrivals, manager hours and event cadence are the space's; a theme becomes a
    ``theme`` intervention at month 0, before the scenario's own interventions.

    Examples
    --------
    >>> s = Scenario(network={"spaces": [{"id": "a", "seats": 40, "theme": "software"}]})
    >>> one = space_scenario(s, 0)
    >>> one.space.seats, [iv.name for iv in one.interventions]
    (40, ['theme'])
    """
    sp = scenario.network.spaces[k]
    ivs = tuple(scenario.interventions)
    if sp.theme is not None:
        ivs = (ThemeIntervention(name="theme", topic=sp.theme, fit=sp.theme_fit,
                                 interest_share=sp.theme_interest_share),) + ivs
    return scenario.model_copy(update={
        "name": f"{scenario.name}:{sp.id}",
        "space": scenario.space.model_copy(update={"seats": sp.seats}),
        "arrivals": scenario.arrivals.model_copy(update={"initial_members": sp.initial_members,
                                                         "per_month": sp.per_month}),
        "manager": scenario.manager.model_copy(update={"hours_per_week": sp.manager_hours_per_week}),
        "events": scenario.events.model_copy(update={"cadence_days": sp.cadence_days}),
        "interventions": ivs,
    })


class NetworkSpace(Space):
    """One space of a :class:`Network`: a :class:`simulation.space.Space` with network-wide ids and mirrors.

    Parameters
    ----------
    env : simpy.Environment
    scenario : Scenario
        The space's own scenario (:func:`space_scenario`).
    rng : numpy.random.SeedSequence
        The space's seed.
    sid : str
        The space id.
    index : int
        Its position in the network.
    network : Network
    """

    def __init__(self, env, scenario, rng, *, sid: str, index: int, network: "Network") -> None:
        super().__init__(env, scenario, rng)
        self.sid = sid
        self.index = index
        self.network = network
        self.id_label = f"{sid}-"
        self.organizer_labels = ("", f"manager-{sid}", "matchmaking-tool")
        self.mirror_streams = Streams(np.random.SeedSequence(self.streams.entropy,
                                                             spawn_key=self.streams.spawn_key + (7,)))
        self._mirror_of: dict[tuple[int, int], int] = {}  # (home space, home row) -> row here
        self.mirror_rows = np.zeros(0, dtype=np.int64)  # rows here standing for visitors (current)
        self.mirror_home = np.zeros(0, dtype=np.int64)  # their home space
        self.mirror_src = np.zeros(0, dtype=np.int64)  # their row at home
        self._mirror_base = np.zeros(0)  # engagement copied at the last synchronisation
        self._all_mirrors: list[int] = []  # every row ever a mirror (retired ones too)
        self._mirror_names: dict[int, tuple[int, int]] = {}
        self.n_mirrors = 0
        self._dirty: list[np.ndarray] = []  # positions of the mirrors present since the last synchronisation
        self.foreign: dict[int, str] = {}  # activity sequence number -> id of a streamed event held elsewhere
        self._labels: np.ndarray | None = None
        self.series: dict[int, str] = {}  # activity sequence number -> series id (a tour's stops)
        self.guest_alias: dict[int, tuple[int, int]] = {}  # guest here -> (space, guest there): a touring speaker
        self._alias_keys: list[int] = []  # the keys of guest_alias, ascending
        self.n_tours = 0

    @property
    def manager_id(self) -> str:
        return f"manager-{self.sid}"

    def guest_id(self, k: int) -> str:
        """``bergen-g00001`` for the space's own guests; a touring speaker from elsewhere: their id there."""
        if not self._alias_keys:
            return f"{self.sid}-g{k + 1:05d}"
        if k in self.guest_alias:
            h, j = self.guest_alias[k]
            return self.network.spaces[h].guest_id(j)
        return f"{self.sid}-g{k + 1 - bisect.bisect_left(self._alias_keys, k):05d}"

    def member_id(self, i: int) -> str:
        """``bergen-m0001`` for the space's own members (numbered in admission order); a mirror: its member's id."""
        if i in self._mirror_names:
            h, j = self._mirror_names[i]
            return self.network.spaces[h].member_id(j)
        if self._labels is None or len(self._labels) < self.roster.n:
            own = np.ones(self.roster.n, dtype=bool)
            own[self._all_mirrors] = False
            self._labels = np.cumsum(own)
        return f"{self.sid}-m{int(self._labels[i]):04d}"

    def is_mirror(self) -> np.ndarray:
        """Whether each roster row is a mirror (a visitor from another space)."""
        out = np.zeros(self.roster.n, dtype=bool)
        out[self._all_mirrors] = True
        return out

    def member_uniforms(self, mechanism: str, key: int, idx: np.ndarray, columns: int = 1) -> np.ndarray:
        """As :meth:`Space.member_uniforms`; mirrors draw from a stream of their own (by mirror number)."""
        serial = self.roster.serial[idx]
        mir = serial >= MIRROR_SERIAL
        if not mir.any():
            return super().member_uniforms(mechanism, key, idx, columns)
        out = np.empty((len(idx), columns))
        own = ~mir
        if own.any():
            out[own] = self.streams.by_member(mechanism, key, serial[own], columns=columns,
                                              n_serials=self.n_applicants).reshape(-1, columns)
        out[mir] = self.mirror_streams.by_member(mechanism, key, serial[mir] - MIRROR_SERIAL, columns=columns,
                                                 n_serials=self.n_mirrors).reshape(-1, columns)
        return out[:, 0] if columns == 1 else out

    def mirrors_for(self, home: "NetworkSpace", rows: np.ndarray, day: int) -> np.ndarray:
        """The rows here standing for ``home``'s members ``rows`` (made on a first visit), synchronised from home."""
        r = self.roster
        hr = home.roster
        got = [self._mirror_of.get((home.index, j), -1) for j in rows.tolist()]
        out = np.array(got, dtype=np.int64)
        fresh = out < 0
        if fresh.any():  # first visits: one roster row each, in the visitors' order, with an organisation of its own
            new_src = rows[fresh]
            k = len(new_src)
            o0 = len(self.org_names)
            self.org_names += [f"visitor-{o + 1:04d}" for o in range(o0, o0 + k)]
            while o0 + k > len(self.org_types):
                o = len(self.org_types)
                self.org_types = np.concatenate([self.org_types, np.zeros(o, dtype=np.int8)])
                self.org_members = np.concatenate([self.org_members, np.zeros(o, dtype=np.int64)])
            new_m = r.add_block(day=day, org=np.arange(o0, o0 + k), org_type=hr.org_type[new_src],
                                sociability=hr.sociability[new_src], interests=hr.interests[new_src],
                                engagement=hr.engagement[new_src], plan=hr.plan[new_src],
                                serial=MIRROR_SERIAL + self.n_mirrors + np.arange(k))
            self.n_mirrors += k
            r.active[new_m] = False  # present on visit days only; never a member here
            r.n_active -= k
            r.version += 1
            for m, j in zip(new_m.tolist(), new_src.tolist()):
                self._mirror_of[(home.index, j)] = m
                self._mirror_names[m] = (home.index, j)
            self._all_mirrors += new_m.tolist()
            self._labels = None
            out[fresh] = new_m
            self.mirror_rows = np.concatenate([self.mirror_rows, new_m])
            self.mirror_home = np.concatenate([self.mirror_home, np.full(k, home.index)])
            self.mirror_src = np.concatenate([self.mirror_src, new_src])
            self._mirror_base = np.concatenate([self._mirror_base, hr.engagement[new_src]])
        # mirror rows are made in roster order, so the list stays sorted
        pos = np.searchsorted(self.mirror_rows, out)
        # value gained here and not yet sent home (a collaboration this week) goes home first
        pending = r.engagement[out] - self._mirror_base[pos]
        if pending.any():
            hr.engagement[rows] = np.clip(hr.engagement[rows] + pending, 0.0, 1.0)
        # the member as they are today: engagement, onboarding, knowledge of who does what
        r.engagement[out] = hr.engagement[rows]
        r.knowledge[out] = hr.knowledge[rows]
        r.onboarded[out] = hr.onboarded[rows]
        self._mirror_base[pos] = hr.engagement[rows]
        self._dirty.append(pos)
        return out

    def sync_mirrors(self, full: bool = True) -> None:
        """Send the value visitors gained here back to their home engagement; drop departed members' mirrors.

        ``full=False`` synchronises only the mirrors present since the last synchronisation (the
        others' engagement can change here only through a collaboration, synchronised weekly).
        """
        dirty, self._dirty = self._dirty, []
        if not len(self.mirror_rows) or (not full and not dirty):
            return
        r = self.roster
        spaces = self.network.spaces
        pos = np.arange(len(self.mirror_rows)) if full else np.unique(np.concatenate(dirty))
        homes = self.mirror_home[pos]
        gone = np.zeros(len(self.mirror_rows), dtype=bool)
        rows_all = self.mirror_rows[pos]
        delta_all = r.engagement[rows_all] - self._mirror_base[pos]  # homes' rows are disjoint: one pass
        moved_all = delta_all != 0
        for h in np.unique(homes if full else homes[moved_all]).tolist():
            at_h = homes == h
            mv = at_h & moved_all
            hr = spaces[h].roster
            if mv.any():
                s2, p2 = self.mirror_src[pos[mv]], pos[mv]
                hr.engagement[s2] = np.clip(hr.engagement[s2] + delta_all[mv], 0.0, 1.0)
                r.engagement[rows_all[mv]] = hr.engagement[s2]
                self._mirror_base[p2] = hr.engagement[s2]
            if full:
                sel = pos[at_h]
                gone[sel] = ~hr.active[self.mirror_src[sel]]
        if gone.any():
            r.ties.remove_members(self.mirror_rows[gone])
            for h, j in zip(self.mirror_home[gone].tolist(), self.mirror_src[gone].tolist()):
                del self._mirror_of[(h, j)]
            keep = ~gone
            self.mirror_rows = self.mirror_rows[keep]
            self.mirror_home = self.mirror_home[keep]
            self.mirror_src = self.mirror_src[keep]
            self._mirror_base = self._mirror_base[keep]


@dataclass
class Tour:
    """A touring speaker's talk: the same topic given in person in several spaces, one after another.

    ``stops`` are ``(space index, day)`` pairs, the origin's event first; ``held`` the stops that
    took place (a host closed or without a manager by then skips its stop).
    """

    series: str  #: the series id every stop's activity carries (``oslo-tour-0001``)
    origin: int  #: the space whose event started the tour
    speaker: int  #: the speaker's guest number in the origin space
    topic: int
    key: int  #: the key of the stops' random draws (unique per tour)
    stops: list[tuple[int, int]]
    held: list[tuple[int, int]] = field(default_factory=list)


class Network:
    """The spaces of one network run and the mechanisms between them (see the module doc).

    Parameters
    ----------
    env : simpy.Environment
    scenario : Scenario
        A scenario with ``network.spaces``.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
    """

    def __init__(self, env, scenario: Scenario, seed) -> None:
        self.env = env
        self.scenario = scenario
        self.cfg = scenario.network
        root = Streams(seed)
        self.spaces: list[NetworkSpace] = []
        for k, sp in enumerate(self.cfg.spaces):
            ss = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key + (1000 + k,))
            s = NetworkSpace(env, space_scenario(scenario, k), ss, sid=sp.id, index=k, network=self)
            s.levers.visit_probability = self.cfg.visit_probability
            s.levers.stream_share = self.cfg.stream_share
            s.levers.tour_share = self.cfg.tour_share
            self.spaces.append(s)
        self.horizon = self.spaces[0].horizon if self.spaces else 0
        self.seat_weight = np.array([float(sp.seats) ** self.cfg.host_seat_exponent for sp in self.cfg.spaces])
        topics = scenario.space.topics
        self.theme = np.array([topics.index(sp.theme) if sp.theme is not None else -1 for sp in self.cfg.spaces])
        self.visits = 0
        self.tours: list[Tour] = []

    # ------------------------------------------------------------------ visits
    def _hosts(self, home: int, who: np.ndarray, u: np.ndarray, open_: np.ndarray) -> np.ndarray:
        """Host space of each visitor ``who`` (rows of space ``home``), by inversion of the uniforms ``u``."""
        w = np.where(open_, self.seat_weight, 0.0)
        w[home] = 0.0
        W = np.broadcast_to(w, (len(who), len(w))).copy()
        themed = self.theme >= 0
        if themed.any() and self.cfg.host_theme_affinity > 0:
            likes = self.spaces[home].roster.interests[who][:, np.maximum(self.theme, 0)] & themed
            W *= 1.0 + self.cfg.host_theme_affinity * likes
        cum = np.cumsum(W, axis=1)
        return np.minimum((cum <= (u * cum[:, -1])[:, None]).sum(axis=1), len(w) - 1)

    def daily(self, env):
        """SimPy process: each day, presence in every space, the visits, then each space's day with its visitors."""
        spaces = self.spaces
        empty = np.zeros(0, dtype=np.int64)
        while True:
            day = int(env.now)
            if day >= self.horizon:
                return
            for s in spaces:
                s.sync_mirrors(full=day % 7 == 0)
            open_ = np.array([s.is_workday(day) for s in spaces])
            present = []
            for s, is_open in zip(spaces, open_):
                idx = s.roster.active_idx() if is_open else empty
                present.append(_present(s, day, idx) if len(idx) else empty)
            incoming: list[list[tuple[int, np.ndarray]]] = [[] for _ in spaces]
            n_open = int(open_.sum())
            for h, s in enumerate(spaces):
                p, rate = present[h], s.levers.visit_probability
                if rate <= 0 or len(p) == 0 or n_open < 2:
                    continue
                u = s.member_uniforms("visits", day, p, columns=2)
                go = u[:, 0] < rate
                if not go.any():
                    continue
                who = p[go]
                hosts = self._hosts(h, who, u[go, 1], open_)
                present[h] = p[~go]
                self.visits += len(who)
                for t in np.unique(hosts).tolist():
                    incoming[t].append((h, who[hosts == t]))
            for t, s in enumerate(spaces):
                if not open_[t]:
                    continue
                here = present[t]
                if incoming[t]:
                    here = np.sort(np.concatenate([here] + [s.mirrors_for(spaces[h], rows, day)
                                                            for h, rows in incoming[t]]))
                if len(here):
                    _log_day(s, day, here)
                if len(here) > 1:
                    sampler = PartnerSampler(s, here)
                    conversations(s, day, here, s.scenario.encounters, sampler)
                    lunch_tables(s, day, here, sampler)
            yield env.timeout(1)

    # ------------------------------------------------------------------ streamed events
    def stream_event(self, origin: NetworkSpace, day: int, aid: int, topic: int, professional: bool) -> None:
        """Share ``origin``'s event (activity ``aid``): its speaker tours (:meth:`tour_event`), or it is streamed.

        Called by :func:`simulation.events.event` after the event is held in ``origin``.
        """
        if not professional:
            return
        if origin.levers.tour_share > 0 and self.tour_event(origin, day, aid, topic):
            return
        if origin.levers.stream_share <= 0:
            return
        if origin.streams.for_("streaming", day).random() >= origin.levers.stream_share:
            return
        number = origin.record.counters["event"]
        event_id = f"{origin.id_label}event-{number:06d}"
        cfg = self.cfg
        key = _STREAM_KEY * (origin.index + 1) + day
        minute = day * MINUTES_PER_DAY + 17 * 60
        for s in self.spaces:
            if s is origin or s.is_closed(day):
                continue
            idx = s.roster.active_idx()
            if not len(idx):
                continue
            p = attendance_probability(s, idx, topic, professional) * cfg.remote_attendance_factor
            att = idx[s.member_uniforms("event_attendance", key, idx) < p]
            if not len(att):
                continue
            seq = s.record.activity("event", "professional", topic, organizer=_BY_MANAGER, number=number)
            s.foreign[seq] = event_id
            s.record.block(seq, att, minute, _EVENT, _ATTENDEE, topic, _PUBLIC)
            ev = s.scenario.events
            relevance = s.roster.interests[att, topic]
            apply_value(s, att, s.scenario.members.value_per_event * cfg.remote_value_factor
                        * (1.0 + ev.relevant_value_bonus * relevance))
            if cfg.remote_conversation_factor > 0:
                event_conversations(s, att, key, ev.conversations_per_attendee * cfg.remote_conversation_factor)


    # ------------------------------------------------------------------ touring speakers
    def tour_event(self, origin: NetworkSpace, day: int, aid: int, topic: int) -> bool:
        """Make ``origin``'s professional event (activity ``aid``) the first stop of a tour, if it is one that tours.

        With probability ``levers.tour_share`` the event's speaker (a new guest of ``origin``, added
        to the event) gives the same talk in person in ``network.tour_stops - 1`` other spaces
        (:meth:`plan_tour`); each stop is held by :meth:`hold_stop` on its day.  Returns whether the
        event tours (then it is not streamed); an event with nowhere to go does not.
        """
        cfg = self.cfg
        u = origin.streams.for_("streaming", day, 1).random(cfg.tour_stops)
        if u[0] >= origin.levers.tour_share:
            return False
        stops = self.plan_tour(origin.index, day, topic, u[1:])
        if not stops:
            return False
        rec = origin.record
        origin.n_tours += 1
        k = len(rec.guests)
        rec.guests.append(day)
        minute = day * MINUTES_PER_DAY + 17 * 60
        rec.row(aid, -2 - k, minute, _EVENT, _GUEST, topic, _PUBLIC)
        last = rec._a_rows[-1] if rec._a_rows else None
        if last is not None and last[0] == aid and not last[5]:  # a guest took part: the event is external
            rec._a_rows[-1] = last[:5] + (1,) + last[6:]
        tour = Tour(series=f"{origin.id_label}tour-{origin.n_tours:04d}", origin=origin.index, speaker=k, topic=topic,
                    key=_TOUR_KEY + _STREAM_KEY * (origin.index + 1) + day, stops=[(origin.index, day)] + stops)
        tour.held.append((origin.index, day))
        origin.series[aid] = tour.series
        self.tours.append(tour)
        for h, d in stops:
            self.env.process(self._stop_process(tour, h, d))
        return True

    def next_event_day(self, s: NetworkSpace, after: int) -> int:
        """The first day after ``after`` on ``s``'s event cadence that is not a closed day, or -1.

        The cadence is the space's current one (``levers.cadence_days``, anchored on the manager's
        next planned event); -1 when the space holds no events or has no manager, or the day falls
        beyond the horizon.
        """
        c, nxt = s.levers.cadence_days, s.next_event_day
        if c <= 0 or nxt is None or s.levers.hours_per_week <= 0:
            return -1
        d = nxt - c * ((nxt - after - 1) // c) if nxt > after else nxt + c * (-((nxt - after - 1) // c))
        for _ in range(4):  # a closed day (holidays) moves the stop to the next event day
            if d >= s.horizon:
                return -1
            if not s.is_closed(d):
                return d
            d += c
        return -1

    def plan_tour(self, origin: int, day: int, topic: int, u: np.ndarray) -> list[tuple[int, int]]:
        """The stops after the origin's, as ``(space, day)``: hosts drawn one by one, each on its next event day.

        Each next host is drawn (by inversion of ``u[j]``) among the spaces not yet on the tour that
        hold events after the previous stop, with weight ``seats ** network.host_seat_exponent``
        times ``1 + network.host_theme_affinity`` when the host's theme is the talk's topic (the
        visitors' rule); the stop is on that host's first event day after the previous stop.
        """
        n = len(self.spaces)
        on_tour = np.zeros(n, dtype=bool)
        on_tour[origin] = True
        base = self.seat_weight * (1.0 + self.cfg.host_theme_affinity * (self.theme == topic))
        stops, last = [], day
        for j in range(len(u)):
            days = np.array([-1 if on_tour[k] else self.next_event_day(s, last) for k, s in enumerate(self.spaces)])
            w = np.where(days >= 0, base, 0.0)
            if not (w > 0).any():
                break
            cum = np.cumsum(w)
            h = int(np.searchsorted(cum, u[j] * cum[-1], side="right"))
            h = min(h, n - 1)
            while w[h] <= 0:  # u at the very top: the last space with a weight
                h -= 1
            stops.append((h, int(days[h])))
            on_tour[h] = True
            last = int(days[h])
        return stops

    def _stop_process(self, tour: Tour, h: int, day: int):
        """SimPy process: wait until the stop's day, then hold it."""
        env = self.env
        if day > env.now:
            yield env.timeout(day - env.now)
        self.hold_stop(tour, h, int(env.now))

    def hold_stop(self, tour: Tour, h: int, day: int) -> None:
        """One stop of ``tour`` in space ``h``: an ordinary in-person professional event of the host.

        The host's manager organises it and its members attend with their own attendance
        probability (:func:`simulation.events.attendance_probability`, the talk's topic), gain the
        event's value and talk to one another as at any event; the speaker is the origin's guest
        (one id network-wide), with the host's usual external guests.  No stop is held on a closed
        day, after the horizon or once the host's manager has left.
        """
        s = self.spaces[h]
        if day >= s.horizon or s.is_closed(day) or s.levers.hours_per_week <= 0:
            return
        r, ev, lv, key, topic = s.roster, s.scenario.events, s.levers, tour.key, tour.topic
        idx = r.active_idx()
        att = idx[s.member_uniforms("event_attendance", key, idx) < attendance_probability(s, idx, topic, True)] \
            if len(idx) else idx
        n_guests = int(s.streams.for_("event", key).poisson(ev.external_guests + lv.speaker_guests))
        rec = s.record
        seq = rec.activity("event", "professional", topic, external=True, organizer=_BY_MANAGER)
        s.series[seq] = tour.series
        start = len(rec.guests)
        rec.guests.extend([day] * (1 + n_guests))
        s.guest_alias[start] = (tour.origin, tour.speaker)  # the speaker, then the host's own guests
        s._alias_keys.append(start)
        who = np.concatenate([[MANAGER], att, -2 - np.arange(start, start + 1 + n_guests)])
        roles = np.repeat([_ORGANIZER, _ATTENDEE, _GUEST], [1, len(att), 1 + n_guests])
        rec.block(seq, who, day * MINUTES_PER_DAY + 17 * 60, _EVENT, roles, topic, _PUBLIC)
        tour.held.append((h, day))
        if not len(att):
            return
        apply_value(s, att, s.scenario.members.value_per_event * (1.0 + ev.relevant_value_bonus * r.interests[att, topic]))
        event_conversations(s, att, key, ev.conversations_per_attendee)


def simulate_network(scenario: Scenario, seed) -> tuple[Network, simpy.Environment]:
    """Build the environment and the spaces, start every process and run to the horizon."""
    if not scenario.network.spaces:
        raise ValueError("simulate_network needs a scenario with network.spaces")
    env = simpy.Environment()
    net = Network(env, scenario, seed)
    later = []
    for s in net.spaces:
        for iv in s.scenario.interventions:
            if iv.start_month == 0:
                apply_intervention(s.levers, iv, s)
            else:
                later.append((s, iv))
        admit_initial(s)
    for s in net.spaces:
        env.process(arrivals(env, s))
        env.process(manager(env, s))
        env.process(weekly(env, s))
    env.process(net.daily(env))
    for s, iv in later:
        env.process(intervention_process(env, s, iv))
    with single_threaded_blas():
        env.run(until=net.horizon)
    for s in net.spaces:
        s.sync_mirrors()
    return net, env


def run_network(scenario: Scenario, seed=None) -> SimulationResult:
    """Run a network scenario once (what :func:`simulation.run` does for one with ``network.spaces``).

    Returns
    -------
    SimulationResult
        ``participations`` with a ``space`` column, ``members`` with ``home_space``, ``activities``
        and ``workload`` (with ``space``) of every space.

    Examples
    --------
    >>> s = Scenario(space={"years": 0.1}, network={"spaces": [{"id": "a", "initial_members": 8},
    ...                                                          {"id": "b", "initial_members": 8}]})
    >>> res = run_network(s, seed=3)
    >>> res.members.groupby("home_space")["role"].apply(lambda r: int((r == "manager").sum())).to_dict()
    {'a': 1, 'b': 1}
    >>> sorted(res.workload["space"].unique())
    ['a', 'b']
    """
    net, _env = simulate_network(scenario, seed)
    return network_result(net, scenario, seed_of(seed))


def network_result(net: Network, scenario: Scenario, seed: int | None) -> SimulationResult:
    """The run's tables: each space's, with network-wide ids, ``space`` and ``home_space`` columns."""
    start = pd.Timestamp(scenario.space.start_date, tz="UTC")
    parts, members, acts, work = [], [], [], []
    for s in net.spaces:
        prow, arow = s.record.tables()
        act_ids = _activity_ids(arow[:, 1], arow[:, 2], start, s.id_label)
        for seq, fid in s.foreign.items():
            act_ids[seq] = fid
        n = s.roster.n
        n_guests = len(s.record.guests)
        names = np.empty(n + 1 + n_guests, dtype=object)
        names[:n] = [s.member_id(i) for i in range(n)]
        names[n] = s.manager_id
        names[n + 1:] = [s.guest_id(k) for k in range(n_guests)]
        p = _participations_table(s, prow, arow, act_ids, names, start)
        p["space"] = pd.array([s.sid] * len(p), dtype=p["activity_id"].dtype)
        parts.append(p)
        a = _activities_table(s, arow, act_ids)
        if net.tours:  # the series of a touring speaker's stops (cop.network counts a series as one shared event)
            a["series"] = pd.array([s.series.get(i) for i in range(len(a))], dtype=object)
        if s.foreign:
            a = a[~np.isin(np.arange(len(a)), list(s.foreign))]
        acts.append(a)
        m = _members_table(s, names, start)
        mirror = np.concatenate([s.is_mirror(), np.zeros(len(m) - n, dtype=bool)])
        if s.guest_alias:  # a touring speaker from another space has their row there
            mirror[n + 1 + np.fromiter(s.guest_alias, dtype=np.int64)] = True
        m = m[~mirror]
        own = m["role"].eq("member").to_numpy()
        m["organization"] = np.where(own, s.id_label + m["organization"].astype(str), m["organization"])
        m.insert(3, "home_space", s.sid)
        members.append(m)
        w = _workload_table(s, start)
        w.insert(1, "space", s.sid)
        work.append(w)
    p = pd.concat(parts, ignore_index=True)
    members = pd.concat(members, ignore_index=True)
    if net.tours:  # a touring speaker is a guest from their first stop to their last
        start_ns = start.as_unit("ns")
        last = {net.spaces[t.origin].guest_id(t.speaker): max(d for _, d in t.held) for t in net.tours}
        rows = members["member_id"].map(last)
        hit = rows.notna().to_numpy()
        members.loc[hit, "left"] = [start_ns + pd.Timedelta(days=int(d)) for d in rows[hit]]
    order = np.argsort(pd.DatetimeIndex(p["timestamp"]).asi8, kind="stable")
    p = p.take(order).reset_index(drop=True)
    return SimulationResult(
        scenario, seed, participations=p,
        members=members,
        activities=pd.concat(acts, ignore_index=True),
        workload=pd.concat(work, ignore_index=True),
    )
