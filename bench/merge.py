"""Bundle merge benchmark: 50 station bundles of 400 students each merged into SQLite and into PostgreSQL.

Each bundle carries its roster, a proofing record for a tenth of its students and two photo originals, and
comes from its own source store. Measured: the whole merge (read + verify checksums + plan + one transaction per
bundle, with the automatic backup on SQLite), and the idempotent second pass over the same 50 files. The
baseline, measured in the same run on the same backend, is a bare bulk INSERT of the same 20,000 student rows.

PostgreSQL: GRADPHOTO_BENCH_PG_URL or GRADPHOTO_TEST_PG_URL (a fresh schema is made and dropped); skipped
with a note when neither is set.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from app.db import Database, sqlite_url
from app.models import StoreInfo, Student
from app.paths import photo_store_for
from app.services.capture.service import CaptureService
from app.services.common.backup import before_change
from app.services.exchange.bundle import export_station, read_bundle, store_id
from app.services.exchange.merge import BundleMerger
from app.services.proofing.service import ProofingService
from app.services.roster.demo import make_students, write_roster_xlsx
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService

STATIONS = 50
PER_STATION = 400


def make_bundles(folder: Path) -> tuple[list[Path], list[dict]]:
    """50 bundles from one source store whose id is renewed per station, as if from 50 station laptops."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    db = Database(sqlite_url(folder / "source.db"))
    rows = make_students(STATIONS * PER_STATION, seed=7)
    importer = RosterImporter(db.sessions, "bench", backup=False)
    capture = CaptureService(db.sessions, photo_store_for(db), "bench")
    proofing = ProofingService(db.sessions, "bench")
    paths = []
    for i in range(STATIONS):
        name = f"第{i + 1:02d}函授站"
        station = StationService(db.sessions, "bench").create(StationData(name=name, school_code="10459"))
        chunk = rows[i * PER_STATION:(i + 1) * PER_STATION]
        importer.import_file(write_roster_xlsx(folder / f"r{i}.xlsx", chunk), station.id)
        with db.sessions() as s:
            ids = list(s.scalars(select(Student.id).where(Student.station_id == station.id)
                                 .order_by(Student.shot_no)))
        for k in range(2):
            jpg = folder / f"p{i}-{k}.jpg"
            Image.new("RGB", (90, 120), (i * 5 % 255, k * 100, 80)).save(jpg, "JPEG")
            capture.take_in(ids[k], jpg, "import")
        proofing.set_state(ids[::10], "correct")
        store_id(db.sessions)
        with db.sessions.begin() as s:  # a new source id: each bundle comes from "its own" station store
            s.get(StoreInfo, "store_id").value = str(uuid.uuid4())
        path = folder / f"{name}.zip"
        export_station(db.sessions, photo_store_for(db), name, path, "bench")
        paths.append(path)
    db.dispose()
    return paths, rows


def merge_all(db: Database, paths: list[Path], backups: bool) -> tuple[float, int]:
    merger = BundleMerger(db.sessions, photo_store_for(db), "bench",
                          before_write=(lambda label: before_change(db.sessions, label)) if backups else None)
    start = time.perf_counter()
    added = 0
    for path in paths:
        report = merger.apply(read_bundle(path))
        added += len(report.plan.new)
    return time.perf_counter() - start, added


def bare_insert(db: Database, rows: list[dict]) -> float:
    """The same 20,000 students as one bulk INSERT, nothing else."""
    station = StationService(db.sessions, "bench").create(StationData(name="基线站"))
    values = [{"station_id": station.id, "shot_no": n + 1, "name": r["姓名"], "student_no": r["学号"],
               "sex": r["性别"], "id_number": r["身份证号码"], "major": r["专业名称"], "class_name": r["班级"]}
              for n, r in enumerate(rows)]
    start = time.perf_counter()
    with db.sessions.begin() as s:
        s.execute(insert(Student), values)
    return time.perf_counter() - start


def pg_url() -> str | None:
    return os.environ.get("GRADPHOTO_BENCH_PG_URL") or os.environ.get("GRADPHOTO_TEST_PG_URL")


def run_backend(label: str, make_db, paths: list[Path], rows: list[dict], backups: bool) -> list[str]:
    db = make_db("merge")
    first, added = merge_all(db, paths, backups)
    again, added_again = merge_all(db, paths, backups)
    with db.sessions() as s:
        total = s.scalar(select(Student.id).order_by(Student.id.desc()).limit(1))
    db.dispose()
    assert added == STATIONS * PER_STATION and added_again == 0, (added, added_again)
    base_db = make_db("baseline")
    base = bare_insert(base_db, rows)
    base_db.dispose()
    print(f"{label}: merged {added} students from {len(paths)} bundles in {first:.2f} s "
          f"({first / len(paths) * 1000:.0f} ms per bundle); second pass {again:.2f} s, nothing changed; "
          f"last student id {total}; bare bulk insert {base:.2f} s")
    n = STATIONS * PER_STATION
    return [f"BENCH merge_{label}_50x400 {first:.2f} s (baseline {base:.2f} s, ratio {first / base:.1f})",
            f"BENCH remerge_{label}_50x400 {again:.2f} s (baseline {base:.2f} s, ratio {again / base:.1f})",
            (f"BENCH merge_{label}_per_student {first / n * 1e6:.0f} us (baseline {base / n * 1e6:.0f} us, "
            f"ratio {first / base:.1f})")]


def main() -> None:
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        paths, rows = make_bundles(folder / "bundles")
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"made {len(paths)} bundles x {PER_STATION} students ({size:.1f} MB) in "
              f"{time.perf_counter() - start:.1f} s")

        def sqlite_db(name: str) -> Database:
            (folder / name).mkdir(exist_ok=True)
            return Database(sqlite_url(folder / name / "college.db"))

        lines += run_backend("sqlite", sqlite_db, paths, rows, backups=True)
        url = pg_url()
        if url is None:
            print("PostgreSQL skipped: set GRADPHOTO_BENCH_PG_URL (or GRADPHOTO_TEST_PG_URL) to a server")
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from tests.pg import drop_schema, fresh_schema_url

            schemas: list[str] = []

            def pg_db(name: str) -> Database:
                schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
                schemas.append(schema)
                os.environ["GRADPHOTO_DATA_DIR"] = str(folder / f"pg-{name}")
                return Database(fresh_schema_url(url, schema))

            try:
                lines += run_backend("postgresql", pg_db, paths, rows, backups=False)
            finally:
                for schema in schemas:
                    drop_schema(url, schema)
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
