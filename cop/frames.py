"""Small frame constructions shared by the diagnosis's tables.

Examples
--------
>>> frame_of_rows([{"a": 1, "b": "x"}, {"a": 2, "b": None}], ["a", "b"])["a"].tolist()
[1, 2]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["frame_of_rows"]


def frame_of_rows(rows: Sequence[Mapping[str, Any] | Sequence[Any]], columns: Sequence[str]) -> pd.DataFrame:
    """The frame ``pd.DataFrame(rows, columns=columns)`` builds, from its columns.

    ``rows`` are mappings keyed by the column names or sequences in ``columns`` order.  Each column is
    inferred from the same values as in the records' frame (the same dtypes), at about half the cost on
    the few dozen rows of a diagnosis's tables; no rows give the records' empty frame.

    Examples
    --------
    >>> rows = [("stuck", 3, None), ("drifting", 2, "Hub")]
    >>> f = frame_of_rows(rows, ["pattern", "periods", "organization"])
    >>> f.equals(pd.DataFrame(rows, columns=["pattern", "periods", "organization"]))
    True
    >>> frame_of_rows([], ["a", "b"]).columns.tolist()
    ['a', 'b']
    """
    if not rows:
        return pd.DataFrame(rows, columns=list(columns))
    if isinstance(rows[0], Mapping):
        return pd.DataFrame({c: [r[c] for r in rows] for c in columns})
    return pd.DataFrame({c: [r[k] for r in rows] for k, c in enumerate(columns)})
