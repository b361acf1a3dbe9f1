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
from cop.settings import read_settings
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
    err_console,
    input_options,
    print_warnings,
    user_errors,
)
from cop.summary import FORMATS, summary_sections

__all__ = ["register", "render_text", "render_sections", "diagnose"]

_STATUS_STYLE = {"critical": "bold red", "watch": "yellow", "healthy": "green", "not_available": "dim"}

# choices derived from the library's tuples, so a new method or naming is a CLI choice at once
DiagnoseFormat = Enum("DiagnoseFormat", {f: f for f in FORMATS}, type=str)


def render_text(d, out_console=None, top: int = 5) -> None:
    """Print a diagnosis as rich tables: the sections of :func:`cop.summary.summary_sections`, formatted."""
    render_sections(summary_sections(d, top), out_console)


#: Cells up to this many characters keep their column on one line; longer ones wrap beside the last column.
_SHORT_CELL = 24


def render_sections(sections, out_console=None) -> None:
    """Print any list of :class:`cop.summary.Section` as rich tables (the layout of :func:`render_text`)."""
    c = out_console or console
    for i, section in enumerate(sections):
        if i:
            c.print()
        if section.rows:
            # the last column (the explanation) takes most of the room; a long middle one wraps beside it, between
            # words (never narrower than its longest word); short ones stay on one line
            n = len(section.columns)
            widest = [max(len(name), *(len(row[k]) for row in section.rows)) for k, name in enumerate(section.columns)]
            wraps = [k == n - 1 or widest[k] > _SHORT_CELL for k in range(n)]
            table = Table(title=section.title, title_justify="left", expand=any(wraps[:-1]))  # ratios need the width
            for k, name in enumerate(section.columns):
                longest_word = max(len(w) for row in [section.columns, *section.rows] for w in (row[k].split() or [""]))
                table.add_column(name, overflow="fold", no_wrap=not wraps[k],
                                 ratio=(2 if k == n - 1 else 1) if wraps[k] else None,
                                 min_width=min(longest_word, _SHORT_CELL) if wraps[k] else None)
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


@input_options
@analysis_options()
def diagnose(
    inputs: InputOptions,
    analysis: AnalysisOptions,
    max_group_size: MaxGroupSizeOpt = MAX_GROUP_SIZE,
    max_ties: MaxTiesOpt = MAX_TIES,
    settings: SettingsOpt = None,
    format: Annotated[DiagnoseFormat, typer.Option("--format", help="Output as tables (text) or JSON.")] = DiagnoseFormat("text"),
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the output to this file (atomically) instead of the terminal.")] = None,
    pseudonymize: PseudonymizeOpt = False,
    salt: SaltOpt = None,
    mkdir: MkdirOpt = False,
    by: ByOpt = None,
    spaces: SpacesOpt = None,
    workers: SpaceWorkersOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Diagnose a community: participation levels, life-cycle phase, health indicators, recommendations."""
    from cop.cli.network_cmd import check_by, diagnose_network_command
    from cop.diagnosis import diagnose as run

    with user_errors(debug):
        check_by(by, spaces, workers)
        check_outputs({"--output": output}, [*inputs.paths, spaces], mkdir=mkdir)
        own = read_settings(settings) if settings is not None else None  # a bad file stops before the data are read
        log = inputs.load(pseudonymize=pseudonymize, salt=salt)
        print_warnings(log)
        if by is not None:
            diagnose_network_command(log, spaces, {**analysis.diagnose_kwargs(), "max_group_size": max_group_size,
                                                   "max_ties": max_ties, "settings": own, "workers": workers},
                                     json=format.value == "json", output=output, render=render_sections)
            if output is not None:
                console.print(f"wrote {output}")
            return
        with err_console.status("Diagnosing…"):
            d = run(log, **analysis.diagnose_kwargs(), max_group_size=max_group_size, max_ties=max_ties,
                    settings=own)
        if format.value == "json":
            text = _json_with_provenance(d, inputs.paths, analysis.diagnose_kwargs(), pseudonymize)
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


def _json_with_provenance(d, paths, options: dict, pseudonymized: bool = False) -> str:
    """The diagnosis JSON with a ``provenance`` block: versions, input files and their hashes, options, command, time."""
    import json

    from cop.provenance import input_provenance

    data = d.to_dict()
    data["provenance"] = input_provenance(paths, options, pseudonymized=pseudonymized)
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


def register(app: typer.Typer) -> None:
    """Add the ``diagnose`` command to the application."""
    app.command("diagnose")(diagnose)
