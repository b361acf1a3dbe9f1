"""The scenario comparison report of an experiment (``cop experiment ... --report comparison.html``).

One self-contained HTML page: the outcomes of every scenario (and sweep point)
over time, mean and 95% confidence band over replicates; the effect of each
one against the baseline on the whole-run metrics, as paired differences per
replicate (replicate ``i`` of every scenario shares its seed: common random
numbers), with 95% confidence intervals; and the table of those numbers.

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
from cop.report._page import esc, figure_block, fmt_value, page, placeholder, rgba, table_html

__all__ = ["render_comparison", "comparison_report", "effects", "over_time", "variant_labels", "KEY_METRICS"]

#: Metrics shown first (when present), in this order; the others follow alphabetically.
KEY_METRICS: tuple[str, ...] = (
    "active_members", "members", "new_ties", "introductions", "collaborations", "collaborations_per_member",
    "newcomers_with_tie_share", "newcomer_partners_90d", "top10_share", "new_members", "departed_members", "events",
)
_PALETTE = ["#1f4e9c", "#e69b00", "#2e7d32", "#c62828", "#6a3d9a", "#00838f", "#8d6e63", "#ad1457", "#546e7a", "#9e9d24"]
_MAX_PANELS = 12


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
    if baseline is not None:
        if baseline in variants:
            return baseline
        match = [v for v in variants if v.split(" · ")[0] == baseline]
        if match:
            return match[0]
        from cop.exceptions import ConfigError

        raise ConfigError(f"parameter 'baseline': {baseline!r} is not one of the scenarios: {', '.join(variants)}")
    for v in variants:
        if "baseline" in v.split(" · ")[0]:
            return v
    return variants[0]


def _ci(values: pd.core.groupby.SeriesGroupBy) -> pd.DataFrame:
    out = values.agg(n="count", mean="mean", sd="std")
    half = stats.t.ppf(0.975, np.maximum(out["n"] - 1, 1)) * out["sd"] / np.sqrt(out["n"])
    half = half.where(out["n"] > 1)
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out


def over_time(results: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% CI over replicates per variant, period (not ``"all"``) and metric."""
    df = _prepare(results)
    df = df[df["period"] != "all"]
    if df.empty:
        return pd.DataFrame(columns=["variant", "metric", "period", "n", "mean", "sd", "ci_low", "ci_high"])
    return _ci(df.groupby(["variant", "metric", "period"], sort=False)["value"]).reset_index()


def effects(results: pd.DataFrame, baseline: str | None = None) -> pd.DataFrame:
    """Effect of every variant against the baseline on the whole-run (``period == "all"``) metrics.

    The difference is computed per replicate (same seed in both: common random
    numbers) and averaged; the interval is the Student-t 95% interval of the
    paired differences.  Columns: ``variant, metric, baseline_mean, mean,
    difference, ci_low, ci_high, relative, n``.
    """
    df = _prepare(results)
    whole = df[df["period"] == "all"]
    cols = ["variant", "metric", "baseline_mean", "mean", "difference", "ci_low", "ci_high", "relative", "n"]
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
            n = len(d)
            mean = float(d.mean())
            half = float(stats.t.ppf(0.975, n - 1) * d.std() / np.sqrt(n)) if n > 1 else float("nan")
            bmean = float(wide.loc[metric, base].mean())
            vmean = float(wide.loc[metric, v].mean())
            rel = mean / abs(bmean) if bmean not in (0.0,) and np.isfinite(bmean) else float("nan")
            rows.append((v, metric, bmean, vmean, mean, mean - half, mean + half, rel, n))
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["baseline"] = base
    return out


def _metric_order(metrics: list[str]) -> list[str]:
    key = [m for m in KEY_METRICS if m in metrics]
    return key + sorted(m for m in metrics if m not in key)


