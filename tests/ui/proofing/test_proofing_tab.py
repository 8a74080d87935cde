"""The proofing tab as a clerk uses it: quick entry by scanning, a bulk change and its undo, import, forms."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, Qt

from tests.roster_files import students, write_csv, write_xlsx


def _setup(window, tmp_path, n=30):
    from app.services.roster.stations import StationData

    station = window.stations.create(StationData(name="校对站", school_name="郑州大学", school_code="10459"))
    data = students(n)
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", data), station.id)
    window.reload_stations(station.id)
    window.tabs.setCurrentWidget(window.proofing_tab)
    window.proofing_tab.open_folders = False
    return station, data


def test_quick_entry_by_scanner(qtbot, window, tmp_path):
    station, data = _setup(window, tmp_path)
    tab = window.proofing_tab
    qtbot.keyClicks(tab.quick_edit, data[4]["学号"])
    qtbot.keyClick(tab.quick_edit, Qt.Key.Key_Return)
    sid = window.roster.find_by_scan(data[4]["学号"]).id
    assert window.proofing.row(sid).proof_state == "correct"
    assert "已记为正确" in tab.quick_label.text() and tab.quick_edit.text() == ""
    qtbot.keyClicks(tab.quick_edit, data[5]["身份证号码"])  # an ID card scan works too
    qtbot.keyClick(tab.quick_edit, Qt.Key.Key_Return)
    assert window.proofing.row(window.roster.find_by_scan(data[5]["学号"]).id).proof_state == "correct"
    qtbot.keyClicks(tab.quick_edit, "0000")
    qtbot.keyClick(tab.quick_edit, Qt.Key.Key_Return)
    assert "找不到" in tab.quick_label.text()
    history = window.proofing.history(sid)
    assert history[-1].source == "quick"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.proofing.row(sid).proof_state == "unchecked"
    assert tab.model.row_at(tab.model.row_of(sid)).proof_state == "unchecked"


def test_bulk_change_with_undo_and_filters(qtbot, window, tmp_path):
    station, data = _setup(window, tmp_path)
    tab = window.proofing_tab
    selection = tab.table.selectionModel()
    for row in range(0, 10):
        selection.select(
            tab.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    ids = tab.selected_ids()
    assert len(ids) == 10
    assert tab.set_selected("no_photo_pending")
    assert all(window.proofing.row(i).proof_state == "no_photo_pending" for i in ids)
    tab.state_combo.setCurrentIndex(tab.state_combo.findData("no_photo_pending"))
    assert tab.model.rowCount() == 10
    assert "新华社" in tab.model.row_at(0).action
    window.undo_action.trigger()
    assert all(window.proofing.row(i).proof_state == "unchecked" for i in ids)
    assert tab.model.rowCount() == 0
    window.redo_action.trigger()
    assert tab.model.rowCount() == 10
    tab.state_combo.setCurrentIndex(tab.state_combo.findData("__action__"))
    assert tab.model.rowCount() == 30


def test_wrong_with_error_dialog(qtbot, window, tmp_path, monkeypatch):
    from app.ui.proofing import dialogs as proof_dialogs

    station, data = _setup(window, tmp_path)
    tab = window.proofing_tab
    tab.table.selectRow(0)

    def fake_exec(dialog):
        dialog.checks["not_self"].setChecked(True)
        dialog.checks["record"].setChecked(True)
        dialog.field_combo.setCurrentText("民族")
        dialog.correct_edit.setText("回族")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(proof_dialogs.ErrorDialog, "exec", fake_exec)
    assert tab.set_selected("wrong")
    row = tab.model.row_at(0)
    assert row.result == "照片非本人；民族应为回族"
    tab.error_combo.setCurrentIndex(tab.error_combo.findData("not_self"))
    assert tab.model.rowCount() == 1
    tab.table.selectRow(0)
    tab.show_detail()
    assert "勘误表" in tab.detail_label.text() and "民族应为回族" in tab.detail_label.text()


def _finish(qtbot, op):
    """Wait for a background op (an import, a form export) to report back on the GUI thread."""
    assert op is not None
    owner = op.parent()
    qtbot.waitUntil(lambda: getattr(owner, "op", None) is None, timeout=20000)


def test_import_results_and_export_forms(qtbot, window, tmp_path):
    station, data = _setup(window, tmp_path, n=12)
    tab = window.proofing_tab
    sheet = [{"学号": d["学号"], "姓名": d["姓名"], "校对结果": "无误"} for d in data[:8]]
    sheet.append({"学号": "999", "姓名": "外人", "校对结果": "无误"})
    dialog = tab.open_import(str(write_csv(tmp_path / "results.csv", sheet, "gbk")))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)  # read in the background
    assert dialog.readings.rowCount() == 8 and dialog.unmatched.rowCount() == 1
    assert dialog.unmatched.index(0, 2).data() == "外人" and dialog.unmatched.index(0, 3).data() == "999"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.report.changed == 8 and len(dialog.report.unmatched) == 1
    dialog.close()
    window.undo_action.trigger()
    assert all(r.proof_state == "unchecked" for r in window.proofing.rows(station.id))
    window.redo_action.trigger()
    assert sum(r.proof_state == "correct" for r in window.proofing.rows(station.id)) == 8
    _finish(qtbot, tab.export_feedback(tmp_path / "forms"))
    files = tab.last_files
    assert {f.suffix for f in files} == {".xlsx", ".pdf"} and all(f.exists() for f in files)
    ws = load_workbook(next(f for f in files if f.suffix == ".xlsx")).active
    assert ws.cell(4, 4).value == "无误"
    _finish(qtbot, tab.export_errata(tmp_path / "forms"))
    errata = tab.last_files
    assert errata[0].exists() and errata[1].read_bytes().startswith(b"%PDF")
    _finish(qtbot, tab.export_actions(tmp_path / "forms"))
    assert tab.last_files[0].exists()
    preview = tab.preview_feedback()
    assert preview is not None
    preview.close()


def test_forms_that_cannot_be_written_are_a_warning(qtbot, window, tmp_path, message_boxes):
    """Last time's form still open in Excel, or a read-only folder: a warning naming the file, not 程序错误."""
    _setup(window, tmp_path, n=3)
    tab = window.proofing_tab
    blocker = tmp_path / "forms"
    blocker.write_text("a file where the folder should be")
    for export in (tab.export_feedback, tab.export_errata, tab.export_actions):
        tab.last_files = []
        _finish(qtbot, export(blocker / "sub"))
        assert tab.last_files == []
    assert [kind for kind, _ in message_boxes] == ["warning"] * 3
    assert all("无法写入" in text for _, text in message_boxes)


