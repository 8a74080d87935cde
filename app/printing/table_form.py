"""A printable table form (title, lines, a bordered table, footer lines) as PDF or on a printer.

Forms are built as simple HTML for QTextDocument: Qt lays out CJK text with the system's fonts and
repeats the table header on every page, and the same document feeds the PDF writer and the print
preview, so what a clerk previews is what is printed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.printing.atomic_pdf import atomic_pdf


@dataclass
class TableForm:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    lines_above: Sequence[str] = ()
    footer_lines: Sequence[str] = ()
    column_widths: Sequence[int] = ()  # percent of the page width
    landscape: bool = False
    row_height_mm: float = 8.0
    center_columns: set[int] = field(default_factory=set)


def form_html(form: TableForm) -> str:
    esc = html.escape
    widths = list(form.column_widths) or [int(100 / max(1, len(form.headers)))] * len(form.headers)
    parts = [
        '<html><body style=\'font-family: "Noto Serif CJK SC", "SimSun", "WenQuanYi Micro Hei", serif;\'>',
        f"<p align='center' style='font-size: 16pt; font-weight: bold;'>{esc(form.title)}</p>",
    ]
    for line in form.lines_above:
        parts.append(f"<p style='font-size: 10.5pt;'>{esc(line)}</p>")
    parts.append(
        "<table width='100%' border='1' cellspacing='0' cellpadding='4' "
        "style='border-collapse: collapse; border-color: #000; font-size: 10.5pt;'>"
    )
    parts.append("<thead><tr>")
    for header, width in zip(form.headers, widths):
        parts.append(f"<th width='{width}%' align='center' valign='middle'>{esc(header)}</th>")
    parts.append("</tr></thead><tbody>")
    height_px = int(form.row_height_mm * 3.78)
    for row in form.rows:
        parts.append(f"<tr height='{height_px}'>")
        for col, value in enumerate(row):
            text = "" if value is None else esc(str(value))
            align = "center" if col in form.center_columns else "left"
            parts.append(f"<td align='{align}' valign='middle' height='{height_px}'>{text or '&nbsp;'}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    # Footer lines are laid out as borderless tables: HTML would collapse the spacing between the fields.
    for line in form.footer_lines:
        cells = [c for c in re.split(r"\u3000{2,}", line) if c]
        parts.append(
            "<table width='100%' border='0' cellpadding='6' style='font-size: 10.5pt; margin-top: 10px;'><tr>"
        )
        parts.extend(f"<td>{esc(c)}</td>" for c in cells)
        parts.append("</tr></table>")
    parts.append("</body></html>")
    return "".join(parts)


def page_layout(landscape: bool) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orientation,
        QMarginsF(15, 15, 15, 15),
        QPageLayout.Unit.Millimeter,
    )


def build_document(forms: Sequence[TableForm]) -> QTextDocument:
    """All forms in one document, each starting on a new page."""
    doc = QTextDocument()
    doc.setDefaultFont(QFont("Noto Serif CJK SC", 10))
    pages = []
    for i, form in enumerate(forms):
        body = form_html(form).removeprefix("<html>").removesuffix("</html>")
        style = " style='page-break-before: always;'" if i else ""
        pages.append(f"<div{style}>{body}</div>")
    doc.setHtml("<html>" + "".join(pages) + "</html>")
    return doc


def write_pdf(forms: Sequence[TableForm], path: Path | str) -> Path:
    """Render to PDF through a temp file and rename, so a failure leaves no half file."""
    with atomic_pdf(path) as tmp:
        writer = QPdfWriter(tmp)
        writer.setPageLayout(page_layout(any(f.landscape for f in forms)))
        writer.setResolution(300)
        writer.setCreator("GradPhoto")
        writer.setTitle(forms[0].title if forms else "")
        # No page size on the document: print_() then lays it out on the writer's page in points,
        # so font sizes in pt come out at their real size whatever the writer's resolution.
        build_document(forms).print_(writer)
        del writer  # closes the file
    return Path(path)
