"""The text layer of a PDF Qt wrote: normal CJK code points, the rare ones included, so a form can be searched.

Qt writes each embedded font's ToUnicode map by asking, for every code point of the Basic Multilingual Plane
in turn, which glyph it uses, and keeps the first (lowest) code point per glyph. Two things go wrong for
Chinese forms:
- A CJK font draws 无 and the Kangxi radical ⽆ (U+2F46) with one glyph, so the text layer says ⽆: 无误
  extracts as ⽆误, 阿卜杜 as 阿⼘杜, and a search for 无误 finds nothing. Radicals (U+2E80–U+2FDF) get the
  ideograph they stand for (their Unicode compatibility mapping, NFKC).
- A character outside the BMP (CJK Extension B and later: 𠇔, 𪚥) gets no entry at all and vanishes from the
  text. Qt numbers a font's glyphs in the order they are first drawn, so the unmapped glyphs of a font are,
  in order, the non-BMP characters drawn with that font in the order they were first drawn: the painter
  records what it draws (`TextLog`) and the map gets them back. Where the counts disagree, nothing is guessed.

The map is rewritten with pikepdf (qpdf): it parses and rewrites the PDF's objects and cross-reference table
safely, which a hand-written patch of compressed streams would not.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import unicodedata
from collections.abc import Iterable

from PySide6.QtGui import QFont, QPainter, QRawFont, QTextLayout

from app.printing.fonts import family_for, family_of_pdf_font, ideographs_sharing_radical_glyphs

log = logging.getLogger(__name__)

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


class _Glyphs:
    """One font's glyphs in the order they were first drawn, and the text each stands for."""

    def __init__(self, raw: QRawFont) -> None:
        self.raw = raw
        self.order: list[int] = []
        self.text: dict[int, str] = {}

    def add(self, glyph: int, text: str) -> None:
        if glyph and glyph not in self.text:
            self.order.append(glyph)
            self.text[glyph] = text

    def agrees_with(self, mapping: dict[int, str]) -> bool:
        """Every code point Qt wrote names the glyph this log says that CID is (so the order is right)."""
        for cid, text in mapping.items():
            if cid == 0 or not text:
                continue
            if cid > len(self.order) or list(self.raw.glyphIndexesForString(text[:1])) != [
                self.order[cid - 1]
            ]:
                return False
        return True


class TextLog:
    """What a painter drew into a PDF, in drawing order: per font, each glyph and the text it stands for.

    Qt numbers a font's glyphs in a PDF (CID 1, 2, …) in the order they are first drawn; shaping the same
    text with the same font here gives the same glyphs in the same order, so CID k is the k-th glyph logged
    for that font, and its text is what was drawn — the rare characters and the ones whose glyph Qt named
    by another code point included. The log is checked against what Qt did write before it is used."""

    def __init__(self) -> None:
        self.fonts: dict[tuple[str, bool], _Glyphs] = {}
        self._seen: dict[str, set[str]] = {}  # font key → characters already shaped with it

    def drew(self, text: str, font: QFont, font_key: str | None = None) -> None:
        seen = self._seen.setdefault(font_key or font.key(), set())
        for line in text.split("\n"):
            # Nothing new to learn from a line of characters all shaped before with this font (a glyph that
            # only a new context would pick makes the counts disagree, and then nothing is guessed).
            if line and not seen.issuperset(line):
                seen.update(line)
                self._shape(line, font)

    def _shape(self, line: str, font: QFont) -> None:
        """Each glyph of each font run with the character it draws. Qt's string indexes are not reliable
        across fallback fonts, so a run's characters are those its font is the first of the chain to have;
        one glyph each, in order. Where the counts differ (a ligature), the glyphs are logged without text
        and keep what Qt wrote."""
        layout = QTextLayout(line, font)
        layout.beginLayout()
        layout.createLine().setLineWidth(1e7)
        layout.endLayout()
        wanted = QTextLayout.GlyphRunRetrievalFlag
        for run in layout.glyphRuns(-1, -1, wanted.RetrieveGlyphIndexes):
            raw = run.rawFont()
            family = raw.familyName()
            glyphs = self.fonts.setdefault((family, raw.weight() >= QFont.Weight.DemiBold), _Glyphs(raw))
            ids = list(run.glyphIndexes())
            chars = [ch for ch in line if family_for(ch) == family]
            texts = chars if len(chars) == len(ids) else [""] * len(ids)
            for glyph, text in zip(ids, texts):
                glyphs.add(glyph, text)

    def glyphs_for(self, base_font: str) -> _Glyphs | None:
        """The log of the PDF font named `base_font` (NotoSerifCJKsc-Bold); None when not one clear match.
        A bold that Qt synthesises (HanaMinB has no bold face) keeps the plain name: then the one logged
        weight of that family is it."""
        norm = _norm(base_font)
        found: dict[int, list[tuple[bool, _Glyphs]]] = {}
        for (family, is_bold), g in self.fonts.items():
            if _norm(family) and norm.startswith(_norm(family)):
                found.setdefault(len(_norm(family)), []).append((is_bold, g))
        if not found:
            return None
        candidates = found[max(found)]
        same_weight = [g for is_bold, g in candidates if is_bold == ("bold" in norm)]
        if len(same_weight) == 1:
            return same_weight[0]
        return candidates[0][1] if len(candidates) == 1 else None


