"""``cop.diagnose``: participation levels, flows, life-cycle phase, health indicators, recommendations.

The :class:`Diagnosis` object is the contract shared with the HTML report and
the simulation metrics (``docs/diagnosis-contract.md``); its JSON form is
described by the schema shipped in ``cop/schemas/diagnosis.schema.json``.

Examples
--------
>>> import cop
>>> d = cop.diagnose(cop.load_example())
>>> d.phase
'active'
>>> sorted(d.to_dict())[:4]
['agreement', 'as_of', 'flows', 'freq']
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cop.privacy import source_name
from cop._atomic import atomic_write_text
from cop.exceptions import ConfigError, DataError
from cop.graph import InteractionGraph, window_graph
from cop.health import HealthContext, organizations_table, run_indicators
from cop.kernel import (DAY_NS, Prepared, Timescale, Window, check_lookback, current_people, parse_freq, period_bounds, resolve_as_of,
                        rolling_periods, timescale, window_bounds)
from cop.lifecycle import PHASES_2002, check_naming, period_timeline
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES
from cop.log import ActivityLog
from cop.participation.classifier import (
    LEVELS,
    agreement_methods,
    check_method,
    classify_window,
    level_counts,
    separation,
    window_agreement,
)
from cop.participation.flows import LevelGrid, PeriodLevels, flows_between, level_grid, period_levels, tidy_levels
from cop.participation.patterns import find_patterns
from cop.recommend import recommend
from cop.settings import Settings, read_settings
from cop.summary import render_summary

__all__ = ["Diagnosis", "diagnose", "current_window", "SCHEMA_VERSION"]

#: Version of the JSON layout (``to_dict``); bumped only by additions.
SCHEMA_VERSION = "1.0"

#: The diagnoses of a log split by a column, by the ``by`` of :func:`diagnose`: ``"space"`` is
#: :func:`cop.network.diagnose_network`, registered by :mod:`cop.network.diagnosis` (which builds on this
#: module, so this one does not import it).
_BY: dict[str, Callable[..., Any]] = {}

MEMBER_COLUMNS = ["member_id", "level", "organization", "participant_type", "participations", "intensity", "centrality",
                  "consistency", "score", "degree", "strength", "first_seen", "last_seen"]


@dataclass(frozen=True)
class Diagnosis:
    """The result of :func:`diagnose` (see ``docs/diagnosis-contract.md`` for every attribute).

    Attributes
    ----------
    as_of : pandas.Timestamp
        End of the diagnosis window (exclusive, UTC).
    lookback : int
        Days in the current window.
    freq : str
        Period frequency of the timeline.
    phase, phase_confidence, phase_evidence
        Current life-cycle phase, its confidence in [0, 1] and the sentences behind it.
    members, level_counts, levels_by_period, flows, patterns, timeline, indicators, recommendations, organizations
        Tidy DataFrames.
    graph : InteractionGraph
        Tie graph of the current window (presence excluded, ties >= ``min_tie``).
    agreement : pandas.DataFrame
        Cohen's kappa between level methods on the current window.
    naming : str
        ``"1998"`` or ``"2002"`` phase names.
    source : str
        Where the log came from.
    timings : dict
        Seconds per stage.
    timescale : cop.kernel.Timescale or None
        How long members take to return (median and 90th percentile of the gaps between a member's
        consecutive participation days) and where ``lookback`` came from (``"data"`` or ``"user"``).
    settings : cop.settings.Settings or None
        The manager's own reference ranges the indicators were graded on (``None``: the declared ones).
    window_start : pandas.Timestamp or None
        Start of the current window (inclusive, UTC): ``lookback`` days before ``as_of``, or the start
        of the last period's rolling window when ``as_of`` closes a complete period (:func:`current_window`).

    Examples
    --------
    >>> import cop
    >>> d = cop.diagnose(cop.load_example())
    >>> d.phase in ("potential", "coalescing", "active", "dispersed", "memorable"), 0 <= d.phase_confidence <= 1
    (True, True)
    >>> list(d.level_counts.columns[:2]), bool(d.indicators["status"].isin(["healthy", "watch", "critical", "not_available"]).all())
    (['level', 'count'], True)
    >>> d.to_json().startswith("{")
    True
    """

    as_of: pd.Timestamp
    lookback: int
    freq: str
    phase: str
    phase_confidence: float
    phase_evidence: list[str]
    members: pd.DataFrame
    level_counts: pd.DataFrame
    levels_by_period: pd.DataFrame
    flows: pd.DataFrame
    patterns: pd.DataFrame
    timeline: pd.DataFrame
    indicators: pd.DataFrame
    recommendations: pd.DataFrame
    graph: InteractionGraph
    organizations: pd.DataFrame
    agreement: pd.DataFrame = field(default_factory=pd.DataFrame)
    level_evidence: list[str] = field(default_factory=list)
    naming: str = "1998"
    method: str = "combined"
    source: str = "<DataFrame>"
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    timescale: Timescale | None = None
    settings: Settings | None = None
    window_start: pd.Timestamp | None = None

    # ------------------------------------------------------------------ views
    @property
    def weak_indicators(self) -> pd.DataFrame:
        """Indicators with status ``critical`` or ``watch``, critical first."""
        ind = self.indicators
        weak = ind[ind["status"].isin(["critical", "watch"])].copy()
        weak["_o"] = weak["status"].map({"critical": 0, "watch": 1})
        return weak.sort_values("_o", kind="stable").drop(columns="_o")

    # ------------------------------------------------------------------ export
    def to_dict(self, *, levels_by_period: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (the layout of ``cop/schemas/diagnosis.schema.json``).

        ``levels_by_period=True`` adds the (long) per-period levels.
        """
        out = {
            "schema_version": SCHEMA_VERSION,
            "source": source_name(self.source),
            "as_of": self.as_of.isoformat(),
            "lookback": int(self.lookback),
            "window_start": None if self.window_start is None else self.window_start.isoformat(),
            "timescale": None if self.timescale is None else self.timescale.to_dict(),
            "freq": self.freq,
            "naming": self.naming,
            "method": self.method,
            "phase": self.phase,
            "phase_confidence": _clean(self.phase_confidence),
            "phase_evidence": list(self.phase_evidence),
            "members": _records(self.members),
            "level_counts": _records(self.level_counts),
            "timeline": _records(self.timeline, date_only=("period",)),
            "indicators": _records(self.indicators),
            "recommendations": _records(self.recommendations),
            "flows": _records(self.flows, date_only=("period",)),
            "patterns": _records(self.patterns, date_only=("since",)),
            "organizations": _records(self.organizations),
            "agreement": _records(self.agreement),
            "level_evidence": list(self.level_evidence),
            "graph": {"members": len(self.graph), "ties": self.graph.n_edges, "density": _clean(self.graph.density)},
        }
        if self.settings is not None:
            out["settings"] = self.settings.to_dict()
        if levels_by_period:
            out["levels_by_period"] = _records(self.levels_by_period, date_only=("period",))
        return out

    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2, levels_by_period: bool = False) -> str:
        """The diagnosis as JSON text; also written atomically to ``path`` when given."""
        text = json.dumps(self.to_dict(levels_by_period=levels_by_period), indent=indent, ensure_ascii=False, allow_nan=False)
        if path is not None:
            atomic_write_text(Path(path), text + "\n")
        return text

    def to_html(self, path: str | os.PathLike[str] | None = None, *, title: str | None = None, previous: Any = None) -> str:
        """The self-contained HTML health report (:func:`cop.report.render_report`); also written atomically to ``path``.

        ``previous`` (a diagnosis JSON path, a previous report, a dict or a
        :class:`Diagnosis`) adds what changed since then.
        """
        from cop.report import render_report

        text = render_report(self, title=title, previous=previous)
        if path is not None:
            atomic_write_text(Path(path), text)
        return text

    # ------------------------------------------------------------------ display
    def summary(self, top: int = 5) -> str:
        """A plain-text summary: phase and evidence, levels against the reference, weak indicators, top recommendations.

        The one text rendering of a diagnosis (:func:`cop.summary.summary_sections`); ``cop diagnose`` formats the same sections.
        """
        return render_summary(self, top=top)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        counts = dict(zip(self.level_counts["level"], self.level_counts["count"]))
        weak = int(self.indicators["status"].isin(["critical", "watch"]).sum())
        return (f"<Diagnosis as of {self.as_of:%Y-%m-%d}: phase {self.phase} ({self.phase_confidence:.2f}), "
                f"core {counts.get('core', 0)}, active {counts.get('active', 0)}, peripheral {counts.get('peripheral', 0)}, "
                f"{weak} weak indicators>")

    def _repr_html_(self) -> str:
        """A small summary table for notebooks (escaped): phase, levels, weak indicators, what to try first.

        Examples
        --------
        >>> import cop
        >>> html = cop.diagnose(cop.load_example())._repr_html_()
        >>> html.startswith('<table class="cop-summary">'), "<th>phase</th>" in html
        (True, True)
        """
        from cop._html import summary_table

        counts = dict(zip(self.level_counts["level"], self.level_counts["count"]))
        status = self.indicators["status"]
        rows: list[tuple[str, object]] = [
            ("phase", f"{self.phase} (confidence {self.phase_confidence:.0%})"),
            ("window", f"{self.lookback} days to {self.as_of:%Y-%m-%d}"),
            ("levels", ", ".join(f"{lvl} {int(counts[lvl])}" for lvl in ("coordinator", "core", "active", "peripheral", "inactive")
                                 if lvl in counts)),
            ("indicators", f"{int((status == 'critical').sum())} critical, {int((status == 'watch').sum())} watch, "
                           f"{int((status == 'healthy').sum())} healthy"),
        ]
        rows += [("evidence", e) for e in self.phase_evidence[:3]]
        if len(self.recommendations):
            top = self.recommendations.iloc[0]
            rows.append(("first thing to try", f"{top['intervention']} ({top['indicator']})"))
        return summary_table(f"cop diagnosis of {self.source}", rows)


