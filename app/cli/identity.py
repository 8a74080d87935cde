"""`identity`: the identity pre-check (does a photo look like the student's enrolment photo? advice only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import CliError, Progress, open_database, operator_name, station_id_by_name

EXIT_OK, EXIT_FAILED, EXIT_LISTED = 0, 1, 2


def register(subparsers) -> None:
    """Add the `identity` command group."""
    p = subparsers.add_parser(
        "identity",
        help="照片与录取（学籍）照片的人脸比对：只作提示，不阻止任何照片",
        description="人脸比对（本人核验提示）。分数只是提示：可能不是本人时请人工核对，程序不据此拒绝照片。",
    )
    sub = p.add_subparsers(dest="identity_command", metavar="ACTION", required=True)
    c = sub.add_parser(
        "compare",
        help="比对两张照片，输出距离和结论（相同 / 可能不是本人 / 无法比对）",
        description="比对两张照片中的人脸。退出码：0 已比对（相同或可能不是本人）；1 无法比对（原因已列出）。",
    )
    c.add_argument("new", metavar="NEW", help="新拍的照片")
    c.add_argument("enrolment", metavar="ENROLMENT", help="录取（学籍）照片")
    c.set_defaults(func=run_compare)

    i = sub.add_parser(
        "import",
        help="导入录取照片文件夹（文件以身份证号、学号或考生号命名，或为花名册“录取照片文件名”列所写）",
        description="导入录取（学籍）照片：文件名为学生的身份证号、学号或考生号，或花名册“录取照片文件名”列所写的文件名。原图按字节保存在照片库中，"
        "并计算一次人脸特征。退出码：0 全部导入；2 有未匹配、需人工确认或无法读取的文件（已列出，其余已导入）；"
        "1 无法导入。",
    )
    i.add_argument("folder", metavar="FOLDER", help="录取照片所在的文件夹")
    i.add_argument("--station", required=True, metavar="NAME", help="学习中心名称")
    i.add_argument("--db", metavar="URL", help="数据库 URL")
    i.add_argument("--dry-run", action="store_true", help="只列出匹配结果，不导入")
    i.set_defaults(func=run_import)

    k = sub.add_parser(
        "check",
        help="列出已接受照片与录取照片看起来不像同一人的学生",
        description="比对该学习中心每位已接受照片、且有录取照片的学生。只作提示：请人工核对列出的学生。"
        "退出码：0 没有可能不是本人的；2 列出了可能不是本人或无法比对的学生；1 失败。",
    )
    k.add_argument("--station", required=True, metavar="NAME", help="学习中心名称")
    k.add_argument("--db", metavar="URL", help="数据库 URL")
    k.set_defaults(func=run_check)

    w = sub.add_parser(
        "switch",
        help="为学习中心开启或关闭人脸比对提示",
        description="开启或关闭该学习中心的人脸比对提示（关闭后不再计算，已导入的录取照片保留，可另行删除）。",
    )
    w.add_argument("state", choices=("on", "off"), help="on 开启，off 关闭")
    w.add_argument("--station", required=True, metavar="NAME", help="学习中心名称")
    w.add_argument("--db", metavar="URL", help="数据库 URL")
    w.set_defaults(func=run_switch)


def run_compare(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services (dlib and the face model cost start-up time)
    from app.services.identity.compare import THRESHOLD, UNKNOWN, compare
    from app.services.identity.model import ModelError

    for given, what in ((args.new, "新拍的照片"), (args.enrolment, "录取照片")):
        if not given.strip():  # "" is the current folder to the file system: say what is missing instead
            print(f"{UNKNOWN}：没有给出{what}的文件名", file=sys.stderr)
            return EXIT_FAILED
    try:
        result = compare(args.new, args.enrolment)
    except ModelError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    if result.verdict == UNKNOWN:
        print(f"{UNKNOWN}：{_why(result.reason)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{result.verdict}（距离 {result.distance:.3f}，阈值 {THRESHOLD}；距离越小越像同一人，仅供参考）")
    return EXIT_OK


def _service(args: argparse.Namespace):
    # deferred: a command loads only its own services (dlib and the face model cost start-up time)
    from app.paths import photo_store_for
    from app.services.identity.enrolment import EnrolmentService

    db = open_database(args.db)
    station_id = station_id_by_name(db, args.station)
    return EnrolmentService(db.sessions, photo_store_for(db).root, operator_name()), station_id


def run_import(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services
    from app.services.identity.enrolment import EnrolmentCancelled
    from app.services.identity.model import ModelError

    service, station_id = _service(args)
    if not Path(args.folder).is_dir():
        raise CliError(f"找不到文件夹：{args.folder}")
    try:
        match = service.match(station_id, args.folder)
    except KeyboardInterrupt:
        print("已中断：未导入任何录取照片。", file=sys.stderr)
        return EXIT_LISTED
    print(match.summary())
    for path in match.unmatched:
        print(
            f"  未匹配：{_name(path)}（文件名不是本站任何学生的身份证号、学号、考生号或花名册所写的录取照片文件名）"
        )
    for path, why in match.ambiguous:
        print(f"  需人工确认：{_line(path, why)}")
    for path, why in match.damaged:
        print(f"  无法读取：{_line(path, why)}")
    if args.dry_run:
        return EXIT_OK if not (match.unmatched or match.ambiguous or match.damaged) else EXIT_LISTED
    try:  # a face takes ~0.1 s to describe: a station's folder is minutes, so progress, and Ctrl+C stops it
        report = service.import_matched(match.matched, Progress("导入"), digests=match.digests)
    except (KeyboardInterrupt, EnrolmentCancelled):
        print("已中断：已导入的录取照片保留，其余未导入。", file=sys.stderr)
        return EXIT_LISTED
    except ModelError as exc:
        raise CliError(str(exc)) from None
    print(f"已导入 {report.imported} 张录取照片（其中替换 {report.replaced} 张）")
    if report.unchanged:
        print(f"  {report.unchanged} 张与已导入的相同，未改动")
    for path, why in report.no_face:
        print(f"  已导入但无法比对：{_line(path, why)}")
    for path, why in report.failed:
        print(f"  导入失败：{_line(path, why)}", file=sys.stderr)
    if report.failed and not (report.imported or report.unchanged):  # nothing worked (already there counts)
        return EXIT_FAILED
    listed = match.unmatched or match.ambiguous or match.damaged or report.failed
    return EXIT_LISTED if listed else EXIT_OK


def _name(path) -> str:
    # deferred: a command loads only its own services
    from app.services.identity.enrolment import shown_name

    return shown_name(path)


def _line(path, why: str) -> str:
    """A file and why, the file named once (most reasons name it themselves)."""
    name, text = _name(path), _why(why)
    return text if name in text else f"{name}：{text}"


def _why(text: str) -> str:
    # deferred: a command loads only its own services
    from app.services.identity.enrolment import mask_names

    return mask_names(text)


def run_check(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services
    from app.services.identity.compare import SAME, THRESHOLD, UNKNOWN
    from app.services.identity.model import ModelError

    service, station_id = _service(args)
    if not service.enabled(station_id):
        print(f"“{args.station}”已关闭人脸比对提示（identity switch on 可开启）")
        return EXIT_OK
    try:
        rows = service.check_station(station_id)
    except ModelError as exc:
        raise CliError(str(exc)) from None
    flagged = [(st, r) for st, r in rows if r is not None and r.verdict != SAME]
    print(
        f"已比对 {len(rows)} 名学生（阈值 {THRESHOLD}，仅供参考）：可能不是本人或无法比对 {len(flagged)} 名"
    )
    for student, result in flagged:
        detail = result.reason if result.verdict == UNKNOWN else f"距离 {result.distance:.3f}"
        print(f"  {student.shot_no}\t{student.student_no}\t{student.name}\t{result.verdict}（{detail}）")
    return EXIT_LISTED if flagged else EXIT_OK


def run_switch(args: argparse.Namespace) -> int:
    service, station_id = _service(args)
    service.set_enabled(station_id, args.state == "on")
    print(f"“{args.station}”已{'开启' if args.state == 'on' else '关闭'}人脸比对提示")
    return EXIT_OK
