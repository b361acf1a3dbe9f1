"""Experiment metrics computed from a run's activity log, as a tidy frame.

A metric function takes a :class:`simulation.SimulationResult` (its ``.log``
is the :class:`cop.ActivityLog`; its ``.participations``, ``.members`` and
``.activities`` are the frames) and returns a tidy DataFrame with columns
``period, metric, value``; ``period`` is ``"YYYY-MM"`` for a month or
``"all"`` for the whole run.  A trailing month the run does not cover to its
end is left out of the monthly rows.

:func:`log_metrics` computes, per month and over the whole run, directly from
the log (members only: the manager and guests are excluded), one reporter per
metric in :data:`METRICS` (``{name: reporter(facts, period)}``, in the manner
of Mesa's ``DataCollector``; :data:`METRIC_NAMES` is its keys).  A reporter
reads a :class:`LogFacts`, the tables every metric needs, computed once:

=============================  ===================================================================
metric                         meaning
=============================  ===================================================================
active_members                 members with any participation (whole run: monthly mean)
members                        members on the books at the end of the month (whole run: last)
participations                 participation rows of members
events                         events held
new_members, departed_members  joins and departures
new_ties                       member pairs interacting (conversation, introduction,
                               collaboration) for the first time
introductions                  1:1 introductions (manager or tool)
collaborations                 formal collaborations started
collaborations_per_member      collaborations / active members (whole run: / members ever active)
newcomers_with_tie_share       share of the month's newcomers with a partner within 60 days
newcomer_partners_90d          mean number of distinct partners of newcomers in their first 90 days
top10_share                    share of non-presence participations by the top 10% of active members
=============================  ===================================================================

A network of spaces (members with a ``home_space``, :mod:`simulation.network`) adds
:data:`NETWORK_METRICS` (not in :data:`METRIC_NAMES`, which every run has):

* ``cross_space_ties`` — new_ties between members of different home spaces;
* ``cross_space_tie_share`` — cross_space_ties / new_ties;
* ``members_with_cross_space_tie_share`` — share of the members on the books at the end of the
  period with such a tie made by then.

:func:`default_metrics` adds, when :func:`cop.diagnose` is available, the
diagnosis timeline's numeric columns (per month, ``diag_<column>``), the phase
as 0/1 indicators (``phase_<name>``) and the level counts (whole run,
``level_<name>``).

Examples
--------
>>> from simulation import run, Scenario
>>> from simulation.metrics import log_metrics
>>> res = run(Scenario(space={"years": 0.3}, arrivals={"initial_members": 30}), seed=1)
>>> m = log_metrics(res)
>>> list(m.columns)
['period', 'metric', 'value']
>>> 0 < m.query("period == 'all' and metric == 'top10_share'")["value"].item() <= 1
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["log_metrics", "default_metrics", "member_pairs", "METRIC_NAMES", "METRICS", "LogFacts",
           "NETWORK_METRICS", "NETWORK_METRIC_NAMES"]


def _month_code(ts: pd.Series) -> np.ndarray:
    """Months since 1970-01 (int64) of tz-aware timestamps."""
    return ts.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[M]").astype(np.int64)


def _month_label(code) -> np.ndarray:
    """``"YYYY-MM"`` labels of month codes (formatting each distinct month once)."""
    code = np.asarray(code, dtype=np.int64)
    if not len(code):
        return np.array([], dtype="<U7")
    lo = int(code.min())
    labels = np.arange(lo, int(code.max()) + 1).astype("datetime64[M]").astype(str)
    return labels[code - lo]


def _month(ts: pd.Series) -> np.ndarray:
    return _month_label(_month_code(ts))


def _naive(ts: pd.Series) -> np.ndarray:
    """UTC timestamps as naive ``datetime64[ns]`` (NaT kept)."""
    return ts.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ns]")


def member_pairs(participations: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Pairs of members in two-member interactions and collaborations: ``a, b, timestamp``."""
    ok = set(members.loc[members["role"] == "member", "member_id"])
    p = participations[
        participations["kind"].isin(["interaction", "collaboration"]) & participations["member_id"].isin(ok)
    ]
    act, _ = pd.factorize(p["activity_id"])  # codes in order of first appearance
    two = np.bincount(act)[act] == 2 if len(act) else np.zeros(0, dtype=bool)
    act = act[two]
    who, names = pd.factorize(p["member_id"].to_numpy()[two], sort=True)  # code order is id order
    ts = p["timestamp"].array[two]
    rows = np.argsort(act, kind="stable")  # each activity's two rows, activities in order of appearance
    first, second = rows[0::2], rows[1::2]
    fa, fb = who[first], who[second]
    a, b = np.minimum(fa, fb), np.maximum(fa, fb)
    labels = pd.Series(np.asarray(names, dtype=object)).array
    out = pd.DataFrame({"a": labels.take(a), "b": labels.take(b), "timestamp": ts[first]})
    return out.sort_values("timestamp", kind="stable")


