"""The student dialog edits 考生号 and 录取照片文件名, the two names an enrolment photo is found by: a clerk
fixes a wrong one without re-importing the roster, a folder typed before the name is dropped as an import
drops it, and the edit is undoable."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from tests.roster_files import students, write_xlsx


def _ok(dialog):
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_the_student_dialog_edits_the_exam_number_and_the_enrolment_file_name(window, tmp_path):
    from app.services.roster.stations import StationData

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    rows = students(2)
    rows[0]["录取照片文件名"] = "IMG_0031.JPG"
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    window.reload_stations(station.id)
    tab = window.roster_tab
    student = window.roster.rows(station.id)[0]
    tab.select_student(student.id)

    dialog = tab.edit_selected()
    assert dialog.editors["enrolment_file"].text() == "IMG_0031.JPG"
    dialog.editors["enrolment_file"].setText(r"D:\录取照片\IMG_0032.jpg")
    dialog.editors["exam_no"].setText("24410105150123")
    _ok(dialog)
    assert not dialog.isVisible()
    edited = window.roster.get(student.id)
    assert (edited.enrolment_file, edited.exam_no) == ("IMG_0032.jpg", "24410105150123")

    window.undo_action.trigger()
    undone = window.roster.get(student.id)
    assert (undone.enrolment_file, undone.exam_no) == ("IMG_0031.JPG", "")

    dialog = tab.edit_selected()  # a control character: the dialog stays open with the field's name
    dialog.editors["enrolment_file"].setText("a\x07b.jpg")
    _ok(dialog)
    assert dialog.isVisible() and "录取照片文件名" in dialog.error_label.text()
    dialog.close()
    assert window.roster.get(student.id).enrolment_file == "IMG_0031.JPG"
