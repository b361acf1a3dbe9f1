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
    """Root of every error raised by cop on purpose.

    ``hint`` is what the command line prints under the message: what to do about it.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> try:
    ...     cop.ActivityLog.from_frame(pd.DataFrame({"member_id": ["a"], "timestamp": ["2024-01-01"]}))
    ... except cop.CopError as exc:
    ...     print(type(exc).__name__, "|", exc.hint)
    SchemaError | rename your headers with --map, e.g. --map member_id=Email
    """

    #: A short hint for the command line (what to do about it), or ``None``.
    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class DataError(CopError, ValueError):
    """Input data that cannot be used as it is.

    Examples
    --------
    >>> issubclass(DataError, ValueError), issubclass(SchemaError, DataError)
    (True, True)
    """


class SchemaError(DataError):
    """A required column is missing, or a column cannot be mapped.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> try:
    ...     cop.ActivityLog.from_frame(pd.DataFrame({"member_id": ["a"], "timestamp": ["2024-01-01"]}))
    ... except SchemaError as exc:
    ...     print(str(exc).split(";")[0])
    <DataFrame>: missing required column(s) 'activity_id'
    """


class FileFormatError(DataError):
    """A file is empty, unreadable, or not the format its name says.

    Examples
    --------
    >>> import pathlib, tempfile, cop
    >>> empty = pathlib.Path(tempfile.mkdtemp()) / "empty.csv"
    >>> _ = empty.write_text("")
    >>> try:
    ...     cop.read_activities(empty)
    ... except FileFormatError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    is empty; expected a header line and rows
    """


class ValueFormatError(DataError):
    """Cells of a column do not hold what the column expects.

    Examples
    --------
    >>> import pandas as pd, cop
    >>> try:
    ...     cop.ActivityLog.from_frame(pd.DataFrame({"activity_id": ["x"], "member_id": ["a"], "timestamp": ["not a date"]}))
    ... except ValueFormatError as exc:
    ...     print(str(exc).split(";")[0])
    <DataFrame>, column 'timestamp': 1 value(s) that are not timestamps at row 1 (first: 'not a date')
    """


class ConfigError(CopError, ValueError):
    """A bad parameter, option, or scenario setting.

    Examples
    --------
    >>> import cop
    >>> try:
    ...     cop.diagnose(cop.load_example(), method="nope")
    ... except ConfigError as exc:
    ...     print(exc)
    parameter 'method': 'nope' is not one of combined, activity_share, network, kcore
    """


class SimulationError(CopError, RuntimeError):
    """A simulation replicate failed; the message names its seed.

    Examples
    --------
    >>> issubclass(SimulationError, RuntimeError), issubclass(SimulationError, CopError)
    (True, True)
    """


class CopWarning(UserWarning):
    """Root of the warnings cop emits.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", CopWarning)  # silence cop's warnings, and only them
    ...     warnings.warn("dropped 2 rows", DataWarning)
    """


class DataWarning(CopWarning):
    """The input was accepted, but rows were dropped or references are missing.

    The same notes are kept on the log (``ActivityLog.warnings``) and the diagnosis.

    Examples
    --------
    >>> issubclass(DataWarning, UserWarning)
    True
    """
