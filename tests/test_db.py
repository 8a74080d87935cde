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


def test_0005_turns_photos_accepted_despite_a_failure_into_overrides(tmp_path):
    """A store from before issue 12 (made by going down to 0004): photos accepted over a failed check
    become 仍接受 with a stated reason on the way up; plain accepted photos stay accepted."""
    import sqlite3

    from alembic import command

    from app.models import Photo, Station, Student

    path = tmp_path / "old.db"
    db = Database(sqlite_url(path))
    with db.sessions.begin() as s:
        station = Station(name="站", school_name="校", school_code="10459")
        s.add(station)
        s.flush()
        for n, status in ((1, "fail"), (2, "ok")):
            st = Student(
                station_id=station.id,
                shot_no=n,
                name=f"学生{n}",
                sex="男",
                id_number=f"id{n}",
                student_no=f"2023{n}",
                photo_state="accepted",
            )
            s.add(st)
            s.flush()
            s.add(
                Photo(
                    student_id=st.id,
                    sha256=f"x{n}",
                    stored_name=f"x{n}.jpg",
                    qc_status=status,
                    review="accepted",
                )
            )
    command.downgrade(dbmod.alembic_config(db.engine), "0004")
    command.upgrade(dbmod.alembic_config(db.engine), "head")
    db.dispose()
    with sqlite3.connect(path) as conn:
        states = conn.execute("SELECT shot_no, photo_state FROM student ORDER BY shot_no").fetchall()
        reasons = conn.execute("SELECT sha256, override_reason FROM photo ORDER BY sha256").fetchall()
    assert states == [(1, "override"), (2, "accepted")]
    assert reasons[0][1].startswith("升级前已由操作员确认仍接受") and reasons[1][1] == ""
