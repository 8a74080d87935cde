"""Every command that writes a file, run onto a disk that is really full (a 96 KiB tmpfs with one page left):
a Chinese message that names the file and says the disk is full, exit 1, no traceback, and nothing left on the
disk but what was there before."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.models import Student
from app.paths import photo_store_for
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService
from main import main
from tests.conftest import SHARED_FACES, mounted_tmpfs, needs_faces
from tests.delivery_data import add_photos, roster
from tests.roster_files import students, write_xlsx

STATION = "洛阳函授站"
OBAMA = "face_recognition__examples_obama.jpg"  # a 480×640 crop of it is ~40 KB: more than the page left


@pytest.fixture(scope="module")
def ready_db(tmp_path_factory):
    """A station whose 20 students all have accepted photos, so every export (the disc package too) has work."""
    folder = tmp_path_factory.mktemp("store")
    db = Database(f"sqlite:///{folder / 'gradphoto.sqlite'}")
    station = StationService(db.sessions, "测试员").create(
        StationData(name=STATION, school_name="郑州大学", school_code="10459")
    )
    roster(RosterImporter(db.sessions, "测试员"), station, folder, 20)
    add_photos(db, photo_store_for(db), folder, station.id)
    yield db
    db.dispose()


def _commands(disk):
    s = ["--station", STATION]
    return {
        "summary": ["export", "summary", *s, "--out", str(disk / "汇总表.xlsx")],
        "fees": ["export", "fees", *s, "--out", str(disk / "费用.xlsx")],
        "cards": ["export", "cards", *s, "--out", str(disk / "采集卡.xlsx")],
        "proofsheet": ["export", "proofsheet", *s, "--out", str(disk / "校对表")],
        "feedback": ["export", "feedback", *s, "--out", str(disk / "反馈表")],
        "signin-cards": ["export", "signin-cards", *s, "--out", str(disk / "签到卡")],
        "package-folder": ["export", "package", *s, "--out", str(disk / "pk")],
        "package-zip": ["export", "package", *s, "--out", str(disk / "pk"), "--format", "zip"],
        "package-iso": ["export", "package", *s, "--out", str(disk / "pk"), "--format", "iso"],
        "roster-csv": ["roster", "export-csv", str(disk / "花名册.csv")],
        "bundle": ["bundle", "export", *s, "--out", str(disk / "站点.gpbundle.zip")],
    }


@pytest.mark.parametrize(
    "which",
    [
        "summary",
        "fees",
        "cards",
        "proofsheet",
        "feedback",
        "signin-cards",
        "package-folder",
        "package-zip",
        "package-iso",
        "roster-csv",
        "bundle",
    ],
)
def test_each_export_onto_a_full_disk(ready_db, small_disk, capsys, which):
    (small_disk / "filler.bin").write_bytes(b"\0" * (92 * 1024))
    args = _commands(small_disk)[which]
    assert main([*args, "--db", ready_db.url]) == 1
    out, err = capsys.readouterr()
    assert "磁盘空间不足" in err and "无法写入" in err, err
    assert "Traceback" not in out + err and "Errno" not in out + err
    left = sorted(p.relative_to(small_disk).as_posix() for p in small_disk.rglob("*"))
    assert [p for p in left if not p.endswith(("校对表", "反馈表", "签到卡", "pk"))] == ["filler.bin"], left


@needs_faces(OBAMA)
def test_crop_onto_a_full_disk_leaves_no_cut_off_jpeg(small_disk, capsys):
    (small_disk / "filler.bin").write_bytes(b"\0" * (92 * 1024))
    out_dir = small_disk / "crops"
    assert (
        main(["crop", "--out", str(out_dir), "--spec", "chsi-2017-480x640", str(SHARED_FACES / OBAMA)]) == 1
    )
    err = capsys.readouterr().err
    assert "磁盘空间不足，无法写入" in err and OBAMA in err and "出错 1" in err and "Errno" not in err
    assert list(out_dir.iterdir()) == []


@pytest.fixture
def store_disk(tmp_path):
    """A 3 MiB tmpfs for a whole store (database, WAL, backups)."""
    yield from mounted_tmpfs(tmp_path / "store-disk", "3m")


def _fill(disk, leave: int) -> None:
    fd = os.open(disk / "filler.bin", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(disk / "filler.bin", max(0, os.path.getsize(disk / "filler.bin") - leave))


def _count(url) -> int:
    db = Database(url)
    try:
        with db.sessions() as s:
            return s.scalar(select(func.count()).select_from(Student))
    finally:
        db.dispose()


def test_a_store_on_a_full_disk_is_not_called_damaged(store_disk, tmp_path, capsys):
    """SQLite cannot even open a store when the disk has no room for its WAL index: that is a full disk, not
    damage, and restoring a backup (what a damaged store is offered) would throw work away."""
    url = f"sqlite:///{store_disk / 'gradphoto.sqlite'}"
    rows = students(220)
    assert (
        main(
            [
                "roster",
                "import",
                str(write_xlsx(tmp_path / "a.xlsx", rows[:20])),
                "--station",
                STATION,
                "--db",
                url,
            ]
        )
        == 0
    )
    _fill(store_disk, 0)
    capsys.readouterr()
    assert (
        main(
            [
                "roster",
                "import",
                str(write_xlsx(tmp_path / "b.xlsx", rows)),
                "--station",
                STATION,
                "--db",
                url,
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "磁盘空间已满" in err and "没有损坏" in err and "backup restore" not in err, err
    (store_disk / "filler.bin").unlink()
    assert _count(url) == 20


def test_an_import_that_fills_the_disk_says_so_and_saves_nothing(store_disk, tmp_path):
    from app.services.common.errors import user_message
    from app.services.roster.importer import ImportConflict, RosterImporter

    url = f"sqlite:///{store_disk / 'gradphoto.sqlite'}"
    db = Database(url)
    station = StationService(db.sessions, "测试员").create(StationData(name=STATION))
    importer = RosterImporter(db.sessions, "测试员", backup=False)
    rows = students(2000)
    assert importer.import_file(write_xlsx(tmp_path / "a.xlsx", rows[:20]), station.id).committed
    plan = importer.read(write_xlsx(tmp_path / "b.xlsx", rows))
    _fill(store_disk, 96 * 1024)  # room to open and read, not for 1,980 students
    with pytest.raises(Exception) as failed:
        importer.apply(plan, station.id)
    assert not isinstance(failed.value, ImportConflict)  # not blamed on a colleague writing at the same time
    assert user_message(failed.value).startswith("磁盘空间不足，数据库无法写入（这次操作没有保存任何更改）")
    db.dispose()
    (store_disk / "filler.bin").unlink()
    assert _count(url) == 20
