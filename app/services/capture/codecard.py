"""Read a QR code or barcode from a photographed code card, to switch to that student before the shot.

zxing-cpp reads first: on photographed sign-in cards (bench/code_reading.py: turned up to 15°, in perspective,
blurred, the card 15–30 % of a 6000×4000 frame) it read 97.9 % of the cards at 168 ms a frame, where OpenCV's
multi-QR detector read 22.9 % and OpenCV cannot decode Code 128 at all. OpenCV's detectors stay as the second
opinion when zxing-cpp finds nothing (or is missing from an unusual installation).
"""

from __future__ import annotations

import cv2
import numpy as np

try:  # a compiled wheel on every platform GradPhoto ships for; the app still runs (OpenCV only) without it
    import zxingcpp
except ImportError:  # pragma: no cover - exercised only on an installation without the wheel
    zxingcpp = None

_MAX_SIDE = 1280
# What a code card carries: the sign-in cards print QR and Code 128; other offices print Code 39 or DataMatrix.
_FORMATS = ("QRCode", "Code128", "Code39", "DataMatrix")


def _shrink(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    scale = min(1.0, _MAX_SIDE / max(h, w))
    if scale >= 1:
        return image
    return cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)


def read_zxing(rgb: np.ndarray) -> list[str]:
    if zxingcpp is None:
        return []
    wanted = tuple(getattr(zxingcpp.BarcodeFormat, n) for n in _FORMATS if hasattr(zxingcpp.BarcodeFormat, n))
    try:
        found = zxingcpp.read_barcodes(np.ascontiguousarray(rgb), formats=wanted)
    except (RuntimeError, ValueError, TypeError):
        return []
    return [r.text for r in found if r.text]


def read_opencv(gray: np.ndarray) -> list[str]:
    found: list[str] = []
    try:
        text, _points, _ = cv2.QRCodeDetector().detectAndDecode(gray)
        if text:
            found.append(text)
        ok, texts, _points, _ = cv2.QRCodeDetector().detectAndDecodeMulti(gray)
        if ok:
            found.extend(t for t in texts if t)
    except cv2.error:
        pass
    barcode = getattr(cv2, "barcode", None)
    if barcode is not None and hasattr(barcode, "BarcodeDetector"):
        try:
            result = barcode.BarcodeDetector().detectAndDecodeWithType(gray)
            ok, texts = result[0], result[1]
            if ok:
                found.extend(t for t in texts if t)
        except (cv2.error, ValueError):
            pass
    return found


def read_codes(image: np.ndarray) -> list[str]:
    """Every QR/barcode text found in an RGB image (downscaled first: cards fill much of the frame)."""
    small = np.ascontiguousarray(_shrink(image))
    found = read_zxing(small)
    if not found:
        found = read_opencv(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))
    return list(dict.fromkeys(t.strip() for t in found if t.strip()))
