"""One QUndoCommand per user action on students; each calls the services, which audit every step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.services.roster.service import RosterService
from app.ui.undo import DoneCommand


class EditStudentCommand(DoneCommand):
    """Some fields changed; undo writes the old values back through the same validation."""

    def __init__(
        self,
        roster: RosterService,
        student_id: int,
        changes: dict[str, tuple[Any, Any]],
        label: str,
        notify: Callable[[int], None],
    ) -> None:
        super().__init__(QCoreApplication.translate("Undo", "修改 %1").replace("%1", label))
        self.roster, self.student_id, self.changes, self.notify = roster, student_id, changes, notify

    def apply(self) -> None:
        self.roster.update(self.student_id, {k: new for k, (_, new) in self.changes.items()})
        self.notify(self.student_id)

    def undo(self) -> None:
        self.roster.update(self.student_id, {k: old for k, (old, _) in self.changes.items()})
        self.notify(self.student_id)


class AddStudentCommand(DoneCommand):
    def __init__(
        self,
        roster: RosterService,
        station_id: int,
        student_id: int,
        values: dict[str, Any],
        notify: Callable[[int], None],
    ) -> None:
        super().__init__(
            QCoreApplication.translate("Undo", "新增 %1").replace("%1", str(values.get("name", "")))
        )
        self.roster, self.station_id, self.values, self.notify = roster, station_id, values, notify
        self.student_id: int | None = student_id
        self._first_id = student_id

    def apply(self) -> None:
        # Under its first id again: the edits redone after this one name the student by that id (a new id
        # sent them to nobody, or on SQLite, which hands a freed id out again, to another student).
        self.student_id = self.roster.add(self.station_id, self.values, student_id=self._first_id).id
        self.notify(-1)

    def undo(self) -> None:
        if self.student_id is not None:
            self.roster.remove(self.student_id)
            self.student_id = None
        self.notify(-1)


class WithdrawCommand(DoneCommand):
    def __init__(
        self,
        roster: RosterService,
        student_id: int,
        withdrawn: bool,
        reason: str,
        previous: tuple[bool, str, dt.date | None],
        label: str,
        notify: Callable[[int], None],
    ) -> None:
        if withdrawn:
            text = QCoreApplication.translate("Undo", "学籍异动 %1")
        else:
            text = QCoreApplication.translate("Undo", "撤销学籍异动 %1")
        super().__init__(text.replace("%1", label))
        self.roster, self.student_id, self.withdrawn, self.reason = roster, student_id, withdrawn, reason
        self.previous, self.notify = previous, notify

    def apply(self) -> None:
        self.roster.set_withdrawn(self.student_id, self.withdrawn, self.reason)
        self.notify(self.student_id)

    def undo(self) -> None:
        was, reason, date = self.previous
        self.roster.set_withdrawn(self.student_id, was, reason, date)
        self.notify(self.student_id)
