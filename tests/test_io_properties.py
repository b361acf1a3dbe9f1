"""Property tests of every reader and of ``from_frame``: any input loads or raises one cop error; valid logs round-trip.

The fuzzers draw tables cell by cell (hypothesis) and write them as CSV, TSV,
JSON Lines or Parquet, or hand them to :meth:`ActivityLog.from_frame` with
typed columns (numbers, bytes, booleans, categoricals, nested values).  The
oracle test writes random valid logs in every format (:mod:`_loader_cases`,
seeded by hypothesis) and compares the loaded rows with the rows meant, the
instants to the nanosecond.  ``benchmarks/reliability.py`` runs the long version.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _loader_cases import FORMATS, check, oracle_case
from cop import ActivityLog, read_activities
from cop.exceptions import CopError

# Years beyond 2262 are left out here: cop.timestamps handles them (tested there).
CELLS = st.one_of(
    st.sampled_from(["", " ", "a", "b", "x1", "2024-01-01", "2024-02-30", "2024-03-01T10:00:00+02:00",
                     "2024-03-01T10:00:00Z", "-1", "1.5", "nan", "inf", "event", "presence", "Party", "public",
                     "secret", "ai; design", "NULL", "None", "0", "1", "ü", "e\u0301", "1e400", "a,b", 'q"q', "x\ny"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
)
HEADERS = st.lists(
    st.sampled_from(["activity_id", "member_id", "timestamp", "kind", "role", "topic", "weight", "channel",
                     "source", "target", "extra"]),
    min_size=1, max_size=7,
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _load(path, tz="UTC"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_activities(path, tz=tz)


def _outcome(load, name):
    """Run ``load``: a log, or ``None`` after a cop error that names ``name``; anything else fails the test."""
    try:
        log = load()
    except CopError as exc:
        assert name in str(exc) or "parameter" in str(exc), str(exc)
        return None
    assert len(log) >= 1
    assert str(log.data["timestamp"].dt.tz) == "UTC"
    assert (log.data["weight"] >= 0).all()
    return log


def _csv_cell(c: str, sep: str) -> str:
    return '"' + c.replace('"', '""') + '"' if (sep in c or '"' in c or "\n" in c or "\r" in c) else c


@SETTINGS
@given(HEADERS, st.data(), st.sampled_from([",", ";", "\t"]), st.booleans())
def test_csv_reader_fuzz(tmp_path, header, data, sep, blank_lines):
    rows = [[data.draw(CELLS) for _ in header] for _ in range(data.draw(st.integers(0, 6)))]
    lines = [sep.join(header)] + [sep.join(_csv_cell(c, sep) for c in r) for r in rows]
    if blank_lines:
        lines = [x for line in lines for x in (line, "")]
    path = tmp_path / ("fuzz.tsv" if sep == "\t" else "fuzz.csv")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _outcome(lambda: _load(path, data.draw(st.sampled_from(["UTC", "Europe/Helsinki"]))), path.name)


JSON_VALUES = st.one_of(CELLS, st.none(), st.booleans(), st.integers(-3, 10**12), st.floats(allow_nan=False),
                        st.just({"a": 1}), st.just([1, 2]))


@SETTINGS
@given(HEADERS, st.data(), st.booleans())
def test_json_lines_reader_fuzz(tmp_path, header, data, as_array):
    recs = [{h: data.draw(JSON_VALUES) for h in header} for _ in range(data.draw(st.integers(0, 6)))]
    path = tmp_path / ("fuzz.json" if as_array else "fuzz.jsonl")
    text = json.dumps(recs) if as_array else "\n".join(json.dumps(r) for r in recs) + "\n"
    path.write_text(text, encoding="utf-8")
    _outcome(lambda: _load(path), path.name)


def _typed_column(data, n: int, parquet: bool):
    kind = data.draw(st.sampled_from(["text", "float", "int", "bytes", "bool", "category", "datetime"]
                                     + ([] if parquet else ["nested", "nullable-bool", "mixed"])))
    if kind == "text":
        return [data.draw(CELLS) for _ in range(n)]
    if kind == "float":
        return pd.array([data.draw(st.one_of(st.floats(-1e6, 1e6), st.just(float(data.draw(st.integers(0, 5)))))) for _ in range(n)], dtype="float64")
    if kind == "int":
        return np.array([data.draw(st.integers(-5, 2**40)) for _ in range(n)], dtype=np.int64)
    if kind == "bytes":
        return [data.draw(st.one_of(st.binary(max_size=4), CELLS.map(lambda s: s.encode("utf-8", "surrogatepass")))) for _ in range(n)]
    if kind == "bool":
        return np.array([data.draw(st.booleans()) for _ in range(n)])
    if kind == "category":
        values = [data.draw(CELLS) for _ in range(n)]
        return pd.Categorical(values, categories=sorted(set(values) | {data.draw(CELLS)}))  # maybe an unused category
    if kind == "datetime":
        return pd.to_datetime([data.draw(st.integers(0, 4 * 10**18)) for _ in range(n)], unit="ns", utc=True)
    if kind == "nested":
        return [data.draw(st.sampled_from([{"a": 1}, [1], (1, 2), "x"])) for _ in range(n)]
    if kind == "nullable-bool":
        return pd.array([data.draw(st.sampled_from([True, False, None])) for _ in range(n)], dtype="boolean")
    return [data.draw(st.sampled_from([1, 1.0, "1", None, b"1", True])) for _ in range(n)]


@SETTINGS
@given(HEADERS.map(lambda h: list(dict.fromkeys(h))), st.data())
def test_parquet_reader_fuzz(tmp_path, header, data):
    n = data.draw(st.integers(0, 5))
    frame = pd.DataFrame({h: _typed_column(data, n, parquet=True) for h in header})
    path = tmp_path / "fuzz.parquet"
    try:
        frame.to_parquet(path)
    except Exception:  # noqa: BLE001 - a frame pyarrow cannot store is no Parquet input
        return
    _outcome(lambda: _load(path), path.name)


@SETTINGS
@given(HEADERS, st.data(), st.sampled_from(["UTC", "Europe/Helsinki", None, "Nowhere/Land"]))
def test_from_frame_fuzz(header, data, tz):
    n = data.draw(st.integers(0, 5))
    frame = pd.DataFrame({f"c{i}": _typed_column(data, n, parquet=False) for i in range(len(header))})
    frame.columns = header  # may repeat a name
    side = None
    if data.draw(st.booleans()):
        side_cols = data.draw(st.lists(st.sampled_from(["member_id", "activity_id", "organization", "role", "joined",
                                                        "external", "type"]), min_size=1, max_size=4))
        side = pd.DataFrame({f"c{i}": _typed_column(data, 2, parquet=False) for i in range(len(side_cols))})
        side.columns = side_cols
    as_members = data.draw(st.booleans())

    def load():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kw = {"members": side} if as_members else {"activities": side}
            return ActivityLog.from_frame(frame, tz=tz, **kw)

    _outcome(load, "DataFrame")


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_oracle_round_trip(tmp_path, fmt, seed):
    """A valid log written in any format loads as the rows it means, or changes them only with a warning."""
    case = oracle_case(np.random.default_rng(seed), tmp_path, fmt)
    outcome, detail = check(case)
    assert outcome in ("accepted", "warned"), detail
