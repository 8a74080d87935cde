"""SIGKILL in the middle of a 20,000-row import and of a bundle merge, many times: the database stays intact
(`PRAGMA integrity_check` = ok) and holds either everything from before or everything after, never a part."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.db import Database, sqlite_url
from app.services.roster.stations import StationData, StationService
from tests.bundle_data import make_station_store
from tests.conftest import REPO_ROOT
from tests.roster_files import students, write_csv

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL"),
]
ROWS = 20_000


def _copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
        if Path(str(src) + suffix).exists():
            shutil.copyfile(str(src) + suffix, str(dst) + suffix)


def _state(path: Path) -> tuple[str, int, int, int]:
    """(integrity, students, import/merge audit events, photos) read by plain sqlite3, as after a power cut."""
    conn = sqlite3.connect(path)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        students_n = conn.execute("SELECT count(*) FROM student").fetchone()[0]
        events = conn.execute(
            "SELECT count(*) FROM audit_event WHERE action IN ('import', 'bundle-import')"
        ).fetchone()[0]
        photos = conn.execute("SELECT count(*) FROM photo").fetchone()[0]
        return verdict, students_n, events, photos
    finally:
        conn.close()


def _run_and_kill(args: list[str], rng: random.Random, duration: float, in_write: bool) -> str:
    """Start the worker; kill it at a random moment (of the whole run, or after it starts writing)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout.readline().strip() == "reading"
        if in_write:
            line = proc.stdout.readline().strip()
            if line != "writing":
                return "finished-early"
            time.sleep(rng.uniform(0, duration))
        else:
            time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
    return "killed" if proc.returncode == -signal.SIGKILL else f"exit {proc.returncode}"


def _timed_run(args: list[str]) -> tuple[float, float]:
    """A full run: seconds from 'reading' to the end, and from 'writing' to the end."""
    with subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", *args], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout.readline().strip() == "reading"
        start = time.perf_counter()
        assert proc.stdout.readline().strip() == "writing"
        writing = time.perf_counter()
        assert proc.stdout.readline().startswith("done")
        end = time.perf_counter()
        assert proc.wait(timeout=60) == 0
    return end - start, end - writing


def _kill_many(pristine: Path, work: Path, args: list[str], before: int, after: int, kills: int) -> list[str]:
    rng = random.Random(20261123)
    base_events = _state(pristine)[2]
    _copy_db(pristine, work)
    total, write = _timed_run(args)
    done = _state(work)
    assert done[0] == "ok" and done[1] == after and done[2] > base_events
    outcomes = []
    for i in range(kills):
        _copy_db(pristine, work)
        in_write = i % 2 == 1
        # Whole-run kills may also land just after the commit (that must read as "after", complete).
        how = _run_and_kill(args, rng, write if in_write else total * 1.2, in_write)
        verdict, count, events, _ = _state(work)
        assert verdict == "ok", verdict
        assert (count, events) in ((before, base_events), (after, done[2])), (how, count, events)
        outcomes.append(f"{how}:{'after' if count == after else 'before'}")
    return outcomes


def test_sigkill_during_a_20000_row_import(tmp_path):
    rows = students(ROWS + 50, seed=5)
    path = write_csv(tmp_path / "roster.csv", rows[50:])
    pristine = tmp_path / "pristine.db"
    db = Database(sqlite_url(pristine))
    station = StationService(db.sessions, "测试员").create(StationData(name="崩溃测试站"))
    from app.services.roster.importer import RosterImporter

    RosterImporter(db.sessions, "测试员", backup=False).import_file(
        write_csv(tmp_path / "first.csv", rows[:50]), station.id
    )
    db.dispose()
    work = tmp_path / "work.db"
    outcomes = _kill_many(
        pristine,
        work,
        ["import", sqlite_url(work), str(station.id), str(path)],
        before=50,
        after=50 + ROWS,
        kills=6,
    )
    print("import kills:", outcomes)
    assert sum(o.startswith("killed") for o in outcomes) >= 3  # a whole-run kill may come after the end


def test_sigkill_during_a_bundle_merge(tmp_path):
    station = make_station_store(tmp_path / "station", count=1500, photos=3)
    from app.paths import photo_store_for
    from app.services.exchange.bundle import export_station

    bundle = tmp_path / "b.zip"
    export_station(station.sessions, photo_store_for(station), "洛阳函授站", bundle)
    station.dispose()
    college = tmp_path / "college"
    college.mkdir()
    pristine = college / "pristine.db"
    db = Database(sqlite_url(pristine))
    StationService(db.sessions).create(StationData(name="另一个站"))
    db.dispose()
    work = college / "work.db"
    outcomes = _kill_many(
        pristine, work, ["merge", sqlite_url(work), str(bundle)], before=0, after=1500, kills=6
    )
    print("merge kills:", outcomes)
    assert sum(o.startswith("killed") for o in outcomes) >= 3  # a whole-run kill may come after the end
