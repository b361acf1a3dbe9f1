"""The Parquet reader (``.parquet``, ``.pq``).

Binary (``bytes``) columns are decoded as UTF-8 text, and a column that is not
valid UTF-8 is an error naming it; numbers stored as floats in id columns are
turned back into integers by the normaliser (:func:`cop.columns.clean_ids`),
with a warning.

Examples
--------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> from cop.io.parquetfile import read_parquet
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
>>> pd.DataFrame({"member_id": [b"ann", b"bo"]}).to_parquet(p)
>>> read_parquet(p)[0]["member_id"].tolist()
['ann', 'bo']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cop._locate import Source
from cop.exceptions import FileFormatError
from cop.io.registry import Reader, register_reader

__all__ = ["read_parquet", "READER"]


def read_parquet(path: Path, timestamps: tuple[str, str] | None = None) -> tuple[pd.DataFrame, Source]:
    """Read a Parquet file into a frame, and its :class:`Source` (``timestamps`` is unused)."""
    path = Path(path)
    try:
        names = pq.read_schema(path).names
        if len(set(names)) != len(names):
            repeated = sorted({n for n in names if names.count(n) > 1})
            raise FileFormatError(
                f"{path}: names a column more than once: {', '.join(map(repr, repeated))}; expected each column name once"
            )
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileFormatError(f"{path}: is not a Parquet file ({str(exc).splitlines()[0]})") from None
    for i, field in enumerate(table.schema):
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            try:
                table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                raise FileFormatError(
                    f"{path}, column '{field.name}': binary values that are not UTF-8 text; expected text"
                ) from None
    try:
        frame = table.to_pandas()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError) as exc:
        raise FileFormatError(f"{path}: cannot convert to a table ({str(exc).splitlines()[0]})") from None
    return frame, Source.file(path, "parquet")


READER = register_reader(Reader(name="parquet", read=read_parquet, suffixes=(".parquet", ".pq"),
                                description="Apache Parquet"))
