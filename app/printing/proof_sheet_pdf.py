"""The proof sheet as a PDF per class: a contact sheet of the cropped photos with 姓名, 学号, 拍摄序号."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPagedPaintDevice, QPainter, QPen

from app.printing.atomic_pdf import atomic_pdf
from app.printing.delivery_table import font, pdf_writer
from app.printing.pdf_text import LoggedPainter, TextLog
from app.services.delivery.proof_sheet import ProofClass

COLUMNS = 5
PHOTO_W_MM = 30.0  # a 3:4 photo printed at about the size of the 48×33 mm legacy imaging area
INSTRUCTION = "请核对本人照片及姓名、学号。无误请在照片下签名；有误请在空白处注明并告知学习中心。"


def paint_proof_sheet(
    group: ProofClass,
    station: str,
    device: QPagedPaintDevice,
    aspect: float = 0.75,
    text_log: TextLog | None = None,
) -> int:
    """Paint one class's sheet on a PDF writer or printer (A4 portrait); returns the page count."""
    painter = LoggedPainter(text_log)
    if not painter.begin(device):
        raise OSError("无法开始绘制（打印机或 PDF 文件不可用）")
    try:
        return _paint(painter, device, group, station, aspect)
    finally:
        painter.end()


def _paint(
    painter: QPainter, device: QPagedPaintDevice, group: ProofClass, station: str, aspect: float
) -> int:
    mm = device.logicalDpiX() / 25.4
    width, height = float(device.width()), float(device.height())
    title_f, line_f, name_f, small_f = font(14, True), font(9), font(10, True), font(8)
    fm_line, fm_name, fm_small = (QFontMetricsF(f, device) for f in (line_f, name_f, small_f))
    head_h = QFontMetricsF(title_f, device).height() * 1.5 + fm_line.height() * 2.6
    foot_h = fm_line.height() * 1.6
    cell_w = width / COLUMNS
    photo_w = min(PHOTO_W_MM * mm, cell_w - 4 * mm)
    photo_h = photo_w / aspect
    name_h = fm_name.height() * 1.3  # a long name shrinks, and wraps onto two small lines at worst
    text_h = name_h + fm_small.height() * 2 + fm_small.height() * 1.6  # signature line
    cell_h = photo_h + text_h + 5 * mm
    rows_per_page = max(1, int((height - head_h - foot_h) // cell_h))
    per_page = rows_per_page * COLUMNS
    items = group.items
    pages = max(1, -(-len(items) // per_page))
    grey = QPen(QColor(150, 150, 150))
    for page in range(pages):
        if page:
            device.newPage()
        painter.setFont(title_f)
        painter.setPen(Qt.GlobalColor.black)
        th = QFontMetricsF(title_f, device).height() * 1.5
        painter.drawText(
            QRectF(0, 0, width, th), Qt.AlignmentFlag.AlignCenter, f"学历图像校对表 — {group.class_name}"
        )
        painter.setFont(line_f)
        painter.drawText(
            QRectF(0, th, width, fm_line.height() * 1.3),
            Qt.AlignmentFlag.AlignVCenter,
            f"校外学习中心（函授站）：{station}　本班 {len(items)} 人",
        )
        painter.drawText(
            QRectF(0, th + fm_line.height() * 1.3, width, fm_line.height() * 1.3),
            Qt.AlignmentFlag.AlignVCenter,
            INSTRUCTION,
        )
        for k, item in enumerate(items[page * per_page : (page + 1) * per_page]):
            r, c = divmod(k, COLUMNS)
            x, y = c * cell_w, head_h + r * cell_h
            px = x + (cell_w - photo_w) / 2
            frame = QRectF(px, y + 2 * mm, photo_w, photo_h)
            image = QImage.fromData(item.jpeg) if item.jpeg else QImage()
            if not image.isNull():
                painter.drawImage(frame, image)
            painter.setPen(grey)
            painter.drawRect(frame)
            if image.isNull() or item.note:
                painter.setFont(small_f)
                painter.setPen(QColor(180, 0, 0))
                note_rect = (
                    frame
                    if image.isNull()
                    else QRectF(
                        px, frame.bottom() - fm_small.height() * 1.2, photo_w, fm_small.height() * 1.2
                    )
                )
                if not image.isNull():
                    painter.fillRect(note_rect, QColor(255, 255, 255, 200))
                painter.drawText(
                    note_rect,
                    int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap),
                    item.note or "无照片",
                )
            painter.setPen(Qt.GlobalColor.black)
            ty = frame.bottom() + 1 * mm
            name_rect = QRectF(x + 1 * mm, ty, cell_w - 2 * mm, name_h)
            name = " ".join(item.name.split())  # a line break or tab in a name prints as a space
            name_font = _name_font(name, name_rect.width(), device)
            painter.setFont(name_font)
            painter.drawText(
                name_rect,
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                "\n".join(_name_lines(name, name_rect.width(), QFontMetricsF(name_font, device))),
            )
            ty += name_h
            painter.setFont(small_f)
            painter.drawText(
                QRectF(x, ty, cell_w, fm_small.height()),
                Qt.AlignmentFlag.AlignHCenter,
                f"学号 {item.student_no}",
            )
            ty += fm_small.height()
            painter.drawText(
                QRectF(x, ty, cell_w, fm_small.height()),
                Qt.AlignmentFlag.AlignHCenter,
                f"拍摄序号 {item.shot_no}",
            )
            ty += fm_small.height() * 1.5
            painter.setPen(grey)
            painter.drawLine(int(px), int(ty), int(px + photo_w), int(ty))
        painter.setFont(line_f)
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(
            QRectF(0, height - foot_h, width, foot_h),
            Qt.AlignmentFlag.AlignCenter,
            f"第 {page + 1} 页，共 {pages} 页",
        )
    return pages


NAME_PT = (10.0, 9.0, 8.0, 7.0, 6.5)


def _name_font(name: str, width: float, device) -> QFont:
    """The name's font: 10 pt bold, smaller for a long name so it stays in its cell (a 13-character name
    overlapped its neighbours); the smallest wraps onto two lines."""
    for pt in NAME_PT:
        f = font(pt, True)
        if QFontMetricsF(f, device).horizontalAdvance(name) <= width:
            return f
    return font(NAME_PT[-1], True)


def _name_lines(name: str, width: float, fm: QFontMetricsF) -> list[str]:
    """One line, or two: the start of the name as it is and the rest, shortened with … only if it must be —
    the student checks their name from its first character (centring a wrapped name cut off both ends)."""
    if fm.horizontalAdvance(name) <= width:
        return [name]
    cut = 1
    while cut < len(name) and fm.horizontalAdvance(name[: cut + 1]) <= width:
        cut += 1
    rest = name[cut:]
    return [name[:cut], fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)]


def write_proof_pdf(group: ProofClass, station: str, path: Path | str, aspect: float = 0.75) -> int:
    text_log = TextLog()
    with atomic_pdf(path, text_log) as tmp:
        return paint_proof_sheet(
            group, station, pdf_writer(tmp, False, f"学历图像校对表 {group.class_name}"), aspect, text_log
        )


def write_proof_sheets(
    groups: list[ProofClass], station: str, out_dir: Path | str, aspect: float = 0.75
) -> list[Path]:
    """One PDF per class in out_dir, named after the class; returns the files."""
    out = Path(out_dir)
    written, used = [], set()
    for g in groups:
        stem = g.file_stem
        name, n = f"{stem}.pdf", 1
        while name.casefold() in used:
            n += 1
            name = f"{stem}-{n}.pdf"
        used.add(name.casefold())
        write_proof_pdf(g, station, out / name, aspect)
        written.append(out / name)
    return written


def export_proof_sheets(service, station_id: int, out_dir: Path | str, progress=None) -> list[Path]:
    """Render, lay out and write every class's sheet for a station (ExportService gathers the data)."""
    delivery, groups, aspect = service.proof_data(station_id, progress)
    files = write_proof_sheets(groups, delivery.station.name, out_dir, aspect)
    service.record_proof_sheets(delivery, len(groups), out_dir)
    return files
