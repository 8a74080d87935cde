import datetime as dt

import pytest
from sqlalchemy import func, select

from app.models import AuditEvent, Station, Student
from app.services.roster.importer import RosterImporter
from app.services.roster.reader import RosterReadError
from tests.roster_files import students, write_csv, write_xls, write_xlsx


def _count(db):
    with db.sessions() as s:
        return s.scalar(select(func.count(Student.id)))


def _import(importer, station, tmp_path, rows, name="r.xlsx"):
    return importer.import_file(write_xlsx(tmp_path / name, rows), station.id)


def test_clean_file_imports_everything_with_shot_numbers(db, station, importer, tmp_path):
    rows = students(10)
    report = _import(importer, station, tmp_path, rows)
    assert (report.imported, report.updated, report.unchanged, report.rejected) == (10, 0, 0, [])
    assert report.exit_code == 0
    with db.sessions() as s:
        got = s.execute(select(Student.shot_no, Student.student_no).order_by(Student.shot_no)).all()
        assert [g[0] for g in got] == list(range(1, 11))
        assert [g[1] for g in got] == [r["学号"] for r in rows]
        first = s.scalars(select(Student).where(Student.shot_no == 1)).one()
        assert first.school_name == "郑州大学" and first.name_initials
        assert s.get(Station, station.id).next_shot_no == 11


def _reasons(report):
    return {p.row: p.reason for p in report.rejected}


def test_each_validation_rule_rejects_with_row_and_reason(db, station, importer, tmp_path):
    rows = students(12)
    rows[0]["身份证号码"] = rows[0]["身份证号码"][:-1] + ("1" if rows[0]["身份证号码"][-1] != "1" else "2")
    rows[1]["性别"] = "女" if rows[1]["性别"] == "男" else "男"
    rows[2]["出生日期"] = "1970-01-01"
    rows[4]["学号"] = rows[3]["学号"]  # sheet rows 7 and 8 share a 学号: row 8 is rejected
    rows[6]["身份证号码"] = rows[5]["身份证号码"]
    rows[7]["姓名"] = ""
    rows[8]["学号"] = ""
    rows[9]["身份证号码"] = ""
    rows[10]["性别"] = ""
    rows[11]["(院)系代码"] = "009"
    report = _import(importer, station, tmp_path, rows)
    reasons = _reasons(report)
    header = 3  # title, station line, header: data starts on sheet row 4
    assert "校验位" in reasons[header + 1]
    assert "性别" in reasons[header + 2] and "不符" in reasons[header + 2]
    assert "出生日期" in reasons[header + 3]
    assert "学号与第 7 行重复" in reasons[header + 5]
    assert header + 4 not in reasons
    assert "身份证号码与第 9 行重复" in reasons[header + 7]
    assert "缺少姓名" in reasons[header + 8]
    assert "缺少学号" in reasons[header + 9]
    assert "身份证号码为空" in reasons[header + 10] or "缺少身份证号码" in reasons[header + 10]
    assert "缺少性别" in reasons[header + 11]
    assert "009" in reasons[header + 12] and "代码表" in reasons[header + 12]
    assert report.imported == 12 - len(reasons)
    assert report.exit_code == 2
    assert _count(db) == report.imported


def test_lower_case_x_and_fifteen_digit_numbers_are_normalised(db, station, importer, tmp_path):
    rows = students(2)
    rows[0]["身份证号码"] = "11010519491231002x"
    rows[0]["性别"], rows[0]["出生日期"] = "女", "1949-12-31"
    rows[1]["身份证号码"] = "440524800101001"
    rows[1]["性别"], rows[1]["出生日期"] = "男", "1980-01-01"
    report = _import(importer, station, tmp_path, rows)
    assert report.rejected == []
    with db.sessions() as s:
        ids = set(s.scalars(select(Student.id_number)))
    assert ids == {"11010519491231002X", "440524198001010013"}  # 15 → 18: 19 inserted, check character 3


def test_id_of_another_student_in_store_is_a_conflict(db, station, importer, tmp_path):
    rows = students(3)
    _import(importer, station, tmp_path, rows, "a.xlsx")
    other = students(1, seed=99)
    other[0]["身份证号码"] = rows[1]["身份证号码"]
    other[0]["性别"], other[0]["出生日期"] = rows[1]["性别"], rows[1]["出生日期"]
    report = _import(importer, station, tmp_path, other, "b.xlsx")
    assert report.imported == 0 and "冲突" in report.rejected[0].reason
    assert report.exit_code == 1


def test_update_import_reports_changes_and_reimport_changes_nothing(db, station, importer, tmp_path):
    rows = students(5)
    _import(importer, station, tmp_path, rows, "a.xlsx")
    rows[2]["专业名称"] = "法学"
    rows[3]["姓名"] = "欧阳娜娜"
    rows[4]["专业名称"] = ""  # a blank cell never erases the stored value
    report = _import(importer, station, tmp_path, rows, "b.xlsx")
    assert (report.imported, report.updated, report.unchanged) == (0, 2, 3)
    changes = {c.student_no: c.changes for c in report.changes}
    assert changes[rows[2]["学号"]]["major"][1] == "法学"
    assert changes[rows[3]["学号"]]["name"][1] == "欧阳娜娜"
    with db.sessions() as s:
        stu = s.scalars(select(Student).where(Student.student_no == rows[3]["学号"])).one()
        assert stu.name_initials == "oynn" and stu.shot_no == 4
        kept = s.scalars(select(Student).where(Student.student_no == rows[4]["学号"])).one()
        assert kept.major != ""
        updates = s.scalars(select(AuditEvent).where(AuditEvent.action == "import-update")).all()
        assert len(updates) == 2
    again = _import(importer, station, tmp_path, rows, "b.xlsx")
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)


