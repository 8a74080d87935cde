"""Which decoder reads a photographed sign-in card best: OpenCV (what the capture tab uses) or zxing-cpp.

Each card is painted by the same code as the PDF (app/printing/signin_cards_pdf.paint_card, at 600 dpi),
then photographed in simulation: a 6000×4000 frame with a light-blue backdrop (uneven light, cloth
texture, sensor noise) and a dark torso below the card; the card 15–30 % of the frame's width, turned
±15°, in perspective (each corner moved up to 6 % of the card's width), on slightly grey paper under
uneven light, out of focus (Gaussian blur σ 0.6–2.5 px) and saved as a JPEG of quality 70.

Decoders, each on the decoded JPEG:
- opencv (baseline): app.services.capture.codecard.read_codes, as the capture tab calls it (the frame
  shrunk to 1280 px, cv2.QRCodeDetector.detectAndDecodeMulti and cv2.barcode.BarcodeDetector);
- opencv-single: cv2.QRCodeDetector.detectAndDecode (one code, not Multi) on that same 1280 px frame;
- opencv-full: the same two OpenCV detectors as the app on the full 6000×4000 frame;
- zxingcpp: zxingcpp.read_barcodes on the frame shrunk to 1280 px as the app does;
- zxingcpp-full: zxingcpp.read_barcodes on the full frame.
zxing-cpp is asked for QR codes and Code 128 only, the two codes on a card (it can be told; OpenCV's barcode
detector cannot, and reads some Code 128 as EAN-8).
A card is read when a QR code or the barcode gives its 学号; anything else read counts as a misread.
The per-code columns say which code was read. Times are per frame (median), decoding only.

    python bench/code_reading.py [--frames 48] [--seed 14] [--save DIR]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import cv2
import numpy as np

try:
    import zxingcpp
except ImportError:  # a test extra: pip install -e '.[test]' (make bench does)
    print("zxing-cpp is not installed: pip install -c constraints.txt -e '.[test]'", file=sys.stderr)
    raise SystemExit(1) from None
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from app.printing.gui_app import ensure_gui_app
from app.printing.signin_cards_pdf import paint_card
from app.services.capture.codecard import _MAX_SIDE, read_codes, read_opencv
from app.services.capture.signin_cards import SigninCard
from app.services.roster.demo import make_students

FRAME = (6000, 4000)
CARD_MM = (93.0, 49.7)  # a card on the A4 sheet: (210 − 2 × 12) / 2 by (297 − 2 × 12 − 24.5) / 5
CARD_DPI = 600
BACKDROP = (100, 197, 255)  # the light blue of the CHSI backdrop (RGB)


def card_image(card: SigninCard) -> np.ndarray:
    """The card as printed: painted by the PDF code onto a 600 dpi image (RGB)."""
    mm = CARD_DPI / 25.4
    w, h = round(CARD_MM[0] * mm), round(CARD_MM[1] * mm)
    image = QImage(w, h, QImage.Format.Format_RGB888)
    image.setDotsPerMeterX(round(CARD_DPI / 0.0254))
    image.setDotsPerMeterY(round(CARD_DPI / 0.0254))
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    paint_card(painter, card, QRectF(0, 0, w, h), mm)
    painter.end()
    ptr = image.constBits()
    arr = np.frombuffer(ptr, np.uint8).reshape(h, image.bytesPerLine())[:, : w * 3].reshape(h, w, 3)
    return arr.copy()


def backdrop(rng: np.random.Generator) -> np.ndarray:
    """Light-blue cloth: a lighting gradient, a vignette, a coarse weave and sensor noise (RGB)."""
    w, h = FRAME
    small = (w // 8, h // 8)
    yy, xx = np.mgrid[0 : small[1], 0 : small[0]].astype(np.float32)
    gx, gy = rng.uniform(-0.25, 0.25, 2)
    light = 1 + gx * (xx / small[0] - 0.5) + gy * (yy / small[1] - 0.5)
    light *= 1 - 0.35 * (((xx / small[0] - 0.5) ** 2 + (yy / small[1] - 0.5) ** 2) * 2)
    weave = cv2.GaussianBlur(rng.normal(0, 1, (small[1], small[0])).astype(np.float32), (0, 0), 6) * 0.08
    base = np.array(BACKDROP, np.float32)[None, None, :] * (light + weave)[..., None]
    frame = cv2.resize(base, FRAME, interpolation=cv2.INTER_LINEAR)
    return frame


def photograph(card: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """A JPEG-70 6000×4000 frame of the card held up in front of the backdrop (decoded back to RGB);
    returns it and the card's share of the frame width."""
    w, h = FRAME
    frame = backdrop(rng)
    share = rng.uniform(0.15, 0.30)
    cw = share * w
    ch = cw * card.shape[0] / card.shape[1]
    angle = np.deg2rad(rng.uniform(-15, 15))
    cx = rng.uniform(0.25, 0.75) * w
    cy = rng.uniform(0.3, 0.6) * h
    corners = np.array([[-cw / 2, -ch / 2], [cw / 2, -ch / 2], [cw / 2, ch / 2], [-cw / 2, ch / 2]])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = corners @ rot.T + [cx, cy] + rng.uniform(-0.06, 0.06, (4, 2)) * cw
    # the student's torso and hands below and behind the card
    torso_c = (int(cx + rng.uniform(-0.05, 0.05) * w), int(cy + ch * 0.9))
    cv2.ellipse(frame, torso_c, (int(cw * 0.9), int(ch * 1.6)), 0, 180, 360, (40, 45, 60), -1)
    cv2.ellipse(frame, torso_c, (int(cw * 0.9), int(ch * 1.6)), 0, 0, 180, (40, 45, 60), -1)
    for corner in (dst[3], dst[2]):
        cv2.circle(frame, (int(corner[0]), int(corner[1])), int(ch * 0.18), (180, 140, 120), -1)
    src = np.array([[0, 0], [card.shape[1], 0], [card.shape[1], card.shape[0]], [0, card.shape[0]]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    x0, y0 = np.floor(dst.min(axis=0)).astype(int) - 40
    x1, y1 = np.ceil(dst.max(axis=0)).astype(int) + 40
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ m
    size = (x1 - x0, y1 - y0)
    paper = card.astype(np.float32) * rng.uniform(0.82, 0.95)  # paper is not white under the lights
    warped = cv2.warpPerspective(paper, shift, size, flags=cv2.INTER_AREA, borderValue=(0, 0, 0))
    mask = cv2.warpPerspective(np.ones(card.shape[:2], np.float32), shift, size, flags=cv2.INTER_LINEAR)
    shade = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(0.8, 1.0), size[0], dtype=np.float32)[None, :, None]
    roi = frame[y0:y1, x0:x1]
    roi[:] = roi * (1 - mask[..., None]) + warped * shade * mask[..., None]
    pad = 60
    bx0, by0, bx1, by1 = max(x0 - pad, 0), max(y0 - pad, 0), min(x1 + pad, w), min(y1 + pad, h)
    sigma = rng.uniform(0.6, 2.5)
    frame[by0:by1, bx0:bx1] = cv2.GaussianBlur(frame[by0:by1, bx0:bx1], (0, 0), sigma)
    frame += rng.normal(0, 3.0, frame.shape[:2]).astype(np.float32)[..., None]
    rgb = np.clip(frame, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 70])
    assert ok
    return cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB), share


