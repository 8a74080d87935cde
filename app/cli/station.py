"""`station show|set|list`: a station's school, 院校代码, fee and payee from the command line.

The pre-flight refuses a disc while the school name, the 5-digit 院校代码, the fee per student or the payee is
missing; `station set` fills them in (checked as the station dialog checks them).

Exit codes: 0 shown or saved; 1 no such station or the store cannot be written; 2 an invalid value.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.common import open_database, operator_name

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2

# (option, StationData field, help)
SETTABLE: tuple[tuple[str, str, str], ...] = (
    ("--school-name", "school_name", "所在院校名称，如 郑州大学"),
    ("--school-code", "school_code", "院校代码（5 位数字），如 10459"),
    ("--fee", "fee_per_student", "每生费用（元），如 20"),
    ("--payee", "payee_name", "收款单位"),
    ("--payee-address", "payee_address", "收款单位地址"),
    ("--payee-postcode", "payee_postcode", "收款单位邮编"),
    ("--payee-contact", "payee_contact", "收款单位联系人"),
    ("--payee-phone", "payee_phone", "收款单位电话"),
    ("--school-type", "default_school_type", "默认所在校别，如 普通高校"),
    ("--spec", "default_preset", "默认照片规格"),
)
SHOWN: tuple[tuple[str, str], ...] = (
    ("name", "名称"),
    ("school_name", "所在院校名称"),
    ("school_code", "院校代码"),
    ("default_school_type", "默认所在校别"),
    ("fee_per_student", "每生费用（元）"),
    ("payee_name", "收款单位"),
    ("payee_address", "地址"),
    ("payee_postcode", "邮编"),
    ("payee_contact", "联系人"),
    ("payee_phone", "电话"),
    ("default_preset", "默认照片规格"),
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "station",
        help="学习中心/函授站：查看、修改设置（所在院校、院校代码、费用、收款单位）",
        description="查看或修改学习中心的设置。报送前检查要求填写所在院校名称、5 位院校代码、每生费用和收款单位。",
    )
    sub = p.add_subparsers(dest="station_command", metavar="ACTION", required=True)

    show = sub.add_parser("show", help="显示一个学习中心的设置，并指出报送前还缺什么")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--db", metavar="URL")
    show.set_defaults(func=run_show)

    lst = sub.add_parser("list", help="列出全部学习中心")
    lst.add_argument("--db", metavar="URL")
    lst.set_defaults(func=run_list)

    st = sub.add_parser(
        "set",
        help="修改学习中心的设置",
        description="只修改给出的项，其余不变；按与界面相同的规则检查（院校代码须为 5 位数字）。"
        "退出码：0 已保存；1 学习中心不存在或无法保存；2 取值无效。",
    )
    st.add_argument("name", metavar="NAME")
    for option, _field, help_text in SETTABLE:
        st.add_argument(option, metavar="VALUE", help=help_text)
    st.add_argument("--db", metavar="URL")
    st.set_defaults(func=run_set)


def _show_lines(station) -> list[str]:
    # deferred: a command loads only its own services (start-up time of every other command)
    from app.services.delivery.preflight import station_problems
    from app.services.delivery.source import station_info

    lines = [f"{label}：{getattr(station, key) or '（未填写）'}" for key, label in SHOWN]
    problems = station_problems(station_info(station))
    if problems:
        lines.append("报送前还需填写：" + "；".join(p.message for p in problems))
    else:
        lines.append("报送所需的学习中心设置已齐全")
    return lines


def run_show(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services (start-up time of every other command)
    from app.services.roster.stations import StationService

    db = open_database(args.db)
    station = StationService(db.sessions).find(args.name)
    if station is None:
        print(f"错误：没有名为“{args.name}”的学习中心", file=sys.stderr)
        return EXIT_FAILED
    for line in _show_lines(station):
        print(line)
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services (start-up time of every other command)
    from app.services.roster.stations import StationService

    db = open_database(args.db)
    stations = StationService(db.sessions).list()
    if not stations:
        print("还没有学习中心")
    for s in stations:
        print(f"{s.name}　{s.school_name or '（未填写院校）'}　{s.school_code or '（无院校代码）'}")
    return EXIT_OK


def run_set(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services (start-up time of every other command)
    from app.services.common.files import WriteError
    from app.services.roster.stations import StationError, StationService

    changes = {
        field: getattr(args, option[2:].replace("-", "_"))
        for option, field, _ in SETTABLE
        if getattr(args, option[2:].replace("-", "_")) is not None
    }
    if not changes:
        print("错误：没有给出要修改的项（如 --school-name、--school-code、--fee、--payee）", file=sys.stderr)
        return EXIT_INVALID
    for key in ("school_name", "school_code", "payee_name", "default_school_type"):
        if key in changes:
            changes[key] = changes[key].strip()
    if "default_preset" in changes:
        # deferred: a command loads only its own services (start-up time of every other command)
        from app.services.photo import PresetError, list_presets, load_preset

        try:
            load_preset(changes["default_preset"])
        except PresetError:
            print(
                f"错误：没有名为 {changes['default_preset']} 的规格。可用规格：{'、'.join(list_presets())}",
                file=sys.stderr,
            )
            return EXIT_INVALID
    db = open_database(args.db)
    service = StationService(db.sessions, operator_name())
    if service.find(args.name) is None:
        print(f"错误：没有名为“{args.name}”的学习中心", file=sys.stderr)
        return EXIT_FAILED
    try:
        station = service.set_fields(args.name, **changes)
    except StationError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INVALID
    except WriteError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"已保存学习中心“{station.name}”的设置（已记入操作日志）：")
    for line in _show_lines(service.find(args.name)):
        print(f"  {line}")
    return EXIT_OK
