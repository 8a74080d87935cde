"""Importing a class's 校对反馈表 in the GUI: every row's reading shown, one changed by hand, written as shown;
and the 校对反馈表 forms written in the background with Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QBrush

from tests.roster_files import students, write_xlsx
from tests.services.proofing.proof_sheets import STRANGER, feedback_rows, write_sheet


def _setup(window, tmp_path, n=6):
    from app.services.roster.stations import StationData

    station = window.stations.create(StationData(name="校对站", school_name="郑州大学", school_code="10459"))
    data = students(n)
    data[3]["姓名"] = "买买提·艾力"
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", data), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.proofing_tab)
    window.proofing_tab.open_folders = False
    return station, data


def _column(model, column):
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _select(dialog, row):
    dialog.view.selectionModel().select(
        dialog.readings.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_the_dialog_shows_each_reading_takes_an_edit_and_writes_it(qtbot, window, tmp_path, monkeypatch):
    from app.ui.proofing import dialogs as proof_dialogs

    station, data = _setup(window, tmp_path)
    tab = window.proofing_tab
    dialog = tab.open_import(str(write_sheet(tmp_path / "反馈表.xlsx", feedback_rows(data))))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)  # read in the background
    readings = dialog.readings
    assert _column(readings, 2) == [data[i]["姓名"] for i in range(5)]  # 买买提.艾力 matched by name
    assert _column(readings, 3) == ["学号", "学号", "学号", "姓名", "学号"]
    assert _column(readings, 4) == [
        "",
        "照片不是本人",
        "看不到照片",
        "民族应为维吾尔族，照片模糊",
        "头发太乱了，想重拍",
    ]
    assert _column(readings, 5) == ["正确", "有误", "无照片（未上传）", "有误", "有误"]
    assert _column(readings, 6) == ["", "照片非本人", "", "民族应为维吾尔族；图像模糊", "头发太乱了，想重拍"]
    assert "未识别：头发太乱了，想重拍" in readings.index(4, 8).data()
    backgrounds = [readings.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) for r in range(5)]
    assert [isinstance(b, QBrush) for b in backgrounds] == [False, False, False, False, True]  # highlighted
    assert _column(dialog.unmatched, 2) == [STRANGER[1]] and _column(dialog.unmatched, 3) == [STRANGER[0]]
    assert "找不到" in _column(dialog.unmatched, 4)[0]
    assert "忽略页脚、签字行 1 行" in dialog.unmatched_label.text()
    assert window.proofing.rows(station.id)[0].proof_state == "unchecked"  # nothing written yet

    # the clerk reads row 5 as 无照片（信息不一致）, and gives row 1 an error by hand
    _select(dialog, 4)
    combo = dialog.state_combo
    combo.setCurrentIndex(combo.findData("no_photo_mismatch"))
    combo.activated.emit(combo.currentIndex())
    assert readings.index(4, 5).data() == "无照片（信息不一致）"

    def fake_exec(error_dialog):
        error_dialog.checks["blurred"].setChecked(True)
        error_dialog._accept()
        return error_dialog.result()

    monkeypatch.setattr(proof_dialogs.ErrorDialog, "exec", fake_exec)
    _select(dialog, 0)
    combo.setCurrentIndex(combo.findData("wrong"))
    combo.activated.emit(combo.currentIndex())
    assert readings.index(0, 6).data() == "图像模糊"
    assert "2 行已改动" in dialog.summary_label.text()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert (dialog.report.changed, len(dialog.report.unmatched)) == (5, 1)
    by_no = {r.student_no: r for r in window.proofing.rows(station.id)}
    no = [str(d["学号"]) for d in data]
    assert (by_no[no[0]].proof_state, by_no[no[0]].proof_errors) == ("wrong", [{"kind": "blurred"}])
    assert (by_no[no[1]].proof_state, by_no[no[1]].proof_errors) == ("wrong", [{"kind": "not_self"}])
    assert by_no[no[2]].proof_state == "no_photo_pending"
    assert by_no[no[3]].proof_errors == [
        {"kind": "record", "field": "民族", "correct": "维吾尔族"},
        {"kind": "blurred"},
    ]
    assert (by_no[no[4]].proof_state, by_no[no[4]].proof_note) == ("no_photo_mismatch", "头发太乱了，想重拍")
    dialog.close()
    window.undo_action.trigger()
    assert all(r.proof_state == "unchecked" for r in window.proofing.rows(station.id))
    window.redo_action.trigger()  # redo writes the edited readings again, not the sheet as first read
    assert window.proofing.row(by_no[no[4]].id).proof_state == "no_photo_mismatch"


def test_a_refused_edit_keeps_the_row_as_it_was(qtbot, window, tmp_path, monkeypatch):
    from app.ui.proofing import dialogs as proof_dialogs

    _station, data = _setup(window, tmp_path)
    dialog = window.proofing_tab.open_import(str(write_sheet(tmp_path / "反馈表.csv", feedback_rows(data))))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)  # read in the background
    monkeypatch.setattr(proof_dialogs.ErrorDialog, "exec", lambda _self: 0)  # the error dialog cancelled
    _select(dialog, 2)
    dialog.state_combo.setCurrentIndex(dialog.state_combo.findData("wrong"))
    dialog.state_combo.activated.emit(dialog.state_combo.currentIndex())
    assert dialog.readings.index(2, 5).data() == "无照片（未上传）"
    assert dialog.state_combo.currentData() == "no_photo_pending" and not dialog.readings.edited
    dialog.close()


def test_feedback_forms_are_written_in_the_background_and_can_be_cancelled(
    qtbot, window, tmp_path, monkeypatch
):
    from app.services.proofing.forms import FormsCancelled
    from app.services.roster.stations import StationData
    from app.ui.proofing import form_export

    station = window.stations.create(StationData(name="三班站", school_name="郑州大学", school_code="10459"))
    data = students(9)
    for i, row in enumerate(data):  # three classes: a form each, and a between to cancel in
        row["班级"] = f"2021级会计{i % 3 + 1}班"
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", data), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.proofing_tab)
    tab = window.proofing_tab
    tab.open_folders = False

    op = tab.export_feedback(tmp_path / "forms")
    assert op is not None and tab.op is op  # running in the background runner, not on the GUI thread
    qtbot.waitUntil(lambda: tab.op is None, timeout=20000)
    assert sorted(p.name for p in tab.last_files) == sorted(
        f"校对反馈表_2021级会计{n}班{s}" for n in (1, 2, 3) for s in (".xlsx", ".pdf")
    )
    assert op.ctx.total == 3  # progress went class by class

    real_write_pdf = form_export.write_pdf

    def write_then_cancel(forms, path):  # Cancel pressed while the first class's PDF is written
        out = real_write_pdf(forms, path)
        tab.op.ctx.cancel()
        return out

    monkeypatch.setattr(form_export, "write_pdf", write_then_cancel)
    tab.last_files = []
    tab.export_feedback(tmp_path / "cut")
    qtbot.waitUntil(lambda: tab.op is None, timeout=20000)
    assert tab.last_files == []
    assert "已取消；已写入 2 个文件" in window.statusBar().currentMessage()
    assert sorted(p.name for p in (tmp_path / "cut").iterdir()) == [
        "校对反馈表_2021级会计1班.pdf",
        "校对反馈表_2021级会计1班.xlsx",
    ]

    monkeypatch.undo()
    calls = iter([False, True])
    with pytest.raises(FormsCancelled) as caught:
        form_export.write_feedback_forms(
            tab.proofing.rows(station.id), tmp_path / "x", "站", None, lambda: next(calls)
        )
    assert [p.suffix for p in caught.value.written] == [".xlsx", ".pdf"]


def test_a_changed_column_mapping_reads_the_sheet_again(qtbot, window, tmp_path):
    _station, data = _setup(window, tmp_path)
    dialog = window.proofing_tab.open_import(str(write_sheet(tmp_path / "反馈表.xlsx", feedback_rows(data))))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    result_combo = dialog.combos[3]
    result_combo.setCurrentIndex(0)  # 校对结果 → （不导入）: nothing to read
    assert dialog.preview is None and dialog.readings.rowCount() == 0
    assert not dialog.import_button.isEnabled() and "需要" in dialog.summary_label.text()
    result_combo.setCurrentIndex(result_combo.findData("problem"))  # the words read as 问题说明 instead
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert _column(dialog.readings, 5) == ["正确", "有误", "无照片（未上传）", "有误", "有误"]
    assert dialog.import_button.isEnabled()
    dialog.close()


def test_a_remark_column_keeps_its_mapping_in_the_dialog(qtbot, window, tmp_path):
    """A sheet whose problems are in a 备注 column: the dialog's column choice keeps it, and the words are read."""
    station, data = _setup(window, tmp_path)
    sheet = [["学号", "校对结果", "备注"], [data[0]["学号"], "有误", "照片不是本人"]]
    dialog = window.proofing_tab.open_import(str(write_sheet(tmp_path / "备注.csv", sheet)))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.combos[2].currentData() == "remark"
    assert [(r.state, r.errors) for r in dialog.preview.rows] == [("wrong", [{"kind": "not_self"}])]
    dialog.reject()
