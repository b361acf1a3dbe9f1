"""The scenario comparison report of an experiment (``cop experiment ... --report comparison.html``).

One self-contained HTML page, fit to publish: the outcomes of every scenario
(and sweep point) over time, mean and 95% confidence band over replicates
(clipped to the metric's feasible range); the effect of each one against the
baseline on the whole-run metrics, as paired differences per replicate
(replicate ``i`` of every scenario shares its seed: common random numbers),
with paired-t 95% intervals, relative effects and standardized effect sizes
(``d_z``) with their intervals; the definitions and units of the metrics
shown; the method; sensitivity indices when the experiment sampled a design;
and the provenance of the results.  Every series has its own marker shape and
dash style, so the charts read in greyscale.

Examples
--------
>>> import pandas as pd
>>> rows = [("base", "", r, r, p, "active_members", 10 + r + (p == "all")) for r in range(3) for p in ("2024-01", "all")]
>>> rows += [("tool", "", r, r, p, "active_members", 12 + r) for r in range(3) for p in ("2024-01", "all")]
>>> results = pd.DataFrame(rows, columns=["scenario", "parameters", "replicate", "seed", "period", "metric", "value"])
>>> eff = effects(results, baseline="base")
>>> eff[["variant", "metric", "difference", "ci_low", "ci_high"]].round(2).values.tolist()
[['tool', 'active_members', 1.0, 1.0, 1.0]]
>>> html = render_comparison(results)
>>> html.count('class="plot"')
2
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from scipy import stats

from cop._atomic import atomic_write_text
from cop._version import __version__
from cop.report._page import csv_link, esc, figure_block, fmt_value, page, placeholder, rgba, table_html

__all__ = ["render_comparison", "comparison_report", "effects", "over_time", "variant_labels", "KEY_METRICS"]

#: Metrics shown first (when present), in this order; the others follow alphabetically.
KEY_METRICS: tuple[str, ...] = (
    "active_members", "members", "new_ties", "introductions", "collaborations", "collaborations_per_member",
    "newcomers_with_tie_share", "newcomer_partners_90d", "top10_share", "new_members", "departed_members", "events",
)
_PALETTE = ["#1f4e9c", "#e69b00", "#2e7d32", "#c62828", "#6a3d9a", "#00838f", "#8d6e63", "#ad1457", "#546e7a", "#9e9d24"]
#: One marker shape and one dash style per variant (in order), so the charts read without colour.
_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "triangle-down", "cross", "star", "pentagon", "hexagon"]
_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
_MAX_PANELS = 12
_MAX_SENSITIVITY_PANELS = 6
_MAX_LISTED = 12


def _style(j: int) -> tuple[str, str, str]:
    """Colour, marker symbol and dash style of the ``j``-th variant."""
    return _PALETTE[j % len(_PALETTE)], _SYMBOLS[j % len(_SYMBOLS)], _DASHES[j % len(_DASHES)]


def _definition(metric: str) -> Any:
    """The metric's :class:`simulation.metric_definitions.MetricDefinition` (``None`` when unknown)."""
    try:
        from simulation.metric_definitions import describe_metric
    except ImportError:  # pragma: no cover - the simulation package ships with cop
        return None
    return describe_metric(metric)


def _prepare(results: pd.DataFrame) -> pd.DataFrame:
    """Add ``variant`` (scenario and sweep point), and ``period``/``replicate`` when absent."""
    df = results.copy()
    if "scenario" not in df:
        df["scenario"] = "scenario"
    if "period" not in df:
        df["period"] = "all"
    if "replicate" not in df:
        df["replicate"] = df.groupby(["scenario", "metric"] + (["parameters"] if "parameters" in df else []) + ["period"]).cumcount()
    df["variant"] = variant_labels(df)
    df["period"] = df["period"].astype(str)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df


def variant_labels(results: pd.DataFrame) -> pd.Series:
    """``scenario`` or ``scenario · parameters`` (sweep point) for every row.

    Examples
    --------
    >>> variant_labels(pd.DataFrame({"scenario": ["a", "a"], "parameters": ["", "x=1"]})).tolist()
    ['a', 'a · x=1']
    """
    scen = results["scenario"].astype(str)
    if "parameters" not in results:
        return scen
    par = results["parameters"].astype(object).where(results["parameters"].notna(), "").astype(str)
    return pd.Series(np.where(par.str.len() > 0, scen + " · " + par, scen), index=results.index, name="variant")


