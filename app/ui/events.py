"""One place where data changes are announced; each tab refreshes itself on these signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    rosterChanged = Signal()
    studentChanged = Signal(int)
    enrolmentChanged = Signal(object)  # ids of the students whose enrolment photo was deleted
    stationsChanged = Signal()
    stationSelected = Signal(int)
