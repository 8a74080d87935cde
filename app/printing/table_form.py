"""Printable table forms (title, lines, a bordered table, closing lines, 第 n 页，共 m 页) as PDF or on a printer.

Every table form GradPhoto prints — 校对反馈表, 勘误表, 补拍名单, 汇总表, fee tally, card data — is laid out here,
painted with QPainter the same way into a PDF and into a print preview, by rules a clerk can rely on:
- a row is never split across pages; every row is drawn with its own four borders, so the last row of a
  page is closed; the header row is repeated on every page;
- column widths come from the content: a column that must not wrap (序号, 学号, 身份证号) gets its longest
  value; a name column at most two lines for its longest name; the room left goes by the form's hints;
- rows are evenly tall (the seed's 25 rows a page where the names allow, `rows_per_page`); a row grows only
  for a name or a note that wraps;
- the closing lines (signatures, seal) stay together on the last page, or a page of their own.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
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
    QTextLayout,
    QTextOption,
)

from app.printing.atomic_pdf import atomic_pdf
from app.printing.fonts import font
from app.printing.pdf_text import TextLog

MARGIN_MM = 12.0
CELL_PAD_MM = 1.2
PDF_DPI = 300
NAME = "name"  # a column that wraps onto at most two lines
TEXT = "text"  # a column of free text that wraps as it needs
MAX_ROW_MM = 11.0  # even rows are never taller than this, however few rows a page holds


@dataclass
class TableForm:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    lines_above: Sequence[str] = ()
    footer_lines: Sequence[str] = ()
    column_widths: Sequence[float] = ()  # hints: how the room left over is shared (relative)
    landscape: bool = False
    body_pt: float = 10.5
    center_columns: set[int] = field(default_factory=set)
    wrap: dict[int, str] = field(default_factory=dict)  # column → NAME or TEXT; the others never wrap
    rows_per_page: int | None = None  # at most this many rows a page, all of one height
    min_mm: dict[int, float] = field(default_factory=dict)  # column → least width (a signature needs room)


def page_layout(landscape: bool) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orientation,
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


_WRAP = int(Qt.TextFlag.TextWordWrap)
_ANYWHERE = int(Qt.TextFlag.TextWrapAnywhere)
NAME_SHARE = 0.35  # a name column never claims more of the width than this to keep a name on two lines
# bidirectional embeddings, overrides and isolates: a name typed with one would print its characters reversed
_BIDI_CONTROLS = {*"\u200e\u200f\u061c", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def _text(value: object) -> str:
    """A cell's text as printed: a tab is a space, a line break stays; control characters (which a font
    draws as boxes) and bidi overrides are dropped; a lone surrogate is the replacement character."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\n" or (cat != "Cc" and ch not in _BIDI_CONTROLS):
            out.append("\ufffd" if cat == "Cs" else ch)
    return "".join(out)


