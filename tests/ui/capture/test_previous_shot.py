"""Issue 14: the previous shot sits beside a retake, cropped the same way, for comparison."""

from __future__ import annotations

import shutil

from tests.conftest import SHARED_FACES, needs_faces
from tests.roster_files import students, write_xlsx

FIRST = SHARED_FACES / "HivisionIDPhotos__demo_images_test1.jpg"
SECOND = SHARED_FACES / "HivisionIDPhotos__demo_images_test0.jpg"


@needs_faces(FIRST.name, SECOND.name)
def test_a_retake_shows_the_photo_it_replaces(qtbot, window, tmp_path):
    from app.services.roster.stations import StationData

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(2)), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    tab = window.capture_tab
    hot = tmp_path / "camera"
    hot.mkdir()
    tab.set_hot_folder(str(hot))
    tab.watch_check.setChecked(True)
    row = window.roster.rows(station.id)[0]
    tab.select_student(row.id)
    with qtbot.waitSignal(tab.photoShown, timeout=20000):
        shutil.copyfile(FIRST, hot / "IMG_0001.JPG")
    assert not tab.preview_boxes[2].isVisible()  # a first shot has nothing to compare with
    with qtbot.waitSignal(tab.photoShown, timeout=20000):
        shutil.copyfile(SECOND, hot / "IMG_0002.JPG")
    qtbot.waitUntil(lambda: tab.preview_boxes[2].isVisible(), timeout=20000)
    previous = tab.preview_previous.pixmap()
    assert not previous.isNull() and previous.size() == tab.preview_actual.pixmap().size()