def _top_share(counts: np.ndarray, n_population: int, q: float = 0.1) -> float:
    total = counts.sum()
    if total == 0 or n_population == 0:
        return float("nan")
    k = max(1, int(np.ceil(q * n_population)))
    return float(np.sort(counts)[::-1][:k].sum() / total)


ALL = "all"  # the period label of whole-run rows


class LogFacts:
    """What the metric reporters read, computed once per run from the log (members only).

    ``months`` are the ``"YYYY-MM"`` months the run covers to their end.
    """

    def __init__(self, result) -> None:
        parts, members, acts = result.participations, result.members, result.activities
        mem = members[members["role"] == "member"]
        p = parts[parts["member_id"].isin(set(mem["member_id"]))]
        self.p = p
        pm = _month(p["timestamp"])
        self.months = _covered_months(parts, getattr(result, "scenario", None))
        self.active = p.groupby(pm)["member_id"].nunique()
        self.ever_active = p["member_id"].nunique()
        self.n_part = p.groupby(pm).size()
        self.nonpres = p[p["kind"] != "presence"]
        np_month = pm[(p["kind"] != "presence").to_numpy()]
        per_member_month = self.nonpres.groupby([np_month, self.nonpres["member_id"].to_numpy()]).size()
        # non-presence participations of each active member, per month
        self.month_counts = {k: g.to_numpy() for k, g in per_member_month.groupby(level=0, sort=False)}
        act_type = acts.set_index("activity_id")["type"]
        first = parts.drop_duplicates("activity_id")
        self.first_rows = first.assign(type=first["activity_id"].map(act_type).to_numpy(),
                                       month=_month(first["timestamp"]))
        self.by_type = self.first_rows.groupby(["month", "type"]).size()
        self.mem = mem
        self.left = mem["left"].dropna()
        self.left_m = pd.Series(_month(self.left) if len(self.left) else [], dtype=object)
        self.joined_ns, self.left_ns = _naive(mem["joined"]), _naive(mem["left"])
        pairs = member_pairs(parts, members)
        self.first_pair = pairs.drop_duplicates(["a", "b"])
        self.new_ties = pd.Series(_month(self.first_pair["timestamp"]) if len(self.first_pair) else [],
                                  dtype=object).value_counts()
        self._newcomers(parts, mem, pairs)

    def _newcomers(self, parts: pd.DataFrame, mem: pd.DataFrame, pairs: pd.DataFrame) -> None:
        """Members who joined after the first day, with their partners in their first 60 and 90 days."""
        start = parts["timestamp"].min() if len(parts) else None
        newcomers = mem[mem["joined"] > start] if start is not None else mem.iloc[:0]
        both = pd.concat(
            [pairs.rename(columns={"a": "m", "b": "o"}), pairs.rename(columns={"b": "m", "a": "o"})], ignore_index=True
        )
        both = both.merge(newcomers[["member_id", "joined"]], left_on="m", right_on="member_id")
        delay = both["timestamp"] - both["joined"]
        within60 = set(both.loc[delay <= pd.Timedelta(days=60), "m"])
        partners90 = both[delay <= pd.Timedelta(days=90)].groupby("m")["o"].nunique()
        self.newcomers = newcomers
        self.nc_month = _month(newcomers["joined"]) if len(newcomers) else np.array([], dtype=str)
        self.nc_tie = newcomers["member_id"].isin(within60).to_numpy()
        self.nc_p90 = newcomers["member_id"].map(partners90).fillna(0).to_numpy()

    def active_in(self, period: str) -> int:
        """Members with a participation in the month."""
        return int(self.active.get(period, 0))

    def of_type(self, period: str, *types: str) -> int:
        """Activities of these types started in ``period`` (or over the run)."""
        if period == ALL:
            return self.first_rows["type"].isin(types).sum()
        return sum(self.by_type.get((period, t), 0) for t in types)

    def newcomer_mean(self, values: np.ndarray, period: str) -> float:
        """Mean of a per-newcomer value over the month's newcomers (or all of them); NaN when none."""
        if period == ALL:
            return values.mean() if len(values) else np.nan
        sel = self.nc_month == period
        return values[sel].mean() if sel.any() else np.nan


