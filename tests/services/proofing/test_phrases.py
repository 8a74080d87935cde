"""What students write on a 校对反馈表, read as a clerk reads it: the phrase table and its precedence."""

from __future__ import annotations

import json

import pytest

from app.services.proofing.phrases import PhraseTable, default_table, is_footer_row, read_words
from app.services.proofing.service import read_cells

# (what the student wrote, the state a clerk records, the errors: kind, or (record, field, correct value))
CASES = [
    # 照片非本人 — the one that went missing from the 勘误表
    ("照片不是本人", "wrong", ["not_self"]),
    ("不是本人", "wrong", ["not_self"]),
    ("非本人", "wrong", ["not_self"]),
    ("别人的照片", "wrong", ["not_self"]),
    ("照片是别人的", "wrong", ["not_self"]),
    ("这不是我的照片！", "wrong", ["not_self"]),
    ("照片 非 本人", "wrong", ["not_self"]),
    # 无照片
    ("看不到照片", "no_photo_pending", None),
    ("没有照片", "no_photo_pending", None),
    ("无照片", "no_photo_pending", None),
    ("登录后照片显示不出来", "no_photo_pending", None),
    ("照片还没上传", "no_photo_pending", None),
    ("无照片，采集信息与学籍信息不一致", "no_photo_mismatch", None),
    # 无学籍, 已关联
    ("看不到学籍信息和照片", "no_record", None),
    ("注册时姓名和身份证不匹配", "no_record", None),
    ("没有校对按钮，学籍状态显示已毕业", "linked", None),
    # 图像模糊
    ("模糊", "wrong", ["blurred"]),
    ("照片有点模糊", "wrong", ["blurred"]),
    ("照片看不清", "wrong", ["blurred"]),
    ("图像不清晰", "wrong", ["blurred"]),
    # 院校错误 (photo side, 勘误表) against 院校名称 (a record field): the named field wins
    ("毕业院校错误", "wrong", ["wrong_school"]),
    ("学校错了", "wrong", ["wrong_school"]),
    ("院校名称错误", "wrong", [("record", "院校名称", "")]),
    ("学校名称不对，应为郑州大学", "wrong", [("record", "院校名称", "郑州大学")]),
    ("院校名称错误（学校错了）", "wrong", [("record", "院校名称", "")]),  # one clause: the field wins
    # 学籍信息有误 with the field named, in everyday words, with and without the correct value
    ("民族应为回族", "wrong", [("record", "民族", "回族")]),
    ("民族错了，应该是回族才对", "wrong", [("record", "民族", "回族")]),
    ("出生日期错误", "wrong", [("record", "出生日期", "")]),
    ("生日不对 应为1999年3月5日", "wrong", [("record", "出生日期", "1999年3月5日")]),
    ("名字写错了", "wrong", [("record", "姓名", "")]),
    ("性别有误", "wrong", [("record", "性别", "")]),
    ("专业应为会计学", "wrong", [("record", "专业名称", "会计学")]),
    ("入学时间不对", "wrong", [("record", "入学日期", "")]),
    ("身份证号码错了一位", "wrong", [("record", "身份证号", "")]),
    # negation and 正确
    ("无误", "correct", None),
    ("正确", "correct", None),
    ("不模糊", "correct", None),
    ("没有问题", "correct", None),
    ("无异常", "correct", None),
    ("照片是本人，没问题", "correct", None),
    ("照片清晰，信息都对", "correct", None),
    ("√", "correct", None),
    ("ＯＫ", "correct", None),
    ("民族无误", "correct", None),
    ("", "unchecked", None),
    ("还没校对", "unchecked", None),
    # several errors in one row, and words nobody listed (kept as written, as 其他)
    ("照片不是本人，民族应为回族", "wrong", ["not_self", ("record", "民族", "回族")]),
    ("照片模糊；学校错了", "wrong", ["blurred", "wrong_school"]),
    ("照片正确，出生日期错误", "wrong", [("record", "出生日期", "")]),
    ("头发太乱了,想重拍", "wrong", [("other", "头发太乱了,想重拍")]),  # one text, its comma kept
    ("头发乱，照片不是本人，背景是白的", "wrong", [("other", "头发乱"), "not_self", ("other", "背景是白的")]),
    ("照片不是本人，背景是白的", "wrong", ["not_self", ("other", "背景是白的")]),
    # two negations cancel: 不是不模糊 says it is blurred; 没有不对 says nothing is wrong
    ("不是不模糊", "wrong", ["blurred"]),
    ("并不是不清楚", "correct", None),
    ("没有不对", "correct", None),
    # a field said to be right in the same clause as another problem is not an error of that field
    ("民族没错照片模糊", "wrong", ["blurred"]),
    ("民族正确但照片模糊", "wrong", ["blurred"]),
    ("照片模糊但民族没错", "wrong", ["blurred"]),
    ("姓名无误性别错了", "wrong", [("record", "性别", "")]),
    ("民族无误性别应为女", "wrong", [("record", "性别", "女")]),
    ("性别民族都没错", "correct", None),
    ("性别和民族都错了", "wrong", [("record", "性别", ""), ("record", "民族", "")]),
    ("照片没问题但民族错了", "wrong", [("record", "民族", "")]),
]


