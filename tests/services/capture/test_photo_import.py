import os

import numpy as np
import pytest
from PIL import Image

from app.services.capture.codecard import read_codes
from app.services.capture.photo_import import import_matched, match_files, photo_files
from app.services.capture.photo_store import PhotoStore, PhotoStoreError
from app.services.capture.service import CaptureService
from tests.hostile_data import finishes_despite_fifo
from tests.roster_files import students, write_xlsx

fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture
def roster(db, station, importer, tmp_path):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(5)), station.id)
    from app.services.roster.service import RosterService

    return RosterService(db.sessions).rows(station.id)


def _img(path):
    Image.fromarray(np.full((200, 150, 3), 200, np.uint8)).save(path, "JPEG")
    return path


def test_match_by_student_number_id_and_shot_number(db, station, roster, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    _img(folder / f"{roster[0].student_no}.jpg")
    _img(folder / f"{roster[1].id_number.lower()}.JPG")
    _img(folder / "3.jpg")
    _img(folder / "陌生人.jpg")
    files = photo_files(folder)
    by_no = match_files(db.sessions, station.id, files, "student_no")
    assert by_no.matched == [(folder / f"{roster[0].student_no}.jpg", roster[0].id)]
    by_id = match_files(db.sessions, station.id, files, "id_number")
    assert [sid for _, sid in by_id.matched] == [roster[1].id]
    by_shot = match_files(db.sessions, station.id, files, "shot_no")
    assert [sid for _, sid in by_shot.matched] == [roster[2].id]
    assert folder / "陌生人.jpg" in by_shot.unmatched


def test_a_file_named_in_full_width_digits_matches(db, station, roster, tmp_path):
    """２０２３…jpg, typed in Chinese input mode, is the same 学号; so is ３.jpg the same 拍摄序号."""
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    a = _img(tmp_path / f"{roster[0].student_no.translate(wide)}.jpg")
    assert match_files(db.sessions, station.id, [a], "student_no").matched == [(a, roster[0].id)]
    b = _img(tmp_path / "３.jpg")
    assert match_files(db.sessions, station.id, [b], "shot_no").matched == [(b, roster[2].id)]


def test_two_files_for_one_student_go_to_review(db, station, roster, tmp_path):
    a = _img(tmp_path / f"{roster[0].student_no}.jpg")
    b = _img(tmp_path / f"{roster[0].student_no} (1).jpg")
    result = match_files(db.sessions, station.id, [a, b], "student_no")
    assert result.matched == [] and {p for p, _ in result.ambiguous} == {a, b}
    assert "同一名学生" in result.ambiguous[0][1]


def test_import_matched_survives_a_bad_file(db, station, roster, tmp_path):
    capture = CaptureService(db.sessions, PhotoStore(tmp_path / "store"))
    good = _img(tmp_path / "good.jpg")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"garbage")
    progress = []
    report = import_matched(
        capture, [(bad, roster[0].id), (good, roster[1].id)], progress=lambda d, t: progress.append((d, t))
    )
    assert report.imported == 2 and len(report.failed) == 1 and report.failed[0][0] == bad
    assert progress[-1] == (2, 2)


@fifo_only
def test_a_named_pipe_in_the_folder_is_listed_with_its_reason_never_opened(db, station, roster, tmp_path):
    folder = tmp_path / "照片"
    folder.mkdir()
    good = _img(folder / f"{roster[0].student_no}.jpg")
    os.mkfifo(folder / f"{roster[1].student_no}.jpg")
    skipped: list = []
    found = finishes_despite_fifo(
        folder / f"{roster[1].student_no}.jpg", lambda: photo_files(folder, skipped)
    )
    assert found == [good]
    assert [(p.name, why) for p, why in skipped] == [
        (f"{roster[1].student_no}.jpg", "不是普通文件（可能是管道或设备），不读取它")
    ]


@fifo_only
def test_the_store_refuses_a_named_pipe_swapped_in_after_the_listing(tmp_path):
    store = PhotoStore(tmp_path / "store")
    fifo = tmp_path / "2024001.jpg"
    os.mkfifo(fifo)

    def attempt():
        try:
            store.add(fifo)
        except PhotoStoreError as exc:
            return str(exc)
        return "stored"

    said = finishes_despite_fifo(fifo, attempt)
    assert said == "无法把照片 2024001.jpg 存入照片库：不是普通文件（可能是管道或设备），不读取它"
    assert [p.name for p in (tmp_path / "store").iterdir()] == []  # no half-written temp file


def test_code_card_is_read():
    import cv2

    qr = cv2.QRCodeEncoder.create().encode("2024000042")
    big = cv2.resize(qr, (qr.shape[1] * 12, qr.shape[0] * 12), interpolation=cv2.INTER_NEAREST)
    canvas = np.full((1500, 2000), 230, np.uint8)
    canvas[400 : 400 + big.shape[0], 700 : 700 + big.shape[1]] = big
    assert read_codes(cv2.cvtColor(canvas, cv2.COLOR_GRAY2RGB)) == ["2024000042"]
    assert read_codes(np.full((300, 300, 3), 128, np.uint8)) == []
