"""The proofing tab: who has checked, who found what, who needs action by when; forms to hand in.

Quick entry: scan or type a 学号 and press Enter to record 正确. Every change is undoable and audited.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap, QUndoStack
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.printing.proof_forms_print import errata_form, feedback_forms
from app.printing.table_form import paint_forms, write_pdf
from app.services.common.classes import class_order
from app.services.proofing.forms import FormsCancelled, ProofFormExporter, write_action_list
from app.services.proofing.service import Previous, ProofingService, count_states
from app.services.proofing.states import ERROR_KINDS, STATE_BY_KEY, STATES
from app.services.roster.reader import RosterReadError
from app.services.roster.service import RosterService
from app.ui.events import AppEvents
from app.ui.i18n import proof_action, proof_result, tr_data
from app.ui.list_model import ListTableModel
from app.ui.ops import BackgroundOp
from app.ui.print_preview import open_preview
from app.ui.proofing.bar_chart import StateBarChart
from app.ui.proofing.dialogs import DeadlineDialog, ErrorDialog, ProofImportDialog
from app.ui.proofing.form_export import write_feedback_forms
from app.ui.proofing.model import COLUMN_INDEX, ProofingTableModel
from app.ui.table_tools import attach
from app.ui.undo import DoneCommand


class ProofStateCommand(DoneCommand):
    """A state given to some students (by hand, quick entry or import); undo restores each one."""

    def __init__(
        self, text: str, proofing: ProofingService, previous: list[Previous], redo_fn, notify
    ) -> None:
        super().__init__(text)
        self.proofing, self.previous, self.redo_fn, self.notify = proofing, previous, redo_fn, notify

    def apply(self) -> None:
        self.redo_fn()
        self.notify()

    def undo(self) -> None:
        self.proofing.restore(self.previous)
        self.notify()


class ProofingTab(QWidget):
    def __init__(
        self,
        proofing: ProofingService,
        roster: RosterService,
        capture,
        events: AppEvents,
        undo_stack: QUndoStack,
        settings=None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.proofing, self.roster, self.capture = proofing, roster, capture
        self.events, self.undo_stack, self.settings = events, undo_stack, settings
        self.exporter = ProofFormExporter(proofing)
        self.station_id: int | None = None
        self.op: BackgroundOp | None = None  # the form export running, if any
        self.last_files: list[Path] = []  # what the last form export wrote
        self.open_folders = True  # tests switch this off
        self.model = ProofingTableModel(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(
            lambda: self.model.set_filter(needle=self.search_edit.text().strip())
        )
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_quick_entry())
        layout.addLayout(self._build_filters())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_table())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1000, 380])
        layout.addWidget(splitter, 1)
        self.chart = StateBarChart()
        chart_area = QScrollArea()
        chart_area.setWidgetResizable(True)
        chart_area.setWidget(self.chart)
        chart_area.setMaximumHeight(170)
        layout.addWidget(chart_area)
        # A capture day sends a change per accepted photo; a hidden tab only notes it and reloads when shown.
        self._stale = False
        events.rosterChanged.connect(self._changed)
        events.studentChanged.connect(lambda _sid: self._changed())

    # -- building --------------------------------------------------------------------------------
    def _build_quick_entry(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.quick_edit = QLineEdit()
        self.quick_edit.setObjectName("quick_entry")
        self.quick_edit.setPlaceholderText(self.tr("快速录入：扫码或输入学号/身份证号，按 Enter 记为“正确”"))
        self.quick_edit.returnPressed.connect(self.quick_correct)
        bar.addWidget(self.quick_edit, 2)
        self.quick_label = QLabel()
        self.quick_label.setObjectName("quick_feedback")
        bar.addWidget(self.quick_label, 2)
        for text, slot in (
            (self.tr("导入校对结果…"), self.choose_import_file),
            (self.tr("截止日期…"), self.edit_deadline),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        export = QToolButton()
        export.setText(self.tr("导出表格"))
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export)
        menu.addAction(self.tr("校对反馈表（每班一个 Excel 和 PDF）…"), self.export_feedback)
        menu.addAction(self.tr("打印预览校对反馈表…"), self.preview_feedback)
        menu.addSeparator()
        menu.addAction(self.tr("勘误表（Excel 和 PDF）…"), self.export_errata)
        menu.addAction(self.tr("打印预览勘误表…"), self.preview_errata)
        menu.addSeparator()
        menu.addAction(self.tr("待处理学生清单（Excel）…"), self.export_actions)
        export.setMenu(menu)
        bar.addWidget(export)
        return bar

    def _build_filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("搜索姓名或学号"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        bar.addWidget(self.search_edit, 2)
        self.class_combo = QComboBox()
        self.class_combo.currentIndexChanged.connect(
            lambda: self.model.set_filter(class_name=self.class_combo.currentData() or "")
        )
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("state_filter")
        self.state_combo.addItem(self.tr("全部状态"), "")
        self.state_combo.addItem(self.tr("需处理的"), "__action__")
        for state in STATES:
            self.state_combo.addItem(tr_data(state.label), state.key)
        self.state_combo.currentIndexChanged.connect(
            lambda: self.model.set_filter(state=self.state_combo.currentData() or "")
        )
        self.error_combo = QComboBox()
        self.error_combo.addItem(self.tr("全部错误类型"), "")
        for kind in ERROR_KINDS:
            self.error_combo.addItem(tr_data(kind.label), kind.key)
        self.error_combo.currentIndexChanged.connect(
            lambda: self.model.set_filter(error=self.error_combo.currentData() or "")
        )
        self.overdue_check = QCheckBox(self.tr("仅显示逾期"))
        self.overdue_check.toggled.connect(lambda on: self.model.set_filter(overdue=on))
        for widget in (self.class_combo, self.state_combo, self.error_combo, self.overdue_check):
            bar.addWidget(widget, 1)
        self.set_button = QToolButton()
        self.set_button.setObjectName("set_state_button")
        self.set_button.setText(self.tr("把所选学生设为…"))
        self.set_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.set_button)
        for state in STATES:
            menu.addAction(tr_data(state.label), lambda key=state.key: self.set_selected(key))
        self.set_button.setMenu(menu)
        bar.addWidget(self.set_button)
        return bar

    def _build_table(self) -> QTableView:
        view = QTableView()
        view.setObjectName("proofing_table")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(24)
        header = view.horizontalHeader()
        for key, width in (
            ("student_no", 110),
            ("name", 90),
            ("class_name", 200),
            ("cohort", 50),
            ("state", 150),
            ("result", 220),
            ("action", 260),
            ("deadline", 90),
        ):
            view.setColumnWidth(COLUMN_INDEX[key], width)
        header.setSectionResizeMode(COLUMN_INDEX["action"], QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        header.setSortIndicator(
            -1, Qt.SortOrder.AscendingOrder
        )  # by class and 学号 until a header is clicked
        view.setSortingEnabled(True)
        self.table = view
        self.table_tools = attach(view, "proofing", self.tr("图像校对"), settings=self.settings)
        self.table_tools.set_empty_state(self._empty_state)
        return view

    def _empty_state(self):
        if self.station_id is None:
            return (self.tr("还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站"), None, None)
        if not self.model.has_rows():
            return (self.tr("这个学习中心还没有学生：请先在“花名册”页导入花名册"), None, None)
        return (self.tr("没有符合条件的学生"), self.tr("清除筛选"), self.clear_filters)

    def clear_filters(self) -> None:
        """Search, class, state, error kind and 逾期 back to 全部."""
        self._search_timer.stop()
        widgets = (self.search_edit, self.class_combo, self.state_combo, self.error_combo, self.overdue_check)
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        for combo in (self.class_combo, self.state_combo, self.error_combo):
            combo.setCurrentIndex(0)
        self.overdue_check.setChecked(False)
        for widget in widgets:
            widget.blockSignals(False)
        self.model.set_filter(needle="", class_name="", state="", error="", overdue=False)

    def _build_detail(self) -> QWidget:
        box = QGroupBox(self.tr("学生详情"))
        layout = QVBoxLayout(box)
        self.photo_label = QLabel()
        self.photo_label.setFixedSize(144, 192)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setStyleSheet("border: 1px solid #bbb; background: #f4f4f4;")
        layout.addWidget(self.photo_label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setObjectName("proof_detail")
        layout.addWidget(self.detail_label)
        self.history_model = ListTableModel(
            [self.tr("时间"), self.tr("结果"), self.tr("操作员"), self.tr("来源")]
        )
        history = QTableView()
        history.setModel(self.history_model)
        history.verticalHeader().hide()
        history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        attach(history, "proofing_history", self.tr("校对历史"), settings=self.settings).set_empty_state(
            lambda: (self.tr("选择一名学生，这里列出他的校对历史"), None, None)
        )
        layout.addWidget(history, 1)
        return box

    # -- data ------------------------------------------------------------------------------------
    def set_station(self, station_id: int | None) -> None:
        self.station_id = station_id
        self.reload()

    def _changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        self._stale = False
        rows = self.proofing.rows(self.station_id) if self.station_id is not None else []
        current = self.class_combo.currentData()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItem(self.tr("全部班级"), "")
        for name in sorted({r.class_name for r in rows if r.class_name}, key=class_order):
            self.class_combo.addItem(name, name)
        self.class_combo.setCurrentIndex(max(self.class_combo.findData(current), 0) if current else 0)
        self.class_combo.blockSignals(False)
        selected = self.selected_ids()
        self.model.set_rows(rows)
        self.chart.set_counts(count_states(rows))
        for sid in selected:
            row = self.model.row_of(sid)
            if row is not None:
                self.table.selectRow(row)
        self.show_detail()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r).id for r in rows if self.model.row_at(r) is not None]

    def show_detail(self) -> None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            self.detail_label.clear()
            self.photo_label.clear()
            self.history_model.set_rows([])
            return
        text = f"<b>{row.name}</b>　{row.student_no}<br>{row.class_name}<br>" + self.tr("状态：%1").replace(
            "%1", tr_data(row.state_label)
        )
        if row.result and row.proof_state == "wrong":
            text += "<br>" + self.tr("问题：%1").replace(
                "%1", proof_result(row.proof_state, row.proof_errors)
            )
        if row.needs_action:
            text += (
                "<br><span style='color:#b00020'>"
                + self.tr("下一步：%1").replace("%1", proof_action(row.proof_state, row.proof_errors))
                + "</span>"
            )
        if row.deadline:
            text += "<br>" + self.tr("截止：%1").replace("%1", row.deadline.isoformat())
        self.detail_label.setText(text)
        thumbs = self.capture.thumbnails([row.id]) if self.capture is not None else {}
        pixmap = QPixmap()
        if thumbs.get(row.id) and pixmap.loadFromData(thumbs[row.id]):
            self.photo_label.setPixmap(
                pixmap.scaled(
                    self.photo_label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.photo_label.setText(self.tr("无照片"))
        unchecked = tr_data(STATE_BY_KEY["unchecked"].label)
        self.history_model.set_rows(
            [
                (
                    h.at.strftime("%Y-%m-%d %H:%M"),
                    proof_result(h.state, h.errors) or unchecked,
                    h.operator,
                    {
                        "manual": self.tr("手工"),
                        "quick": self.tr("快速录入"),
                        "import": self.tr("导入"),
                        "undo": self.tr("撤销"),
                    }.get(h.source, h.source),
                )
                for h in reversed(self.proofing.history(row.id))
            ]
        )

    # -- changes -----------------------------------------------------------------------------------
    def _notify(self) -> None:
        self.reload()

    def set_selected(self, state: str) -> bool:
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(
                self, self.tr("未选择学生"), self.tr("请先在表格中选择学生（可按 Ctrl/Shift 多选）。")
            )
            return False
        errors = None
        if state == "wrong":
            dialog = ErrorDialog(self, len(ids))
            self.current_dialog = dialog
            if not dialog.exec():
                return False
            errors = dialog.errors
        return self.apply_state(ids, state, errors)

    def apply_state(self, ids: list[int], state: str, errors=None, source: str = "manual") -> bool:
        previous = self.proofing.set_state(ids, state, errors, source=source)
        if not previous:
            return False
        label = next(s.label for s in STATES if s.key == state)
        text = self.tr("%1 名学生设为“%2”").replace("%1", str(len(previous))).replace("%2", tr_data(label))
        changed = [p.student_id for p in previous]
        self.undo_stack.push(
            ProofStateCommand(
                text,
                self.proofing,
                previous,
                lambda: self.proofing.set_state(changed, state, errors, source=source),
                self._notify,
            )
        )
        self._notify()
        return True

    def quick_correct(self) -> None:
        text = self.quick_edit.text().strip()
        self.quick_edit.clear()
        if not text:
            return
        student = self.roster.find_by_scan(text, self.station_id)
        if student is None:
            self.quick_label.setText(
                self.tr("<span style='color:#b00020'>找不到 %1</span>").replace("%1", text)
            )
            return
        changed = self.apply_state([student.id], "correct", source="quick")
        verdict = self.tr("已记为正确") if changed else self.tr("本来就是正确")
        self.quick_label.setText(f"{student.student_no} {student.name}：{verdict}")
        row = self.model.row_of(student.id)
        if row is not None:
            self.table.selectRow(row)

    def edit_deadline(self) -> None:
        if self.station_id is None:
            return
        cohorts = sorted({r.cohort for r in self.proofing.rows(self.station_id) if r.cohort})
        station_id = self.station_id

        def submit(cohort, date):
            self.proofing.set_deadline(station_id, date, cohort)
            self.reload()

        dialog = DeadlineDialog(self, cohorts, submit)
        self.current_dialog = dialog
        dialog.open()

    def choose_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择校对结果表"), "", self.tr("表格 (*.xlsx *.xls *.csv);;所有文件 (*)")
        )
        if path:
            self.open_import(path)

    def open_import(self, path: str) -> ProofImportDialog | None:
        try:
            table = self.proofing.read(path)
        except RosterReadError as exc:
            QMessageBox.warning(self, self.tr("无法读取"), str(exc) + self.tr("\n\n未写入任何数据。"))
            return None
        dialog = ProofImportDialog(self, self.proofing, table, self.station_id)

        def imported(report, preview, readings):
            if report.previous:
                self.undo_stack.push(
                    ProofStateCommand(
                        self.tr("导入校对结果"),
                        self.proofing,
                        report.previous,
                        lambda: self.proofing.apply_import(preview, readings),  # redo writes what was shown
                        self._notify,
                    )
                )
            self._notify()

        dialog.imported.connect(imported)
        self.current_dialog = dialog
        dialog.open()
        return dialog

    # -- forms -----------------------------------------------------------------------------------------
    def _choose_folder(self) -> Path | None:
        start = self.settings.get("last_export_dir") if self.settings else ""
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存位置"), start)
        if not folder:
            return None
        if self.settings:
            self.settings.set("last_export_dir", folder)
        return Path(folder)

    def _busy(self) -> bool:
        if self.op is not None:
            QMessageBox.information(self, self.tr("导出表格"), self.tr("上一个导出任务还在进行，请稍候"))
            return True
        return False

    def _run_export(self, work, label: str, done) -> BackgroundOp:
        """Forms are written in the one background runner (progress, Cancel between files); the result or the
        failure comes back here on the GUI thread."""

        def finished(result):
            self.op = None
            done(result)

        def failed(exc: BaseException):
            self.op = None
            if isinstance(exc, FormsCancelled):
                self.window().statusBar().showMessage(
                    self.tr("已取消；已写入 %1 个文件").replace("%1", str(len(exc.written))), 8000
                )
            else:
                self._export_failed(exc)

        self.op = BackgroundOp(self, work, label).success(finished).failure(failed)
        self.op.run()
        return self.op

    def export_feedback(self, folder: Path | None = None) -> BackgroundOp | None:
        """校对反馈表: a workbook and a PDF per class; `self.last_files` holds what was written."""
        if self.station_id is None or self._busy():
            return None
        folder = folder or self._choose_folder()
        if folder is None:
            return None
        rows = self.proofing.rows(self.station_id)
        station_name = self.roster_station_name()

        def work(ctx):
            return write_feedback_forms(rows, folder, station_name, ctx.progress, ctx.cancelled)

        def done(files):
            self.last_files = files
            self._done(folder, self.tr("已生成 %1 个文件").replace("%1", str(len(files))))

        return self._run_export(work, self.tr("正在生成校对反馈表…"), done)

    def export_errata(self, folder: Path | None = None) -> BackgroundOp | None:
        if self.station_id is None or self._busy():
            return None
        folder = folder or self._choose_folder()
        if folder is None:
            return None
        station_id, exporter, form = self.station_id, self.exporter, self._errata_form()

        def work(ctx):
            xlsx = exporter.errata(station_id, folder)
            if ctx.cancelled():
                raise FormsCancelled([xlsx])
            return [xlsx, write_pdf([form], xlsx.with_suffix(".pdf"))]

        def done(files):
            self.last_files = files
            self._done(folder, self.tr("已生成勘误表"))

        return self._run_export(work, self.tr("正在生成勘误表…"), done)

    def export_actions(self, folder: Path | None = None) -> BackgroundOp | None:
        if self.station_id is None or self._busy():
            return None
        folder = folder or self._choose_folder()
        if folder is None:
            return None
        rows = self.proofing.needs_action(self.station_id)

        def done(path):
            self.last_files = [path]
            self._done(folder, self.tr("已生成待处理学生清单"))

        return self._run_export(
            lambda _ctx: write_action_list(rows, folder / "待处理学生清单.xlsx"),
            self.tr("正在生成待处理学生清单…"),
            done,
        )

    def _errata_form(self):
        station = self.exporter._station(self.station_id)
        return errata_form(
            self.exporter.errata_lines(self.station_id),
            station.name,
            station.school_name,
            station.school_code,
        )

    def roster_station_name(self) -> str:
        return self.exporter._station(self.station_id).name if self.station_id is not None else ""

    def _export_failed(self, exc: BaseException) -> None:
        """A form that cannot be written is the user's to fix (a warning naming the file), not a program error."""
        QMessageBox.warning(self, QCoreApplication.translate("ExportTab", "导出失败"), str(exc))

    def _done(self, folder: Path, message: str) -> None:
        self.window().statusBar().showMessage(message, 8000)
        if self.open_folders:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _preview(self, forms) -> QPrintPreviewDialog:
        dialog = open_preview(
            self,
            forms[0].title if forms else "",
            any(f.landscape for f in forms),
            lambda printer: paint_forms(forms, printer),
            keep=forms,
        )
        self.current_dialog = dialog
        return dialog

    def preview_feedback(self):
        if self.station_id is None:
            return None
        rows = (
            self.model.visible_rows()
            if self.class_combo.currentData()
            else self.proofing.rows(self.station_id)
        )
        return self._preview(feedback_forms(rows, self.roster_station_name()))

    def preview_errata(self):
        if self.station_id is None:
            return None
        return self._preview([self._errata_form()])
