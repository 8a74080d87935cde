"""The fonts every printed form uses, and which characters of a name no font here can draw.

A Chinese roster can hold any CJK character, the rare ones (CJK Extension B and later: 𠇔, 𪚥) included, and a
form must print each of them, not a box. The chain is a common CJK serif font for everything, then the fonts
that carry the extensions: SimSun-ExtB and MingLiU-ExtB (with Chinese Windows), HanaMinB (fonts-hanazono on
Linux; the installer ships it when the build machine has it, see installer.spec), BabelStone Han. Fonts in
resources/fonts are registered first, so a station can drop one in. Qt falls back along the chain glyph by
glyph. A name with a character that no font in the chain has is flagged before anything is printed
(`undrawable`).
"""

from __future__ import annotations

import stat
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QRawFont, QTextLayout

from app.services.common import glyphs
from app.services.photo.presets import resources_dir

MAIN_FAMILIES = (
    "SimSun",
    "宋体",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
)
EXTENSION_FAMILIES = ("SimSun-ExtB", "MingLiU-ExtB", "HanaMinB", "BabelStone Han", "Jigmo2", "Jigmo3")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

_bundled: list[str] | None = None


MAX_FONT_BYTES = 256 << 20  # the largest CJK fonts are about 60 MB


def _plain_font_file(path: Path) -> bool:
    """A regular file of a sane size: a FIFO or a link to /dev/zero would hang or fill memory when read."""
    try:
        st = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and 0 < st.st_size <= MAX_FONT_BYTES


def bundled_families() -> list[str]:
    """Register the fonts in resources/fonts once (needs a QGuiApplication); their family names."""
    global _bundled
    if _bundled is None:
        families: list[str] = []
        folder = resources_dir() / "fonts"
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.suffix.lower() in FONT_SUFFIXES and _plain_font_file(path):
                font_id = QFontDatabase.addApplicationFont(str(path))
                if font_id >= 0:
                    families += [
                        f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families
                    ]
        _bundled = families
    return _bundled


def families() -> list[str]:
    """The whole chain, bundled fonts first (a family that is not installed is skipped by Qt)."""
    return [*bundled_families(), *MAIN_FAMILIES, *EXTENSION_FAMILIES]


def font(pt: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(families())
    f.setPointSizeF(pt)
    f.setBold(bold)
    return f


def _installed_chain() -> tuple[QRawFont, ...]:
    """The installed fonts of the chain, as raw fonts of this thread. Qt's font engines belong to the thread
    that made them: a raw font made on the GUI thread answered "no glyph" for 𪚥 on the worker thread that
    writes a PDF in the background, and the wrong answer stayed cached. So each thread has its own."""
    chain = getattr(_here, "chain", None)
    if chain is None:
        available = set(QFontDatabase.families())
        raws = []
        for family in families():
            if family in available:
                raw = QRawFont.fromFont(QFont(family))
                if raw.isValid():
                    raws.append(raw)
        chain = _here.chain = tuple(raws)
        _here.drawable, _here.family = {}, {}
    return chain


# Per thread, and gone with it (a new thread can get a finished one's id, never its fonts).
_here = threading.local()


def _needs_a_glyph(ch: str) -> bool:
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn"))


def drawable(ch: str) -> bool:
    """Whether a glyph prints for `ch` (answered for this thread's fonts)."""
    _installed_chain()
    known = _here.drawable.get(ch)
    if known is None:
        known = _here.drawable[ch] = _drawable(ch)
    return known


def _drawable(ch: str) -> bool:
    """Whether a glyph prints for `ch`: from a font of the chain, or from whichever installed font Qt falls
    back to past it (DejaVu Sans for a Uyghur name). A lone surrogate is never a character to print."""
    if unicodedata.category(ch) == "Cs":
        return False
    if not _needs_a_glyph(ch) or any(raw.supportsCharacter(ord(ch)) for raw in _installed_chain()):
        return True
    layout = QTextLayout(ch, font(10))
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    return bool(runs) and all(glyph for run in runs for glyph in run.glyphIndexes())  # glyph 0: a box


def undrawable(text: str) -> list[str]:
    """The characters of `text` no font here can draw (each once, in order)."""
    out: list[str] = []
    for ch in text:
        if ch not in out and not drawable(ch):
            out.append(ch)
    return out


def family_for(ch: str) -> str:
    """The family Qt draws `ch` with: the first of the chain that has it ('' when none does)."""
    chain = _installed_chain()
    known = _here.family.get(ch)
    if known is None:
        known = _here.family[ch] = _family_for(ch, chain)
    return known


def _family_for(ch: str, chain: tuple[QRawFont, ...]) -> str:
    for raw in chain:
        if raw.supportsCharacter(ord(ch)):
            return raw.familyName()
    return ""


def register_glyph_check() -> None:
    """Let the Qt-free services ask which characters cannot be printed (services/common/glyphs.py)."""
    glyphs.set_check(undrawable)


def family_of_pdf_font(base_font: str) -> str:
    """The family of the chain a PDF font name (NotoSerifCJKsc-Regular) belongs to; '' when none."""
    norm = _norm(base_font)
    matches = [f for f in families() if _norm(f) and norm.startswith(_norm(f))]
    return max(matches, key=lambda f: len(_norm(f)), default="")


def _norm(name: str) -> str:
    return "".join(c for c in name.split("+", 1)[-1].lower() if c.isascii() and c.isalnum())


@lru_cache(maxsize=16)
def ideographs_sharing_radical_glyphs(family: str) -> dict[str, str]:
    """Radical → the ideograph drawn with the same glyph in `family` (⺠ U+2EA0 → 民): the text a PDF should
    carry where the font maps both to one glyph and Qt names the glyph by the radical."""
    if family not in QFontDatabase.families() and family not in bundled_families():
        return {}
    raw = QRawFont.fromFont(QFont(family))
    if not raw.isValid():
        return {}
    radicals = "".join(chr(c) for c in range(0x2E80, 0x2FE0) if raw.supportsCharacter(c))
    wanted: dict[int, str] = {}
    for glyph, radical in zip(raw.glyphIndexesForString(radicals), radicals):
        if glyph:
            wanted.setdefault(glyph, radical)
    ideographs = "".join(chr(c) for c in (*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0)))
    out: dict[str, str] = {}
    for glyph, ideograph in zip(raw.glyphIndexesForString(ideographs), ideographs):
        radical = wanted.get(glyph)
        if radical is not None and radical not in out:
            out[radical] = ideograph
    return out
