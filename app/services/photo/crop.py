"""The crop pipeline: load → detect → crown → place → render → check, with reusable analysis."""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PIL import Image

from . import qc
from .crown import Crown, find_crown, with_second_opinion
from .detect import DETECT_LONG_SIDE, Face, count_sitters, detect_faces_early, in_background, level_eyes
from .encode import encode_jpeg_quality
from .facewidth import face_width as estimate_face_width
from .geometry import (
    Coverage,
    Placement,
    Rect,
    Targets,
    coverage,
    leaves_image,
    map_points,
    solve_placement,
    source_to_output,
)
from .loading import LoadedPhoto, load_photo
from .presets import Preset, load_preset
from .render import render_array, to_pil
from .segment import ModelError, model_crown

# Decode so the whole photo's long side is at least this many output heights: a passport-style crop
# spans most of a camera frame, so this rarely upscales; when it would, finish() decodes again finer.
# (2.3 put 24 MP files at 1/2 scale for 480×640, ~40 ms of decode; 1.5 keeps them at 1/4.)
DECODE_OVERSAMPLE = 1.5
# Decodes + detections kept for repeated calls on the same file (a few MB each).
CACHE_SIZE = 4
_cache: OrderedDict[tuple, tuple[LoadedPhoto, Analysis]] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class CropAdjust:
    """A person's nudge: an explicit rectangle (source px) and/or rotation, re-rendered from the original."""

    rect: Rect | None = None
    rotation_deg: float | None = None


@dataclass
class Analysis:
    """What detection found, in source px; reused when only the crop rectangle changes."""

    faces: list[Face]
    sitters: int
    face: Face | None = None
    crown: Crown | None = None
    chin: tuple[float, float] | None = None
    backdrop_rgb: tuple[int, int, int] = (255, 255, 255)
    face_measures: tuple[float, float] | None = None  # sharpness, exposure: preset-independent
    jpeg_quality: dict[str, int] = field(
        default_factory=dict
    )  # last quality per preset: nudges encode once or twice
    detected: Face | None = None  # the face as YuNet gave it, before the eyes were moved onto the irises

    @property
    def centre(self) -> tuple[float, float]:
        """Point to centre horizontally: between the irises."""
        assert self.face is not None
        return self.face.eyes_mid


@dataclass
class CropResult:
    """The output image (or None), where it was cut, and every quality check."""

    image: Image.Image | None
    rect: Rect | None
    rotation_deg: float
    checks: list[qc.QualityCheck]
    status: str
    faces: int
    crown_y: float | None
    chin_y: float | None
    eyes: tuple[tuple[float, float], tuple[float, float]] | None  # image-left eye, image-right eye
    padded: bool
    source_size: tuple[int, int]
    preset: Preset = field(repr=False)
    cover: Coverage | None = field(default=None, repr=False)  # fill the crop needed beyond the photo
    placement: str = ""  # how the automatic crop was chosen (geometry.solve_placement), "" when by hand
    roll_deg: float | None = None  # the head's tilt in the original, before any correction
    jpeg: bytes | None = field(default=None, repr=False)
    photo: LoadedPhoto | None = field(default=None, repr=False)
    analysis: Analysis | None = field(default=None, repr=False)

    def check(self, name: str) -> qc.QualityCheck | None:
        """The check called `name`, if it was run."""
        return next((c for c in self.checks if c.name == name), None)


def decode_long_side(preset: Preset) -> int:
    """Long side to decode at for this preset (JPEG DCT scaling picks the next size up)."""
    return max(DETECT_LONG_SIDE, math.ceil(DECODE_OVERSAMPLE * preset.height))


def _axis_point(face: Face, y: float) -> tuple[float, float]:
    """The point at image row `y` on the head's axis (through the eyes, perpendicular to them)."""
    ex, ey = face.eyes_mid
    t = math.radians(face.roll_deg)
    return ex + (ey - y) * math.tan(t), y