def shrink(rgb: np.ndarray) -> np.ndarray:
    """The frame as codecard.read_codes sees it: longest side 1280 px, INTER_AREA."""
    h, w = rgb.shape[:2]
    scale = min(1.0, _MAX_SIDE / max(h, w))
    return cv2.resize(rgb, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)


def opencv_codes(rgb: np.ndarray) -> tuple[list[str], list[str]]:
    """(QR texts, barcode texts) from OpenCV's two detectors, as codecard.read_codes runs them."""
    gray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    qr, bars = [], []
    try:
        ok, texts, _points, _ = cv2.QRCodeDetector().detectAndDecodeMulti(gray)
        if ok:
            qr = [t for t in texts if t]
    except cv2.error:
        pass
    try:
        result = cv2.barcode.BarcodeDetector().detectAndDecodeWithType(gray)
        if result[0]:
            bars = [t for t in result[1] if t]
    except (cv2.error, ValueError):
        pass
    return qr, bars


def opencv_single(rgb: np.ndarray) -> tuple[list[str], list[str]]:
    gray = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    try:
        text, _points, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    except cv2.error:
        text = ""
    return ([text] if text else []), []


ZXING_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)  # what a card carries


def zxing_codes(rgb: np.ndarray) -> tuple[list[str], list[str]]:
    found = zxingcpp.read_barcodes(np.ascontiguousarray(rgb), formats=ZXING_FORMATS)
    qr = [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]
    bars = [r.text for r in found if r.format != zxingcpp.BarcodeFormat.QRCode]
    return qr, bars


