"""Short system sounds for the capture day: a photo arrived, a photo accepted, something failed.

The photographer looks at the student, not at the screen; a sound says the shot landed, or that it did not
pass. Windows plays its own system sounds (winsound, part of Python: no multimedia library); elsewhere only the
failure sounds, as the terminal bell."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication

ARRIVED, ACCEPTED, FAILED = "arrived", "accepted", "failed"
enabled = True  # the preferences can turn it off; tests record instead

_WINDOWS = {
    ARRIVED: 0x00000040,
    ACCEPTED: 0x00000000,
    FAILED: 0x00000010,
}  # MB_ICONASTERISK, MB_OK, MB_ICONHAND


def play(kind: str) -> None:
    if not enabled:
        return
    if os.name == "nt":
        # deferred: winsound exists on Windows only
        import winsound

        winsound.MessageBeep(_WINDOWS.get(kind, 0))
    elif kind == FAILED:
        QApplication.beep()