def _clean(v: Any) -> Any:
    """A JSON-safe scalar."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_clean(x) for x in v]
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def _records(frame: pd.DataFrame, date_only: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    cols = list(frame.columns)
    out = []
    arrays = {c: frame[c].to_numpy(dtype=object) for c in cols}
    for i in range(len(frame)):
        rec = {}
        for c in cols:
            v = arrays[c][i]
            if c in date_only and isinstance(v, pd.Timestamp):
                rec[c] = v.strftime("%Y-%m-%d")
            else:
                rec[c] = _clean(v)
        out.append(rec)
    return out


def _with_tables(log: ActivityLog | str | os.PathLike[str], members: Any, activities: Any) -> ActivityLog:
    from cop.io import read_activities, read_table

    if isinstance(log, (str, os.PathLike)):
        return read_activities(log, members, activities)
    if not isinstance(log, ActivityLog):
        raise ConfigError(f"parameter 'log': expected an ActivityLog or a path, got {type(log).__name__}")
    if members is None and activities is None:
        return log

    def frame(x: Any) -> Any:
        if x is None or isinstance(x, pd.DataFrame):
            return x
        return read_table(x)[0]

    mem = frame(members) if members is not None else log.members_table
    act = frame(activities) if activities is not None else log.activities_table
    data = log.to_frame()
    for c in ("activity_id", "member_id"):
        data[c] = data[c].astype(object)
    for c in ("kind", "role", "topic", "channel"):
        data[c] = data[c].astype(object).where(data[c].notna(), None)
    return ActivityLog.from_frame(data, mem, act, source=log.source, emit_warnings=False)


@dataclass(frozen=True)
class _Settings:
    """The parameters of one diagnosis, each checked once (by the checker of the module that owns it)."""

    as_of: pd.Timestamp
    lookback: int
    freq: str
    method: str
    naming: str
    lo: int
    hi: int
    timescale: Timescale

    @property
    def days(self) -> int:
        """Days in the current window ``[lo, hi)``."""
        return int((self.hi - self.lo) // DAY_NS)


def current_window(log: ActivityLog, as_of: pd.Timestamp, lookback: int, freq: str) -> tuple[int, int]:
    """The current window ``[lo, hi)`` in nanoseconds UTC: the last ``lookback`` days before ``as_of``, or,
    when ``as_of`` closes a complete period, that period's rolling window (the periods making up
    ``lookback`` days, as its timeline row is classified: a 90-day lookback with monthly periods is the
    last three calendar months).

    So the levels, indicators and members of the current window and the figures of the last period
    behind the phase (its core, its connected network) are one computation, not two windows a day apart.

    Examples
    --------
    >>> import cop
    >>> lo, hi = current_window(cop.load_example(), pd.Timestamp("2025-07-01", tz="UTC"), 90, "MS")
    >>> f"{pd.Timestamp(lo):%Y-%m-%d}", (hi - lo) // DAY_NS
    ('2025-04-01', 91)
    >>> lo, hi = current_window(cop.load_example(), pd.Timestamp("2025-06-15", tz="UTC"), 90, "MS")
    >>> (hi - lo) // DAY_NS
    90
    """
    lo, hi = window_bounds(as_of, lookback)
    bounds = period_bounds(log, freq, as_of)
    if len(bounds) >= 2 and bounds[-2] + parse_freq(freq) == bounds[-1]:
        lo = bounds[max(0, len(bounds) - 1 - rolling_periods(bounds, lookback))].value
    return lo, hi


@dataclass(frozen=True)
class _Current:
    """The current window: its kernel statistics, everyone's levels and scores, the members table."""

    window: Window
    levels: pd.DataFrame
    members: pd.DataFrame
    counts: pd.DataFrame


