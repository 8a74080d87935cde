"""Shared fixtures: offscreen Qt, a temp data folder, a fresh migrated store per test.

The `db` fixture runs each service test twice: on a fresh SQLite file and on a fresh PostgreSQL schema.
PostgreSQL comes from GRADPHOTO_TEST_PG_URL when set, else from a throw-away cluster that tests/pg.py
starts on loopback wherever the server binaries are installed; where they are not, those runs skip and
the session ends with one loud line saying so. GUI tests (tests/ui) stay on SQLite and carry the `gui`
mark, so `-m gui` and `-m "not gui"` split the suite.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.pg import PG_ENV, ClusterError, drop_schema, fresh_schema_url, server_bindir, start_cluster

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
# The shared photographs; GRADPHOTO_TEST_FACES points elsewhere (a missing folder shows the suite skips cleanly).
SHARED_FACES = Path(os.environ.get("GRADPHOTO_TEST_FACES") or REPO_ROOT.parent / "shared" / "faces")
UI_TESTS = Path(__file__).resolve().parent / "ui"

_pg_state: dict[str, str] = {}


def needs_faces(*names: str) -> pytest.MarkDecorator:
    """Skip, with the reason, unless these photos of ../shared/faces are present."""
    missing = [n for n in names if not (SHARED_FACES / n).is_file()]
    return pytest.mark.skipif(
        bool(missing),
        reason=f"../shared/faces not present ({SHARED_FACES}): "
        f"{', '.join(missing[:2])}{' …' if len(missing) > 2 else ''}",
    )


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames and not Path(str(metafunc.definition.path)).is_relative_to(
        UI_TESTS
    ):
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"])


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.path)).is_relative_to(UI_TESTS):
            item.add_marker(pytest.mark.gui)


def pytest_terminal_summary(terminalreporter):
    reason = _pg_state.get("skipped")
    if reason:
        terminalreporter.write_line(f"!!! PostgreSQL test runs were SKIPPED: {reason}", red=True, bold=True)
    elif "url" in _pg_state:
        terminalreporter.write_line(f"PostgreSQL test runs used {_pg_state['where']}")


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication():
    """One QApplication for the whole run, created first: a CLI test that paints a PDF would otherwise
    create a bare QGuiApplication, and every widget test after it would abort."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    yield app
    # The offscreen (and minimal) platform keeps the clipboard's QMimeData in a static object that is destroyed
    # after Python has shut down, and the process then dies with SIGSEGV (exit 139) although every test passed:
    # a run that copied anything (Ctrl+C in a table) must empty the clipboard while Qt and Python are alive.
    # Windows' and X11's clipboards own their data themselves and do not crash: this is the tests' platform only.
    app.clipboard().clear()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    data = tmp_path_factory.mktemp("gradphoto-data")
    monkeypatch.setenv("GRADPHOTO_DATA_DIR", str(data))
    monkeypatch.setenv("GRADPHOTO_OPERATOR", "测试员")
    return data


@pytest.fixture(scope="session")
def pg_base_url():
    """A PostgreSQL server for the run: the one named by GRADPHOTO_TEST_PG_URL, or a throw-away cluster."""
    if os.environ.get(PG_ENV):
        _pg_state.update(url=os.environ[PG_ENV], where=f"the server named by {PG_ENV}")
        yield os.environ[PG_ENV]
        return
    bindir = server_bindir()
    if bindir is None:
        _pg_state["skipped"] = (
            "no PostgreSQL server binaries found (initdb, pg_ctl, postgres); "
            "install the postgresql package or set " + PG_ENV
        )
        pytest.skip(_pg_state["skipped"])
    try:
        cluster = start_cluster(bindir)
    except (ClusterError, OSError, LookupError) as exc:  # LookupError: no `postgres` user to run it as
        _pg_state["skipped"] = f"the throw-away PostgreSQL server did not start: {exc}"
        pytest.skip(_pg_state["skipped"])
    _pg_state.update(url=cluster.url, where=f"a throw-away cluster from {bindir} on 127.0.0.1")
    yield cluster.url
    cluster.stop()


@pytest.fixture
def db_backend() -> str:
    """Overridden by the parametrisation above outside tests/ui."""
    return "sqlite"


@pytest.fixture
def db_url(request, db_backend, tmp_path):
    """A URL to an empty store: a new SQLite file, or a new schema on the test PostgreSQL server."""
    if db_backend == "sqlite":
        from app.db import sqlite_url

        yield sqlite_url(tmp_path / "test.db")
        return
    base = request.getfixturevalue("pg_base_url")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    yield fresh_schema_url(base, schema)
    drop_schema(base, schema)


@pytest.fixture
def db(db_url):
    from app.db import Database

    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def station(db):
    from app.services.roster.stations import StationData, StationService

    return StationService(db.sessions, "测试员").create(
        StationData(name="洛阳函授站", school_name="郑州大学", school_code="10459")
    )


@pytest.fixture
def importer(db):
    from app.services.roster.importer import RosterImporter

    return RosterImporter(db.sessions, "测试员")


@pytest.fixture
def roster_service(db):
    from app.services.roster.service import RosterService

    return RosterService(db.sessions, "测试员")


def mounted_tmpfs(mount, size: str):
    """A tmpfs of `size` at `mount` (needs root and mount rights; the test is skipped otherwise)."""
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)  # lazy: a store a failed test left open


@pytest.fixture
def small_disk(tmp_path):
    """A 96 KiB tmpfs: one export file does not fit."""
    yield from mounted_tmpfs(tmp_path / "disk", "96k")
