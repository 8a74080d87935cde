"""The Export tab: pre-flight, the disc package, the 汇总表, fees, capture-card data and proof sheets.

Every long run goes through BackgroundOp (progress after ~600 ms, Cancel), the proof sheet's preview too
(it renders a class's photos); every printable form has a print preview (QPrintPreviewDialog) painted by
the same code that writes its PDF. When a run is done the result folder opens (unless “完成后打开文件夹”
is unticked). The 汇总表, fee tally and card data follow the delivery chosen beside them (the latest disc
by default), so they count the students that disc holds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
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

from app.models import ACCEPTED_STATES
from app.printing.delivery_table import form_doc, paint_table
from app.printing.proof_sheet_pdf import export_proof_sheets, paint_proof_sheet
from app.services.capture.service import CaptureService
from app.services.common.classes import UNASSIGNED, class_label, group_by_class
from app.services.common.errors import UnexpectedError
from app.services.common.files import WriteError
from app.services.delivery.exports import WORKBOOKS, ExportService
from app.services.delivery.package import Cancelled, PackageRefused, safe_component
from app.services.delivery.preflight import STATION_FIX, PreflightReport
from app.services.delivery.proof_sheet import proof_classes
from app.services.delivery.records import CURRENT, LATEST
from app.services.delivery.source import DeliveryError, load_delivery
from app.services.photo import list_presets, load_preset
from app.ui.events import AppEvents
from app.ui.i18n import export_summary, package_summary, preflight_summary, tr_data
from app.ui.list_model import ListTableModel
from app.ui.ops import BackgroundOp
from app.ui.print_preview import open_preview
from app.ui.table_tools import attach

log = logging.getLogger(__name__)

FILE_NAMES = {"summary": "采集汇总表.xlsx", "fees": "费用汇总表.xlsx", "cards": "采集卡填涂数据.xlsx"}


def open_folder(path: Path) -> None:
    """Show a folder in the system's file manager (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ExportTab(QWidget):
    exportFinished = Signal(str)  # the file or folder written
    preflightFinished = Signal(object)  # PreflightReport

    def __init__(
        self, db, capture: CaptureService, events: AppEvents, settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.capture, self.events, self.settings = db, capture, events, settings
        self.service = ExportService(db.sessions, capture.store, settings.operator() if settings else "")
        self.station_id: int | None = None
        self.report: PreflightReport | None = None
        self.op: BackgroundOp | None = None
        self.last_path: Path | None = None
        self.station_name = ""
        self._preset_station: int | None = None
        self._build()
        events.rosterChanged.connect(self._data_changed)
        events.studentChanged.connect(lambda _sid: self._data_changed())
        self._set_enabled(False)

    # -- building ----------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.station_label = QLabel(self.tr("未选择学习中心"))
        self.station_label.setObjectName("export_station_label")
        layout.addWidget(self.station_label)
        layout.addWidget(self._build_output())
        row = QHBoxLayout()
        row.addWidget(self._build_package(), 3)
        row.addWidget(self._build_forms(), 2)
        layout.addLayout(row)
        layout.addWidget(self._build_blockers(), 1)
        self.status_label = QLabel()
        self.status_label.setObjectName("export_status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

    def _build_output(self) -> QGroupBox:
        box = QGroupBox(self.tr("输出位置"))
        row = QHBoxLayout(box)
        self.out_edit = QLineEdit(self._default_out_dir())
        self.out_edit.setObjectName("export_out_dir")
        row.addWidget(self.out_edit, 1)
        choose = QPushButton(self.tr("选择文件夹…"))
        choose.clicked.connect(self.choose_out_dir)
        row.addWidget(choose)
        self.open_check = QCheckBox(self.tr("完成后打开文件夹"))
        self.open_check.setChecked(True)
        row.addWidget(self.open_check)
        return box

    def _build_package(self) -> QGroupBox:
        box = QGroupBox(self.tr("报送光盘包（照片 + 汇总表 + 文件清单 + 说明）"))
        form = QFormLayout(box)
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("export_preset")
        for name in list_presets():
            self.preset_combo.addItem(
                self.tr("%1（%2）").replace("%1", tr_data(load_preset(name).title)).replace("%2", name), name
            )
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        form.addRow(self.tr("照片规格："), self.preset_combo)
        self.naming_combo = QComboBox()
        self.naming_combo.setObjectName("export_naming")
        self.naming_combo.setEditable(True)
        self.naming_combo.setToolTip(
            self.tr("可用字段：{shot_no} 拍摄序号、{id_number} 身份证号码、{student_no} 学号、{name} 姓名")
        )
        form.addRow(self.tr("文件命名："), self.naming_combo)
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("export_format")
        for key, label in (
            ("folder", self.tr("文件夹")),
            ("zip", self.tr("ZIP 压缩包")),
            ("iso", self.tr("ISO 光盘映像")),
        ):
            self.format_combo.addItem(label, key)
        form.addRow(self.tr("打包格式："), self.format_combo)
        self.exclude_check = QCheckBox(self.tr("排除有问题的学生后打包（记入操作日志）"))
        self.exclude_check.setObjectName("export_exclude")
        form.addRow(self.exclude_check)
        buttons = QHBoxLayout()
        self.preflight_button = QPushButton(self.tr("报送前检查"))
        self.preflight_button.setObjectName("export_preflight")
        self.preflight_button.clicked.connect(self.run_preflight)
        buttons.addWidget(self.preflight_button)
        self.package_button = QPushButton(self.tr("生成报送包"))
        self.package_button.setObjectName("export_package")
        self.package_button.clicked.connect(self.run_package)
        buttons.addWidget(self.package_button)
        form.addRow(buttons)
        return box

    def _build_forms(self) -> QGroupBox:
        box = QGroupBox(self.tr("表格与打印"))
        grid = QGridLayout(box)
        self.form_buttons: dict[str, QPushButton] = {}
        labels = {
            "summary": self.tr("采集汇总表"),
            "fees": self.tr("费用汇总表"),
            "cards": self.tr("采集卡填涂数据"),
        }
        grid.addWidget(QLabel(self.tr("按报送：")), 0, 0)
        self.delivery_combo = QComboBox()
        self.delivery_combo.setObjectName("export_delivery")
        self.delivery_combo.setToolTip(
            self.tr("汇总表、费用汇总表和采集卡数据列出这次报送光盘上的学生，与光盘人数一致")
        )
        grid.addWidget(self.delivery_combo, 0, 1, 1, 2)
        for r, kind in enumerate(("summary", "fees", "cards"), start=1):
            grid.addWidget(QLabel(labels[kind]), r, 0)
            export = QPushButton(self.tr("导出 Excel"))
            export.setObjectName(f"export_{kind}")
            export.clicked.connect(lambda _=False, k=kind: self.export_workbook(k))
            grid.addWidget(export, r, 1)
            preview = QPushButton(self.tr("打印预览…"))
            preview.setObjectName(f"preview_{kind}")
            preview.clicked.connect(lambda _=False, k=kind: self.preview_form(k))
            grid.addWidget(preview, r, 2)
            self.form_buttons[kind] = export
            self.form_buttons[f"preview_{kind}"] = preview
        r = 4
        grid.addWidget(QLabel(self.tr("校对表（每班一份）")), r, 0)
        proof = QPushButton(self.tr("生成 PDF"))
        proof.setObjectName("export_proofsheet")
        proof.clicked.connect(self.export_proof_sheets)
        grid.addWidget(proof, r, 1)
        self.class_combo = QComboBox()
        self.class_combo.setObjectName("export_class")
        grid.addWidget(self.class_combo, r + 1, 0)
        preview = QPushButton(self.tr("打印预览…"))
        preview.setObjectName("preview_proofsheet")
        preview.clicked.connect(self.preview_proof_sheet)
        grid.addWidget(preview, r + 1, 2)
        self.form_buttons["proofsheet"] = proof
        self.form_buttons["preview_proofsheet"] = preview
        return box

    def _build_blockers(self) -> QGroupBox:
        box = QGroupBox(self.tr("报送前检查结果"))
        layout = QVBoxLayout(box)
        self.preflight_label = QLabel(self.tr("尚未检查"))
        self.preflight_label.setObjectName("preflight_summary")
        layout.addWidget(self.preflight_label)
        self.blocker_model = ListTableModel(
            [self.tr("拍摄序号"), self.tr("姓名"), self.tr("学号"), self.tr("问题")]
        )
        self.blocker_view = QTableView()
        self.blocker_view.setObjectName("blocker_table")
        self.blocker_view.setModel(self.blocker_model)
        self.blocker_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.blocker_view.verticalHeader().hide()
        self.blocker_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.blocker_tools = attach(
            self.blocker_view, "preflight", self.tr("报送前检查"), settings=self.settings
        )
        self.blocker_tools.set_empty_state(self._blockers_empty_state)
        layout.addWidget(self.blocker_view)
        return box

    def _blockers_empty_state(self):
        if self.station_id is None:
            return (self.tr("还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站"), None, None)
        if self.report is None:
            return (self.tr("尚未检查"), self.tr("报送前检查"), self.run_preflight)
        return (self.tr("没有发现问题：可以生成报送包"), None, None)

    # -- station and settings -------------------------------------------------------------------------
    def set_station(self, station_id: int | None) -> None:
        """Show the delivery of this station (None: nothing selected); a new station clears the check."""
        if station_id != self.station_id:
            self.report = None
            self.blocker_model.set_rows([])
            self.preflight_label.setText(self.tr("尚未检查"))
            self.status_label.clear()
        self.station_id = station_id
        self.station_name = ""
        self.blocker_tools.refresh_empty()
        self._set_enabled(station_id is not None)
        if station_id is None:
            self.station_label.setText(self.tr("未选择学习中心"))
            self.class_combo.clear()
            self.delivery_combo.clear()
            return
        try:
            delivery = load_delivery(self.db.sessions, station_id)
        except DeliveryError as exc:
            self.station_label.setText(str(exc))
            self._set_enabled(False)
            return
        self.station_name = delivery.station.name
        if self._preset_station != station_id:  # the station's own preset, until the user picks another
            self._preset_station = station_id
            index = self.preset_combo.findData(delivery.station.default_preset)
            if index >= 0:
                self.preset_combo.setCurrentIndex(index)
            self._preset_changed()
        self._show_counts(delivery)
        self._fill_deliveries()
        current = self.class_combo.currentData()
        self.class_combo.clear()
        for name in group_by_class(delivery.students):  # 未分班 as the printed form says
            self.class_combo.addItem(self.tr("未分班") if name == UNASSIGNED else name, name)
        if current:
            self.class_combo.setCurrentIndex(max(self.class_combo.findData(current), 0))

    def _show_counts(self, delivery) -> None:
        accepted = sum(1 for s in delivery.students if s.photo_state in ACCEPTED_STATES)
        overrides = sum(1 for s in delivery.students if s.photo_state == "override")
        st = delivery.station
        self.station_label.setText(
            self.tr("%1（%2 %3）：报送 %4 名学生，照片已接受 %5 名（其中仍接受 %7 名）；每生费用 %6 元")
            .replace("%1", st.name)
            .replace("%2", st.school_name)
            .replace("%3", st.school_code)
            .replace("%4", str(len(delivery.students)))
            .replace("%5", str(accepted))
            .replace("%6", f"{st.fee_per_student:.2f}")
            .replace("%7", str(overrides))
        )

    def _fill_deliveries(self, select: int | str | None = None) -> None:
        """The delivery records to follow: the latest disc first (the default), each disc, the current students."""
        keep = self.delivery_combo.currentData() if select is None else select
        self.delivery_combo.clear()
        if self.station_id is None:
            return
        records = self.service.records(self.station_id)
        if records:
            newest = records[0]
            self.delivery_combo.addItem(
                self.tr("最近一次报送（#%1，%2 人）")
                .replace("%1", str(newest.id))
                .replace("%2", str(newest.count)),
                LATEST,
            )
            for r in records:
                self.delivery_combo.addItem(
                    self.tr("报送 #%1：%2，%3 人，%4")
                    .replace("%1", str(r.id))
                    .replace("%2", f"{r.local_time:%Y-%m-%d %H:%M}")
                    .replace("%3", str(r.count))
                    .replace("%4", r.preset),
                    r.id,
                )
            self.delivery_combo.addItem(self.tr("当前全部学生（不按报送记录）"), CURRENT)
        else:
            self.delivery_combo.addItem(self.tr("当前全部学生（尚无报送记录）"), LATEST)
        index = self.delivery_combo.findData(keep) if keep is not None else -1
        self.delivery_combo.setCurrentIndex(max(index, 0))

    def which_delivery(self) -> int | str:
        """The delivery the workbooks follow: a record id, LATEST or CURRENT."""
        return self.delivery_combo.currentData() or LATEST

    def _data_changed(self) -> None:
        if self.station_id is not None and self.isVisible() and self.op is None:
            self.set_station(self.station_id)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.station_id is not None and self.op is None:
            self.set_station(self.station_id)  # counts may have changed on another tab

    def _set_enabled(self, enabled: bool) -> None:
        for w in (self.preflight_button, self.package_button, *self.form_buttons.values()):
            w.setEnabled(enabled)

    def _preset_changed(self) -> None:
        name = self.preset_combo.currentData()
        if not name:
            return
        self.naming_combo.clear()
        self.naming_combo.addItems(list(load_preset(name).naming) or ["{shot_no}.JPG"])

    def _default_out_dir(self) -> str:
        saved = self.settings.get("last_export_dir") if self.settings is not None else ""
        return saved or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    def choose_out_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("选择输出文件夹"), self.out_edit.text())
        if path:
            self.out_edit.setText(path)

    def out_dir(self) -> Path | None:
        text = self.out_edit.text().strip()
        if not text:
            QMessageBox.warning(self, self.tr("导出"), self.tr("请先选择输出文件夹"))
            return None
        if self.settings is not None:
            self.settings.set("last_export_dir", text)
        return Path(text)

    # -- running -------------------------------------------------------------------------------------
    def _busy(self) -> bool:
        if self.op is not None:
            QMessageBox.information(self, self.tr("导出"), self.tr("上一个导出任务还在进行，请稍候"))
            return True
        return False

    def _run(self, fn, label: str, on_success, cancellable: bool = True) -> None:
        self._set_enabled(False)
        self.op = (
            BackgroundOp(self, fn, label, cancellable)
            .success(lambda result: self._done(on_success, result))
            .failure(self._failed)
        )
        self.op.run()

    def _done(self, on_success, result) -> None:
        self.op = None
        self._set_enabled(self.station_id is not None)
        on_success(result)

    def _failed(self, exc: BaseException) -> None:
        self.op = None
        self._set_enabled(self.station_id is not None)
        if isinstance(exc, PackageRefused):
            self._show_report(exc.report)
            if exc.report.station:
                text = self.tr("%1。\n排除学生不能解决学习中心的设置问题：请在“学习中心设置”中补全后再打包。")
            else:
                text = self.tr(
                    "%1。\n请处理下方列出的问题，或勾选“排除有问题的学生后打包”（将记入操作日志）。"
                )
            summary = self._report_summary(exc.report)
            QMessageBox.warning(self, self.tr("拒绝打包"), text.replace("%1", summary))
            self.status_label.setText(self.tr("未打包：") + summary)
        elif isinstance(exc, Cancelled):
            self.status_label.setText(self.tr("已取消，未写入任何文件"))
        elif isinstance(exc, (DeliveryError, WriteError, OSError, UnexpectedError)):
            # UnexpectedError: a full disk or a store held elsewhere, already put into Chinese (details logged)
            self.status_label.setText(self.tr("导出失败：") + str(exc))
            QMessageBox.warning(self, self.tr("导出失败"), str(exc))
        else:
            log.error("导出失败：%s", getattr(exc, "__traceback_text__", exc))
            self.status_label.setText(self.tr("导出失败：") + str(exc))
            QMessageBox.critical(self, self.tr("导出失败"), str(exc))

    def _finished(self, path: Path, message: str) -> None:
        self.last_path = path
        self.status_label.setText(message)
        self.exportFinished.emit(str(path))
        if self.open_check.isChecked():
            open_folder(path if path.is_dir() else path.parent)

    # -- pre-flight and package --------------------------------------------------------------------------
    def run_preflight(self) -> None:
        if self.station_id is None or self._busy():
            return
        sid, preset, naming = (
            self.station_id,
            self.preset_combo.currentData(),
            self.naming_combo.currentText(),
        )
        # Photos are rendered too (and discarded), so file sizes are checked exactly as packaging will.
        self._run(
            lambda ctx: self.service.preflight(sid, preset, naming, render=True, progress=ctx),
            self.tr("正在检查（逐张生成照片以核对文件大小）…"),
            self._show_report,
        )

    def _report_summary(self, report: PreflightReport) -> str:
        """The pre-flight's summary, the station's missing settings named first."""
        if not report.station:
            return preflight_summary(report)
        text = self.tr("学习中心设置不完整，不能打包：%1").replace(
            "%1", "；".join(p.message for p in report.station)
        )
        return text + ("；" + preflight_summary(report) if report.blockers else "")

    def _show_report(self, report: PreflightReport) -> None:
        self.report = report
        rows = [["", self.tr("学习中心"), "", f"{p.message}（{STATION_FIX}）"] for p in report.station]
        rows += [
            [b.shot_no, b.name, b.student_no, b.message]
            for b in sorted(report.blockers, key=lambda b: (b.shot_no, b.kind))
        ]
        blocked = report.blocked_ids
        rows += [  # listed, not blocking: 仍接受 photos and soft failures under another preset
            [w.shot_no, w.name, w.student_no, self.tr("提示（不阻止报送）：") + w.message]
            for w in sorted(report.warnings, key=lambda b: (b.shot_no, b.kind))
            if w.student_id not in blocked
        ]
        self.blocker_model.set_rows(rows)
        self.preflight_label.setText(self._report_summary(report))
        self.preflightFinished.emit(report)

    def run_package(self) -> None:
        if self.station_id is None or self._busy():
            return
        out = self.out_dir()
        if out is None:
            return
        exclude = self.exclude_check.isChecked()
        if exclude and self.report is not None and self.report.blockers:
            n = len(self.report.blocked_ids)
            answer = QMessageBox.question(
                self,
                self.tr("排除学生"),
                self.tr("将把 %1 名有问题的学生排除在本次报送之外，并记入操作日志。继续吗？").replace(
                    "%1", str(n)
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        sid, preset, naming = (
            self.station_id,
            self.preset_combo.currentData(),
            self.naming_combo.currentText(),
        )
        fmt = self.format_combo.currentData()

        def work(ctx):
            return self.service.package(sid, out, fmt, preset, naming, exclude, ctx)

        self._run(work, self.tr("正在生成报送包…"), self._package_done)

    def _package_done(self, result) -> None:
        if result.excluded:
            report = PreflightReport(
                total=result.count + len({b.student_id for b in result.excluded}),
                blockers=list(result.excluded),
            )
            self._show_report(report)
            self.preflight_label.setText(self.tr("已排除：") + preflight_summary(report))
        else:
            self._show_report(PreflightReport(total=result.count))
        self._fill_deliveries(select=LATEST)  # the workbooks now follow this disc
        self._finished(result.path, package_summary(result))

    # -- workbooks and printing ---------------------------------------------------------------------------
    def export_workbook(self, kind: str) -> None:
        if self.station_id is None or self._busy():
            return
        out = self.out_dir()
        if out is None:
            return
        sid, which = self.station_id, self.which_delivery()
        path = out / f"{safe_component(self.station_name)}_{FILE_NAMES[kind]}"
        self._run(
            lambda ctx: self.service.workbook(kind, sid, path, which),
            self.tr("正在导出%1…").replace("%1", tr_data(WORKBOOKS[kind][0])),
            lambda result: self._finished(result.path, self._workbook_message(result)),
            cancellable=False,
        )

    def _workbook_message(self, result) -> str:
        if result.record is None:
            return export_summary(result) + self.tr("（当前全部学生）")
        text = export_summary(result) + self.tr("（按报送 #%1）").replace("%1", str(result.record.id))
        if result.missing:
            text += self.tr("；该报送中另有 %1 名学生已从花名册删除，未列入").replace(
                "%1", str(result.missing)
            )
        return text

    def export_proof_sheets(self) -> None:
        if self.station_id is None or self._busy():
            return
        out = self.out_dir()
        if out is None:
            return
        sid = self.station_id
        folder = out / f"{safe_component(self.station_name)}_校对表"

        def work(ctx):
            return export_proof_sheets(self.service, sid, folder, ctx)

        self._run(
            work,
            self.tr("正在生成校对表…"),
            lambda files: self._finished(
                folder,
                self.tr("已生成 %1 份校对表 PDF → %2")
                .replace("%1", str(len(files)))
                .replace("%2", str(folder)),
            ),
        )

    def _preview(self, title: str, landscape: bool, paint) -> QPrintPreviewDialog:
        dialog = open_preview(self, title, landscape, paint, modal=True)
        self.preview_dialog = dialog
        return dialog

    def preview_form(self, kind: str) -> None:
        """Print preview of the 汇总表, fee tally or capture-card data."""
        if self.station_id is None:
            return
        try:
            doc = form_doc(kind, self.service.delivered(self.station_id, self.which_delivery()).delivery)
        except DeliveryError as exc:
            QMessageBox.warning(self, self.tr("打印预览"), str(exc))
            return
        self._preview(doc.title, doc.landscape, lambda printer: paint_table(doc, printer))

    def preview_proof_sheet(self) -> None:
        """Print preview of one class's proof sheet (the class chosen beside the button); the class's photos
        are rendered in the background (a class of 60 took seconds on the GUI thread), then the preview opens."""

        if self.station_id is None or self._busy():
            return
        sid, wanted, store = self.station_id, self.class_combo.currentData(), self.capture.store

        def work(ctx):
            delivery = load_delivery(self.db.sessions, sid)
            one = delivery.only({s.id for s in delivery.students if class_label(s.class_name) == wanted})
            if not one.students:
                return None
            preset = load_preset(delivery.station.default_preset)
            try:
                group = proof_classes(one, store, preset, ctx.progress, ctx.cancelled)[0]
            except DeliveryError:
                if ctx.cancelled():
                    raise Cancelled() from None
                raise
            return delivery.station.name, group, preset.aspect

        self._run(work, self.tr("正在生成校对表预览…"), self._open_proof_preview)

    def _open_proof_preview(self, made) -> None:
        if made is None:
            QMessageBox.information(self, self.tr("打印预览"), self.tr("没有可预览的班级"))
            return
        station_name, group, aspect = made
        self._preview(
            self.tr("校对表 %1").replace("%1", group.class_name),
            False,
            lambda printer: paint_proof_sheet(group, station_name, printer, aspect),
        )
