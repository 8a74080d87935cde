"""Dialogs of the proofing tab: the errors of an 有误 entry, a batch deadline, and importing results.

Importing is two steps: every row's reading (student matched, state, errors, the words as written) is shown
and can be changed row by row; only then is it written, as shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.proofing.service import (
    ProofImportPreview,
    ProofImportReport,
    ProofingService,
    RowReading,
)
from app.services.proofing.states import (
    ERROR_KINDS,
    PROOFED_FIELDS,
    STATE_BY_KEY,
    STATES,
    ProofError,
    clean_errors,
)
from app.services.roster.reader import RosterFile
from app.services.standards.idcard import mask_id
from app.ui.dialog_parts import fit_to_screen
from app.ui.i18n import proof_import_summary, proof_result, tr_data
from app.ui.list_model import ListTableModel
from app.ui.ops import BackgroundOp
from app.ui.table_tools import attach

PROOF_FIELD_LABELS = {
    "student_no": QT_TRANSLATE_NOOP("Data", "学号"),
    "id_number": QT_TRANSLATE_NOOP("Data", "身份证号码"),
    "name": QT_TRANSLATE_NOOP("Data", "姓名"),
    "state": QT_TRANSLATE_NOOP("Data", "校对结果"),
    "problem": QT_TRANSLATE_NOOP("Data", "问题说明"),
    "remark": QT_TRANSLATE_NOOP("Data", "备注"),  # read as the 问题 only without a 问题说明 column
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

    def set_errors(self, errors: list[dict] | None) -> None:
        """Start from a reading's errors (the import dialog edits them)."""
        for key, check in self.checks.items():
            check.setChecked(any(e["kind"] == key for e in errors or []))
        for error in errors or []:
            if error["kind"] == "record":
                self.field_combo.setCurrentIndex(max(self.field_combo.findData(error.get("field")), 0))
                self.correct_edit.setText(error.get("correct", ""))
            if error["kind"] == "other":
                self.other_edit.setText(error.get("text", ""))

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


FLAGGED = QColor("#fff3c4")  # a row whose words no phrase explains, or with a doubt: look before importing
EDITED = QColor("#e3f2fd")  # a row the clerk changed


