"""Issue 14, any office screen: the main window opens to fit the screen it is on, and at 1280×720 (a 1366×768
laptop minus its taskbar, or 1920×1080 at 150 %) every button, the status bar and the 学号 stay in sight."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect

from app.ui.main_window import initial_size
from tests.roster_files import students, write_xlsx


class _Screen:
    def __init__(self, w: int, h: int) -> None:
        self._rect = QRect(0, 0, w, h)

    def availableGeometry(self) -> QRect:
        return self._rect


class _OnScreen:
    def __init__(self, w: int, h: int) -> None:
        self._screen = _Screen(w, h)

    def screen(self):
        return self._screen


def test_the_first_size_fits_the_screen_it_opens_on():
    assert initial_size(_OnScreen(1366, 728)).toTuple() == (1350, 680)  # a laptop minus its taskbar
    assert initial_size(_OnScreen(1280, 680)).toTuple() == (1264, 632)  # 1920×1080 at 150 % minus taskbar
    assert initial_size(_OnScreen(2560, 1400)).toTuple() == (1400, 860)  # room to spare: the usual size


def _inside(window, widget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def test_the_main_window_fits_1280x720(qtbot, window, tmp_path):
    from app.services.roster.stations import StationData

    rows = students(5)
    rows[0]["姓名"] = "阿卜杜热合曼·买买提艾力·吐尔逊托合提"  # a long minority name
    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    window.reload_stations(station.id)
    window.resize(1272, 680)  # 1280×720 less the frame and title bar
    qtbot.waitUntil(lambda: window.size().toTuple() == (1272, 680), timeout=3000)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        assert window.minimumSizeHint().width() <= 1272 and window.minimumSizeHint().height() <= 680
    window.tabs.setCurrentWidget(window.capture_tab)
    qtbot.wait(20)
    tab = window.capture_tab
    assert _inside(window, tab.accept_button) and _inside(window, window.statusBar())
    view = tab.queue_view
    from app.ui.roster.model import COLUMN_INDEX

    no_column = COLUMN_INDEX["student_no"]
    right = view.columnViewportPosition(no_column) + view.columnWidth(no_column)
    assert right <= view.viewport().width(), "the 学号 column is pushed out of the queue"
