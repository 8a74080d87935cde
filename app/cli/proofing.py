"""`proofing import`: apply a sheet of proofing results (学号 or 身份证号 + 校对结果 [+ 问题])."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import open_database, operator_name, station_id_by_name


def register(subparsers) -> None:
    proofing = subparsers.add_parser("proofing", help="图像校对：导入校对结果")
    sub = proofing.add_subparsers(dest="proofing_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="导入校对结果表（.xlsx / .xls / .csv）")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--station", metavar="NAME", help="只匹配该学习中心的学生")
    imp.add_argument("--db", metavar="URL")
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.proofing.service import ProofingService
    from app.services.roster.reader import RosterReadError

    db = open_database(args.db)
    station_id = station_id_by_name(db, args.station)
    proofing = ProofingService(db.sessions, operator_name())
    try:
        table = proofing.read(args.file)
    except RosterReadError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    usable = [
        s
        for s in table.importable_sheets
        if "state" in s.mapping.values() and {"student_no", "id_number"} & set(s.mapping.values())
    ]
    if not usable:  # there is no one to ask for the mapping on the command line
        print(
            f"错误：文件 {table.path.name} 中找不到“校对结果”列和“学号”或“身份证号码”列，未写入任何数据",
            file=sys.stderr,
        )
        return 1
    report = proofing.import_results(table, station_id)
    print(f"{report.file_name}：{report.summary()}")
    for sheet, row, why in report.unmatched:
        print(f"  未匹配 [{sheet}] 第 {row} 行：{why}")
    return report.exit_code
