"""Issue 14, nothing is dropped: a photo arriving with no student selected appears in the 待分配 tray and is
assigned by a scan; a photo in the camera software's dated subfolder is picked up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.delivery_data import photo_file
from tests.roster_files import students, write_xlsx


def _station(window, tmp_path):
    from app.services.roster.stations import StationData

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(4)), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    tab = window.capture_tab
    hot = tmp_path / "camera"
    hot.mkdir()
    tab.set_hot_folder(str(hot))
    tab.watch_check.setChecked(True)
    return tab, window.roster.rows(station.id), hot


def test_a_photo_with_no_student_selected_waits_in_the_tray_and_a_scan_assigns_it(qtbot, window, tmp_path):
    tab, rows, hot = _station(window, tmp_path)
    assert tab.student_id is None and not tab.tray_box.isVisible()
    photo_file(hot / "IMG_0100.JPG", 3)
    qtbot.waitUntil(lambda: tab.tray_list.count() == 1, timeout=15000)
    assert tab.tray_box.isVisible() and tab.tray_box.title() == "待分配（1）"
    assert "IMG_0100.JPG" in tab.tray_list.item(0).text() and not tab.tray_list.item(0).icon().isNull()
    tab.tray_list.setCurrentRow(0)
    clock = [1000.0]
    window.scanner.clock = lambda: clock[0]
    window.scanner.enabled = True
    for ch in rows[2].student_no:
        clock[0] += 0.004
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                tab.crop_view, QKeyEvent(kind, ord(ch), Qt.KeyboardModifier.NoModifier, ch)
            )
    clock[0] += 0.004
    QApplication.sendEvent(
        tab.crop_view, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    )
    assert tab.student_id == rows[2].id
    current = tab.capture.current_photo(rows[2].id)
    assert current is not None and current.original_name == "IMG_0100.JPG"
    assert tab.tray_list.count() == 0 and not tab.tray_box.isVisible()
    assert window.roster.row(rows[2].id).photo_state == "pending"


def test_a_photo_in_a_dated_subfolder_is_picked_up(qtbot, window, tmp_path):
    tab, rows, hot = _station(window, tmp_path)
    tab.select_student(rows[0].id)
    dated = hot / "2026_12_01"
    dated.mkdir()
    photo_file(dated / "IMG_0001.JPG", 5)
    qtbot.waitUntil(lambda: tab.capture.current_photo(rows[0].id) is not None, timeout=15000)
    assert tab.capture.current_photo(rows[0].id).original_name == "IMG_0001.JPG"


def test_the_tray_buttons_assign_to_the_shown_student_and_discard(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    tab, rows, hot = _station(window, tmp_path)
    station_id = tab.station_id
    first = tab.capture.hold(station_id, photo_file(tmp_path / "A.JPG", 7))
    tab.capture.hold(station_id, photo_file(tmp_path / "B.JPG", 8))
    tab.refresh_tray()
    tab.select_student(rows[1].id)
    tab.tray_list.setCurrentRow(0)
    tab.assign_tray_to_current()
    assert tab.capture.current_photo(rows[1].id).original_name == "A.JPG" and tab.tray_list.count() == 1
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    tab.tray_list.setCurrentRow(0)
    tab.discard_tray_item()
    assert tab.tray_list.count() == 0 and tab.capture.pending(station_id) == [] and first


def test_the_station_menu_prints_sign_in_cards(qtbot, window, tmp_path, monkeypatch):
    from app.ui import main_window as mw

    calls = []
    monkeypatch.setattr(mw, "export_signin_cards", lambda *a, **k: calls.append((a[2], k)))
    tab, rows, hot = _station(window, tmp_path)
    action = next(
        a for m in window.menuBar().actions() for a in m.menu().actions() if a.text() == "打印拍摄签到卡…"
    )
    action.trigger()
    assert calls and calls[0][0] == tab.station_id


def test_the_station_menu_prints_the_retake_list(qtbot, window, tmp_path, message_boxes):
    tab, rows, hot = _station(window, tmp_path)
    window.print_retake_list(str(tmp_path / "none.pdf"))
    qtbot.waitUntil(lambda: any("没有需要补拍的学生" in m for _, m in message_boxes))  # said, nothing written
    assert not (tmp_path / "none.pdf").exists()
    tab.select_student(rows[1].id)
    tab.mark_retake()
    window.print_retake_list(str(tmp_path / "补拍名单.pdf"))  # written in the background
    qtbot.waitUntil(lambda: "（1 人）" in window.statusBar().currentMessage())
    assert (tmp_path / "补拍名单.pdf").read_bytes().startswith(b"%PDF")


def _scan(window, widget, code, clock):
    for ch in code:
        clock[0] += 0.004
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, ord(ch), Qt.KeyboardModifier.NoModifier, ch))
    clock[0] += 0.004
    QApplication.sendEvent(
        widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    )


def test_a_scan_while_a_verdict_dialog_is_open_changes_nothing_and_retake_marks_the_right_student(
    qtbot, window, tmp_path, monkeypatch
):
    """Found by the photographer's test: a scan behind the 不能接受 box switched the student, and 重拍 then
    marked the scanned student instead of the one whose photo failed."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from app.services.capture.service import HardFailure

    tab, rows, hot = _station(window, tmp_path)
    a, b = rows[1], rows[3]
    pending = tab.capture.hold(tab.station_id, photo_file(tmp_path / "A.JPG", 4))
    tab.capture.assign_pending(pending, a.id)
    tab.select_student(a.id)
    qtbot.waitUntil(lambda: tab.photo_id is not None, timeout=15000)
    monkeypatch.setattr(
        tab.capture,
        "accept",
        lambda *args, **kw: (_ for _ in ()).throw(HardFailure("人脸数不通过", ["faces"])),
    )
    clock = [1000.0]
    window.scanner.clock = lambda: clock[0]
    window.scanner.enabled = True

    def scan_then_enter():
        box = QApplication.activeModalWidget()
        _scan(window, box, b.student_no, clock)  # refused: a dialog is open
        clock[0] += 1.0
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: 重拍

    QTimer.singleShot(0, scan_then_enter)
    tab.accept_current()
    assert tab.student_id == a.id
    assert window.roster.row(a.id).photo_state == "retake" and window.roster.row(b.id).photo_state == "none"
    assert "请先关闭对话框" in window.statusBar().currentMessage()
    assert QMessageBox  # the box was real and modal


