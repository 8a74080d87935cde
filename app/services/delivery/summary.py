"""《高等教育学历证书电子注册图像信息采集汇总表》 as .xlsx, laid out like the seed's sample (seed 004).

Row 1 the title, row 2 the station line, row 3 the headers, then one row per student by 拍摄序号.
学号, 身份证号码 and the codes are text cells with the text format, so Excel and WPS keep leading
zeros and never show 4.10105E+17.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.services.common.xlsx_out import (
    BODY_FONT,
    BORDER,
    CENTRE,
    HEADER_FONT,
    LEFT,
    TEXT_FORMAT,
    TITLE_FONT,
    a4_landscape,
    fit_columns,
    save_workbook,
    workbook_bytes,
)
from app.services.delivery.source import SUMMARY_COLUMNS, TEXT_KEYS, Delivery

TITLE = "高等教育学历证书电子注册图像信息采集汇总表"
STATION_LINE = "校外学习中心（函授站）名称: "
FILE_NAME = "采集汇总表.xlsx"
HEADER_ROW = 3
FIRST_DATA_ROW = 4
WIDTHS = [8, 12, 16, 6, 22, 22, 12, 12, 10, 22, 10]


def build_summary(delivery: Delivery) -> Workbook:
    """The workbook in memory (write it with save_summary)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ncol = len(SUMMARY_COLUMNS)
    last = get_column_letter(ncol)
    ws["A1"] = TITLE
    ws["A1"].font, ws["A1"].alignment = TITLE_FONT, CENTRE
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    ws["A2"] = STATION_LINE + delivery.station.name
    ws["A2"].font, ws["A2"].alignment = BODY_FONT, LEFT
    ws.merge_cells(f"A2:{last}2")
    for c, (_, header) in enumerate(SUMMARY_COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, c, header)
        cell.font, cell.alignment, cell.border = HEADER_FONT, CENTRE, BORDER
    ws.row_dimensions[HEADER_ROW].height = 30
    text_cols = {c for c, (k, _) in enumerate(SUMMARY_COLUMNS, start=1) if k in TEXT_KEYS}
    for r, student in enumerate(delivery.students, start=FIRST_DATA_ROW):
        for c, (key, _) in enumerate(SUMMARY_COLUMNS, start=1):
            value = student.value(key)
            cell = ws.cell(r, c, str(value) if c in text_cols else value)
            cell.border = BORDER
            cell.font = BODY_FONT
            if c in text_cols:
                cell.number_format = TEXT_FORMAT
    fit_columns(ws, WIDTHS, HEADER_ROW, HEADER_ROW + len(delivery.students))
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    a4_landscape(ws, f"1:{HEADER_ROW}")
    if delivery.students:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(delivery.students)}"
    return wb


def summary_bytes(delivery: Delivery) -> bytes:
    return workbook_bytes(build_summary(delivery), delivery.data_stamp)


def save_summary(delivery: Delivery, path: Path | str) -> bytes:
    """Write the workbook atomically; same data → same bytes."""
    return save_workbook(build_summary(delivery), path, delivery.data_stamp)


def table_rows(delivery: Delivery) -> tuple[list[str], list[list[str]]]:
    """Headers and rows as text, for the printable form."""
    headers = [h for _, h in SUMMARY_COLUMNS]
    rows = [[str(s.value(k)) for k, _ in SUMMARY_COLUMNS] for s in delivery.students]
    return headers, rows
