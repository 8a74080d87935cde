"""Sign-in cards as a PDF per class: A4 portrait, 2 × 5 cards a page between dashed cut lines.

Each card: 姓名 (as large as fits, wrapped rather than cut), 学号, class and 拍摄序号 on the left, a QR code
of the 学号 on the right and a Code 128 barcode of it along the bottom. The header names the station and
the class. The codes come from app/services/capture/signin_cards.py as 1-bit images at 300 dpi and are
stored lossless (Qt would make them JPEG) and unsmoothed, so every module keeps square edges on paper.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPagedPaintDevice, QPainter, QPen

from app.printing.atomic_pdf import atomic_pdf
from app.printing.delivery_table import font, pdf_writer
from app.printing.pdf_text import LoggedPainter, TextLog
from app.services.capture.signin_cards import (
    SigninCard,
    SigninCards,
    SigninClass,
    SigninError,
    code128,
    qr_code,
    record_export,
    signin_cards,
)

COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
PAD_MM = 3.5  # inside a card, from the cut line
QR_MM = 31.0  # the QR code with its quiet zone: about 1.07 mm a module for a 10-digit 学号
BARCODE_MM = 10.0  # bar height
GAP_MM = 1.5
TITLE = "拍摄签到卡"
INSTRUCTION = "沿虚线剪开，每人一张。拍摄时学生手持本卡先拍一张（或由摄影师扫码），程序即切换到该学生。"

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter


def name_breaks(name: str) -> list[str]:
    """A name of several parts (艾力·买买提) broken after a · into two lines, or three, each line ending in
    its ·; the versions with the shortest longest line first. A name is split between its parts before
    it is split inside one, and no line starts with a ·."""
    parts = name.split("·")
    cuts = [(k,) for k in range(1, len(parts))]
    cuts += [(k, m) for k in range(1, len(parts)) for m in range(k + 1, len(parts))]
    options = []
    for cut in cuts:
        bounds = (0, *cut, len(parts))
        lines = ["·".join(parts[i:j]) for i, j in zip(bounds, bounds[1:])]
        options.append((max(len(x) for x in lines), len(lines), "·\n".join(lines)))
    return [text for *_, text in sorted(options)]


def fit_text(
    text: str,
    width: float,
    height: float,
    max_pt: float,
    min_pt: float,
    device,
    bold: bool = False,
    align: Qt.AlignmentFlag = _LEFT,
    breaks: list[str] | None = None,
) -> tuple[QFont, int, str]:
    """The font, flags and text that fit `text` into width × height on `device`, never cutting it: one
    line at the largest size from max_pt down to min_pt; else the same text broken where `breaks` says
    (each a version with newlines; the largest size any of them fits at, down to 3/4 of min_pt); else
    wrapped (between words or CJK characters, then anywhere); else ever smaller until it fits."""
    single = int(align) | int(Qt.TextFlag.TextSingleLine)
    word, anywhere = (int(align) | int(f) for f in (Qt.TextFlag.TextWordWrap, Qt.TextFlag.TextWrapAnywhere))

    def fits(pt: float, flags: int, candidate: str) -> QFont | None:
        f = font(pt, bold)
        need = QFontMetricsF(f, device).boundingRect(QRectF(0, 0, width, 1e6), flags, candidate)
        return f if need.width() <= width + 0.01 and need.height() <= height + 0.01 else None

    def sizes(top: float, bottom: float) -> list[float]:
        return [top - 0.5 * i for i in range(int((top - bottom) / 0.5) + 1)]

    for pt in sizes(max_pt, min_pt):
        if (f := fits(pt, single, text)) is not None:
            return f, single, text
    for pt in sizes(max_pt, min_pt * 0.75) if breaks else ():
        for candidate in breaks:
            if (f := fits(pt, word, candidate)) is not None:
                return f, word, candidate
    for flags in (word, anywhere):
        for pt in sizes(max_pt, min_pt):
            if (f := fits(pt, flags, text)) is not None:
                return f, flags, text
    for pt in sizes(min_pt, 2.0):
        if (f := fits(pt, anywhere, text)) is not None:
            return f, anywhere, text
    return font(2.0, bold), anywhere, text


def _qimage(image: Image.Image) -> QImage:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return QImage.fromData(buffer.getvalue(), "PNG")


def _text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    max_pt: float,
    min_pt: float,
    bold: bool = False,
    align: Qt.AlignmentFlag = _LEFT,
    breaks: list[str] | None = None,
) -> None:
    f, flags, text = fit_text(
        text, rect.width(), rect.height(), max_pt, min_pt, painter.device(), bold, align, breaks
    )
    painter.setFont(f)
    painter.drawText(rect, flags, text)


def paint_card(painter: QPainter, card: SigninCard, cell: QRectF, mm: float) -> None:
    """One card inside `cell` (its cut lines are the cell's edges)."""
    inner = cell.adjusted(PAD_MM * mm, PAD_MM * mm, -PAD_MM * mm, -PAD_MM * mm)
    qr = qr_code(card.student_no, QR_MM)
    qr_rect = QRectF(inner.right() - QR_MM * mm, inner.top(), QR_MM * mm, QR_MM * mm)
    painter.drawImage(qr_rect, _qimage(qr.image))
    bar = code128(card.student_no, inner.width() / mm, BARCODE_MM)
    bottom = inner.bottom()
    if bar is not None:
        w = bar.width_mm * mm
        bar_rect = QRectF(inner.center().x() - w / 2, bottom - BARCODE_MM * mm, w, BARCODE_MM * mm)
        painter.drawImage(bar_rect, _qimage(bar.image))
        bottom = bar_rect.top() - GAP_MM * mm
    text = QRectF(
        inner.left(), inner.top(), qr_rect.left() - GAP_MM * mm - inner.left(), bottom - inner.top()
    )
    number_h, class_h, shot_h = 5.5 * mm, 7.5 * mm, 4.0 * mm
    name_h = text.height() - number_h - class_h - shot_h
    painter.setPen(Qt.GlobalColor.black)
    y = text.top()
    name_rect = QRectF(text.left(), y, text.width(), name_h)
    _text(painter, name_rect, card.name, 20, 12, bold=True, breaks=name_breaks(card.name))
    y += name_h
    _text(painter, QRectF(text.left(), y, text.width(), number_h), f"学号 {card.student_no}", 12, 8)
    y += number_h
    _text(painter, QRectF(text.left(), y, text.width(), class_h), card.class_name, 9, 7)
    y += class_h
    _text(painter, QRectF(text.left(), y, text.width(), shot_h), f"拍摄序号 {card.shot_no}", 8, 6)


def _cut_lines(
    painter: QPainter, left: float, top: float, cell_w: float, cell_h: float, rows: int, mm: float
):
    pen = QPen(QColor(120, 120, 120))
    pen.setWidthF(0.2 * mm)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    bottom, right = top + rows * cell_h, left + COLUMNS * cell_w
    for c in range(COLUMNS + 1):
        x = left + c * cell_w
        painter.drawLine(QPointF(x, top), QPointF(x, bottom))
    for r in range(rows + 1):
        y = top + r * cell_h
        painter.drawLine(QPointF(left, y), QPointF(right, y))


def paint_signin_cards(
    group: SigninClass, station: str, device: QPagedPaintDevice, text_log: TextLog | None = None
) -> int:
    """Paint one class's cards on a PDF writer or printer (A4 portrait); returns the page count."""
    painter = LoggedPainter(text_log)
    if not painter.begin(device):
        raise OSError("无法开始绘制（打印机或 PDF 文件不可用）")
    # Lossless: Qt would store the codes as JPEG, greying the edges of every module.
    painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering)
    try:
        return _paint(painter, device, group, station)
    finally:
        painter.end()


