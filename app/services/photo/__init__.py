"""Photo services: load any camera file, detect the head, crop to a preset and measure the result.

Qt-free; used by the GUI, the `crop` command and the tests through the names below.
"""
from __future__ import annotations

from .crop import CropAdjust, CropResult, adjust_crop, crop_photo, render_crop, with_preset
from .encode import encode_jpeg
from .loading import LoadedPhoto, PhotoLoadError, load_photo
from .presets import Preset, PresetError, list_presets, load_preset
from .qc import QualityCheck

__all__ = [
    "CropAdjust", "CropResult", "LoadedPhoto", "PhotoLoadError", "Preset", "PresetError", "QualityCheck",
    "adjust_crop", "crop_photo", "encode_jpeg", "list_presets", "load_photo", "load_preset", "render_crop",
    "with_preset",
]
