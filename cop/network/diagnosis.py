"""``cop.diagnose_network``: each space of a network diagnosed, and the network between them.

A network of coworking spaces is one log with a ``space`` column.  Each
space's rows are diagnosed by the ordinary :func:`cop.diagnose`
(:func:`cop.network.space_logs` cuts them out), over one common window — the
same ``as_of`` and ``lookback`` for every space, so their indicators compare —
and the pooled log is prepared once for what happens between the spaces
(:mod:`cop.network.links`): visits, ties and co-participation across spaces,
shared events, the space graph with its bridges and cut-off spaces, and a
benchmarking table (:mod:`cop.network.benchmark`).

Examples
--------
>>> import pandas as pd
>>> import cop
>>> rows = pd.DataFrame({
...     "activity_id": ["a1", "a1", "a2", "a2", "b1", "b1", "b2", "b2", "b2"],
...     "member_id":   ["ann", "bo", "ann", "bo", "cy", "dan", "cy", "dan", "ann"],
...     "timestamp":   ["2024-01-05", "2024-01-05", "2024-02-05", "2024-02-05", "2024-01-06", "2024-01-06",
...                     "2024-02-06", "2024-02-06", "2024-02-06"],
...     "space":       ["oslo"] * 4 + ["bergen"] * 5})
>>> nd = cop.diagnose_network(cop.ActivityLog.from_frame(rows), lookback=90, agreement=False)
>>> sorted(nd.diagnoses), nd.summary["visits"], nd.members.set_index("member_id").loc["ann", "home_space"]
(['bergen', 'oslo'], 1, 'oslo')
"""

from __future__ import annotations

import inspect
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cop._atomic import atomic_write_text
from cop.diagnosis import _BY, SCHEMA_VERSION, Diagnosis, _clean, _records, diagnose
from cop.exceptions import ConfigError, DataError, DataWarning
from cop.kernel import Prepared, check_lookback, period_bounds, resolve_as_of, timescale, window_bounds
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES
from cop.log import ActivityLog
from cop.network.benchmark import NETWORK_INDICATORS, benchmark_table
from cop.network.homes import home_spaces, require_spaces
from cop.network.links import network_tables
from cop.network.parallel import SpaceDiagnoses, resolve_workers
from cop.network.split import space_logs, space_order
from cop.network.table import SPACE, check_space_values, read_spaces
from cop.privacy import source_name
from cop.timestamps import as_ns

__all__ = ["NetworkDiagnosis", "diagnose_network", "SPACE_TABLE_COLUMNS"]

#: Columns of :attr:`NetworkDiagnosis.spaces`, in order.
SPACE_TABLE_COLUMNS = [
    "space_id", "name", "city", "seats", "phase", "phase_confidence", "people", "core", "active", "peripheral",
    "coordinators", "critical", "watch", "participations", "home_members", "home_members_active", "visits_in",
    "visitors_in", "visits_out", "shared_people", "ties_inside", "ties_across", "shared_events", "linked_spaces",
    "betweenness", "bridge", "cut_off", "component",
]


