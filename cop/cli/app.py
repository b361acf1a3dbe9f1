"""The ``cop`` typer application and the foundation commands ``validate`` and ``graph``.

Later commands (``diagnose``, ``report``, ``simulate``, ``experiment``, ``demo``)
live in their own modules and register themselves here.

Examples
--------
>>> from typer.testing import CliRunner
>>> result = CliRunner().invoke(app, ["validate", "--help"])
>>> result.exit_code
0
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.table import Table
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

try:  # typer >= 0.2x carries its own copy of click
    from typer import _click as click
except ImportError:  # pragma: no cover - older typer on click
    import click  # type: ignore[no-redef]

from cop._version import __version__
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
    input_options,
    print_warnings,
    usage_error,
    user_errors,
)
from cop.exceptions import ConfigError
from cop.graph import GRAPH_FORMATS, interaction_graph
from cop.summary import FORMATS
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES

__all__ = ["app", "main", "CopCommand", "CopGroup"]


class CopCommand(TyperCommand):
    """A typer command whose help reads like click's: ``ACTIVITIES`` in the usage line, flags without a type.

    Examples
    --------
    >>> from typer.testing import CliRunner
    >>> out = CliRunner().invoke(app, ["graph", "--help"], terminal_width=200).output
    >>> "[OPTIONS] ACTIVITIES" in out, "<bool>" in out
    (True, False)
    """

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = (param.metavar or param.name or "").upper()
                name = name if param.required else f"[{name}]"
                pieces.append(name + ("..." if param.nargs != 1 else ""))
        return pieces

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
                param.metavar = ""  # a flag takes no value: show no type beside it
            elif isinstance(param, TyperArgument) and param.metavar is None:
                param.metavar = (param.name or "").upper()

    def get_help_option(self, ctx: click.Context):  # noqa: ANN201 - click's Option
        option = super().get_help_option(ctx)
        if option is not None and option.metavar is None:
            option.metavar = ""
        return option


class CopGroup(TyperGroup):
    """The ``cop`` group: its flags (``--version``, ``--help``) shown without a type, like the commands'."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
                param.metavar = ""

    def get_help_option(self, ctx: click.Context):  # noqa: ANN201 - click's Option
        option = super().get_help_option(ctx)
        if option is not None and option.metavar is None:
            option.metavar = ""
        return option


