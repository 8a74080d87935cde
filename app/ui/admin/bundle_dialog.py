"""Station bundles in the GUI: export a station, import a bundle and decide each conflict (keep local / take bundle).

Menu wiring (see the README): 学习中心 → 导出学习中心数据包… calls `export_bundle(...)`; 导入学习中心数据包… calls
`import_bundle(...)`, which verifies the file in the background and opens `BundleImportDialog`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.paths import photo_store_for
from app.services.common.backup import before_change
from app.services.delivery.package import safe_component
from app.services.exchange.bundle import (
    SUFFIX,
    Bundle,
    BundleError,
    enrolment_photos,
    export_station,
    read_bundle,
)
from app.services.exchange.crypto import CryptoError, decrypt_into, is_encrypted
from app.services.exchange.merge import BUNDLE, LOCAL, BundleMerger, Conflict, MergePlan, MergeReport, show
from app.ui.admin.passphrase_dialog import PassphraseDialog
from app.ui.dialog_parts import fit_to_screen
from app.ui.i18n import merge_summary
from app.ui.ops import BackgroundOp
from app.ui.table_tools import attach

_UNDECIDED_BG = QColor(255, 243, 205)


def _t(text: str) -> str:
    return QCoreApplication.translate("BundleDialog", text)


class ConflictModel(QAbstractTableModel):
    """One row per student in conflict; the last column is the decision, changed through `set_choice`."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("BundleDialog", "学号"),
        QT_TRANSLATE_NOOP("BundleDialog", "姓名"),
        QT_TRANSLATE_NOOP("BundleDialog", "字段"),
        QT_TRANSLATE_NOOP("BundleDialog", "本地"),
        QT_TRANSLATE_NOOP("BundleDialog", "数据包"),
        QT_TRANSLATE_NOOP("BundleDialog", "采用"),
    )

    def __init__(self, conflicts: list[Conflict], parent=None) -> None:
        super().__init__(parent)
        self.conflicts = conflicts
        self.choices: dict[str, str | None] = {c.student_no: None for c in conflicts}
        # Cells computed once: data() never formats values per paint.
        self._cells = [
            [
                c.student_no,
                c.name,
                "\n".join(f.label for f in c.fields),
                "\n".join(show(f.key, f.local) for f in c.fields),
                "\n".join(show(f.key, f.bundle) for f in c.fields),
            ]
            for c in conflicts
        ]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.conflicts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _t(self.COLUMNS[section])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        choice = self.choices[self.conflicts[row].student_no]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 5:
                return {
                    LOCAL: QCoreApplication.translate("BundleDialog", "保留本地"),
                    BUNDLE: QCoreApplication.translate("BundleDialog", "采用数据包"),
                }.get(choice or "", QCoreApplication.translate("BundleDialog", "未决定"))
            return self._cells[row][col]
        if role == Qt.ItemDataRole.BackgroundRole and choice is None:
            return QBrush(_UNDECIDED_BG)
        if role == Qt.ItemDataRole.FontRole and col == (4 if choice == BUNDLE else 3) and choice:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def set_choice(self, rows: list[int], choice: str) -> None:
        for row in rows:
            self.choices[self.conflicts[row].student_no] = choice
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(self.COLUMNS) - 1))

    def toggle(self, row: int) -> None:
        current = self.choices[self.conflicts[row].student_no]
        self.set_choice([row], BUNDLE if current == LOCAL else LOCAL)

    def all_decided(self) -> bool:
        return all(v is not None for v in self.choices.values())

    def decisions(self) -> dict[str, str]:
        return {k: v for k, v in self.choices.items() if v is not None}


