"""The calibration report (``cop calibrate ... --report calibration.html``): how well the fitted model fits.

One self-contained HTML page, built with the report helpers of
:mod:`cop.report._page`: first, in plain words, the observed statistics the
model cannot reach (the misspecification warning); then the parameter
estimates with their standard errors and 95 % intervals; then, per statistic,
the observed value against the simulated mean and 95 % prediction interval at
the estimate (a chart, each statistic on its own scale as a share of the
observed value, and a table); then the method.

The page reads a :class:`simulation.CalibrationResult` (duck-typed:
``statistics``, ``estimates``, ``warnings``, ``misspecification()``,
``source``, ``base``, ``budget``, ``root_seed``, ``settings``), so ``cop``
does not import the simulation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cop._atomic import atomic_write_text
from cop._version import __version__
from cop.report._page import OKABE_ITO, esc, figure_block, fmt_value, page, table_html

__all__ = ["render_calibration", "calibration_report", "STATUS_WORDS"]

#: What each status of a statistic means, in a reader's words.
STATUS_WORDS: dict[str, str] = {
    "matched": "matched: the observed value lies in the simulated interval",
    "missed": "missed: some runs reached it, but not together with the other statistics",
    "out of reach": "out of reach: no run anywhere in the ranges came within one simulation standard deviation of it",
    "not produced": "not produced: the simulated logs do not give this statistic",
}
_COLORS = {"matched": OKABE_ITO["bluish_green"], "missed": OKABE_ITO["orange"], "out of reach": OKABE_ITO["vermillion"],
           "not produced": "#777777"}


def _df(stats) -> str:
    """The degrees of freedom of the intervals' spread (one pooled figure; "–" for an older result without it)."""
    if "df" not in stats or not len(stats):
        return "–"
    return f"{float(stats['df'].max()):.0f}"


def _chart(stats: Any) -> str:
    """Observed (diamond) and simulated interval (bar) per statistic, relative to the observed value."""
    df = stats[stats["status"] != "not produced"].iloc[::-1]
    scale = np.where(np.abs(df["observed"]) > 1e-9, np.abs(df["observed"]), 1.0)
    rel = lambda col: (df[col].to_numpy(float) - df["observed"].to_numpy(float)) / scale  # noqa: E731
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=rel("simulated"), y=df["label"], mode="markers", name="simulated mean (95 % interval)",
        marker=dict(symbol="circle", size=9, color=[_COLORS[s] for s in df["status"]]),
        error_x=dict(type="data", symmetric=False, array=rel("interval_high") - rel("simulated"),
                     arrayminus=rel("simulated") - rel("interval_low"), color="#555", thickness=1.5),
        customdata=np.column_stack([df["simulated"], df["interval_low"], df["interval_high"], df["observed"], df["status"]]),
        hovertemplate="%{y}<br>observed %{customdata[3]:.3g}<br>simulated %{customdata[0]:.3g} "
                      "(%{customdata[1]:.3g} to %{customdata[2]:.3g})<br>%{customdata[4]}<extra></extra>",
    ))
    fig.add_vline(x=0, line=dict(color="#000", width=1.5, dash="dot"))
    fig.update_layout(height=120 + 26 * len(df), showlegend=False, margin=dict(l=10, r=20, t=30, b=40),
                      xaxis=dict(title="difference from the observed value, as a share of it (0 = observed)",
                                 tickformat="+.0%", zeroline=False, gridcolor="#eee"),
                      yaxis=dict(automargin=True))
    return figure_block(fig, "fig-calibration")


