"""Find the top of the head (crown) by segmenting the person from the backdrop around the face."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .colour import delta_e2000, rgb_to_lab
from .detect import Face

# The head is analysed in an upright frame where the face box is this many pixels tall: enough to
# place the crown to ~1 % of the head, small enough that GrabCut runs in a few milliseconds.
FRAME_FACE_PX = 40
# Frame extent in face-box heights: generous above the face for buns and hats; it stops at the mouth
# (chin - 0.2) because only the crown is wanted, and every pixel costs GrabCut time.
FRAME_ABOVE = 1.5
FRAME_BELOW = -0.2
FRAME_HALF_WIDTH = 1.1
# One iteration: on the shared photos a second changed no crown (all 13 framing errors identical) and
# doubled GrabCut's ~8 ms; a third changed only the low-contrast alex-lacamoire crown, which
# MIN_EDGE_CONTRAST flags anyway.
GRABCUT_ITERATIONS = 1
GRABCUT_SEED = 0x6A5C
# (eyes→crown)/(eyes→chin) on hand-marked photos spans 0.81 (short hair) to 1.84 (bun): outside a
# slightly wider band the segmentation has certainly leaked into the backdrop or stopped in the hair.
RATIO_MIN, RATIO_MAX = 0.72, 2.0
# Typical ratio, used only when the segmentation cannot be trusted (then the result is flagged).
RATIO_TYPICAL = 1.1
# Colour difference (ΔE00) across the found crown below which the outline is a guess: on the shared
# photos dark curly hair on a dark brown wall measures 3.7 and hair touching the frame edge 7.1, while
# every clear outline measures 11 or more (grey-on-grey photos 15-33, studio portraits 38-63).
MIN_EDGE_CONTRAST = 10.0
_DEBUG: dict | None = None  # tests and tuning may set a dict to receive the frame and masks


@dataclass(frozen=True)
class Crown:
    """Where the crown is, in source pixels, and how far to trust it."""

    point: tuple[float, float]  # source px, on the head's vertical axis
    confident: bool
    cut: bool  # the head reaches the edge of the photo: the true crown may be outside it
    note: str  # why it is not confident (Chinese), empty when it is
    extent: tuple[float, float] = (0.0, 0.0)  # head outline left/right of the axis, source px (upright)


def _frame_transform(face: Face, scale: float, k: float, roll: float) -> tuple[np.ndarray, float, float]:
    """Affine loaded-px → frame-px that levels the eyes and scales the face box to FRAME_FACE_PX."""
    ex, ey = face.eyes_mid
    h = face.box[3]
    fx, fy = ex / scale, ey / scale
    m = cv2.getRotationMatrix2D((fx, fy), roll, k)
    # Eyes sit ~0.4 box heights below the box top; place them so the frame spans the head.
    u0 = FRAME_HALF_WIDTH * FRAME_FACE_PX
    v0 = (FRAME_ABOVE + (ey - face.box[1]) / h) * FRAME_FACE_PX
    m[0, 2] += u0 - fx
    m[1, 2] += v0 - fy
    return m, u0, v0


def _seed_mask(shape: tuple[int, int], face: Face, u0: float, v0: float, valid: np.ndarray) -> np.ndarray:
    """GrabCut seeds from face geometry: face = person, far corners above the head = backdrop."""
    hh, ww = shape
    px = FRAME_FACE_PX / face.box[3]
    fw = face.box[2] * px
    bt = v0 - (face.eyes_mid[1] - face.box[1]) * px  # box top in frame
    bb = bt + FRAME_FACE_PX  # chin
    mask = np.full(shape, cv2.GC_PR_BGD, np.uint8)
    yy, xx = np.mgrid[0:hh, 0:ww]
    top = bt - 0.55 * FRAME_FACE_PX
    cy, ry = (top + bb) / 2, (bb - top) / 2
    head = ((xx - u0) / (0.62 * fw)) ** 2 + ((yy - cy) / ry) ** 2 <= 1.0
    mask[head] = cv2.GC_PR_FGD
    mask[
        (yy >= v0 - 0.15 * FRAME_FACE_PX) & (yy <= bb - 0.12 * FRAME_FACE_PX) & (np.abs(xx - u0) < 0.28 * fw)
    ] = cv2.GC_FGD
    # Just above the face box is forehead or hairline in every head; seeding it teaches GrabCut the hair.
    mask[(yy >= bt - 0.15 * FRAME_FACE_PX) & (yy < v0) & (np.abs(xx - u0) < 0.2 * fw)] = cv2.GC_FGD
    side = (np.abs(xx - u0) > 1.15 * fw) & (yy < v0)
    mask[side] = cv2.GC_BGD
    mask[: max(2, int(0.06 * hh)), :] = cv2.GC_BGD
    mask[~valid] = cv2.GC_BGD
    return mask


def find_crown(image: np.ndarray, scale: float, face: Face, roll: float) -> Crown:
    """Segment the head in an upright frame and return the top of its dense outline."""
    h_src = face.box[3]
    k = FRAME_FACE_PX / (h_src / scale)  # loaded px → frame px
    m, u0, v0 = _frame_transform(face, scale, k, roll)
    fw_px = round(2 * FRAME_HALF_WIDTH * FRAME_FACE_PX)
    fh_px = round(
        v0
        + (face.box[1] + face.box[3] - face.eyes_mid[1]) / h_src * FRAME_FACE_PX
        + FRAME_BELOW * FRAME_FACE_PX
    )
    src = image
    m_use = m
    if k < 0.5:
        # Shrink the neighbourhood with area averaging first: warpAffine alone would alias hair.
        inv = cv2.invertAffineTransform(m)
        corners = np.array([[0, 0, 1], [fw_px, 0, 1], [0, fh_px, 1], [fw_px, fh_px, 1]], float) @ inv.T
        x0, y0 = np.floor(corners.min(0)).astype(int)
        x1, y1 = np.ceil(corners.max(0)).astype(int)
        H, W = image.shape[:2]
        x0c, y0c, x1c, y1c = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
        if x1c - x0c > 4 and y1c - y0c > 4:
            f = min(1.0, 2 * k)
            sub = cv2.resize(image[y0c:y1c, x0c:x1c], None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
            sx = sub.shape[1] / (x1c - x0c)
            sy = sub.shape[0] / (y1c - y0c)
            pre = np.array([[sx, 0, -x0c * sx], [0, sy, -y0c * sy], [0, 0, 1]])
            m_use = (np.vstack([m, [0, 0, 1]]) @ np.linalg.inv(pre))[:2]
            src = sub
    frame = cv2.warpAffine(
        src, m_use, (fw_px, fh_px), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    valid = (
        cv2.warpAffine(
            np.full(src.shape[:2], 255, np.uint8),
            m_use,
            (fw_px, fh_px),
            flags=cv2.INTER_NEAREST,
            borderValue=0,
        )
        > 0
    )
    mask = _seed_mask((fh_px, fw_px), face, u0, v0, valid)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    bgr = cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)
    # GrabCut seeds its colour models with k-means on OpenCV's per-thread RNG; without a fixed seed the
    # same photo could segment differently depending on what ran before it (seen on a low-contrast head).
    cv2.setRNGSeed(GRABCUT_SEED)
    cv2.grabCut(bgr, mask, None, bgd, fgd, GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    fg = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8)
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))  # drop flyaway strands
    n, labels = cv2.connectedComponents(fg, connectivity=4)
    lab = labels[int(v0), int(u0)]
    if lab == 0:
        lab = np.bincount(labels[labels > 0].ravel()).argmax() if n > 1 else 0
    person = labels == lab if lab else fg.astype(bool)
    if _DEBUG is not None:
        _DEBUG.update(frame=frame, mask=mask, person=person)
    px = FRAME_FACE_PX / h_src
    band = int(max(2, 0.22 * face.box[2] * px))
    cols = person[:, int(u0) - band : int(u0) + band + 1]
    has = cols.any(axis=0)
    tops = np.where(has, cols.argmax(axis=0), fh_px).astype(float)
    # -0.5: the outline lies between the last backdrop row and the first head row.
    inv = cv2.invertAffineTransform(m)
    us = np.arange(int(u0) - band, int(u0) - band + cols.shape[1], dtype=float)
    src_rows = (inv[1, 0] * us + inv[1, 1] * (tops - 0.5) + inv[1, 2]) * scale
    # People mark the crown as the highest row of the head in the photo, which for a tilted head is
    # beside the axis; take that row (robustly) and put the crown on the axis at that height.
    crown_row = float(np.percentile(src_rows, 15))
    ex, ey = face.eyes_mid
    point = (ex + (ey - crown_row) * float(np.tan(np.radians(roll))), crown_row)
    crown_v = float(np.percentile(tops, 15)) - 0.5
    extent = head_extent(person, crown_v, v0, u0, h_src / FRAME_FACE_PX)
    ratio = (ey - crown_row) / max(1e-6, face.chin_y - ey)
    # Cut: the head outline reaches the first row that lies inside the photo.
    first_valid = int(np.argmax(valid[:, int(u0)])) if valid[:, int(u0)].any() else 0
    cut = bool(np.percentile(tops, 15) <= first_valid)
    if not (RATIO_MIN <= ratio <= RATIO_MAX):
        guess = ey - RATIO_TYPICAL * (face.chin_y - ey)
        return Crown(
            (ex + (ey - guess) * float(np.tan(np.radians(roll))), guess),
            False,
            cut,
            "头顶与背景分不开，按脸部比例估计了头顶位置，请人工核对",
            extent,
        )
    if cut:
        return Crown(point, False, True, "头顶可能超出照片上边缘，请人工核对", extent)
    contrast = _edge_contrast(frame, crown_v, int(u0), band)
    if contrast < MIN_EDGE_CONTRAST:
        return Crown(
            point,
            False,
            False,
            f"头发与背景颜色接近（色差 {contrast:.0f}），头顶位置可能不准，请人工核对",
            extent,
        )
    return Crown(point, True, False, "", extent)


def _edge_contrast(frame: np.ndarray, crown_v: float, u0: int, band: int) -> float:
    """CIEDE2000 between the backdrop just above the crown and the hair just below it."""
    v = round(crown_v + 0.5)
    above = frame[max(0, v - 5) : max(0, v - 1), u0 - band : u0 + band + 1].reshape(-1, 3)
    below = frame[v + 1 : v + 5, u0 - band : u0 + band + 1].reshape(-1, 3)
    if len(above) == 0 or len(below) == 0:
        return 0.0
    return float(delta_e2000(rgb_to_lab(np.median(above, axis=0)), rgb_to_lab(np.median(below, axis=0))))


def head_extent(
    person: np.ndarray, crown_v: float, eye_v: float, u0: float, px_to_src: float
) -> tuple[float, float]:
    """Widest reach of a person mask left and right of the axis between crown and eyes (GrabCut's outline
    here, the segmentation model's in segment.py)."""
    rows = person[int(max(0, crown_v)) : int(eye_v) + 1]
    if rows.size == 0 or not rows.any():
        return (0.0, 0.0)
    cols = np.where(rows.any(axis=0))[0]
    return (float(u0 - cols.min()) * px_to_src, float(cols.max() + 1 - u0) * px_to_src)


# Two crowns (GrabCut's and the segmentation model's, segment.py) further apart than this share of the
# head (crown to chin) make the crown uncertain. On the shared photos the good crowns disagree by at most
# 2.3 % and the two GrabCut got wrong by 5.6 and 10 % of the output disagree by 7.7 and 24.8 %: anything
# from 3 to 7 % separates them (bench/crown_combos.py); 5 % sits in the middle of that gap.
DISAGREE_SHARE = 0.05


def with_second_opinion(crown: Crown, model_row: float | None, face: Face, roll: float) -> Crown:
    """GrabCut's crown checked against the model's (source rows): when they disagree by more than
    DISAGREE_SHARE of the head, the crown is their mean and uncertain, with the reason.

    On the shared photos the mean was within 4 % of the output height on 18 of 18 (GrabCut alone 16,
    the model alone 17): each method fails on a photo where the other is right or nearly so.
    """
    if model_row is None:
        return crown
    row = crown.point[1]
    head = max(1e-6, face.chin_y - min(row, model_row))
    gap = abs(row - model_row) / head
    if gap <= DISAGREE_SHARE:
        return crown
    mean = (row + model_row) / 2
    ex, ey = face.eyes_mid
    point = (ex + (ey - mean) * float(np.tan(np.radians(roll))), mean)
    note = f"两种方法找到的头顶相差 {gap * 100:.0f}%（按头部高度），已取两者之间，请人工核对头顶位置"
    if crown.note:
        note = crown.note + "；" + note
    return Crown(point, False, crown.cut, note, crown.extent)
