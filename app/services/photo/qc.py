"""Quality checks: each a measured value, the preset's threshold, and a pass/warn/fail verdict."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

import cv2
import numpy as np

from .colour import delta_e2000, rgb_to_lab
from .presets import Preset

PASS, WARN, FAIL = "pass", "warn", "fail"
# Bumped whenever a check is added or measured differently: stored results of an older engine are
# measured again before a photo goes on a disc. 2: coverage, roll on the original, hard/soft (issue 12).
QC_VERSION = 2


def rules_key(preset: Preset) -> str:
    """The engine version and a fingerprint of every rule of `preset`: stored with each measurement, so a
    result measured by another engine or under an edited preset is recognised and measured again."""
    raw = json.dumps(preset.raw, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return f"{QC_VERSION}:{preset.name[:30]}:{hashlib.sha256(raw).hexdigest()[:16]}"


_RANK = {PASS: 0, WARN: 1, FAIL: 2}

LABELS = {
    "faces": "人脸数",
    "crown_offset": "头顶位置偏差",
    "chin_offset": "下巴位置偏差",
    "center_offset": "左右居中偏差",
    "head_band": "头部越出两侧留白",
    "crown_found": "头顶识别",
    "crown_px": "头顶距上边",
    "eyes_px": "眼睛距上边",
    "face_width_px": "脸宽",
    "backdrop_delta_e": "背景色差",
    "backdrop_uniformity": "背景均匀度",
    "sharpness": "面部清晰度",
    "exposure": "面部曝光",
    "roll": "头部倾斜",
    "upscale": "放大倍数",
    "file_size": "文件大小",
    "coverage": "画面完整",
    "output_size": "输出尺寸",
}

# Checks whose failure no operator may accept, unless the preset says otherwise check by check ("hard"
# in its checks section). Roll joins them under a preset that forbids rotating the photo.
HARD_BY_DEFAULT = frozenset(
    {
        "faces",
        "output_size",
        "coverage",
        "file_size",
        "crown_px",
        "eyes_px",
        "face_width_px",
        "upscale",
        "render",  # no crop could be made under the preset
    }
)


@dataclass(frozen=True)
class QualityCheck:
    """One check: measured value, threshold text, verdict and a Chinese label and message."""

    name: str
    value: float | None
    threshold: str
    verdict: str
    unit: str = ""
    label: str = ""
    message: str = ""
    hard: bool = False  # a failure here cannot be accepted (see is_hard)


def overall(checks: list[QualityCheck]) -> str:
    """ok / warn / fail from the worst verdict."""
    worst = max((_RANK[c.verdict] for c in checks), default=0)
    return ("ok", "warn", "fail")[worst]


def is_hard(name: str, preset: Preset) -> bool:
    """Whether a failure of check `name` is final under `preset` (its "hard" flag, else the default)."""
    spec = preset.checks.get(name) or preset.ranges.get(name) or {}
    if "hard" in spec:
        return bool(spec["hard"])
    if name == "roll":
        return not preset.rotate
    return name in HARD_BY_DEFAULT


def with_hardness(checks: list[QualityCheck], preset: Preset) -> list[QualityCheck]:
    """The checks, each marked hard or soft as `preset` says."""
    return [replace(c, hard=is_hard(c.name, preset)) for c in checks]


def _verdict(c: QualityCheck | dict) -> str:
    return c.verdict if isinstance(c, QualityCheck) else str(c.get("verdict", ""))


def _hard(c: QualityCheck | dict, preset: Preset | None) -> bool:
    if preset is not None:  # what the preset says now, not what it said when the photo was measured
        return is_hard(c.name if isinstance(c, QualityCheck) else str(c.get("name", "")), preset)
    return c.hard if isinstance(c, QualityCheck) else bool(c.get("hard", False))


def hard_failures(checks: list, preset: Preset | None = None) -> list:
    """Failed checks that cannot be accepted (QualityCheck objects or their stored dicts); with `preset`,
    hardness is read from it rather than from the stored flag."""
    return [c for c in checks if _verdict(c) == FAIL and _hard(c, preset)]


def soft_failures(checks: list, preset: Preset | None = None) -> list:
    """Failed checks an operator may accept with a reason."""
    return [c for c in checks if _verdict(c) == FAIL and not _hard(c, preset)]


def _mk(
    name: str, value: float | None, threshold: str, verdict: str, unit: str, message: str = ""
) -> QualityCheck:
    # + 0.0 turns -0.0 into 0.0 so reports read cleanly
    return QualityCheck(
        name,
        None if value is None else round(float(value), 3) + 0.0,
        threshold,
        verdict,
        unit,
        LABELS.get(name, name),
        message,
    )


def upper(name: str, value: float, spec: dict[str, Any], what: str = "") -> QualityCheck:
    """Smaller |value| is better: ≤warn passes, ≤fail warns, else fails."""
    warn, fail, unit = float(spec["warn"]), float(spec["fail"]), spec.get("unit", "")
    a = abs(value)
    verdict = PASS if a <= warn else WARN if a <= fail else FAIL
    msg = "" if verdict == PASS else f"{LABELS.get(name, name)}为 {value:+.1f}{unit}{what}"
    return _mk(name, value, f"|x|≤{warn:g} 通过，≤{fail:g} 警告", verdict, unit, msg)


def lower(name: str, value: float, spec: dict[str, Any]) -> QualityCheck:
    """Larger value is better: ≥warn passes, ≥fail warns, else fails."""
    warn, fail, unit = float(spec["warn"]), float(spec["fail"]), spec.get("unit", "")
    verdict = PASS if value >= warn else WARN if value >= fail else FAIL
    msg = "" if verdict == PASS else f"{LABELS.get(name, name)}偏低（{value:.0f}）"
    return _mk(name, value, f"≥{warn:g} 通过，≥{fail:g} 警告", verdict, unit, msg)


def band(name: str, value: float, spec: dict[str, Any]) -> QualityCheck:
    """Value inside [warn] passes, inside [fail] warns, else fails."""
    (wl, wh), (fl, fh), unit = spec["warn"], spec["fail"], spec.get("unit", "")
    verdict = PASS if wl <= value <= wh else WARN if fl <= value <= fh else FAIL
    msg = (
        ""
        if verdict == PASS
        else f"{LABELS.get(name, name)}为 {value:.0f}，{'偏暗' if value < wl else '偏亮'}"
    )
    return _mk(name, value, f"{wl:g}–{wh:g} 通过，{fl:g}–{fh:g} 警告", verdict, unit, msg)


def spec_range(name: str, value: float, spec: dict[str, Any]) -> QualityCheck:
    """A range from the specification: inside passes; outside fails, or warns within `warn_margin_pct`."""
    lo, hi, unit = float(spec["min"]), float(spec["max"]), spec.get("unit", "")
    margin = float(spec.get("warn_margin_pct", 0.0)) / 100
    if lo <= value <= hi:
        verdict = PASS
    elif lo * (1 - margin) <= value <= hi * (1 + margin):
        verdict = WARN
    else:
        verdict = FAIL
    msg = (
        "" if verdict == PASS else f"{LABELS.get(name, name)} {value:.0f}{unit}，规格要求 {lo:g}–{hi:g}{unit}"
    )
    return _mk(name, value, f"{lo:g}–{hi:g}", verdict, unit, msg)


def faces_check(count: int) -> QualityCheck:
    """Exactly one sitter passes; none or several fail."""
    if count == 1:
        return _mk("faces", 1, "=1", PASS, "")
    msg = "未检测到人脸" if count == 0 else f"检测到 {count} 张人脸，已按最大的一张裁切"
    return _mk("faces", count, "=1", FAIL, "", msg)


def crown_found_check(confident: bool, note: str) -> QualityCheck:
    """Warn when the crown was estimated rather than segmented."""
    return _mk("crown_found", 1.0 if confident else 0.0, "=1", PASS if confident else WARN, "", note)


def backdrop_checks(out: np.ndarray, preset: Preset, real: np.ndarray | None = None) -> list[QualityCheck]:
    """ΔE00 of the border region to the preset's colour(s) and the region's spread.

    `real` (H×W bool) marks the pixels that come from the photo: fill added where the crop ran past
    the photo's edge is the program's own colour and is never measured as backdrop.
    """
    h, w = out.shape[:2]
    t = max(2, round(0.06 * h))
    sw = max(2, round(0.06 * w))
    parts = [out[:t], out[t : int(0.45 * h), :sw], out[t : int(0.45 * h), w - sw :]]
    if real is not None:
        keep = [real[:t], real[t : int(0.45 * h), :sw], real[t : int(0.45 * h), w - sw :]]
        region = np.concatenate([p[k] for p, k in zip(parts, keep)])
    else:
        region = np.concatenate([p.reshape(-1, 3) for p in parts])
    if len(region) < 50:
        note = "背景区域几乎都不是照片内容，无法测量"
        return [
            _mk("backdrop_delta_e", None, "—", WARN, "ΔE00", note),
            _mk("backdrop_uniformity", None, "—", WARN, "ΔE00", note),
        ]
    if len(region) > 4000:  # a 480×640 border has ~40k pixels; 4k samples give the same median and spread
        region = region[:: len(region) // 4000]
    lab = rgb_to_lab(region)
    med = np.median(lab, axis=0)
    targets = [preset.backdrop_rgb, *preset.backdrop_alternatives]
    de = float(min(delta_e2000(med, rgb_to_lab(np.array(c, float))) for c in targets))
    spread = float(np.percentile(delta_e2000(lab, med[None, :]), 90))
    checks = preset.checks
    return [
        upper("backdrop_delta_e", de, checks["backdrop_delta_e"], "，与规定背景色不符"),
        upper("backdrop_uniformity", spread, checks["backdrop_uniformity"], "，背景不均匀"),
    ]


def coverage_tolerance(preset: Preset) -> float:
    """Fill (output px from an edge) a preset tolerates: its own figure, else about 1 % of the height."""
    spec = preset.checks.get("coverage", {})
    return float(spec.get("fail", max(2, round(0.01 * preset.height))))


def coverage_check(
    depth_px: int, share: float, sides: str, preset: Preset, composited: bool = False
) -> QualityCheck:
    """Output pixels that are not the photo: beyond the preset's tolerance the shot must be retaken."""
    tol = coverage_tolerance(preset)
    if depth_px <= tol:
        verdict, msg = PASS, ""
    else:
        verdict = FAIL
        msg = f"画面不足，请后退重拍：{sides}有 {depth_px} 像素不是照片内容（占画面 {share * 100:.1f}%）"
    if composited:
        msg = ("背景已合成（透明区域已填为规定背景色）" + ("；" + msg if msg else "")).strip()
    return _mk("coverage", depth_px, f"≤{tol:g} 像素", verdict, "px", msg)