class BundleImportDialog(QDialog):
    """What a bundle would change, its conflicts for a decision each, then the merge in the background."""

    merged = Signal(object)  # MergeReport

    def __init__(self, parent: QWidget | None, merger: BundleMerger, bundle: Bundle, plan: MergePlan) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入学习中心数据包 — %1").replace("%1", bundle.path.name))
        self.merger, self.bundle, self.plan = merger, bundle, plan
        self.report: MergeReport | None = None
        layout = QVBoxLayout(self)
        summary = QLabel(
            self.tr("学习中心：%1\n%2").replace("%1", plan.station_name).replace("%2", merge_summary(plan))
        )
        summary.setObjectName("bundle_summary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        if plan.rejected:
            rejected = QLabel(
                self.tr("无法合并（不会写入）：")
                + "；".join(f"{no} {why}" for no, why in plan.rejected[:20])
                + ("…" if len(plan.rejected) > 20 else "")
            )
            rejected.setWordWrap(True)
            rejected.setObjectName("bundle_rejected")
            layout.addWidget(rejected)
        hint = QLabel(
            self.tr(
                "下列学生在本库和数据包中都被修改且不一致。请逐行决定保留本地还是采用数据包"
                "（双击一行切换）；全部决定后才能导入。"
            )
            if plan.conflicts
            else self.tr("没有冲突。")
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = ConflictModel(plan.conflicts, self)
        self.view = QTableView()
        self.view.setObjectName("bundle_conflicts")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(True)
        self.view.resizeColumnsToContents()
        self.view.resizeRowsToContents()  # a student's fields are one line each
        self.view.doubleClicked.connect(lambda index: self.model.toggle(index.row()))
        attach(self.view, "bundle_conflicts", self.tr("冲突"))
        self.view.setVisible(bool(plan.conflicts))
        layout.addWidget(self.view, 1)
        layout.addLayout(self._build_buttons())
        self.model.dataChanged.connect(self._update_import_button)
        self._update_import_button()
        fit_to_screen(self, QSize(960, 560))

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        specs = (
            (self.tr("所选保留本地"), "keep_local", lambda: self.choose(LOCAL, selected=True)),
            (self.tr("所选采用数据包"), "take_bundle", lambda: self.choose(BUNDLE, selected=True)),
            (self.tr("全部保留本地"), "all_local", lambda: self.choose(LOCAL, selected=False)),
            (self.tr("全部采用数据包"), "all_bundle", lambda: self.choose(BUNDLE, selected=False)),
        )
        for text, name, slot in specs:
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            button.setVisible(bool(self.plan.conflicts))
            row.addWidget(button)
        row.addStretch(1)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("bundle_import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.run_import)
        row.addWidget(self.import_button)
        cancel = QPushButton(self.tr("取消"))
        cancel.clicked.connect(self.reject)
        row.addWidget(cancel)
        return row

    def choose(self, choice: str, selected: bool) -> None:
        rows = (
            sorted({i.row() for i in self.view.selectionModel().selectedRows()})
            if selected
            else list(range(self.model.rowCount()))
        )
        self.model.set_choice(rows, choice)

    def _update_import_button(self, *_args) -> None:
        has_work = self.plan.has_changes or bool(self.plan.conflicts)
        self.import_button.setEnabled(has_work and self.model.all_decided())

    def run_import(self) -> None:
        decisions = self.model.decisions()
        self.import_button.setEnabled(False)
        (
            BackgroundOp(
                self,
                lambda _ctx: self.merger.apply(self.bundle, decisions),
                self.tr("正在合并数据包…"),
                cancellable=False,
            )
            .success(self._merged)
            .failure(self._failed)
            .run()
        )

    def _merged(self, report: MergeReport) -> None:
        self.report = report
        self.merged.emit(report)
        text = report.plan.summary()
        if report.backup is not None:
            text += self.tr("\n合并前已备份数据库：%1").replace("%1", report.backup.name)
        QMessageBox.information(self, self.tr("数据包已导入"), text)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("无法导入数据包"), str(exc))
        self._update_import_button()


def merger_for(db, operator: str) -> BundleMerger:
    """The merger the GUI uses: photo store beside the database, automatic backup before writing."""
    return BundleMerger(
        db.sessions,
        photo_store_for(db),
        operator,
        before_write=lambda label: before_change(db.sessions, label),
    )


def import_bundle(
    parent: QWidget,
    db,
    operator: str,
    on_merged: Callable[[MergeReport], None] | None = None,
    path: str | None = None,
) -> None:
    """Menu action 导入学习中心数据包…: pick a file, verify it in the background, then show the dialog."""
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            parent,
            QCoreApplication.translate("BundleDialog", "导入学习中心数据包"),
            "",
            QCoreApplication.translate("BundleDialog", "学习中心数据包 (*.zip *.gpb)"),
        )
        if not path:
            return
    merger = merger_for(db, operator)
    secret = None
    if is_encrypted(path):
        asked = PassphraseDialog(parent, exporting=False)
        if asked.exec() != QDialog.DialogCode.Accepted:
            return
        secret = asked.passphrase()
    folder = Path(tempfile.mkdtemp(prefix="gradphoto-bundle-")) if secret is not None else None

    def cleanup(*_args) -> None:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)  # the decrypted zip: gone once the dialog closes

    def work(_ctx):
        if folder is None:
            bundle = read_bundle(path)
        else:
            plain = folder / "bundle.zip"
            try:
                with open(plain, "wb") as fh:
                    decrypt_into(Path(path), secret or "", fh)
            except CryptoError as exc:
                raise BundleError(str(exc)) from None
            bundle = dataclasses.replace(read_bundle(plain), path=Path(path), plain_path=plain)
        return bundle, merger.plan(bundle)

    def opened(result) -> None:
        bundle, plan = result
        dialog = BundleImportDialog(parent, merger, bundle, plan)
        if on_merged is not None:
            dialog.merged.connect(on_merged)
        dialog.finished.connect(cleanup)
        dialog.open()

    def failed(exc) -> None:
        cleanup()
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("BundleDialog", "无法导入数据包"),
            f"{exc}\n" + QCoreApplication.translate("BundleDialog", "未写入任何数据。"),
        )

    (
        BackgroundOp(
            parent, work, QCoreApplication.translate("BundleDialog", "正在校验数据包…"), cancellable=False
        )
        .success(opened)
        .failure(failed)
        .run()
    )


