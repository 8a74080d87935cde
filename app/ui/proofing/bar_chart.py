"""A small stacked bar chart: per class, how many students are in each proofing state."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.services.common.classes import class_order
from app.services.proofing.states import STATES
from app.ui.i18n import tr_data
from app.ui.proofing.model import STATE_COLOURS


class StateBarChart(QWidget):
    BAR_HEIGHT = 16
    LABEL_WIDTH = 190

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: list[tuple[str, Counter]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_counts(self, counts: dict[tuple[str, str], Counter]) -> None:
        multi_station = len({station for station, _ in counts}) > 1
        self._data = [
            ((f"{station} · {cls}" if multi_station else cls), counter)
            for (station, cls), counter in sorted(
                counts.items(), key=lambda kv: (kv[0][0], class_order(kv[0][1]))
            )
        ]
        self.setFixedHeight(28 + len(self._data) * (self.BAR_HEIGHT + 6))
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = 6
        for state in STATES:  # legend
            painter.fillRect(QRectF(x, 6, 10, 10), QColor(STATE_COLOURS[state.key]))
            painter.setPen(QColor("#333"))
            label = tr_data(state.label)
            advance = painter.fontMetrics().horizontalAdvance(label)  # English labels are longer than 160 px
            painter.drawText(QRectF(x + 14, 0, advance + 4, 22), Qt.AlignmentFlag.AlignVCenter, label)
            x += 22 + advance
        width = max(10, self.width() - self.LABEL_WIDTH - 60)
        most = max((sum(c.values()) for _, c in self._data), default=1)
        for i, (label, counter) in enumerate(self._data):
            y = 28 + i * (self.BAR_HEIGHT + 6)
            painter.setPen(QColor("#333"))
            painter.drawText(
                QRectF(4, y, self.LABEL_WIDTH - 8, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideLeft, self.LABEL_WIDTH - 8),
            )
            left = float(self.LABEL_WIDTH)
            for state in STATES:
                n = counter.get(state.key, 0)
                if not n:
                    continue
                w = width * n / most
                painter.fillRect(QRectF(left, y, w, self.BAR_HEIGHT), QColor(STATE_COLOURS[state.key]))
                left += w
            total = sum(counter.values())
            done = counter.get("correct", 0) + counter.get("linked", 0)
            painter.setPen(QColor("#333"))
            painter.drawText(
                QRectF(left + 6, y, 80, self.BAR_HEIGHT), Qt.AlignmentFlag.AlignVCenter, f"{done}/{total}"
            )
        painter.end()
