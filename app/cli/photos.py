"""`photos import|accept|list`: a folder of photos into a station, accepted and listed, for IT staff and scripts.

`photos import` is the 照片裁剪 tab's 导入照片文件夹: the same file listing (links and non-photo images left out
with the reason), the same matching by file name, the same take-in, crop and checks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import CliError, Progress, open_database, operator_name, station_id_by_name
from app.paths import photo_store_for

EXIT_OK, EXIT_FAILED, EXIT_INCOMPLETE = 0, 1, 2
PASSING = ("ok", "warn")  # no check failed: accepted without a reason
STATUS_WORDS = {"ok": "通过", "warn": "通过（有提示）", "fail": "未通过", "error": "无法读取"}


def register(subparsers) -> None:
    """Add `photos` with its three actions."""
    photos = subparsers.add_parser("photos", help="照片：导入照片文件夹、接受、列出")
    sub = photos.add_subparsers(dest="photos_command", metavar="ACTION", required=True)

    imp = sub.add_parser(
        "import",
        help="导入照片文件夹：按文件名匹配学生，裁剪并检查（与界面中的“导入照片文件夹”相同）",
        description="按文件名（学号、身份证号或拍摄序号）把文件夹中的照片匹配到学生，逐张导入、裁剪并做质量检查；"
        "导入的照片为“待复核”，加 --accept-passing 则接受检查通过的照片。逐个列出匹配、未匹配、需人工确认、"
        "不导入和无法读取的文件及原因。退出码：0 每个文件都已匹配并导入；1 文件夹或学习中心不存在等；"
        "2 有文件未匹配、需人工确认、不导入或无法读取（其余照片照常导入），或参数错误。",
    )
    imp.add_argument("folder", metavar="FOLDER", help="照片文件夹（含子文件夹；链接不会进入）")
    imp.add_argument("--station", required=True, metavar="NAME", help="学习中心/函授站名称（须已导入花名册）")
    imp.add_argument("--spec", metavar="NAME", help="照片规格（默认：学习中心设置的规格）")
    imp.add_argument(
        "--by",
        choices=("student_no", "id_number", "shot_no"),
        default="student_no",
        help="文件名是：student_no 学号（默认）、id_number 身份证号、shot_no 拍摄序号",
    )
    imp.add_argument("--accept-passing", action="store_true", help="导入后接受质量检查通过的照片")
    imp.add_argument("--dry-run", action="store_true", help="只列出匹配结果，不导入")
    imp.add_argument("--db", metavar="URL", help="数据库 URL（默认：用户数据目录下的 SQLite 文件）")
    imp.set_defaults(func=run_import)

    acc = sub.add_parser(
        "accept",
        help="接受学生的当前照片（指定学生，或全部检查通过的照片）",
        description="接受指定学生（学号或身份证号）的当前照片，或用 --all-passing 接受全部“待复核”且检查通过的"
        "照片。软性检查未通过的照片须用 --reason 说明仍接受的理由；硬性检查未通过的照片不能接受。"
        "退出码：0 全部已接受；1 学习中心不存在等；2 有照片未能接受（逐个列出原因）或参数错误。",
    )
    acc.add_argument("students", nargs="*", metavar="STUDENT", help="学号或身份证号")
    acc.add_argument("--station", required=True, metavar="NAME", help="学习中心/函授站名称")
    acc.add_argument("--all-passing", action="store_true", help="接受全部“待复核”且检查通过的照片")
    acc.add_argument("--reason", metavar="TEXT", help="软性检查未通过时仍接受的理由（须为列表中的一项）")
    acc.add_argument("--note", metavar="TEXT", default="", help="理由的补充说明（理由为“其他”时必填）")
    acc.add_argument("--db", metavar="URL", help="数据库 URL（默认：用户数据目录下的 SQLite 文件）")
    acc.set_defaults(func=run_accept)

    lst = sub.add_parser(
        "list",
        help="列出学生的照片状态和质量检查结果（身份证号已遮盖）",
        description="每名学生一行（制表符分隔）：拍摄序号、学号、姓名、身份证号（遮盖）、照片状态、检查结果、"
        "未通过的检查。退出码：0；1 学习中心不存在等。",
    )
    lst.add_argument("--station", required=True, metavar="NAME", help="学习中心/函授站名称")
    lst.add_argument(
        "--state",
        choices=("none", "pending", "accepted", "override", "retake"),
        help="只列出该状态：none 未拍摄、pending 待复核、accepted 合格、override 仍接受、retake 需重拍",
    )
    lst.add_argument("--db", metavar="URL", help="数据库 URL（默认：用户数据目录下的 SQLite 文件）")
    lst.set_defaults(func=run_list)


def _check_spec(name: str | None) -> None:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.photo import PresetError, list_presets, load_preset

    if name:
        try:
            load_preset(name)
        except PresetError:
            raise CliError(
                f"没有名为 {name} 的规格。可用规格：{'、'.join(list_presets())}", EXIT_INCOMPLETE
            ) from None


def _station(db, name: str) -> int:
    sid = station_id_by_name(db, name)
    assert sid is not None  # a name is required by the parser
    return sid


def _who(roster, student_id: int) -> str:
    row = roster.row(student_id)
    return f"{row.shot_no} {row.name}（{row.student_no}）" if row else f"学生 {student_id}"


def run_import(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.capture import photo_import
    from app.services.capture.photo_store import StoreUnwritable
    from app.services.capture.service import CaptureService
    from app.services.roster.service import RosterService

    _check_spec(args.spec)
    folder = Path(args.folder)
    if folder.is_symlink():
        raise CliError(f"照片文件夹 {folder} 是一个链接（符号链接）；为安全起见不会进入它，请给出文件夹本身")
    if not folder.is_dir():
        raise CliError(f"找不到照片文件夹 {folder}" if not folder.exists() else f"{folder} 不是文件夹")
    db = open_database(args.db)
    sid = _station(db, args.station)
    roster = RosterService(db.sessions)
    if roster.count(sid) == 0:
        raise CliError(f"学习中心“{args.station}”还没有学生，请先导入花名册（roster import）")
    skipped: list[tuple[Path, str]] = []
    try:
        files = photo_import.photo_files(folder, skipped)
    except OSError as exc:
        raise CliError(f"无法读取照片文件夹 {folder}：{exc.strerror or exc}") from None
    match = photo_import.match_files(db.sessions, sid, files, args.by)
    print(
        f"{folder} → {args.station}：共 {len(files)} 个照片文件（文件名为{photo_import.MATCH_KEYS[args.by]}）；{match.summary()}"
        + (f"；另有 {len(skipped)} 个文件不导入" if skipped else "")
    )
    for path, why in sorted(skipped):
        print(f"  不导入 {path.relative_to(folder)}：{why}")
    for path in match.unmatched:
        print(
            f"  未匹配 {path.relative_to(folder)}：找不到{photo_import.MATCH_KEYS[args.by]}与文件名相同的学生"
        )
    for path, why in match.ambiguous:
        print(f"  需人工确认 {path.relative_to(folder)}：{why}（请在界面中指定学生，或删去多余的文件）")
    pairs = sorted(match.matched, key=lambda pair: pair[0])
    incomplete = bool(skipped or match.unmatched or match.ambiguous)
    if args.dry_run:
        for path, student_id in pairs:
            print(f"  匹配 {path.relative_to(folder)} → {_who(roster, student_id)}")
        print("只列出了匹配结果（--dry-run），未导入任何照片。")
        return EXIT_INCOMPLETE if incomplete else EXIT_OK
    if not pairs:
        print("没有可导入的照片。", file=sys.stderr)
        return EXIT_INCOMPLETE
    capture = CaptureService(db.sessions, photo_store_for(db), operator_name())
    try:
        report = photo_import.import_matched(capture, pairs, Progress("导入"), preset=args.spec)
    except (KeyboardInterrupt, photo_import.PhotoImportCancelled):
        print("已中断：已导入的照片保留，其余未导入。", file=sys.stderr)
        return EXIT_INCOMPLETE
    except StoreUnwritable as exc:
        raise CliError(str(exc)) from None
    failed = dict(report.failed)
    taken = {f.path for f in report.files}
    for f in report.files:
        if f.path in failed:
            line = f"无法读取 {f.path.relative_to(folder)} → {_who(roster, f.student_id)}：{failed[f.path]}"
        else:
            verdict = STATUS_WORDS.get(f.status, f.status)
            checks = f"：{'、'.join(f.failed_checks)}" if f.failed_checks else ""
            line = f"导入 {f.path.relative_to(folder)} → {_who(roster, f.student_id)}：{verdict}{checks}"
        print(f"  {line}")
    for path, why in report.failed:
        if path not in taken:
            print(f"  无法导入 {path.relative_to(folder)}：{why}")
    counts = "，".join(
        f"{word} {report.statuses[k]}" for k, word in STATUS_WORDS.items() if report.statuses.get(k)
    )
    print(f"已导入 {report.imported} 张（{counts or '—'}）；无法读取 {len(report.failed)} 个文件。")
    if args.accept_passing:
        passing = [(f.student_id, f.photo_id) for f in report.files if f.status in PASSING]
        accepted, refused = _accept(capture, roster, passing)
        left = report.imported - accepted
        print(
            f"已接受检查通过的 {accepted} 张"
            + (f"；{left} 张仍为“待复核”，需在界面中复核" if left else "")
            + "。"
        )
        incomplete = incomplete or bool(refused)
    else:
        print("导入的照片均为“待复核”：请在“照片裁剪”页复核，或用 photos accept 接受。")
    return EXIT_INCOMPLETE if incomplete or report.failed else EXIT_OK


def _accept(capture, roster, targets: list[tuple[int, int]], reason: str | None = None, note: str = ""):
    """Accept each (student, photo); returns (how many were accepted, [(student, why not)])."""
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.capture.service import CaptureError, NeedsConfirmation

    accepted, refused = 0, []
    compare = _identity_check(capture)
    progress = Progress("接受") if len(targets) > 20 else None  # a face takes ~0.1 s to compare
    for index, (student_id, photo_id) in enumerate(targets, 1):
        compare(photo_id)
        if progress:
            progress(index, len(targets))
        try:
            state = capture.accept(photo_id, reason=reason, note=note)
        except NeedsConfirmation as exc:
            refused.append((student_id, f"{exc}（命令行：--reason 理由）"))
        except CaptureError as exc:
            refused.append((student_id, str(exc)))
        else:
            accepted += 1
            if state == "override":
                print(
                    f"  仍接受 {_who(roster, student_id)}（理由：{capture.photo(photo_id).override_reason}）"
                )
    for student_id, why in refused:
        print(f"  未接受 {_who(roster, student_id)}：{why}", file=sys.stderr)
    return accepted, refused


def _identity_check(capture):
    """The identity pre-check of a photo about to be accepted, as Enter on the capture tab waits for it: a photo
    never compared (imported from a folder) is compared first, so 可能不是本人 needs a reason like any soft
    check. Nothing is computed where the station has the check off or the student no enrolment photo. Advice
    only: a face model that cannot be loaded is said once, and the photos are accepted on their other checks."""
    # deferred: a command loads only its own services (dlib and the face model cost start-up time)
    from app.services.identity.enrolment import EnrolmentService
    from app.services.identity.model import ModelError

    identity = EnrolmentService(capture.sessions, capture.store.root, operator_name())
    broken: list[str] = []

    def check(photo_id: int) -> None:
        if broken:
            return
        try:
            identity.check_photo(photo_id)
        except ModelError as exc:
            broken.append(str(exc))
            print(f"  人脸比对无法进行（照片按其他检查接受）：{exc}", file=sys.stderr)

    return check


def run_accept(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.capture.overrides import override_reasons
    from app.services.capture.service import CaptureService
    from app.services.delivery.source import load_delivery
    from app.services.roster.service import RosterService

    if not args.students and not args.all_passing:
        raise CliError("请给出学生（学号或身份证号），或使用 --all-passing", EXIT_INCOMPLETE)
    if args.reason is not None and args.reason not in override_reasons():
        raise CliError(f"理由须为以下之一：{'；'.join(override_reasons())}", EXIT_INCOMPLETE)
    db = open_database(args.db)
    sid = _station(db, args.station)
    roster = RosterService(db.sessions)
    capture = CaptureService(db.sessions, photo_store_for(db), operator_name())
    targets: list[tuple[int, int]] = []
    missing: list[str] = []
    if args.all_passing:
        for s in load_delivery(db.sessions, sid).students:
            if s.photo_state == "pending" and s.photo is not None and s.photo.qc_status in PASSING:
                targets.append((s.id, s.photo.id))
    for text in args.students:
        student = roster.find_by_scan(text, sid)
        photo = capture.current_photo(student.id) if student is not None else None
        if student is None:
            missing.append(f"本站没有学号或身份证号为“{text}”的学生")
        elif photo is None:
            missing.append(f"{_who(roster, student.id)} 还没有照片")
        elif all(photo.id != p for _, p in targets):
            targets.append((student.id, photo.id))
    for why in missing:
        print(f"  未接受 {why}", file=sys.stderr)
    accepted, refused = _accept(capture, roster, targets, args.reason, args.note)
    print(
        f"已接受 {accepted} 张照片"
        + (f"；{len(refused) + len(missing)} 名学生未接受（见上）" if refused or missing else "")
        + "。"
    )
    return EXIT_INCOMPLETE if refused or missing else EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services and Qt (start-up time of every other command)
    from app.services.capture.service import STATE_LABELS
    from app.services.delivery.source import load_delivery
    from app.services.standards.idcard import mask_id

    db = open_database(args.db)
    sid = _station(db, args.station)
    students = load_delivery(db.sessions, sid, include_withdrawn=True).students
    rows = [s for s in students if args.state is None or s.photo_state == args.state]
    print("\t".join(["拍摄序号", "学号", "姓名", "身份证号", "照片状态", "检查结果", "未通过的检查"]))
    for s in rows:
        photo = s.photo
        print(
            "\t".join(
                [
                    str(s.shot_no),
                    s.student_no,
                    s.name,
                    mask_id(s.id_number),
                    STATE_LABELS.get(s.photo_state, s.photo_state),
                    STATUS_WORDS.get(photo.qc_status, photo.qc_status or "未检查") if photo else "—",
                    "、".join(photo.failed_checks) if photo else "",
                ]
            )
        )
    counts: dict[str, int] = {}
    for s in students:
        counts[s.photo_state] = counts.get(s.photo_state, 0) + 1
    summary = "，".join(f"{label} {counts[k]}" for k, label in STATE_LABELS.items() if counts.get(k))
    print(
        f"共 {len(students)} 名学生：{summary or '—'}" + (f"；列出 {len(rows)} 名" if args.state else ""),
        file=sys.stderr,
    )
    return EXIT_OK
