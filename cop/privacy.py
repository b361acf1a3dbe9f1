"""Pseudonymization: replace member ids and names with stable pseudonyms.

A pseudonym is ``p-`` followed by the first hex digits of
``HMAC-SHA256(salt, member_id)``.  The same id and salt always give the same
pseudonym, so reports made on different days (or from different exports) can
be compared member by member; a different salt gives unrelated pseudonyms.

Pseudonymize the log right after loading: everything derived from it — the
diagnosis, its JSON and HTML report, graph exports, simulation summaries — then
holds only pseudonyms::

    log = cop.pseudonymize(cop.read_activities("activities.csv", members="members.csv"), salt)

What is replaced: ``member_id`` in the participation rows, the members table
and the activities table's ``organizer``; personal columns of the members table
(``name``, ``display_name``, ``full_name``, ``first_name``, ``last_name``,
``email``, ``phone``) become the member's pseudonym; organizations with a single
member (freelancers' trade names often contain the person's name) become
``org-…`` pseudonyms (``organizations="single"``, the default; ``"all"`` or
``"keep"`` to change that).  Member ids quoted in the log's notes are replaced too.

The salt
--------
``salt`` argument, else the environment variable ``COP_SALT``, else the public
constant :data:`DEFAULT_SALT`.  With the public default, anyone who can guess
member ids (``m0001``, e-mail addresses…) can recompute the pseudonyms by trying
candidates (a dictionary attack): pass a **secret** salt — and keep it — when
the reports leave your organization.

Examples
--------
>>> from cop.privacy import Pseudonymizer
>>> p = Pseudonymizer("my secret")
>>> p.member("m0001") == p.member("m0001") != Pseudonymizer("other").member("m0001")
True
>>> p.member("m0001")
'p-f51b12a2'
>>> import cop
>>> log = pseudonymize(cop.load_example(), salt="my secret")
>>> "m0001" in set(log.data["member_id"].astype(str))
False
>>> log.members_table.loc[0, ["member_id", "name"]].tolist()
['p-f51b12a2', 'p-f51b12a2']
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from cop.exceptions import ConfigError

__all__ = ["Pseudonymizer", "pseudonymize", "default_salt_note", "source_name", "DEFAULT_SALT", "SALT_ENV", "PERSON_COLUMNS", "ID_COLUMNS"]

#: Salt used when none is given and ``COP_SALT`` is not set (public: not a secret).
DEFAULT_SALT = "cop-pseudonyms-v1"
#: Environment variable read for the salt.
SALT_ENV = "COP_SALT"
#: Member-table columns that identify a person; they become the member's pseudonym.
PERSON_COLUMNS: tuple[str, ...] = ("name", "display_name", "full_name", "first_name", "last_name", "email", "phone")
#: Columns of tidy frames that hold member ids (replaced by :func:`pseudonymize` on a DataFrame).
ID_COLUMNS: tuple[str, ...] = ("member_id", "source", "target", "organizer", "u", "v", "a", "b")

_TOKEN = re.compile(r"[^\s,;:()\[\]{}'\"`<>]+")
T = TypeVar("T")


def default_salt_note(salt: str | bytes | None = None) -> str | None:
    """The warning to show when pseudonyms would use the public default salt, else ``None``.

    The one text every command prints when it pseudonymizes with the default
    (no ``salt``, no ``$COP_SALT``).

    Examples
    --------
    >>> default_salt_note("a secret") is None
    True
    >>> default_salt_note(DEFAULT_SALT).startswith("pseudonyms use the public default salt")
    True
    """
    if not Pseudonymizer(salt).is_default_salt:
        return None
    return ("pseudonyms use the public default salt: anyone can recompute them from a guessed id; pass --salt "
            f"(or set {SALT_ENV}) to a secret when the outputs leave your organization")


class Pseudonymizer:
    """Stable keyed pseudonyms for member ids and organizations.

    Parameters
    ----------
    salt : str or bytes, optional
        The key of the HMAC.  Default: ``$COP_SALT``, else :data:`DEFAULT_SALT`.
    length : int, default 8
        Hex digits kept (8 digits: about one collision in 10,000 members, which
        :meth:`mapping` resolves by lengthening the colliding pseudonyms).
    prefix : str, default "p-"
        Prefix of member pseudonyms (organizations get ``org-``).

    Examples
    --------
    >>> p = Pseudonymizer("s", length=6)
    >>> p.member("ann"), p.organization("Tmi Ann")
    ('p-90102f', 'org-84a255')
    >>> p.mapping(["ann", "bo"]) == {"ann": p.member("ann"), "bo": p.member("bo")}
    True
    """

    def __init__(self, salt: str | bytes | None = None, *, length: int = 8, prefix: str = "p-") -> None:
        if salt is None or salt == "":
            salt = os.environ.get(SALT_ENV) or DEFAULT_SALT
        if not 4 <= int(length) <= 64:
            raise ConfigError(f"parameter 'length' = {length} is out of range [4, 64] hex digits")
        self._key = salt if isinstance(salt, bytes) else str(salt).encode("utf-8")
        self.length = int(length)
        self.prefix = prefix
        self.is_default_salt = self._key == DEFAULT_SALT.encode()

    def __repr__(self) -> str:
        return f"Pseudonymizer({'default salt' if self.is_default_salt else 'custom salt'}, length={self.length})"

    def _digest(self, value: Any, domain: str) -> str:
        return hmac.new(self._key, f"{domain}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def member(self, member_id: Any) -> str:
        """The pseudonym of one member id (``p-`` and hex digits)."""
        return self.prefix + self._digest(member_id, "member")[: self.length]

    def organization(self, name: Any) -> str:
        """The pseudonym of one organization (``org-`` and hex digits)."""
        return "org-" + self._digest(name, "organization")[: self.length]

    def mapping(self, ids: Iterable[Any], *, kind: str = "member") -> dict[str, str]:
        """``{id: pseudonym}`` for distinct ids, guaranteed one-to-one.

        Ids whose truncated digests collide get longer pseudonyms (more hex
        digits) until they differ; everyone else keeps the standard length.
        """
        unique = list(dict.fromkeys(str(i) for i in ids if i is not None and not _isna(i)))
        domain = "member" if kind == "member" else "organization"
        prefix = self.prefix if kind == "member" else "org-"
        full = {i: self._digest(i, domain) for i in unique}
        out: dict[str, str] = {}
        length = self.length
        pending = unique
        while pending:
            short = {i: full[i][:length] for i in pending}
            counts: dict[str, int] = {}
            for s in short.values():
                counts[s] = counts.get(s, 0) + 1
            taken = {v[len(prefix):] for v in out.values()}
            nxt = []
            for i in pending:
                s = short[i]
                if counts[s] == 1 and s not in taken:
                    out[i] = prefix + s
                else:
                    nxt.append(i)
            if length >= 64 and nxt:  # identical HMACs: impossible for distinct ids
                raise ConfigError("pseudonymize: could not make distinct pseudonyms")
            pending, length = nxt, min(64, length + 2)
        return out

    def text(self, text: str, mapping: Mapping[str, str]) -> str:
        """Replace every whole token of ``text`` found in ``mapping`` (ids quoted in notes)."""
        if not mapping or not text:
            return text
        return _TOKEN.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _replace(series: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """Map the values of ``series`` found in ``mapping``; keep the others and missing values."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = series.cat.categories
        renamed = [mapping.get(str(c), c) for c in cats]
        if len(set(renamed)) == len(renamed):
            return series.cat.rename_categories(renamed)
        series = series.astype(object)
    values = series.to_numpy(dtype=object)
    out = np.array([mapping.get(str(v), v) if not _isna(v) else v for v in values], dtype=object)
    result = pd.Series(out, index=series.index, name=series.name)
    if pd.api.types.is_string_dtype(series.dtype) and not isinstance(series.dtype, pd.CategoricalDtype):
        result = result.astype(series.dtype)
    return result


