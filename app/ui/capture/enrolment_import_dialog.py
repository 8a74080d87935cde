"""Import a folder of enrolment (admission) photos: matched, unmatched, ambiguous and damaged files listed,
then the matched ones stored and described in the background (the identity pre-check compares against them)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.identity.enrolment import (
    EnrolmentCancelled,
    EnrolmentMatch,
    EnrolmentReport,
    EnrolmentService,
    mask_names,
    shown_name,
)
from app.services.roster.service import RosterService
from app.ui.dialog_parts import fit_to_screen
from app.ui.list_model import ListTableModel
from app.ui.ops import BackgroundOp
from app.ui.table_tools import attach


def _shown(path: Path) -> str:
    """A file name as the tables show it: a 身份证号 in it masked, like every 身份证号 in a table."""
    return shown_name(path)


class EnrolmentImportDialog(QDialog):
    imported = Signal(object)  # EnrolmentReport, or None when cancelled

    def __init__(
        self, parent: QWidget | None, service: EnrolmentService, station_id: int, folder: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入录取照片 — %1").replace("%1", folder))
        self.service, self.station_id, self.folder = service, station_id, folder
        self.match: EnrolmentMatch | None = None
        self.report: EnrolmentReport | None = None
        self.import_op: BackgroundOp | None = None  # while the import runs: closing the dialog cancels it
        self._close_when_stopped = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "文件名为学生的身份证号、学号或考生号，或花名册“录取照片文件名”列所写的文件名。录取照片用于与新拍的照片做人脸比对（只作提示），"
                "属于敏感个人信息：原图按字节保存在照片库中，与学生记录一同删除。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary_label = QLabel(self.tr("正在查找照片文件……"))
        self.summary_label.setObjectName("enrolment_summary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("enrolment_tabs")
        self.models = {
            "matched": ListTableModel([self.tr("文件"), self.tr("学号"), self.tr("姓名")]),
            "unmatched": ListTableModel([self.tr("文件"), self.tr("原因")]),
            "ambiguous": ListTableModel([self.tr("文件"), self.tr("原因")]),
            "damaged": ListTableModel([self.tr("文件"), self.tr("原因")]),
        }
        self.titles = {
            "matched": self.tr("已匹配"),
            "unmatched": self.tr("未匹配"),
            "ambiguous": self.tr("需人工确认"),
            "damaged": self.tr("无法读取"),
        }
        empty = {
            "matched": self.tr("没有按文件名匹配到学生的照片"),
            "unmatched": self.tr("没有未匹配的文件"),
            "ambiguous": self.tr("没有需要人工确认的文件"),
            "damaged": self.tr("没有无法读取的文件"),
        }
        for key, model in self.models.items():
            view = QTableView()
            view.setObjectName(f"enrolment_{key}")
            view.setModel(model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            attach(view, f"enrolment_{key}", self.titles[key]).set_empty_state(
                lambda text=empty[key]: (text, None, None)
            )
            self.tabs.addTab(view, self.titles[key])
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("取消"))
        self.close_button.clicked.connect(self.reject)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("enrolment_import_button")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        fit_to_screen(self, QSize(820, 520))

        # Matching reads every file's header (a damaged one is listed, never stored): off the GUI thread, and
        # the matched students' names with it, in one query (one per file froze the window on a big folder).
        def work(ctx):
            match = service.match(station_id, folder, ctx.cancelled)
            names = {r.id: (r.student_no, r.name) for r in RosterService(service.sessions).rows(station_id)}
            return match, names

        self.match_op = BackgroundOp(self, work, self.tr("正在查找录取照片……"))
        self.match_op.success(lambda found: self._matched(*found)).failure(self._match_failed).run()

    def _matched(self, match: EnrolmentMatch, names: dict[int, tuple[str, str]]) -> None:
        self.match = match
        rows = [(_shown(path), *names.get(student_id, ("", ""))) for path, student_id in match.matched]
        lists = {
            "matched": rows,
            "unmatched": [
                (
                    _shown(p),
                    self.tr("文件名不是本站任何学生的身份证号、学号、考生号或花名册所写的录取照片文件名"),
                )
                for p in match.unmatched
            ],
            "ambiguous": [(_shown(p), mask_names(why)) for p, why in match.ambiguous],
            "damaged": [(_shown(p), mask_names(why)) for p, why in match.damaged],
        }
        for index, (key, items) in enumerate(lists.items()):
            self.models[key].set_rows(items)
            self.tabs.setTabText(index, f"{self.titles[key]}（{len(items)}）")
        self.summary_label.setText(
            self.tr("匹配 %1 个，未匹配 %2 个，需人工确认 %3 个，无法读取 %4 个。只导入已匹配的文件。")
            .replace("%1", str(len(match.matched)))
            .replace("%2", str(len(match.unmatched)))
            .replace("%3", str(len(match.ambiguous)))
            .replace("%4", str(len(match.damaged)))
        )
        self.import_button.setText(self.tr("导入 %1 张").replace("%1", str(len(match.matched))))
        self.import_button.setEnabled(bool(match.matched))

    def _match_failed(self, exc: BaseException) -> None:
        # 取消 while the folder is searched: nothing was listed or stored
        if isinstance(exc, EnrolmentCancelled):
            self.summary_label.setText(self.tr("已取消查找，未导入任何录取照片。"))
            self.close_button.setText(self.tr("关闭"))
            return
        self._failed(exc)

    def run_import(self) -> None:
        pairs = list(self.match.matched) if self.match else []
        digests = dict(self.match.digests) if self.match else {}
        self.import_button.setEnabled(False)
        service = self.service
        op = BackgroundOp(
            self,
            lambda ctx: service.import_matched(pairs, ctx.progress, ctx.cancelled, digests),
            self.tr("正在导入录取照片并计算人脸特征……"),
        )
        self.import_op = op
        op.success(self._done).failure(self._failed).run()

    def reject(self) -> None:
        """取消, Esc or the window's close while the import runs stop the import (the file being stored is
        finished or let go) and close once it has stopped: closing at once would leave it running unseen."""
        if self.import_op is not None:
            self.import_op.ctx.cancel()
            self.close_button.setEnabled(False)
            self.summary_label.setText(self.tr("正在取消……"))
            self._close_when_stopped = True
            return
        if self.match is None and self.match_op is not None:  # still searching the folder: stop that too
            self.match_op.ctx.cancel()
        super().reject()

    def _close_if_asked(self) -> None:
        self.import_op = None
        if self._close_when_stopped:
            super().reject()

    def _done(self, report: EnrolmentReport) -> None:
        self.import_op = None
        self.report = report
        text = (
            self.tr("已导入 %1 张录取照片（其中替换 %2 张）。")
            .replace("%1", str(report.imported))
            .replace("%2", str(report.replaced))
        )
        if report.unchanged:
            text += self.tr(" %1 张与已导入的相同，未改动。").replace("%1", str(report.unchanged))
        if report.no_face:
            text += (
                self.tr(" %1 张无法比对（仍可人工对照）：%2")
                .replace("%1", str(len(report.no_face)))
                .replace("%2", "；".join(mask_names(why) for _p, why in report.no_face[:10]))
            )
        if report.failed:
            text += (
                self.tr(" %1 个文件导入失败：%2")
                .replace("%1", str(len(report.failed)))
                .replace(
                    "%2", "；".join(f"{_shown(p)}（{mask_names(why)}）" for p, why in report.failed[:10])
                )
            )
        self.summary_label.setText(text)
        self.close_button.setText(self.tr("完成"))
        self.imported.emit(report)
        self._close_if_asked()

    def _failed(self, exc: BaseException) -> None:
        self.import_op = None
        if isinstance(exc, EnrolmentCancelled):
            self.summary_label.setText(self.tr("已取消：已导入的录取照片保留，其余未导入。"))
            self.close_button.setText(self.tr("完成"))
            self.imported.emit(None)
        else:
            QMessageBox.warning(self, self.tr("无法导入录取照片"), str(exc))
            self.import_button.setEnabled(self.match is not None and bool(self.match.matched))
        self._close_if_asked()
