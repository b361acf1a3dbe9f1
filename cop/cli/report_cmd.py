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
    DebugOpt,
    InputOptions,
    MkdirOpt,
    MaxGroupSizeOpt,
    MaxTiesOpt,
    PseudonymizeOpt,
    SaltOpt,
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

__all__ = ["register", "report", "demo"]

TitleOpt = Annotated[Optional[str], typer.Option("--title", help="Title of the report page.")]


def _summary(diagnosis) -> None:
    """The diagnosis as rich tables (the same as ``cop diagnose``)."""
    from cop.cli.diagnose_cmd import render_text

    render_text(diagnosis, console)


@input_options
@analysis_options()
def report(
    inputs: InputOptions,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write (self-contained, opens offline).")],
    analysis: AnalysisOptions,
    title: TitleOpt = None,
    max_group_size: MaxGroupSizeOpt = MAX_GROUP_SIZE,
    max_ties: MaxTiesOpt = MAX_TIES,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the diagnosis as JSON to this file.")] = None,
    previous: Annotated[Optional[Path], typer.Option(
        "--previous", help="An earlier diagnosis (cop diagnose --format json, or a report written by cop report): "
                           "the report says what changed since.")] = None,
    pseudonymize: PseudonymizeOpt = False,
    salt: SaltOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Diagnose the exports and write one self-contained HTML health report (plots, indicators, what to try)."""
    from cop.diagnosis import diagnose
    from cop.report import write_report
    from cop.report.changes import read_previous

    with user_errors(debug):
        if output.suffix.lower() not in (".html", ".htm"):
            raise ConfigError(f"option '--output': {output.name!r} must end in .html")
        check_outputs({"--output": output, "--json": json_out}, [*inputs.paths, previous], mkdir=mkdir)
        before = read_previous(previous) if previous is not None else None
        log = inputs.load(pseudonymize=pseudonymize, salt=salt)
        print_warnings(log)
        with err_console.status("Diagnosing…"):
            d = diagnose(log, **analysis.diagnose_kwargs(), max_group_size=max_group_size, max_ties=max_ties)
        with err_console.status("Drawing the report…"):
            write_report(d, output, title=title, previous=before, pseudonymized=pseudonymize)
        if json_out is not None:
            d.to_json(json_out)
    console.print(f"[bold]{d.phase}[/] phase (confidence {d.phase_confidence:.0%}); "
                  f"{int((d.indicators['status'] == 'critical').sum())} critical and "
                  f"{int((d.indicators['status'] == 'watch').sum())} watch indicators")
    console.print(f"wrote {output}" + (f" and {json_out}" if json_out is not None else ""), soft_wrap=True)


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
            html_path = write_report(d, output / "report.html", title="Kallio Hub (example): community health report",
                                     pseudonymized=pseudonymize)
            json_path = output / "diagnosis.json"
            d.to_json(json_path)
    _summary(d)
    console.print(f"\n[bold green]report:[/] {html_path.resolve()}  (open it in a browser; it works offline)", soft_wrap=True)
    console.print(f"[bold green]JSON:[/]   {json_path.resolve()}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Attach ``report`` and ``demo`` to the ``cop`` app."""
    app.command("report")(report)
    app.command("demo")(demo)