def output_size_check(size: tuple[int, int], preset: Preset) -> QualityCheck:
    """The rendered image has exactly the preset's pixel size."""
    ok = tuple(size) == (preset.width, preset.height)
    msg = "" if ok else f"输出 {size[0]}×{size[1]}，规格要求 {preset.width}×{preset.height}"
    return _mk(
        "output_size", 0 if ok else 1, f"={preset.width}×{preset.height}", PASS if ok else FAIL, "", msg
    )


def roll_check(original_deg: float, applied_deg: float, preset: Preset) -> QualityCheck:
    """The head's tilt in the original photo; where the preset allows a correction, judged after it."""
    spec = preset.checks["roll"]
    warn, fail = float(spec["warn"]), float(spec["fail"])
    residual = original_deg - applied_deg if preset.rotate else original_deg
    a = abs(residual)
    verdict = PASS if a <= warn else WARN if a <= fail else FAIL
    if not preset.rotate:
        threshold = f"|x|≤{warn:g} 通过，≤{fail:g} 警告（本规格不允许旋转照片）"
        msg = (
            ""
            if verdict == PASS
            else f"头部倾斜 {original_deg:+.1f}°" + ("，请重拍" if verdict == FAIL else "")
        )
    else:
        threshold = f"校正后 |x|≤{warn:g} 通过，≤{fail:g} 警告"
        done = f"，已旋转校正 {applied_deg:+.1f}°" if abs(applied_deg) > 1e-6 else ""
        msg = f"原片头部倾斜 {original_deg:+.1f}°{done}" if (verdict != PASS or done) else ""
        if verdict == FAIL:
            msg += "，请重拍"
    return _mk("roll", original_deg, threshold, verdict, "°", msg)


