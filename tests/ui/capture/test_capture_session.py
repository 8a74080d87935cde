"""A capture session played offscreen: hot folder, three real photos, Enter to accept, a nudge and its undo."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from sqlalchemy import select

from app.models import AuditEvent, Photo, Student
from tests.conftest import SHARED_FACES, needs_faces
from tests.roster_files import students, write_xlsx

PHOTOS = [
    SHARED_FACES / n
    for n in (
        "autocrop__tests_data_macbeth.jpg",  # framed with room: only warnings
        "HivisionIDPhotos__demo_images_test0.jpg",
        "face_recognition__examples_biden.jpg",
    )
]
pytestmark = needs_faces(*(p.name for p in PHOTOS))


@pytest.fixture
def session_window(qtbot, window, tmp_path):
    from app.services.roster.stations import StationData

    station = window.stations.create(
        StationData(name="拍摄现场", school_name="郑州大学", school_code="10459")
    )
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(5)), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.capture_tab)
    return window


def _watching(window, tmp_path):
    """The cropping tab watching a fresh hot folder: (window, tab, roster rows, folder)."""
    tab = window.capture_tab
    hot = tmp_path / "camera"
    hot.mkdir()
    tab.set_hot_folder(str(hot))
    return window, tab, window.roster.rows(window.current_station_id()), hot


def _drop(qtbot, tab, source, target, chunks=1):
    """Write a photo into the hot folder as a camera would; wait until its crop is on screen."""
    data = source.read_bytes()
    with qtbot.waitSignal(tab.photoShown, timeout=15000):
        with target.open("wb") as handle:
            size = len(data) // chunks + 1
            for start in range(0, len(data), size):
                handle.write(data[start : start + size])
                handle.flush()
                if chunks > 1:
                    qtbot.wait(60)  # the camera is still writing: nothing may be picked up yet
                    assert (
                        tab.photo_id is None or tab.capture.photo(tab.photo_id).original_name != target.name
                    )


def test_capture_session(qtbot, session_window, tmp_path, monkeypatch):
    from app.ui import sounds

    heard = []
    monkeypatch.setattr(sounds, "play", heard.append)
    window, tab, rows, hot = _watching(session_window, tmp_path)
    assert tab.watch_check.isChecked()

    # The photographer scans the first student's 学号.
    qtbot.keyClicks(tab.student_edit, rows[0].student_no)
    qtbot.keyClick(tab.student_edit, Qt.Key.Key_Return)
    assert tab.student_id == rows[0].id

    _drop(qtbot, tab, PHOTOS[0], hot / "IMG_0001.JPG")
    assert tab.result is not None and tab.result.image is not None
    assert tab.last_latency_ms is not None
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Return)  # accept → the next student without an accepted photo
    assert tab.student_id == rows[1].id
    assert heard == ["arrived", "accepted"]  # the shot landed and passed, then was accepted
    first_photo = tab.capture.current_photo(rows[0].id).id
    window.undo_action.trigger()  # undo the acceptance: back to that student, the photo on screen again
    assert tab.student_id == rows[0].id and window.roster.row(rows[0].id).photo_state == "pending"
    qtbot.waitUntil(lambda: tab.photo_id == first_photo and tab.result is not None, timeout=15000)
    window.redo_action.trigger()
    assert window.roster.row(rows[0].id).photo_state == "accepted"
    tab.select_student(rows[1].id)

    # The second photo arrives slowly, in chunks.
    _drop(qtbot, tab, PHOTOS[1], hot / "IMG_0002.JPG", chunks=6)
    photo_id = tab.photo_id
    auto_rect = tab.capture.photo(photo_id).crop_rect
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Right)
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Right)
    tab.commit_adjustment()  # as the settle timer would
    nudged = tab.capture.photo(photo_id).crop_rect
    step = auto_rect[3] * 0.005
    assert nudged[0] == pytest.approx(auto_rect[0] + 2 * step, abs=0.05)
    assert nudged[1:] == pytest.approx(auto_rect[1:])
    window.undo_action.trigger()
    assert tab.capture.photo(photo_id).crop_rect == pytest.approx(auto_rect)
    assert tab.crop_view.rect == pytest.approx(auto_rect)
    window.redo_action.trigger()
    assert tab.capture.photo(photo_id).crop_rect == pytest.approx(nudged)
    window.undo_action.trigger()
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Return)
    assert tab.student_id == rows[2].id

    _drop(qtbot, tab, PHOTOS[2], hot / "IMG_0003.JPG")
    third = tab.photo_id

    with window.db.sessions() as s:
        states = dict(s.execute(select(Student.id, Student.photo_state)).all())
        photos = s.scalars(select(Photo).order_by(Photo.id)).all()
        adjust_events = s.scalars(select(AuditEvent).where(AuditEvent.action == "photo-adjust")).all()
    assert [states[r.id] for r in rows] == ["accepted", "accepted", "pending", "none", "none"]
    assert [p.original_name for p in photos] == ["IMG_0001.JPG", "IMG_0002.JPG", "IMG_0003.JPG"]
    assert (
        photos[1].crop_rect == pytest.approx(auto_rect) and len(adjust_events) == 4
    )  # nudge, undo, redo, undo
    for photo, source in zip(photos, PHOTOS):
        stored = tab.capture.store.path(photo.stored_name)
        assert stored.read_bytes() == source.read_bytes() and photo.sha256 in stored.name
        assert (
            hot / photo.original_name
        ).read_bytes() == source.read_bytes()  # the camera's file is untouched
    rendered = tab.capture.render(photos[1].id)
    assert rendered.image.size == (144, 192)
    assert rendered.rect == pytest.approx(auto_rect)
    assert third == photos[2].id
    # The queue shows the states, with thumbnails once painted.
    row = tab.queue_model.row_of_student(rows[0].id)
    assert tab.queue_model.index(row, 1).data() == "合格"


def test_retake_keeps_history_and_code_card_switches_student(qtbot, session_window, tmp_path):
    import cv2

    window, tab, rows, hot = _watching(session_window, tmp_path)
    tab.select_student(rows[3].id)
    _drop(qtbot, tab, PHOTOS[0], hot / "a.jpg")
    first = tab.photo_id
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.roster.row(rows[3].id).photo_state == "retake"
    _drop(qtbot, tab, PHOTOS[1], hot / "b.jpg")
    history = tab.capture.history(rows[3].id)
    assert [p.id for p in history][0] == first and [p.is_current for p in history] == [False, True]

    # A code card photographed before the next student switches to that student; it is not bound as a photo.
    qr = cv2.QRCodeEncoder.create().encode(rows[4].student_no)
    card = cv2.resize(qr, (qr.shape[1] * 12, qr.shape[0] * 12), interpolation=cv2.INTER_NEAREST)
    canvas = np.full((1200, 1600, 3), 235, np.uint8)
    canvas[300 : 300 + card.shape[0], 500 : 500 + card.shape[1]] = card[:, :, None]
    cv2.imwrite(str(tmp_path / "card.jpg"), canvas)
    shutil.copy(tmp_path / "card.jpg", hot / "card.jpg")
    qtbot.waitUntil(lambda: tab.student_id == rows[4].id, timeout=10000)
    assert tab.capture.current_photo(rows[4].id) is None


def test_face_less_photo_is_cropped_by_hand(qtbot, session_window, tmp_path):
    from PIL import Image

    window, tab, rows, hot = _watching(session_window, tmp_path)
    tab.select_student(rows[0].id)
    card = tmp_path / "plain.jpg"
    Image.new("RGB", (600, 800), (100, 197, 255)).save(card)
    _drop(qtbot, tab, card, hot / "plain.jpg")
    assert tab.result.rect is None and tab.crop_view.rect is not None  # a rectangle to drag is offered
    qtbot.keyClick(tab.crop_view, Qt.Key.Key_Down)
    tab.commit_adjustment()
    photo = tab.capture.photo(tab.photo_id)
    assert photo.crop_rect is not None and tab.result.image is not None
    assert tab.result.check("faces").verdict == "fail"


def test_unreadable_shot_after_a_good_one_is_what_the_screen_shows(
    qtbot, session_window, tmp_path, message_boxes
):
    window, tab, rows, hot = _watching(session_window, tmp_path)
    tab.select_student(rows[0].id)
    _drop(qtbot, tab, PHOTOS[0], hot / "IMG_0001.JPG")
    good = tab.photo_id
    (hot / "IMG_0002.JPG").write_bytes(PHOTOS[1].read_bytes()[:4000] + b"\xff\xd9")  # broken, but "complete"
    qtbot.waitUntil(lambda: any("IMG_0002.JPG" in text for _, text in message_boxes), timeout=10000)
    current = tab.capture.current_photo(rows[0].id)
    assert current.id != good and tab.photo_id == current.id and tab.result is None
    qtbot.keyClick(
        tab.crop_view, Qt.Key.Key_Return
    )  # nothing to accept: the broken file is the current photo
    assert window.roster.row(rows[0].id).photo_state != "accepted"
    assert tab.student_id == rows[0].id


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_verdicts_stay_in_view(qtbot, session_window, tmp_path, language):
    """The QC table is narrow (a 1366-pixel laptop, or the longer English labels at 1400): the 结论 column
    must not be the one pushed out of view behind a scroll bar."""
    from PySide6.QtWidgets import QApplication

    from app.ui.i18n import install_translators, uninstall_translators
    from tests.ui.test_translations import QM

    if language == "en" and not QM.exists():
        pytest.skip("translations not built (make qm)")
    window, tab, rows, hot = _watching(session_window, tmp_path)
    tab.select_student(rows[0].id)
    install_translators(QApplication.instance(), language)
    try:
        _drop(qtbot, tab, PHOTOS[0], hot / "IMG_0001.JPG")
        width = 1366 if language == "zh_CN" else 1400
        window.resize(width, 768)
        view = window.findChild(QTableView, "qc_table")
        header = view.horizontalHeader()
        assert tab.qc_model.rowCount() > 5
        qtbot.waitUntil(lambda: window.width() == width and view.viewport().width() > 0)  # laid out anew
        qtbot.waitUntil(
            lambda: header.sectionViewportPosition(3) + header.sectionSize(3) <= view.viewport().width()
        )
    finally:
        uninstall_translators(QApplication.instance())
