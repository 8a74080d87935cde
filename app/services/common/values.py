"""Cell values from spreadsheets to clean Python values: dates, sex, codes."""

from __future__ import annotations

import datetime as dt
import re

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), re.compile(r"^(\d{4})(\d{2})$"))
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class ValueProblem(ValueError):
    """A cell that cannot be understood; the message is Chinese."""


# Invisible characters a copy from a web page or a Word file brings along (zero-width space, joiners, word
# joiner, BOM, soft hyphen): nothing a person typed, so they are dropped from every cell.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def text_value(raw: object) -> str:
    """A cell as text; whole-number floats from Excel lose their '.0' (学号 2015001.0 → '2015001')."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return strip_invisible(str(raw)).strip().replace("\u3000", " ").strip()


def code_value(raw: object) -> str:
    """学号 and codes: text without inner spaces; a float with 16+ digits has lost its last digits."""
    if isinstance(raw, float) and abs(raw) >= 1e15:
        raise ValueProblem("该值被表格软件存成了数字，末几位已丢失，请把该列设为文本后重新录入")
    return re.sub(r"\s+", "", text_value(raw))


def date_value(raw: object) -> dt.date | None:
    """Dates as written by clerks: 1990-01-02, 1990/1/2, 1990年1月2日, 19900102, 1990.01, Excel serials."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 20000000 > raw > 1000:  # an Excel serial day number
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raw = text_value(raw)
    text = str(raw).strip().replace(" ", "")
    text = re.sub(r"[T ]?\d{1,2}:\d{2}(:\d{2})?$", "", text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise ValueProblem(f"日期“{raw}”不存在") from None
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m and 1 <= int(m.group(2)) <= 12:
            return dt.date(int(m.group(1)), int(m.group(2)), 1)
    raise ValueProblem(f"无法识别的日期“{raw}”")


_SEX = {
    "男": "男",
    "女": "女",
    "男性": "男",
    "女性": "女",
    "m": "男",
    "f": "女",
    "male": "男",
    "female": "女",
    "1": "男",
    "2": "女",
}


def sex_value(raw: object) -> str:
    text = text_value(raw).lower()
    if not text:
        return ""
    if text not in _SEX:
        raise ValueProblem(f"性别“{text_value(raw)}”无法识别（应为 男 或 女）")
    return _SEX[text]


# -- CSV cells a spreadsheet would run --------------------------------------------------------------
# OWASP's CSV-injection advice: a cell starting with = + - @ (or tab / CR, which some programs skip before
# looking) is read as a formula by Excel, WPS and LibreOffice; a leading apostrophe makes them show it as
# text. A plain number ("-12", "+3.5") is never a formula, so it is left alone and still reads as itself;
# an ID ending in X starts with a digit and is untouched.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def csv_safe(value: object) -> object:
    """`value` as a CSV cell that no spreadsheet program runs as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value
