"""Capture-card data sheet (《高等教育学历电子注册图像信息采集卡》, legacy, seed 004).

Per student what the machine-read card asks for, with the name's GB2312 区位码 worked out, the
characters that need 0000 and pinyin, names to be hand-written, and the positions in 学号/身份证号
where a letter means filling both 0 and 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from app.services.common.xlsx_out import (
    BODY_FONT,
    BORDER,
    CENTRE,
    HEADER_FONT,
    TEXT_FORMAT,
    TITLE_FONT,
    a4_landscape,
    fit_columns,
    save_workbook,
)
from app.services.delivery.source import Delivery, DeliveryStudent
from app.services.standards.gbcode import describe_positions, letter_positions, name_codes

TITLE = "高等教育学历电子注册图像信息采集卡 填涂数据"
HANDWRITE = "超过四字，正楷手写全名，不填代码"
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("shot_no", "拍摄序号", 7),
    ("school_name", "所在院校名称", 16),
    ("school_code", "院校代码", 8),
    ("dept_code", "(院)系代码", 8),
    ("edu_category", "学历类别", 10),
    ("school_type", "所在校别", 10),
    ("name", "姓名", 10),
    ("codes", "姓名区位码", 22),
    ("name_note", "姓名说明", 20),
    ("sex", "性别", 5),
    ("student_no", "学号", 15),
    ("student_no_marks", "学号字母位置", 14),
    ("id_number", "身份证号码", 21),
    ("id_marks", "身份证号字母位置", 14),
    ("major", "专业名称", 18),
)
TEXT_COLUMNS = frozenset({"school_code", "dept_code", "codes", "student_no", "id_number"})
ATTENTION = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class CardRow:
    values: dict[str, object]
    attention: bool  # something the clerk must do by hand


def card_row(s: DeliveryStudent) -> CardRow:
    nc = name_codes(s.name)
    if nc.handwrite:
        note = HANDWRITE
    elif nc.pinyin_notes:
        note = "无区位码，填 0000 并旁注拼音：" + nc.pinyin_notes
    else:
        note = ""
    values: dict[str, object] = {
        "shot_no": s.shot_no,
        "school_name": s.school_name,
        "school_code": s.school_code,
        "dept_code": s.dept_code,
        "edu_category": s.edu_category,
        "school_type": s.school_type,
        "name": s.name,
        "codes": nc.codes,
        "name_note": note,
        "sex": s.sex,
        "student_no": s.student_no,
        "student_no_marks": describe_positions(letter_positions(s.student_no)),
        "id_number": s.id_number,
        "id_marks": describe_positions(letter_positions(s.id_number)),
        "major": s.major,
    }
    attention = bool(note or values["student_no_marks"] or values["id_marks"])
    return CardRow(values, attention)


def card_rows(delivery: Delivery) -> list[CardRow]:
    return [card_row(s) for s in delivery.students]


def table_rows(delivery: Delivery) -> tuple[list[str], list[list[str]]]:
    headers = [h for _, h, _ in COLUMNS]
    return headers, [[str(r.values[k]) for k, _, _ in COLUMNS] for r in card_rows(delivery)]


def save_cards(delivery: Delivery, path: Path | str) -> int:
    """The data sheet as .xlsx; rows needing hand work are shaded. Returns the row count."""
    wb = Workbook()
    ws = wb.active
    ws.title = "采集卡数据"
    last = get_column_letter(len(COLUMNS))
    ws["A1"] = TITLE
    ws["A1"].font, ws["A1"].alignment = TITLE_FONT, CENTRE
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = (
        f"校外学习中心（函授站）名称: {delivery.station.name}　区位码为 GB2312 区号+位号，每字 4 位；"
        "底色标出需手工处理的行"
    )
    ws["A2"].font = BODY_FONT
    ws.merge_cells(f"A2:{last}2")
    for c, (_, header, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(3, c, header)
        cell.font, cell.alignment, cell.border = HEADER_FONT, CENTRE, BORDER
    rows = card_rows(delivery)
    for r, row in enumerate(rows, start=4):
        for c, (key, _, _) in enumerate(COLUMNS, start=1):
            value = row.values[key]
            text = key in TEXT_COLUMNS
            cell = ws.cell(r, c, str(value) if text else value)
            cell.border, cell.font = BORDER, BODY_FONT
            if text:
                cell.number_format = TEXT_FORMAT
            if row.attention:
                cell.fill = ATTENTION
    fit_columns(ws, [w for _, _, w in COLUMNS], 3, 3 + len(rows))
    ws.freeze_panes = "A4"
    a4_landscape(ws, "1:3")
    save_workbook(wb, path, delivery.data_stamp)
    return len(rows)
