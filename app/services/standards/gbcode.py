"""GB2312 区位码 for the legacy capture card: 4 digits per character, 0000 + pinyin when missing.

The card (seed 004) is machine-read: each hanzi of the name is filled in as its 区位码 (zone and
position, two digits each). A character outside GB2312 is filled 0000 with its pinyin written beside
it; a name of more than four characters (the separator · not counted) is written out by hand and
needs no codes; a letter in 学号/身份证号 is marked by filling both 0 and 1 in its column.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MISSING = "0000"
HANDWRITE_OVER = 4  # seed 004: minority names of more than four hanzi are written by hand
SEPARATORS = "·•・．"


@lru_cache(maxsize=8192)
def quwei(char: str) -> str | None:
    """The 4-digit 区位码 of one GB2312 character ('啊' → '1601'), or None if GB2312 lacks it."""
    if len(char) != 1:
        raise ValueError("区位码只对单个字符求取")
    try:
        raw = char.encode("gb2312")
    except UnicodeEncodeError:
        return None
    if len(raw) != 2:  # ASCII is not on the card's code table
        return None
    return f"{raw[0] - 0xA0:02d}{raw[1] - 0xA0:02d}"


UNKNOWN_PINYIN = "需手工注音"


@lru_cache(maxsize=8192)
def pinyin_of(char: str) -> str:
    """Toneless pinyin of one character ('喆' → 'zhe'); '' when pypinyin does not know it."""
    # deferred: pypinyin's dictionaries take ~0.6 s to load; only a search or a card needs them
    from pypinyin import Style, pinyin

    result = pinyin(char, style=Style.NORMAL, heteronym=False, errors="ignore")
    return result[0][0] if result and result[0] else ""


@dataclass(frozen=True)
class CharCode:
    char: str
    code: str  # 4 digits, "0000" when GB2312 lacks the character
    pinyin: str  # only for a missing character

    @property
    def missing(self) -> bool:
        return self.code == MISSING


@dataclass(frozen=True)
class NameCodes:
    """A name as the card wants it: per-character codes, or a hand-writing mark."""

    name: str
    chars: tuple[CharCode, ...]
    handwrite: bool

    @property
    def codes(self) -> str:
        """'1601 4566' (left-packed, one group per character); '' for a hand-written name."""
        return "" if self.handwrite else " ".join(c.code for c in self.chars)

    @property
    def pinyin_notes(self) -> str:
        """'喆 zhe' for each character the card cannot code, so the clerk writes it beside the name;
        '𠇔 需手工注音' where no pinyin is known (a rare character), never an empty note."""
        return "；".join(f"{c.char} {c.pinyin or UNKNOWN_PINYIN}" for c in self.chars if c.missing)


def name_letters(name: str) -> list[str]:
    """The characters that count on the card: the name without spaces and the · separator."""
    return [c for c in name if not c.isspace() and c not in SEPARATORS]


def name_codes(name: str) -> NameCodes:
    """Codes for every character of a name; more than four characters → hand-written, no codes."""
    letters = name_letters(name)
    if len(letters) > HANDWRITE_OVER:
        return NameCodes(name, (), True)
    chars = []
    for c in letters:
        code = quwei(c)
        chars.append(CharCode(c, code, "") if code else CharCode(c, MISSING, pinyin_of(c)))
    return NameCodes(name, tuple(chars), False)


def letter_positions(text: str) -> list[int]:
    """1-based positions of anything but a digit ('2023A01' → [5]); the card fills 0 and 1 there."""
    return [i for i, c in enumerate(text, start=1) if not c.isdigit() or not c.isascii()]


def describe_positions(positions: list[int]) -> str:
    """[5, 18] → '第5、18位填涂0和1'; '' when there are none."""
    if not positions:
        return ""
    return "第" + "、".join(str(p) for p in positions) + "位填涂0和1"
