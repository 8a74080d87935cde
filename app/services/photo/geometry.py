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
