"""`export feedback|errata`: the proofing forms (a workbook and a PDF per class; one 勘误表)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import open_database, operator_name, station_id_by_name
from app.cli.export import add_station_args
from app.services.common.files import WriteError


def register_export(sub) -> None:
    feedback = sub.add_parser(
        "feedback",
        help="每班《校对反馈表》：一个 .xlsx 和一个 PDF",
        description="按班级生成《高等教育学历电子注册图像信息校对反馈表》，学号升序。退出码：0 已写入；1 失败。",
    )
    add_station_args(feedback, "输出文件夹", "DIR")
    feedback.set_defaults(func=run_feedback)
    errata = sub.add_parser(
        "errata",
        help="《图像数据检查勘误表》：.xlsx 和 PDF（照片非本人、院校错误、图像模糊）",
        description="列出照片方面的错误，寄中国图片社请求更正；含完整身份证号，记入操作日志。退出码：0 已写入；1 失败。",
    )
    add_station_args(errata, "输出文件夹", "DIR")
    errata.set_defaults(func=run_errata)


def _exporter(args: argparse.Namespace):
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.proofing.forms import ProofFormExporter
    from app.services.proofing.service import ProofingService

    db = open_database(args.db)
    station_id = station_id_by_name(db, args.station)
    return ProofFormExporter(ProofingService(db.sessions, operator_name())), station_id


def run_feedback(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.printing.gui_app import ensure_gui_app
    from app.printing.proof_forms_print import write_feedback_pdfs

    exporter, station_id = _exporter(args)
    ensure_gui_app()
    try:
        files = exporter.feedback(station_id, args.out)
        station = exporter._station(station_id)
        files += write_feedback_pdfs(exporter.proofing.rows(station_id), args.out, station.name)
    except (WriteError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if not files:
        print("错误：该学习中心没有（未异动的）学生，没有可生成的校对反馈表", file=sys.stderr)
        return 1
    for path in files:
        print(f"已写入 {Path(path).name}")
    return 0


def run_errata(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.printing.gui_app import ensure_gui_app
    from app.printing.proof_forms_print import errata_form
    from app.printing.table_form import write_pdf

    exporter, station_id = _exporter(args)
    ensure_gui_app()
    try:
        xlsx = exporter.errata(station_id, args.out)
        station = exporter._station(station_id)
        pdf = write_pdf(
            [
                errata_form(
                    exporter.errata_lines(station_id), station.name, station.school_name, station.school_code
                )
            ],
            xlsx.with_suffix(".pdf"),
        )
    except (WriteError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(f"已写入 {xlsx.name}、{pdf.name}（{len(exporter.errata_lines(station_id))} 人）")
    return 0