def test_a_withdrawn_student_is_neither_selected_by_a_scan_nor_given_a_tray_photo(qtbot, window, tmp_path):
    from app.services.capture.service import CaptureError

    tab, rows, hot = _station(window, tmp_path)
    window.roster.set_withdrawn(rows[2].id, True, "退学")
    held = tab.capture.hold(tab.station_id, photo_file(tmp_path / "T.JPG", 6))
    tab.refresh_tray()
    tab.tray_list.setCurrentRow(0)
    clock = [1000.0]
    window.scanner.clock = lambda: clock[0]
    window.scanner.enabled = True
    _scan(window, tab.crop_view, rows[2].student_no, clock)
    assert tab.student_id != rows[2].id and "已学籍异动" in window.statusBar().currentMessage()
    assert tab.capture.current_photo(rows[2].id) is None and tab.tray_list.count() == 1
    with pytest.raises(CaptureError, match="已学籍异动"):
        tab.capture.assign_pending(held, rows[2].id)


def test_a_tray_assignment_can_be_undone_and_redone(qtbot, window, tmp_path):
    """Found by the photographer's test: a photo given to the wrong student could not be taken back."""
    tab, rows, hot = _station(window, tmp_path)
    held = tab.capture.hold(tab.station_id, photo_file(tmp_path / "W.JPG", 2))
    tab.refresh_tray()
    tab.select_student(rows[0].id)
    tab.tray_list.setCurrentRow(0)
    tab.assign_tray_to_current()
    assert tab.capture.current_photo(rows[0].id).original_name == "W.JPG" and tab.tray_list.count() == 0
    window.undo_action.trigger()
    assert tab.capture.current_photo(rows[0].id) is None
    assert window.roster.row(rows[0].id).photo_state == "none"
    assert [p.original_name for p in tab.capture.pending(tab.station_id)] == ["W.JPG"] and held
    assert tab.tray_list.count() == 1
    window.redo_action.trigger()
    assert tab.capture.current_photo(rows[0].id).original_name == "W.JPG" and tab.tray_list.count() == 0
