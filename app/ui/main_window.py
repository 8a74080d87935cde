"""The main window: assembles the tabs, the station selector, menus and the undo stack."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)

from app import APP_TITLE_ZH, __version__
from app.config import Settings
from app.db import Database
from app.services.capture import CaptureService, photo_store_for
from app.services.files import WriteError
from app.services.roster import RosterService
from app.services.roster_import import RosterImporter
from app.services.stations import StationData, StationService
from app.services.proofing import ProofingService
from app.ui.capture_tab import CaptureTab
from app.ui.events import AppEvents
from app.ui.proofing_tab import ProofingTab
from app.ui.roster_tab import RosterTab
from app.ui.station_dialog import StationDialog


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.settings = db, settings
        operator = settings.operator()
        self.events = AppEvents(self)
        self.undo_stack = QUndoStack(self)
        self.stations = StationService(db.sessions, operator)
        self.roster = RosterService(db.sessions, operator)
        self.importer = RosterImporter(db.sessions, operator)
        self.capture = CaptureService(db.sessions, photo_store_for(db), operator)
        self.proofing = ProofingService(db.sessions, operator)
        self.setWindowTitle(f"{self.tr(APP_TITLE_ZH)} GradPhoto {__version__}")
        self.resize(1400, 860)
        self.tabs = QTabWidget()
        self.roster_tab = RosterTab(self.roster, self.stations, self.importer, self.events, self.undo_stack,
                                    settings)
        self.tabs.addTab(self.roster_tab, self.tr("采集花名册"))
        self.capture_tab = CaptureTab(self.roster, self.capture, self.events, self.undo_stack, settings)
        self.tabs.addTab(self.capture_tab, self.tr("照片裁剪"))
        self.proofing_tab = ProofingTab(self.proofing, self.roster, self.capture, self.events, self.undo_stack,
                                        settings)
        self.tabs.addTab(self.proofing_tab, self.tr("图像校对"))
        self.roster_tab.model.set_thumbnail_provider(self.capture.thumbnails)
        self.setCentralWidget(self.tabs)
        self._build_toolbar()
        self._build_menus()
        self.events.stationsChanged.connect(self.reload_stations)
        self.roster_tab.importFinished.connect(
            lambda r: self.statusBar().showMessage(self.tr("导入完成：%1").replace("%1", r.summary()), 10000))
        self.reload_stations()
        self._restore_layout()

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
        self._action(edit_menu, self.tr("查找学生"), self.roster_tab.focus_search, "Ctrl+F")
        station_menu = self.menuBar().addMenu(self.tr("学习中心(&S)"))
        self._action(station_menu, self.tr("新建学习中心/函授站…"), self.new_station)
        self._action(station_menu, self.tr("编辑当前学习中心…"), self.edit_station)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
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
        self.roster_tab.set_station(station_id)
        preset = self.stations.get(station_id).default_preset if station_id is not None else None
        self.capture_tab.set_station(station_id, preset)
        self.proofing_tab.set_station(station_id)
        self.events.stationSelected.emit(station_id or 0)

    def new_station(self) -> StationDialog:
        def submit(data: StationData) -> None:
            station = self.stations.create(data)
            self.reload_stations(station.id)

        return self._open_dialog(StationDialog(self, None, submit))

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

    # -- other actions ----------------------------------------------------------------------------
    def export_csv(self) -> None:
        start = self.settings.get("last_export_dir") or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出花名册 CSV"), str(Path(start) / "花名册.csv"),
                                              self.tr("CSV 文件 (*.csv)"))
        if not path:
            return
        self.settings.set("last_export_dir", str(Path(path).parent))
        try:
            count = self.roster.export_csv(path, self.current_station_id())
        except WriteError as exc:
            QMessageBox.warning(self, self.tr("导出失败"), str(exc))
            return
        self.statusBar().showMessage(self.tr("已导出 %1 人（含完整身份证号，已记入操作日志）").replace("%1", str(count)),
                                     10000)

    def about(self) -> None:
        QMessageBox.about(self, self.tr("关于"), self.tr(
            "<b>学历图像工作台 GradPhoto %1</b><br>高等教育学历证书电子注册图像信息的采集、裁剪、报送与校对。<br>"
            "数据库：%2").replace("%1", __version__).replace("%2", self.db.engine.url.render_as_string()))

    # -- layout memory ------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.settings.get("window/geometry")
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = self.settings.get("window/state")
        if state:
            self.restoreState(QByteArray(state))

    def closeEvent(self, event) -> None:
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/state", self.saveState())
        super().closeEvent(event)
