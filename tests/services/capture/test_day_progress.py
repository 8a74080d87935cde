"""Issue 14, the day at a glance: counts by photo state for the station and a class, and the retake queue that
also takes the students proofing sent back (照片非本人, 图像模糊, 无照片（信息不一致）)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import Photo, Student
from app.services.capture.progress import DayCounts, day_counts
from app.services.proofing.retakes import retake_queue
from tests.roster_files import students, write_xlsx


def _load(db, station, importer, tmp_path, n=8):
    rows = students(n)
    for i, r in enumerate(rows):
        r["班级"] = "2023级法学2班" if i % 2 else "2023级法学10班"
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    with db.sessions() as s:
        return list(s.scalars(select(Student).order_by(Student.shot_no)))


def _set(db, student_id, **values):
    with db.sessions.begin() as s:
        st = s.get(Student, student_id)
        for k, v in values.items():
            setattr(st, k, v)


def test_counts_by_state_for_the_station_and_a_class(db, station, importer, tmp_path):
    st = _load(db, station, importer, tmp_path)
    states = ["accepted", "accepted", "override", "retake", "pending", "none", "none", "accepted"]
    for s_, state in zip(st, states):
        _set(db, s_.id, photo_state=state)
    _set(db, st[7].id, withdrawn=True)  # withdrawn: not counted
    assert day_counts(db.sessions, station.id) == DayCounts(
        accepted=2, override=1, retake=1, pending=1, none=2
    )
    # 法学10班 is shot_no 1, 3, 5, 7 (accepted, override, pending, none)
    assert day_counts(db.sessions, station.id, "2023级法学10班") == DayCounts(
        accepted=1, override=1, retake=0, pending=1, none=1
    )
    assert day_counts(db.sessions, station.id).total == 7 and day_counts(db.sessions, station.id).done == 3


def test_the_retake_queue_takes_proofing_returns_class_by_class(db, station, importer, tmp_path):
    st = _load(db, station, importer, tmp_path)
    for s_ in st:
        _set(db, s_.id, photo_state="accepted")
    _set(db, st[0].id, photo_state="retake")
    _set(db, st[1].id, proof_state="wrong", proof_errors=[{"kind": "not_self"}])
    _set(db, st[2].id, proof_state="wrong", proof_errors=[{"kind": "blurred"}, {"kind": "wrong_school"}])
    _set(db, st[3].id, proof_state="no_photo_mismatch")
    _set(db, st[4].id, proof_state="wrong", proof_errors=[{"kind": "wrong_school"}])  # not a photo retake
    queue = retake_queue(db.sessions, station.id)
    assert [(e.shot_no, e.reason) for e in queue] == [
        (2, "照片非本人"),  # 2023级法学2班 before 10班 (natural order)
        (4, "无照片（信息不一致）"),
        (1, "需重拍（拍摄时标记）"),
        (3, "图像模糊"),
    ]


def test_a_student_photographed_again_after_proofing_leaves_the_queue(db, station, importer, tmp_path):
    st = _load(db, station, importer, tmp_path, n=2)
    reported = dt.datetime(2026, 11, 1, 9, 0)
    _set(
        db,
        st[0].id,
        photo_state="accepted",
        proof_state="wrong",
        proof_errors=[{"kind": "blurred"}],
        proof_updated_at=reported,
    )
    assert [e.shot_no for e in retake_queue(db.sessions, station.id)] == [1]
    with db.sessions.begin() as s:
        s.add(
            Photo(
                student_id=st[0].id,
                is_current=True,
                sha256="a" * 64,
                stored_name="aa/" + "a" * 64 + ".jpg",
                original_name="IMG_9.JPG",
                size_bytes=1,
                preset="legacy-192x144",
                created_at=reported + dt.timedelta(days=3),
            )
        )
    assert retake_queue(db.sessions, station.id) == []
