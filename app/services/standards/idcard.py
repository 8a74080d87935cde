"""身份证号 (GB 11643-1999): parse, check digit, 15→18 upgrade, birth date and sex."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SEPARATORS = re.compile(r"[\s\u3000\-'’`]+")


# The first two digits: the provinces of GB/T 2260 (71 台湾, 81 香港, 82 澳门), 83 for the residence
# permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证, 830000…); numbers starting with 9 are the
# 2023 foreign permanent residence ID (外国人永久居留身份证). Any other start is not a real number.
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


class IdNumberError(ValueError):
    """An ID number that is not valid; the message is in Chinese and never contains the number."""


@dataclass(frozen=True)
class IdNumber:
    number: str  # always 18 characters, check character upper-case
    birth_date: dt.date
    sex: str  # "男" or "女"
    upgraded_from_15: bool = False

    @property
    def masked(self) -> str:
        return mask_id(self.number)


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def mask_id(number: str) -> str:
    """410105********123X: the region code and last four stay, the birth date is hidden."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def normalise_id_text(raw: object) -> str:
    """Spreadsheet cells hold IDs as text, floats or with stray spaces; bring them to plain text."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        if raw != raw or raw.is_integer() is False:
            return str(raw)
        raw = int(raw)
    text = _SEPARATORS.sub("", str(raw)).upper()
    return text.translate(str.maketrans("０１２３４５６７８９Ｘ", "0123456789X"))


def parse_id_number(raw: object, today: dt.date | None = None) -> IdNumber:
    """Validate an ID number and return its 18-digit form with birth date and sex."""
    if isinstance(raw, float) and abs(raw) >= 1e15:
        # A float has only ~16 significant digits: the last digits of an 18-digit number are gone.
        raise IdNumberError(
            "身份证号码被表格软件存成了数字（科学计数法），末几位已丢失，请把该列设为文本后重新录入"
        )
    text = normalise_id_text(raw)
    if not text:
        raise IdNumberError("身份证号码为空")
    if "E+" in text or "E" in text[:-1]:
        raise IdNumberError(
            "身份证号码被表格软件存成了科学计数法（如 4.10105E+17），末几位已丢失，请把该列设为文本后重新录入"
        )
    upgraded = False
    if len(text) == 15:
        if not text.isdigit():
            raise IdNumberError("15 位身份证号码只能含数字")
        first17 = text[:6] + "19" + text[6:]
        text = first17 + check_char(first17)
        upgraded = True
    elif len(text) != 18:
        raise IdNumberError(f"身份证号码应为 18 位（或旧版 15 位），实际为 {len(text)} 位")
    body, last = text[:17], text[17]
    if not body.isdigit() or not (last.isdigit() or last == "X"):
        raise IdNumberError("身份证号码前 17 位须为数字，最后一位为数字或 X")
    if not (body[:2] in PROVINCES or body[0] == "9"):
        raise IdNumberError("身份证号码的地区码无效（前两位不是省级行政区代码）")
    try:
        birth = dt.date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        raise IdNumberError("身份证号码中的出生日期不存在") from None
    today = today or dt.date.today()
    if birth.year < 1800 or birth > today:
        raise IdNumberError("身份证号码中的出生日期不合理")
    if check_char(body) != last:
        raise IdNumberError("身份证号码校验位错误（可能有数字录错）")
    sex = "男" if int(body[16]) % 2 == 1 else "女"
    return IdNumber(text, birth, sex, upgraded)


def is_valid_id(raw: object) -> bool:
    try:
        parse_id_number(raw)
    except IdNumberError:
        return False
    return True
