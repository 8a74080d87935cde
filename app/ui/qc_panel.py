"""The quality-check panel: each check's value, threshold and a green/amber/red mark."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

VERDICT_COLOURS = {"pass": "#2e9d46", "warn": "#e0a000", "fail": "#d32f2f"}
STATUS_TEXT = {"ok": "合格", "warn": "需留意", "fail": "不合格", "error": "无法读取"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("QcModel", text)


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
    HEADERS = ("检查项", "测量值", "标准", "结论")

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
            return _tr(self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        check = self._checks[index.row()]
        get = check.get if isinstance(check, dict) else lambda k, d=None: getattr(check, k, d)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return get("label") or get("name")
            if column == 1:
                value = get("value")
                return "" if value is None else f"{value:g} {get('unit') or ''}".strip()
            if column == 2:
                return get("threshold")
            return {"pass": _tr("通过"), "warn": _tr("注意"), "fail": _tr("不通过")}.get(get("verdict"), "")
        if role == Qt.ItemDataRole.DecorationRole and column == 3:
            return self._icons.get(get("verdict"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return get("message") or None
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QBrush(QColor(VERDICT_COLOURS.get(get("verdict"), "#000000")))
        return None
