"""Read a roster file (.xlsx, .xls, .csv in UTF-8/GBK) into sheets of rows, finding the header row."""

from __future__ import annotations

import csv
import io
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import xlrd
from python_calamine import CalamineWorkbook

from app.services.common.files import LinkRefused, os_reason, refuse_link
from app.services.roster.fields import guess_mapping
from app.services.roster.xmlscan import Limits, TooLarge, scan_ods_content, scan_xlsx_part

HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 3


class RosterReadError(Exception):
    """The file cannot be read as a roster; the message names the file and says why, in Chinese."""


@dataclass
class SheetTable:
    """One sheet: its rows with their 1-based sheet row numbers, and the detected header."""

    name: str
    rows: list[tuple[int, list[object]]]
    header_index: int | None = None  # index into rows
    mapping: dict[int, str] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        if self.header_index is None:
            return []
        return ["" if v is None else str(v) for v in self.rows[self.header_index][1]]

    @property
    def header_row_no(self) -> int | None:
        return None if self.header_index is None else self.rows[self.header_index][0]

    def data_rows(self) -> list[tuple[int, list[object]]]:
        if self.header_index is None:
            return []
        return [r for r in self.rows[self.header_index + 1 :] if any(_filled(v) for v in r[1])]

    @property
    def width(self) -> int:
        return max((len(r[1]) for r in self.rows), default=0)


@dataclass
class RosterFile:
    path: Path
    sheets: list[SheetTable]
    encoding: str | None = None

    @property
    def importable_sheets(self) -> list[SheetTable]:
        return [s for s in self.sheets if s.header_index is not None]


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


Guesser = Callable[[list[object]], dict[int, str]]


