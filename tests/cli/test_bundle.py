"""`bundle export/import` and `backup list/create/check/restore` from the command line."""

from __future__ import annotations

import csv

from sqlalchemy import select

from app.models import Student
from main import main
from tests.bundle_data import STATION, make_station_store


def _edit(db_or_url, student_no, **values):
    from app.db import Database

    db = Database(db_or_url) if isinstance(db_or_url, str) else db_or_url
    with db.sessions.begin() as s:
        st = s.scalars(select(Student).where(Student.student_no == student_no)).one()
        for k, v in values.items():
            setattr(st, k, v)
    if isinstance(db_or_url, str):
        db.dispose()


def test_bundle_export_import_conflicts_and_decisions(tmp_path, capsys, db_url):
    station = make_station_store(tmp_path / "station", count=5, photos=1)
    station_url = station.url
    out = tmp_path / "b1.zip"
    assert main(["bundle", "export", "--station", STATION, "--out", str(out), "--db", station_url]) == 0
    assert "已导出 5 名学生、1 张照片" in capsys.readouterr().out
    assert main(["bundle", "import", str(out), "--db", db_url]) == 0
    assert "新增 5 人" in capsys.readouterr().out
    assert main(["bundle", "import", str(out), "--db", db_url]) == 0
    assert "已导入过，没有变化" in capsys.readouterr().out
    with station.sessions() as s:
        first, second = list(s.scalars(select(Student.student_no).order_by(Student.shot_no)))[:2]
    _edit(station, first, major="站点专业")
    _edit(station, second, major="站点专业")
    _edit(db_url, first, major="学院专业")
    _edit(db_url, second, major="学院专业")
    out2 = tmp_path / "b2.zip"
    assert main(["bundle", "export", "--station", STATION, "--out", str(out2), "--db", station_url]) == 0
    capsys.readouterr()
    table = tmp_path / "decide.csv"
    assert main(["bundle", "import", str(out2), "--db", db_url, "--write-decisions", str(table)]) == 3
    captured = capsys.readouterr()
    assert f"冲突 {first}" in captured.out and "未写入任何数据" in captured.err
    rows = list(csv.DictReader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["学号"] for r in rows} == {first, second}
    for r in rows:
        r["采用"] = "数据包" if r["学号"] == first else "本地"
    with table.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["bundle", "import", str(out2), "--db", db_url, "--decisions", str(table)]) == 0
    from app.db import Database

    college = Database(db_url)
    with college.sessions() as s:
        majors = dict(s.execute(select(Student.student_no, Student.major)).all())
    college.dispose()
    assert majors[first] == "站点专业" and majors[second] == "学院专业"
    station.dispose()


def test_bundle_import_refuses_damaged_file(tmp_path, capsys, db_url):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    assert main(["bundle", "import", str(bad), "--db", db_url]) == 1
    assert "已损坏或不完整" in capsys.readouterr().err


