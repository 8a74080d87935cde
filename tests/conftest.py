"""Shared fixtures: offscreen Qt, a temp data folder, a fresh migrated store per test."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_FACES = REPO_ROOT.parent / "shared" / "faces"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    data = tmp_path_factory.mktemp("gradphoto-data")
    monkeypatch.setenv("GRADPHOTO_DATA_DIR", str(data))
    monkeypatch.setenv("GRADPHOTO_OPERATOR", "测试员")
    return data


@pytest.fixture
def db(tmp_path):
    from app.db import Database, sqlite_url

    database = Database(sqlite_url(tmp_path / "test.db"))
    yield database
    database.dispose()


@pytest.fixture
def station(db):
    from app.services.stations import StationData, StationService

    return StationService(db.sessions, "测试员").create(
        StationData(name="洛阳函授站", school_name="郑州大学", school_code="10459"))


@pytest.fixture
def importer(db):
    from app.services.roster_import import RosterImporter

    return RosterImporter(db.sessions, "测试员")


@pytest.fixture
def roster_service(db):
    from app.services.roster import RosterService

    return RosterService(db.sessions, "测试员")