@dataclass(frozen=True)
class _History:
    """The periods: their classifications, the tidy levels (and their grid) and the flows between them."""

    periods: list[PeriodLevels]
    levels: pd.DataFrame
    flows: pd.DataFrame
    bounds: pd.DatetimeIndex
    grid: LevelGrid | None = None


@contextmanager
def _timed(times: dict[str, float], stage: str) -> Iterator[None]:
    """Record the seconds spent in the block as ``times[stage]`` (``Diagnosis.timings``)."""
    t = time.perf_counter()
    try:
        yield
    finally:
        times[stage] = time.perf_counter() - t


def _settings(log: ActivityLog, prep: Prepared, as_of: Any, lookback: Any, freq: str, method: str, naming: str) -> _Settings:
    """The checked parameters; ``lookback=None`` takes the window from the community's timescale."""
    ts = timescale(prep, None if lookback is None else check_lookback(lookback))
    lookback = ts.lookback
    check_method(method)
    check_naming(naming)
    as_of_ts = resolve_as_of(log, as_of)
    if as_of_ts <= log.start:
        raise ConfigError(f"parameter 'as_of': {as_of_ts:%Y-%m-%d} is not after the first activity ({log.start:%Y-%m-%d})")
    lo, hi = current_window(log, as_of_ts, lookback, freq)
    return _Settings(as_of_ts, lookback, freq, method, naming, lo, hi, ts)


