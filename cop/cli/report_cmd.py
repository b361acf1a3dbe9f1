"""``cop report`` (the HTML health report of one's own exports) and ``cop demo`` (the bundled example).

Examples
--------
>>> from typer.testing import CliRunner
>>> from cop.cli import app
>>> CliRunner().invoke(app, ["report", "--help"]).exit_code, CliRunner().invoke(app, ["demo", "--help"]).exit_code
(0, 0)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cop.cli.common import (
    AnalysisOptions,
    ByOpt,
    SpacesOpt,
    SpaceWorkersOpt,
    DebugOpt,
    InputOptions,
    MkdirOpt,
    MaxGroupSizeOpt,
    MaxTiesOpt,
    PseudonymizeOpt,
    SaltOpt,
    SettingsOpt,
    analysis_options,
    check_outputs,
    console,
    note_default_salt,
    err_console,
    input_options,
    print_warnings,
    user_errors,
)
from cop.exceptions import ConfigError
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES
from cop.settings import read_settings

__all__ = ["register", "report", "demo"]

TitleOpt = Annotated[Optional[str], typer.Option("--title", help="Title of the report page.")]
#: Simulation runs of ``cop report --calibrate`` (a small, bounded calibration; ``cop calibrate`` does more).
REPORT_CALIBRATION_BUDGET = 24
#: The parameters ``cop report --calibrate`` fits (with their default ranges): the size, the inflow and the mixing.
REPORT_CALIBRATION_FIT = ("arrivals.initial_members", "arrivals.per_month", "encounters.conversations_per_day")


def _summary(diagnosis) -> None:
    """The diagnosis as rich tables (the same as ``cop diagnose``)."""
    from cop.cli.diagnose_cmd import render_text

    render_text(diagnosis, console)


@input_options
@analysis_options()
def report(
    inputs: InputOptions,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write (self-contained, opens offline); "
                                         "with --by space, a folder (index.html and one page per space).")],
    analysis: AnalysisOptions,
    title: TitleOpt = None,
    max_group_size: MaxGroupSizeOpt = MAX_GROUP_SIZE,
    max_ties: MaxTiesOpt = MAX_TIES,
    settings: SettingsOpt = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the diagnosis as JSON to this file.")] = None,
    previous: Annotated[Optional[Path], typer.Option(
        "--previous", help="An earlier diagnosis (cop diagnose --format json, or a report written by cop report): "
                           "the report says what changed since. With --by space: the JSON of cop diagnose --by space "
                           "--format json (or cop report --by space --json), or the folder of cop report --by space.")] = None,
    pseudonymize: PseudonymizeOpt = False,
    salt: SaltOpt = None,
    baseline: Annotated[Optional[Path], typer.Option(
        "--baseline", help="A scenario fitted to this log (cop calibrate -o fitted.toml): the recommendations' "
                           "commands test each idea on it instead of a generic coworking space.")] = None,
    calibrate: Annotated[bool, typer.Option(
        "--calibrate", help=f"First fit a scenario to this log ({REPORT_CALIBRATION_BUDGET} simulation runs; writes "
                            "<output>_fitted.toml and its calibration report) and use it as --baseline.")] = False,
    mkdir: MkdirOpt = False,
    by: ByOpt = None,
    spaces: SpacesOpt = None,
    workers: SpaceWorkersOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Diagnose the exports and write one self-contained HTML health report (plots, indicators, what to try)."""
    from cop.cli.network_cmd import check_by, report_network_command
    from cop.diagnosis import diagnose
    from cop.report import write_report
    from cop.report.changes import read_previous

    with user_errors(debug):
        if check_by(by, spaces, workers) is not None:
            if output.suffix.lower() in (".html", ".htm"):
                raise ConfigError(f"option '--output': with --by space the report is a folder (index.html and one page "
                                  f"per space), not the file {output.name!r}", hint=f"-o {output.with_suffix('')}")
            if output.exists() and not output.is_dir():
                raise ConfigError(f"option '--output': {str(output)!r} exists and is not a folder; with --by space "
                                  "the report is a folder (index.html and one page per space)")
            check_outputs({"--output": output, "--json": json_out}, [*inputs.paths, spaces], mkdir=mkdir)
            from cop.report.network import read_previous_network

            if previous is not None:
                read_previous_network(previous)  # a bad file stops before the data are read
            own = read_settings(settings) if settings is not None else None
            log = inputs.load(pseudonymize=pseudonymize, salt=salt)
            print_warnings(log)
            report_network_command(log, spaces, {**analysis.diagnose_kwargs(), "max_group_size": max_group_size,
                                                 "max_ties": max_ties, "settings": own, "workers": workers}, output=output, title=title, json_out=json_out,
                                   pseudonymized=pseudonymize, previous=previous)
            return
        if output.suffix.lower() not in (".html", ".htm"):
            raise ConfigError(f"option '--output': {output.name!r} must end in .html")
        if baseline is not None and calibrate:
            raise ConfigError("options '--baseline' and '--calibrate' both give the baseline", hint="give one of them")
        fitted = output.with_name(output.stem + "_fitted.toml") if calibrate else None
        extra = {"--calibrate": fitted, "--calibrate report": fitted.with_name(fitted.stem + "_calibration.html"),
                 "--calibrate JSON": fitted.with_name(fitted.stem + "_calibration.json")} if fitted else {}
        check_outputs({"--output": output, "--json": json_out, **extra}, [*inputs.paths, previous, baseline], mkdir=mkdir)
        if baseline is not None:
            from scenarios import load_scenario

            load_scenario(baseline)  # a baseline that does not load is an error now, not in the reader's shell later
        before = read_previous(previous) if previous is not None else None
        own = read_settings(settings) if settings is not None else None  # a bad file stops before the data are read
        log = inputs.load(pseudonymize=pseudonymize, salt=salt)
        print_warnings(log)
        if fitted is not None:
            from cop.cli.calibrate_cmd import run_calibration

            err_console.print(f"calibrating a scenario to this log ({REPORT_CALIBRATION_BUDGET} simulation runs)…")
            run_calibration(log, scenario="baseline_coworking", fit=list(REPORT_CALIBRATION_FIT), budget=REPORT_CALIBRATION_BUDGET, seed=1,
                            output=fitted, report=extra["--calibrate report"], json_out=extra["--calibrate JSON"])
            baseline = fitted
        with err_console.status("Diagnosing…"):
            d = diagnose(log, **analysis.diagnose_kwargs(), max_group_size=max_group_size, max_ties=max_ties,
                    settings=own)
        with err_console.status("Choosing introductions…"):
            intros = _introductions(log, d, max_group_size)
        with err_console.status("Drawing the report…"):
            import json

            from cop._atomic import atomic_write_text
            from cop.provenance import input_provenance

            prov = input_provenance(inputs.paths, analysis.diagnose_kwargs(), pseudonymized=pseudonymize)
            write_report(d, output, title=title, previous=before, pseudonymized=pseudonymize, provenance=prov,
                         introductions=intros,
                         baseline=None if baseline is None else str(baseline))
        if json_out is not None:
            atomic_write_text(json_out, json.dumps({**d.to_dict(), "provenance": prov}, indent=2,
                                                   ensure_ascii=False, allow_nan=False) + "\n")
    console.print(f"[bold]{d.phase}[/] phase (confidence {d.phase_confidence:.0%}); "
                  f"{int((d.indicators['status'] == 'critical').sum())} critical and "
                  f"{int((d.indicators['status'] == 'watch').sum())} watch indicators")
    console.print(f"wrote {output}" + (f" and {json_out}" if json_out is not None else ""), soft_wrap=True)
    if baseline is None:
        console.print("the report's simulation commands use a generic coworking space; "
                      "--baseline fitted.toml (from cop calibrate) or --calibrate tests them on your own community",
                      soft_wrap=True)


