"""Find the crown from a person mask: Google's MediaPipe selfie-segmentation model, run by cv2.dnn.

The model (resources/models/selfie_segmentation.tflite, Apache-2.0, see NOTICE-selfie_segmentation.md)
takes a 256×256 RGB square and returns, per pixel, the probability that it shows a person. It does not
need the hair and backdrop to differ in colour, where GrabCut (crown.py) goes wrong; but it can take a
dark vignette joined to the hair for the person (one of the shared photos), so it is a second opinion
beside GrabCut: bench/crown_combos.py measures both and their combinations.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .crown import head_extent
from .detect import Face
from .presets import resources_dir

MODEL_FILE = "selfie_segmentation.tflite"
# mediapipe 0.10.21's mediapipe/modules/selfie_segmentation/selfie_segmentation.tflite.
MODEL_SHA256 = "9ee168ec7c8f2a16c56fe8e1cfbc514974cbbb7e434051b455635f1bd1462f5c"
INPUT_PX = 256  # the model's fixed input side
# The square fed to the model, in face-box heights, centred this far above the eyes: head, neck and
# shoulders, and 1.8 face heights above the eyes for a bun or hat. On the shared photos 3.0-4.0 and
# 0-0.6 all put the same 17 of 18 crowns within 4 % of the output height; this pair put them within 2 %.
CONTEXT = 3.0
CENTRE_ABOVE = 0.3
THRESHOLD = 0.5  # probability above which a pixel is the person
# Columns within this fraction of the face width either side of the head's axis give the crown, and the
# highest rows among them (this low percentile) make it, as in crown.py.
BAND = 0.22
TOP_PERCENTILE = 15
# Rows (in face-box heights) averaged above and below the outline to measure how sure the mask is there.
CONTRAST_ROWS = 0.12

_local = threading.local()


class ModelError(RuntimeError):
    """The segmentation model is missing or is not the file GradPhoto ships (message in Chinese)."""


@dataclass(frozen=True)
class ModelCrown:
    """The top of the person mask on the head's axis, in source pixels."""

    point: tuple[float, float]  # source px, on the head's vertical axis
    confidence: float  # mask probability just inside the outline minus just outside it, 0–1
    cut: bool  # the mask reaches the top edge of the photo (or of the square): the crown may be outside
    extent: tuple[float, float] = (0.0, 0.0)  # head outline left/right of the axis, source px (upright)


def model_path() -> Path:
    """Where the shipped model file lives (a checkout or a PyInstaller bundle)."""
    return resources_dir() / "models" / MODEL_FILE


def load_model(path: Path | None = None) -> cv2.dnn.Net:
    """A new network from `path` (default: the shipped file), refused unless its SHA-256 is MODEL_SHA256."""
    path = model_path() if path is None else path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"找不到人像分割模型文件：{path}，请重新安装本软件") from exc
    if hashlib.sha256(data).hexdigest() != MODEL_SHA256:
        raise ModelError(f"人像分割模型文件已损坏或被替换（校验值不符）：{path}，请重新安装本软件")
    return cv2.dnn.readNetFromTFLite(np.frombuffer(data, np.uint8))


def _net() -> cv2.dnn.Net:
    """This thread's network: a cv2.dnn.Net must not run on two threads at once."""
    net = getattr(_local, "net", None)
    if net is None:
        net = _local.net = load_model()
    return net


