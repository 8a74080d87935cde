"""Backups in the GUI: the list with 立即备份 / 恢复所选…, and the start-up integrity check with its way back.

Wiring: call `startup_integrity_prompt(None, url)` before opening the Database at start-up; menu 文件 → 备份与恢复…
opens `BackupDialog(parent, db.url)` and, on `restoreRequested(path)`, the main window calls
`restore_in_place(db, path)` and refreshes its tabs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, QThreadPool, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import upgrade_database
from app.services.common.backup import BackupError, BackupInfo, service_for, startup_check
from app.ui.dialog_parts import fit_to_screen
from app.ui.list_model import ListTableModel
from app.ui.table_tools import attach


class BackupDialog(QDialog):
    restoreRequested = Signal(
        object
    )  # Path of the chosen backup; the main window closes the store and restores

    def __init__(self, parent: QWidget | None, url: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("备份与恢复"))
        self.service = service_for(url)
        self.backups: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        if self.service is None:
            layout.addWidget(
                QLabel(self.tr("PostgreSQL 数据库由服务器备份（pg_dump / pg_restore），此处无需操作。"))
            )
        else:
            note = QLabel(
                self.tr(
                    "每次导入花名册、升级数据库和合并数据包之前都会自动备份（数据库与照片原图），"
                    "保留最近 %1 份。"
                ).replace("%1", str(self.service.keep))
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        self.model = ListTableModel([self.tr("时间"), self.tr("原因"), self.tr("大小"), self.tr("文件")])
        self.view = QTableView()
        self.view.setObjectName("backup_list")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        attach(self.view, "backups", self.tr("备份"), multi=False).set_empty_state(
            lambda: (self.tr("还没有备份：导入、升级和合并之前会自动备份"), None, None)
        )
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.create_button = QPushButton(self.tr("立即备份"))
        self.create_button.setObjectName("backup_create")
        self.create_button.clicked.connect(self.create_backup)
        self.restore_button = QPushButton(self.tr("恢复所选…"))
        self.restore_button.setObjectName("backup_restore")
        self.restore_button.clicked.connect(self.request_restore)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        for w in (self.create_button, self.restore_button):
            w.setEnabled(self.service is not None)
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()
        fit_to_screen(self, QSize(720, 420))

    def refresh(self) -> None:
        self.backups = self.service.list() if self.service is not None else []
        self.model.set_rows(
            [
                (
                    f"{b.taken_at:%Y-%m-%d %H:%M:%S}",
                    b.label_text,
                    f"{b.size / 1024 / 1024:.1f} MB",
                    b.path.name,
                )
                for b in self.backups
            ]
        )

    def create_backup(self) -> None:
        try:
            info = self.service.create("manual")
        except BackupError as exc:
            QMessageBox.warning(self, self.tr("无法备份"), str(exc))
            return
        self.refresh()
        if info is not None:
            QMessageBox.information(self, self.tr("已备份"), info.describe())

    def request_restore(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.tr("恢复备份"), self.tr("请先在列表中选择一份备份。"))
            return
        info = self.backups[rows[0].row()]
        answer = QMessageBox.question(
            self,
            self.tr("恢复备份"),
            self.tr(
                "用 %1 的备份替换当前数据库？\n当前数据库会先另存为一份备份，之后的修改将不在恢复后的数据库中。"
            ).replace("%1", f"{info.taken_at:%Y-%m-%d %H:%M:%S}"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restoreRequested.emit(info.path)


def restore_backup(url: str, path: Path) -> str:
    """Restore with every connection already closed; returns a Chinese summary (raises BackupError)."""
    service = service_for(url)
    if service is None:
        raise BackupError("PostgreSQL 数据库请用服务器的备份工具恢复")
    safety = service.restore(path)
    text = f"已从备份 {Path(path).name} 恢复数据库"
    if safety is not None:
        text += f"；恢复前的数据库另存为 {safety.path.name}"
    return text


def restore_in_place(db, path: Path) -> str:
    """The GUI's restore: wait for background work, close every pooled connection, restore, bring the schema to
    head. The Database object (and every service holding its sessions) stays usable: new connections open the
    restored file. Returns a Chinese summary; raises BackupError."""

    QThreadPool.globalInstance().waitForDone()
    db.dispose()
    text = restore_backup(db.url, path)
    upgrade_database(db.engine)  # a backup taken before a migration is upgraded again (after its own backup)
    return text


def startup_integrity_prompt(parent: QWidget | None, url: str) -> bool:
    """Start-up check: True to go on (intact, or restored); False when the user chose to quit."""
    result = startup_check(url)
    if result.ok:
        return True
    if not result.damaged:  # a full disk or a lock: nothing to restore
        QMessageBox.critical(
            parent, QCoreApplication.translate("BackupDialog", "无法打开数据库"), result.message
        )
        return False
    if result.last_good is None:
        QMessageBox.critical(
            parent, QCoreApplication.translate("BackupDialog", "数据库已损坏"), result.message
        )
        return False
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("BackupDialog", "数据库已损坏"),
        result.message,
        parent=parent,
    )
    restore = box.addButton(
        QCoreApplication.translate("BackupDialog", "恢复到最近一次完好的备份"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.addButton(QCoreApplication.translate("BackupDialog", "退出"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    try:
        text = restore_backup(url, result.last_good.path)
    except BackupError as exc:
        QMessageBox.critical(parent, QCoreApplication.translate("BackupDialog", "无法恢复备份"), str(exc))
        return False
    QMessageBox.information(parent, QCoreApplication.translate("BackupDialog", "已恢复"), text)
    return True
