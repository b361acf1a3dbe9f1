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

__all__ = ["simulate", "experiment", "register", "ExecutorChoice", "SamplerChoice"]


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
    output: Annotated[Path, typer.Option("--output", "-o", help="Output directory: DIR/rep-000/activities.csv, ..., DIR/summary.csv and DIR/scenario.json (the scenario, seeds and provenance).")],
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
             "replicate_seeds": seeds, "provenance": ex.provenance}, indent=2, default=str) + "\n")
    for row in ex.failures.itertuples():
        from cop.cli.common import err_console

        err_console.print(f"[bold red]replicate {row.replicate} failed[/] (seed {row.seed}): {row.error.splitlines()[0]}",
                          soft_wrap=True)
    ok = replicates - len(ex.failures)
    console.print(f"wrote {ok} replicate(s) of {sc.name!r} to {output}/rep-000.. (root seed {entropy}); "
                  f"summary in {output / 'summary.csv'}")
    if len(ex.failures):
        raise typer.Exit(code=1)


class SamplerChoice(str, Enum):
    """Built-in design samplers."""

    lhs = "lhs"
    sobol = "sobol"
    morris = "morris"


def _experiment_scenarios(scenarios: list[str], baseline: str | None, interventions: list[str],
                          settings: list[str]) -> tuple[dict, str]:
    """The compared scenarios (label -> Scenario, the baseline first) and the baseline's label.

    ``--baseline`` names one of ``scenarios`` (by argument, name or label) or
    another scenario, which is then added in front; ``--intervention`` adds the
    baseline plus each intervention; ``--set`` changes every scenario (or, for
    ``NAME.param``, an added intervention).
    """
    from scenarios import load_scenario
    from simulation.variants import split_settings, with_intervention

    per_iv, scenario_keys = split_settings(settings, interventions)
    loaded = [(arg, load_scenario(arg)) for arg in scenarios]
    if baseline is not None and not any(baseline in (arg, sc.name) for arg, sc in loaded):
        loaded.insert(0, (baseline, load_scenario(baseline)))
    if baseline is not None:
        loaded.sort(key=lambda item: baseline not in (item[0], item[1].name))  # stable: the baseline first
    named: dict = {}
    for arg, sc in loaded:
        if scenario_keys:
            sc = sc.with_params(scenario_keys, source="--set")
        label = sc.name if sc.name not in named else f"{sc.name}-{len(named)}"
        named[label] = sc
    base_label = next(iter(named))
    for name in interventions:
        variant = with_intervention(named[base_label], name, per_iv.get(name))
        named[variant.name] = variant
    return named, base_label


def _design(design: Path | None, sample: SamplerChoice | None, samples: int, ranges: list[str], sweep: list[str],
            base_scenario, seed: int):
    """The experiment's design (a file or a sampler), or ``None``; the options are checked first."""
    from cop.exceptions import ConfigError
    from simulation.design import parse_range, read_design, sample_design

    given = [name for name, on in (("--sweep", bool(sweep)), ("--design", design is not None),
                                   ("--sample", sample is not None)) if on]
    if len(given) > 1:
        raise ConfigError(f"options {' and '.join(given)} both give the points; use one of them")
    if ranges and sample is None:
        raise ConfigError("option '--range' needs --sample lhs|sobol|morris")
    if design is not None:
        return read_design(design, base_scenario)
    if sample is None:
        return None
    if not ranges:
        raise ConfigError(f"option '--sample {sample.value}' needs at least one --range KEY=LO:HI")
    parsed = dict(parse_range(r) for r in ranges)
    if sample is not SamplerChoice.lhs:
        from simulation.sensitivity import require_salib

        require_salib()  # before any run: the indices need it
    d = sample_design(sample.value, parsed, samples, seed=seed, scenario=base_scenario)
    for extreme in ("min", "max"):  # a range outside a key's allowed values fails here, before any run
        base_scenario.with_params({k: getattr(d.points[k], extreme)().item() for k in d.keys}, source="--range")
    return d