def _introductions(log, diagnosis, max_group_size):
    """Suggestions for newcomers and members at the periphery, on the diagnosis's window (:mod:`cop.match`)."""
    import warnings

    from cop.exceptions import DataWarning
    from cop.match import suggest_introductions

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # the report's section says when there is nothing to suggest
        return suggest_introductions(log, who="peripheral", as_of=diagnosis.as_of, lookback=diagnosis.lookback,
                                     max_group_size=max_group_size)


def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for report.html and diagnosis.json.")] = Path("cop-demo"),
    pseudonymize: PseudonymizeOpt = False,
    salt: SaltOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Run the main job on the bundled coworking example: diagnose it and write the HTML report."""
    import cop
    from cop.diagnosis import diagnose
    from cop.report import write_report

    with user_errors(debug):
        # the output is a folder the command creates; its parent must exist (or --mkdir)
        if output.exists() and not output.is_dir():
            raise ConfigError(f"option '--output': {str(output)!r} exists and is not a folder")
        check_outputs({"--output": output}, [], mkdir=mkdir)
        with err_console.status("Loading the bundled coworking example…"):
            log = cop.load_example()
        if pseudonymize:
            from cop.privacy import pseudonymize as _pseudonymize

            note_default_salt(pseudonymize, salt)
            log = _pseudonymize(log, salt)
        with err_console.status("Diagnosing…"):
            d = diagnose(log)
        output.mkdir(exist_ok=True)
        with err_console.status("Drawing the report…"):
            import json

            from cop._atomic import atomic_write_text
            from cop.datasets import example_paths
            from cop.provenance import input_provenance

            # the same record as cop report and cop diagnose write: versions, the example's files and their
            # SHA-256, the options, the command line and the time (the demo runs no simulation: no scenario, no seed)
            prov = input_provenance(list(example_paths().values()), {"example": "coworking",
                                                                     "pseudonymize": pseudonymize},
                                    pseudonymized=pseudonymize)
            html_path = write_report(d, output / "report.html", title="Kallio Hub (example): community health report",
                                     pseudonymized=pseudonymize, provenance=prov,
                                     introductions=_introductions(log, d, MAX_GROUP_SIZE))
            json_path = output / "diagnosis.json"
            atomic_write_text(json_path, json.dumps({**d.to_dict(), "provenance": prov}, indent=2,
                                                    ensure_ascii=False, allow_nan=False) + "\n")
    _summary(d)
    console.print(f"\n[bold green]report:[/] {html_path.resolve()}  (open it in a browser; it works offline)", soft_wrap=True)
    console.print(f"[bold green]JSON:[/]   {json_path.resolve()}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Attach ``report`` and ``demo`` to the ``cop`` app."""
    app.command("report")(report)
    app.command("demo")(demo)
