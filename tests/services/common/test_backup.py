"""Backups: online copy plus photo originals before imports/migrations/merges, keep N, check, restore."""

from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from app.db import Database, sqlite_url
from app.models import Student
from app.services.common.backup import BackupService, integrity_of, startup_check
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService
from tests.bundle_data import make_station_store
from tests.roster_files import students, write_xlsx


def _count(db):
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Student))


def test_backup_before_import_keeps_n_and_restores_with_photos(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADPHOTO_BACKUP_KEEP", "3")
    db = make_station_store(tmp_path, count=4, photos=2)
    path = db.sqlite_path
    service = BackupService(path)
    station = StationService(db.sessions).find("洛阳函授站")
    importer = RosterImporter(db.sessions, "测试员")
    rows = students(16)
    for i in range(4):  # four imports that each add students: four automatic backups, three kept
        importer.import_file(write_xlsx(tmp_path / f"r{i}.xlsx", rows[: 4 + 3 * (i + 1)]), station.id)
    backups = service.list()
    assert len(backups) == 3 and all(b.label == "before-import" for b in backups)
    assert all(integrity_of(b.path) == "ok" for b in backups)
    pooled = list((path.parent / "backups" / "photos").glob("*/*"))
    assert len(pooled) == 2  # the photo originals travel with the backups (hard links)
    assert _count(db) == 4 + 12
    db.dispose()
    # Lose a photo original and restore the oldest kept backup (taken before the second import).
    photo = next((path.parent / "photos").glob("*/*"))
    photo.unlink()
    safety = service.restore(backups[-1])
    assert safety is not None and safety.label == "before-restore"
    again = Database(sqlite_url(path))
    assert _count(again) == 4 + 3
    assert photo.exists()
    again.dispose()


def test_startup_check_points_to_the_last_good_backup(tmp_path):
    db = Database(sqlite_url(tmp_path / "g.db"))
    StationService(db.sessions).create(StationData(name="站"))
    db.dispose()
    service = BackupService(tmp_path / "g.db")
    good = service.create("manual")
    assert startup_check(sqlite_url(tmp_path / "g.db")).ok
    # Damage the file: overwrite pages in the middle with garbage.
    raw = bytearray((tmp_path / "g.db").read_bytes())
    for i in range(4096, min(len(raw), 4096 * 6)):
        raw[i] = 0x5A
    (tmp_path / "g.db").write_bytes(bytes(raw))
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"g.db{suffix}").unlink(missing_ok=True)
    result = startup_check(sqlite_url(tmp_path / "g.db"))
    assert not result.ok and "已损坏" in result.message and result.last_good.path == good.path
    assert "backup restore" in result.message
    service.restore(result.last_good)
    assert integrity_of(tmp_path / "g.db") == "ok"
    with sqlite3.connect(tmp_path / "g.db") as conn:
        assert conn.execute("SELECT name FROM station").fetchall() == [("站",)]


def test_postgresql_stores_are_not_backed_up_here(db):
    from app.services.common.backup import before_change, service_for

    if db.engine.dialect.name == "sqlite":
        assert service_for(db.sessions) is not None
    else:
        assert service_for(db.sessions) is None and before_change(db.sessions, "before-import") is None
        assert startup_check(db.url).ok


def test_a_crafted_backup_cannot_write_outside_the_photo_store(tmp_path):
    """Found by the second attack: a backup whose photo rows name ../../../outside/secret.txt, with a link
    planted where the backup pool resolves that name, made restore copy /etc/hostname's bytes to where the
    photo store resolves it: outside the data folder."""
    home = tmp_path / "home" / "clerk"
    db = make_station_store(home / "data", count=3, photos=1)
    path = db.sqlite_path
    service = BackupService(path)
    db.dispose()
    evil = tmp_path / "evil.db"
    src, dst = sqlite3.connect(path), sqlite3.connect(evil)
    src.backup(dst)
    src.close()
    dst.execute("UPDATE photo SET stored_name = '../../../outside/secret.txt'")
    dst.commit()
    dst.close()
    pool_side = home / "outside"  # data/backups/photos/../../../outside
    pool_side.mkdir()
    (pool_side / "secret.txt").symlink_to("/etc/hostname")
    written = tmp_path / "home" / "outside" / "secret.txt"  # data/photos/../../../outside
    service.restore(evil)
    assert not written.exists()
    assert [p.name for p in pool_side.iterdir()] == ["secret.txt"]


def test_restore_never_copies_through_a_link_in_the_backup_pool(tmp_path):
    db = make_station_store(tmp_path / "data", count=3, photos=1)
    path = db.sqlite_path
    service = BackupService(path)
    backup = service.create("manual")
    db.dispose()
    photo = next((path.parent / "photos").glob("*/*"))
    stored = photo.relative_to(path.parent / "photos").as_posix()
    pooled = path.parent / "backups" / "photos" / stored
    pooled.unlink()
    pooled.symlink_to("/etc/hostname")  # someone swapped the pooled original for a link
    photo.unlink()
    service.restore(backup.path)
    assert not photo.exists()  # not restored from a link: missing, as the store will report


def test_a_backup_removes_only_stale_half_written_backups(tmp_path):
    """Found in a random-order run: two merges at once each back up first, and the second removed the first's
    half-written copy as if a killed run had left it."""
    import os
    import time

    db = make_station_store(tmp_path / "data", count=2, photos=0)
    service = BackupService(db.sqlite_path)
    service.folder.mkdir(parents=True, exist_ok=True)
    writing = service.folder / "gradphoto-20261201-000000-000001-before-bundle.db.part"
    killed = service.folder / "gradphoto-20261130-000000-000001-before-import.db.part"
    writing.write_bytes(b"SQLite format 3\0")
    killed.write_bytes(b"SQLite format 3\0")
    hour_ago = time.time() - 3600
    os.utime(killed, (hour_ago, hour_ago))
    assert service.create("manual") is not None
    assert writing.exists() and not killed.exists()
    db.dispose()
