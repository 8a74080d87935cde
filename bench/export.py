"""Delivery benchmark: 10,000 students to the 汇总表 workbook and to the disc package (10,000 small JPGs).

Target (issue 5): the workbook in at most 10 s on the 2-core machine.
Baselines, measured in the same run on the same data:
- workbook: a bare openpyxl write of the same 10,000 × 11 cells (no styles, no text formats);
- package: a bare Pillow loop over the same originals (decode, crop, resize to 144×192, JPEG save),
  the least any tool must do to produce the photos.
The zip and ISO are sealed from the finished folder, so their figures are the container cost alone.
"""
from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PIL import Image
from sqlalchemy import insert, select

from app.db import Database, sqlite_url
from app.models import Photo, Student
from app.services.capture.photo_store import PhotoStore
from app.services.delivery.package import PackageBuilder, _package_files, write_iso, write_zip
from app.services.delivery.source import SUMMARY_COLUMNS, load_delivery
from app.services.delivery.summary import save_summary
from app.services.roster.demo import make_students, write_roster_xlsx
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService

STUDENTS = 10_000
SOURCES = 50  # distinct originals (content-addressed store); every student's photo is rendered anew
SOURCE_SIZE = (360, 480)
CROP = (30.0, 30.0, 300.0, 400.0)


def make_sources(folder: Path) -> list[Path]:
    rng = np.random.default_rng(5)
    paths = []
    for i in range(SOURCES):
        w, h = SOURCE_SIZE
        arr = np.empty((h, w, 3), np.float32)
        arr[:] = (100, 197, 255)
        arr[120:300, 110:250] = (200 - i, 160, 130)
        arr[330:, 60:300] = (50 + i, 40, 80)
        arr += rng.normal(0, 30, arr.shape)
        path = folder / f"src{i:02d}.jpg"
        Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(path, quality=90)
        paths.append(path)
    return paths


def setup(folder: Path) -> tuple[Database, int, PhotoStore, list[Path]]:
    db = Database(sqlite_url(folder / "bench.db"))
    station = StationService(db.sessions).create(StationData(name="基准测试站", school_name="郑州大学",
                                                             school_code="10459"))
    roster = write_roster_xlsx(folder / "roster.xlsx", make_students(STUDENTS))
    report = RosterImporter(db.sessions, "bench").import_file(roster, station.id)
    assert report.imported == STUDENTS, report.summary()
    store = PhotoStore(folder / "photos")
    sources = make_sources(folder)
    stored = [store.add(p) for p in sources]
    with db.sessions.begin() as s:
        ids = list(s.scalars(select(Student.id).where(Student.station_id == station.id).order_by(Student.shot_no)))
        rows = []
        for i, sid in enumerate(ids):
            f = stored[i % SOURCES]
            rows.append(dict(student_id=sid, is_current=True, sha256=f.sha256, stored_name=f.stored_name,
                             original_name=f"IMG_{i:05d}.JPG", size_bytes=f.size, preset="legacy-192x144",
                             source_width=SOURCE_SIZE[0], source_height=SOURCE_SIZE[1],
                             crop_left=CROP[0], crop_top=CROP[1], crop_width=CROP[2], crop_height=CROP[3],
                             crop_rotation=0.0, auto_rotation=0.0, adjusted=False, qc_status="ok", faces=1,
                             review="accepted", qc=[], source_kind="import", error=""))
        s.execute(insert(Photo), rows)
        s.execute(Student.__table__.update().values(photo_state="accepted"))
    return db, station.id, store, sources


def bare_openpyxl_write(delivery, path: Path) -> float:
    from openpyxl import Workbook

    start = time.perf_counter()
    wb = Workbook()
    ws = wb.active
    ws.append([h for _, h in SUMMARY_COLUMNS])
    for s in delivery.students:
        ws.append([s.value(k) for k, _ in SUMMARY_COLUMNS])
    wb.save(path)
    return time.perf_counter() - start


def bare_pillow_photos(sources: list[Path], out: Path) -> float:
    out.mkdir()
    start = time.perf_counter()
    left, top, w, h = (int(v) for v in CROP)
    for i in range(STUDENTS):
        img = Image.open(sources[i % SOURCES]).convert("RGB").crop((left, top, left + w, top + h))
        buf = io.BytesIO()
        img.resize((144, 192), Image.Resampling.LANCZOS).save(buf, "JPEG", quality=95)
        (out / f"{i + 1}.JPG").write_bytes(buf.getvalue())
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        db, sid, store, sources = setup(folder)
        print(f"setup: {STUDENTS} students with accepted photos in {time.perf_counter() - t:.1f} s")

        start = time.perf_counter()
        delivery = load_delivery(db.sessions, sid)
        save_summary(delivery, folder / "汇总表.xlsx")
        workbook_s = time.perf_counter() - start
        base_wb = bare_openpyxl_write(delivery, folder / "bare.xlsx")
        print(f"workbook: GradPhoto {workbook_s:.2f} s (load + styled write), bare openpyxl {base_wb:.2f} s; "
              f"target <= 10 s -> {'met' if workbook_s <= 10 else 'MISSED'}")

        builder = PackageBuilder(db.sessions, store, "bench")
        start = time.perf_counter()
        result = builder.build(sid, folder / "out", "folder")
        package_s = time.perf_counter() - start
        assert result.count == STUDENTS
        base_pkg = bare_pillow_photos(sources, folder / "bare")
        print(f"package (folder): {package_s:.1f} s for {result.count} photos "
              f"({package_s / STUDENTS * 1000:.2f} ms each), bare Pillow loop {base_pkg:.1f} s")

        files = _package_files(result.path)
        size_mb = sum(p.stat().st_size for _, p in files) / 1e6
        start = time.perf_counter()
        with open(folder / "p.zip", "wb") as fh:
            write_zip(files, fh)
        zip_s = time.perf_counter() - start
        start = time.perf_counter()
        with open(folder / "p.iso", "wb") as fh:
            write_iso(files, fh)
        iso_s = time.perf_counter() - start
        print(f"containers for {len(files)} files ({size_mb:.0f} MB): zip {zip_s:.1f} s, ISO {iso_s:.1f} s")
        db.dispose()

        print(f"BENCH export_summary_10k {workbook_s:.2f} s (baseline {base_wb:.2f} s, ratio {workbook_s / base_wb:.2f})")
        print(f"BENCH export_package_10k {package_s:.1f} s (baseline {base_pkg:.1f} s, ratio {package_s / base_pkg:.2f})")
        print(f"BENCH export_seal_zip_10k {zip_s:.1f} s (baseline {package_s:.1f} s, ratio {zip_s / package_s:.2f})")
        print(f"BENCH export_seal_iso_10k {iso_s:.1f} s (baseline {package_s:.1f} s, ratio {iso_s / package_s:.2f})")


if __name__ == "__main__":
    main()
