import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app import db as dbmod
from app.db import Database, current_revision, head_revision, sqlite_url
from app.models import Base


def test_migrations_build_exactly_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(db.engine) == head_revision()


def test_sqlite_runs_in_wal_with_foreign_keys(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrade_backs_up_an_existing_database_first(tmp_path, monkeypatch):
    path = tmp_path / "g.db"
    first = Database(sqlite_url(path))
    assert first.backup_path is None  # a new database has nothing to back up
    first.dispose()
    real_head = head_revision()
    monkeypatch.setattr(dbmod, "head_revision", lambda: "9999")
    second = Database(sqlite_url(path))
    assert second.backup_path is not None and second.backup_path.exists()
    assert second.backup_path.parent == tmp_path / "backups"
    import sqlite3

    with sqlite3.connect(second.backup_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == real_head
