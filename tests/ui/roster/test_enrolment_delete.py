"""Deleting one student's enrolment photo from the GUI (a wrong file imported, consent withdrawn): the roster's
context menu and the capture tab's enrolment box, one confirmation naming the student, the record and the file
gone, the 人脸比对 column and the capture tab's box and badge following. Generated photos, stand-in faces."""

from __future__ import annotations

import time

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from app.models import AuditEvent
from app.ui.roster.model import COLUMN_INDEX
from tests.fake_faces import GREEN, RED, coloured_jpeg, use_fake_faces
from tests.roster_files import students, write_xlsx

DELETE = "删除录取照片…"


def _scene(window, tmp_path, monkeypatch):
    """Four students; enrolment photos for the first three, none for the fourth."""
    from app.services.roster.stations import StationData

    use_fake_faces(monkeypatch)
    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(4)), station.id)
    rows = window.roster.rows(station.id)
    folder = tmp_path / "录取照片"
    folder.mkdir()
    for row, colour in zip(rows[:3], (RED, GREEN, RED)):
        coloured_jpeg(folder / f"{row.student_no}.jpg", colour)
    assert window.identity.import_matched(window.identity.match(station.id, folder).matched).imported == 3
    window.reload_stations(station.id)
    files = {row.id: window.identity.enrolment_path(row.id) for row in rows[:3]}
    assert all(path.is_file() for path in files.values())
    assert len(set(files.values())) == 3  # three different files: deleting one cannot be hidden by another
    return rows, files


def _column(tab) -> dict[str, str]:
    model, col = tab.model, COLUMN_INDEX["identity"]
    return {model.student_at(r).student_no: model.index(r, col).data() for r in range(model.rowCount())}


def _select(tab, *student_ids):
    selection = QItemSelection()
    for sid in student_ids:
        index = tab.model.index(tab.model.row_of_student(sid), 0)
        selection.select(index, index)
    tab.table.selectionModel().select(
        selection, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )


def _action(menu, text=DELETE):
    return next(a for a in menu.actions() if a.text() == text)


def _deletes(window) -> list[str]:
    with window.db.sessions() as s:
        return list(
            s.scalars(
                select(AuditEvent.summary)
                .where(AuditEvent.action == "enrolment-delete")
                .order_by(AuditEvent.id)
            )
        )


def test_the_roster_menu_deletes_one_students_enrolment_photo_and_its_file(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    rows, files = _scene(window, tmp_path, monkeypatch)
    tab = window.roster_tab
    assert _column(tab)[rows[1].student_no] == "未比对"
    _select(tab, rows[1].id)
    action = _action(tab.table_tools.build_menu())
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: window.identity.enrolment(rows[1].id) is None, timeout=10000)
    qtbot.waitUntil(lambda: _column(tab)[rows[1].student_no] == "无录取照片", timeout=5000)
    assert not files[rows[1].id].exists()  # the original is gone at once
    assert files[rows[0].id].is_file() and files[rows[2].id].is_file()  # the others stay
    assert window.identity.enrolment(rows[0].id) is not None
    assert _column(tab)[rows[0].student_no] == "未比对"
    # one confirmation, naming the student by 学号 and 姓名, never by 身份证号
    (kind, text), *_ = message_boxes
    assert kind == "question"
    assert f"删除 {rows[1].student_no} {rows[1].name} 的录取照片？" in text
    assert "无法撤销" in text
    assert rows[1].id_number not in text
    assert _deletes(window) == [f"删除录取照片 {rows[1].student_no}"]  # audited by the service
    assert not _action(tab.table_tools.build_menu()).isEnabled()  # nothing left to delete for them


def test_saying_no_deletes_nothing(qtbot, window, tmp_path, monkeypatch):
    rows, files = _scene(window, tmp_path, monkeypatch)
    asked = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No),
    )
    tab = window.roster_tab
    _select(tab, rows[0].id)
    assert tab.delete_enrolment() is None  # no background work started
    assert len(asked) == 1
    assert window.identity.enrolment(rows[0].id) is not None and files[rows[0].id].is_file()
    assert _column(tab)[rows[0].student_no] == "未比对"
    assert _deletes(window) == []


