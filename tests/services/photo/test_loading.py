"""The loader survives real files: orientation, colour modes, lying extensions, damage, size."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.services.photo import PhotoLoadError, load_photo, loading


def _halves(w: int = 60, h: int = 40) -> Image.Image:
    """Left half red, right half blue: orientation is visible in the pixels."""
    arr = np.zeros((h, w, 3), np.uint8)
    arr[:, : w // 2] = (220, 20, 20)
    arr[:, w // 2 :] = (20, 20, 220)
    return Image.fromarray(arr, "RGB")


def test_exif_orientation_applied(tmp_path: Path) -> None:
    img = _halves()
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90° clockwise
    path = tmp_path / "rotated.jpg"
    img.save(path, quality=95, exif=exif.tobytes())
    p = load_photo(path)
    assert p.source_size == (40, 60)
    assert p.size == (40, 60)
    # After a 90° clockwise turn the red (left) half is on top.
    assert p.image[5, 20, 0] > 150 and p.image[5, 20, 2] < 100
    assert p.image[55, 20, 2] > 150


def test_cmyk_jpeg_converted(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (50, 50), (0, 255, 255, 0)).save(path)  # pure red in CMYK
    p = load_photo(path)
    assert p.image.shape == (50, 50, 3)
    r, g, b = p.image[25, 25]
    assert r > 200 and g < 60 and b < 60


def test_16_bit_greyscale_scaled_not_clipped(tmp_path: Path) -> None:
    arr = np.zeros((20, 30), np.uint16)
    arr[:, 15:] = 65535
    arr[:, :15] = 32768
    path = tmp_path / "deep.png"
    Image.fromarray(arr).save(path)
    p = load_photo(path)
    assert p.image.dtype == np.uint8
    assert p.image[10, 25].tolist() == [255, 255, 255]
    assert 120 <= p.image[10, 5, 0] <= 135  # half scale, not saturated white


def test_rgba_png_flattened_onto_backdrop(tmp_path: Path) -> None:
    arr = np.zeros((20, 20, 4), np.uint8)
    arr[:, :10] = (200, 50, 50, 255)  # opaque left
    arr[:, 10:] = (0, 0, 0, 0)  # transparent right
    path = tmp_path / "cutout.png"
    Image.fromarray(arr, "RGBA").save(path)
    p = load_photo(path, backdrop=(100, 197, 255))
    assert p.had_alpha
    assert p.image[5, 15].tolist() == [100, 197, 255]
    assert p.image[5, 5].tolist() == [200, 50, 50]


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_lying_extension_opened_by_content(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "photo.jpg"
    _halves().save(path, fmt)
    p = load_photo(path)
    assert p.format == fmt
    assert p.size == (60, 40)


def test_truncated_jpeg_is_a_clear_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (400, 400, 3), np.uint8)).save(buf, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(PhotoLoadError, match="cut.jpg.*(不完整|损坏)"):
        load_photo(path)


@pytest.mark.parametrize("keep", [300, 1000])
def test_a_jpeg_cut_inside_its_header_is_a_clear_error(tmp_path: Path, keep: int) -> None:
    """Cut before the pixels (a copy stopped early): said in words, not as Pillow's "OSError"."""
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (400, 400, 3), np.uint8)).save(
        buf, "JPEG", exif=Image.Exif(), icc_profile=bytes(3000)
    )
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[:keep])
    with pytest.raises(PhotoLoadError, match="cut.jpg 不完整（文件被截断或损坏）"):
        load_photo(path)


@pytest.mark.parametrize("content", [b"not an image at all" * 10, b"\xff\xd8\xff\xe0garbage" * 5])
def test_garbage_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "garbage.jpg"
    path.write_bytes(content)
    with pytest.raises(PhotoLoadError, match="garbage.jpg"):
        load_photo(path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    with pytest.raises(PhotoLoadError, match="空.*empty.jpg"):
        load_photo(empty)
    with pytest.raises(PhotoLoadError, match="找不到.*nope.jpg"):
        load_photo(tmp_path / "nope.jpg")


def test_heic_refused_with_advice(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    try:
        import pillow_heif  # noqa: F401

        pytest.skip("a HEIF decoder is installed here")
    except ImportError:
        pass
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100)
    with pytest.raises(PhotoLoadError, match="IMG_0001.HEIC.*HEIC"):
        load_photo(path)


def test_jpeg_decoded_at_reduced_size(tmp_path: Path) -> None:
    path = tmp_path / "camera.jpg"
    Image.new("RGB", (4000, 3000), (90, 120, 150)).save(path, quality=80)
    p = load_photo(path, min_long_side=640)
    assert p.source_size == (4000, 3000)
    assert p.size == (1000, 750)  # DCT scaling to 1/4: never a full decode
    assert p.scale == pytest.approx(4.0)


def test_pixel_budget_huge_jpeg_decoded_small_png_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "MAX_DECODED_PIXELS", 2_000_000)
    jpg, png = tmp_path / "big.jpg", tmp_path / "big.png"
    big = Image.new("L", (3000, 2000), 128)
    big.save(jpg)
    big.save(png)
    p = load_photo(jpg, min_long_side=640)
    assert p.size[0] * p.size[1] <= 2_000_000
    with pytest.raises(PhotoLoadError, match="big.png.*太大"):
        load_photo(png, min_long_side=640)
    assert Image.MAX_IMAGE_PIXELS is not None  # our budget never leaks into Pillow's global


def test_100_megapixel_jpeg_needs_no_full_decode(tmp_path: Path) -> None:
    path = tmp_path / "100mp.jpg"
    Image.new("L", (12000, 8400), 100).save(path, quality=50)  # 100.8 MP, above Pillow's bomb warning
    p = load_photo(path, min_long_side=640)
    assert p.source_size == (12000, 8400)
    assert max(p.size) <= 1500  # decoded at 1/8: ~3 MB instead of 300 MB


def test_declared_absurd_size_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_DECLARED_PIXELS", 1000)
    path = tmp_path / "forged.png"
    Image.new("RGB", (100, 100)).save(path)
    with pytest.raises(PhotoLoadError, match="forged.png.*尺寸异常"):
        load_photo(path)


def test_bytes_source_and_gif_first_frame() -> None:
    buf = io.BytesIO()
    frames = [Image.new("RGB", (30, 20), c) for c in ((255, 0, 0), (0, 255, 0))]
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    p = load_photo(buf.getvalue())
    assert p.size == (30, 20)
    assert p.image[10, 10, 0] > 200