def test_results_preview_masks_id_numbers(qtbot, window, tmp_path):
    _station, data = _setup(window, tmp_path, n=3)
    sheet = [{"身份证号码": d["身份证号码"], "校对结果": "正确"} for d in data]
    sheet.append({"身份证号码": "410105199001011234", "校对结果": "正确"})  # nobody's
    dialog = window.proofing_tab.open_import(str(write_csv(tmp_path / "results.csv", sheet)))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)  # read in the background
    shown = [
        model.index(r, c).data()
        for model in (dialog.readings, dialog.unmatched)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert not any(
        n in str(text) for n in [d["身份证号码"] for d in data] + ["410105199001011234"] for text in shown
    )
    assert "410105********1234" in shown
    assert [dialog.readings.index(r, 3).data() for r in range(3)] == ["身份证号"] * 3
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)
    assert dialog.report.changed == 3  # matched by the full number all the same
    dialog.close()


def test_each_preview_survives_repaints_and_closes(qtbot, window, tmp_path):
    """The 校对反馈表 and 勘误表 previews crashed the program every time: their printer was a local, freed while
    the (non-modal) preview still painted on it. They repaint after the opening function returned, then close."""
    import gc

    _setup(window, tmp_path, n=4)
    tab = window.proofing_tab
    for open_it in (tab.preview_feedback, tab.preview_errata):
        dialog = open_it()
        assert dialog is not None
        gc.collect()  # nothing of the preview may hang on a Python local
        qtbot.wait(50)
        dialog.resize(dialog.width() + 10, dialog.height())  # a repaint on the printer
        dialog.update()
        qtbot.wait(50)
        dialog.close()
        qtbot.wait(20)