class Layout:
    """Column widths, row heights and page breaks of one form, worked out before painting (for 共 m 页)."""

    def __init__(self, form: TableForm, device: QPagedPaintDevice, width: float, height: float) -> None:
        self.device = device
        self.mm = device.logicalDpiX() / 25.4
        self.pad = CELL_PAD_MM * self.mm
        self.form = form
        self.width, self.height = width, height
        self.title_font, self.line_font = font(15, True), font(10)
        self.head_font, self.body_font = font(form.body_pt, True), font(form.body_pt)
        self.fm_head = QFontMetricsF(self.head_font, device)
        self.fm_body = QFontMetricsF(self.body_font, device)
        self.fm_title, self.fm_line = (
            QFontMetricsF(self.title_font, device),
            QFontMetricsF(self.line_font, device),
        )
        self.title = _text(form.title)
        self.lines_above = [_text(line) for line in form.lines_above]
        self.footer_lines = [_text(line) for line in form.footer_lines]
        self.title_h = self._line_height(self.title, self.fm_title, 1.6)
        self.line_h = self.fm_line.height() * 1.5
        self.above_h = [self._line_height(line, self.fm_line, 1.5) for line in self.lines_above]
        self.footer_h = [self._line_height(line, self.fm_line, 1.5) for line in self.footer_lines]
        self.page_no_h = self.fm_line.height() * 1.5
        self.headers = [_text(h) for h in form.headers]
        self.rows = [[_text(v) for v in row] for row in form.rows]
        self.widths = self._column_widths()
        self.head_h = self._natural_height(self.headers, self.fm_head)
        page_room = self.height - self.page_no_h - self.head_h
        first_room = page_room - self.top_block()
        room = first_room if first_room > page_room / 2 else page_room  # the least a page has for a row
        natural = [self._natural_height(row, self.fm_body) for row in self.rows]
        if any(h > room for h in natural):
            self.rows = [piece for row in self.rows for piece in self._pieces(row, room)]
            natural = [self._natural_height(row, self.fm_body) for row in self.rows]
        even = self._even_height()
        self.row_h = [max(h, even) for h in natural]
        self.pages = self._paginate()

    # -- text --------------------------------------------------------------------------------------
    def flags(self, text: str, inner: float, fm: QFontMetricsF) -> int:
        """Word wrap; anywhere too when a word is wider than the cell (a long Latin name without spaces)."""
        if (
            text
            and fm.horizontalAdvance(text) > inner
            and (fm.boundingRect(QRectF(0, 0, inner, 1e6), _WRAP, text).width() > inner + 0.5)
        ):
            return _WRAP | _ANYWHERE
        return _WRAP

    def _line_height(self, text: str, fm: QFontMetricsF, spacing: float) -> float:
        """A title or a line above or below the table, wrapped to the page width when it is wider."""
        one = fm.height() * spacing
        if not text or (self._advance(text, fm) <= self.width and "\n" not in text):
            return one
        tall = fm.boundingRect(QRectF(0, 0, self.width, 1e6), self.flags(text, self.width, fm), text).height()
        return tall + one - fm.height()

    def _lines(self, text: str, inner: float, fm: QFontMetricsF, font_: QFont) -> list[str]:
        """`text` broken into the lines Qt prints it on in a cell `inner` wide."""
        option = QTextOption()
        anywhere = self.flags(text, inner, fm) & _ANYWHERE
        option.setWrapMode(QTextOption.WrapMode.WrapAnywhere if anywhere else QTextOption.WrapMode.WordWrap)
        out = []
        for paragraph in text.split("\n"):
            layout = QTextLayout(paragraph, font_, self.device)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(inner)
                out.append(paragraph[line.textStart() : line.textStart() + line.textLength()].rstrip())
            layout.endLayout()
        return out

    def _pieces(self, row: list[str], room: float) -> list[list[str]]:
        """A row as it goes on the pages: itself, or, when no page could hold it (5,000 characters of problem
        text), pieces that each fit a page: the too-tall cells go on line by line, the other cells (序号,
        学号, 姓名) repeat on every piece, so each page still says whose row it is."""
        if self._natural_height(row, self.fm_body) <= room:
            return [row]
        per_piece = max(
            1, math.floor((room - 2 * self.pad - self.fm_body.height()) / self.fm_body.lineSpacing()) + 1
        )
        split: dict[int, list[str]] = {}
        for c, (text, w) in enumerate(zip(row, self.widths)):
            inner = w - 2 * self.pad
            lines = self._lines(text, inner, self.fm_body, self.body_font) if text else []
            if len(lines) > per_piece:
                split[c] = lines
        if not split:
            return [row]
        count = max(math.ceil(len(lines) / per_piece) for lines in split.values())
        return [
            [
                "\n".join(split[c][k * per_piece : (k + 1) * per_piece]) if c in split else text
                for c, text in enumerate(row)
            ]
            for k in range(count)
        ]

    # -- widths ------------------------------------------------------------------------------------
    def _advance(self, text: str, fm: QFontMetricsF) -> float:
        return max((fm.horizontalAdvance(line) for line in text.split("\n")), default=0.0)

    def _two_line_width(self, text: str) -> float:
        """The narrowest cell width that shows `text` on at most two lines."""
        fm, pad = self.fm_body, 2 * self.pad
        limit = fm.lineSpacing() * 2 + 1
        lo, hi = self._advance(text, fm) / 2, self._advance(text, fm) + 1
        if fm.boundingRect(QRectF(0, 0, lo, 1e6), _WRAP, text).height() <= limit:
            return lo + pad
        for _ in range(14):
            mid = (lo + hi) / 2
            if fm.boundingRect(QRectF(0, 0, mid, 1e6), _WRAP, text).height() <= limit:
                hi = mid
            else:
                lo = mid
        return hi + pad

    def _column_widths(self) -> list[float]:
        form, pad = self.form, 2 * self.pad
        n = len(self.headers)
        cols = list(zip(*self.rows)) if self.rows else [()] * n
        head_min = [
            max(
                self._advance(h, self.fm_head) / (2 if len(h) > 3 else 1),
                self.fm_head.horizontalAdvance("序号"),
            )
            + pad
            for h in self.headers
        ]
        natural, least = [], []
        for c in range(n):
            values = cols[c] if c < len(cols) else ()
            longest = sorted(values, key=lambda t: self._advance(t, self.fm_body), reverse=True)
            nat = max([self._advance(t, self.fm_body) + pad for t in longest[:1]] + [head_min[c]])
            kind = form.wrap.get(c)
            if kind == NAME:  # two lines for the longest name, unless that takes over the page: then more
                two_lines = max([self._two_line_width(t) for t in longest[:8]], default=0.0)
                low = max(min(two_lines, self.width * NAME_SHARE), head_min[c])
            elif kind == TEXT:
                low = max(head_min[c], self.fm_body.horizontalAdvance("中" * 6) + pad)
            else:
                low = nat
            floor = form.min_mm.get(c, 0.0) * self.mm
            natural.append(max(nat, floor))
            least.append(max(min(low, nat), floor))
        hints = list(form.column_widths) or [1.0] * n
        widths = list(natural)
        spare = self.width - sum(natural)
        if spare < 0:  # too wide on one line: wrap what may wrap, down to its least width
            need = -spare
            give = [natural[c] - least[c] for c in range(n)]
            if sum(give) >= need:
                scale = need / sum(give)
                widths = [natural[c] - give[c] * scale for c in range(n)]
            else:  # even the least widths do not fit: the columns that wrap shrink alike, the others keep
                fixed = sum(least[c] for c in range(n) if c not in form.wrap)
                wrapping = sum(least[c] for c in range(n) if c in form.wrap)
                if wrapping and fixed < self.width:
                    scale = (self.width - fixed) / wrapping
                    widths = [least[c] * scale if c in form.wrap else least[c] for c in range(n)]
                else:
                    widths = [w * self.width / sum(least) for w in least]
            spare = 0.0
        if spare > 0:
            share = [float(hints[c]) if c < len(hints) else 1.0 for c in range(n)]
            if not sum(share):
                share = [1.0] * n
            widths = [widths[c] + spare * share[c] / sum(share) for c in range(n)]
        return widths

    # -- heights -----------------------------------------------------------------------------------
    def _natural_height(self, cells: Sequence[str], fm: QFontMetricsF) -> float:
        h = fm.height()
        for text, w in zip(cells, self.widths):
            inner = w - 2 * self.pad
            if text and (self._advance(text, fm) > inner or "\n" in text):
                flags = self.flags(text, inner, fm)
                h = max(h, fm.boundingRect(QRectF(0, 0, inner, 1e6), flags, text).height())
        return h + 2 * self.pad

    def top_block(self) -> float:
        return self.title_h + sum(self.above_h)

    def footer_block(self) -> float:
        return sum(self.footer_h) + self.line_h * 0.5 if self.footer_lines else 0.0

    def _even_height(self) -> float:
        """With `rows_per_page`: the height that puts that many rows, the title and the closing lines on the
        first page (never taller than MAX_ROW_MM); else one line of text."""
        one_line = self.fm_body.height() + 2 * self.pad
        if not self.form.rows_per_page:
            return one_line
        room = self.height - self.page_no_h - self.top_block() - self.head_h - self.footer_block()
        return max(one_line, min(room / self.form.rows_per_page, MAX_ROW_MM * self.mm))

    def _paginate(self) -> list[tuple[int, int]]:
        """[(first row, end row)] per page; the title block only on the first page."""
        cap_rows = self.form.rows_per_page or len(self.row_h) or 1
        avail_first = self.height - self.page_no_h - self.top_block() - self.head_h
        avail = self.height - self.page_no_h - self.head_h
        pages, start, used, cap = [], 0, 0.0, avail_first
        for i, h in enumerate(self.row_h):
            full = used + h > cap or i - start >= cap_rows
            # a first row too tall for what the title leaves of page 1 begins page 2
            if full and (i > start or (not pages and h <= avail)):
                pages.append((start, i))
                start, used, cap = i, 0.0, avail
            used += h
        pages.append((start, len(self.row_h)))
        if self.footer_block() and used + self.footer_block() > cap:
            pages.append((len(self.row_h), len(self.row_h)))  # the closing lines on a page of their own
        return pages


