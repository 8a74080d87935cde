"""Open camera, phone and scanner files robustly, decoding only as much resolution as needed."""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from app.services.common.files import LinkRefused, open_no_follow, os_reason

# Pixels we are willing to hold fully decoded (~180 MB as RGB, with conversion copies well under 1 GB).
# JPEGs above it are still read, because DCT scaling in draft() never materialises the full frame;
# PNG/TIFF/WebP above it are refused with advice (they cannot be decoded at reduced size).
MAX_DECODED_PIXELS = 60_000_000
# Formats decoded at full size (PNG, TIFF, WebP, GIF, progressive JPEG) above this are refused from the
# header: 25 MP covers a 24 MP camera's TIFF or PNG; a 7700×7700 PNG of a few KB cost ~1 GB to decode.
MAX_FULL_DECODE_PIXELS = 25_000_000
# Header-declared sizes above this are refused outright: no real camera makes them and a
# forged header must not make us allocate gigabytes.
MAX_DECLARED_PIXELS = 1_000_000_000
# Files larger than this are refused unread: a 60 MP camera JPEG is ~30 MB, a 16-bit TIFF of it ~350 MB.
MAX_FILE_BYTES = 400 << 20

_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


_PIL_GLOBALS = threading.Lock()


@contextmanager
def _no_pixel_limit() -> Iterator[None]:
    """Lift Pillow's decompression-bomb limit for one call: our own budgets above apply instead.

    Pillow keeps the limit and warning filters as process-wide state, so this is serialised.
    """
    with _PIL_GLOBALS, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        old = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = old


# A portrait is never longer than this many times its width (or the reverse): a 5000×1 strip is not a
# photo, and the detectors' arithmetic is not made for it.
MAX_ASPECT = 8


class PhotoLoadError(Exception):
    """A photo file could not be read; the message is Chinese and names the file."""


