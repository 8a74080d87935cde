"""Photo file names on the disc: the preset's naming template and the rules every name must obey.

Kept beside the presets (a preset lists its templates and is checked by these rules when saved) and used by
the pre-flight and the package builder, so one rule serves both.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol


class NamingError(ValueError):
    """A naming template that packaging cannot use; the message says why, in Chinese."""


class Named(Protocol):
    def value(self, key: str) -> object: ...


NAMING_FIELDS = {"shot_no": "拍摄序号", "id_number": "身份证号码", "student_no": "学号", "name": "姓名"}
_FIELD = re.compile(r"\{(\w+)\}")
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
JOLIET_MAX = 64  # characters in a Joliet name: what a disc can carry


def check_naming_template(template: str) -> str:
    """A template packaging can use: known fields only, at least one, ending in .jpg; NamingError if not."""
    unknown = [f for f in _FIELD.findall(template) if f not in NAMING_FIELDS]
    if unknown:
        raise NamingError(
            f"命名模板“{template}”用到了花名册中没有的字段：{'、'.join(unknown)}"
            f"（可用：{'、'.join('{' + k + '}' for k in NAMING_FIELDS)}）"
        )
    odd = [m for m in re.findall(r"\{[^{}]*\}", template) if not _FIELD.fullmatch(m)]
    if odd:  # {shot_no:03d} was reported as "no field at all"
        raise NamingError(
            f"命名模板“{template}”中的 {'、'.join(odd)} 不是字段的写法"
            f"（可用：{'、'.join('{' + k + '}' for k in NAMING_FIELDS)}）"
        )
    if not _FIELD.search(template):
        raise NamingError(f"命名模板“{template}”不含任何字段，所有照片会同名")
    if not template.lower().endswith((".jpg", ".jpeg")):  # "{student_no}" or "{shot_no}.png" held JPEG data
        raise NamingError(f"命名模板“{template}”应以 .jpg 或 .JPG 结尾：报送的照片是 JPEG 文件")
    return template


def clean_value(value: object) -> str:
    # Full-width digits and letters (clerks type them in Chinese input mode) become plain ones.
    return unicodedata.normalize("NFKC", str(value)).strip()


def file_name_for(student: Named, template: str) -> str:
    """The photo's file name from the template ('{shot_no}.JPG' → '12.JPG')."""
    return _FIELD.sub(lambda m: clean_value(student.value(m.group(1))), template)


def file_name_problem(name: str) -> str | None:
    """Why a file name cannot go on a disc (Windows, ISO 9660/Joliet), or None."""
    stem = name.rsplit(".", 1)[0]
    if not stem.strip():
        return "文件名为空（命名所用的字段为空）"
    bad = sorted(set(_UNSAFE.findall(name)))
    if bad:
        return "文件名含有不允许的字符：" + " ".join(repr(c)[1:-1] for c in bad)
    if name != name.strip() or name.endswith("."):
        return "文件名首尾有空格或以点结尾"
    if stem.upper() in _RESERVED:
        return f"文件名“{stem}”是 Windows 的保留名"
    if len(name) > JOLIET_MAX:
        return f"文件名长 {len(name)} 个字符，光盘最多 {JOLIET_MAX} 个"
    return None
