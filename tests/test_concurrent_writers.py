"""Issue 13: two clerks import two class lists into one new station at the same moment, as two real
processes, on SQLite and on PostgreSQL: both get every row in, with distinct 拍摄序号, and no traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from app.models import Station, Student
from tests.roster_files import students, write_xlsx

REPO = Path(__file__).resolve().parent.parent

WORKER = """
import sys, time
from pathlib import Path
from main import main
import app.services.roster.importer, app.services.roster.reader, app.cli.roster  # loaded before the line
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
sys.exit(main(["roster", "import", sys.argv[1], "--station", "同时导入站", "--db", sys.argv[2]]))
"""


def test_two_imports_at_once_both_succeed(db, tmp_path):
    rows = students(300, seed=7)
    a = write_xlsx(tmp_path / "a.xlsx", rows[:150])
    b = write_xlsx(tmp_path / "b.xlsx", rows[150:])
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(f), db.url, str(go)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in (a, b)
    ]
    time.sleep(4)  # both have loaded everything they need and wait at the line
    go.touch()
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert "Traceback" not in err and "新增 150 人" in out
    with db.sessions() as s:
        station = s.scalars(select(Station).where(Station.name == "同时导入站")).one()
        shots = list(s.scalars(select(Student.shot_no).where(Student.station_id == station.id)))
    assert len(shots) == 300 and sorted(shots) == list(range(1, 301))