def _covered_months(parts: pd.DataFrame, scenario) -> np.ndarray:
    """The log's months, without a trailing month the run does not cover to its end (it would look like a collapse)."""
    months = np.unique(_month(parts["timestamp"])) if len(parts) else np.array([], dtype=str)
    if scenario is not None and len(months):
        end = (pd.Timestamp(scenario.space.start_date, tz="UTC")
               + pd.Timedelta(days=int(round(scenario.space.years * 365.25))))
        if end < pd.Timestamp(months[-1] + "-01", tz="UTC") + pd.offsets.MonthBegin(1):
            months = months[:-1]
    return months


def _members_on_books(f: LogFacts, period: str) -> float:
    if period == ALL:
        return f.mem["left"].isna().sum()
    end = (pd.Timestamp(period + "-01", tz="UTC") + pd.offsets.MonthBegin(1)).tz_localize(None).to_datetime64()
    return int(((f.joined_ns < end) & (np.isnat(f.left_ns) | (f.left_ns >= end))).sum())


def _collaborations_per_member(f: LogFacts, period: str) -> float:
    collabs = f.of_type(period, "collaboration")
    n = f.ever_active if period == ALL else f.active_in(period)
    return collabs / n if n else np.nan


def _top10_share(f: LogFacts, period: str) -> float:
    if period == ALL:
        return _top_share(f.nonpres.groupby("member_id").size().to_numpy(), f.ever_active)
    return _top_share(f.month_counts.get(period, np.zeros(0)), f.active_in(period))


#: metric name -> reporter ``(facts, period) -> value`` (period ``"YYYY-MM"`` or ``"all"``), in output order.
METRICS: dict[str, Callable[[LogFacts, str], float]] = {
    "active_members": lambda f, m: (f.active.mean() if len(f.active) else 0) if m == ALL else f.active_in(m),
    "members": _members_on_books,
    "participations": lambda f, m: len(f.p) if m == ALL else f.n_part.get(m, 0),
    "events": lambda f, m: f.of_type(m, "social", "professional"),
    "new_members": lambda f, m: len(f.newcomers) if m == ALL else int((f.nc_month == m).sum()),
    "departed_members": lambda f, m: len(f.left) if m == ALL else int((f.left_m == m).sum()),
    "new_ties": lambda f, m: len(f.first_pair) if m == ALL else f.new_ties.get(m, 0),
    "introductions": lambda f, m: f.of_type(m, "introduction"),
    "collaborations": lambda f, m: f.of_type(m, "collaboration"),
    "collaborations_per_member": _collaborations_per_member,
    "newcomers_with_tie_share": lambda f, m: f.newcomer_mean(f.nc_tie, m),
    "newcomer_partners_90d": lambda f, m: f.newcomer_mean(f.nc_p90, m),
    "top10_share": _top10_share,
}

#: The metrics of :func:`log_metrics`, in output order (the keys of :data:`METRICS`).
METRIC_NAMES: tuple[str, ...] = tuple(METRICS)


class _CrossSpace:
    """Ties across the home spaces of a network (what :data:`NETWORK_METRICS` read), from :class:`LogFacts`.

    A tie is a member pair's first one-to-one interaction or collaboration (``new_ties``); it is
    *across* when the two members' ``home_space`` differ.
    """

    def __init__(self, f: LogFacts) -> None:
        home = f.mem.set_index("member_id")["home_space"]
        fp = f.first_pair
        across = (fp["a"].map(home).to_numpy(dtype=object) != fp["b"].map(home).to_numpy(dtype=object))
        self.pairs = fp[across]
        self.month = pd.Series(_month(self.pairs["timestamp"]) if len(self.pairs) else [], dtype=object)
        self.per_month = self.month.value_counts()
        # the first day each member had a tie across spaces
        both = pd.concat([self.pairs[["a", "timestamp"]].rename(columns={"a": "m"}),
                          self.pairs[["b", "timestamp"]].rename(columns={"b": "m"})], ignore_index=True)
        first = both.groupby("m")["timestamp"].min()
        ns = _naive(first) if len(first) else np.zeros(0, dtype="datetime64[ns]")
        pos = pd.Index(first.index).get_indexer(f.mem["member_id"])
        self.first_ns = np.where(pos >= 0, ns[np.maximum(pos, 0)] if len(ns) else np.datetime64("NaT", "ns"),
                                 np.datetime64("NaT", "ns"))

    def ties(self, f: LogFacts, period: str) -> float:
        return len(self.pairs) if period == ALL else int(self.per_month.get(period, 0))

    def share(self, f: LogFacts, period: str) -> float:
        total = len(f.first_pair) if period == ALL else int(f.new_ties.get(period, 0))
        return self.ties(f, period) / total if total else np.nan

    def members_share(self, f: LogFacts, period: str) -> float:
        """Members on the books at the end of ``period`` (the run), share with a tie across spaces by then."""
        if period == ALL:  # members on the books at the end of the run (as ``members``), a tie at any time
            books = np.isnat(f.left_ns)
            had = ~np.isnat(self.first_ns)
        else:
            end = (pd.Timestamp(period + "-01", tz="UTC") + pd.offsets.MonthBegin(1)).tz_localize(None).to_datetime64()
            books = (f.joined_ns < end) & (np.isnat(f.left_ns) | (f.left_ns >= end))
            had = ~np.isnat(self.first_ns) & (self.first_ns < end)
        n = int(books.sum())
        return float((books & had).sum() / n) if n else np.nan


