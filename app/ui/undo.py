"""Undo for every tab: commands pushed already done, and clearing what can no longer be redone.

The caller performs the action first (so a validation error is shown before anything enters the
stack) and pushes the command already done: its first redo() is skipped.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand


class DoneCommand(QUndoCommand):
    """A command whose action the caller has already performed: its first redo() is skipped."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._already_done = True

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False
            return
        self.apply()

    def apply(self) -> None:
        raise NotImplementedError


def drop_redo(stack) -> None:
    """Students were added or changed outside the stack (an import, a merge): the commands waiting to be
    redone describe a roster that no longer exists (a freed id may now be another student's), so they go.
    Pushing an obsolete command clears the redo part and adds nothing; what can be undone stays."""
    if stack.canRedo():
        marker = QUndoCommand()
        marker.setObsolete(True)
        stack.push(marker)
