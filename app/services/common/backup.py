"""Backups of a SQLite store: an online copy (SQLite backup API) plus the photo originals, kept N deep, restorable.

A backup is taken automatically before every roster import, schema migration and bundle merge, and on request.
Layout beside the database `gradphoto.db`:

  backups/gradphoto-20261123-160501-123456-before-import.db   consistent copy of the database (even in WAL mode)
  backups/photos/ab/ab12….jpg                                 hard links (or copies) of the stored originals

Photo originals are content-addressed and never change, so the photo pool is shared by all backups; a file is
dropped from it only when no kept backup refers to it. PostgreSQL stores are backed up by the server
(pg_dump); here they are reported as such, never silently skipped by a restore.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app.services.common.errors import describe
from app.services.common.files import os_reason

log = logging.getLogger(__name__)

DEFAULT_KEEP = 10
_STALE_PART_S = 600
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<label>[a-z0-9.-]+)\.db$")


def _private(path: Path, mode: int) -> None:
    """chmod on POSIX (a Windows profile is private already); a folder on a stick keeps no modes."""
    if os.name == "posix":
        try:
            path.chmod(mode)
        except OSError:
            pass


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why in Chinese."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: dt.datetime
    label: str
    size: int

    @property
    def label_text(self) -> str:
        labels = {
            "before-import": "导入花名册前",
            "before-bundle": "合并数据包前",
            "manual": "手动备份",
            "before-restore": "恢复备份前",
        }
        if self.label.startswith("before-migration"):
            return "数据库升级前"
        return labels.get(self.label, self.label)

    def describe(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}  {self.label_text}  {self.size / 1024 / 1024:.1f} MB  {self.path.name}"


@dataclass(frozen=True)
class IntegrityResult:
    ok: bool
    message: str
    last_good: BackupInfo | None = None
    damaged: bool = True  # False: the file could not be opened for a reason outside it (a full disk, a lock)


def keep_count() -> int:
    try:
        return max(1, int(os.environ.get("GRADPHOTO_BACKUP_KEEP", DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def sqlite_path_of(url_or_sessions) -> Path | None:
    """The database file behind a URL, an engine or a sessionmaker; None for PostgreSQL or in-memory stores."""
    target = url_or_sessions
    if hasattr(target, "kw"):  # sessionmaker
        target = target.kw.get("bind")
    if hasattr(target, "url"):  # engine
        target = target.url
    url = make_url(str(target)) if not hasattr(target, "get_backend_name") else target
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


class BackupService:
    """Backups of one SQLite database file and the photo folder beside it."""

    def __init__(
        self, db_path: Path | str, photos_root: Path | str | None = None, keep: int | None = None
    ) -> None:
        self.db_path = Path(db_path)
        self.photos_root = Path(photos_root) if photos_root is not None else self.db_path.parent / "photos"
        self.folder = self.db_path.parent / "backups"
        self.pool = self.folder / "photos"
        self.keep = keep or keep_count()

    # -- taking ------------------------------------------------------------------------------------------
    def create(self, label: str = "manual", protect: Path | None = None) -> BackupInfo | None:
        """Copy the database online and link the photo originals in; None when there is no database yet."""
        if not self.db_path.exists() or self.db_path.stat().st_size == 0:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        _private(self.folder, 0o700)
        for stale in self.folder.glob("*.db.part"):  # left by a backup that was killed half-way
            try:  # (not one another program is writing right now: only one untouched for ten minutes)
                if time.time() - stale.stat().st_mtime > _STALE_PART_S:
                    stale.unlink(missing_ok=True)
            except OSError:
                continue
        now = dt.datetime.now()
        target = self.folder / f"{self.db_path.stem}-{now:%Y%m%d-%H%M%S-%f}-{label}.db"
        tmp = target.with_name(target.name + ".part")
        try:
            src = _read_only(self.db_path)
            try:
                dst = sqlite3.connect(str(tmp))
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
            finally:
                src.close()
            _private(tmp, 0o600)  # names and 身份证号: readable by this user only
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            self._link_photos(target)
        except (sqlite3.Error, OSError) as exc:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"无法备份数据库到 {self.folder}：{self._reason(exc)}") from exc
        self.prune(protect)
        info = self._info(target)
        log.info("已备份数据库到 %s", target.name)
        return info

    def _link_photos(self, backup: Path) -> None:
        for stored in _stored_names(backup):
            source = self.photos_root / stored
            target = self.pool / stored
            if _linked(self.photos_root, stored) or _linked(self.pool, stored):
                continue
            if target.exists() or not source.is_file():
                continue
            _private_folders(self.pool, target.parent)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)

    # -- listing and pruning ---------------------------------------------------------------------------------
    def list(self) -> list[BackupInfo]:
        """Backups of this database, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob(f"{self.db_path.stem}-*.db"):
            info = self._info(path)
            if info is not None:
                found.append(info)
        return sorted(found, key=lambda b: b.taken_at, reverse=True)

    def _info(self, path: Path) -> BackupInfo | None:
        m = _NAME.match(path.name)
        if not m or m["stem"] != self.db_path.stem:
            return None
        taken = dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f")
        return BackupInfo(path, taken, m["label"], path.stat().st_size)

    def prune(self, protect: Path | None = None) -> None:
        """Keep the newest N backups (and `protect`, the one being restored); drop photos no kept backup needs."""
        backups = self.list()
        kept = backups[: self.keep]
        for old in backups[self.keep :]:
            if protect is not None and old.path == protect:
                kept.append(old)
                continue
            old.path.unlink(missing_ok=True)
        if not self.pool.is_dir():
            return
        wanted: set[str] = set()
        for info in kept:
            wanted |= _stored_names(info.path)
        for file in [*self.pool.glob("*/*"), *self.pool.glob("enrolment/*/*")]:
            if file.is_file() and file.relative_to(self.pool).as_posix() not in wanted:
                file.unlink(missing_ok=True)

    # -- checking and restoring -----------------------------------------------------------------------------
    def latest_good(self) -> BackupInfo | None:
        """The newest backup that passes `PRAGMA integrity_check`."""
        for info in self.list():
            if integrity_of(info.path) == "ok":
                return info
        return None

    def _reason(self, exc: BaseException) -> str:
        """SQLite says "disk I/O error" when the disk fills under a backup: say which it was."""
        text = str(exc).lower()
        spacey = getattr(exc, "errno", None) == errno.ENOSPC or "disk i/o" in text or "full" in text
        try:
            needed = self.db_path.stat().st_size + _FULL_BELOW
            if spacey and shutil.disk_usage(self.folder).free < needed:
                return "磁盘空间不足（未留下不完整的备份）"
        except OSError:
            pass
        return describe(exc) or str(exc)

    def check(self) -> IntegrityResult:
        """The start-up check: is the database intact? If not, which backup to go back to."""
        if not self.db_path.exists():
            return IntegrityResult(True, "数据库尚未建立")
        verdict = integrity_of(self.db_path)
        if verdict == "ok":
            return IntegrityResult(True, "数据库完整性检查通过")
        outside = _outside_trouble(self.db_path, verdict)
        if outside is not None:  # restoring a backup here would throw work away and cure nothing
            return IntegrityResult(False, outside, None, damaged=False)
        good = self.latest_good()
        hint = (
            f"可恢复到最近一次完好的备份：{good.describe()}（命令：backup restore {good.path.name}）"
            if good
            else "没有可用的备份，请联系技术人员"
        )
        return IntegrityResult(False, f"数据库 {self.db_path.name} 已损坏（{verdict[:200]}）。{hint}", good)

    def restore(self, backup: BackupInfo | Path | str) -> BackupInfo | None:
        """Put a backup back in place of the database (the current file is itself backed up first when readable).

        The caller must have closed every connection to the database. Returns the safety copy, if one was made.
        """
        path = backup.path if isinstance(backup, BackupInfo) else Path(backup)
        if not path.is_absolute() and not path.exists():
            path = self.folder / path
        if path.is_symlink():
            raise BackupError(f"{path.name} 是一个链接（符号链接），不是备份文件本身；为安全起见不恢复它")
        if not path.is_file():
            raise BackupError(f"找不到备份文件 {path.name}")
        verdict = integrity_of(path)
        if verdict != "ok":
            raise BackupError(f"备份 {path.name} 本身已损坏，不能用来恢复（{verdict[:200]}）")
        safety = None
        if self.db_path.exists() and integrity_of(self.db_path) == "ok":
            safety = self.create("before-restore", protect=path)
        tmp = self.db_path.with_name(self.db_path.name + ".restore.part")
        try:
            shutil.copyfile(path, tmp)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            for suffix in (
                "-wal",
                "-shm",
            ):  # a WAL of the broken file must not be replayed onto the restored one
                Path(str(self.db_path) + suffix).unlink(missing_ok=True)
            os.replace(tmp, self.db_path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"无法恢复备份 {path.name}：{os_reason(exc)}") from exc
        for stored in _stored_names(path):  # names checked: a crafted backup cannot point outside the stores
            target = self.photos_root / stored
            pooled = self.pool / stored
            if _linked(self.photos_root, stored) or _linked(self.pool, stored):
                log.warning("恢复时跳过链接 %s（不跟随链接）", stored)
                continue
            if not target.exists() and pooled.is_file():
                _private_folders(self.photos_root, target.parent)
                shutil.copy2(pooled, target, follow_symlinks=False)  # keeps the original's 0600
        log.info("已从备份 %s 恢复数据库", path.name)
        return safety


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; the URI form is percent-encoded, so Chinese, '#', '?' or a drive letter are safe."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def integrity_of(path: Path) -> str:
    """`PRAGMA integrity_check` of a database file: "ok" or the first problems found."""
    try:
        conn = _read_only(path)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"无法打开：{exc}"
    text = "; ".join(str(r[0]) for r in rows[:5])
    return "ok" if text == "ok" else text


