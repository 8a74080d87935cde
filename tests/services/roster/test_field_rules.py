"""Issue 13: one set of field rules for import and edit: lengths from the model, no control characters,
names without path separators, 学号 of letters/digits/-/_, 身份证号 prefixes of real provinces."""

from __future__ import annotations

import pytest

from app.services.roster.names import clean_name
from app.services.roster.rules import StationRules, clean_student_values
from app.services.standards.idcard import IdNumberError, check_char, parse_id_number

RULES = StationRules(1, "站", frozenset())


def _with_check(first17: str) -> str:
    return first17 + check_char(first17)


def _problems(**raw) -> list[str]:
    return clean_student_values(raw, RULES, new_student=False)[1]


@pytest.mark.parametrize(
    "key,value,why",
    [
        ("name", "张\x1b三", "控制字符"),
        ("major", "计算机\x1b科学", "控制字符"),
        ("name", "../../x", "不能含有"),
        ("name", "<script>", "不能含有"),
        ("name", "张" * 101, "超过 100 个字符"),
        ("student_no", "../../../tmp/x", "只能由字母"),
        ("student_no", "=1+1", "只能由字母"),
        ("name", "张\u202e三", "控制字符"),  # a right-to-left override: the name would display as another
        ("class_name", "1班\u2066", "控制字符"),
    ],
)
def test_bad_text_is_refused_with_the_reason(key, value, why):
    problems = _problems(**{key: value})
    assert problems and why in problems[0]


@pytest.mark.parametrize("name", ["热合曼·阿不都热依木", "𠇔𪚥", "Anna Müller", "张三"])
def test_real_names_stay_valid(name):
    assert _problems(name=name) == []


@pytest.mark.parametrize("raw", ["阿卜杜•热合曼", "阿卜杜・热合曼", "阿卜杜‧热合曼", "阿卜杜.热合曼"])
def test_one_name_normaliser(raw):
    assert clean_name(raw) == "阿卜杜·热合曼"


@pytest.mark.parametrize("raw", ["\u200b张三", "张\ufeff三", "张三\u00ad", "张\u2060 三"])
def test_invisible_characters_a_paste_brings_along_are_dropped(raw):
    assert clean_name(raw) == "张三"
    assert clean_student_values({"major": "法\u200b学"}, RULES, new_student=False)[0]["major"] == "法学"


@pytest.mark.parametrize("prefix", ["11", "41", "65", "71", "81", "82", "83", "91"])
def test_real_province_prefixes_are_valid(prefix):
    assert parse_id_number(_with_check(prefix + "0105" + "19900101" + "123")).number.startswith(prefix)


@pytest.mark.parametrize("prefix", ["16", "20", "24", "30", "38", "40", "47", "55", "66", "72", "84", "10"])
def test_other_prefixes_are_refused(prefix):
    with pytest.raises(IdNumberError, match="地区码"):
        parse_id_number(_with_check(prefix + "0105" + "19900101" + "123"))


def test_a_vertical_tab_in_a_name_is_padding_and_goes():
    values, problems = clean_student_values({"name": "张\x0b三"}, RULES, new_student=False)
    assert values["name"] == "张三" and problems == []


@pytest.mark.parametrize(
    "headers,named",
    [
        (["姓名", "学号", "身份证号码", "性别", "姓名"], "第 A 列“姓名”和第 E 列“姓名”"),
        (["姓名", "学号", "身份证号", "性别", "身份证号码"], "第 C 列“身份证号”和第 E 列“身份证号码”"),
    ],
)
def test_duplicate_header_columns_are_a_file_level_error(tmp_path, headers, named):
    from openpyxl import Workbook

    from app.services.roster.reader import RosterReadError, read_roster

    wb = Workbook()
    wb.active.append(headers)
    wb.active.append(["张三", "2023001", "11010519491231002X", "男", "李四"])
    wb.save(tmp_path / "dup.xlsx")
    with pytest.raises(RosterReadError, match=named):
        read_roster(tmp_path / "dup.xlsx")


def test_adding_a_student_retries_when_another_writer_took_the_number(db, station, monkeypatch):
    """Issue 13: a clash on 拍摄序号 with another process's import makes 新增 try again, not fail."""
    from sqlalchemy.exc import IntegrityError

    from app.services.roster import service as service_mod
    from app.services.roster.service import RosterService, StudentError

    roster = RosterService(db.sessions, "教务")
    original = RosterService._add
    clashes = []

    def clash_once(self, *args):
        if not clashes:
            clashes.append(1)
            raise IntegrityError(
                "INSERT", {}, Exception("UNIQUE constraint failed: student.station_id, student.shot_no")
            )
        return original(self, *args)

    monkeypatch.setattr(RosterService, "_add", clash_once)
    monkeypatch.setattr(service_mod.time, "sleep", lambda s: None)
    raw = {
        "name": "张三",
        "student_no": "2023001",
        "sex": "男",
        "id_number": _with_check("41010519900101123"),
    }
    student = roster.add(station.id, raw)
    assert clashes == [1] and student.shot_no == 1

    def always(self, *args):
        raise IntegrityError(
            "INSERT", {}, Exception("UNIQUE constraint failed: student.station_id, student.shot_no")
        )

    monkeypatch.setattr(RosterService, "_add", always)
    with pytest.raises(StudentError, match="另一台电脑"):
        roster.add(station.id, {**raw, "student_no": "2023002"})