def _org_mapping(members: pd.DataFrame | None, p: Pseudonymizer, organizations: str) -> dict[str, str]:
    if members is None or "organization" not in members.columns or organizations == "keep":
        return {}
    orgs = members["organization"].dropna().astype(str)
    if organizations == "single":
        size = orgs.value_counts()
        orgs = pd.Series(size.index[size == 1])
    return p.mapping(orgs, kind="organization")


def _log(log, p: Pseudonymizer, organizations: str):
    from cop.log import ActivityLog

    data = log.data
    mem = log.members_table
    act = log.activities_table
    ids = list(data["member_id"].cat.categories.astype(str))
    if mem is not None:
        ids += list(mem["member_id"].astype(str))
    if act is not None and "organizer" in act.columns:
        ids += list(act["organizer"].dropna().astype(str))
    mapping = p.mapping(ids)
    orgs = _org_mapping(mem, p, organizations)
    data = data.copy()
    data["member_id"] = _replace(data["member_id"], mapping)
    if mem is not None:
        mem = mem.copy()
        mem["member_id"] = _replace(mem["member_id"], mapping)
        for col in PERSON_COLUMNS:
            if col in mem.columns:
                mem[col] = mem["member_id"].astype(str).to_numpy()
                if isinstance(log.members_table[col].dtype, pd.CategoricalDtype):
                    mem[col] = mem[col].astype("category")
        if orgs:
            mem["organization"] = _replace(mem["organization"], orgs)
    if act is not None and "organizer" in act.columns:
        act = act.copy()
        act["organizer"] = _replace(act["organizer"], mapping)
    notes = [p.text(w, {**mapping, **orgs}) for w in log.warnings]
    return ActivityLog(data, mem, act, source=log.source, warnings=notes)


