"""Workbooks a clerk prints show what she must read: the longest value of every table column fits its width or
wraps onto taller rows, and the page footer sits inside the bottom margin."""

from __future__ import annotations

import unicodedata

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from app.services.delivery import cards, fees, summary
from app.services.delivery.source import load_delivery
from app.services.proofing.forms import ProofFormExporter, feedback_workbook
from app.services.proofing.service import ProofingService
from tests.delivery_data import roster
from tests.roster_files import students

LONG = "阿卜杜热合曼·买买提·艾尔肯江"


def _width(text: str) -> int:
    """Display width counted independently: East Asian wide and fullwidth characters count 2, the rest 1."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _check_table(ws, header_row: int, last_row: int) -> list[str]:
    problems = []
    for c in range(1, ws.max_column + 1):
        letter = get_column_letter(c)
        width = ws.column_dimensions[letter].width or 8.43
        for r in range(header_row, last_row + 1):
            cell = ws.cell(r, c)
            if cell.value is None:
                continue
            text = str(cell.value)
            if _width(text) > width and not cell.alignment.wrap_text:
                problems.append(f"{ws.title}!{cell.coordinate} {text!r} ({_width(text)}) in width {width}")
            if cell.alignment.wrap_text and _width(text) > width:
                lines = -(-_width(text) // max(1, int(width) - 2))
                height = ws.row_dimensions[r].height
                if height is not None and height < lines * 13:
                    problems.append(f"{ws.title}!{cell.coordinate} needs {lines} lines, row is {height} pt")
    return problems


def _footer_inside(ws) -> bool:
    m = ws.page_margins
    return m.footer + 0.3 <= m.bottom  # the footer line (about 0.2″ of text) ends above the table area


@pytest.fixture
def delivery(db, station, importer, tmp_path):
    rows = students(30)
    rows[3]["姓名"] = LONG
    rows[5]["姓名"] = "陈\U000201d4"  # outside GB2312, no known pinyin: a long 姓名说明
    rows[7]["姓名"] = "欧阳\U0002a6a5\U000201d4"
    roster(importer, station, tmp_path, 30, rows)
    return load_delivery(db.sessions, station.id)


def test_delivery_workbooks_show_every_value(delivery, tmp_path):
    summary.save_summary(delivery, tmp_path / "s.xlsx")
    cards.save_cards(delivery, tmp_path / "c.xlsx")
    fees.save_fees(delivery, tmp_path / "f.xlsx")
    for name, header_row in (("s.xlsx", 3), ("c.xlsx", 3)):
        ws = load_workbook(tmp_path / name).active
        last = header_row + 30
        assert _check_table(ws, header_row, last) == []
        assert _footer_inside(ws) and ws.oddFooter.center.text
    ws = load_workbook(tmp_path / "f.xlsx").active
    assert _check_table(ws, 3, 3 + 1) == [] and _footer_inside(ws)
    # the hand-written notes are there to be read: the card's 姓名说明 of 陈𠇔
    ws = load_workbook(tmp_path / "c.xlsx").active
    notes = [
        str(c.value) for row in ws.iter_rows(min_row=4) for c in row if c.value and "旁注拼音" in str(c.value)
    ]
    assert "无区位码，填 0000 并旁注拼音：\U000201d4 需手工注音" in notes


def test_proofing_workbooks_show_every_value(db, delivery, station, tmp_path):
    from io import BytesIO

    proofing = ProofingService(db.sessions)
    rows = proofing.rows(station.id)
    long_row = next(r for r in rows if r.name == LONG)
    proofing.set_state(
        [long_row.id],
        "wrong",
        [{"kind": "not_self"}, {"kind": "record", "field": "民族", "correct": "维吾尔族"}],
    )
    rows = proofing.rows(station.id)
    wb = load_workbook(BytesIO(feedback_workbook({"一班": rows}, station.name)))
    ws = wb.active
    assert _check_table(ws, 3, 3 + len(rows)) == [] and _footer_inside(ws)
    errata = ProofFormExporter(proofing).errata(station.id, tmp_path)
    ws = load_workbook(errata).active
    assert _check_table(ws, 3, ws.max_row - 2) == []


def test_a_value_of_several_lines_wraps_and_its_row_shows_them_all():
    from openpyxl import Workbook

    from app.services.common.xlsx_out import fit_columns

    ws = Workbook().active
    ws.append(["序号", "姓名", "校对结果"])
    ws.append([1, "王\n五\n六", "无误"])  # a name pasted with line breaks: three short lines, not one
    fit_columns(ws, [6, 10, 20], 1, 2)
    assert ws.cell(2, 2).alignment.wrap_text  # without it Excel and LibreOffice show one line
    assert ws.row_dimensions[2].height >= 3 * 13


def test_no_row_is_taller_than_excel_allows():
    """Excel's row height limit is 409 points: a taller row is not shown as asked (LibreOffice printed 1,175
    of 5,000 characters of a 3,962-pt row), and the widths stay within Excel's 255."""
    from openpyxl import Workbook

    from app.services.common.xlsx_out import fit_columns

    ws = Workbook().active
    ws.append(["序号", "姓名", "校对结果"])
    ws.append([1, "王五", "长" * 5000])
    ws.append([2, "热" * 600, "无误"])
    fit_columns(ws, [6, 10, 40], 1, 3, caps={2: 400})
    assert all(ws.row_dimensions[r].height is None or ws.row_dimensions[r].height <= 409 for r in (1, 2, 3))
    assert all(d.width <= 255 for d in ws.column_dimensions.values())
    assert ws.row_dimensions[2].height == 409  # as tall as a row can be