DECODERS = {
    "opencv": lambda rgb: read_opencv(cv2.cvtColor(shrink(rgb), cv2.COLOR_RGB2GRAY)),  # the app's OpenCV fallback
    "app": lambda rgb: (read_codes(rgb), []),  # the app now: zxing-cpp first, OpenCV second
    "opencv-single": lambda rgb: opencv_single(shrink(rgb)),
    "opencv-full": lambda rgb: opencv_codes(rgb),
    "zxingcpp": lambda rgb: zxing_codes(shrink(rgb)),
    "zxingcpp-full": lambda rgb: zxing_codes(rgb),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--frames", type=int, default=48, help="photographs to simulate (default 48)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--save", metavar="DIR", help="also save every frame as JPEG (to look at them)")
    args = ap.parse_args()
    ensure_gui_app()
    rng = np.random.default_rng(args.seed)
    people = make_students(args.frames, seed=args.seed)
    stats = {name: {"read": 0, "qr": 0, "bar": 0, "wrong": 0, "ms": []} for name in DECODERS}
    misreads: list[str] = []
    by_share: dict[str, dict[str, list[int]]] = {name: {"15–20 %": [], "20–25 %": [], "25–30 %": []} for name in DECODERS}
    for i, person in enumerate(people):
        card = SigninCard(i + 1, str(person["姓名"]), str(person["学号"]), str(person["班级"]))
        frame, share = photograph(card_image(card), rng)
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(Path(args.save) / f"frame{i:03d}.jpg"), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR),
                        [cv2.IMWRITE_JPEG_QUALITY, 70])
        band = "15–20 %" if share < 0.20 else "20–25 %" if share < 0.25 else "25–30 %"
        qr_small, bar_small = opencv_codes(shrink(frame))  # the baseline's split by code, as read_codes runs
        for name, decode in DECODERS.items():
            t0 = time.perf_counter()
            out = decode(frame)
            stats[name]["ms"].append((time.perf_counter() - t0) * 1000)
            if name == "opencv":
                texts, qr, bars = out, qr_small, bar_small
            else:
                qr, bars = out
                texts = qr + bars
            ok = card.student_no in texts
            stats[name]["read"] += ok
            stats[name]["qr"] += card.student_no in qr
            stats[name]["bar"] += card.student_no in bars
            wrong = [t for t in texts if t != card.student_no]
            stats[name]["wrong"] += bool(wrong)
            if wrong:
                kinds = "QR" if set(wrong) & set(qr) else "barcode"
                misreads.append(f"frame {i + 1}: {name} read {wrong!r} ({kinds}) for {card.student_no}")
            by_share[name][band].append(int(ok))
        print(f"frame {i + 1}/{args.frames}: card {share:.0%} of the width, "
              + ", ".join(f"{n} {'ok' if by_share[n][band][-1] else '--'}" for n in DECODERS), file=sys.stderr)
    n = args.frames
    print(f"{n} simulated photographs (6000×4000, JPEG 70, card 15–30 % of the width, ±15°, perspective, blur)")
    print(f"{'decoder':<15}{'card read':>10}{'QR':>8}{'Code 128':>10}{'misread':>9}{'ms/frame':>10}   by card size")
    for name, s in stats.items():
        bands = "  ".join(f"{b} {sum(v)}/{len(v)}" for b, v in by_share[name].items())
        print(f"{name:<15}{s['read'] / n:>10.1%}{s['qr'] / n:>8.1%}{s['bar'] / n:>10.1%}{s['wrong']:>9}"
              f"{statistics.median(s['ms']):>10.0f}   {bands}")
    for line in misreads:
        print(f"misread, {line}")
    base = stats["opencv"]["read"] / n * 100
    for name in ("opencv-single", "opencv-full", "zxingcpp-full", "zxingcpp", "app"):
        value = stats[name]["read"] / n * 100
        ratio = f"{value / base:.2f}" if base else "inf"
        print(f"BENCH code_card_read_{name.replace('-', '_')} {value:.1f} % (baseline {base:.1f} %, ratio {ratio})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
