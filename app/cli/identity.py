"""`identity`: the identity pre-check (does a photo look like the student's enrolment photo? advice only)."""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_FAILED = 0, 1


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


def run_compare(args: argparse.Namespace) -> int:
    # deferred: a command loads only its own services (dlib and the face model cost start-up time)
    from app.services.identity.compare import THRESHOLD, UNKNOWN, compare
    from app.services.identity.model import ModelError

    try:
        result = compare(args.new, args.enrolment)
    except ModelError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_FAILED
    if result.verdict == UNKNOWN:
        print(f"{UNKNOWN}：{result.reason}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{result.verdict}（距离 {result.distance:.3f}，阈值 {THRESHOLD}；距离越小越像同一人，仅供参考）")
    return EXIT_OK
