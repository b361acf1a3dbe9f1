"""The member-by-activity incidence matrix, with activities ordered by time.

``B[i, a]`` is the summed ``weight`` of member ``i``'s rows in activity ``a``.
Columns are sorted by each activity's start, so any time window is a
contiguous block of columns: all periods are cut from one matrix without
copying the log.

Examples
--------
>>> import pandas as pd
>>> from cop import ActivityLog
>>> from cop.kernel.incidence import Incidence
>>> log = ActivityLog.from_frame(pd.DataFrame({"activity_id": ["b", "a", "a"], "member_id": ["x", "x", "y"],
...                                            "timestamp": ["2024-02-01", "2024-01-01", "2024-01-01"]}))
>>> inc = Incidence.from_log(log)
>>> inc.matrix.toarray().tolist()   # columns: a (January), b (February)
[[1.0, 1.0], [1.0, 0.0]]
>>> inc.columns("2024-01-15", None)
slice(1, 2, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from cop.log import ActivityLog
from cop.schema import KINDS
from cop.timestamps import as_ns, to_utc_timestamp

__all__ = ["Incidence"]


@dataclass(frozen=True)
class Incidence:
    """A sparse member x activity matrix and per-activity arrays, in time order.

    Attributes
    ----------
    matrix : scipy.sparse.csc_array
        Shape ``(n_people, n_activities)``; rows follow ``member_ids``.
    member_ids : pandas.Index
        Every person of the log (participants and listed members).
    activity_ids : pandas.Index
        Activities, ordered by ``start``.
    start : numpy.ndarray
        Start of each activity, int64 nanoseconds UTC (sorted).
    kind : numpy.ndarray
        Kind code of each activity (index into :data:`cop.schema.KINDS`).
    size : numpy.ndarray
        Distinct participants of each activity.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> from cop.kernel import Prepared
    >>> inc = Prepared(cop.load_example()).incidence
    >>> inc.matrix.shape
    (221, 1735)
    >>> hi = pd.Timestamp("2024-01-01", tz="UTC").value
    >>> c = inc.columns(hi - 90 * 86_400 * 10**9, hi)  # the activities starting in the window: a slice, in time order
    >>> c.stop - c.start
    167
    """

    matrix: sp.csc_array
    member_ids: pd.Index
    activity_ids: pd.Index
    start: np.ndarray
    kind: np.ndarray
    size: np.ndarray

    @classmethod
    def from_log(cls, log: ActivityLog) -> Incidence:
        """Build the matrix from a log with one sparse construction (duplicates summed)."""
        d = log.data
        n_m = len(d["member_id"].cat.categories)
        n_a = len(d["activity_id"].cat.categories)
        # 32-bit indices whenever they fit: scipy keeps them through the products,
        # which halves the memory and time of B W B^T
        idx = np.int32 if max(n_m, n_a, len(d)) < np.iinfo(np.int32).max else np.int64
        m_codes = d["member_id"].cat.codes.to_numpy().astype(idx)
        a_codes = d["activity_id"].cat.codes.to_numpy().astype(idx)
        ts = as_ns(d["timestamp"])
        never = np.iinfo(np.int64).max
        start = np.full(n_a, never, dtype=np.int64)
        kind = np.zeros(n_a, dtype=np.int8)
        if len(d):
            # start: earliest row; kind: of the first row (in row order) at that start
            np.minimum.at(start, a_codes, ts)
            at_start = np.flatnonzero(ts == start[a_codes])
            first = np.full(n_a, len(d), dtype=np.int64)
            np.minimum.at(first, a_codes[at_start], at_start)
            has = first < len(d)
            kind[has] = d["kind"].cat.codes.to_numpy()[first[has]]
        present = start != never
        perm = np.argsort(start, kind="stable")
        perm = perm[present[perm]]
        new_pos = np.full(n_a, -1, dtype=idx)
        new_pos[perm] = np.arange(len(perm), dtype=idx)
        cols = new_pos[a_codes]
        matrix = sp.csc_array(
            (d["weight"].to_numpy(dtype=np.float64), (m_codes, cols)), shape=(n_m, len(perm))
        )
        matrix.sum_duplicates()
        size = np.diff(matrix.indptr)
        return cls(
            matrix=matrix,
            member_ids=pd.Index(np.asarray(d["member_id"].cat.categories, dtype=object), name="member_id"),
            activity_ids=pd.Index(np.asarray(d["activity_id"].cat.categories, dtype=object)[perm], name="activity_id"),
            start=start[perm],
            kind=kind[perm],
            size=size.astype(np.int64),
        )

    @property
    def kinds(self) -> tuple[str, ...]:
        """Names of the kind codes."""
        return KINDS

    def columns(self, start: Any = None, end: Any = None) -> slice:
        """The block of columns whose activities start in ``[start, end)``.

        The one column search of the kernel.  ``start`` and ``end`` are
        nanoseconds UTC (``int``, as in the kernel's windows), any date-like
        (read as :func:`cop.timestamps.to_utc_timestamp` does), or None for an
        open end.

        Examples
        --------
        >>> import pandas as pd
        >>> from cop import ActivityLog
        >>> inc = Incidence.from_log(ActivityLog.from_frame(pd.DataFrame(
        ...     {"activity_id": ["a", "b", "c"], "member_id": ["x"] * 3, "timestamp": ["2024-01-01", "2024-02-01", "2024-03-01"]})))
        >>> inc.columns("2024-01-15", "2024-03-01"), inc.columns(pd.Timestamp("2024-02-01", tz="UTC").value)
        (slice(1, 2, None), slice(1, 3, None))
        """
        lo = 0 if start is None else int(np.searchsorted(self.start, _ns(start, "start"), "left"))
        hi = len(self.start) if end is None else int(np.searchsorted(self.start, _ns(end, "end"), "left"))
        return slice(lo, max(lo, hi))


def _ns(value: Any, name: str) -> int:
    """Nanoseconds UTC of a window bound: an int as it is, any other date-like parsed."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    return to_utc_timestamp(value, name=name).value
