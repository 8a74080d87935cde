from main import main
from tests.roster_files import students, write_csv, write_xlsx


def test_proofing_import_exit_codes(tmp_path, capsys, db_url):
    db = db_url
    rows = students(4)
    main(["roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", "站", "--db", db])
    good = write_csv(tmp_path / "ok.csv", [{"学号": r["学号"], "校对结果": "无误"} for r in rows], "gbk")
    assert main(["proofing", "import", str(good), "--station", "站", "--db", db]) == 0
    assert "匹配 4 行（改变 4，未变 0），未匹配 0 行" in capsys.readouterr().out
    partial = write_csv(
        tmp_path / "p.csv",
        [
            {"学号": "404", "校对结果": "有误", "问题": "照片非本人"},
            {"学号": rows[0]["学号"], "校对结果": "有误", "问题": "照片非本人"},
        ],
    )
    assert main(["proofing", "import", str(partial), "--db", db]) == 2
    out = capsys.readouterr().out
    assert "第 2 行" in out and "改变 1" in out
    no_state = write_csv(tmp_path / "n.csv", [{"学号": r["学号"], "姓名": r["姓名"]} for r in rows], "gbk")
    assert main(["proofing", "import", str(no_state), "--db", db]) == 1
    assert "校对结果" in capsys.readouterr().err
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04nope")
    assert main(["proofing", "import", str(bad), "--db", db]) == 1
    assert main(["proofing", "import", str(good), "--station", "无此站", "--db", db]) == 1


def test_export_feedback_and_errata(tmp_path, capsys):
    from openpyxl import load_workbook

    db = f"sqlite:///{tmp_path / 'f.db'}"
    rows = students(6)
    main(["roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", "站", "--db", db])
    sheet = write_csv(
        tmp_path / "p.csv",
        [
            {"学号": rows[0]["学号"], "校对结果": "有误", "问题": "照片非本人"},
            {"学号": rows[1]["学号"], "校对结果": "无误", "问题": ""},
        ],
    )
    main(["proofing", "import", str(sheet), "--db", db])
    out = tmp_path / "forms"
    assert main(["export", "feedback", "--station", "站", "--out", str(out), "--db", db]) == 0
    xlsx = sorted(out.glob("校对反馈表_*.xlsx"))
    assert xlsx and sorted(out.glob("校对反馈表_*.pdf"))
    results = [c.value for c in load_workbook(xlsx[0]).active["D"][3:9]]
    assert "无误" in results and "照片非本人" in results
    assert main(["export", "errata", "--station", "站", "--out", str(out), "--db", db]) == 0
    ws = load_workbook(next(out.glob("勘误表_*.xlsx"))).active
    assert ws.cell(4, 3).value == rows[0]["姓名"]
    assert main(["export", "errata", "--station", "无此站", "--out", str(out), "--db", db]) == 1
    assert "1 人" in capsys.readouterr().out
    from app.db import Database
    from app.services.roster.stations import StationData, StationService

    StationService(Database(db).sessions).create(StationData(name="空站"))
    assert main(["export", "feedback", "--station", "空站", "--out", str(out), "--db", db]) == 1
    assert "没有" in capsys.readouterr().err
