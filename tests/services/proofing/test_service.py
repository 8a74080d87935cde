import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.models import AuditEvent, ProofRecord, Student
from app.services.proofing.forms import FEEDBACK_FOOTER, FEEDBACK_HEADERS, LAYOUT, ProofFormExporter
from app.services.proofing.phrases import read_words
from app.services.proofing.service import ProofingService
from app.services.proofing.states import (
    STATES,
    ProofError,
    next_action,
    parse_state,
    result_text,
)
from tests.roster_files import students, write_csv, write_xlsx


@pytest.fixture
def proofing(db):
    return ProofingService(db.sessions, "李老师")


@pytest.fixture
def rows(db, station, importer, tmp_path):
    data = students(12)
    for i, row in enumerate(data):  # two classes, two cohorts, 学号 that sort differently as text and number
        row["班级"] = "2023级会计1班" if i < 6 else "2024级法学2班"
        row["预计毕业日期"] = "2026-07-01" if i % 2 else "2027-01-01"
        row["学号"] = str([99, 100, 7, 1000, 55, 8][i % 6] + (0 if i < 6 else 5000))
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", data), station.id)
    return data


def _ids(db):
    with db.sessions() as s:
        return {no: sid for sid, no in s.execute(select(Student.id, Student.student_no))}


@pytest.mark.parametrize("state", [s.key for s in STATES])
def test_every_state_has_a_next_action_and_any_transition_is_allowed(db, proofing, rows, state):
    sid = _ids(db)[rows[0]["学号"]]
    errors = [{"kind": "not_self"}] if state == "wrong" else None
    previous = proofing.set_state([sid], state, errors)
    row = proofing.row(sid)
    assert row.proof_state == state and row.action
    assert row.action == next_action(state, errors)
    for other in STATES:  # from any state to any other
        proofing.set_state([sid], other.key, [{"kind": "blurred"}] if other.key == "wrong" else None)
        assert proofing.row(sid).proof_state == other.key
    assert previous == ([] if state == "unchecked" else previous)


def test_wrong_needs_errors_and_record_errors_name_the_field(db, proofing, rows):
    sid = _ids(db)[rows[0]["学号"]]
    with pytest.raises(ProofError, match="至少"):
        proofing.set_state([sid], "wrong", [])
    with pytest.raises(ProofError, match="哪一项"):
        proofing.set_state([sid], "wrong", [{"kind": "record", "field": "爱好"}])
    with pytest.raises(ProofError, match="其他"):
        proofing.set_state([sid], "wrong", [{"kind": "other"}])
    proofing.set_state(
        [sid], "wrong", [{"kind": "not_self"}, {"kind": "record", "field": "民族", "correct": "回族"}]
    )
    row = proofing.row(sid)
    assert row.result == "照片非本人；民族应为回族"
    assert "勘误表" in row.action and "教务处" in row.action


def test_bulk_change_history_audit_and_undo(db, proofing, rows):
    ids = list(_ids(db).values())
    previous = proofing.set_state(ids[:5], "correct")
    assert len(previous) == 5 and all(p.state == "unchecked" for p in previous)
    assert proofing.set_state(ids[:5], "correct") == []  # nothing changes twice
    proofing.restore(previous)
    assert all(proofing.row(i).proof_state == "unchecked" for i in ids[:5])
    history = proofing.history(ids[0])
    assert [h.state for h in history] == ["correct", "unchecked"] and history[-1].source == "undo"
    with db.sessions() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "proof-state")).all()
    assert len(events) == 10 and events[0].operator == "李老师"
    assert events[0].old["state"] == "unchecked" and events[0].new["state"] == "correct"


