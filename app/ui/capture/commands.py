"""Undo commands for capture: crop adjustments and photo verdicts (each already done when pushed)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.capture.service import CaptureError, CaptureService
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
        show: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(text)
        self.capture, self.student_id, self.photo_id = capture, student_id, photo_id
        self.before, self.redo_fn, self.notify, self.show = before, redo_fn, notify, show

    def apply(self) -> None:
        self._guarded(self.redo_fn)

    def undo(self) -> None:
        state, review = self.before
        done = self._guarded(
            lambda: self.capture.restore_state(self.student_id, state, review, self.photo_id)
        )
        if done and self.show is not None:  # undo of 接受 goes back to that student, the photo on screen
            self.show(self.student_id)

    def _guarded(self, action: Callable[[], object]) -> bool:
        """Run the action; when the photo it was about has been replaced since, say so and drop the command."""
        done = True
        try:
            action()
        except CaptureError as exc:
            done = False
            self.setObsolete(True)
            QMessageBox.warning(
                QApplication.activeWindow(),
                QCoreApplication.translate("Capture", "撤销/重做未执行"),
                str(exc),
            )
        self.notify(self.student_id)
        return done


class AssignTrayCommand(DoneCommand):
    """A waiting photo given to a student; undo puts it back in the tray and the student as they were."""

    def __init__(
        self,
        capture: CaptureService,
        student_id: int,
        photo_id: int,
        state_before: str,
        refresh: Callable[[int], None],
    ) -> None:
        super().__init__(QCoreApplication.translate("Undo", "分配待分配照片"))
        self.capture, self.student_id, self.photo_id = capture, student_id, photo_id
        self.state_before, self.refresh = state_before, refresh
        self.pending_id: int | None = None

    def undo(self) -> None:
        self._guarded(
            lambda: setattr(self, "pending_id", self.capture.unassign(self.photo_id, self.state_before))
        )

    def apply(self) -> None:
        if self.pending_id is not None:
            self._guarded(
                lambda: setattr(
                    self, "photo_id", self.capture.assign_pending(self.pending_id, self.student_id)
                )
            )

    def _guarded(self, action: Callable[[], object]) -> None:
        """As PhotoStateCommand: a step the data no longer allows is said and the command dropped."""
        try:
            action()
        except CaptureError as exc:
            self.setObsolete(True)
            QMessageBox.warning(
                QApplication.activeWindow(),
                QCoreApplication.translate("Capture", "撤销/重做未执行"),
                str(exc),
            )
        self.refresh(self.student_id)
