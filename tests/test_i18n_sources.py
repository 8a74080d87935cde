"""Every interface string reaches pyside6-lupdate: translation calls take literals, or text marked with a NOOP.

lupdate reads `self.tr("…")`, `QCoreApplication.translate("Ctx", "…")` and `QT_TRANSLATE_NOOP("Ctx", "…")`
in the source; a helper such as `_tr(text)` or `self.tr(variable)` hides the text from it, and the English
interface then shows Chinese. Data labels go through app.ui.i18n.tr_data(), registered by the generated
app/ui/i18n_data.py (`make translations`).
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parent.parent / "app" / "ui"


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _noop_contexts(tree: ast.AST) -> set[str]:
    return {
        n.args[0].value
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id == "QT_TRANSLATE_NOOP"
        and n.args
        and _literal(n.args[0])
    }


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    marked = _noop_contexts(tree) | {"Data"}
    wrappers = {
        f.name
        for f in tree.body
        if isinstance(f, ast.FunctionDef)
        and f.args.args
        and any(
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "translate"
            and len(n.args) > 1
            and isinstance(n.args[1], ast.Name)
            and n.args[1].id == f.args.args[0].arg
            for n in ast.walk(f)
        )
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, where = node.func, f"{path.name}:{node.lineno}"
        if isinstance(func, ast.Attribute) and func.attr == "tr" and node.args and not _literal(node.args[0]):
            found.append(f"{where}: tr() of a non-literal")
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "translate"
            and isinstance(func.value, ast.Name)
            and func.value.id == "QCoreApplication"
        ):
            if not node.args or not _literal(node.args[0]):
                found.append(f"{where}: translate() with a non-literal context")
            elif len(node.args) > 1 and not _literal(node.args[1]) and node.args[0].value not in marked:
                found.append(f"{where}: translate() of a non-literal in a context with no QT_TRANSLATE_NOOP")
        elif (
            isinstance(func, ast.Name)
            and (func.id in wrappers or func.id == "tr_data")
            and node.args
            and _literal(node.args[0])
        ):
            found.append(f"{where}: {func.id}() of a literal (lupdate cannot see it)")
    return found


def test_interface_strings_are_visible_to_lupdate():
    problems = [p for path in sorted(UI.rglob("*.py")) for p in _problems(path)]
    assert problems == []


def test_the_generated_data_module_is_current():
    """app/ui/i18n_data.py matches the data modules (run `make translations` after adding a state, field …)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "i18n_data_tool", UI.parent.parent / "tools" / "i18n_data.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert (UI / "i18n_data.py").read_text(encoding="utf-8") == tool.render(tool.data_strings())
