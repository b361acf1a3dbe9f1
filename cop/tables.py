"""Normalise raw tables (participations, members, activities) into cop's data model.

The loaders in :mod:`cop.io` read files into DataFrames; these functions apply
a column mapping, recognise edge lists, check every column and return clean
frames with categorical ids and UTC timestamps.  Each problem raises one error
naming the file, column, first rows and what was expected.

Examples
--------
>>> import pandas as pd
>>> from cop.tables import normalize_participations
>>> raw = pd.DataFrame({"source": ["ann", "bo"], "target": ["bo", "cy"],
...                     "timestamp": ["2024-01-01", "2024-01-02"]})
>>> rows, _ = normalize_participations(raw)
>>> rows[["activity_id", "member_id", "role", "kind"]].astype(str).values.tolist()
[['msg-1', 'ann', 'sender', 'interaction'], ['msg-1', 'bo', 'recipient', 'interaction'], ['msg-2', 'bo', 'sender', 'interaction'], ['msg-2', 'cy', 'recipient', 'interaction']]
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.columns import as_categorical, clean_bool, clean_choice, clean_ids, clean_text, clean_weights, fail_rows
from cop.exceptions import ConfigError, SchemaError, ValueFormatError
from cop.occurrences import recurring_note
from cop.occurrences import split_activities as _split
from cop.schema import (
    CHANNELS,
    DEFAULT_KIND,
    EDGE_LIST_COLUMNS,
    KINDS,
    MEMBER_ROLES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SITE_COLUMNS,
)
from cop.timestamps import as_ns, check_timezone, parse_timestamps

#: Participation timestamps before this day are noted as implausible (a misread date
#: format, a 1970 epoch default): few communities' digital records go back further.
EARLIEST_PLAUSIBLE = pd.Timestamp("1990-01-01", tz="UTC")

__all__ = [
    "apply_mapping",
    "parse_mapping",
    "is_edge_list",
    "normalize_participations",
    "normalize_members",
    "normalize_activities",
    "normalize_log",
    "check_columns",
    "implausible_dates_note",
    "EARLIEST_PLAUSIBLE",
]


def parse_mapping(items: list[str] | tuple[str, ...] | None) -> dict[str, str]:
    """Parse ``["member_id=Email", ...]`` into ``{"member_id": "Email"}``.

    Examples
    --------
    >>> parse_mapping(["member_id=Email", "timestamp = Date"])
    {'member_id': 'Email', 'timestamp': 'Date'}
    """
    mapping: dict[str, str] = {}
    for item in items or ():
        if "=" not in item:
            raise ConfigError(f"mapping: {item!r} is not of the form COLUMN=HEADER (e.g. member_id=Email)")
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not key or not value:
            raise ConfigError(f"mapping: {item!r} is not of the form COLUMN=HEADER (e.g. member_id=Email)")
        mapping[key] = value
    return mapping


def apply_mapping(frame: pd.DataFrame, mapping: Mapping[str, str] | None, source: Source, known: tuple[str, ...]) -> pd.DataFrame:
    """Rename the user's headers to cop's columns; ``mapping`` is ``{cop_column: header}``."""
    if not mapping:
        return frame
    unknown = [k for k in mapping if k not in known]
    if unknown:
        raise ConfigError(
            f"column mapping: {', '.join(map(repr, unknown))} is not a cop column; expected one of {', '.join(known)}"
        )
    missing = [v for v in mapping.values() if v not in frame.columns]
    if missing:
        raise SchemaError(
            f"{source.name}: the mapped header(s) {', '.join(map(repr, missing))} are not in the file; "
            f"found columns: {', '.join(map(str, frame.columns))}"
        )
    # a mapped column replaces an existing column of the same name; one header may feed several columns
    used = set(mapping.values()) | set(mapping)
    columns = {c: frame[c] for c in frame.columns if c not in used}
    columns.update({col: frame[header] for col, header in mapping.items()})
    return pd.DataFrame(columns, index=frame.index)


def _where(source: Source, column: str, mapping: Mapping[str, str] | None) -> str:
    """``"file, column 'When' (mapped to 'timestamp')"``: the user's header of cop's ``column`` too."""
    header = (mapping or {}).get(column, column)
    return source.where(column) if header == column else f"{source.where(header)} (mapped to '{column}')"


def _with_header(exc: ValueFormatError, column: str, mapping: Mapping[str, str] | None, source: Source) -> ValueFormatError:
    """``exc`` naming the user's header of ``column`` as well as cop's name for it."""
    label = _where(source, column, mapping)
    if label == source.where(column):
        return exc
    return ValueFormatError(str(exc).replace(source.where(column), label, 1), hint=exc.hint)


def implausible_dates_note(stamps: pd.Series, *, source: Source, where: str | None = None) -> str | None:
    """A note counting timestamps before :data:`EARLIEST_PLAUSIBLE` or after today (UTC), or ``None``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(pd.to_datetime(["1970-01-01", "2024-03-01", "2099-01-01"], utc=True))
    >>> print(implausible_dates_note(s, source=Source.frame()))
    <DataFrame>, column 'timestamp': 1 timestamp(s) before 1990-01-01 (first at row 1: 1970-01-01) and 1 after today (first at row 3: 2099-01-01); check the date format (--date-format, --dayfirst) and the export
    """
    low = EARLIEST_PLAUSIBLE.value
    high = (pd.Timestamp.now(tz="UTC").normalize() + pd.Timedelta(days=2)).value  # today in any zone
    if isinstance(stamps.dtype, pd.DatetimeTZDtype) and stamps.dtype.unit == "ns" and len(stamps):
        whole = stamps.array.asi8  # no copy; NaT is int64's minimum, so a column with NaT takes the way below
        if whole.min() >= low and whole.max() < high:
            return None  # every timestamp plausible: the common case, two passes and no copy
    values = stamps.dropna()
    if len(values) == 0:
        return None
    ns = as_ns(values)
    early = ns < low
    late = ns >= high
    parts = []
    positions = np.flatnonzero(stamps.notna().to_numpy())
    for mask, what in ((early, f"before {EARLIEST_PLAUSIBLE:%Y-%m-%d}"), (late, "after today")):
        if mask.any():
            first = positions[np.flatnonzero(mask)[0]]
            parts.append(f"{int(mask.sum())}{' timestamp(s)' if not parts else ''} {what} "
                         f"(first at {source.rows([first])}: {stamps.iloc[first]:%Y-%m-%d})")
    if not parts:
        return None
    return f"{where or source.where('timestamp')}: {' and '.join(parts)}; check the date format (--date-format, --dayfirst) and the export"


def _drop_ignored(frame: pd.DataFrame, ignore: Sequence[str], source: Source) -> pd.DataFrame:
    """``frame`` without the ``ignore`` headers (each must be in it)."""
    if isinstance(ignore, str):
        ignore = (ignore,)
    if not ignore:
        return frame
    missing = [h for h in ignore if h not in frame.columns]
    if missing:
        raise SchemaError(f"{source.name}: the ignored header(s) {', '.join(map(repr, missing))} are not in the file; "
                          f"found columns: {', '.join(map(str, frame.columns))}")
    return frame.drop(columns=list(ignore))


def _set_constants(frame: pd.DataFrame, constants: Mapping[str, object] | None, source: Source,
                   known: tuple[str, ...], notes: list[str]) -> pd.DataFrame:
    """``frame`` with the ``constants`` columns (``{column: value}``) set on every row."""
    if not constants:
        return frame
    unknown = [k for k in constants if k not in known]
    if unknown:
        raise ConfigError(f"constant columns: {', '.join(map(repr, unknown))} is not a cop column; expected one of {', '.join(known)}",
                          hint="--set kind=presence")
    replaced = [k for k in constants if k in frame.columns]
    if replaced:
        notes.append(f"{source.name}: the column(s) {', '.join(map(repr, replaced))} of the file were replaced by the constant(s) given")
    out = frame.copy(deep=False)
    for col, value in constants.items():
        out[col] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), categories=[value])
    return out


@contextlib.contextmanager
def _reserved(column: str, mapping: Mapping[str, str] | None, constants: Mapping[str, object] | None):
    """A bad value in a reserved column the file merely happens to name (not mapped, not set) says so and offers --ignore."""
    try:
        yield
    except ValueFormatError as exc:
        if column in (mapping or {}) or column in (constants or {}):
            raise
        raise ValueFormatError(
            f"{exc}; '{column}' is a reserved cop column: if your '{column}' means something else, "
            f"leave it out with --ignore {column} (ignore=[{column!r}]) or rename it with --map",
            hint=f"--ignore {column}",
        ) from None


def check_columns(frame: pd.DataFrame, source: Source) -> None:
    """Each column named once, and every cell a scalar (not a dict, list or array).

    Examples
    --------
    >>> import pandas as pd
    >>> check_columns(pd.DataFrame([[1, 2]], columns=["a", "a"]), Source.frame())
    Traceback (most recent call last):
    ...
    cop.exceptions.SchemaError: <DataFrame>: column(s) 'a' appear more than once; expected each column name once
    """
    names = [str(c) for c in frame.columns]
    if len(names) != len(set(names)):
        dup = sorted({c for c in names if names.count(c) > 1})
        raise SchemaError(f"{source.name}: column(s) {', '.join(map(repr, dup))} appear more than once; expected each column name once")
    for i, col in enumerate(frame.columns):
        values = frame.iloc[:, i]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = pd.Series(values.cat.categories, dtype=object)
            if not len(values):
                continue
            nested = _nested(values.to_numpy())
            if nested.any():
                rows = np.flatnonzero(np.isin(frame.iloc[:, i].cat.codes.to_numpy(), np.flatnonzero(nested)))
                fail_rows(source, str(col), rows, "nested value(s) (a dict, list or array)", "one text, number or date per cell")
        elif values.dtype == object:
            nested = _nested(values.to_numpy())
            if nested.any():
                fail_rows(source, str(col), np.flatnonzero(nested), "nested value(s) (a dict, list or array)",
                          "one text, number or date per cell")


_NESTED = (dict, list, tuple, set, frozenset, np.ndarray, pd.Series, pd.DataFrame)


def _nested(values: np.ndarray) -> np.ndarray:
    """Which values are containers (only looked at when the column's type is mixed)."""
    if pd.api.types.infer_dtype(values, skipna=True) in _SCALAR_TYPES:
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((isinstance(v, _NESTED) for v in values), dtype=bool, count=len(values))


_SCALAR_TYPES = {"string", "bytes", "empty", "floating", "integer", "mixed-integer-float", "decimal", "complex",
                 "boolean", "datetime64", "datetime", "date", "timedelta64", "timedelta", "time", "period"}


def is_edge_list(frame: pd.DataFrame) -> bool:
    """True when the frame is a ``source,target,timestamp[,kind]`` edge list."""
    cols = set(frame.columns)
    return set(EDGE_LIST_COLUMNS) <= cols and not {"activity_id", "member_id"} & cols


def _edge_list_to_rows(frame: pd.DataFrame, source: Source) -> tuple[pd.DataFrame, np.ndarray]:
    n = len(frame)
    src = clean_ids(frame["source"], column="source", source=source)
    dst = clean_ids(frame["target"], column="target", source=source)
    ids = np.empty(2 * n, dtype=object)
    ids[0::2] = np.asarray(src.astype(str), dtype=object)
    ids[1::2] = np.asarray(dst.astype(str), dtype=object)
    members = pd.Categorical(ids)
    width = len(str(n))
    act = np.array([f"msg-{i + 1:0{width}d}" for i in range(n)], dtype=object)
    rows = pd.DataFrame(
        {
            "activity_id": pd.Categorical(np.repeat(act, 2), categories=act),
            "member_id": members,
            "role": pd.Categorical(np.tile(["sender", "recipient"], n)),
        }
    )
    for col in ("timestamp", "kind", "topic", "weight", "channel", *SITE_COLUMNS):
        if col in frame.columns:
            rows[col] = np.repeat(frame[col].to_numpy(), 2)
    if "kind" not in rows.columns:
        rows["kind"] = "interaction"
    origin = np.repeat(np.arange(n), 2)
    return rows, origin


def normalize_participations(
    frame: pd.DataFrame,
    *,
    source: Source | None = None,
    mapping: Mapping[str, str] | None = None,
    tz: str = "UTC",
    notes: list[str] | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    set_columns: Mapping[str, object] | None = None,
    ignore: Sequence[str] = (),
) -> tuple[pd.DataFrame, list[str]]:
    """Check and normalise a participation table.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw rows: ``activity_id, member_id, timestamp`` and optional ``kind, role,
        topic, weight, channel``; or an edge list ``source, target, timestamp[, kind]``.
    source : Source, optional
        Where the rows came from (for messages).
    mapping : dict, optional
        ``{cop_column: header}`` for exports whose headers differ.
    tz : str, default "UTC"
        Zone of timestamps given without one.
    notes : list of str, optional
        Where to add the notes (a new list by default).
    date_format : str, optional
        A strptime format for the timestamps (``"%d.%m.%Y %H:%M"``), tried first.
    dayfirst : bool, optional
        Day and month order of ``05.03.2024``-style dates (see :mod:`cop.timestamps.localforms`).
    set_columns : dict, optional
        ``{cop_column: value}``: a constant for every row (``{"kind": "presence"}``),
        replacing a column of that name (noted).
    ignore : sequence of str
        Headers of the file to leave out (e.g. a Slack ``channel`` that is not
        cop's public/private ``channel``).

    Returns
    -------
    rows : pandas.DataFrame
        Columns :data:`cop.schema.LOG_COLUMNS`; ids categorical (Unicode form
        NFC), ``timestamp`` ``datetime64[ns, UTC]``, ``weight`` float64; exact
        duplicates removed: rows equal to an earlier row in *every* column of
        the table, also those cop does not keep, compared as written (only
        timestamps are compared as instants).
    notes : list of str
        Warnings for the user (e.g. how many duplicate rows were dropped).
    """
    source = source or Source.frame()
    notes = [] if notes is None else notes
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + SITE_COLUMNS + ("source", "target", "organization")
    check_columns(frame, source)
    frame = _drop_ignored(frame, ignore, source)
    frame = apply_mapping(frame, mapping, source, known)
    frame = _set_constants(frame, set_columns, source, known, notes)
    check_columns(frame, source)
    original = frame
    origin: np.ndarray | None = None
    if is_edge_list(frame):
        frame, origin = _edge_list_to_rows(frame, source)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{source.name}: missing required column(s) {', '.join(map(repr, missing))}; "
            f"found columns: {', '.join(map(str, frame.columns)) or '(none)'}; expected "
            f"{', '.join(REQUIRED_COLUMNS)} (or an edge list source, target, timestamp)",
            hint="rename your headers with --map, e.g. --map member_id=Email",
        )
    if len(frame) == 0:
        raise ValueFormatError(f"{source.name}: no rows; expected at least one participation")

    if origin is not None:
        source = dataclasses.replace(source, origin=origin)  # messages name the edge-list row, not the expanded row

    # cop's columns, gathered as arrays (each new, none a view of the input) and made one frame at
    # the end: a column set on a frame is copied, a frame's rows taken column by column
    out: dict[str, object] = {}
    out["activity_id"] = clean_ids(frame["activity_id"], column="activity_id", source=source, notes=notes).array
    out["member_id"] = clean_ids(frame["member_id"], column="member_id", source=source, notes=notes).array
    try:
        stamps = parse_timestamps(frame["timestamp"].reset_index(drop=True), tz=tz, source=source,
                                  date_format=date_format, dayfirst=dayfirst)
    except ValueFormatError as exc:
        raise _with_header(exc, "timestamp", mapping, source) from None
    out["timestamp"] = stamps.array
    note = implausible_dates_note(stamps, source=source, where=_where(source, "timestamp", mapping))
    if note:
        notes.append(note)
    if "kind" in frame.columns:
        with _reserved("kind", mapping, set_columns):
            out["kind"] = clean_choice(frame["kind"], column="kind", choices=KINDS, source=source, default=DEFAULT_KIND).array
    else:
        out["kind"] = pd.Categorical.from_codes(np.full(len(frame), KINDS.index(DEFAULT_KIND), dtype=np.int8), categories=list(KINDS))
    for col in ("role", "topic"):
        if col in frame.columns:
            out[col] = clean_text(frame[col], column=col, source=source, notes=notes).array
        else:
            out[col] = pd.Categorical.from_codes(np.full(len(frame), -1, dtype=np.int8), categories=pd.Index([], dtype=object))
    with _reserved("weight", mapping, set_columns):
        out["weight"] = (
            clean_weights(frame["weight"], source=source).to_numpy() if "weight" in frame.columns else np.ones(len(frame))
        )
    if "channel" in frame.columns:
        with _reserved("channel", mapping, set_columns):
            out["channel"] = clean_choice(frame["channel"], column="channel", choices=CHANNELS, source=source).array
    else:
        out["channel"] = pd.Categorical.from_codes(np.full(len(frame), -1, dtype=np.int8), categories=list(CHANNELS))
    out["topic"] = _normalize_topics(pd.Series(out["topic"], copy=False)).array
    for col in SITE_COLUMNS:  # ids (form NFC), kept only when given; an empty cell is no space
        if col in frame.columns:
            out[col] = as_categorical(frame[col], column=col, source=source, notes=notes, nfc=True).array
    if "organization" in frame.columns:  # moved to the members table by normalize_log
        out["organization"] = clean_text(frame["organization"], column="organization", source=source, notes=notes).array
    if "source" in frame.columns and origin is None:  # the input each row came from (several inputs at once)
        out["source"] = clean_text(frame["source"], column="source", source=source, notes=notes).array
    # an edge list's rows are distinct messages; other rows are compared as the user wrote them
    dup = None if origin is not None else _exact_duplicates(*_as_written(original, out["timestamp"]))
    if dup is not None and dup.any():
        n = int(dup.sum())
        notes.append(
            f"{source.name}: dropped {n} exact duplicate row(s), equal in every column to an earlier row "
            f"(first at {source.rows(np.flatnonzero(dup)[:5], n)})"
        )
        keep = ~dup
        out = {col: values[keep] for col, values in out.items()}
    for col in ("activity_id", "member_id", "role", "topic", *(c for c in SITE_COLUMNS if c in out)):
        out[col] = _without_unused_categories(out[col])
    return pd.DataFrame(out, copy=False), notes


