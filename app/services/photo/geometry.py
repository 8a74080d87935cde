"""Crop-rectangle geometry: place crown and chin on the preset's lines, in the rotation convention."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .presets import Preset

Rect = tuple[float, float, float, float]  # left, top, width, height


@dataclass(frozen=True)
class Placement:
    """A crop: rectangle in the rotated source (source px) and rotation (getRotationMatrix2D degrees)."""

    rect: Rect
    rotation_deg: float

    @property
    def center(self) -> tuple[float, float]:
        """Centre of the rectangle: the rotation's pivot, fixed by the rotation."""
        left, top, w, h = self.rect
        return left + w / 2, top + h / 2


def rotation_about(center: tuple[float, float], angle_deg: float) -> np.ndarray:
    """3×3 form of cv2.getRotationMatrix2D (positive = counter-clockwise on screen)."""
    m = np.eye(3)
    m[:2] = cv2.getRotationMatrix2D((float(center[0]), float(center[1])), float(angle_deg), 1.0)
    return m


def source_to_output(place: Placement, out_w: int, out_h: int) -> np.ndarray:
    """3×3 affine from continuous source coordinates to continuous output coordinates."""
    left, top, w, _ = place.rect
    s = w / out_w
    to_out = np.array([[1 / s, 0, -left / s], [0, 1 / s, -top / s], [0, 0, 1]])
    return to_out @ rotation_about(place.center, place.rotation_deg)