_FULL_BELOW = (
    1 << 20
)  # free bytes under which SQLite cannot even open a store (it needs room for its WAL index)


def _outside_trouble(db_path: Path, verdict: str) -> str | None:
    """Why a store that is not known to be damaged cannot be opened: a full disk, a lock, no permission."""
    if not verdict.startswith("无法打开：") or any(
        word in verdict for word in ("malformed", "not a database", "corrupt")
    ):
        return None
    try:
        free = shutil.disk_usage(db_path.parent).free
    except OSError:
        free = None
    name = db_path.name
    if free is not None and free < _FULL_BELOW:
        return (
            f"磁盘空间已满，无法打开数据库 {name}（数据库本身没有损坏，不要恢复备份）。"
            f"请在 {db_path.parent} 所在的磁盘上腾出空间后重试"
        )
    if "locked" in verdict:
        return f"数据库 {name} 正被另一个程序占用，请关闭它后重试（数据库本身没有损坏）"
    if not os.access(db_path, os.R_OK) or not os.access(db_path.parent, os.W_OK):
        return f"没有权限打开数据库 {name} 或在它所在的文件夹中写入，请检查文件权限（数据库本身没有损坏）"
    return None


# What PhotoStore names a file: <first two hex digits>/<sha256><suffix>. Anything else in a database (a crafted
# backup's ../../outside/x) is not a photo of the store and is never joined to a path.
_STORED_NAME = re.compile(r"(?:enrolment/)?[0-9a-f]{2}/[0-9a-f]{64}(\.[^/\\:\x00-\x1f]{1,7})?")


