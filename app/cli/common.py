"""What every subcommand shares: opening the store and naming the operator."""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy.exc import DatabaseError

from app.db import Database
from app.logging_setup import mask_id_numbers
from app.paths import default_db_url
from app.services.common.audit import default_operator
from app.services.common.backup import startup_check
from app.services.common.errors import describe
from app.services.roster.stations import StationService

_opened: list[Database] = []


def open_database(url: str | None) -> Database:
    """The store named by --db, GRADPHOTO_DB or the default; closed by close_databases() when the command ends."""
    url = url or os.environ.get("GRADPHOTO_DB") or default_db_url()
    result = startup_check(url)  # a damaged SQLite file: say so and the way back, before touching it
    if not result.ok:
        raise CliError(
            result.message.replace("（命令：backup restore", "（命令：python main.py backup restore")
        )
    try:
        db = Database(url)
    except DatabaseError as exc:
        known = describe(exc)  # a full disk or a lock is not damage: no restore offered for it
        raise CliError(
            f"无法打开数据库：{known}"
            if known and "backup restore" not in known
            else f"无法打开数据库：{mask_id_numbers(str(exc.orig or exc))[:200]}；可用 backup restore 恢复备份"
        ) from None
    _opened.append(db)
    return db


def close_databases() -> None:
    """Close every store a command opened (its connections, and a PostgreSQL server's sockets)."""
    while _opened:
        _opened.pop().dispose()


def operator_name() -> str:
    return os.environ.get("GRADPHOTO_OPERATOR") or default_operator()


class CliError(Exception):
    """A command that cannot go on; main() prints the Chinese message to stderr and exits with `code`."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def station_id_by_name(db: Database, name: str | None) -> int | None:
    """The id of the named station, None when no name was given; CliError when there is no such station."""
    if not name:
        return None

    station = StationService(db.sessions).find(name)
    if station is None:
        raise CliError(f"没有名为“{name}”的学习中心")
    return station.id


class Progress:
    """Progress on stderr, a line per 10 %; Ctrl+C cancels (nothing half-written stays)."""

    def __init__(self, what: str) -> None:
        self.what, self.last, self.t0 = what, -1, time.monotonic()

    def progress(self, done: int, total: int) -> None:
        pct = done * 100 // max(1, total)
        if pct // 10 != self.last // 10 or done == total:
            self.last = pct
            print(
                f"{self.what} {done}/{total} {pct:3d}%  {time.monotonic() - self.t0:.1f} 秒",
                file=sys.stderr,
                flush=True,
            )

    __call__ = progress  # for services that take a plain progress callback

    def cancelled(self) -> bool:
        return False