def _errors(expected):
    if expected is None:
        return None
    out = []
    for e in expected:
        if isinstance(e, str):
            out.append({"kind": e})
        elif e[0] == "record":
            out.append({"kind": "record", "field": e[1], "correct": e[2]})
        else:
            out.append({"kind": "other", "text": e[1]})
    return out


def test_there_are_at_least_forty_phrasings():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("words", "state", "errors"), CASES, ids=[c[0] or "(空)" for c in CASES])
def test_a_phrasing_reads_as_a_clerk_reads_it(words, state, errors):
    reading = read_words(words)
    assert (reading.state, reading.errors) == (state, _errors(errors))


def test_unknown_words_are_listed_for_the_preview_to_highlight():
    assert read_words("头发太乱了,想重拍").unknown == ("头发太乱了,想重拍",)
    assert read_words(" 头发乱 ；眼镜反光，照片不是本人").unknown == ("头发乱 ；眼镜反光",)
    assert read_words("照片不是本人").unknown == ()
    vague = read_words("有误")
    assert vague.errors == [{"kind": "other", "text": "有误（未写明问题）"}] and vague.doubts


def test_a_row_that_names_two_situations_takes_the_stronger_and_says_so():
    reading = read_words("看不到照片，民族错了")
    assert reading.state == "no_photo_pending" and reading.errors is None
    assert "按“无照片（未上传）”处理" in reading.doubts[0]


def test_a_ticked_state_and_the_problem_cell_together():
    # 有误 ticked, the problem says 看不到照片: that is 无照片, not 有误 (the reported misreading)
    assert read_cells("有误", "看不到照片")[:2] == ("no_photo_pending", None)
    assert read_cells("有误", "照片不是本人")[:2] == ("wrong", [{"kind": "not_self"}])
    state, errors, _unknown, doubts, words = read_cells("正确", "照片非本人，民族应为回族")
    assert (state, errors[0]) == ("wrong", {"kind": "not_self"}) and doubts
    assert words == "照片非本人，民族应为回族"  # kept exactly as written: the ， is not rewritten to ；
    assert read_cells("无照片（未上传）", "3月再查")[:2] == ("no_photo_pending", None)
    assert read_cells("照片 不是本人", "")[4] == "照片 不是本人"


@pytest.mark.parametrize(
    ("cells", "footer"),
    [
        (["班级名称：____级____班", None, "辅导员签名：", "学院领导：", "学院（公章）"], True),
        (["制表人：王老师", "", "", "日期：2024年5月"], True),
        (["合计", "30 人"], True),
        ([3, "2021003", "张三", "照片不是本人", ""], False),
        ([None, None, None], False),
    ],
)
def test_footer_and_signature_lines(cells, footer):
    assert is_footer_row(cells) is footer


def test_the_table_is_data_and_can_be_extended(tmp_path):
    data = json.loads((default_table_path()).read_text(encoding="utf-8"))
    assert read_words("头发太乱").state == "wrong"
    data["ok"].append("头发太乱")  # a station that does not care about hair
    path = tmp_path / "phrases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert read_words("头发太乱", PhraseTable.load(path)).state == "correct"
    data["errors"]["blurred"].append("头发太乱")  # the same phrase meaning two things is refused
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="头发太乱"):
        PhraseTable.load(path)


def test_the_precedence_is_written_down_in_the_table():
    assert len(default_table().precedence) >= 8
    assert any("院校名称" in rule and "学校" in rule for rule in default_table().precedence)


def default_table_path():
    from app.services.proofing.phrases import _table_path

    return _table_path()