def map_points(m: np.ndarray, pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Apply a 3×3 affine to (x, y) points."""
    arr = np.hstack([np.asarray(pts, float), np.ones((len(pts), 1))]) @ m.T
    return [(float(x), float(y)) for x, y in arr[:, :2]]


def place_head(
    crown: tuple[float, float],
    chin: tuple[float, float],
    eyes: tuple[float, float],
    rotation_deg: float,
    preset: Preset,
) -> Placement:
    """The rectangle that puts crown and chin on the preset's lines and the eyes' midpoint on its centre line."""
    pivot = eyes
    rot = rotation_about(pivot, rotation_deg)
    (_, cy), (_, hy), (ex, _) = map_points(rot, [crown, chin, eyes])
    s = max(1e-6, (hy - cy) / (preset.chin_y - preset.crown_y))  # source px per output px
    top = cy - preset.crown_y * s
    left = ex - preset.center_x * s
    w, h = preset.width * s, preset.height * s
    # The pivot convention: rotating about the rectangle's own centre differs from rotating about the
    # eyes by a translation only, so the centre is the source point our rectangle's centre shows.
    centre_rot = (left + w / 2, top + h / 2)
    q = map_points(np.linalg.inv(rot), [centre_rot])[0]
    return Placement((q[0] - w / 2, q[1] - h / 2, w, h), rotation_deg)


def corners_in_source(place: Placement) -> np.ndarray:
    """The crop's four corners in source coordinates (4×2)."""
    left, top, w, h = place.rect
    inv = np.linalg.inv(rotation_about(place.center, place.rotation_deg))
    pts = [(left, top), (left + w, top), (left, top + h), (left + w, top + h)]
    return np.asarray(map_points(inv, pts))


def leaves_image(place: Placement, size: tuple[int, int], tol: float = 0.5) -> bool:
    """True when part of the crop lies outside the source image (it will be padded)."""
    c = corners_in_source(place)
    w, h = size
    return bool(
        (c[:, 0] < -tol).any()
        or (c[:, 1] < -tol).any()
        or (c[:, 0] > w + tol).any()
        or (c[:, 1] > h + tol).any()
    )


@dataclass(frozen=True)
class Coverage:
    """How much of the output is not real photo pixels (filled because the crop ran past the photo)."""

    depth_px: int  # how far the fill reaches in from the output's edge, output px (0 = none)
    share: float  # fraction of the output area that is fill
    rows: int  # output rows that are fill all along (a band across the top or bottom)
    cols: int  # output columns that are fill all along (a strip down a side)
    mask: np.ndarray | None = None  # H×W bool, True where the pixel is real; None when all are


def coverage(
    place: Placement, size: tuple[int, int], out_w: int, out_h: int, open_edges: frozenset[str] = frozenset()
) -> Coverage:
    """Which output pixels show the photo: a pixel is fill when its whole footprint lies outside the
    source (the edge pixel that is partly photo, partly fill still counts as real).

    Past an edge in `open_edges` (a cut-out's transparent border, flattened onto the backdrop) the fill
    continues the backdrop and counts as real.
    """
    if not leaves_image(place, size):
        return Coverage(0, 0.0, 0, 0, None)
    inv = np.linalg.inv(source_to_output(place, out_w, out_h))
    half = 0.5 * place.rect[2] / out_w  # half an output pixel in source px
    xs = np.arange(out_w, dtype=np.float64) + 0.5
    ys = np.arange(out_h, dtype=np.float64) + 0.5
    sx = inv[0, 0] * xs[None, :] + inv[0, 1] * ys[:, None] + inv[0, 2]
    sy = inv[1, 0] * xs[None, :] + inv[1, 1] * ys[:, None] + inv[1, 2]
    w, h = size
    real = np.ones(sx.shape, bool)
    eps = 1e-6 * half
    for edge, outside in (  # the pixel's whole footprint lies past that edge
        ("left", sx <= -half + eps),
        ("right", sx >= w + half - eps),
        ("top", sy <= -half + eps),
        ("bottom", sy >= h + half - eps),
    ):
        if edge not in open_edges:
            real &= ~outside
    if real.all():
        return Coverage(0, 0.0, 0, 0, None)
    fill = ~real
    yy, xx = np.nonzero(fill)
    depth = np.minimum.reduce([xx + 1, yy + 1, out_w - xx, out_h - yy])
    return Coverage(
        int(depth.max()),
        float(fill.mean()),
        int(fill.all(axis=1).sum()),
        int(fill.all(axis=0).sum()),
        real,
    )


@dataclass(frozen=True)
class Targets:
    """What a placement must and should achieve, in output px (see solve_placement)."""

    tolerance_pct: float = 1.0  # how far crown/chin/centre may move off the preset's lines to stay inside
    crown_range: tuple[float, float] | None = None  # the spec's hard ranges, when the preset has them
    eyes_range: tuple[float, float] | None = None
    face_width_range: tuple[float, float] | None = None
    face_width_src: float | None = None  # the measured face width, source px


def solve_placement(
    crown: tuple[float, float],
    chin: tuple[float, float],
    eyes: tuple[float, float],
    rotation_deg: float,
    preset: Preset,
    size: tuple[int, int],
    targets: Targets | None = None,
) -> tuple[Placement, str]:
    """The crop that meets the preset, preferring one that stays inside the photo.

    Without spec ranges the scale is fixed by crown and chin; the crop may move (and scale) by up to
    `tolerance_pct` of the output to avoid running past the photo. With spec ranges (CHSI: crown 50–110
    px, eyes 200–300 px, face width 180–300 px) the scale is free inside them, and the crop closest to the
    preset's own lines is taken. In order: every range and inside the photo; every range; the ranges
    but the face width, inside; the ranges but the face width; else the plain placement. Returns the
    placement and which of those it is ("target", "inside", "ranges", "ranges-inside", "no-width",
    "no-width-inside", "none").
    """
    t = targets or Targets()
    base = place_head(crown, chin, eyes, rotation_deg, preset)
    ranged = t.crown_range is not None or t.eyes_range is not None or t.face_width_range is not None
    if not ranged and not leaves_image(base, size):
        return base, "target"
    rot = rotation_about(eyes, rotation_deg)
    (_, cy), (_, hy), (ex, ey) = map_points(rot, [crown, chin, eyes])
    W, H = preset.width, preset.height
    u0 = (preset.chin_y - preset.crown_y) / max(1e-6, hy - cy)  # output px per source px
    tol = t.tolerance_pct / 100
    if ranged:
        lo, hi = u0 * 0.6, u0 * 1.6
        n_u, n_v = 121, 41
    else:
        lo, hi = u0 * (1 - 2 * tol), u0 * (1 + 2 * tol)
        n_u, n_v = 21, 21
    u = np.linspace(lo, hi, n_u)[:, None, None]
    # v = output row of the levelled source's row 0 (negated): y_out = y * u - v
    v_mid = ((cy + hy) * u - preset.crown_y - preset.chin_y) / 2
    span = tol * H if not ranged else 0.25 * H
    v = v_mid + np.linspace(-span, span, n_v)[None, :, None]
    hs = ex * u - preset.center_x + np.linspace(-tol * W, tol * W, 5)[None, None, :]
    u, v, hs = np.broadcast_arrays(u, v, hs)
    crown_o, chin_o, eyes_o = cy * u - v, hy * u - v, ey * u - v
    centre_o = ex * u - hs
    err = np.maximum.reduce(
        [
            np.abs(crown_o - preset.crown_y) / H,
            np.abs(chin_o - preset.chin_y) / H,
            np.abs(centre_o - preset.center_x) / W,
        ]
    )
    ok_ranges = np.ones(u.shape, bool)
    if t.crown_range is not None:
        ok_ranges &= (crown_o >= t.crown_range[0]) & (crown_o <= t.crown_range[1])
    if t.eyes_range is not None:
        ok_ranges &= (eyes_o >= t.eyes_range[0]) & (eyes_o <= t.eyes_range[1])
    ok_width = np.ones(u.shape, bool)
    miss = np.zeros(u.shape)  # how far the face width falls outside its range, output px
    if t.face_width_range is not None and t.face_width_src:
        fw = t.face_width_src * u
        ok_width = (fw >= t.face_width_range[0]) & (fw <= t.face_width_range[1])
        miss = np.maximum(0, np.maximum(t.face_width_range[0] - fw, fw - t.face_width_range[1]))
    if not ranged:
        ok_ranges &= err <= tol + 1e-9
    # Corners of each candidate in the source: levelled frame → source by the inverse rotation.
    left, top = hs / u, v / u
    cw, ch = W / u, H / u
    inv = np.linalg.inv(rot)
    inside = np.ones(u.shape, bool)
    img_w, img_h = size
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        px, py = left + dx * cw, top + dy * ch
        qx = inv[0, 0] * px + inv[0, 1] * py + inv[0, 2]
        qy = inv[1, 0] * px + inv[1, 1] * py + inv[1, 2]
        inside &= (qx >= -0.5) & (qy >= -0.5) & (qx <= img_w + 0.5) & (qy <= img_h + 0.5)
    tiers = (
        ("inside", ok_ranges & ok_width & inside),
        ("ranges", ok_ranges & ok_width),
        ("no-width-inside", ok_ranges & inside),
        ("no-width", ok_ranges),
    )
    for name, ok in tiers:
        if not ranged and name != "inside":
            break
        if ok.any():
            # Without the width, come as close to its range as crown and eyes allow, then to the lines.
            cost = err + (miss if name.startswith("no-width") else 0)
            idx = np.unravel_index(np.argmin(np.where(ok, cost, np.inf)), err.shape)
            uu, vv, hh = float(u[idx]), float(v[idx]), float(hs[idx])
            s = 1 / uu
            left_r, top_r, w, h = hh * s, vv * s, W * s, H * s
            # The levelled frame rotates about the eyes; the Placement rotates about its own centre.
            q = map_points(inv, [(left_r + w / 2, top_r + h / 2)])[0]
            label = name if not ranged else {"inside": "ranges-inside", "ranges": "ranges"}.get(name, name)
            return Placement((q[0] - w / 2, q[1] - h / 2, w, h), rotation_deg), label
    return base, "none"