class _Painter:
    """QPainter.drawText that also tells the text log what it drew (for the PDF's text layer)."""

    def __init__(self, painter: QPainter, text_log: TextLog | None) -> None:
        self.p = painter
        self.log = text_log
        self.font = painter.font()
        self.font_key = ""

    def set_font(self, f: QFont) -> None:
        self.p.setFont(f)
        self.font, self.font_key = f, f.key()

    def text(self, rect: QRectF, flags: int, text: str) -> None:
        if self.log is not None:
            self.log.drew(text, self.font, self.font_key)
        self.p.drawText(rect, flags, text)


def _paint_row(
    pt: _Painter,
    lay: Layout,
    cells: Sequence[str],
    y: float,
    h: float,
    f: QFont,
    header: bool = False,
) -> float:
    painter = pt.p
    pt.set_font(f)
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(max(1.0, lay.mm * 0.2))
    painter.setPen(pen)
    x = 0.0
    left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    for col, (text, w) in enumerate(zip(cells, lay.widths)):
        cell = QRectF(x, y, w, h)
        painter.drawRect(cell)  # four borders a row: the last row of a page is closed too
        centre = header or col in lay.form.center_columns
        align = Qt.AlignmentFlag.AlignCenter if centre else left
        inner = cell.adjusted(lay.pad, lay.pad, -lay.pad, -lay.pad)
        pt.text(
            inner, int(align) | lay.flags(text, inner.width(), lay.fm_head if header else lay.fm_body), text
        )
        x += w
    return y + h


