"""Roster files as stations really send them, written by the tests themselves."""

from __future__ import annotations

import csv
from pathlib import Path

from app.services.roster.demo import make_students, write_roster_xlsx

HEADERS = [
    "姓名",
    "学号",
    "性别",
    "身份证号码",
    "专业名称",
    "学历类别",
    "所在校别",
    "(院)系代码",
    "所在院校名称",
    "院校代码",
]


def students(count: int = 5, seed: int = 1) -> list[dict[str, object]]:
    return make_students(count, seed=seed)


def write_csv(
    path: Path, rows: list[dict[str, object]], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    headers = list(rows[0].keys())
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def write_xls(path: Path, rows: list[dict[str, object]], title: str | None = None) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("学生名单")
    headers = list(rows[0].keys())
    offset = 0
    if title:
        sheet.write_merge(0, 0, 0, len(headers) - 1, title)
        offset = 1
    for c, h in enumerate(headers):
        sheet.write(offset, c, h)
    for r, row in enumerate(rows, start=offset + 1):
        for c, h in enumerate(headers):
            sheet.write(r, c, row.get(h, ""))
    book.save(str(path))
    return path


def write_xlsx(path: Path, rows: list[dict[str, object]], title: bool = True) -> Path:
    return write_roster_xlsx(path, rows, title=title)