def test_same_file_twice_changes_nothing(db, station, importer, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", students(8))
    importer.import_file(path, station.id)
    with db.sessions() as s:
        before = s.execute(select(Student.id, Student.shot_no, Student.updated_at)).all()
    report = importer.import_file(path, station.id)
    assert report.unchanged == 8 and report.exit_code == 0
    with db.sessions() as s:
        assert s.execute(select(Student.id, Student.shot_no, Student.updated_at)).all() == before


def test_gbk_csv_and_xls_import(db, station, importer, tmp_path):
    a = importer.import_file(write_csv(tmp_path / "a.csv", students(3, seed=1), "gbk"), station.id)
    b = importer.import_file(write_xls(tmp_path / "b.xls", students(3, seed=2), title="名单"), station.id)
    assert a.imported == 3 and b.imported == 3
    assert _count(db) == 6


def test_broken_file_writes_nothing(db, station, importer, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(RosterReadError):
        importer.import_file(bad, station.id)
    assert _count(db) == 0


def test_failure_during_write_rolls_everything_back(db, station, importer, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "r.xlsx", students(30))
    from app.services.common import audit

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(audit, "record", explode)
    with pytest.raises(OSError):
        importer.import_file(path, station.id)
    assert _count(db) == 0
    with db.sessions() as s:
        assert s.get(Station, station.id).next_shot_no == 1


def test_shot_numbers_are_stable_and_never_reused(db, station, importer, roster_service, tmp_path):
    rows = students(4)
    _import(importer, station, tmp_path, rows[:3], "a.xlsx")
    with db.sessions() as s:
        last = s.scalars(select(Student).where(Student.shot_no == 3)).one()
    roster_service.remove(last.id)
    _import(importer, station, tmp_path, rows, "b.xlsx")
    with db.sessions() as s:
        got = dict(s.execute(select(Student.student_no, Student.shot_no)).all())
    assert got[rows[0]["学号"]] == 1 and got[rows[1]["学号"]] == 2
    assert got[rows[2]["学号"]] == 4 and got[rows[3]["学号"]] == 5  # 3 is never handed out again


def test_numbers_stored_as_numbers_in_excel(db, station, importer, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "学号", "性别", "身份证号码"])
    ws.append(["张  三", 2024001001, "男", 410105199001011234.0])
    ws.append(["李四", 2024001002.0, "女", "11010519491231002X"])
    wb.save(tmp_path / "n.xlsx")
    report = importer.import_file(tmp_path / "n.xlsx", station.id)
    assert report.imported == 1
    assert "科学计数法" in report.rejected[0].reason
    with db.sessions() as s:
        li = s.scalars(select(Student)).one()
    assert li.student_no == "2024001002" and li.birth_date == dt.date(1949, 12, 31)


def test_dept_code_that_excel_stripped_of_its_zeros(db, station, importer, tmp_path):
    """003 typed into Excel is stored as the number 3: it is the station's 003, not an unknown code."""
    from openpyxl import Workbook

    rows = students(3)
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "学号", "性别", "身份证号码", "(院)系代码"])
    for row, code in zip(rows, (3, 3.0, 9)):
        ws.append([row["姓名"], row["学号"], row["性别"], row["身份证号码"], code])
    wb.save(tmp_path / "codes.xlsx")
    report = importer.import_file(tmp_path / "codes.xlsx", station.id)
    assert report.imported == 2 and len(report.rejected) == 1 and "“9”" in report.rejected[0].reason
    with db.sessions() as s:
        assert set(s.scalars(select(Student.dept_code))) == {"003"}


def test_student_number_of_another_station_is_rejected(db, station, importer, tmp_path):
    from app.services.roster.stations import StationData, StationService

    other = StationService(db.sessions).create(StationData(name="南阳学习中心"))
    rows = students(2)
    _import(importer, station, tmp_path, rows, "a.xlsx")
    report = importer.import_file(write_xlsx(tmp_path / "b.xlsx", rows), other.id)
    assert report.imported == 0 and all("另一个学习中心" in p.reason for p in report.rejected)


def test_plan_writes_nothing(db, station, tmp_path):
    importer = RosterImporter(db.sessions)
    roster = importer.read(write_xlsx(tmp_path / "r.xlsx", students(5)))
    report = importer.plan(roster, station.id)
    assert report.imported == 5 and not report.committed
    assert _count(db) == 0


def test_import_is_audited(db, station, importer, tmp_path):
    _import(importer, station, tmp_path, students(3))
    with db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert event.operator == "测试员" and event.new["imported"] == 3


def test_every_later_duplicate_points_at_the_first_row(db, station, importer, tmp_path):
    rows = students(3)
    rows[1]["学号"] = rows[2]["学号"] = rows[0]["学号"]
    report = _import(importer, station, tmp_path, rows)
    assert report.imported == 1
    assert sorted(_reasons(report)) == [5, 6]  # title row 1, header row 3, data from row 4
    assert all("学号与第 4 行重复" in reason for reason in _reasons(report).values())


def test_a_partial_update_file_updates_without_asking_for_every_column(db, station, importer, tmp_path):
    rows = students(3)
    _import(importer, station, tmp_path, rows)
    partial = [{"学号": r["学号"], "姓名": r["姓名"], "专业名称": "法学"} for r in rows]
    report = _import(importer, station, tmp_path, partial, name="update.xlsx")
    assert (report.imported, report.updated, report.rejected) == (0, 3, [])
    with db.sessions() as s:
        assert set(s.scalars(select(Student.major))) == {"法学"}
