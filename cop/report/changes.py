"""What changed since last time: a diagnosis against a previous one.

The previous diagnosis is the JSON of ``cop diagnose --format json`` (or
``Diagnosis.to_json``), or a report written by ``cop report``: every report
embeds its diagnosis JSON in a ``<script type="application/json"
id="cop-diagnosis">`` block, so last quarter's report is all one needs to keep.

:func:`read_previous` reads either (one clear :class:`~cop.exceptions.DataError`
for anything else); :func:`compare` returns the :class:`Changes`: the phase
before and now, every indicator's value and status before and now, and who
moved between participation levels (matched by member id).

Examples
--------
>>> before = {"as_of": "2025-04-01T00:00:00+00:00", "phase": "coalescing", "phase_confidence": 0.6,
...           "indicators": [{"name": "core_share", "value": 0.08, "status": "watch"}],
...           "members": [{"member_id": "ann", "level": "peripheral"}, {"member_id": "bo", "level": "core"}]}
>>> now = {"as_of": "2025-07-01T00:00:00+00:00", "phase": "active", "phase_confidence": 0.8,
...        "indicators": [{"name": "core_share", "value": 0.12, "status": "healthy"}],
...        "members": [{"member_id": "ann", "level": "active"}, {"member_id": "cy", "level": "peripheral"}]}
>>> ch = compare(now, before)
>>> ch.phase_before, ch.phase_now, ch.indicators[["name", "change", "direction"]].values.tolist()
('coalescing', 'active', [['core_share', '+4 points', 'better']])
>>> ch.moves[["from_level", "to_level", "count", "members"]].values.tolist()
[['peripheral', 'active', 1, ['ann']], ['(new)', 'peripheral', 1, ['cy']], ['core', '(left)', 1, ['bo']]]
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cop.exceptions import DataError, FileFormatError
from cop.report._page import LEVEL_ORDER
from cop.report.wording import describe, format_in_unit, wording_for

__all__ = ["Changes", "read_previous", "compare", "DIAGNOSIS_SCRIPT_ID", "NEW", "LEFT"]

#: ``id`` of the ``<script type="application/json">`` holding a report's diagnosis.
DIAGNOSIS_SCRIPT_ID = "cop-diagnosis"
#: Pseudo-levels of members who were not in the previous diagnosis / are not in the current one.
NEW, LEFT = "(new)", "(left)"
_STATUS_RANK = {"critical": 0, "watch": 1, "healthy": 2}
_EXPECTED = "expected the JSON of `cop diagnose --format json` or a report written by `cop report`"
_SCRIPT = re.compile(
    r'<script\b[^>]*\bid\s*=\s*["\']' + DIAGNOSIS_SCRIPT_ID + r'["\'][^>]*>(.*?)</script\s*>', re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Changes:
    """A diagnosis against a previous one (see :func:`compare`).

    Attributes
    ----------
    as_of_before, as_of_now : pandas.Timestamp
        Ends of the two diagnosis windows.
    phase_before, phase_now : str
    confidence_before, confidence_now : float
    indicators : pandas.DataFrame
        One row per indicator in either: ``name, label, before, now, change`` (in the
        indicator's display unit), ``status_before, status_now, direction``
        (``better``, ``worse``, ``same``, ``new``, ``gone``).
    moves : pandas.DataFrame
        ``from_level, to_level, count, members`` (sorted member ids) for every pair
        of different levels; :data:`NEW` / :data:`LEFT` for members in only one.
    members_in_common : int
        Members present in both diagnoses (0 with both non-empty suggests different
        pseudonym salts).

    Examples
    --------
    >>> import cop
    >>> ch = compare(cop.diagnose(cop.load_example()), cop.diagnose(cop.load_example(), as_of="2024-06-01"))
    >>> ch.members_in_common, ch.indicators.columns.tolist()[:3], ch.moves.columns.tolist()[:3]
    (106, ['name', 'label', 'before'], ['from_level', 'to_level', 'count'])
    """

    as_of_before: pd.Timestamp
    as_of_now: pd.Timestamp
    phase_before: str
    phase_now: str
    confidence_before: float
    confidence_now: float
    indicators: pd.DataFrame
    moves: pd.DataFrame
    members_in_common: int

    @property
    def inward(self) -> int:
        """Members who moved to a more central level."""
        return int(self.moves.loc[self.moves["direction"] == "inward", "count"].sum())

    @property
    def outward(self) -> int:
        """Members who moved to a less central level."""
        return int(self.moves.loc[self.moves["direction"] == "outward", "count"].sum())

    @property
    def joined(self) -> int:
        return int(self.moves.loc[self.moves["from_level"] == NEW, "count"].sum())

    @property
    def left(self) -> int:
        return int(self.moves.loc[self.moves["to_level"] == LEFT, "count"].sum())

    def counts(self) -> dict[str, int]:
        """Indicators better / worse and members inward / outward / joined / left."""
        d = self.indicators["direction"].value_counts()
        return {"better": int(d.get("better", 0)), "worse": int(d.get("worse", 0)), "inward": self.inward,
                "outward": self.outward, "joined": self.joined, "left": self.left}


def _fail(where: str, what: str) -> DataError:
    return FileFormatError(f"{where}: {what}; {_EXPECTED}")


def _validate(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _fail(where, f"holds a JSON {type(data).__name__}, not a diagnosis object")
    missing = [k for k in ("as_of", "phase", "indicators") if k not in data]
    if missing:
        raise _fail(where, f"is not a cop diagnosis (no {', '.join(repr(k) for k in missing)})")
    if not isinstance(data["indicators"], list) or not all(isinstance(r, dict) and "name" in r for r in data["indicators"]):
        raise _fail(where, "is not a cop diagnosis ('indicators' must be a list of objects with a 'name')")
    if not isinstance(data.get("members", []), list):
        raise _fail(where, "is not a cop diagnosis ('members' must be a list)")
    try:
        pd.Timestamp(data["as_of"])
    except (TypeError, ValueError):
        raise _fail(where, f"'as_of' is {data['as_of']!r}, not a date") from None
    return data


def _from_text(text: str, where: str) -> dict[str, Any]:
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")) or "<html" in head:
        m = _SCRIPT.search(text)
        if m is None:
            raise _fail(where, f'is an HTML page without an embedded diagnosis (no <script id="{DIAGNOSIS_SCRIPT_ID}">; '
                               "reports from older versions of cop have none)")
        text, where = m.group(1), f"{where} (embedded diagnosis)"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(where, f"is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return _validate(data, where)


def read_previous(previous: Any) -> dict[str, Any]:
    """The previous diagnosis as a dict, from a file path, a :class:`cop.Diagnosis` or a dict.

    Parameters
    ----------
    previous : str, os.PathLike, dict or cop.Diagnosis
        A ``.json`` diagnosis, an ``.html`` report written by cop (its embedded
        diagnosis is read), an already loaded dict, or a diagnosis.

    Raises
    ------
    cop.exceptions.FileFormatError
        The file is not JSON, not a diagnosis, or a page without an embedded
        diagnosis (one message naming the file and what was expected).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "notes.json"
    >>> _ = bad.write_text("phase: active")
    >>> try:
    ...     read_previous(bad)
    ... except ValueError as exc:
    ...     print(str(exc).split(";")[0].endswith("is not JSON (line 1, column 1: Expecting value)"))
    True
    """
    if isinstance(previous, dict):
        return _validate(previous, "previous diagnosis")
    if hasattr(previous, "to_dict") and hasattr(previous, "phase"):
        return previous.to_dict()
    if not isinstance(previous, (str, os.PathLike)):
        raise DataError(f"previous: got {type(previous).__name__}; expected a file path, a dict or a cop.Diagnosis")
    path = Path(previous)
    if not path.is_file():
        raise FileFormatError(f"{path}: no such file; {_EXPECTED}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail(str(path), "is not UTF-8 text") from None
    return _from_text(text, str(path))


def _direction(before: str | None, now: str | None) -> str:
    if before is None:
        return "new"
    if now is None:
        return "gone"
    a, b = _STATUS_RANK.get(str(before)), _STATUS_RANK.get(str(now))
    if a is None or b is None or a == b:
        return "same"
    return "better" if b > a else "worse"


def _change_text(name: str, before: Any, now: Any) -> str:
    try:
        diff = float(now) - float(before)
    except (TypeError, ValueError):
        return "–"
    if diff != diff:
        return "–"
    unit = wording_for(name).unit
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    if unit == "percent":
        pts = abs(100 * diff)
        return sign + (f"{pts:.0f}" if pts >= 1 or pts == 0 else f"{pts:.1f}") + " points"
    if unit in ("index01", "balance"):  # a change on a scale is a plain number
        unit = "number"
    return sign + format_in_unit(abs(diff), unit)


def _indicator_changes(now: dict[str, Any], before: dict[str, Any]) -> pd.DataFrame:
    prev = {str(r["name"]): r for r in before.get("indicators", [])}
    cur = {str(r["name"]): r for r in now.get("indicators", [])}
    rows = []
    for name in list(cur) + [n for n in prev if n not in cur]:
        b, n = prev.get(name, {}), cur.get(name, {})
        label, _ = describe(name, None)
        rows.append({
            "name": name, "label": label,
            "before": describe(name, b.get("value"))[1] if b else "–",
            "now": describe(name, n.get("value"))[1] if n else "–",
            "change": _change_text(name, b.get("value"), n.get("value")) if b and n else "–",
            "value_before": b.get("value"), "value_now": n.get("value"),
            "status_before": b.get("status") if b else None, "status_now": n.get("status") if n else None,
            "direction": _direction(b.get("status") if b else None, n.get("status") if n else None),
        })
    return pd.DataFrame(rows, columns=["name", "label", "before", "now", "change", "value_before", "value_now",
                                       "status_before", "status_now", "direction"])


def _levels(d: dict[str, Any]) -> dict[str, str]:
    out = {}
    for r in d.get("members", []) or []:
        if isinstance(r, dict) and r.get("member_id") is not None:
            out[str(r["member_id"])] = str(r.get("level") or "outsider")
    return out


def _rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _moves(now: dict[str, Any], before: dict[str, Any]) -> tuple[pd.DataFrame, int]:
    a, b = _levels(before), _levels(now)
    pairs: dict[tuple[str, str], list[str]] = {}
    for m in sorted(set(a) | set(b)):
        src, dst = a.get(m, NEW), b.get(m, LEFT)
        if src != dst:
            pairs.setdefault((src, dst), []).append(m)

    def order(key: tuple[str, str]) -> tuple[int, int, int]:
        src, dst = key
        kind = 2 if src == NEW else 3 if dst == LEFT else 0 if _rank(dst) < _rank(src) else 1
        return kind, _rank(src), _rank(dst)

    rows = []
    for key in sorted(pairs, key=order):
        src, dst = key
        direction = ("joined" if src == NEW else "left" if dst == LEFT else "inward" if _rank(dst) < _rank(src) else "outward")
        rows.append({"from_level": src, "to_level": dst, "count": len(pairs[key]), "direction": direction,
                     "members": pairs[key]})
    return pd.DataFrame(rows, columns=["from_level", "to_level", "count", "direction", "members"]), len(set(a) & set(b))


def _as_dict(d: Any) -> dict[str, Any]:
    return d if isinstance(d, dict) else d.to_dict()


def compare(current: Any, previous: Any) -> Changes:
    """The changes from ``previous`` to ``current`` (each a :class:`cop.Diagnosis`, its dict, or for
    ``previous`` anything :func:`read_previous` reads).

    Examples
    --------
    >>> import cop
    >>> now = cop.diagnose(cop.load_example())
    >>> before = cop.diagnose(cop.load_example(), as_of="2024-06-01")
    >>> ch = compare(now, before)
    >>> ch.phase_before, ch.phase_now
    ('active', 'active')
    """
    now = _as_dict(current)
    before = read_previous(previous)
    moves, common = _moves(now, before)

    def conf(d: dict[str, Any]) -> float:
        v = d.get("phase_confidence")
        return float(v) if isinstance(v, (int, float)) else float("nan")

    return Changes(
        as_of_before=pd.Timestamp(before["as_of"]), as_of_now=pd.Timestamp(now["as_of"]),
        phase_before=str(before["phase"]), phase_now=str(now["phase"]),
        confidence_before=conf(before), confidence_now=conf(now),
        indicators=_indicator_changes(now, before), moves=moves, members_in_common=common,
    )