def _as_written(original: pd.DataFrame, stamps) -> tuple[pd.DataFrame, list[str]]:
    """The user's columns as written, with the parsed instants ``stamps`` in place of the timestamp text; and the key columns.

    The key columns (the instant, the activity and member columns) are those a
    duplicate must repeat; hashing them alone finds the candidates.  The frame
    holds the columns themselves, not copies (it is only read).
    """
    cols = {f"c{i}": original.iloc[:, i].reset_index(drop=True) for i in range(original.shape[1])
            if original.columns[i] != "timestamp"}
    cols["timestamp"] = pd.Series(stamps, copy=False)
    key = ["timestamp"] + [f"c{i}" for i in range(original.shape[1]) if original.columns[i] in ("activity_id", "member_id")]
    return pd.DataFrame(cols, copy=False), key


def _normalize_topics(topic: pd.Series) -> pd.Series:
    """``"AI; Design"`` -> ``"ai;design"``, computed on the categories only."""
    cats = topic.cat.categories
    if not len(cats):
        return topic
    norm = pd.Index([";".join(t.strip().lower() for t in str(c).split(";") if t.strip()) for c in cats], dtype=object)
    uniq, inverse = np.unique(norm.to_numpy(dtype=str), return_inverse=True)
    inverse = inverse.astype(np.int32)
    empty = np.flatnonzero(uniq == "")
    if len(empty):
        inverse = np.where(inverse == empty[0], -1, np.where(inverse > empty[0], inverse - 1, inverse)).astype(np.int32)
        uniq = np.delete(uniq, empty[0])
    # one lookup per row: the table's last entry (-1) serves the missing code -1
    new = np.append(inverse, np.int32(-1))[topic.cat.codes.to_numpy()]
    dtype = pd.CategoricalDtype(pd.Index(uniq, dtype=object))
    return pd.Series(pd.Categorical.from_codes(new, dtype=dtype, validate=False), index=topic.index)