def experiment(
    scenarios: Annotated[list[str], typer.Argument(help="Scenarios to compare: library names or .toml paths.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Results file (.csv or .parquet); the summary goes to *_summary.csv next to it.")],
    intervention: Annotated[
        Optional[list[str]],
        typer.Option("--intervention", metavar="NAME", help="Add the baseline plus this intervention (its defaults; change them with --set NAME.KEY=VALUE); repeatable."),
    ] = None,
    set_: Annotated[
        Optional[list[str]],
        typer.Option("--set", metavar="KEY=VALUE", help="KEY=VALUE: a scenario key on every scenario (manager.hours_per_week=30), or NAME.KEY of an --intervention; repeatable."),
    ] = None,
    baseline: Annotated[
        Optional[str],
        typer.Option("--baseline", metavar="NAME", help="Reference scenario (name or .toml; added if not among the scenarios). Default: the first, at its own defaults."),
    ] = None,
    sweep: Annotated[
        Optional[list[str]],
        typer.Option("--sweep", metavar="KEY=SPEC", help="Sweep a key: KEY=START:STOP:STEP or KEY=V1,V2 (e.g. manager.hours_per_week=10:40:5); twice for a grid."),
    ] = None,
    design: Annotated[
        Optional[Path],
        typer.Option("--design", metavar="POINTS.csv", help="CSV of points: one row per point, columns are scenario keys (from SALib, EMA Workbench or by hand)."),
    ] = None,
    sample: Annotated[
        Optional[SamplerChoice],
        typer.Option("--sample", help="Sample the points: lhs (Latin hypercube), sobol (Saltelli, Sobol indices), morris (Morris indices)."),
    ] = None,
    samples: Annotated[int, typer.Option("--samples", min=2, metavar="N", help="Points (lhs), base points N (sobol: N(D+2) points) or trajectories (morris: N(D+1)).")] = 64,
    range_: Annotated[
        Optional[list[str]], typer.Option("--range", metavar="KEY=LO:HI", help="KEY=LO:HI, a sampled key and its range; repeatable.")
    ] = None,
    replicates: ReplicatesOpt = 5,
    seed: SeedOpt = None,
    years: YearsOpt = None,
    executor: ExecutorOpt = ExecutorChoice.auto,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    max_runs: MaxRunsOpt = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip the runs an interrupted experiment with the same output already finished.")] = False,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write an HTML comparison report (e.g. comparison.html).")] = None,
    progress: ProgressOpt = True,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Compare scenarios, interventions, sweeps and designs with replicates under common random numbers."""
    from cop.cli.common import check_outputs, console, err_console, user_errors

    if output.suffix not in (".csv", ".parquet"):
        _fail(f"option '--output': {output.name!r} must end in .csv or .parquet")
    with user_errors(debug):
        from simulation.experiment import MAX_RUNS, parse_sweep, replicate_seeds, run_experiment

        check_outputs({"--output": output, "--report": report},
                      [Path(s) for s in [*scenarios, baseline or "", design or ""] if s and Path(s).is_file()],
                      mkdir=mkdir)
        max_runs = MAX_RUNS if max_runs is None else max_runs
        grid = dict(parse_sweep(s, max_values=max_runs) for s in (sweep or []))
        _, entropy = replicate_seeds(seed, 1)
        root = entropy if seed is None else seed
        named, base_label = _experiment_scenarios(list(scenarios), baseline, list(intervention or []), list(set_ or []))
        points = _design(design, sample, samples, list(range_ or []), list(sweep or []), named[base_label], root)
        ex = run_experiment(
            named, sweep=(points.records() if points is not None else grid or None), replicates=replicates,
            seed=root, years=years, executor=executor.value, scheduler=scheduler, workers=workers, progress=progress,
            on_error="collect", max_runs=max_runs, baseline=base_label,
            store=output.with_name(output.stem + ".runs"), resume=resume,
            record={"design": points.describe() if points is not None else None, "sweep": list(sweep or []),
                    "interventions": list(intervention or []), "set": list(set_ or [])},
        )
        if points is not None and points.method in ("sobol", "morris") and len(ex.results):
            from simulation.metrics import METRIC_NAMES
            from simulation.sensitivity import experiment_sensitivity

            ex.sensitivity = experiment_sensitivity(ex.results, points, list(METRIC_NAMES), seed=int(root) % 2**32)
        path, spath = ex.write(output)
        if report is not None:
            from cop.report import comparison_report

            comparison_report(ex, report)
    for row in ex.failures.itertuples():
        err_console.print(
            f"[bold red]failed:[/] scenario {row.scenario!r} {row.parameters} replicate {row.replicate} "
            f"seed {row.seed}: {row.error.splitlines()[0]}", soft_wrap=True)
    n_ok = ex.results.groupby(["scenario", "parameters", "replicate"]).ngroups if len(ex.results) else 0
    console.print(f"wrote {path} ({n_ok} runs, {len(ex.results):,} rows) and {spath} (root seed {root}, "
                  f"baseline {base_label!r}); finished runs kept in {output.stem}.runs/ for --resume")
    if ex.sensitivity is not None:
        console.print(f"wrote {path.with_name(path.stem + '_sensitivity.csv')} ({points.method} indices)")
    if report is not None:
        console.print(f"wrote {report}")
    if len(ex.failures):
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Attach ``simulate`` and ``experiment`` to the ``cop`` app."""
    app.command("simulate")(simulate)
    app.command("experiment")(experiment)
