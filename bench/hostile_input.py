"""Hostile input: each bomb is refused in a fresh process; time and peak memory beside a normal import.

Cases (all made here, by tests/hostile_data.py, the same makers the tests use): a workbook with one cell at
XFD1048576, a workbook whose sheet holds 512 MB of whitespace (0.7 MB packed), the five workbook bombs an attack
found (other quotes, rows without references, a moved sheet, a 4e9 string count, a 30-million-cell area), a
30000x30000 PNG (~100 KB), a 30000x30000 progressive JPEG (a few hundred bytes), and, as the baseline, a normal
2,000-row roster imported into a new store. Memory is the process's peak RSS minus its RSS after the imports.
Target (issue 13): each bomb under 1 s and 200 MB.
Run: .venv/bin/python bench/hostile_input.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

RUNNER = r"""
import resource, sys, time
from pathlib import Path
kind, path, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
from app.db import Database, sqlite_url
from app.services.photo import PhotoLoadError, load_photo
from app.services.roster.importer import RosterImporter
from app.services.roster.reader import RosterReadError, read_roster
from app.services.roster.stations import StationData, StationService
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
outcome = ""
if kind == "image":
    try:
        load_photo(path, min_long_side=640)
        outcome = "decoded"
    except PhotoLoadError as e:
        outcome = str(e)[:40]
elif kind == "roster":
    try:
        read_roster(path)
        outcome = "read"
    except RosterReadError as e:
        outcome = str(e)[:40]
else:
    db = Database(sqlite_url(folder / "normal.db"))
    station = StationService(db.sessions).create(StationData(name="基准站", school_name="郑州大学", school_code="10459"))
    report = RosterImporter(db.sessions, "bench", backup=False).import_file(path, station.id)
    outcome = report.summary()
seconds = time.perf_counter() - t0
print(f"{seconds:.3f} {(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024:.1f} {outcome}")
"""


def main() -> int:
    from app.services.roster.demo import make_students, write_roster_xlsx
    from tests.hostile_data import (
        WORKBOOK_BOMBS,
        csv_comma_bomb,
        csv_newline_bomb,
        ods_bomb,
        patched_workbook,
        png_bomb,
        progressive_jpeg_bomb,
        whitespace_workbook,
        xfd_workbook,
        xls_bomb,
    )

    folder = Path(tempfile.mkdtemp(prefix="gradphoto-hostile-"))
    normal = write_roster_xlsx(folder / "normal.xlsx", make_students(2000, school_name="郑州大学", school_code="10459"))
    small = write_roster_xlsx(folder / "small.xlsx", make_students(2, school_name="郑州大学", school_code="10459"))
    cases = [
        ("normal_import_2000_rows", "normal", normal),
        ("xlsx_cell_at_XFD1048576", "roster", xfd_workbook(folder / "xfd.xlsx")),
        ("xlsx_512MB_whitespace", "roster", whitespace_workbook(normal, folder / "spaces.xlsx")),
    ]
    for name, change in WORKBOOK_BOMBS.items():
        cases.append((f"xlsx_{Path(name).stem}", "roster", patched_workbook(small, folder / name, change)))
    cases += [
        ("xls_cell_at_IV65536", "roster", xls_bomb(folder / "bomb.xls")),
        ("ods_20M_repeated_cells", "roster", ods_bomb(folder / "bomb.ods")),
        ("csv_40MB_newlines", "roster", csv_newline_bomb(folder / "newlines.csv")),
        ("csv_40MB_commas", "roster", csv_comma_bomb(folder / "commas.csv")),
        ("png_30000x30000", "image", png_bomb(folder / "bomb.png")),
        ("progressive_jpeg_30000x30000", "image", progressive_jpeg_bomb(folder / "bomb.jpg")),
    ]
    results = {}
    for name, kind, path in cases:
        out = subprocess.run([sys.executable, "-c", RUNNER, kind, str(path), str(folder)], cwd=REPO,
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            print(f"{name}: process failed ({out.returncode}): {out.stderr[-300:]}")
            results[name] = (float("nan"), float("nan"))
            continue
        seconds, mb, outcome = out.stdout.strip().split(" ", 2)
        results[name] = (float(seconds), float(mb))
        size = path.stat().st_size
        print(f"{name}: {float(seconds) * 1000:.0f} ms, +{float(mb):.0f} MB peak, file {size / 1024:.0f} KB → {outcome}")
    base_s, base_mb = results["normal_import_2000_rows"]
    for name, (s, mb) in results.items():
        if name == "normal_import_2000_rows":
            continue
        print(f"BENCH {name}_ms {s * 1000:.1f} ms (baseline {base_s * 1000:.1f} ms, ratio {s / base_s:.4f})")
        print(f"BENCH {name}_peak_mb {mb:.1f} MB (baseline {max(base_mb, 0.1):.1f} MB, ratio {mb / max(base_mb, 0.1):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
