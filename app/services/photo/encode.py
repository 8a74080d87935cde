"""JPEG encoding that honours the preset's quality and file-size range."""
from __future__ import annotations

import io

from PIL import Image

from .presets import Preset, load_preset

DPI = (300, 300)  # the 2017 spec asks for 300 dpi in the file header


def _encode(image: Image.Image, quality: int, optimize: bool = True) -> bytes:
    opts = dict(quality=quality, dpi=DPI, subsampling=0 if quality >= 90 else 2)
    buf = io.BytesIO()
    try:
        image.save(buf, "JPEG", optimize=optimize, **opts)  # optimised Huffman tables: ~5 % smaller
    except OSError:
        # Pillow sizes the optimize buffer from the pixel count; pure noise can overflow it.
        buf = io.BytesIO()
        image.save(buf, "JPEG", **opts)
    return buf.getvalue()


def encode_jpeg(image: Image.Image, preset: Preset | str) -> bytes:
    """Encode at the preset's quality; step quality down to fit max_kb, up (to 100) to reach min_kb."""
    p = load_preset(preset)
    img = image if image.mode == "RGB" else image.convert("RGB")
    q = p.jpeg_quality
    data = _encode(img, q)
    cap, floor = p.max_kb * 1024, p.min_kb * 1024
    if len(data) > cap:
        data = _fit_below(img, cap, p.jpeg_min_quality, q - 1)
    elif len(data) < floor and q < 100:
        for q2 in (min(100, q + 3), 97, 100):
            if q2 > q:
                data = _encode(img, q2)
                if len(data) >= floor:
                    break
    return data


def _fit_below(img: Image.Image, cap: float, lo: int, hi: int) -> bytes:
    """The highest quality in [lo, hi] whose file fits under cap (the lowest if none does)."""
    best = None
    while lo <= hi:  # binary search; sizes grow monotonically with quality for practical purposes
        mid = (lo + hi) // 2
        cand = _encode(img, mid)
        if len(cand) <= cap:
            best, lo = cand, mid + 1
        else:
            hi = mid - 1
    return best if best is not None else _encode(img, lo if lo <= 100 else 100)
