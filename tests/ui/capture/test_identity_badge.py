"""Issue 16 on the capture tab: the enrolment photo beside the new shot, the verdict computed in the background
when the photo arrives, kept on the photo, shown as a badge and as one more soft check in the QC table.

Generated one-colour photos and a stand-in descriptor (tests/fake_faces.py: a photo's mean colour is its
"face"): red against red is 相同, red against green 可能不是本人, black 无法比对."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from app.models import Photo
from tests.fake_faces import BLACK, GREEN, RED, coloured_jpeg, fake_describe, use_fake_faces
from tests.roster_files import students, write_xlsx


@pytest.fixture
def scene(qtbot, window, tmp_path, monkeypatch):
    """Four students: enrolment photos red (0), green (1), red (3); none for 2."""
    from app.services.roster.stations import StationData

    use_fake_faces(monkeypatch)
    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(4)), station.id)
    rows = window.roster.rows(station.id)
    folder = tmp_path / "录取照片"
    folder.mkdir()
    coloured_jpeg(folder / f"{rows[0].student_no}.jpg", RED)
    coloured_jpeg(folder / f"{rows[1].student_no}.jpg", GREEN)
    coloured_jpeg(folder / f"{rows[3].student_no}.jpg", RED)
    report = window.identity.import_matched(window.identity.match(station.id, folder).matched)
    assert report.imported == 3
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    return window.capture_tab, rows, tmp_path


def _shoot(qtbot, tab, row, path, until=("same", "unlike", "unknown", "none", "off")):
    tab.select_student(row.id)
    tab.take_new_photo(path, time.perf_counter())
    qtbot.waitUntil(lambda: tab.photo_id is not None and tab.identity_state in until, timeout=15000)


def _verdict(window, photo_id):
    with window.db.sessions() as s:
        return s.scalar(select(Photo.identity_verdict).where(Photo.id == photo_id))


def _qc_rows(tab):
    model = tab.qc_model
    return [tuple(model.index(r, c).data() for c in (0, 3)) for r in range(model.rowCount())]


def test_the_same_person_shows_the_enrolment_photo_and_a_green_badge(qtbot, window, scene):
    tab, rows, tmp = scene
    _shoot(qtbot, tab, rows[0], coloured_jpeg(tmp / "IMG_0001.JPG", RED, (600, 800)))
    assert tab.identity_state == "same"
    assert tab.identity_badge.text() == "相同"
    assert "#2e9d46" in tab.identity_badge.styleSheet()
    assert tab.identity_badge.toolTip() == "距离 0.00（越小越像同一人，仅供参考）"
    qtbot.waitUntil(
        lambda: tab.enrolment_photo.pixmap() is not None and not tab.enrolment_photo.pixmap().isNull()
    )
    # 150×200 shown at the height of the 144×192 output beside it
    assert tab.enrolment_photo.pixmap().size().toTuple() == (144, 192)
    assert not tab.enrolment_box.isHidden() and tab.preview_boxes[1].isHidden()  # in the place of ×2
    assert _verdict(window, tab.photo_id) == "same"  # kept with the photo
    assert ("本人核验", "通过") in _qc_rows(tab)


def test_another_person_is_a_soft_check_and_an_amber_badge(qtbot, window, scene):
    tab, rows, tmp = scene
    _shoot(qtbot, tab, rows[1], coloured_jpeg(tmp / "IMG_0002.JPG", RED, (600, 800)))
    assert tab.identity_state == "unlike"
    assert tab.identity_badge.text() == "可能不是本人，请核对"
    assert "#e0a000" in tab.identity_badge.styleSheet()
    assert _verdict(window, tab.photo_id) == "unlike"
    assert ("可能不是本人", "不通过（可仍接受）") in _qc_rows(tab)
    assert "可能不是本人" in tab.status_label.text()


def test_no_face_says_it_cannot_compare_and_no_enrolment_photo_says_so(qtbot, window, scene):
    tab, rows, tmp = scene
    _shoot(qtbot, tab, rows[0], coloured_jpeg(tmp / "IMG_0003.JPG", BLACK, (600, 800)))
    assert tab.identity_state == "unknown"
    assert tab.identity_badge.text() == "无法比对"
    assert "#8a8a8a" in tab.identity_badge.styleSheet()
    assert "未检测到人脸" in tab.identity_badge.toolTip()
    assert ("无法比对", "注意") in _qc_rows(tab)
    _shoot(qtbot, tab, rows[2], coloured_jpeg(tmp / "IMG_0004.JPG", RED, (600, 800)), until=("none",))
    assert tab.identity_badge.text() == "无录取照片"
    assert tab.enrolment_photo.isHidden()
    assert _verdict(window, tab.photo_id) == ""  # nothing to compare: nothing stored
    assert not [r for r in _qc_rows(tab) if r[0] in ("本人核验", "可能不是本人", "无法比对")]


def test_the_comparison_runs_off_the_gui_thread_and_enter_waits_for_it(qtbot, window, scene, monkeypatch):
    tab, rows, tmp = scene
    release, threads = threading.Event(), []

    def slow(source, faces=None):
        threads.append(threading.current_thread() is threading.main_thread())
        release.wait(10)
        return fake_describe(source, faces)

    from app.services.identity import compare

    monkeypatch.setattr(compare, "describe", slow)
    accepted = []
    monkeypatch.setattr(
        tab.capture, "accept", lambda photo_id, **kw: accepted.append((photo_id, _verdict(window, photo_id)))
    )
    tab.select_student(rows[1].id)
    tab.take_new_photo(coloured_jpeg(tmp / "IMG_0005.JPG", RED, (600, 800)), time.perf_counter())
    qtbot.waitUntil(lambda: tab.identity_state == "pending", timeout=15000)
    shot = tab.photo_id
    tab.accept_current()  # Enter before the verdict is known
    assert accepted == []
    assert window.statusBar().currentMessage() == "正在与录取照片比对，比对完成后接受……"
    release.set()
    qtbot.waitUntil(lambda: bool(accepted), timeout=15000)
    assert accepted == [(shot, "unlike")]  # accepted with the verdict stored: the soft check applies
    assert threads == [False]


def test_a_station_with_the_check_off_compares_nothing(qtbot, window, scene):
    tab, rows, tmp = scene
    window.identity.set_enabled(tab.station_id, False)
    _shoot(qtbot, tab, rows[1], coloured_jpeg(tmp / "IMG_0006.JPG", RED, (600, 800)), until=("off",))
    assert tab.identity_badge.text() == "本站已关闭人脸比对"
    assert _verdict(window, tab.photo_id) == ""
    qtbot.waitUntil(
        lambda: tab.enrolment_photo.pixmap() is not None and not tab.enrolment_photo.pixmap().isNull()
    )


def test_the_enrolment_photo_the_shot_the_badge_and_accept_fit_1280x720(qtbot, window, scene):
    from PySide6.QtCore import QPoint, QRect

    tab, rows, tmp = scene
    window.resize(1272, 680)  # 1280×720 less the frame and title bar
    qtbot.waitUntil(lambda: window.size().toTuple() == (1272, 680), timeout=3000)
    _shoot(qtbot, tab, rows[0], coloured_jpeg(tmp / "IMG_0005.JPG", RED, (600, 800)))
    qtbot.waitUntil(lambda: not tab.enrolment_photo.pixmap().isNull())
    assert window.minimumSizeHint().width() <= 1272 and window.minimumSizeHint().height() <= 680
    for widget in (tab.enrolment_photo, tab.identity_badge, tab.accept_button, tab.queue_view, tab.crop_view):
        assert widget.isVisible(), type(widget).__name__
        corner = widget.mapTo(window, QPoint(0, 0))
        assert window.rect().contains(QRect(corner, widget.size())), type(widget).__name__


def _slow_describe(monkeypatch):
    """The comparison of a new photo holds until the returned event is set (the enrolment side is cached)."""
    release = threading.Event()

    def slow(source, faces=None):
        release.wait(10)
        return fake_describe(source, faces)

    from app.services.identity import compare

    monkeypatch.setattr(compare, "describe", slow)
    return release


def test_a_retake_asked_for_after_enter_is_not_overruled_by_the_waiting_accept(
    qtbot, window, scene, monkeypatch
):
    tab, rows, tmp = scene
    release = _slow_describe(monkeypatch)
    accepted = []
    monkeypatch.setattr(tab.capture, "accept", lambda photo_id, **kw: accepted.append(photo_id))
    tab.select_student(rows[0].id)
    tab.take_new_photo(coloured_jpeg(tmp / "IMG_0007.JPG", RED, (600, 800)), time.perf_counter())
    qtbot.waitUntil(lambda: tab.identity_state == "pending", timeout=15000)
    shot = tab.photo_id
    tab.accept_current()  # Enter while the comparison runs: the accept waits for it
    tab.mark_retake()  # then the photographer thinks better of it: 需重拍
    assert window.roster.row(rows[0].id).photo_state == "retake"
    release.set()
    qtbot.waitUntil(lambda: _verdict(window, shot) == "same", timeout=15000)
    qtbot.wait(200)  # the verdict is back on the GUI thread: an accept still waiting would have run
    assert accepted == []  # the retake stands: the accept that was waiting was dropped with it
    assert window.roster.row(rows[0].id).photo_state == "retake"


def test_a_retake_never_shows_the_verdict_of_the_photo_it_replaces(qtbot, window, scene, monkeypatch):
    tab, rows, tmp = scene
    _shoot(qtbot, tab, rows[1], coloured_jpeg(tmp / "IMG_0008.JPG", RED, (600, 800)))
    assert tab.identity_state == "unlike"
    first = tab.photo_id
    release = _slow_describe(monkeypatch)
    tab.take_new_photo(coloured_jpeg(tmp / "IMG_0009.JPG", GREEN, (600, 800)), time.perf_counter())
    qtbot.waitUntil(
        lambda: tab.photo_id not in (None, first) and tab.identity_state == "pending", timeout=15000
    )
    # the new shot's own checks only, until its comparison is known: not the earlier photo's 可能不是本人
    assert not [r for r in _qc_rows(tab) if r[0] in ("本人核验", "可能不是本人", "无法比对")]
    assert "可能不是本人" not in tab.status_label.text()
    release.set()
    qtbot.waitUntil(lambda: tab.identity_state == "same", timeout=15000)
    assert ("本人核验", "通过") in _qc_rows(tab)


def test_a_student_removed_while_the_comparison_runs_leaves_the_screen_quietly(
    qtbot, window, scene, monkeypatch, message_boxes
):
    tab, rows, tmp = scene
    release = _slow_describe(monkeypatch)
    tab.select_student(rows[0].id)
    tab.take_new_photo(coloured_jpeg(tmp / "IMG_0010.JPG", RED, (600, 800)), time.perf_counter())
    qtbot.waitUntil(lambda: tab.identity_state == "pending", timeout=15000)
    shot = tab.photo_id
    enrolment = window.identity.enrolment_path(rows[0].id)
    tab.accept_current()  # Enter: waits for the comparison
    window.roster.remove(rows[0].id)  # the clerk undoes 新增学生 on the roster meanwhile
    window.events.rosterChanged.emit()
    assert tab.student_id != rows[0].id and tab.photo_id != shot  # the removed student is off the screen
    release.set()
    qtbot.wait(
        500
    )  # the comparison ends: nothing to accept, nothing shown, no error (pytest-qt fails on one)
    assert tab.photo_id != shot and tab.identity_state != "same"
    assert message_boxes == []
    assert not enrolment.exists()  # the face went with the student


def test_an_enter_waiting_for_a_photo_removed_elsewhere_says_it_cannot_accept(
    qtbot, window, scene, monkeypatch, message_boxes
):
    tab, rows, tmp = scene
    release = _slow_describe(monkeypatch)
    tab.select_student(rows[0].id)
    tab.take_new_photo(coloured_jpeg(tmp / "IMG_0011.JPG", RED, (600, 800)), time.perf_counter())
    qtbot.waitUntil(lambda: tab.identity_state == "pending", timeout=15000)
    tab.accept_current()
    window.roster.remove(rows[0].id)  # by another program on the same store: no signal reaches this window
    release.set()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=15000)  # no traceback in the event loop either
    assert message_boxes == [("warning", "不能接受: 找不到该照片")]
