"""`roster import` and `roster export-csv`: the roster services for IT staff and scripts."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import open_database, operator_name, station_id_by_name
from app.services.common.files import WriteError
from app.services.roster.stations import StationData, StationError, StationService, validate_station


def register(subparsers) -> None:
    roster = subparsers.add_parser("roster", help="花名册：导入、导出")
    sub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="导入花名册（.xlsx / .xls / .csv）")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--station", required=True, metavar="NAME", help="学习中心/函授站名称（不存在则新建）")
    imp.add_argument("--school-name", metavar="NAME", help="新建学习中心时的所在院校名称（如 郑州大学）")
    imp.add_argument("--school-code", metavar="CODE", help="新建学习中心时的院校代码（5 位数字，如 10459）")
    imp.add_argument("--db", metavar="URL")
    imp.set_defaults(func=run_import)

    exp = sub.add_parser("export-csv", help="导出全部学生字段为 CSV（UTF-8 带 BOM，含完整身份证号）")
    exp.add_argument("file", metavar="FILE")
    exp.add_argument("--station", metavar="NAME")
    exp.add_argument("--db", metavar="URL")
    exp.set_defaults(func=run_export)


def run_import(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.roster.importer import ImportConflict, RosterImporter
    from app.services.roster.reader import RosterReadError

    school = {
        k: v.strip()
        for k, v in (("school_name", args.school_name), ("school_code", args.school_code))
        if v is not None
    }
    try:  # a bad code is refused before anything is read or written
        validate_station(StationData(name=args.station, **school))
    except StationError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    db = open_database(args.db)
    importer = RosterImporter(db.sessions, operator_name())
    try:
        roster = importer.read(args.file)  # read first: an unreadable file must write nothing
    except RosterReadError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    stations = StationService(db.sessions, operator_name())
    station, created = stations.ensure(args.station, **school)
    if created:
        print(f"已新建学习中心“{station.name}”（其余使用默认设置，可在界面中或用 station set 修改）")
    elif school and any(getattr(station, k) != v for k, v in school.items()):
        station = stations.set_fields(station.name, **school)
        print(f"已更新学习中心“{station.name}”的所在院校：{station.school_name}（{station.school_code}）")
    missing = [
        label
        for key, label in (("school_name", "所在院校名称"), ("school_code", "院校代码"))
        if not getattr(station, key)
    ]
    if missing:
        print(
            f"注意：学习中心“{station.name}”尚未填写{'、'.join(missing)}，报送前须补全"
            f'（python main.py station set "{station.name}" --school-name … --school-code …）'
        )
    try:
        report = importer.apply(roster, station.id)
    except ImportConflict as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(f"{report.file_name} → {report.station_name}：{report.summary()}")
    for change in report.changes:
        print(f"  更新 {change.describe()}")
    for note in report.inferred:
        print(f"  推断 {note.describe()}")
    for note in report.not_inferred:
        print(f"  注意 {note.describe()}")
    for problem in report.rejected:
        print(f"  拒绝 {problem.describe()}")
    if report.valid_rows == 0:
        made = f"（只新建了学习中心“{station.name}”，其中还没有学生）" if created else ""
        print(f"文件中没有可导入的有效行，未写入任何学生数据{made}。", file=sys.stderr)
    return report.exit_code


def run_export(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.roster.service import RosterService

    db = open_database(args.db)
    station_id = station_id_by_name(db, args.station)
    try:
        count = RosterService(db.sessions, operator_name()).export_csv(args.file, station_id)
    except WriteError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(f"已导出 {count} 名学生到 {args.file}（含完整身份证号，已记入操作日志）")
    return 0
