"""One delivered photo from its original, a known crop and the preset: the work a package's render pool does.

Kept apart from the delivery data (no database, no SQLAlchemy) so a spawned worker process starts on the
photo pipeline alone; photos.py hands it plain values and turns its messages into DeliveryError.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2

from app.services.photo import CropAdjust, PhotoLoadError, Preset, crop_photo, detect, load_photo
from app.services.photo import crop as crop_engine
from app.services.photo.crop import _ensure_resolution, allowed_rotation, decode_long_side
from app.services.photo.encode import encode_jpeg_quality
from app.services.photo.geometry import Placement, leaves_image
from app.services.photo.render import render_array, to_pil

Crop = tuple[tuple[float, float, float, float], float]  # source rect (after EXIF orientation), rotation


class RenderFailed(Exception):
    """The photo cannot be made; the message is Chinese."""


def encode(image, preset: Preset) -> bytes:
    """The preset's JPEG, from the photo alone: no quality remembered from earlier photos (encode_jpeg's
    hint can end one quality step apart), so every process and every order gives the same bytes."""
    return encode_jpeg_quality(image, preset, hint=preset.jpeg_quality)[0]


def render_original(path: Path, name: str, crop: Crop | None, preset: Preset) -> bytes:
    """The JPEG bytes of the original at `path` cut with `crop` (None: its automatic crop) at `preset`."""
    if not path.is_file():
        raise RenderFailed(f"照片库中缺少原始照片文件（{name}）")
    try:
        if crop is not None:
            loaded = load_photo(path, min_long_side=decode_long_side(preset), backdrop=preset.backdrop_rgb)
            # The rotation as the preset allows it, exactly as the checks were measured (crop.finish).
            place = Placement(tuple(float(v) for v in crop[0]), allowed_rotation(crop[1], preset))  # type: ignore[arg-type]
            if not leaves_image(place, loaded.source_size):
                loaded = _ensure_resolution(loaded, place, preset)
                arr = render_array(
                    loaded.image,
                    loaded.scale,
                    place,
                    preset.width,
                    preset.height,
                    preset.backdrop_rgb,
                    padded=False,
                )
                return encode(to_pil(arr), preset)
            # The crop reaches past the original: pad with the backdrop sampled around the head, as the preview did.
            result = crop_photo(loaded, preset, CropAdjust(rect=place.rect, rotation_deg=place.rotation_deg))
        else:
            # Never checked under this preset: its automatic crop.
            result = crop_photo(path, preset)
    except PhotoLoadError as exc:
        raise RenderFailed(f"原始照片无法读取：{exc}") from None
    except (ValueError, ArithmeticError, MemoryError) as exc:  # an original the engine cannot handle
        raise RenderFailed(f"无法生成这张照片（{type(exc).__name__}）") from None
    if result.image is None:
        raise RenderFailed("按该规格未能裁剪（未找到人脸）")
    return encode(result.image, preset)


Job = tuple[str, str, Crop | None]  # path of the original, its name in the store, the crop
Rendered = bytes | RenderFailed


def render_jobs(jobs: Sequence[Job], preset: Preset) -> list[Rendered]:
    """Each job's JPEG bytes, or the RenderFailed saying why not; never raises for one bad photo."""
    out: list[Rendered] = []
    for path, name, crop in jobs:
        try:
            out.append(render_original(Path(path), name, crop, preset))
        except RenderFailed as exc:
            out.append(exc)
    return out


def worker_init() -> None:
    """A render worker (only there: the parent keeps OpenCV's threads for the interface): one thread each, as
    the pool is one process per core, and no decode cache."""
    cv2.setNumThreads(1)
    detect.PARALLEL = False
    crop_engine.CACHE_SIZE = 0  # every original is visited once