def _baseline(variants: list[str], baseline: str | None, scenarios: pd.Series) -> str:
    """The reference variant: ``baseline`` (a variant or scenario label), else the first scenario at its own defaults.

    Examples
    --------
    >>> _baseline(["a · x=1", "a", "b"], None, pd.Series(dtype=str))   # never a sweep point when avoidable
    'a'
    """
    if baseline is not None:
        if baseline in variants:
            return baseline
        match = [v for v in variants if v.split(" · ")[0] == baseline]
        if match:
            return match[0]
        from cop.exceptions import ConfigError

        raise ConfigError(f"parameter 'baseline': {baseline!r} is not one of the scenarios: {', '.join(variants)}")
    plain = [v for v in variants if " · " not in v]
    return plain[0] if plain else variants[0]


def _ci(values: pd.core.groupby.SeriesGroupBy) -> pd.DataFrame:
    out = values.agg(n="count", mean="mean", sd="std")
    half = stats.t.ppf(0.975, np.maximum(out["n"] - 1, 1)) * out["sd"] / np.sqrt(out["n"])
    half = half.where(out["n"] > 1)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out


def _clip(metric: str, values: pd.Series) -> pd.Series:
    """Values clipped to the metric's feasible range (no negative counts, no share above 1)."""
    d = _definition(metric)
    if d is None:
        return values
    return values.clip(lower=d.low, upper=d.high)


