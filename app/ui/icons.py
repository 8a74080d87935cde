"""Icons drawn as SVG in resources/icons: sharp at every screen scale (high-DPI) without bitmaps per size."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from app.services.photo.presets import resources_dir


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
