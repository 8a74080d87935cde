"""Atomic writes: the target is complete or untouched, and no temp file is left behind, whatever goes wrong."""

import pytest

from app.services.common.files import atomic_open


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