def test_deadlines_overdue_and_needs_action(db, proofing, rows, station):
    ids = _ids(db)
    proofing.set_deadline(station.id, dt.date(2026, 3, 1))
    proofing.set_deadline(station.id, dt.date(2026, 5, 1), cohort_year=2026)
    proofing.set_state([ids[rows[0]["学号"]]], "correct")
    row_2027 = proofing.row(ids[rows[2]["学号"]])
    row_2026 = proofing.row(ids[rows[1]["学号"]])
    assert row_2027.deadline == dt.date(2026, 3, 1) and row_2026.deadline == dt.date(2026, 5, 1)
    today = dt.date(2026, 4, 1)
    assert row_2027.overdue(today) and not row_2026.overdue(today)
    todo = proofing.needs_action(station.id, today)
    assert ids[rows[0]["学号"]] not in [r.id for r in todo]
    assert todo[0].overdue(today) and not todo[-1].overdue(today)


def test_counts_per_class(db, proofing, rows):
    ids = _ids(db)
    proofing.set_state([ids[rows[0]["学号"]], ids[rows[1]["学号"]]], "correct")
    counts = proofing.counts()
    assert counts[("洛阳函授站", "2023级会计1班")]["correct"] == 2
    assert counts[("洛阳函授站", "2024级法学2班")]["unchecked"] == 6


def test_parse_state_and_problem():
    assert parse_state("无误") == "correct" and parse_state(" 正确 ") == "correct"
    assert parse_state("无照片(未上传)") == "no_photo_pending" and parse_state("随便") is None
    assert read_words("照片非本人，民族应为回族；头发太乱").errors == [
        {"kind": "not_self"},
        {"kind": "record", "field": "民族", "correct": "回族"},
        {"kind": "other", "text": "头发太乱"},
    ]
    assert (
        result_text("unchecked", None) == ""
        and result_text("no_record", None) == "无学籍（姓名/身份证不匹配）"
    )


def test_import_results_with_unmatched_rows(db, proofing, rows, tmp_path):
    sheet = [
        {"学号": rows[0]["学号"], "姓名": rows[0]["姓名"], "校对结果": "无误", "问题": ""},
        {
            "学号": "",
            "身份证号码": rows[1]["身份证号码"].lower(),
            "姓名": rows[1]["姓名"],
            "校对结果": "有误",
            "问题": "照片非本人；民族应为回族",
        },
        {"学号": rows[2]["学号"], "姓名": rows[2]["姓名"], "校对结果": "照片模糊", "问题": ""},
        {"学号": "0000000", "姓名": "查无此人", "校对结果": "正确", "问题": ""},
        {"学号": rows[3]["学号"], "姓名": rows[3]["姓名"], "校对结果": "无照片（未上传）", "问题": "3月再查"},
    ]
    for line in sheet:
        line.setdefault("身份证号码", "")
    path = write_csv(tmp_path / "proof.csv", sheet, "gbk")
    report = proofing.import_results(proofing.read(path))
    assert (report.matched, report.changed, len(report.unmatched)) == (4, 4, 1)
    assert report.unmatched[0][1] == 5 and report.exit_code == 2
    ids = _ids(db)
    assert proofing.row(ids[rows[0]["学号"]]).proof_state == "correct"
    assert proofing.row(ids[rows[1]["学号"]]).result == "照片非本人；民族应为回族"
    assert proofing.row(ids[rows[2]["学号"]]).proof_state == "wrong"
    assert proofing.row(ids[rows[3]["学号"]]).proof_note == "3月再查"
    again = proofing.import_results(proofing.read(path))
    assert again.changed == 0 and again.unchanged == 4
    with db.sessions() as s:
        assert {r.source for r in s.scalars(select(ProofRecord))} == {"import"}


