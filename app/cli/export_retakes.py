"""`export retakes`: the per-class 补拍名单 as one PDF (retake marks and the students proofing sent back)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import open_database, station_id_by_name
from app.cli.export import EXIT_FAILED, EXIT_OK, add_station_args
from app.services.common.files import WriteError


def register_export(sub) -> None:
    p = sub.add_parser(
        "retakes",
        help="补拍名单 PDF：需重拍的学生和校对退回（照片非本人、图像模糊、无照片（信息不一致））的学生，每班一页",
        description="生成补拍名单 PDF，每班一页，按拍摄序号排列，写明原因。退出码：0 已写入；1 失败或无人需补拍。",
    )
    add_station_args(p, "输出的 PDF 文件", "FILE.pdf")
    p.set_defaults(func=run_retakes)


def run_retakes(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.printing.gui_app import ensure_gui_app
    from app.printing.retake_list_pdf import NothingToRetake, write_retake_list

    db = open_database(args.db)
    station_id = station_id_by_name(db, args.station)
    ensure_gui_app()
    try:
        path, count = write_retake_list(db.sessions, station_id, args.out)
    except (NothingToRetake, WriteError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已写入补拍名单 {path.name}（{count} 人）")
    return EXIT_OK