def _paint(painter: QPainter, device: QPagedPaintDevice, group: SigninClass, station: str) -> int:
    mm = device.logicalDpiX() / 25.4
    width, height = float(device.width()), float(device.height())
    title_h, line_h, foot_h = 8.0 * mm, 5.0 * mm, 5.0 * mm
    head_h = title_h + 2 * line_h + 1.5 * mm
    cell_w, cell_h = width / COLUMNS, (height - head_h - foot_h) / ROWS
    cards = group.cards
    pages = max(1, -(-len(cards) // PER_PAGE))
    for page in range(pages):
        if page:
            device.newPage()
        painter.setPen(Qt.GlobalColor.black)
        _text(painter, QRectF(0, 0, width, title_h), f"{TITLE} — {group.class_name}", 14, 9, True, _CENTRE)
        _text(
            painter,
            QRectF(0, title_h, width, line_h),
            f"校外学习中心（函授站）：{station}　班级：{group.class_name}　本班 {len(cards)} 人",
            9,
            6,
        )
        _text(painter, QRectF(0, title_h + line_h, width, line_h), INSTRUCTION, 8, 6)
        on_page = cards[page * PER_PAGE : (page + 1) * PER_PAGE]
        rows = -(-len(on_page) // COLUMNS)
        for k, card in enumerate(on_page):
            r, c = divmod(k, COLUMNS)
            paint_card(painter, card, QRectF(c * cell_w, head_h + r * cell_h, cell_w, cell_h), mm)
        _cut_lines(painter, 0.0, head_h, cell_w, cell_h, rows, mm)
        painter.setPen(Qt.GlobalColor.black)
        painter.setFont(font(8))
        painter.drawText(
            QRectF(0, height - foot_h, width, foot_h),
            _CENTRE,
            f"{group.class_name}　第 {page + 1} 页，共 {pages} 页",
        )
    return pages


def write_signin_pdf(group: SigninClass, station: str, path: Path | str) -> int:
    """One class's cards as a PDF, written beside and renamed; returns the page count."""
    text_log = TextLog()
    with atomic_pdf(path, text_log) as tmp:
        return paint_signin_cards(
            group, station, pdf_writer(tmp, False, f"{TITLE} {group.class_name}"), text_log
        )


def write_signin_cards(
    cards: SigninCards,
    out_dir: Path | str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Path]:
    """A PDF per class in out_dir (签到卡_<class>.pdf); returns the files in class order."""
    out = Path(out_dir)
    written, done = [], 0
    for group in cards.classes:
        if cancelled is not None and cancelled():
            raise SigninError(f"已取消：已写入 {len(written)} 个班的签到卡，其余未生成")
        write_signin_pdf(group, cards.station_name, out / group.file_name)
        written.append(out / group.file_name)
        done += len(group.cards)
        if progress is not None:
            progress(done, cards.count)
    return written


def export_signin_cards(
    sessions, station_id: int, out_dir: Path | str, operator: str, ctx=None
) -> list[Path]:
    """Gather, lay out and write every class's cards for a station, and record the export.
    `ctx` reports progress and Cancel (an app.ui.ops.OpContext or the CLI's progress printer)."""
    cards = signin_cards(sessions, station_id)
    files = write_signin_cards(
        cards,
        out_dir,
        ctx.progress if ctx is not None else None,
        ctx.cancelled if ctx is not None else None,
    )
    record_export(sessions, operator, cards, out_dir)
    return files
