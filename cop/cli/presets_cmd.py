"""``cop presets``: the presets shipped with cop, with the columns each expects (see :mod:`cop.presets`)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from cop.cli.common import DebugOpt, console, user_errors

__all__ = ["register", "presets"]


def presets(
    name: Annotated[Optional[str], typer.Argument(help="Show one preset (a name or a preset TOML file) in full.",
                                                  show_default=False)] = None,
    debug: DebugOpt = False,
) -> None:
    """List the presets for event tools and coworking systems (use one with --preset NAME), with the columns each expects."""
    from cop.presets import load_preset, preset_names

    with user_errors(debug):
        chosen = [load_preset(name)] if name else [load_preset(n) for n in preset_names()]
    if name:
        p = chosen[0]
        console.print(f"[bold]{escape(p.name)}[/]: {escape(p.title)}")
        console.print(f"expects columns: {escape(', '.join(p.expected_headers))}")
        for col, header in p.columns.items():
            console.print(f"  {col} <- {escape(' + '.join(header) if isinstance(header, tuple) else header)}")
        for col, value in p.constants.items():
            console.print(f"  {col} = {escape(value)}")
        for col, header in p.members.items():
            console.print(f"  members.{col} <- {escape(header)}")
        for f in p.filters:
            console.print(f"  only rows where {escape(f.describe())}")
        if p.per_event:
            console.print("  one file per event: activity_id from the file name (or --set activity_id=...), "
                          "timestamp from a YYYY-MM-DD in the file name (or --set timestamp=...)")
        if p.split:
            console.print(f"  one activity per id and {p.split}")
        if p.note:
            console.print(escape(p.note), soft_wrap=True)
        console.print(f"[dim]source: {escape(p.source)}[/]", soft_wrap=True)
        return
    table = Table(title="presets (cop presets NAME shows one; use with --preset NAME)", title_justify="left")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("export")
    table.add_column("expects columns")
    for p in chosen:
        table.add_row(p.name, escape(p.title), escape(", ".join(p.expected_headers)))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Attach ``cop presets`` to ``app``."""
    app.command("presets")(presets)