class LoggedPainter(QPainter):
    """A QPainter that tells a TextLog every text it draws (for painters that are not table forms)."""

    def __init__(self, text_log: TextLog | None = None) -> None:
        super().__init__()
        self.text_log = text_log

    def drawText(self, *args) -> None:
        if self.text_log is not None:
            text = next((a for a in args if isinstance(a, str)), None)
            if text:
                self.text_log.drew(text, self.font())
        super().drawText(*args)


def _norm(name: str) -> str:
    return "".join(c for c in name.split("+", 1)[-1].lower() if c.isascii() and c.isalnum())


def _utf16_hex(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode()


def _unit(code: bytes) -> str:
    try:
        return bytes.fromhex(code.decode()).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return ""


def _parse_cmap(data: bytes) -> dict[int, str]:
    """CID → text of a ToUnicode CMap (bfchar and bfrange, both forms)."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[0::2], codes[1::2]):
            mapping[int(src, 16)] = _unit(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in block.splitlines():
            codes = _HEX.findall(line)
            if len(codes) < 3:
                continue
            first, last = int(codes[0], 16), int(codes[1], 16)
            if b"[" in line:
                for cid, dst in zip(range(first, last + 1), codes[2:]):
                    mapping[cid] = _unit(dst)
            else:
                start = _unit(codes[2])
                if len(start) == 1:
                    for i, cid in enumerate(range(first, last + 1)):
                        mapping[cid] = chr(ord(start) + i)
    return mapping


def _write_cmap(mapping: dict[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <FFFF>",
        b"endcodespacerange",
    ]
    items = sorted((cid, text) for cid, text in mapping.items() if text)
    for start in range(0, len(items), 100):  # at most 100 entries a block, as the CMap format asks
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines += [b"<%04X> <%s>" % (cid, _utf16_hex(text)) for cid, text in chunk]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end", b""]
    return b"\n".join(lines)


def _glyph_count(font) -> int:
    """The number of glyphs in a Type0 font's embedded subset (its maxp table), 0 when unknown."""
    try:
        data = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return 0
    if len(data) < 12:
        return 0
    tables = int.from_bytes(data[4:6], "big")
    for i in range(min(tables, 64)):
        entry = data[12 + 16 * i : 28 + 16 * i]
        if len(entry) == 16 and entry[:4] == b"maxp":
            offset = int.from_bytes(entry[8:12], "big")
            return int.from_bytes(data[offset + 4 : offset + 6], "big")
    return 0


PRESENTATION_FORMS = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))  # Arabic script (Uyghur names), shaped


