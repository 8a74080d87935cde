"""Delivery benchmark: N students to the 汇总表 workbook and to the disc package (N small JPGs).

Targets: the package (issue 15) at most 0.6× a bare single-process Pillow loop over the same photos on the
2-core machine; the workbook (issue 5) at most 10 s for 10,000 students (`--n 10000`).
Baselines, measured in the same run on the same data:
- package: a bare Pillow loop over the same originals in one process (open, crop, resize to 144×192 with
  Lanczos, JPEG save, write the file), the least any tool must do to produce the photos;
- workbook: a bare openpyxl write of the same N × 11 cells (no styles, no text formats).
The package is also timed on the serial path (one process) so the share of the second core shows. The zip
and ISO are sealed from the finished folder, so their figures are the container cost alone.

Run: .venv/bin/python bench/export.py [--n N]   (default 400 students, 50 distinct originals)
"""
from __future__ import annotations

import argparse
import io
import os
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
from app.services.delivery import photos as delivery_photos
from app.services.delivery.package import PackageBuilder, _package_files, write_iso, write_zip
from app.services.delivery.source import SUMMARY_COLUMNS, load_delivery
from app.services.delivery.summary import save_summary
from app.services.photo import load_preset
from app.services.photo.qc import QC_VERSION, rules_key
from app.services.roster.demo import make_students, write_roster_xlsx
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService

PRESET = "legacy-192x144"
SOURCES = 50  # distinct originals (content-addressed store); every student's photo is rendered anew
SOURCE_SIZE = (360, 480)
CROP = (30.0, 30.0, 300.0, 400.0)


def make_sources(folder: Path, count: int) -> list[Path]:
    rng = np.random.default_rng(5)
    paths = []
    for i in range(count):
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


def setup(folder: Path, n: int) -> tuple[Database, int, PhotoStore, list[Path]]:
    """N students, each with an accepted photo whose crop and checks (under PRESET, by today's engine) are
    stored, so packaging renders without measuring again."""
    db = Database(sqlite_url(folder / "bench.db"))
    station = StationService(db.sessions).create(
        StationData(name="基准测试站", school_name="郑州大学", school_code="10459")
    )
    roster = write_roster_xlsx(folder / "roster.xlsx", make_students(n))
    report = RosterImporter(db.sessions, "bench").import_file(roster, station.id)
    assert report.imported == n, report.summary()
    store = PhotoStore(folder / "photos")
    sources = make_sources(folder, min(SOURCES, n))
    stored = [store.add(p) for p in sources]
    rules = rules_key(load_preset(PRESET))
    with db.sessions.begin() as s:
        ids = list(s.scalars(select(Student.id).where(Student.station_id == station.id).order_by(Student.shot_no)))
        rows = []
        for i, sid in enumerate(ids):
            f = stored[i % len(stored)]
            rows.append(dict(student_id=sid, is_current=True, sha256=f.sha256, stored_name=f.stored_name,
                             original_name=f"IMG_{i:05d}.JPG", size_bytes=f.size, preset=PRESET,
                             source_width=SOURCE_SIZE[0], source_height=SOURCE_SIZE[1],
                             crop_left=CROP[0], crop_top=CROP[1], crop_width=CROP[2], crop_height=CROP[3],
                             crop_rotation=0.0, auto_rotation=0.0, adjusted=False, qc_status="ok", faces=1,
                             qc_version=QC_VERSION, qc_rules=rules,
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


def bare_pillow_photos(sources: list[Path], out: Path, n: int) -> float:
    out.mkdir()
    start = time.perf_counter()
    left, top, w, h = (int(v) for v in CROP)
    for i in range(n):
        img = Image.open(sources[i % len(sources)]).convert("RGB").crop((left, top, left + w, top + h))
        buf = io.BytesIO()
        img.resize((144, 192), Image.Resampling.LANCZOS).save(buf, "JPEG", quality=95)
        (out / f"{i + 1}.JPG").write_bytes(buf.getvalue())
    return time.perf_counter() - start


def timed_package(builder: PackageBuilder, sid: int, out: Path, n: int) -> float:
    start = time.perf_counter()
    result = builder.build(sid, out, "folder")
    elapsed = time.perf_counter() - start
    assert result.count == n, result.summary()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400, help="students (photos) to export; 10000 for issue 5's figure")
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        db, sid, store, sources = setup(folder, n)
        print(f"setup: {n} students with accepted photos in {time.perf_counter() - t:.1f} s; "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")

        start = time.perf_counter()
        delivery = load_delivery(db.sessions, sid)
        save_summary(delivery, folder / "汇总表.xlsx")
        workbook_s = time.perf_counter() - start
        base_wb = bare_openpyxl_write(delivery, folder / "bare.xlsx")
        print(f"workbook: GradPhoto {workbook_s:.2f} s (load + styled write), bare openpyxl {base_wb:.2f} s")

        builder = PackageBuilder(db.sessions, store, "bench")
        base_pkg = bare_pillow_photos(sources, folder / "bare", n)
        saved = delivery_photos.MAX_WORKERS
        delivery_photos.MAX_WORKERS = 0  # the serial path, for comparison
        try:
            serial_s = timed_package(builder, sid, folder / "serial", n)
        finally:
            delivery_photos.MAX_WORKERS = saved
        package_s = timed_package(builder, sid, folder / "out", n)
        print(f"package (folder): {package_s:.2f} s for {n} photos ({package_s / n * 1000:.2f} ms each); "
              f"serial path {serial_s:.2f} s; bare Pillow loop {base_pkg:.2f} s; "
              f"target <= 0.6 x bare -> {'met' if package_s <= 0.6 * base_pkg else 'MISSED'}")

        files = _package_files(next((folder / "out").iterdir()))
        size_mb = sum(p.stat().st_size for _, p in files) / 1e6
        start = time.perf_counter()
        with open(folder / "p.zip", "wb") as fh:
            write_zip(files, fh)
        zip_s = time.perf_counter() - start
        start = time.perf_counter()
        with open(folder / "p.iso", "wb") as fh:
            write_iso(files, fh)
        iso_s = time.perf_counter() - start
        print(f"containers for {len(files)} files ({size_mb:.1f} MB): zip {zip_s:.2f} s, ISO {iso_s:.2f} s")
        db.dispose()

        print(f"BENCH export_summary_{n} {workbook_s:.2f} s (baseline {base_wb:.2f} s, ratio {workbook_s / base_wb:.2f})")
        print(f"BENCH export_seal_zip_{n} {zip_s:.2f} s (baseline {package_s:.2f} s, ratio {zip_s / package_s:.2f})")
        print(f"BENCH export_seal_iso_{n} {iso_s:.2f} s (baseline {package_s:.2f} s, ratio {iso_s / package_s:.2f})")
        print(f"BENCH export_serial {serial_s:.2f} s (baseline {base_pkg:.2f} s, ratio {serial_s / base_pkg:.2f})")
        print(f"BENCH export {package_s:.2f} s (baseline {base_pkg:.2f} s, ratio {package_s / base_pkg:.2f})")


if __name__ == "__main__":
    main()
