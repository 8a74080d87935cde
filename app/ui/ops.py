"""The one background runner: work in QThreadPool, results and errors back on the GUI thread.

A progress dialog shows only after ~600 ms, is updated from a GUI-side timer, and Cancel sets a
flag the worker checks; no processEvents() anywhere.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.logging_setup import write_error_log
from app.services.common.errors import as_user_error, is_own

log = logging.getLogger(__name__)


class OpContext:
    """Handed to the worker: report progress, check for Cancel."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.released = threading.Event()
        self.done = 0
        self.total = 0
        self.label = ""

    def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[OpContext], Any], ctx: OpContext, signals: _Signals) -> None:
        super().__init__()
        self.fn, self.ctx, self.signals = fn, ctx, signals

    def run(self) -> None:  # worker thread: never touches a widget
        try:
            try:
                result = self.fn(self.ctx)
            except BaseException as exc:
                exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
                self.signals.failed.emit(exc)
            else:
                self.signals.finished.emit(result)
        except RuntimeError:  # the window that started it was closed meanwhile: nobody is left to tell
            log.info("后台任务结束时，发起它的窗口已关闭")
        finally:
            self.ctx.released.set()  # past the emit: the GUI thread may now let the op (and its signals) go


_active: set[BackgroundOp] = set()


class BackgroundOp(QObject):
    """BackgroundOp(parent, fn, label).success(cb).failure(cb).run()."""

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[OpContext], Any],
        label: str = "",
        cancellable: bool = True,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self._fn = fn
        self._label = label
        self._cancellable = cancellable
        self._pool = pool or QThreadPool.globalInstance()
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self.ctx = OpContext()
        # A Qt child of this op: the worker's reference to it is then never the one that deletes it. Without a
        # parent, the worker thread could drop the last reference after the GUI thread had finished with the op,
        # deleting a GUI-thread QObject from the worker (a segfault, seen in CI and in 3000 quick ops).
        self._signals = _Signals(self)
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_dialog)

    def success(self, cb: Callable[[Any], None]) -> BackgroundOp:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> BackgroundOp:
        self._on_failure = cb
        return self

    def run(self) -> BackgroundOp:
        _active.add(self)
        self.destroyed.connect(lambda *_: _active.discard(self))  # its widget closed before it ended
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        if self._label:
            self._show_timer.start(600)
        self._pool.start(_Runnable(self._fn, self.ctx, self._signals))
        return self

    def _show_dialog(self) -> None:
        dialog = QProgressDialog(
            self._label, self.tr("取消") if self._cancellable else "", 0, 0, self._parent_widget
        )
        dialog.setWindowTitle(self.tr("请稍候"))
        dialog.setMinimumDuration(0)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.ctx.cancel)
        dialog.show()
        self._dialog = dialog
        self._timer.start()

    @Slot()
    def _tick(self) -> None:
        if self._dialog is not None and self.ctx.total:
            self._dialog.setMaximum(self.ctx.total)
            self._dialog.setValue(min(self.ctx.done, self.ctx.total))

    def _close(self) -> None:
        self._show_timer.stop()
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.ctx.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self._release()

    def _release(self) -> None:
        # The result can arrive while the worker is still returning from emit(); keep the op until it has,
        # then let it go entirely (a finished op would otherwise stay a child of its widget, holding its
        # work's closure: a bundle's passphrase, a merger).
        if self.ctx.released.is_set():
            _active.discard(self)
            self.deleteLater()
        else:
            QTimer.singleShot(5, self._release)

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._close()
        if self._on_success:
            self._on_success(result)

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._close()
        if not is_own(exc):  # SQLite's "database or disk is full", an OSError: Chinese, details to the log
            write_error_log(getattr(exc, "__traceback_text__", repr(exc)))
            exc = as_user_error(exc)
        if self._on_failure:
            self._on_failure(exc)
        else:
            log.error("后台任务失败：%s", getattr(exc, "__traceback_text__", exc))
