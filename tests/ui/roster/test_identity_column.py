"""Issue 16 for the clerk: the roster's 人脸比对 column and filter, the enrolment import dialog, the station
switch. Generated photos and the stand-in descriptor of tests/fake_faces.py."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.models import AuditEvent
from app.ui.roster.model import COLUMN_INDEX
from tests.fake_faces import GREEN, RED, coloured_jpeg, use_fake_faces
from tests.roster_files import students, write_xlsx


def _station(window, tmp_path, count=4):
    from app.services.roster.stations import StationData

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(count)), station.id)
    window.reload_stations(station.id)
    return station, window.roster.rows(station.id)


def _column(tab):
    model, col = tab.model, COLUMN_INDEX["identity"]
    return [(model.student_at(r).student_no, model.index(r, col).data()) for r in range(model.rowCount())]


def test_the_roster_shows_each_verdict_and_filters_by_it(qtbot, window, tmp_path, monkeypatch):
    use_fake_faces(monkeypatch)
    station, rows = _station(window, tmp_path)
    folder = tmp_path / "录取照片"
    folder.mkdir()
    for row, colour in zip(rows[:3], (RED, GREEN, RED)):
        coloured_jpeg(folder / f"{row.student_no}.jpg", colour)
    window.identity.import_matched(window.identity.match(station.id, folder).matched)
    for row in rows[:2]:  # both photographed in red: the first is the same "face", the second is not
        photo = window.capture.take_in(row.id, coloured_jpeg(tmp_path / f"{row.shot_no}.jpg", RED))
        window.identity.check_photo(photo)
    window.events.rosterChanged.emit()
    tab = window.roster_tab
    numbers = [r.student_no for r in rows]
    assert _column(tab) == [
        (numbers[0], "相同"),
        (numbers[1], "可能不是本人"),
        (numbers[2], "未比对"),
        (numbers[3], "无录取照片"),
    ]
    combo = tab.identity_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "全部比对结果",
        "可能不是本人",
        "无法比对",
        "无录取照片",
    ]
    combo.setCurrentIndex(combo.findData("unlike"))
    assert _column(tab) == [(numbers[1], "可能不是本人")]
    combo.setCurrentIndex(combo.findData("none"))
    assert _column(tab) == [(numbers[3], "无录取照片")]
    combo.setCurrentIndex(combo.findData("unknown"))
    assert _column(tab) == []
    tab.clear_filters()
    assert len(_column(tab)) == 4


def test_a_verdict_made_on_the_capture_tab_reaches_the_roster(qtbot, window, tmp_path, monkeypatch):
    import time

    use_fake_faces(monkeypatch)
    station, rows = _station(window, tmp_path, 2)
    folder = tmp_path / "录取照片"
    folder.mkdir()
    coloured_jpeg(folder / f"{rows[0].student_no}.jpg", GREEN)
    window.identity.import_matched(window.identity.match(station.id, folder).matched)
    window.events.rosterChanged.emit()
    tab = window.roster_tab
    tab.identity_combo.setCurrentIndex(tab.identity_combo.findData("unlike"))
    assert _column(tab) == []
    capture = window.capture_tab
    capture.select_student(rows[0].id)
    capture.take_new_photo(coloured_jpeg(tmp_path / "IMG_1.JPG", RED, (600, 800)), time.perf_counter())
    qtbot.waitUntil(lambda: _column(tab) == [(rows[0].student_no, "可能不是本人")], timeout=15000)


def test_the_enrolment_import_dialog_lists_every_kind_and_imports_the_matched(
    qtbot, window, tmp_path, monkeypatch
):
    use_fake_faces(monkeypatch)
    station, rows = _station(window, tmp_path)
    with window.db.sessions.begin() as s:  # student 3's 考生号 is student 2's 学号: that name is ambiguous
        from app.models import Student

        s.get(Student, rows[2].id).exam_no = rows[1].student_no
    folder = tmp_path / "录取照片"
    folder.mkdir()
    id_number = rows[0].id_number
    coloured_jpeg(folder / f"{id_number}.jpg", RED)  # by 身份证号
    coloured_jpeg(folder / "99999999.jpg", RED)  # nobody
    coloured_jpeg(folder / f"{rows[1].student_no}.jpg", RED)  # two students
    (folder / f"{rows[3].student_no}.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    dialog = window.open_enrolment_import(str(folder))
    qtbot.waitUntil(lambda: dialog.match is not None, timeout=15000)
    assert dialog.width() <= 1272 and dialog.height() <= 680  # a 1280×720 screen less frame and title bar
    tabs = dialog.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "已匹配（1）",
        "未匹配（1）",
        "需人工确认（1）",
        "无法读取（1）",
    ]
    masked = id_number[:6] + "*" * 11 + id_number[-1] + ".jpg"  # a 身份证号 in a table is masked
    matched = dialog.models["matched"]
    assert [matched.index(0, c).data() for c in range(3)] == [masked, rows[0].student_no, rows[0].name]
    assert dialog.models["unmatched"].index(0, 0).data() == "99999999.jpg"
    assert dialog.models["ambiguous"].index(0, 1).data() == "文件名同时对应 2 名学生（学号、考生号）"
    assert dialog.models["damaged"].index(0, 0).data() == f"{rows[3].student_no}.jpg"
    assert dialog.import_button.text() == "导入 1 张"
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15000)
    assert dialog.summary_label.text() == "已导入 1 张录取照片（其中替换 0 张）。"
    assert (
        window.identity.enrolment_path(rows[0].id).read_bytes() == (folder / f"{id_number}.jpg").read_bytes()
    )
    assert window.identity.enrolment(rows[1].id) is None
    qtbot.waitUntil(lambda: _column(window.roster_tab)[0] == (rows[0].student_no, "未比对"), timeout=5000)
    dialog.close()


def test_the_station_dialog_switches_the_check_per_station(qtbot, window, tmp_path):
    station, _rows = _station(window, tmp_path, 1)
    assert window.identity.enabled(station.id)
    dialog = window.edit_station()
    assert dialog.identity_check.isChecked()
    dialog.identity_check.setChecked(False)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert not window.identity.enabled(station.id)
    with window.db.sessions() as s:
        event = s.scalar(
            select(AuditEvent).where(AuditEvent.action == "update").order_by(AuditEvent.id.desc())
        )
        assert (event.old["identity_check"], event.new["identity_check"]) == (True, False)  # audited
    dialog = window.edit_station()
    assert not dialog.identity_check.isChecked()
    dialog.close()
