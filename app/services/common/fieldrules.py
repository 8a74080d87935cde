"""The text rules of a student record that every path shares: import, edit, bundle and the pre-flight."""

from __future__ import annotations

import re

from app.models import Student
from app.services.common.values import ValueProblem

# 学号: letters, digits, - and _ only (every college numbering seen uses digits, some a letter prefix);
# it becomes part of file names on the disc, so nothing that could be a path or a formula.
_STUDENT_NO = re.compile(r"^[0-9A-Za-z_-]{1,40}$")
# C0/C1 controls, the line and paragraph separators, and the bidirectional controls that make a name display
# as another (U+202A–202E, 2066–2069, the marks 061C/200E/200F).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def has_control(text: str) -> bool:
    """C0/C1 controls, line/paragraph separators or a bidirectional override anywhere in `text`."""
    return _CONTROL.search(text) is not None


_NOT_IN_NAME = re.compile(r"[/\\<>\"|*?:]")


def _max_length(key: str) -> int | None:
    column = Student.__table__.columns.get(key)
    return getattr(column.type, "length", None) if column is not None else None


def check_text(key: str, value: object) -> None:
    """The rules of the model for every text field: its column's length, no control characters; a name
    without path separators or markup; a 学号 of letters, digits, - and _ (ValueProblem, Chinese)."""
    if not isinstance(value, str) or not value:
        return
    if _CONTROL.search(value):
        raise ValueProblem("含有不可见的控制字符，请重新输入")
    limit = _max_length(key)
    if limit is not None and len(value) > limit:
        raise ValueProblem(f"超过 {limit} 个字符")
    if key == "name" and _NOT_IN_NAME.search(value):
        raise ValueProblem('不能含有 / \\ < > " | * ? : 等字符')
    if key == "student_no" and not _STUDENT_NO.match(value):
        raise ValueProblem("只能由字母、数字、- 和 _ 组成")
    # 录取照片文件名: an import or the dialog keeps only the name after the last / or \; one with a folder
    # could only come from a forged bundle, and would be compared with file names that never hold one
    if key == "enrolment_file" and ("/" in value or "\\" in value):
        raise ValueProblem("只写文件名，不能含有文件夹（/ 或 \\）")