def _current_levels(prep: Prepared, s: _Settings) -> _Current:
    """Levels of the current window and the ``members`` table (current people and anyone taking part)."""
    frame = classify_window(prep, s.lo, s.hi, method=s.method)
    cur = current_people(prep, s.lo, s.hi, s.days)
    keep = cur | (frame["participations"].to_numpy() > 0)
    keep &= (prep.first_seen < s.hi) | cur
    people = prep.members  # (the log's members table in the kernel's order, as Prepared reindexed it)
    # the kept rows in the table's order, taken once
    sel = np.flatnonzero(keep)
    rows = sel[_member_order(frame["level"].to_numpy(dtype=object)[sel], frame["score"].to_numpy()[sel], frame.index[sel])]
    # the table's columns taken at ``rows`` as arrays (each inferred from the same values as the inserts stored
    # them), one frame of them in order (not a frame's take, seven Series, an insert, column sets and a selection)
    add: dict[str, Any] = {"member_id": frame.index.to_numpy(dtype=object)[rows]}
    for c in ("organization", "participant_type", "first_seen", "last_seen", "role"):
        if c in people.columns:
            add[c] = _rows_of(people[c], rows)
    org = np.array(add["organization"], dtype=object)  # (the kernel's members table always has the column)
    org[pd.isna(org)] = None
    add["organization"] = pd.Series(org, dtype=object)  # (objects, None where unknown: a Series is not inferred as text)
    add["current"] = cur[rows]
    names = MEMBER_COLUMNS + [c for c in ("role", "current", "intensity_raw") if c in add or c in frame.columns]
    mem = pd.DataFrame({c: add[c] if c in add else frame[c].array.take(rows) for c in names})
    return _Current(prep.window(s.lo, s.hi), frame, mem, level_counts(mem["level"]))


