"""The arrays matchmaking reads: :class:`MatchData`, built from a log or from bare arrays.

Everything the ranking needs about a community is a handful of sparse
matrices and per-person arrays, aligned with ``member_ids``:

* ``ties`` — who already knows whom (binary, symmetric): pairs whose
  accumulated tie weight up to ``as_of`` reaches ``min_tie`` (the kernel's tie
  rule over the whole history, presence left out).  Never suggested again.
* ``events`` — person x activity (binary): the non-presence activities of 2 to
  ``max_group_size`` people before ``as_of`` (events, threads, meetings...).
* ``presence`` — person x day (binary): presence activities (check-ins).
* ``topics`` — person x topic: non-presence participations per topic tag.
* ``tags``, ``needs``, ``offers`` — person x tag (binary): the members
  table's declared ``interests`` and ``skills`` (``tags``), ``needs`` and
  ``skills`` (``offers``), when it has those columns.
* ``organization`` and ``group`` — integer codes (-1 unknown): the members
  table's organization, and the connected component of the tie graph.
* ``newcomer``, ``peripheral``, ``eligible`` — booleans; ``joined_days``.

:meth:`MatchData.from_arrays` builds the same object without a log (the
simulation's own state: its tie graph and attendance), so the one ranking of
:mod:`cop.match.ranking` serves both.

Examples
--------
>>> import cop
>>> data = MatchData.from_log(cop.load_example())
>>> data.n > 150, data.ties.nnz > 0, data.topics.shape[1]
(True, True, 5)
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from cop.exceptions import DataWarning
from cop.kernel import DAY_NS, Prepared, current_people, resolve_as_of, timescale, window_bounds
from cop.kernel.projection import MAX_GROUP_SIZE, project
from cop.schema import TOPIC_SEPARATOR

__all__ = ["MatchData", "OPT_OUT_COLUMN", "PROFILE_COLUMNS", "NEWCOMER_DAYS", "split_tags"]

#: Members-table column that takes a member out of every suggestion (true/yes/1/y/x, any case).
OPT_OUT_COLUMN = "match_opt_out"
#: Members-table columns of declared profiles, ``;``- or ``,``-separated tags.
PROFILE_COLUMNS = ("interests", "skills", "needs")
#: A member first seen (or joined) fewer than this many days before ``as_of`` is a newcomer.
NEWCOMER_DAYS = 60

_TRUE = {"true", "yes", "1", "y", "x", "t"}


def split_tags(value: Any) -> list[str]:
    """Tags of one cell: split on ``;`` or ``,``, trimmed and lower-cased; none for a missing cell.

    Examples
    --------
    >>> split_tags("Python; data science, Python"), split_tags(None)
    (['python', 'data science'], [])
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return []
    out: list[str] = []
    for part in re.split(r"[;,]", str(value)):
        tag = part.strip().lower()
        if tag and tag not in out:
            out.append(tag)
    return out


