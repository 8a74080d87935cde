"""Printable delivery forms (汇总表, fee tally, capture-card data) painted with QPainter.

Title, station lines, a bordered table whose header repeats on every page, closing lines and
第 n 页，共 m 页; painted the same way into a PDF and into a print preview. QPainter rather than
QTextDocument so 10,000 rows lay out in a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QPagedPaintDevice

from app.printing.atomic_pdf import atomic_pdf
from app.printing.fonts import font
from app.printing.pdf_text import TextLog
from app.printing.table_form import NAME, TEXT, TableForm, paint_forms, pdf_writer
from app.services.delivery import cards, fees, summary

__all__ = ["TableDoc", "font", "form_doc", "paint_table", "pdf_writer", "write_table_pdf"]


@dataclass
class TableDoc:
    """Everything a printable delivery form shows; the services build it from their table_rows()."""

    title: str
    lines: list[str]
    headers: list[str]
    rows: list[list[str]]
    weights: list[float] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    landscape: bool = True
    body_pt: float = 9.0
    wrap: dict[int, str] = field(default_factory=dict)

    def form(self) -> TableForm:
        return TableForm(
            title=self.title,
            headers=self.headers,
            rows=self.rows,
            lines_above=self.lines,
            footer_lines=self.footer,
            column_widths=self.weights,
            landscape=self.landscape,
            body_pt=self.body_pt,
            wrap=self.wrap or _wrap_by_header(self.headers),
        )


def paint_table(doc: TableDoc, device: QPagedPaintDevice, text_log: TextLog | None = None) -> int:
    """Paint the form on a PDF writer or a printer (already set up); returns the page count."""
    return paint_forms([doc.form()], device, text_log)


def write_table_pdf(doc: TableDoc, path: Path | str) -> int:
    """The form as a PDF file (written beside, then renamed); returns the page count."""
    pages: list[int] = []
    text_log = TextLog()
    with atomic_pdf(path, text_log) as tmp:
        pages.append(paint_forms([doc.form()], pdf_writer(tmp, doc.landscape, doc.title), text_log))
    return pages[0]


def _wrap_by_header(headers: list[str]) -> dict[int, str]:
    """Names wrap onto two lines at most; notes and long texts as they need; numbers and codes never."""
    names = {"姓名"}
    texts = {
        "所在院校名称",
        "所在院校",
        "专业名称",
        "专业",
        "姓名说明",
        "班级",
        "学历类别",
        "所在校别",
        "备注",
    }
    out = {}
    for i, h in enumerate(headers):
        if h in names:
            out[i] = NAME
        elif h in texts or "说明" in h or "位置" in h:
            out[i] = TEXT
    return out


FORMS = ("summary", "fees", "cards")


def form_doc(kind: str, delivery) -> TableDoc:
    """The printable form of one delivery file: 'summary', 'fees' or 'cards'."""
    station_line = f"校外学习中心（函授站）名称: {delivery.station.name}"
    if kind == "summary":
        headers, rows = summary.table_rows(delivery)
        return TableDoc(
            summary.TITLE,
            [station_line],
            headers,
            rows,
            [6, 8, 12, 4, 17, 16, 8, 8, 7, 12, 6],
            [f"共 {len(rows)} 人。　　制表人：__________　　审核人：__________　　（学习中心盖章）"],
        )
    if kind == "fees":
        t = fees.tally(delivery)
        headers, rows = fees.table_rows(t)
        return TableDoc(
            fees.TITLE,
            [station_line + f"　所在院校: {t.school}"],
            headers,
            rows,
            [6, 30, 8, 12, 12],
            fees.footer_lines(t),
            landscape=False,
            body_pt=10,
        )
    if kind == "cards":
        headers, rows = cards.table_rows(delivery)
        return TableDoc(
            cards.TITLE,
            [station_line + "　区位码为 GB2312 区号+位号，每字 4 位"],
            headers,
            rows,
            [w for _, _, w in cards.COLUMNS],
            body_pt=7.5,
        )
    raise ValueError(kind)
