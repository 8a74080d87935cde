"""GUI fixtures: a real MainWindow on a fresh store, message boxes recorded instead of shown.

Every test under tests/ui carries the `gui` mark (tests/conftest.py adds it at collection)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    shown: list[tuple[str, str]] = []

    def record(kind):
        def _show(parent, title, text, *args, **kwargs):
            shown.append((kind, f"{title}: {text}"))
            # A question (e.g. "accept a photo that failed a check?") is answered yes, like a decided user.
            return QMessageBox.StandardButton.Yes if kind == "question" else QMessageBox.StandardButton.Ok

        return _show

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    return shown


@pytest.fixture
def settings(tmp_path):
    from app.config import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, db, settings):
    from app.ui.main_window import MainWindow

    win = MainWindow(db, settings)
    win.scanner.enabled = False  # qtbot types a whole word at once, as a scanner would; tests type as people
    qtbot.addWidget(win)
    win.show()
    yield win
    QThreadPool.globalInstance().waitForDone(5000)
    # A dialog a test opened and left open (window-modal, its own top-level) would outlive the window and make
    # the next test's window see "a dialog is open" (a scan is then refused): close every one that is left.
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()


@pytest.fixture(scope="session")
def english_qm() -> Path:
    """The English .qm as `make` builds it (lrelease from the same environment), when missing or older than the .ts."""
    from app.services.photo.presets import resources_dir

    ts = resources_dir() / "translations" / "gradphoto_en.ts"
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        lrelease = Path(sys.executable).parent / "pyside6-lrelease"
        subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


@pytest.fixture(autouse=True)
def no_dialog_left_open(request):
    """Fails the test that leaves a modal dialog open after its teardown, not a random later one."""
    yield
    left = QApplication.activeModalWidget()
    if left is not None:
        title = left.windowTitle()
        left.close()
        pytest.fail(f"{request.node.nodeid} left a modal dialog open: {type(left).__name__} {title}")
