"""A QGuiApplication for painting PDFs from the command line, with no window."""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QGuiApplication


def ensure_gui_app():
    """The running Qt application, or a new QGuiApplication (offscreen on a Linux machine without a display)."""

    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    # deferred: fonts needs the application this function makes
    from app.printing.fonts import bundled_families, register_glyph_check

    bundled_families()  # registered once, on this thread
    register_glyph_check()
    return app
