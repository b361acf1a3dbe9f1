"""Who is who across sources: deterministic id normalisers and an optional identities table.

Run on each input's member ids *before* anything else, so the same person's
rows meet under one ``member_id``:

* normalisers (:data:`NORMALIZERS`), each a fixed rule, never a guess:
  ``email`` (an e-mail address, trimmed, in lower case: ``Anna@Example.com `` is
  ``anna@example.com``), ``github-noreply`` (``12345+octo@users.noreply.github.com``
  is the GitHub login ``octo``), both always applied, and ``meetup-user``
  (Meetup's ``user 12345`` is ``12345``), applied by the Meetup preset;
* an identities table (``--identities FILE``, :func:`cop.io.read_identities`: columns ``source, handle,
  member_id``) saying that handle ``handle`` in source ``source`` is member
  ``member_id``.  ``source`` names an input by its file name, its file name without
  the ending, its preset or its reader (``slack``, ``gitrepo``...); ``*`` or an
  empty cell means every source.  Handles are normalised like the ids.

Ids that still differ only by case or inner spaces (``Bo Li``, ``bo li``) are
*not* merged: a warning counts them and names the first, so a person decides
(in the identities table).  Nothing is ever merged by name.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"member_id": ["Anna@Example.com ", "anna@example.com", "7+octo@users.noreply.github.com"]})
>>> out, audit = resolve_members(frame, ["member_id"], labels=["log.csv"])
>>> out["member_id"].tolist(), audit
(['anna@example.com', 'anna@example.com', 'octo'], {'accounts': 3, 'merged': 1})
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from cop._locate import Source
from cop.exceptions import SchemaError, ValueFormatError

__all__ = ["NORMALIZERS", "DEFAULT_NORMALIZERS", "IdentityTable", "identities_from_frame", "resolve_members",
           "normalize_email", "normalize_github_noreply", "normalize_meetup_user"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)@users\.noreply\.github\.com$", re.IGNORECASE)
_MEETUP = re.compile(r"^user\s*(\d+)$", re.IGNORECASE)


def normalize_email(value: str) -> str:
    """An e-mail address trimmed and in lower case; any other value unchanged.

    >>> normalize_email(" Anna@Example.COM "), normalize_email("Anna")
    ('anna@example.com', 'Anna')
    """
    v = value.strip()
    return v.lower() if _EMAIL.match(v) else value


def normalize_github_noreply(value: str) -> str:
    """A GitHub no-reply address as its login; any other value unchanged.

    >>> normalize_github_noreply("583231+octocat@users.noreply.github.com"), normalize_github_noreply("octocat@github.com")
    ('octocat', 'octocat@github.com')
    """
    hit = _NOREPLY.match(value.strip())
    return hit.group(1) if hit else value


def normalize_meetup_user(value: str) -> str:
    """Meetup's ``user 12345`` as ``12345``; any other value unchanged.

    >>> normalize_meetup_user("user 12345"), normalize_meetup_user("12345")
    ('12345', '12345')
    """
    hit = _MEETUP.match(value.strip())
    return hit.group(1) if hit else value


#: The normalisers by name, in the order they are applied.
NORMALIZERS: dict[str, Callable[[str], str]] = {
    "github-noreply": normalize_github_noreply,
    "email": normalize_email,
    "meetup-user": normalize_meetup_user,
}
#: The normalisers applied to every input.
DEFAULT_NORMALIZERS: tuple[str, ...] = ("github-noreply", "email")


class IdentityTable:
    """An identities table: ``(source, handle) -> member_id``, ``source`` ``"*"`` for any source.

    Examples
    --------
    >>> t = IdentityTable({("slack", "U1"): "anna", ("*", "a@x.org"): "anna"})
    >>> sorted(t.lookup(["Slack"]).items())  # the input's own source, then "*"
    [('U1', 'anna'), ('a@x.org', 'anna')]
    """

    def __init__(self, pairs: Mapping[tuple[str, str], str], name: str = "<identities>") -> None:
        self.pairs = dict(pairs)
        self.name = name

    def lookup(self, labels: Sequence[str]) -> dict[str, str]:
        """``{handle: member_id}`` for an input known by ``labels`` (its own source's entries win over ``*``)."""
        wanted = {label.lower() for label in labels}
        out = {h: m for (s, h), m in self.pairs.items() if s == "*"}
        out.update({h: m for (s, h), m in self.pairs.items() if s in wanted})
        return out


def _normalize(value: str, names: Sequence[str]) -> str:
    for name in names:
        value = NORMALIZERS[name](value)
    return value


def identities_from_frame(frame: pd.DataFrame, source: Source | None = None, *,
                          normalize: Sequence[str] = DEFAULT_NORMALIZERS) -> IdentityTable:
    """An identities table from a raw frame (``source, handle, member_id``); :func:`cop.io.read_identities` reads a file.

    Raises
    ------
    cop.exceptions.SchemaError
        For a missing column.
    cop.exceptions.ValueFormatError
        For an empty cell or a handle given two different members, naming the rows.

    Examples
    --------
    >>> import pandas as pd
    >>> t = identities_from_frame(pd.DataFrame({"source": ["slack", "*"], "handle": ["U01", "Anna@Example.com"],
    ...                                         "member_id": ["anna", "anna"]}))
    >>> sorted(t.lookup(["slack"]).items())
    [('U01', 'anna'), ('anna@example.com', 'anna')]
    """
    source = source or Source.frame("<identities DataFrame>")
    missing = [c for c in ("source", "handle", "member_id") if c not in frame.columns]
    if missing:
        raise SchemaError(f"{source.name}: missing column(s) {', '.join(map(repr, missing))} of an identities table; "
                          f"found columns: {', '.join(map(str, frame.columns))}; expected source, handle, member_id",
                          hint="one row per account: the source (file, preset or reader name, * for any), the handle, the member id")
    pairs: dict[tuple[str, str], str] = {}
    first: dict[tuple[str, str], int] = {}
    for i, (s, h, m) in enumerate(zip(frame["source"], frame["handle"], frame["member_id"])):
        s = "*" if s is None or (isinstance(s, float) and np.isnan(s)) or not str(s).strip() else str(s).strip().lower()
        for col, v in (("handle", h), ("member_id", m)):
            if v is None or (isinstance(v, float) and np.isnan(v)) or not str(v).strip():
                raise ValueFormatError(f"{source.where(col)}: empty cell at {source.rows([i])}; expected a {col} in every row")
        key = (s, _normalize(str(h).strip(), normalize))
        member = str(m).strip()
        if key in pairs and pairs[key] != member:
            raise ValueFormatError(
                f"{source.where('handle')}: handle {key[1]!r} of source {key[0]!r} is given two members "
                f"({pairs[key]!r} at {source.rows([first[key]])}, {member!r} at {source.rows([i])}); expected one member per handle")
        pairs[key], first[key] = member, first.get(key, i)
    return IdentityTable(pairs, name=source.name)


def _near_duplicates(ids: pd.Index) -> list[list[str]]:
    """Groups of distinct ids equal but for case and spaces (found on the distinct ids, vectorised)."""
    if not len(ids):
        return []
    keys = pd.Series(ids.str.replace(r"\s+", "", regex=True).str.casefold(), index=ids)
    same = keys[keys.duplicated(keep=False)]
    if not len(same):
        return []
    return [sorted(g.index) for _, g in same.groupby(same, sort=True)]


def _normalize_all(values: pd.Index, names: Sequence[str]) -> pd.Index:
    """The normalisers applied to distinct text ids at once (the same results as one by one)."""
    out = pd.Series(values, dtype=object)
    for name in names:
        stripped = out.str.strip()
        if name == "github-noreply":
            login = stripped.str.extract(_NOREPLY, expand=False)
            out = out.where(login.isna(), login)
        elif name == "email":
            hit = stripped.str.match(_EMAIL).fillna(False).astype(bool)
            out = out.where(~hit, stripped.str.lower())
        elif name == "meetup-user":
            number = stripped.str.extract(_MEETUP, expand=False)
            out = out.where(number.isna(), number)
        else:  # pragma: no cover - every normaliser is vectorised above
            out = out.map(NORMALIZERS[name])
    return pd.Index(out.to_numpy(dtype=object), dtype=object)


def resolve_members(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    labels: Sequence[str],
    table: IdentityTable | None = None,
    normalize: Sequence[str] = (),
    source: Source | None = None,
    notes: list[str] | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """``frame`` with the ids in ``columns`` normalised and looked up in ``table``; and the counts.

    Returns
    -------
    frame : pandas.DataFrame
        A copy where something changed (the input is never modified).
    audit : dict
        ``accounts`` (distinct ids as written, trimmed) and ``merged`` (how many
        of them became another account's id).

    Examples
    --------
    >>> import pandas as pd
    >>> t = identities_from_frame(pd.DataFrame({"source": ["slack", "*"], "handle": ["U123", "anna@example.com"],
    ...                                         "member_id": ["anna", "anna"]}))
    >>> rows = pd.DataFrame({"member_id": ["U123", " Anna@Example.com", "bo@example.com"]})
    >>> out, audit = resolve_members(rows, ["member_id"], labels=["slack"], table=t, normalize=["email"])
    >>> out["member_id"].tolist(), audit
    (['anna', 'anna', 'bo@example.com'], {'accounts': 3, 'merged': 1})
    """
    source = source or Source.frame()
    names = [n for n in NORMALIZERS if n in set(DEFAULT_NORMALIZERS) | set(normalize)]
    lookup = table.lookup(labels) if table is not None else {}
    out = frame
    rewritten = 0
    example: tuple[str, str] | None = None
    written: set[str] = set()
    finals: set[str] = set()
    for col in [c for c in columns if c in frame.columns]:
        values = frame[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, cats = values.cat.codes.to_numpy(), values.cat.categories
        else:
            codes, cats = pd.factorize(values, use_na_sentinel=True)
        cats = pd.Index(np.asarray(cats, dtype=object), dtype=object)
        text = np.fromiter((isinstance(v, str) for v in cats), dtype=bool, count=len(cats))
        new = pd.Index(np.asarray(cats, dtype=object).copy(), dtype=object)
        if text.any():
            given = cats[text]
            normal = _normalize_all(given, names)
            if lookup:
                normal = pd.Index([lookup.get(n, lookup.get(g.strip(), n)) for g, n in zip(given, normal)], dtype=object)
            changed = np.asarray(normal.str.strip() != given.str.strip(), dtype=bool)  # trimming alone is no change
            if changed.any():
                first = int(np.flatnonzero(changed)[0])
                example = example or (given[first], normal[first])
                rewritten += int(changed.sum())
                arr = np.asarray(new, dtype=object)
                arr[np.flatnonzero(text)] = np.asarray(normal, dtype=object)
                new = pd.Index(arr, dtype=object)
                if out is frame:
                    out = frame.copy(deep=False)
                mapped = np.where(codes >= 0, arr[np.maximum(codes, 0)], None)
                out[col] = pd.Series(mapped, index=frame.index, dtype=object)
        written.update(str(v).strip() for v in cats)
        finals.update(str(v).strip() for v in new)
    merged = len(written) - len(finals)
    if example is not None and notes is not None:
        v, n = example
        notes.append(f"{source.name}: {rewritten} id(s) rewritten by the identity rules"
                     f"{' and ' + table.name if lookup else ''} (first: {v!r} -> {n!r}); "
                     f"{merged} account(s) merged into another")
    if notes is not None:
        groups = _near_duplicates(pd.Index(sorted(finals), dtype=object))
        if groups:
            notes.append(f"{source.name}: {len(groups)} group(s) of member ids differ only by case or spaces "
                         f"({sum(map(len, groups))} ids; first: {', '.join(map(repr, groups[0][:3]))}); they are kept apart: "
                         "if they are one person, say so in an identities table (--identities)")
    return out, {"accounts": len(written), "merged": merged}
