import csv
import datetime as dt

import pytest
from sqlalchemy import select

from app.models import AuditEvent
from app.services.roster.service import RosterService, StudentError
from tests.roster_files import students, write_xlsx


@pytest.fixture
def loaded(db, station, importer, tmp_path):
    rows = students(6)
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    return rows


def _values(row):
    return {
        "name": row["姓名"],
        "student_no": row["学号"],
        "sex": row["性别"],
        "id_number": row["身份证号码"],
    }


def test_add_validates_like_an_import(db, station, roster_service):
    rows = students(2)
    bad = _values(rows[0]) | {"sex": "女" if rows[0]["性别"] == "男" else "男"}
    with pytest.raises(StudentError, match="不符"):
        roster_service.add(station.id, bad)
    student = roster_service.add(station.id, _values(rows[0]))
    assert student.shot_no == 1 and student.school_code == "10459"
    with pytest.raises(StudentError, match="学号已属于"):
        roster_service.add(station.id, _values(rows[1]) | {"student_no": rows[0]["学号"]})


def test_a_student_removed_by_undo_comes_back_under_the_same_id(db, station, roster_service):
    """Redo of 新增: the commands after it name the student by id, so the id must be the same again."""
    rows = students(2)
    first = roster_service.add(station.id, _values(rows[0]))
    roster_service.remove(first.id)
    again = roster_service.add(station.id, _values(rows[0]), student_id=first.id)
    assert again.id == first.id and again.shot_no == 2  # the 拍摄序号 is still never reused
    other = roster_service.add(station.id, _values(rows[1]))
    assert other.id != first.id
    roster_service.remove(first.id)
    with pytest.raises(StudentError, match="编号已被其他学生使用"):
        roster_service.add(station.id, _values(rows[0]), student_id=other.id)


def test_edit_of_sex_alone_is_checked_against_the_id(db, station, roster_service, loaded):
    student = roster_service.find_by_scan(loaded[0]["学号"])
    wrong = "女" if student.sex == "男" else "男"
    with pytest.raises(StudentError, match="不符"):
        roster_service.update(student.id, {"sex": wrong})


def test_edit_returns_changes_and_is_audited(db, station, roster_service, loaded):
    student = roster_service.find_by_scan(loaded[1]["学号"])
    changes = roster_service.update(student.id, {"major": "法学", "class_name": "2024级法学1班"})
    assert changes["major"][1] == "法学"
    assert roster_service.update(student.id, {"major": "法学"}) == {}
    with db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.new["major"] == "法学" and event.old["major"] == loaded[1]["专业名称"]


def test_withdraw_keeps_shot_number_and_reinstates(db, station, roster_service, loaded):
    student = roster_service.find_by_scan(loaded[2]["学号"])
    with pytest.raises(StudentError, match="原因"):
        roster_service.set_withdrawn(student.id, True, "")
    roster_service.set_withdrawn(student.id, True, "退学", dt.date(2026, 3, 1))
    got = roster_service.get(student.id)
    assert got.withdrawn and got.withdrawn_reason == "退学" and got.shot_no == student.shot_no
    roster_service.set_withdrawn(student.id, False)
    assert not roster_service.get(student.id).withdrawn


def test_scanner_finds_by_student_number_or_id(db, station, roster_service, loaded):
    assert roster_service.find_by_scan(loaded[3]["学号"]).name == loaded[3]["姓名"]
    assert roster_service.find_by_scan(loaded[3]["身份证号码"].lower()).name == loaded[3]["姓名"]
    assert roster_service.find_by_scan("  ") is None
    assert roster_service.find_by_scan("0000") is None


def test_csv_export_has_bom_chinese_headers_and_full_ids(db, station, roster_service, loaded, tmp_path):
    path = tmp_path / "out.csv"
    count = roster_service.export_csv(path, station.id)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and count == 6
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["身份证号码"] == loaded[0]["身份证号码"]
    assert rows[0]["拍摄序号"] == "1" and rows[0]["学习中心"] == "洛阳函授站"
    for header in (
        "姓名",
        "学号",
        "性别",
        "专业名称",
        "学历类别",
        "所在校别",
        "(院)系代码",
        "所在院校名称",
        "院校代码",
        "民族",
        "出生日期",
        "分院",
        "系",
        "班级",
        "层次",
        "学制",
        "学习形式",
        "入学日期",
        "预计毕业日期",
        "学籍状态",
    ):
        assert header in rows[0]
    with db.sessions() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == "export-full-id")).one()
    assert not list(tmp_path.glob(".*part"))


def test_rows_for_the_table(db, station, roster_service, loaded):
    rows = roster_service.rows(station.id)
    assert [r.shot_no for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].masked_id.startswith(loaded[0]["身份证号码"][:6]) and "*" in rows[0].masked_id
    assert RosterService(db.sessions).count(station.id) == 6


def test_an_edit_racing_another_computer_for_the_same_student_number_is_refused_in_words(
    db, station, roster_service, loaded, monkeypatch
):
    """Both computers check that 学号 X is free, then both save it: the second save meets the unique index. The
    check is skipped here to stand for the moment between the other's check and its commit."""
    first = roster_service.find_by_scan(loaded[0]["学号"])
    second = roster_service.find_by_scan(loaded[1]["学号"])
    real_check = RosterService._check

    def raced(self, session, station_, raw, student_id, new_student):
        values = real_check(self, session, station_, {**raw, "student_no": "RACE-1"}, student_id, new_student)
        return {**values, "student_no": raw["student_no"]}

    monkeypatch.setattr(RosterService, "_check", raced)
    with pytest.raises(StudentError, match="另一台电脑刚刚把这个学号或身份证号码给了另一名学生"):
        roster_service.update(second.id, {"student_no": first.student_no})
    monkeypatch.undo()
    assert roster_service.get(second.id).student_no == loaded[1]["学号"]  # nothing half-saved


def test_an_edit_gives_up_soon_on_a_store_another_program_holds(
    db, station, roster_service, loaded, monkeypatch
):
    """SQLite says "database is locked" only after waiting 10 s: an edit from the window tries twice, not
    eight times (80 s of a frozen window), and says why."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.services.roster import service as service_mod

    calls = []

    def locked(self, student_id, raw):
        calls.append(1)
        raise OperationalError("UPDATE student", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(RosterService, "_update", locked)
    monkeypatch.setattr(service_mod.time, "sleep", lambda s: None)
    student = roster_service.find_by_scan(loaded[0]["学号"])
    with pytest.raises(StudentError, match="另一台电脑正在写入同一个数据库"):
        roster_service.update(student.id, {"major": "法学"})
    assert len(calls) == 2
