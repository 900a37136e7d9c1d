"""The import rules of docs/architecture.md, checked (issue 16): each package imports only the layers below it.

Every module of every package (and cli.py) is read with ``ast``; every ``import``/``from … import`` counts,
also the ones inside functions and under ``if TYPE_CHECKING`` — a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Layers, lowest first (docs/architecture.md). A package may import the packages of the layers below its own,
# never one of its own layer or above.
LAYERS: list[set[str]] = [
    {"normalize", "textview"},
    {"parsers"},
    {"frameworks"},
    {"store"},
    {"export"},
    {"scoring", "progress"},
    {"ingest", "web"},
    {"commands"},
    {"cli"},
]
RANK = {package: n for n, layer in enumerate(LAYERS) for package in layer}
ALLOWED = {package: {p for p, rank in RANK.items() if rank < RANK[package]} for package in RANK}
ALLOWED["cli"] = {"commands"}  # the entry point only assembles the commands

# Known arrows against the layers, by module: each has a reason, and the test fails once it is gone (remove it).
EXCEPTIONS: set[tuple[str, str]] = set()

# Import cycles between modules still to break (they are lazy inside functions); the test fails once one is gone.
KNOWN_CYCLES: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    found = {"cli": ROOT / "cli.py"}
    for package in RANK:
        if package == "cli":
            continue
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """Every module name ``module`` imports (absolute, or relative made absolute), at any depth of the file."""
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


IMPORTS = {module: _imports(module, path) for module, path in MODULES.items()}


def test_every_package_has_a_layer() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages <= set(RANK), f"add {sorted(packages - set(RANK))} to the layers (docs/architecture.md)"


@pytest.mark.parametrize("package", sorted(RANK))
def test_imports_go_down(package: str) -> None:
    wrong = []
    for module, names in IMPORTS.items():
        if module.split(".")[0] != package:
            continue
        for target in sorted({name.split(".")[0] for name in names} & set(RANK) - {package}):
            if target not in ALLOWED[package] and (module, target) not in EXCEPTIONS:
                wrong.append(f"{module} imports {target}")
    assert not wrong, f"{package} may import only {sorted(ALLOWED[package])}: " + "; ".join(wrong)


def test_exceptions_still_needed() -> None:
    for module, target in EXCEPTIONS:
        assert any(name.split(".")[0] == target for name in IMPORTS[module]), f"{module} no longer imports {target}"


def _cycles() -> set[frozenset[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, names in IMPORTS.items():
        own_packages = {".".join(module.split(".")[:n]) for n in range(1, module.count(".") + 1)}
        graph[module] = {name for name in names if name in MODULES and name != module} - own_packages
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    cycles = _cycles()
    assert cycles - KNOWN_CYCLES == set(), "modules that import each other: " + "; ".join(
        " ↔ ".join(sorted(c)) for c in cycles - KNOWN_CYCLES
    )
    assert cycles >= KNOWN_CYCLES, "a known cycle is gone: remove it from KNOWN_CYCLES"


def test_template_model_imports_no_template_module() -> None:
    assert not {n for n in IMPORTS["scoring.template_model"] if n.startswith("scoring.template")}
    for writer in ("scoring.template_layout", "scoring.template_xlsx"):
        assert "scoring.template" not in IMPORTS[writer], f"{writer} imports scoring.template"
