"""`export signin-cards`: exit 0 listing the files; 1 with a Chinese reason, and nothing written."""

from __future__ import annotations

import pytest

from main import main
from tests.roster_files import students, write_xlsx


def test_signin_cards_exit_codes(tmp_path, capsys, db_url):
    rows = students(5)
    for row, name in zip(rows, ["2023/1班", "2023/1班", "2023_1班", "", "2023级2班"]):
        row["班级"] = name
    roster = write_xlsx(tmp_path / "r.xlsx", rows)
    assert main(["roster", "import", str(roster), "--station", "站", "--db", db_url]) == 0
    capsys.readouterr()
    out = tmp_path / "签到卡"
    assert main(["export", "signin-cards", "--station", "站", "--out", str(out), "--db", db_url]) == 0
    printed = capsys.readouterr().out
    names = ["签到卡_2023_1班.pdf", "签到卡_2023_1班-2.pdf", "签到卡_2023级2班.pdf", "签到卡_未分班.pdf"]
    assert "已生成 4 份签到卡 PDF" in printed and all(f"  {n}\n" in printed for n in names)
    assert sorted(p.name for p in out.iterdir()) == sorted(names)

    assert main(["export", "signin-cards", "--station", "无此站", "--out", str(out), "--db", db_url]) == 1
    assert "没有名为“无此站”的学习中心" in capsys.readouterr().err

    from app.db import Database
    from app.services.roster.stations import StationData, StationService

    store = Database(db_url)
    StationService(store.sessions).create(StationData(name="空站"))
    store.dispose()
    empty = tmp_path / "empty"
    assert main(["export", "signin-cards", "--station", "空站", "--out", str(empty), "--db", db_url]) == 1
    assert "没有（未异动的）学生" in capsys.readouterr().err and not empty.exists()

    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    assert main(["export", "signin-cards", "--station", "站", "--out", str(blocker), "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：无法写入") and "Traceback" not in err


def test_signin_cards_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["export", "signin-cards", "--help"])
    text = capsys.readouterr().out
    assert "拍摄签到卡" in text and "--station" in text and "输出文件夹" in text
