"""Shared pieces of the export readers (Slack, Discord, mbox, iCalendar, git, GitHub, Perceval).

An export reader turns a tool's export into cop's participation rows: it
collects one :class:`Part` per (activity, member, way of taking part) and
:func:`rows` folds them into one row per activity and member, keeping the
strongest way (highest weight, then earliest time) and that member's earliest
time in the activity, so that no row is an exact duplicate of another.

Examples
--------
>>> from cop.io._export import Part, rows
>>> frame = rows([Part("t1", "u1", 10.0, "interaction", "starter", 1.0),
...               Part("t1", "u1", 20.0, "interaction", "replier", 0.5),
...               Part("t1", "u2", 30.0, "interaction", "reactor", 0.25)])
>>> frame[["member_id", "role", "weight"]].values.tolist()
[['u1', 'starter', 1.0], ['u2', 'reactor', 0.25]]
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import FileFormatError

__all__ = ["Part", "Export", "rows", "bad", "sniff_json", "load_json", "is_bot_name", "READ_ERRORS"]

#: Low-level exceptions of reading archives and text that readers turn into one :class:`FileFormatError`.
READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError)


_MIN_SECONDS = pd.Timestamp("1678-01-01", tz="UTC").timestamp()
_MAX_SECONDS = pd.Timestamp("2261-12-31", tz="UTC").timestamp()


class Part(NamedTuple):
    """One way a member took part in an activity (``timestamp`` in seconds since the epoch, UTC)."""

    activity_id: str
    member_id: str
    timestamp: float
    kind: str
    role: str
    weight: float
    topic: str | None = None
    channel: str | None = None


@dataclass
class Export:
    """What an export reader gives :func:`cop.io.read_activities`."""

    frame: pd.DataFrame
    source: Source
    members: pd.DataFrame | None = None
    members_source: Source | None = None
    #: Counts of what was dropped (bots, system messages...), shown as warnings.
    notes: list[str] = field(default_factory=list)


def bad(path: str | os.PathLike[str], where: str, problem: str, expected: str) -> FileFormatError:
    """The one error of a malformed export: ``file, where: problem; expected ...``."""
    return FileFormatError(f"{os.fspath(path)}, {where}: {problem}; expected {expected}")


def rows(parts: Iterable[tuple], *, path: str | os.PathLike[str] | None = None, what: str = "participations") -> pd.DataFrame:
    """One row per (activity, member): the strongest participation, at the member's earliest time in the activity.

    ``parts`` are :class:`Part` values or plain tuples of the same eight fields.  Rows come in
    the order their (activity, member) pair was first seen.
    """
    cols = list(zip(*parts))
    if not cols:
        raise FileFormatError(f"{os.fspath(path) if path is not None else 'the export'}: holds no {what}; expected at least one")
    raw = pd.DataFrame({f: pd.Series(np.array(c, dtype="float64" if f in ("timestamp", "weight") else object), copy=False)
                        for f, c in zip(Part._fields, cols)})
    if raw.empty:
        raise FileFormatError(f"{os.fspath(path) if path is not None else 'the export'}: holds no {what}; expected at least one")
    stamps = raw["timestamp"].to_numpy(dtype="float64")
    out_of_range = ~((stamps > _MIN_SECONDS) & (stamps < _MAX_SECONDS))  # also NaN
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise bad(path if path is not None else "the export", f"activity {raw['activity_id'].iat[i]!r}, member {raw['member_id'].iat[i]!r}",
                  f"has a time {stamps[i]!r} seconds from 1970, outside the years 1678-2261", "a time between those years")
    keys = ["activity_id", "member_id"]
    first = raw.groupby(keys, sort=False)["timestamp"].transform("min")
    raw["_pos"] = raw.groupby(keys, sort=False).ngroup()
    raw["timestamp"] = first
    # the strongest way of each pair: highest weight, then the earliest part (a stable sort keeps input order)
    best = raw.sort_values("weight", ascending=False, kind="stable").drop_duplicates(keys).sort_values("_pos")
    frame = pd.DataFrame({
        "activity_id": best["activity_id"].to_numpy(),
        "member_id": best["member_id"].to_numpy(),
        # to the microsecond: a float holds seconds since 1970 to about 0.25 microseconds
        "timestamp": pd.to_datetime((best["timestamp"].astype("float64") * 1e6).round().to_numpy(), unit="us", utc=True)
        .astype("datetime64[ns, UTC]"),
        "kind": best["kind"].to_numpy(),
        "role": best["role"].to_numpy(),
        "weight": best["weight"].to_numpy(dtype="float64"),
    })
    if best["topic"].notna().any():
        frame["topic"] = best["topic"].to_numpy()
    if best["channel"].notna().any():
        frame["channel"] = best["channel"].to_numpy()
    return frame


def sniff_json(path: Path, size: int = 4096) -> str:
    """The first ``size`` characters of a (possibly gzipped) text file, or ``""`` when it cannot be read."""
    try:
        if path.name.lower().endswith(".gz"):
            import gzip

            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
                return fh.read(size)
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(size)
    except READ_ERRORS:
        return ""


def load_json(path: str | os.PathLike[str], data: bytes | str, where: str | None = None) -> Any:
    """``json.loads`` with one clear error naming the file (and the entry of an archive)."""
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise bad(path, where or "the file", "is not UTF-8 text", "UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise bad(path, f"{where + ', ' if where else ''}line {exc.lineno}", f"is not valid JSON ({exc.msg})", "a JSON document") from None


_BOT_ADDRESSES = frozenset({"noreply@github.com", "action@github.com", "actions@github.com", "bot@renovateapp.com",
                            "support@dependabot.com", "41898282+github-actions[bot]@users.noreply.github.com"})


def is_bot_name(*names: str | None) -> bool:
    """True for an account name or e-mail of a bot (ends in ``[bot]`` or ``-bot``, or a known bot address).

    Examples
    --------
    >>> is_bot_name("dependabot[bot]"), is_bot_name("ann", "ann@example.org"), is_bot_name(None, "noreply@github.com")
    (True, False, True)
    """
    for name in names:
        if not name:
            continue
        low = name.strip().lower()
        local = low.split("@", 1)[0]
        if low in _BOT_ADDRESSES or local.endswith("[bot]") or low.endswith("[bot]") or local.endswith("-bot"):
            return True
    return False
