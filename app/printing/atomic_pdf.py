"""PDF files appear complete or not at all: QPdfWriter writes a temp file that is then renamed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.services.common.files import WriteError, _explain


@contextlib.contextmanager
def atomic_pdf(path: Path | str) -> Iterator[str]:
    """Yield a temp path beside `path`; rename it over `path` when the block succeeds."""
    path = Path(path)
    try:  # a read-only folder or a file where the folder should be: a Chinese message, not a traceback
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".pdf.part", dir=path.parent)
    except OSError as exc:
        raise WriteError(exc.errno or 0, _explain(exc, path)) from exc
    os.close(fd)
    try:
        yield tmp
        if os.path.getsize(tmp) == 0:
            raise WriteError(0, f"无法写入 {path}（PDF 为空）")
        with open(tmp, "rb") as fh:  # QPdfWriter reports no write errors: a full disk cuts the file short
            fh.seek(max(0, os.path.getsize(tmp) - 1024))
            if b"%%EOF" not in fh.read():
                raise WriteError(28, f"无法写入 {path}：PDF 没有写完整（磁盘空间可能不足），未保存")
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, WriteError):
            raise
        raise WriteError(exc.errno or 0, f"无法写入 {path}：{exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
