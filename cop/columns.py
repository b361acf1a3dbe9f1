"""Column-level checks shared by the loaders: ids, categories, numbers, booleans.

Each check works on the distinct values of a column (via its categorical codes)
and raises one :class:`~cop.exceptions.ValueFormatError` naming the file, the
column, the first offending rows and what was expected.

Examples
--------
>>> import pandas as pd
>>> from cop.columns import clean_ids
>>> clean_ids(pd.Series([" a", "b", "a"]), column="member_id").tolist()
['a', 'b', 'a']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import ValueFormatError

__all__ = [
    "as_categorical",
    "clean_ids",
    "clean_choice",
    "clean_text",
    "clean_weights",
    "clean_bool",
    "fail_rows",
]

_TRUE = {"true", "t", "yes", "y", "1", "x"}
_FALSE = {"false", "f", "no", "n", "0", ""}


def fail_rows(source: Source, column: str, rows: np.ndarray, problem: str, expected: str, example=None) -> None:
    """Raise a :class:`ValueFormatError` for ``rows`` of ``column``."""
    rows = np.asarray(rows)
    first = f" (first: {example!r})" if example is not None else ""
    raise ValueFormatError(
        f"{source.where(column)}: {len(rows)} {problem} at {source.rows(rows[:5], len(rows))}{first}; expected {expected}"
    )


def as_categorical(series: pd.Series) -> pd.Series:
    """Return ``series`` as a categorical of stripped strings (empty strings become missing)."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    cats = series.cat.categories
    stripped = np.array([str(v).strip() for v in cats], dtype=object)
    codes = series.cat.codes.to_numpy()
    if len(stripped) and ((stripped == "").any() or len(set(stripped)) != len(stripped)):
        uniq, inverse = np.unique(stripped.astype(str), return_inverse=True)
        new_codes = np.where(codes >= 0, inverse[np.maximum(codes, 0)], -1)
        empty = np.flatnonzero(uniq == "")
        if len(empty):
            e = empty[0]
            new_codes = np.where(new_codes == e, -1, np.where(new_codes > e, new_codes - 1, new_codes))
            uniq = np.delete(uniq, e)
        return pd.Series(
            pd.Categorical.from_codes(new_codes.astype(np.int32), categories=pd.Index(uniq.astype(object), dtype=object)),
            index=series.index,
            name=series.name,
        )
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(stripped, dtype=object)), index=series.index, name=series.name
    )


def clean_ids(series: pd.Series, *, column: str, source: Source | None = None) -> pd.Series:
    """Ids as a categorical of non-empty strings; empty ids are an error."""
    source = source or Source.frame()
    cat = as_categorical(series)
    missing = np.flatnonzero(cat.cat.codes.to_numpy() < 0)
    if len(missing):
        fail_rows(source, column, missing, "empty id(s)", "a non-empty identifier in every row")
    return cat


def clean_choice(
    series: pd.Series,
    *,
    column: str,
    choices: Sequence[str],
    source: Source | None = None,
    default: str | None = None,
) -> pd.Series:
    """A categorical restricted to ``choices`` (case-insensitive); empty cells get ``default``."""
    source = source or Source.frame()
    cat = as_categorical(series)
    lowered = pd.Index([str(c).lower() for c in cat.cat.categories], dtype=object)
    allowed = list(choices)
    bad = ~lowered.isin(allowed)
    codes = cat.cat.codes.to_numpy()
    if bad.any():
        rows = np.flatnonzero(np.isin(codes, np.flatnonzero(bad)))
        fail_rows(
            source,
            column,
            rows,
            "unknown value(s)",
            "one of " + ", ".join(allowed) + (" or empty" if default is not None else ""),
            example=str(cat.cat.categories[codes[rows[0]]]),
        )
    lookup = np.array([allowed.index(v) for v in lowered], dtype=np.int32)
    new_codes = np.where(codes >= 0, lookup[np.maximum(codes, 0)] if len(lookup) else -1, -1).astype(np.int32)
    if default is not None:
        new_codes[new_codes < 0] = allowed.index(default)
    return pd.Series(
        pd.Categorical.from_codes(new_codes, categories=pd.Index(allowed, dtype=object)),
        index=series.index,
        name=series.name,
    )


def clean_text(series: pd.Series) -> pd.Series:
    """Free text (roles, topics, organizations) as a categorical; empty cells are missing."""
    return as_categorical(series)


def clean_weights(series: pd.Series, *, column: str = "weight", source: Source | None = None) -> pd.Series:
    """Non-negative finite float64 weights; empty cells weigh 1."""
    source = source or Source.frame()
    if isinstance(series.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        cat = as_categorical(series)
        cats = pd.to_numeric(pd.Series(np.asarray(cat.cat.categories, dtype=object)), errors="coerce").to_numpy(
            dtype="float64"
        )
        codes = cat.cat.codes.to_numpy()
        nonnum = np.flatnonzero(~np.isfinite(cats))
        if len(nonnum):
            rows = np.flatnonzero(np.isin(codes, nonnum))
            fail_rows(source, column, rows, "non-numeric value(s)", "a non-negative number",
                      example=str(cat.cat.categories[codes[rows[0]]]))
        values = np.where(codes >= 0, cats[np.maximum(codes, 0)] if len(cats) else 1.0, 1.0)
    else:
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        nonfinite = np.flatnonzero(np.isinf(values))
        if len(nonfinite):
            fail_rows(source, column, nonfinite, "infinite value(s)", "a non-negative number")
        values = np.where(np.isnan(values), 1.0, values)
    negative = np.flatnonzero(values < 0)
    if len(negative):
        fail_rows(source, column, negative, "negative value(s)", "a non-negative number", example=float(values[negative[0]]))
    return pd.Series(values, index=series.index, name=series.name, dtype="float64")


def clean_bool(series: pd.Series, *, column: str, source: Source | None = None) -> pd.Series:
    """Booleans from true/false, yes/no, 1/0 (case-insensitive); empty is False."""
    source = source or Source.frame()
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(bool)
    text = series.astype(object).where(series.notna(), "").map(lambda v: str(v).strip().lower())
    text = text.replace({"1.0": "1", "0.0": "0"})
    bad = np.flatnonzero(~text.isin(_TRUE | _FALSE).to_numpy())
    if len(bad):
        fail_rows(source, column, bad, "value(s) that are not true/false", "true or false (also yes/no, 1/0)",
                  example=str(series.iloc[bad[0]]))
    return text.isin(_TRUE).astype(bool)