def _backdrop_sample(photo: LoadedPhoto, face: Face, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
    """Median colour beside and above the head: what padding should look like."""
    img, s = photo.image, photo.scale
    x, y, w, h = (v / s for v in face.box)
    cx = x + w / 2
    y0, y1 = int(max(0, y - 0.5 * h)), int(max(0, y + 0.3 * h))
    parts = []
    for a, b in ((cx - 1.6 * w, cx - 1.15 * w), (cx + 1.15 * w, cx + 1.6 * w)):
        a, b = int(max(0, a)), int(min(img.shape[1], b))
        if b - a > 1 and y1 - y0 > 1:
            parts.append(img[y0:y1, a:b].reshape(-1, 3))
    if not parts:
        parts.append(img[: max(1, img.shape[0] // 20)].reshape(-1, 3))
    med = np.median(np.concatenate(parts), axis=0)
    return tuple(int(v) for v in med) if med.size == 3 else fallback  # type: ignore[return-value]


def analyse(photo: LoadedPhoto, preset: Preset) -> Analysis:
    """Detect faces, the crown, the chin and the backdrop colour."""
    img, s = photo.image, photo.scale

    def crown_of(detected: Face) -> Crown:
        f = level_eyes(img, s, detected)
        roll = f.roll_deg if abs(f.roll_deg) <= 45 else 0.0
        # A second opinion that does not need colour contrast, on the pool's free thread meanwhile.
        model_later = in_background(_model_crown_or_error, img, s, f, roll)
        grab = find_crown(img, s, f, roll)
        model = model_later()
        if isinstance(model, ModelError):
            # Never a silent single opinion: the crown is marked for a person to check, with the reason.
            note = f"{model}；头顶只用一种方法识别，请人工核对"
            return replace(grab, confident=False, note=(grab.note + "；" if grab.note else "") + note)
        return with_second_opinion(grab, model.point[1] if model is not None else None, f, roll)

    # The crown is segmented around the coarse detection while the fine one runs (see detect_faces_early).
    faces, crown = detect_faces_early(img, s, crown_of)
    a = Analysis(faces=faces, sitters=count_sitters(faces), backdrop_rgb=preset.backdrop_rgb)
    if not faces:
        return a
    a.detected = faces[0]
    # YuNet's eye points miss the eye-line angle by 3° (median) and up to 12° on the shared photos; the
    # irises found near them get it to 0.7° (worst 2.4°), and they are what "centred" means to people.
    face = level_eyes(img, s, faces[0])
    a.face = face
    if crown is None:
        crown = crown_of(faces[0])
    # Same crown row, on this face's axis.
    row = crown.point[1]
    a.crown = replace(crown, point=(_axis_point(face, row)[0], row))
    a.chin = _axis_point(face, face.chin_y)
    a.backdrop_rgb = _backdrop_sample(photo, face, preset.backdrop_rgb)
    a.face_measures = qc.face_measures(qc.face_patch(photo.image, photo.scale, face.box))
    return a


def _model_crown_or_error(image: np.ndarray, scale: float, face: Face, roll: float):
    """model_crown, or the ModelError (missing or altered model file) as a value for the caller to report."""
    try:
        return model_crown(image, scale, face, roll)
    except ModelError as exc:
        return exc


def auto_rotation(face: Face, preset: Preset) -> float:
    """Level the eyes when the preset allows it and the tilt is real but plausible (never under a
    preset that forbids rotating the photo, such as CHSI-2017)."""
    r = face.roll_deg
    if preset.rotate and preset.rotate_min_deg <= abs(r) <= preset.rotate_max_deg:
        return r
    return 0.0


def allowed_rotation(degrees: float, preset: Preset) -> float:
    """A requested rotation as the preset allows it: none where rotating is forbidden (CHSI-2017), else
    at most rotation.max_deg either way (a sideways or upside-down photo is never a correction)."""
    d = float(degrees)
    if not preset.rotate or not math.isfinite(d):
        return 0.0
    return max(-preset.rotate_max_deg, min(preset.rotate_max_deg, d))


def render_crop(
    image: LoadedPhoto | np.ndarray | Image.Image,
    rect: Rect,
    rotation_deg: float,
    preset: Preset | str,
    pad_rgb: tuple[int, int, int] | None = None,
    scale: float = 1.0,
) -> Image.Image:
    """Render `rect` (source px, after rotating by `rotation_deg` about its centre) at the preset's size."""
    p = load_preset(preset)
    if isinstance(image, LoadedPhoto):
        arr, scale = image.image, image.scale
        size = image.source_size
    else:
        arr = np.asarray(image.convert("RGB") if isinstance(image, Image.Image) else image)
        size = (round(arr.shape[1] * scale), round(arr.shape[0] * scale))
    place = Placement(tuple(float(v) for v in rect), float(rotation_deg))  # type: ignore[arg-type]
    out = render_array(
        arr, scale, place, p.width, p.height, pad_rgb or p.backdrop_rgb, padded=leaves_image(place, size)
    )
    return to_pil(out)


def _ensure_resolution(photo: LoadedPhoto, place: Placement, preset: Preset) -> LoadedPhoto:
    """Decode again, finer, when the crop would otherwise be upscaled from a reduced decode."""
    per_out = place.rect[2] / preset.width  # source px per output px
    if per_out / photo.scale >= 1.0 or photo.scale <= 1.01 or photo.origin is None:
        return photo
    need = math.ceil(max(photo.source_size) / max(per_out, 1.0))  # DCT scaling rounds up to the next size
    return load_photo(photo.origin, min_long_side=need, backdrop=preset.backdrop_rgb)


def _framing_checks(a: Analysis, place: Placement, preset: Preset) -> list[qc.QualityCheck]:
    """Where crown, chin, eyes and head outline land in the output, against the preset."""
    face, crown = a.face, a.crown
    assert face is not None and crown is not None and a.chin is not None
    m = source_to_output(place, preset.width, preset.height)
    (_, cy), (_, hy), (ex, ey) = map_points(m, [crown.point, a.chin, a.centre])
    k = preset.width / place.rect[2]  # output px per source px
    ck = preset.checks
    rng = preset.ranges
    out = [qc.crown_found_check(crown.confident, crown.note)]
    if "crown_px" not in rng:
        # With spec ranges the scale is free inside them (solve_placement): the ranges are the rule.
        out.append(qc.upper("crown_offset", (cy - preset.crown_y) / preset.height * 100, ck["crown_offset"]))
        out.append(qc.upper("chin_offset", (hy - preset.chin_y) / preset.height * 100, ck["chin_offset"]))
    out.append(qc.upper("center_offset", (ex - preset.center_x) / preset.width * 100, ck["center_offset"]))
    left, right = ex - crown.extent[0] * k, ex + crown.extent[1] * k
    lo, hi = preset.head_band_x
    over = max(0.0, lo - left, right - hi) / preset.width * 100
    out.append(qc.upper("head_band", over, ck["head_band"], "，头发越出两侧留白"))
    if "crown_px" in rng:
        out.append(qc.spec_range("crown_px", cy, rng["crown_px"]))
    if "eyes_px" in rng:
        out.append(qc.spec_range("eyes_px", ey, rng["eyes_px"]))
    if "face_width_px" in rng:
        out.append(qc.spec_range("face_width_px", face_width(a) * k, rng["face_width_px"]))
    out.append(qc.roll_check(face.roll_deg, place.rotation_deg, preset))
    out.append(qc.upscale_check(k, ck["upscale"]))
    return out


def face_width(a: Analysis) -> float:
    """Cheek-to-cheek width of the face, source px (an estimate from the irises, see facewidth.py)."""
    assert a.face is not None
    return estimate_face_width(a.face).width


def _targets(a: Analysis, preset: Preset) -> Targets:
    rng = preset.ranges
    tol = float(preset.raw.get("framing", {}).get("inside_tolerance_pct", 1.0))

    def pair(key: str) -> tuple[float, float] | None:
        return (float(rng[key]["min"]), float(rng[key]["max"])) if key in rng else None

    return Targets(
        tolerance_pct=tol,
        crown_range=pair("crown_px"),
        eyes_range=pair("eyes_px"),
        face_width_range=pair("face_width_px"),
        face_width_src=face_width(a) if "face_width_px" in rng else None,
    )


def _sides(cover: Coverage) -> str:
    real = cover.mask
    if real is None:
        return ""
    names = [
        n
        for n, edge in (("上方", real[0]), ("下方", real[-1]), ("左侧", real[:, 0]), ("右侧", real[:, -1]))
        if not edge.all()
    ]
    return "、".join(names) or "画面内"


def _output_checks(
    photo: LoadedPhoto, img: Image.Image, arr: np.ndarray, cover: Coverage, preset: Preset
) -> list[qc.QualityCheck]:
    """What every rendered output is checked for: size, real photo pixels, backdrop on those pixels."""
    return [
        qc.output_size_check(img.size, preset),
        qc.coverage_check(cover.depth_px, cover.share, _sides(cover), preset, composited=photo.had_alpha),
        *qc.backdrop_checks(arr, preset, cover.mask),
    ]


def finish(photo: LoadedPhoto, a: Analysis, preset: Preset, adjust: CropAdjust | None = None) -> CropResult:
    """Place (or take the adjusted) crop, render it, encode it and run every check."""
    checks = qc.with_hardness([qc.faces_check(a.sitters)], preset)
    base = {
        "faces": a.sitters,
        "source_size": photo.source_size,
        "preset": preset,
        "photo": photo,
        "analysis": a,
    }
    adjust = adjust or CropAdjust()
    if a.face is None or a.crown is None or a.chin is None:
        if adjust.rect is None:
            return CropResult(
                None,
                None,
                0.0,
                checks,
                qc.overall(checks),
                crown_y=None,
                chin_y=None,
                eyes=None,
                padded=False,
                **base,
            )
        return _finish_by_hand(photo, a, preset, adjust, checks, base)
    face = a.face
    rot = (
        auto_rotation(face, preset)
        if adjust.rotation_deg is None
        else allowed_rotation(adjust.rotation_deg, preset)
    )
    how = ""
    if adjust.rect is not None:
        place = Placement(tuple(float(v) for v in adjust.rect), rot)  # type: ignore[arg-type]
    else:
        place, how = solve_placement(
            a.crown.point, a.chin, a.centre, rot, preset, photo.source_size, _targets(a, preset)
        )
    img, arr, data, padded, cover = _render(photo, a, place, preset, base)
    checks += _framing_checks(a, place, preset)
    checks += _output_checks(base["photo"], img, arr, cover, preset)
    checks += qc.face_checks(a.face_measures, preset)
    checks.append(qc.file_size_check(len(data), preset))
    checks = qc.with_hardness(checks, preset)
    eyes = (face.right_eye, face.left_eye)
    return CropResult(
        img,
        place.rect,
        place.rotation_deg,
        checks,
        qc.overall(checks),
        crown_y=a.crown.point[1],
        chin_y=a.chin[1],
        eyes=eyes,
        padded=padded,
        jpeg=data,
        cover=cover,
        placement=how,
        roll_deg=face.roll_deg,
        **base,
    )


def _render(photo: LoadedPhoto, a: Analysis, place: Placement, preset: Preset, base: dict):
    """Render and encode `place` (decoding finer first if the crop needs it); base["photo"] follows."""
    photo = _ensure_resolution(photo, place, preset)
    base["photo"] = photo
    padded = leaves_image(place, photo.source_size)
    arr = render_array(photo.image, photo.scale, place, preset.width, preset.height, a.backdrop_rgb, padded)
    img = to_pil(arr)
    data, a.jpeg_quality[preset.name] = encode_jpeg_quality(img, preset, a.jpeg_quality.get(preset.name))
    return (
        img,
        arr,
        data,
        padded,
        coverage(place, photo.source_size, preset.width, preset.height, photo.open_edges),
    )


def _finish_by_hand(
    photo: LoadedPhoto,
    a: Analysis,
    preset: Preset,
    adjust: CropAdjust,
    checks: list[qc.QualityCheck],
    base: dict,
) -> CropResult:
    """No face was found but a person drew the rectangle: render it; framing cannot be measured."""
    rot = allowed_rotation(adjust.rotation_deg or 0.0, preset)
    place = Placement(tuple(float(v) for v in adjust.rect), rot)  # type: ignore[arg-type]
    img, arr, data, padded, cover = _render(photo, a, place, preset, base)
    checks = checks + _output_checks(base["photo"], img, arr, cover, preset)
    checks = qc.with_hardness(checks + [qc.file_size_check(len(data), preset)], preset)
    return CropResult(
        img,
        place.rect,
        place.rotation_deg,
        checks,
        qc.overall(checks),
        crown_y=None,
        chin_y=None,
        eyes=None,
        padded=padded,
        jpeg=data,
        cover=cover,
        **base,
    )


def _cache_key(source: str | Path | bytes, preset: Preset) -> tuple | None:
    """Identity of a decode: the file (path, size, mtime) or the bytes, plus what the preset changes."""
    extra = (decode_long_side(preset), preset.backdrop_rgb)
    if isinstance(source, (bytes, bytearray)):
        return ("bytes", hashlib.blake2b(source, digest_size=16).digest(), *extra)
    try:
        st = os.stat(source)
    except OSError:
        return None
    return ("file", os.path.abspath(source), st.st_size, st.st_mtime_ns, *extra)


def cached_detection(source: str | Path) -> tuple[LoadedPhoto, list[Face]] | None:
    """The decode and the faces of a file cropped a moment ago (any preset), if still kept: the identity
    check of a new photo reuses them instead of decoding and detecting again."""
    try:
        st = os.stat(source)
    except OSError:
        return None
    wanted = ("file", os.path.abspath(source), st.st_size, st.st_mtime_ns)
    with _cache_lock:
        for key, (photo, analysis) in reversed(_cache.items()):
            if key[:4] == wanted:
                return photo, list(analysis.faces)
    return None


def crop_photo(
    source: str | Path | bytes | LoadedPhoto, preset: Preset | str, adjust: CropAdjust | None = None
) -> CropResult:
    """Crop one photo to `preset`: the single entry point for the GUI, the CLI and the tests.

    The last few decodes and detections are kept, so calling again for the same file with a
    CropAdjust (a person nudging the crop) re-renders in milliseconds without detecting again.
    """
    p = load_preset(preset)
    if isinstance(source, LoadedPhoto):
        return finish(source, analyse(source, p), p, adjust)
    key = _cache_key(source, p)
    with _cache_lock:
        hit = _cache.get(key) if key is not None else None
        if hit is not None:
            _cache.move_to_end(key)
    if hit is not None:
        photo, analysis = hit
    else:
        photo = load_photo(source, min_long_side=decode_long_side(p), backdrop=p.backdrop_rgb)
        analysis = analyse(photo, p)
    result = finish(photo, analysis, p, adjust)
    if key is not None and result.photo is not None:
        with _cache_lock:  # keep the finer decode if finish() needed one
            _cache[key] = (result.photo, analysis)
            _cache.move_to_end(key)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return result


def adjust_crop(result: CropResult, adjust: CropAdjust) -> CropResult:
    """Re-render a previous result with a nudged rectangle/rotation, reusing its decode and detection."""
    if result.photo is None or result.analysis is None:
        raise ValueError("该结果不含原图，无法调整")
    return finish(result.photo, result.analysis, result.preset, adjust)


def with_preset(result: CropResult, preset: Preset | str) -> CropResult:
    """Re-crop the same photo for another preset without detecting again."""
    if result.photo is None or result.analysis is None:
        raise ValueError("该结果不含原图")
    p = load_preset(preset)
    photo = result.photo
    if photo.had_alpha and p.backdrop_rgb != result.preset.backdrop_rgb and photo.origin is not None:
        # A cut-out was flattened onto the old preset's colour; flatten it again onto the new one.
        photo = load_photo(photo.origin, min_long_side=decode_long_side(p), backdrop=p.backdrop_rgb)
        return finish(photo, analyse(photo, p), p)
    return finish(photo, replace(result.analysis, jpeg_quality={}), p)
