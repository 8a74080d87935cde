"""Saving openpyxl workbooks reproducibly and atomically: same cells → same bytes.

openpyxl stamps the save time into docProps/core.xml and every zip entry; a delivery's manifest
must not change when nothing but the clock did, so the stamp comes from the data instead.
"""

from __future__ import annotations

import datetime as dt
import io
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


def set_widths(ws, widths: list[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


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
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
