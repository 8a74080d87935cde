"""A table as the clerk sees it — headers and rows of shown text — to the clipboard (TSV, HTML) or a workbook.

Qt-free: the window hands over the visible columns of the current view, in their order, already filtered and
sorted; this module only writes them. Every cell is written as text, so a 学号 keeps its leading zeros and an
18-digit 身份证号 never becomes 4.10105E+17, in Excel, WPS and LibreOffice alike.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl.styles import Alignment, PatternFill
from openpyxl.workbook import Workbook

from app.services.common.masking import mask_id, mask_id_numbers
from app.services.common.values import csv_safe
from app.services.common.xlsx_out import (
    BODY_FONT,
    BORDER,
    HEADER_FONT,
    LEFT,
    TEXT_FORMAT,
    a4_landscape,
    display_width,
    fit_columns,
    page_footer,
    save_workbook,
)

Row = Sequence[object]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SHEET_NAME_MAX = 31  # Excel's limit on a sheet name
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def cell_text(value: object) -> str:
    """A shown value as text: None → '', whole floats without '.0', dates as 2024-03-01."""
    if type(value) is str:  # nearly every cell, and each one is passed here three times in a copy
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_WHOLE_ID = re.compile(r"\d{17}[\dXx]|\d{15}")


def _masked_cell(text: str) -> str:
    # a cell that is an ID shows as the table shows it (410105********123X); IDs inside other text as in logs
    return mask_id(text) if _WHOLE_ID.fullmatch(text) else mask_id_numbers(text)


def masked_rows(rows: Sequence[Row]) -> list[list[str]]:
    """Every cell as text with anything shaped like a 身份证号 masked (410105********123X)."""
    return [[_masked_cell(cell_text(v)) for v in row] for row in rows]


def _tsv_cell(text: str) -> str:
    """Excel's own convention when it copies: a cell holding a tab, a line break or a quote is quoted, and
    its quotes doubled; anything else goes as it is. Pasted text is parsed as if typed, so a cell starting
    with = + - @ (a roster's =HYPERLINK(…)) gets csv_safe's apostrophe first and stays text."""
    text = str(csv_safe(text))
    if any(c in text for c in '\t\n\r"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def tsv(headers: Sequence[str], rows: Sequence[Row]) -> str:
    """Tab-separated text with the header line first, lines ending CRLF as Excel's and WPS's own copies do."""
    lines = ["\t".join(_tsv_cell(cell_text(h)) for h in headers)]
    lines += ["\t".join(_tsv_cell(cell_text(v)) for v in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def html_table(headers: Sequence[str], rows: Sequence[Row]) -> str:
    """The same table as HTML for the clipboard: Excel and WPS paste this flavour when it is offered and
    honour mso-number-format:'@', so every cell arrives as text (an 18-digit 身份证号 stays whole)."""
    text_style = "mso-number-format:'\\@';"
    head = "".join(f"<th>{html.escape(cell_text(h))}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="{text_style}">{html.escape(cell_text(v)).replace(chr(10), "<br>")}</td>' for v in row
        )
        + "</tr>"
        for row in rows
    )
    return (
        '<html><head><meta charset="utf-8"></head><body>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def sheet_name(title: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\, at most 31 characters, never empty."""
    name = title.translate(_BAD_SHEET_CHARS).strip("' ")[:SHEET_NAME_MAX]
    return name or "Sheet1"


def table_workbook(
    headers: Sequence[str], rows: Sequence[Row], title: str = "", extra_sheets: Sequence[tuple] = ()
) -> Workbook:
    """A workbook of one table: a bold header row on a tint, frozen, with a filter; every cell text-typed and
    bordered; columns fitted to their content; printed A4 landscape, one page wide, with page numbers. `extra_sheets` adds more tables,
    each (title, headers, rows)."""
    wb = Workbook()
    ws = wb.active
    _fill_sheet(ws, title, headers, rows)
    for more_title, more_headers, more_rows in extra_sheets:
        _fill_sheet(wb.create_sheet(), more_title, more_headers, more_rows)
    return wb


def _fill_sheet(ws, title: str, headers: Sequence[str], rows: Sequence[Row]) -> None:
    ws.title = sheet_name(title)
    wrap_header = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c, header in enumerate(headers, start=1):
        cell = ws.cell(1, c, cell_text(header))
        cell.font, cell.border, cell.alignment, cell.fill = HEADER_FONT, BORDER, wrap_header, HEADER_FILL
        cell.number_format = TEXT_FORMAT
    for r, row in enumerate(rows, start=2):
        for c in range(1, len(headers) + 1):
            value = row[c - 1] if c - 1 < len(row) else None
            cell = ws.cell(r, c, cell_text(value))
            cell.font, cell.border, cell.alignment = BODY_FONT, BORDER, LEFT
            cell.number_format = TEXT_FORMAT
    if headers:
        least = [min(12.0, display_width(cell_text(h)) + 2) for h in headers]
        fit_columns(ws, least, 1, len(rows) + 1)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        a4_landscape(ws, "1:1")  # every column on the page's width, the header on every page, 第 n 页
    else:
        page_footer(ws)


def save_table(
    path: Path | str,
    headers: Sequence[str],
    rows: Sequence[Row],
    title: str = "",
    stamp: dt.datetime | None = None,
    extra_sheets: Sequence[tuple] = (),
) -> int:
    """Write the table as an .xlsx atomically; returns the number of rows written."""
    wb = table_workbook(headers, rows, title, extra_sheets)
    save_workbook(wb, path, stamp or dt.datetime.now().replace(microsecond=0))
    return len(rows)