def render_calibration(result: Any, *, title: str | None = None) -> str:
    """The calibration report of ``result`` as one self-contained HTML string.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> stats = pd.DataFrame({"statistic": ["a", "b"], "label": ["stat a", "stat b"], "unit": ["share", "share"],
    ...     "observed": [0.5, 0.9], "simulated": [0.52, 0.4], "interval_low": [0.4, 0.3], "interval_high": [0.6, 0.5],
    ...     "reach_low": [0.2, 0.2], "reach_high": [0.8, 0.6], "z": [-0.3, 5.0], "status": ["matched", "out of reach"]})
    >>> est = pd.DataFrame({"parameter": ["x.y"], "estimate": [1.0], "se": [0.1], "ci_low": [0.8], "ci_high": [1.2],
    ...     "low": [0.0], "high": [2.0], "note": [""]})
    >>> r = SimpleNamespace(statistics=stats, estimates=est, warnings=[], source="log.csv", base="baseline_coworking",
    ...     budget=20, root_seed=1, settings={}, lookback=90, misspecification=lambda: "The model cannot reproduce stat b.")
    >>> html = render_calibration(r)
    >>> reach = html.split('id="reach"')[1].split("</section>")[0]
    >>> "<strong>stat b</strong>: observed 0.9; simulated 0.2 to 0.6" in reach, "stat a" in reach
    (True, False)
    """
    stats, est = result.statistics, result.estimates
    n_out = int(stats["status"].isin(["out of reach", "not produced"]).sum())
    n_missed = int((stats["status"] == "missed").sum())
    n_ok = int((stats["status"] == "matched").sum())
    warning = result.misspecification()
    if warning:
        def items(status: tuple[str, ...], low: str, high: str) -> str:
            rows = stats[stats["status"].isin(status)]
            return "".join(f"<li><strong>{esc(r.label)}</strong>: observed {fmt_value(r.observed)}; simulated "
                           f"{fmt_value(getattr(r, low))} to {fmt_value(getattr(r, high))}</li>" for r in rows.itertuples())
        out_html = (f"<p>The model cannot reproduce these {n_out} anywhere in the ranges tried (the range over every "
                    f"run):</p><ul>{items(('out of reach', 'not produced'), 'reach_low', 'reach_high')}</ul>"
                    "<p>They were left out of the fit. Simulated interventions say little about what these measure "
                    "in this community; treat their effects there with caution.</p>") if n_out else ""
        missed_html = (f"<p>These {n_missed} lie outside the simulated interval at the fitted values, although some "
                       f"runs reached them: the model cannot match them together with the others:</p>"
                       f"<ul>{items(('missed',), 'interval_low', 'interval_high')}</ul>") if n_missed else ""
        head = (f'<section id="reach"><h2>What the model cannot reproduce</h2>'
                f'<div class="rec" style="border-left-color:{_COLORS["out of reach"]}"><p><strong>{n_out} of '
                f'{len(stats)} observed statistics are out of the model\'s reach and {n_missed} more are missed at '
                f'the fit.</strong></p>{out_html}{missed_html}</div></section>')
    else:
        head = ('<section id="reach"><h2>What the model cannot reproduce</h2><p>Nothing: every observed statistic lies '
                'in the simulated interval at the fitted values.</p></section>')
    warns = "".join(f"<li>{esc(w)}</li>" for w in result.warnings)
    est_rows = [[r.parameter, r.estimate, r.se, f"{fmt_value(r.ci_low)} to {fmt_value(r.ci_high)}",
                 f"{fmt_value(r.low)} to {fmt_value(r.high)}", r.note] for r in est.itertuples()]
    est_html = (f'<section id="estimates"><h2>Parameter estimates</h2>'
                f'<p class="muted">Standard errors from the simulated-method-of-moments sandwich; the interval is '
                f'the estimate ± 1.96 standard errors, clipped to the range searched.</p>'
                + table_html(est_rows, ["parameter", "estimate", "standard error", "95 % interval", "range searched",
                                        "note"], numeric={1, 2})
                + (f"<ul>{warns}</ul>" if warns else "") + "</section>")
    stat_rows = [[r.label, r.unit, r.observed, r.simulated, f"{fmt_value(r.interval_low)} to {fmt_value(r.interval_high)}",
                  f"{fmt_value(r.reach_low)} to {fmt_value(r.reach_high)}", r.status] for r in stats.itertuples()]
    stat_html = (f'<section id="statistics"><h2>Observed and simulated statistics</h2>'
                 f'<p>{n_ok} matched, {n_missed} missed, {n_out} out of reach. The simulated interval is where '
                 '95 % of logs simulated with the fitted values fall (Student t around the mean of the replicates '
                 'at the estimate, with their spread pooled with the other replicates and the runs near the estimate: '
                 f'{_df(stats)} degrees of freedom); "every run" is the range over all {result.budget} runs of the '
                 'calibration.</p>'
                 + _chart(stats)
                 + table_html(stat_rows, ["statistic", "unit", "observed", "simulated mean", "simulated 95 % interval",
                                          "every run", "status"], numeric={2, 3})
                 + "<ul>" + "".join(f"<li>{esc(v)}</li>" for v in STATUS_WORDS.values()) + "</ul></section>")
    settings = ", ".join(f"{k} = {v}" for k, v in result.settings.items())
    method = ('<section id="method"><h2>Method</h2><p>Simulated method of moments on the statistics of cop\'s own '
              'diagnosis, computed the same way on the observed log and on every simulated log: a pilot at the centre '
              'of the ranges gives each statistic\'s simulation spread (its weight is one over its variance, with a '
              'floor of 5 % of its size); a Latin hypercube design and a refinement around the first estimate feed a '
              'quadratic meta-model per statistic; the estimate minimises the weighted distance (Huber beyond 2 '
              'standard deviations); replicates at the estimate give the intervals above. See docs/calibration.md.'
              f'</p><p class="muted">Observed log: {esc(result.source)}. Base scenario: {esc(result.base)}. '
              f'Set from the log: {esc(settings)}. Diagnosis window: {esc(getattr(result, "lookback", ""))} days. '
              f'{result.budget} simulation runs, root seed {esc(result.root_seed)}.</p></section>')
    nav = [("reach", "What it cannot reproduce"), ("estimates", "Estimates"), ("statistics", "Statistics"),
           ("method", "Method")]
    footer = f"Made with cop {esc(__version__)}. This file is self-contained: it works offline and sends nothing anywhere."
    return page(title or "Calibration report", f"{esc(result.base)} fitted to {esc(result.source)}", nav,
                head + est_html + stat_html + method, footer)


def calibration_report(result: Any, path: str | os.PathLike[str], *, title: str | None = None) -> Path:
    """Write :func:`render_calibration` to ``path`` atomically and return the path."""
    return atomic_write_text(Path(path), render_calibration(result, title=title))
