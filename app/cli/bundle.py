"""`bundle export` and `bundle import`: station bundles between a station's store and the college's."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from app.cli.common import open_database, operator_name
from app.paths import photo_store_for
from app.services.common.files import WriteError, atomic_open, open_no_follow
from app.services.common.values import csv_safe

EXIT_CONFLICTS = 3
_CHOICES = {
    "local": "local",
    "本地": "local",
    "保留本地": "local",
    "bundle": "bundle",
    "数据包": "bundle",
    "采用数据包": "bundle",
}


def register(subparsers) -> None:
    bundle = subparsers.add_parser("bundle", help="学习中心数据包：导出、导入合并")
    sub = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)

    exp = sub.add_parser("export", help="把一个学习中心导出为数据包（.zip）")
    exp.add_argument("--station", required=True, metavar="NAME")
    exp.add_argument("--out", required=True, metavar="FILE")
    exp.add_argument("--db", metavar="URL")
    exp.add_argument(
        "--encrypt",
        action="store_true",
        help="用口令加密（口令取自 --passphrase-file、环境变量 GRADPHOTO_BUNDLE_PASSPHRASE，或提示输入）",
    )
    exp.add_argument("--passphrase-file", metavar="FILE", help="口令文件（第一行）；口令从不写在命令行上")
    exp.set_defaults(func=run_export)

    imp = sub.add_parser("import", help="导入并合并数据包；冲突须用 --prefer 或 --decisions 决定")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--db", metavar="URL")
    imp.add_argument("--prefer", choices=("local", "bundle"), help="所有冲突都保留本地 / 都采用数据包")
    imp.add_argument("--decisions", metavar="CSV", help="逐人决定：CSV 含“学号”和“采用”（本地/数据包）两列")
    imp.add_argument(
        "--write-decisions", metavar="CSV", help="把冲突写成决定表（填好“采用”列后用 --decisions 导入）"
    )
    imp.add_argument("--dry-run", action="store_true", help="只列出将要发生的变化，不写入")
    imp.add_argument("--passphrase-file", metavar="FILE", help="加密数据包的口令文件（第一行）")
    imp.set_defaults(func=run_import)


PASSPHRASE_ENV = "GRADPHOTO_BUNDLE_PASSPHRASE"


def passphrase(args: argparse.Namespace, confirm: bool) -> str | None:
    """From --passphrase-file, the environment, or a prompt on a terminal (twice when `confirm`); never
    an argument (it would show in the process list and the shell history). None when none can be had."""
    # deferred: only a bundle command with encryption asks for a passphrase
    import getpass
    import os

    if getattr(args, "passphrase_file", None):
        text = Path(args.passphrase_file).read_text(encoding="utf-8-sig").splitlines()
        return text[0] if text else ""
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("数据包口令：")
    if confirm and getpass.getpass("再输入一次：") != first:
        raise ValueError("两次输入的口令不一致")
    return first


def run_export(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.exchange.bundle import BundleError, export_station

    secret = None
    if args.encrypt or args.passphrase_file:
        try:
            secret = passphrase(args, confirm=True)
        except (OSError, ValueError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        if secret is None:
            print(f"错误：加密需要口令：用 --passphrase-file 或环境变量 {PASSPHRASE_ENV}", file=sys.stderr)
            return 1
    db = open_database(args.db)
    try:
        result = export_station(
            db.sessions, photo_store_for(db), args.station, args.out, operator_name(), secret
        )
    except (BundleError, WriteError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    sealed = "已用口令加密" if secret is not None else "未加密：请只交给可信的人，或用 --encrypt"
    print(
        f"已导出 {result.students} 名学生、{result.photos} 张照片到 {result.path}"
        f"（含完整身份证号，{sealed}；已记入操作日志）"
    )
    if result.enrolment:
        print(f"含 {result.enrolment} 名学生的录取照片（人脸信息，已加密）")
    if result.enrolment_left_out:
        print(
            f"注意：{result.enrolment_left_out} 名学生的录取照片属于人脸信息，只随加密的数据包交换，"
            "本数据包未携带（需要时请用 --encrypt 重新导出）",
            file=sys.stderr,
        )
    if result.missing_photos:
        print(f"注意：{len(result.missing_photos)} 张照片的原图不在照片库中，只导出了记录", file=sys.stderr)
    return 0


_MAX_DECISIONS_BYTES = 20 << 20


def read_decisions(path: Path | str) -> dict[str, str]:
    """学号 → local | bundle from a CSV with 学号 and 采用 columns (UTF-8 with or without BOM, or GBK)."""
    # A file from outside: never through a link, never larger than any decision table (one row per field).
    with open_no_follow(path) as fh:
        raw = fh.read(_MAX_DECISIONS_BYTES + 1)
    if len(raw) > _MAX_DECISIONS_BYTES:
        raise ValueError(
            f"决定表 {Path(path).name} 超过 {_MAX_DECISIONS_BYTES >> 20} MB，不是本程序写出的决定表"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("决定表的编码无法识别")
    decisions: dict[str, str] = {}
    for row_no, row in enumerate(csv.DictReader(text.splitlines()), 2):
        no = _unsafe((row.get("学号") or "").strip())
        choice = (row.get("采用") or "").strip()
        if not no or not choice:
            continue
        if choice.lower() not in _CHOICES and choice not in _CHOICES:
            raise ValueError(f"决定表第 {row_no} 行：“采用”应为 本地 或 数据包")
        decisions[no] = _CHOICES.get(choice.lower(), _CHOICES.get(choice))
    return decisions


def _unsafe(text: str) -> str:
    """Undo csv_safe's apostrophe (a 学号 such as -A1 was written as '-A1 so Excel shows it as text)."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def write_decisions(path: Path | str, conflicts) -> None:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.exchange.merge import show

    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["学号", "姓名", "字段", "本地", "数据包", "采用"])
        for c in conflicts:
            for f in c.fields:
                writer.writerow(  # the clerk opens this in Excel: no cell may run as a formula
                    [
                        csv_safe(v)
                        for v in (
                            c.student_no,
                            c.name,
                            f.label,
                            show(f.key, f.local),
                            show(f.key, f.bundle),
                            "",
                        )
                    ]
                )


