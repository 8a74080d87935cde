"""Atomic file writing: a temp file beside the target, flushed to disk, then renamed over it."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class WriteError(OSError):
    """A file could not be written; the message is Chinese and names the file. Nothing half-written remains."""

    def __str__(self) -> str:  # the Chinese message alone, without OSError's "[Errno 28] " in front of it
        return self.strerror if self.strerror else super().__str__()


_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘只读",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有同名文件挡住了文件夹",
    errno.EIO: "读写出错（磁盘或 U 盘可能已损坏或已拔出）",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多",
    errno.EBUSY: "文件正被占用",
    errno.ELOOP: "链接层数过多",
    errno.EFBIG: "文件过大",
}


def os_reason(exc: OSError) -> str:
    """The reason of an OS error in Chinese words (the system's own text only for a rare one)."""
    if isinstance(exc, NotRegularFile):
        return NOT_REGULAR_REASON
    if getattr(exc, "winerror", None) in (32, 33):  # sharing/lock violation (CPython calls it EACCES): Excel
        return "文件正被其他程序（如 Excel、WPS）打开，请关闭后重试"
    return _REASONS.get(exc.errno or -1) or exc.strerror or type(exc).__name__


def _explain(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"磁盘空间不足，无法写入 {path}（未留下不完整的文件）"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有权限写入 {path}（文件夹只读，或文件正被 Excel 等程序打开）"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"无法写入 {path}：路径中的“{path.parent}”不是文件夹（已有同名文件）"
    return f"无法写入 {path}：{os_reason(exc)}"


@contextlib.contextmanager
def atomic_open(path: Path | str, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """Write through a temp file; the target appears complete or not at all."""
    path = Path(path)
    try:  # a read-only folder or a file where the folder should be: a Chinese message, not a traceback
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise WriteError(exc.errno or 0, _explain(exc, path)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteError(exc.errno or 0, _explain(exc, path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)


class LinkRefused(OSError):
    """A file from outside is a symbolic link (or a Windows junction/shortcut target): never followed."""

    def __str__(self) -> str:
        return self.strerror if self.strerror else super().__str__()


def _link_message(path: Path) -> str:
    return f"{path.name} 是一个链接（符号链接），不是文件本身；为安全起见不读取它，请复制真正的文件"


def refuse_link(path: Path | str) -> Path:
    """`path` itself, unless it is a symbolic link (LinkRefused, Chinese, naming the file)."""
    path = Path(path)
    if path.is_symlink() or (hasattr(path, "is_junction") and path.is_junction()):
        raise LinkRefused(40, _link_message(path))  # 40 = ELOOP, what O_NOFOLLOW gives
    return path


class NotRegularFile(OSError):
    """A file from outside is a named pipe, a device or a socket: reading it could block for ever or never end."""

    def __str__(self) -> str:
        return self.strerror if self.strerror else super().__str__()


NOT_REGULAR_REASON = "不是普通文件（可能是管道或设备），不读取它"


def open_no_follow(path: Path | str) -> IO[bytes]:
    """Open a file from outside for reading without following a link, even one swapped in after a check.

    Only a regular file is read: it is opened non-blocking (a named pipe with no writer would otherwise hang
    the open for ever) and its kind is checked on the open handle, so nothing can be swapped in between."""
    path = refuse_link(path)
    flags = (
        os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == getattr(errno, "ELOOP", 40):
            raise LinkRefused(exc.errno, _link_message(path)) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "这是一个文件夹", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, f"{path.name} {NOT_REGULAR_REASON}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")
