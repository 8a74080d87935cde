"""Pieces every dialog shares: the red problem line, the 保存/取消 buttons, and fitting on a small screen.

The smallest office screen is 1280×720 (1920×1080 at 150 %, or 1366×768 less a taskbar); a title bar takes
about 40 px of it and the window frame about 8 px, so no dialog opens larger than 1272×680 or than the free
area of its screen. Forms taller than that scroll inside a `ScrollBody`, their buttons staying below it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QStyle,
    QWidget,
)

MAX_DIALOG = QSize(1272, 680)  # 1280×720 less the frame (8 px across) and a title bar (40 px)
WINDOW_FRAME = QSize(8, 40)


def problem_label() -> QLabel:
    """Where a dialog says, in red, why it cannot be saved yet."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


def save_cancel_buttons(dialog: QDialog, on_save: Callable[[], None]) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(QCoreApplication.translate("Dialog", "保存"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
        QCoreApplication.translate("Dialog", "取消")
    )
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ScrollBody(QScrollArea):
    """A dialog's fields, scrolling up and down only when the screen is too short for them.

    It asks for the whole content (where that fits, no scroll bar shows) but can shrink to a few lines, and
    is never narrower than the content plus a scroll bar, so nothing is cut off at the right."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scroll_body")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the first field gets the focus, not the scroll area

    def _bar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def sizeHint(self) -> QSize:
        frame = 2 * self.frameWidth()
        return self.widget().sizeHint() + QSize(frame, frame)

    def minimumSizeHint(self) -> QSize:
        frame = 2 * self.frameWidth()
        content = self.widget().minimumSizeHint()
        lines = 6 * self.fontMetrics().height()
        return QSize(content.width() + self._bar() + frame, min(content.height(), lines) + frame)


def fitted_size(wanted: QSize, available: QSize) -> QSize:
    """`wanted`, no larger than 1272×680 nor than a screen area of `available` less a title bar and frame."""
    return wanted.boundedTo((available - WINDOW_FRAME).boundedTo(MAX_DIALOG))


def fit_to_screen(dialog: QWidget, preferred: QSize | None = None) -> None:
    """The dialog's first size: its layout's own (or `preferred` where larger), fitted to its screen."""
    parent = dialog.parentWidget()
    screen = parent.window().screen() if parent is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    dialog.ensurePolished()
    wanted = dialog.sizeHint() if preferred is None else dialog.sizeHint().expandedTo(preferred)
    dialog.resize(fitted_size(wanted, screen.availableGeometry().size()))
