"""Render a crop from the decoded source: area averaging down to ~1.25×, then a bicubic warp."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from .geometry import Placement, corners_in_source, source_to_output

# Before the final warp, shrink with area averaging until each output pixel covers about this many
# decoded pixels: a warp alone samples and would alias hair and fabric.
PRE_SHRINK_TARGET = 1.25


def render_array(
    image: np.ndarray,
    scale: float,
    place: Placement,
    out_w: int,
    out_h: int,
    pad_rgb: tuple[int, int, int],
    padded: bool = True,
) -> np.ndarray:
    """The output as an RGB array; `image` is the source decoded at `scale` source px per pixel."""
    # continuous decoded → continuous source → continuous output; then pixel-centre offsets
    dec_to_src = np.diag([scale, scale, 1.0])
    m = source_to_output(place, out_w, out_h) @ dec_to_src
    ratio = place.rect[2] / out_w / scale  # decoded px per output px
    src = image
    if ratio > PRE_SHRINK_TARGET * 1.2:
        c = corners_in_source(place) / scale
        hgt, wid = image.shape[:2]
        x0, y0 = np.floor(c.min(0)).astype(int) - 2
        x1, y1 = np.ceil(c.max(0)).astype(int) + 2
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(wid, x1), min(hgt, y1)
        if x1 - x0 >= 2 and y1 - y0 >= 2:
            f = PRE_SHRINK_TARGET / ratio
            nw, nh = max(1, round((x1 - x0) * f)), max(1, round((y1 - y0) * f))
            src = cv2.resize(image[y0:y1, x0:x1], (nw, nh), interpolation=cv2.INTER_AREA)
            sub = np.array([[(x1 - x0) / nw, 0, x0], [0, (y1 - y0) / nh, y0], [0, 0, 1]])
            m = m @ sub
    # index coords: x_cont = x_idx + 0.5 on both sides
    m = (
        np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]])
        @ m
        @ np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])
    )
    return cv2.warpAffine(
        src,
        m[:2],
        (out_w, out_h),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT if padded else cv2.BORDER_REPLICATE,
        borderValue=tuple(int(v) for v in pad_rgb),
    )


def to_pil(arr: np.ndarray) -> Image.Image:
    """RGB array → PIL image."""
    return Image.fromarray(np.ascontiguousarray(arr), "RGB")
