"""Issue 14: the per-class 补拍名单 to print — who needs a new photo and why (retake marks, proofing returns)."""

from __future__ import annotations

import subprocess

from sqlalchemy import select

from app.models import Student
from main import main
from tests.roster_files import students, write_xlsx


def test_the_retake_list_names_each_student_and_reason_class_by_class(
    db, station, importer, tmp_path, capsys
):
    rows = students(4)
    for i, r in enumerate(rows):
        r["班级"] = "1班" if i < 2 else "2班"
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", rows), station.id)
    with db.sessions.begin() as s:
        st = list(s.scalars(select(Student).order_by(Student.shot_no)))
        st[0].photo_state = "retake"
        st[3].proof_state, st[3].proof_errors = "wrong", [{"kind": "blurred"}]
    out = tmp_path / "补拍名单.pdf"
    assert main(["export", "retakes", "--station", station.name, "--out", str(out), "--db", db.url]) == 0
    assert "（2 人）" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert "1班" in pages[0] and rows[0]["姓名"] in pages[0] and "需重拍（拍摄时标记）" in pages[0]
    assert "2班" in pages[1] and rows[3]["学号"] in pages[1] and "图像模糊" in pages[1]
    assert rows[1]["姓名"] not in text and rows[2]["姓名"] not in text


def test_nobody_to_retake_is_said_and_writes_nothing(db, station, importer, tmp_path, capsys):
    importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(2)), station.id)
    out = tmp_path / "补拍名单.pdf"
    assert main(["export", "retakes", "--station", station.name, "--out", str(out), "--db", db.url]) == 1
    assert "没有需要补拍的学生" in capsys.readouterr().err and not out.exists()