def _frame(frame: pd.DataFrame, p: Pseudonymizer, organizations: str) -> pd.DataFrame:
    out = frame.copy()
    cols = [c for c in ID_COLUMNS if c in out.columns]
    ids: list[str] = []
    for c in cols:
        ids += list(out[c].dropna().astype(str).unique())
    if out.index.name in ID_COLUMNS:
        ids += list(out.index.astype(str))
    mapping = p.mapping(ids)
    for c in cols:
        out[c] = _replace(out[c], mapping)
    if out.index.name in ID_COLUMNS:
        out.index = pd.Index(_replace(out.index.to_series(), mapping).to_numpy(), name=out.index.name)
    key = out["member_id"] if "member_id" in out.columns else (out.index.to_series() if out.index.name == "member_id" else None)
    if key is not None:
        for col in PERSON_COLUMNS:
            if col in out.columns:
                out[col] = key.astype(str).to_numpy()
    if organizations == "all" and "organization" in out.columns:
        out["organization"] = _replace(out["organization"], p.mapping(out["organization"].dropna(), kind="organization"))
    return out


def _graph(g, p: Pseudonymizer, organizations: str):
    import dataclasses

    mapping = p.mapping(g.nodes.astype(str))
    nodes = pd.Index([mapping[str(n)] for n in g.nodes], name=g.nodes.name)
    attrs = g.attributes.copy()
    attrs.index = pd.Index([mapping.get(str(n), n) for n in attrs.index], name=attrs.index.name)
    for col in PERSON_COLUMNS:
        if col in attrs.columns:
            attrs[col] = attrs.index.astype(str)
    if organizations != "keep" and "organization" in attrs.columns:
        orgs = attrs["organization"].dropna().astype(str)
        if organizations == "single":
            size = orgs.value_counts()
            orgs = pd.Series(size.index[size == 1])
        attrs["organization"] = _replace(attrs["organization"], p.mapping(orgs, kind="organization"))
    return dataclasses.replace(g, nodes=nodes, attributes=attrs)


def pseudonymize(obj: T, salt: str | bytes | Pseudonymizer | None = None, *, organizations: str = "single") -> T:
    """Replace member ids (and names) with stable pseudonyms in a log, a frame or a graph.

    Parameters
    ----------
    obj : ActivityLog, pandas.DataFrame or InteractionGraph
        An :class:`~cop.log.ActivityLog` gives a new log (rows, members table
        with its personal columns, activities table's ``organizer``, notes); a
        DataFrame has its id columns (:data:`ID_COLUMNS`, and a ``member_id``
        index) replaced; an :class:`~cop.graph.InteractionGraph` its nodes.
    salt : str, bytes or Pseudonymizer, optional
        Key of the pseudonyms (see the module notes on choosing one).
    organizations : {"single", "all", "keep"}, default "single"
        Which organizations to pseudonymize: those with one member (often a
        person's trade name), all of them, or none.

    Returns
    -------
    The same type as ``obj``; the input is not modified.

    Examples
    --------
    >>> import pandas as pd
    >>> edges = pd.DataFrame({"source": ["ann"], "target": ["bo"], "weight": [1.0]})
    >>> out = pseudonymize(edges, "s")
    >>> out.loc[0, "source"] == Pseudonymizer("s").member("ann"), out.loc[0, "weight"]
    (True, np.float64(1.0))
    """
    from cop.graph import InteractionGraph
    from cop.log import ActivityLog

    if organizations not in ("single", "all", "keep"):
        raise ConfigError(f"parameter 'organizations' = {organizations!r}: expected 'single', 'all' or 'keep'")
    p = salt if isinstance(salt, Pseudonymizer) else Pseudonymizer(salt)
    if isinstance(obj, ActivityLog):
        return _log(obj, p, organizations)
    if isinstance(obj, InteractionGraph):
        return _graph(obj, p, organizations)
    if isinstance(obj, pd.DataFrame):
        return _frame(obj, p, organizations)
    raise ConfigError(
        f"pseudonymize: cannot pseudonymize a {type(obj).__name__}; expected an ActivityLog, a DataFrame or an "
        "InteractionGraph (pseudonymize the log before diagnosing it)"
    )


def source_name(source: Any) -> str:
    """The file name of a data source, never its folders (a path can name a person: ``/home/ann/...``).

    Markers such as ``<DataFrame>`` are kept as they are.

    Examples
    --------
    >>> source_name("/home/ann/exports/checkins.csv"), source_name("<DataFrame>"), source_name("C:\\\\Users\\\\ann\\\\a.xlsx")
    ('checkins.csv', '<DataFrame>', 'a.xlsx')
    """
    text = str(source or "")
    if not text or text.startswith("<"):
        return text
    return PurePath(text.replace("\\", "/")).name