def run_import(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.exchange.bundle import BundleError, open_bundle
    from app.services.exchange.crypto import is_encrypted

    try:
        decisions = read_decisions(args.decisions) if args.decisions else {}
    except (OSError, ValueError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    secret = None
    if is_encrypted(args.file):
        try:
            secret = passphrase(args, confirm=False)
        except OSError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
    try:
        with open_bundle(args.file, secret) as bundle:
            return _merge(args, bundle, decisions)
    except BundleError as exc:
        print(f"错误：{exc}。未写入任何数据。", file=sys.stderr)
        return 1


def _merge(args: argparse.Namespace, bundle, decisions: dict[str, str]) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.common.backup import before_change
    from app.services.exchange.bundle import BundleError
    from app.services.exchange.merge import BundleMerger, UnresolvedConflicts

    db = open_database(args.db)
    try:
        merger = BundleMerger(
            db.sessions,
            photo_store_for(db),
            operator_name(),
            before_write=lambda label: before_change(db.sessions, label),
        )
        if args.dry_run:
            plan = merger.plan(bundle, decisions)
            print(f"（仅预览）{bundle.path.name} → {plan.station_name}：{plan.summary()}")
            _print_conflicts(plan.conflicts)
            return EXIT_CONFLICTS if plan.conflicts else 0
        try:
            report = merger.apply(bundle, decisions, args.prefer)
        except UnresolvedConflicts as exc:
            print(f"错误：{exc}", file=sys.stderr)
            _print_conflicts(exc.conflicts)
            if args.write_decisions:
                write_decisions(args.write_decisions, exc.conflicts)
                print(
                    f"冲突已写入决定表 {args.write_decisions}：填好“采用”列（本地/数据包）后用 --decisions 再导入",
                    file=sys.stderr,
                )
            else:
                print(
                    "用 --prefer local|bundle 统一决定，或 --write-decisions 生成决定表逐人决定",
                    file=sys.stderr,
                )
            return EXIT_CONFLICTS
        except BundleError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
    finally:
        db.dispose()
    plan = report.plan
    print(f"{bundle.path.name} → {plan.station_name}：{plan.summary()}")
    if report.backup:
        print(f"合并前已备份数据库：{report.backup.name}")
    for no, reason in plan.rejected:
        print(f"  未合并 {no}：{reason}")
    return 2 if plan.rejected else 0


def _print_conflicts(conflicts) -> None:
    for c in conflicts:
        print(f"  冲突 {c.describe()}")
