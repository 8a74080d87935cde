"""The forms clerks hand in: the per-class 校对反馈表 and the 勘误表 to the capture agency (.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from app.models import Station, Student
from app.services.common import audit
from app.services.common.classes import class_file_stems, group_by_class, safe_file_stem
from app.services.common.files import atomic_write_bytes
from app.services.common.xlsx_out import BORDER, CENTRE, defuse_formulas, fit_columns, page_footer
from app.services.proofing.service import ProofRow
from app.services.proofing.states import ERROR_BY_KEY, describe_error

FEEDBACK_TITLE = "高等教育学历电子注册图像信息校对反馈表"
FEEDBACK_HEADERS = (
    "序号",
    "学号",
    "姓名",
    "校对结果（无异常填“无误”，异常情况请如实填写异常内容）",
    "本人签名",
)
FEEDBACK_FOOTER = ("班级名称：____级____班", "", "辅导员签名：", "学院领导：", "学院（公章）")
ERRATA_TITLE = "高等教育毕业生学历电子注册图像数据检查勘误表"
ERRATA_HEADERS = (
    "序号",
    "拍摄序号",
    "姓名",
    "学号",
    "身份证号码",
    "专业名称",
    "错误类型",
    "错误内容及正确信息",
)

_BOX, _CENTER = BORDER, CENTRE  # the delivery workbooks' cell styles, so every form looks alike
_WRAP = Alignment(vertical="center", wrap_text=True)


def student_no_key(student_no: str) -> tuple:
    """Ascending 学号: numeric order when all digits (so 99 < 100), text order otherwise."""
    return (0, int(student_no), "") if student_no.isdigit() else (1, 0, student_no)


def cohort_title(rows: list[ProofRow]) -> str:
    """高等教育学历电子注册图像信息校对反馈表（2018、2019届）, naming the 届 of the students on the form."""
    years = sorted({r.cohort for r in rows if r.cohort})
    return f"{FEEDBACK_TITLE}（{'、'.join(str(y) for y in years)}届）" if years else FEEDBACK_TITLE


def feedback_classes(rows: list[ProofRow]) -> dict[str, list[ProofRow]]:
    """One 校对反馈表 per class, in class order; each sorted by 学号 as the notice asks."""
    return {
        name: sorted(members, key=lambda r: student_no_key(r.student_no))
        for name, members in group_by_class(rows).items()
    }


def safe_sheet_title(name: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "班级"
    title = title[:31]
    base, n = title, 2
    while title in taken:
        suffix = f"({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title)
    return title


@dataclass(frozen=True)
class FeedbackLayout:
    """Where things are on a written sheet, for readers and tests."""

    title_row: int = 1
    class_row: int = 2
    header_row: int = 3
    first_data_row: int = 4


LAYOUT = FeedbackLayout()


def _fill_feedback_sheet(ws: Worksheet, class_name: str, rows: list[ProofRow], station_name: str) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=5)
    ws.cell(1, 1, cohort_title(rows)).font = Font(name="宋体", size=16, bold=True)
    ws.cell(1, 1).alignment = _CENTER
    ws.row_dimensions[1].height = 36
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    ws.cell(2, 1, f"班级：{class_name}" + (f"　　学习中心：{station_name}" if station_name else ""))
    for col, header in enumerate(FEEDBACK_HEADERS, start=1):
        cell = ws.cell(LAYOUT.header_row, col, header)
        cell.font, cell.alignment, cell.border = Font(name="宋体", bold=True), _CENTER, _BOX
    ws.row_dimensions[LAYOUT.header_row].height = 42
    for i, row in enumerate(rows, start=1):
        r = LAYOUT.first_data_row + i - 1
        values = (i, row.student_no, row.name, row.result, "")
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            cell.border = _BOX
            cell.alignment = _CENTER if col in (1, 2, 3) else _WRAP
            if col == 2:
                cell.number_format = "@"  # 学号 stays text: no 2.02E+09, no lost leading zero
        ws.row_dimensions[r].height = 24
    footer = LAYOUT.first_data_row + len(rows) + 1
    for col, text in enumerate(FEEDBACK_FOOTER, start=1):
        if text:
            ws.cell(footer, col, text).alignment = Alignment(vertical="center")
    ws.row_dimensions[footer].height = 30
    fit_columns(
        ws, [7, 16, 12, 46, 14], LAYOUT.header_row, LAYOUT.first_data_row + len(rows) - 1, caps={3: 30}
    )
    page_footer(ws)
    ws.freeze_panes = ws.cell(LAYOUT.first_data_row, 1)
    ws.print_title_rows = f"{LAYOUT.header_row}:{LAYOUT.header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def feedback_workbook(groups: dict[str, list[ProofRow]], station_name: str = "") -> bytes:
    """One workbook, a sheet per class."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for class_name, rows in groups.items():
        _fill_feedback_sheet(
            wb.create_sheet(safe_sheet_title(class_name, taken)), class_name, rows, station_name
        )
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    return buffer.getvalue()