def face_patch(image: np.ndarray, scale: float, box: tuple[float, float, float, float]) -> np.ndarray | None:
    """Grey inner face (forehead to mouth, cheek to cheek) resized to 100 px high, for sharpness/exposure."""
    x, y, w, h = (v / scale for v in box)
    x0, x1 = int(max(0, x + 0.15 * w)), int(min(image.shape[1], x + 0.85 * w))
    y0, y1 = int(max(0, y + 0.1 * h)), int(min(image.shape[0], y + 0.9 * h))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    grey = cv2.cvtColor(image[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    f = 100.0 / grey.shape[0]
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    return cv2.resize(grey, (max(4, round(grey.shape[1] * f)), 100), interpolation=interp)


def face_measures(patch: np.ndarray | None) -> tuple[float, float] | None:
    """(sharpness, exposure) of a face patch: Laplacian variance and median luminance."""
    if patch is None:
        return None
    return float(cv2.Laplacian(patch, cv2.CV_64F).var()), float(np.median(patch))


def face_checks(measures: tuple[float, float] | None, preset: Preset) -> list[QualityCheck]:
    """Sharpness and exposure against the preset's thresholds."""
    if measures is None:
        return []
    sharp, expo = measures
    return [
        lower("sharpness", sharp, preset.checks["sharpness"]),
        band("exposure", expo, preset.checks["exposure"]),
    ]


def upscale_check(factor: float, spec: dict[str, Any]) -> QualityCheck:
    """Output px per source px: above 1 the output is interpolated from too few pixels."""
    warn, fail = float(spec["warn"]), float(spec["fail"])
    verdict = PASS if factor <= warn else WARN if factor <= fail else FAIL
    msg = "" if verdict == PASS else f"原片分辨率不足：放大了 {factor:.2f} 倍"
    return _mk("upscale", factor, f"≤{warn:g} 通过，≤{fail:g} 警告", verdict, "×", msg)


def file_size_check(n_bytes: int, preset: Preset) -> QualityCheck:
    """The encoded JPEG's size against the preset's KB range."""
    kb = n_bytes / 1024
    ok = preset.min_kb <= kb <= preset.max_kb
    msg = "" if ok else f"文件 {kb:.1f} KB，规定 {preset.min_kb:g}–{preset.max_kb:g} KB"
    # Too big is a rejection at upload; too small only hints at a blank or over-compressed image.
    verdict = PASS if ok else FAIL if kb > preset.max_kb else WARN
    return _mk("file_size", kb, f"{preset.min_kb:g}–{preset.max_kb:g}", verdict, "KB", msg)
