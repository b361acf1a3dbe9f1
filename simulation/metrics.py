"""Experiment metrics computed from a run's activity log, as a tidy frame.

A metric function takes a :class:`simulation.SimulationResult` (its ``.log``
is the :class:`cop.ActivityLog`; its ``.participations``, ``.members`` and
``.activities`` are the frames) and returns a tidy DataFrame with columns
``period, metric, value``; ``period`` is ``"YYYY-MM"`` for a month or
``"all"`` for the whole run.  A trailing month the run does not cover to its
end is left out of the monthly rows.

:func:`log_metrics` computes, per month and over the whole run, directly from
the log (members only: the manager and guests are excluded):

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

import numpy as np
import pandas as pd

__all__ = ["log_metrics", "default_metrics", "member_pairs", "METRIC_NAMES"]

PHASES = ("potential", "coalescing", "active", "dispersed", "memorable")
LEVELS = ("coordinator", "core", "active", "peripheral", "inactive", "outsider")

METRIC_NAMES: tuple[str, ...] = (
    "active_members",
    "members",
    "participations",
    "events",
    "new_members",
    "departed_members",
    "new_ties",
    "introductions",
    "collaborations",
    "collaborations_per_member",
    "newcomers_with_tie_share",
    "newcomer_partners_90d",
    "top10_share",
)


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


def log_metrics(result) -> pd.DataFrame:
    """Monthly and whole-run metrics computed directly from the log (see module doc)."""
    parts = result.participations
    members = result.members
    acts = result.activities
    mem = members[members["role"] == "member"]
    ids = set(mem["member_id"])
    p = parts[parts["member_id"].isin(ids)]
    pm = _month(p["timestamp"])
    months = np.unique(_month(parts["timestamp"])) if len(parts) else np.array([], dtype=str)
    # a trailing month the run does not cover to its end would look like a collapse: leave it out
    sc = getattr(result, "scenario", None)
    if sc is not None and len(months):
        end = pd.Timestamp(sc.space.start_date, tz="UTC") + pd.Timedelta(days=int(round(sc.space.years * 365.25)))
        if end < pd.Timestamp(months[-1] + "-01", tz="UTC") + pd.offsets.MonthBegin(1):
            months = months[:-1]
    rows: list[tuple[str, str, float]] = []

    def add(period, metric, value):
        rows.append((period, metric, float(value)))

    active = p.groupby(pm)["member_id"].nunique()
    n_part = p.groupby(pm).size()
    nonpres = p[p["kind"] != "presence"]
    np_month = pm[(p["kind"] != "presence").to_numpy()]
    per_member_month = nonpres.groupby([np_month, nonpres["member_id"].to_numpy()]).size()
    act_type = acts.set_index("activity_id")["type"]
    first_rows = parts.drop_duplicates("activity_id")
    first_rows = first_rows.assign(type=first_rows["activity_id"].map(act_type).to_numpy(), month=_month(first_rows["timestamp"]))
    by_type = first_rows.groupby(["month", "type"]).size()
    left = mem["left"].dropna()
    left_m = pd.Series(_month(left) if len(left) else [], dtype=object)
    pairs = member_pairs(parts, members)
    first_pair = pairs.drop_duplicates(["a", "b"])
    new_ties = pd.Series(_month(first_pair["timestamp"]) if len(first_pair) else [], dtype=object).value_counts()

    # newcomers: partners after joining
    start = parts["timestamp"].min() if len(parts) else None
    newcomers = mem[mem["joined"] > start] if start is not None else mem.iloc[:0]
    both = pd.concat(
        [pairs.rename(columns={"a": "m", "b": "o"}), pairs.rename(columns={"b": "m", "a": "o"})], ignore_index=True
    )
    both = both.merge(newcomers[["member_id", "joined"]], left_on="m", right_on="member_id")
    delay = both["timestamp"] - both["joined"]
    within60 = set(both.loc[delay <= pd.Timedelta(days=60), "m"])
    partners90 = both[delay <= pd.Timedelta(days=90)].groupby("m")["o"].nunique()
    nc_month = _month(newcomers["joined"]) if len(newcomers) else np.array([], dtype=str)
    nc_tie = newcomers["member_id"].isin(within60).to_numpy()
    nc_p90 = newcomers["member_id"].map(partners90).fillna(0).to_numpy()

    end_of = {m: pd.Timestamp(m + "-01", tz="UTC") + pd.offsets.MonthBegin(1) for m in months}
    joined_ns, left_ns = _naive(mem["joined"]), _naive(mem["left"])
    left_nat = np.isnat(left_ns)
    # non-presence participations per member, per month
    month_counts = {k: g.to_numpy() for k, g in per_member_month.groupby(level=0, sort=False)}
    for m in months:
        a = int(active.get(m, 0))
        add(m, "active_members", a)
        end = end_of[m].tz_localize(None).to_datetime64()
        on_books = int(((joined_ns < end) & (left_nat | (left_ns >= end))).sum())
        add(m, "members", on_books)
        add(m, "participations", n_part.get(m, 0))
        add(m, "events", by_type.get((m, "social"), 0) + by_type.get((m, "professional"), 0))
        add(m, "new_members", int((nc_month == m).sum()))
        add(m, "departed_members", int((left_m == m).sum()))
        add(m, "new_ties", new_ties.get(m, 0))
        add(m, "introductions", by_type.get((m, "introduction"), 0))
        collabs = by_type.get((m, "collaboration"), 0)
        add(m, "collaborations", collabs)
        add(m, "collaborations_per_member", collabs / a if a else np.nan)
        sel = nc_month == m
        add(m, "newcomers_with_tie_share", nc_tie[sel].mean() if sel.any() else np.nan)
        add(m, "newcomer_partners_90d", nc_p90[sel].mean() if sel.any() else np.nan)
        counts = month_counts.get(m, np.zeros(0))
        add(m, "top10_share", _top_share(counts, a))

    # whole run
    ever = p["member_id"].nunique()
    add("all", "active_members", active.mean() if len(active) else 0)
    add("all", "members", ((mem["left"].isna()).sum()))
    add("all", "participations", len(p))
    ev = first_rows["type"].isin(["social", "professional"]).sum()
    add("all", "events", ev)
    add("all", "new_members", len(newcomers))
    add("all", "departed_members", len(left))
    add("all", "new_ties", len(first_pair))
    add("all", "introductions", (first_rows["type"] == "introduction").sum())
    collabs = (first_rows["type"] == "collaboration").sum()
    add("all", "collaborations", collabs)
    add("all", "collaborations_per_member", collabs / ever if ever else np.nan)
    add("all", "newcomers_with_tie_share", nc_tie.mean() if len(nc_tie) else np.nan)
    add("all", "newcomer_partners_90d", nc_p90.mean() if len(nc_p90) else np.nan)
    counts = nonpres.groupby("member_id").size().to_numpy()
    add("all", "top10_share", _top_share(counts, ever))
    return pd.DataFrame(rows, columns=["period", "metric", "value"])


def _diagnosis_metrics(result) -> pd.DataFrame:
    """The diagnosis timeline's numeric columns, phase flags and level counts of a run."""
    from cop import diagnose

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
    """:func:`log_metrics`, plus the diagnosis timeline and level counts."""
    base = log_metrics(result)
    diag = _diagnosis_metrics(result)
    if diag.empty:
        return base
    return pd.concat([base, diag], ignore_index=True)
