"""Sign-in cards for capture day: per class, a card per student with 姓名, 学号 and class, a QR code and a
Code 128 barcode of the 学号. The student holds the card up for the first shot, or the photographer scans
it, and the capture tab switches to that student (app/services/capture/codecard.py reads the codes).

Qt-free: this module gathers the cards (classes in `group_by_class` order, students in 拍摄序号 order,
withdrawn students left out) and draws the codes as 1-bit Pillow images, a whole number of pixels per
module at 300 dpi or more of their printed size, so every module prints with square edges.
app/printing/signin_cards_pdf.py lays them out on A4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import segno
from barcode import Code128
from barcode.errors import BarcodeError
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Station, Student
from app.services.common import audit
from app.services.common.classes import class_file_stems, class_label, group_by_class

# 600 dpi took 2.5 times as long a card (Qt compresses every pixel), for edges the PDF keeps hard either way
CODE_DPI = 300
QR_QUIET = 4  # modules of white around a QR code (ISO/IEC 18004)
BARCODE_QUIET = 10  # modules of white either side of a Code 128 symbol (ISO/IEC 15417)
BARCODE_MAX_MODULE_MM = 0.75  # wider bars read from further away; a card has room for 10 digits at this
FILE_PREFIX = "签到卡_"


class SigninError(ValueError):
    """Sign-in cards that cannot be made; the message is Chinese."""


@dataclass(frozen=True)
class SigninCard:
    shot_no: int
    name: str
    student_no: str
    class_name: str  # as printed: 未分班 for a blank class


@dataclass(frozen=True)
class SigninClass:
    class_name: str
    file_name: str  # 签到卡_<class>.pdf, unique within the export even when class names clash
    cards: tuple[SigninCard, ...]


@dataclass(frozen=True)
class SigninCards:
    station_id: int
    station_name: str
    classes: tuple[SigninClass, ...]

    @property
    def count(self) -> int:
        return sum(len(c.cards) for c in self.classes)


def signin_cards(sessions: sessionmaker[Session], station_id: int) -> SigninCards:
    """Every class's cards for a station; SigninError when the station is unknown or has no students."""
    with sessions() as s:
        station = s.get(Station, station_id)
        if station is None:
            raise SigninError("学习中心不存在（可能已被删除）")
        station_name = station.name
        rows = s.execute(
            select(Student.shot_no, Student.name, Student.student_no, Student.class_name)
            .where(Student.station_id == station_id, Student.withdrawn.is_(False))
            .order_by(Student.shot_no)
        ).all()
    if not rows:
        raise SigninError(f"“{station_name}”没有（未异动的）学生，没有可打印的签到卡")
    cards = [SigninCard(r.shot_no, r.name, r.student_no, class_label(r.class_name)) for r in rows]
    groups = group_by_class(cards)
    stems = class_file_stems(groups)
    return SigninCards(
        station_id,
        station_name,
        tuple(
            SigninClass(name, f"{FILE_PREFIX}{stems[name]}.pdf", tuple(members))
            for name, members in groups.items()
        ),
    )


def record_export(
    sessions: sessionmaker[Session], operator: str, cards: SigninCards, where: Path | str
) -> None:
    """One audit event for an export of sign-in cards."""
    with sessions.begin() as s:
        audit.record(
            s,
            operator,
            "export-signin-cards",
            "station",
            cards.station_id,
            f"导出签到卡 PDF（{len(cards.classes)} 个班，{cards.count} 人）到 {Path(where).name}",
        )


@dataclass(frozen=True)
class CodeImage:
    """A code as a 1-bit image (black modules on white, its quiet zone included) and its printed size."""

    image: Image.Image
    width_mm: float
    height_mm: float
    module_mm: float
    text: str


def _bitmap(dark: np.ndarray, scale_x: int, scale_y: int) -> Image.Image:
    """Each module `scale_x` × `scale_y` pixels: nearest-neighbour, no grey edge anywhere."""
    pixels = np.repeat(np.repeat(dark, scale_y, axis=0), scale_x, axis=1)
    return Image.fromarray(~pixels)  # mode "1": True is white


def _pixels_per_module(module_mm: float, dpi: int) -> int:
    return max(1, math.ceil(module_mm * dpi / 25.4))


def qr_code(text: str, size_mm: float, dpi: int = CODE_DPI) -> CodeImage:
    """A QR code `size_mm` square (quiet zone included), error correction M or better: segno raises it to Q
    or H when that still fits the same symbol size, as it does for a 10-digit 学号."""
    qr = segno.make_qr(text, error="m", boost_error=True)
    dark = np.array(list(qr.matrix_iter(scale=1, border=QR_QUIET)), dtype=bool)
    module_mm = size_mm / dark.shape[0]
    scale = _pixels_per_module(module_mm, dpi)
    return CodeImage(_bitmap(dark, scale, scale), size_mm, size_mm, module_mm, text)


def code128(text: str, max_width_mm: float, height_mm: float, dpi: int = CODE_DPI) -> CodeImage | None:
    """A Code 128 barcode no wider than `max_width_mm` (quiet zones included), bars of whole pixels;
    None when the text holds characters Code 128 cannot carry (anything beyond ASCII)."""
    try:
        pattern = Code128(text).build()[0]
    except (BarcodeError, ValueError, LookupError):  # an empty text fails with an IndexError
        return None
    quiet = "0" * BARCODE_QUIET
    bars = np.array([c == "1" for c in quiet + pattern + quiet], dtype=bool)
    module_mm = min(BARCODE_MAX_MODULE_MM, max_width_mm / bars.size)
    scale = _pixels_per_module(module_mm, dpi)
    rows = max(1, round(height_mm * dpi / 25.4))
    return CodeImage(_bitmap(bars[None, :], scale, rows), bars.size * module_mm, height_mm, module_mm, text)