@dataclass(frozen=True)
class NetworkDiagnosis:
    """The result of :func:`diagnose_network`.

    Attributes
    ----------
    as_of, lookback, freq
        The common window of every space (as in :class:`cop.Diagnosis`).
    diagnoses : dict
        ``{space_id: cop.Diagnosis}`` of each space with rows before ``as_of``.
    spaces : pandas.DataFrame
        One row per space (:data:`SPACE_TABLE_COLUMNS`): the spaces table's
        name, city and seats, the space's phase and levels, its visits, shared
        people and ties across spaces, its place in the space graph
        (``betweenness``, ``bridge``, ``cut_off``, ``component``).
    links : pandas.DataFrame
        One row per pair of linked spaces: ``shared_members`` (people active
        in both), ``ties`` (between their home members), ``shared_events``,
        ``connections`` (shared members plus ties).
    members : pandas.DataFrame
        Everyone taking part in the window: home space (and where it came
        from), spaces taken part in, participations and visits.
    shared_events : pandas.DataFrame
        Activities with participants in two or more spaces.
    benchmark : pandas.DataFrame
        Each space's indicators beside the network's quartiles (:mod:`cop.network.benchmark`).
    activity : pandas.DataFrame
        Participations and people per period and space (tidy: ``period, space, participations, people``).
    summary : dict
        Network-level figures (people, visits, ties across spaces, bridges, cut-off spaces...).
    notes : list of str
        What was accepted with a warning (unlisted spaces, rows without a space, tied home spaces).
    skipped : dict
        ``{space_id: reason}`` for spaces without a diagnosis.
    timings : dict
        Seconds of wall-clock time in this process: ``prepare`` (the pooled log),
        ``network`` (the tables between the spaces), ``levels_by_period`` (the
        stacked periods of this process's group of spaces), ``spaces`` (the space
        logs and every space's diagnosis, waiting for the workers included),
        ``total``.  Each space's own stages are in its ``Diagnosis.timings``
        (measured in the process that diagnosed it).

    Examples
    --------
    >>> import pandas as pd, cop
    >>> rows = pd.DataFrame({"activity_id": ["a", "a", "b", "b"], "member_id": ["ann", "bo", "cy", "dan"],
    ...                      "timestamp": ["2024-01-05", "2024-01-05", "2024-01-06", "2024-01-06"],
    ...                      "space": ["oslo", "oslo", "tromso", "tromso"]})
    >>> nd = cop.diagnose_network(cop.ActivityLog.from_frame(rows), lookback=30, agreement=False)
    >>> nd.summary["cut_off"], list(nd.spaces["phase"])
    (['oslo', 'tromso'], ['potential', 'potential'])
    """

    as_of: pd.Timestamp
    lookback: int
    freq: str
    diagnoses: dict[str, Diagnosis]
    spaces: pd.DataFrame
    links: pd.DataFrame
    members: pd.DataFrame
    shared_events: pd.DataFrame
    benchmark: pd.DataFrame
    activity: pd.DataFrame
    summary: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    source: str = "<DataFrame>"
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def to_dict(self, *, diagnoses: bool = True) -> dict[str, Any]:
        """A JSON-ready dict (the layout of ``cop/schemas/network.schema.json``); ``diagnoses=False`` leaves out the per-space diagnoses."""
        out = {
            "schema_version": SCHEMA_VERSION,
            "kind": "network",
            "source": source_name(self.source),
            "as_of": self.as_of.isoformat(),
            "lookback": int(self.lookback),
            "freq": self.freq,
            "summary": {k: _clean(v) for k, v in self.summary.items()},
            "spaces": _records(self.spaces),
            "links": _records(self.links),
            "shared_events": _records(self.shared_events),
            "members": _records(self.members),
            "benchmark": _records(self.benchmark),
            "activity": _records(self.activity, date_only=("period",)),
            "notes": list(self.notes),
            "skipped": dict(self.skipped),
        }
        if diagnoses:
            out["diagnoses"] = {name: d.to_dict() for name, d in self.diagnoses.items()}
        return out

    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2) -> str:
        """The network diagnosis as JSON text; also written atomically to ``path`` when given."""
        text = json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)
        if path is not None:
            atomic_write_text(Path(path), text + "\n")
        return text

    def to_html(self, folder: str | os.PathLike[str], *, title: str | None = None, pseudonymized: bool = False,
                previous: Any = None) -> Path:
        """Write the network report (``index.html`` and one page per space) into ``folder``; return the index path.

        ``previous`` (an earlier network JSON, report folder or :class:`NetworkDiagnosis`;
        :func:`cop.report.network.read_previous_network`) adds what changed in each space since then.
        """
        from cop.report.network import write_network_report

        return write_network_report(self, folder, title=title, pseudonymized=pseudonymized, previous=previous)

    def summary_text(self, top: int = 10) -> str:
        """The network as plain text (the sections of :func:`cop.network.text.network_sections`)."""
        from cop.network.text import network_sections
        from cop.summary import render_sections

        return render_sections(network_sections(self, top))

    def __str__(self) -> str:
        return self.summary_text()

    def __repr__(self) -> str:
        s = self.summary
        return (f"<NetworkDiagnosis as of {self.as_of:%Y-%m-%d}: {s['spaces']} spaces, {s['people']} people, "
                f"{s['visits']} visits, {s['ties_across_spaces']} ties across spaces, bridges {s['bridges']}, "
                f"cut off {s['cut_off']}>")


