"""One comparison of parsed JSON values for the tests: exact, but floats to a relative tolerance."""

from __future__ import annotations

import pytest


def same_json(got, want, *, rel: float, abs_: float, ordered_keys: bool = False, path: str = "$") -> None:
    """Assert two JSON-like values are equal: keys, strings, integers and lengths exactly, floats to ``rel``/``abs_``.

    ``ordered_keys`` also asks for the same key order (a rendered file's layout).
    """
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, (int, float)) and isinstance(want, (int, float)), path
        assert got == pytest.approx(want, rel=rel, abs=abs_), f"{path}: {got!r} != {want!r}"
    elif isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: {got!r} is not an object"
        keys_match = list(got) == list(want) if ordered_keys else got.keys() == want.keys()
        assert keys_match, f"{path}: keys {list(got)} != {list(want)}"
        for k in want:
            same_json(got[k], want[k], rel=rel, abs_=abs_, ordered_keys=ordered_keys, path=f"{path}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: lengths differ"
        for i, (g, w) in enumerate(zip(got, want)):
            same_json(g, w, rel=rel, abs_=abs_, ordered_keys=ordered_keys, path=f"{path}[{i}]")
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"
