"""Issue 12 at the capture desk: a hard failure is refused, a soft one asks for a reason and shows as 仍接受."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.capture.overrides import override_reasons
from app.ui.capture.override_dialog import OverrideDialog
from tests.conftest import SHARED_FACES, needs_faces
from tests.roster_files import students, write_xlsx

TWO = SHARED_FACES / "face_recognition__examples_two_people.jpg"  # two faces: a hard failure
GREY = SHARED_FACES / "HivisionIDPhotos__demo_images_test1.jpg"  # grey wall: only the backdrop fails
ROOMY = SHARED_FACES / "HivisionIDPhotos__demo_images_test0.jpg"
pytestmark = needs_faces(TWO.name, GREY.name, ROOMY.name)


def _station(window, tmp_path, preset="legacy-192x144"):
    from app.services.roster.stations import StationData

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459", default_preset=preset)
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(4)), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    tab = window.capture_tab
    hot = tmp_path / "camera"
    hot.mkdir()
    tab.set_hot_folder(str(hot))
    return tab, window.roster.rows(station.id), hot


def _shoot(qtbot, tab, row, source, target):
    qtbot.keyClicks(tab.student_edit, row.student_no)
    qtbot.keyClick(tab.student_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(tab.photoShown, timeout=15000):
        shutil.copyfile(source, target)


def test_hard_failure_is_refused_and_soft_failure_needs_a_reason(qtbot, window, tmp_path, monkeypatch):
    tab, rows, hot = _station(window, tmp_path)
    boxes = []
    original_box_exec = QMessageBox.exec

    def box_enter(self):  # the photographer presses Enter once more, out of habit
        boxes.append((self.text(), self.defaultButton().text()))
        QTimer.singleShot(0, lambda: qtbot.keyClick(self, Qt.Key.Key_Return))
        return original_box_exec(self)

    monkeypatch.setattr(QMessageBox, "exec", box_enter)
    _shoot(qtbot, tab, rows[0], TWO, hot / "IMG_0001.JPG")
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Return)
    text, default = boxes[-1]
    assert "硬性检查未通过" in text and "人脸数" in text and default == "重拍"
    # Enter on the refusal marks the retake; it never accepts.
    assert window.roster.row(rows[0].id).photo_state == "retake" and tab.student_id == rows[0].id
    assert tab.qc_model.data(tab.qc_model.index(0, 3)) == "不通过（须重拍）"  # faces, the first check

    _shoot(qtbot, tab, rows[1], GREY, hot / "IMG_0002.JPG")
    seen = {}

    def answer(dialog: OverrideDialog, choose: bool):
        def run():
            dialog.reason.setCurrentIndex(dialog.reason.findData(override_reasons()[2]))
            if choose:
                dialog.ok.click()
            else:  # Enter, as on the capture flow: the default button is 重拍, never 仍接受
                seen["default"] = [b.text() for b in dialog.buttons.buttons() if b.isDefault()]
                qtbot.keyClick(dialog, Qt.Key.Key_Return)

        return run

    original_exec = OverrideDialog.exec

    def exec_cancel(self):
        QTimer.singleShot(0, answer(self, False))
        return original_exec(self)

    monkeypatch.setattr(OverrideDialog, "exec", exec_cancel)
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Return)
    assert seen["default"] == ["重拍"]  # Enter again marks a retake, even with a reason chosen
    assert window.roster.row(rows[1].id).photo_state == "retake"

    def exec_choose(self):
        QTimer.singleShot(0, answer(self, True))
        return original_exec(self)

    monkeypatch.setattr(OverrideDialog, "exec", exec_choose)
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Return)
    assert window.roster.row(rows[1].id).photo_state == "override"
    assert tab.capture.current_photo(rows[1].id).override_reason == override_reasons()[2]
    model = window.roster_tab.model
    labels = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert "仍接受" in labels  # its own state in the roster, not plain 合格

    window.undo_action.trigger()  # undo the acceptance: back to the retake mark Enter made, reason gone
    assert window.roster.row(rows[1].id).photo_state == "retake"
    window.redo_action.trigger()
    assert window.roster.row(rows[1].id).photo_state == "override"
    QApplication.processEvents()


def test_rotate_keys_do_nothing_under_chsi(qtbot, window, tmp_path):
    tab, rows, hot = _station(window, tmp_path, "chsi-2017-480x640")
    _shoot(qtbot, tab, rows[0], ROOMY, hot / "IMG_0001.JPG")
    before = (tab.crop_view.rect, tab.crop_view.rotation)
    for key in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight):
        qtbot.keyClick(tab.crop_view, key)
    assert (tab.crop_view.rect, tab.crop_view.rotation) == before and before[1] == 0.0
    assert "禁止旋转" in window.statusBar().currentMessage()
    assert "禁止旋转" in tab.keys_hint.text() and "[ ]" not in tab.keys_hint.text()


def test_rotate_keys_turn_under_legacy(qtbot, window, tmp_path):
    tab, rows, hot = _station(window, tmp_path)
    _shoot(qtbot, tab, rows[0], ROOMY, hot / "IMG_0001.JPG")
    before = tab.crop_view.rotation
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_BracketLeft)
    assert tab.crop_view.rotation == pytest.approx(before + 0.5)
    assert "[ ] 旋转" in tab.keys_hint.text()


def test_undoing_a_retake_mark_after_a_new_shot_does_not_pass_the_new_photo(
    qtbot, window, tmp_path, monkeypatch
):
    """Accept, Ctrl+R (retake), a new shot arrives, Ctrl+Z: the old verdict must not land on the new photo."""
    tab, rows, hot = _station(window, tmp_path)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a[2]))
    _shoot(qtbot, tab, rows[0], ROOMY, hot / "IMG_0001.JPG")
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Return)
    assert window.roster.row(rows[0].id).photo_state == "accepted"
    tab.select_student(rows[0].id)
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.roster.row(rows[0].id).photo_state == "retake"
    shutil.copyfile(TWO, hot / "IMG_0002.JPG")  # the student sits down again: a new shot
    qtbot.waitUntil(lambda: len(tab.capture.history(rows[0].id)) == 2, timeout=15000)
    window.undo_action.trigger()  # undo the retake mark: it was about the first photo
    assert window.roster.row(rows[0].id).photo_state == "pending"
    assert tab.capture.current_photo(rows[0].id).review == "pending"
    assert warnings and "新拍的照片" in warnings[-1]
