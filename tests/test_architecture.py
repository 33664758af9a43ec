"""The layout's rules, as docs/architecture.md states them: which part may import which, no
import cycle, and no library module that writes to the terminal (only ``cli`` does)."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("recsys", "ingest", "training", "serve", "cli")

#: recsys modules outside any folder: the shared kernel every part may use.
CORE = {"recsys", "recsys.errors", "recsys.modalities", "recsys.settings", "recsys.device", "recsys.collection", "recsys.text", "recsys.labels", "recsys.translit", "recsys.hanzi"}

#: part -> the parts it may import (besides itself). Kept in step with docs/architecture.md.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "catalog": {"core"},
    "encoders": {"core", "catalog"},
    "store": {"core"},
    "fusion": {"core"},
    "query": {"core", "catalog", "encoders", "fusion", "store"},
    "analysis": {"core", "store"},
    "ingest": {"core", "catalog", "encoders", "fusion", "store"},
    "training": {"core", "catalog", "encoders", "fusion", "store"},
    "serve": {"core", "catalog", "encoders", "fusion", "store", "query", "analysis"},
    "cli": {"core", "catalog", "encoders", "fusion", "store", "query", "analysis", "ingest", "training", "serve"},
}


def part_of(module: str) -> str | None:
    if module in CORE:
        return "core"
    top, _, rest = module.partition(".")
    if top in ("ingest", "training", "serve", "cli"):
        return top
    if top == "recsys" and rest:
        return rest.split(".")[0]
    return None


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    if node.level:  # relative import: resolve against the importing module's package
        is_pkg = modules()[module].name == "__init__.py"
        base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_pkg else 0)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    # "from recsys.query import library" imports the submodule recsys.query.library
    names = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules()]
    return [target, *names]


@lru_cache(maxsize=1)
def import_graph() -> dict[str, set[str]]:
    """module -> project modules it imports, at any depth of the file (function-level imports
    count: they run too, only later)."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(name, node)
            for t in targets:
                # the deepest project module named by the import
                parts = t.split(".")
                for i in range(len(parts), 0, -1):
                    cand = ".".join(parts[:i])
                    if cand in known:
                        if cand != name:
                            deps.add(cand)
                        break
        graph[name] = deps
    return graph


def test_every_module_belongs_to_a_part() -> None:
    loose = [m for m in modules() if part_of(m) is None]
    assert not loose, f"modules outside every part (add them to a folder or to CORE): {loose}"


def test_parts_import_only_what_the_architecture_allows() -> None:
    bad = []
    for module, deps in import_graph().items():
        src = part_of(module)
        for dep in sorted(deps):
            dst = part_of(dep)
            if dst != src and dst not in ALLOWED[src]:
                bad.append(f"{module} ({src}) imports {dep} ({dst})")
    assert not bad, "imports against docs/architecture.md:\n" + "\n".join(bad)


def test_encoders_and_store_do_not_import_each_other() -> None:
    graph = import_graph()
    for module, deps in graph.items():
        if part_of(module) in ("encoders", "store"):
            other = "store" if part_of(module) == "encoders" else "encoders"
            assert not [d for d in deps if part_of(d) == other], f"{module} imports recsys.{other}"


def test_no_import_cycle() -> None:
    graph = import_graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            # a package importing its own submodules (re-exports) is not a loop of logic
            if dep.startswith(node + "."):
                continue
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


TERMINAL_MODULES = ("rich", "typer", "click", "tqdm")


@pytest.mark.parametrize("package", ["recsys", "ingest", "training", "serve"])
def test_library_code_never_writes_to_the_terminal(package: str) -> None:
    """Only cli prints: library code reports through return values, exceptions and progress
    callbacks, so a service or a script can embed it without stray output."""
    bad = []
    for name, path in modules().items():
        if not name.startswith(package):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                bad.append(f"{where} calls print()")
            elif isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr") and (
                isinstance(node.value, ast.Name) and node.value.id == "sys"
            ):
                bad.append(f"{where} uses sys.{node.attr}")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for n in names:
                    if n.split(".")[0] in TERMINAL_MODULES:
                        bad.append(f"{where} imports {n}")
    assert not bad, "library code writing to the terminal:\n" + "\n".join(bad)


def test_the_rules_catch_a_violation(tmp_path: Path) -> None:
    """The checker itself: a store module importing an encoder is reported."""
    assert part_of("recsys.store.edge") == "store" and part_of("recsys.encoders.base") == "encoders"
    assert "encoders" not in ALLOWED["store"] and "store" not in ALLOWED["encoders"]
    assert "cli" not in set().union(*(ALLOWED[p] for p in ALLOWED if p != "cli"))
    assert part_of("recsys.collection") == "core" and part_of("cli.main") == "cli"
