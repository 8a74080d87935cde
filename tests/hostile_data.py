"""Hostile files, made on the spot: image and workbook bombs (issue 13). Used by the tests and by
bench/hostile_input.py, so both run exactly the same bombs."""

from __future__ import annotations

import os
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from PIL import Image

Parts = dict[str, bytes]


def png_bomb(path: Path, side: int = 30000) -> Path:
    """A 1-bit PNG declaring side × side pixels, about 100 KB on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def progressive_jpeg_bomb(path: Path, side: int = 30000) -> Path:
    """A 16×16 progressive JPEG whose frame header says side × side (a few hundred bytes; decoded 2.6 GB)."""
    src = path.with_name(path.stem + "-src.jpg")
    Image.new("RGB", (16, 16), (120, 90, 60)).save(src, "JPEG", progressive=True)
    data = bytearray(src.read_bytes())
    src.unlink()
    sof = data.find(b"\xff\xc2")  # progressive frame header: length(2) precision(1) height(2) width(2)
    data[sof + 5 : sof + 9] = struct.pack(">HH", side, side)
    path.write_bytes(bytes(data))
    return path


def xfd_workbook(path: Path) -> Path:
    """4.7 KB: one cell at XFD1048576 (python-calamine tried to allocate 512 GB and aborted the process)."""
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "学号", "身份证号码", "性别"])
    ws["XFD1048576"] = "x"
    wb.save(path)
    return path


def patched_workbook(src: Path, out: Path, change: Callable[[Parts], None]) -> Path:
    """A copy of the workbook `src` whose zip parts `change(parts)` rewrites, as an attacker's editor would."""
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    change(parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return out


def sheet_with(cells: bytes) -> Callable[[Parts], None]:
    def change(parts: Parts) -> None:
        sheet = parts["xl/worksheets/sheet1.xml"]
        parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", cells + b"</sheetData>")

    return change


def moved_sheet(parts: Parts) -> None:
    """The sheet stored outside xl/worksheets, holding a cell at XFD1048576."""
    sheet = parts.pop("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    parts["xl/sheetX.xml"] = sheet
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"worksheets/sheet1.xml", b"sheetX.xml"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"/xl/worksheets/sheet1.xml", b"/xl/sheetX.xml"
    )


def string_count(parts: Parts) -> None:
    """A shared-string table that says it holds 4e9 strings."""
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )


# The workbook bombs a first check missed (found by an attack), by name.
WORKBOOK_BOMBS: dict[str, Callable[[Parts], None]] = {
    "squote.xlsx": sheet_with(
        b"<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>"
    ),
    "rowonly.xlsx": sheet_with(b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>'),
    "moved.xlsx": moved_sheet,
    "strings.xlsx": string_count,
    "area.xlsx": sheet_with(b'<row r="150000"><c r="GR150000" t="inlineStr"><is><t>x</t></is></c></row>'),
    # Found by the re-attack: valid XML a byte pattern misread (spaces around =, a > inside another value).
    "spaced.xlsx": sheet_with(
        b'<row r = "1048576"><c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    ),
    "gt.xlsx": sheet_with(
        b'<row foo=">" r="1048576"><c foo=">" r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    ),
    "area_spaced.xlsx": sheet_with(
        b'<row r = "150000"><c r = "GR150000" t="inlineStr"><is><t>x</t></is></c></row>'
    ),
    "entities.xlsx": lambda parts: _with_entities(parts),
}


def _with_entities(parts: Parts) -> None:
    """A DTD declaring entities that expand (the "billion laughs"): no workbook has one."""
    sheet = parts["xl/worksheets/sheet1.xml"]
    if sheet.startswith(b"<?xml"):
        sheet = sheet.split(b"?>", 1)[1]
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + sheet
    )


def whitespace_workbook(normal: Path, out: Path, megabytes: int = 512) -> Path:
    """`normal` with `megabytes` MB of whitespace inside its sheet, about 0.7 MB packed."""
    with zipfile.ZipFile(normal) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with dst.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(head + b"<sheetData>")
                block = b" " * (1 << 20)
                for _ in range(megabytes):
                    fh.write(block)
                fh.write(tail)
    return out


_ODS_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    b'<office:body><office:spreadsheet><table:table table:name="S">'
)
_ODS_TAIL = b"</table:table></office:spreadsheet></office:body></office:document-content>"
_ODS_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b"</manifest:manifest>"
)