def _time_axis(periods: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(periods, errors="coerce", format="mixed")
    return parsed if parsed.notna().all() else periods


def _over_time_figure(ot: pd.DataFrame, variants: list[str]) -> go.Figure | None:
    if ot.empty:
        return None
    metrics = _metric_order(list(dict.fromkeys(ot["metric"])))[:_MAX_PANELS]
    ncols = 3 if len(metrics) > 4 else 2 if len(metrics) > 1 else 1
    nrows = -(-len(metrics) // ncols)
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=[m.replace("_", " ") for m in metrics],
                        shared_xaxes=True, vertical_spacing=0.32 / max(nrows, 1) if nrows > 1 else 0.1,
                        horizontal_spacing=0.07)
    for k, metric in enumerate(metrics):
        r, c = k // ncols + 1, k % ncols + 1
        for j, v in enumerate(variants):
            sub = ot[(ot["metric"] == metric) & (ot["variant"] == v)].sort_values("period")
            if sub.empty:
                continue
            x = _time_axis(sub["period"])
            color = _PALETTE[j % len(_PALETTE)]
            band = sub["ci_low"].notna().any()
            if band:  # periods with a single replicate have no interval: zero width there
                lo_b = sub["ci_low"].fillna(sub["mean"])
                hi_b = sub["ci_high"].fillna(sub["mean"])
                fig.add_trace(go.Scatter(
                    x=list(x) + list(x[::-1]), y=list(hi_b) + list(lo_b[::-1]), fill="toself", mode="lines",
                    fillcolor=rgba(color, 0.15), line=dict(width=0), hoverinfo="skip", showlegend=False,
                    legendgroup=v, name=f"{v} 95% CI"), row=r, col=c)
            fig.add_trace(go.Scatter(
                x=x, y=sub["mean"], mode="lines", line=dict(color=color, width=2), name=esc(v), legendgroup=v,
                showlegend=k == 0, customdata=np.column_stack([sub["ci_low"], sub["ci_high"]]),
                hovertemplate=f"{esc(v)}<br>%{{x}}: %{{y:.3g}} (95% CI %{{customdata[0]:.3g}}–%{{customdata[1]:.3g}})<extra></extra>",
            ), row=r, col=c)
    fig.update_xaxes(gridcolor="#eceff3")
    fig.update_yaxes(gridcolor="#eceff3", rangemode="tozero")
    fig.update_layout(height=150 + 230 * nrows, margin=dict(l=10, r=10, t=80, b=20), hovermode="closest",
                      legend=dict(orientation="h", yref="container", y=0.995, yanchor="top", x=0, font=dict(size=12)))
    fig.update_annotations(font_size=13)
    return fig


def _effects_figure(eff: pd.DataFrame, variants: list[str]) -> go.Figure | None:
    e = eff[np.isfinite(eff["relative"].astype(float))]
    if e.empty:
        return None
    metrics = _metric_order(list(dict.fromkeys(e["metric"])))
    fig = go.Figure()
    for j, v in enumerate([v for v in variants if v in set(e["variant"])]):
        sub = e[e["variant"] == v].set_index("metric").reindex([m for m in metrics if m in set(e.loc[e["variant"] == v, "metric"])])
        scale = sub["baseline_mean"].abs()
        rel = sub["relative"] * 100
        lo = (sub["ci_low"] / scale) * 100
        hi = (sub["ci_high"] / scale) * 100
        color = _PALETTE[(variants.index(v)) % len(_PALETTE)]
        fig.add_trace(go.Scatter(
            x=rel, y=[m.replace("_", " ") for m in sub.index], mode="markers", name=esc(v),
            marker=dict(color=color, size=10, symbol="diamond"),
            error_x=dict(type="data", symmetric=False, array=(hi - rel).fillna(0), arrayminus=(rel - lo).fillna(0),
                         color=color, thickness=1.6, width=4),
            customdata=np.column_stack([sub["baseline_mean"], sub["mean"], sub["difference"], sub["ci_low"], sub["ci_high"]]),
            hovertemplate=(f"<b>{esc(v)}</b> · %{{y}}<br>effect %{{x:+.1f}}%<br>baseline %{{customdata[0]:.3g}} → %{{customdata[1]:.3g}}"
                           "<br>difference %{customdata[2]:+.3g} (95% CI %{customdata[3]:+.3g} to %{customdata[4]:+.3g})<extra></extra>"),
        ))
    fig.add_vline(x=0, line=dict(color="#5b6474", width=1))
    n_rows = len(metrics)
    fig.update_layout(height=max(260, 90 + 34 * n_rows * max(1, min(3, len(variants) - 1))),
                      margin=dict(l=10, r=20, t=30, b=40), scattermode="group",
                      xaxis=dict(title="effect against the baseline (% of the baseline mean, 95% CI)", ticksuffix="%",
                                 gridcolor="#eceff3", zeroline=False),
                      yaxis=dict(autorange="reversed"), legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0))
    return fig


