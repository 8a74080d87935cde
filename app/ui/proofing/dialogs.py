"""Dialogs of the proofing tab: the errors of an 有误 entry, a batch deadline, and importing results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.proofing.service import ProofImportReport, ProofingService
from app.services.proofing.states import ERROR_KINDS, PROOFED_FIELDS, ProofError, clean_errors
from app.services.roster.reader import RosterFile
from app.services.standards.idcard import mask_id, normalise_id_text
from app.ui.dialog_parts import fit_to_screen
from app.ui.i18n import proof_import_summary, tr_data
from app.ui.list_model import ListTableModel

PROOF_FIELD_LABELS = {
    "student_no": QT_TRANSLATE_NOOP("Data", "学号"),
    "id_number": QT_TRANSLATE_NOOP("Data", "身份证号码"),
    "name": QT_TRANSLATE_NOOP("Data", "姓名"),
    "state": QT_TRANSLATE_NOOP("Data", "校对结果"),
    "problem": QT_TRANSLATE_NOOP("Data", "问题说明"),
}


class ErrorDialog(QDialog):
    """Which errors a student reported: the kinds, the wrong field and its correct value, or free text."""

    def __init__(self, parent: QWidget | None, count: int) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("有误：%1 名学生").replace("%1", str(count)))
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.checks: dict[str, QCheckBox] = {}
        for row, kind in enumerate(ERROR_KINDS):
            check = QCheckBox(tr_data(kind.label))
            check.setObjectName(f"error_{kind.key}")
            self.checks[kind.key] = check
            grid.addWidget(check, row, 0)
        self.field_combo = QComboBox()
        for proofed in PROOFED_FIELDS:  # shown translated, stored as the registry's Chinese name
            self.field_combo.addItem(tr_data(proofed), proofed)
        self.correct_edit = QLineEdit()
        self.correct_edit.setPlaceholderText(self.tr("正确内容，如：回族"))
        record_row = [k.key for k in ERROR_KINDS].index("record")
        grid.addWidget(self.field_combo, record_row, 1)
        grid.addWidget(self.correct_edit, record_row, 2)
        self.other_edit = QLineEdit()
        self.other_edit.setPlaceholderText(self.tr("写明问题"))
        grid.addWidget(self.other_edit, [k.key for k in ERROR_KINDS].index("other"), 1, 1, 2)
        layout.addLayout(grid)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.errors: list[dict] = []

    def collect(self) -> list[dict]:
        errors = []
        for key, check in self.checks.items():
            if not check.isChecked():
                continue
            error = {"kind": key}
            if key == "record":
                error.update(field=self.field_combo.currentData(), correct=self.correct_edit.text().strip())
            if key == "other":
                error["text"] = self.other_edit.text().strip()
            errors.append(error)
        return errors

    def _accept(self) -> None:
        try:
            self.errors = clean_errors("wrong", self.collect()) or []
        except ProofError as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()


class DeadlineDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, cohorts: list[int], submit: Callable[[int | None, dt.date], None]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("图像校对截止日期"))
        self._submit = submit
        form = QFormLayout(self)
        self.cohort_combo = QComboBox()
        self.cohort_combo.addItem(self.tr("本站全部学生"), None)
        for year in cohorts:
            self.cohort_combo.addItem(self.tr("%1届").replace("%1", str(year)), year)
        self.date_edit = QDateEdit(QDate.currentDate().addDays(14))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(self.tr("适用于"), self.cohort_combo)
        form.addRow(self.tr("截止日期"), self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        self._submit(self.cohort_combo.currentData(), self.date_edit.date().toPython())
        self.accept()


def _cell_text(key: str, value: object) -> str:
    """A preview cell; 身份证号 masked (410105********123X) as in every other table."""
    if value is None:
        return ""
    return mask_id(normalise_id_text(value)) if key == "id_number" else str(value)


class ProofImportDialog(QDialog):
    """Map the columns of a results sheet, preview it, import, and list the rows that matched nobody."""

    imported = Signal(object)  # ProofImportReport

    def __init__(
        self, parent: QWidget | None, proofing: ProofingService, table: RosterFile, station_id: int | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入校对结果 — %1").replace("%1", table.path.name))
        self.proofing, self.table, self.station_id = proofing, table, station_id
        self.report: ProofImportReport | None = None
        self.sheet = table.importable_sheets[0]
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("按学号或身份证号匹配学生。请核对每列对应的内容：")))
        grid = QGridLayout()
        self.combos: list[QComboBox] = []
        for col, header in enumerate(self.sheet.headers):
            combo = QComboBox()
            combo.addItem(self.tr("（不导入）"), None)
            for key, label in PROOF_FIELD_LABELS.items():
                combo.addItem(tr_data(label), key)
            combo.setCurrentIndex(max(combo.findData(self.sheet.mapping.get(col)), 0))
            combo.currentIndexChanged.connect(self._mapping_changed)
            grid.addWidget(QLabel(header), 0, col)
            grid.addWidget(combo, 1, col)
            self.combos.append(combo)
        layout.addLayout(grid)
        self.preview = ListTableModel([])
        view = QTableView()
        view.setModel(self.preview)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(view, 1)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("取消"))
        self.close_button.clicked.connect(self.reject)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("proof_import_button")
        self.import_button.clicked.connect(self.run_import)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        self._mapping_changed()
        fit_to_screen(self, QSize(900, 560))

    def _mapping_changed(self) -> None:
        self.sheet.mapping = {
            c: combo.currentData() for c, combo in enumerate(self.combos) if combo.currentData()
        }
        cols = sorted(self.sheet.mapping)
        headers = [self.tr("行号")] + [tr_data(PROOF_FIELD_LABELS[self.sheet.mapping[c]]) for c in cols]
        rows = [
            [n] + [_cell_text(self.sheet.mapping[c], cells[c] if c < len(cells) else None) for c in cols]
            for n, cells in self.sheet.data_rows()[:30]
        ]
        self.preview.set_rows(rows, headers)
        keys = set(self.sheet.mapping.values())
        ok = "state" in keys and bool(keys & {"student_no", "id_number"})
        self.import_button.setEnabled(ok)
        self.summary_label.setText("" if ok else self.tr("需要“校对结果”列，以及“学号”或“身份证号码”列"))

    def run_import(self) -> None:
        report = self.proofing.import_results(self.table, self.station_id)
        self.report = report
        rows = [(sheet, row, why) for sheet, row, why in report.unmatched]
        self.preview.set_rows(rows, [self.tr("工作表"), self.tr("行号"), self.tr("未匹配原因")])
        self.summary_label.setText(self.tr("导入完成：%1").replace("%1", proof_import_summary(report)))
        self.import_button.setEnabled(False)
        self.close_button.setText(self.tr("完成"))
        self.imported.emit(report)
