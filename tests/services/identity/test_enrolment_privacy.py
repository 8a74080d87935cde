"""Face data (个人信息保护法): an enrolment original goes the moment its student is deleted (unless another record
still names the same file), stays when the student is withdrawn, comes back with a restored backup, is user-only,
and a station that switches the check off keeps no scores."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from app.models import EnrolmentPhoto, Photo, Student
from app.paths import photo_store_for
from app.services.common.backup import BackupService
from app.services.identity.enrolment import EnrolmentService
from app.services.roster.service import RosterService
from tests.bundle_data import add_enrolment, enrolment_jpeg
from tests.roster_files import students, write_xlsx


@pytest.fixture
def roster(db, station, importer, tmp_path):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(3)), station.id)
    with db.sessions() as s:
        return [(st.id, st.student_no) for st in s.scalars(select(Student).order_by(Student.shot_no))]


def _rows(db) -> dict[int, str]:
    with db.sessions() as s:
        return dict(s.execute(select(EnrolmentPhoto.student_id, EnrolmentPhoto.stored_name)).all())


def test_deleting_a_student_removes_their_enrolment_file_at_once(db, roster, tmp_path):
    root = photo_store_for(db).root
    first = root / add_enrolment(db, tmp_path / "in", roster[0][1], enrolment_jpeg(40))
    second = root / add_enrolment(db, tmp_path / "in", roster[1][1], enrolment_jpeg(90))
    assert first.is_file() and second.is_file()
    RosterService(db.sessions, "测试员", root).remove(roster[0][0])
    assert not first.exists()  # now, not at the next import
    assert second.read_bytes() == enrolment_jpeg(90)
    assert set(_rows(db)) == {roster[1][0]}


def test_a_sqlite_store_finds_its_photo_folder_by_itself(db, db_backend, roster, tmp_path):
    if db_backend != "sqlite":
        pytest.skip("a server database names its photo folder (RosterService(photos_root=…))")
    path = photo_store_for(db).root / add_enrolment(db, tmp_path / "in", roster[0][1], enrolment_jpeg(40))
    RosterService(db.sessions, "测试员").remove(roster[0][0])
    assert not path.exists()


def test_a_file_another_student_still_names_stays(db, roster, tmp_path):
    root = photo_store_for(db).root
    same = enrolment_jpeg(40)  # one picture filed for two students: one stored file
    name = add_enrolment(db, tmp_path / "a", roster[0][1], same)
    assert add_enrolment(db, tmp_path / "b", roster[1][1], same) == name
    roster_service = RosterService(db.sessions, "测试员", root)
    roster_service.remove(roster[0][0])
    assert (root / name).read_bytes() == same
    roster_service.remove(roster[1][0])
    assert not (root / name).exists()


def test_withdrawing_a_student_keeps_the_enrolment_photo(db, roster, tmp_path):
    root = photo_store_for(db).root
    name = add_enrolment(db, tmp_path / "in", roster[0][1], enrolment_jpeg(40))
    RosterService(db.sessions, "测试员", root).set_withdrawn(roster[0][0], True, "退学")
    assert (root / name).is_file() and _rows(db) == {roster[0][0]: name}


def test_a_restored_backup_brings_the_enrolment_files_back_user_only(db, db_backend, roster, tmp_path):
    if db_backend != "sqlite":
        pytest.skip("PostgreSQL is backed up by its server (pg_dump)")
    root = photo_store_for(db).root
    name = add_enrolment(db, tmp_path / "in", roster[0][1], enrolment_jpeg(40))
    backups = BackupService(db.sqlite_path, root)
    info = backups.create("manual")
    RosterService(db.sessions, "测试员", root).remove(roster[0][0])
    assert not (root / name).exists()
    (root / name).parent.rmdir()
    (root / "enrolment").rmdir()
    db.dispose()
    backups.restore(info)
    assert (root / name).read_bytes() == enrolment_jpeg(40)
    if os.name == "posix":
        assert (root / name).stat().st_mode & 0o777 == 0o600
        assert (root / name).parent.stat().st_mode & 0o777 == 0o700
        assert (root / "enrolment").stat().st_mode & 0o777 == 0o700
    assert _rows(db) == {roster[0][0]: name}


def test_enrolment_files_and_folders_are_user_only(db, roster, tmp_path):
    if os.name != "posix":
        pytest.skip("a Windows profile is private already")
    old = os.umask(0o022)  # the usual umask: anything not made private would be readable by all
    try:
        path = photo_store_for(db).root / add_enrolment(db, tmp_path / "in", roster[0][1], enrolment_jpeg(40))
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700  # enrolment/ab/
    assert path.parent.parent.stat().st_mode & 0o777 == 0o700  # enrolment/


def test_switching_the_check_off_hides_the_scores_and_computes_none(db, station, roster, tmp_path):
    from app.services.capture.service import CaptureService
    from tests.bundle_data import jpeg

    store = photo_store_for(db)
    photo_id = CaptureService(db.sessions, store, "摄影师").take_in(
        roster[0][0], jpeg(tmp_path / "a.jpg", 10)
    )
    add_enrolment(db, tmp_path / "in", roster[0][1], enrolment_jpeg(40))
    with db.sessions.begin() as s:
        p = s.get(Photo, photo_id)
        p.identity_verdict, p.identity_distance, p.identity_note = "unlike", 0.71, ""
    service = EnrolmentService(db.sessions, store.root, "测试员")
    service.set_enabled(station.id, False)
    with db.sessions() as s:
        p = s.get(Photo, photo_id)
        assert (p.identity_verdict, p.identity_distance) == ("", None)
    assert service.check_photo(photo_id) is None  # returns before any face is computed
    with db.sessions() as s:
        assert s.get(Photo, photo_id).identity_verdict == ""
