"""Output specifications (presets) read from resources/presets/*.json, never hard-coded."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import app


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
    """Names of every preset shipped in resources/presets."""
    return sorted(p.stem for p in _presets_dir().glob("*.json"))


def _rgb(v: Any) -> tuple[int, int, int]:
    r, g, b = (int(x) for x in v)
    return r, g, b


def preset_from_dict(d: dict[str, Any]) -> Preset:
    """Build a Preset from its JSON form (validating what the crop engine relies on)."""
    try:
        fr, out, jp, rot = d["framing"], d["output"], d["jpeg"], d.get("rotation", {})
        p = Preset(
            name=str(d["name"]), title=str(d.get("title", d["name"])),
            width=int(out["width"]), height=int(out["height"]),
            crown_y=float(fr["crown_y"]), chin_y=float(fr["chin_y"]), center_x=float(fr["center_x"]),
            head_band_x=(float(fr["head_band_x"][0]), float(fr["head_band_x"][1])),
            backdrop_rgb=_rgb(d["backdrop"]["rgb"]),
            backdrop_alternatives=tuple(_rgb(c) for c in d["backdrop"].get("alternatives", [])),
            rotate=bool(rot.get("allow", False)), rotate_min_deg=float(rot.get("min_deg", 1.5)),
            rotate_max_deg=float(rot.get("max_deg", 15.0)),
            jpeg_quality=int(jp["quality"]), jpeg_min_quality=int(jp.get("min_quality", 60)),
            min_kb=float(jp["min_kb"]), max_kb=float(jp["max_kb"]),
            naming=tuple(d.get("naming", [])), checks=dict(d.get("checks", {})),
            ranges=dict(d.get("ranges", {})), raw=d,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise PresetError(f"规格文件格式错误（{d.get('name', '?')}）：{exc!r}") from None
    if not (0 < p.crown_y < p.chin_y < p.height) or p.width <= 0:
        raise PresetError(f"规格 {p.name} 的头顶/下巴位置不合理")
    return p


@cache
def _load_named(name: str) -> Preset:
    path = _presets_dir() / f"{name}.json"
    if not path.is_file():
        raise PresetError(f"没有名为 {name} 的规格；可用：{'、'.join(list_presets())}")
    return preset_from_dict(json.loads(path.read_text(encoding="utf-8")))


def load_preset(preset: Preset | str) -> Preset:
    """A Preset by name (or the Preset itself)."""
    return preset if isinstance(preset, Preset) else _load_named(str(preset))
