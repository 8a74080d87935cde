"""Engine and session factory from a URL; SQLite pragmas; Alembic upgrade at start-up."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.services.common.backup import BackupService

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for SQLite (default) or PostgreSQL; same code either way."""
    # hide_parameters: an error's text never carries the row's values (a full 身份证号) to a terminal or log.
    engine = create_engine(url, future=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL keeps readers unblocked while a background import writes; FULL sync so a
    # committed import survives a power cut on a station laptop.
    # The busy timeout first: switching a new file to WAL needs a moment of exclusive access, and another
    # program creating the same store at that moment made it fail at once with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    for attempt in range(50):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        # configparser treats % as interpolation: a URL-encoded password or option must be escaped.
        url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def backup_sqlite_file(db_path: Path, label: str) -> Path:
    """Copy a SQLite database with the online backup API (consistent even in WAL mode)."""
    backup_dir = db_path.parent / "backups"
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"{db_path.stem}-{stamp}-{label}.db"
    tmp = target.with_suffix(".db.part")
    src = sqlite3.connect(str(db_path))
    try:
        dst = sqlite3.connect(str(tmp))
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    tmp.replace(target)
    return target


_MIGRATE_ATTEMPTS = 6


def upgrade_database(engine: Engine) -> Path | None:
    """Bring the schema to head; back up an existing SQLite file first. Returns the backup path."""
    backup: Path | None = None
    current = current_revision(engine)
    if current == head_revision():
        return None
    url = make_url(str(engine.url))
    if (
        engine.dialect.name == "sqlite"
        and url.database
        and url.database != ":memory:"
        and current is not None
    ):
        db_path = Path(url.database)
        if db_path.exists() and db_path.stat().st_size > 0:
            info = BackupService(db_path).create(f"before-migration-{head_revision()}")
            backup = info.path if info is not None else None
            log.info("数据库升级前已备份到 %s", backup)
    for attempt in range(1, _MIGRATE_ATTEMPTS + 1):
        try:
            with engine.begin() as conn:
                cfg = alembic_config(engine)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            return backup
        except DBAPIError as exc:
            # Two programs opening a new store at once both start to create it; the one that lost sees
            # "table … already exists" (or waits out the other's lock). The winner's schema is the same.
            text = str(exc.orig or exc).lower()
            if "already exists" not in text and "locked" not in text and "duplicate" not in text:
                raise
            if current_revision(engine) == head_revision():
                return backup
            if attempt == _MIGRATE_ATTEMPTS:
                raise
            time.sleep(0.2 * attempt)
    return backup


class Database:
    """One store: an engine plus a session factory, migrated on open."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.backup_path = upgrade_database(self.engine) if migrate else None
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self._make_private()

    def _make_private(self) -> None:
        """The SQLite file (and its WAL/SHM companions) readable by its user only, on POSIX."""
        path = self.sqlite_path
        if path is None or os.name != "posix":
            return
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            try:
                if p.exists():
                    p.chmod(0o600)
            except OSError:
                pass

    @property
    def sqlite_path(self) -> Path | None:
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database)
        return None

    def dispose(self) -> None:
        self.engine.dispose()
