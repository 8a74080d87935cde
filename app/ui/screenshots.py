"""`--screenshots DIR [--photos DIR]`: render every tab with the demo data into PNG files (for the README)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.services.capture.hotfolder import PHOTO_EXTENSIONS

TAB_FILES = ("roster.png", "capture.png", "proofing.png", "export.png")


def _settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QThreadPool.globalInstance().waitForDone(50)
        app.processEvents()


def take_screenshots(window, out_dir: Path, photos_dir: Path | None) -> list[Path]:
    """Bind the given photos to the first students, then grab each tab of the main window."""
    app = QApplication.instance()
    out_dir.mkdir(parents=True, exist_ok=True)
    capture_tab = window.capture_tab
    station_id = window.current_station_id()
    first_photo_student = None
    if photos_dir is not None and station_id is not None:
        photos = sorted(p for p in photos_dir.iterdir() if p.suffix.lower() in PHOTO_EXTENSIONS)
        rows = window.roster.rows(station_id)
        for row, path in zip(rows, photos):
            photo_id = window.capture.take_in(row.id, path, "import")
            result = window.capture.crop(photo_id)
            if result is not None and result.status == "ok" and row.shot_no % 3:
                window.capture.accept(photo_id)
            if first_photo_student is None and result is not None and result.image is not None:
                first_photo_student = row.id
        window.events.rosterChanged.emit()
    window.resize(1400, 860)
    written = []
    window.tabs.setCurrentIndex(0)
    _settle(app, 0.5)
    written.append(_grab(window, out_dir / TAB_FILES[0]))
    window.tabs.setCurrentIndex(1)
    if first_photo_student is not None:
        capture_tab.select_student(first_photo_student)
    _settle(app, 1.0)
    written.append(_grab(window, out_dir / TAB_FILES[1]))
    window.tabs.setCurrentWidget(window.proofing_tab)
    window.proofing_tab.table.selectRow(2)
    _settle(app, 0.5)
    written.append(_grab(window, out_dir / TAB_FILES[2]))
    window.tabs.setCurrentWidget(window.export_tab)
    window.export_tab.run_preflight()  # the blocker list is what a clerk looks at before packaging
    _settle(app, 2.0)
    written.append(_grab(window, out_dir / TAB_FILES[3]))
    return written


def _grab(window, path: Path) -> Path:
    window.grab().save(str(path))
    return path
