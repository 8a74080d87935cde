"""JPEG encoding that honours the preset's quality and file-size range."""

from __future__ import annotations

import io

from PIL import Image

from .presets import Preset, load_preset

DPI = (300, 300)  # the 2017 spec asks for 300 dpi in the file header
# The quality that last fitted, per preset: photos from one session compress alike, so the next search
# starts next to its answer (one to three encodes instead of a binary search of five or six).
_last_fit: dict[str, int] = {}


def _encode(image: Image.Image, quality: int, optimize: bool = True) -> bytes:
    opts = {"quality": quality, "dpi": DPI, "subsampling": 0 if quality >= 90 else 2}
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
    return encode_jpeg_quality(image, preset)[0]


def encode_jpeg_quality(
    image: Image.Image, preset: Preset | str, hint: int | None = None
) -> tuple[bytes, int]:
    """Like encode_jpeg, also returning the quality used; `hint` (a previous answer) saves encodes."""
    p = load_preset(preset)
    img = image if image.mode == "RGB" else image.convert("RGB")
    q = p.jpeg_quality
    cap, floor = p.max_kb * 1024, p.min_kb * 1024
    hint = _last_fit.get(p.name) if hint is None else hint
    if hint is not None and p.jpeg_min_quality <= hint < q:
        data, got = _walk_from(img, hint, cap, p.jpeg_min_quality, q)
        _last_fit[p.name] = got
        return data, got
    data = _encode(img, q)
    if len(data) > cap:
        data, got = _fit_below(img, cap, p.jpeg_min_quality, q - 1)
        _last_fit[p.name] = got
        return data, got
    if len(data) < floor and q < 100:
        for q2 in (min(100, q + 3), 97, 100):
            if q2 > q:
                data, q = _encode(img, q2), q2
                if len(data) >= floor:
                    break
    return data, q


def _walk_from(img: Image.Image, q: int, cap: float, lo: int, hi: int) -> tuple[bytes, int]:
    """The highest quality in [lo, hi] that fits, searched outward from a nearby answer `q`."""

    def fits(quality: int) -> bool:
        return len(_encode(img, quality, optimize=False)) <= cap

    if fits(q):
        if q >= hi or not fits(q + 1):
            return _encode(img, q), q  # the usual case for a nudge or a similar photo: two probes
        return _fit_below(img, cap, q + 1, hi)
    if q <= lo or fits(q - 1):
        q = max(lo, q - 1)
        return _encode(img, q), q
    return _fit_below(img, cap, lo, q - 2)


def _fit_below(img: Image.Image, cap: float, lo: int, hi: int) -> tuple[bytes, int]:
    """The highest quality in [lo, hi] whose file fits under cap (the lowest if none does)."""
    best: int | None = None
    floor = lo
    while lo <= hi:  # binary search; sizes grow monotonically with quality for practical purposes
        mid = (lo + hi) // 2
        # Probing without optimised Huffman tables is ~40 % faster and the final optimised file is
        # never larger, so a quality that fits here fits in the end.
        if len(_encode(img, mid, optimize=False)) <= cap:
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    if best is None:
        # Nothing fits unoptimised; the optimised file at the floor may still fit, else it is reported.
        return _encode(img, floor), floor
    return _encode(img, best), best