def _plain(text: str, shared: dict[str, str]) -> str:
    """The code point a reader searches for: the ideograph for a radical that shares its glyph, the letter for
    an Arabic presentation form (Qt names a shaped Uyghur letter by its contextual form: ﺋﺎﺑﺪ for ئابد)."""
    if len(text) != 1:
        return text
    cp = ord(text)
    if cp in RADICALS:
        return shared.get(text) or unicodedata.normalize("NFKC", text)
    if any(cp in r for r in PRESENTATION_FORMS):
        return unicodedata.normalize("NFKC", text) or text
    return text


def _fix_map(mapping: dict[int, str], glyphs: _Glyphs | None, count: int, shared: dict[str, str]) -> bool:
    """Put the drawn text on every glyph (when the log agrees with Qt); where it cannot, the plain code point
    for a radical or a presentation form."""
    changed = False
    if glyphs is not None and count == len(glyphs.order) + 1 and glyphs.agrees_with(mapping):
        drawn = {cid: glyphs.text[g] for cid, g in enumerate(glyphs.order, start=1) if glyphs.text[g]}
        if any(mapping.get(cid) != text for cid, text in drawn.items()):
            mapping.update(drawn)
            changed = True
    elif glyphs is not None:
        log.info(
            "PDF 文本层：字形顺序与记录不符（%d / %d），只修正部首和字形变体", count - 1, len(glyphs.order)
        )
    for cid, text in list(mapping.items()):
        plain = _plain(text, shared)
        if plain != text:
            mapping[cid] = plain
            changed = True
    return changed


def _fonts(pdf) -> Iterable:
    seen = set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        for font in fonts.values() if fonts is not None else ():
            key = font.objgen
            if key not in seen and font.get("/ToUnicode") is not None:
                seen.add(key)
                yield font


def fix_text_layer(path: str, text_log: TextLog | None = None) -> int:
    """Rewrite the ToUnicode maps of `path` in place; returns how many fonts changed. Raises only when the file
    cannot be written (OSError: a full disk); a PDF qpdf cannot read, or any other failure, is logged: the
    drawing is right either way, only the search would be poorer."""
    # deferred: pikepdf (qpdf) loads only when a PDF is written
    import pikepdf

    out = f"{path}.text"
    try:
        # Not qpdf writing a file: when the disk filled as it flushed, it aborted the whole program
        # (std::terminate on QPDFSystemError) instead of raising. It writes into memory; Python writes the
        # file beside the old one (a full disk raises OSError) and then replaces it.
        with pikepdf.open(path) as pdf:
            changed = 0
            fonts = list(_fonts(pdf))
            names = [str(font.get("/BaseFont", "")) for font in fonts]
            for font, base in zip(fonts, names):
                family = family_of_pdf_font(base)
                shared = ideographs_sharing_radical_glyphs(family) if family else {}
                # two PDF fonts of one name (a real and a synthesised bold): which log is which is unknown
                clear = text_log is not None and names.count(base) == 1
                glyphs = text_log.glyphs_for(base) if clear else None
                stream = font.ToUnicode
                mapping = _parse_cmap(stream.read_bytes())
                if _fix_map(mapping, glyphs, _glyph_count(font), shared):
                    stream.write(_write_cmap(mapping))
                    changed += 1
            if changed:
                data = io.BytesIO()
                pdf.save(data, deterministic_id=True)
        if changed:
            with open(out, "wb") as fh:
                fh.write(data.getbuffer())
            os.replace(out, path)
        return changed
    except OSError:  # a full disk goes on to the caller: the file could not be written
        raise
    except Exception as exc:  # a PDF qpdf cannot read, or a bug here: the drawing is right either way
        log.warning("PDF 文本层未能修正：%s", exc)
        return 0
    finally:
        with contextlib.suppress(OSError):
            os.unlink(out)
