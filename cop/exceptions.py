"""The one exception tree of cop.

Every error cop raises on purpose derives from :class:`CopError`; leaves also
subclass the matching builtin so that ``except ValueError`` keeps working::

    CopError
    ├── DataError(ValueError)            bad input data
    │   ├── SchemaError                  a required column is missing
    │   ├── FileFormatError              the file is not the format its name says, or is empty
    │   └── ValueFormatError             a cell does not hold what its column expects
    ├── ConfigError(ValueError)          a bad parameter, option or scenario key
    └── SimulationError(RuntimeError)    a simulated replicate failed

    CopWarning(UserWarning)
    └── DataWarning                      input accepted, but something was dropped or is missing

Messages name the file (or ``<DataFrame>``), the column, the first offending rows
and what was expected.

Examples
--------
>>> from cop.exceptions import DataError, CopError
>>> issubclass(DataError, ValueError) and issubclass(DataError, CopError)
True
"""

from __future__ import annotations

__all__ = [
    "CopError",
    "DataError",
    "SchemaError",
    "FileFormatError",
    "ValueFormatError",
    "ConfigError",
    "SimulationError",
    "CopWarning",
    "DataWarning",
]


class CopError(Exception):
    """Root of every error raised by cop on purpose."""

    #: A short hint for the command line (what to do about it), or ``None``.
    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class DataError(CopError, ValueError):
    """Input data that cannot be used as it is."""


class SchemaError(DataError):
    """A required column is missing, or a column cannot be mapped."""


class FileFormatError(DataError):
    """A file is empty, unreadable, or not the format its name says."""


class ValueFormatError(DataError):
    """Cells of a column do not hold what the column expects."""


class ConfigError(CopError, ValueError):
    """A bad parameter, option, or scenario setting."""


class SimulationError(CopError, RuntimeError):
    """A simulation replicate failed; the message names its seed."""


class CopWarning(UserWarning):
    """Root of the warnings cop emits."""


class DataWarning(CopWarning):
    """The input was accepted, but rows were dropped or references are missing."""