def default_bundle_name(station_name: str) -> str:
    return f"{safe_component(station_name)}_{dt.date.today():%Y%m%d}{SUFFIX}"


def export_bundle(parent: QWidget, db, station_name: str, operator: str, path: str | None = None) -> None:
    """Menu action 导出学习中心数据包…: save the current station as one .zip (recorded in the audit trail)."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("BundleDialog", "导出学习中心数据包"),
            str(Path.home() / default_bundle_name(station_name)),
            QCoreApplication.translate("BundleDialog", "学习中心数据包 (*.zip)"),
        )
        if not path:
            return
    asked = PassphraseDialog(parent, exporting=True)  # encryption is the default
    if asked.exec() != QDialog.DialogCode.Accepted:
        return
    secret = asked.passphrase()
    if secret is None and (faces := enrolment_photos(db.sessions, station_name)):
        # Enrolment photos are face data and travel only sealed: say so while a passphrase can still be set.
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("BundleDialog", "录取照片不会导出"),
            QCoreApplication.translate(
                "BundleDialog",
                "本学习中心有 %1 名学生的录取照片。录取照片属于人脸信息，只随加密的数据包交换，"
                "不加密导出的数据包不含录取照片。\n\n"
                "设置口令加密后再导出吗？选“否”则不加密导出（不含录取照片）。",
            ).replace("%1", str(faces)),
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer not in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No):
            return
        if answer == QMessageBox.StandardButton.Yes:
            asked = PassphraseDialog(parent, exporting=True)
            if asked.exec() != QDialog.DialogCode.Accepted:
                return
            secret = asked.passphrase()
    store = photo_store_for(db)

    def done(result) -> None:
        text = QCoreApplication.translate(
            "BundleDialog", "已导出 %1 名学生、%2 张照片到 %3（含完整身份证号，已记入操作日志）"
        )
        if secret is None:
            text += "\n" + QCoreApplication.translate("BundleDialog", "数据包未加密：请只交给可信的人。")
        text = (
            text.replace("%1", str(result.students))
            .replace("%2", str(result.photos))
            .replace("%3", str(path))
        )
        if result.enrolment:
            text += "\n" + QCoreApplication.translate(
                "BundleDialog", "含 %1 名学生的录取照片（人脸信息，已加密）"
            ).replace("%1", str(result.enrolment))
        if result.enrolment_left_out:
            text += "\n" + QCoreApplication.translate(
                "BundleDialog",
                "注意：%1 名学生的录取照片属于人脸信息，只随加密的数据包交换，本数据包未携带"
                "（需要时请设置口令重新导出）",
            ).replace("%1", str(result.enrolment_left_out))
        if result.missing_photos:
            text += "\n" + QCoreApplication.translate(
                "BundleDialog", "注意：%1 张照片的原图不在照片库中，只导出了记录"
            ).replace("%1", str(len(result.missing_photos)))
        QMessageBox.information(parent, QCoreApplication.translate("BundleDialog", "数据包已导出"), text)

    (
        BackgroundOp(
            parent,
            lambda _ctx: export_station(db.sessions, store, station_name, path, operator, secret),
            QCoreApplication.translate("BundleDialog", "正在导出数据包…"),
            cancellable=False,
        )
        .success(done)
        .failure(
            lambda exc: QMessageBox.warning(
                parent, QCoreApplication.translate("BundleDialog", "无法导出数据包"), str(exc)
            )
        )
        .run()
    )
