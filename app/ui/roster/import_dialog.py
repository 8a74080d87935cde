"""Roster import: map columns with a live preview, check every row, then import in one go."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.roster.fields import FIELD_BY_KEY, FIELDS, REQUIRED_KEYS
from app.services.roster.importer import ImportCancelled, ImportReport, RosterImporter
from app.services.roster.reader import RosterFile, SheetTable
from app.services.standards.idcard import mask_id, normalise_id_text
from app.ui.dialog_parts import fit_to_screen
from app.ui.i18n import import_summary, tr_data
from app.ui.list_model import ListTableModel
from app.ui.ops import BackgroundOp

PREVIEW_ROWS = 30


def _preview_text(key: str | None, value: object) -> str:
    if value is None:
        return ""
    if key == "id_number":
        return mask_id(normalise_id_text(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport

    def __init__(
        self,
        parent: QWidget | None,
        importer: RosterImporter,
        roster: RosterFile,
        station_id: int,
        station_name: str,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入花名册 — %1").replace("%1", roster.path.name))
        self.importer, self.roster, self.station_id = importer, roster, station_id
        self.report: ImportReport | None = None
        self.mapping_combos: list[QComboBox] = []
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_mapping_page(station_name))
        self.pages.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._show_sheet(0)
        fit_to_screen(self, QSize(1000, 640))

    # -- page 1: mapping ------------------------------------------------------------------------
    def _build_mapping_page(self, station_name: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("导入到：%1").replace("%1", station_name)))
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("工作表：")))
        self.sheet_combo = QComboBox()
        for sheet in self.roster.importable_sheets:
            self.sheet_combo.addItem(sheet.name)
        self.sheet_combo.currentIndexChanged.connect(self._show_sheet)
        top.addWidget(self.sheet_combo)
        layout.addLayout(top)
        self.header_label = QLabel()
        self.header_label.setWordWrap(True)
        layout.addWidget(self.header_label)
        self.mapping_area = QScrollArea()
        self.mapping_area.setWidgetResizable(True)
        self.mapping_area.setMaximumHeight(150)
        layout.addWidget(self.mapping_area)
        self.missing_label = QLabel()
        self.missing_label.setStyleSheet("color: #b00020;")
        layout.addWidget(self.missing_label)
        self.preview_model = ListTableModel([])
        self.preview_view = QTableView()
        self.preview_view.setModel(self.preview_model)
        self.preview_view.verticalHeader().hide()
        layout.addWidget(self.preview_view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        self.check_button = QPushButton(self.tr("检查数据"))
        self.check_button.setObjectName("check_button")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.run_check)
        buttons.addWidget(cancel)
        buttons.addWidget(self.check_button)
        layout.addLayout(buttons)
        return page

    def current_sheet(self) -> SheetTable:
        return self.roster.importable_sheets[max(self.sheet_combo.currentIndex(), 0)]

    def _show_sheet(self, _index: int) -> None:
        sheet = self.current_sheet()
        self.header_label.setText(
            self.tr("表头在第 %1 行，共 %2 行数据。请核对每一列对应的字段（未对应的列不会导入）：")
            .replace("%1", str(sheet.header_row_no))
            .replace("%2", str(len(sheet.data_rows())))
        )
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        self.mapping_combos = []
        for col, header in enumerate(sheet.headers):
            combo = QComboBox()
            combo.setObjectName(f"map_{col}")
            combo.addItem(self.tr("（不导入）"), None)
            for field in FIELDS:
                combo.addItem(tr_data(field.label), field.key)
            combo.setCurrentIndex(max(combo.findData(sheet.mapping.get(col)), 0))
            combo.currentIndexChanged.connect(self._mapping_changed)
            grid.addWidget(QLabel(header or self.tr("（第 %1 列）").replace("%1", str(col + 1))), 0, col)
            grid.addWidget(combo, 1, col)
            self.mapping_combos.append(combo)
        self.mapping_area.setWidget(grid_host)
        self._refresh_preview()

    def _mapping_changed(self) -> None:
        sheet = self.current_sheet()
        sheet.mapping = {
            c: combo.currentData()
            for c, combo in enumerate(self.mapping_combos)
            if combo.currentData() is not None
        }
        self._refresh_preview()

    def set_mapping(self, column: int, key: str | None) -> None:
        combo = self.mapping_combos[column]
        combo.setCurrentIndex(max(combo.findData(key), 0))

    def _refresh_preview(self) -> None:
        sheet = self.current_sheet()
        columns = sorted(sheet.mapping)
        headers = [self.tr("行号")] + [tr_data(FIELD_BY_KEY[sheet.mapping[c]].label) for c in columns]
        rows = []
        for row_no, cells in sheet.data_rows()[:PREVIEW_ROWS]:
            rows.append(
                [row_no]
                + [_preview_text(sheet.mapping[c], cells[c] if c < len(cells) else None) for c in columns]
            )
        self.preview_model.set_rows(rows, headers)
        self.preview_view.resizeColumnsToContents()
        mapped = set(sheet.mapping.values())
        missing = [tr_data(FIELD_BY_KEY[k].label) for k in REQUIRED_KEYS if k not in mapped]
        self.missing_label.setText(
            self.tr("缺少必需的列：%1").replace("%1", self.tr("、").join(missing)) if missing else ""
        )
        self.check_button.setEnabled(not missing)

    # -- page 2: result ------------------------------------------------------------------------
    def _build_result_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summary_label")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        tabs = QTabWidget()
        self.problem_model = ListTableModel(
            [self.tr("工作表"), self.tr("行号"), self.tr("学号"), self.tr("姓名"), self.tr("原因")]
        )
        self.change_model = ListTableModel(
            [self.tr("行号"), self.tr("学号"), self.tr("姓名"), self.tr("变更")]
        )
        for model, title in (
            (self.problem_model, self.tr("被拒绝的行")),
            (self.change_model, self.tr("将更新的学生")),
        ):
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(
                model.columnCount() - 1, QHeaderView.ResizeMode.Stretch
            )
            view.setWordWrap(True)
            tabs.addTab(view, title)
        self.result_tabs = tabs
        layout.addWidget(tabs, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("返回修改列对应"))
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("import_button")
        self.import_button.clicked.connect(self.run_import)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        return page

    def _show_report(self, report: ImportReport, committed: bool) -> None:
        self.report = report
        self.problem_model.set_rows(
            [(p.sheet, p.row, p.student_no, p.name, p.reason) for p in report.rejected]
        )
        self.change_model.set_rows(
            [(c.row, c.student_no, c.name, c.describe().split("：", 1)[-1]) for c in report.changes]
        )
        if committed:
            text = self.tr("导入完成：%1。").replace("%1", import_summary(report))
        elif report.valid_rows == 0:
            text = self.tr("没有可导入的有效行：%1。请修正文件后重新导入。").replace(
                "%1", import_summary(report)
            )
        else:
            text = self.tr("检查结果：%1。被拒绝的行不会导入，其余各行将在一次操作中全部写入。").replace(
                "%1", import_summary(report)
            )
        self.summary_label.setText(text)
        self.import_button.setEnabled(
            not committed and report.valid_rows > 0 and (report.imported + report.updated) > 0
        )
        self.import_button.setText(self.tr("导入 %1 人").replace("%1", str(report.imported + report.updated)))
        self.back_button.setEnabled(not committed)
        self.close_button.setText(self.tr("完成") if committed else self.tr("取消"))
        if report.rejected:
            self.result_tabs.setCurrentIndex(0)
        elif report.changes:
            self.result_tabs.setCurrentIndex(1)
        self.pages.setCurrentIndex(1)

    # -- actions --------------------------------------------------------------------------------
    def run_check(self) -> None:
        self.check_button.setEnabled(False)
        op = BackgroundOp(
            self,
            lambda ctx: self.importer.plan(self.roster, self.station_id, ctx.progress, ctx.cancelled),
            self.tr("正在检查花名册……"),
        )
        op.success(self._checked).failure(self._failed).run()

    def _checked(self, report: ImportReport) -> None:
        self.check_button.setEnabled(True)
        self._show_report(report, committed=False)

    def run_import(self) -> None:
        self.import_button.setEnabled(False)
        op = BackgroundOp(
            self,
            lambda ctx: self.importer.apply(self.roster, self.station_id, ctx.progress, ctx.cancelled),
            self.tr("正在导入……"),
        )
        op.success(self._imported).failure(self._failed).run()

    def _imported(self, report: ImportReport) -> None:
        self._show_report(report, committed=report.committed)
        if report.committed:
            self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.import_button.setEnabled(self.report is not None and self.report.valid_rows > 0)
        if isinstance(exc, ImportCancelled):
            self.summary_label.setText(self.tr("已取消，未写入任何数据。"))
            return
        QMessageBox.warning(
            self, self.tr("导入失败"), self.tr("导入未完成，未写入任何数据：%1").replace("%1", str(exc))
        )
