"""Plain-word helpers shared by the texts a manager reads (indicator evidence, report, suggestions).

>>> from cop.words import counted
>>> counted(1, "collaboration"), counted(3, "collaboration"), counted(1200, "match")
('1 collaboration', '3 collaborations', '1,200 matches')
"""

from __future__ import annotations

__all__ = ["counted", "plural_of"]


def plural_of(word: str) -> str:
    """The plural of an English noun (regular forms; the last word of a phrase).

    >>> plural_of("activity"), plural_of("day"), plural_of("box"), plural_of("more idea")
    ('activities', 'days', 'boxes', 'more ideas')
    """
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def counted(n: int, word: str) -> str:
    """``n`` with thousands separators and ``word`` in the singular or plural.

    >>> counted(0, "member"), counted(2, "newcomer")
    ('0 members', '2 newcomers')
    """
    n = int(n)
    return f"{n:,} {word if n == 1 else plural_of(word)}"
