"""The community's own timescale: how long its members take to come back.

A chat whose members write every day and a project whose contributors commit
every few weeks must not be judged on the same 90 days.  The timescale is read
from the data: for every member, the gaps in days between consecutive distinct
days on which they took part; pooled over members,

* ``median_return_days`` -- half of all returns happen within this many days;
* ``return_days`` -- nine returns in ten happen within this many days
  (:data:`RETURN_QUANTILE`);
* ``lookback`` -- the default analysis window: :data:`WINDOW_RETURNS` times
  ``return_days``, rounded up to whole months of 30 days, between
  :data:`MIN_LOOKBACK` and :data:`MAX_LOOKBACK` days (so a window holds about
  three full return times: a member who comes back at the community's usual
  pace is seen in it).

With fewer than :data:`MIN_RETURNS` returns the timescale is unknown and the
window falls back to :data:`MIN_LOOKBACK` (90 days).

Examples
--------
>>> import cop
>>> from cop.kernel import Prepared
>>> ts = timescale(Prepared(cop.load_example()))
>>> ts.return_days, ts.lookback
(7.0, 90)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from cop.kernel.periods import DAY_NS

if TYPE_CHECKING:  # pragma: no cover
    from cop.kernel.windows import Prepared

__all__ = [
    "RETURN_QUANTILE",
    "WINDOW_RETURNS",
    "MIN_LOOKBACK",
    "MAX_LOOKBACK",
    "MIN_RETURNS",
    "Timescale",
    "return_gaps",
    "timescale",
    "lookback_for",
]

#: ``return_days`` is this quantile of the pooled gaps between a member's consecutive participation days.
RETURN_QUANTILE = 0.9
#: The default window holds this many return times.
WINDOW_RETURNS = 3
#: Shortest default window (days): a window shorter than a season says little about levels.
MIN_LOOKBACK = 90
#: Longest default window (days): twelve 30-day months.
MAX_LOOKBACK = 360
#: Fewer returns than this and the timescale is unknown (the window is :data:`MIN_LOOKBACK`).
MIN_RETURNS = 20


@dataclass(frozen=True)
class Timescale:
    """How long members take to come back, and the default window that follows from it.

    ``lookback_source`` is ``"data"`` when the window was derived here, ``"user"`` when it was given.

    Examples
    --------
    >>> Timescale(2.0, 7.0, 100, lookback_for(7.0))
    Timescale(median_return_days=2.0, return_days=7.0, returns=100, lookback=90, lookback_source='data')
    """

    median_return_days: float
    return_days: float
    returns: int
    lookback: int
    lookback_source: str = "data"

    def to_dict(self) -> dict[str, Any]:
        """Plain values (NaN as None), as in the diagnosis JSON.

        Examples
        --------
        >>> Timescale(2.0, 7.0, 100, 90).to_dict()["lookback"]
        90
        """
        return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in asdict(self).items()}


def return_gaps(member: np.ndarray, start_ns: np.ndarray) -> np.ndarray:
    """Gaps in days between each member's consecutive distinct participation days (pooled).

    Examples
    --------
    >>> day = DAY_NS
    >>> return_gaps(np.array([0, 0, 0, 1, 1]), np.array([0, 0, 3, 1, 8]) * day).tolist()
    [3.0, 7.0]
    """
    member = np.asarray(member, dtype=np.int64)
    days = np.asarray(start_ns, dtype=np.int64) // DAY_NS
    if len(days) == 0:
        return np.zeros(0)
    # distinct (member, day) pairs in lexicographic order: np.unique(..., axis=0) without its slow row sort
    # (and without any sort when the pairs come in that order, as timescale() hands them)
    m, d = member, days
    if ((m[1:] < m[:-1]) | ((m[1:] == m[:-1]) & (d[1:] < d[:-1]))).any():
        order = np.lexsort((days, member))
        m, d = member[order], days[order]
    new = np.r_[True, (m[1:] != m[:-1]) | (d[1:] != d[:-1])]
    m, d = m[new], d[new]
    same = m[1:] == m[:-1]
    return np.diff(d)[same].astype(np.float64)


def lookback_for(return_days: float) -> int:
    """The default window for a return time: ``WINDOW_RETURNS x return_days`` in whole 30-day months, within bounds.

    Examples
    --------
    >>> [lookback_for(d) for d in (1.0, 7.0, 35.0, 57.0, 120.0, float("nan"))]
    [90, 90, 120, 180, 360, 90]
    """
    if not np.isfinite(return_days):
        return MIN_LOOKBACK
    days = 30 * int(np.ceil(WINDOW_RETURNS * return_days / 30))
    return int(min(MAX_LOOKBACK, max(MIN_LOOKBACK, days)))


def timescale(prep: Prepared, lookback: int | None = None) -> Timescale:
    """The timescale of a prepared log; ``lookback`` given by the user overrides the derived window.

    Members only (outsiders excluded); every participation counts.

    Examples
    --------
    >>> import cop
    >>> from cop.kernel import Prepared
    >>> ts = timescale(Prepared(cop.load_example()))
    >>> ts.median_return_days, ts.return_days, ts.lookback, ts.lookback_source
    (2.0, 7.0, 90, 'data')
    >>> timescale(Prepared(cop.load_example()), 120).lookback_source
    'user'
    """
    # the participations member by member, each member's in time order (the activities' columns are)
    csr = prep.Bbin.tocsr()
    member = np.repeat(np.arange(csr.shape[0], dtype=np.int64), np.diff(csr.indptr))
    col = np.asarray(csr.indices, dtype=np.int64)
    keep = ~np.asarray(prep.is_outsider, dtype=bool)[member]
    gaps = return_gaps(member[keep], np.asarray(prep.start, dtype=np.int64)[col[keep]])
    if len(gaps) >= MIN_RETURNS:
        med, q = float(np.median(gaps)), float(np.quantile(gaps, RETURN_QUANTILE))
    else:
        med = q = float("nan")
    if lookback is None:
        return Timescale(med, q, int(len(gaps)), lookback_for(q), "data")
    return Timescale(med, q, int(len(gaps)), int(lookback), "user")