def test_feedback_form_read_back_cell_by_cell(db, proofing, rows, station, tmp_path):
    ids = _ids(db)
    proofing.set_state([ids[rows[0]["学号"]]], "correct")
    proofing.set_state(
        [ids[rows[1]["学号"]]],
        "wrong",
        [{"kind": "not_self"}, {"kind": "record", "field": "民族", "correct": "回族"}],
    )
    proofing.set_state([ids[rows[2]["学号"]]], "no_photo_pending")
    exporter = ProofFormExporter(proofing)
    files = exporter.feedback(station.id, tmp_path / "out")
    assert [f.name for f in files] == ["校对反馈表_2023级会计1班.xlsx", "校对反馈表_2024级法学2班.xlsx"]
    ws = load_workbook(files[0]).active
    assert ws.cell(LAYOUT.title_row, 1).value == "高等教育学历电子注册图像信息校对反馈表（2026、2027届）"
    assert [ws.cell(LAYOUT.header_row, c).value for c in range(1, 6)] == list(FEEDBACK_HEADERS)
    data = [
        [ws.cell(r, c).value for c in range(1, 6)]
        for r in range(LAYOUT.first_data_row, LAYOUT.first_data_row + 6)
    ]
    assert [d[1] for d in data] == ["7", "8", "55", "99", "100", "1000"]  # numeric order of 学号
    assert [d[0] for d in data] == [1, 2, 3, 4, 5, 6]
    results = {d[1]: d[3] for d in data}
    assert results["99"] == "无误" and results["100"] == "照片非本人；民族应为回族"
    assert results["7"] == "无照片（未上传）" and results["1000"] is None  # unchecked: blank
    assert all(d[4] is None for d in data)  # the signature column stays empty
    footer = LAYOUT.first_data_row + 6 + 1
    assert [ws.cell(footer, c).value for c in range(1, 6)] == [t or None for t in FEEDBACK_FOOTER]
    assert ws.cell(LAYOUT.first_data_row, 2).data_type == "s"
    assert ws.print_title_rows == "$3:$3"
    one = exporter.feedback(station.id, tmp_path / "one", per_class=False)
    assert load_workbook(one[0]).sheetnames == ["2023级会计1班", "2024级法学2班"]


def test_errata_lists_only_photo_side_errors(db, proofing, rows, station, tmp_path):
    ids = _ids(db)
    proofing.set_state([ids[rows[0]["学号"]]], "wrong", [{"kind": "not_self"}])
    proofing.set_state(
        [ids[rows[1]["学号"]]], "wrong", [{"kind": "record", "field": "民族", "correct": "回族"}]
    )
    proofing.set_state([ids[rows[2]["学号"]]], "wrong", [{"kind": "wrong_school"}, {"kind": "blurred"}])
    path = ProofFormExporter(proofing).errata(station.id, tmp_path)
    ws = load_workbook(path).active
    assert ws.cell(1, 1).value == "高等教育毕业生学历电子注册图像数据检查勘误表"
    assert "洛阳函授站" in ws.cell(2, 1).value and "10459" in ws.cell(2, 1).value
    names = [ws.cell(r, 3).value for r in (4, 5)]
    assert names == [rows[0]["姓名"], rows[2]["姓名"]] and ws.cell(6, 3).value is None
    assert ws.cell(4, 5).value == rows[0]["身份证号码"] and ws.cell(4, 5).data_type == "s"
    assert ws.cell(5, 7).value == "院校错误、图像模糊" and "郑州大学（10459）" in ws.cell(5, 8).value
    assert any("公章" in str(ws.cell(r, 1).value) for r in range(6, 10))


def test_the_errata_carries_only_the_photo_side_part_of_a_mixed_entry(db, proofing, rows, station):
    ids = _ids(db)
    proofing.set_state(
        [ids[rows[0]["学号"]]],
        "wrong",
        [{"kind": "not_self"}, {"kind": "record", "field": "民族", "correct": "回族"}],
    )
    (line,) = ProofFormExporter(proofing).errata_lines(station.id)
    assert (line.kinds, line.detail) == ("照片非本人", "照片非本人")


def test_overdue_starts_the_day_after_the_deadline_and_only_for_open_rows(db, proofing, rows, station):
    ids = _ids(db)
    proofing.set_deadline(station.id, dt.date(2026, 3, 1))
    proofing.set_state([ids[rows[1]["学号"]]], "correct")
    still_open, done = proofing.row(ids[rows[0]["学号"]]), proofing.row(ids[rows[1]["学号"]])
    assert not still_open.overdue(dt.date(2026, 3, 1))
    assert still_open.overdue(dt.date(2026, 3, 2))
    assert not done.overdue(dt.date(2026, 3, 2))
