"""The quality-check panel: each check's value, threshold and a green/amber/red mark."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from app.ui.i18n import qc_threshold, tr_data

VERDICT_COLOURS = {"pass": "#2e9d46", "warn": "#e0a000", "fail": "#d32f2f"}
STATUS_TEXT = {
    "ok": QT_TRANSLATE_NOOP("QcPanel", "合格"),
    "warn": QT_TRANSLATE_NOOP("QcPanel", "需留意"),
    "fail": QT_TRANSLATE_NOOP("QcPanel", "不合格"),
    "error": QT_TRANSLATE_NOOP("QcPanel", "无法读取"),
}


def status_text(status: str) -> str:
    """The big ok/warn/fail banner of the capture tab, in the interface language."""
    return QCoreApplication.translate("QcPanel", STATUS_TEXT[status]) if status in STATUS_TEXT else status


def dot_icon(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class QcModel(QAbstractTableModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("QcModel", "检查项"),
        QT_TRANSLATE_NOOP("QcModel", "测量值"),
        QT_TRANSLATE_NOOP("QcModel", "标准"),
        QT_TRANSLATE_NOOP("QcModel", "结论"),
    )

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._checks: list = []
        self._icons = {k: dot_icon(v) for k, v in VERDICT_COLOURS.items()}

    def set_checks(self, checks) -> None:
        self.beginResetModel()
        self._checks = list(checks or [])
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._checks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("QcModel", self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        check = self._checks[index.row()]
        get = check.get if isinstance(check, dict) else lambda k, d=None: getattr(check, k, d)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return tr_data(get("label")) or get("name")
            if column == 1:
                value = get("value")
                return "" if value is None else f"{value:g} {get('unit') or ''}".strip()
            if column == 2:
                return qc_threshold(get("threshold"))
            if get("verdict") == "fail":
                return (
                    QCoreApplication.translate("QcModel", "不通过（须重拍）")
                    if get("hard")
                    else QCoreApplication.translate("QcModel", "不通过（可仍接受）")
                )
            return {
                "pass": QCoreApplication.translate("QcModel", "通过"),
                "warn": QCoreApplication.translate("QcModel", "注意"),
            }.get(get("verdict"), "")
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return self._icons.get(get("verdict"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return get("message") or None
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QBrush(QColor(VERDICT_COLOURS.get(get("verdict"), "#000000")))
        return None
