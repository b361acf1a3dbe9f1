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

import operator
import unicodedata
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


def _text(value: object) -> str:
    """A category as text: bytes decoded as UTF-8, integral floats without ``.0``."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8")
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _is_integral_float(value: object) -> bool:
    return isinstance(value, (float, np.floating)) and bool(np.isfinite(value)) and float(value).is_integer()


def as_categorical(
    series: pd.Series,
    *,
    column: str | None = None,
    source: Source | None = None,
    notes: list[str] | None = None,
    nfc: bool = False,
) -> pd.Series:
    """Return ``series`` as a categorical of stripped strings (empty strings become missing).

    Bytes are decoded as UTF-8 (values that are not UTF-8 are an error), and
    whole numbers stored as floats (``1.0``, as Parquet and pandas store an
    integer column with gaps) become integers (``"1"``), with a note in
    ``notes`` counting the rows.  With ``nfc=True`` text is put in Unicode
    normal form C, so that the composed and decomposed spellings of ``é`` are
    one value (also noted).

    Examples
    --------
    >>> import pandas as pd
    >>> notes = []
    >>> as_categorical(pd.Series([1.0, 2.0, None]), column="member_id", notes=notes).tolist()
    ['1', '2', nan]
    >>> notes
    ["<DataFrame>, column 'member_id': 2 whole number(s) stored as floats (first: 1.0) read as integers ('1')"]
    """
    source = source or Source.frame()
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    cats = series.cat.categories
    codes = series.array.codes  # a view: the Series returned below holds a copy
    raw = np.asarray(cats, dtype=object)
    plain = cats.inferred_type in ("string", "empty")  # only str: no bytes or floats to convert
    try:
        texts = [v.strip() for v in raw] if plain else [_text(v).strip() for v in raw]
    except UnicodeDecodeError:
        bad = np.flatnonzero([isinstance(v, (bytes, bytearray)) and not _utf8(v) for v in raw])
        rows = np.flatnonzero(np.isin(codes, bad))
        fail_rows(source, column or "?", rows, "binary value(s) that are not UTF-8 text", "text", example=raw[bad[0]])
    stripped = np.array(texts, dtype=object)
    # every category its own text (str.strip returns the very string when there is nothing to strip)
    same = plain and all(map(operator.is_, texts, raw))
    if notes is not None and len(raw) and not plain and (cats.dtype.kind == "f" or cats.dtype == object):
        floats = np.flatnonzero([_is_integral_float(v) for v in raw])
        if len(floats):
            n = int(np.isin(codes, floats).sum())
            if n:
                notes.append(
                    f"{source.where(column)}: {n} whole number(s) stored as floats (first: {raw[floats[0]]!r}) "
                    f"read as integers ({stripped[floats[0]]!r})"
                )
    if nfc and len(stripped) and not "".join(stripped).isascii():  # ASCII text is in every normal form
        normal = np.array([unicodedata.normalize("NFC", v) for v in stripped], dtype=object)
        changed = np.flatnonzero(normal != stripped)
        if len(changed):
            n = int(np.isin(codes, changed).sum())
            if notes is not None and n:
                notes.append(
                    f"{source.where(column)}: {n} value(s) written in decomposed Unicode (first: {stripped[changed[0]]!r}) "
                    "read in composed form (NFC), so both spellings are one id"
                )
            stripped = normal
            same = same and not len(changed)
    # categories are distinct: their texts can repeat only where stripping or form NFC changed one
    if len(stripped) and ("" in texts or (not same and len(set(stripped)) != len(stripped))):
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
    if same and cats.dtype == object and not series.cat.ordered:  # the categories as they are: no check needed
        return pd.Series(pd.Categorical.from_codes(codes, dtype=series.dtype, validate=False), index=series.index, name=series.name)
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(stripped, dtype=object)), index=series.index, name=series.name
    )


def _utf8(value: bytes) -> bool:
    try:
        bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _used(series: pd.Series) -> np.ndarray:
    """Which categories of a categorical occur in it."""
    codes = series.cat.codes.to_numpy()
    return np.bincount(codes[codes >= 0], minlength=len(series.cat.categories)) > 0


def clean_ids(
    series: pd.Series, *, column: str, source: Source | None = None, notes: list[str] | None = None
) -> pd.Series:
    """Ids as a categorical of non-empty strings in Unicode form NFC; empty ids are an error.

    Notes on floats read as integers and on text put in form NFC go to ``notes``.
    """
    source = source or Source.frame()
    cat = as_categorical(series, column=column, source=source, notes=notes, nfc=True)
    codes = cat.array.codes
    if len(codes) and codes.min() < 0:  # one pass without a mask in the common case
        fail_rows(source, column, np.flatnonzero(codes < 0), "empty id(s)", "a non-empty identifier in every row")
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
    cat = as_categorical(series, column=column, source=source)
    lowered = pd.Index([str(c).lower() for c in cat.cat.categories], dtype=object)
    allowed = list(choices)
    unknown = ~lowered.isin(allowed)
    bad = unknown & _used(cat) if unknown.any() else unknown  # an unused category is no row's value
    codes = cat.array.codes
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
    lookup = np.array([allowed.index(v) if v in allowed else -1 for v in lowered] + [-1], dtype=_code_type(len(allowed)))
    if default is not None:
        lookup[lookup < 0] = allowed.index(default)
    new_codes = lookup[codes]  # one lookup per row; the last entry serves empty cells (code -1)
    return pd.Series(
        pd.Categorical.from_codes(new_codes, dtype=pd.CategoricalDtype(pd.Index(allowed, dtype=object)), validate=False),
        index=series.index,
        name=series.name,
        copy=False,  # new codes
    )


def _code_type(n: int) -> type:
    """The integer type pandas keeps the codes of ``n`` categories in (so that they are not converted again)."""
    for kind in (np.int8, np.int16, np.int32):
        if n < np.iinfo(kind).max:
            return kind
    return np.int64


def clean_text(
    series: pd.Series, *, column: str | None = None, source: Source | None = None, notes: list[str] | None = None
) -> pd.Series:
    """Free text (roles, topics, organizations) as a categorical; empty cells are missing."""
    return as_categorical(series, column=column, source=source, notes=notes)


def clean_weights(series: pd.Series, *, column: str = "weight", source: Source | None = None) -> pd.Series:
    """Non-negative finite float64 weights; empty cells weigh 1."""
    source = source or Source.frame()
    if isinstance(series.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        cat = as_categorical(series, column=column, source=source)
        cats = pd.to_numeric(pd.Series(np.asarray(cat.cat.categories, dtype=object)), errors="coerce").to_numpy(
            dtype="float64"
        )
        codes = cat.cat.codes.to_numpy()
        odd = ~np.isfinite(cats)
        nonnum = np.flatnonzero(odd & _used(cat)) if odd.any() else np.zeros(0, dtype=np.intp)  # rows only if needed
        if len(nonnum):
            rows = np.flatnonzero(np.isin(codes, nonnum))
            fail_rows(source, column, rows, "non-numeric value(s)", "a non-negative number",
                      example=str(cat.cat.categories[codes[rows[0]]]))
        values = np.append(cats, 1.0)[codes]  # one lookup per row; the last entry (1.0) serves empty cells (code -1)
    else:
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        nonfinite = np.flatnonzero(np.isinf(values))
        if len(nonfinite):
            fail_rows(source, column, nonfinite, "infinite value(s)", "a non-negative number")
        values = np.where(np.isnan(values), 1.0, values)
    if len(values) and values.min() < 0:  # the values are finite here: one pass without a mask in the common case
        negative = np.flatnonzero(values < 0)
        fail_rows(source, column, negative, "negative value(s)", "a non-negative number", example=float(values[negative[0]]))
    return pd.Series(values, index=series.index, name=series.name, dtype="float64", copy=False)  # new values


def clean_bool(series: pd.Series, *, column: str, source: Source | None = None) -> pd.Series:
    """Booleans from true/false, yes/no, 1/0 (case-insensitive); empty is False."""
    source = source or Source.frame()
    if pd.api.types.is_bool_dtype(series.dtype):  # also the nullable "boolean": a missing value is False
        return pd.Series(series.fillna(False).to_numpy(dtype=bool), index=series.index, name=series.name)
    text = series.astype(object).where(series.notna(), "").map(lambda v: str(v).strip().lower())
    text = text.replace({"1.0": "1", "0.0": "0"})
    bad = np.flatnonzero(~text.isin(_TRUE | _FALSE).to_numpy())
    if len(bad):
        fail_rows(source, column, bad, "value(s) that are not true/false", "true or false (also yes/no, 1/0)",
                  example=str(series.iloc[bad[0]]))
    return text.isin(_TRUE).astype(bool)