class FormsCancelled(Exception):
    """Cancel pressed while forms were being written: the files already written are listed (they are whole)."""

    def __init__(self, written: list[Path]) -> None:
        super().__init__(f"已取消；已写入 {len(written)} 个文件")
        self.written = written


def feedback_file_stems(groups: dict[str, list[ProofRow]]) -> dict[str, str]:
    """Class → 校对反馈表_<class>: the workbook and the PDF of a class share it (.xlsx, .pdf)."""
    return {name: f"校对反馈表_{stem}" for name, stem in class_file_stems(groups).items()}


def write_feedback_class(
    class_name: str, rows: list[ProofRow], path: Path | str, station_name: str = ""
) -> Path:
    path = Path(path)
    atomic_write_bytes(path, feedback_workbook({class_name: rows}, station_name))
    return path


def write_feedback(
    rows: list[ProofRow], out_dir: Path | str, per_class: bool = True, station_name: str = ""
) -> list[Path]:
    """校对反馈表 as one .xlsx per class (default) or one workbook with a sheet per class."""
    out_dir = Path(out_dir)
    groups = feedback_classes(rows)
    if per_class:
        stems = feedback_file_stems(groups)
        return [
            write_feedback_class(name, class_rows, out_dir / f"{stems[name]}.xlsx", station_name)
            for name, class_rows in groups.items()
        ]
    path = out_dir / "校对反馈表.xlsx"
    atomic_write_bytes(path, feedback_workbook(groups, station_name))
    return [path]


@dataclass(frozen=True)
class ErrataLine:
    shot_no: int
    name: str
    student_no: str
    id_number: str
    major: str
    kinds: str
    detail: str


def errata_lines(rows: list[ProofRow], students: dict[int, dict]) -> list[ErrataLine]:
    """Photo-side errors only (照片非本人, 院校错误, 图像模糊): those go to the capture agency."""
    lines = []
    for row in sorted(rows, key=lambda r: (r.shot_no, r.student_no)):
        photo_errors = [e for e in row.proof_errors or [] if ERROR_BY_KEY[e["kind"]].photo_side]
        if row.proof_state != "wrong" or not photo_errors:
            continue
        info = students[row.id]
        kinds = "、".join(dict.fromkeys(ERROR_BY_KEY[e["kind"]].label for e in photo_errors))
        detail = "；".join(describe_error(e) for e in photo_errors)
        if any(e["kind"] == "wrong_school" for e in photo_errors):
            detail += f"；正确院校：{info['school_name']}（{info['school_code']}）"
        lines.append(
            ErrataLine(row.shot_no, row.name, row.student_no, info["id_number"], info["major"], kinds, detail)
        )
    return lines


