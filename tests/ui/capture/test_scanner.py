"""Issue 14: a barcode scanner is recognised wherever focus is, by its speed, with an injected clock.

A scanner types a key every few ms and ends with Enter; a person types far slower. A burst selects the scanned
student and never reaches the crop view as keys (its digits and Enter would otherwise act on the photo on
screen); a person's keys reach the widget they typed into."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import SHARED_FACES, needs_faces
from tests.roster_files import students, write_xlsx

ROOMY = SHARED_FACES / "HivisionIDPhotos__demo_images_test0.jpg"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _station(window, tmp_path, count=6):
    from app.services.roster.stations import StationData

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(count)), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    return window.capture_tab, window.roster.rows(station.id)


def _scanner(window) -> Clock:
    clock = Clock()
    window.scanner.clock = clock
    window.scanner.enabled = True
    return clock


def _press(widget, ch: str) -> None:
    """A key press carrying any text (QTest takes Latin-1 only; an input method in full-width mode does not)."""
    key = ord(ch.upper()) if ch.isascii() else 0
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def _type(qtbot, widget, text: str, clock: Clock, every: float, enter: bool = True) -> None:
    for ch in text:
        clock.now += every
        _press(widget, ch)
    if enter:
        clock.now += every
        qtbot.keyClick(widget, Qt.Key.Key_Return)


@needs_faces(ROOMY.name)
def test_a_scan_while_the_crop_view_has_focus_selects_that_student_and_accepts_nothing(
    qtbot, window, tmp_path
):
    """The issue's trap: #2's photo on screen, focus on the photo, a scan of #5. Before, the 0 reset the crop,
    Enter accepted #2's photo and the app moved to #3."""
    tab, rows = _station(window, tmp_path)
    hot = tmp_path / "camera"
    hot.mkdir()
    tab.set_hot_folder(str(hot))
    tab.select_student(rows[1].id)
    with qtbot.waitSignal(tab.photoShown, timeout=15000):
        shutil.copyfile(ROOMY, hot / "IMG_0002.JPG")
    tab.crop_view.setFocus()
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Right)  # a nudge the scan must not undo
    tab.commit_adjustment()
    nudged = tab.crop_view.rect
    clock = _scanner(window)
    code = rows[4].student_no
    assert "0" in code  # the key that used to reset the crop
    _type(qtbot, tab.crop_view, code, clock, every=0.004)
    assert tab.student_id == rows[4].id and tab.queue_model.student_at(tab.queue_view.currentIndex().row()).id
    assert window.roster.row(rows[1].id).photo_state == "pending"  # nothing accepted
    tab.select_student(rows[1].id)
    qtbot.waitUntil(lambda: tab.crop_view.rect is not None, timeout=15000)
    assert tab.crop_view.rect == nudged  # nothing reset


def test_a_person_typing_the_same_digits_searches_as_before(qtbot, window, tmp_path):
    tab, rows = _station(window, tmp_path)
    clock = _scanner(window)
    tab.student_edit.setFocus()
    code = rows[3].student_no
    _type(qtbot, tab.student_edit, code[:-1], clock, every=0.12, enter=False)
    clock.now += 0.12
    _press(tab.student_edit, code[-1])
    clock.now += 0.12
    window.scanner.tick()  # the timer: the last key was a person's too
    assert tab.student_edit.text() == code  # every key reached the box, in order
    qtbot.keyClick(tab.student_edit, Qt.Key.Key_Return)
    assert tab.student_id == rows[3].id


def test_a_scan_from_any_tab_and_any_widget_selects_the_student(qtbot, window, tmp_path):
    tab, rows = _station(window, tmp_path)
    window.tabs.setCurrentWidget(window.proofing_tab)
    clock = _scanner(window)
    _type(qtbot, window.station_combo, rows[2].student_no, clock, every=0.006)
    assert window.tabs.currentWidget() is tab and tab.student_id == rows[2].id
    # In the roster tab the roster selects the row, by 身份证号 too.
    window.tabs.setCurrentWidget(window.roster_tab)
    _type(qtbot, window.roster_tab.table, rows[5].id_number, clock, every=0.006)
    assert window.roster_tab.selected_id() == rows[5].id
    assert window.tabs.currentWidget() is window.roster_tab