def _rows_of(col: pd.Series, keep: np.ndarray) -> Any:
    """The values of ``col`` at ``keep`` (a mask or positions) as ``frame[c] = col.to_numpy()[keep]`` stores them.

    A column of dates with a time zone keeps its own array (boxing each date into a Timestamp only for
    pandas to infer the same dtype back costs more than the rest of the table); an all-missing
    selection and every other column go through the objects, as before.
    """
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        got = col.array[keep]
        if (~got.isna()).any():
            return got
    return col.to_numpy()[keep]


def _member_order(level: np.ndarray, score: np.ndarray, member_id: pd.Series | pd.Index) -> np.ndarray:
    """The order of the ``members`` table: by level (in :data:`LEVELS` order), score descending, ``member_id``.

    The positions ``sort_values(["level order", "score", "member_id"], ascending=[True, False, True])``
    gives (the ids are distinct, so no two rows tie), by one ``np.lexsort`` of the three keys.
    """
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    o = np.array([rank.get(v, len(LEVELS)) for v in level], dtype=np.int64)
    ids, _ = pd.factorize(member_id, sort=True)
    return np.lexsort((ids, -score, o))


def _history(prep: Prepared, s: _Settings, periods: list[PeriodLevels] | None = None) -> _History:
    """Levels of every period (on its rolling window) and the flows between consecutive periods."""
    bounds = period_bounds(prep.log, s.freq, s.as_of)
    if periods is None:
        periods = period_levels(prep, bounds, s.lookback, s.method)
    levels = tidy_levels(periods)
    grid = level_grid(periods)
    return _History(periods, levels, flows_between(levels, grid=grid), bounds, grid)


def _timeline(prep: Prepared, history: _History, s: _Settings, persistence: int, margin: float) -> pd.DataFrame:
    """The life-cycle timeline: per-period indicators, phase scores, smoothed phases."""
    return period_timeline(prep, history.bounds, history.periods, freq=s.freq, return_days=s.timescale.return_days,
                           persistence=persistence, margin=margin, naming=s.naming)


