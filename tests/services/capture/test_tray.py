"""Issue 14, nothing is dropped: a photo with no student to bind it to waits in the 待分配 tray (its original in
the store) until it is assigned to a student or discarded; a code card that names nobody waits there too."""

from __future__ import annotations

import pytest
from PIL import Image
from sqlalchemy import select

from app.models import AuditEvent
from app.paths import photo_store_for
from app.services.capture.service import CaptureError, CaptureService
from tests.roster_files import students, write_xlsx


@pytest.fixture
def capture(db):
    return CaptureService(db.sessions, photo_store_for(db), "摄影师")


def _photo(path, shade=150):
    Image.new("RGB", (600, 800), (100, 197, shade)).save(path, quality=90)
    return path


def test_a_held_photo_waits_and_is_assigned_with_its_name(db, station, importer, capture, tmp_path):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(3)), station.id)
    assert capture.pending(station.id) == []
    held = capture.hold(station.id, _photo(tmp_path / "IMG_0042.JPG"))
    shots = capture.pending(station.id)
    assert [(p.id, p.original_name, p.note) for p in shots] == [(held, "IMG_0042.JPG", "未选择学生")]
    assert capture.store.path(shots[0].stored_name).is_file()
    assert capture.pending_thumbnail(held)[:2] == b"\xff\xd8"  # a JPEG thumbnail for the tray
    from app.models import Student

    with db.sessions() as s:
        student = s.scalars(select(Student).order_by(Student.shot_no)).first()
    photo_id = capture.assign_pending(held, student.id)
    photo = capture.photo(photo_id)
    assert photo.student_id == student.id and photo.original_name == "IMG_0042.JPG" and photo.is_current
    assert photo.source_kind == "tray" and capture.pending(station.id) == []
    with pytest.raises(CaptureError, match="已被分配或删除"):
        capture.assign_pending(held, student.id)


def test_a_held_photo_can_be_discarded_and_both_are_audited(db, station, capture, tmp_path):
    held = capture.hold(station.id, _photo(tmp_path / "IMG_0007.JPG"), "学生码 X1 未找到")
    capture.discard_pending(held)
    assert capture.pending(station.id) == []
    with db.sessions() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["photo-hold", "photo-discard"]
