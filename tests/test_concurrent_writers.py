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


MERGER = """
import sys, time
from pathlib import Path
from main import main
import app.services.exchange.merge, app.services.exchange.bundle, app.cli.bundle  # loaded before the line
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
sys.exit(main(["bundle", "import", sys.argv[1], "--db", sys.argv[2], "--prefer", "bundle"]))
"""


def _at_once(script: str, args_list: list[list[str]], go: Path) -> list[tuple[int, str, str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args, str(go)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in args_list
    ]
    time.sleep(4)
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    return [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs)]


def test_two_bundle_merges_at_once_both_succeed(db, tmp_path):
    """Found by the second attack: two merges of one bundle into a store without its station, at once, ended
    2 times in 3 with a raw UNIQUE constraint failed: station.name. Now the second plans again."""
    from app.paths import photo_store_for
    from app.services.exchange.bundle import export_station
    from tests.bundle_data import STATION, make_station_store

    station = make_station_store(tmp_path / "station", count=40, photos=2)
    bundle = tmp_path / "b.gpbundle.zip"
    export_station(station.sessions, photo_store_for(station), STATION, bundle, "站点员")
    station.dispose()
    results = _at_once(MERGER, [[str(bundle), db.url], [str(bundle), db.url]], tmp_path / "go")
    for code, _out, err in results:
        assert code == 0, err
        assert "Traceback" not in err and "IntegrityError" not in err
    with db.sessions() as s:
        assert len(list(s.scalars(select(Student.id)))) == 40


OPENER = """
import sys, time
from pathlib import Path
import app.db  # loaded before the line
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
app.db.Database(sys.argv[1]).dispose()
print("opened")
"""


def test_two_programs_creating_one_new_store_at_once_both_open_it(tmp_path):
    """Found by the second attack: the loser saw "table audit_event already exists" and was told to restore a
    backup. Three rounds, two processes each, on a store file that does not exist yet."""
    for round_no in range(3):
        url = f"sqlite:///{tmp_path / f'new{round_no}.sqlite'}"
        results = _at_once(OPENER, [[url], [url]], tmp_path / f"go{round_no}")
        for code, out, err in results:
            assert code == 0 and out.strip() == "opened", err[-500:]
