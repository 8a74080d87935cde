"""Drive the real widgets as a clerk would: create a station, import, search, edit, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog

from app.ui.roster.model import COLUMN_INDEX
from tests.roster_files import students, write_csv, write_xlsx


def type_text(qtbot, widget, text):
    """Type as a user would; QTest only synthesises ASCII keys, so CJK text arrives as an input-method commit."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)


def _create_station(qtbot, window, name="洛阳函授站"):
    dialog = window.new_station()
    type_text(qtbot, dialog.name_edit, name)
    dialog.school_name_edit.setText("郑州大学")
    qtbot.keyClicks(dialog.school_code_edit, "10459")
    dialog.fee_spin.setValue(15)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.station_combo.currentText() == name)
    return window.stations.find(name)


def _import(qtbot, window, path):
    tab = window.roster_tab
    tab.start_import(str(path))
    qtbot.waitUntil(
        lambda: getattr(tab, "current_dialog", None) is not None and tab.current_dialog.isVisible(),
        timeout=10000,
    )
    return tab.current_dialog


def _finish_import(qtbot, dialog):
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: dialog.pages.currentIndex() == 1 and dialog.import_button.isEnabled(), timeout=10000
        )
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def test_station_dialog_validates_and_creates(qtbot, window):
    dialog = window.new_station()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()  # empty name
    assert dialog.isVisible() and "名称" in dialog.error_label.text()
    dialog.close()
    station = _create_station(qtbot, window)
    assert station.school_code == "10459" and str(station.fee_per_student) == "15.00"
    assert [d["code"] for d in station.dept_codes] == ["001", "002", "003", "004"]


def test_import_dialog_maps_checks_and_imports(qtbot, window, tmp_path):
    _create_station(qtbot, window)
    rows = students(30)
    rows[5]["身份证号码"] = "123456"
    path = write_xlsx(tmp_path / "花名册.xlsx", rows)
    dialog = _import(qtbot, window, path)
    # The clerk unmaps 专业名称 in the preview and maps it back.
    major_col = next(c for c, k in dialog.current_sheet().mapping.items() if k == "major")
    dialog.set_mapping(major_col, None)
    assert "major" not in dialog.current_sheet().mapping.values()
    dialog.set_mapping(major_col, "major")
    assert dialog.preview_model.rowCount() == 30
    id_col = 1 + sorted(dialog.current_sheet().mapping).index(
        next(c for c, k in dialog.current_sheet().mapping.items() if k == "id_number")
    )
    shown = dialog.preview_model.index(0, id_col).data()
    assert "*" in shown and shown != rows[0]["身份证号码"]  # the preview masks IDs too
    _finish_import(qtbot, dialog)
    assert dialog.report.imported == 29 and len(dialog.report.rejected) == 1
    assert dialog.problem_model.index(0, 1).data() == "9"
    assert window.roster_tab.model.rowCount() == 29


def test_missing_required_column_blocks_the_check(qtbot, window, tmp_path):
    _create_station(qtbot, window)
    rows = [{k: v for k, v in r.items() if k != "性别"} for r in students(3)]
    dialog = _import(qtbot, window, write_csv(tmp_path / "r.csv", rows, "gbk"))
    assert not dialog.check_button.isEnabled() and "性别" in dialog.missing_label.text()


def test_unreadable_file_shows_a_message(qtbot, window, tmp_path, message_boxes):
    _create_station(qtbot, window)
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04garbage")
    window.roster_tab.start_import(str(bad))
    qtbot.waitUntil(lambda: len(message_boxes) > 0, timeout=5000)
    assert "坏.xlsx" in message_boxes[0][1] and "未写入" in message_boxes[0][1]


def test_search_scan_edit_and_undo(qtbot, window, tmp_path, monkeypatch):
    station = _create_station(qtbot, window)
    rows = students(60)
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    window.events.rosterChanged.emit()
    tab = window.roster_tab
    assert tab.model.rowCount() == 60

    # Search as you type: by name, and by the last digits of the ID.
    type_text(qtbot, tab.search_edit, rows[17]["姓名"])
    qtbot.waitUntil(lambda: tab.model.rowCount() < 60)
    assert any(tab.model.student_at(i).student_no == rows[17]["学号"] for i in range(tab.model.rowCount()))
    tab.search_edit.clear()
    qtbot.keyClicks(tab.search_edit, rows[17]["身份证号码"][-6:])
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1)
    tab.search_edit.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 60)

    # A scanner types the full ID and Enter: the student is selected, the search box is ready again.
    qtbot.keyClicks(tab.search_edit, rows[42]["身份证号码"])
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
    selected = tab.selected_id()
    assert selected is not None and tab.roster.get(selected).student_no == rows[42]["学号"]
    assert tab.search_edit.text() == ""

    # IDs are masked until the clerk reveals them.
    row = tab.model.row_of_student(selected)
    cell = tab.model.index(row, COLUMN_INDEX["id_number"])
    assert cell.data() != rows[42]["身份证号码"]
    tab.reveal_check.setChecked(True)
    assert cell.data() == rows[42]["身份证号码"]
    tab.reveal_check.setChecked(False)

    # Edit the major in the dialog, then undo and redo it.
    dialog = tab.edit_selected()
    major = dialog.editors["major"]
    major.clear()
    type_text(qtbot, major, "法学")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert tab.roster.get(selected).major == "法学"
    assert tab.model.index(row, COLUMN_INDEX["major"]).data() == "法学"
    window.undo_action.trigger()
    assert tab.roster.get(selected).major == rows[42]["专业名称"]
    assert tab.model.index(row, COLUMN_INDEX["major"]).data() == rows[42]["专业名称"]
    window.redo_action.trigger()
    assert tab.roster.get(selected).major == "法学"

    # An invalid edit keeps the dialog open with the reason, and nothing enters the undo stack.
    depth = window.undo_stack.count()
    dialog = tab.edit_selected()
    dialog.editors["id_number"].setText("123")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "身份证" in dialog.error_label.text()
    dialog.close()
    assert window.undo_stack.count() == depth

    # Withdraw (学籍异动) and undo.
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("退学", True)))
    tab.toggle_withdrawn()
    assert tab.roster.get(selected).withdrawn
    assert tab.model.index(row, COLUMN_INDEX["status"]).data() == "学籍异动"
    window.undo_action.trigger()
    assert not tab.roster.get(selected).withdrawn