def _remove_unused_categories(series: pd.Series) -> pd.Series:
    """``series.cat.remove_unused_categories()`` by marking the codes used instead of sorting them."""
    values = series.array
    kept = _without_unused_categories(values)
    if kept is values:
        return series
    return pd.Series(kept, index=series.index, name=series.name, copy=False)


def _without_unused_categories(values: pd.Categorical) -> pd.Categorical:
    """``values`` without the categories no row holds (``values`` itself when every one is used).

    The used categories are marked by one pass over the codes (the code -1 of a
    missing value marks the extra last slot); the codes are renumbered by one lookup.
    """
    codes = values.codes
    cats = values.categories
    used = np.zeros(len(cats) + 1, dtype=bool)
    used[codes] = True
    used = used[:-1]
    if used.all():
        return values
    remap = np.append(np.cumsum(used, dtype=np.int64) - 1, -1)  # the last entry serves the missing code -1
    dtype = pd.CategoricalDtype(cats[used], ordered=values.ordered)
    return pd.Categorical.from_codes(remap[codes], dtype=dtype, validate=False)


def _comparable(s: pd.Series) -> np.ndarray:
    """A column's values as an array that compares and hashes as the values do."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy()
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return as_ns(s)
    if s.dtype == object:
        # mixed Python values: compared by type and text (1 and "1" differ, NaN equals NaN)
        return np.array([f"{type(v).__name__}:{v!r}" for v in s.to_numpy()], dtype=object)
    return s.to_numpy()


def _exact_duplicates(frame: pd.DataFrame, key: Sequence[str] | None = None) -> np.ndarray:
    """Rows equal in every column to an earlier row.

    The ``key`` columns (default all), and every categorical or datetime column
    (cheap to key: codes and instants), of each row are mixed into one 64-bit
    key; only rows whose key repeats (true duplicates, rows that share the
    keyed columns only, and rare collisions) are compared exactly, in every
    column: each with the first row of its key, and where some row differs from
    it, those keys' rows pairwise (``DataFrame.duplicated``).
    """
    n = len(frame)
    out = np.zeros(n, dtype=bool)
    if n < 2:
        return out
    hashed = [c for c in (key or frame.columns) if c in frame.columns] or list(frame.columns)
    hashed += [c for c in frame.columns if c not in hashed and (isinstance(frame[c].dtype, pd.CategoricalDtype)
                                                                 or pd.api.types.is_datetime64_any_dtype(frame[c].dtype))]
    code = _row_keys([frame[col] for col in hashed])
    order, start = _repeated_groups(code, overwrite=True)
    if not len(order):
        return out
    first = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))  # where each row's group starts
    sub = frame.iloc[order].reset_index(drop=True)
    values = {col: _comparable(sub[col]) for col in frame.columns}
    alike = np.ones(len(order), dtype=bool)
    for v in values.values():
        alike &= v == v[first]
    if alike.all():  # every row equals the first of its group: the later ones are duplicates
        out[order[~start]] = True
        return out
    # groups with a row unlike their first (a collision, or rows alike in the keyed columns only; also NaN,
    # which duplicated() counts equal to NaN): compared pairwise; rows of different groups always differ
    group = np.cumsum(start) - 1
    mixed = np.zeros(int(group[-1]) + 1, dtype=bool)
    mixed[group[~alike]] = True
    pick = mixed[group]
    out[order[~pick & ~start]] = True
    rows = np.sort(order[pick])
    sub = frame.iloc[rows].reset_index(drop=True)
    out[rows] = pd.DataFrame({col: _comparable(sub[col]) for col in frame.columns}).duplicated().to_numpy()
    return out


def _row_keys(columns: Sequence[pd.Series]) -> np.ndarray:
    """One 64-bit key per row mixing the bits of ``columns`` (:func:`_key_bits`): equal rows give equal keys.

    Each column is multiplied in and xor-ed in place, so the only array of the
    rows' length allocated is the key (and one for the final mixing).
    """
    code = np.zeros(len(columns[0]) if columns else 0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in columns:
            np.multiply(code, np.uint64(0x9E3779B97F4A7C15), out=code)  # odd: a bijection of the 64-bit values
            np.bitwise_xor(code, _key_bits(col), out=code)
        # spread the low bits into the high ones, which _repeated_groups groups by (murmur3's finalizer)
        shifted = code >> np.uint64(33)
        np.bitwise_xor(code, shifted, out=code)
        np.multiply(code, np.uint64(0xFF51AFD7ED558CCD), out=code)
        np.right_shift(code, np.uint64(33), out=shifted)
        np.bitwise_xor(code, shifted, out=code)
    return code


def _key_bits(s: pd.Series) -> np.ndarray:
    """Unsigned bits per value for the duplicate key: equal values give equal bits.

    Category codes and instants are used as they are, as views (no copy, no
    hashing: the key is only a filter, its repeats are compared exactly); other
    values are hashed.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.array.codes
        return codes.view(f"u{codes.dtype.itemsize}")
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        values = s.array
        if getattr(values, "unit", None) == "ns":
            return values.asi8.view(np.uint64)
        return as_ns(s).view(np.uint64)
    return pd.util.hash_array(_comparable(s))