app = typer.Typer(
    cls=CopGroup,
    name="cop",
    help="Diagnose and simulate the health of communities of practice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"cop {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """cop: participation levels, life-cycle phases and health of communities of practice."""


#: ``--format`` choices, derived from the library's tuple.
OutputFormat = Enum("OutputFormat", {f: f for f in FORMATS}, type=str)


@app.command(cls=CopCommand)
@input_options
def validate(
    inputs: InputOptions,
    format: Annotated[OutputFormat, typer.Option("--format", help="Output as a table (text) or JSON.")] = OutputFormat("text"),
    debug: DebugOpt = False,
) -> None:
    """Check input files and print a summary; exit 1 with one clear line when they are not valid."""
    with user_errors(debug):
        log = inputs.load()
    summary = log.summary()
    if format.value == "json":
        console.print_json(json.dumps(summary))
        return
    print_warnings(log)
    table = Table(title=f"{inputs.activities.name}: valid", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("participation rows", f"{summary['rows']:,}")
    table.add_row("members", f"{summary['members']:,}" + (f" (of {summary['listed_members']:,} listed)" if summary["listed_members"] is not None else ""))
    table.add_row("coordinators", str(summary["coordinators"]))
    table.add_row("outsiders", str(summary["outsiders"]))
    table.add_row("activities", f"{summary['activities']:,}")
    table.add_row("organizations", "unknown (no members table)" if summary["organizations"] is None else str(summary["organizations"]))
    table.add_row("time span", f"{summary['start'][:10]} to {summary['end'][:10]} ({summary['days']} days)")
    for kind, n in summary["kinds"].items():
        table.add_row(f"  {kind}", f"{n:,}")
    for name, a in summary.get("sources", {}).items():  # the audit of each input
        table.add_row(f"source {name}", f"{a['rows']:,} rows, {a['accounts']:,} accounts, {a['merged']:,} merged, "
                      f"{a['bots_dropped']:,} bots dropped, {a['filtered']:,} rows filtered by status")
    table.add_row("warnings", str(len(summary["warnings"])))
    console.print(table)


def _endings(formats: tuple[str, ...]) -> str:
    """``.a, .b or .c``."""
    ends = [f".{f}" for f in formats]
    return ", ".join(ends[:-1]) + " or " + ends[-1]


@app.command(cls=CopCommand)
@input_options
@analysis_options("lookback", lookback=None)
def graph(
    inputs: InputOptions,
    analysis: AnalysisOptions,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: .graphml or .gexf (Gephi), or .csv edge list.")],
    start: Annotated[Optional[str], typer.Option("--start", help="First day of the window (inclusive).")] = None,
    end: Annotated[Optional[str], typer.Option("--end", help="Day after the window (exclusive); with --lookback, default the day after the last activity.")] = None,
    half_life: Annotated[Optional[float], typer.Option("--half-life", help="Decay ties with this half-life in days, counted back from --end.")] = None,
    discount: Annotated[str, typer.Option("--discount", help="Group-size discount: newman (1/(n-1)), log or none.")] = "newman",
    max_group_size: MaxGroupSizeOpt = MAX_GROUP_SIZE,
    max_ties: MaxTiesOpt = MAX_TIES,
    pseudonymize: PseudonymizeOpt = False,
    salt: SaltOpt = None,
    mkdir: MkdirOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Build the weighted member-by-member interaction graph and write it for Gephi or as an edge list."""
    with user_errors(debug):
        if output.suffix.lower().lstrip(".") not in GRAPH_FORMATS:
            raise ConfigError(f"option '--output': {output.name!r} must end in {_endings(GRAPH_FORMATS)}")
        check_outputs({"--output": output}, inputs.paths, mkdir=mkdir)
        log = inputs.load(pseudonymize=pseudonymize, salt=salt)
        print_warnings(log)
        if analysis.lookback is not None:
            if start is not None:
                raise ConfigError("options '--start' and '--lookback' both set the window's start", hint="give one of them")
            from cop.kernel.periods import resolve_as_of

            start = resolve_as_of(log, end) - pd.Timedelta(days=analysis.lookback)
        g = interaction_graph(log, start, end, half_life=half_life, discount=discount,
                              max_group_size=max_group_size, max_ties=max_ties)
        g.write(output)
    console.print(f"wrote {output} ({len(g):,} members, {g.n_edges:,} ties, density {g.density:.3f})")


def _register_optional() -> None:
    """Attach commands whose modules exist (diagnosis, report, simulation)."""
    import importlib

    for name in ("cop.cli.diagnose_cmd", "cop.cli.report_cmd", "cop.cli.simulate_cmd", "cop.cli.presets_cmd",
                 "cop.cli.match_cmd", "cop.cli.calibrate_cmd"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)
    for info in app.registered_commands:  # every command reads its help the same way
        if info.cls is None or info.cls is TyperCommand:
            info.cls = CopCommand


_register_optional()


def main(args: list[str] | None = None) -> None:
    """Entry point of the ``cop`` console script: usage errors are one ``error:`` line, a hint, and exit code 1.

    Examples
    --------
    >>> try:
    ...     main(["diagnose", "--bogus"])
    ... except SystemExit as exc:
    ...     exc.code
    1
    """
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="cop", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        sys.exit(usage_error(exc))
    except typer.Abort:
        console.print("aborted", style="red")
        sys.exit(130)
    except click.exceptions.ClickException as exc:  # pragma: no cover - other click errors (e.g. a closed pipe)
        exc.show()
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
