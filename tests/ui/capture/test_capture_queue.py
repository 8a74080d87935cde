"""The capture queue: withdrawn students are hidden, and Enter never moves to one."""

from __future__ import annotations

from app.services.roster.stations import StationData
from tests.roster_files import students, write_xlsx


def test_queue_hides_withdrawn_students(qtbot, window, tmp_path):
    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(5)), station.id)
    rows = window.roster.rows(station.id)
    window.roster.set_withdrawn(rows[1].id, True, "退学")
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    tab = window.capture_tab
    qtbot.waitUntil(lambda: tab.queue_model.rowCount() > 0)

    shown = [tab.queue_model.student_at(r).id for r in range(tab.queue_model.rowCount())]
    assert shown == [rows[0].id, rows[2].id, rows[3].id, rows[4].id]
    assert tab.queue_model.row_of_student(rows[1].id) is None
