from main import main
from tests.roster_files import students, write_csv, write_xlsx


def test_proofing_import_exit_codes(tmp_path, capsys, db_url):
    db = db_url
    rows = students(4)
    main(["roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", "站", "--db", db])
    good = write_csv(tmp_path / "ok.csv", [{"学号": r["学号"], "校对结果": "无误"} for r in rows], "gbk")
    assert main(["proofing", "import", str(good), "--station", "站", "--db", db]) == 0
    assert "匹配 4 行（改变 4，未变 0），未匹配 0 行" in capsys.readouterr().out
    partial = write_csv(tmp_path / "p.csv", [{"学号": "404", "校对结果": "有误", "问题": "照片非本人"},
                                              {"学号": rows[0]["学号"], "校对结果": "有误", "问题": "照片非本人"}])
    assert main(["proofing", "import", str(partial), "--db", db]) == 2
    out = capsys.readouterr().out
    assert "第 2 行" in out and "改变 1" in out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04nope")
    assert main(["proofing", "import", str(bad), "--db", db]) == 1
    assert main(["proofing", "import", str(good), "--station", "无此站", "--db", db]) == 1