def detect_header(
    sheet: SheetTable, guess: Guesser = guess_mapping, min_fields: int = MIN_HEADER_FIELDS
) -> None:
    """The header is the row among the first few that names the most known fields (titles sit above it)."""
    best_score, best_index = 0, None
    for index, (_, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        score = len(set(guess(cells).values()))
        if score > best_score:
            best_score, best_index = score, index
    if best_index is not None and best_score >= min_fields:
        sheet.header_index = best_index
        sheet.mapping = guess(sheet.rows[best_index][1])


def read_roster(path: Path | str) -> RosterFile:
    """Read any supported roster file; raises RosterReadError with a Chinese message."""
    return read_table(path, guess_mapping, MIN_HEADER_FIELDS, "“姓名”“学号”“身份证号码”等列名")


def read_table(path: Path | str, guess: Guesser, min_fields: int, expected: str) -> RosterFile:
    """Read a workbook or CSV and find each sheet's header with `guess`; the file is never written."""
    path = Path(path)
    try:
        refuse_link(path)
    except LinkRefused as exc:
        raise RosterReadError(str(exc)) from None
    if not path.is_file():
        raise RosterReadError(f"找不到文件：{path}")
    try:
        head = _head(path, 8)
    except OSError as exc:
        raise RosterReadError(f"无法打开文件 {path.name}：{os_reason(exc)}") from None
    suffix = path.suffix.lower()
    # Sniff the content, not the name: an .xls that is really HTML or CSV is common from web exports.
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        result = _read_workbook(path)
    elif suffix in (".xlsx", ".xlsm", ".xls") and not _looks_like_text(path):
        raise RosterReadError(f"文件 {path.name} 不是有效的 Excel 工作簿（可能已损坏或只下载了一部分）")
    else:
        result = _read_csv(path)
    for sheet in result.sheets:
        detect_header(sheet, guess, min_fields)
        _refuse_duplicate_columns(path, sheet, guess)
    if not result.importable_sheets:
        raise RosterReadError(
            f"文件 {path.name} 中找不到表头行：前 {HEADER_SEARCH_ROWS} 行里没有一行同时含有{expected}"
        )
    return result


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _refuse_duplicate_columns(path: Path, sheet: SheetTable, guess: Guesser) -> None:
    """Two header cells naming the same field (姓名 twice, 身份证号 beside 身份证号码): which one is meant
    cannot be guessed, so the file is refused naming both columns (RosterReadError)."""
    if sheet.header_index is None:
        return
    cells = sheet.rows[sheet.header_index][1]
    first: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = guess([cell]).get(0)
        if not key:
            continue
        if key in first:
            a, b = first[key], index
            raise RosterReadError(
                f"文件 {path.name} 工作表“{sheet.name}”有两列表示同一项："
                f"第 {_column_letters(a)} 列“{cells[a]}”和第 {_column_letters(b)} 列“{cells[b]}”；"
                "请删除或改名其中一列后再导入"
            )
        first[key] = index


def _head(path: Path, size: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)


def _looks_like_text(path: Path) -> bool:
    sample = _head(path, 4096)
    return b"\x00" not in sample and (b"," in sample or b"\t" in sample)


# Limits no real roster reaches (a 20,000-student workbook is ~2 MB, its sheet XML ~20 MB, at most a few
# hundred columns); a file beyond them is refused before any parser sees it. python-calamine allocates the
# whole used range up front, so a single cell at XFD1048576 would ask for hundreds of GB and abort.
MAX_WORKBOOK_BYTES = 50 << 20
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED = 400 << 20
MAX_RATIO = 200  # uncompressed/compressed per member above 1 MB: ordinary sheet XML packs 5-30 times
MAX_SHARED_STRINGS = 2_000_000
# python-calamine builds each sheet's whole used range in memory: rows × columns is what costs, so it is
# capped per sheet and for the workbook (a 20,000-student roster with 30 columns is 600,000 cells).
MAX_AREA = 1_000_000
MAX_TOTAL_AREA = 2_000_000


_LIMITS = Limits(rows=MAX_ROWS, columns=MAX_COLUMNS, area=MAX_AREA, strings=MAX_SHARED_STRINGS)


def _chunks(zf: zipfile.ZipFile, member: str, size: int = 1 << 20) -> Iterator[bytes]:
    with zf.open(member) as fh:
        while chunk := fh.read(size):
            yield chunk


def check_workbook(path: Path) -> None:
    """Refuse a workbook that is not what a roster can be (RosterReadError "文件异常，拒绝读取"), from its
    zip directory and a streamed look at the cell references, in well under a second."""

    def refuse(why: str) -> None:
        raise RosterReadError(f"文件 {path.name} 异常，拒绝读取：{why}")

    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        refuse(f"文件 {size >> 20} MB，超过 {MAX_WORKBOOK_BYTES >> 20} MB")
    if _head(path, 4) != b"PK\x03\x04":
        _check_xls(path, refuse)
        return
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                refuse(f"含 {len(members)} 个部件")
            total = sum(m.file_size for m in members)
            if total > MAX_UNCOMPRESSED:
                refuse(f"解压后 {total >> 20} MB")
            for m in members:
                if m.file_size > (1 << 20) and m.file_size > MAX_RATIO * max(1, m.compress_size):
                    refuse(f"部件 {m.filename} 压缩比异常（{m.file_size // max(1, m.compress_size)} 倍）")
            if any(m.filename == "content.xml" for m in members):  # OpenDocument (.ods)
                scan_ods_content(_chunks(zf, "content.xml"), _LIMITS, MAX_TOTAL_AREA)
                return
            total_area = 0
            for m in members:
                if (
                    not m.filename.lower().endswith((".xml", ".rels"))
                    and "." in m.filename.rsplit("/", 1)[-1]
                ):
                    continue
                total_area += scan_xlsx_part(_chunks(zf, m.filename), m.filename.rsplit("/", 1)[-1], _LIMITS)
                if total_area > MAX_TOTAL_AREA:
                    refuse(f"各工作表合计超过 {MAX_TOTAL_AREA} 个单元格")
    except TooLarge as exc:
        refuse(str(exc))
    except xml.parsers.expat.ExpatError as exc:
        refuse(f"部件不是有效的 XML（{exc}）")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        refuse(f"不是完整的 Excel 工作簿（{exc}）")


def _check_xls(path: Path, refuse: Callable[[str], None]) -> None:
    """The binary .xls format holds up to 65,536 × 256 cells, and python-calamine makes the whole used range:
    one cell at IV65536 (5 KB) cost 1.3 GB. xlrd reads it sparsely (ragged rows), so its size is measured
    first, sheet by sheet."""
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, ragged_rows=True, logfile=io.StringIO())
    except Exception:  # damage of every kind: python-calamine then says it in its own words
        return
    try:
        total = 0
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            area = sheet.nrows * max(sheet.ncols, 1)
            total += area
            if sheet.ncols > MAX_COLUMNS or area > MAX_AREA or total > MAX_TOTAL_AREA:
                refuse(
                    f"工作表 {sheet.name} 用到第 {sheet.nrows} 行、第 {sheet.ncols} 列，"
                    f"超过花名册的上限（{MAX_COLUMNS} 列、共 {MAX_AREA} 个单元格）"
                )
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _read_workbook(path: Path) -> RosterFile:
    check_workbook(path)
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            sheets = []
            for name in workbook.sheet_names:
                data = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                rows = [(i + 1, list(r)) for i, r in enumerate(data)]
                sheets.append(SheetTable(name, rows))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise RosterReadError(
            f"文件 {path.name} 无法作为 Excel 工作簿读取（可能已损坏、加密或只下载了一部分）：{exc}"
        ) from None
    return RosterFile(path, sheets)


ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK and GB2312)."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise RosterReadError(f"文件 {name} 的文字编码无法识别（支持 UTF-8 与 GBK/GB18030）")


