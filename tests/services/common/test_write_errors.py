"""An output folder that cannot be written (read-only, or a file where the folder should be): a Chinese
WriteError naming the file, never a bare OSError traceback, and nothing left behind."""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path

import pytest

from app.printing.atomic_pdf import atomic_pdf
from app.services.common.files import WriteError, atomic_write_bytes


def test_file_where_the_folder_should_be(tmp_path):
    blocker = tmp_path / "汇总表.xlsx"
    blocker.write_bytes(b"x")
    with pytest.raises(WriteError) as info:
        atomic_write_bytes(blocker / "out.xlsx", b"data")
    assert "out.xlsx" in str(info.value) and "不是文件夹" in str(info.value)
    with pytest.raises(WriteError), atomic_pdf(blocker / "sub" / "a.pdf"):
        pass
    assert blocker.read_bytes() == b"x"


def test_read_only_folder(tmp_path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)  # what a read-only folder does for a non-root user
    with pytest.raises(WriteError) as info:
        atomic_write_bytes(tmp_path / "费用汇总表.xlsx", b"data")
    assert "没有权限" in str(info.value) and "费用汇总表.xlsx" in str(info.value)
    with pytest.raises(WriteError) as info, atomic_pdf(tmp_path / "校对表.pdf"):
        pass
    assert "没有权限" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_message_is_the_chinese_text_alone(tmp_path):
    blocker = tmp_path / "f"
    blocker.write_text("x")
    with pytest.raises(WriteError) as info:
        atomic_write_bytes(blocker / "a.csv", b"")
    assert str(info.value).startswith("无法写入") and "Errno" not in str(info.value)


def test_a_pdf_cut_short_by_a_full_disk_is_not_kept(tmp_path):
    """QPdfWriter says nothing when the disk fills: a PDF without its %%EOF trailer is refused, not renamed."""
    target = tmp_path / "反馈表.pdf"
    with pytest.raises(WriteError, match="没有写完整") as info, atomic_pdf(target) as tmp:
        Path(tmp).write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n")  # what was written before ENOSPC
    assert info.value.errno == errno.EIO and not target.exists()  # the disk here is not full
    assert list(tmp_path.iterdir()) == []  # no temp file left either
    with atomic_pdf(target) as tmp:
        Path(tmp).write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert target.read_bytes().endswith(b"%%EOF\n")
