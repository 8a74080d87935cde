"""The 校对反馈表 and the 勘误表 as printable forms (PDF and print preview)."""

from __future__ import annotations

from pathlib import Path

from app.printing.table_form import NAME, TEXT, TableForm, write_pdf
from app.services.proofing.forms import (
    ERRATA_HEADERS,
    ERRATA_TITLE,
    FEEDBACK_HEADERS,
    ErrataLine,
    class_file_stems,
    cohort_title,
    feedback_classes,
)
from app.services.proofing.service import ProofRow


def feedback_forms(rows: list[ProofRow], station_name: str = "") -> list[TableForm]:
    forms = []
    for class_name, class_rows in feedback_classes(rows).items():
        forms.append(
            TableForm(
                title=cohort_title(class_rows),
                headers=FEEDBACK_HEADERS,
                rows=[(i, r.student_no, r.name, r.result, "") for i, r in enumerate(class_rows, start=1)],
                lines_above=[
                    f"班级：{class_name}" + (f"　　学习中心：{station_name}" if station_name else "")
                ],
                footer_lines=[
                    "班级名称：____级____班　　　　辅导员签名：____________　　　　学院领导：____________",
                    "学院（公章）",
                ],
                column_widths=(0, 0, 1, 5, 3),  # the room left goes to 校对结果 and 本人签名
                center_columns={0, 1},
                wrap={2: NAME, 3: TEXT},
                rows_per_page=25,  # the seed's form
                min_mm={4: 24.0},  # room for a signature
            )
        )
    return forms


def errata_form(lines: list[ErrataLine], station_name: str, school_name: str, school_code: str) -> TableForm:
    return TableForm(
        title=ERRATA_TITLE,
        headers=ERRATA_HEADERS,
        rows=[
            (i, x.shot_no, x.name, x.student_no, x.id_number, x.major, x.kinds, x.detail)
            for i, x in enumerate(lines, start=1)
        ],
        lines_above=[
            f"校外学习中心（函授站）名称：{station_name}　　所在院校名称：{school_name}　　院校代码：{school_code}"
        ],
        footer_lines=[
            "学习中心（公章）：　　　　　　　　经办人：____________　　　　联系电话：____________",
            "日期：______年____月____日",
        ],
        column_widths=(0, 0, 1, 0, 0, 2, 2, 5),  # the room left goes mostly to 问题描述
        landscape=True,
        center_columns={0, 1, 3, 4},
        wrap={2: NAME, 5: TEXT, 6: TEXT, 7: TEXT},
    )


def write_feedback_pdfs(rows: list[ProofRow], out_dir: Path | str, station_name: str = "") -> list[Path]:
    """One PDF per class, named like the workbooks."""
    out = []
    classes = feedback_classes(rows)
    stems = class_file_stems(classes)
    for form, class_name in zip(feedback_forms(rows, station_name), classes):
        out.append(write_pdf([form], Path(out_dir) / f"校对反馈表_{stems[class_name]}.pdf"))
    return out
