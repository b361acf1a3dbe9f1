"""The ``cop simulate`` and ``cop experiment`` commands (a thin layer over :mod:`simulation`).

Examples
--------
>>> import typer
>>> from typer.testing import CliRunner
>>> app = typer.Typer()
>>> register(app)
>>> CliRunner().invoke(app, ["simulate", "--help"]).exit_code
0
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cop.cli.common import MkdirOpt, PseudonymizeOpt, SaltOpt

__all__ = ["simulate", "experiment", "register", "ExecutorChoice"]


class ExecutorChoice(str, Enum):
    """Where replicates run."""

    auto = "auto"
    sequential = "sequential"
    processes = "processes"
    dask = "dask"


ReplicatesOpt = Annotated[int, typer.Option("--replicates", "-n", min=1, help="Replicates per scenario (and sweep point).")]
SeedOpt = Annotated[
    Optional[int], typer.Option("--seed", "-s", help="Root seed; replicate seeds are spawned from it (default: random, printed).")
]
YearsOpt = Annotated[Optional[float], typer.Option("--years", "-y", help="Simulated years (overrides the scenario's space.years).")]
ExecutorOpt = Annotated[
    ExecutorChoice,
    typer.Option("--executor", "-e", help="sequential, processes (local), dask; auto = processes when several replicates."),
]
SchedulerOpt = Annotated[
    Optional[str], typer.Option("--scheduler", help="Address of a Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask).")
]
MaxRunsOpt = Annotated[
    Optional[int],
    typer.Option("--max-runs", min=1, show_default=False,
                 help="Most runs (scenarios x sweep points x replicates), checked before any starts (default 10,000)."),
]
WorkersOpt = Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Worker processes (default: CPU count).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")]
ProgressOpt = Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")]


class _WriteReplicate:
    """Metric function that also writes each replicate's files (picklable for worker processes)."""

    def __init__(self, dirs: dict[int, str], pseudonymize: bool = False, salt: str | None = None) -> None:
        self.dirs = dirs
        self.pseudonymize = pseudonymize
        self.salt = salt

    def __call__(self, result):
        from simulation.metrics import default_metrics

        log = None
        if self.pseudonymize:
            from cop.privacy import pseudonymize

            log = pseudonymize(result.log, self.salt)
        result.write(self.dirs[result.seed], log=log)
        return default_metrics(result)


def _fail(message: str) -> None:
    from cop.cli.common import err_console

    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code=1)


def _list_scenarios(value: bool) -> None:
    """``--list``: print the bundled scenarios and exit (before the required arguments are checked)."""
    if not value:
        return
    from cop.cli.common import console
    from scenarios import list_scenarios, load_scenario

    for name in list_scenarios():
        console.print(f"[bold]{name}[/]  {load_scenario(name).description}")
    raise typer.Exit()