def _write_ods(path: Path, body: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        zf.writestr("content.xml", _ODS_HEAD + body + _ODS_TAIL)
    return path


def ods_cell(text: str) -> bytes:
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'.encode()


def ods_workbook(path: Path, rows: list[list[str]], trailing_empty: bool = True) -> Path:
    """An OpenDocument sheet as LibreOffice writes it: the rows, then the rest of the sheet as one empty row
    repeated a million times (which must not count as content)."""
    body = b"".join(
        b"<table:table-row>" + b"".join(ods_cell(c) for c in r) + b"</table:table-row>" for r in rows
    )
    if trailing_empty:
        body += (
            b'<table:table-row table:number-rows-repeated="1048000">'
            b'<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        )
    return _write_ods(path, body)


def ods_bomb(path: Path) -> Path:
    """852 bytes: one cell with a value, repeated 1,000 times in a row repeated 20,000 times (2.8 GB)."""
    row = (
        b'<table:table-row table:number-rows-repeated="20000">'
        b'<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
        b"<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    return _write_ods(path, row)


def xls_bomb(path: Path) -> Path:
    """5.6 KB of BIFF: a header and one cell at IV65536 (python-calamine made 65,536 × 256 cells: 1.3 GB)."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("名单")
    for i, h in enumerate(["姓名", "学号", "身份证号码", "性别"]):
        ws.write(0, i, h)
    ws.write(65535, 255, "x")
    wb.save(str(path))
    return path


def csv_newline_bomb(path: Path, megabytes: int = 40) -> Path:
    """A header, then `megabytes` MB of empty lines (took 101 s and 7.3 GB)."""
    path.write_bytes("姓名,学号,身份证号码,性别\n".encode() + b"\n" * (megabytes << 20))
    return path


def csv_comma_bomb(path: Path, megabytes: int = 40) -> Path:
    """One line of `megabytes` MB of commas (26 s and 1 GB)."""
    path.write_bytes(b"a" + b"," * (megabytes << 20))
    return path


# OpenDocument bombs: repeats in every spelling the format allows, and empty rows in the middle (calamine
# builds every row up to the last one holding a value).
_ODS_VALUE_CELL = b'<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
ODS_BOMBS: dict[str, bytes] = {
    "repeated.ods": (
        b'<table:table-row table:number-rows-repeated="20000">'
        b'<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
        b"<text:p>x</text:p></table:table-cell></table:table-row>"
    ),
    "spaced.ods": (
        b'<table:table-row table:number-rows-repeated = "20000">'
        b'<table:table-cell table:number-columns-repeated = "1000" office:value-type="string">'
        b"<text:p>x</text:p></table:table-cell></table:table-row>"
    ),
    "gt.ods": (
        b'<table:table-row table:style-name=">" table:number-rows-repeated="20000">'
        b'<table:table-cell table:style-name=">" table:number-columns-repeated="1000" office:value-type="string">'
        b"<text:p>x</text:p></table:table-cell></table:table-row>"
    ),
    "middle.ods": (
        b"<table:table-row>" + _ODS_VALUE_CELL * 50 + b"</table:table-row>"
        b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
        b"<table:table-row>" + _ODS_VALUE_CELL + b"</table:table-row>"
    ),
    "text_only.ods": (  # a value without office:value-type, only text inside
        b'<table:table-row table:number-rows-repeated="20000">'
        b'<table:table-cell table:number-columns-repeated="1000"><text:p>x</text:p></table:table-cell>'
        b"</table:table-row>"
    ),
}


def ods_bomb_named(path: Path, name: str) -> Path:
    return _write_ods(path, ODS_BOMBS[name])


def csv_cr_bomb(path: Path, megabytes: int = 40) -> Path:
    """A header, then `megabytes` MB of carriage returns (old Mac line ends): +305 MB before they counted."""
    path.write_bytes("姓名,学号,身份证号码,性别\r".encode() + b"\r" * (megabytes << 20))
    return path


def finishes_despite_fifo(fifo: Path, work: Callable[[], object]) -> object:
    """Run `work` in a thread; if it still blocks on the named pipe `fifo` after 10 s, open the pipe's other
    end so the thread (and the test run) can end, and fail the test: reading the pipe blocked."""
    # deferred: pytest is imported only by the tests that use this helper
    import pytest

    out: dict = {}
    thread = threading.Thread(target=lambda: out.setdefault("value", work()), daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(10)
        pytest.fail("reading the named pipe blocked")
    return out.get("value")
