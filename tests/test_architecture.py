"""The layers of docs/architecture.md hold: the domain imports one way and has no cycles,
and an import inside a function says why it is there.

Read from the source with ``ast`` (nothing is imported), so a new module that
breaks a rule fails here, naming the module and the import.
"""

from __future__ import annotations

import ast
import io
import tokenize
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


def _comment_lines(source: str) -> set[int]:
    """Line numbers holding a ``#`` comment (tokens, so a ``#`` inside a string is not one)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.start[0] for token in tokens if token.type == tokenize.COMMENT}


def unexplained_function_imports(source: str) -> list[tuple[int, str]]:
    """``(line, statement)`` of each import inside a function that no comment explains.

    An import is explained by a comment on its line or the line above, or by an earlier
    explained import in the same function: one comment on a function's first deferred import
    (say, "Django loads only when a command needs it") covers the ones after it.
    """
    lines = source.splitlines()
    comments = _comment_lines(source)
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        nested = {
            id(node)
            for inner in ast.walk(function)
            if inner is not function and isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(inner)
        }
        imports = sorted(
            (node for node in ast.walk(function) if isinstance(node, ast.Import | ast.ImportFrom)),
            key=lambda node: node.lineno,
        )
        explained = False
        for node in imports:
            if id(node) in nested:
                continue  # judged with its own (innermost) function
            explained = explained or bool({node.lineno, node.lineno - 1} & comments)
            if not explained:
                found.append((node.lineno, lines[node.lineno - 1].strip()))
    return sorted(set(found))


def test_the_import_rule_flags_an_unexplained_import_and_accepts_a_reason():
    source = (
        "def plain():\n"
        "    import json\n"
        "\n"
        "def reasoned():\n"
        "    # Django loads only when this runs\n"
        "    import django\n"
        "    from django.db import models\n"
        "\n"
        "def in_a_string():\n"
        "    text = '#'\n"
        "    import csv\n"
    )
    assert unexplained_function_imports(source) == [(2, "import json"), (11, "import csv")]


def test_imports_inside_functions_say_why():
    """Imports go at the top of the module unless a comment says why not (issue 20).

    A reason is real: an import cycle (named), Django apps not ready when the module is
    imported, an optional driver, or a heavy library that one rare path needs.
    """
    root = SRC / "careties"
    wrong = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(root).as_posix()
        for line, statement in unexplained_function_imports(path.read_text()):
            wrong.append(f"src/careties/{relative}:{line}: {statement}")
    assert not wrong, "\n".join(wrong)
