"""The public API is curated: each package's ``__all__`` lists exactly its public names (like httpx)."""

from __future__ import annotations

import importlib
import types

import pytest

PACKAGES = ["cop", "simulation", "scenarios"]

#: Names every release must keep exporting from ``cop``.
COP_REQUIRED = {
    "ActivityLog", "read_activities", "read_table", "write_log", "load_example", "example_paths",
    "InteractionGraph", "GraphBuilder", "interaction_graph", "graphs_by_period", "Incidence",
    "CopError", "DataError", "SchemaError", "FileFormatError", "ValueFormatError", "ConfigError",
    "SimulationError", "CopWarning", "DataWarning", "__version__",
}


@pytest.mark.parametrize("name", PACKAGES)
def test_all_matches_public_names(name):
    module = importlib.import_module(name)
    exported = set(getattr(module, "__all__", []))
    # public functions and classes of the package itself (helpers imported from elsewhere, such as
    # pathlib.Path in a module namespace, are not part of its API)
    public = {
        n for n, v in vars(module).items()
        if not n.startswith("_") and not isinstance(v, types.ModuleType)
        and isinstance(v, (type, types.FunctionType)) and (getattr(v, "__module__", "") or "").split(".")[0] == name
    }
    assert public <= exported, f"public but not in __all__: {sorted(public - exported)}"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"in __all__ but missing: {missing}"


def test_cop_required_names():
    import cop

    assert COP_REQUIRED <= set(cop.__all__)