def _linked(root: Path, stored: str) -> bool:
    """The file or any folder of it inside `root` (enrolment/, enrolment/ab/) is a link: never followed or
    written through."""
    parts = stored.split("/")
    return any((root.joinpath(*parts[: i + 1])).is_symlink() for i in range(len(parts)))


def _private_folders(root: Path, folder: Path) -> None:
    """Make `folder` and the folders between it and `root` (the store, or the backups' pool), each 0700 as it
    is made: photos and enrolment photos show faces, for this user alone."""
    missing = []
    while folder != root and not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    if not root.is_dir():
        missing.append(root)
    for made in reversed(missing):
        made.mkdir(parents=True, exist_ok=True)
        _private(made, 0o700)


def _stored_names(db_file: Path) -> set[str]:
    try:
        conn = _read_only(db_file)
        try:
            names = [r[0] for r in conn.execute("SELECT stored_name FROM photo")]
            try:  # the 待分配 tray's originals (a store from before migration 0006 has no such table)
                names += [r[0] for r in conn.execute("SELECT stored_name FROM pending_shot")]
            except sqlite3.Error:
                pass
            try:  # enrolment photos (identity pre-check; migration 0008)
                names += [r[0] for r in conn.execute("SELECT stored_name FROM enrolment_photo")]
            except sqlite3.Error:
                pass
            return {n for n in names if isinstance(n, str) and _STORED_NAME.fullmatch(n)}
        finally:
            conn.close()
    except sqlite3.Error:
        return set()


def service_for(url_or_sessions, keep: int | None = None) -> BackupService | None:
    """The backup service of a SQLite store (None for PostgreSQL: the server's own backups apply)."""
    path = sqlite_path_of(url_or_sessions)
    return BackupService(path, keep=keep) if path is not None else None


def before_change(url_or_sessions, label: str) -> BackupInfo | None:
    """The automatic backup before an import, migration or merge; a no-op for PostgreSQL stores."""
    service = service_for(url_or_sessions)
    if service is None:
        return None
    return service.create(label)


def startup_check(url: str) -> IntegrityResult:
    """Run at start-up before opening the store: intact, or the clear way back to the last good backup."""
    service = service_for(url)
    if service is None:
        return IntegrityResult(True, "PostgreSQL 数据库由服务器负责完整性与备份")
    return service.check()
