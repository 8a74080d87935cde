"""Printable delivery forms (汇总表, fee tally, capture-card data) painted with QPainter.

Title, station lines, a bordered table whose header repeats on every page, closing lines and
第 n 页，共 m 页; painted the same way into a PDF and into a print preview. QPainter rather than
QTextDocument so 10,000 rows lay out in a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from app.printing.atomic_pdf import atomic_pdf
from app.services.delivery import cards, fees, summary

FONT_FAMILIES = [
    "SimSun",
    "宋体",
    "Noto Serif CJK SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "sans-serif",
]
MARGIN_MM = 12.0
CELL_PAD_MM = 1.2
PDF_DPI = 300


@dataclass
class TableDoc:
    """Everything a printable form shows; the services build it from their table_rows()."""

    title: str
    lines: list[str]
    headers: list[str]
    rows: list[list[str]]
    weights: list[float] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    landscape: bool = True
    body_pt: float = 9.0


def font(pt: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    f.setPointSizeF(pt)
    f.setBold(bold)
    return f


def page_layout(landscape: bool) -> QPageLayout:
    orient = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orient,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def pdf_writer(path: Path | str, landscape: bool, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout(landscape))
    writer.setTitle(title)
    writer.setCreator("GradPhoto")
    return writer


class _Layout:
    """Column widths, row heights and page breaks, worked out before painting (for 共 m 页)."""

    def __init__(self, doc: TableDoc, painter: QPainter, width: float, height: float) -> None:
        dev = painter.device()
        self.mm = dev.logicalDpiX() / 25.4
        self.pad = CELL_PAD_MM * self.mm
        self.doc = doc
        self.title_font, self.line_font = font(15, True), font(10)
        self.head_font, self.body_font = font(doc.body_pt, True), font(doc.body_pt)
        weights = doc.weights or [1.0] * len(doc.headers)
        total = sum(weights)
        self.widths = [width * w / total for w in weights]
        self.width, self.height = width, height
        fm_title, fm_line = QFontMetricsF(self.title_font, dev), QFontMetricsF(self.line_font, dev)
        self.title_h = fm_title.height() * 1.6
        self.line_h = fm_line.height() * 1.4
        self.page_no_h = fm_line.height() * 1.5
        self.head_h = self._row_height(doc.headers, QFontMetricsF(self.head_font, dev))
        fm_body = QFontMetricsF(self.body_font, dev)
        self.row_h = [self._row_height(r, fm_body) for r in doc.rows]
        self.pages = self._paginate()

    def _row_height(self, cells: list[str], fm: QFontMetricsF) -> float:
        h = fm.height()
        flags = int(Qt.TextFlag.TextWordWrap)
        for text, w in zip(cells, self.widths):
            if text and fm.horizontalAdvance(text) > w - 2 * self.pad:
                h = max(h, fm.boundingRect(QRectF(0, 0, w - 2 * self.pad, 1e6), flags, text).height())
        return h + 2 * self.pad

    def top_block(self) -> float:
        return self.title_h + self.line_h * len(self.doc.lines)

    def footer_block(self) -> float:
        return self.line_h * (len(self.doc.footer) + (1 if self.doc.footer else 0))

    def _paginate(self) -> list[tuple[int, int]]:
        """[(first row, end row)] per page; the title block only on the first page."""
        avail_first = self.height - self.page_no_h - self.top_block() - self.head_h
        avail = self.height - self.page_no_h - self.head_h
        pages, start, used, cap = [], 0, 0.0, avail_first
        for i, h in enumerate(self.row_h):
            if used + h > cap and i > start:
                pages.append((start, i))
                start, used, cap = i, 0.0, avail
            used += h
        pages.append((start, len(self.row_h)))
        # the closing lines go on the last page, or a page of their own
        if self.footer_block() and used + self.footer_block() > cap:
            pages.append((len(self.row_h), len(self.row_h)))
        return pages


def paint_table(doc: TableDoc, device: QPagedPaintDevice) -> int:
    """Paint the form on a PDF writer or a printer (already set up); returns the page count."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("无法开始绘制（打印机或 PDF 文件不可用）")
    try:
        width, height = float(device.width()), float(device.height())
        lay = _Layout(doc, painter, width, height)
        for n, (start, end) in enumerate(lay.pages, start=1):
            if n > 1:
                device.newPage()
            y = 0.0
            if n == 1:
                painter.setFont(lay.title_font)
                painter.drawText(QRectF(0, 0, width, lay.title_h), Qt.AlignmentFlag.AlignCenter, doc.title)
                y = lay.title_h
                painter.setFont(lay.line_font)
                for line in doc.lines:
                    painter.drawText(QRectF(0, y, width, lay.line_h), Qt.AlignmentFlag.AlignVCenter, line)
                    y += lay.line_h
            if start < end or n == 1:
                y = _paint_row(painter, lay, doc.headers, y, lay.head_h, lay.head_font, header=True)
                painter.setFont(lay.body_font)
                for i in range(start, end):
                    y = _paint_row(painter, lay, doc.rows[i], y, lay.row_h[i], lay.body_font)
            if n == len(lay.pages) and doc.footer:
                painter.setFont(lay.line_font)
                y += lay.line_h * 0.5
                for line in doc.footer:
                    painter.drawText(QRectF(0, y, width, lay.line_h), Qt.AlignmentFlag.AlignVCenter, line)
                    y += lay.line_h
            painter.setFont(lay.line_font)
            painter.drawText(
                QRectF(0, height - lay.page_no_h, width, lay.page_no_h),
                Qt.AlignmentFlag.AlignCenter,
                f"第 {n} 页，共 {len(lay.pages)} 页",
            )
        return len(lay.pages)
    finally:
        painter.end()


def _paint_row(
    painter: QPainter, lay: _Layout, cells: list[str], y: float, h: float, f: QFont, header: bool = False
) -> float:
    painter.setFont(f)
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(max(1.0, lay.mm * 0.2))
    painter.setPen(pen)
    x = 0.0
    align = (
        Qt.AlignmentFlag.AlignCenter if header else Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    )
    for text, w in zip(cells, lay.widths):
        cell = QRectF(x, y, w, h)
        painter.drawRect(cell)
        inner = cell.adjusted(lay.pad, lay.pad, -lay.pad, -lay.pad)
        painter.drawText(inner, int(align) | int(Qt.TextFlag.TextWordWrap), text)
        x += w
    return y + h


def write_table_pdf(doc: TableDoc, path: Path | str) -> int:
    """The form as a PDF file (written beside, then renamed); returns the page count."""

    with atomic_pdf(path) as tmp:
        return paint_table(doc, pdf_writer(tmp, doc.landscape, doc.title))


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
