"""Photo services: load any camera file, detect the head, crop to a preset and measure the result.

Qt-free; the GUI, the `crop` command and the tests all go through the names below::

    res = crop_photo(path_or_bytes, "legacy-192x144")   # raises PhotoLoadError (Chinese, names the file)
    res.image, res.jpeg, res.status, res.checks          # PIL RGB (None without a face), bytes, ok/warn/fail
    res.rect, res.rotation_deg                           # source px after EXIF orientation; cv2 convention
    nudged = adjust_crop(res, CropAdjust(rect=(l, t, w, h)))   # re-renders from the decode, no detection
    other = with_preset(res, "chsi-2017-480x640")              # same detection, another preset

Modules: loading (decode), presets (resources/presets/*.json), detect (YuNet, irises), crown (GrabCut,
and the second opinion), segment (the person-segmentation model), facewidth (cheek to cheek), geometry
(rectangle, rotation, staying inside the photo, coverage), render, qc (checks, hard or soft), colour
(CIEDE2000), encode (JPEG), crop (the pipeline), batch (the command line's worker pool and CSV report).
"""

from __future__ import annotations

from .crop import CropAdjust, CropResult, adjust_crop, crop_photo, render_crop, with_preset
from .encode import encode_jpeg
from .loading import LoadedPhoto, PhotoLoadError, load_photo
from .presets import Preset, PresetError, list_presets, load_preset
from .qc import QualityCheck

__all__ = [
    "CropAdjust",
    "CropResult",
    "LoadedPhoto",
    "PhotoLoadError",
    "Preset",
    "PresetError",
    "QualityCheck",
    "adjust_crop",
    "crop_photo",
    "encode_jpeg",
    "list_presets",
    "load_photo",
    "load_preset",
    "render_crop",
    "with_preset",
]