def simulate(
    scenario: Annotated[str, typer.Argument(help="Scenario name from the library (see --list) or a .toml path.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output directory: DIR/rep-000/activities.csv, ... and DIR/summary.csv.")],
    replicates: ReplicatesOpt = 1,
    seed: SeedOpt = None,
    years: YearsOpt = None,
    executor: ExecutorOpt = ExecutorChoice.auto,
    workers: WorkersOpt = None,
    max_runs: MaxRunsOpt = None,
    list_: Annotated[bool, typer.Option("--list", callback=_list_scenarios, is_eager=True, expose_value=False,
                                        help="List the bundled scenarios and exit.")] = False,
    progress: ProgressOpt = True,
    pseudonymize: PseudonymizeOpt = False,
    salt: SaltOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Simulate a community and write each replicate's activity log, members and activities tables."""
    from cop.cli.common import check_outputs, console, note_default_salt, user_errors

    with user_errors(debug):
        from cop._atomic import atomic_write_text
        from cop.exceptions import ConfigError
        from scenarios import load_scenario
        from simulation.experiment import MAX_RUNS, replicate_seeds, run_experiment, summarize, write_table

        max_runs = MAX_RUNS if max_runs is None else max_runs
        seeds, entropy = replicate_seeds(seed, replicates, max_runs=max_runs)  # the seed and the count, before anything else
        # the output is a folder the command creates; its parent must exist (or --mkdir)
        if output.exists() and not output.is_dir():
            raise ConfigError(f"option '--output': {str(output)!r} exists and is not a folder",
                              hint="simulate writes a folder of replicates; give a new or existing folder name")
        check_outputs({"--output": output}, [], mkdir=mkdir)
        note_default_salt(pseudonymize, salt)
        sc = load_scenario(scenario)
        output.mkdir(exist_ok=True)
        dirs = {s: str(output / f"rep-{r:03d}") for r, s in enumerate(seeds)}
        ex = run_experiment(
            {sc.name: sc}, replicates=replicates, seed=entropy if seed is None else seed, years=years,
            executor=executor.value, workers=workers, metrics=_WriteReplicate(dirs, pseudonymize, salt), progress=progress,
            on_error="collect", max_runs=max_runs,
        )
        write_table(ex.results, output / "metrics.csv")
        write_table(summarize(ex.results), output / "summary.csv")
        used = sc if years is None else sc.with_params({"space.years": years})
        atomic_write_text(output / "scenario.json", json.dumps(
            {"scenario": used.model_dump(mode="json"), "root_seed": entropy,
             "replicate_seeds": seeds}, indent=2) + "\n")
    for row in ex.failures.itertuples():
        from cop.cli.common import err_console

        err_console.print(f"[bold red]replicate {row.replicate} failed[/] (seed {row.seed}): {row.error.splitlines()[0]}",
                          soft_wrap=True)
    ok = replicates - len(ex.failures)
    console.print(f"wrote {ok} replicate(s) of {sc.name!r} to {output}/rep-000.. (root seed {entropy}); "
                  f"summary in {output / 'summary.csv'}")
    if len(ex.failures):
        raise typer.Exit(code=1)


def experiment(
    scenarios: Annotated[list[str], typer.Argument(help="Scenarios to compare: library names or .toml paths.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results file (.csv or .parquet); the summary goes to *_summary.csv next to it.")],
    sweep: Annotated[
        Optional[list[str]],
        typer.Option("--sweep", help="Sweep a key: KEY=START:STOP:STEP or KEY=V1,V2 (e.g. manager.hours_per_week=10:40:5); twice for a grid."),
    ] = None,
    replicates: ReplicatesOpt = 5,
    seed: SeedOpt = None,
    years: YearsOpt = None,
    executor: ExecutorOpt = ExecutorChoice.auto,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    max_runs: MaxRunsOpt = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write an HTML comparison report (e.g. comparison.html).")] = None,
    progress: ProgressOpt = True,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Compare scenarios and sweep parameters with replicates under common random numbers."""
    from cop.cli.common import check_outputs, console, err_console, user_errors

    if output.suffix not in (".csv", ".parquet"):
        _fail(f"option '--output': {output.name!r} must end in .csv or .parquet")
    with user_errors(debug):
        from simulation.experiment import MAX_RUNS, parse_sweep, replicate_seeds, run_experiment

        check_outputs({"--output": output, "--report": report},
                      [Path(s) for s in scenarios if Path(s).is_file()], mkdir=mkdir)

        max_runs = MAX_RUNS if max_runs is None else max_runs
        grid = dict(parse_sweep(s, max_values=max_runs) for s in (sweep or []))
        _, entropy = replicate_seeds(seed, 1)
        ex = run_experiment(
            list(scenarios), sweep=grid or None, replicates=replicates, seed=entropy if seed is None else seed,
            years=years, executor=executor.value, scheduler=scheduler, workers=workers, progress=progress,
            on_error="collect", max_runs=max_runs,
        )
        path, spath = ex.write(output)
        if report is not None:
            from cop.report import comparison_report

            comparison_report(ex, report)
    for row in ex.failures.itertuples():
        err_console.print(
            f"[bold red]failed:[/] scenario {row.scenario!r} {row.parameters} replicate {row.replicate} "
            f"seed {row.seed}: {row.error.splitlines()[0]}", soft_wrap=True)
    n_ok = ex.results.groupby(["scenario", "parameters", "replicate"]).ngroups if len(ex.results) else 0
    console.print(f"wrote {path} ({n_ok} runs, {len(ex.results):,} rows) and {spath} (root seed {entropy})")
    if report is not None:
        console.print(f"wrote {report}")
    if len(ex.failures):
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Attach ``simulate`` and ``experiment`` to the ``cop`` app."""
    app.command("simulate")(simulate)
    app.command("experiment")(experiment)
