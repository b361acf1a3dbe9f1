"""``cop calibrate``: fit a scenario to a community's own log (a thin layer over :func:`simulation.calibrate`).

Examples
--------
>>> from typer.testing import CliRunner
>>> from cop.cli import app
>>> CliRunner().invoke(app, ["calibrate", "--help"]).exit_code
0
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from cop.cli.common import (
    DebugOpt,
    InputOptions,
    MkdirOpt,
    check_outputs,
    console,
    err_console,
    input_options,
    print_warnings,
    user_errors,
)
from cop.exceptions import ConfigError

__all__ = ["calibrate", "register", "run_calibration", "CalibrateExecutor"]


class CalibrateExecutor(str, Enum):
    """Where the simulation runs go."""

    auto = "auto"
    sequential = "sequential"
    processes = "processes"
    dask = "dask"


FitOpt = Annotated[Optional[list[str]], typer.Option(
    "--fit", help="A parameter to fit and its range, KEY=LO:HI (e.g. arrivals.per_month=1:10); repeat for several. "
                  "Default: founding members, applicants, conversations, event cadence, attendance, exit hazard.")]
BudgetOpt = Annotated[int, typer.Option("--budget", "-b", min=1, help="Simulation runs in all (the work is bounded by it).")]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", "-s", min=0, help="Root seed (default: random, recorded).")]
ScenarioOpt = Annotated[str, typer.Option("--scenario", help="Base scenario (library name or .toml); the fit extends it.")]


def run_calibration(log, *, scenario: str, fit, budget: int, seed, executor: str = "auto", workers=None,
                    progress: bool = True, output: Path, report: Path | None, json_out: Path | None,
                    scheduler: str | None = None):
    """Calibrate ``log``, write the fitted scenario, the HTML report and the JSON; print a summary. Returns the result."""
    from simulation.calibration import calibrate as _calibrate

    res = _calibrate(log, scenario=scenario, fit=fit, budget=budget, seed=seed, executor=executor, workers=workers,
                     progress=progress, scheduler=scheduler)
    res.to_toml(output)
    if report is not None:
        res.to_html(report)
    if json_out is not None:
        res.to_json(json_out)
    _print_summary(res)
    return res


def _print_summary(res) -> None:
    table = Table(title="Parameter estimates", title_justify="left")
    for col in ("parameter", "estimate", "standard error", "95 % interval", "note"):
        table.add_column(col, justify="right" if col in ("estimate", "standard error") else "left")
    for r in res.estimates.itertuples():
        table.add_row(r.parameter, f"{r.estimate:.4g}", f"{r.se:.3g}", f"{r.ci_low:.4g} to {r.ci_high:.4g}", r.note)
    console.print(table)
    st = res.statistics
    console.print(f"{int((st['status'] == 'matched').sum())} of {len(st)} statistics matched, "
                  f"{len(res.missed)} missed at the fit, {len(res.out_of_reach)} out of the model's reach.")
    warning = res.misspecification()
    if warning:
        err_console.print(f"[bold yellow]warning:[/] {escape(warning)}", soft_wrap=True)
    for w in res.warnings:
        err_console.print(f"[yellow]note:[/] {escape(w)}", soft_wrap=True)


@input_options
def calibrate(
    inputs: InputOptions,
    output: Annotated[Path, typer.Option("--output", "-o", help="The fitted scenario to write (.toml); it extends the base.")],
    scenario: ScenarioOpt = "baseline_coworking",
    fit: FitOpt = None,
    budget: BudgetOpt = 60,
    seed: SeedOpt = None,
    report: Annotated[Optional[Path], typer.Option(
        "--report", help="The calibration report (HTML); default: <output>_calibration.html beside the scenario.")] = None,
    json_out: Annotated[Optional[Path], typer.Option(
        "--json", help="The calibration as JSON; default: <output>_calibration.json beside the scenario.")] = None,
    executor: Annotated[CalibrateExecutor, typer.Option(
        "--executor", "-e", help="sequential, processes (local) or dask, as for cop experiment; auto = processes when "
                                 "there are several cores.")]
    = CalibrateExecutor.auto,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Address of a Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Worker processes (default: CPU count).")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show the stages and a progress bar.")] = True,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Fit a scenario to the exports so simulated logs look like them; report what the model cannot reproduce."""
    with user_errors(debug):
        if output.suffix.lower() != ".toml":
            raise ConfigError(f"option '--output': {output.name!r} must end in .toml (the fitted scenario)")
        report = report or output.with_name(output.stem + "_calibration.html")
        json_out = json_out or output.with_name(output.stem + "_calibration.json")
        if report.suffix.lower() not in (".html", ".htm"):
            raise ConfigError(f"option '--report': {report.name!r} must end in .html")
        check_outputs({"--output": output, "--report": report, "--json": json_out},
                      [*inputs.paths, Path(scenario) if scenario.endswith(".toml") else None], mkdir=mkdir)
        log = inputs.load()
        print_warnings(log)
        run_calibration(log, scenario=scenario, fit=fit, budget=budget, seed=seed, executor=executor.value,
                        workers=workers, progress=progress, output=output, report=report, json_out=json_out,
                        scheduler=scheduler)
    console.print(f"wrote {output}, {report} and {json_out}", soft_wrap=True)
    console.print(f"next: test the recommendations on it with  cop report {inputs.activities} --baseline {output} "
                  "-o report.html", soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    """Attach ``calibrate`` to the ``cop`` app."""
    app.command("calibrate")(calibrate)
