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


def test_proofing_import_preview_prints_every_reading_and_writes_nothing(tmp_path, capsys):
    from sqlalchemy import func, select

    from app.db import Database
    from app.models import AuditEvent, ProofRecord, Student
    from tests.services.proofing.proof_sheets import STRANGER, feedback_rows, write_sheet

    db = f"sqlite:///{tmp_path / 'p.db'}"
    rows = students(6)
    rows[3]["姓名"] = "买买提·艾力"
    main(["roster", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)), "--station", "站", "--db", db])
    sheet = write_sheet(tmp_path / "反馈表_gbk.csv", feedback_rows(rows))
    database = Database(db)

    def snapshot():
        with database.sessions() as s:
            states = list(s.execute(select(Student.student_no, Student.proof_state, Student.proof_note)))
            counts = [s.scalar(select(func.count()).select_from(m)) for m in (ProofRecord, AuditEvent)]
        return states, counts

    before = snapshot()

    def backups():
        return sorted(p.name for p in (tmp_path / "backups").glob("*.db"))

    before_backups = backups()
    capsys.readouterr()
    assert main(["proofing", "import", str(sheet), "--station", "站", "--preview", "--db", db]) == 2
    out = capsys.readouterr().out
    assert snapshot() == before
    assert backups() == before_backups  # not even the backup taken before a write
    lines = out.splitlines()
    assert "未写入任何数据" in lines[0]
    assert any(f"{rows[1]['学号']} {rows[1]['姓名']}（按学号） → 有误：照片非本人" in x for x in lines)
    assert any(x.endswith(f"{rows[2]['学号']} {rows[2]['姓名']}（按学号） → 无照片（未上传）") for x in lines)
    assert any("买买提·艾力（按姓名） → 有误：民族应为维吾尔族；图像模糊" in x for x in lines)
    assert "原文：民族应为维吾尔族，照片模糊" in out
    assert "未识别（按“其他”）：头发太乱了，想重拍" in out
    assert f"未匹配 [反馈表_gbk] 第 9 行：姓名 {STRANGER[1]}，学号 {STRANGER[0]}" in out
    assert "忽略 [反馈表_gbk] 第 11 行（页脚/签字行）：班级名称：2021级会计1班 辅导员签名：李明" in out
    # the same command without --preview writes what it showed
    assert main(["proofing", "import", str(sheet), "--station", "站", "--db", db]) == 2
    out = capsys.readouterr().out
    assert "匹配 5 行（改变 5，未变 0），未匹配 1 行" in out and "忽略页脚/签字行 1 行" in out
    assert len(backups()) == len(before_backups) + 1
    with database.sessions() as s:
        state = s.scalar(select(Student.proof_errors).where(Student.student_no == rows[1]["学号"]))
    assert state == [{"kind": "not_self"}]
