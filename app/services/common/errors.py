"""Failures the program did not raise itself, said in Chinese: a full disk under the database, a store another
program holds, a file system error. GradPhoto's own errors already carry a Chinese message naming the row or file;
these come from SQLite, the OS or a library, and would otherwise reach a user as English internals."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from app.services.common.files import os_reason
from app.services.common.masking import mask_id_numbers

# What SQLite (and PostgreSQL) say, and what a clerk should read instead. Nothing was saved in any of these
# cases: the transaction was rolled back.
_DATABASE = (
    (
        "database or disk is full",
        "磁盘空间不足，数据库无法写入（这次操作没有保存任何更改）。请腾出磁盘空间后重试",
    ),
    # PostgreSQL's own full disk says "could not extend file …: No space left on device": the server's
    # administrator frees it, not the clerk; so it is matched before the local case.
    ("could not extend file", "数据库服务器的磁盘空间不足（这次操作没有保存任何更改）。请联系管理员"),
    (
        "no space left on device",
        "磁盘空间不足，数据库无法写入（这次操作没有保存任何更改）。请腾出磁盘空间后重试",
    ),
    ("database is locked", "数据库正被另一个程序长时间占用（这次操作没有保存任何更改）。请稍后重试"),
    ("disk i/o error", "读写数据库时出错（磁盘或 U 盘可能有问题，这次操作没有保存任何更改）"),
    ("readonly database", "数据库文件只读，无法保存更改（请检查文件权限或磁盘是否写保护）"),
    ("unable to open database file", "无法打开数据库文件（文件夹不存在、没有权限或磁盘已拔出）"),
    (
        "database disk image is malformed",
        "数据库文件已损坏。请用“备份 → 恢复”（命令行 backup restore）恢复最近的备份",
    ),
    ("file is not a database", "这不是学历图像工作台的数据库文件，或文件已损坏"),
    ("connection refused", "无法连接数据库服务器（服务器未启动或地址有误）"),
    ("could not connect", "无法连接数据库服务器（服务器未启动或地址有误）"),
    ("server closed the connection", "与数据库服务器的连接已断开（这次操作没有保存任何更改）。请重试"),
)


def describe(exc: BaseException) -> str | None:
    """A Chinese sentence for a known failure from outside the program, or None."""
    if isinstance(exc, (DBAPIError, sqlite3.Error)):
        text = str(getattr(exc, "orig", None) or exc).lower()
        for needle, message in _DATABASE:
            if needle in text:
                return message
        return None
    if isinstance(exc, MemoryError):
        return "内存不足，无法完成这次操作（请关闭其他程序后重试，或分批处理）"
    if isinstance(exc, OSError):
        where = mask_id_numbers(exc.filename) if isinstance(exc.filename, str) else None  # {id}.jpg files
        reason = os_reason(exc)
        return f"无法读写 {where}：{reason}" if where else f"读写文件出错：{reason}"
    return None


def is_own(exc: BaseException) -> bool:
    """Raised by GradPhoto itself with a Chinese message meant for the user (DeliveryError, WriteError, …)."""
    return type(exc).__module__.startswith("app.")


def user_message(exc: BaseException) -> str | None:
    """What a user should read about `exc`: its own message, a known failure in Chinese, or None (unexpected).
    Never a full 身份证号 (a PostgreSQL key clash or a photo file name can carry one)."""
    if is_own(exc):
        return mask_id_numbers(str(exc)) or None
    return describe(exc)


class UnexpectedError(Exception):
    """Stands for a failure from outside the program once it has been put into Chinese (the cause is kept)."""


def unexpected_text(exc: BaseException) -> str:
    """The one sentence for a failure nobody foresaw: its type and a short, masked-by-the-caller text."""
    return mask_id_numbers(f"操作未能完成（{type(exc).__name__}：{str(exc)[:300]}）")


def as_user_error(exc: BaseException) -> BaseException:
    """`exc` itself when it is GradPhoto's own, else an UnexpectedError whose message a user can read."""
    if is_own(exc):
        return exc
    wrapped = UnexpectedError(describe(exc) or unexpected_text(exc))  # both masked
    wrapped.__cause__ = exc
    return wrapped
