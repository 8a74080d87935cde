"""A class's 校对反馈表 read back: every row's reading shown before anything is written, then written as edited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ProofRecord, Student
from app.services.proofing.forms import ProofFormExporter
from app.services.proofing.service import ProofingService
from app.services.proofing.states import ProofError
from tests.roster_files import students, write_xlsx
from tests.services.proofing.proof_sheets import FOOTER, STRANGER, feedback_rows, write_sheet


@pytest.fixture
def proofing(db):
    return ProofingService(db.sessions, "李老师")


@pytest.fixture
def data(station, importer, tmp_path):
    rows = students(8)
    rows[3]["姓名"] = "买买提·艾力"
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    return rows


def _states(db):
    with db.sessions() as s:
        return {
            no: (st, err, note)
            for no, st, err, note in s.execute(
                select(Student.student_no, Student.proof_state, Student.proof_errors, Student.proof_note)
            )
        }


@pytest.mark.parametrize("file_name", ["反馈表.xlsx", "反馈表.csv", "反馈表_gbk.csv"])
def test_a_feedback_sheet_previews_every_row_and_writes_nothing(
    db, proofing, data, station, tmp_path, file_name
):
    path = write_sheet(tmp_path / file_name, feedback_rows(data))
    before = _states(db)
    preview = proofing.preview_import(proofing.read(path), station.id)
    assert _states(db) == before  # a preview writes nothing
    got = [(r.row_no, r.known_student_no, r.matched_by, r.state, r.errors, r.words) for r in preview.rows]
    no = [str(d["学号"]) for d in data]
    assert got == [
        (4, no[0], "学号", "correct", None, ""),  # a ticked state name: nothing more to keep
        (5, no[1], "学号", "wrong", [{"kind": "not_self"}], "照片不是本人"),
        (6, no[2], "学号", "no_photo_pending", None, "看不到照片"),
        (
            7,
            no[3],
            "姓名",  # 买买提.艾力 with an ASCII full stop is 买买提·艾力
            "wrong",
            [{"kind": "record", "field": "民族", "correct": "维吾尔族"}, {"kind": "blurred"}],
            "民族应为维吾尔族，照片模糊",
        ),
        (8, no[4], "学号", "wrong", [{"kind": "other", "text": "头发太乱了，想重拍"}], "头发太乱了，想重拍"),
    ]
    assert [r.flagged for r in preview.rows] == [False, False, False, False, True]
    assert preview.rows[3].name == "买买提·艾力"
    (stranger,) = preview.unmatched
    assert stranger.row_no == 9
    assert stranger.unmatched_text() == (
        f"姓名 {STRANGER[1]}，学号 {STRANGER[0]}：学号 {STRANGER[0]} 在库中找不到；姓名“{STRANGER[1]}”在库中找不到"
    )
    assert [(row, text) for _sheet, row, text in preview.ignored] == [(11, " ".join(t for t in FOOTER if t))]


def test_the_edited_readings_are_written_and_the_errata_follows(db, proofing, data, station, tmp_path):
    path = write_sheet(tmp_path / "反馈表.xlsx", feedback_rows(data))
    preview = proofing.preview_import(proofing.read(path), station.id)
    edited = [r for r in preview.rows]
    edited[4].state, edited[4].errors = "correct", None  # the clerk decides hair is no problem
    report = proofing.apply_import(preview, edited)
    assert (report.matched, report.changed, len(report.unmatched), report.ignored) == (5, 5, 1, 1)
    assert STRANGER[1] in report.unmatched[0][2] and STRANGER[0] in report.unmatched[0][2]
    states = _states(db)
    no = [str(d["学号"]) for d in data]
    assert states[no[1]] == ("wrong", [{"kind": "not_self"}], "照片不是本人")
    assert states[no[2]][0] == "no_photo_pending"
    assert states[no[4]] == ("correct", None, "头发太乱了，想重拍")  # the words kept as written, ， and all
    lines = ProofFormExporter(proofing).errata_lines(station.id)
    assert [(x.student_no, x.kinds) for x in lines] == [(no[1], "照片非本人"), (no[3], "图像模糊")]
    with db.sessions() as s:
        assert {r.source for r in s.scalars(select(ProofRecord))} == {"import"}
    again = proofing.preview_import(proofing.read(path), station.id)
    assert [r.changes for r in again.rows] == [False, False, False, False, True]


def test_an_edited_reading_that_makes_no_sense_refuses_the_import_naming_the_row(
    db, proofing, data, station, tmp_path
):
    path = write_sheet(tmp_path / "反馈表.csv", feedback_rows(data))
    preview = proofing.preview_import(proofing.read(path), station.id)
    preview.rows[0].state, preview.rows[0].errors = "wrong", []
    before = _states(db)
    with pytest.raises(ProofError, match="第 4 行.*至少"):
        proofing.apply_import(preview)
    assert _states(db) == before


def test_matching_by_name_needs_a_unique_name(db, proofing, station, importer, tmp_path):
    rows = students(3)
    rows[1]["姓名"] = rows[0]["姓名"]
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    sheet = [["姓名", "校对结果"], [rows[0]["姓名"], "无误"], [rows[2]["姓名"], "无误"]]
    preview = proofing.preview_import(proofing.read(write_sheet(tmp_path / "n.csv", sheet)), station.id)
    assert [r.known_student_no for r in preview.rows] == [str(rows[2]["学号"])]
    assert "有 2 名学生" in preview.unmatched[0].reason


def test_a_name_that_differs_from_the_store_is_flagged(db, proofing, data, station, tmp_path):
    sheet = [["学号", "姓名", "校对结果"], [data[0]["学号"], "王五六", "无误"]]
    preview = proofing.preview_import(proofing.read(write_sheet(tmp_path / "d.csv", sheet)), station.id)
    assert preview.rows[0].flagged and "王五六" in preview.rows[0].doubts[0]


def test_a_class_teachers_extra_columns_do_not_refuse_the_sheet(db, proofing, data, station, tmp_path):
    """备注 beside 问题, 学籍状态 or 处理结果 beside 校对结果: the sheet is read, not refused as "two columns for one
    thing"; a 备注 is read only where there is no 问题 column."""
    no = [str(d["学号"]) for d in data]
    sheet = [
        ["序号", "学号", "姓名", "学籍状态", "校对结果", "问题", "备注", "处理结果"],
        [1, no[0], data[0]["姓名"], "在籍", "有误", "照片不是本人", "已电话通知", "已重拍"],
        [2, no[1], data[1]["姓名"], "在籍", "无误", "", "请老师看下", ""],
    ]
    preview = proofing.preview_import(proofing.read(write_sheet(tmp_path / "extra.xlsx", sheet)), station.id)
    got = [(r.known_student_no, r.state, r.errors, r.words) for r in preview.rows]
    assert got == [(no[0], "wrong", [{"kind": "not_self"}], "照片不是本人"), (no[1], "correct", None, "")]
    only_remark = [["学号", "校对结果", "备注"], [no[2], "有误", "照片模糊"]]
    preview = proofing.preview_import(proofing.read(write_sheet(tmp_path / "r.csv", only_remark)), station.id)
    assert [(r.state, r.errors, r.words) for r in preview.rows] == [
        ("wrong", [{"kind": "blurred"}], "照片模糊")
    ]


def test_a_student_number_in_full_width_digits_matches(db, proofing, data, station, tmp_path):
    wide = str(data[5]["学号"]).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    # typed in Chinese input mode, with no name to fall back on
    sheet = [["学号", "姓名", "校对结果"], [wide, "", "照片模糊"]]
    preview = proofing.preview_import(proofing.read(write_sheet(tmp_path / "w.csv", sheet)), station.id)
    assert [(r.known_student_no, r.matched_by, r.flagged) for r in preview.rows] == [
        (str(data[5]["学号"]), "学号", False)
    ]
