"""The command line prints on a Chinese Windows console (GBK code page) as well as on UTF-8 terminals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.roster_files import students, write_xlsx

ROOT = Path(__file__).resolve().parents[2]


def _run(args, encoding, tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "GRADPHOTO_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, env=env, timeout=120
    )


def test_gbk_console_with_a_character_outside_gbk(tmp_path):
    rows = students(3)
    rows[1]["姓名"] = "𠮷娜"  # U+20BB7 is not in GBK
    rows[2]["性别"] = "未知"  # a rejected row prints its reason
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    db = f"sqlite:///{tmp_path / 'c.db'}"
    result = _run(["roster", "import", str(path), "--station", "控制台站", "--db", db], "gbk", tmp_path)
    assert result.returncode == 2, result.stderr.decode("gbk", "replace")
    out = result.stdout.decode("gbk")  # every byte is valid GBK
    assert "新增 2 人" in out and "性别" in out
    utf8 = _run(["roster", "export-csv", str(tmp_path / "o.csv"), "--db", db], "utf-8", tmp_path)
    assert utf8.returncode == 0 and "已导出 2 名" in utf8.stdout.decode("utf-8")
