"""Photos for delivery: rendered on demand from the stored original and the crop in force.

Nothing rendered is stored. With a known crop (the photo's own, or the automatic crop its checks under
another preset were measured on) that stays inside the original, this is the same decode, warp and JPEG
encoding as CaptureService.render, without running face detection again (10,000 photos in minutes, not
an hour); otherwise it goes through crop_photo.
"""

from __future__ import annotations

from pathlib import Path

from app.services.capture.photo_store import PhotoStore
from app.services.delivery.source import CurrentPhoto, DeliveryError
from app.services.photo import CropAdjust, PhotoLoadError, Preset, crop_photo, encode_jpeg, load_photo
from app.services.photo.crop import _ensure_resolution, allowed_rotation, decode_long_side
from app.services.photo.geometry import Placement, leaves_image
from app.services.photo.render import render_array, to_pil


def render_delivery_jpeg(store: PhotoStore, photo: CurrentPhoto, preset: Preset) -> bytes:
    """The JPEG bytes of a photo at `preset`; raises DeliveryError (Chinese) if it cannot be made."""
    path: Path = store.path(photo.stored_name)
    if not path.is_file():
        raise DeliveryError(f"照片库中缺少原始照片文件（{photo.stored_name}）")
    crop = photo.crop_for(preset.name)  # the crop in force, or the one checked under another preset
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
                return encode_jpeg(to_pil(arr), preset)
            # The crop reaches past the original: pad with the backdrop sampled around the head, as the preview did.
            result = crop_photo(loaded, preset, CropAdjust(rect=place.rect, rotation_deg=place.rotation_deg))
        else:
            # Never checked under this preset: its automatic crop.
            result = crop_photo(path, preset)
    except PhotoLoadError as exc:
        raise DeliveryError(f"原始照片无法读取：{exc}") from None
    if result.image is None:
        raise DeliveryError("按该规格未能裁剪（未找到人脸）")
    return result.jpeg or encode_jpeg(result.image, preset)