def _paint_form(pt: _Painter, device: QPagedPaintDevice, form: TableForm, first_page: bool) -> int:
    width, height = float(device.width()), float(device.height())
    lay = Layout(form, device, width, height)
    for n, (start, end) in enumerate(lay.pages, start=1):
        if n > 1 or not first_page:
            device.newPage()
        y = 0.0
        if n == 1:
            pt.set_font(lay.title_font)
            flags = int(Qt.AlignmentFlag.AlignCenter) | lay.flags(lay.title, width, lay.fm_title)
            pt.text(QRectF(0, 0, width, lay.title_h), flags, lay.title)
            y = lay.title_h
            pt.set_font(lay.line_font)
            for line, h in zip(lay.lines_above, lay.above_h):
                flags = int(Qt.AlignmentFlag.AlignVCenter) | lay.flags(line, width, lay.fm_line)
                pt.text(QRectF(0, y, width, h), flags, line)
                y += h
        if start < end or n == 1:
            y = _paint_row(pt, lay, lay.headers, y, lay.head_h, lay.head_font, header=True)
            for i in range(start, end):
                y = _paint_row(pt, lay, lay.rows[i], y, lay.row_h[i], lay.body_font)
        if n == len(lay.pages) and lay.footer_lines:
            pt.set_font(lay.line_font)
            y += lay.line_h * 0.5
            for line, h in zip(lay.footer_lines, lay.footer_h):
                flags = int(Qt.AlignmentFlag.AlignVCenter) | lay.flags(line, width, lay.fm_line)
                pt.text(QRectF(0, y, width, h), flags, line)
                y += h
        pt.set_font(lay.line_font)
        pt.text(
            QRectF(0, height - lay.page_no_h, width, lay.page_no_h),
            int(Qt.AlignmentFlag.AlignCenter),
            f"第 {n} 页，共 {len(lay.pages)} 页",
        )
    return len(lay.pages)


def paint_forms(
    forms: Sequence[TableForm], device: QPagedPaintDevice, text_log: TextLog | None = None
) -> int:
    """Paint the forms, each from a new page, on a PDF writer or a printer (already set up); the page count."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("无法开始绘制（打印机或 PDF 文件不可用）")
    try:
        pt = _Painter(painter, text_log)
        return sum(_paint_form(pt, device, form, first_page=i == 0) for i, form in enumerate(forms))
    finally:
        painter.end()


def write_pdf(forms: Sequence[TableForm], path: Path | str) -> Path:
    """Render to PDF through a temp file and rename, so a failure leaves no half file."""
    text_log = TextLog()
    with atomic_pdf(path, text_log) as tmp:
        writer = pdf_writer(tmp, any(f.landscape for f in forms), forms[0].title if forms else "")
        paint_forms(forms, writer, text_log)
        del writer  # closes the file
    return Path(path)
