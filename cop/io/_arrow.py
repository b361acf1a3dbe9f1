"""Arrow columns to pandas: strings and dictionaries become categoricals of ``str`` objects."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cop.timestamps import parse_iso_arrow
from cop.timestamps.arrow import utc_array

__all__ = ["arrow_to_pandas", "categorical", "dictionary_to_categorical"]


def arrow_to_pandas(
    names: list[str], columns: list[pa.ChunkedArray], timestamps: tuple[str, str] | None = None
) -> pd.DataFrame:
    """Arrow columns to a frame: strings and dictionaries become categoricals of ``str`` objects.

    ``timestamps`` is ``(column, tz)``: that column becomes ``datetime64[ns, UTC]``
    when :func:`~cop.timestamps.parse_iso_arrow` parses all of it (else a
    categorical like the others, parsed later with the precise messages).
    Columns are converted in parallel (Arrow releases the GIL); ``columns`` is
    emptied as it goes, so each Arrow column is released once converted.  A
    column that is already a pandas array is taken as it is.  The frame holds
    the converted arrays themselves (no copy: they are new).
    """
    def convert(i: int):
        col, columns[i] = columns[i], None
        if not isinstance(col, (pa.ChunkedArray, pa.Array)):
            return col
        if timestamps is not None and names[i] == timestamps[0]:
            parsed = parse_iso_arrow(col, timestamps[1])
            if parsed is not None:
                return utc_array(parsed)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = pc.dictionary_encode(col)  # one shared dictionary for all chunks
        if pa.types.is_dictionary(col.type):
            return dictionary_to_categorical(col)
        return col.to_pandas()

    n = len(names)
    workers = min(n, os.cpu_count() or 1, 4)
    if workers > 1:
        # the widest columns first, so that the long ones do not start last
        order = sorted(range(n), key=lambda i: -columns[i].nbytes)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {i: pool.submit(convert, i) for i in order}
            converted = {i: futures[i].result() for i in range(n)}
    else:
        converted = {i: convert(i) for i in range(n)}
    return pd.DataFrame({names[i]: converted.pop(i) for i in range(n)}, copy=False)


def dictionary_to_categorical(col: pa.ChunkedArray) -> pd.Categorical:
    chunks = list(col.chunks)
    if not chunks:
        return pd.Categorical.from_codes(np.array([], dtype=np.int32), categories=pd.Index([], dtype=object), validate=False)
    first = chunks[0].dictionary
    if any(not _same_array(c.dictionary, first) for c in chunks[1:]):
        chunks = list(col.unify_dictionaries().chunks)
        first = chunks[0].dictionary
    dictionary = first.to_numpy(zero_copy_only=False).astype(object, copy=False)
    # missing cells (null indices) get code -1
    codes = np.concatenate([(c.indices.fill_null(-1) if c.null_count else c.indices).to_numpy(zero_copy_only=False)
                            for c in chunks]).astype(np.int32, copy=False)
    return categorical(codes, dictionary, first.null_count == 0)


def categorical(codes: np.ndarray, dictionary: np.ndarray, unique: bool = True) -> pd.Categorical:
    """A categorical of ``dictionary``'s values (``str`` objects) at ``codes`` (int32, -1 missing), holding ``codes`` itself.

    ``unique``: the values are known to be distinct (a dictionary's), so
    pandas' check (a hash of every category) is skipped where pandas offers
    the unchecked constructor.

    Examples
    --------
    >>> import numpy as np
    >>> categorical(np.array([1, -1, 0], dtype=np.int32), np.array(["a", "b"], dtype=object)).tolist()
    ['b', nan, 'a']
    """
    fastpath = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fastpath is not None and unique:
        dtype = fastpath(pd.Index(dictionary, dtype=object), False)
    else:
        try:
            dtype = pd.CategoricalDtype(pd.Index(dictionary, dtype=object))  # checks that the values are unique
        except ValueError:  # pragma: no cover - Arrow dictionaries are unique
            return pd.Categorical(dictionary[np.maximum(codes, 0)])
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _same_array(a: pa.Array, b: pa.Array) -> bool:
    """Whether two Arrow arrays are views of the same buffers (a cheap identity test)."""
    if a is b:
        return True
    if len(a) != len(b) or a.offset != b.offset:
        return False
    return [x.address if x is not None else None for x in a.buffers()] == [x.address if x is not None else None for x in b.buffers()]
