"""JPEG encoding that honours the preset's quality and file-size range."""
from __future__ import annotations

import io

from PIL import Image

from .presets import Preset, load_preset

DPI = (300, 300)  # the 2017 spec asks for 300 dpi in the file header


def _encode(image: Image.Image, quality: int) -> bytes:
    opts = dict(quality=quality, dpi=DPI, subsampling=0 if quality >= 90 else 2)
    buf = io.BytesIO()
    try:
        image.save(buf, "JPEG", optimize=True, **opts)  # optimised Huffman tables: ~5 % smaller, free
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
    if len(data) > p.max_kb * 1024:
        lo, hi, best = p.jpeg_min_quality, q - 1, None
        while lo <= hi:  # highest quality that fits
            mid = (lo + hi) // 2
            cand = _encode(img, mid)
            if len(cand) <= p.max_kb * 1024:
                best, lo = cand, mid + 1
            else:
                hi = mid - 1
        data = best if best is not None else _encode(img, p.jpeg_min_quality)
    elif len(data) < p.min_kb * 1024 and q < 100:
        for q2 in (min(100, q + 3), 97, 100):
            if q2 > q:
                data = _encode(img, q2)
                if len(data) >= p.min_kb * 1024:
                    break
    return data
