"""The rules every student record obeys, whether it comes from an import or the edit dialog."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.services.common.fieldrules import check_text
from app.services.common.values import ValueProblem, code_value, date_value, sex_value, text_value
from app.services.roster.fields import FIELD_BY_KEY, REQUIRED_KEYS
from app.services.roster.names import clean_name
from app.services.roster.stations import infer_dept_code
from app.services.standards.idcard import IdNumberError, parse_id_number


@dataclass(frozen=True)
class StationRules:
    """What validation needs to know about the station, detached from any session."""

    station_id: int
    name: str
    dept_codes: frozenset[str]
    school_name: str = ""
    school_code: str = ""
    school_type: str = ""
    dept_table: tuple[dict, ...] = ()  # the station's (院)系代码表, with each code's 学习形式 words

    @classmethod
    def of(cls, station) -> StationRules:
        return cls(
            station.id,
            station.name,
            frozenset(station.dept_code_set()),
            station.school_name,
            station.school_code,
            station.default_school_type,
            tuple(dict(e) for e in station.dept_codes or ()),
        )

    def dept_code_for(self, study_mode: object) -> str | None:
        """The (院)系代码 this station gives a 学习形式 (None: none or several fit)."""
        return infer_dept_code(study_mode, list(self.dept_table))


def _convert(key: str, raw: object) -> Any:
    value = _convert_kind(key, raw)
    check_text(key, value)
    return value


def _convert_kind(key: str, raw: object) -> Any:
    kind = FIELD_BY_KEY[key].kind
    if key == "name":
        return clean_name(raw)
    if kind == "code":
        return code_value(raw)
    if kind == "date":
        return date_value(raw)
    if kind == "sex":
        return sex_value(raw)
    if kind == "id":
        return raw  # parsed below, with the other ID checks
    if kind == "file":  # a file's name only: a folder written before it ("D:\\录取\\a.jpg") is dropped
        text = text_value(raw)
        name = re.split(r"[\\/]", text)[-1].strip()
        if text and name in ("", ".", ".."):  # "D:\\录取\\" or "..": a folder, no file of any name
            raise ValueProblem(f"“{text[:60]}”是文件夹，不是文件名")
        return name
    return text_value(raw)


def clean_student_values(
    raw: dict[str, object], rules: StationRules, *, new_student: bool
) -> tuple[dict[str, Any], list[str]]:
    """Clean one record's values and list every problem (Chinese, never quoting the ID number)."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, cell in raw.items():
        try:
            values[key] = _convert(key, cell)
        except ValueProblem as exc:
            problems.append(f"{FIELD_BY_KEY[key].label}：{exc}")
    for key in REQUIRED_KEYS:
        if key in values and values[key] in ("", None):
            problems.append(f"缺少{FIELD_BY_KEY[key].label}")
        elif key not in values and key not in raw and new_student:
            problems.append(f"缺少{FIELD_BY_KEY[key].label}")
    id_raw = values.get("id_number")
    if id_raw not in (None, ""):
        try:
            parsed = parse_id_number(id_raw)
        except IdNumberError as exc:
            problems.append(str(exc))
            values.pop("id_number")
        else:
            values["id_number"] = parsed.number
            if values.get("sex") and values["sex"] != parsed.sex:
                problems.append(f"性别“{values['sex']}”与身份证号码（{parsed.sex}性）不符")
            birth = values.get("birth_date")
            if birth and birth != parsed.birth_date:
                problems.append(f"出生日期 {birth.isoformat()} 与身份证号码中的出生日期不符")
            if new_student and not birth:
                values["birth_date"] = parsed.birth_date
    code = values.get("dept_code")
    if code and rules.dept_codes and code not in rules.dept_codes and code.isdigit():
        # Excel (and a CSV saved by it) turns 003 into 3: take the one code it is a zero-stripped form of.
        padded = [c for c in rules.dept_codes if c.isdigit() and c.lstrip("0") == code.lstrip("0")]
        if len(padded) == 1:
            code = values["dept_code"] = padded[0]
    if code and rules.dept_codes and code not in rules.dept_codes:
        allowed = "、".join(sorted(rules.dept_codes))
        problems.append(f"(院)系代码“{code}”不在本站的代码表中（{allowed}）")
    if new_student:
        for key, default in (
            ("school_name", rules.school_name),
            ("school_code", rules.school_code),
            ("school_type", rules.school_type),
        ):
            if not values.get(key) and default:
                values[key] = default
    return values, problems
