"""Generated loader inputs with known answers, shared by the fuzz tests and ``benchmarks/reliability.py``.

:func:`oracle_case` writes a random log in one format (CSV, TSV, gzipped CSV,
JSON Lines, a JSON array, Parquet, or a DataFrame) together with the rows it
*means*: ids, the instant of every timestamp to the nanosecond (computed here
with :mod:`datetime`, independently of cop's parser), kind, topic, weight,
channel.  The rows may hold what loaders must cope with: blank lines, quoted
delimiters and newlines, extra columns, decomposed Unicode, whole numbers
stored as floats, bytes, exact duplicates.

:func:`hostile_case` writes inputs that are broken on purpose (missing or
repeated columns, ragged rows, bad bytes, nested JSON, impossible values); they
have no meaning, only the rule that loading them raises one cop error or
works.

:func:`check` loads a case and classifies the result: ``accepted`` (rows equal
to the meaning), ``warned`` (rows differ, and a warning says so), ``silent``
(rows differ without a warning: a defect), ``rejected`` (a cop error) or
``crashed`` (any other exception: a defect).  Comparisons apply cop's
documented normalisations only: text stripped of surrounding spaces, ``kind``
and ``topic`` compared case-insensitively.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FORMATS = ("csv", "tsv", "csv.gz", "jsonl", "json", "parquet", "frame")
KINDS = ("event", "interaction", "collaboration", "presence", "contribution")
CHANNELS = ("public", "private", "")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_NAMES = ["ann", "bo", "cy", "José", "Åsa", "Zoë", "mü ller", "ñ", "李", "a,b", 'q"q', "line\nbreak", "007", "1", "2",
          "x" * 40, "ann;bo", "tab\there", "ß", "İ"]
_TOPICS = ["ai", "design", "ai;design", "health", "", "sustainability"]


@dataclass
class Case:
    """One generated input: how to load it, and (for oracle cases) what it means."""

    kind: str  # "oracle" or "hostile"
    format: str
    path: Path | None = None
    frame: pd.DataFrame | None = None
    tz: str = "UTC"
    truth: pd.DataFrame | None = None  # the rows meant, in file order, duplicates included
    expect_warning: bool = False  # whether the meaning can only be kept with a warning (duplicates...)
    dropped: np.ndarray | None = None  # rows that are exact duplicates as written
    load_kw: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ oracle cases
def _instant(rng: np.random.Generator) -> int:
    """A random instant in 1990-2100 in nanoseconds since the epoch."""
    lo = int((dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc) - _EPOCH).total_seconds())
    hi = int((dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc) - _EPOCH).total_seconds())
    sec = int(rng.integers(lo, hi))
    frac = int(rng.choice([0, int(rng.integers(0, 10**9)), int(rng.integers(0, 1000)) * 10**6]))
    return sec * 10**9 + frac


def _format_instant(ns: int, rng: np.random.Generator, tz_offset_min: int | None) -> tuple[str, int]:
    """Text for an instant (and the instant it means, which a date-only form moves to midnight)."""
    sec, frac = divmod(ns, 10**9)
    form = int(rng.integers(0, 5))
    offset = int(rng.choice([0, 60, -300, 330, 345, -570, 840])) if form in (1, 2) else 0
    if form == 4:  # a date only: midnight in the zone of naive values
        offset = tz_offset_min or 0
    local = _EPOCH + dt.timedelta(seconds=sec, minutes=offset if form != 3 else (tz_offset_min or 0))
    if form == 4:
        local = local.replace(hour=0, minute=0, second=0)
        ns_meant = int((local.replace(tzinfo=None) - dt.datetime(1970, 1, 1)).total_seconds() - 60 * offset) * 10**9
        return local.strftime("%Y-%m-%d"), ns_meant
    digits = f".{frac:09d}" if frac else ""
    body = local.strftime("%Y-%m-%dT%H:%M:%S" if rng.random() < 0.8 else "%Y-%m-%d %H:%M:%S") + digits
    if form == 0:
        return body + "Z", ns
    if form in (1, 2):
        sign = "+" if offset >= 0 else "-"
        return body + f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}", ns
    return body, ns  # naive: in the zone tz


def oracle_case(rng: np.random.Generator, folder: Path, fmt: str | None = None) -> Case:
    """A random valid log written in one format, with the rows it means."""
    fmt = fmt or str(rng.choice(FORMATS))
    n = int(rng.integers(1, 25))
    tz, tz_off = (("UTC", 0) if rng.random() < 0.7 else ("Asia/Kolkata", 330))  # no DST: one offset
    names = list(rng.choice(_NAMES, size=min(len(_NAMES), int(rng.integers(2, 8))), replace=False))
    if fmt in ("jsonl", "json", "csv", "tsv", "csv.gz"):
        names = [x for x in names if "\n" not in x or fmt in ("jsonl", "json", "csv", "csv.gz")] or ["ann"]
    acts = [f"e{i}" for i in range(int(rng.integers(1, 6)))]
    rows, texts = [], []
    for _ in range(n):
        ns = _instant(rng)
        text, meant = _format_instant(ns, rng, tz_off)
        rows.append({
            "activity_id": str(rng.choice(acts)),
            "member_id": str(rng.choice(names)),
            "timestamp": meant,
            "kind": str(rng.choice(KINDS)),
            "topic": str(rng.choice(_TOPICS)),
            "weight": float(rng.choice([1.0, 0.5, 2.0, 3.25, 0.0])),
            "channel": str(rng.choice(CHANNELS)),
            "note": str(rng.choice(["", "hello", "hello, world", "x;y", "ü"])),
        })
        texts.append(text)
    if n > 2 and rng.random() < 0.2:  # an exact duplicate row: dropped, with a warning
        k = int(rng.integers(0, n))
        rows.append(dict(rows[k]))
        texts.append(texts[k])
    truth = pd.DataFrame(rows)
    expect_warning = False
    # decomposed spellings: read as composed, with a warning
    written_ids = truth["member_id"].copy()
    if rng.random() < 0.2:
        nfd = written_ids.map(lambda s: unicodedata.normalize("NFD", s))
        if (nfd != written_ids).any():
            written_ids = nfd
            expect_warning = True
    case = Case("oracle", fmt, tz=tz, truth=truth[["activity_id", "member_id", "timestamp", "kind", "topic", "weight", "channel"]],
                expect_warning=expect_warning)
    table = pd.DataFrame({
        "activity_id": truth["activity_id"], "member_id": written_ids, "timestamp": texts,
        "kind": truth["kind"].map(lambda k: k.upper() if rng.random() < 0.2 else k),
        "topic": truth["topic"], "weight": truth["weight"].map(lambda w: f"{w:g}"),
        "channel": truth["channel"], "note": truth["note"],
    })
    cols = ["activity_id", "member_id", "timestamp"] + [c for c in ("kind", "topic", "weight", "channel", "note") if rng.random() < 0.8]
    for c in ("kind", "weight", "channel", "topic"):
        if c not in cols:
            case.truth[c] = {"kind": "event", "weight": 1.0, "channel": None, "topic": ""}[c]
    order = list(rng.permutation(cols))
    table = table[order]
    written_dup = table.duplicated().to_numpy()
    if written_dup.any():  # exact duplicates as written: dropped, with a warning
        case.expect_warning = True
        case.dropped = written_dup
    if fmt == "frame":
        if rng.random() < 0.5:
            table["timestamp"] = pd.to_datetime(truth["timestamp"].to_numpy(), unit="ns", utc=True)
        if "weight" in table and rng.random() < 0.5:
            table["weight"] = truth["weight"]
        case.frame = table
        return case
    path = folder / f"case.{fmt}"
    if fmt in ("csv", "tsv", "csv.gz"):
        sep = "\t" if fmt == "tsv" else str(rng.choice([",", ";"]))
        if sep == ";" and ";" in "".join(table.astype(str).to_numpy().ravel()) and rng.random() < 0.5:
            sep = ","
        lines = [_csv_line(order, sep)] + [_csv_line([str(v) for v in r], sep) for r in table.astype(str).to_numpy()]
        out = []
        for i, line in enumerate(lines):
            out.append(line)
            if i and rng.random() < 0.1:
                out.append("")  # blank lines are skipped
        data = ("\n".join(out) + "\n").encode("utf-8")
        path.write_bytes(gzip.compress(data) if fmt == "csv.gz" else data)
    elif fmt in ("jsonl", "json"):
        recs = [{k: v for k, v in r.items()} for r in table.to_dict("records")]
        if "weight" in table and rng.random() < 0.5:
            for r, w in zip(recs, truth["weight"]):
                r["weight"] = w
        if fmt == "json":
            path.write_text(json.dumps(recs, ensure_ascii=bool(rng.random() < 0.5)), encoding="utf-8")
        else:
            body = []
            for r in recs:
                body.append(json.dumps(r, ensure_ascii=bool(rng.random() < 0.5)))
                if rng.random() < 0.1:
                    body.append("")
            path.write_text("\n".join(body) + "\n", encoding="utf-8")
    else:
        if rng.random() < 0.5:
            table["timestamp"] = pd.to_datetime(truth["timestamp"].to_numpy(), unit="ns", utc=True)
        if "weight" in table and rng.random() < 0.5:
            table["weight"] = truth["weight"]
        if rng.random() < 0.3:  # text stored as bytes
            table["member_id"] = table["member_id"].map(lambda s: s.encode("utf-8"))
        if rng.random() < 0.3:  # integer ids with a gap: stored as floats
            ids = {s: i + 1 for i, s in enumerate(sorted(set(truth["activity_id"])))}
            table["activity_id"] = truth["activity_id"].map(ids).astype("float64")
            case.truth["activity_id"] = truth["activity_id"].map(lambda s: str(ids[s]))
            case.expect_warning = True
        table.to_parquet(path)
    case.path = path
    return case


def _csv_line(cells: list[str], sep: str) -> str:
    return sep.join('"' + c.replace('"', '""') + '"' if (sep in c or '"' in c or "\n" in c or c != c.strip()) else c for c in cells)


# ------------------------------------------------------------------ hostile cases
_HOSTILE_CELLS = ["a", "b", "2024-01-01", "2024-03-01T10:00:00Z", "event", "1"] * 12 + ["", " ", "a", "2024-01-01", "2024-02-30", "2024-03-01T10:00:00+02:00", "2024-03-01T24:00:00Z",
                  "-1", "1.5", "nan", "inf", "1e400", "event", "Party", "online", "secret", "ai; design", "NULL",
                  "None", "0", "ü", "\u0301", "x\x01y", "9999-12-31", "💥", "[1]", "{}", "true"]
_HEADERS = ["activity_id", "member_id", "timestamp", "kind", "role", "topic", "weight", "channel", "source", "target", "extra"]


def hostile_case(rng: np.random.Generator, folder: Path, fmt: str | None = None) -> Case:
    """A random input that may be broken in any way; loading it must work or raise one cop error."""
    fmt = fmt or str(rng.choice(FORMATS))
    header = list(rng.choice(_HEADERS, size=int(rng.integers(1, 8)), replace=rng.random() < 0.15))
    if rng.random() < 0.6:  # most inputs have the required columns, so that the cells are what is tested
        header = ["activity_id", "member_id", "timestamp"] + [h for h in header if h not in ("activity_id", "member_id", "timestamp")]
    n = int(rng.integers(0, 7))
    cells = [[str(rng.choice(_HOSTILE_CELLS)) for _ in header] for _ in range(n)]
    case = Case("hostile", fmt, tz=str(rng.choice(["UTC", "Europe/Helsinki"])))
    if fmt == "frame":
        frame = pd.DataFrame(cells, columns=header) if header else pd.DataFrame()
        for j in range(frame.shape[1]):
            r = rng.random()
            col = frame.iloc[:, j]
            if r < 0.1:
                frame.isetitem(j, pd.to_numeric(col, errors="coerce"))
            elif r < 0.2:
                frame.isetitem(j, col.astype("category"))
            elif r < 0.25:
                frame.isetitem(j, pd.Series([{"a": 1}] * len(col), dtype=object))
            elif r < 0.3:
                frame.isetitem(j, pd.array([True, pd.NA] * (len(col) // 2) + [False] * (len(col) % 2), dtype="boolean"))
        case.frame = frame
        return case
    path = folder / f"hostile.{fmt}"
    if fmt in ("csv", "tsv", "csv.gz"):
        sep = "\t" if fmt == "tsv" else ","
        lines = [sep.join(header)] + [sep.join(r[: int(rng.integers(0, len(r) + 1))] if rng.random() < 0.1 else r) for r in cells]
        data = ("\n".join(lines) + ("\n" if rng.random() < 0.8 else "")).encode("utf-8")
        r = rng.random()
        if r < 0.05:
            data = data[: int(rng.integers(0, len(data) + 1))]
        elif r < 0.1:
            data += b"\xff\xfe"
        elif r < 0.15:
            data = data.replace(b"a", b"a\x00", 1)
        path.write_bytes(gzip.compress(data) if fmt == "csv.gz" else data)
    elif fmt in ("jsonl", "json"):
        recs = []
        for r in cells:
            rec = {}
            for h, c in zip(header, r):
                v: Any = c
                x = rng.random()
                if x < 0.1:
                    v = {"nested": c}
                elif x < 0.2:
                    v = [c]
                elif x < 0.3:
                    v = float(rng.integers(0, 5))
                elif x < 0.35:
                    v = None
                rec[h] = v
            recs.append(rec)
        text = json.dumps(recs) if fmt == "json" else "\n".join(json.dumps(r) for r in recs) + "\n"
        if rng.random() < 0.1:
            text = text[: int(rng.integers(0, len(text) + 1))]
        path.write_text(text, encoding="utf-8")
    else:
        if len(set(header)) != len(header):
            header = list(dict.fromkeys(header))
            cells = [r[: len(header)] for r in cells]
        frame = pd.DataFrame(cells, columns=header) if header else pd.DataFrame({"x": [1]})
        for j in range(frame.shape[1]):
            r = rng.random()
            col = frame.iloc[:, j]
            if r < 0.15:
                frame.isetitem(j, pd.to_numeric(col, errors="coerce"))
            elif r < 0.25:
                frame.isetitem(j, col.map(lambda s: s.encode("utf-8") if rng.random() < 0.8 else b"\xff"))
        try:
            frame.to_parquet(path)
        except Exception:  # a frame pyarrow cannot store: write junk instead
            path.write_bytes(b"PAR1 not really")
        if rng.random() < 0.05:
            path.write_bytes(path.read_bytes()[: int(rng.integers(0, 64))])
    case.path = path
    return case


# ------------------------------------------------------------------ checking
def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "activity_id": frame["activity_id"].astype(str).str.strip().map(lambda s: unicodedata.normalize("NFC", s)),
        "member_id": frame["member_id"].astype(str).str.strip(),
        "timestamp": np.asarray(frame["timestamp"], dtype=np.int64) if frame["timestamp"].dtype.kind == "i"
        else frame["timestamp"].dt.tz_convert("UTC").array.as_unit("ns").asi8,
        "kind": frame["kind"].astype(str).str.lower(),
        "topic": frame["topic"].astype(object).where(frame["topic"].notna(), "").astype(str).str.lower().str.replace(" ", ""),
        "weight": frame["weight"].astype(float),
        "channel": frame["channel"].astype(object).where(frame["channel"].notna(), "").astype(str).str.lower(),
    })
    return out.reset_index(drop=True)


def check(case: Case) -> tuple[str, str]:
    """Load ``case`` and classify the result (see the module docstring), with a detail for defects."""
    from cop import ActivityLog, read_activities
    from cop.exceptions import CopError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case.frame is not None:
                log = ActivityLog.from_frame(case.frame, tz=case.tz, **case.load_kw)
            else:
                log = read_activities(case.path, tz=case.tz, emit_warnings=False, **case.load_kw)
    except CopError as exc:
        where = case.path.name if case.path is not None else "DataFrame"
        if case.kind == "oracle":
            return "silent", f"a valid input was rejected: {exc}"
        if where not in str(exc) and "parameter" not in str(exc):
            return "crashed", f"the message does not name {where}: {exc}"
        return "rejected", ""
    except Exception as exc:  # noqa: BLE001 - counting what is not a cop error
        return "crashed", f"{type(exc).__name__}: {exc}"
    if case.truth is None:
        return "accepted", ""
    got = _canonical(log.data)
    want = _canonical(case.truth)
    want_nodup = want[~case.dropped].reset_index(drop=True) if case.dropped is not None else want
    same = len(got) == len(want) and got.equals(want)
    if same:
        return ("accepted", "") if not case.expect_warning or log.warnings else ("silent", "an expected warning is missing")
    if log.warnings and len(got) == len(want_nodup) and got.equals(want_nodup):
        return "warned", ""
    if log.warnings and _equal_but_ids(got, want_nodup):
        return "warned", ""
    diff = _first_difference(got, want)
    return "silent", diff


def _equal_but_ids(got: pd.DataFrame, want: pd.DataFrame) -> bool:
    """Equal once ids are in form NFC (a change cop warns about)."""
    if len(got) != len(want):
        return False
    w = want.copy()
    w["member_id"] = w["member_id"].map(lambda s: unicodedata.normalize("NFC", s))
    return got.equals(w)


def _first_difference(got: pd.DataFrame, want: pd.DataFrame) -> str:
    if len(got) != len(want):
        return f"{len(got)} rows loaded, {len(want)} written"
    for col in got.columns:
        bad = np.flatnonzero(got[col].to_numpy() != want[col].to_numpy())
        if len(bad):
            i = bad[0]
            return f"row {i}, column {col}: loaded {got[col].iloc[i]!r}, written {want[col].iloc[i]!r}"
    return "dtypes differ"
