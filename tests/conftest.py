"""Shared fixtures: offscreen Qt, a temp data folder, a fresh migrated store per test.

The `db` fixture runs each service test twice: on a fresh SQLite file and on a fresh PostgreSQL
schema when GRADPHOTO_TEST_PG_URL names a server (`.ci/run` starts one); without it the
PostgreSQL runs are skipped. GUI tests (tests/ui) stay on SQLite.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_FACES = REPO_ROOT.parent / "shared" / "faces"
PG_ENV = "GRADPHOTO_TEST_PG_URL"


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames and "ui" not in Path(str(metafunc.definition.path)).parts:
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"])


@pytest.fixture(scope="session", autouse=True)
def _one_qapplication():
    """One QApplication for the whole run, created first: a CLI test that paints a PDF would otherwise
    create a bare QGuiApplication, and every widget test after it would abort."""
    from PySide6.QtWidgets import QApplication

    yield QApplication.instance() or QApplication([])


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    data = tmp_path_factory.mktemp("gradphoto-data")
    monkeypatch.setenv("GRADPHOTO_DATA_DIR", str(data))
    monkeypatch.setenv("GRADPHOTO_OPERATOR", "测试员")
    return data


@pytest.fixture
def db_backend() -> str:
    """Overridden by the parametrisation above outside tests/ui."""
    return "sqlite"


@pytest.fixture
def db_url(db_backend, tmp_path):
    """A URL to an empty store: a new SQLite file, or a new schema on the test PostgreSQL server."""
    if db_backend == "sqlite":
        from app.db import sqlite_url

        yield sqlite_url(tmp_path / "test.db")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured ({PG_ENV} unset)")
    from tests.pg import drop_schema, fresh_schema_url

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
        StationData(name="洛阳函授站", school_name="郑州大学", school_code="10459"))


@pytest.fixture
def importer(db):
    from app.services.roster.importer import RosterImporter

    return RosterImporter(db.sessions, "测试员")


@pytest.fixture
def roster_service(db):
    from app.services.roster.service import RosterService

    return RosterService(db.sessions, "测试员")