def over_time(results: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% CI over replicates per variant, period (not ``"all"``) and metric.

    The interval is clipped to the metric's feasible range (a count's band
    never goes below zero, a share's never above one).
    """
    df = _prepare(results)
    df = df[df["period"] != "all"]
    if df.empty:
        return pd.DataFrame(columns=["variant", "metric", "period", "n", "mean", "sd", "ci_low", "ci_high"])
    out = _ci(df.groupby(["variant", "metric", "period"], sort=False)["value"]).reset_index()
    for metric, idx in out.groupby("metric", sort=False).groups.items():
        for col in ("ci_low", "ci_high"):
            out.loc[idx, col] = _clip(metric, out.loc[idx, col])
    return out


def effects(results: pd.DataFrame, baseline: str | None = None) -> pd.DataFrame:
    """Effect of every variant against the baseline on the whole-run (``period == "all"``) metrics.

    The difference is computed per replicate (same seed in both: common random
    numbers) and averaged; the interval is the paired-t 95% interval (Student t
    with ``n - 1`` degrees of freedom on the ``n`` paired differences).
    Columns: ``variant, metric, baseline_mean, mean, difference, ci_low,
    ci_high, relative, n, sd_difference, effect_size, es_low, es_high`` —
    ``relative`` is the difference over the absolute baseline mean;
    ``effect_size`` is the standardized mean difference of paired data,
    ``d_z = mean difference / sd of the differences``, with the approximate
    95% interval ``d_z ± t · sqrt(1/n + d_z² / (2n))``.
    """
    df = _prepare(results)
    whole = df[df["period"] == "all"]
    cols = ["variant", "metric", "baseline_mean", "mean", "difference", "ci_low", "ci_high", "relative", "n",
            "sd_difference", "effect_size", "es_low", "es_high"]
    if whole.empty:
        return pd.DataFrame(columns=cols)
    variants = list(dict.fromkeys(whole["variant"]))
    base = _baseline(variants, baseline, whole["scenario"])
    wide = whole.pivot_table(index=["metric", "replicate"], columns="variant", values="value", aggfunc="mean")
    rows = []
    for v in variants:
        if v == base or v not in wide or base not in wide:
            continue
        diff = (wide[v] - wide[base]).dropna()
        for metric, d in diff.groupby(level="metric", sort=False):
            rows.append((v, metric, *_paired(d.to_numpy(dtype=float), wide.loc[metric, base], wide.loc[metric, v])))
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["baseline"] = base
    return out


def _paired(d: np.ndarray, base_values: pd.Series, values: pd.Series) -> tuple:
    """``baseline_mean, mean, difference, ci_low, ci_high, relative, n, sd, d_z, d_low, d_high`` of paired differences."""
    n = len(d)
    mean = float(d.mean())
    sd = float(d.std(ddof=1)) if n > 1 else float("nan")
    t = float(stats.t.ppf(0.975, n - 1)) if n > 1 else float("nan")
    half = t * sd / np.sqrt(n) if n > 1 else float("nan")
    bmean, vmean = float(base_values.mean()), float(values.mean())
    rel = mean / abs(bmean) if bmean != 0.0 and np.isfinite(bmean) else float("nan")
    dz = mean / sd if n > 1 and sd > 0 else float("nan")
    dz_half = t * np.sqrt(1 / n + dz ** 2 / (2 * n)) if np.isfinite(dz) else float("nan")
    return bmean, vmean, mean, mean - half, mean + half, rel, n, sd, dz, dz - dz_half, dz + dz_half


def _metric_order(metrics: list[str]) -> list[str]:
    key = [m for m in KEY_METRICS if m in metrics]
    return key + sorted(m for m in metrics if m not in key)


def _time_axis(periods: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(periods, errors="coerce", format="mixed")
    return parsed if parsed.notna().all() else periods


def _panel_title(metric: str) -> str:
    """The metric's words, with its unit when the name does not already say it.

    Examples
    --------
    >>> _panel_title("new_ties"), _panel_title("active_members")
    ('new ties (pairs)', 'active members')
    """
    d = _definition(metric)
    words = metric.replace("_", " ")
    if d is None or d.unit.split()[0] in words.split():
        return words
    return f"{words} ({d.unit})"


def _over_time_figure(ot: pd.DataFrame, variants: list[str]) -> go.Figure | None:
    if ot.empty:
        return None
    metrics = _metric_order(list(dict.fromkeys(ot["metric"])))[:_MAX_PANELS]
    ncols = 3 if len(metrics) > 4 else 2 if len(metrics) > 1 else 1
    nrows = -(-len(metrics) // ncols)
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=[_panel_title(m) for m in metrics],
                        shared_xaxes=False, vertical_spacing=0.45 / max(nrows, 1) if nrows > 1 else 0.1,
                        horizontal_spacing=0.08)
    for k, metric in enumerate(metrics):
        r, c = k // ncols + 1, k % ncols + 1
        for j, v in enumerate(variants):
            sub = ot[(ot["metric"] == metric) & (ot["variant"] == v)].sort_values("period")
            if sub.empty:
                continue
            x = _time_axis(sub["period"])
            color, symbol, dash = _style(j)
            if sub["ci_low"].notna().any():  # periods with a single replicate have no interval: zero width there
                lo_b = sub["ci_low"].fillna(sub["mean"])
                hi_b = sub["ci_high"].fillna(sub["mean"])
                fig.add_trace(go.Scatter(
                    x=list(x) + list(x[::-1]), y=list(hi_b) + list(lo_b[::-1]), fill="toself", mode="lines",
                    fillcolor=rgba(color, 0.13), line=dict(width=0.6, color=rgba(color, 0.5), dash=dash),
                    hoverinfo="skip", showlegend=False, legendgroup=v, name=f"{v} 95% CI"), row=r, col=c)
            fig.add_trace(go.Scatter(
                x=x, y=sub["mean"], mode="lines+markers", line=dict(color=color, width=2, dash=dash),
                marker=dict(symbol=symbol, size=6, color=color), name=esc(v), legendgroup=v, showlegend=k == 0,
                customdata=np.column_stack([sub["ci_low"], sub["ci_high"]]),
                hovertemplate=f"{esc(v)}<br>%{{x}}: %{{y:.3g}} (95% CI %{{customdata[0]:.3g}}–%{{customdata[1]:.3g}})<extra></extra>",
            ), row=r, col=c)
    n_months = ot.loc[ot["metric"].isin(metrics), "period"].nunique()
    fig.update_xaxes(gridcolor="#eceff3", showticklabels=True, tickformat="%b %Y", tickangle=0, tickfont=dict(size=10),
                     dtick=f"M{max(1, -(-n_months // 4))}")
    fig.update_yaxes(gridcolor="#eceff3", rangemode="tozero")
    fig.update_layout(height=170 + 260 * nrows, margin=dict(l=10, r=10, t=90, b=30), hovermode="closest",
                      legend=dict(orientation="h", yref="container", y=0.995, yanchor="top", x=0, font=dict(size=12)))
    fig.update_annotations(font_size=13)
    return fig


def _effects_figure(eff: pd.DataFrame, variants: list[str]) -> go.Figure | None:
    """Relative effects with 95% intervals; the variants of one metric are dodged around its row."""
    e = eff[np.isfinite(eff["relative"].astype(float))]
    if e.empty:
        return None
    metrics = _metric_order(list(dict.fromkeys(e["metric"])))
    shown = [v for v in variants if v in set(e["variant"])]
    k = len(shown)
    width = 0.7 if k > 1 else 0.0
    fig = go.Figure()
    for i, v in enumerate(shown):
        sub = e[e["variant"] == v].set_index("metric").reindex([m for m in metrics if m in set(e.loc[e["variant"] == v, "metric"])])
        scale = sub["baseline_mean"].abs()
        rel = sub["relative"] * 100
        lo = (sub["ci_low"] / scale) * 100
        hi = (sub["ci_high"] / scale) * 100
        offset = (i - (k - 1) / 2) * (width / max(k - 1, 1)) if k > 1 else 0.0
        y = [metrics.index(m) + offset for m in sub.index]
        color, symbol, _ = _style(variants.index(v))
        fig.add_trace(go.Scatter(
            x=rel, y=y, mode="markers", name=esc(v),
            marker=dict(color=color, size=9, symbol=symbol, line=dict(width=1, color="#1b1f27")),
            error_x=dict(type="data", symmetric=False, array=(hi - rel).fillna(0), arrayminus=(rel - lo).fillna(0),
                         color=color, thickness=1.6, width=3),
            customdata=np.column_stack([sub["baseline_mean"], sub["mean"], sub["difference"], sub["ci_low"], sub["ci_high"],
                                        [m.replace("_", " ") for m in sub.index]]),
            hovertemplate=(f"<b>{esc(v)}</b> · %{{customdata[5]}}<br>effect %{{x:+.1f}}%<br>baseline %{{customdata[0]:.3g}} → %{{customdata[1]:.3g}}"
                           "<br>difference %{customdata[2]:+.3g} (95% CI %{customdata[3]:+.3g} to %{customdata[4]:+.3g})<extra></extra>"),
        ))
    fig.add_vline(x=0, line=dict(color="#5b6474", width=1))
    for i in range(1, len(metrics)):  # a faint rule between metrics groups the dodged markers
        fig.add_hline(y=i - 0.5, line=dict(color="#eceff3", width=1))
    fig.update_layout(height=max(260, 110 + (30 + 16 * max(k - 1, 0)) * len(metrics)),
                      margin=dict(l=10, r=20, t=30, b=50),
                      xaxis=dict(title="effect against the baseline (% of the baseline mean, 95% CI)", ticksuffix="%",
                                 gridcolor="#eceff3", zeroline=False),
                      yaxis=dict(tickmode="array", tickvals=list(range(len(metrics))),
                                 ticktext=[m.replace("_", " ") for m in metrics], autorange="reversed",
                                 range=[len(metrics) - 0.5, -0.5], showgrid=False),
                      legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0))
    return fig


def _sensitivity_figure(sens: pd.DataFrame) -> go.Figure | None:
    """Bars of the main index (Sobol S1 and ST, or Morris mu*) with their intervals, one panel per output."""
    if sens is None or not len(sens):
        return None
    method_sobol = sens["index"].isin(["S1", "ST"]).any()
    indices = ["S1", "ST"] if method_sobol else ["mu_star"]
    scen = list(dict.fromkeys(sens["scenario"]))[0] if "scenario" in sens else None
    s = sens[sens["scenario"] == scen] if scen is not None else sens
    outputs = _metric_order(list(dict.fromkeys(s["output"])))[:_MAX_SENSITIVITY_PANELS]
    if not outputs:
        return None
    ncols = 2 if len(outputs) > 1 else 1
    nrows = -(-len(outputs) // ncols)
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=[o.replace("_", " ") for o in outputs],
                        vertical_spacing=0.4 / max(nrows, 1) if nrows > 1 else 0.1, horizontal_spacing=0.22)
    fills = {"S1": ("#1f4e9c", ""), "ST": ("#ffffff", "/"), "mu_star": ("#1f4e9c", "")}
    for k, out in enumerate(outputs):
        r, c = k // ncols + 1, k % ncols + 1
        for idx in indices:
            sub = s[(s["output"] == out) & (s["index"] == idx)]
            color, pattern = fills[idx]
            fig.add_trace(go.Bar(
                y=sub["parameter"], x=sub["value"], orientation="h", name=idx.replace("_", " "), legendgroup=idx,
                showlegend=k == 0, marker=dict(color=color, line=dict(color="#1b1f27", width=1),
                                               pattern=dict(shape=pattern, fgcolor="#1b1f27")),
                error_x=dict(type="data", symmetric=False, array=(sub["ci_high"] - sub["value"]).fillna(0),
                             arrayminus=(sub["value"] - sub["ci_low"]).fillna(0), color="#1b1f27", thickness=1.2),
            ), row=r, col=c)
    fig.update_layout(barmode="group", height=140 + 60 * nrows * max(1, s["parameter"].nunique()),
                      margin=dict(l=10, r=10, t=80, b=30),
                      legend=dict(orientation="h", yref="container", y=0.995, yanchor="top", x=0))
    fig.update_xaxes(gridcolor="#eceff3", zeroline=True, zerolinecolor="#5b6474")
    fig.update_yaxes(autorange="reversed")
    fig.update_annotations(font_size=13)
    return fig


def _metrics_section(metrics: list[str]) -> str:
    """The definitions, units and whole-run statistics of the metrics shown."""
    rows = []
    for m in metrics:
        d = _definition(m)
        if d is None:
            rows.append([m, "(no definition)", "", "", ""])
            continue
        lo = "−∞" if d.low is None else fmt_value(d.low)
        hi = "∞" if d.high is None else fmt_value(d.high)
        rows.append([m, d.meaning, d.unit, d.whole_run, f"[{lo}, {hi}]"])
    return ('<section id="metrics"><h2>Metrics</h2><p class="lead">What each metric shown measures, its unit, and what '
            'its whole-run value is (a mean over months, the value at the end, or a total: they differ from metric to '
            'metric). Bands and intervals are clipped to the feasible range. Full definitions: docs/metrics.md.</p>'
            + table_html(rows, ["metric", "meaning", "unit", "whole run", "feasible range"]) + "</section>\n")


def _method_section(n_rep: int, base: str) -> str:
    return (
        '<section id="method"><h2>Method</h2><p class="lead">'
        f"Every scenario ran <b>{n_rep}</b> replicate{'s' if n_rep != 1 else ''}; replicate <i>i</i> of every scenario "
        "uses the same random seed (common random numbers). "
        f"<b>Effects</b> are paired: for each whole-run metric, the difference scenario − <b>{esc(base)}</b> is taken "
        "between the two runs of the same replicate (same seed), and the mean of the n paired differences gets a "
        "Student-t 95% interval with n − 1 degrees of freedom (a paired t interval). The <b>relative</b> effect is the "
        "difference over the absolute baseline mean (its interval treats that mean as fixed). The <b>effect size</b> "
        "d<sub>z</sub> is the mean paired difference over the standard deviation of the paired differences, with the "
        "approximate 95% interval d<sub>z</sub> ± t·√(1/n + d<sub>z</sub>²/(2n)). "
        "<b>Monthly bands</b> are the Student-t 95% interval of the mean over replicates (unpaired), clipped to the "
        "metric's feasible range. Intervals are per metric, not adjusted for the number of metrics compared."
        "</p></section>\n")


def _sensitivity_section(sens: pd.DataFrame | None) -> str:
    if sens is None or not len(sens):
        return ""
    sobol = sens["index"].isin(["S1", "ST"]).any()
    text = ("Sobol indices from a Saltelli design: S1 is the share of the output's variance due to the parameter alone, "
            "ST the share involving it (interactions included); intervals are SALib's bootstrap 95% intervals. "
            if sobol else
            "Morris screening: mu* is the mean absolute elementary effect (output units per full range of the "
            "parameter), sigma their spread (non-linearity or interactions); mu* intervals are bootstrap 95%. ")
    fig = _sensitivity_figure(sens)
    first = list(dict.fromkeys(sens["scenario"]))[0] if "scenario" in sens else ""
    wide = sens.assign(cell=[f"{fmt_value(v)} [{fmt_value(lo)}, {fmt_value(hi)}]" if np.isfinite(lo) else fmt_value(v)
                             for v, lo, hi in zip(sens["value"], sens["ci_low"], sens["ci_high"])])
    keys = [c for c in ("scenario", "output", "parameter") if c in wide]
    table = wide.pivot_table(index=keys, columns="index", values="cell", aggfunc="first", sort=False).reset_index()
    order = {m: i for i, m in enumerate(_metric_order(list(dict.fromkeys(table["output"]))))}
    table = table.assign(_o=table["output"].map(order)).sort_values(["_o"], kind="stable").drop(columns="_o")
    header = list(table.columns)
    rows = table.astype(str).values.tolist()
    raw_rows = sens[["scenario", "output", "parameter", "index", "value", "ci_low", "ci_high"]].values.tolist() \
        if "scenario" in sens else sens.values.tolist()
    return ('<section id="sensitivity"><h2>Sensitivity</h2><p class="lead">' + text
            + (f"The chart shows {esc(first)}; the table every scenario. " if first else "")
            + "</p>" + (figure_block(fig, "fig-sensitivity") if fig is not None else "")
            + "<h3>All indices</h3>" + table_html(rows, header)
            + csv_link(raw_rows, ["scenario", "output", "parameter", "index", "value", "ci_low", "ci_high"],
                       "sensitivity.csv", "Download the indices (CSV)")
            + "</section>\n")


def _provenance_section(prov: dict | None) -> str:
    """What made the results: versions, resolved scenarios and their hashes, root seed, command, time."""
    if not prov:
        return ('<section id="provenance"><h2>Provenance</h2>'
                + placeholder("No provenance recorded with these results (a bare results table).") + "</section>\n")
    libs = ", ".join(f"{k} {v}" for k, v in (prov.get("libraries") or {}).items())
    rows = [["cop", prov.get("cop_version", "")], ["Python", f"{prov.get('python', '')} on {prov.get('platform', '')}"],
            ["libraries", libs], ["root seed", prov.get("root_seed", "")],
            ["command", " ".join(prov.get("command") or [])], ["time (UTC)", prov.get("time", "")]]
    for label, sc in (prov.get("scenarios") or {}).items():
        rows.append([f"scenario {label}", f"sha256 {sc.get('hash', '')}"])
    design = (prov.get("inputs") or {}).get("design")
    if design:
        rows.append(["design", f"{design.get('method')} · {design.get('points')} points over "
                               f"{', '.join(design.get('keys') or [])}"])
    return ('<section id="provenance"><h2>Provenance</h2><p class="lead">The full resolved scenarios are in the '
            'experiment\'s <code>*_provenance.json</code>; the same hash means the same parameters.</p>'
            + table_html(rows, ["", ""]) + "</section>\n")


def render_comparison(results: Any, summary: pd.DataFrame | None = None, *, baseline: str | None = None,
                      title: str | None = None, sensitivity: pd.DataFrame | None = None,
                      provenance: dict | None = None) -> str:
    """The comparison report as one self-contained HTML string.

    Parameters
    ----------
    results : DataFrame or simulation.ExperimentResult
        Tidy results ``scenario, parameters, [swept keys], replicate, seed,
        period, metric, value`` (``period``: ``"YYYY-MM"`` or ``"all"``; it may
        be absent, then every row counts as whole-run).  An ExperimentResult
        also gives its baseline, sensitivity indices and provenance.
    summary : DataFrame, optional
        Not needed (everything is computed from ``results``); accepted for symmetry
        with :class:`simulation.ExperimentResult`.
    baseline : str, optional
        The scenario (or ``"scenario · parameters"`` label) the others are compared
        with; default: the experiment's baseline, else the first scenario at its own
        defaults (a variant without sweep parameters).
    title : str, optional
        Page title.
    sensitivity, provenance : optional
        Sensitivity indices and provenance record (default: those of an ExperimentResult).

    Examples
    --------
    >>> from simulation import Scenario, run_experiment
    >>> small = dict(space={"years": 0.1}, arrivals={"initial_members": 10})
    >>> exp = run_experiment({"base": Scenario(**small), "fewer_hours": Scenario(**small, manager={"hours_per_week": 5})},
    ...                      replicates=1, seed=1, executor="sequential")
    >>> html = render_comparison(exp)
    >>> html.startswith("<!DOCTYPE html>"), "fewer_hours" in html
    (True, True)
    """
    if hasattr(results, "results") and isinstance(getattr(results, "results"), pd.DataFrame):
        baseline = baseline or getattr(results, "baseline", None) or None
        sensitivity = sensitivity if sensitivity is not None else getattr(results, "sensitivity", None)
        provenance = provenance if provenance is not None else getattr(results, "provenance", None)
        results = results.results
    df = _prepare(results) if len(results) else pd.DataFrame(columns=["variant", "scenario", "period", "metric", "value", "replicate"])
    variants = list(dict.fromkeys(df["variant"])) if len(df) else []
    title = title or "Scenario comparison"
    if not variants:
        body = '<section id="outcomes"><h2>Outcomes</h2>' + placeholder("The experiment produced no results.") + "</section>"
        return page(title, "", [], body, f"Made with cop {esc(__version__)}.")
    base = _baseline(variants, baseline, df["scenario"])
    ot = over_time(results)
    eff = effects(results, baseline=base)
    n_rep = int(df.groupby("variant")["replicate"].nunique().min())
    meta = f"{len(variants)} scenario{'s' if len(variants) != 1 else ''} · {n_rep} replicate{'s' if n_rep != 1 else ''} each · baseline: {esc(base)}"

    items = []
    for j, v in enumerate(variants[:_MAX_LISTED]):
        color, symbol, dash = _style(j)
        reps = df.loc[df["variant"] == v, "replicate"].nunique()
        items.append(f'<li><span class="badge" style="background:{color}">{esc(v)}</span> {reps} replicates · '
                     f'{symbol.replace("-", " ")} markers, {dash} line{" — <b>baseline</b>" if v == base else ""}</li>')
    if len(variants) > _MAX_LISTED:
        items.append(f"<li>… and {len(variants) - _MAX_LISTED} more (all in the results file)</li>")
    intro = (f'<section id="scenarios"><h2>Scenarios</h2><p class="lead">Replicate <i>i</i> of every scenario runs with the '
             f'same random seed (common random numbers), so differences come from the scenarios, not from chance.</p>'
             f'<ul>{"".join(items)}</ul></section>\n')

    shown_variants = variants if len(variants) <= len(_PALETTE) else [base] + [v for v in variants if v != base][:len(_PALETTE) - 1]
    fig_t = _over_time_figure(ot[ot["variant"].isin(shown_variants)], shown_variants)
    n_metrics = ot["metric"].nunique() if len(ot) else 0
    more = (f' The {_MAX_PANELS} main metrics are shown; all {n_metrics} are in the results file.' if n_metrics > _MAX_PANELS else "")
    more += (f" The first {len(shown_variants)} of {len(variants)} scenarios are drawn." if len(shown_variants) < len(variants) else "")
    time_sec = (f'<section id="outcomes"><h2>Outcomes over time</h2><p class="lead">Mean over replicates per month; the band is the '
                f'95% confidence interval of the mean, clipped to the feasible range.{more}</p>'
                + (figure_block(fig_t, "fig-over-time") if fig_t is not None else placeholder("No monthly results in this experiment."))
                + "</section>\n")

    fig_e = _effects_figure(eff[eff["variant"].isin(shown_variants)], shown_variants) if len(eff) else None
    if len(variants) < 2:
        eff_body = placeholder("Only one scenario: nothing to compare with. Add the baseline, e.g. cop experiment baseline_coworking my_scenario …")
    else:
        eff_body = figure_block(fig_e, "fig-effects") if fig_e is not None else placeholder("No whole-run metrics to compare.")
        if len(variants) > len(shown_variants):
            eff_body += (f'<p class="note">The effects of the first {len(shown_variants) - 1} of {len(variants) - 1} scenarios '
                         "and points are drawn and listed; <code>cop.report.comparison.effects(results)</code> gives them all.</p>")
            eff = eff[eff["variant"].isin(shown_variants)]
        if len(eff):
            order = {m: i for i, m in enumerate(_metric_order(list(dict.fromkeys(eff["metric"]))))}
            eff = eff.assign(_o=eff["metric"].map(order), _v=eff["variant"].map({v: i for i, v in enumerate(variants)}))
            eff = eff.sort_values(["_o", "_v"], kind="stable")
            rows = [[r["metric"].replace("_", " "), r["variant"], r["baseline_mean"], r["mean"], r["difference"],
                     f'{fmt_value(r["ci_low"])} to {fmt_value(r["ci_high"])}',
                     "–" if not np.isfinite(r["relative"]) else f'{r["relative"] * 100:+.1f}%',
                     "–" if not np.isfinite(r["effect_size"]) else
                     f'{r["effect_size"]:+.2f} ({r["es_low"]:+.2f} to {r["es_high"]:+.2f})',
                     r["n"], _verdict(r)] for r in eff.to_dict("records")]
            eff_body += "<h3>All effects</h3>" + table_html(
                rows, ["metric", "scenario", "baseline", "scenario mean", "difference", "95% CI (paired t)", "relative",
                       "effect size d_z (95% CI)", "n pairs", "verdict"],
                numeric={2, 3, 4, 8})
    eff_sec = (f'<section id="effects"><h2>Effect against the baseline</h2><p class="lead">Whole-run metrics: the difference to '
               f'<b>{esc(base)}</b>, computed replicate by replicate (paired by seed). An interval that excludes 0 is a clear effect.</p>'
               f"{eff_body}</section>\n")
    shown_metrics = _metric_order(list(dict.fromkeys(df["metric"])))
    shown_metrics = list(dict.fromkeys(shown_metrics[:_MAX_PANELS] + [m for m in shown_metrics if m in set(eff["metric"])]))
    sens_sec = _sensitivity_section(sensitivity)  # a sampled design is about its indices: they come first
    body = (intro + sens_sec + time_sec + eff_sec + _metrics_section(shown_metrics)
            + _method_section(n_rep, base) + _provenance_section(provenance))
    footer = f"Made with cop {esc(__version__)}. Self-contained: works offline. Simulated outcomes are model estimates, not forecasts."
    nav = [("scenarios", "Scenarios")] + ([("sensitivity", "Sensitivity")] if sens_sec else []) + [
        ("outcomes", "Outcomes over time"), ("effects", "Effects")]
    nav += [("metrics", "Metrics"), ("method", "Method"), ("provenance", "Provenance")]
    return page(title, meta, nav, body, footer)


def _verdict(r: dict[str, Any]) -> str:
    lo, hi = r["ci_low"], r["ci_high"]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "one replicate: no interval"
    if lo > 0:
        return "higher"
    if hi < 0:
        return "lower"
    return "no clear difference"


def comparison_report(results: Any, summary_or_path: Any = None, path: str | os.PathLike[str] | None = None, *,
                      baseline: str | None = None, title: str | None = None) -> Path:
    """Write the comparison report atomically and return its path.

    Call as ``comparison_report(experiment_result, "comparison.html")`` or
    ``comparison_report(results, summary, "comparison.html")``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from simulation import Scenario, run_experiment
    >>> exp = run_experiment(Scenario(space={"years": 0.1}, arrivals={"initial_members": 10}), seed=1, executor="sequential")
    >>> comparison_report(exp, pathlib.Path(tempfile.mkdtemp()) / "comparison.html").name
    'comparison.html'
    """
    if hasattr(results, "results") and isinstance(getattr(results, "results"), pd.DataFrame):
        summary, target = getattr(results, "summary", None), (summary_or_path if path is None else path)
    else:
        summary, target = summary_or_path, path
    if isinstance(summary, (str, os.PathLike)) and target is None:
        summary, target = None, summary
    if target is None:
        from cop.exceptions import ConfigError

        raise ConfigError("comparison_report: no output path given (e.g. 'comparison.html')")
    return atomic_write_text(Path(target), render_comparison(results, summary, baseline=baseline, title=title))
