"""Failures from outside the program (SQLite, the OS) reach a user as a Chinese sentence saying what happened and
whether anything was saved; GradPhoto's own errors keep their message; the unforeseen keep their type."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from app.services.common.errors import UnexpectedError, as_user_error, describe, is_own, user_message
from app.services.common.files import WriteError, os_reason
from app.services.delivery.source import DeliveryError


def _sa(text: str) -> OperationalError:
    return OperationalError("INSERT INTO student …", {"id_number": "hidden"}, sqlite3.OperationalError(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("database or disk is full", "磁盘空间不足，数据库无法写入（这次操作没有保存任何更改）"),
        ("database is locked", "数据库正被另一个程序长时间占用"),
        ("disk I/O error", "读写数据库时出错"),
        ("attempt to write a readonly database", "数据库文件只读"),
        ("database disk image is malformed", "backup restore"),
    ],
)
def test_database_failures_in_chinese(text, expected):
    assert expected in describe(_sa(text))
    assert expected in describe(sqlite3.OperationalError(text))  # the driver's error, not wrapped


def test_an_unknown_database_error_is_not_guessed():
    assert describe(_sa("no such column: student.flavour")) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "无法读写 /media/u/汇总表.xlsx：磁盘空间不足"),
        (errno.EACCES, "无法读写 /media/u/汇总表.xlsx：没有权限"),
        (errno.EROFS, "无法读写 /media/u/汇总表.xlsx：磁盘只读"),
        (errno.EIO, "无法读写 /media/u/汇总表.xlsx：读写出错（磁盘或 U 盘可能已损坏或已拔出）"),
        (errno.ENAMETOOLONG, "无法读写 /media/u/汇总表.xlsx：文件名或路径过长"),
    ],
)
def test_os_errors_name_the_file_and_the_reason_in_chinese(code, expected):
    assert describe(OSError(code, "English text", "/media/u/汇总表.xlsx")) == expected


def test_a_file_open_in_excel_on_windows_is_said_as_such():
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # what Windows sets; CPython maps it to EACCES
    assert os_reason(exc) == "文件正被其他程序（如 Excel、WPS）打开，请关闭后重试"


def test_no_full_id_number_in_any_message():
    photo = OSError(errno.ENOENT, "No such file", "/u/photos/11010519491231002X.jpg")
    assert describe(photo) == "无法读写 /u/photos/110105***********X.jpg：文件或文件夹不存在"
    assert str(as_user_error(KeyError("11010519491231002X"))) == (
        "操作未能完成（KeyError：'110105***********X'）"
    )
    own = DeliveryError("学生 11010519491231002X 的照片缺失")
    assert user_message(own) == "学生 110105***********X 的照片缺失"


def test_a_full_disk_on_the_database_server_is_for_the_administrator():
    text = 'could not extend file "base/16384/2619": No space left on device'
    assert describe(_sa(text)).startswith("数据库服务器的磁盘空间不足")


def test_memory_error_says_so():
    assert "内存不足" in describe(MemoryError())


def test_own_errors_keep_their_message_and_strangers_are_wrapped():
    own = DeliveryError("学习中心“洛阳函授站”没有可报送的学生")
    assert is_own(own) and as_user_error(own) is own and user_message(own) == str(own)
    assert is_own(WriteError(28, "磁盘空间不足，无法写入 a.xlsx"))
    wrapped = as_user_error(_sa("database or disk is full"))
    assert isinstance(wrapped, UnexpectedError) and str(wrapped).startswith("磁盘空间不足")
    assert isinstance(wrapped.__cause__, OperationalError)
    odd = as_user_error(ValueError("cannot convert float NaN to integer"))
    assert str(odd) == "操作未能完成（ValueError：cannot convert float NaN to integer）"
    assert user_message(KeyError("x")) is None  # unforeseen: the caller adds the log file and asks for help
