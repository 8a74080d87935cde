"""`backup list|create|restore|check`: the SQLite store's backups, for IT staff and the start-up path back."""

from __future__ import annotations

import argparse
import os
import sys

from app.paths import default_db_url


def register(subparsers) -> None:
    backup = subparsers.add_parser("backup", help="数据库备份：列出、创建、恢复、完整性检查")
    sub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    for name, help_text, func in (
        ("list", "列出备份（最新在前）", run_list),
        ("create", "立即备份数据库与照片原图", run_create),
        ("check", "完整性检查（PRAGMA integrity_check）", run_check),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", metavar="URL")
        p.set_defaults(func=func)
    restore = sub.add_parser("restore", help="用备份替换当前数据库（当前数据库先另行备份）")
    restore.add_argument("backup", nargs="?", metavar="NAME", help="备份文件名（默认：最近一次完好的备份）")
    restore.add_argument("--db", metavar="URL")
    restore.set_defaults(func=run_restore)


def _service(args):
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.common.backup import service_for

    url = args.db or os.environ.get("GRADPHOTO_DB") or default_db_url()
    service = service_for(url)
    if service is None:
        print("PostgreSQL 数据库请用服务器的备份工具（pg_dump / pg_restore）", file=sys.stderr)
    return service


def run_list(args: argparse.Namespace) -> int:
    service = _service(args)
    if service is None:
        return 1
    backups = service.list()
    if not backups:
        print("还没有备份")
    for info in backups:
        print(info.describe())
    return 0


def run_create(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.common.backup import BackupError

    service = _service(args)
    if service is None:
        return 1
    try:
        info = service.create("manual")
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if info is None:
        print("错误：数据库文件不存在，无需备份", file=sys.stderr)
        return 1
    print(f"已备份：{info.describe()}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    service = _service(args)
    if service is None:
        return 1
    result = service.check()
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def run_restore(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.common.backup import BackupError

    service = _service(args)
    if service is None:
        return 1
    target = args.backup or service.latest_good()
    if target is None:
        print("错误：没有完好的备份可以恢复", file=sys.stderr)
        return 1
    try:
        safety = service.restore(target)
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    name = target.path.name if hasattr(target, "path") else str(target)
    print(f"已从备份 {name} 恢复数据库" + (f"；恢复前的数据库另存为 {safety.path.name}" if safety else ""))
    return 0
