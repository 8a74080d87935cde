"""How big a workbook's sheets really are, read from its XML with a streaming parser before any reader builds them.

python-calamine builds each sheet's whole used range in memory, so rows × columns is what a file costs, and a
5 KB file can ask for 512 GB. The sizes are read here by expat, attribute by attribute, as the XML says them:
a regular expression over the bytes was fooled by `r = "…"` and by a `>` inside another attribute's value (both
valid XML, both read by calamine). Prefixes do not matter (names are matched by local name, ODS by namespace
URI), a DTD or an entity declaration is refused outright (no workbook has one; they are how XML bombs expand),
and memory stays flat: expat keeps no tree.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
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


def scan_xlsx_part(chunks: Iterator[bytes], name: str, limits: Limits) -> int:
    """The used range of one XML part of an .xlsx (any part: a sheet may be stored anywhere), as calamine will
    size it; raises TooLarge past the limits. Returns rows × columns."""
    state = {"rows": 0, "cols": 0, "row": 0, "col": 0}

    def grow(rows: int, cols: int) -> None:
        state["rows"] = max(state["rows"], rows)
        state["cols"] = max(state["cols"], cols)
        r, c = state["rows"], state["cols"]
        if r > limits.rows or c > limits.columns or r * max(c, 1) > limits.area:
            raise TooLarge(
                f"部件 {name} 用到第 {r} 行、第 {c} 列，"
                f"超过花名册的上限（{limits.rows} 行、{limits.columns} 列、共 {limits.area} 个单元格）"
            )

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local == "c":
            ref = _CELL.fullmatch((attrs.get("r") or "").strip())
            if ref:
                state["col"] = _column_number(ref.group(1))
                grow(int(ref.group(2)), state["col"])
            else:  # a cell without a reference is the next one in its row
                state["col"] += 1
                grow(max(state["row"], 1), state["col"])
        elif local == "row":
            r = (attrs.get("r") or "").strip()
            state["row"] = int(r) if r.isdigit() else state["row"] + 1
            state["col"] = 0
            grow(state["row"], 0)
        elif local == "dimension":
            last = (attrs.get("ref") or "").split(":")[-1].strip()
            ref = _CELL.fullmatch(last)
            if ref:
                grow(int(ref.group(2)), _column_number(ref.group(1)))
        elif local == "sst":
            for key in ("count", "uniqueCount"):
                value = (attrs.get(key) or "").strip()
                if value.isdigit() and int(value) > limits.strings:
                    raise TooLarge(f"部件 {name} 声明了 {int(value)} 个字符串")

    _feed(_parser(start), chunks)
    return state["rows"] * max(state["cols"], 1)


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