def _spaces_table(spaces: Any, notes: list[str]) -> pd.DataFrame | None:
    from cop.network.table import normalize_spaces

    if spaces is None:
        return None
    if isinstance(spaces, pd.DataFrame):
        if "managers" in spaces.columns and len(spaces) and isinstance(spaces["managers"].iloc[0], tuple):
            return spaces  # already normalised
        return normalize_spaces(spaces, notes=notes)
    if isinstance(spaces, (str, os.PathLike)):
        return read_spaces(spaces, notes=notes)
    raise ConfigError(f"parameter 'spaces': expected a DataFrame or a path of a spaces table, got {type(spaces).__name__}")


#: Largest grid (periods x spaces x people, or people x spaces) counted densely rather than by sorting.
_DENSE_CELLS = 1 << 26


def _activity(log: ActivityLog, names: list[str], freq: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Participations and distinct people per period and space (tidy)."""
    bounds = period_bounds(log, freq, as_of)
    d = log.data
    t = as_ns(d["timestamp"])
    pos = {n: i for i, n in enumerate(names)}
    cat_pos = np.array([pos.get(str(c), -1) for c in d[SPACE].cat.categories], dtype=np.int64)
    raw = d[SPACE].cat.codes.to_numpy()
    sc = np.where(raw >= 0, cat_pos[np.maximum(raw, 0)] if len(cat_pos) else -1, -1)
    edges = bounds.asi8
    per = np.searchsorted(edges, t, side="right") - 1
    ok = (sc >= 0) & (per >= 0) & (per < len(edges) - 1)
    n_p, n_s = max(len(edges) - 1, 0), len(names)
    rows = np.bincount(per[ok] * n_s + sc[ok], minlength=n_p * n_s).reshape(n_p, n_s) if n_p else np.zeros((0, n_s))
    # distinct (period, space, person) triples: marks in a dense grid when it is small, else one sorted integer key
    n_m = len(d["member_id"].cat.categories) + 1
    cell = per[ok].astype(np.int64) * n_s + sc[ok]
    key = cell * n_m + (d["member_id"].cat.codes.to_numpy()[ok].astype(np.int64) + 1)
    if n_p * n_s * n_m <= _DENSE_CELLS:
        seen = np.zeros(n_p * n_s * n_m, dtype=bool)
        seen[key] = True
        people = seen.reshape(n_p * n_s, n_m).sum(axis=1).reshape(n_p, n_s) if n_p else rows
    else:
        people = np.bincount(np.unique(key) // n_m, minlength=n_p * n_s).reshape(n_p, n_s) if n_p else rows
    periods = pd.DatetimeIndex(bounds[:-1])
    return pd.DataFrame({
        "period": np.repeat(periods, n_s),
        "space": np.tile(np.asarray(names, dtype=object), n_p),
        "participations": rows.ravel().astype(np.int64),
        "people": people.ravel().astype(np.int64),
    })


def _space_rows(names: list[str], table: pd.DataFrame | None, diags: dict[str, Diagnosis], net: pd.DataFrame) -> pd.DataFrame:
    base = pd.DataFrame({"space_id": names})
    if table is not None:
        base = base.merge(table[["space_id", "name", "city", "seats"]], on="space_id", how="left")
    else:
        base["name"], base["city"], base["seats"] = None, None, np.nan
    extra = []
    for name in names:
        d = diags.get(name)
        if d is None:
            extra.append({"phase": None, "phase_confidence": None, "people": 0, "core": 0, "active": 0, "peripheral": 0,
                          "coordinators": 0, "critical": 0, "watch": 0})
            continue
        counts = dict(zip(d.level_counts["level"], d.level_counts["count"]))
        status = d.indicators["status"]
        extra.append({
            "phase": d.phase, "phase_confidence": float(d.phase_confidence),
            "people": int(sum(counts.get(k, 0) for k in ("coordinator", "core", "active", "peripheral"))),
            "core": int(counts.get("core", 0)), "active": int(counts.get("active", 0)),
            "peripheral": int(counts.get("peripheral", 0)), "coordinators": int(counts.get("coordinator", 0)),
            "critical": int((status == "critical").sum()), "watch": int((status == "watch").sum()),
        })
    out = pd.concat([base, pd.DataFrame(extra)], axis=1)
    out = out.merge(net.drop(columns=["people"]), on="space_id", how="left")
    return out[SPACE_TABLE_COLUMNS]


def _benchmark(spaces: pd.DataFrame, net: pd.DataFrame, diags: dict[str, Diagnosis]) -> pd.DataFrame:
    rows = []
    n = net.set_index("space_id")
    for name, d in diags.items():
        ind = d.indicators  # columns zipped: itertuples builds a namedtuple class on every call (0.15 ms against 0.06 ms here)
        for indicator, value, status in zip(ind["name"], ind["value"], ind["status"]):
            rows.append({"space": name, "indicator": indicator, "value": _num(value), "status": status})
        s = n.loc[name]
        people = float(s["people"])
        ties = float(s["ties_inside"] + s["ties_across"])
        derived = {
            "people": people,
            "participations_per_person": s["participations"] / people if people else np.nan,
            "visitor_share": s["visits_in"] / s["participations"] if s["participations"] else np.nan,
            "shared_people_share": s["shared_people"] / people if people else np.nan,
            "ties_across_share": s["ties_across"] / ties if ties else np.nan,
        }
        rows += [{"space": name, "indicator": k, "value": float(derived[k]), "status": None} for k in NETWORK_INDICATORS]
    return benchmark_table(pd.DataFrame(rows, columns=["space", "indicator", "value", "status"]))


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return np.nan


def diagnose_network(
    log: ActivityLog | str | os.PathLike[str],
    spaces: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    as_of: Any = None,
    lookback: int | None = None,
    freq: str = "MS",
    min_tie: float = 0.25,
    presence_weight: float = 0.0,
    small_group: int = 10,
    max_group_size: int | None = MAX_GROUP_SIZE,
    max_ties: int | None = MAX_TIES,
    emit_warnings: bool = True,
    workers: int | None = 1,
    **options: Any,
) -> NetworkDiagnosis:
    """Diagnose each space of a network and the network between them.

    Parameters
    ----------
    log : ActivityLog or path
        The network's log, with a ``space`` column.
    spaces : DataFrame or path, optional
        The spaces table (:func:`cop.network.normalize_spaces`): names, cities,
        seats, managers; its order is the report's order.
    as_of : date-like, optional
        End of the common window; default the day after the network's last activity.
    lookback : int, optional
        Days of the common window; default from the pooled network's own
        timescale (as :func:`cop.diagnose` derives it), the same for every space.
    freq, min_tie, presence_weight, small_group, max_group_size, max_ties
        As in :func:`cop.diagnose` (for every space and for the network).
    emit_warnings : bool, default True
        Also issue each note as a :class:`~cop.exceptions.DataWarning`.
    workers : int or None, default 1
        Processes diagnosing the spaces (``None``: the CPU count): this one and
        forked copies of it, each a group of spaces of about equal rows
        (:mod:`cop.network.parallel`; the same diagnoses as one process).  More
        than one only where ``fork`` exists (not Windows) and for logs of at least
        :data:`~cop.network.parallel.PARALLEL_MIN_ROWS` rows.
    **options
        Further keyword arguments of :func:`cop.diagnose` (``method``,
        ``naming``, ``persistence``, ``margin``, ``stuck_periods``, ``agreement``).

    Returns
    -------
    NetworkDiagnosis

    Raises
    ------
    cop.exceptions.DataError
        The log has no ``space`` column, or no row says its space (one message).

    Examples
    --------
    Two spaces of six members each, with check-ins over four months:

    >>> import pandas as pd
    >>> import cop
    >>> day = pd.Timestamp("2024-01-01", tz="UTC")
    >>> rows = [{"activity_id": f"{s}-day{d}", "member_id": f"{s}{m}", "timestamp": day + pd.Timedelta(days=d),
    ...          "kind": "presence", "space": s} for s in ("oslo", "bergen") for d in range(120) for m in range(6) if (d + m) % 3]
    >>> nd = diagnose_network(cop.ActivityLog.from_frame(pd.DataFrame(rows)), emit_warnings=False)
    >>> nd.spaces["space_id"].tolist(), nd.diagnoses["oslo"].phase
    (['bergen', 'oslo'], 'active')
    """
    import warnings

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    if isinstance(log, (str, os.PathLike)):
        from cop.io import read_activities

        log = read_activities(log)
    if not isinstance(log, ActivityLog):
        raise ConfigError(f"parameter 'log': expected an ActivityLog or a path, got {type(log).__name__}")
    require_spaces(log)
    if len(log) == 0:
        raise DataError(f"{log.source}: the log has no participation rows; nothing to diagnose")
    notes: list[str] = []
    table = _spaces_table(spaces, notes)
    notes += check_space_values(log.data, table, source_name=log.source, members=log.members_table)
    names = space_order(log, table)
    prep = Prepared(log, presence_weight=presence_weight, min_tie=min_tie, small_group=small_group,
                    max_group_size=max_group_size, max_ties=max_ties)
    lookback = timescale(prep, None).lookback if lookback is None else check_lookback(lookback)
    as_of_ts = resolve_as_of(log, as_of)
    if as_of_ts <= log.start:
        raise ConfigError(f"parameter 'as_of': {as_of_ts:%Y-%m-%d} is not after the first activity ({log.start:%Y-%m-%d})")
    lo, hi = window_bounds(as_of_ts, lookback)
    times["prepare"] = time.perf_counter() - t0
    t = time.perf_counter()
    skipped: dict[str, str] = {}
    logs = space_logs(log, table)
    defaults = {k: v.default for k, v in inspect.signature(diagnose).parameters.items()
                if v.default is not inspect.Parameter.empty and k not in ("members", "activities", "by", "spaces", "workers")}
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise ConfigError(f"diagnose_network: unknown option(s) {', '.join(map(repr, unknown))}; "
                          f"expected options of cop.diagnose ({', '.join(sorted(defaults))})")
    tie = dict(presence_weight=presence_weight, min_tie=min_tie, small_group=small_group, max_group_size=max_group_size,
               max_ties=max_ties)
    params = {**defaults, **options, **tie, "as_of": as_of_ts, "lookback": lookback, "freq": freq}
    todo: list[tuple[str, ActivityLog]] = []
    for name in names:
        sub = logs.get(name)
        if sub is None:
            skipped[name] = "no participation in the log"
        elif sub.start >= as_of_ts:
            skipped[name] = f"no participation before {as_of_ts:%Y-%m-%d}"
        else:
            todo.append((name, sub))
    # each space's own kernel arrays, its periods' windows computed once for all spaces of its group
    # (cop.network.stacked), the rest of its diagnosis: one group per worker process (cop.network.parallel),
    # the other groups started now, this process's after the network's own tables
    n_workers = resolve_workers(workers, len(log), len(todo))
    with SpaceDiagnoses(todo, params, tie, n_workers) as jobs:
        times["spaces"] = time.perf_counter() - t
        t = time.perf_counter()
        homes = home_spaces(log, as_of=as_of_ts, notes=notes)
        net = network_tables(prep, prep.window(lo, hi), homes, names)
        times["network"] = time.perf_counter() - t
        t = time.perf_counter()
        diags, times["levels_by_period"] = jobs.result()
    times["spaces"] += time.perf_counter() - t
    if skipped:
        notes.append(f"{log.source}: {len(skipped)} space(s) have no diagnosis: "
                     + "; ".join(f"{k} ({v})" for k, v in list(skipped.items())[:5]))
    spaces_out = _space_rows(names, table, diags, net.spaces)
    bench = _benchmark(spaces_out, net.spaces, diags)
    activity = _activity(log, names, freq, as_of_ts)
    times["total"] = time.perf_counter() - t0
    if emit_warnings:
        for note in notes:
            warnings.warn(note, DataWarning, stacklevel=2)
    return NetworkDiagnosis(
        as_of=as_of_ts, lookback=int(lookback), freq=freq, diagnoses=diags, spaces=spaces_out, links=net.links,
        members=net.members, shared_events=net.shared_events, benchmark=bench, activity=activity, summary=net.summary,
        notes=notes, skipped=skipped, source=log.source, timings=times,
    )


_BY["space"] = diagnose_network  # cop.diagnose(log, by="space")
