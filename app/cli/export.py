"""`export summary|fees|cards|proofsheet|package|deliveries`: a station's delivery files from the command line.

Every `export package` is recorded (a delivery record: who is on the disc); `export summary|fees|cards`
follow the latest record by default (`--delivery ID` another, `--current` the station's current students), so
they count the students the disc holds. `export deliveries` lists the records.

Exit codes: 0 written; 1 the file could not be made (unknown station, unwritable path …);
2 packaging refused because of blockers (listed on stderr), or a bad argument.

More export kinds (e.g. `export feedback|errata`) plug in without editing this file: put a module
`app/cli/export_<name>.py` with `register_export(subparsers)` that adds its parser to the given
`export` subparsers (use `add_station_args` from here) and sets `func`. Alternatively add a line to
`EXPORTS` below.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable

import app.cli as cli_pkg
from app.cli.common import Progress, open_database, operator_name
from app.paths import photo_store_for
from app.services.common.files import WriteError

EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2


def add_station_args(p: argparse.ArgumentParser, out_help: str, out_metavar: str = "FILE.xlsx") -> None:
    """--station, --out and --db, shared by every export kind."""
    p.add_argument("--station", required=True, metavar="NAME", help="学习中心/函授站名称")
    p.add_argument("--out", required=True, metavar=out_metavar, help=out_help)
    p.add_argument("--db", metavar="URL", help="数据库 URL（默认：用户数据目录下的 SQLite 文件）")


def _add_workbook(kind: str, help_text: str) -> Callable:
    def add(sub) -> None:
        p = sub.add_parser(
            kind,
            help=help_text,
            description=help_text + "。默认按最近一次生成的报送包（报送记录）列出学生，与光盘上的人数一致；"
            "尚无报送记录时为学习中心当前的全部学生。退出码：0 已写入；1 失败。",
        )
        add_station_args(p, "输出的 .xlsx 文件")
        which = p.add_mutually_exclusive_group()
        which.add_argument(
            "--delivery", type=int, metavar="ID", help="按这条报送记录（export deliveries 列出编号）"
        )
        which.add_argument("--current", action="store_true", help="按学习中心当前的全部学生，不按报送记录")
        p.set_defaults(func=lambda args: run_workbook(kind, args))

    return add


def _add_deliveries(sub) -> None:
    p = sub.add_parser(
        "deliveries",
        help="列出报送记录（每次生成报送包：时间、人数、规格、格式、位置）",
        description="列出一个学习中心的报送记录，最新的在前。退出码：0；1 学习中心不存在。",
    )
    p.add_argument("--station", required=True, metavar="NAME", help="学习中心/函授站名称")
    p.add_argument("--db", metavar="URL", help="数据库 URL（默认：用户数据目录下的 SQLite 文件）")
    p.set_defaults(func=run_deliveries)


def _add_proofsheet(sub) -> None:
    p = sub.add_parser(
        "proofsheet",
        help="每班一份校对表 PDF（照片、姓名、学号、拍摄序号）",
        description="按班级生成校对表 PDF，供学生在报送前确认照片与信息。退出码：0 已写入；1 失败。",
    )
    add_station_args(p, "输出文件夹（每班一个 PDF）", "DIR")
    p.set_defaults(func=run_proofsheet)


def _add_package(sub) -> None:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.delivery.package import FORMATS

    p = sub.add_parser(
        "package",
        help="报送光盘包：照片、汇总表、文件清单和说明（文件夹 / zip / ISO）",
        description="先做报送前检查；有问题的学生全部列出并拒绝打包（退出码 2），除非使用 --exclude-blocked "
        "把他们排除（记入操作日志）。退出码：0 已生成；1 失败；2 有问题未处理或参数错误。",
    )
    add_station_args(p, "输出文件夹（包以“<学习中心>_图像采集报送”命名放在其中）", "DIR")
    p.add_argument("--format", choices=FORMATS, default="folder", help="folder（默认）、zip 或 iso")
    p.add_argument("--spec", metavar="NAME", help="照片规格（默认：学习中心设置的规格）")
    p.add_argument(
        "--naming", metavar="TEMPLATE", help="文件命名模板（默认：规格的第一个，例如 {shot_no}.JPG）"
    )
    p.add_argument("--exclude-blocked", action="store_true", help="排除有问题的学生后打包（记入操作日志）")
    p.set_defaults(func=run_package)


# (name, adds its parser to the `export` subparsers): the table of built-in kinds.
EXPORTS: list[tuple[str, Callable]] = [
    ("summary", _add_workbook("summary", "《高等教育学历证书电子注册图像信息采集汇总表》.xlsx")),
    ("fees", _add_workbook("fees", "费用汇总表 .xlsx（人数 × 每生费用，含收款单位）")),
    ("cards", _add_workbook("cards", "采集卡填涂数据 .xlsx（姓名区位码、手写标记、学号/身份证号字母位置）")),
    ("proofsheet", _add_proofsheet),
    ("package", _add_package),
    ("deliveries", _add_deliveries),
]


def register(subparsers) -> None:
    """Add `export` with every built-in kind and every `app/cli/export_*.py` module's kinds."""
    p = subparsers.add_parser(
        "export",
        help="报送：汇总表、费用、采集卡数据、校对表、光盘包",
        description="生成一个学习中心的报送文件。",
    )
    sub = p.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    for _, add in EXPORTS:
        add(sub)

    for info in sorted(pkgutil.iter_modules(cli_pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("export_"):
            module = importlib.import_module(f"app.cli.{info.name}")
            hook = getattr(module, "register_export", None)
            if hook is not None:
                hook(sub)


def _station(db, name: str) -> int | None:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.delivery.source import find_station_id

    sid = find_station_id(db.sessions, name)
    if sid is None:
        print(f"错误：没有名为“{name}”的学习中心", file=sys.stderr)
    return sid


def _service(db):
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.delivery.exports import ExportService

    return ExportService(db.sessions, photo_store_for(db), operator_name())


def run_workbook(kind: str, args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.delivery.records import CURRENT, LATEST
    from app.services.delivery.source import DeliveryError

    db = open_database(args.db)
    sid = _station(db, args.station)
    if sid is None:
        return EXIT_FAILED
    which = args.delivery if args.delivery is not None else CURRENT if args.current else LATEST
    try:
        result = _service(db).workbook(kind, sid, args.out, which)
    except (DeliveryError, WriteError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    print(result.summary())
    if result.record is not None:
        print(f"  {result.record.describe()}；用 --current 可按当前全部学生导出")
    return EXIT_OK


def run_deliveries(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    sid = _station(db, args.station)
    if sid is None:
        return EXIT_FAILED
    records = _service(db).records(sid)
    if not records:
        print(f"学习中心“{args.station}”还没有报送记录（尚未生成过报送包）")
        return EXIT_OK
    print(f"学习中心“{args.station}”的报送记录（最新的在前）：")
    for r in records:
        excluded = f"，排除 {len(r.excluded_ids)} 人" if r.excluded_ids else ""
        print(
            f"  #{r.id}  {r.local_time:%Y-%m-%d %H:%M}  {r.count} 人{excluded}  规格 {r.preset}  "
            f"{r.format}  {r.path}  操作员 {r.operator}"
        )
    return EXIT_OK


def run_proofsheet(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.printing.gui_app import ensure_gui_app
    from app.printing.proof_sheet_pdf import export_proof_sheets
    from app.services.delivery.source import DeliveryError

    db = open_database(args.db)
    sid = _station(db, args.station)
    if sid is None:
        return EXIT_FAILED
    ensure_gui_app()
    try:
        files = export_proof_sheets(_service(db), sid, args.out, Progress("校对表"))
    except (DeliveryError, WriteError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已生成 {len(files)} 份校对表 PDF → {args.out}")
    for f in files:
        print(f"  {f.name}")
    return EXIT_OK


def run_package(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.printing.gui_app import ensure_gui_app
    from app.services.delivery.package import PackageRefused
    from app.services.delivery.source import DeliveryError
    from app.services.photo import PresetError, list_presets, load_preset

    ensure_gui_app()  # the pre-flight names the characters of a name no font on this PC can print

    if args.spec:
        try:
            load_preset(args.spec)
        except PresetError:
            print(
                f"错误：没有名为 {args.spec} 的规格。可用规格：{'、'.join(list_presets())}", file=sys.stderr
            )
            return EXIT_REFUSED
    db = open_database(args.db)
    sid = _station(db, args.station)
    if sid is None:
        return EXIT_FAILED
    try:
        result = _service(db).package(
            sid, args.out, args.format, args.spec, args.naming, args.exclude_blocked, Progress("照片")
        )
    except PackageRefused as exc:
        report = exc.report
        print(f"拒绝打包：{report.summary()}。", file=sys.stderr)
        for problem in report.station:
            print(f"  学习中心：{problem.message}", file=sys.stderr)
        for line in report.lines():
            print(f"  {line}", file=sys.stderr)
        for line in report.warning_lines():
            print(f"  提示：{line}", file=sys.stderr)
        if report.station:
            print(
                f'学习中心的设置不能靠排除学生解决：python main.py station set "{args.station}" '
                "--school-name … --school-code … --fee … --payee …",
                file=sys.stderr,
            )
        if report.blockers:
            print(
                "请在“照片裁剪”或花名册中处理这些问题；或用 --exclude-blocked 排除这些学生后打包（记入操作日志）。",
                file=sys.stderr,
            )
        return EXIT_REFUSED
    except (DeliveryError, WriteError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    print(result.summary())
    for b in result.excluded:
        print(f"  已排除 {b.describe()}")
    for w in result.warnings:
        print(f"  提示：{w.describe()}")
    return EXIT_OK
