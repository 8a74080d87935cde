"""Person names: clean-up of spreadsheet padding, and pinyin initials for search."""

from __future__ import annotations

import re
from functools import lru_cache

from app.services.common.values import strip_invisible

_HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
_SPACES = re.compile(r"[\s\u3000]+")
# Minority names use the middle dot; spreadsheets carry every look-alike of it.
_DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", "‧": "·", "∙": "·", "●": "·"})
# An ASCII full stop between two parts of a name (阿卜杜.热合曼) is the middle dot typed on a keyboard.
_ASCII_DOT = re.compile(r"(?<=[^\s.])\.(?=[^\s.])")


def clean_name(raw: object) -> str:
    """'张  三' → '张三' (clerks pad two-character names to line up); keeps the · in minority names."""
    if raw is None:
        return ""
    text = _ASCII_DOT.sub("·", strip_invisible(str(raw)).strip().translate(_DOTS))
    compact = _SPACES.sub("", text)
    if _HAN.match(compact.replace("·", "")):
        return compact
    return _SPACES.sub(" ", text)


@lru_cache(maxsize=65536)
def _initial(char: str) -> str:
    # deferred: pypinyin's dictionaries take ~0.6 s to load; only a search or a card needs them
    from pypinyin import Style, pinyin

    if char.isascii():
        return char.lower() if char.isalnum() else ""
    result = pinyin(char, style=Style.FIRST_LETTER, heteronym=False, errors="ignore")
    return result[0][0].lower() if result and result[0] else ""


def pinyin_initials(name: str) -> str:
    """张三 → 'zs'; cached per character, so 20,000 names cost a few thousand look-ups."""
    return "".join(_initial(c) for c in name)
