"""可能不是本人 is one more soft check: accepting asks for a reason, the log keeps it, the pre-flight lists it."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from app.models import AuditEvent, Photo, Student
from app.services.capture.overrides import override_reasons
from app.services.capture.photo_store import PhotoStore
from app.services.capture.service import CaptureService, NeedsConfirmation
from app.services.delivery.preflight import preflight
from app.services.delivery.source import load_delivery
from app.services.identity.enrolment import EnrolmentService
from app.services.photo import load_preset
from tests.conftest import SHARED_FACES, needs_faces
from tests.roster_files import students, write_xlsx

OBAMA_A = "autocrop__tests_data_obama.jpg"
OBAMA_B = "face_recognition__examples_obama.jpg"
YOUNG_WOMAN = "HivisionIDPhotos__demo_images_test1.jpg"


@needs_faces(OBAMA_A, OBAMA_B, YOUNG_WOMAN)
def test_maybe_not_the_same_person_needs_a_reason_and_is_listed_by_the_preflight(
    db, station, importer, tmp_path
):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(2)), station.id)
    with db.sessions() as s:
        ids = [(st.id, st.student_no) for st in s.scalars(select(Student).order_by(Student.shot_no))]
    folder = tmp_path / "录取"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_A, folder / f"{ids[0][1]}.jpg")
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{ids[1][1]}.jpg")  # one picture for two would be held
    identity = EnrolmentService(db.sessions, tmp_path / "photos", "测试员")
    identity.import_matched(identity.match(station.id, folder).matched)
    capture = CaptureService(db.sessions, PhotoStore(tmp_path / "photos"), "摄影师")
    same = capture.take_in(ids[0][0], SHARED_FACES / OBAMA_B)
    other = capture.take_in(ids[1][0], SHARED_FACES / YOUNG_WOMAN)
    for pid in (same, other):
        assert capture.crop(pid) is not None
        identity.check_photo(pid)
    with (
        db.sessions.begin() as s
    ):  # the shared photos miss some framing checks; here only identity may differ
        for pid in (same, other):
            photo = s.get(Photo, pid)
            photo.qc = [{**c, "verdict": "pass"} for c in photo.qc]
    assert capture.accept(same) == "accepted"
    with pytest.raises(NeedsConfirmation) as caught:
        capture.accept(other)
    assert "可能不是本人" in caught.value.failed
    assert capture.accept(other, override_reasons()[0]) == "override"
    with db.sessions() as s:
        log = s.scalar(select(AuditEvent).where(AuditEvent.action == "photo-accept-override"))
        assert "可能不是本人" in log.summary
    report = preflight(load_delivery(db.sessions, station.id), load_preset(capture.preset_for(ids[1][0])))
    identity_warnings = [w for w in report.warnings if w.kind == "identity"]
    assert [w.student_id for w in identity_warnings] == [ids[1][0]]
    assert "可能不是本人" in identity_warnings[0].message
    assert ids[1][0] not in report.blocked_ids  # advice, never a blocker
