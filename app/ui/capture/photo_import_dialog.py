"""Import a folder of existing photos: match by file name, review the rest, crop all in the background."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.capture.photo_import import (
    MATCH_KEYS,
    MatchResult,
    PhotoImportCancelled,
    PhotoImportReport,
    import_matched,
    match_files,
    photo_files,
)
from app.services.capture.service import CaptureService
from app.services.roster.service import RosterService
from app.ui.dialog_parts import fit_to_screen
from app.ui.i18n import match_summary, tr_data
from app.ui.list_model import ListTableModel
from app.ui.ops import BackgroundOp
from app.ui.table_tools import attach


class PhotoImportDialog(QDialog):
    imported = Signal(object)  # PhotoImportReport

    def __init__(self, parent: QWidget | None, capture: CaptureService, station_id: int, folder: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入照片文件夹 — %1").replace("%1", folder))
        self.capture, self.station_id, self.folder = capture, station_id, folder
        self.skipped: list = []
        self.files = photo_files(folder, self.skipped)
        self.match: MatchResult | None = None
        self.report: PhotoImportReport | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("共 %1 个照片文件。文件名是：").replace("%1", str(len(self.files)))))
        self.key_combo = QComboBox()
        self.key_combo.setObjectName("match_key")
        for key, label in MATCH_KEYS.items():
            self.key_combo.addItem(tr_data(label), key)
        self.key_combo.currentIndexChanged.connect(self.rematch)
        top.addWidget(self.key_combo)
        top.addStretch(1)
        layout.addLayout(top)
        if self.skipped:
            skipped = QLabel(
                self.tr("另有 %1 个文件不导入（鼠标停在这里查看文件和原因）").replace(
                    "%1", str(len(self.skipped))
                )
            )
            skipped.setObjectName("skipped_files")
            skipped.setStyleSheet("color: #b07800;")
            skipped.setToolTip("\n".join(f"{p.name}：{why}" for p, why in self.skipped[:200]))
            layout.addWidget(skipped)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("photo_match_summary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.tabs = QTabWidget()
        self.matched_model = ListTableModel([self.tr("文件"), self.tr("学号"), self.tr("姓名")])
        self.review_model = ListTableModel([self.tr("文件"), self.tr("原因")])
        self.views = []
        for model, title, name, empty in (
            (
                self.matched_model,
                self.tr("已匹配"),
                "photo_import_matched",
                self.tr("没有按文件名匹配到学生的照片"),
            ),
            (
                self.review_model,
                self.tr("需人工处理"),
                "photo_import_review",
                self.tr("没有需要人工处理的文件"),
            ),
        ):
            view = QTableView()
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            attach(view, name, title).set_empty_state(lambda text=empty: (text, None, None))
            self.tabs.addTab(view, title)
            self.views.append(view)
        self.views[1].doubleClicked.connect(lambda _i: self.assign_selected())
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        assign = QPushButton(self.tr("为所选文件指定学生…"))
        assign.clicked.connect(self.assign_selected)
        buttons.addWidget(assign)
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("取消"))
        self.close_button.clicked.connect(self.reject)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("photo_import_button")
        self.import_button.clicked.connect(self.run_import)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        self.rematch()
        fit_to_screen(self, QSize(860, 560))

    def rematch(self) -> None:
        self.match = match_files(
            self.capture.sessions, self.station_id, self.files, self.key_combo.currentData()
        )
        self.manual: dict = {}
        self._refresh()

    def _review_files(self) -> list:
        assert self.match is not None
        files = [(p, self.tr("找不到对应的学生")) for p in self.match.unmatched]
        files += list(self.match.ambiguous)
        return [(p, why) for p, why in files if p not in self.manual]

    def assign(self, path, text: str) -> bool:
        """The clerk names the student for a file the names could not match (学号 or 身份证号)."""
        student = RosterService(self.capture.sessions).find_by_scan(text, self.station_id)
        if student is None:
            QMessageBox.warning(
                self, self.tr("找不到学生"), self.tr("本站没有学号或身份证号为“%1”的学生").replace("%1", text)
            )
            return False
        taken = {sid for _, sid in self.match.matched} | set(self.manual.values())
        if student.id in taken:
            QMessageBox.warning(
                self, self.tr("重复"), self.tr("%1 已有一张待导入的照片").replace("%1", student.name)
            )
            return False
        self.manual[path] = student.id
        self._refresh()
        return True

    def assign_selected(self) -> None:
        index = self.views[1].currentIndex()
        review = self._review_files()
        if not index.isValid() or index.row() >= len(review):
            return
        path = review[index.row()][0]
        text, ok = QInputDialog.getText(
            self,
            self.tr("指定学生"),
            self.tr("%1 是哪位学生的照片？请输入或扫描学号、身份证号：").replace("%1", path.name),
        )
        if ok and text.strip():
            self.assign(path, text.strip())

    def pairs(self) -> list:
        assert self.match is not None
        return list(self.match.matched) + list(self.manual.items())

    def _refresh(self) -> None:
        roster = RosterService(self.capture.sessions)
        rows = []
        for path, student_id in self.pairs():
            row = roster.row(student_id)
            rows.append((path.name, row.student_no if row else "", row.name if row else ""))
        self.matched_model.set_rows(rows)
        self.review_model.set_rows([(p.name, why) for p, why in self._review_files()])
        self.summary_label.setText(
            match_summary(self.match) + self.tr("。需人工处理的文件可双击指定学生；未指定的不会导入。")
        )
        count = len(self.pairs())
        self.import_button.setText(self.tr("导入 %1 张并裁剪").replace("%1", str(count)))
        self.import_button.setEnabled(count > 0)

    def run_import(self) -> None:
        pairs = self.pairs() if self.match else []
        self.import_button.setEnabled(False)
        op = BackgroundOp(
            self,
            lambda ctx: import_matched(self.capture, pairs, ctx.progress, ctx.cancelled),
            self.tr("正在导入并裁剪照片……"),
        )
        op.success(self._done).failure(self._failed).run()

    def _done(self, report: PhotoImportReport) -> None:
        self.report = report
        counts = "，".join(f"{k} {v}" for k, v in sorted(report.statuses.items()))
        text = (
            self.tr("已导入 %1 张（%2），均为“待复核”，请在照片裁剪页逐一复核。")
            .replace("%1", str(report.imported))
            .replace("%2", counts or "—")
        )
        if report.failed:
            text += (
                self.tr(" 无法读取 %1 个文件：%2")
                .replace("%1", str(len(report.failed)))
                .replace("%2", "；".join(f"{p.name}（{why}）" for p, why in report.failed[:10]))
            )
        self.summary_label.setText(text)
        self.close_button.setText(self.tr("完成"))
        self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PhotoImportCancelled):
            self.summary_label.setText(self.tr("已取消：已导入的照片保留，其余未导入。"))
            self.imported.emit(None)
            return
        QMessageBox.warning(self, self.tr("导入失败"), str(exc))
        self.import_button.setEnabled(True)
