"""The roster's fields: database key, Chinese header, and the header synonyms seen in real workbooks."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RosterField:
    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text | date | id | sex | code | file


FIELDS: tuple[RosterField, ...] = (
    RosterField("name", "姓名", ("学生姓名", "考生姓名", "名字"), True),
    RosterField("student_no", "学号", ("学生学号", "学籍号"), True, "code"),
    RosterField("sex", "性别", (), True, "sex"),
    RosterField(
        "id_number",
        "身份证号码",
        ("身份证号", "证件号码", "证件号", "身份证", "公民身份号码", "身份证件号"),
        True,
        "id",
    ),
    RosterField("major", "专业名称", ("专业", "所学专业", "报考专业")),
    RosterField("edu_category", "学历类别", ("学历类型",)),
    RosterField("school_type", "所在校别", ("校别",)),
    RosterField("dept_code", "(院)系代码", ("院系代码", "系代码", "院系代号"), kind="code"),
    RosterField("school_name", "所在院校名称", ("院校名称", "学校名称", "所在院校")),
    RosterField("school_code", "院校代码", ("学校代码", "院校代号"), kind="code"),
    RosterField("ethnicity", "民族", ()),
    RosterField("birth_date", "出生日期", ("出生年月", "出生年月日", "生日"), kind="date"),
    RosterField("branch", "分院", ("二级学院", "所在分院")),
    RosterField("department", "系", ("系别", "系(所、函授站)", "系（所、函授站）", "所在系")),
    RosterField("class_name", "班级", ("班级名称", "所在班级", "班")),
    RosterField("level", "层次", ("培养层次", "学历层次")),
    RosterField("duration", "学制", ()),
    RosterField("study_mode", "学习形式", ("学习方式",)),
    RosterField("enrol_date", "入学日期", ("入学时间", "入学年月"), kind="date"),
    RosterField("expected_grad_date", "预计毕业日期", ("毕业日期", "预计毕业时间", "毕业时间"), kind="date"),
    RosterField("status", "学籍状态", ()),
    # 考生号 (admission examination number): enrolment photos are often named by it (identity pre-check).
    RosterField("exam_no", "考生号", ("考生号码", "高考考生号", "考生编号"), kind="code"),
    # The enrolment photo's file name, when a registry export lists it (a file by that name is the student's).
    RosterField(
        "enrolment_file",
        "录取照片文件名",
        ("录取照片", "录取照片文件", "录取照片名", "录取照片名称", "入学照片", "入学照片文件名"),
        kind="file",
    ),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED_KEYS = tuple(f.key for f in FIELDS if f.required)

# Columns that look like roster columns but are not imported (the store assigns 拍摄序号 itself).
# 拒绝原因 is the column a saved workbook of rejected rows adds (app/services/roster/rejects.py).
IGNORED_HEADERS = ("拍摄序号", "序号", "编号", "备注", "拒绝原因")

_SPACES = re.compile(r"[\s\u3000]+")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "、": "、"})


def normalise_header(text: object) -> str:
    """'（院）系 代码\\n' → '(院)系代码': headers differ in spaces, line breaks and full-width brackets."""
    if text is None:
        return ""
    return _SPACES.sub("", str(text)).translate(_FULLWIDTH).strip(":*")


class HeaderGuesser:
    """Maps spreadsheet headers to field keys: exact synonyms first, then a trailing remark stripped, then containment."""

    def __init__(self, names: dict[str, tuple[str, ...]], ignored: tuple[str, ...] = ()) -> None:
        self.exact = {normalise_header(n): key for key, group in names.items() for n in group}
        self.ignored = {normalise_header(h) for h in ignored}
        self._by_length = sorted(self.exact.items(), key=lambda kv: -len(kv[0]))

    def field(self, header: object) -> str | None:
        norm = normalise_header(header)
        if not norm or norm in self.ignored:
            return None
        if norm in self.exact:
            return self.exact[norm]
        # "身份证号码(18位)" or "学生姓名（必填）": strip a trailing remark in brackets and retry.
        stripped = re.sub(r"\(.*?\)$", "", norm)
        if stripped and stripped in self.exact:
            return self.exact[stripped]
        for name, key in self._by_length:
            if len(name) >= 2 and name in norm:
                return key
        return None

    def mapping(self, headers: list[object]) -> dict[int, str]:
        """Column index → field key; each field taken by the first column that claims it."""
        mapping: dict[int, str] = {}
        taken: set[str] = set()
        for index, header in enumerate(headers):
            key = self.field(header)
            if key and key not in taken:
                mapping[index] = key
                taken.add(key)
        return mapping


ROSTER_HEADERS = HeaderGuesser({f.key: (f.label, *f.synonyms) for f in FIELDS}, IGNORED_HEADERS)
guess_field = ROSTER_HEADERS.field
guess_mapping = ROSTER_HEADERS.mapping
