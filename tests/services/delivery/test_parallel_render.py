"""A package rendered on several processes is the package rendered in one, byte for byte; a cancel stops it.

SQLite only: what is tested is the rendering, which never touches the database (each run starts worker
processes, so running it again on PostgreSQL would only double the time).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import time
from pathlib import Path

import pytest

from app.services.capture.photo_store import PhotoStore
from app.services.delivery import photos
from app.services.delivery.package import Cancelled, PackageBuilder, Progress
from app.services.delivery.source import load_delivery
from app.services.photo import encode, load_preset
from tests.delivery_data import add_photos, roster

COUNT = 40


@pytest.fixture
def db_url(tmp_path):
    from app.db import sqlite_url

    return sqlite_url(tmp_path / "test.db")


@pytest.fixture
def store(tmp_path):
    return PhotoStore(tmp_path / "photos")


@pytest.fixture
def ready(db, station, importer, store, tmp_path):
    """40 students with accepted photos; no. 7's is a blank backdrop (below the preset's minimum size) and
    no. 12's original is missing from the store: two photos that cannot go on the disc, for two reasons."""
    roster(importer, station, tmp_path, COUNT)
    add_photos(db, store, tmp_path, station.id, flat=(7,))
    twelfth = next(s for s in load_delivery(db.sessions, station.id).students if s.shot_no == 12)
    store.path(twelfth.photo.stored_name).unlink()
    return station.id


@pytest.fixture
def flat_photo(db, station, importer, store, tmp_path):
    """The current photo of a student whose photo is a blank backdrop."""
    roster(importer, station, tmp_path, 1)
    add_photos(db, store, tmp_path, station.id, flat=(1,))
    return load_delivery(db.sessions, station.id).students[0].photo


def _package(db, store, station_id: int, out: Path) -> tuple[dict[str, bytes], list[str]]:
    """Every file of the package (path → bytes), and why students were left out."""
    result = PackageBuilder(db.sessions, store, "测试员").build(station_id, out, exclude_blocked=True)
    files = {
        p.relative_to(result.path).as_posix(): p.read_bytes() for p in result.path.rglob("*") if p.is_file()
    }
    return files, [b.describe() for b in result.excluded]


def _workers_ran(futures: list) -> int:
    return sum(1 for f in futures if f.done() and not f.cancelled() and f.exception() is None)


def test_parallel_render_is_the_serial_render_byte_for_byte(db, store, ready, tmp_path, monkeypatch):
    submitted: list = []
    real_pool = photos.ProcessPoolExecutor

    class CountingPool(real_pool):  # type: ignore[misc, valid-type]
        def submit(self, *args, **kwargs):
            submitted.append(super().submit(*args, **kwargs))
            return submitted[-1]

    monkeypatch.setattr(photos, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(photos, "CHUNK", 4)

    monkeypatch.setattr(photos, "MAX_WORKERS", 0)
    serial, serial_refusal = _package(db, store, ready, tmp_path / "serial")
    assert submitted == []  # the serial path starts no process

    # Every chunk on the worker: this process takes none back (a chunk it takes back cannot be cancelled).
    monkeypatch.setattr(photos, "MAX_WORKERS", 1)
    with monkeypatch.context() as m:
        m.setattr(concurrent.futures.Future, "cancel", lambda self: False)
        pooled, pooled_refusal = _package(db, store, ready, tmp_path / "pooled")
    assert _workers_ran(submitted) == 10  # 10 chunks of 4 photos, all rendered by the worker
    submitted.clear()

    # As it runs for real: the worker from the front, this process from the back.
    mixed, mixed_refusal = _package(db, store, ready, tmp_path / "mixed")
    assert len(submitted) == 10

    photo_names = sorted(n for n in serial if n.startswith("照片/"))
    assert (
        len(photo_names) == COUNT - 2 and "照片/7.JPG" not in photo_names and "照片/12.JPG" not in photo_names
    )
    assert pooled == serial and mixed == serial  # every photo, the 汇总表, the manifest and 说明.txt
    assert pooled_refusal == serial_refusal == mixed_refusal
    assert len(serial_refusal) == 2, serial_refusal
    assert "规格要求 6–30 KB" in serial_refusal[0] and "缺少原始照片文件" in serial_refusal[1], serial_refusal


def test_a_photo_renders_the_same_whatever_was_rendered_before(store, flat_photo):
    """encode_jpeg remembers the last quality that fitted; a delivered photo must not depend on it, or a
    worker that rendered other photos first would make other bytes than the serial loop."""
    preset = load_preset("legacy-192x144")
    flat = flat_photo
    encode._last_fit.pop(preset.name, None)
    fresh = photos.render_delivery_jpeg(store, flat, preset)
    encode._last_fit[preset.name] = 80  # as if an earlier photo had needed quality 80 to fit
    try:
        assert photos.render_delivery_jpeg(store, flat, preset) == fresh
    finally:
        encode._last_fit.pop(preset.name, None)


def test_tiny_jobs_stay_in_this_process(monkeypatch):
    monkeypatch.setattr(photos, "MAX_WORKERS", None)
    monkeypatch.setattr(photos, "cores", lambda: 8)
    assert photos.worker_count(photos.MIN_PARALLEL - 1) == 0
    assert photos.worker_count(photos.MIN_PARALLEL) == 1  # 24 photos: two chunks, one for a worker
    assert photos.worker_count(10_000) == 7
    monkeypatch.setattr(photos, "cores", lambda: 1)
    assert photos.worker_count(10_000) == 0


def test_a_cancel_stops_the_pool_and_leaves_nothing(db, store, ready, tmp_path, monkeypatch):
    monkeypatch.setattr(photos, "MAX_WORKERS", 1)
    monkeypatch.setattr(photos, "CHUNK", 2)

    class CancelAfterFive(Progress):
        def __init__(self) -> None:
            self.calls = 0

        def progress(self, done: int, total: int) -> None:
            self.calls += 1

        def cancelled(self) -> bool:
            return self.calls > 5

    start = time.monotonic()
    with pytest.raises(Cancelled):
        PackageBuilder(db.sessions, store, "测试员").build(ready, tmp_path / "o", progress=CancelAfterFive())
    assert time.monotonic() - start < 30
    assert multiprocessing.active_children() == []  # no worker left running
    assert not (tmp_path / "o").exists()
