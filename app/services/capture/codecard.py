"""Read a QR code or barcode from a photographed code card, to switch to that student before the shot."""

from __future__ import annotations

import cv2
import numpy as np

_MAX_SIDE = 1280


def read_codes(image: np.ndarray) -> list[str]:
    """Every QR/barcode text found in an RGB image (downscaled first: cards fill much of the frame)."""
    h, w = image.shape[:2]
    scale = min(1.0, _MAX_SIDE / max(h, w))
    small = (
        cv2.resize(image, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
        if scale < 1
        else image
    )
    gray = cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_RGB2GRAY)
    found: list[str] = []
    try:
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
    return list(dict.fromkeys(t.strip() for t in found if t.strip()))
