"""The ``cop`` command line: a thin typer layer over the library.

Examples
--------
>>> from typer.testing import CliRunner
>>> from cop.cli import app
>>> CliRunner().invoke(app, ["--version"]).output.startswith("cop ")
True
"""

from cop.cli.app import app, main

__all__ = ["app", "main"]
