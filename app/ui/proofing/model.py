"""The proofing table: rows in memory, filtered in Python; overdue rows highlighted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.common.classes import class_order
from app.services.proofing.service import ProofRow
from app.ui.i18n import proof_action, proof_result, tr_data

STATE_COLOURS = {
    "unchecked": "#9e9e9e",
    "correct": "#2e7d32",
    "wrong": "#c62828",
    "no_photo_pending": "#ef6c00",
    "no_photo_mismatch": "#ad1457",
    "no_record": "#6a1b9a",
    "linked": "#1565c0",
}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    value: Callable[[ProofRow], object]


COLUMNS = (
    Column("student_no", QT_TRANSLATE_NOOP("Data", "学号"), lambda r: r.student_no),
    Column("name", QT_TRANSLATE_NOOP("Data", "姓名"), lambda r: r.name),
    Column("class_name", QT_TRANSLATE_NOOP("Data", "班级"), lambda r: r.class_name),
    Column("cohort", QT_TRANSLATE_NOOP("Data", "届"), lambda r: r.cohort or ""),
    Column("state", QT_TRANSLATE_NOOP("Data", "校对状态"), lambda r: tr_data(r.state_label)),
    Column(
        "result", QT_TRANSLATE_NOOP("Data", "校对结果"), lambda r: proof_result(r.proof_state, r.proof_errors)
    ),
    Column(
        "action",
        QT_TRANSLATE_NOOP("Data", "下一步"),
        lambda r: proof_action(r.proof_state, r.proof_errors) if r.needs_action else "",
    ),
    Column(
        "deadline",
        QT_TRANSLATE_NOOP("Data", "截止日期"),
        lambda r: r.deadline.isoformat() if r.deadline else "",
    ),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}


def _student_no_key(text: str) -> tuple:
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


class ProofingTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ProofRow] = []
        self._visible: list[int] = []
        self._index_of: dict[int, int] = {}
        self.filters = {"needle": "", "class_name": "", "state": "", "error": "", "overdue": False}
        self.today = dt.date.today()
        self._sort_column = -1  # -1: by class, then 学号 (the forms' order)
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[ProofRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: (class_order(r.class_name), _student_no_key(r.student_no)))
        self._index_of = {r.id: i for i, r in enumerate(self._rows)}
        self._rebuild()
        self.endResetModel()

    def update_rows(self, rows: list[ProofRow]) -> None:
        for row in rows:
            i = self._index_of.get(row.id)
            if i is not None:
                self._rows[i] = row
        if self._visible:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._visible) - 1, len(COLUMNS) - 1))

    def set_filter(self, **changes) -> None:
        self.filters.update(changes)
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def _matches(self, r: ProofRow) -> bool:
        f = self.filters
        if f["class_name"] and r.class_name != f["class_name"]:
            return False
        if f["state"] == "__action__":
            if not r.needs_action:
                return False
        elif f["state"] and r.proof_state != f["state"]:
            return False
        if f["error"] and not any(e["kind"] == f["error"] for e in r.proof_errors or []):
            return False
        if f["overdue"] and not r.overdue(self.today):
            return False
        needle = f["needle"]
        return not needle or needle in r.name or needle in r.student_no

    def _rebuild(self) -> None:
        visible = [i for i, r in enumerate(self._rows) if self._matches(r)]
        if 0 <= self._sort_column < len(COLUMNS):
            column = COLUMNS[self._sort_column]
            if column.key == "student_no":
                key = lambda i: _student_no_key(self._rows[i].student_no)  # noqa: E731
            elif column.key == "class_name":
                key = lambda i: class_order(self._rows[i].class_name)  # noqa: E731
            else:
                key = lambda i: str(column.value(self._rows[i]))  # noqa: E731
            visible.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self._visible = visible

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.beginResetModel()  # a reset: persistent indexes would otherwise point at other students
        self._rebuild()
        self.endResetModel()

    def row_at(self, row: int) -> ProofRow | None:
        return self._rows[self._visible[row]] if 0 <= row < len(self._visible) else None

    def row_of(self, student_id: int) -> int | None:
        i = self._index_of.get(student_id)
        try:
            return self._visible.index(i) if i is not None else None
        except ValueError:
            return None

    def has_rows(self) -> bool:
        return bool(self._rows)

    def visible_rows(self) -> list[ProofRow]:
        return [self._rows[i] for i in self._visible]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr_data(COLUMNS[section].title)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[self._visible[index.row()]]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()].value(row)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("result", "action"):
            return COLUMNS[index.column()].value(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and key == "state":
            return QBrush(QColor(STATE_COLOURS.get(row.proof_state, "#000")))
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue(self.today):
            return QBrush(QColor("#fde2e1"))
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