MAX_CSV_BYTES = 50 << 20


def _read_csv(path: Path) -> RosterFile:
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise RosterReadError(f"文件 {path.name} 异常，拒绝读取：超过 {MAX_CSV_BYTES >> 20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise RosterReadError(f"无法读取文件 {path.name}：{os_reason(exc)}") from None
    if b"\x00" in data[:4096]:
        raise RosterReadError(f"文件 {path.name} 不是文本表格（CSV），也不是 Excel 工作簿")
    text, encoding = decode_text(data, path.name)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # The csv module makes a list per row and a string per cell: 40 MB of newlines were 40 million rows
    # and 7 GB. Counted before parsing, with the limits a workbook has.
    lines = max(text.count("\n"), text.count("\r")) + 1  # old Mac files end lines with CR alone
    cells = lines + max(text.count(d) for d in ",\t;")
    if lines > MAX_ROWS + 1 or cells > MAX_TOTAL_AREA:
        raise RosterReadError(
            f"文件 {path.name} 异常，拒绝读取：{lines} 行、约 {cells} 个单元格，"
            f"超过花名册的上限（{MAX_ROWS} 行、共 {MAX_TOTAL_AREA} 个单元格）"
        )
    try:
        rows = [(i + 1, list(r)) for i, r in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter))]
    except csv.Error as exc:
        raise RosterReadError(f"文件 {path.name} 的 CSV 格式有误：{_csv_reason(exc)}") from None
    _refuse_wide(rows, f"文件 {path.name} 异常，拒绝读取")
    return RosterFile(path, [SheetTable(path.stem, rows)], encoding)


def _csv_reason(exc: csv.Error) -> str:
    """Python's csv errors in Chinese (a clerk never sees 'field larger than field limit')."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"有单元格超过 {csv.field_size_limit():,} 个字符"
    if "NUL" in text:
        return "含有空字符（NUL），可能不是文本文件"
    if "new-line character" in text or "unexpected end of data" in text:
        return "引号不成对（某个单元格的引号没有结束）"
    return "格式无法识别"


def _refuse_wide(rows: list[tuple[int, list[str]]], what: str) -> None:
    """A text table with a line wider than a workbook may be (MAX_COLUMNS) is refused before the header is
    looked for: a line of 1.9 million tabs took 30 s there and would be previewed as as many columns."""
    for row_no, cells in rows:
        if len(cells) > MAX_COLUMNS:
            raise RosterReadError(
                f"{what}：第 {row_no} 行有 {len(cells)} 列，超过花名册的上限（{MAX_COLUMNS} 列）"
            )


PASTE_NAME = "粘贴的表格"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _unquote(cell: str) -> str:
    """A cell our own copy wrote as '=… (csv_safe, so a spreadsheet shows it as text) reads back as =…."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _FORMULA_START else cell


def roster_from_text(text: str, name: str = PASTE_NAME) -> RosterFile:
    """Rows copied from Excel or WPS (tab-separated, a cell with a line break in quotes) read as a one-sheet
    roster, the header found as in a file: what a paste into the roster table imports, through the same
    preview and checks. RosterReadError (Chinese) when there is no header or too much."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.count("\n") + 1
    cells = lines + text.count("\t")
    if lines > MAX_ROWS + 1 or cells > MAX_TOTAL_AREA:
        raise RosterReadError(
            f"粘贴的内容太大：{lines} 行、约 {cells} 个单元格，超过花名册的上限（{MAX_ROWS} 行、共 {MAX_TOTAL_AREA} 个单元格）"
        )
    try:
        parsed = list(csv.reader(io.StringIO(text), delimiter="\t"))
    except csv.Error as exc:
        raise RosterReadError(f"粘贴的内容无法按表格读取：{_csv_reason(exc)}") from None
    _refuse_wide([(i + 1, r) for i, r in enumerate(parsed)], "粘贴的内容太大")
    rows = [(i + 1, [_unquote(c) for c in r]) for i, r in enumerate(parsed) if any(c.strip() for c in r)]
    sheet = SheetTable(name, rows)
    detect_header(sheet)
    _refuse_duplicate_columns(Path(name), sheet, guess_mapping)
    if sheet.header_index is None:
        raise RosterReadError(
            "粘贴的内容中找不到表头行：请在 Excel 或 WPS 中连同表头行（姓名、学号、性别、身份证号码……）一起复制"
        )
    return RosterFile(Path(name), [sheet])
