"""Output specifications (presets) read from resources/presets/*.json, never hard-coded."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import app
from app.services.common.files import atomic_write_bytes
from app.services.photo.naming import NamingError, check_naming_template

# Checks the crop engine reads from every preset (coverage and the rest have defaults).
REQUIRED_CHECKS = (
    "crown_offset",
    "chin_offset",
    "center_offset",
    "head_band",
    "backdrop_delta_e",
    "backdrop_uniformity",
    "sharpness",
    "exposure",
    "roll",
    "upscale",
)


BAND_CHECKS = ("exposure",)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf")


class PresetError(ValueError):
    """A preset name is unknown or its file is malformed."""


@dataclass(frozen=True)
class Preset:
    """One output specification: size, framing targets, backdrop, JPEG and quality thresholds."""

    name: str
    title: str
    width: int
    height: int
    crown_y: float  # output px from the top
    chin_y: float
    center_x: float
    head_band_x: tuple[float, float]
    backdrop_rgb: tuple[int, int, int]
    backdrop_alternatives: tuple[tuple[int, int, int], ...]
    rotate: bool
    rotate_min_deg: float
    rotate_max_deg: float
    jpeg_quality: int
    jpeg_min_quality: int
    min_kb: float
    max_kb: float
    naming: tuple[str, ...]
    checks: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)
    ranges: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, hash=False, compare=False)

    @property
    def aspect(self) -> float:
        """Width over height of the output."""
        return self.width / self.height


def resources_dir() -> Path:
    """resources/ beside the app package in a checkout, or inside a PyInstaller bundle."""
    here = Path(app.__file__).resolve().parent.parent / "resources"
    if here.is_dir():
        return here
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return here


def _presets_dir() -> Path:
    return resources_dir() / "presets"


def list_presets() -> list[str]:
    """Names of every preset: those shipped in resources/presets, then the user's own."""
    shipped = sorted(p.stem for p in _presets_dir().glob("*.json"))
    return shipped + [p.stem for p in _user_files() if p.stem not in shipped]


def _rgb(v: Any) -> tuple[int, int, int]:
    r, g, b = (int(x) for x in v)
    return r, g, b