def test_backup_commands(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    assert main(["backup", "create", "--db", url]) == 1  # nothing yet
    station = make_station_store(tmp_path, count=3, photos=1, url=url)
    station.dispose()
    capsys.readouterr()
    assert main(["backup", "create", "--db", url]) == 0
    assert "手动备份" in capsys.readouterr().out
    assert main(["backup", "list", "--db", url]) == 0
    assert "手动备份" in capsys.readouterr().out
    assert main(["backup", "check", "--db", url]) == 0
    assert main(["backup", "restore", "--db", url]) == 0
    assert "已从备份" in capsys.readouterr().out


def test_encrypted_bundle_from_the_command_line(tmp_path, capsys, db_url, monkeypatch):
    """The passphrase comes from a file or the environment, never from an argument; a wrong one is a
    Chinese refusal with nothing written."""
    station = make_station_store(tmp_path / "station", count=3, photos=1)
    secret = tmp_path / "pass.txt"
    secret.write_text("station passphrase\n", encoding="utf-8")
    out = tmp_path / "b.gpb"
    assert (
        main(
            [
                "bundle",
                "export",
                "--station",
                STATION,
                "--out",
                str(out),
                "--db",
                station.url,
                "--encrypt",
                "--passphrase-file",
                str(secret),
            ]
        )
        == 0
    )
    assert "已用口令加密" in capsys.readouterr().out
    monkeypatch.setenv("GRADPHOTO_BUNDLE_PASSPHRASE", "not the passphrase")
    assert main(["bundle", "import", str(out), "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert "口令不正确" in err and "未写入任何数据" in err
    monkeypatch.setenv("GRADPHOTO_BUNDLE_PASSPHRASE", "station passphrase")
    assert main(["bundle", "import", str(out), "--db", db_url]) == 0
    assert "新增 3 人" in capsys.readouterr().out
    monkeypatch.delenv("GRADPHOTO_BUNDLE_PASSPHRASE")
    assert (
        main(
            [
                "bundle",
                "export",
                "--station",
                STATION,
                "--out",
                str(tmp_path / "c.gpb"),
                "--db",
                station.url,
                "--encrypt",
            ]
        )
        == 1
    )  # no terminal, no file, no variable: refused
    assert "加密需要口令" in capsys.readouterr().err


def test_the_decision_table_runs_no_formula_and_reads_back(tmp_path, capsys):
    """Found by the second attack: the table a clerk opens in Excel to decide conflicts held a station's
    `=cmd|' /C calc'!A0` raw. Cells get the apostrophe; 学号 such as -A1 still read back."""
    from app.cli.bundle import read_decisions, write_decisions
    from app.services.exchange.merge import Conflict, FieldConflict

    conflicts = [
        Conflict(
            student_no="-A1",
            name="孔涛",
            fields=[FieldConflict("major", "专业名称", "法学", "=cmd|' /C calc'!A0")],
        )
    ]
    table = tmp_path / "decide.csv"
    write_decisions(table, conflicts)
    rows = list(csv.reader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][:5] == ["'-A1", "孔涛", "专业名称", "法学", "'=cmd|' /C calc'!A0"]
    rows[1][5] = "数据包"
    with table.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert read_decisions(table) == {"-A1": "bundle"}


def test_a_decision_table_that_is_a_link_or_huge_is_refused(tmp_path, capsys):
    link = tmp_path / "decide.csv"
    link.symlink_to("/etc/passwd")
    assert main(["bundle", "import", str(tmp_path / "x.zip"), "--decisions", str(link)]) == 1
    assert "链接" in capsys.readouterr().err
    big = tmp_path / "big.csv"
    big.write_bytes(b"0" * (21 << 20))
    assert main(["bundle", "import", str(tmp_path / "x.zip"), "--decisions", str(big)]) == 1
    assert "超过 20 MB" in capsys.readouterr().err


def test_bundle_export_says_enrolment_photos_travel_only_encrypted(tmp_path, capsys, monkeypatch):
    from tests.bundle_data import add_enrolment, enrolment_jpeg

    station = make_station_store(tmp_path / "station", count=2, photos=0)
    with station.sessions() as s:
        no = s.scalars(select(Student.student_no)).first()
    add_enrolment(station, tmp_path / "in", no, enrolment_jpeg(40))
    plain = ["bundle", "export", "--station", STATION, "--out", str(tmp_path / "b.zip"), "--db", station.url]
    assert main(plain) == 0
    assert (
        "注意：1 名学生的录取照片属于人脸信息，只随加密的数据包交换，本数据包未携带"
        in capsys.readouterr().err
    )
    monkeypatch.setenv("GRADPHOTO_BUNDLE_PASSPHRASE", "correct horse 42")
    sealed = ["bundle", "export", "--station", STATION, "--out", str(tmp_path / "b.gpb"), "--db", station.url]
    assert main([*sealed, "--encrypt"]) == 0
    assert "含 1 名学生的录取照片（人脸信息，已加密）" in capsys.readouterr().out
    station.dispose()
