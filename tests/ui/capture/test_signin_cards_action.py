"""打印拍摄签到卡…: a folder asked for (or given), the PDFs written in the background, the result said."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog

from app.ui.capture.signin_cards_action import export_signin_cards
from tests.delivery_data import roster
from tests.roster_files import students


def _class_rows(n: int):
    rows = students(n)
    for i, row in enumerate(rows):
        row["班级"] = "2023级会计学1班" if i % 2 else "2023级会计学2班"
    return rows


def test_writes_a_pdf_per_class_and_says_so(qtbot, db, station, importer, tmp_path, message_boxes):
    roster(importer, station, tmp_path, 4, _class_rows(4))
    out = tmp_path / "签到卡"
    assert export_signin_cards(None, db, station.id, folder=out) is not None
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    kind, text = message_boxes[0]
    assert kind == "information" and "已生成 2 份签到卡 PDF" in text
    assert "签到卡_2023级会计学1班.pdf" in text and "100%" in text
    assert sorted(p.name for p in out.iterdir()) == [
        "签到卡_2023级会计学1班.pdf",
        "签到卡_2023级会计学2班.pdf",
    ]


def test_asks_for_a_folder_and_a_cancelled_dialog_does_nothing(
    qtbot, db, station, importer, tmp_path, monkeypatch, message_boxes
):
    roster(importer, station, tmp_path, 2, _class_rows(2))
    asked = []

    def choose(parent, title, start):
        asked.append(title)
        return ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    assert export_signin_cards(None, db, station.id) is None
    assert asked == ["选择签到卡的保存文件夹"] and message_boxes == []

    target = tmp_path / "chosen"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: str(target)))
    export_signin_cards(None, db, station.id)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    assert len(list(target.glob("签到卡_*.pdf"))) == 2


def test_failures_are_said_in_chinese(qtbot, db, station, tmp_path, message_boxes):
    export_signin_cards(None, db, station.id, folder=tmp_path / "out")  # the station has no students
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20000)
    assert message_boxes[-1][0] == "warning" and "没有（未异动的）学生" in message_boxes[-1][1]
    assert not (tmp_path / "out").exists()

    assert export_signin_cards(None, db, None, folder=tmp_path) is None
    assert message_boxes[-1] == ("information", "拍摄签到卡: 请先选择学习中心")
    QThreadPool.globalInstance().waitForDone(5000)
