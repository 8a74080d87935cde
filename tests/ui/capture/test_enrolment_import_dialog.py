"""The enrolment import dialog with a large folder: the window stays responsive while it is matched."""

from __future__ import annotations

import threading

from sqlalchemy import event

from tests.fake_faces import RED, coloured_jpeg, use_fake_faces
from tests.roster_files import students, write_xlsx


def test_a_large_folder_is_listed_without_a_query_per_file_on_the_gui_thread(
    qtbot, window, tmp_path, monkeypatch
):
    from app.services.roster.stations import StationData

    use_fake_faces(monkeypatch)
    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(120)), station.id)
    window.reload_stations(station.id)
    rows = window.roster.rows(station.id)
    folder = tmp_path / "录取照片"
    folder.mkdir()
    for row in rows:
        coloured_jpeg(folder / f"{row.student_no}.jpg", RED, (15, 20))
    on_gui_thread: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(statement)

    event.listen(window.db.engine, "before_cursor_execute", count)
    try:
        dialog = window.open_enrolment_import(str(folder))
        on_gui_thread.clear()  # what opening the dialog asked (the station) is not per file
        qtbot.waitUntil(lambda: dialog.match is not None, timeout=30000)
    finally:
        event.remove(window.db.engine, "before_cursor_execute", count)
    assert dialog.tabs.tabText(0) == "已匹配（120）"
    matched = dialog.models["matched"]
    shown = {matched.index(r, 1).data(): matched.index(r, 2).data() for r in range(matched.rowCount())}
    assert shown == {row.student_no: row.name for row in rows}
    # 120 files, each student named: a query per file on the GUI thread would freeze the window for
    # seconds with 10,000 files (0.36 ms a query measured here); the names come with the match instead
    assert len(on_gui_thread) <= 2
    dialog.close()


def test_closing_the_dialog_while_importing_stops_the_import_rather_than_hiding_it(
    qtbot, window, tmp_path, monkeypatch
):
    from PySide6.QtCore import QThreadPool
    from shiboken6 import isValid

    from app.services.identity import compare
    from app.services.roster.stations import StationData
    from tests.fake_faces import GREEN, fake_describe

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(3)), station.id)
    window.reload_stations(station.id)
    rows = window.roster.rows(station.id)
    folder = tmp_path / "录取照片"
    folder.mkdir()
    for row, colour in zip(rows, (RED, GREEN, (40, 40, 200))):
        coloured_jpeg(folder / f"{row.student_no}.jpg", colour)
    release = threading.Event()

    def slow(source, faces=None):
        release.wait(10)
        return fake_describe(source, faces)

    monkeypatch.setattr(compare, "describe", slow)
    imported = []
    dialog = window.open_enrolment_import(str(folder))
    dialog.imported.connect(imported.append)
    qtbot.waitUntil(lambda: dialog.match is not None, timeout=15000)
    dialog.import_button.click()
    qtbot.wait(50)  # the first face is being described
    dialog.close_button.click()  # 取消 while it runs: the clerk means "stop"
    assert dialog.isVisible() and dialog.summary_label.text() == "正在取消……"  # open until it has stopped
    release.set()
    qtbot.waitUntil(lambda: imported == [None], timeout=15000)  # told: cancelled
    QThreadPool.globalInstance().waitForDone(10000)
    stored = [window.identity.enrolment(row.id) for row in rows]
    assert sum(e is not None for e in stored) <= 1  # the file being described may finish; no more
    assert not isValid(dialog) or not dialog.isVisible()  # then closed


def _station_with_folder(window, tmp_path, count=2):
    from app.services.roster.stations import StationData
    from tests.fake_faces import GREEN

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(count)), station.id)
    window.reload_stations(station.id)
    rows = window.roster.rows(station.id)
    folder = tmp_path / "录取照片"
    folder.mkdir()
    for row, colour in zip(rows, (RED, GREEN)):
        coloured_jpeg(folder / f"{row.student_no}.jpg", colour)
    return rows, folder


def test_a_file_swapped_between_the_list_and_import_is_refused(qtbot, window, tmp_path, monkeypatch):
    from tests.fake_faces import BLACK

    use_fake_faces(monkeypatch)
    rows, folder = _station_with_folder(window, tmp_path)
    imported = []
    dialog = window.open_enrolment_import(str(folder))
    dialog.imported.connect(imported.append)
    qtbot.waitUntil(lambda: dialog.match is not None, timeout=15000)
    assert dialog.tabs.tabText(0) == "已匹配（2）"
    coloured_jpeg(folder / f"{rows[0].student_no}.jpg", BLACK)  # swapped after the clerk saw the list
    dialog.import_button.click()
    qtbot.waitUntil(lambda: len(imported) == 1, timeout=15000)
    report = imported[0]
    assert report.imported == 1 and [p.name for p, _ in report.failed] == [f"{rows[0].student_no}.jpg"]
    assert "在查找核对之后被改动过" in dialog.summary_label.text()
    assert window.identity.enrolment(rows[0].id) is None and window.identity.enrolment(rows[1].id) is not None
    dialog.close()


def test_cancelling_the_folder_search_lists_and_stores_nothing(qtbot, window, tmp_path, monkeypatch):
    from app.services.identity.enrolment import EnrolmentService

    use_fake_faces(monkeypatch)
    rows, folder = _station_with_folder(window, tmp_path)
    started = threading.Event()
    real = EnrolmentService.match

    def slow_match(self, station_id, where, cancelled=None):
        started.set()
        while not cancelled():  # a folder of thousands: the clerk gives up and presses 取消
            threading.Event().wait(0.01)
        return real(self, station_id, where, cancelled)

    monkeypatch.setattr(EnrolmentService, "match", slow_match)
    dialog = window.open_enrolment_import(str(folder))
    assert started.wait(10)
    dialog.match_op.ctx.cancel()  # what the progress dialog's 取消 does
    qtbot.waitUntil(lambda: dialog.summary_label.text() == "已取消查找，未导入任何录取照片。", timeout=15000)
    assert dialog.match is None and not dialog.import_button.isEnabled()
    assert all(window.identity.enrolment(r.id) is None for r in rows)
    dialog.close()
