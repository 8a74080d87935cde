"""Issue 13: the data folder, database, backups, photo store and exports are readable by their user only."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
from PIL import Image

from app.db import Database, sqlite_url
from app.services.capture.photo_store import PhotoStore
from app.services.common.backup import BackupService
from main import main
from tests.roster_files import students, write_xlsx

posix_only = pytest.mark.skipif(
    os.name != "posix", reason="POSIX modes; a Windows profile is private already"
)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_store_backups_and_photos_are_private(tmp_path):
    old = os.umask(0o022)  # a permissive umask, as many desktops have
    try:
        db = Database(sqlite_url(tmp_path / "g.db"))
        assert _mode(tmp_path / "g.db") == 0o600
        info = BackupService(tmp_path / "g.db", tmp_path / "photos").create("test")
        assert _mode(info.path) == 0o600 and _mode(info.path.parent) == 0o700
        db.dispose()
        src = tmp_path / "p.jpg"
        Image.fromarray(np.full((40, 30, 3), 9, np.uint8)).save(src)
        store = PhotoStore(tmp_path / "store")
        stored = store.add(src)
        assert _mode(tmp_path / "store") == 0o700 and _mode(stored.path) & 0o077 == 0
    finally:
        os.umask(old)


@posix_only
def test_the_command_line_creates_only_private_files(tmp_path, monkeypatch):
    old = os.umask(0o022)
    monkeypatch.setenv("GRADPHOTO_DATA_DIR", str(tmp_path / "data"))
    try:
        db_url = sqlite_url(tmp_path / "cli.db")
        roster = write_xlsx(tmp_path / "r.xlsx", students(3))
        assert main(["roster", "import", str(roster), "--station", "站", "--db", db_url]) == 0
        out = tmp_path / "export.csv"
        assert main(["roster", "export-csv", str(out), "--db", db_url]) == 0
        for path in (tmp_path / "cli.db", out):
            assert _mode(path) & 0o077 == 0, path
        assert _mode(tmp_path / "data") == 0o700
    finally:
        os.umask(old)


def test_a_database_error_never_prints_the_row_values(db, station):
    """SQLAlchemy puts the SQL parameters into an error's text unless the engine hides them."""
    from sqlalchemy.exc import IntegrityError

    from app.models import Student

    secret = "11010519491231002X"
    with pytest.raises(IntegrityError) as err:
        with db.sessions.begin() as s:
            for _ in range(2):  # the same 拍摄序号 twice in one station
                s.add(
                    Student(
                        station_id=station.id,
                        shot_no=7,
                        name="甲",
                        student_no="1",
                        sex="男",
                        id_number=secret,
                    )
                )
                s.flush()
    from app.logging_setup import mask_id_numbers

    # SQLite's text carries only the statement, its values hidden by the engine; PostgreSQL names the
    # clashing key itself, so every place that shows an error to a person masks it (CLI, GUI hook, log).
    assert "hidden" in str(err.value).lower()
    assert secret not in mask_id_numbers(str(err.value))