def _cross(f: LogFacts) -> _CrossSpace:
    if getattr(f, "_cross", None) is None:
        f._cross = _CrossSpace(f)
    return f._cross


#: metrics of a network of spaces (members with a ``home_space``), added by :func:`log_metrics` after :data:`METRICS`.
NETWORK_METRICS: dict[str, Callable[[LogFacts, str], float]] = {
    "cross_space_ties": lambda f, m: _cross(f).ties(f, m),
    "cross_space_tie_share": lambda f, m: _cross(f).share(f, m),
    "members_with_cross_space_tie_share": lambda f, m: _cross(f).members_share(f, m),
}

#: The names of :data:`NETWORK_METRICS`, in output order.
NETWORK_METRIC_NAMES: tuple[str, ...] = tuple(NETWORK_METRICS)


def log_metrics(result) -> pd.DataFrame:
    """Monthly and whole-run metrics computed directly from the log (see module doc and :data:`METRICS`).

    A network run (a members table with ``home_space``) also gets :data:`NETWORK_METRICS`.

    Examples
    --------
    >>> from simulation import run, Scenario
    >>> s = Scenario(space={"years": 0.2}, network={"visit_probability": 0.2, "spaces": [
    ...     {"id": "a", "initial_members": 15, "seats": 30}, {"id": "b", "initial_members": 15, "seats": 30}]})
    >>> m = log_metrics(run(s, seed=1)).query("period == 'all'").set_index("metric")["value"]
    >>> bool(0 < m["cross_space_ties"] <= m["new_ties"])
    True
    """
    facts = LogFacts(result)
    periods = [*facts.months, ALL]
    reporters = dict(METRICS)
    if "home_space" in result.members.columns:
        reporters.update(NETWORK_METRICS)
    rows = [(period, name, float(report(facts, period))) for period in periods for name, report in reporters.items()]
    return pd.DataFrame(rows, columns=["period", "metric", "value"])


def _diagnosis_metrics(result) -> pd.DataFrame:
    """The diagnosis timeline's numeric columns, phase flags and level counts of a run."""
    from cop import diagnose
    from cop.lifecycle import PHASES
    from cop.participation import LEVELS

    d = diagnose(result.log, freq="MS")
    rows = []
    tl = d.timeline
    if tl is not None and len(tl):
        periods = pd.to_datetime(tl["period"].astype(str), utc=True, errors="coerce")
        labels = np.where(periods.notna(), periods.dt.strftime("%Y-%m"), tl["period"].astype(str))
        num = tl.select_dtypes("number")
        for col in num.columns:
            for lab, v in zip(labels, num[col].to_numpy(dtype=float)):
                rows.append((lab, f"diag_{col}", float(v)))
        if "phase" in tl.columns:
            for lab, ph in zip(labels, tl["phase"].astype(str)):
                for name in PHASES:
                    rows.append((lab, f"phase_{name}", float(ph == name)))
    if d.members is not None and "level" in d.members.columns:
        counts = d.members["level"].astype(str).value_counts()
        for level in LEVELS:
            rows.append(("all", f"level_{level}", float(counts.get(level, 0))))
    return pd.DataFrame(rows, columns=["period", "metric", "value"])


def default_metrics(result) -> pd.DataFrame:
    """:func:`log_metrics`, plus the diagnosis timeline and level counts.

    Examples
    --------
    >>> from simulation import Scenario, run
    >>> m = default_metrics(run(Scenario(space={"years": 0.2}, arrivals={"initial_members": 10}), seed=0))
    >>> m.columns.tolist(), "active_members" in set(m["metric"])
    (['period', 'metric', 'value'], True)
    """
    base = log_metrics(result)
    diag = _diagnosis_metrics(result)
    if diag.empty:
        return base
    return pd.concat([base, diag], ignore_index=True)
