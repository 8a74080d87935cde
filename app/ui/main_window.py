"""The main window: assembles the tabs, the station selector, menus and the undo stack."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

from app import __version__
from app.config import Settings
from app.db import Database
from app.paths import photo_store_for
from app.printing.retake_list_pdf import write_retake_list
from app.services.capture.service import CaptureService
from app.services.common.backup import BackupError
from app.services.common.files import WriteError
from app.services.identity.enrolment import EnrolmentService
from app.services.proofing.service import ProofingService
from app.services.roster.importer import RosterImporter
from app.services.roster.service import RosterService
from app.services.roster.stations import StationData, StationService
from app.ui import help_dialogs as h
from app.ui import sounds
from app.ui.admin.backup_dialog import BackupDialog, restore_in_place
from app.ui.admin.bundle_dialog import export_bundle, import_bundle
from app.ui.admin.preferences_dialog import PreferencesDialog, apply_theme
from app.ui.admin.presets_dialog import PresetsDialog
from app.ui.admin.station_dialog import StationDialog
from app.ui.capture.enrolment_import_dialog import EnrolmentImportDialog
from app.ui.capture.signin_cards_action import export_signin_cards
from app.ui.capture.tab import CaptureTab
from app.ui.delivery.tab import ExportTab
from app.ui.events import AppEvents
from app.ui.first_run import FirstRunWizard
from app.ui.help_dialogs import HelpDialog
from app.ui.i18n import current_language, import_summary, install_translators, resolve_language
from app.ui.icons import icon
from app.ui.ops import BackgroundOp
from app.ui.proofing.tab import ProofingTab
from app.ui.roster.tab import RosterTab
from app.ui.scanner import ScannerFilter
from app.ui.undo import drop_redo


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.settings = db, settings
        operator = settings.operator()
        self.events = AppEvents(self)
        self.undo_stack = QUndoStack(self)
        self.stations = StationService(db.sessions, operator)
        self.roster = RosterService(
            db.sessions, operator, photo_store_for(db).root
        )  # deletes go to the store
        self.importer = RosterImporter(db.sessions, operator)
        self.capture = CaptureService(db.sessions, photo_store_for(db), operator)
        self.identity = EnrolmentService(db.sessions, self.capture.store.root, operator)
        self.proofing = ProofingService(db.sessions, operator)
        self.setWindowTitle(self.tr("学历图像工作台 GradPhoto %1").replace("%1", __version__))
        self.resize(initial_size(self))
        self.tabs = QTabWidget()
        self.roster_tab = RosterTab(
            self.roster,
            self.stations,
            self.importer,
            self.events,
            self.undo_stack,
            settings,
            identity=self.identity,
        )
        self.tabs.addTab(self.roster_tab, self.tr("采集花名册"))
        self.capture_tab = CaptureTab(
            self.roster, self.capture, self.events, self.undo_stack, settings, identity=self.identity
        )
        self.tabs.addTab(self.capture_tab, self.tr("照片裁剪"))
        self.proofing_tab = ProofingTab(
            self.proofing, self.roster, self.capture, self.events, self.undo_stack, settings
        )
        self.tabs.addTab(self.proofing_tab, self.tr("图像校对"))
        self.export_tab = ExportTab(db, self.capture, self.events, settings)
        self.tabs.addTab(self.export_tab, self.tr("报送导出"))
        self.roster_tab.model.set_thumbnail_provider(self.capture.thumbnails)
        for index, name in enumerate(("roster", "capture", "proofing", "export")):
            self.tabs.setTabIcon(index, icon(name))
        self.setWindowIcon(icon("gradphoto"))
        self.setCentralWidget(self.tabs)
        self._build_toolbar()
        self._build_menus()
        self.events.stationsChanged.connect(self.reload_stations)
        self.roster_tab.importFinished.connect(
            lambda r: self.statusBar().showMessage(
                self.tr("导入完成：%1").replace("%1", import_summary(r)), 10000
            )
        )
        self.scanner = ScannerFilter(self)
        QApplication.instance().installEventFilter(self.scanner)
        self.scanner.scanned.connect(self.handle_scan)
        self.reload_stations()
        self._restore_layout()

    def print_signin_cards(self) -> None:
        """Per-class sheets of cards with the 学号 as QR code and barcode, to hold up for the first shot."""
        station_id = self.current_station_id()
        if station_id is not None:
            export_signin_cards(self, self.db, station_id, operator=self.settings.operator())

    def print_retake_list(self, path: str | None = None) -> BackgroundOp | None:
        """The per-class 补拍名单 (retake marks and proofing returns) as one PDF, a page per class, written in
        the background; the status bar says where and for how many."""
        station_id = self.current_station_id()
        if station_id is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("保存补拍名单"),
                str(Path.home() / "补拍名单.pdf"),
                self.tr("PDF 文件 (*.pdf)"),
            )
            if not path:
                return None
        sessions = self.db.sessions

        def written(result: tuple[Path, int]) -> None:
            self.statusBar().showMessage(
                self.tr("已写入补拍名单 %1（%2 人）")
                .replace("%1", str(result[0]))
                .replace("%2", str(result[1])),
                10000,
            )

        def failed(exc: BaseException) -> None:
            QMessageBox.information(self, self.tr("补拍名单"), str(exc))

        return (
            BackgroundOp(
                self, lambda ctx: write_retake_list(sessions, station_id, path), self.tr("正在写入补拍名单…")
            )
            .success(written)
            .failure(failed)
            .run()
        )

    def choose_enrolment_folder(self) -> None:
        if self.current_station_id() is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择存放录取照片的文件夹"))
        if folder:
            self.open_enrolment_import(folder)

    def open_enrolment_import(self, folder: str) -> EnrolmentImportDialog | None:
        """Enrolment photos named by 身份证号, 学号 or 考生号: listed, then imported in the background."""
        station_id = self.current_station_id()
        if station_id is None:
            return None
        dialog = EnrolmentImportDialog(self, self.identity, station_id, folder)
        dialog.imported.connect(lambda _r: self._enrolment_imported())
        return self._open_dialog(dialog)

    def _enrolment_imported(self) -> None:
        self.events.rosterChanged.emit()  # the roster's identity column
        if self.capture_tab.student_id is not None:  # the photo on screen: its enrolment photo, its verdict
            self.capture_tab.select_student(self.capture_tab.student_id)

    # -- the barcode scanner ----------------------------------------------------------------------
    def handle_scan(self, code: str) -> bool:
        """A scan anywhere selects that student: in the roster when the roster is in front, else on the capture
        tab (a photographer's scan). Nobody: "未找到" with a sound and a red flash, and nothing else moves."""
        if QApplication.activeModalWidget() is not None:
            # A dialog is asking about the photo on screen; a scan now must not change whose photo it is.
            sounds.play(sounds.FAILED)
            self.statusBar().showMessage(
                self.tr("请先关闭对话框，再扫码（扫到：%1）").replace("%1", code), 6000
            )
            return False
        student = self.roster.find_by_scan(code, self.current_station_id())
        if student is None:
            self.scan_not_found(code)
            return False
        if student.withdrawn:
            sounds.play(sounds.FAILED)
            self.statusBar().showMessage(
                self.tr("%1 %2 已学籍异动，不再拍摄")
                .replace("%1", student.student_no)
                .replace("%2", student.name),
                6000,
            )
            return False
        if self.tabs.currentWidget() is self.roster_tab:
            self.roster_tab.show_scanned(student.id)
        elif (
            self.tabs.currentWidget() is self.capture_tab
            and self.capture_tab.selected_tray_item() is not None
        ):
            # a waiting photo is selected: the scan says whose it is
            self.capture_tab.assign_tray(self.capture_tab.selected_tray_item(), student.id)
        else:
            self.tabs.setCurrentWidget(self.capture_tab)
            self.capture_tab.select_scanned(student.id)
        return True

    def scan_not_found(self, code: str) -> None:
        sounds.play(sounds.FAILED)
        bar = self.statusBar()
        bar.setStyleSheet("QStatusBar { background: #d32f2f; color: white; font-weight: bold; }")
        bar.showMessage(self.tr("未找到：%1（不是本学习中心学生的学号或身份证号）").replace("%1", code), 6000)
        QTimer.singleShot(1500, bar, lambda: bar.setStyleSheet(""))  # dropped if the window is closed first

    def focus_search(self) -> None:
        """Ctrl+F: the search box of the tab in front (the roster's when that tab has none)."""
        tab = self.tabs.currentWidget()
        if not hasattr(tab, "focus_search"):
            self.tabs.setCurrentWidget(self.roster_tab)
            tab = self.roster_tab
        tab.focus_search()

    # -- building -------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("学习中心"))
        bar.setObjectName("station_toolbar")
        bar.setMovable(False)
        bar.addWidget(QLabel(self.tr("学习中心/函授站：")))
        self.station_combo = QComboBox()
        self.station_combo.setObjectName("station_combo")
        self.station_combo.setMinimumWidth(280)
        self.station_combo.currentIndexChanged.connect(self._station_selected)
        bar.addWidget(self.station_combo)
        self.station_info = QLabel()
        bar.addWidget(self.station_info)
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self._action(file_menu, self.tr("导入花名册(&I)…"), self.roster_tab.choose_import_file, "Ctrl+I")
        self._action(file_menu, self.tr("导出花名册 CSV（含完整身份证号）…"), self.export_csv)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("备份与恢复…"), self.open_backups)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("退出(&Q)"), self.close, QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu(self.tr("编辑(&E)"))
        undo = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, self.tr("重做"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        edit_menu.addSeparator()
        self._action(edit_menu, self.tr("查找学生"), self.focus_search, "Ctrl+F")
        station_menu = self.menuBar().addMenu(self.tr("学习中心(&S)"))
        self._action(station_menu, self.tr("新建学习中心/函授站…"), self.new_station)
        self._action(station_menu, self.tr("编辑当前学习中心…"), self.edit_station)
        station_menu.addSeparator()
        self.export_bundle_action = self._action(
            station_menu, self.tr("导出学习中心数据包…"), self.export_bundle
        )
        self._action(station_menu, self.tr("导入学习中心数据包…"), self.import_bundle)
        station_menu.addSeparator()
        self._action(station_menu, self.tr("导入录取照片（人脸比对）…"), self.choose_enrolment_folder)
        station_menu.addSeparator()
        self._action(station_menu, self.tr("打印拍摄签到卡…"), self.print_signin_cards)
        self._action(station_menu, self.tr("打印补拍名单…"), self.print_retake_list)
        settings_menu = self.menuBar().addMenu(self.tr("设置(&T)"))
        self._action(
            settings_menu, self.tr("首选项…"), self.edit_preferences, QKeySequence.StandardKey.Preferences
        )
        self._action(settings_menu, self.tr("新手引导…"), self.first_run)
        self._action(settings_menu, self.tr("照片规格…"), self.edit_presets)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self._action(help_menu, self.tr("拍摄日检查清单"), lambda: self.show_help("capture"))
        self._action(help_menu, self.tr("图像校对检查清单"), lambda: self.show_help("proofing"))
        self._action(help_menu, self.tr("快捷键一览"), lambda: self.show_help("shortcuts"), "F1")
        help_menu.addSeparator()
        self._action(help_menu, self.tr("关于"), self.about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- stations -------------------------------------------------------------------------------
    def reload_stations(self, select_id: int | None = None) -> None:
        wanted = select_id or self.current_station_id() or self.settings.get("last_station_id")
        self.station_combo.blockSignals(True)
        self.station_combo.clear()
        for station in self.stations.list():
            self.station_combo.addItem(station.name, station.id)
        index = self.station_combo.findData(wanted)
        self.station_combo.setCurrentIndex(index if index >= 0 else (0 if self.station_combo.count() else -1))
        self.station_combo.blockSignals(False)
        self._station_selected()

    def current_station_id(self) -> int | None:
        data = self.station_combo.currentData()
        return int(data) if data is not None else None

    def select_station(self, station_id: int) -> None:
        index = self.station_combo.findData(station_id)
        if index >= 0:
            self.station_combo.setCurrentIndex(index)

    def _station_selected(self) -> None:
        station_id = self.current_station_id()
        if station_id is not None:
            self.settings.set("last_station_id", station_id)
            station = self.stations.get(station_id)
            code = f"{station.school_name} {station.school_code}".strip()
            self.station_info.setText(f"  {code}" if code else "")
        else:
            self.station_info.setText(self.tr("  尚无学习中心：请在“学习中心”菜单中新建"))
        self.undo_stack.clear()  # commands belong to the station they were made in
        if hasattr(self, "export_bundle_action"):
            self.export_bundle_action.setEnabled(station_id is not None)
        self.roster_tab.set_station(station_id)
        preset = self.stations.get(station_id).default_preset if station_id is not None else None
        self.capture_tab.set_station(station_id, preset)
        self.proofing_tab.set_station(station_id)
        self.export_tab.set_station(station_id)
        self.events.stationSelected.emit(station_id or 0)

    def new_station(self) -> StationDialog:
        def submit(data: StationData) -> None:
            station = self.stations.create(data)
            self.reload_stations(station.id)

        blank = StationData(name="", default_preset=self.settings.get("default_preset"))
        return self._open_dialog(StationDialog(self, blank, submit, creating=True))

    def edit_station(self) -> StationDialog:
        station_id = self.current_station_id()
        if station_id is None:
            return self.new_station()
        data = StationData.from_station(self.stations.get(station_id))

        def submit(changed: StationData) -> None:
            self.stations.update(station_id, changed)
            self.reload_stations(station_id)

        return self._open_dialog(StationDialog(self, data, submit))

    def _open_dialog(self, dialog):
        """Window-modal and non-blocking, so the event loop (and tests) keep running."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current_dialog = dialog
        dialog.open()
        return dialog

    # -- bundles and backups -----------------------------------------------------------------------
    def _data_replaced(self, _report=None) -> None:
        drop_redo(self.undo_stack)  # a merge added or changed students behind the commands still to redo
        self.reload_stations()
        self.events.stationsChanged.emit()
        self.events.rosterChanged.emit()

    def export_bundle(self) -> None:
        station_id = self.current_station_id()
        if station_id is not None:
            export_bundle(self, self.db, self.stations.get(station_id).name, self.settings.operator())

    def import_bundle(self) -> None:
        import_bundle(self, self.db, self.settings.operator(), on_merged=self._data_replaced)

    def open_backups(self):
        dialog = BackupDialog(self, self.db.url)

        def restore(path) -> None:
            try:
                text = restore_in_place(
                    self.db, path
                )  # waits for the pool, closes connections, restores, upgrades
            except BackupError as exc:
                QMessageBox.warning(self, self.tr("无法恢复备份"), str(exc))
                return
            dialog.accept()
            self.undo_stack.clear()  # the commands describe a state that no longer exists
            self._data_replaced()
            QMessageBox.information(self, self.tr("已恢复"), text)

        dialog.restoreRequested.connect(restore)
        return self._open_dialog(dialog)

    # -- other actions ----------------------------------------------------------------------------
    def export_csv(self) -> None:
        start = self.settings.get("last_export_dir") or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出花名册 CSV"), str(Path(start) / "花名册.csv"), self.tr("CSV 文件 (*.csv)")
        )
        if not path:
            return
        self.settings.set("last_export_dir", str(Path(path).parent))
        try:
            count = self.roster.export_csv(path, self.current_station_id())
        except WriteError as exc:
            QMessageBox.warning(self, self.tr("导出失败"), str(exc))
            return
        self.statusBar().showMessage(
            self.tr("已导出 %1 人（含完整身份证号，已记入操作日志）").replace("%1", str(count)), 10000
        )

    def about(self) -> HelpDialog:
        return self.show_help("about")

    def show_help(self, topic: str) -> HelpDialog:
        pages = {
            "capture": (self.tr("拍摄日检查清单"), h.capture_checklist),
            "proofing": (self.tr("图像校对检查清单"), h.proofing_checklist),
            "shortcuts": (self.tr("快捷键一览"), h.shortcuts),
            "about": (
                self.tr("关于"),
                lambda: h.about_text(self.db.engine.url.render_as_string(hide_password=True)),
            ),
        }
        title, build = pages[topic]
        dialog = h.HelpDialog(self, title, build())
        self.current_dialog = dialog
        dialog.show()
        return dialog

    def edit_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self, self.settings)
        before = self.settings.get("language")
        dialog.accepted.connect(self.apply_preferences)
        dialog.accepted.connect(lambda: self._language_changed(before))
        return self._open_dialog(dialog)

    def _language_changed(self, before: str) -> None:
        """A new interface language: rebuild the window in it (same store, same station), once the dialog is gone."""

        language = self.settings.get("language")
        if language != before and resolve_language(language) != current_language():
            QTimer.singleShot(0, lambda: switch_language(self, self.settings.get("language")))

    def show_startup_message(self, created_station: str | None, backup_path) -> None:
        """The status line after start-up: a station made from --station, or the pre-upgrade backup."""
        if created_station:
            self.statusBar().showMessage(
                self.tr("已新建学习中心“%1”（默认设置）").replace("%1", created_station), 15000
            )
        elif backup_path:
            self.statusBar().showMessage(
                self.tr("数据库已升级，升级前的备份：%1").replace("%1", str(backup_path))
            )

    def apply_preferences(self) -> None:
        operator = self.settings.operator()
        for service in (
            self.stations,
            self.roster,
            self.importer,
            self.capture,
            self.proofing,
            self.identity,
        ):
            service.operator = operator
        self.proofing_tab.exporter.operator = operator
        apply_theme(QApplication.instance(), self.settings.get("theme"))
        if self.settings.get("hot_folder"):
            self.capture_tab.hot_folder_label.setText(self.settings.get("hot_folder"))
        self.statusBar().showMessage(self.tr("首选项已保存"), 8000)

    def edit_presets(self):
        return self._open_dialog(PresetsDialog(self))

    def first_run(self) -> FirstRunWizard:
        wizard = FirstRunWizard(self, self.settings, self.stations)

        def finished(result: int) -> None:
            self.apply_preferences()
            if wizard.station_id is not None:
                self.reload_stations(wizard.station_id)
                if result and wizard.roster_path():
                    self.roster_tab.start_import(wizard.roster_path())

        wizard.finished.connect(finished)
        self.current_dialog = wizard
        wizard.open()
        return wizard

    def remind_overdue(self) -> int:
        """At start-up: how many students are past their proofing deadline (shown in the status bar)."""
        if not self.settings.get("remind_overdue"):
            return 0
        overdue = [r for r in self.proofing.rows() if r.overdue()]
        if overdue:
            self.statusBar().showMessage(
                self.tr("提醒：%1 名学生的图像校对已过截止日期，见“图像校对”页（勾选“仅显示逾期”）").replace(
                    "%1", str(len(overdue))
                ),
                20000,
            )
        return len(overdue)

    # -- layout memory ------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.get("window/geometry")
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None and not screen.availableGeometry().contains(self.frameGeometry()):
                # Saved on a larger screen (or a projector since unplugged): fit this one instead.
                self.resize(initial_size(self))
                self.move(screen.availableGeometry().topLeft())
        state = self.settings.get("window/state")
        if state:
            self.restoreState(QByteArray(state))

    def closeEvent(self, event) -> None:
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/state", self.saveState())
        QApplication.instance().removeEventFilter(self.scanner)  # a closed window hears no scans
        super().closeEvent(event)


_windows: list = []  # the main window (a top-level widget Python must keep alive across a language switch)


PREFERRED_SIZE = (1400, 860)


def initial_size(widget: QWidget) -> QSize:
    """The first window size: 1400×860 where the screen has room, else what the available area (screen minus
    taskbar, minus a title bar and frame) holds — a 1366×768 laptop or 1920×1080 at 150 % gets a window that
    fits, buttons and status bar in sight."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(*PREFERRED_SIZE)
    area = screen.availableGeometry()
    return QSize(min(PREFERRED_SIZE[0], area.width() - 16), min(PREFERRED_SIZE[1], area.height() - 48))


def switch_language(window, language: str):
    """Install the translators for `language` and rebuild the main window in it.

    The new window shares the store and the settings and opens on the same station; the old one is
    closed (saving its layout) and deleted. Returns the new window.
    """
    app = QApplication.instance()
    install_translators(app, resolve_language(language))
    station_id = window.current_station_id()
    window.settings.set("window/geometry", window.saveGeometry())  # the new window opens where this one was
    window.settings.set("window/state", window.saveState())
    new = MainWindow(window.db, window.settings)
    if station_id is not None:
        new.select_station(station_id)
    new.tabs.setCurrentIndex(window.tabs.currentIndex())
    new.show()  # before closing the old one, or closing the last window would quit the application
    new.statusBar().showMessage(QCoreApplication.translate("MainWindow", "界面语言已切换"), 8000)
    _windows[:] = [new]
    window.close()
    window.deleteLater()
    return new


def keep_alive(window) -> None:
    """Hold the one main window (Qt does not own a top-level widget; Python must keep it)."""
    _windows[:] = [window]
