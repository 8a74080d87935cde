"""`export signin-cards`: the capture-day sign-in cards, a PDF per class (QR code and Code 128 of each 学号)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import Progress, open_database, operator_name, station_id_by_name
from app.cli.export import EXIT_FAILED, EXIT_OK, add_station_args
from app.services.common.files import WriteError


def register_export(sub) -> None:
    p = sub.add_parser(
        "signin-cards",
        help="拍摄签到卡：每班一个 PDF（姓名、学号、班级、学号的二维码和条码）",
        description="按班级生成拍摄签到卡 PDF（A4，每页 10 张，沿虚线剪开）。拍摄时学生手持本卡先拍一张，"
        "或由摄影师用扫码枪扫条码，程序即切换到该学生。学籍异动的学生不列入。退出码：0 已写入；1 失败。",
    )
    add_station_args(p, "输出文件夹（每班一个 PDF：签到卡_<班级>.pdf）", "DIR")
    p.set_defaults(func=run_signin_cards)


def run_signin_cards(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.printing.gui_app import ensure_gui_app
    from app.printing.signin_cards_pdf import export_signin_cards
    from app.services.capture.signin_cards import SigninError

    db = open_database(args.db)
    station_id = station_id_by_name(db, args.station)
    ensure_gui_app()
    try:
        files = export_signin_cards(db.sessions, station_id, args.out, operator_name(), Progress("签到卡"))
    except (SigninError, WriteError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已生成 {len(files)} 份签到卡 PDF → {args.out}")
    for path in files:
        print(f"  {path.name}")
    return EXIT_OK
