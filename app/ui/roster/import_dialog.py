"""Roster import: map columns with a live preview, check every row, then import in one go."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
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
from app.ui.table_tools import attach

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
    rejectsSaved = Signal(object)  # the Path of the saved rejected rows

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
        self.saved_rejects: Path | None = None
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
        attach(self.preview_view, "import_preview", self.tr("导入预览"))
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
        self.inferred_model = ListTableModel(
            [self.tr("工作表"), self.tr("行号"), self.tr("学号"), self.tr("姓名"), self.tr("(院)系代码")]
        )
        self.result_tools = {}
        for model, title, name, empty in (
            (self.problem_model, self.tr("被拒绝的行"), "import_rejected", self.tr("没有被拒绝的行")),
            (
                self.change_model,
                self.tr("将更新的学生"),
                "import_changes",
                self.tr("没有要更新的学生：文件中已有学生的数据与库中相同"),
            ),
            (
                self.inferred_model,
                self.tr("按学习形式推断的(院)系代码"),
                "import_inferred",
                self.tr("没有按学习形式推断的(院)系代码：文件中各行都有(院)系代码，或没有“学习形式”列"),
            ),
        ):
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(
                model.columnCount() - 1, QHeaderView.ResizeMode.Stretch
            )
            view.setWordWrap(True)
            self.result_tools[name] = attach(view, name, title)
            self.result_tools[name].set_empty_state(lambda text=empty: (text, None, None))
            tabs.addTab(view, title)
        self.result_tabs = tabs
        layout.addWidget(tabs, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("返回修改列对应"))
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        buttons.addWidget(self.back_button)
        self.save_rejected_button = QPushButton(self.tr("保存被拒绝的行…"))
        self.save_rejected_button.setObjectName("save_rejected")
        self.save_rejected_button.setToolTip(
            self.tr("另存为 Excel 工作簿：原来的各列加“拒绝原因”列；改正后用“导入花名册”导入，只导入这些行")
        )
        self.save_rejected_button.clicked.connect(lambda: self.save_rejected())
        buttons.addWidget(self.save_rejected_button)
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
        self.inferred_model.set_rows(
            [(n.sheet, n.row, n.student_no, n.name, n.reason) for n in report.inferred + report.not_inferred]
        )
        self.save_rejected_button.setEnabled(bool(report.rejected))
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
        if report.inferred:
            text += self.tr(
                "其中 %1 行没有(院)系代码，已按学习形式从本站的代码表得出（见“按学习形式推断”）。"
            ).replace("%1", str(len(report.inferred)))
        if report.not_inferred:
            text += self.tr("%1 行的学习形式在本站的代码表中找不到，(院)系代码仍为空。").replace(
                "%1", str(len(report.not_inferred))
            )
        if report.rejected:
            text += self.tr("可“保存被拒绝的行”，在 Excel 中改正后再导入。")
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
    def save_rejected(self, path: str | None = None) -> None:
        """The rejected rows as a workbook (original columns + 拒绝原因) to fix and import again."""
        if self.report is None or not self.report.rejected:
            return
        if path is None:
            suggested = self.roster.path.with_name(f"{self.roster.path.stem}-被拒绝的行.xlsx")
            if not suggested.is_absolute() or not suggested.parent.is_dir():  # a paste has no folder
                suggested = Path.home() / suggested.name
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("保存被拒绝的行"), str(suggested), self.tr("Excel 工作簿 (*.xlsx)")
            )
            if not path:
                return
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
        target, report = Path(path), self.report
        op = BackgroundOp(
            self,
            lambda ctx: self.importer.save_rejected(self.roster, report, target, self.station_id),
            self.tr("正在保存被拒绝的行……"),
            cancellable=False,
        )
        op.success(lambda n: self._rejected_saved(target, n)).failure(self._save_failed).run()

    def _rejected_saved(self, path: Path, count: int) -> None:
        self.saved_rejects = path
        self.summary_label.setText(
            self.summary_label.text()
            + "\n"
            + self.tr("已把 %1 行被拒绝的行保存到 %2：在 Excel 或 WPS 中按“拒绝原因”改正后，再导入这个文件。")
            .replace("%1", str(count))
            .replace("%2", str(path))
        )
        self.rejectsSaved.emit(path)

    def _save_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(
            self, self.tr("保存失败"), self.tr("被拒绝的行未能保存：%1").replace("%1", str(exc))
        )

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
