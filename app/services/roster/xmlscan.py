"""How big a workbook's sheets really are, read from its XML before any reader builds them.

python-calamine builds each sheet's whole used range in memory, so rows × columns is what a file costs, and a
5 KB file can ask for 512 GB. An anchored byte pattern (`<c … r="…"`) was fooled by `r = "…"` and by a `>`
inside another attribute's value (both valid XML, both read by calamine), so:

- .xlsx parts are scanned with patterns that can only count too much, never too little: every r attribute
  anywhere (any reference that is not a plain one refuses the file), every row and cell tag for rows and
  cells without a reference, every dimension and declared string count. C-speed: 1 s for 20,000 students.
- .ods content is parsed by expat (ODS needs structure: which repeated rows hold a value), matched by
  namespace URI, not prefix.
- A DTD or an entity declaration is refused outright in both: no workbook has one; it is how XML bombs expand.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class TooLarge(Exception):
    """The part asks for more than a roster can be; the message says what (Chinese)."""


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    area: int  # cells per sheet
    strings: int  # declared shared strings


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _parser(start: Callable, end: Callable | None = None, namespaces: bool = False):
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" " if namespaces else None)

    def no_dtd(*_args) -> None:
        raise TooLarge("含有 DTD 或实体声明（工作簿从不包含，这是 XML 炸弹的做法）")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.buffer_text = True
    return parser


def _feed(parser, chunks: Iterator[bytes]) -> None:
    for chunk in chunks:
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


# An .xlsx part is scanned at C speed with patterns that can only count too much, never too little: a cell
# reference in any r attribute anywhere (whatever the spaces, quotes, or other attributes with a > in their
# value), every row and cell tag for rows and cells without a reference, every declared string count. A
# streaming parser was exact but took 4 s on a 20,000-student roster; this takes a small fraction of that.
# Patterns start with a literal (the lookbehind comes after it), so the engine skips ahead at C speed.
_R_ATTR = re.compile(rb"r(?<=\sr)\s*=\s*([\"'])([^\"']{0,64})\1")
_CLEAN_REF = re.compile(rb"^[ \t]*\$?([A-Za-z]{0,3})\$?([0-9]{1,7})[ \t]*$", re.MULTILINE)
_DIMENSION = re.compile(rb"ref(?<=\sref)\s*=\s*[\"'][^\"']{0,64}?\$?([A-Za-z]{1,3})\$?([0-9]{1,7})\s*[\"']")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")
_COUNT = re.compile(rb"ount\s*=\s*[\"']\s*([0-9]{1,20})")
_DANGER = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def scan_xlsx_part(chunks: Iterator[bytes], name: str, limits: Limits) -> int:
    """The used range one XML part of an .xlsx can make calamine build (any part: a sheet may be stored
    anywhere), counted generously; raises TooLarge past the limits. Returns rows × columns."""
    rows = cols = tags_rows = cells_in_row = 0
    tail = b""
    first = True
    for chunk in chunks:
        if first:
            first = False
            if chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:512]:
                raise TooLarge(f"部件 {name} 不是 UTF-8 编码的 XML（工作簿不会这样保存）")
        block = tail + chunk
        cut = block.rfind(b">") + 1
        block, tail = block[:cut], block[cut:]
        if len(tail) > (1 << 20):
            raise TooLarge(f"部件 {name} 含有超长的标记")
        if b"<!" in block and _DANGER.search(block):
            raise TooLarge("含有 DTD 或实体声明（工作簿从不包含，这是 XML 炸弹的做法）")
        values = [v for _q, v in _R_ATTR.findall(block)]
        if values:
            found = _CLEAN_REF.findall(b"\n".join(values))
            if len(found) != len(values):  # an escaped, spaced-out or otherwise odd reference: not a roster
                raise TooLarge(f"部件 {name} 的单元格引用格式异常")
            rows = max(rows, max(int(digits) for _letters, digits in found))
            letters = {lt.upper() for lt, _digits in found if lt}
            if letters:
                cols = max(cols, max(_column_number(lt.decode("ascii")) for lt in letters))
        for lt, digits in _DIMENSION.findall(block):
            rows = max(rows, int(digits))
            cols = max(cols, _column_number(lt.decode("ascii")))
        tags = _TAG.findall(block)
        if tags:
            # Rows and cells without a reference: a row tag starts a row, each c tag is the next cell in it.
            joined = b"".join(b"R" if t == b"row" else b"c" for t in tags)
            pieces = joined.split(b"R")
            cells_in_row += len(pieces[0])
            cols = max(cols, cells_in_row)
            if len(pieces) > 1:
                tags_rows += len(pieces) - 1
                cols = max(cols, max(len(p) for p in pieces[1:]))
                cells_in_row = len(pieces[-1])
        for count in _COUNT.findall(block) if b"sst" in block else ():
            if int(count) > limits.strings:
                raise TooLarge(f"部件 {name} 声明了 {int(count)} 个字符串")
        r = max(rows, tags_rows)
        if r > limits.rows or cols > limits.columns or r * max(cols, 1) > limits.area:
            raise TooLarge(
                f"部件 {name} 用到第 {r} 行、第 {cols} 列，"
                f"超过花名册的上限（{limits.rows} 行、{limits.columns} 列、共 {limits.area} 个单元格）"
            )
    return max(rows, tags_rows) * max(cols, 1)


def scan_ods_content(chunks: Iterator[bytes], limits: Limits, total_area: int) -> int:
    """The used range of every table in an OpenDocument content.xml, as calamine builds it: every row up to the
    last one holding a value (empty repeated rows in between count, trailing ones do not) times the widest
    column holding one. Raises TooLarge past the limits; returns the area of all tables."""
    tables: list[dict] = []  # a stack: a table may sit inside another's cell
    cells: list[tuple[dict, int]] = []  # (the row, the cell's end column) while inside a cell
    state = {"total": 0}

    def split(key: str) -> tuple[str, str]:
        uri, _, name = key.rpartition(" ")
        return uri, name

    def repeat(attrs: dict[str, str], which: str) -> int:
        value = attrs.get(f"{_TABLE_NS} {which}", "1").strip()
        return int(value) if value.isdigit() else 1

    def check(t: dict) -> None:
        area = t["last_row"] * t["cols"]
        if t["last_row"] > limits.rows or t["cols"] > limits.columns or area > limits.area:
            raise TooLarge(
                f"表格用到约 {t['last_row']} 行、第 {t['cols']} 列、共 {area} 个单元格，"
                f"超过花名册的上限（{limits.rows} 行、{limits.columns} 列、共 {limits.area} 个单元格）"
            )

    def start(tag: str, attrs: dict[str, str]) -> None:
        uri, name = split(tag)
        if cells:  # anything inside a cell (text:p, a link, a nested table) gives it content
            owner, end_col = cells[-1]
            owner["last_col"] = max(owner["last_col"], end_col)
        if uri != _TABLE_NS:
            return
        if name == "table":
            tables.append({"rows": 0, "last_row": 0, "cols": 0, "row": None})
        elif name == "table-row" and tables:
            tables[-1]["row"] = {"repeat": repeat(attrs, "number-rows-repeated"), "col": 0, "last_col": 0}
        elif name in ("table-cell", "covered-table-cell") and tables and tables[-1]["row"] is not None:
            current = tables[-1]["row"]
            current["col"] += repeat(attrs, "number-columns-repeated")
            cells.append((current, current["col"]))
            if f"{_OFFICE_NS} value-type" in attrs:
                current["last_col"] = max(current["last_col"], current["col"])

    def end(tag: str) -> None:
        uri, name = split(tag)
        if uri != _TABLE_NS:
            return
        if name in ("table-cell", "covered-table-cell") and cells:
            cells.pop()
        elif name == "table-row" and tables and tables[-1]["row"] is not None:
            t, current = tables[-1], tables[-1]["row"]
            t["rows"] += current["repeat"]
            if current["last_col"]:
                t["last_row"] = t["rows"]  # every row up to here is built, empty repeated ones included
                t["cols"] = max(t["cols"], current["last_col"])
                check(t)
            t["row"] = None
        elif name == "table" and tables:
            t = tables.pop()
            state["total"] += t["last_row"] * t["cols"]
            if state["total"] > total_area:
                raise TooLarge(f"各工作表合计超过 {total_area} 个单元格")

    _feed(_parser(start, end, namespaces=True), chunks)
    return state["total"]
