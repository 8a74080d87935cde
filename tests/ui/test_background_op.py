"""The one background runner: results and failures come back on the GUI thread, and ending thousands of quick
operations never deletes a GUI-thread object from a worker (that race segfaulted a CI run)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from app.ui.ops import BackgroundOp

ROOT = Path(__file__).resolve().parents[2]


def test_success_and_failure_arrive_on_the_gui_thread(qtbot):
    seen = []
    BackgroundOp(None, lambda ctx: 6 * 7).success(
        lambda r: seen.append((r, threading.current_thread()))
    ).run()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(42, threading.main_thread())]
    failed = []
    BackgroundOp(None, lambda ctx: 1 / 0).failure(failed.append).run()
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    # Not GradPhoto's own error: its type stays in the message and the original is the cause.
    assert str(failed[0]) == "操作未能完成（ZeroDivisionError：division by zero）"
    assert isinstance(failed[0].__cause__, ZeroDivisionError)


def test_the_worker_never_holds_the_last_reference_to_a_gui_object(qtbot):
    """What the segfault needed, checked without timing: the signals are the op's Qt child (deleted with it, on
    the GUI thread), and an op stays alive until its worker is past emit()."""
    from app.ui import ops

    gate = threading.Event()
    op = BackgroundOp(None, lambda ctx: gate.wait(5))
    assert op._signals.parent() is op
    op.run()
    assert op in ops._active and not op.ctx.released.is_set()
    op._close()  # as if the result had arrived before the worker returned
    assert op in ops._active  # kept: the worker is still inside the op
    gate.set()
    qtbot.waitUntil(lambda: op.ctx.released.is_set() and op not in ops._active, timeout=5000)


def test_a_finished_op_is_deleted_and_one_whose_window_closed_ends_quietly(qtbot):
    from PySide6.QtWidgets import QWidget

    from app.ui import ops

    owner = QWidget()
    done = []
    op = BackgroundOp(owner, lambda ctx: 1).success(done.append).run()
    gone = []
    op.destroyed.connect(lambda *_: gone.append(True))
    qtbot.waitUntil(lambda: bool(done) and bool(gone), timeout=5000)  # not kept as the widget's child
    assert owner.findChildren(BackgroundOp) == []

    gate = threading.Event()
    orphan = BackgroundOp(owner, lambda ctx: gate.wait(5)).success(done.append).run()
    ctx = orphan.ctx
    owner.deleteLater()  # the dialog closed while its work ran
    qtbot.waitUntil(lambda: orphan not in ops._active, timeout=5000)
    gate.set()
    qtbot.waitUntil(ctx.released.is_set, timeout=5000)  # the worker ended without an error
    assert done == [1]


def test_ten_thousand_quick_operations_end_cleanly():
    """Each op is dropped as soon as its result is handled. Before the fix this died with SIGSEGV in 4 of 5 runs
    of 5,000 ops; it runs in its own process so a crash fails this test rather than the suite."""
    script = textwrap.dedent(
        """
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication
        from app.ui.ops import BackgroundOp

        app = QApplication([])
        got = 0
        for i in range(10_000):
            loop = QEventLoop()
            def ok(result, loop=loop):
                global got
                got += 1
                loop.quit()
            BackgroundOp(None, lambda ctx, i=i: i).success(ok).run()
            loop.exec()
        print("done", got)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"exit {run.returncode}: {run.stderr[-2000:]}"
    assert run.stdout.split() == ["done", "10000"]


def test_a_failure_from_outside_reaches_the_callback_in_chinese_with_details_logged(qtbot):
    import sqlite3

    from app.paths import data_dir
    from app.services.common.errors import UnexpectedError

    def fill(ctx):
        raise sqlite3.OperationalError("database or disk is full")

    failed = []
    BackgroundOp(None, fill).failure(failed.append).run()
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert isinstance(failed[0], UnexpectedError)
    assert str(failed[0]).startswith("磁盘空间不足，数据库无法写入（这次操作没有保存任何更改）")
    log = (data_dir() / "logs" / "errors.log").read_text(encoding="utf-8")
    assert "database or disk is full" in log and "Traceback" in log
