"""The layers of README § Architecture, held against the code's own imports (function-local ones included).

- no import cycles anywhere in app/;
- services, models and db never reach Qt, not even through another module of app (app.paths, say);
- each services domain imports only the domains the README's diagram lets it;
- services, printing and the CLI never import the interface; services never import the shell modules;
- every function-local import in app/ says why it is deferred.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
QT = ("PySide6", "shiboken6")

# What each services domain may import besides itself (README § Architecture).
SERVICE_DOMAINS = {
    "standards": set(),
    "common": {"app.models"},
    "photo": {"common", "app"},
    "identity": {"common", "standards", "photo", "capture", "app.models"},
    "roster": {"common", "standards", "app.models"},
    "capture": {"common", "standards", "photo", "app.models"},
    "delivery": {"common", "standards", "photo", "capture", "app.models"},
    "proofing": {"common", "standards", "roster", "app.models"},
    "exchange": {"common", "standards", "roster", "capture", "proofing", "app.models"},
}
DEFERRED = "# deferred:"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in APP.rglob("*.py")}


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every module `module` imports, at the top or inside a function.

    `from pkg import mod` names pkg.mod alone (pkg's __init__ runs too, but it is pkg.mod that is used);
    `from pkg import name` names pkg, whose __init__ defines or re-exports the name.
    """
    path = _modules()[module]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(path, node)
            submodules = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in _modules()}
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(base)
    return frozenset(found)


def _internal(module: str) -> set[str]:
    """The app modules `module` imports (a name inside a module counts as that module, a package as its __init__)."""
    out = set()
    for name in imports_of(module):
        while name and name not in _modules():
            name = name.rpartition(".")[0]
        if name and name != module:
            out.add(name)
    return out


def _reach(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        for nxt in _internal(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def _graph() -> dict[str, set[str]]:
    return {m: _internal(m) for m in _modules()}


def test_no_import_cycles():
    assert find_cycles(_graph()) == []


def test_the_cycle_finder_sees_a_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_a_cycle_through_a_package_init_counts():
    """photo/encode.py importing a name from app.services.photo, whose __init__ imports encode, is a cycle."""
    graph = _graph()
    graph["app.services.photo.encode"] = graph["app.services.photo.encode"] | {"app.services.photo"}
    assert any({"app.services.photo", "app.services.photo.encode"} <= set(c) for c in find_cycles(graph))


@pytest.mark.parametrize("layer", ["app.services", "app.models", "app.db"])
def test_no_qt_reached_from(layer):
    """Directly or through any module of app it imports (app.paths imports Qt: services must not use it)."""
    offenders = {}
    for module in _modules():
        if module != layer and not module.startswith(layer + "."):
            continue
        for reached in {module} | _reach(module):
            qt = sorted(n for n in imports_of(reached) if n.startswith(QT))
            if qt:
                offenders[module] = f"via {reached}: {qt}"
                break
    assert offenders == {}


def _domain(module: str) -> str:
    parts = module.split(".")
    if module.startswith("app.services.") and len(parts) > 2:
        return parts[2]
    return module


@pytest.mark.parametrize("domain", sorted(SERVICE_DOMAINS))
def test_service_domain_imports_only_what_the_diagram_allows(domain):
    prefix = f"app.services.{domain}"
    wrong = {}
    for module in _modules():
        if module != prefix and not module.startswith(prefix + "."):
            continue
        for target in _internal(module):
            d = _domain(target)
            if d != domain and d not in SERVICE_DOMAINS[domain]:
                wrong.setdefault(module, []).append(target)
    assert wrong == {}


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (
            "app.services",
            ("app.ui", "app.cli", "app.printing", "app.paths", "app.config", "app.db", "app.selftest"),
        ),
        ("app.models", ("app.services", "app.ui", "app.cli", "app.printing")),
        ("app.printing", ("app.ui", "app.cli")),
        ("app.cli", ("app.ui",)),
    ],
)
def test_lower_layers_never_import_higher_ones(layer, forbidden):
    wrong = sorted(
        f"{m} -> {t}"
        for m in _modules()
        if m == layer or m.startswith(layer + ".")
        for t in _internal(m)
        if t.startswith(forbidden)
    )
    assert wrong == []


def test_every_package_says_what_lives_there():
    silent = [
        str(p.relative_to(APP.parent))
        for p in APP.rglob("__init__.py")
        if "migrations" not in p.parts and not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert silent == []


def test_function_local_imports_say_why():
    """Imports belong at the top; one inside a function must save start-up time and say so (`# deferred: …`)."""
    silent = []
    for module, path in _modules().items():
        if ".migrations" in module:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                i = node.lineno - 2  # the lines above, over the rest of its block of imports
                while i >= 0 and lines[i].strip().startswith(("from ", "import ")):
                    i -= 1
                comment = lines[node.lineno - 1] + (lines[i] if i >= 0 else "")
                if DEFERRED not in comment:
                    silent.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert silent == []