def test_the_action_is_disabled_for_a_student_without_one(qtbot, window, tmp_path, monkeypatch):
    rows, _files = _scene(window, tmp_path, monkeypatch)
    tab = window.roster_tab
    _select(tab, rows[3].id)
    assert not _action(tab.table_tools.build_menu()).isEnabled()
    _select(tab, rows[2].id)
    assert _action(tab.table_tools.build_menu()).isEnabled()


def test_several_students_are_asked_about_once_with_the_count(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    rows, files = _scene(window, tmp_path, monkeypatch)
    tab = window.roster_tab
    _select(tab, rows[0].id, rows[2].id, rows[3].id)  # the fourth has none: not counted
    _action(tab.table_tools.build_menu()).trigger()
    qtbot.waitUntil(
        lambda: _column(tab)[rows[0].student_no] == _column(tab)[rows[2].student_no] == "无录取照片",
        timeout=10000,
    )
    assert [kind for kind, _text in message_boxes] == ["question"]
    assert "删除所选 2 名学生的录取照片？" in message_boxes[0][1]
    assert not files[rows[0].id].exists() and not files[rows[2].id].exists()
    assert files[rows[1].id].is_file() and _column(tab)[rows[1].student_no] == "未比对"
    qtbot.waitUntil(lambda: "已删除 2 名学生的录取照片" in window.statusBar().currentMessage(), timeout=5000)


def _capture_on(qtbot, window, row, tmp_path):
    """The student photographed in red on the capture tab, the verdict shown."""
    tab = window.capture_tab
    window.tabs.setCurrentWidget(tab)
    tab.select_student(row.id)
    tab.take_new_photo(
        coloured_jpeg(tmp_path / f"IMG_{row.shot_no}.JPG", RED, (600, 800)), time.perf_counter()
    )
    qtbot.waitUntil(lambda: tab.photo_id is not None and tab.identity_state == "same", timeout=15000)
    qtbot.waitUntil(
        lambda: tab.enrolment_photo.pixmap() is not None and not tab.enrolment_photo.pixmap().isNull()
    )
    return tab


def _qc_names(tab):
    return [tab.qc_model.index(r, 0).data() for r in range(tab.qc_model.rowCount())]


def test_deleting_in_the_roster_updates_the_capture_tab_of_that_student(qtbot, window, tmp_path, monkeypatch):
    rows, _files = _scene(window, tmp_path, monkeypatch)
    capture = _capture_on(qtbot, window, rows[0], tmp_path)
    assert capture.identity_badge.text() == "相同" and "本人核验" in _qc_names(capture)
    _select(window.roster_tab, rows[0].id)
    window.roster_tab.delete_enrolment()
    qtbot.waitUntil(lambda: capture.identity_state == "none", timeout=15000)
    assert capture.identity_badge.text() == "无录取照片"
    assert capture.enrolment_photo.isHidden()  # no photo left beside the new shot
    qtbot.waitUntil(lambda: capture.photo_id is not None and capture.qc_model.rowCount() > 0, timeout=15000)
    assert "本人核验" not in _qc_names(capture)  # the verdict against the deleted photo is not shown


def test_the_capture_tabs_enrolment_box_deletes_the_current_students_photo(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    rows, files = _scene(window, tmp_path, monkeypatch)
    capture = _capture_on(qtbot, window, rows[2], tmp_path)
    action = _action(capture.enrolment_menu())
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: capture.identity_state == "none", timeout=15000)
    assert window.identity.enrolment(rows[2].id) is None and not files[rows[2].id].exists()
    assert f"删除 {rows[2].student_no} {rows[2].name} 的录取照片？" in message_boxes[0][1]
    qtbot.waitUntil(lambda: _column(window.roster_tab)[rows[2].student_no] == "无录取照片", timeout=5000)
    assert window.identity.enrolment(rows[0].id) is not None
    assert not _action(capture.enrolment_menu()).isEnabled()
