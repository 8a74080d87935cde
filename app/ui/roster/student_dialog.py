"""Add or edit one student: every roster field, checked by the same rules as an import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.roster.fields import FIELDS
from app.ui.dialog_parts import ScrollBody, fit_to_screen, problem_label, save_cancel_buttons
from app.ui.i18n import tr_data

# The 采集汇总表 columns on the left, the proofed fields on the right.
_LEFT = (
    "name",
    "student_no",
    "sex",
    "id_number",
    "major",
    "edu_category",
    "school_type",
    "dept_code",
    "school_name",
    "school_code",
    # the names an enrolment photo is found by (identity pre-check): a wrong one is fixed here, not by a re-import
    "exam_no",
    "enrolment_file",
)
_RIGHT = (
    "ethnicity",
    "birth_date",
    "branch",
    "department",
    "class_name",
    "level",
    "duration",
    "study_mode",
    "enrol_date",
    "expected_grad_date",
    "status",
)
_LABELS = {f.key: f.label for f in FIELDS}
# Values as the registry stores them (Chinese); the combo shows them translated.
_CHOICES = {
    "sex": ("", QT_TRANSLATE_NOOP("Data", "男"), QT_TRANSLATE_NOOP("Data", "女")),
    "edu_category": ("", QT_TRANSLATE_NOOP("Data", "成人本科"), QT_TRANSLATE_NOOP("Data", "成人专科")),
    "school_type": ("", QT_TRANSLATE_NOOP("Data", "普通高校"), QT_TRANSLATE_NOOP("Data", "网络教育")),
    "level": ("", QT_TRANSLATE_NOOP("Data", "本科"), QT_TRANSLATE_NOOP("Data", "专科")),
}


class StudentDialog(QDialog):
    """`submit(values)` does the work and raises with a Chinese message to keep the dialog open."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        values: dict[str, Any],
        dept_codes: list[dict[str, str]],
        submit: Callable[[dict[str, Any]], None],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self._build_group(self.tr("采集汇总表信息"), _LEFT, values, dept_codes), 0, 0)
        grid.addWidget(
            self._build_group(self.tr("学籍信息（学生校对的字段）"), _RIGHT, values, dept_codes), 0, 1
        )
        grid.setRowStretch(1, 1)
        layout = QVBoxLayout(self)
        # Eleven or twelve rows a column: where the screen is too short for them the fields scroll, 保存 stays in view.
        layout.addWidget(ScrollBody(body), 1)
        self.error_label = problem_label()
        layout.addWidget(self.error_label)
        layout.addWidget(save_cancel_buttons(self, self._on_accept))
        fit_to_screen(self)

    def _build_group(
        self, title: str, keys: tuple[str, ...], values: dict[str, Any], dept_codes: list[dict[str, str]]
    ) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key in keys:
            value = values.get(key)
            text = value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))
            if key in _CHOICES or key == "dept_code":
                editor = QComboBox()
                editor.setEditable(key != "sex")
                if key == "dept_code":
                    editor.addItem("", "")
                    for d in dept_codes:
                        editor.addItem(f"{d['code']} {d.get('label', '')}".strip(), d["code"])
                else:
                    for choice in _CHOICES[key]:
                        editor.addItem(tr_data(choice), choice)
                found = editor.findData(text)
                if found >= 0:
                    editor.setCurrentIndex(found)
                elif editor.isEditable():
                    editor.setEditText(text)
            else:
                editor = QLineEdit(text)
                if key.endswith("_date"):
                    editor.setPlaceholderText("YYYY-MM-DD")
            editor.setObjectName(f"field_{key}")
            self.editors[key] = editor
            label = tr_data(_LABELS[key]) + (
                " *" if key in ("name", "student_no", "sex", "id_number") else ""
            )
            form.addRow(label, editor)
        return box

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                data = editor.currentData()
                text = editor.currentText()
                result[key] = (
                    data if data is not None and editor.itemText(editor.currentIndex()) == text else text
                )
            else:
                result[key] = editor.text()
        return result

    def _on_accept(self) -> None:
        try:
            self._submit(self.values())
        except ValueError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.accept()