def test_an_unknown_code_says_not_found_and_changes_nothing(qtbot, window, tmp_path, monkeypatch):
    tab, rows = _station(window, tmp_path)
    tab.select_student(rows[0].id)
    beeps = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    clock = _scanner(window)
    _type(qtbot, tab.crop_view, "99999999", clock, every=0.005)
    assert tab.student_id == rows[0].id and beeps == [1]
    assert window.statusBar().currentMessage().startswith("未找到：99999999")
    assert "d32f2f" in window.statusBar().styleSheet()  # the red flash


def test_full_width_digits_and_an_input_method_commit_are_scans_too(qtbot, window, tmp_path):
    tab, rows = _station(window, tmp_path)
    clock = _scanner(window)
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in rows[1].student_no)
    _type(qtbot, tab.crop_view, wide, clock, every=0.004)
    assert tab.student_id == rows[1].id
    # A Chinese input method composes the letters and commits them at once when Enter comes.
    tab.student_edit.setFocus()
    start = QInputMethodEvent("2", [])
    QApplication.sendEvent(tab.student_edit, start)
    clock.now += 0.004 * len(rows[4].student_no)
    commit = QInputMethodEvent("", [])
    commit.setCommitString(
        wide.replace(wide, "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in rows[4].student_no))
    )
    QApplication.sendEvent(tab.student_edit, commit)
    assert tab.student_id == rows[4].id and tab.student_edit.text() == ""


def test_a_slow_commit_from_an_input_method_is_typing(qtbot, window, tmp_path):
    tab, rows = _station(window, tmp_path)
    clock = _scanner(window)
    tab.student_edit.setFocus()
    QApplication.sendEvent(tab.student_edit, QInputMethodEvent("zhang", []))
    clock.now += 2.0  # a person choosing a candidate
    commit = QInputMethodEvent("", [])
    commit.setCommitString("张三")
    QApplication.sendEvent(tab.student_edit, commit)
    assert tab.student_edit.text() == "张三" and tab.student_id is None


def test_crop_keys_are_off_the_characters_a_code_holds(qtbot, window, tmp_path):
    tab, rows = _station(window, tmp_path)
    for key in (Qt.Key.Key_0, Qt.Key.Key_R, Qt.Key.Key_Minus, Qt.Key.Key_Plus):
        assert tab.handle_key(key, Qt.KeyboardModifier.NoModifier) is False  # nothing happens on them
    assert "PgUp/PgDn" in tab.keys_hint.text() and "+/-" not in tab.keys_hint.text()


def test_a_key_typed_before_a_scan_stays_the_persons_and_the_scan_still_reads(qtbot, window, tmp_path):
    tab, rows = _station(window, tmp_path)
    clock = _scanner(window)
    tab.student_edit.setFocus()
    _press(tab.student_edit, "z")  # a person's key, not yet handed on when the scan starts
    clock.now += 0.3
    _type(qtbot, tab.student_edit, rows[2].student_no, clock, every=0.004)
    assert tab.student_id == rows[2].id
    assert tab.student_edit.text() == ""  # cleared by the scan's selection; the scan's digits never landed


def test_the_red_flash_of_a_window_closed_meanwhile_is_dropped(qtbot, db, settings):
    """The flash is undone 1.5 s later; a window closed before then must not be touched (it was, and raised)."""
    from PySide6.QtCore import QTimer

    from app.ui.main_window import MainWindow

    other = MainWindow(db, settings)
    other.scanner.enabled = False
    other.scan_not_found("12345678")
    other.close()
    other.deleteLater()
    QTimer.singleShot(0, lambda: None)
    qtbot.wait(1700)  # pytest-qt reports any exception raised in the timer's callback
