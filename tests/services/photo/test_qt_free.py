"""The photo services never import Qt: they run in CLI batches, worker processes and tests."""

from __future__ import annotations

import ast
from pathlib import Path

from app.services import photo


def test_photo_services_import_no_qt() -> None:
    for path in Path(photo.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert not name.startswith(("PySide", "PyQt", "shiboken")), f"{path.name} imports {name}"
