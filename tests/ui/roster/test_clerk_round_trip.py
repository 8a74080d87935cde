"""A clerk's roster work, end to end through the real dialogs: the rejected rows of a messy roster saved,
fixed in the workbook and imported again; a registry roster with 学习形式 and no (院)系代码; a block of rows
pasted from Excel, checked like an import."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from app.services.common.table_export import tsv
from app.services.delivery.preflight import preflight
from app.services.delivery.source import load_delivery
from app.services.photo import load_preset
from app.services.roster.stations import StationData
from tests.roster_files import students, write_xlsx
from tests.services.roster.test_dept_inference import REGISTRY_MODES, registry_rows
from tests.ui.roster.test_roster_tab import _import


def _station(qtbot, window):
    station = window.stations.create(
        StationData(name="洛阳函授站", school_name="郑州大学", school_code="10459")
    )
    window.reload_stations(station.id)
    return station


def _check(qtbot, dialog):
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1 and dialog.report is not None, timeout=10000)
    return dialog.report


def _import_all(qtbot, dialog):
    _check(qtbot, dialog)
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.import_button.click()
    return dialog.report


def test_rejected_rows_save_get_fixed_and_reimport_alone(qtbot, window, tmp_path, monkeypatch):
    _station(qtbot, window)
    rows = students(20, seed=17)
    good_ids = {r["学号"]: r["身份证号码"] for r in rows}
    rows[3]["身份证号码"] = rows[3]["身份证号码"][:-1] + ("0" if rows[3]["身份证号码"][-1] != "0" else "1")
    rows[7]["身份证号码"] = "4101051990"  # cut short
    rows[11]["身份证号码"] = rows[2]["身份证号码"]  # the same person twice
    rows[15]["性别"] = ""
    # A roster as stations send it: a merged title and the station line above the header.
    dialog = _import(qtbot, window, write_xlsx(tmp_path / "洛阳花名册.xlsx", rows, title=True))
    assert dialog.current_sheet().header_row_no == 3
    report = _import_all(qtbot, dialog)
    assert report.imported == 16 and sorted(p.row for p in report.rejected) == [7, 11, 15, 19]

    saved = tmp_path / "被拒绝的行.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    with qtbot.waitSignal(dialog.rejectsSaved, timeout=10000):
        dialog.save_rejected_button.click()
    dialog.close()
    window.roster_tab.current_dialog = None  # closed and deleted: the next import opens its own

    wb = load_workbook(saved)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == list(rows[0].keys()) + ["拒绝原因"]
    got = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    # an emptied cell is an empty cell, every other one text as the file had it
    assert [g[:-1] for g in got] == [[str(v) or None for v in rows[i].values()] for i in (3, 7, 11, 15)]
    reasons = [g[-1] for g in got]
    assert (
        reasons[0] == "身份证号码校验位错误（可能有数字录错）"
        and "身份证号码与第 6 行重复" in reasons[2]
        and reasons[3] == "缺少性别"
    )
    assert all(c.data_type == "s" for c in ws[2])

    # The clerk fixes the four rows in Excel: the right IDs, a sex, and a new person for the duplicate row.
    id_col, sex_col, no_col = (
        header.index("身份证号码") + 1,
        header.index("性别") + 1,
        header.index("学号") + 1,
    )
    newcomer = students(1, seed=99)[0]
    for r in range(2, 6):
        student_no = ws.cell(r, no_col).value
        ws.cell(r, id_col).value = good_ids[student_no]
    ws.cell(4, id_col).value = newcomer["身份证号码"]
    ws.cell(4, sex_col).value = newcomer["性别"]
    ws.cell(4, header.index("出生日期") + 1).value = newcomer["出生日期"]
    ws.cell(5, sex_col).value = (
        "男" if int(good_ids[rows[15]["学号"]][-2]) % 2 else "女"
    )  # GB 11643: odd is male
    wb.save(saved)

    again = _import(qtbot, window, saved)
    report = _import_all(qtbot, again)
    assert (report.imported, report.updated, report.unchanged, report.rejected) == (4, 0, 0, [])
    assert window.roster_tab.model.rowCount() == 20
    again.close()


def test_registry_roster_is_previewed_with_inferred_codes_and_passes_preflight(qtbot, window, tmp_path):
    station = _station(qtbot, window)
    rows = registry_rows(8)
    dialog = _import(qtbot, window, write_xlsx(tmp_path / "学籍系统导出.xlsx", rows))
    mapped = set(dialog.current_sheet().mapping.values())
    assert {"id_number", "school_name", "major", "study_mode", "department"} <= mapped
    assert "dept_code" not in mapped
    report = _check(qtbot, dialog)
    assert "其中 8 行没有(院)系代码，已按学习形式从本站的代码表得出" in dialog.summary_label.text()
    model = dialog.inferred_model
    assert [model.index(r, 4).data() for r in range(model.rowCount())] == [
        f"学习形式“{r['学习形式']}” → (院)系代码 {REGISTRY_MODES[r['学习形式']]}" for r in rows
    ]
    assert report.imported == 8
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.import_button.click()
    dialog.close()
    tab = window.roster_tab
    codes = [tab.model.student_at(r).dept_code for r in range(tab.model.rowCount())]
    assert codes == [REGISTRY_MODES[r["学习形式"]] for r in rows]
    blockers = preflight(
        load_delivery(window.db.sessions, station.id), load_preset("legacy-192x144")
    ).blockers
    assert not [b for b in blockers if "(院)系代码" in b.message]
    assert {b.kind for b in blockers} == {"no_photo"}  # the only thing left is taking the photos


def test_pasted_block_is_validated_like_an_import(qtbot, window, tmp_path):
    _station(qtbot, window)
    rows = students(5, seed=23)
    rows[2]["身份证号码"] = "123456"
    headers = list(rows[0].keys())
    QGuiApplication.clipboard().setText(tsv(headers, [list(r.values()) for r in rows]))
    tab = window.roster_tab
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(tab, "current_dialog", None) is not None, timeout=10000)
    dialog = tab.current_dialog
    assert dialog.preview_model.rowCount() == 5  # previewed before anything is checked or written
    report = _check(qtbot, dialog)
    # The same check as a file: the same row (the header is line 1), the same reason.
    file_report = window.importer.plan(
        window.importer.read(write_xlsx(tmp_path / "same.xlsx", rows, title=False)),
        window.current_station_id(),
    )
    assert [(p.row, p.reason) for p in report.rejected] == [(p.row, p.reason) for p in file_report.rejected]
    assert [(p.row, p.reason) for p in report.rejected] == [
        (4, "身份证号码应为 18 位（或旧版 15 位），实际为 6 位")
    ]
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.import_button.click()
    dialog.close()
    assert tab.model.rowCount() == 4


def test_paste_without_a_header_says_what_to_copy(qtbot, window, message_boxes):
    _station(qtbot, window)
    QGuiApplication.clipboard().setText("张三\t2023001\t男\r\n")
    window.roster_tab.paste_rows()
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert "连同表头行" in message_boxes[0][1] and "未写入任何数据" in message_boxes[0][1]


def test_station_dialog_shows_and_changes_the_learning_form_mapping(qtbot, window, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox

    station = _station(qtbot, window)
    dialog = window.edit_station()
    model = dialog.codes_model
    shown = {model.item(r, 0).text(): model.item(r, 2).text() for r in range(model.rowCount())}
    assert shown == {
        "001": "脱产、成人脱产、全日制",
        "002": "业余、夜大、夜大（业余）",
        "003": "函授",
        "004": "网络、网络教育、远程教育",
    }
    row_003 = next(r for r in range(model.rowCount()) if model.item(r, 0).text() == "003")
    model.item(row_003, 2).setText("函授、 本地函授")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()
    saved = {d["code"]: d["modes"] for d in window.stations.get(station.id).dept_codes}
    assert saved["003"] == ["函授", "本地函授"]
    rows = registry_rows(1)
    rows[0]["学习形式"] = "本地函授"
    report = window.importer.plan(window.importer.read(write_xlsx(tmp_path / "a.xlsx", rows)), station.id)
    assert [n.reason for n in report.inferred] == ["学习形式“本地函授” → (院)系代码 003"]
