"""app/services and app/models stay Qt-free, so the CLI and tests need no window."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "app"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_services_and_models_never_import_qt():
    files = [ROOT / "models.py", ROOT / "db.py", *sorted((ROOT / "services").rglob("*.py"))]
    offenders = {str(f.relative_to(ROOT)): sorted(n for n in _imports(f) if n.startswith(("PySide6", "shiboken")))
                 for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}
