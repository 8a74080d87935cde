"""A full disk during an export: a clear Chinese message, no half-written file left, nothing audited as done."""

from __future__ import annotations

import errno
import os

import pytest
from sqlalchemy import select

from app.models import AuditEvent
from app.paths import photo_store_for
from app.services.common import files
from app.services.common.files import WriteError
from app.services.exchange.bundle import export_station
from app.services.roster.service import RosterService
from tests.bundle_data import STATION, make_station_store


class _FillingFile:
    """A file object that hits ENOSPC after `room` bytes, like a disk filling up mid-export."""

    def __init__(self, real, room: int) -> None:
        self._real, self._room = real, room

    def write(self, data) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._real.write(data)

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._real.close()


@pytest.fixture
def station_db(tmp_path):
    db = make_station_store(tmp_path / "station", count=200, photos=2)
    yield db
    db.dispose()


def _exports_recorded(db) -> int:
    with db.sessions() as s:
        return len(
            list(
                s.scalars(
                    select(AuditEvent).where(AuditEvent.action.in_(("bundle-export", "export-full-id")))
                )
            )
        )


def test_bundle_and_csv_export_with_a_write_that_runs_out_of_space(station_db, tmp_path, monkeypatch):
    real_fdopen = os.fdopen
    monkeypatch.setattr(files.os, "fdopen", lambda fd, *a, **k: _FillingFile(real_fdopen(fd, *a, **k), 3000))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(WriteError, match="磁盘空间不足.*未留下不完整的文件"):
        export_station(station_db.sessions, photo_store_for(station_db), STATION, out / "b.zip")
    with pytest.raises(WriteError, match="磁盘空间不足"):
        RosterService(station_db.sessions).export_csv(out / "r.csv")
    assert list(out.iterdir()) == []
    assert _exports_recorded(station_db) == 0


def test_exports_onto_a_really_full_disk(station_db, small_disk, capsys):
    (small_disk / "filler.bin").write_bytes(b"\0" * (92 * 1024))  # one 4 KiB page left
    with pytest.raises(WriteError, match="磁盘空间不足"):
        export_station(station_db.sessions, photo_store_for(station_db), STATION, small_disk / "b.zip")
    from main import main

    assert main(["roster", "export-csv", str(small_disk / "r.csv"), "--db", station_db.url]) == 1
    assert "磁盘空间不足" in capsys.readouterr().err
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]
    assert _exports_recorded(station_db) == 0
