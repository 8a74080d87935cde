"""The cropping tab for capture day: current student, hot folder, crop view with guide, preview, checks.

Keyboard flow (focus on the photo): Enter accepts and moves to the next student without an accepted
photo; arrows nudge (Shift: ×5); + / - scale; [ / ] rotate (only where the preset allows rotating);
R marks for a retake; 0 resets the crop. A hard failure cannot be accepted; soft failures ask for a
reason (仍接受).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QIcon, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.capture.hotfolder import HotFolderWatcher
from app.services.capture.progress import day_counts
from app.services.capture.service import CaptureError, CaptureService, HardFailure, NeedsConfirmation
from app.services.identity.compare import Comparison
from app.services.identity.enrolment import EnrolmentService
from app.services.photo import CropResult, load_preset, render_crop
from app.services.photo.loading import load_photo
from app.services.photo.qc import QualityCheck
from app.services.proofing.retakes import retake_queue
from app.services.roster.service import RosterService
from app.ui import sounds
from app.ui.capture.commands import AdjustCropCommand, AssignTrayCommand, PhotoStateCommand
from app.ui.capture.crop_view import CropView, array_to_qimage, scaled_rect
from app.ui.capture.enrolment_delete import delete_enrolment, menu_text
from app.ui.capture.override_dialog import RETAKE, OverrideDialog
from app.ui.capture.photo_import_dialog import PhotoImportDialog
from app.ui.capture.qc_panel import (
    IDENTITY_BADGES,
    VERDICT_COLOURS,
    QcModel,
    failure_summary,
    identity_badge_text,
    identity_check,
    status_text,
)
from app.ui.events import AppEvents
from app.ui.i18n import tr_data
from app.ui.ops import BackgroundOp
from app.ui.roster.model import COLUMN_INDEX, PHOTO_STATE_LABELS, RosterTableModel
from app.ui.table_tools import attach

log = logging.getLogger(__name__)

HOT_FOLDER_POLL_MS = 40
ADJUST_SETTLE_MS = 350
NUDGE_FRACTION = 0.005  # of the crop height per arrow press
SCALE_STEP = 0.02
ROTATE_STEP = 0.5
QUEUE_COLUMNS = ("shot_no", "photo", "name", "student_no")
NO_ENROLMENT_WIDTH = 120  # the enrolment box holding only its 无录取照片 badge
QWIDGETSIZE_MAX = (1 << 24) - 1
RETAKE_QUEUE = (
    "__retakes__"  # the queue filter showing who needs a new photo (retake marks and proofing returns)
)


class CaptureTab(QWidget):
    photoShown = Signal(int)  # photo id, once its crop is on screen

    def __init__(
        self,
        roster: RosterService,
        capture: CaptureService,
        events: AppEvents,
        undo_stack: QUndoStack,
        settings=None,
        parent: QWidget | None = None,
        identity: EnrolmentService | None = None,
    ) -> None:
        super().__init__(parent)
        self.roster, self.capture, self.events, self.undo_stack = roster, capture, events, undo_stack
        self.settings = settings
        self.identity = identity
        # The identity pre-check of the photo on screen: its badge state (see IDENTITY_BADGES), the QC row it
        # adds, the photo whose check is running, and an Enter pressed while it ran (accepted once it is known).
        self.identity_state = ""
        self._identity_row: QualityCheck | None = None
        self._identity_running: int | None = None
        self._accept_after_identity: int | None = None
        self._small_preview = True  # the output shown at 1:1 and ×2 (a 144×192 one), not at ×0.5
        self.station_id: int | None = None
        self.student_id: int | None = None
        self.photo_id: int | None = None
        self.result: CropResult | None = None
        self.preset = load_preset("legacy-192x144")
        self.watcher: HotFolderWatcher | None = None
        self.last_latency_ms: float | None = None
        self._adjust_origin: tuple | None = None
        self.retake_reasons: dict[int, str] = {}
        self._tray_icons: dict[int, QIcon] = {}
        self._build()
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(HOT_FOLDER_POLL_MS)
        self._poll_timer.timeout.connect(self.poll_hot_folder)
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(ADJUST_SETTLE_MS)
        self._settle_timer.timeout.connect(self.commit_adjustment)
        events.rosterChanged.connect(self.reload_queue)
        events.studentChanged.connect(self._student_changed)
        events.enrolmentChanged.connect(self._enrolment_changed)
        if settings is not None and settings.get("hot_folder"):
            self.hot_folder_label.setText(settings.get("hot_folder"))

    # -- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_left())
        self.crop_view = CropView()
        self.crop_view.setObjectName("crop_view")
        self.crop_view.set_message(self.tr("选择学生后拍摄；热文件夹中的新照片会自动裁剪并显示在这里"))
        self.crop_view.rectMoving.connect(self._preview_only)
        self.crop_view.rectEdited.connect(self._edited)
        self.crop_view.installEventFilter(self)
        splitter.addWidget(self.crop_view)
        splitter.addWidget(self._build_right())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([330, 700, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_hot_folder_bar())
        layout.addWidget(splitter, 1)

    def _build_hot_folder_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("热文件夹：")))
        self.hot_folder_label = QLabel(self.tr("（未设置）"))
        self.hot_folder_label.setObjectName("hot_folder_label")
        bar.addWidget(self.hot_folder_label, 1)
        choose = QPushButton(self.tr("选择热文件夹…"))
        choose.clicked.connect(self.choose_hot_folder)
        bar.addWidget(choose)
        self.watch_check = QCheckBox(self.tr("监视新照片"))
        self.watch_check.setObjectName("watch_check")
        self.watch_check.toggled.connect(self._toggle_watch)
        bar.addWidget(self.watch_check)
        import_button = QPushButton(self.tr("导入照片文件夹…"))
        import_button.setObjectName("import_photos")
        import_button.clicked.connect(self.choose_import_folder)
        bar.addWidget(import_button)
        return bar

    def _build_left(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.student_edit = QLineEdit()
        self.student_edit.setObjectName("capture_student_edit")
        self.student_edit.setPlaceholderText(self.tr("扫码或输入学号、身份证号、姓名，回车"))
        self.student_edit.returnPressed.connect(self.jump_to_entered)
        layout.addWidget(self.student_edit)
        self.student_label = QLabel(self.tr("未选择学生"))
        self.student_label.setObjectName("current_student")
        font = QFont(self.student_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.student_label.setFont(font)
        self.student_label.setWordWrap(True)
        layout.addWidget(self.student_label)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("day_progress")
        self.progress_label.setWordWrap(True)
        layout.addWidget(self.progress_label)
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("queue_filter")
        self.state_combo.addItem(self.tr("全部照片状态"), "")
        for key, label in PHOTO_STATE_LABELS.items():
            self.state_combo.addItem(tr_data(label), key)
        self.state_combo.addItem(self.tr("补拍名单（需重拍与校对退回）"), RETAKE_QUEUE)
        self.state_combo.currentIndexChanged.connect(self._queue_filter_changed)
        layout.addWidget(self.state_combo)
        self.queue_model = RosterTableModel(self)
        self.queue_model.set_thumbnail_provider(self.capture.thumbnails)
        self.queue_model.set_filter(show_withdrawn=False)
        view = QTableView()
        view.setObjectName("capture_queue")
        view.setModel(self.queue_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(30)
        view.setIconSize(QSize(22, 28))
        for key, index in COLUMN_INDEX.items():
            view.setColumnHidden(index, key not in QUEUE_COLUMNS)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A long name (a minority name with ·) gives way, elided; the 学号 beside it stays in sight.
        header.setSectionResizeMode(COLUMN_INDEX["name"], QHeaderView.ResizeMode.Stretch)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.clicked.connect(lambda index: self.select_student(self.queue_model.student_at(index.row()).id))
        self.queue_view = view
        self.queue_tools = attach(view, "capture_queue", self.tr("拍摄队列"), settings=self.settings)
        self.queue_tools.set_empty_state(self._queue_empty_state)
        layout.addWidget(view, 1)
        view.setAcceptDrops(True)  # a tray photo dropped on a row goes to that student
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)
        layout.addWidget(self._build_tray())
        return panel

    def _build_tray(self) -> QGroupBox:
        """The 待分配 tray: photos with no student yet. Select one and scan, drag it onto a student, or use the
        buttons; nothing that arrives is ever dropped."""
        box = QGroupBox(self.tr("待分配"))
        box.setObjectName("tray_box")
        inner = QVBoxLayout(box)
        self.tray_list = QListWidget()
        self.tray_list.setObjectName("tray_list")
        self.tray_list.setViewMode(QListView.ViewMode.IconMode)
        self.tray_list.setIconSize(QSize(60, 80))
        self.tray_list.setFlow(QListView.Flow.LeftToRight)
        self.tray_list.setWrapping(False)
        self.tray_list.setFixedHeight(118)
        self.tray_list.setDragEnabled(True)
        self.tray_list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        inner.addWidget(self.tray_list)
        buttons = QHBoxLayout()
        assign = QPushButton(self.tr("分配给当前学生"))
        assign.setObjectName("tray_assign")
        assign.clicked.connect(self.assign_tray_to_current)
        discard = QPushButton(self.tr("删除"))
        discard.setObjectName("tray_discard")
        discard.clicked.connect(self.discard_tray_item)
        for b in (assign, discard):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(b)
        hint = QLabel(self.tr("选中后扫码或拖到学生上即可分配"))
        hint.setStyleSheet("color: #666;")
        buttons.addWidget(hint, 1)
        inner.addLayout(buttons)
        box.setVisible(False)
        self.tray_box = box
        return box

    # -- the 待分配 tray ------------------------------------------------------------------------------
    def refresh_tray(self) -> None:
        self.tray_list.clear()
        shots = self.capture.pending(self.station_id) if self.station_id is not None else []
        for shot in shots:
            item = QListWidgetItem(f"{shot.original_name}\n{shot.note}")
            item.setData(Qt.ItemDataRole.UserRole, shot.id)
            item.setToolTip(
                self.tr("%1（%2 收到）：%3")
                .replace("%1", shot.original_name)
                .replace("%2", f"{shot.arrived_at:%H:%M}")
                .replace("%3", shot.note)
            )
            if shot.id not in self._tray_icons:  # each original decoded once, not at every refresh
                thumb = self.capture.pending_thumbnail(shot.id)
                pixmap = QPixmap()
                if thumb:
                    pixmap.loadFromData(thumb)
                self._tray_icons[shot.id] = QIcon(pixmap)
            item.setIcon(self._tray_icons[shot.id])
            self.tray_list.addItem(item)
        self._tray_icons = {s.id: self._tray_icons[s.id] for s in shots}
        self.tray_box.setTitle(self.tr("待分配（%1）").replace("%1", str(len(shots))))
        self.tray_box.setVisible(bool(shots))

    def selected_tray_item(self) -> int | None:
        item = self.tray_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else None

    def assign_tray(self, pending_id: int, student_id: int) -> None:
        """Bind a waiting photo to a student and show it, as a shot for that student would be."""
        row = self.roster.row(student_id)
        state_before = row.photo_state if row is not None else "none"
        try:
            photo_id = self.capture.assign_pending(pending_id, student_id)
        except CaptureError as exc:
            QMessageBox.warning(self, self.tr("无法分配"), str(exc))
            self.refresh_tray()
            return
        self.undo_stack.push(
            AssignTrayCommand(self.capture, student_id, photo_id, state_before, self._tray_undone)
        )
        self.refresh_tray()
        self.events.studentChanged.emit(student_id)
        name = self.capture.photo(photo_id).original_name
        self.window().statusBar().showMessage(self.tr("已把 %1 分配给该学生").replace("%1", name), 6000)
        self.select_student(student_id)

    def _tray_undone(self, student_id: int) -> None:
        """After undo or redo of an assignment: the tray and that student as they are now, on screen."""
        self.refresh_tray()
        self.events.studentChanged.emit(student_id)
        self.select_student(student_id)

    def assign_tray_to_current(self) -> None:
        pending_id = self.selected_tray_item()
        if pending_id is not None and self.student_id is not None:
            self.assign_tray(pending_id, self.student_id)

    def discard_tray_item(self) -> None:
        pending_id = self.selected_tray_item()
        if pending_id is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除待分配照片"),
            self.tr("从待分配中删除这张照片？（原片仍保存在照片库中）"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.capture.discard_pending(pending_id)
            self.refresh_tray()

    def _hold(self, path: Path, note: str) -> None:
        station_id, capture = self.station_id, self.capture
        if station_id is None:
            return
        op = BackgroundOp(self, lambda _ctx: capture.hold(station_id, path, note))
        op.success(lambda _id: self._held(path.name, note)).failure(self._failed).run()

    def _held(self, name: str, note: str) -> None:
        self.refresh_tray()
        sounds.play(sounds.ARRIVED)
        self.window().statusBar().showMessage(
            self.tr("%1 已放入待分配（%2）：选中后扫码或拖到学生上").replace("%1", name).replace("%2", note),
            10000,
        )

    def _build_right(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status_label = QLabel()
        self.status_label.setObjectName("qc_status")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setMinimumHeight(36)
        layout.addWidget(self.status_label)
        previews = QHBoxLayout()
        self.preview_actual = QLabel()
        self.preview_actual.setObjectName("preview_actual")
        self.preview_large = QLabel()
        self.preview_large.setObjectName("preview_large")
        self.preview_boxes = []
        self.preview_previous = QLabel()
        self.preview_previous.setObjectName("preview_previous")
        for label, title in (
            (self.preview_actual, self.tr("实际大小 1:1")),
            (self.preview_large, self.tr("放大 ×2")),
            (self.preview_previous, self.tr("上一张（对比）")),
        ):
            box = QGroupBox(title)
            self.preview_boxes.append(box)
            inner = QVBoxLayout(box)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFrameShape(QFrame.Shape.StyledPanel)
            inner.addWidget(label)
            previews.addWidget(box)
        self.preview_boxes[2].setVisible(False)  # only beside a retake
        previews.insertWidget(1, self._build_enrolment_box())  # beside the new shot at 1:1
        layout.addLayout(previews)
        self.qc_model = QcModel(self)
        qc_view = QTableView()
        qc_view.setObjectName("qc_table")
        qc_view.setModel(self.qc_model)
        qc_view.verticalHeader().hide()
        qc_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # When the pane is narrow (the enrolment photo beside the shot, English labels) the check's name and
        # the threshold text give way (elided; the tooltip has them whole), never the value or the verdict.
        qc_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        qc_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        qc_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(qc_view, 1)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton(self.tr("接受并下一位 (Enter)"))
        self.accept_button.setObjectName("accept_button")
        self.accept_button.clicked.connect(self.accept_current)
        retake = QPushButton(self.tr("需重拍 (Ctrl+R)"))
        retake.clicked.connect(lambda: self.mark_retake())  # not the button's checked flag as a student
        reset = QPushButton(self.tr("重置裁剪 (Home)"))
        reset.clicked.connect(self.reset_crop)
        for b in (self.accept_button, retake, reset):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.keys_hint = QLabel()
        self.keys_hint.setObjectName("keys_hint")
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setStyleSheet("color: #666;")
        layout.addWidget(self.keys_hint)
        self._update_keys_hint()
        return panel

    def _build_enrolment_box(self) -> QGroupBox:
        """The student's enrolment (admission) photo beside the new shot, with the identity badge under it:
        the photographer compares by eye even where no score can be computed."""
        box = QGroupBox(self.tr("录取照片"))
        box.setObjectName("enrolment_box")
        inner = QVBoxLayout(box)
        self.enrolment_photo = QLabel()
        self.enrolment_photo.setObjectName("enrolment_photo")
        self.enrolment_photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.enrolment_photo.setFrameShape(QFrame.Shape.StyledPanel)
        self.enrolment_photo.setWordWrap(True)
        inner.addWidget(self.enrolment_photo, 1)
        self.identity_badge = QLabel()
        self.identity_badge.setObjectName("identity_badge")
        self.identity_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.identity_badge.setWordWrap(True)
        self.identity_badge.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        inner.addWidget(self.identity_badge)
        inner.addStretch(0)  # with no enrolment photo the badge keeps its height, at the top
        box.setVisible(False)  # only with the pre-check available and a student chosen
        box.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        box.customContextMenuRequested.connect(lambda pos: self.enrolment_menu().exec(box.mapToGlobal(pos)))
        self.enrolment_box = box
        return box

    def enrolment_menu(self) -> QMenu:
        """The enrolment box's context menu: 删除录取照片… while the student on screen has one."""
        menu = QMenu(self.enrolment_box)
        action = menu.addAction(menu_text(), self.delete_enrolment)
        action.setEnabled(
            self.identity is not None
            and self.student_id is not None
            and self.identity.enrolment(self.student_id) is not None
        )
        return menu

    def delete_enrolment(self) -> BackgroundOp | None:
        """The enrolment photo of the student on screen, after a confirmation naming the student."""
        row = self.roster.row(self.student_id) if self.student_id is not None else None
        if self.identity is None or row is None or self.identity.enrolment(row.id) is None:
            return None
        return delete_enrolment(self, self.identity, [(row.id, f"{row.student_no} {row.name}")], self.events)

    def _enrolment_changed(self, student_ids: list[int]) -> None:
        """The student on screen lost the enrolment photo: the box, the badge and the QC row follow (the photo
        is shown again and checked the usual way, as after an import)."""
        if self.student_id is not None and self.student_id in student_ids:
            self.select_student(self.student_id)

    def _update_keys_hint(self) -> None:
        if self.preset.rotate:
            self.keys_hint.setText(
                self.tr(
                    "方向键移动 · Shift 加速 · PgUp/PgDn 缩放 · [ ] 旋转 · 拖动或滚轮调整 · 扫码枪随时可用"
                )
            )
        else:
            self.keys_hint.setText(
                self.tr(
                    "方向键移动 · Shift 加速 · PgUp/PgDn 缩放 · 拖动或滚轮调整（本规格禁止旋转照片）· 扫码枪随时可用"
                )
            )

    # -- station and students ------------------------------------------------------------------------
    def set_station(self, station_id: int | None, preset_name: str | None = None) -> None:
        self.station_id = station_id
        if preset_name:
            try:
                self.preset = load_preset(preset_name)
            except Exception:
                log.warning("未知的照片规格 %s，改用 legacy-192x144", preset_name)
                self.preset = load_preset("legacy-192x144")
        p = self.preset
        self._small_preview = p.width <= 200
        self._update_keys_hint()
        self.crop_view.set_guides(p.width, p.height, p.crown_y, p.chin_y, p.head_band_x, p.center_x)
        self.clear_photo()
        self.student_id = None
        self._show_enrolment(None)
        self.student_label.setText(self.tr("未选择学生"))
        self.reload_queue()
        self.refresh_tray()

    def reload_queue(self) -> None:
        rows = self.roster.rows(self.station_id) if self.station_id is not None else []
        self.queue_model.set_rows(rows)
        if self.state_combo.currentData() == RETAKE_QUEUE:
            self._queue_filter_changed()
        if (
            self.student_id is not None
            and self.station_id is not None
            and self.roster.row(self.student_id) is None
        ):
            # The student on screen was removed (undo of 新增学生): their photo, enrolment photo and verdict
            # go, and an Enter waiting for the comparison with them; on to the next student, as after an accept.
            self.select_student(self.capture.next_student(self.station_id, None))
            return
        self._select_in_queue()
        self.refresh_progress()

    def _queue_empty_state(self):
        if self.station_id is None:
            return (self.tr("还没有学习中心：请先在“学习中心”菜单中新建学习中心/函授站"), None, None)
        if self.queue_model.active_count() == 0:
            return (self.tr("这个学习中心还没有学生：请先在“花名册”页导入花名册"), None, None)
        if self.state_combo.currentData() == RETAKE_QUEUE:
            return (
                self.tr("补拍名单是空的：没有需重拍或校对退回的学生"),
                self.tr("显示全部学生"),
                lambda: self.state_combo.setCurrentIndex(0),
            )
        return (
            self.tr("没有符合条件的学生"),
            self.tr("显示全部学生"),
            lambda: self.state_combo.setCurrentIndex(0),
        )

    def _queue_filter_changed(self) -> None:
        choice = self.state_combo.currentData() or ""
        if choice == RETAKE_QUEUE:
            entries = (
                retake_queue(self.capture.sessions, self.station_id) if self.station_id is not None else []
            )
            self.retake_reasons = {e.student_id: e.reason for e in entries}
            self.queue_model.set_filter(photo_state="")
            self.queue_model.set_only_ids(self.retake_reasons)
        else:
            self.queue_model.set_only_ids(None)
            self.queue_model.set_filter(photo_state=choice)

    def refresh_progress(self) -> None:
        """合格 / 仍接受 / 需重拍 / 待复核 / 未拍 for the station, and for the class of the student shown."""
        if self.station_id is None:
            self.progress_label.clear()
            return
        text = self._counts_text(self.tr("全站"), day_counts(self.capture.sessions, self.station_id))
        row = self.roster.row(self.student_id) if self.student_id is not None else None
        if row is not None:
            label = row.class_name or self.tr("未分班")
            counts = day_counts(self.capture.sessions, self.station_id, row.class_name)
            text += "\n" + self._counts_text(label, counts)
        self.progress_label.setText(text)

    def _counts_text(self, where: str, c) -> str:
        return (
            self.tr("%1：合格 %2 · 仍接受 %3 · 需重拍 %4 · 待复核 %5 · 未拍 %6（共 %7）")
            .replace("%1", where)
            .replace("%2", str(c.accepted))
            .replace("%3", str(c.override))
            .replace("%4", str(c.retake))
            .replace("%5", str(c.pending))
            .replace("%6", str(c.none))
            .replace("%7", str(c.total))
        )

    def _student_changed(self, student_id: int) -> None:
        if student_id < 0:
            self.reload_queue()
            return
        row = self.roster.row(student_id)
        if row is not None:
            self.queue_model.update_row(row)
            if student_id == self.student_id:
                self._show_student_label(row)
        self.refresh_progress()

    def _show_student_label(self, row) -> None:
        state = tr_data(PHOTO_STATE_LABELS.get(row.photo_state, row.photo_state))
        self.student_label.setText(f"{row.shot_no}  {row.name}\n{row.student_no}  [{state}]")

    def _select_in_queue(self) -> None:
        if self.student_id is None:
            return
        row = self.queue_model.row_of_student(self.student_id)
        if row is not None:
            self.queue_view.selectRow(row)
            self.queue_view.scrollTo(self.queue_model.index(row, 0))

    def jump_to_entered(self) -> None:
        text = self.student_edit.text().strip()
        if not text:
            return
        student = self.roster.find_by_scan(text, self.station_id)
        if student is None:
            matches = [r for r in self.roster.rows(self.station_id) if text in r.name]
            if len(matches) != 1:
                self.window().statusBar().showMessage(
                    self.tr("找不到“%1”，或有多名同名学生；请输入学号").replace("%1", text), 6000
                )
                return
            student_id = matches[0].id
        else:
            student_id = student.id
        self.student_edit.clear()
        self.select_student(student_id)
        self.crop_view.setFocus()

    def select_scanned(self, student_id: int) -> None:
        """A scan selected this student: the queue follows, the crop view takes the keys again."""
        self.student_edit.clear()
        self.select_student(student_id)
        self.crop_view.setFocus()

    def focus_search(self) -> None:
        self.student_edit.setFocus()
        self.student_edit.selectAll()

    def select_student(self, student_id: int | None) -> None:
        self.commit_adjustment()
        self.student_id = student_id
        self.clear_photo()
        self._show_enrolment(student_id if student_id is not None and self.roster.row(student_id) else None)
        if student_id is None:
            self.student_label.setText(self.tr("全部学生的照片均已接受"))
            return
        row = self.roster.row(student_id)
        if row is None:
            return
        self._show_student_label(row)
        self._select_in_queue()
        self.refresh_progress()
        photo = self.capture.current_photo(student_id)
        if photo is None:
            self.crop_view.set_message(self.tr("等待拍摄：%1").replace("%1", row.name))
            return
        self.crop_view.set_message(self.tr("正在载入照片……"))
        photo_id = photo.id
        op = BackgroundOp(self, lambda ctx: self.capture.render(photo_id))
        op.success(lambda result: self._show_result(student_id, photo_id, result)).failure(self._failed).run()

    # -- hot folder ------------------------------------------------------------------------------------
    def choose_hot_folder(self) -> None:
        start = self.settings.get("hot_folder") if self.settings else ""
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择相机软件保存照片的文件夹"), start)
        if folder:
            self.set_hot_folder(folder)

    def set_hot_folder(self, folder: str, watch: bool = True) -> None:
        if self.settings:
            self.settings.set("hot_folder", folder)
        self.hot_folder_label.setText(folder)
        self.watch_check.setChecked(False)
        self.watch_check.setChecked(watch)

    def _toggle_watch(self, on: bool) -> None:
        folder = self.hot_folder_label.text()
        if on and Path(folder).is_dir():
            self.watcher = HotFolderWatcher(folder)
            self._poll_timer.start()
        else:
            if on:
                self.watch_check.setChecked(False)
                QMessageBox.warning(self, self.tr("热文件夹"), self.tr("请先选择一个存在的文件夹。"))
            self.watcher = None
            self._poll_timer.stop()

    def poll_hot_folder(self) -> None:
        if self.watcher is None:
            return
        for path in self.watcher.poll():
            self.take_new_photo(path, time.perf_counter())
        while self.watcher.refused:
            name = self.watcher.refused.pop(0)
            self.window().statusBar().showMessage(
                self.tr("%1 是一个链接（符号链接），不是照片文件本身；为安全起见不读取它").replace(
                    "%1", name
                ),
                10000,
            )

    def take_new_photo(self, path: Path, seen_at: float) -> None:
        """Crop off the GUI thread; a code card switches the student instead of being bound."""
        if self.student_id is None:  # nobody to bind it to: it waits in the tray, never dropped
            self._hold(path, self.tr("未选择学生"))
            return
        student_id, station_id, preset = self.student_id, self.station_id, self.preset
        capture, roster = self.capture, self.roster

        def find_student(code: str) -> int | None:  # a withdrawn student's card switches to nobody
            found = roster.find_by_scan(code, station_id)
            return found.id if found is not None and not found.withdrawn else None

        def work(_ctx):
            return capture.take_shot(student_id, path, preset, find_student)

        op = BackgroundOp(self, work)
        op.success(lambda outcome: self._new_photo_done(outcome, seen_at)).failure(self._failed).run()

    def _new_photo_done(self, outcome, seen_at: float) -> None:
        kind, student_id, photo_id, payload = outcome
        if kind == "hold":  # a code card naming nobody: kept in the tray, the student on screen untouched
            self.refresh_tray()
            sounds.play(sounds.FAILED)
            self.window().statusBar().showMessage(
                self.tr("学生码 %1 未找到，照片已放入待分配").replace("%1", payload), 10000
            )
            return
        if kind == "switch":
            self.window().statusBar().showMessage(self.tr("已读取学生码：%1").replace("%1", payload), 5000)
            self.select_student(student_id)
            return
        self.events.studentChanged.emit(student_id)
        failed = kind == "error" or getattr(payload, "status", None) in ("fail", "error")
        sounds.play(sounds.FAILED if failed else sounds.ARRIVED)  # the photographer hears the shot land
        if kind == "error":
            photo = self.capture.photo(photo_id)
            # The unreadable file is now the student's current photo: show it, so that Enter cannot accept
            # the earlier photo still on screen (the student would be 合格 with a broken current photo).
            self._show_result(student_id, photo_id, None)
            QMessageBox.warning(self, self.tr("照片无法读取"), photo.error)
            return
        if student_id == self.student_id:
            self._show_result(student_id, photo_id, payload)
            self.last_latency_ms = (time.perf_counter() - seen_at) * 1000

    # -- showing a crop ------------------------------------------------------------------------------
    def clear_photo(self) -> None:
        self.photo_id = None
        self.result = None
        self._adjust_origin = None
        self.crop_view.set_photo(None, 1.0)
        self.crop_view.set_crop(None, 0.0)
        self.preview_actual.clear()
        self.preview_large.clear()
        self.qc_model.set_checks([])
        self.status_label.clear()
        self.status_label.setStyleSheet("")
        self._identity_row = None
        self._accept_after_identity = None
        self._set_identity_badge("")

    def _show_result(self, student_id: int, photo_id: int, result: CropResult | None) -> None:
        if student_id != self.student_id:
            return
        if photo_id != self.photo_id:  # a new shot: the photo it replaces had its own comparison
            self._identity_row = None
        self.photo_id = photo_id
        self.result = result
        if result is None or result.photo is None:
            photo = self.capture.photo(photo_id)
            self.crop_view.set_photo(None, 1.0)
            self.crop_view.set_message(photo.error or self.tr("照片无法读取"))
            self._show_status("error")
            self._check_identity(student_id, photo_id)
            return
        self.crop_view.set_message(
            "" if result.rect is not None else self.tr("未检测到人脸：请重拍，或拖动黄色框手动裁剪")
        )
        self.crop_view.set_photo(result.photo.image, result.photo.scale)
        # With no face there is no automatic crop: offer a centred rectangle of the preset's shape to drag.
        self.crop_view.set_crop(
            result.rect if result.rect is not None else self._starting_rect(result), result.rotation_deg
        )
        self.crop_view.set_loupes(self._loupe_points(result))
        self._show_preview(result.image)
        self._show_previous(student_id, photo_id)
        self._show_checks(result)
        self.crop_view.setFocus()
        self.photoShown.emit(photo_id)
        self._check_identity(student_id, photo_id)

    def _show_previous(self, student_id: int, photo_id: int) -> None:
        """Beside a retake, the photo it replaces, cropped the same way, at the same size: better or not?"""
        self.preview_boxes[2].setVisible(False)
        self.preview_previous.clear()
        self._arrange_previews()
        earlier = [p for p in self.capture.history(student_id) if p.id != photo_id and p.id < photo_id]
        if not earlier:
            return
        previous_id = earlier[-1].id
        op = BackgroundOp(self, lambda _ctx: self.capture.render(previous_id))
        op.success(lambda result: self._previous_ready(photo_id, result)).failure(lambda _exc: None).run()

    def _previous_ready(self, photo_id: int, result) -> None:
        if photo_id != self.photo_id or result is None or result.image is None:
            return  # another photo is on screen by now, or the earlier one cannot be read
        pixmap = QPixmap.fromImage(array_to_qimage(np.asarray(result.image.convert("RGB"))))
        if pixmap.width() > 200:
            pixmap = pixmap.scaled(
                pixmap.size() / 2,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.preview_previous.setPixmap(pixmap)
        self.preview_boxes[2].setVisible(True)
        self._arrange_previews()

    def _loupe_points(self, result: CropResult) -> list[tuple[str, tuple[float, float]]]:
        """The eyes (focus, closed eyes, glare) and the crown (where the top guide must sit), magnified."""
        analysis = result.analysis
        points = []
        if analysis is not None and analysis.face is not None:
            points.append((self.tr("眼睛"), analysis.face.eyes_mid))
        if analysis is not None and analysis.crown is not None:
            points.append((self.tr("头顶"), analysis.crown.point))
        return points

    def _starting_rect(self, result: CropResult) -> tuple[float, float, float, float]:
        width, height = result.source_size
        h = min(height * 0.8, width * 0.8 * self.preset.height / self.preset.width)
        w = h * self.preset.width / self.preset.height
        return ((width - w) / 2, (height - h) / 2, w, h)

    def _show_status(self, status: str, checks=None) -> None:
        colour = {"ok": VERDICT_COLOURS["pass"], "warn": VERDICT_COLOURS["warn"]}.get(
            status, VERDICT_COLOURS["fail"]
        )
        failed = failure_summary(checks) if status == "fail" else ""
        # The reason is in the banner itself: at 1366×768 the failing rows of the table may be out of sight.
        self.status_label.setText(f"{status_text(status)}：{failed}" if failed else status_text(status))
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(
            f"background: {colour}; color: white; font-weight: bold; font-size: 16pt; border-radius: 4px;"
        )

    def _show_preview(self, image) -> None:
        if image is None:
            self.preview_actual.clear()
            self.preview_large.clear()
            return

        pixmap = QPixmap.fromImage(array_to_qimage(np.asarray(image.convert("RGB"))))
        small = pixmap.width() <= 200
        self._small_preview = small
        # A 144×192 output is shown at 1:1 and ×2; a 480×640 one would not fit, so it is shown at ×0.5 only.
        self.preview_boxes[0].setTitle(self.tr("实际大小 1:1") if small else self.tr("缩小 ×0.5"))
        self._arrange_previews()
        if small:
            self.preview_actual.setPixmap(pixmap)
            self.preview_large.setPixmap(
                pixmap.scaled(
                    pixmap.size() * 2,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview_actual.setPixmap(
                pixmap.scaled(
                    pixmap.size() / 2,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    def _arrange_previews(self) -> None:
        """1:1, the enrolment photo beside it, then ×2 or the previous shot. ×2 shows only when nothing else
        stands beside the new shot: with the enrolment photo or a retake's previous shot the panel would no
        longer fit 1280×720."""
        beside = not self.enrolment_box.isHidden() or not self.preview_boxes[2].isHidden()
        self.preview_boxes[1].setVisible(self._small_preview and not beside)

    def _show_checks(self, result: CropResult) -> None:
        """The crop's checks and, once known, the identity pre-check as one more soft check."""
        checks = list(result.checks or [])
        status = result.status
        if self._identity_row is not None:
            checks.append(self._identity_row)
            if self._identity_row.verdict == "fail" and status in ("ok", "warn"):
                status = "fail"  # like any failed soft check: accepted only with a reason
        self.qc_model.set_checks(checks)
        self._show_status(status, checks)

    # -- the identity pre-check -------------------------------------------------------------------------
    def _show_enrolment(self, student_id: int | None) -> None:
        """The student's enrolment photo, read off the GUI thread (it may be a large file)."""
        self.enrolment_photo.clear()
        if (
            self.identity is None
            or student_id is None
            or self.station_id is None
            or not self.identity.has_any(self.station_id)  # a station that never imported any: no box at all
        ):
            self.enrolment_box.setVisible(False)
            self._arrange_previews()
            return
        self.enrolment_box.setVisible(True)
        self.enrolment_box.setMaximumWidth(QWIDGETSIZE_MAX)
        self.enrolment_photo.setVisible(True)
        self.enrolment_photo.setText(self.tr("正在载入……"))
        self._arrange_previews()
        identity = self.identity

        def work(_ctx):
            path = identity.enrolment_path(student_id)
            return None if path is None else load_photo(path, 400).image

        op = BackgroundOp(self, work)
        op.success(lambda image: self._enrolment_ready(student_id, image))
        op.failure(lambda exc: self._enrolment_ready(student_id, exc)).run()

    def _enrolment_ready(self, student_id: int, image) -> None:
        if student_id != self.student_id:
            return  # another student is on screen by now
        if image is None:
            self.enrolment_photo.clear()
            self.enrolment_photo.setVisible(False)
            self.enrolment_box.setMaximumWidth(NO_ENROLMENT_WIDTH)  # only the badge: no room taken
            self._set_identity_badge("none")
            return
        if isinstance(image, BaseException):  # the stored file is gone or unreadable: say so in its place
            self.enrolment_photo.setText(str(image))
            return
        pixmap = QPixmap.fromImage(array_to_qimage(image))
        w, h = self.preset.width, self.preset.height
        if not self._small_preview:
            w, h = w // 2, h // 2
        # As tall as the new shot beside it, so the two faces are seen at about the same size.
        self.enrolment_photo.setPixmap(
            pixmap.scaled(
                QSize(w, h), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

    def _check_identity(self, student_id: int, photo_id: int) -> None:
        """Compare the photo with the enrolment photo in the background; the verdict is kept on the photo.

        Whether there is anything to compare (the station's switch, an enrolment photo) is two small lookups,
        answered at once: Enter then waits only for a comparison that will really be made."""
        if self.identity is None or self.station_id is None:
            return
        identity = self.identity
        if not identity.enabled(self.station_id):
            self._set_identity_badge("off")
            return
        if identity.enrolment(student_id) is None:
            self._set_identity_badge("none")
            return
        self._identity_running = photo_id
        self._set_identity_badge("pending")
        op = BackgroundOp(self, lambda _ctx: identity.check_photo(photo_id))
        op.success(lambda result: self._identity_done(student_id, photo_id, result))
        op.failure(lambda exc: self._identity_failed(photo_id, exc)).run()

    def _identity_done(self, student_id: int, photo_id: int, result: Comparison | None) -> None:
        if self._identity_running == photo_id:
            self._identity_running = None
        self.events.studentChanged.emit(student_id)  # the roster's identity column
        if photo_id != self.photo_id:
            return
        if result is None:  # switched off, or the enrolment photo deleted, meanwhile
            state, row = "none", None
        else:
            state, row = result.code, identity_check(result)
        self._identity_row = row
        self._set_identity_badge(state, result)
        if self.result is not None and self.result.photo is not None:
            self._show_checks(self.result)
        self._accept_if_waiting(photo_id)

    def _identity_failed(self, photo_id: int, exc: BaseException) -> None:
        """The model is missing or altered (an installation problem): 无法比对, the photo is not held up."""
        log.warning("人脸比对失败：%s", exc)
        if self._identity_running == photo_id:
            self._identity_running = None
        if photo_id != self.photo_id:
            return
        self._set_identity_badge("unknown", Comparison("无法比对", None, str(exc)))
        self._accept_if_waiting(photo_id)

    def _accept_if_waiting(self, photo_id: int) -> None:
        if self._accept_after_identity == photo_id:
            self._accept_after_identity = None
            self.accept_current()

    def _set_identity_badge(self, state: str, result: Comparison | None = None) -> None:
        self.identity_state = state
        badge = self.identity_badge
        if state not in IDENTITY_BADGES:
            badge.clear()
            badge.setStyleSheet("")
            badge.setToolTip("")
            return
        colour = IDENTITY_BADGES[state][1]
        badge.setText(identity_badge_text(state))
        badge.setStyleSheet(
            f"background: {colour}; color: white; font-weight: bold; border-radius: 4px; padding: 3px;"
        )
        tip = ""
        if result is not None:
            tip = (
                result.reason
                if result.distance is None
                else self.tr("距离 %1（越小越像同一人，仅供参考）").replace("%1", f"{result.distance:.2f}")
            )
        badge.setToolTip(tip)

    # -- adjusting --------------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        crop_view, queue_view = getattr(self, "crop_view", None), getattr(self, "queue_view", None)
        if (
            obj is crop_view and event.type() == QEvent.Type.KeyPress
        ):  # (attributes: events come while building)
            return self.handle_key(event.key(), event.modifiers())
        if (
            queue_view is not None
            and obj is queue_view.viewport()
            and event.type()
            in (
                QEvent.Type.DragEnter,
                QEvent.Type.DragMove,
                QEvent.Type.Drop,
            )
        ):
            return self._tray_drop(event)
        return super().eventFilter(obj, event)

    def _tray_drop(self, event) -> bool:
        if event.source() is not self.tray_list or self.selected_tray_item() is None:
            return False
        index = self.queue_view.indexAt(event.position().toPoint())
        if not index.isValid():
            event.ignore()
            return True
        event.acceptProposedAction()
        if event.type() == QEvent.Type.Drop:
            self.assign_tray(self.selected_tray_item(), self.queue_model.student_at(index.row()).id)
        return True

    def handle_key(self, key: int, modifiers) -> bool:
        """The crop view's keys. None is a digit or a letter, which a scanned code can hold: a scan that
        reached the view as keys (were it not recognised) would still change nothing."""
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_current()
            return True
        if key == Qt.Key.Key_R and ctrl:
            self.mark_retake()
            return True
        if key == Qt.Key.Key_Home:
            self.reset_crop()
            return True
        rect = self.crop_view.rect
        if rect is None:
            return False
        left, top, w, h = rect
        step = h * NUDGE_FRACTION * (5 if modifiers & Qt.KeyboardModifier.ShiftModifier else 1)
        rotation = self.crop_view.rotation
        # Arrows move the yellow rectangle, as the mouse does.
        moves = {
            Qt.Key.Key_Left: (-step, 0),
            Qt.Key.Key_Right: (step, 0),
            Qt.Key.Key_Up: (0, -step),
            Qt.Key.Key_Down: (0, step),
        }
        if key in moves:
            dx, dy = moves[key]
            new_rect = (left + dx, top + dy, w, h)
        elif key == Qt.Key.Key_PageUp or (ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal)):
            new_rect = scaled_rect(rect, 1 + SCALE_STEP)
        elif key == Qt.Key.Key_PageDown or (ctrl and key == Qt.Key.Key_Minus):
            new_rect = scaled_rect(rect, 1 - SCALE_STEP)
        elif key in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight) and not self.preset.rotate:
            self.window().statusBar().showMessage(
                self.tr("规格“%1”禁止旋转照片：旋转键不起作用；头部倾斜请让学生坐正后重拍").replace(
                    "%1", self.preset.title
                ),
                5000,
            )
            return True
        elif key == Qt.Key.Key_BracketLeft:
            new_rect, rotation = rect, rotation + ROTATE_STEP
        elif key == Qt.Key.Key_BracketRight:
            new_rect, rotation = rect, rotation - ROTATE_STEP
        else:
            return False
        self._edited(new_rect, rotation)
        return True

    def _preview_only(self, rect, rotation: float) -> None:
        if self.result is None or self.result.photo is None:
            return
        pad = self.result.analysis.backdrop_rgb if self.result.analysis else None
        self._show_preview(render_crop(self.result.photo, rect, rotation, self.preset, pad_rgb=pad))

    def _edited(self, rect, rotation: float) -> None:
        """Show the change at once; write it (one audit event, one undo step) when the burst settles."""
        if self.photo_id is None or self.result is None:
            return
        if self._adjust_origin is None:
            self._adjust_origin = (self.result.rect, self.result.rotation_deg)
        self.crop_view.set_crop(rect, rotation)
        self._preview_only(rect, rotation)
        self._settle_timer.start()

    def commit_adjustment(self) -> None:
        self._settle_timer.stop()
        if self._adjust_origin is None or self.photo_id is None or self.crop_view.rect is None:
            self._adjust_origin = None
            return
        old = self._adjust_origin
        new = (self.crop_view.rect, self.crop_view.rotation)
        self._adjust_origin = None
        if old[0] is not None and tuple(old[0]) == tuple(new[0]) and old[1] == new[1]:
            return
        self.apply_adjustment(self.photo_id, new[0], new[1])
        if old[0] is not None:
            self.undo_stack.push(
                AdjustCropCommand(self.capture, self.photo_id, old, new, self.apply_adjustment)
            )

    def apply_adjustment(self, photo_id: int, rect, rotation: float) -> None:
        base = self.result if photo_id == self.photo_id else None
        result = self.capture.adjust(photo_id, rect, rotation, base=base)
        student_id = self.capture.photo(photo_id).student_id
        self.events.studentChanged.emit(student_id)
        if photo_id == self.photo_id:
            self.result = result
            self.crop_view.set_crop(result.rect, result.rotation_deg)
            self._show_preview(result.image)
            self._show_checks(result)

    def reset_crop(self) -> None:
        if self.photo_id is None or self.result is None:
            return
        photo = self.capture.photo(self.photo_id)
        if photo.auto_rect is None:
            return
        self._edited(photo.auto_rect, photo.auto_rotation)
        self.commit_adjustment()
        self.crop_view.fit_to_crop()
        self.crop_view.update()

    # -- verdicts ---------------------------------------------------------------------------------------
    def _notify(self, student_id: int) -> None:
        self.events.studentChanged.emit(student_id)

    def accept_current(self) -> None:
        self.commit_adjustment()
        if self.photo_id is None or self.student_id is None:
            return
        if self._identity_running == self.photo_id:
            # The verdict is a soft check of this photo: accept once it is known, not without it.
            self._accept_after_identity = self.photo_id
            self.window().statusBar().showMessage(self.tr("正在与录取照片比对，比对完成后接受……"), 5000)
            return
        try:
            photo = self.capture.photo(self.photo_id)
        except CaptureError as exc:  # removed meanwhile, with its student (by another program, say)
            QMessageBox.warning(self, self.tr("不能接受"), str(exc))
            return
        before = (photo.student.photo_state, photo.review)
        photo_id, student_id = self.photo_id, self.student_id
        reason: str | None = None
        note = ""
        try:
            self.capture.accept(photo_id)
        except HardFailure as exc:
            if self._ask_retake(str(exc)):
                self.mark_retake(
                    student_id
                )  # the student the question was about, whatever happened meanwhile
            return
        except NeedsConfirmation as exc:
            dialog = OverrideDialog(self, str(exc))
            self.current_dialog = dialog
            outcome = dialog.exec()
            if outcome == RETAKE:
                self.mark_retake(student_id)
                return
            if outcome != OverrideDialog.DialogCode.Accepted:
                return
            reason, note = dialog.chosen()
            try:
                self.capture.accept(photo_id, reason=reason, note=note)
            except ValueError as err:
                QMessageBox.warning(self, self.tr("不能接受"), str(err))
                return
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("不能接受"), str(exc))
            return
        self.undo_stack.push(
            PhotoStateCommand(
                self.tr("接受照片"),
                self.capture,
                student_id,
                photo_id,
                before,
                lambda: self.capture.accept(photo_id, reason=reason, note=note),
                self._notify,
                show=self.select_student,
            )
        )
        self._notify(student_id)
        sounds.play(sounds.ACCEPTED)
        row = self.roster.row(student_id)
        self.select_student(self.capture.next_student(self.station_id, row.shot_no if row else None))

    def _ask_retake(self, message: str) -> bool:
        """A hard failure cannot be accepted: offer the retake, as the default (Enter), or close."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("不能接受"), message, parent=self)
        retake = box.addButton(self.tr("重拍"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(retake)
        self.current_dialog = box
        box.exec()
        return box.clickedButton() is retake

    def mark_retake(self, student_id: int | None = None) -> None:
        student_id = self.student_id if student_id is None else student_id
        if student_id is None:
            return
        if student_id == self.student_id:  # an Enter waiting for the comparison is taken back by the retake
            self._accept_after_identity = None
        self.commit_adjustment()
        photo = self.capture.current_photo(student_id)
        row = self.roster.row(student_id)
        before = (row.photo_state if row else "none", photo.review if photo else None)
        self.capture.mark_retake(student_id)
        self.undo_stack.push(
            PhotoStateCommand(
                self.tr("标记需重拍"),
                self.capture,
                student_id,
                photo.id if photo else None,
                before,
                lambda: self.capture.mark_retake(student_id),
                self._notify,
            )
        )
        self._notify(student_id)

    # -- folder import ------------------------------------------------------------------------------------
    def choose_import_folder(self) -> None:
        if self.station_id is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择存放照片的文件夹"))
        if folder:
            self.open_import_dialog(folder)

    def open_import_dialog(self, folder: str):
        dialog = PhotoImportDialog(self, self.capture, self.station_id, folder)
        dialog.imported.connect(lambda _r: self.events.rosterChanged.emit())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current_dialog = dialog
        dialog.open()
        return dialog

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("操作失败"), str(exc))
