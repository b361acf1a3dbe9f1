"""``docs/diagnosis-contract.md`` lists exactly the fields of :class:`cop.Diagnosis`."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from cop import Diagnosis

DOC = Path(__file__).resolve().parents[1] / "docs" / "diagnosis-contract.md"


def documented_attributes(text: str) -> list[str]:
    """Attribute names of the contract table: the first cell of each row, when it is one backticked name."""
    return re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE)


def test_documented_attributes_are_read_from_the_table():
    text = "| attribute | type |\n|---|---|\n| `as_of` | `Timestamp` |\n| methods | |\n| `x_y` | `int` |\n"
    assert documented_attributes(text) == ["as_of", "x_y"]


def test_contract_lists_every_field_once_in_order():
    fields = [f.name for f in dataclasses.fields(Diagnosis)]
    documented = documented_attributes(DOC.read_text(encoding="utf-8"))
    assert sorted(set(fields) - set(documented)) == [], "fields missing from docs/diagnosis-contract.md"
    assert sorted(set(documented) - set(fields)) == [], "documented attributes that are not Diagnosis fields"
    assert documented == fields
