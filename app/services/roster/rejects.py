"""The rows an import rejected, saved as a workbook the clerk fixes and imports again.

Each sheet of the roster that had rejected rows becomes a sheet of its own: the file's header row as it was,
then every rejected row with its cells as read, and a last column 拒绝原因. The header keeps the roster's
own column names, so the fixed file maps the same way; 拒绝原因 is a column an import ignores. Every cell is
text, so a 学号 or 身份证号 comes back exactly as it went out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.services.common.table_export import save_table
from app.services.roster.reader import RosterFile

REASON_HEADER = "拒绝原因"


def rejected_tables(roster: RosterFile, problems) -> list[tuple[str, list[str], list[list[object]]]]:
    """(sheet name, headers + 拒绝原因, rejected rows with their reason) for each sheet with rejected rows,
    in the file's order; `problems` are the report's RowProblems (sheet, row, reason)."""
    reasons: dict[tuple[str, int], str] = {(p.sheet, p.row): p.reason for p in problems}
    tables = []
    for sheet in roster.importable_sheets:
        headers = sheet.headers
        width = max(len(headers), max((len(c) for _, c in sheet.data_rows()), default=0))
        headers = headers + [""] * (width - len(headers))
        # A file that is itself a saved rejects workbook brings its old 拒绝原因: dropped, the new one is last.
        keep = [i for i, h in enumerate(headers) if h.strip() != REASON_HEADER]
        rows = [
            [padded[i] for i in keep] + [reasons[(sheet.name, row_no)]]
            for row_no, cells in sheet.data_rows()
            if (sheet.name, row_no) in reasons
            for padded in [list(cells) + [None] * (width - len(cells))]
        ]
        if rows:
            tables.append((sheet.name, [headers[i] for i in keep] + [REASON_HEADER], rows))
    return tables


def save_rejected(roster: RosterFile, problems, path: Path | str, stamp: dt.datetime | None = None) -> int:
    """Write the rejected rows (see rejected_tables) atomically; returns how many rows were written."""
    tables = rejected_tables(roster, problems)
    if not tables:
        return 0
    (title, headers, rows), *more = tables
    save_table(path, headers, rows, title, stamp, extra_sheets=more)
    return sum(len(t[2]) for t in tables)