def _add_student_in_dialog(qtbot, window, row):
    """Type a student into the 新增学生 dialog and save, as a clerk would."""
    dialog = window.roster_tab.add_student()
    for key, column in (("name", "姓名"), ("student_no", "学号"), ("id_number", "身份证号码")):
        type_text(qtbot, dialog.editors[key], str(row[column]))
    dialog.editors["sex"].setCurrentText(row["性别"])
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_add_student_and_undo(qtbot, window):
    station = _create_station(qtbot, window)
    _add_student_in_dialog(qtbot, window, students(1, seed=5)[0])
    assert window.roster_tab.model.rowCount() == 1
    assert window.roster_tab.model.student_at(0).shot_no == 1
    window.undo_action.trigger()
    assert window.roster_tab.model.rowCount() == 0
    window.redo_action.trigger()
    assert window.roster_tab.model.rowCount() == 1
    assert window.roster_tab.model.student_at(0).shot_no == 2  # a 拍摄序号 is never reused
    assert station.id == window.current_station_id()


def test_filters_by_class_and_major(qtbot, window, tmp_path):
    station = _create_station(qtbot, window)
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(120)), station.id)
    window.events.rosterChanged.emit()
    tab = window.roster_tab
    tab.class_combo.setCurrentIndex(1)
    wanted = tab.class_combo.currentData()
    assert 0 < tab.model.rowCount() < 120
    assert all(tab.model.student_at(i).class_name == wanted for i in range(tab.model.rowCount()))
    tab.class_combo.setCurrentIndex(0)
    tab.major_combo.setCurrentIndex(2)
    assert all(
        tab.model.student_at(i).major == tab.major_combo.currentData() for i in range(tab.model.rowCount())
    )
    QApplication.processEvents()


def test_station_dialog_shows_the_default_dept_codes_without_scrolling(qtbot, window):
    dialog = window.new_station()
    qtbot.waitExposed(dialog)
    assert dialog.codes_model.rowCount() == 4
    assert dialog.codes_view.verticalScrollBar().maximum() == 0  # all four rows visible as it opens
    dialog.close()


def test_redo_after_an_import_never_edits_another_student(qtbot, window, tmp_path):
    """Add, edit, undo both, import a roster, redo: the freed id may now be an imported student's (SQLite
    hands it out again), so the redo must not replay the edit onto that student."""
    from app.services.roster.demo import make_students

    station = _create_station(qtbot, window)
    _add_student_in_dialog(qtbot, window, students(1, seed=5)[0])
    window.roster_tab.table.selectRow(0)
    dialog = window.roster_tab.edit_selected()
    dialog.editors["major"].setText("手工改的专业")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.roster_tab.model.rowCount() == 0
    others = make_students(3, seed=9, first_student_no=500)
    window.roster_tab.current_dialog = None  # the edit dialog, closed
    dialog = _import(qtbot, window, write_xlsx(tmp_path / "others.xlsx", others))
    _finish_import(qtbot, dialog)
    window.redo_action.trigger()
    window.redo_action.trigger()
    majors = {s.student_no: s.major for s in window.roster.rows(station.id)}
    assert "手工改的专业" not in {majors[str(o["学号"])] for o in others}
    # without an import in between, redo brings the student back with the edit, under the same id
    window.roster_tab.table.selectRow(0)
    first_id = window.roster_tab.selected_id()
    dialog = window.roster_tab.edit_selected()
    dialog.editors["major"].setText("又改了")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert window.roster.row(first_id).major == "又改了"


def test_the_windows_roster_deletes_enrolment_files_in_the_photo_store_the_window_uses(
    qtbot, db, settings, tmp_path, monkeypatch
):
    """On a server database there is no folder beside the database: the window must name its photo store, or a
    deleted student's enrolment original would stay until the next import."""
    import app.ui.main_window as main_window
    from app.services.capture.photo_store import PhotoStore

    store = PhotoStore(tmp_path / "elsewhere")  # as for a PostgreSQL store: not beside any database file
    monkeypatch.setattr(main_window, "photo_store_for", lambda _db: store)
    win = main_window.MainWindow(db, settings)
    qtbot.addWidget(win)
    assert win.roster.photos_root == store.root