def _tag_matrix(cells: list[list[str]], vocab: dict[str, int]) -> sp.csr_array:
    rows, cols = [], []
    for i, tags in enumerate(cells):
        for t in tags:
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
    return sp.csr_array((np.ones(len(rows)), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
                        shape=(len(cells), max(len(vocab), 1)))


@dataclass(frozen=True, eq=False)
class MatchData:
    """The arrays of one community for matchmaking (see the module docstring).

    Examples
    --------
    >>> import cop
    >>> data = MatchData.from_log(cop.load_example())
    >>> len(data.member_ids), data.ties.shape, int(data.eligible.sum())
    (221, (221, 221), 134)
    """

    member_ids: pd.Index
    ties: sp.csr_array
    events: sp.csr_array
    presence: sp.csr_array
    topics: sp.csr_array
    eligible: np.ndarray
    organization: np.ndarray
    newcomer: np.ndarray
    peripheral: np.ndarray
    tags: sp.csr_array | None = None
    needs: sp.csr_array | None = None
    offers: sp.csr_array | None = None
    joined_days: np.ndarray | None = None
    topic_names: tuple[str, ...] = ()
    tag_names: tuple[str, ...] = ()
    event_labels: np.ndarray | None = None
    event_topics: np.ndarray | None = None
    group: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.group is None:
            object.__setattr__(self, "group", _components(self.ties))

    @property
    def n(self) -> int:
        """Number of people."""
        return len(self.member_ids)

    @property
    def degree(self) -> np.ndarray:
        """Existing ties of each person."""
        return np.diff(self.ties.indptr)

    @property
    def has_topics(self) -> bool:
        """Whether any topic was recorded."""
        return self.topics.nnz > 0

    @property
    def has_profiles(self) -> bool:
        """Whether the members table declared interests, skills or needs."""
        return any(m is not None and m.nnz > 0 for m in (self.tags, self.needs, self.offers))

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_arrays(
        cls,
        ties: Any,
        *,
        events: Any = None,
        presence: Any = None,
        topics: Any = None,
        organization: Any = None,
        newcomer: Any = None,
        peripheral: Any = None,
        eligible: Any = None,
        member_ids: Any = None,
        tags: Any = None,
        needs: Any = None,
        offers: Any = None,
        joined_days: Any = None,
    ) -> MatchData:
        """A :class:`MatchData` from bare arrays (e.g. a simulation's state); only ``ties`` is required.

        Examples
        --------
        >>> ties = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
        >>> d = MatchData.from_arrays(ties)
        >>> d.n, d.degree.tolist(), d.group.tolist()
        (3, [1, 2, 1], [0, 0, 0])
        """
        t = sp.csr_array(ties, dtype=np.float64)
        n = t.shape[0]
        t = sp.csr_array((t + t.T) > 0, dtype=np.float64)
        t.setdiag(0)
        t.eliminate_zeros()

        def mat(m: Any) -> sp.csr_array:
            return sp.csr_array((n, 1)) if m is None else sp.csr_array(m, dtype=np.float64)

        def arr(a: Any, default: Any, dtype: Any) -> np.ndarray:
            return np.full(n, default, dtype=dtype) if a is None else np.asarray(a, dtype=dtype)

        return cls(
            member_ids=pd.Index(np.arange(n) if member_ids is None else member_ids, name="member_id"),
            ties=t, events=mat(events), presence=mat(presence), topics=mat(topics),
            eligible=arr(eligible, True, bool), organization=arr(organization, -1, np.int64),
            newcomer=arr(newcomer, False, bool), peripheral=arr(peripheral, False, bool),
            tags=None if tags is None else mat(tags), needs=None if needs is None else mat(needs),
            offers=None if offers is None else mat(offers),
            joined_days=None if joined_days is None else np.asarray(joined_days, dtype=np.float64),
        )

    @classmethod
    def from_log(
        cls,
        log: Any,
        *,
        as_of: Any = None,
        lookback: int | None = None,
        min_tie: float = 0.25,
        max_group_size: int | None = MAX_GROUP_SIZE,
        newcomer_days: int = NEWCOMER_DAYS,
        prepared: Prepared | None = None,
        levels: pd.Series | None = None,
    ) -> MatchData:
        """The arrays of ``log`` up to ``as_of`` (default: the day after the last activity).

        ``eligible`` people belong to the community in the window of
        ``lookback`` days before ``as_of`` (:func:`cop.kernel.current_people`;
        default window from the community's timescale), are members (not
        coordinators, not guests or outsiders) and have not opted out
        (:data:`OPT_OUT_COLUMN`).  ``peripheral`` comes from the levels of that
        window (:func:`cop.participation.classifier.classify_window`, or the
        ``levels`` given, e.g. a diagnosis's).
        """
        from cop.participation.classifier import classify_window

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)  # the group-size note is the diagnosis's to give
            prep = prepared if prepared is not None else Prepared(log, min_tie=min_tie, max_group_size=max_group_size)
        as_of_ts = resolve_as_of(log, as_of)
        days = timescale(prep, lookback).lookback
        lo, hi = window_bounds(as_of_ts, days)
        past = prep.incidence.columns(None, hi)
        n = prep.n
        # existing ties: the kernel's tie rule over the whole history up to as_of
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataWarning)
            weights = project(prep.B[:, past], prep.tie_weight[past], max_ties=prep.max_ties) if past.stop > past.start else sp.csr_array((n, n))
        weights = sp.csr_array(weights) if weights.shape == (n, n) else sp.csr_array((n, n))
        ties = sp.csr_array(weights >= min_tie, dtype=np.float64) if weights.nnz else sp.csr_array((n, n))
        cols = np.arange(past.start, past.stop)
        size = prep.size[cols]
        cap = np.inf if max_group_size is None else max_group_size
        ev_cols = cols[(~prep.is_presence[cols]) & (size >= 2) & (size <= cap)]
        pr_cols = cols[prep.is_presence[cols] & (size >= 2)]
        events = sp.csr_array(prep.Bbin[:, ev_cols])
        presence = sp.csr_array(prep.Bbin[:, pr_cols])
        # topics of every non-presence activity (activities table, else the log)
        eng_cols = cols[~prep.is_presence[cols]]
        topic_cell = prep.activities["topic"].to_numpy(dtype=object)
        # each distinct topic cell is parsed once (tags in order of first appearance, as activity by activity)
        codes, uniq = pd.factorize(pd.Series(topic_cell[eng_cols], dtype=object), use_na_sentinel=True)
        vocab: dict[str, int] = {}
        uniq_tags = _tag_matrix([_topic_tags(u) for u in uniq], vocab)
        if len(eng_cols) and vocab:
            pick = sp.csr_array(sp.vstack([uniq_tags, sp.csr_array((1, uniq_tags.shape[1]))]))
            act_tags = sp.csr_array(pick[np.where(codes >= 0, codes, len(uniq))])
            topics = sp.csr_array(prep.Bbin[:, eng_cols] @ act_tags)
        else:
            topics = sp.csr_array((n, 1))
        topic_names = tuple(sorted(vocab, key=vocab.get))
        ev_codes, ev_uniq = pd.factorize(pd.Series(topic_cell[ev_cols], dtype=object), use_na_sentinel=True)
        first_tag = np.array([u.split(TOPIC_SEPARATOR)[0].strip().lower() if isinstance(u, str) and u.strip() else ""
                              for u in ev_uniq] + [""], dtype=object)
        ev_topic_first = first_tag[np.where(ev_codes >= 0, ev_codes, len(ev_uniq))]
        labels = _series_all(prep.incidence.activity_ids[ev_cols])
        # who may be suggested
        cur = current_people(prep, lo, hi, days)
        members = prep.members
        opted = np.zeros(n, bool)
        if OPT_OUT_COLUMN in members.columns:
            opted = members[OPT_OUT_COLUMN].astype(str).str.strip().str.lower().isin(_TRUE).to_numpy()
        eligible = cur & prep.is_member & ~opted
        org = pd.Series(prep.organization)
        codes = pd.Categorical(org.where(org.notna(), None)).codes.astype(np.int64)
        first = np.where(prep.joined != np.iinfo(np.int64).min, prep.joined, prep.first_seen)
        joined_days = (as_of_ts.value - first) / DAY_NS
        newcomer = prep.is_member & (joined_days >= 0) & (joined_days < newcomer_days)
        if levels is None:
            levels = classify_window(prep, lo, hi)["level"]
        level = pd.Series(levels).reindex(prep.member_ids).to_numpy(dtype=object)
        peripheral = (level == "peripheral") | ((level == "inactive") & cur & prep.is_member)
        # declared profiles
        tag_vocab: dict[str, int] = {}
        prof = {c: [split_tags(v) for v in members[c].to_numpy(dtype=object)] if c in members.columns else None
                for c in PROFILE_COLUMNS}
        tags = needs = offers = None
        if prof["interests"] is not None or prof["skills"] is not None:
            merged = [list(dict.fromkeys((a or []) + (b or [])))
                      for a, b in zip(prof["interests"] or [[]] * n, prof["skills"] or [[]] * n)]
            tags = _tag_matrix(merged, tag_vocab)
        if prof["skills"] is not None:
            offers = _tag_matrix(prof["skills"], tag_vocab)
        if prof["needs"] is not None:
            needs = _tag_matrix(prof["needs"], tag_vocab)
        width = max(len(tag_vocab), 1)
        tags, needs, offers = (None if m is None else sp.csr_array(m, shape=(n, width)) for m in (tags, needs, offers))
        return cls(
            member_ids=prep.member_ids, ties=ties, events=events, presence=presence, topics=topics,
            eligible=eligible, organization=codes, newcomer=newcomer, peripheral=peripheral,
            tags=tags, needs=needs, offers=offers, joined_days=joined_days, topic_names=topic_names,
            tag_names=tuple(sorted(tag_vocab, key=tag_vocab.get)), event_labels=labels, event_topics=ev_topic_first,
        )


