"""The layers of docs/architecture.md hold: the domain imports one way and has no cycles.

Read from the source with ``ast`` (nothing is imported), so a new module that
breaks a rule fails here, naming the module and the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src"

#: The domain library, lowest layer first; a package may import its own layer or lower ones.
LAYERS = {
    "errors": 0,
    "labels": 0,  # codes in words, used by every layer and the shells
    "data": 1,
    "stats": 1,
    "referrals": 2,
    "relations": 2,
    "planning": 3,
}
#: What the domain never imports: the shells and what sits on them.
SHELLS = ("careties.web", "careties.commands", "careties.cli", "careties.spreadsheets", "django")


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "careties").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "careties" and len(parts) > 1 else None


def _imports(module: str, path: Path) -> list[str]:
    """Every module ``module`` imports, at the top or inside a function."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                package = module.split(".")[
                    : -node.level + (1 if path.name == "__init__.py" else 0)
                ]
                base = ".".join([*package, node.module])
            else:
                base = node.module
            names += [base, *(f"{base}.{a.name}" for a in node.names)]
    return names


def _domain() -> dict[str, list[str]]:
    return {
        module: _imports(module, path)
        for module, path in _modules().items()
        if _package(module) in LAYERS
    }


def test_the_domain_never_imports_the_web_the_cli_or_django():
    wrong = [
        f"{module} imports {name}"
        for module, names in _domain().items()
        for name in names
        if name.startswith(SHELLS)
    ]
    assert not wrong, wrong


def test_domain_layers_import_downwards_only():
    wrong = [
        f"{module} imports {name}"
        for module, names in _domain().items()
        for name in names
        if _package(name) in LAYERS and LAYERS[_package(name)] > LAYERS[_package(module)]
    ]
    assert not wrong, wrong


def test_no_import_cycles_in_the_domain():
    modules = _modules()
    graph = nx.DiGraph()
    for module, names in _domain().items():
        for name in names:
            # A submodule importing its own package (for a re-export) is not a cycle.
            if name in modules and name != module and not module.startswith(name + "."):
                graph.add_edge(module, name)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, cycles


#: Test folders that map to no single package, each named in docs/architecture.md ("Where the
#: tests live"): the end-to-end browser walks across the product.
TEST_TREE_EXCEPTIONS = {"browser"}


def test_every_test_folder_mirrors_a_source_package():
    """tests/ mirrors src/careties/ (issue 20), so a module's tests are found in one hop."""
    tests = Path(__file__).resolve().parent
    wrong = []
    for folder in sorted(p for p in tests.rglob("*") if p.is_dir() and p.name != "__pycache__"):
        if not any(folder.glob("*.py")):
            continue  # a folder of data files (data/, files/) beside its tests
        relative = folder.relative_to(tests)
        if relative.parts[0] in TEST_TREE_EXCEPTIONS:
            continue
        if not (SRC / "careties" / relative / "__init__.py").exists():
            wrong.append(
                f"tests/{relative.as_posix()} has no package src/careties/{relative.as_posix()}"
            )
    assert not wrong, wrong
