"""`identity compare` and `identity check` from the command line."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from main import main
from tests.conftest import SHARED_FACES, needs_faces

OBAMA_A = "autocrop__tests_data_obama.jpg"
OBAMA_B = "face_recognition__examples_obama.jpg"
YOUNG_WOMAN = "HivisionIDPhotos__demo_images_test1.jpg"


@needs_faces(OBAMA_A, OBAMA_B)
def test_compare_prints_same_with_the_distance_and_exits_0(capsys):
    assert main(["identity", "compare", str(SHARED_FACES / OBAMA_A), str(SHARED_FACES / OBAMA_B)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("相同（距离 0.1")


@needs_faces(YOUNG_WOMAN, OBAMA_B)
def test_compare_prints_maybe_not_the_same_and_exits_0(capsys):
    assert main(["identity", "compare", str(SHARED_FACES / YOUNG_WOMAN), str(SHARED_FACES / OBAMA_B)]) == 0
    assert capsys.readouterr().out.startswith("可能不是本人（距离 0.")


@needs_faces(OBAMA_B)
def test_compare_without_a_face_says_why_and_exits_1(tmp_path, capsys):
    blank = tmp_path / "空白.png"
    Image.fromarray(np.full((300, 240, 3), 200, np.uint8)).save(blank)
    assert main(["identity", "compare", str(blank), str(SHARED_FACES / OBAMA_B)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("无法比对：") and "空白.png 中未检测到人脸" in err


def test_compare_a_missing_file_exits_1_without_a_traceback(tmp_path, capsys):
    assert main(["identity", "compare", str(tmp_path / "无.jpg"), str(tmp_path / "无2.jpg")]) == 1
    err = capsys.readouterr().err
    assert "无法比对" in err and "Traceback" not in err


@needs_faces(OBAMA_A, OBAMA_B, YOUNG_WOMAN)
def test_import_then_check_lists_the_student_who_looks_unlike_the_enrolment_photo(
    db, station, importer, tmp_path, capsys
):
    import shutil

    from sqlalchemy import select

    from app.models import Student
    from app.paths import photo_store_for
    from app.services.capture.service import CaptureService
    from tests.roster_files import students, write_xlsx

    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(3)), station.id)
    with db.sessions() as s:
        st = [(x.id, x.student_no, x.name) for x in s.scalars(select(Student).order_by(Student.shot_no))]
    folder = tmp_path / "录取"
    folder.mkdir()
    shutil.copy(SHARED_FACES / OBAMA_B, folder / f"{st[0][1]}.jpg")
    shutil.copy(SHARED_FACES / OBAMA_A, folder / f"{st[1][1]}.jpg")  # one picture for two would be held
    shutil.copy(SHARED_FACES / OBAMA_B, folder / "无此人.jpg")
    base = ["--db", db.url, "--station", station.name]
    assert main(["identity", "import", str(folder), *base]) == 2  # one file matched nobody: listed
    out = capsys.readouterr().out
    assert "匹配 2 个，未匹配 1 个" in out and "未匹配：无此人.jpg" in out and "已导入 2 张录取照片" in out
    capture = CaptureService(db.sessions, photo_store_for(db), "摄影师")
    capture.take_in(st[0][0], SHARED_FACES / OBAMA_A)
    capture.take_in(st[1][0], SHARED_FACES / YOUNG_WOMAN)
    with db.sessions.begin() as s:
        for sid in (st[0][0], st[1][0]):
            s.get(Student, sid).photo_state = "accepted"
    assert main(["identity", "check", *base]) == 2
    out = capsys.readouterr().out
    assert "已比对 2 名学生" in out and "可能不是本人或无法比对 1 名" in out
    assert st[1][1] in out and "可能不是本人（距离" in out and st[0][1] not in out
    assert main(["identity", "switch", "off", *base]) == 0
    assert main(["identity", "check", *base]) == 0
    assert "已关闭人脸比对提示" in capsys.readouterr().out


def test_import_never_prints_a_spaced_or_dashed_id_number_unmasked(db, station, importer, tmp_path, capsys):
    from sqlalchemy import select

    from app.models import Student
    from tests.roster_files import students, write_xlsx

    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(2)), station.id)
    with db.sessions() as s:
        ids = [st.id_number for st in s.scalars(select(Student).order_by(Student.shot_no))]
    folder = tmp_path / "录取"
    folder.mkdir()
    a, b = ids
    (folder / f"{a[:6]} {a[6:14]} {a[14:]}.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture")  # damaged
    (folder / f"{b[:6]}-{b[6:14]}-{b[14:]}.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    other = "110105199001011234"  # nobody's
    (folder / f"{other[:6]}_{other[6:14]}_{other[14:]}.jpg").write_bytes(b"x")
    assert main(["identity", "import", str(folder), "--db", db.url, "--station", station.name]) == 2
    printed = "".join(capsys.readouterr())
    assert "无法读取" in printed and "未匹配" in printed
    for number in (a, b, other):
        assert number[6:14] not in printed  # the birth date
    assert f"{a[:6]}***********{a[-1]}.jpg" in printed


def test_compare_with_an_empty_file_name_says_so(capsys):
    assert main(["identity", "compare", "", "  "]) == 1
    err = capsys.readouterr().err
    assert err.startswith("无法比对：没有给出新拍的照片的文件名") and "文件夹" not in err


def test_import_shows_its_progress_and_ctrl_c_stops_it_without_a_traceback(
    db, station, importer, tmp_path, capsys, monkeypatch
):
    """Describing a face takes ~0.1 s: a station's 10,000 enrolment photos are a quarter of an hour."""
    import logging

    from sqlalchemy import select

    from app.models import Student
    from app.services.identity import compare
    from tests.fake_faces import GREEN, RED, coloured_jpeg, fake_describe, use_fake_faces
    from tests.roster_files import students, write_xlsx

    # main() attaches its log handler once, to the stderr of the first test that ran it: one of our own here
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setattr(logging.getLogger(), "_gradphoto_configured", False, raising=False)
    use_fake_faces(monkeypatch)
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(3)), station.id)
    with db.sessions() as s:
        st = [(x.id, x.student_no) for x in s.scalars(select(Student).order_by(Student.shot_no))]
    folder = tmp_path / "录取"
    folder.mkdir()
    for (_, no), colour in zip(st, (RED, GREEN, (40, 40, 200))):
        coloured_jpeg(folder / f"{no}.jpg", colour)
    base = ["--db", db.url, "--station", station.name]
    assert main(["identity", "import", str(folder), *base]) == 0
    err = capsys.readouterr().err
    assert "导入 1/3  33%" in err and "导入 3/3 100%" in err

    described = []

    def interrupted(source, faces=None):  # Ctrl+C while the second face is described
        described.append(source)
        if len(described) == 2:
            raise KeyboardInterrupt
        return fake_describe(source, faces)

    monkeypatch.setattr(compare, "describe", interrupted)
    for (_, no), colour in zip(st, ((200, 200, 40), (40, 200, 200), (200, 40, 200))):
        coloured_jpeg(folder / f"{no}.jpg", colour)  # new pictures: described again
    try:
        code = main(["identity", "import", str(folder), *base])
    except KeyboardInterrupt:
        pytest.fail("Ctrl+C left the command as a traceback")
    assert code == 2
    captured = capsys.readouterr()
    assert "已中断：已导入的录取照片保留，其余未导入。" in captured.err
    assert "Traceback" not in captured.err + captured.out


