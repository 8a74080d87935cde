"""Proofing states, error kinds and the next action the seeds prescribe for each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProofState:
    key: str
    label: str
    next_action: str
    needs_action: bool
    synonyms: tuple[str, ...] = ()


STATES: tuple[ProofState, ...] = (
    ProofState(
        "unchecked",
        "尚未校对",
        "提醒学生登录学信网“图像校对”，核对学籍信息和照片后点击“正确”或“有误”",
        True,
        ("未校对", "未核对", "待校对"),
    ),
    ProofState("correct", "正确", "无需处理", False, ("无误", "信息无误", "已校对", "确认无误", "正确无误")),
    ProofState("wrong", "有误", "按错误类型处理（见下）", True, ("错误", "有错误", "信息有误")),
    ProofState(
        "no_photo_pending",
        "无照片（未上传）",
        "图像尚未上传：联系采集单位（新华社）确认上网时间，上网后请学生重新登录校对",
        True,
        ("无照片(未上传)", "未上传", "照片未上传"),
    ),
    ProofState(
        "no_photo_mismatch",
        "无照片（信息不一致）",
        "采集信息与学籍不一致：到继续教育学院学生科确认录取信息后，联系当地新华社重新采集",
        True,
        ("无照片(信息不一致)", "信息不一致"),
    ),
    ProofState(
        "no_record",
        "无学籍（姓名/身份证不匹配）",
        "注册账号的姓名或身份证号与学籍不符：学生本人把身份证扫描件发到 kefu@chsi.com.cn，写明姓名、要修改的内容和联系电话，"
        "学信网 3 个工作日内处理",
        True,
        ("无学籍", "无学籍(姓名/身份证不匹配)", "看不到学籍"),
    ),
    ProofState("linked", "已关联学历", "照片已关联到电子学历，无需处理", False, ("已毕业", "已关联")),
)
STATE_BY_KEY = {s.key: s for s in STATES}


@dataclass(frozen=True)
class ErrorKind:
    key: str
    label: str
    next_action: str
    photo_side: bool  # goes on the 勘误表 to the capture agency


ERROR_KINDS: tuple[ErrorKind, ...] = (
    ErrorKind(
        "not_self",
        "照片非本人",
        "填写《图像数据检查勘误表》，加盖学习中心公章，传真或邮寄中国图片社请求更正",
        True,
    ),
    ErrorKind(
        "blurred",
        "图像模糊",
        "填写《图像数据检查勘误表》，加盖学习中心公章，传真或邮寄中国图片社请求更正",
        True,
    ),
    ErrorKind(
        "wrong_school",
        "院校错误",
        "填写《图像数据检查勘误表》，加盖学习中心公章，传真或邮寄中国图片社请求更正",
        True,
    ),
    ErrorKind("record", "学籍信息有误", "学生提交身份证复印件等材料至教务处，按学籍信息勘误", False),
    ErrorKind("other", "其他", "联系学生核实情况", False),
)
ERROR_BY_KEY = {e.key: e for e in ERROR_KINDS}

# The 17 fields students proof online (seeds 000–003), in the order the registry shows them.
PROOFED_FIELDS: tuple[str, ...] = (
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "学号",
    "院校名称",
    "分院",
    "系",
    "专业名称",
    "班级",
    "层次",
    "学制",
    "学历类别",
    "学习形式",
    "入学日期",
    "学籍状态",
)


class ProofError(ValueError):
    """A proofing entry that does not make sense; the message is Chinese."""


def clean_errors(state: str, errors: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Validate the error list: only 有误 carries errors, each of a known kind with what it needs."""
    if state != "wrong":
        return None
    cleaned = []
    for error in errors or []:
        kind = error.get("kind")
        if kind not in ERROR_BY_KEY:
            raise ProofError(f"未知的错误类型：{kind}")
        item: dict[str, Any] = {"kind": kind}
        if kind == "record":
            field = str(error.get("field", "")).strip()
            if field not in PROOFED_FIELDS:
                raise ProofError(f"学籍信息有误须指明是哪一项（{'、'.join(PROOFED_FIELDS)}）")
            item["field"] = field
            item["correct"] = str(error.get("correct", "")).strip()
        if kind == "other" or error.get("text"):
            text = str(error.get("text", "")).strip()
            if kind == "other" and not text:
                raise ProofError("“其他”须写明问题")
            if text:
                item["text"] = text
        cleaned.append(item)
    if not cleaned:
        raise ProofError("“有误”须至少选择一种错误类型")
    return cleaned


def describe_error(error: dict[str, Any]) -> str:
    """照片非本人 / 民族应为回族 / 其他的文字 — how the feedback form words each error."""
    kind = error["kind"]
    if kind == "record":
        correct = error.get("correct", "")
        return f"{error['field']}应为{correct}" if correct else f"{error['field']}有误"
    if kind == "other":
        return error.get("text", "其他")
    label = ERROR_BY_KEY[kind].label
    return f"{label}（{error['text']}）" if error.get("text") else label


def result_text(state: str, errors: list[dict[str, Any]] | None) -> str:
    """The 校对结果 cell: 无误, the errors joined with ；, blank when unchecked, else the state's name."""
    if state == "correct":
        return "无误"
    if state == "unchecked":
        return ""
    if state == "wrong":
        return "；".join(describe_error(e) for e in errors or []) or "有误"
    return STATE_BY_KEY[state].label


def next_action(state: str, errors: list[dict[str, Any]] | None) -> str:
    if state == "wrong" and errors:
        actions = dict.fromkeys(ERROR_BY_KEY[e["kind"]].next_action for e in errors)
        return "；".join(actions)
    return STATE_BY_KEY[state].next_action


def _state_key(text: object) -> str:
    return "".join(str(text or "").split()).replace("(", "（").replace(")", "）")


_STATE_NAMES = {_state_key(n): s.key for s in STATES for n in (s.label, *s.synonyms)}


def parse_state(text: object) -> str | None:
    """A state name from a spreadsheet cell (无误 → 正确); None when not recognised."""
    return _STATE_NAMES.get(_state_key(text)) if _state_key(text) else None