def _topic_tags(cell: Any) -> list[str]:
    """Topic tags of one activity's ``topic`` cell (``;``-separated), lower-cased."""
    if not isinstance(cell, str):
        return []
    return list(dict.fromkeys(t.strip().lower() for t in cell.split(TOPIC_SEPARATOR) if t.strip()))


def _series(activity_id: Any) -> str:
    """The name of an activity's series: its id without a trailing date or number (``breakfast-2024-03-07`` -> ``breakfast``)."""
    s = re.sub(_SERIES_TAIL, "", str(activity_id))
    return s or ""


_SERIES_TAIL = r"[-_ #]*(\d[\d\-_:.TW]*)$"


def _series_all(ids: Any) -> np.ndarray:
    """:func:`_series` of every id (one vectorised regex replacement with pyarrow when it is there)."""
    ids = np.asarray(ids, dtype=object)
    if len(ids) == 0:
        return np.zeros(0, dtype=object)
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        out = pc.replace_substring_regex(pa.array([str(a) for a in ids], type=pa.string()), _SERIES_TAIL, "")
        return np.asarray(out.to_pylist(), dtype=object)
    except ImportError:  # pragma: no cover - pyarrow is a pandas dependency here
        return np.array([_series(a) for a in ids], dtype=object)


def _components(ties: sp.csr_array) -> np.ndarray:
    """Connected component of each person in the tie graph; -1 for people without a tie."""
    if ties.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    _, labels = connected_components(ties, directed=False)
    labels = labels.astype(np.int64)
    labels[np.diff(ties.indptr) == 0] = -1
    return labels
