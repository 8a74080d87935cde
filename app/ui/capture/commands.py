"""Undo commands for capture: crop adjustments and photo verdicts (each already done when pushed)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from app.services.capture.service import CaptureService
from app.ui.undo import DoneCommand


class AdjustCropCommand(DoneCommand):
    """One burst of nudges (mouse or keyboard) on one photo."""

    def __init__(
        self,
        capture: CaptureService,
        photo_id: int,
        old: tuple,
        new: tuple,
        apply: Callable[[int, tuple, float], None],
    ) -> None:
        super().__init__(QCoreApplication.translate("Undo", "调整裁剪"))
        self.capture, self.photo_id, self.old, self.new, self._apply = capture, photo_id, old, new, apply

    def apply(self) -> None:
        self._apply(self.photo_id, self.new[0], self.new[1])

    def undo(self) -> None:
        self._apply(self.photo_id, self.old[0], self.old[1])


class PhotoStateCommand(DoneCommand):
    """Accept or mark for retake; undo puts the student's photo state back."""

    def __init__(
        self,
        text: str,
        capture: CaptureService,
        student_id: int,
        photo_id: int | None,
        before: tuple[str, str | None],
        redo_fn: Callable[[], None],
        notify: Callable[[int], None],
    ) -> None:
        super().__init__(text)
        self.capture, self.student_id, self.photo_id = capture, student_id, photo_id
        self.before, self.redo_fn, self.notify = before, redo_fn, notify

    def apply(self) -> None:
        self.redo_fn()
        self.notify(self.student_id)

    def undo(self) -> None:
        state, review = self.before
        self.capture.restore_state(self.student_id, state, review)
        self.notify(self.student_id)
