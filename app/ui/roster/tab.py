"""The roster tab: search as you type, scanner jump, filters, add/edit/withdraw with undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.common.classes import class_order
from app.services.identity.enrolment import NO_ENROLMENT, EnrolmentService
from app.services.roster.importer import RosterImporter
from app.services.roster.reader import RosterFile, RosterReadError, roster_from_text
from app.services.roster.service import RosterService, StudentError, student_values
from app.services.roster.stations import StationService
from app.ui.capture.enrolment_delete import delete_enrolment, menu_text
from app.ui.events import AppEvents
from app.ui.i18n import tr_data
from app.ui.ops import BackgroundOp
from app.ui.roster.commands import AddStudentCommand, EditStudentCommand, WithdrawCommand
from app.ui.roster.import_dialog import ImportDialog
from app.ui.roster.model import COLUMN_INDEX, IDENTITY_LABELS, PHOTO_STATE_LABELS, RosterTableModel
from app.ui.roster.student_dialog import StudentDialog
from app.ui.table_tools import attach
from app.ui.undo import drop_redo


class RosterTab(QWidget):
    importFinished = Signal(object)

    def __init__(
        self,
        roster: RosterService,
        stations: StationService,
        importer: RosterImporter,
        events: AppEvents,
        undo_stack: QUndoStack,
        settings=None,
        parent: QWidget | None = None,
        identity: EnrolmentService | None = None,
    ) -> None:
        super().__init__(parent)
        self.roster, self.stations, self.importer = roster, stations, importer
        self.identity = identity
        self.events, self.undo_stack, self.settings = events, undo_stack, settings
        self.station_id: int | None = None
        self.model = RosterTableModel(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(120)
        self._search_timer.timeout.connect(self._apply_search)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_toolbar())
        layout.addWidget(self._build_table(), 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        events.rosterChanged.connect(self.reload)
        events.studentChanged.connect(self._student_changed)
        events.enrolmentChanged.connect(lambda ids: self._load_identity(list(ids)))
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.focus_search)

    # -- building -------------------------------------------------------------------------------
    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("roster_search")
        self.search_edit.setPlaceholderText(
            self.tr("搜索：姓名、学号、身份证号后几位、拼音首字母；扫码后回车直接定位")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.jump_to_scanned)
        bar.addWidget(self.search_edit, 3)
        self.class_combo = QComboBox()
        self.class_combo.setObjectName("class_filter")
        self.class_combo.currentIndexChanged.connect(self._filters_changed)
        self.major_combo = QComboBox()
        self.major_combo.setObjectName("major_filter")
        self.major_combo.currentIndexChanged.connect(self._filters_changed)
        bar.addWidget(QLabel(self.tr("班级")))
        bar.addWidget(self.class_combo, 1)
        bar.addWidget(QLabel(self.tr("专业")))
        bar.addWidget(self.major_combo, 1)
        self.photo_combo = QComboBox()
        self.photo_combo.setObjectName("photo_filter")
        self.photo_combo.addItem(self.tr("全部照片状态"), "")
        for key, label in PHOTO_STATE_LABELS.items():
            self.photo_combo.addItem(tr_data(label), key)
        self.photo_combo.currentIndexChanged.connect(self._filters_changed)
        bar.addWidget(self.photo_combo)
        self.identity_combo = QComboBox()
        self.identity_combo.setObjectName("identity_filter")
        self.identity_combo.addItem(self.tr("全部比对结果"), "")
        for key in ("unlike", "unknown", "none"):
            self.identity_combo.addItem(tr_data(IDENTITY_LABELS[key]), key)
        self.identity_combo.setToolTip(self.tr("与录取照片的人脸比对（只作提示）"))
        self.identity_combo.currentIndexChanged.connect(self._filters_changed)
        self.identity_combo.setVisible(self.identity is not None)
        bar.addWidget(self.identity_combo)
        self.withdrawn_check = QCheckBox(self.tr("显示学籍异动"))
        self.withdrawn_check.setChecked(True)
        self.withdrawn_check.toggled.connect(
            lambda on: self.model.set_filter(show_withdrawn=on) or self._update_count()
        )
        bar.addWidget(self.withdrawn_check)
        self.reveal_check = QCheckBox(self.tr("显示完整身份证号"))
        self.reveal_check.setObjectName("reveal_ids")
        self.reveal_check.toggled.connect(self.model.set_reveal_ids)
        bar.addWidget(self.reveal_check)
        for text, slot, name in (
            (self.tr("导入花名册…"), self.choose_import_file, "import"),
            (self.tr("新增学生"), self.add_student, "add"),
            (self.tr("编辑"), self.edit_selected, "edit"),
            (self.tr("学籍异动"), self.toggle_withdrawn, "withdraw"),
        ):
            button = QPushButton(text)
            button.setObjectName(f"roster_{name}")
            button.clicked.connect(slot)
            bar.addWidget(button)
        return bar

    def _build_table(self) -> QTableView:
        view = QTableView()
        view.setObjectName("roster_table")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(28)
        view.setIconSize(QSize(20, 26))
        # Fixed widths: ResizeToContents would measure all 20,000 rows on every reset.
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in (
            ("shot_no", 70),
            ("photo", 110),
            ("name", 110),
            ("student_no", 120),
            ("sex", 50),
            ("id_number", 170),
            ("major", 170),
            ("class_name", 210),
            ("level", 60),
            ("edu_category", 90),
            ("dept_code", 90),
            ("status", 90),
        ):
            view.setColumnWidth(COLUMN_INDEX[key], width)
        header.setStretchLastSection(True)
        view.setColumnHidden(COLUMN_INDEX["identity"], self.identity is None)
        view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table = view
        self.table_tools = attach(
            view,
            "roster",
            self.tr("花名册"),
            settings=self.settings,
            reveal=self.reveal_check.isChecked,
            on_export=self._table_exported,
        )
        self.table_tools.add_action(
            self.tr("从 Excel 粘贴学生…"), self.paste_rows, QKeySequence(QKeySequence.StandardKey.Paste)
        )
        if self.identity is not None:
            self.delete_enrolment_action = self.table_tools.add_action(
                menu_text(), self.delete_enrolment, enabled=lambda: bool(self._with_enrolment())
            )
        self.table_tools.set_empty_state(self._empty_state)
        return view

    def _empty_state(self):
        if self.station_id is None:
            return (self.tr("还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站"), None, None)
        if self.model.total_count() == 0:
            return (
                self.tr("这个学习中心还没有学生"),
                self.tr("导入花名册…"),
                self.choose_import_file,
            )
        return (self.tr("没有符合条件的学生"), self.tr("清除筛选"), self.clear_filters)

    def _table_exported(self, kind: str, path, count: int, full_ids: bool) -> None:
        """Full 身份证号 leaving the program (the clerk ticked 显示完整身份证号) are recorded in the audit trail."""
        if full_ids:
            what = (
                "复制" if kind == "copy" else "导出"
            )  # the audit trail is Chinese, as every service message
            self.roster.record_full_id_copy(self.station_id, what, count, path.name if path else "")

    # -- data -----------------------------------------------------------------------------------
    def set_station(self, station_id: int | None) -> None:
        self.station_id = station_id
        self.reload()

    def reload(self) -> None:
        selected = self.selected_id()
        rows = self.roster.rows(self.station_id) if self.station_id is not None else []
        self._fill_combo(
            self.class_combo,
            self.tr("全部班级"),
            sorted({r.class_name for r in rows if r.class_name}, key=class_order),
        )
        self._fill_combo(self.major_combo, self.tr("全部专业"), sorted({r.major for r in rows if r.major}))
        self.model.set_rows(rows)
        self._load_identity()
        self._update_count()
        if selected is not None:
            self.select_student(selected)

    def _fill_combo(self, combo: QComboBox, all_text: str, values: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, "")
        for value in values:
            combo.addItem(value, value)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
        combo.blockSignals(False)

    def _student_changed(self, student_id: int) -> None:
        if student_id < 0:
            self.reload()
            return
        row = self.roster.row(student_id)
        if row is not None:
            self.model.update_row(row)
            self._load_identity([student_id])
            self._update_count()

    def _load_identity(self, student_ids: list[int] | None = None) -> None:
        """The identity column: each student's verdict (one query for the station, or for these students)."""
        if self.identity is None or self.station_id is None:
            self.model.set_identity({})
            return
        states = self.identity.statuses(self.station_id, student_ids)
        self.model.set_identity(states, replace=student_ids is None)

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("显示 %1 / 共 %2 人")
            .replace("%1", str(self.model.rowCount()))
            .replace("%2", str(self.model.total_count()))
        )

    # -- search and selection ----------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _apply_search(self) -> None:
        self.model.set_filter(needle=self.search_edit.text())
        self._update_count()

    def clear_filters(self) -> None:
        """Search, class, major and photo state back to 全部; 学籍异动 shown again."""
        self._search_timer.stop()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        for combo in (self.class_combo, self.major_combo, self.photo_combo, self.identity_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.withdrawn_check.blockSignals(True)
        self.withdrawn_check.setChecked(True)
        self.withdrawn_check.blockSignals(False)
        self.model.set_filter(needle="", class_name="", major="", show_withdrawn=True, photo_state="")
        self.model.set_identity_filter("")
        self._update_count()

    def _filters_changed(self) -> None:
        self.model.set_filter(
            class_name=self.class_combo.currentData() or "",
            major=self.major_combo.currentData() or "",
            photo_state=self.photo_combo.currentData() or "",
        )
        self.model.set_identity_filter(self.identity_combo.currentData() or "")
        self._update_count()

    def jump_to_scanned(self) -> None:
        """A scanner types a 学号 or 身份证号 and Enter: select that student, whatever the filters."""
        text = self.search_edit.text().strip()
        if not text:
            return
        student = self.roster.find_by_scan(text, self.station_id)
        self._search_timer.stop()
        if student is None:
            self._apply_search()
            if self.model.rowCount() >= 1:
                self.table.selectRow(0)
            return
        self.search_edit.clear()
        self.show_scanned(student.id)
        self.search_edit.setFocus()

    def show_scanned(self, student_id: int) -> None:
        """Select a scanned student whatever the filters (they are cleared so the row is visible)."""
        search = self.search_edit.text()
        self.clear_filters()
        self.search_edit.blockSignals(True)
        self.search_edit.setText(search)  # what was typed stays (a scan cleared it before)
        self.search_edit.blockSignals(False)
        self.select_student(student_id)

    def select_student(self, student_id: int) -> bool:
        row = self.model.row_of_student(student_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), index.parent()):
            return None
        row = self.model.student_at(index.row())
        return row.id if row else None

    # -- actions ----------------------------------------------------------------------------------
    def _notify(self, student_id: int) -> None:
        if student_id < 0:
            self.events.rosterChanged.emit()
        else:
            self.events.studentChanged.emit(student_id)

    def _need_station(self) -> bool:
        if self.station_id is None:
            QMessageBox.information(
                self, self.tr("请先建立学习中心"), self.tr("请先在“学习中心”菜单中新建学习中心/函授站。")
            )
            return False
        return True

    def _open_dialog(self, dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current_dialog = dialog
        dialog.open()
        return dialog

    def add_student(self):
        if not self._need_station():
            return None
        station = self.stations.get(self.station_id)
        defaults = {
            "school_name": station.school_name,
            "school_code": station.school_code,
            "school_type": station.default_school_type,
        }

        def submit(values):
            student = self.roster.add(self.station_id, values)
            self.undo_stack.push(
                AddStudentCommand(self.roster, self.station_id, student.id, values, self._notify)
            )
            self._notify(-1)
            self.select_student(student.id)

        return self._open_dialog(
            StudentDialog(self, self.tr("新增学生"), defaults, station.dept_codes, submit)
        )

    def edit_selected(self):
        student_id = self.selected_id()
        if student_id is None:
            return None
        student = self.roster.get(student_id)
        dept_codes = self.stations.get(student.station_id).dept_codes

        def submit(values):
            changes = self.roster.update(student_id, values)
            if changes:
                label = f"{student.student_no} {student.name}"
                self.undo_stack.push(
                    EditStudentCommand(self.roster, student_id, changes, label, self._notify)
                )
                self._notify(student_id)

        title = self.tr("编辑学生 %1").replace("%1", f"{student.student_no} {student.name}")
        return self._open_dialog(StudentDialog(self, title, student_values(student), dept_codes, submit))

    def toggle_withdrawn(self) -> None:
        student_id = self.selected_id()
        if student_id is None:
            return
        student = self.roster.get(student_id)
        label = f"{student.student_no} {student.name}"
        previous = (student.withdrawn, student.withdrawn_reason, student.withdrawn_date)
        reason = ""
        if not student.withdrawn:
            reason, ok = QInputDialog.getText(
                self,
                self.tr("学籍异动"),
                self.tr("%1 的异动原因（如 退学、转学、休学）：").replace("%1", label),
            )
            if not ok:
                return
        try:
            self.roster.set_withdrawn(student_id, not student.withdrawn, reason)
        except StudentError as exc:
            QMessageBox.warning(self, self.tr("学籍异动"), str(exc))
            return
        self.undo_stack.push(
            WithdrawCommand(
                self.roster, student_id, not student.withdrawn, reason, previous, label, self._notify
            )
        )
        self._notify(student_id)

    def _with_enrolment(self) -> list[tuple[int, str]]:
        """The selected students having an enrolment photo (as the 人脸比对 column knows): id, "学号 姓名"."""
        students = (self.model.student_at(r) for r in self.table_tools.selected_rows())
        return [
            (row.id, f"{row.student_no} {row.name}")
            for row in students
            if row is not None and self.model.identity_of(row.id) != NO_ENROLMENT
        ]

    def delete_enrolment(self) -> BackgroundOp | None:
        """Context menu 删除录取照片…: the selected students' enrolment photos, after one confirmation."""
        if self.identity is None:
            return None
        return delete_enrolment(self, self.identity, self._with_enrolment(), self.events)

    # -- import -----------------------------------------------------------------------------------
    def choose_import_file(self) -> None:
        if not self._need_station():
            return
        start = self.settings.get("last_import_dir") if self.settings else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择花名册文件"), start, self.tr("花名册 (*.xlsx *.xls *.csv);;所有文件 (*)")
        )
        if path:
            if self.settings:
                self.settings.set("last_import_dir", str(Path(path).parent))
            self.start_import(path)

    def start_import(self, path: str) -> None:
        op = BackgroundOp(
            self, lambda ctx: self.importer.read(path), self.tr("正在读取花名册……"), cancellable=False
        )
        op.success(self.open_import_dialog).failure(self._read_failed).run()

    def paste_rows(self) -> None:
        """Rows copied from Excel/WPS with the roster's header line: previewed and checked as an import."""
        if not self._need_station():
            return
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            QMessageBox.information(
                self,
                self.tr("粘贴学生"),
                self.tr("剪贴板中没有表格。请在 Excel 或 WPS 中选中包括表头行在内的若干行，复制后再粘贴。"),
            )
            return
        op = BackgroundOp(
            self, lambda ctx: roster_from_text(text), self.tr("正在读取粘贴的内容……"), cancellable=False
        )
        op.success(self.open_import_dialog).failure(self._read_failed).run()

    def _read_failed(self, exc: BaseException) -> None:
        message = (
            str(exc) if isinstance(exc, RosterReadError) else self.tr("读取失败：%1").replace("%1", str(exc))
        )
        QMessageBox.warning(self, self.tr("无法读取花名册"), message + self.tr("\n\n未写入任何数据。"))

    def open_import_dialog(self, roster: RosterFile) -> ImportDialog:
        station = self.stations.get(self.station_id)
        dialog = ImportDialog(self, self.importer, roster, station.id, station.name)
        dialog.imported.connect(
            lambda report: (
                drop_redo(self.undo_stack),
                self.events.rosterChanged.emit(),
                self.importFinished.emit(report),
            )
        )
        return self._open_dialog(dialog)
