"""Architecture rules read from the source: no import cycles in cop/, no private names across packages.

Every ``import`` and ``from ... import`` statement of every module of ``cop/``,
``simulation/`` and ``scenarios/`` counts, at module level *and* inside
functions (an import inside a function still ties the two modules together,
it only hides the tie until the function runs).

Rules
-----
Import graph
    A module imports the module it names.  ``from pkg import name`` names the
    module ``pkg.name`` when that is a submodule, else the module ``pkg``;
    relative imports are resolved against the importing module.  Importing
    ``a.b.c`` also runs ``a`` and ``a.b``, but those implicit parent imports
    are not edges (otherwise every module would "import" ``cop/__init__``).
    A package ``__init__`` importing its own submodules (re-exporting its API)
    is not an edge either: the package *is* those modules.  The test fails on
    any cycle (strongly connected component of two or more modules) that
    contains a module of ``cop``.
Private names
    A name or module starting with one underscore is private to the package
    that holds it: ``cop._atomic`` to ``cop`` (and its subpackages),
    ``_agreement`` in ``cop.participation.classifier`` to
    ``cop.participation``.  A module may import a private name or module only
    from inside that package.  Only first-party packages are checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cop", "simulation", "scenarios")

#: Private imports across packages in files owned by other work in progress (issue 8), as
#: ``(importing module, imported private name or module)``.  Each one is a known violation
#: the lead fixes at merge; empty this list as they go.  Nothing else may be added here.
ALLOWED_PRIVATE: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _package_of(name: str) -> str:
    """The package a module belongs to (a package's ``__init__`` belongs to the package itself)."""
    return name if _is_package(name) else name.rpartition(".")[0]


def _first_party(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def imports(name: str) -> list[tuple[str, str | None, int]]:
    """``(module, imported name or None, line)`` of every import statement in the module ``name``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = _package_of(name).split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            out += [(base, alias.name, node.lineno) for alias in node.names]
    return out


def _target(module: str, attr: str | None) -> str | None:
    """The first-party module an import names (``pkg.name`` when it is a submodule), or None."""
    if not _first_party(module):
        return None
    if attr is not None and f"{module}.{attr}" in MODULES:
        return f"{module}.{attr}"
    while module and module not in MODULES:  # ``import a.b.c`` of a name that is no module: its nearest module
        module = module.rpartition(".")[0]
    return module or None


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for m in MODULES:
        for module, attr, _ in imports(m):
            t = _target(module, attr)
            if t is None or t == m:
                continue
            if _is_package(m) and t.startswith(m + "."):
                continue  # a package re-exporting its own submodules
            graph[m].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def private_imports() -> list[tuple[str, str, str]]:
    """``(importing module, private name or module, where)`` of every private import from another package."""
    found = []
    for m in MODULES:
        home = _package_of(m)
        for module, attr, line in imports(m):
            if not _first_party(module):
                continue
            full = f"{module}.{attr}" if attr is not None and attr != "*" else module
            parts = full.split(".")
            for k, part in enumerate(parts):
                if not _private(part):
                    continue
                owner = ".".join(parts[:k])
                if k == len(parts) - 1 and f"{module}.{attr}" not in MODULES and module in MODULES:
                    owner = _package_of(module)  # a private name of a module: private to the module's package
                if not (home == owner or home.startswith(owner + ".")):
                    found.append((m, full, f"{MODULES[m].relative_to(ROOT)}:{line}"))
                break
    return found


def test_the_source_is_found():
    assert {"cop", "cop.diagnosis", "cop.kernel.windows", "simulation.model", "scenarios"} <= set(MODULES)
    graph = import_graph()
    assert "cop.kernel" in graph["cop.diagnosis"]
    assert "cop.participation.flows" in graph["cop.lifecycle"]


def test_no_import_cycle_in_cop():
    found = [c for c in cycles(import_graph()) if any(m == "cop" or m.startswith("cop.") for m in c)]
    assert not found, "import cycles (each a set of modules importing each other): " + "; ".join(" <-> ".join(c) for c in found)


def test_no_private_import_from_another_package():
    found = [f for f in private_imports() if (f[0], f[1]) not in ALLOWED_PRIVATE]
    assert not found, "private names imported from another package:\n" + "\n".join(f"  {w}: {m} imports {n}" for m, n, w in found)


#: What the kernel may stand on: the data model and its helpers, nothing that analyses.
KERNEL_MAY_IMPORT = {"cop.exceptions", "cop.log", "cop.schema", "cop.timestamps"}


def test_the_kernel_stands_on_the_data_model_only():
    graph = import_graph()
    kernel = [m for m in graph if m == "cop.kernel" or m.startswith("cop.kernel.")]
    outside = {(m, t) for m in kernel for t in graph[m] if not t.startswith("cop.kernel") and t not in KERNEL_MAY_IMPORT}
    assert not outside, f"the kernel imports analysis modules: {sorted(outside)}"


def test_cop_never_imports_simulation_at_module_level():
    found = []
    for m, path in MODULES.items():
        if not m.startswith("cop"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            found += [(m, n) for n in names if n.split(".")[0] in ("simulation", "scenarios")]
    assert not found, f"cop imports the simulation at module level: {found}"


def test_allow_list_has_no_stale_entries():
    stale = ALLOWED_PRIVATE - {(m, n) for m, n, _ in private_imports()}
    assert not stale, f"allowed private imports that no longer happen (remove them): {sorted(stale)}"


# ----------------------------------------------------------------- the rules on made-up sources
ROOT_REAL = ROOT


@pytest.fixture
def fake(tmp_path):
    """Point the rules at a throw-away tree: ``fake({"cop/a.py": "...", ...})``."""

    def make(files: dict[str, str]) -> None:
        for rel, text in files.items():
            p = tmp_path / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        globals()["ROOT"] = tmp_path
        globals()["MODULES"] = _modules()

    yield make
    globals()["ROOT"] = ROOT_REAL
    globals()["MODULES"] = _modules()


def test_rules_catch_a_cycle_made_of_in_function_imports(fake):
    fake({"cop/__init__.py": "from cop.a import f\n", "cop/a.py": "def f():\n    from cop import b\n",
          "cop/b.py": "def g():\n    import cop.a\n", "cop/c.py": "from cop import a\n",
          "simulation/__init__.py": "", "scenarios/__init__.py": ""})
    graph = import_graph()
    assert graph["cop.a"] == {"cop.b"} and graph["cop.b"] == {"cop.a"} and graph["cop"] == set()
    assert cycles(graph) == [["cop.a", "cop.b"]]


def test_rules_catch_private_imports_across_packages_only(fake):
    fake({"cop/__init__.py": "", "cop/_atomic.py": "", "cop/p/__init__.py": "", "cop/p/m.py": "def _x(): pass\n",
          "cop/p/n.py": "from .m import _x\nfrom cop._atomic import w\n", "cop/q.py": "from cop.p.m import _x\n",
          "simulation/__init__.py": "", "simulation/s.py": "from cop import _atomic\n",
          "scenarios/__init__.py": ""})
    found = {(m, n) for m, n, _ in private_imports()}
    assert found == {("cop.q", "cop.p.m._x"), ("simulation.s", "cop._atomic")}