def errata_workbook(lines: list[ErrataLine], station_name: str, school_name: str, school_code: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "勘误表"
    width = len(ERRATA_HEADERS)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1, ERRATA_TITLE).font = Font(name="宋体", size=16, bold=True)
    ws.cell(1, 1).alignment = _CENTER
    ws.row_dimensions[1].height = 36
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(
        2,
        1,
        f"校外学习中心（函授站）名称：{station_name}　　所在院校名称：{school_name}　　院校代码：{school_code}",
    )
    for col, header in enumerate(ERRATA_HEADERS, start=1):
        cell = ws.cell(3, col, header)
        cell.font, cell.alignment, cell.border = Font(name="宋体", bold=True), _CENTER, _BOX
    for i, line in enumerate(lines, start=1):
        values = (
            i,
            line.shot_no,
            line.name,
            line.student_no,
            line.id_number,
            line.major,
            line.kinds,
            line.detail,
        )
        for col, value in enumerate(values, start=1):
            cell = ws.cell(3 + i, col, value)
            cell.border = _BOX
            cell.alignment = _WRAP if col == width else _CENTER
            if col in (4, 5):
                cell.number_format = "@"
    footer = 3 + len(lines) + 2
    ws.cell(footer, 1, "学习中心（公章）：")
    ws.cell(footer, 5, "经办人：")
    ws.cell(footer, 7, "联系电话：")
    ws.cell(footer + 1, 5, "日期：　　　　年　　月　　日")
    fit_columns(ws, [6, 9, 10, 14, 21, 18, 14, 40], 3, 3 + len(lines), caps={3: 30, 8: 60})
    page_footer(ws)
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    return buffer.getvalue()


class ProofFormExporter:
    """Writes the feedback forms and the 勘误表 for a station from the store."""

    def __init__(self, proofing, operator: str = "") -> None:
        self.proofing = proofing
        self.operator = operator or proofing.operator

    def _station(self, station_id: int):
        with self.proofing.sessions() as s:
            station = s.get(Station, station_id)
            if station is None:
                raise ValueError("找不到该学习中心")
            return station

    def feedback(self, station_id: int, out_dir: Path | str, per_class: bool = True) -> list[Path]:
        station = self._station(station_id)
        return write_feedback(self.proofing.rows(station_id), out_dir, per_class, station.name)

    def errata_lines(self, station_id: int) -> list[ErrataLine]:
        rows = self.proofing.rows(station_id, include_withdrawn=True)
        with self.proofing.sessions() as s:
            info = {
                sid: {"id_number": idn, "major": major, "school_name": sn, "school_code": sc}
                for sid, idn, major, sn, sc in s.execute(
                    select(
                        Student.id, Student.id_number, Student.major, Student.school_name, Student.school_code
                    ).where(Student.station_id == station_id)
                )
            }
        return errata_lines(rows, info)

    def errata(self, station_id: int, out_dir: Path | str) -> Path:
        """The 勘误表 (.xlsx); it carries full 身份证号, so writing it is audited."""

        station = self._station(station_id)
        lines = self.errata_lines(station_id)
        path = Path(out_dir) / f"勘误表_{safe_file_stem(station.name)}.xlsx"
        atomic_write_bytes(
            path, errata_workbook(lines, station.name, station.school_name, station.school_code)
        )
        with self.proofing.sessions.begin() as s:
            audit.record(
                s,
                self.operator,
                "export-full-id",
                "station",
                station_id,
                f"导出勘误表（{len(lines)} 人，含完整身份证号）到 {path.name}",
            )
        return path


def write_action_list(rows: list[ProofRow], path: Path | str) -> Path:
    """Students who need action, with the action and the deadline (overdue first)."""

    wb = Workbook()
    ws = wb.active
    ws.title = "待处理"
    headers = ("序号", "班级", "学号", "姓名", "校对状态", "问题", "下一步", "截止日期", "是否逾期")
    ws.append(["高等教育学历电子注册图像校对待处理学生清单"])
    ws.cell(1, 1).font = Font(size=14, bold=True)
    ws.append(list(headers))
    today = dt.date.today()
    for i, row in enumerate(rows, start=1):
        ws.append(
            [
                i,
                row.class_name,
                row.student_no,
                row.name,
                row.state_label,
                row.result,
                row.action,
                row.deadline.isoformat() if row.deadline else "",
                "逾期" if row.overdue(today) else "",
            ]
        )
        ws.cell(ws.max_row, 3).number_format = "@"
    for col, width in zip("ABCDEFGHI", (6, 24, 14, 10, 18, 30, 60, 12, 8)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    defuse_formulas(wb)
    wb.save(buffer)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path
