import csv

from main import main
from tests.roster_files import students, write_csv, write_xlsx


def test_import_all_good_exits_0_and_creates_station(tmp_path, capsys, db_url):
    path = write_xlsx(tmp_path / "r.xlsx", students(5))
    assert main(["roster", "import", str(path), "--station", "新站", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "已新建学习中心“新站”" in out and "新增 5 人" in out
    assert main(["roster", "import", str(path), "--station", "新站", "--db", db_url]) == 0
    assert "未变 5 人" in capsys.readouterr().out


def test_import_with_rejected_rows_exits_2_and_names_rows(tmp_path, capsys, db_url):
    rows = students(4)
    rows[2]["性别"] = "未知"
    path = write_csv(tmp_path / "r.csv", rows, "gbk")
    assert main(["roster", "import", str(path), "--station", "站", "--db", db_url]) == 2
    out = capsys.readouterr().out
    assert "第 4 行" in out and "性别" in out
    assert rows[0]["身份证号码"] not in out  # no full ID on the console


def test_unreadable_file_exits_1_and_writes_nothing(tmp_path, capsys, db_url):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook, just text, with commas")
    assert main(["roster", "import", str(bad), "--station", "站", "--db", db_url]) == 1
    assert "bad.xlsx" in capsys.readouterr().err
    assert main(["roster", "export-csv", str(tmp_path / "o.csv"), "--db", db_url]) == 0
    assert "0 名" in capsys.readouterr().out  # not even the station was created


def test_nothing_valid_exits_1(tmp_path, capsys, db_url):
    rows = students(2)
    for row in rows:
        row["身份证号码"] = "123"
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    assert main(["roster", "import", str(path), "--station", "站", "--db", db_url]) == 1


def test_export_csv_round_trip(tmp_path, capsys, db_url):
    rows = students(3)
    main(["roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", "站", "--db", db_url])
    out = tmp_path / "o.csv"
    assert main(["roster", "export-csv", str(out), "--station", "站", "--db", db_url]) == 0
    got = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [g["身份证号码"] for g in got] == [r["身份证号码"] for r in rows]
    assert main(["roster", "export-csv", str(out), "--station", "没有这个站", "--db", db_url]) == 1


def test_db_before_the_subcommand_is_the_one_used(tmp_path, capsys, db_url, _isolated_data_dir):
    """`gradphoto --db URL roster import …` (the form `--help` shows) must not fall back to the default store."""
    path = write_xlsx(tmp_path / "r.xlsx", students(2))
    assert main(["--db", db_url, "roster", "import", str(path), "--station", "站"]) == 0
    assert not (_isolated_data_dir / "gradphoto.db").exists()  # the default store was never opened
    capsys.readouterr()
    out = tmp_path / "o.csv"
    assert (
        main(["--db", db_url, "export", "summary", "--station", "站", "--out", str(tmp_path / "s.xlsx")]) == 0
    )
    assert main(["--db", db_url, "roster", "export-csv", str(out)]) == 0
    assert "2 名" in capsys.readouterr().out
    # given after the subcommand it still wins over the one before
    assert (
        main(
            [
                "--db",
                "sqlite:///" + str(tmp_path / "other.db"),
                "roster",
                "export-csv",
                str(out),
                "--db",
                db_url,
            ]
        )
        == 0
    )
    assert "2 名" in capsys.readouterr().out
