"""Field helpers shared by the scenario models: ranges with units, frozen strict models.

Every numeric or boolean scenario field is *strict about its kind*: a string
(``seats = "300"``) or a boolean where a number is expected (``seats = true``),
or a number where a boolean is expected, is an error of type ``strict_kind``
rather than a silent conversion.  Integral floats are still accepted for
integer fields (``300.0``) and integers for float fields, as sweeps produce
both.

Examples
--------
>>> from simulation._fields import Frozen, ranged
>>> class Demo(Frozen):
...     seats: int = ranged(3, 1, 10, "seats", "capacity")
>>> Demo(seats=4).seats
4
>>> from pydantic import ValidationError
>>> try:
...     Demo(seats="4")
... except ValidationError as e:
...     print(e.errors()[0]["msg"])
seats = '4': expected an integer, got a string ('4')
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["Frozen", "ranged"]

_KIND = {int: "an integer", float: "a number", bool: "true or false"}


def ranged(default: Any, lo: float | None, hi: float | None, unit: str, doc: str, *, strict_lo: bool = False):
    """A Field with a range, a unit and a description (``"doc [unit]"``)."""
    kw: dict[str, Any] = {"description": f"{doc} [{unit}]", "json_schema_extra": {"unit": unit}}
    if lo is not None:
        kw["gt" if strict_lo else "ge"] = lo
    if hi is not None:
        kw["le"] = hi
    return Field(default, **kw)


def _expected_kind(annotation: Any) -> Any:
    """``int``, ``float`` or ``bool`` for fields of that type (also ``X | None``), else ``None``."""
    if annotation in _KIND:
        return annotation
    args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    if len(args) == 1 and args[0] in _KIND and type(None) in getattr(annotation, "__args__", ()):
        return args[0]
    return None


def _got(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    return f"{type(value).__name__} ({value!r})"


class Frozen(BaseModel):
    """Base of every scenario model: frozen, no unknown keys, defaults validated, strict kinds."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _strict_kinds(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for key, value in data.items():
            field = cls.model_fields.get(key) if isinstance(key, str) else None
            kind = _expected_kind(field.annotation) if field is not None else None
            if kind is None or value is None:
                continue
            bad = (not isinstance(value, bool)) if kind is bool else isinstance(value, (bool, str))
            if bad:
                raise PydanticCustomError(
                    "strict_kind", "{field} = {shown}: expected {kind}, got {got}",
                    {"field": key, "value": value, "shown": repr(value), "kind": _KIND[kind], "got": _got(value)},
                )
        return data
