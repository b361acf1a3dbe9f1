"""``--by space``: the network versions of ``cop diagnose`` and ``cop report`` (hooks called by those commands).

Examples
--------
>>> check_by(None, None) is None
True
>>> check_by("org", None)
Traceback (most recent call last):
...
cop.exceptions.ConfigError: option '--by': expected space, got 'org'
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from cop._atomic import atomic_write_text
from cop.cli.common import BY_CHOICES, console, err_console
from cop.exceptions import ConfigError

__all__ = ["check_by", "diagnose_network_command", "report_network_command"]


def check_by(by: str | None, spaces: Path | None, workers: int | None = None) -> str | None:
    """``--by`` checked against :data:`~cop.cli.common.BY_CHOICES`; ``--spaces`` and ``--workers`` only go with
    ``--by space``."""
    if by is not None and by not in BY_CHOICES:
        raise ConfigError(f"option '--by': expected {' or '.join(BY_CHOICES)}, got {by!r}", hint="--by space")
    if spaces is not None and by is None:
        raise ConfigError("option '--spaces': a spaces table is read only with --by space", hint="add --by space")
    if workers is not None and by is None:
        raise ConfigError("option '--workers': processes diagnose the spaces of a network only with --by space",
                          hint="add --by space, or leave --workers out")
    return by


def _run(log: Any, spaces: Path | None, kwargs: dict[str, Any], *, warn: bool = True) -> Any:
    from cop.network import diagnose_network, read_spaces, require_spaces

    require_spaces(log)  # before reading anything else: one clear message
    table = read_spaces(spaces) if spaces is not None else None
    with err_console.status("Diagnosing each space and the network…"):
        return diagnose_network(log, table, emit_warnings=warn, **kwargs)


def diagnose_network_command(log: Any, spaces: Path | None, kwargs: dict[str, Any], *, json: bool,
                             output: Path | None, render: Callable[..., None]) -> None:
    """``cop diagnose --by space``: the network's text sections (drawn by ``render(sections, console)``) or JSON,
    to the terminal or ``output``."""
    from cop.network import network_sections

    nd = _run(log, spaces, kwargs, warn=json)  # the text lists the notes itself
    if json:
        text = nd.to_json()
        if output is not None:
            atomic_write_text(output, text + "\n")
        else:
            typer.echo(text)
        return
    sections = network_sections(nd)
    if output is not None:
        from rich.console import Console

        file_console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
        render(sections, file_console)
        atomic_write_text(output, file_console.export_text())
    else:
        render(sections)


def report_network_command(log: Any, spaces: Path | None, kwargs: dict[str, Any], *, output: Path, title: str | None,
                           json_out: Path | None, pseudonymized: bool, previous: Any = None) -> None:
    """``cop report --by space``: ``output`` is a folder (``index.html`` and one page per space); ``previous``
    (a path or what :func:`cop.report.network.read_previous_network` takes) adds what changed in each space."""
    from cop.report.network import read_previous_network

    nd = _run(log, spaces, kwargs)
    before = read_previous_network(previous) if previous is not None else None
    with err_console.status("Drawing the network report…"):
        index = nd.to_html(output, title=title, pseudonymized=pseudonymized, previous=before)
    if before is not None:
        new = [k for k in nd.diagnoses if k not in before]
        console.print(f"compared {len(nd.diagnoses) - len(new)} space(s) with their previous diagnosis"
                      + (f"; new since: {', '.join(new)}" if new else ""), soft_wrap=True)
    if json_out is not None:
        nd.to_json(json_out)
    s = nd.summary
    console.print(f"{s['spaces']} spaces, {s['people']} people, {s['visits']} visits; bridges: "
                  f"{', '.join(s['bridges']) or 'none'}; cut off: {', '.join(s['cut_off']) or 'none'}", soft_wrap=True)
    console.print(f"wrote {index} and {len(nd.diagnoses)} space page(s)" + (f" and {json_out}" if json_out else ""),
                  soft_wrap=True)
