"""Atomic writes: the target is complete or untouched, and no temp file is left behind, whatever goes wrong."""

import os

import pytest

from app.services.common.files import NotRegularFile, atomic_open, open_no_follow, os_reason
from tests.hostile_data import finishes_despite_fifo

fifo_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def test_an_error_while_writing_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "费用汇总表.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(ValueError), atomic_open(target) as fh:
        fh.write(b"half")
        raise ValueError("the workbook could not be built")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["费用汇总表.xlsx"]
    assert target.read_bytes() == b"old"


def test_a_complete_write_replaces_the_file(tmp_path):
    target = tmp_path / "a.csv"
    target.write_bytes(b"old")
    with atomic_open(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


@fifo_only
def test_a_named_pipe_is_refused_at_once_by_its_kind_not_read(tmp_path):
    fifo = tmp_path / "照片.jpg"
    os.mkfifo(fifo)  # no writer: a plain open would wait for one for ever

    def attempt():
        try:
            open_no_follow(fifo).close()
        except OSError as exc:
            return exc
        return None

    refused = finishes_despite_fifo(fifo, attempt)
    assert isinstance(refused, NotRegularFile)
    assert str(refused) == "照片.jpg 不是普通文件（可能是管道或设备），不读取它"
    assert os_reason(refused) == "不是普通文件（可能是管道或设备），不读取它"


def test_a_device_is_refused_and_a_plain_file_still_reads(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with pytest.raises(NotRegularFile):
        open_no_follow("/dev/zero")  # would never end
    plain = tmp_path / "a.jpg"
    plain.write_bytes(b"\xff\xd8 photo")
    with open_no_follow(plain) as fh:
        assert fh.read() == b"\xff\xd8 photo"
    with pytest.raises(IsADirectoryError):
        open_no_follow(tmp_path)
