"""`station show|set|list` and `roster import --school-name/--school-code`: the station details a disc needs."""

from __future__ import annotations

from decimal import Decimal

from app.db import Database
from app.services.roster.stations import StationData, StationService
from main import main
from tests.roster_files import students, write_xlsx


def _station(db_url, name="洛阳函授站"):
    db = Database(db_url)
    try:
        return StationService(db.sessions).find(name)
    finally:
        db.dispose()


def test_set_then_show(db_url, capsys):
    db = Database(db_url)
    StationService(db.sessions).create(StationData(name="洛阳函授站", payee_name=""))
    db.dispose()
    assert main(["station", "show", "洛阳函授站", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "报送前还需填写：所在院校名称未填写；院校代码未填写；收款单位未填写" in out
    args = ["station", "set", "洛阳函授站", "--db", db_url]
    assert (
        main(
            [
                *args,
                "--school-name",
                " 郑州大学 ",
                "--school-code",
                "10459",
                "--fee",
                "15",
                "--payee",
                "中国图片社",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "已保存" in out and "报送所需的学习中心设置已齐全" in out
    station = _station(db_url)
    assert (station.school_name, station.school_code, station.fee_per_student, station.payee_name) == (
        "郑州大学",
        "10459",
        Decimal("15.00"),
        "中国图片社",
    )
    assert station.dept_codes[0]["code"] == "001"  # what was not given stays
    assert main(["station", "list", "--db", db_url]) == 0
    assert "洛阳函授站　郑州大学　10459" in capsys.readouterr().out


def test_invalid_values_exit_2_and_change_nothing(db_url, capsys):
    db = Database(db_url)
    StationService(db.sessions).create(StationData(name="洛阳函授站", school_code="10459"))
    db.dispose()
    for option, value, words in (
        ("--school-code", "1045", "院校代码应为 5 位数字"),
        ("--fee", "二十", "每生费用不是有效金额"),
        ("--fee", "-1", "每生费用不能为负数"),
        ("--fee", "1e309", "每生费用过大"),
        ("--fee", "NaN", "每生费用不是有效金额"),
        ("--fee", "inf", "每生费用不是有效金额"),
        ("--fee", "20元", "每生费用不是有效金额"),
        ("--fee", "100000000", "每生费用过大"),  # more than the column's 8 digits before the point
        ("--school-code", "10459 1", "院校代码应为 5 位数字"),
        ("--school-code", "١٠٤٥٩", "院校代码应为 5 位数字"),  # digits, but not ones a 院校代码 is written in
        ("--spec", "no-such", "没有名为 no-such 的规格"),
    ):
        assert main(["station", "set", "洛阳函授站", option, value, "--db", db_url]) == 2
        assert words in capsys.readouterr().err
    assert main(["station", "set", "洛阳函授站", "--db", db_url]) == 2
    assert "没有给出要修改的项" in capsys.readouterr().err
    assert _station(db_url).school_code == "10459"
    assert _station(db_url).fee_per_student == Decimal("20.00")
    # full-width digits, typed in Chinese input mode, are the code itself
    assert main(["station", "set", "洛阳函授站", "--school-code", "１０６９９", "--db", db_url]) == 0
    assert _station(db_url).school_code == "10699"
    capsys.readouterr()
    assert main(["station", "set", "无此站", "--fee", "15", "--db", db_url]) == 1
    assert "没有名为“无此站”的学习中心" in capsys.readouterr().err
    assert main(["station", "show", "无此站", "--db", db_url]) == 1


def test_roster_import_creates_a_station_with_its_school(tmp_path, db_url, capsys):
    path = write_xlsx(tmp_path / "r.xlsx", students(2))
    base = ["roster", "import", str(path), "--db", db_url]
    assert main([*base, "--station", "新站", "--school-name", "河南大学", "--school-code", "10475"]) == 0
    out = capsys.readouterr().out
    assert "已新建学习中心“新站”" in out and "尚未填写" not in out
    station = _station(db_url, "新站")
    assert (station.school_name, station.school_code) == ("河南大学", "10475")
    # A bad code is refused before anything is read or written: no station made.
    assert main([*base, "--station", "另一站", "--school-code", "123"]) == 2
    assert "院校代码应为 5 位数字" in capsys.readouterr().err
    assert _station(db_url, "另一站") is None
    # Given for an existing station, the school is updated.
    assert main([*base, "--station", "新站", "--school-code", "10459", "--school-name", "郑州大学"]) == 0
    assert "已更新学习中心“新站”的所在院校：郑州大学（10459）" in capsys.readouterr().out
    # Without them a new station is made, and the clerk is told what it still needs.
    other = write_xlsx(tmp_path / "r2.xlsx", students(2, seed=7))
    assert main(["roster", "import", str(other), "--db", db_url, "--station", "第三站"]) == 0
    assert "学习中心“第三站”尚未填写所在院校名称、院校代码" in capsys.readouterr().out


def test_help_names_the_options(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["station", "set", "--help"])
    text = capsys.readouterr().out
    for option in ("--school-name", "--school-code", "--fee", "--payee"):
        assert option in text
