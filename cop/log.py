"""The activity log: who (``member_id``) took part in what (``activity_id``) and when.

Everything is an activity with participants: an event attended, a check-in day,
a 1:1 introduction, a chat thread, a commit, a formal collaboration.  Real
exports and simulated communities both become an :class:`ActivityLog`, so every
diagnostic runs unchanged on either.

Examples
--------
>>> import pandas as pd
>>> from cop import ActivityLog
>>> rows = pd.DataFrame({
...     "activity_id": ["breakfast-1", "breakfast-1", "intro-1", "intro-1"],
...     "member_id": ["ann", "bo", "ann", "cy"],
...     "timestamp": ["2024-01-09", "2024-01-09", "2024-01-10T10:00", "2024-01-10T10:00"],
...     "kind": ["event", "event", "interaction", "interaction"],
... })
>>> log = ActivityLog.from_frame(rows)
>>> len(log), log.n_members, log.n_activities
(4, 3, 2)
>>> log.activities.loc["intro-1", "size"]
np.int64(2)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import DataWarning
from cop.schema import COORDINATOR_ROLES, LOG_COLUMNS, SITE_COLUMNS
from cop.tables import normalize_log
from cop.timestamps import as_ns, to_utc_timestamp

__all__ = ["ActivityLog"]


def member_spans(data: pd.DataFrame) -> tuple[pd.Index, np.ndarray, pd.DatetimeIndex, pd.DatetimeIndex]:
    """Each member category's participations and first and last instant (UTC; NaT for a category without rows).

    Behind :attr:`ActivityLog.members` (:func:`members_of`).

    Examples
    --------
    >>> frame = pd.DataFrame({"member_id": pd.Categorical(["x", "y", "x"], categories=["x", "y", "z"]),
    ...     "timestamp": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-03"], utc=True)})
    >>> ids, count, first, last = member_spans(frame)
    >>> list(ids), count.tolist(), [str(t.date()) for t in first[:2]], last[2] is pd.NaT
    (['x', 'y', 'z'], [2, 1, 0], ['2024-01-02', '2024-01-01'], True)
    """
    ids = data["member_id"].cat.categories
    codes = data["member_id"].cat.codes.to_numpy()
    ts = as_ns(data["timestamp"])
    n = len(ids)
    count = np.bincount(codes, minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    # ufunc.at is fast since numpy 1.25 (~2 ms per million rows); no sort needed
    np.minimum.at(first, codes, ts)
    np.maximum.at(last, codes, ts)
    seen = count > 0
    nat = np.iinfo(np.int64).min

    def instants(v: np.ndarray) -> pd.DatetimeIndex:
        return pd.to_datetime(np.where(seen, v, nat).view("M8[ns]")).tz_localize("UTC")

    return ids, count, instants(first), instants(last)


def members_of(data: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """:attr:`ActivityLog.members` of the normalised rows ``data`` and members table ``table``.

    Without a table, the frame is built in one construction (every role ``member``: no coordinator, no
    outsider); with one, the table is joined to the people seen and the columns added one by one.

    Examples
    --------
    >>> frame = pd.DataFrame({"activity_id": ["b", "a", "b"], "member_id": ["x", "y", "y"],
    ...     "timestamp": ["2024-01-02", "2024-01-01", "2024-01-03"]})
    >>> t = members_of(ActivityLog.from_frame(frame).data)
    >>> t.index.tolist(), t["participations"].tolist(), t["participant_type"].tolist()
    (['x', 'y'], [1, 2], ['member', 'member'])
    """
    ids, count, first_seen, last_seen = member_spans(data)
    index = pd.Index(np.asarray(ids, dtype=object), name="member_id")
    if table is None:
        return pd.DataFrame({
            "organization": None, "role": "member", "joined": pd.NaT, "left": pd.NaT, "listed": False,
            "first_seen": first_seen, "last_seen": last_seen, "participations": count,
            "participant_type": np.full(len(ids), "member", dtype=object),
        }, index=index)
    table = table.set_index("member_id")
    out = pd.DataFrame(index=index).join(table, how="left")
    out["listed"] = out.index.isin(table.index)
    out["role"] = out["role"].where(out["listed"], None)
    out["first_seen"] = first_seen
    out["last_seen"] = last_seen
    out["participations"] = count
    ptype = np.where(out["role"].isin(COORDINATOR_ROLES), "coordinator", "member").astype(object)
    ptype[(~out["listed"].to_numpy()) | (out["role"] == "guest").to_numpy()] = "outsider"
    out["participant_type"] = ptype
    return out


def activities_of(data: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """:attr:`ActivityLog.activities` of the normalised rows ``data`` and activities table ``table``, from one sort.

    The rows are ordered by activity, then member, by one stable sort of one integer key; each
    activity's start, end, first kind, topic, rows and distinct participants are reductions over its
    block of rows (no grouping: on a network's many small space logs, and on large logs alike, the
    grouping's cost was most of the table's).

    Examples
    --------
    >>> frame = pd.DataFrame({"activity_id": ["b", "a", "b"], "member_id": ["x", "y", "y"],
    ...     "timestamp": ["2024-01-02", "2024-01-01", "2024-01-03"]})
    >>> t = activities_of(ActivityLog.from_frame(frame).data)
    >>> t.index.tolist(), t["size"].tolist(), t["rows"].tolist(), str(t.loc["b", "end"].date())
    (['a', 'b'], [1, 2], [1, 2], '2024-01-03')
    """
    d = data
    a = d["activity_id"].cat.codes.to_numpy()
    ids = d["activity_id"].cat.categories
    t = as_ns(d["timestamp"])
    kc = d["kind"].cat.codes.to_numpy()
    m = d["member_id"].cat.codes.to_numpy()
    tc = d["topic"].cat.codes.to_numpy()
    n = len(a)
    # the order of np.lexsort((m, a)) from one stable sort of one key (codes >= -1: the key orders by a, then m)
    order = np.argsort(a.astype(np.int64) * (len(d["member_id"].cat.categories) + 1) + (m.astype(np.int64) + 1), kind="stable")
    sa, sm = a[order], m[order]
    starts = np.flatnonzero(np.r_[True, sa[1:] != sa[:-1]]) if n else np.zeros(0, np.int64)
    ts = t[order]
    pair = np.r_[True, (sa[1:] != sa[:-1]) | (sm[1:] != sm[:-1])] if n else np.zeros(0, bool)
    if n:
        start, end = np.minimum.reduceat(ts, starts), np.maximum.reduceat(ts, starts)
        first = kc[np.minimum.reduceat(order, starts)]
        topic = np.maximum.reduceat(tc[order], starts)
        size = np.add.reduceat(pair.astype(np.int64), starts)
    else:
        start = end = np.zeros(0, np.int64)
        first, topic, size = kc[:0], tc[:0], np.zeros(0, np.int64)
    count = np.diff(np.r_[starts, n]).astype(np.int64)
    tcats = d["topic"].cat.categories
    n_a = len(starts)
    base = {
        "kind": pd.Categorical.from_codes(first, dtype=d["kind"].dtype),
        "start": pd.to_datetime(np.asarray(start, dtype=np.int64).view("M8[ns]")).tz_localize("UTC"),
        "end": pd.to_datetime(np.asarray(end, dtype=np.int64).view("M8[ns]")).tz_localize("UTC"),
        "size": size,
        "rows": count,
        "topic": np.where(topic >= 0, np.asarray(tcats, dtype=object)[np.maximum(topic, 0)] if len(tcats) else None, None),
    }
    index = pd.Index(np.asarray(ids[sa[starts]], dtype=object), name="activity_id")
    if table is None:
        return pd.DataFrame({
            **base, "type": None,
            "external": pd.arrays.BooleanArray(np.zeros(n_a, dtype=bool), np.ones(n_a, dtype=bool)),  # all missing
            "organizer": None, "listed": False,
        }, index=index)
    out = pd.DataFrame(base, index=index)
    table = table.set_index("activity_id")
    out["listed"] = out.index.isin(table.index)
    extra = table.reindex(out.index)
    out["topic"] = extra["topic"].where(extra["topic"].notna(), out["topic"])
    for col in table.columns:
        if col != "topic":
            out[col] = extra[col]
    out["external"] = out["external"].astype("boolean")
    return out


class ActivityLog:
    """A validated participation log with optional members and activities tables.

    Build one with :meth:`from_frame` or :func:`cop.read_activities`; the
    constructor expects already-normalised frames.

    Attributes
    ----------
    data : pandas.DataFrame
        One row per participation, columns ``activity_id, member_id, timestamp,
        kind, role, topic, weight, channel`` (ids categorical, timestamps UTC),
        and ``space`` when the input has one (:data:`cop.schema.SITE_COLUMNS`).
    source : str
        Where the rows came from (a file name or ``<DataFrame>``).
    warnings : list of str
        What was accepted with a warning (dropped duplicates, unlisted members...).
    audit : dict or None
        Per input file: ``rows``, ``accounts``, ``merged``, ``bots_dropped``,
        ``filtered`` (see :func:`cop.io.read_activities`).

    Examples
    --------
    >>> import pandas as pd
    >>> log = ActivityLog.from_frame(pd.DataFrame({
    ...     "activity_id": ["talk", "talk", "intro"], "member_id": ["ana", "ben", "ana"],
    ...     "timestamp": ["2024-03-01 18:00", "2024-03-01 18:00", "2024-03-04 10:00"]}))
    >>> len(log), log.n_activities, sorted(log.members.index)
    (3, 2, ['ana', 'ben'])
    >>> log.data["timestamp"].dt.tz
    datetime.timezone.utc
    """

    def __init__(
        self,
        data: pd.DataFrame,
        members: pd.DataFrame | None = None,
        activities: pd.DataFrame | None = None,
        *,
        source: str = "<DataFrame>",
        warnings: list[str] | None = None,
        audit: dict[str, dict[str, int]] | None = None,
    ) -> None:
        self.data = data
        self._members_table = members
        self._activities_table = activities
        self.source = source
        self.warnings = list(warnings or [])
        #: Per input (by name): rows, accounts seen, accounts merged, bots dropped, rows filtered by status
        #: (set by :func:`cop.io.read_activities`; ``None`` for a log built otherwise).
        self.audit = audit

    # ------------------------------------------------------------------ building
    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        members: pd.DataFrame | None = None,
        activities: pd.DataFrame | None = None,
        *,
        mapping: Mapping[str, str] | None = None,
        member_mapping: Mapping[str, str] | None = None,
        tz: str = "UTC",
        source: Source | str | None = None,
        members_source: Source | str | None = None,
        activities_source: Source | str | None = None,
        emit_warnings: bool = True,
        split_activities: str | None = None,
        date_format: str | None = None,
        dayfirst: bool | None = None,
        set_columns: Mapping[str, object] | None = None,
        ignore: Sequence[str] = (),
    ) -> ActivityLog:
        """Validate raw frames and build a log.

        Parameters
        ----------
        frame : pandas.DataFrame
            Participation rows, or a ``source, target, timestamp`` edge list.
        members, activities : pandas.DataFrame, optional
            Side tables (see the README for their columns).
        mapping : dict, optional
            ``{cop_column: your_header}`` for the participation table.
        member_mapping : dict, optional
            The same for the members table.
        tz : str, default "UTC"
            Zone of timestamps given without one.
        source, members_source, activities_source : Source or str, optional
            Names used in messages.
        emit_warnings : bool, default True
            Also issue each note as a :class:`~cop.exceptions.DataWarning`.
        split_activities : {"day", "week"}, optional
            One activity per occurrence: the id plus the row's day
            (``"id 2024-03-07"``) or ISO week (``"id 2024-W10"``), for exports
            whose id names a recurring series (:mod:`cop.occurrences`).
        date_format : str, optional
            A strptime format for the timestamps (``"%d.%m.%Y %H:%M"``), tried
            before cop's own rules; with ``%z`` the values are instants.
        dayfirst : bool, optional
            ``True``: ``05.03.2024`` is 5 March; ``False``: ``03/14/2024`` is
            14 March.  Unset, such dates are an error asking for it.
        set_columns : dict, optional
            ``{cop_column: value}`` set on every row (``{"kind": "presence"}``).
        ignore : sequence of str
            Headers to leave out (a Slack ``channel`` that is not cop's ``channel``).

        Raises
        ------
        cop.exceptions.DataError
            One message naming the file, column, first rows and what was expected.
        """
        rows, mem, act, notes = normalize_log(
            frame, members, activities, mapping=mapping, member_mapping=member_mapping, tz=tz,
            source=_as_source(source, "<DataFrame>"),
            members_source=_as_source(members_source, "<members DataFrame>"),
            activities_source=_as_source(activities_source, "<activities DataFrame>"),
            split_activities=split_activities, date_format=date_format, dayfirst=dayfirst,
            set_columns=set_columns, ignore=ignore,
        )
        src = _as_source(source, "<DataFrame>")
        # the input of each row (several inputs at once) and the optional site columns, where given
        columns = [*LOG_COLUMNS, *(c for c in SITE_COLUMNS if c in rows.columns)] + (["source"] if "source" in rows.columns else [])
        log = cls(rows[columns], mem, act, source=src.name, warnings=notes)
        if emit_warnings:
            for note in notes:
                warnings.warn(note, DataWarning, stacklevel=2)
        return log

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        if len(self) == 0:
            return f"<ActivityLog {self.source}: empty>"
        return (
            f"<ActivityLog {self.source}: {len(self)} participations, {self.n_members} people, "
            f"{self.n_activities} activities, {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}>"
        )

    @property
    def has_members_table(self) -> bool:
        """Whether a members table was given."""
        return self._members_table is not None

    @property
    def has_activities_table(self) -> bool:
        """Whether an activities table was given."""
        return self._activities_table is not None

    @property
    def start(self) -> pd.Timestamp:
        """Earliest timestamp."""
        return self.data["timestamp"].min()

    @property
    def end(self) -> pd.Timestamp:
        """Latest timestamp."""
        return self.data["timestamp"].max()

    @property
    def n_members(self) -> int:
        """People who took part at least once."""
        return int(self.data["member_id"].nunique())

    @property
    def n_activities(self) -> int:
        """Distinct activities."""
        return int(self.data["activity_id"].nunique())

    # ------------------------------------------------------------------ tables
    @cached_property
    def members(self) -> pd.DataFrame:
        """One row per person (index ``member_id``), listed or seen in the log.

        Columns: ``organization``, ``role``, ``joined``, ``left``, the extra columns
        of the members table, ``listed`` (in the members table), ``first_seen``,
        ``last_seen``, ``participations``, and ``participant_type``:
        ``coordinator`` (role manager/staff), ``outsider`` (role guest, or not in a
        given members table) or ``member``.
        """
        return members_of(self.data, self._members_table)

    @cached_property
    def activities(self) -> pd.DataFrame:
        """One row per activity (index ``activity_id``).

        Columns: ``kind`` (of its first row), ``start`` and ``end`` (first and last
        participation), ``size`` (distinct participants), ``rows``, ``topic``
        (from the activities table, else the log), ``type``, ``external``,
        ``organizer``, ``listed``.
        """
        return activities_of(self.data, self._activities_table)

    @property
    def organizations(self) -> pd.Series:
        """Organization of every person (``None`` where unknown), indexed by ``member_id``."""
        return self.members["organization"]

    # ------------------------------------------------------------------ slicing
    def window(self, start: Any = None, end: Any = None) -> ActivityLog:
        """The rows with ``start <= timestamp < end`` (either bound optional).

        Ids keep their categories, so member indices line up across windows.

        Examples
        --------
        >>> import pandas as pd
        >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "b"], "member_id": ["x", "y"],
        ...                                            "timestamp": ["2024-01-01", "2024-02-01"]}))
        >>> len(log.window(start="2024-01-15"))
        1
        """
        mask = np.ones(len(self.data), dtype=bool)
        ts = self.data["timestamp"]
        if start is not None:
            mask &= (ts >= to_utc_timestamp(start, name="start")).to_numpy()
        if end is not None:
            mask &= (ts < to_utc_timestamp(end, name="end")).to_numpy()
        return ActivityLog(
            self.data.loc[mask].reset_index(drop=True),
            self._members_table,
            self._activities_table,
            source=self.source,
            warnings=self.warnings,
            audit=self.audit,
        )

    def with_rows(self, data: pd.DataFrame) -> ActivityLog:
        """A log sharing this one's side tables but with other (already clean) rows."""
        return ActivityLog(data, self._members_table, self._activities_table, source=self.source, warnings=self.warnings,
                           audit=self.audit)

    @property
    def members_table(self) -> pd.DataFrame | None:
        """The normalised members table as given (``None`` without one)."""
        return self._members_table

    @property
    def activities_table(self) -> pd.DataFrame | None:
        """The normalised activities table as given (``None`` without one)."""
        return self._activities_table

    def to_frame(self) -> pd.DataFrame:
        """A copy of the participation rows."""
        return self.data.copy()

    def _repr_html_(self) -> str:
        """A small summary table for notebooks (escaped): rows, people, activities, span, kinds, warnings.

        Examples
        --------
        >>> import pandas as pd
        >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a"], "member_id": ["x", "y"],
        ...                                            "timestamp": ["2024-01-01", "2024-01-01"]}))
        >>> "<th>members</th><td>2</td>" in log._repr_html_()
        True
        """
        from cop._html import summary_table

        s = self.summary()
        rows: list[tuple[str, object]] = [
            ("participation rows", f"{s['rows']:,}"),
            ("members", f"{s['members']:,}"),
            ("coordinators", s["coordinators"]),
            ("outsiders", s["outsiders"]),
            ("activities", f"{s['activities']:,}"),
        ]
        if len(self):
            rows.append(("time span", f"{s['start'][:10]} to {s['end'][:10]} ({s['days']} days)"))
        rows += [(f"kind: {k}", f"{n:,}") for k, n in s["kinds"].items()]
        rows.append(("warnings", len(s["warnings"])))
        return summary_table(f"ActivityLog of {self.source}", rows)

    # ------------------------------------------------------------------ summary
    def summary(self) -> dict[str, Any]:
        """Counts for a quick look: rows, people, activities, organizations, span, kinds, warnings.

        Examples
        --------
        >>> import pandas as pd
        >>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["a", "a"], "member_id": ["x", "y"],
        ...                                            "timestamp": ["2024-01-01", "2024-01-01"]}))
        >>> log.summary()["kinds"]
        {'event': 2}
        """
        m = self.members
        seen = m[m["participations"] > 0]
        orgs = seen["organization"].dropna()
        kinds = self.data["kind"].value_counts(sort=False)
        extra = {} if self.audit is None else {"sources": {k: dict(v) for k, v in self.audit.items()}}
        return {
            "source": self.source,
            "rows": len(self),
            "members": int((seen["participant_type"] != "outsider").sum()),
            "outsiders": int((seen["participant_type"] == "outsider").sum()),
            "coordinators": int((seen["participant_type"] == "coordinator").sum()),
            "listed_members": int(m["listed"].sum()) if self.has_members_table else None,
            "activities": self.n_activities,
            "organizations": int(orgs.nunique()) if len(orgs) else None,
            "start": self.start.isoformat() if len(self) else None,
            "end": self.end.isoformat() if len(self) else None,
            "days": int((self.end - self.start).days) + 1 if len(self) else 0,
            "kinds": {str(k): int(v) for k, v in kinds.items() if v > 0},
            "warnings": list(self.warnings),
            **extra,
        }


def _as_source(value: Source | str | None, default: str) -> Source:
    if isinstance(value, Source):
        return value
    return Source.frame(value or default)