@dataclass
class LoadedPhoto:
    """An RGB image decoded at `scale` (source px per loaded px), plus where it came from."""

    image: np.ndarray  # H×W×3 uint8, RGB, EXIF orientation applied
    scale: float  # source pixels per loaded pixel (1.0 = full resolution)
    source_size: tuple[int, int]  # (width, height) in source px after EXIF orientation
    name: str  # file name for messages
    format: str  # what the content is (JPEG, PNG, WEBP ...), whatever the extension says
    had_alpha: bool = False  # some pixels were transparent and were flattened onto the backdrop colour
    # Edges ("top", "bottom", "left", "right") of a cut-out that are transparent all along: the backdrop
    # continues past them, so filling beyond them adds backdrop, not missing picture.
    open_edges: frozenset[str] = frozenset()
    origin: str | Path | bytes | None = field(default=None, repr=False)  # to re-decode finer

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the decoded array."""
        return self.image.shape[1], self.image.shape[0]


def _name_of(source: str | Path | bytes) -> str:
    return "<内存图像>" if isinstance(source, (bytes, bytearray)) else Path(source).name


def _looks_heif(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def _read_head(source: str | Path | bytes) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source[:32])
    try:
        with open_no_follow(source) as fh:
            return fh.read(32)
    except LinkRefused as exc:
        raise PhotoLoadError(str(exc)) from None
    except FileNotFoundError:
        raise PhotoLoadError(f"找不到文件：{_name_of(source)}") from None
    except IsADirectoryError:
        raise PhotoLoadError(f"这是一个文件夹，不是图像：{_name_of(source)}") from None
    except OSError as exc:
        raise PhotoLoadError(f"无法读取文件 {_name_of(source)}：{os_reason(exc)}") from None


def _open(source: str | Path | bytes) -> Image.Image:
    name = _name_of(source)
    head = _read_head(source)
    if not head:
        raise PhotoLoadError(f"文件是空的：{name}")
    if _looks_heif(head):
        try:  # a HEIF plugin, if the station installed one, registers itself on import
            # deferred: optional: HEIC support when the package is installed
            import pillow_heif  # type: ignore[import-not-found]

            pillow_heif.register_heif_opener()
        except ImportError:
            raise PhotoLoadError(
                f"{name} 是 HEIC/HEIF 格式（苹果手机默认格式），本机没有相应解码器；"
                "请在手机上改用“兼容性最佳”(JPEG) 拍摄，或先转存为 JPEG。"
            ) from None
    try:  # never through a link, even one swapped in after the check above; read whole (≤ MAX_FILE_BYTES)
        if isinstance(source, (bytes, bytearray)):
            fp = io.BytesIO(source)
        else:
            with open_no_follow(source) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise PhotoLoadError(f"{name} 超过 {MAX_FILE_BYTES >> 20} MB，不像是一张证件照原片，拒绝读取")
            fp = io.BytesIO(data)
    except LinkRefused as exc:
        raise PhotoLoadError(str(exc)) from None
    except OSError as exc:
        raise PhotoLoadError(f"无法读取文件 {name}：{os_reason(exc)}") from None
    try:
        with _no_pixel_limit():  # only reads the header, so holding the lock costs nothing
            img = Image.open(fp)  # opened by content, never by extension
    except UnidentifiedImageError:
        raise PhotoLoadError(f"{name} 不是可识别的图像文件（可能已损坏或不是照片）") from None
    except OSError as exc:
        if exc.errno is None:  # Pillow's own: the file ends inside its header ("Truncated File Read")
            raise PhotoLoadError(f"{name} 不完整（文件被截断或损坏），请重新拷贝原片") from None
        raise PhotoLoadError(f"无法打开 {name}：{os_reason(exc)}") from None
    w, h = img.size
    if w <= 0 or h <= 0 or w * h > MAX_DECLARED_PIXELS or max(w, h) > MAX_ASPECT * min(w, h):
        img.close()
        raise PhotoLoadError(f"{name} 的尺寸异常（{w}×{h}），不像是一张照片")
    return img


def _oriented_size(img: Image.Image) -> tuple[int, int]:
    try:
        if img.format == "PNG":
            # Pillow's PNG getexif() decodes the whole image to look for an eXIf chunk after the pixels:
            # a 30000×30000 bomb would be decoded before it is refused. Only an eXIf chunk read so far counts.
            exif = Image.Exif()
            raw = img.info.get("exif")
            if raw:
                exif.load(raw)
            orientation = exif.get(0x0112, 1)
        else:
            orientation = img.getexif().get(0x0112, 1)
    except Exception:
        orientation = 1
    w, h = img.size
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


# A cut-out's border counts as open backdrop only when this share of the photo next to it is transparent
# (a 1-px transparent frame around an ordinary photo opens nothing), and never at the bottom: below the
# frame a person continues (shoulders, body), so fill there is missing picture, not backdrop.
OPEN_EDGE_DEPTH = 0.03
# ... and only in a real cut-out: at least this share of the whole image transparent (the backdrop around
# a person; the shared cut-out has well over half).
CUTOUT_SHARE = 0.2


def transparent_edges(alpha: np.ndarray, share: float = 0.99) -> frozenset[str]:
    """The top/left/right edges of an alpha channel beside which a band of OPEN_EDGE_DEPTH of the photo
    is (nearly) all transparent."""
    h, w = alpha.shape[:2]
    if (alpha < 8).mean() < CUTOUT_SHARE:
        return frozenset()  # a photo with a transparent strip painted on is not a cut-out
    dy, dx = max(2, round(OPEN_EDGE_DEPTH * h)), max(2, round(OPEN_EDGE_DEPTH * w))
    bands = {"top": alpha[:dy], "left": alpha[:, :dx], "right": alpha[:, w - dx :]}
    return frozenset(k for k, v in bands.items() if v.size and (v < 8).mean() >= share)


def _to_rgb(img: Image.Image, backdrop: tuple[int, int, int]) -> tuple[Image.Image, frozenset[str] | None]:
    """Convert any mode to 8-bit RGB; alpha is flattened onto the backdrop colour.

    The second value is None for an opaque image, else the edges that are transparent all along.
    """
    has_alpha = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if has_alpha:
        rgba = img.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] == 255:
            return rgba.convert("RGB"), None  # an alpha channel that hides nothing: a plain photo
        canvas = Image.new("RGBA", rgba.size, (*backdrop, 255))
        edges = transparent_edges(np.asarray(rgba.getchannel("A")))
        return Image.alpha_composite(canvas, rgba).convert("RGB"), edges
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "I;16N"):
        # 16-bit greyscale: scale by the real maximum of the format, not by clipping at 255.
        arr = np.asarray(img, dtype=np.uint32)
        top = 65535 if arr.max() > 255 else 255
        arr8 = (arr * 255 // max(top, 1)).astype(np.uint8)
        return Image.fromarray(arr8, "L").convert("RGB"), None
    if img.mode == "F":
        arr = np.asarray(img, dtype=np.float32)
        arr8 = np.clip(arr * (255.0 if arr.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
        return Image.fromarray(arr8, "L").convert("RGB"), None
    if img.mode == "CMYK":
        # Adobe-style CMYK JPEGs are stored inverted; Pillow's convert handles the common case.
        return img.convert("RGB"), None
    if img.mode != "RGB":
        return img.convert("RGB"), None
    return img, None


_REDUCIBLE = frozenset({"RGB", "RGBA", "L", "LA", "I", "F", "I;16", "CMYK"})


def load_photo(
    source: str | Path | bytes,
    min_long_side: int = 0,
    backdrop: tuple[int, int, int] = (255, 255, 255),
) -> LoadedPhoto:
    """Decode `source` with EXIF orientation, at the coarsest scale whose long side is ≥ `min_long_side`.

    `min_long_side=0` decodes at full resolution.
    """
    name = _name_of(source)
    img = _open(source)
    fmt = img.format or "?"
    try:
        raw_w, raw_h = img.size
        # A progressive JPEG keeps every coefficient of the full image while it decodes, whatever the
        # scale asked for: it is limited like any other format that cannot decode small.
        progressive = fmt == "JPEG" and bool(img.info.get("progressive") or img.info.get("progression"))
        if (fmt != "JPEG" or progressive) and raw_w * raw_h > MAX_FULL_DECODE_PIXELS:
            # Only JPEG decodes straight to a fraction of its size; anything else this big is refused
            # from its header, before a byte of pixels is decoded.
            raise PhotoLoadError(
                f"{name} 太大（{raw_w}×{raw_h}，约 {raw_w * raw_h / 1e6:.0f} 百万像素），"
                "这种格式无法缩小解码；请先转存为 JPEG 或缩小后再试。"
            )
        ow, oh = _oriented_size(img)
        if fmt == "JPEG" and min_long_side > 0:
            # DCT scaling: libjpeg decodes straight to 1/2, 1/4 or 1/8, so a 24 MP file costs
            # a fraction of a full decode. Ask for the smallest size that keeps min_long_side.
            ratio = max(1.0, max(raw_w, raw_h) / min_long_side)
            img.draft(
                img.mode if img.mode in ("RGB", "L", "CMYK") else None,
                (int(raw_w / ratio) + 1, int(raw_h / ratio) + 1),
            )
        dec_w, dec_h = img.size
        if dec_w * dec_h > MAX_DECODED_PIXELS:
            raise PhotoLoadError(
                f"{name} 太大（{raw_w}×{raw_h}，约 {raw_w * raw_h / 1e6:.0f} 百万像素），"
                "这种格式无法缩小解码；请先转存为 JPEG 或缩小后再试。"
            )
        limit = Image.MAX_IMAGE_PIXELS
        with _no_pixel_limit() if limit and raw_w * raw_h > limit else nullcontext():
            img.load()
            # In place: without an orientation to apply, the copying form would copy the whole image anyway.
            ImageOps.exif_transpose(img, in_place=True)
        if min_long_side > 0 and img.mode in _REDUCIBLE:
            # A format that decoded in full: halve it down by a whole factor before the copies that
            # flattening and conversion make (a 25 MP RGBA PNG cost 645 MB with them at full size).
            factor = int(max(img.size) / (2 * min_long_side))
            if factor >= 2:
                img = img.reduce(factor)
        rgb, open_edges = _to_rgb(img, backdrop)
        arr = np.asarray(rgb, dtype=np.uint8)
        if arr.ndim != 3 or arr.shape[2] != 3:
            raise PhotoLoadError(f"{name} 的颜色格式无法转换为 RGB")
        if min_long_side > 0 and max(arr.shape[:2]) > 2 * min_long_side:
            # Non-JPEG formats decode in full; shrink now (to what DCT scaling would give at worst)
            # so later stages stay cheap without making a finer re-decode likely.

            f = 2 * min_long_side / max(arr.shape[:2])
            arr = cv2.resize(
                arr,
                (max(1, round(arr.shape[1] * f)), max(1, round(arr.shape[0] * f))),
                interpolation=cv2.INTER_AREA,
            )
        scale = ow / arr.shape[1]
    except PhotoLoadError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        msg = str(exc)
        if "truncated" in msg or "broken" in msg or isinstance(exc, EOFError):
            raise PhotoLoadError(f"{name} 不完整（文件被截断或损坏），请重新拷贝原片") from None
        raise PhotoLoadError(f"{name} 无法解码：{msg}") from None
    except MemoryError:
        raise PhotoLoadError(f"{name} 太大，内存不足以解码") from None
    finally:
        img.close()
    return LoadedPhoto(
        image=np.ascontiguousarray(arr),
        scale=scale,
        source_size=(ow, oh),
        name=name,
        format=fmt,
        had_alpha=open_edges is not None,
        open_edges=open_edges or frozenset(),
        origin=source,
    )
