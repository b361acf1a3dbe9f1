"""``cop diagnose``: participation levels, life-cycle phase, health indicators and recommendations.

Examples
--------
>>> from typer.testing import CliRunner
>>> from cop.cli import app
>>> CliRunner().invoke(app, ["diagnose", "--help"]).exit_code
0
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from cop._atomic import atomic_write_text
from cop.cli.common import (
    DebugOpt,
    InputOptions,
    MkdirOpt,
    PseudonymizeOpt,
    SaltOpt,
    check_outputs,
    console,
    err_console,
    input_options,
    print_warnings,
    user_errors,
)

__all__ = ["register", "render_text"]

_STATUS_STYLE = {"critical": "bold red", "watch": "yellow", "healthy": "green", "not_available": "dim"}


class DiagnoseFormat(str, Enum):
    text = "text"
    json = "json"


class Naming(str, Enum):
    wenger1998 = "1998"
    wenger2002 = "2002"


class Method(str, Enum):
    combined = "combined"
    activity_share = "activity_share"
    network = "network"
    kcore = "kcore"


def _v(x: float) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x:.3g}"


def render_text(d, out_console=None, top: int = 5) -> None:
    """Print a diagnosis as rich tables: phase and evidence, levels, weak indicators, recommendations."""
    c = out_console or console
    c.print(f"[bold]cop diagnosis[/] of {d.source} as of {d.as_of:%Y-%m-%d} ({d.lookback}-day window, periods {d.freq})")
    c.print(f"\n[bold]Phase:[/] [cyan]{d.phase}[/] (confidence {d.phase_confidence:.2f})")
    for e in d.phase_evidence:
        c.print(f"  • {e}")
    lv = Table(title="Participation levels", title_justify="left")
    for col, just in (("level", "left"), ("members", "right"), ("share", "right"), ("reference (Wenger 2002)", "right")):
        lv.add_column(col, justify=just)
    for r in d.level_counts.itertuples(index=False):
        share = "" if pd.isna(r.share) else f"{100 * r.share:.1f}%"
        ref = "" if pd.isna(r.reference_low) else f"{100 * r.reference_low:.0f}-{100 * r.reference_high:.0f}%"
        lv.add_row(r.level, str(r.count), share, ref)
    c.print(lv)
    weak = d.weak_indicators
    ind = Table(title=f"Weak indicators ({len(weak)} of {len(d.indicators)})", title_justify="left")
    ind.add_column("status", no_wrap=True)
    ind.add_column("indicator", no_wrap=True)
    ind.add_column("value", no_wrap=True, justify="right")
    ind.add_column("why it matters", overflow="fold", ratio=1)
    for r in weak.itertuples(index=False):
        ind.add_row(f"[{_STATUS_STYLE[r.status]}]{r.status}[/]", r.name, _v(r.value), r.explanation)
    if weak.empty:
        ind.add_row("[green]healthy[/]", "all indicators", "", "nothing weak")
    c.print(ind)
    na = d.indicators[d.indicators["status"] == "not_available"]
    if len(na):
        c.print("[dim]not available: " + "; ".join(f"{n} ({r})" for n, r in zip(na["name"], na["reason"])) + "[/]")
    rec = Table(title="Recommendations", title_justify="left")
    rec.add_column("#", no_wrap=True)
    rec.add_column("intervention", no_wrap=True)
    rec.add_column("for", overflow="fold")
    rec.add_column("rationale", overflow="fold", ratio=1)
    for r in d.recommendations.head(top).itertuples(index=False):
        rec.add_row(str(r.rank), f"[bold]{r.intervention}[/]", f"{r.indicator} ({r.status})", r.rationale)
    c.print(rec)
    if len(d.patterns):
        counts = d.patterns["pattern"].value_counts()
        c.print("[bold]Patterns:[/] " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def register(app: typer.Typer) -> None:
    """Add the ``diagnose`` command to the application."""

    @app.command()
    @input_options
    def diagnose(
        inputs: InputOptions,
        as_of: Annotated[Optional[str], typer.Option("--as-of", help="End of the diagnosis window (exclusive); default the day after the last activity.")] = None,
        lookback: Annotated[int, typer.Option("--lookback", min=1, help="Days in the current window.")] = 90,
        freq: Annotated[str, typer.Option("--freq", help="Period of the timeline (pandas offset: MS monthly, QS quarterly, W-MON weekly).")] = "MS",
        method: Annotated[Method, typer.Option("--method", help="Level classification method.")] = Method.combined,
        naming: Annotated[Naming, typer.Option("--naming", help="Phase names: Wenger 1998 or Wenger et al. 2002.")] = Naming.wenger1998,
        format: Annotated[DiagnoseFormat, typer.Option("--format", help="Output as tables (text) or JSON.")] = DiagnoseFormat.text,
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the output to this file (atomically) instead of the terminal.")] = None,
        pseudonymize: PseudonymizeOpt = False,
        salt: SaltOpt = None,
        mkdir: MkdirOpt = False,
        debug: DebugOpt = False,
    ) -> None:
        """Diagnose a community: participation levels, life-cycle phase, health indicators, recommendations."""
        from cop.diagnosis import diagnose as run

        with user_errors(debug):
            check_outputs({"--output": output}, inputs.paths, mkdir=mkdir)
            log = inputs.load(pseudonymize=pseudonymize, salt=salt)
            print_warnings(log)
            with err_console.status("Diagnosing…"):
                d = run(log, as_of=as_of, lookback=lookback, freq=freq, method=method.value, naming=naming.value)
            if format is DiagnoseFormat.json:
                text = d.to_json()
                if output is not None:
                    atomic_write_text(output, text + "\n")
                else:
                    typer.echo(text)
            else:
                if output is not None:
                    import io

                    from rich.console import Console

                    file_console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
                    render_text(d, file_console)
                    atomic_write_text(output, file_console.export_text())
                else:
                    render_text(d)
        if output is not None:
            console.print(f"wrote {output}")
