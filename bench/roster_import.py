"""Roster import benchmark: 20,000 rows, read + validate + write, against a bare openpyxl read.

Target (issue 2): import + validation of 20,000 rows in at most 4 s on the 2-core machine.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import Database, sqlite_url
from app.services.roster.demo import make_students, write_roster_xlsx
from app.services.roster.importer import RosterImporter
from app.services.roster.stations import StationData, StationService

ROWS = 20_000
RUNS = 3


def bare_openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in wb.active.iter_rows(values_only=True))
    wb.close()
    return count


def full_import(path: Path, folder: Path, run: int) -> tuple[float, float, int]:
    db = Database(sqlite_url(folder / f"bench-{run}.db"))
    station = StationService(db.sessions).create(StationData(name="基准测试站", school_name="郑州大学",
                                                             school_code="10459"))
    importer = RosterImporter(db.sessions, "bench")
    start = time.perf_counter()
    roster = importer.read(path)
    read_s = time.perf_counter() - start
    report = importer.apply(roster, station.id)
    total = time.perf_counter() - start
    db.dispose()
    return total, read_s, report.imported


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_roster_xlsx(folder / "roster20k.xlsx", make_students(ROWS))
        print(f"workbook: {ROWS} rows, {path.stat().st_size / 1e6:.1f} MB")
        baseline, imports, reads = [], [], []
        for run in range(RUNS):
            start = time.perf_counter()
            n = bare_openpyxl_read(path)
            baseline.append(time.perf_counter() - start)
            total, read_s, imported = full_import(path, folder, run)
            assert imported == ROWS, imported
            imports.append(total)
            reads.append(read_s)
            print(f"run {run + 1}: openpyxl read-only {baseline[-1]:.2f} s ({n} rows); "
                  f"GradPhoto import {total:.2f} s (of which reading {read_s:.2f} s)")
        base = statistics.median(baseline)
        ours = statistics.median(imports)
        print(f"target: import + validation <= 4.0 s -> {'met' if ours <= 4.0 else 'MISSED'}")
        print(f"BENCH roster_read_calamine {statistics.median(reads):.2f} s "
              f"(baseline {base:.2f} s, ratio {statistics.median(reads) / base:.2f})")
        print(f"BENCH roster_import_20k {ours:.2f} s (baseline {base:.2f} s, ratio {ours / base:.2f})")


if __name__ == "__main__":
    main()
