"""PDF files appear complete or not at all: QPdfWriter writes a temp file that is then renamed."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.printing.pdf_text import TextLog, fix_text_layer
from app.services.common.files import WriteError, _explain, os_reason

_FULL_BELOW = 4 << 20  # free bytes under which a PDF cut short is put down to a full disk


def _cut_short(path: Path, size: int) -> WriteError:
    try:
        full = shutil.disk_usage(path.parent).free < _FULL_BELOW
    except OSError:
        full = False
    if full:
        return WriteError(errno.ENOSPC, _explain(OSError(errno.ENOSPC, ""), path))
    what = "PDF 为空" if size == 0 else "PDF 没有写完整"
    return WriteError(errno.EIO, f"无法写入 {path}：{what}（磁盘空间可能不足），未保存")


@contextlib.contextmanager
def atomic_pdf(path: Path | str, text_log: TextLog | None = None) -> Iterator[str]:
    """Yield a temp path beside `path`; rename it over `path` when the block succeeds. The text layer is made
    searchable on the way (pdf_text: normal CJK code points; the rare characters `text_log` saw drawn)."""
    path = Path(path)
    try:  # a read-only folder or a file where the folder should be: a Chinese message, not a traceback
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".pdf.part", dir=path.parent)
    except OSError as exc:
        raise WriteError(exc.errno or 0, _explain(exc, path)) from exc
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb") as fh:  # QPdfWriter reports no write errors: a full disk cuts the file short
            size = os.path.getsize(tmp)
            fh.seek(max(0, size - 1024))
            if size == 0 or b"%%EOF" not in fh.read():
                raise _cut_short(path, size)
        fix_text_layer(tmp, text_log)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, WriteError):
            raise
        raise WriteError(exc.errno or 0, f"无法写入 {path}：{os_reason(exc)}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
