"""`proofing import`: apply a sheet of proofing results (学号, 身份证号 or 姓名 + 校对结果 [+ 问题]).

`--preview` prints how every row reads — the student matched, the state, the error kinds, the words as
written — and writes nothing; without it the same readings are written."""

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
    imp.add_argument(
        "--preview", action="store_true", help="只显示每一行读作什么（学生、状态、错误类型、原文），不写入"
    )
    imp.add_argument("--db", metavar="URL")
    imp.set_defaults(func=run_import)


def _print_preview(preview) -> None:
    # deferred: a command loads only its own services (start-up time of every other command)
    from app.services.proofing.states import STATE_BY_KEY

    print(f"{preview.file_name}：{preview.summary()}（预览，未写入任何数据）")
    for r in preview.rows:
        mark = "？" if r.flagged else " "
        same = "" if r.changes else "（与现状相同）"
        detail = f"：{r.result}" if r.state == "wrong" or r.state == "correct" else ""
        print(
            f"{mark} [{r.sheet}] 第 {r.row_no} 行  {r.known_student_no} {r.known_name}（按{r.matched_by}）"
            f" → {STATE_BY_KEY[r.state].label}{detail}{same}"
        )
        if r.words:
            print("      原文：" + r.words.replace("\n", " | "))  # the two cells on one console line
        if r.unknown:
            print(f"      未识别（按“其他”）：{'；'.join(r.unknown)}")
        for doubt in r.doubts:
            print(f"      请核对：{doubt}")
    for r in preview.unmatched:
        print(f"  未匹配 [{r.sheet}] 第 {r.row_no} 行：{r.unmatched_text()}")
    for sheet, row, text in preview.ignored:
        print(f"  忽略 [{sheet}] 第 {row} 行（页脚/签字行）：{text}")


def run_import(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.proofing.service import ProofingService
    from app.services.proofing.states import ProofError
    from app.services.roster.reader import RosterReadError

    db = open_database(args.db)
    station_id = station_id_by_name(db, args.station)
    proofing = ProofingService(db.sessions, operator_name())
    try:
        table = proofing.read(args.file)
    except RosterReadError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    preview = proofing.preview_import(table, station_id)
    if preview.skipped and not (preview.rows or preview.unmatched):
        # there is no one to ask for the mapping on the command line
        print(
            f"错误：文件 {table.path.name} 中找不到“校对结果”列和“学号”“身份证号码”或“姓名”列，未写入任何数据",
            file=sys.stderr,
        )
        return 1
    if args.preview:
        _print_preview(preview)
        return 2 if preview.unmatched else 0
    try:
        report = proofing.apply_import(preview)
    except ProofError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(f"{report.file_name}：{report.summary()}")
    for r in preview.flagged:
        print(f"  请核对 [{r.sheet}] 第 {r.row_no} 行（{r.who()}）：{r.result}")
    for r in preview.unmatched:
        print(f"  未匹配 [{r.sheet}] 第 {r.row_no} 行：{r.unmatched_text()}")
    if preview.ignored:
        print(f"  忽略页脚/签字行 {len(preview.ignored)} 行")
    return report.exit_code