def _warp(image: np.ndarray, m: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The square `m` maps to (edges replicated) and which of its pixels lie inside the photo."""
    src, m_use = image, m
    d = int(0.5 / float(np.hypot(m[0, 0], m[0, 1])))  # whole shrink factor leaving warpAffine 0.5-1
    if d >= 2:
        # Average d×d blocks of the neighbourhood first (cheap for a whole factor): warpAffine alone
        # would alias hair.
        inv = cv2.invertAffineTransform(m)
        corners = np.array([[0, 0, 1], [size, 0, 1], [0, size, 1], [size, size, 1]], float) @ inv.T
        x0, y0 = np.maximum(0, np.floor(corners.min(0)).astype(int) // d * d)
        x1, y1 = np.ceil(corners.max(0)).astype(int)
        x1 = x0 + (min(image.shape[1], x1) - x0) // d * d
        y1 = y0 + (min(image.shape[0], y1) - y0) // d * d
        if x1 - x0 >= 4 * d and y1 - y0 >= 4 * d:
            src = cv2.resize(image[y0:y1, x0:x1], None, fx=1 / d, fy=1 / d, interpolation=cv2.INTER_AREA)
            # Block centres: sub-pixel j is the mean of pixels x0 + d*j … x0 + d*j + d - 1.
            pre = np.array(
                [[1 / d, 0, -(x0 + (d - 1) / 2) / d], [0, 1 / d, -(y0 + (d - 1) / 2) / d], [0, 0, 1]]
            )
            m_use = (np.vstack([m, [0, 0, 1]]) @ np.linalg.inv(pre))[:2]
    frame = cv2.warpAffine(src, m_use, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    valid = cv2.warpAffine(
        np.full(src.shape[:2], 255, np.uint8), m_use, (size, size), flags=cv2.INTER_NEAREST, borderValue=0
    )
    return frame, valid > 0


def person_probability(frame: np.ndarray) -> np.ndarray:
    """Per-pixel person probability (float32, 0–1) for a 256×256 RGB uint8 square."""
    net = _net()
    net.setInput(cv2.dnn.blobFromImage(frame, 1 / 255.0))  # NCHW float32, RGB kept, 0–1
    return net.forward().reshape(frame.shape[:2])


def model_crown(image: np.ndarray, scale: float, face: Face, roll: float) -> ModelCrown | None:
    """Top of the person mask around `face`, like crown.find_crown; None when the mask misses the face.

    `image` is the decoded RGB array, `scale` source px per decoded px, `face` in source px and `roll`
    the getRotationMatrix2D angle that levels the eyes.
    """
    h = face.box[3] / scale  # face box height, decoded px
    if h < 8:
        return None
    k = INPUT_PX / (CONTEXT * h)  # decoded px → frame px
    ex, ey = face.eyes_mid
    m = cv2.getRotationMatrix2D((ex / scale, ey / scale), roll, k)
    u0, v_eye = INPUT_PX / 2, INPUT_PX / 2 + CENTRE_ABOVE * h * k
    m[0, 2] += u0 - ex / scale
    m[1, 2] += v_eye - ey / scale
    frame, valid = _warp(image, m, INPUT_PX)
    prob = person_probability(frame)
    # The person is the part of the mask that holds the face (not a second sitter or a bright blob).
    _, labels = cv2.connectedComponents((prob >= THRESHOLD).astype(np.uint8), connectivity=4)
    lab = labels[int(v_eye), int(u0)]
    if lab == 0:
        return None
    person = labels == lab
    band = max(2, round(BAND * face.box[2] / scale * k))
    cs = np.arange(max(0, int(u0) - band), min(INPUT_PX, int(u0) + band + 1))
    cols = person[:, cs]
    has = cols.any(axis=0)
    if not has.any():
        return None
    cs, cols = cs[has], cols[:, has]
    first = cols.argmax(axis=0)
    # Sub-pixel: where the probability crosses THRESHOLD between the last backdrop row and the first
    # person row (pixel-centre coordinates, as warpAffine maps them).
    above = prob[np.maximum(first - 1, 0), cs]
    at = prob[first, cs]
    frac = np.clip((THRESHOLD - above) / np.maximum(at - above, 1e-6), 0.0, 1.0)
    tops = np.where(first > 0, first - 1 + frac, first.astype(float))
    # Above the photo the frame is replicated edge pixels: the outline can be no higher than its first row.
    first_valid = np.where(valid[:, cs].any(axis=0), valid[:, cs].argmax(axis=0), INPUT_PX).astype(float)
    tops = np.maximum(tops, first_valid - 0.5)
    inv = cv2.invertAffineTransform(m)
    src_rows = (inv[1, 0] * cs + inv[1, 1] * tops + inv[1, 2]) * scale
    # People mark the highest row of the head, beside the axis for a tilted head: take that row
    # (robustly) and put the crown on the axis at that height.
    crown_row = float(np.percentile(src_rows, TOP_PERCENTILE))
    point = (ex + (ey - crown_row) * float(np.tan(np.radians(roll))), crown_row)
    crown_v = float(np.percentile(tops, TOP_PERCENTILE))
    cut = bool(np.percentile(tops - first_valid, TOP_PERCENTILE) <= 0.5)
    return ModelCrown(
        point,
        _contrast(prob, valid, crown_v, cs, CONTRAST_ROWS * h * k),
        cut,
        head_extent(person & valid, crown_v, v_eye, u0, scale / k),
    )


def _contrast(prob: np.ndarray, valid: np.ndarray, crown_v: float, cs: np.ndarray, rows: float) -> float:
    """Mean probability in a strip just below the outline minus the one just above it (inside the photo)."""
    n = max(2, round(rows))
    v = round(crown_v)
    above = prob[max(0, v - 1 - n) : max(0, v - 1), cs][valid[max(0, v - 1 - n) : max(0, v - 1), cs]]
    below = prob[v + 2 : v + 2 + n, cs]
    lo = float(above.mean()) if above.size else 1.0  # no backdrop above inside the photo: no contrast
    hi = float(below.mean()) if below.size else 0.0
    return max(0.0, hi - lo)
