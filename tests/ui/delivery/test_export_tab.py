"""The Export tab offscreen: pre-flight, refusal, exclusion with a zip, workbooks, proof sheets, previews, Cancel."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QVBoxLayout, QWidget
from sqlalchemy import select

from app.models import AuditEvent
from app.paths import photo_store_for
from app.services.capture.service import CaptureService
from tests.delivery_data import add_photos, roster


@pytest.fixture
def opened(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr("app.ui.delivery.tab.open_folder", lambda path: calls.append(str(path)))
    return calls


@pytest.fixture
def tab(qtbot, db, station, importer, settings, tmp_path, opened):
    from app.ui.delivery.tab import ExportTab
    from app.ui.events import AppEvents

    roster(importer, station, tmp_path, 6)
    capture = CaptureService(db.sessions, photo_store_for(db), "测试员")
    add_photos(db, capture.store, tmp_path, station.id, skip=(2,), state={5: "retake"})
    host = QWidget()
    events = AppEvents(host)
    export_tab = ExportTab(db, capture, events, settings, host)
    QVBoxLayout(host).addWidget(export_tab)
    qtbot.addWidget(host)
    host.show()
    export_tab.out_edit.setText(str(tmp_path / "out"))
    export_tab.set_station(station.id)
    yield export_tab
    qtbot.waitUntil(lambda: export_tab.op is None, timeout=20000)


def test_station_selection(tab, station):
    assert "报送 6 名学生" in tab.station_label.text() and "照片已接受 4 名" in tab.station_label.text()
    assert tab.preset_combo.currentData() == "legacy-192x144"
    assert tab.naming_combo.currentText() == "{shot_no}.JPG"
    assert tab.package_button.isEnabled()
    tab.set_station(None)
    assert not tab.package_button.isEnabled() and not tab.form_buttons["summary"].isEnabled()


def test_preflight_then_refusal_then_exclusion(qtbot, tab, db, tmp_path, message_boxes, opened):
    with qtbot.waitSignal(tab.preflightFinished, timeout=20000):
        tab.run_preflight()
    assert tab.blocker_model.rowCount() == 2
    assert "2 名学生有问题" in tab.preflight_label.text()
    tab.hide()
    tab.show()  # back from another tab: the counts refresh, the check stays
    assert tab.blocker_model.rowCount() == 2

    tab.package_button.click()  # refused: the blockers are shown and nothing is written
    qtbot.waitUntil(lambda: tab.op is None, timeout=20000)
    assert any(kind == "warning" and "拒绝打包" in text for kind, text in message_boxes)
    assert not list((tmp_path / "out").glob("*"))
    assert opened == []

    tab.exclude_check.setChecked(True)
    tab.format_combo.setCurrentIndex(tab.format_combo.findData("zip"))
    with qtbot.waitSignal(tab.exportFinished, timeout=30000) as done:
        tab.package_button.click()
    zip_path = done.args[0]
    assert zip_path.endswith(".zip")
    with zipfile.ZipFile(zip_path) as zf:
        assert sorted(n for n in zf.namelist() if n.startswith("照片/")) == [
            f"照片/{n}.JPG" for n in (1, 3, 4, 6)
        ]
    assert any(kind == "question" and "2 名" in text for kind, text in message_boxes)  # asked first
    assert opened == [str(tmp_path / "out")]
    assert "已排除" in tab.status_label.text()
    with db.sessions() as s:
        assert len(s.scalars(select(AuditEvent).where(AuditEvent.action == "delivery-exclude")).all()) == 2


def test_workbook_export_and_proof_sheets(qtbot, tab, tmp_path, opened):
    with qtbot.waitSignal(tab.exportFinished, timeout=20000) as done:
        tab.form_buttons["summary"].click()
    ws = load_workbook(done.args[0]).active
    assert ws["A1"].value == "高等教育学历证书电子注册图像信息采集汇总表" and ws.max_row == 3 + 6
    with qtbot.waitSignal(tab.exportFinished, timeout=30000) as done:
        tab.form_buttons["proofsheet"].click()
    pdfs = list((tmp_path / "out").glob("*_校对表/*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert len(opened) == 2


def _preview_to_pdf(monkeypatch, tmp_path):
    """Replace the preview's modal exec with painting its pages into a PDF file."""
    painted: list[str] = []

    def fake_exec(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = str(tmp_path / f"preview{len(painted)}.pdf")
        printer.setOutputFileName(path)
        dialog.paintRequested.emit(printer)
        painted.append(path)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    return painted


def test_print_previews_paint_every_form(qtbot, tab, monkeypatch, tmp_path):
    painted = _preview_to_pdf(monkeypatch, tmp_path)
    for kind in ("summary", "fees", "cards"):
        tab.form_buttons[f"preview_{kind}"].click()
    tab.form_buttons["preview_proofsheet"].click()
    qtbot.waitUntil(lambda: len(painted) == 4, timeout=20000)
    for path in painted:
        data = Path(path).read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 2000
    assert "预览" in tab.preview_dialog.windowTitle()


def test_cancel_leaves_nothing(qtbot, tab, tmp_path, monkeypatch):
    from app.ui.ops import OpContext

    monkeypatch.setattr(OpContext, "cancelled", lambda self: True)  # as if Cancel was pressed at once
    tab.exclude_check.setChecked(True)
    tab.package_button.click()
    qtbot.waitUntil(lambda: tab.op is None, timeout=20000)
    assert "已取消" in tab.status_label.text()
    assert not [p for p in (tmp_path / "out").glob("*")]


def test_the_proof_sheet_preview_renders_photos_off_the_gui_thread(qtbot, tab, monkeypatch, tmp_path):
    import threading

    from app.ui.delivery import tab as tab_module

    painted = _preview_to_pdf(monkeypatch, tmp_path)
    threads: list[threading.Thread] = []
    real = tab_module.proof_classes

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(tab_module, "proof_classes", recording)
    tab.form_buttons["preview_proofsheet"].click()
    assert tab.op is not None  # the click returned while the photos are still being rendered
    qtbot.waitUntil(lambda: len(painted) == 1, timeout=20000)
    assert threads and threads[0] is not threading.main_thread()
    assert Path(painted[0]).read_bytes().startswith(b"%PDF")


def _rows(path) -> list[int]:
    ws = load_workbook(path).active
    return [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]


def _export_all(qtbot, tab) -> dict[str, str]:
    written = {}
    for kind in ("summary", "fees", "cards"):
        with qtbot.waitSignal(tab.exportFinished, timeout=20000) as done:
            tab.form_buttons[kind].click()
        written[kind] = done.args[0]
    return written


def test_the_workbooks_follow_the_disc_chosen(qtbot, tab, tmp_path):
    assert tab.delivery_combo.count() == 1 and "尚无报送记录" in tab.delivery_combo.currentText()
    tab.exclude_check.setChecked(True)
    with qtbot.waitSignal(tab.exportFinished, timeout=30000) as done:
        tab.package_button.click()
    disc = Path(done.args[0])
    assert _rows(disc / "采集汇总表.xlsx") == [1, 3, 4, 6]
    # The latest disc is chosen by default: every workbook counts its 4 students, not the station's 6.
    assert "最近一次报送（#1，4 人）" == tab.delivery_combo.currentText()
    written = _export_all(qtbot, tab)
    assert "按报送 #1" in tab.status_label.text()
    assert _rows(written["summary"]) == [1, 3, 4, 6] and _rows(written["cards"]) == [1, 3, 4, 6]
    fees = load_workbook(written["fees"]).active
    total = [r for r in range(4, fees.max_row + 1) if fees.cell(r, 2).value == "合计"][0]
    assert (fees.cell(total, 3).value, fees.cell(total, 5).value) == (4, 80)
    assert Path(written["summary"]).read_bytes() == (disc / "采集汇总表.xlsx").read_bytes()
    # The current students on request.
    tab.delivery_combo.setCurrentIndex(tab.delivery_combo.findData("current"))
    written = _export_all(qtbot, tab)
    assert _rows(written["summary"]) == [1, 2, 3, 4, 5, 6]


def test_a_station_without_its_school_is_named_and_refused(qtbot, tab, db, station, message_boxes, tmp_path):
    from app.models import Station

    with db.sessions.begin() as s:
        s.get(Station, station.id).school_code = ""
    with qtbot.waitSignal(tab.preflightFinished, timeout=20000):
        tab.run_preflight()
    assert (
        "学习中心设置不完整" in tab.preflight_label.text() and "院校代码未填写" in tab.preflight_label.text()
    )
    first = [tab.blocker_model.index(0, c).data() for c in range(4)]
    assert first[1] == "学习中心" and first[3].startswith("院校代码未填写")
    tab.exclude_check.setChecked(True)  # excluding students cannot fix the station
    tab.package_button.click()
    qtbot.waitUntil(lambda: tab.op is None, timeout=20000)
    assert any(kind == "warning" and "排除学生不能解决" in text for kind, text in message_boxes)
    assert not list((tmp_path / "out").glob("*"))