def render_comparison(results: Any, summary: pd.DataFrame | None = None, *, baseline: str | None = None,
                      title: str | None = None) -> str:
    """The comparison report as one self-contained HTML string.

    Parameters
    ----------
    results : DataFrame or simulation.ExperimentResult
        Tidy results ``scenario, parameters, [swept keys], replicate, seed,
        period, metric, value`` (``period``: ``"YYYY-MM"`` or ``"all"``; it may
        be absent, then every row counts as whole-run).
    summary : DataFrame, optional
        Not needed (everything is computed from ``results``); accepted for symmetry
        with :class:`simulation.ExperimentResult`.
    baseline : str, optional
        The scenario (or ``"scenario · parameters"`` label) the others are compared
        with; default: the first scenario whose name contains "baseline", else the first.
    title : str, optional
        Page title.
    """
    if hasattr(results, "results") and isinstance(getattr(results, "results"), pd.DataFrame):
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
    for j, v in enumerate(variants):
        color = _PALETTE[j % len(_PALETTE)]
        reps = df.loc[df["variant"] == v, "replicate"].nunique()
        items.append(f'<li><span class="badge" style="background:{color}">{esc(v)}</span> {reps} replicates'
                     f'{" — <b>baseline</b>" if v == base else ""}</li>')
    intro = (f'<section id="scenarios"><h2>Scenarios</h2><p class="lead">Replicate <i>i</i> of every scenario runs with the '
             f'same random seed (common random numbers), so differences come from the scenarios, not from chance.</p>'
             f'<ul>{"".join(items)}</ul></section>\n')

    fig_t = _over_time_figure(ot, variants)
    n_metrics = ot["metric"].nunique() if len(ot) else 0
    more = (f' The {_MAX_PANELS} main metrics are shown; all {n_metrics} are in the results file.' if n_metrics > _MAX_PANELS else "")
    time_sec = (f'<section id="outcomes"><h2>Outcomes over time</h2><p class="lead">Mean over replicates per month; the band is the '
                f'95% confidence interval of the mean.{more}</p>'
                + (figure_block(fig_t, "fig-over-time") if fig_t is not None else placeholder("No monthly results in this experiment."))
                + "</section>\n")

    fig_e = _effects_figure(eff, variants)
    if len(variants) < 2:
        eff_body = placeholder("Only one scenario: nothing to compare with. Add the baseline, e.g. cop experiment baseline_coworking my_scenario …")
    else:
        eff_body = figure_block(fig_e, "fig-effects") if fig_e is not None else placeholder("No whole-run metrics to compare.")
        if len(eff):
            order = {m: i for i, m in enumerate(_metric_order(list(dict.fromkeys(eff["metric"]))))}
            eff = eff.assign(_o=eff["metric"].map(order), _v=eff["variant"].map({v: i for i, v in enumerate(variants)}))
            eff = eff.sort_values(["_o", "_v"], kind="stable")
            rows = [[r["metric"].replace("_", " "), r["variant"], r["baseline_mean"], r["mean"], r["difference"],
                     f'{fmt_value(r["ci_low"])} to {fmt_value(r["ci_high"])}',
                     "–" if not np.isfinite(r["relative"]) else f'{r["relative"] * 100:+.1f}%',
                     _verdict(r)] for r in eff.to_dict("records")]
            eff_body += "<h3>All effects</h3>" + table_html(
                rows, ["metric", "scenario", "baseline", "scenario mean", "difference", "95% CI", "relative", "verdict"],
                numeric={2, 3, 4})
    eff_sec = (f'<section id="effects"><h2>Effect against the baseline</h2><p class="lead">Whole-run metrics: the difference to '
               f'<b>{esc(base)}</b>, computed replicate by replicate. An interval that excludes 0 is a clear effect.</p>'
               f"{eff_body}</section>\n")
    footer = f"Made with cop {esc(__version__)}. Self-contained: works offline. Simulated outcomes are model estimates, not forecasts."
    nav = [("scenarios", "Scenarios"), ("outcomes", "Outcomes over time"), ("effects", "Effects")]
    return page(title, meta, nav, intro + time_sec + eff_sec, footer)


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
