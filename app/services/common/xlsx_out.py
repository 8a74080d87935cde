"""Saving openpyxl workbooks reproducibly and atomically: same cells → same bytes.

openpyxl stamps the save time into docProps/core.xml and every zip entry; a delivery's manifest
must not change when nothing but the clock did, so the stamp comes from the data instead.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import unicodedata
import zipfile
from pathlib import Path

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

from app.services.common.files import atomic_write_bytes

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEADER_FONT = Font(name="宋体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
TEXT_FORMAT = "@"


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times (and the same order and content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def defuse_formulas(wb: Workbook) -> int:
    """Every cell openpyxl took for a formula (text starting with '=') becomes plain text; returns how many.

    GradPhoto writes no formulas of its own: any such cell is user text, e.g. a roster name like
    =HYPERLINK("http://…"&A1,"click") or =cmd|' /C calc'!A0, which Excel and WPS would otherwise run."""
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell._value = str(cell.value)  # stored as a string cell, shown as typed
                    cell.data_type = "s"
                    n += 1
    return n


def workbook_bytes(wb: Workbook, stamp: dt.datetime) -> bytes:
    """The .xlsx bytes with `stamp` as created/modified time and fixed zip times (no formulas, ever)."""
    defuse_formulas(wb)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "GradPhoto"
    wb.properties.lastModifiedBy = "GradPhoto"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # the writer (unlike save_workbook) keeps our stamp
    return normalise_zip(raw.getvalue())


def save_workbook(wb: Workbook, path: Path | str, stamp: dt.datetime) -> bytes:
    """Write atomically; returns the bytes written."""
    data = workbook_bytes(wb, stamp)
    atomic_write_bytes(path, data)
    return data


WIDE_UNITS, NARROW_UNITS = 2.1, 1.1  # column-width units of a CJK / a Latin character in 宋体 11 pt
WIDTH_CAP = 40.0  # wider than this, a column's text wraps instead
LINE_PT = 14.5  # one line of 宋体 11 pt
MAX_ROW_PT = 409.0  # Excel's limits: a row at most 409 points tall, a column at most 255 characters wide
MAX_WIDTH = 255.0


def display_width(text: str) -> float:
    """How many column-width units a text takes on one line (a CJK character about two digits)."""
    return sum(WIDE_UNITS if unicodedata.east_asian_width(c) in "WF" else NARROW_UNITS for c in text)


def _line_widths(text: str) -> list[float]:
    """The display width of each line of a value (a value pasted with line breaks is several lines)."""
    return [display_width(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def fit_columns(
    ws, least: list[float], first_row: int, last_row: int, caps: dict[int, float] | None = None
) -> None:
    """Column widths from the content of rows first_row..last_row (the header and the table, not the title or
    closing lines): each column at least its `least` width and wide enough for its longest value, up to a cap
    (WIDTH_CAP, or caps[column]); a value longer than that, or of several lines, wraps (wrap_text) and its row
    grows to show every line, so nothing a clerk must read — a long minority name, a pinyin note — is clipped;
    within Excel's limits (255 wide, 409 pt tall)."""
    caps = caps or {}
    widths: list[float] = []
    for c, low in enumerate(least, start=1):
        longest = max(
            (
                max(_line_widths(str(ws.cell(r, c).value)))
                for r in range(first_row, last_row + 1)
                if ws.cell(r, c).value is not None
            ),
            default=0.0,
        )
        width = min(max(low, longest + 2), max(low, caps.get(c, WIDTH_CAP)), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(c)].width = round(width, 1)
        widths.append(width)
    for r in range(first_row, last_row + 1):
        lines = 1
        for c, width in enumerate(widths, start=1):
            cell = ws.cell(r, c)
            if cell.value is None:
                continue
            room = max(1.0, width - 1.5)
            need = sum(max(1, math.ceil(w / room)) for w in _line_widths(str(cell.value)))
            if need > 1 or cell.alignment.wrap_text:
                align = copy.copy(cell.alignment)
                align.wrap_text = True
                cell.alignment = align
            lines = max(lines, need)
        if lines > 1:
            current = ws.row_dimensions[r].height or LINE_PT + 4
            # Excel shows no taller row: text beyond 409 pt is cut in the cell (the whole value stays in it)
            ws.row_dimensions[r].height = min(MAX_ROW_PT, max(current, lines * LINE_PT + 4))


def page_footer(ws) -> None:
    """第 n 页，共 m 页 at the foot of every printed page, inside the bottom margin (a 0.5″ footer in a 0.6″
    margin was cut off)."""
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def a4_landscape(ws, title_rows: str, fit_width: bool = True) -> None:
    """A4 landscape, narrow margins, header rows repeated on every printed page, centred horizontally."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    page_footer(ws)