def test_import_names_each_listed_file_once(db, station, importer, tmp_path, capsys):
    from sqlalchemy import select

    from app.models import Student
    from tests.roster_files import students, write_xlsx

    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(1)), station.id)
    with db.sessions() as s:
        student_no = s.scalar(select(Student.student_no))
    folder = tmp_path / "录取"
    folder.mkdir()
    (folder / f"{student_no}.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    assert main(["identity", "import", str(folder), "--db", db.url, "--station", station.name]) == 2
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  无法读取：")]
    assert line.count(f"{student_no}.jpg") == 1, line


def test_import_masks_an_id_number_broken_by_any_separator_the_matching_ignores(
    db, station, importer, tmp_path, capsys
):
    from sqlalchemy import select

    from app.models import Student
    from tests.roster_files import students, write_xlsx

    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(4)), station.id)
    with db.sessions() as s:
        ids = [st.id_number for st in s.scalars(select(Student).order_by(Student.shot_no))]
    folder = tmp_path / "录取"
    folder.mkdir()
    # typed in Chinese input mode (full-width dash, underscore) or pasted from a web page (no-break, thin space)
    for number, sep in zip(ids, ("\uff0d", "\uff3f", "\u00a0", "\u2009")):
        (folder / f"{number[:6]}{sep}{number[6:14]}{sep}{number[14:]}.jpg").write_bytes(
            b"\xff\xd8\xff\xe0 bad"
        )
    assert main(["identity", "import", str(folder), "--db", db.url, "--station", station.name]) == 2
    printed = "".join(capsys.readouterr())
    assert printed.count("无法读取：") == 4  # each file matched its student by the ID in its name
    for number in ids:
        assert number[6:14] not in printed  # the birth date


def test_a_re_import_with_one_file_refused_exits_2_not_1(
    db, station, importer, tmp_path, capsys, monkeypatch
):
    """Re-running the import on the same folder: every picture already there counts 未改动, and one file
    refused (changed after the match) is a listed problem (2), not "无法导入" (1) as if nothing worked."""
    import logging

    from sqlalchemy import select

    from app.models import Student
    from app.services.identity.enrolment import EnrolmentService
    from tests.fake_faces import GREEN, RED, coloured_jpeg, use_fake_faces
    from tests.roster_files import students, write_xlsx

    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setattr(logging.getLogger(), "_gradphoto_configured", False, raising=False)
    use_fake_faces(monkeypatch)
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(2)), station.id)
    with db.sessions() as s:
        nos = list(s.scalars(select(Student.student_no).order_by(Student.shot_no)))
    folder = tmp_path / "录取"
    folder.mkdir()
    coloured_jpeg(folder / f"{nos[0]}.jpg", RED)
    coloured_jpeg(folder / f"{nos[1]}.jpg", GREEN)
    base = ["--db", db.url, "--station", station.name]
    assert main(["identity", "import", str(folder), *base]) == 0
    capsys.readouterr()

    real_match = EnrolmentService.match

    def match_then_edit(self, *args, **kwargs):  # the clerk edits one picture while the list is shown
        result = real_match(self, *args, **kwargs)
        coloured_jpeg(folder / f"{nos[1]}.jpg", (40, 40, 200))
        return result

    monkeypatch.setattr(EnrolmentService, "match", match_then_edit)
    assert main(["identity", "import", str(folder), *base]) == 2
    captured = capsys.readouterr()
    assert "1 张与已导入的相同，未改动" in captured.out
    assert "在查找核对之后被改动过" in captured.err
