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

import typer
from rich.markup import escape
from rich.table import Table

from cop._atomic import atomic_write_text
from cop.kernel.projection import MAX_GROUP_SIZE, MAX_TIES
from cop.cli.common import (
    DebugOpt,
    InputOptions,
    MkdirOpt,
    MaxGroupSizeOpt,
    MaxTiesOpt,
    PseudonymizeOpt,
    SaltOpt,
    check_outputs,
    console,
    err_console,
    input_options,
    print_warnings,
    user_errors,
)
from cop.lifecycle import NAMINGS
from cop.participation.classifier import METHODS
from cop.summary import FORMATS, summary_sections

__all__ = ["register", "render_text"]

_STATUS_STYLE = {"critical": "bold red", "watch": "yellow", "healthy": "green", "not_available": "dim"}

# choices derived from the library's tuples, so a new method or naming is a CLI choice at once
DiagnoseFormat = Enum("DiagnoseFormat", {f: f for f in FORMATS}, type=str)
Naming = Enum("Naming", {f"wenger{n}": n for n in NAMINGS}, type=str)
Method = Enum("Method", {m: m for m in METHODS}, type=str)


def render_text(d, out_console=None, top: int = 5) -> None:
    """Print a diagnosis as rich tables: the sections of :func:`cop.summary.summary_sections`, formatted."""
    c = out_console or console
    for i, section in enumerate(summary_sections(d, top)):
        if i:
            c.print()
        if section.rows:
            table = Table(title=section.title, title_justify="left")
            for k, name in enumerate(section.columns):
                last = k == len(section.columns) - 1
                table.add_column(name, overflow="fold", ratio=1 if last else None, no_wrap=not last)
            for row in section.rows:
                cells = [escape(x) for x in row]
                if section.status_column is not None:
                    k = section.status_column
                    cells[k] = f"[{_STATUS_STYLE.get(row[k], '')}]{cells[k]}[/]"
                table.add_row(*cells)
            c.print(table)
        else:
            c.print(f"[bold]{escape(section.title)}[/]")  # a heading, or a table with no rows: its notes say why
        for note in section.notes:
            c.print(f"  • {escape(note)}" if section.bullets else f"  [dim]{escape(note)}[/]")


def register(app: typer.Typer) -> None:
    """Add the ``diagnose`` command to the application."""

    @app.command()
    @input_options
    def diagnose(
        inputs: InputOptions,
        as_of: Annotated[Optional[str], typer.Option("--as-of", help="End of the diagnosis window (exclusive); default the day after the last activity.")] = None,
        lookback: Annotated[Optional[int], typer.Option("--lookback", min=1, help="Days in the current window; default from the community's own timescale (three return times, 90-360 days).")] = None,
        freq: Annotated[str, typer.Option("--freq", help="Period of the timeline (pandas offset: MS monthly, QS quarterly, W-MON weekly).")] = "MS",
        method: Annotated[Method, typer.Option("--method", help="Level classification method.")] = Method("combined"),
        naming: Annotated[Naming, typer.Option("--naming", help="Phase names: Wenger 1998 or Wenger et al. 2002.")] = Naming("1998"),
        max_group_size: MaxGroupSizeOpt = MAX_GROUP_SIZE,
        max_ties: MaxTiesOpt = MAX_TIES,
        format: Annotated[DiagnoseFormat, typer.Option("--format", help="Output as tables (text) or JSON.")] = DiagnoseFormat("text"),
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
                d = run(log, as_of=as_of, lookback=lookback, freq=freq, method=method.value, naming=naming.value,
                        max_group_size=max_group_size, max_ties=max_ties)
            if format.value == "json":
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
