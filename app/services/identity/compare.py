"""One face's descriptor and the distance between two: the similarity score and its verdict.

The face box comes from the app's own detector (YuNet, app.services.photo.detect): dlib's landmark model
refines it to five points, the face is cut out upright at 150×150 and the ResNet turns it into 128 numbers.
Two photos of one person lie close (Euclidean distance), two people usually far apart; usually, not always
(see THRESHOLD). A verdict is advice for the photographer, never a reason to refuse a photo.
"""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import dlib
import numpy as np

from app.services.photo.detect import Face, count_sitters, detect_faces, detect_small_faces
from app.services.photo.loading import LoadedPhoto, PhotoLoadError, load_photo

from .model import ModelError, load_models

# Above this distance the verdict is 可能不是本人. Calibrated by bench/identity.py on the shared photos: the
# same person in different photos 0.07–0.35, a photo against its 144×192 copy 0.06–0.12; different people
# 0.58 and up, except the East-Asian ID-style portraits of different sitters, 0.28–0.44, inside the
# same-person range, so no threshold separates those (6 false accepts here at any value from 0.45 to 0.55).
# 0.5 leaves 0.15 above the farthest same-person pair and flags the closest other pair (0.58), which dlib's
# usual 0.6 (99.4 % on LFW) would pass. Advice only: the photographer looks, the photo is never refused.
THRESHOLD = 0.5
SAME, UNLIKE, UNKNOWN = "相同", "可能不是本人", "无法比对"
# Stored codes of the verdicts (Photo.identity_verdict): the words above are for people.
CODES = {SAME: "same", UNLIKE: "unlike", UNKNOWN: "unknown"}
# Decoded at least this long (long side): the 150 px chip then comes from a face of ≥ 150 px in most
# portraits, and a camera's 24 MP JPEG decodes at 1/4 or 1/8 of its size.
DECODE_LONG_SIDE = 1280
# A face narrower than this (decoded pixels) gives a descriptor of noise: 无法比对. A 150×200 enrolment
# photo's face is 70–90 px wide.
MIN_FACE_PX = 36
DIMENSIONS = 128

_compute = threading.Lock()  # one dlib network, not made for two threads at once


@dataclass(frozen=True)
class Described:
    """A photo's descriptor, or why there is none (`reason`, Chinese)."""

    descriptor: np.ndarray | None
    reason: str = ""

    @property
    def usable(self) -> bool:
        return self.descriptor is not None


@dataclass(frozen=True)
class Comparison:
    verdict: str  # SAME | UNLIKE | UNKNOWN
    distance: float | None
    reason: str = ""  # why UNKNOWN (which photo, what is wrong), Chinese

    @property
    def code(self) -> str:
        return CODES[self.verdict]


def to_bytes(descriptor: np.ndarray) -> bytes:
    """128 float32 numbers, little-endian: what the store keeps."""
    return np.asarray(descriptor, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    if len(data) != DIMENSIONS * 4:
        raise ValueError("人脸特征数据长度不对")
    return np.frombuffer(data, dtype="<f4").astype(np.float64)


def describe_face(image: np.ndarray, face: Face, scale: float = 1.0) -> np.ndarray:
    """The descriptor of `face` (source px; `image` decoded at `scale` source px per pixel)."""
    x, y, w, h = (v / scale for v in face.box)
    rect = dlib.rectangle(int(round(x)), int(round(y)), int(round(x + w)), int(round(y + h)))
    models = load_models()
    with _compute:
        shape = models.landmarks(image, rect)
        return np.array(models.resnet.compute_face_descriptor(image, shape), dtype=np.float64)


def not_a_file(source: str | Path | bytes) -> str:
    """Why `source` is no file to read (Chinese, naming it), or "" when it is bytes, a plain file or something
    load_photo explains itself (missing, a folder, a link). A named pipe or a device would block the reader
    (a pipe waits for a writer for ever), so it is refused by its kind before any open."""
    if isinstance(source, (bytes, bytearray)):
        return ""
    try:
        mode = os.lstat(source).st_mode
    except (OSError, ValueError):
        return ""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode):
        return ""
    return f"{Path(source).name} 不是普通文件（可能是管道或设备），不读取它"


def describe(source: str | Path | bytes, faces: list[Face] | None = None) -> Described:
    """Load a photo, find its one face and describe it; `Described.reason` says why not (Chinese).

    ModelError (the model is missing or altered) is raised: that is the installation, not the photo.
    """
    if why := not_a_file(source):
        return Described(None, why)
    try:
        photo = load_photo(source, DECODE_LONG_SIDE)
    except PhotoLoadError as exc:
        return Described(None, str(exc))
    return describe_loaded(photo, faces)


def describe_loaded(photo: LoadedPhoto, faces: list[Face] | None = None) -> Described:
    """describe() for a photo already decoded (and its faces already found, e.g. by the crop a moment ago)."""
    if faces is None:
        faces = detect_faces(photo.image, photo.scale)
    if not faces:  # perhaps a face too small for the usual sizes: look once more at the decoded size
        faces = detect_small_faces(photo.image, photo.scale, DECODE_LONG_SIDE)
    if not faces:
        return Described(None, f"{photo.name} 中未检测到人脸")
    if count_sitters(faces) > 1:
        return Described(None, f"{photo.name} 中不止一个人")
    if faces[0].box[2] / photo.scale < MIN_FACE_PX:
        return Described(None, f"{photo.name} 中的人脸太小（宽不足 {MIN_FACE_PX} 像素）")
    return Described(describe_face(photo.image, faces[0], photo.scale))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, np.float64) - np.asarray(b, np.float64)))


def verdict_of(dist: float, threshold: float = THRESHOLD) -> str:
    return UNLIKE if dist > threshold else SAME


def compare_described(new: Described, enrolment: Described) -> Comparison:
    """The verdict for two descriptors (either may be missing: 无法比对 with its reason)."""
    reasons = [d.reason for d in (new, enrolment) if not d.usable]
    if reasons:
        return Comparison(UNKNOWN, None, "；".join(reasons))
    dist = distance(new.descriptor, enrolment.descriptor)  # type: ignore[arg-type]
    return Comparison(verdict_of(dist), dist)


def compare(new: str | Path | bytes, enrolment: str | Path | bytes) -> Comparison:
    """Compare two image files: SAME, UNLIKE, or UNKNOWN with the reason."""
    return compare_described(describe(new), describe(enrolment))


__all__ = [
    "SAME",
    "THRESHOLD",
    "UNKNOWN",
    "UNLIKE",
    "Comparison",
    "Described",
    "ModelError",
    "compare",
    "compare_described",
    "describe",
    "describe_face",
    "distance",
    "from_bytes",
    "not_a_file",
    "to_bytes",
    "verdict_of",
]