def _repeated_groups(key: np.ndarray, overwrite: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The rows whose key's high bits repeat, grouped: ``(rows, start)``.

    ``rows`` holds each group (rows sharing the high bits) in row order, the
    groups one after another; ``start`` marks the first row of each group.  One
    sort finds them: the high bits of each key with its row number in the low
    bits (as many as the number of rows needs), so the sorted values give
    groups and rows at once.  A superset of the rows whose whole key repeats
    (equal keys share their high bits); the caller compares them exactly.
    ``overwrite=True`` lets the packed values take the place of ``key``.
    """
    n = len(key)
    if n < 2:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=bool)
    bits = np.uint64(max(1, (n - 1).bit_length()))
    packed = np.right_shift(key, bits, out=key if overwrite else None)
    packed <<= bits
    high = np.arange(n, dtype=np.uint64)
    packed |= high
    packed.sort()
    np.right_shift(packed, bits, out=high)
    same = high[1:] == high[:-1]
    del high
    repeated = np.zeros(n, dtype=bool)
    repeated[1:] = same
    repeated[:-1] |= same
    del same
    picked = packed[repeated]
    del packed, repeated
    rows = (picked & np.uint64((1 << int(bits)) - 1)).astype(np.intp)
    high = picked >> bits
    start = np.ones(len(picked), dtype=bool)
    start[1:] = high[1:] != high[:-1]
    return rows, start


def _check_unique_ids(ids: pd.Series, *, column: str, source: Source) -> None:
    dup = ids.duplicated(keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        fail_rows(source, column, rows, "repeated id(s)", "one row per id", example=str(ids.iloc[rows[0]]))


def normalize_members(
    frame: pd.DataFrame,
    *,
    source: Source | None = None,
    mapping: Mapping[str, str] | None = None,
    tz: str = "UTC",
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """Check and normalise a members table.

    Returns a frame with ``member_id`` (str), ``organization``, ``role``
    (member, manager, staff, guest; empty means member), ``joined`` and ``left``
    (UTC timestamps or NaT) and every further column kept as an attribute.

    Examples
    --------
    >>> import pandas as pd
    >>> m = normalize_members(pd.DataFrame({"member_id": ["a", "b"], "role": ["Manager", ""]}))
    >>> m["role"].tolist()
    ['manager', 'member']
    """
    source = source or Source.frame()
    check_columns(frame, source)
    frame = apply_mapping(frame, mapping, source, ("member_id", "organization", "role", "joined", "left"))
    check_columns(frame, source)
    if "member_id" not in frame.columns:
        raise SchemaError(
            f"{source.name}: missing required column 'member_id'; found columns: {', '.join(map(str, frame.columns))}",
            hint="rename your header with --member-map member_id=YourHeader",
        )
    out = frame.copy()
    out["member_id"] = clean_ids(frame["member_id"], column="member_id", source=source, notes=notes).astype(str)
    _check_unique_ids(out["member_id"], column="member_id", source=source)
    out["organization"] = (
        as_categorical(frame["organization"]).astype(object) if "organization" in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    )
    if "role" in frame.columns:
        out["role"] = clean_choice(frame["role"], column="role", choices=MEMBER_ROLES, source=source, default="member").astype(str)
    else:
        out["role"] = "member"
    for col in ("joined", "left"):
        if col in frame.columns:
            out[col] = parse_timestamps(frame[col], tz=tz, source=source, column=col, allow_missing=True)
        else:
            out[col] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    both = out["joined"].notna() & out["left"].notna() & (out["left"] < out["joined"])
    if both.any():
        fail_rows(source, "left", np.flatnonzero(both.to_numpy()), "date(s) before 'joined'", "left on or after joined")
    first = ["member_id", "organization", "role", "joined", "left"]
    return out[first + [c for c in out.columns if c not in first]].reset_index(drop=True)


def normalize_activities(
    frame: pd.DataFrame,
    *,
    source: Source | None = None,
    mapping: Mapping[str, str] | None = None,
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """Check and normalise an activities table (``activity_id, type, topic, external, organizer``).

    Examples
    --------
    >>> import pandas as pd
    >>> a = normalize_activities(pd.DataFrame({"activity_id": ["e1"], "external": ["yes"]}))
    >>> bool(a.loc[0, "external"])
    True
    """
    source = source or Source.frame()
    check_columns(frame, source)
    frame = apply_mapping(frame, mapping, source, ("activity_id", "type", "topic", "external", "organizer"))
    check_columns(frame, source)
    if "activity_id" not in frame.columns:
        raise SchemaError(
            f"{source.name}: missing required column 'activity_id'; found columns: {', '.join(map(str, frame.columns))}"
        )
    out = frame.copy()
    out["activity_id"] = clean_ids(frame["activity_id"], column="activity_id", source=source, notes=notes).astype(str)
    _check_unique_ids(out["activity_id"], column="activity_id", source=source)
    for col in ("type", "topic", "organizer"):
        out[col] = as_categorical(frame[col]).astype(object) if col in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    if out["topic"].notna().any():
        out["topic"] = out["topic"].map(
            lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else ";".join(t.strip().lower() for t in str(v).split(";") if t.strip())
        )
    out["external"] = clean_bool(frame["external"], column="external", source=source) if "external" in frame.columns else False
    first = ["activity_id", "type", "topic", "external", "organizer"]
    return out[first + [c for c in out.columns if c not in first]].reset_index(drop=True)


def _members_from_log(rows: pd.DataFrame, source: Source, notes: list[str]) -> pd.DataFrame:
    """A members table from the log's ``organization`` column: each member's most frequent value."""
    pairs = pd.DataFrame({"member_id": rows["member_id"].astype(str).to_numpy(),
                          "organization": rows["organization"].astype(object).to_numpy()})
    counts = pairs.dropna().value_counts(sort=False).reset_index(name="n")
    counts = counts.sort_values(["member_id", "n", "organization"], ascending=[True, False, True], kind="stable")
    several = counts.groupby("member_id", sort=False).size()
    several = several[several > 1]
    if len(several):
        first = several.index[0]
        values = counts.loc[counts["member_id"] == first, "organization"].tolist()
        notes.append(
            f"{source.name}: {len(several)} member(s) have more than one organization in the log "
            f"(first: {first!r}: {', '.join(map(repr, values[:3]))}); each is given their most frequent one "
            "(give a members table to say which)"
        )
    best = counts.drop_duplicates("member_id")[["member_id", "organization"]]
    everyone = pd.DataFrame({"member_id": pd.unique(pairs["member_id"])})
    return everyone.merge(best, on="member_id", how="left")


def normalize_log(
    frame: pd.DataFrame,
    members: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
    *,
    mapping: Mapping[str, str] | None = None,
    member_mapping: Mapping[str, str] | None = None,
    tz: str = "UTC",
    source: Source | None = None,
    members_source: Source | None = None,
    activities_source: Source | None = None,
    split_activities: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    set_columns: Mapping[str, object] | None = None,
    ignore: Sequence[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None, list[str]]:
    """Normalise the three tables of a log and check them against each other.

    The cross-table checks: participants missing from a given members table
    (kept, as outsiders) and activities missing from a given activities table
    (kept, their type unknown) are noted; the ids of listed members who never
    took part join the ``member_id`` categories.  An activity id with rows on
    many distinct days is noted as probably recurring
    (:func:`cop.occurrences.recurring_note`); ``split_activities="day"`` or
    ``"week"`` makes one activity per occurrence first
    (:func:`cop.occurrences.split_activities`: the id plus the date, and a
    given activities table's row is copied to each occurrence).  An
    ``organization`` column of the participations becomes the members table
    when none is given (each member's most frequent value, noted when a member
    has several); with a members table it is ignored (noted).

    Returns
    -------
    rows, members, activities : pandas.DataFrame
        As :func:`normalize_participations`, :func:`normalize_members` and
        :func:`normalize_activities` return them (``None`` for a table not given).
    notes : list of str
        Everything accepted with a warning.

    Examples
    --------
    >>> import pandas as pd
    >>> rows, mem, _, notes = normalize_log(
    ...     pd.DataFrame({"activity_id": ["e1", "e1"], "member_id": ["ann", "bo"], "timestamp": ["2024-01-01"] * 2}),
    ...     pd.DataFrame({"member_id": ["ann", "cy"]}))
    >>> list(rows["member_id"].cat.categories), len(notes)
    (['ann', 'bo', 'cy'], 1)
    """
    if not isinstance(tz, str):
        raise ConfigError(f"parameter 'tz': expected the name of a time zone (e.g. 'UTC' or 'Europe/Helsinki'), got {tz!r}")
    check_timezone(tz)
    src = source or Source.frame()
    notes: list[str] = []
    rows, _ = normalize_participations(frame, source=src, mapping=mapping, tz=tz, notes=notes,
                                       date_format=date_format, dayfirst=dayfirst, set_columns=set_columns, ignore=ignore)
    if "organization" in rows.columns:
        if members is None:
            members, members_source = _members_from_log(rows, src, notes), Source.frame(f"the organization column of {src.name}")
            member_mapping = None
        else:
            notes.append(f"{src.name}: its organization column is ignored; the members table gives each member's organization")
        rows = rows.drop(columns=["organization"])
    originals = None
    if split_activities is not None:
        originals = rows["activity_id"]
        rows = _split(rows, split_activities, tz=tz)
    else:
        note = recurring_note(rows, tz=tz, source_name=src.name)
        if note:
            notes.append(note)
    mem = None
    if members is not None:
        msrc = members_source or Source.frame("<members DataFrame>")
        mem = normalize_members(members, source=msrc, mapping=member_mapping, tz=tz, notes=notes)
        known = pd.Index(mem["member_id"])
        codes = rows["member_id"].cat.codes.to_numpy()
        unlisted_cat = ~rows["member_id"].cat.categories.isin(known)
        if unlisted_cat.any():
            bad = np.flatnonzero(unlisted_cat[codes])
            notes.append(
                f"{src.name}: {int(unlisted_cat.sum())} participant(s) are not in {msrc.name} "
                f"(first at {src.rows(bad[:5], len(bad))}); they are treated as outsiders"
            )
        all_ids = rows["member_id"].cat.categories.union(known, sort=False)
        rows["member_id"] = rows["member_id"].cat.set_categories(all_ids)
    act = None
    if activities is not None:
        asrc = activities_source or Source.frame("<activities DataFrame>")
        act = normalize_activities(activities, source=asrc, notes=notes)
        if originals is not None:  # each occurrence keeps its series' details
            pairs = pd.DataFrame({"series": originals.astype(str).to_numpy(), "occ": rows["activity_id"].astype(str).to_numpy()})
            pairs = pairs.drop_duplicates()
            act = pairs.merge(act, left_on="series", right_on="activity_id", how="inner")
            act = act.drop(columns=["series", "activity_id"]).rename(columns={"occ": "activity_id"})
            act = act[["activity_id", *[c for c in act.columns if c != "activity_id"]]].reset_index(drop=True)
        missing = ~rows["activity_id"].cat.categories.isin(pd.Index(act["activity_id"]))
        if missing.any():
            bad = np.flatnonzero(missing[rows["activity_id"].cat.codes.to_numpy()])
            notes.append(
                f"{src.name}: {int(missing.sum())} activit(y/ies) have no row in {asrc.name} "
                f"(first at {src.rows(bad[:5], len(bad))}); their type and external flag are unknown"
            )
    return rows, mem, act, notes