def preset_from_dict(d: dict[str, Any]) -> Preset:
    """Build a Preset from its JSON form (validating what the crop engine relies on)."""
    try:
        fr, out, jp, rot = d["framing"], d["output"], d["jpeg"], d.get("rotation", {})
        p = Preset(
            name=str(d["name"]),
            title=str(d.get("title", d["name"])),
            width=int(out["width"]),
            height=int(out["height"]),
            crown_y=float(fr["crown_y"]),
            chin_y=float(fr["chin_y"]),
            center_x=float(fr["center_x"]),
            head_band_x=(float(fr["head_band_x"][0]), float(fr["head_band_x"][1])),
            backdrop_rgb=_rgb(d["backdrop"]["rgb"]),
            backdrop_alternatives=tuple(_rgb(c) for c in d["backdrop"].get("alternatives", [])),
            rotate=bool(rot.get("allow", False)),
            rotate_min_deg=float(rot.get("min_deg", 1.5)),
            rotate_max_deg=float(rot.get("max_deg", 15.0)),
            jpeg_quality=int(jp["quality"]),
            jpeg_min_quality=int(jp.get("min_quality", 60)),
            min_kb=float(jp["min_kb"]),
            max_kb=float(jp["max_kb"]),
            naming=tuple(d.get("naming", [])),
            checks=dict(d.get("checks", {})),
            ranges=dict(d.get("ranges", {})),
            raw=d,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise PresetError(f"规格文件格式错误（{d.get('name', '?')}）：缺少或无效的项 {exc}") from None
    if not (0 < p.crown_y < p.chin_y < p.height) or p.width <= 0:
        raise PresetError(f"规格 {p.name} 的头顶/下巴位置不合理")
    return p


# A preset's name is a file name in the presets folders, never a path (a bundle or a settings file names one).
_PRESET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@cache
def _load_named(name: str) -> Preset:
    if not _PRESET_NAME.fullmatch(name) or ".." in name:
        raise PresetError(f"没有名为 {name[:60]!r} 的规格；可用：{'、'.join(list_presets())}")
    path = _presets_dir() / f"{name}.json"
    if not path.is_file() and _user_dir is not None:
        path = _user_dir / f"{name}.json"
    if not path.is_file():
        raise PresetError(f"没有名为 {name} 的规格；可用：{'、'.join(list_presets())}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PresetError(f"规格文件 {path.name} 无法读取（{exc}）") from None
    if not isinstance(data, dict):
        raise PresetError(f"规格文件 {path.name} 格式错误")
    return preset_from_dict(data)


def load_preset(preset: Preset | str) -> Preset:
    """A Preset by name (or the Preset itself)."""
    return preset if isinstance(preset, Preset) else _load_named(str(preset))


# -- a user's own presets (an agency's own rules), beside the shipped ones ---------------------------
# The folder is set by the application at start-up (the user's data folder); services never look it up.
_user_dir: Path | None = None


def set_user_presets_dir(path: Path | str | None) -> None:
    """Where duplicated/edited presets live; None turns user presets off."""
    global _user_dir
    _user_dir = Path(path) if path else None
    _load_named.cache_clear()


def user_presets_dir() -> Path | None:
    return _user_dir


def is_builtin(name: str) -> bool:
    return (_presets_dir() / f"{name}.json").is_file()


def _user_files() -> list[Path]:
    if _user_dir is None or not _user_dir.is_dir():
        return []
    return sorted(_user_dir.glob("*.json"))


def validate_preset(d: dict[str, Any]) -> Preset:
    """Every rule a preset must obey before it is saved; PresetError says which, in Chinese."""
    p = preset_from_dict(d)
    name = p.name
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{1,60}", name):
        raise PresetError("规格名称只能用字母、数字、点、横线和下划线（2–61 个字符），如 my-agency-480x640")
    if not (50 <= p.width <= 3000 and 50 <= p.height <= 4000):
        raise PresetError("输出尺寸应在 50–3000 × 50–4000 像素之间")
    if not (0 <= p.head_band_x[0] < p.center_x < p.head_band_x[1] <= p.width):
        raise PresetError("左右留白线和中心线须满足 0 ≤ 左线 < 中心 < 右线 ≤ 宽度")
    if any(not 0 <= c <= 255 for c in p.backdrop_rgb):
        raise PresetError("背景色 RGB 每个分量应在 0–255 之间")
    if not (1 <= p.jpeg_min_quality <= p.jpeg_quality <= 100):
        raise PresetError("JPEG 质量应在 1–100 之间，且不低于最低质量")
    if not (0 <= p.min_kb < p.max_kb):
        raise PresetError("文件大小范围应为 最小 < 最大（KB）")
    if not p.naming:
        raise PresetError("命名模板至少一个，如 {shot_no}.JPG 或 {id_number}.jpg")
    for template in p.naming:
        try:
            check_naming_template(template)  # the same rule packaging applies
        except NamingError as exc:
            raise PresetError(str(exc)) from None
    if not isinstance(d.get("checks"), dict) or not isinstance(d.get("ranges", {}), dict):
        raise PresetError("规格的 checks 和 ranges 应为键值表")
    for check in REQUIRED_CHECKS:
        if check not in p.checks:
            raise PresetError(f"规格缺少检查项 {check}")
    for check, spec in p.checks.items():
        if not isinstance(spec, dict):
            raise PresetError(f"检查项 {check} 的设置应为键值表")
        if "hard" in spec and not isinstance(spec["hard"], bool):
            raise PresetError(f"检查项 {check} 的 hard 只能是 true 或 false")
        warn, fail = spec.get("warn"), spec.get("fail")
        if check in REQUIRED_CHECKS:
            pair = check in BAND_CHECKS  # a band: [low, high] for warn and for fail
            for value in (warn, fail):
                ok = (
                    isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
                    if pair
                    else _is_number(value)
                )
                if not ok:
                    shape = "[下限, 上限] 两个数字" if pair else "一个数字"
                    raise PresetError(f"检查项 {check} 的 warn 和 fail 应各为{shape}")
        for value in (warn, fail):
            for v in value if isinstance(value, list) else [value]:
                if v is not None and not _is_number(v):
                    raise PresetError(f"检查项 {check} 的阈值应为数字")
        if isinstance(warn, (int, float)) and isinstance(fail, (int, float)) and (warn < 0 or fail < 0):
            raise PresetError(f"检查项 {check} 的阈值不能为负数")
    for name, spec in p.ranges.items():
        try:
            lo, hi = float(spec["min"]), float(spec["max"])
        except (KeyError, TypeError, ValueError):
            raise PresetError(f"范围 {name} 应有数字的 min 和 max") from None
        if not lo < hi:
            raise PresetError(f"范围 {name} 的 min 应小于 max")
        if "hard" in spec and not isinstance(spec["hard"], bool):
            raise PresetError(f"范围 {name} 的 hard 只能是 true 或 false")
        if "warn_margin_pct" in spec and not _is_number(spec["warn_margin_pct"]):
            raise PresetError(f"范围 {name} 的 warn_margin_pct 应为数字")
    tol = d.get("framing", {}).get("inside_tolerance_pct", 1.0)
    if not _is_number(tol) or not 0 <= tol <= 10:
        raise PresetError("framing.inside_tolerance_pct 应为 0–10 之间的数字")
    if not 0 <= p.rotate_max_deg <= 45:
        raise PresetError("允许旋转的最大角度应在 0–45° 之间")
    return p


def save_user_preset(d: dict[str, Any]) -> Path:
    """Validate and write a user preset (atomically); the shipped presets cannot be overwritten."""

    if _user_dir is None:
        raise PresetError("没有设置自定义规格的保存位置")
    p = validate_preset(d)
    if is_builtin(p.name):
        raise PresetError(f"“{p.name}”是内置规格，不能覆盖；请另起一个名称")
    path = _user_dir / f"{p.name}.json"
    atomic_write_bytes(path, json.dumps(d, ensure_ascii=False, indent=2).encode("utf-8"))
    _load_named.cache_clear()
    return path


def delete_user_preset(name: str) -> None:
    if is_builtin(name):
        raise PresetError("内置规格不能删除")
    if _user_dir is not None:
        (_user_dir / f"{name}.json").unlink(missing_ok=True)
    _load_named.cache_clear()
