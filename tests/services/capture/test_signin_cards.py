"""Sign-in cards: a PDF per class whose every QR code and barcode reads back as a 学号 of that class.

The pages are rasterised with pdftoppm and read as a camera frame would be: QR codes with OpenCV (what the
capture tab uses on a photographed card), Code 128 barcodes with zxing-cpp (OpenCV's barcode module decodes
only EAN/UPC; its detector finds the bars but merges two cards side by side into one box at times, so its
count proves nothing).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import cv2
import pytest
import zxingcpp
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF
from sqlalchemy import select

from app.models import AuditEvent, Student
from app.printing.delivery_table import pdf_writer
from app.printing.signin_cards_pdf import (
    PER_PAGE,
    export_signin_cards,
    fit_text,
    name_breaks,
    write_signin_pdf,
)
from app.services.capture.signin_cards import (
    SigninCard,
    SigninClass,
    SigninError,
    code128,
    qr_code,
    signin_cards,
)
from app.services.roster.service import RosterService
from tests.delivery_data import roster
from tests.roster_files import students

LONG_NAME = "阿卜杜热依木江·买买提艾力·阿不都克里木"
CLASSES = ["2023级会计学1班"] * 12 + ["2023/1班", "2023/1班", "2023_1班"]

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="pdftoppm/pdftotext (poppler-utils) not installed; .ci/run installs it",
)


@pytest.fixture
def rows(db, station, importer, tmp_path):
    """15 students in three classes (two of whose names make the same file name), one long name, one
    withdrawn student."""
    made = students(len(CLASSES))
    for row, name in zip(made, CLASSES):
        row["班级"] = name
    made[1]["姓名"] = LONG_NAME
    roster(importer, station, tmp_path, len(made), made)
    with db.sessions() as s:
        gone = s.scalars(select(Student.id).where(Student.student_no == str(made[3]["学号"]))).one()
    RosterService(db.sessions, "测试员").set_withdrawn(gone, True, "退学")
    return made


def _numbers(rows, class_name: str) -> list[str]:
    return [str(r["学号"]) for i, r in enumerate(rows) if r["班级"] == class_name and i != 3]


def _page_codes(pdf: Path, page: int, tmp_path: Path) -> tuple[list[str], list[str]]:
    """(QR texts read by OpenCV, Code 128 texts read by zxing-cpp) on one page at 200 dpi."""
    prefix = tmp_path / f"{pdf.stem}-page"
    subprocess.run(
        ["pdftoppm", "-gray", "-png", "-r", "200", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
    )
    png = next(tmp_path.glob(f"{prefix.name}*.png"))
    gray = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    png.unlink()
    ok, texts, _points, _ = cv2.QRCodeDetector().detectAndDecodeMulti(gray)
    qr = sorted(t for t in texts if t) if ok else []
    bars = sorted(r.text for r in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.Code128))
    return qr, bars


def test_cards_per_class_in_class_order_without_withdrawn(db, station, rows):
    cards = signin_cards(db.sessions, station.id)
    assert cards.station_name == "洛阳函授站"
    assert [c.class_name for c in cards.classes] == ["2023/1班", "2023_1班", "2023级会计学1班"]
    by_class = {c.class_name: [card.student_no for card in c.cards] for c in cards.classes}
    assert by_class == {name: _numbers(rows, name) for name in by_class}
    assert str(rows[3]["学号"]) not in {n for ns in by_class.values() for n in ns}
    assert cards.count == len(CLASSES) - 1
    assert [c.file_name for c in cards.classes] == [
        "签到卡_2023_1班.pdf",
        "签到卡_2023_1班-2.pdf",
        "签到卡_2023级会计学1班.pdf",
    ]


def test_no_students_or_no_station_is_said_in_chinese(db, station):
    with pytest.raises(SigninError, match="没有.*学生"):
        signin_cards(db.sessions, station.id)
    with pytest.raises(SigninError, match="学习中心不存在"):
        signin_cards(db.sessions, station.id + 99)


def test_codes_have_whole_pixel_modules_at_300_dpi():
    qr = qr_code("2023000001", 31.0)
    assert qr.image.mode == "1" and qr.image.width == qr.image.height
    assert qr.image.width % 29 == 0  # version 1 with its 4-module quiet zone: 29 modules, each whole pixels
    assert qr.image.width / (31.0 / 25.4) >= 300
    bar = code128("2023000001", 86.0, 10.0)
    assert bar is not None and bar.image.mode == "1" and bar.width_mm <= 86.0
    assert bar.image.width % 110 == 0  # 90 modules of Code 128 set C and 2 × 10 of quiet zone
    assert code128("学号1", 86.0, 10.0) is None  # beyond ASCII: the card keeps its QR code alone


@needs_poppler
def test_every_code_on_the_pdf_reads_as_a_student_of_that_class(db, station, rows, tmp_path):
    out = tmp_path / "cards"
    files = export_signin_cards(db.sessions, station.id, out, "测试员")
    assert [f.name for f in files] == [
        "签到卡_2023_1班.pdf",
        "签到卡_2023_1班-2.pdf",
        "签到卡_2023级会计学1班.pdf",
    ]
    assert not list(out.glob(".*part"))
    big = out / "签到卡_2023级会计学1班.pdf"
    expected = _numbers(rows, "2023级会计学1班")
    assert len(expected) == PER_PAGE + 1  # two pages
    for page, numbers in ((1, expected[:PER_PAGE]), (2, expected[PER_PAGE:])):
        qr, bars = _page_codes(big, page, tmp_path)
        assert qr == bars == sorted(numbers)
    for name, file in (("2023/1班", "签到卡_2023_1班.pdf"), ("2023_1班", "签到卡_2023_1班-2.pdf")):
        qr, bars = _page_codes(out / file, 1, tmp_path)
        assert qr == bars == sorted(_numbers(rows, name))
    with db.sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "export-signin-cards")).all()
    assert len(events) == 1 and "3 个班，14 人" in events[0].summary


@needs_poppler
def test_a_long_name_is_printed_whole(db, station, rows, tmp_path):
    files = export_signin_cards(db.sessions, station.id, tmp_path, "测试员")
    text = subprocess.run(
        ["pdftotext", str(files[-1]), "-"], capture_output=True, text=True, check=True
    ).stdout
    # NFKC: the Noto CJK fonts map some characters to Kangxi radicals in the text layer (力 as ⼒)
    flat = "".join(unicodedata.normalize("NFKC", text).split())
    assert LONG_NAME in flat


@pytest.mark.parametrize(
    "name",
    [
        LONG_NAME,
        "努尔艾合麦提·阿卜杜热依木·买买提艾力·阿不都克里木",
        "Maria-Theresa Schmidt-Müller",
        "阿" * 60,
    ],
)
def test_a_name_always_fits_its_box(name, tmp_path):
    writer = pdf_writer(tmp_path / "m.pdf", False, "m")
    mm = writer.logicalDpiX() / 25.4
    width, height = 52 * mm, 14 * mm
    f, flags, text = fit_text(name, width, height, 20, 12, writer, bold=True, breaks=name_breaks(name))
    need = QFontMetricsF(f, writer).boundingRect(QRectF(0, 0, width, 1e6), flags, text)
    assert need.width() <= width + 0.01 and need.height() <= height + 0.01
    assert text.replace("\n", "") == name
    if "·" in name and len(name) < 30:
        assert all(not line.startswith("·") for line in text.split("\n"))
        assert f.pointSizeF() >= 9


def test_name_breaks_split_between_parts():
    assert name_breaks("张三") == []
    assert name_breaks("艾力·买买提") == ["艾力·\n买买提"]
    assert name_breaks(LONG_NAME)[0] == "阿卜杜热依木江·\n买买提艾力·\n阿不都克里木"


def test_unwritable_folder_is_a_chinese_error(qapp, tmp_path):
    from app.services.common.files import WriteError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    group = SigninClass("1班", "签到卡_1班.pdf", (SigninCard(1, "张三", "2023000001", "1班"),))
    with pytest.raises(WriteError, match="无法写入"):
        write_signin_pdf(group, "站", blocker / "sub" / group.file_name)