class ReadingModel(QAbstractTableModel):
    """The readings of a results sheet, one row each; state and errors change through the dialog."""

    HEADERS = (
        QT_TRANSLATE_NOOP("ReadingModel", "行号"),
        QT_TRANSLATE_NOOP("ReadingModel", "学号"),
        QT_TRANSLATE_NOOP("ReadingModel", "姓名"),
        QT_TRANSLATE_NOOP("ReadingModel", "匹配依据"),
        QT_TRANSLATE_NOOP("ReadingModel", "学生原文"),
        QT_TRANSLATE_NOOP("ReadingModel", "读作"),
        QT_TRANSLATE_NOOP("ReadingModel", "错误类型与内容"),
        QT_TRANSLATE_NOOP("ReadingModel", "现在的状态"),
        QT_TRANSLATE_NOOP("ReadingModel", "请核对"),
    )
    MATCHED_BY = {
        "学号": QT_TRANSLATE_NOOP("ReadingModel", "学号"),
        "身份证号": QT_TRANSLATE_NOOP("ReadingModel", "身份证号"),
        "姓名": QT_TRANSLATE_NOOP("ReadingModel", "姓名"),
    }
    STATE_COLUMN = 5

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.readings: list[RowReading] = []
        self.edited: set[int] = set()

    def set_readings(self, readings: list[RowReading]) -> None:
        self.beginResetModel()
        self.readings = [replace(r) for r in readings]  # edits never touch the preview itself
        self.edited = set()
        self.endResetModel()

    def set_reading(self, row: int, state: str, errors: list[dict] | None) -> None:
        reading = self.readings[row]
        reading.state, reading.errors = state, errors
        self.edited.add(row)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.readings)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(self.HEADERS[section])
        return None

    def _text(self, r: RowReading, column: int) -> str:
        if column == 0:
            return f"{r.sheet} {r.row_no}" if len({x.sheet for x in self.readings}) > 1 else str(r.row_no)
        if column == 1:
            return r.known_student_no
        if column == 2:
            return r.known_name
        if column == 3:
            return _tr(self.MATCHED_BY.get(r.matched_by, r.matched_by))
        if column == 4:
            return r.words
        if column == 5:
            return tr_data(STATE_BY_KEY[r.state].label)
        if column == 6:
            return proof_result(r.state, r.errors) if r.state == "wrong" else ""
        if column == 7:
            if r.current is None:
                return ""
            same = "" if r.changes else self.tr("（不变）")
            return tr_data(STATE_BY_KEY[r.current[0]].label) + same
        hints = [self.tr("未识别：%1").replace("%1", u) for u in r.unknown] + list(r.doubts)
        return "；".join(hints)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.readings[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(r, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.row() in self.edited:
                return QBrush(EDITED)
            if r.flagged:
                return QBrush(FLAGGED)
        if role == Qt.ItemDataRole.UserRole:
            return r
        return None


def _tr(text: str) -> str:
    """A QT_TRANSLATE_NOOP("ReadingModel", …) text in the interface language."""
    return QCoreApplication.translate("ReadingModel", text)


class ProofImportDialog(QDialog):
    """Map the columns of a results sheet, see how every row reads, change what needs changing, then import."""

    imported = Signal(object, object, object)  # ProofImportReport, ProofImportPreview, the readings written

    def __init__(
        self, parent: QWidget | None, proofing: ProofingService, table: RosterFile, station_id: int | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入校对结果 — %1").replace("%1", table.path.name))
        self.proofing, self.table, self.station_id = proofing, table, station_id
        self.report: ProofImportReport | None = None
        self.preview: ProofImportPreview | None = None
        self.op: BackgroundOp | None = None
        self._reading = 0  # which reading of the sheet is the latest
        self.sheet = table.importable_sheets[0]
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "按学号、身份证号或姓名匹配学生。请核对每列对应的内容，并逐行核对读作的结果"
                    "（黄色行请特别留意），需要时改正后再导入："
                )
            )
        )
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
        self.readings = ReadingModel(self)
        self.view = QTableView()
        self.view.setObjectName("proof_readings")
        self.view.setModel(self.readings)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((50, 100, 90, 70, 200, 110, 200, 110, 240)):
            self.view.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        attach(self.view, "proof_readings", self.tr("校对结果读作"))
        layout.addWidget(self.view, 3)
        edit_bar = QHBoxLayout()
        edit_bar.addWidget(QLabel(self.tr("把所选行读作：")))
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("reading_state")
        for state in STATES:
            self.state_combo.addItem(tr_data(state.label), state.key)
        self.state_combo.activated.connect(lambda _i: self.set_selected_state(self.state_combo.currentData()))
        edit_bar.addWidget(self.state_combo)
        self.errors_button = QPushButton(self.tr("错误类型…"))
        self.errors_button.clicked.connect(self.edit_selected_errors)
        edit_bar.addWidget(self.errors_button)
        edit_bar.addStretch(1)
        layout.addLayout(edit_bar)
        self.unmatched_label = QLabel()
        layout.addWidget(self.unmatched_label)
        self.unmatched = ListTableModel(
            [self.tr("工作表"), self.tr("行号"), self.tr("姓名"), self.tr("学号"), self.tr("原因")]
        )
        unmatched_view = QTableView()
        unmatched_view.setObjectName("proof_unmatched")
        unmatched_view.setModel(self.unmatched)
        unmatched_view.verticalHeader().hide()
        unmatched_view.horizontalHeader().setStretchLastSection(True)
        attach(unmatched_view, "proof_unmatched", self.tr("未匹配的行")).set_empty_state(
            lambda: (self.tr("每一行都匹配到了学生"), None, None) if self.preview is not None else None
        )
        layout.addWidget(unmatched_view, 1)
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
        fit_to_screen(self, QSize(1100, 680))

    # -- reading ---------------------------------------------------------------------------------------
    def _mapping_changed(self) -> None:
        """Read every row again with the columns as mapped now, in the background runner (a whole station's
        sheet takes a quarter of a second); a change of mapping drops edits."""
        self.sheet.mapping = {
            c: combo.currentData() for c, combo in enumerate(self.combos) if combo.currentData()
        }
        keys = set(self.sheet.mapping.values())
        ok = bool(keys & {"state", "problem", "remark"}) and bool(keys & {"student_no", "id_number", "name"})
        self._reading += 1
        self.preview = None
        self._show_preview(None)
        self.import_button.setEnabled(False)
        if not ok:
            self.summary_label.setText(
                self.tr("需要“校对结果”或“问题说明”列，以及“学号”“身份证号码”或“姓名”列")
            )
            return
        self.summary_label.setText(self.tr("正在读取…"))
        # The worker reads its own copy of the mapping: a combo changed meanwhile starts another reading.
        table = replace(self.table, sheets=[replace(s, mapping=dict(s.mapping)) for s in self.table.sheets])
        proofing, station_id, reading = self.proofing, self.station_id, self._reading
        BackgroundOp(
            self, lambda _ctx: proofing.preview_import(table, station_id), self.tr("正在读取校对结果…"), False
        ).success(lambda preview: self._read(reading, preview)).failure(self._failed).run()

    def _read(self, reading: int, preview: ProofImportPreview) -> None:
        if reading != self._reading:  # the mapping changed while this was read
            return
        self.preview = preview
        self._show_preview(preview)
        self.import_button.setEnabled(bool(preview.rows) and self.report is None)

    def _show_preview(self, preview: ProofImportPreview | None) -> None:
        self.readings.set_readings(preview.rows if preview else [])
        self.unmatched.set_rows(
            [
                (r.sheet, r.row_no, r.name, r.student_no or mask_id(r.id_number), r.reason)
                for r in (preview.unmatched if preview else [])
            ]
        )
        self._show_counts()
        self._selection_changed()

    def _show_counts(self) -> None:
        preview = self.preview
        if preview is None:
            self.unmatched_label.clear()
            self.summary_label.clear()
            return
        self.unmatched_label.setText(
            self.tr("未匹配 %1 行（不会导入）；忽略页脚、签字行 %2 行")
            .replace("%1", str(len(preview.unmatched)))
            .replace("%2", str(len(preview.ignored)))
        )
        readings = self.readings.readings
        self.summary_label.setText(
            self.tr("将导入 %1 行，其中 %2 行会改变；%3 行请核对（黄色），%4 行已改动（蓝色）")
            .replace("%1", str(len(readings)))
            .replace("%2", str(sum(r.changes for r in readings)))
            .replace("%3", str(sum(r.flagged for r in readings)))
            .replace("%4", str(len(self.readings.edited)))
        )

    # -- editing ---------------------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.view.selectionModel().selectedRows()})

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        editable = bool(rows) and self.report is None
        self.state_combo.setEnabled(editable)
        self.errors_button.setEnabled(editable)
        if rows:
            state = self.readings.readings[rows[0]].state
            self.state_combo.setCurrentIndex(self.state_combo.findData(state))

    def set_selected_state(self, state: str) -> None:
        """Give the selected rows a state; 有误 asks which errors (kept when the row already had some)."""
        rows = self.selected_rows()
        if not rows:
            return
        errors = None
        if state == "wrong":
            current = [self.readings.readings[r] for r in rows if self.readings.readings[r].state == "wrong"]
            if len(current) == len(rows) and len({str(r.errors) for r in current}) == 1:
                errors = current[0].errors
            else:
                errors = self._ask_errors(len(rows), current[0].errors if current else None)
                if errors is None:
                    self._selection_changed()  # cancelled: the combo shows the row's state again
                    return
        for row in rows:
            self.readings.set_reading(row, state, errors)
        self._show_counts()

    def edit_selected_errors(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        first = self.readings.readings[rows[0]]
        errors = self._ask_errors(len(rows), first.errors if first.state == "wrong" else None)
        if errors is None:
            return
        for row in rows:
            self.readings.set_reading(row, "wrong", errors)
        self._selection_changed()
        self._show_counts()

    def _ask_errors(self, count: int, errors: list[dict] | None) -> list[dict] | None:
        dialog = ErrorDialog(self, count)
        dialog.set_errors(errors)
        self.current_dialog = dialog
        return dialog.errors if dialog.exec() else None

    # -- writing ---------------------------------------------------------------------------------------
    def run_import(self) -> None:
        if self.preview is None or self.op is not None:
            return
        preview, readings = self.preview, list(self.readings.readings)
        self.import_button.setEnabled(False)
        for combo in self.combos:
            combo.setEnabled(False)
        self.op = (
            BackgroundOp(
                self,
                lambda ctx: self.proofing.apply_import(preview, readings, ctx.progress),
                self.tr("正在导入校对结果…"),
                cancellable=False,  # one transaction: it is written whole or not at all
            )
            .success(lambda report: self._imported(report, preview, readings))
            .failure(self._failed)
            .run()
        )

    def _imported(self, report: ProofImportReport, preview: ProofImportPreview, readings) -> None:
        self.op = None
        self.report = report
        self.summary_label.setText(self.tr("导入完成：%1").replace("%1", proof_import_summary(report)))
        self.close_button.setText(self.tr("完成"))
        self._selection_changed()
        self.imported.emit(report, preview, readings)

    def _failed(self, exc: BaseException) -> None:
        """Reading or writing failed (the runner has logged anything unforeseen and put it into Chinese)."""
        self.op = None
        self.import_button.setEnabled(self.preview is not None and bool(self.preview.rows))
        for combo in self.combos:
            combo.setEnabled(True)
        self.summary_label.setText(self.tr("未导入：%1").replace("%1", str(exc)))
        QMessageBox.warning(self, self.tr("无法导入"), str(exc))