def _health(prep: Prepared, current: _Current, s: _Settings, settings: Settings | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The health indicators (graded on ``settings`` where it has ranges) and the organizations table (with its ``siloed`` flag)."""
    ctx = HealthContext(prep.log, as_of=s.as_of, lookback=s.days, prepared=prep, levels=current.levels)
    return run_indicators(ctx, settings=settings), organizations_table(ctx)


def _agreement(prep: Prepared, current: _Current, s: _Settings, agreement: bool) -> pd.DataFrame:
    """Cohen's kappa between level methods on the current window (``kcore`` left out of large windows)."""
    if not agreement:
        return pd.DataFrame(columns=["method_a", "method_b", "kappa", "agreement", "n"])
    methods = agreement_methods(int(current.levels["participations"].gt(0).sum()))
    # the diagnosis's own method is the current window's levels (classify_window of the same window)
    return window_agreement(prep, s.lo, s.hi, methods, known={s.method: current.levels["level"].to_numpy(dtype=object)})


def _level_evidence(prep: Prepared, current: _Current, s: _Settings, kappa: pd.DataFrame) -> list[str]:
    """How the current levels were set: separated by natural breaks, or the documented fallback, with the methods' agreement."""
    if s.method != "combined":
        return []
    f = current.levels
    sep = separation(f["score"].to_numpy()[(f["participations"].to_numpy() > 0) & prep.is_member])
    if sep.separated:
        out = [f"Participation levels are separated by natural breaks in the scores ({sep.breaks_core} of {sep.participants} "
               "participants at the top)."]
    else:
        out = [sep.sentence + "."]
    if len(kappa):
        pairs = ", ".join(f"{a}/{b} {k:.2f}" for a, b, k in zip(kappa["method_a"], kappa["method_b"], kappa["kappa"])
                          if a == "combined")
        if pairs:
            out.append(f"Agreement of the levels with other methods (Cohen's kappa): {pairs}.")
    return out


def _phase(timeline: pd.DataFrame, naming: str) -> tuple[str, float, list[str]]:
    """The current phase, its confidence and its evidence as sentences: those of the last period."""
    if not len(timeline):
        return ("potential" if naming == "1998" else PHASES_2002[0]), 0.0, ["No complete period yet."]
    last = timeline.iloc[-1]
    evidence = [e[:1].upper() + e[1:] + "." for e in str(last["evidence"]).split("; ") if e]
    return str(last["phase"]), float(last["confidence"]), evidence


def diagnose(
    log: ActivityLog | str | os.PathLike[str],
    members: pd.DataFrame | str | os.PathLike[str] | None = None,
    activities: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    as_of: Any = None,
    lookback: int | None = None,
    freq: str = "MS",
    method: str = "combined",
    naming: str = "1998",
    min_tie: float = 0.25,
    presence_weight: float = 0.0,
    small_group: int = 10,
    max_group_size: int | None = MAX_GROUP_SIZE,
    max_ties: int | None = MAX_TIES,
    persistence: int = 2,
    margin: float = 0.3,
    stuck_periods: int = 6,
    agreement: bool = True,
    settings: Settings | dict[str, Any] | str | os.PathLike[str] | None = None,
    by: str | None = None,
    spaces: pd.DataFrame | str | os.PathLike[str] | None = None,
    workers: int | None = 1,
) -> Any:
    """Diagnose a community: levels, flows, patterns, life-cycle timeline, health indicators, recommendations.

    A chain of named stages, each timed into :attr:`Diagnosis.timings`:
    ``prepare`` (the kernel's arrays), ``levels`` (current window),
    ``levels_by_period`` (and flows), ``lifecycle``, ``indicators``,
    ``patterns`` (and recommendations), ``graph`` (the current window's tie
    graph, as the kernel holds it), ``agreement``; ``total`` includes loading.

    Parameters
    ----------
    log : ActivityLog or path
        The participation log (a path is read with :func:`cop.read_activities`).
    members, activities : DataFrame or path, optional
        Side tables replacing the log's own.
    as_of : date-like, optional
        End of the current window (exclusive); default the day after the last timestamp.
    lookback : int, optional
        Days in the current window (and in each period's rolling window).  Default: from the
        community's own timescale, three times the time within which nine in ten of its members'
        returns happen, in whole months, between 90 and 360 days (:mod:`cop.kernel.timescale`;
        reported in :attr:`Diagnosis.timescale`).
    freq : str, default "MS"
        Period frequency of the timeline (a pandas offset: ``MS``, ``QS``, ``W-MON``).
    method : {"combined", "activity_share", "network", "kcore"}
        Level classification method (see :mod:`cop.participation.classifier`).
    naming : {"1998", "2002"}
        Phase names: Wenger (1998) or Wenger, McDermott & Snyder (2002).
    min_tie : float, default 0.25
        Smallest accumulated (group-size discounted) weight that makes a pair
        tied: one 1:1 interaction, one meeting of five, or four shared
        13-person breakfasts (``--min-tie``).
    presence_weight : float, default 0.0
        Weight of a shared presence day (a check-in) in the tie graph; 0 means
        co-presence is no tie (``--presence-weight``). Presence still counts
        0.2 towards a member's intensity of participation.
    small_group : int, default 10
        Largest activity counted as a small-group encounter (newcomers' first
        ties, public and private spaces).
    max_group_size, max_ties
        Bounds of the tie graph: activities with more than ``max_group_size``
        participants add no ties; a graph of more than ``max_ties`` ties stops
        with an error.
    persistence, margin
        Phase smoothing (see :mod:`cop.lifecycle`).
    stuck_periods : int, default 6
        Consecutive peripheral periods that make a member "stuck".
    agreement : bool, default True
        Compute Cohen's kappa between level methods.
    settings : path, name, dict or Settings, optional
        A manager's own reference ranges for some indicators (a TOML file, a bundled
        example such as ``"school"``; :func:`cop.settings.read_settings`); recorded in
        :attr:`Diagnosis.settings`.
    by : {"space"}, optional
        ``"space"``: the log is a network of spaces (a ``space`` column); each
        space is diagnosed over one common window and the network between them,
        and the result is a :class:`cop.NetworkDiagnosis`, exactly that of
        :func:`cop.diagnose_network` with the same parameters.
    spaces : DataFrame or path, optional
        With ``by="space"``: the spaces table (names, cities, seats, managers).
    workers : int or None, default 1
        With ``by="space"``: processes diagnosing the spaces (``None``: the CPU
        count; see :func:`cop.diagnose_network`).

    Returns
    -------
    Diagnosis
        Or a :class:`cop.NetworkDiagnosis` with ``by="space"``.

    Raises
    ------
    cop.exceptions.DataError
        With ``by="space"``, a log without a ``space`` column, or whose ``space`` cells are all empty.
    cop.exceptions.ConfigError
        ``by`` is not ``"space"``, or ``spaces`` or ``workers`` is given without ``by="space"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cop import ActivityLog
    >>> rows = pd.DataFrame({"activity_id": ["e1"] * 3 + ["e2"] * 3, "member_id": ["a", "b", "c"] * 2,
    ...                      "timestamp": ["2024-01-05"] * 3 + ["2024-02-05"] * 3})
    >>> d = diagnose(ActivityLog.from_frame(rows))
    >>> d.members["level"].tolist()
    ['core', 'core', 'core']
    >>> list(d.timings)[:3], "total" in d.timings
    (['prepare', 'levels', 'levels_by_period'], True)

    A network of spaces, one diagnosis per space:

    >>> rows["space"] = ["oslo"] * 3 + ["bergen"] * 3
    >>> nd = diagnose(ActivityLog.from_frame(rows), by="space", lookback=90, agreement=False)
    >>> type(nd).__name__, sorted(nd.diagnoses), nd.summary["multi_space_people"]
    ('NetworkDiagnosis', ['bergen', 'oslo'], 3)
    """
    if by is None and workers != 1:
        raise ConfigError("parameter 'workers': processes diagnose the spaces of a network only with by='space'")
    if by is not None or spaces is not None:
        if by != "space":
            raise ConfigError(f"parameter 'by': expected 'space' or None, got {by!r}" if by is not None else
                              "parameter 'spaces': a spaces table is used only with by='space'")
        return _BY["space"](
            _with_tables(log, members, activities), spaces, as_of=as_of, lookback=lookback, freq=freq, min_tie=min_tie,
            presence_weight=presence_weight, small_group=small_group, max_group_size=max_group_size, max_ties=max_ties,
            method=method, naming=naming, persistence=persistence, margin=margin, stuck_periods=stuck_periods,
            agreement=agreement, settings=settings, workers=workers)
    times: dict[str, float] = {}
    with _timed(times, "total"):
        log = _with_tables(log, members, activities)
        return _diagnosis(log, times, as_of=as_of, lookback=lookback, freq=freq, method=method, naming=naming, min_tie=min_tie,
                          presence_weight=presence_weight, small_group=small_group, max_group_size=max_group_size,
                          max_ties=max_ties, persistence=persistence, margin=margin, stuck_periods=stuck_periods,
                          agreement=agreement, settings=settings)


def _diagnosis(log: ActivityLog, times: dict[str, float], *, as_of: Any, lookback: int | None, freq: str, method: str,
               naming: str, min_tie: float, presence_weight: float, small_group: int, max_group_size: int | None,
               max_ties: int | None, persistence: int, margin: float, stuck_periods: int, agreement: bool,
               settings: Any, prepared: Prepared | None = None,
               periods: Callable[[Prepared, pd.DatetimeIndex, int, str], list[PeriodLevels]] | None = None) -> Diagnosis:
    """The stages of :func:`diagnose` on a loaded log, timed into ``times``.

    ``prepared`` (the log's :class:`~cop.kernel.Prepared`, built with the same tie parameters) and
    ``periods(prep, bounds, lookback, method)`` (the classification of every period, as
    :func:`cop.participation.flows.period_levels` gives it) let :func:`cop.diagnose_network` share
    work between its spaces; the result is the same.
    """
    if len(log) == 0:
        raise DataError(f"{log.source}: the log has no participation rows; nothing to diagnose")
    if lookback is not None:
        check_lookback(lookback)
    check_method(method)
    check_naming(naming)
    own = read_settings(settings) if settings is not None else None
    with _timed(times, "prepare"):
        prep = prepared if prepared is not None else Prepared(
            log, presence_weight=presence_weight, min_tie=min_tie, small_group=small_group,
            max_group_size=max_group_size, max_ties=max_ties)
    s = _settings(log, prep, as_of, lookback, freq, method, naming)
    with _timed(times, "levels"):
        current = _current_levels(prep, s)
    with _timed(times, "levels_by_period"):
        given = None if periods is None else periods(prep, period_bounds(prep.log, s.freq, s.as_of), s.lookback, s.method)
        history = _history(prep, s, given)
    with _timed(times, "lifecycle"):
        timeline = _timeline(prep, history, s, persistence, margin)
    with _timed(times, "indicators"):
        indicators, orgs = _health(prep, current, s, own)
    with _timed(times, "patterns"):
        organization = pd.Series(prep.organization, index=prep.member_ids)
        patterns = find_patterns(history.levels, organization, orgs, min_periods=stuck_periods, grid=history.grid)
        recs = recommend(indicators)
    with _timed(times, "graph"):
        graph = window_graph(prep, current.window)
    with _timed(times, "agreement"):
        kappa = _agreement(prep, current, s, agreement)
    phase, confidence, evidence = _phase(timeline, s.naming)
    return Diagnosis(
        as_of=s.as_of, lookback=s.lookback, freq=s.freq, phase=phase, phase_confidence=confidence, phase_evidence=evidence,
        members=current.members, level_counts=current.counts, levels_by_period=history.levels, flows=history.flows,
        patterns=patterns, timeline=timeline, indicators=indicators, recommendations=recs, graph=graph,
        organizations=orgs.drop(columns=["siloed"], errors="ignore").reset_index(drop=True),
        agreement=kappa, level_evidence=_level_evidence(prep, current, s, kappa), naming=s.naming, method=s.method, source=log.source, timings=times,
        timescale=s.timescale, settings=own, window_start=pd.Timestamp(s.lo, tz="UTC"),
    )
