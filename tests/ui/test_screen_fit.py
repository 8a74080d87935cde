"""Every dialog fits a 1280×720 screen with its window frame (1920×1080 at 150 %, or 1366×768 less a taskbar).

A title bar takes about 40 px and the frame about 8 px, so a dialog's own area may be at most 1272×680: as
shown, as its size hint (what it opens at) and as its minimum size (what it can be squeezed to), in Chinese
and in English. (Offscreen, frameGeometry() adds a nominal 2 px frame around geometry(); the real frame and
title bar are what the 8 and 40 px are kept for, so the dialog's geometry is what is held to 1272×680.) Its 保存/OK-type buttons are
inside it and never in a scrolling part; no combo box is narrower than its longest entry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QWidget,
    QWizard,
)
from sqlalchemy import select

from tests.roster_files import students, write_csv

LIMIT = QSize(1272, 680)
Primary = Callable[[QDialog], list[QAbstractButton]]


@pytest.fixture(autouse=True)
def back_to_chinese(english_qm):
    yield
    from app.ui.i18n import uninstall_translators

    uninstall_translators(QApplication.instance())


def _ok_buttons(dialog: QDialog) -> list[QAbstractButton]:
    """The accept-type buttons of the dialog's button boxes (保存, OK, 仍接受, 关闭 where that is all)."""
    roles = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.RejectRole)
    found = []
    for box in dialog.findChildren(QDialogButtonBox):
        accept = [b for b in box.buttons() if box.buttonRole(b) == roles[0]]
        found += accept or [b for b in box.buttons() if box.buttonRole(b) == roles[1]]
    return found


def _named(*names: str) -> Primary:
    return lambda dialog: [getattr(dialog, name) for name in names]


def _conflicting_bundle(db, tmp_path: Path):
    """A station bundle two of whose students were changed both here and at the station: two conflicts."""
    from app.models import Student
    from app.paths import photo_store_for
    from app.services.exchange.bundle import export_station, read_bundle
    from app.ui.admin.bundle_dialog import merger_for
    from tests.bundle_data import STATION, make_station_store

    station = make_station_store(tmp_path / "station", count=5, photos=1)
    export_station(station.sessions, photo_store_for(station), STATION, tmp_path / "b1.zip")
    merger = merger_for(db, "测试员")
    merger.apply(read_bundle(tmp_path / "b1.zip"))
    with station.sessions() as s:
        numbers = list(s.scalars(select(Student.student_no).order_by(Student.shot_no)))[:2]
    for store, major in ((station, "站点填写的专业名称比较长的一种写法"), (db, "学院填写的专业名称")):
        with store.sessions.begin() as s:
            for st in s.scalars(select(Student).where(Student.student_no.in_(numbers))):
                st.major = major
    export_station(station.sessions, photo_store_for(station), STATION, tmp_path / "b2.zip")
    station.dispose()
    return merger, read_bundle(tmp_path / "b2.zip")


def _dialogs(window, station_id: int, tmp_path: Path, bundle) -> Iterator[tuple]:
    """(name, dialog, its OK-type buttons) for every dialog of the application, each with realistic data."""
    from app.ui.admin.backup_dialog import BackupDialog
    from app.ui.admin.bundle_dialog import BundleImportDialog
    from app.ui.admin.passphrase_dialog import PassphraseDialog
    from app.ui.capture.override_dialog import OverrideDialog
    from app.ui.capture.photo_import_dialog import PhotoImportDialog
    from app.ui.proofing.dialogs import DeadlineDialog, ErrorDialog

    yield "new station", window.new_station(), _ok_buttons
    yield "edit station", window.edit_station(), _ok_buttons
    yield "passphrase, export", PassphraseDialog(window, exporting=True), _ok_buttons
    yield "passphrase, import", PassphraseDialog(window, exporting=False), _ok_buttons
    merger, read = bundle
    yield (
        "bundle import",
        BundleImportDialog(window, merger, read, merger.plan(read)),
        _named("import_button"),
    )
    yield "presets", window.edit_presets(), _named("save_button")
    yield "backups", BackupDialog(window, window.db.url), _named("create_button", "restore_button")
    yield "preferences", window.edit_preferences(), _ok_buttons
    yield "first run", window.first_run(), lambda w: [w.button(QWizard.WizardButton.NextButton)]
    yield "add student", window.roster_tab.add_student(), _ok_buttons
    assert window.roster_tab.select_student(window.roster.rows(station_id)[0].id)
    yield "edit student", window.roster_tab.edit_selected(), _ok_buttons
    tab, roster = window.roster_tab, str(tmp_path / "花名册.csv")
    yield "roster import, columns", tab.open_import_dialog(tab.importer.read(roster)), _named("check_button")
    dialog = tab.open_import_dialog(tab.importer.read(roster))
    dialog._show_report(
        dialog.importer.plan(dialog.roster, station_id, lambda *_: None, lambda: False), committed=False
    )
    yield "roster import, check", dialog, _named("import_button")
    for topic in ("capture", "proofing", "shortcuts", "about"):
        yield f"help {topic}", window.show_help(topic), _ok_buttons
    yield (
        "photo folder import",
        PhotoImportDialog(window, window.capture, station_id, str(tmp_path / "photos")),
        _named("import_button"),
    )
    message = (
        "软性检查未通过：背景色（色差 ΔE 14.2，超过 10）；头顶位置（偏差 6.1%，超过 5%）；清晰度（偏低）。"
        "如确认可用，请选择仍接受的理由。"
    )
    yield "override", OverrideDialog(window, message), _named("ok", "retake")
    yield "proofing error", ErrorDialog(window, 2), _ok_buttons
    yield "proofing deadline", DeadlineDialog(window, [2025, 2026], print), _ok_buttons
    dialog = window.proofing_tab.open_import(str(tmp_path / "校对结果.csv"))
    yield "proofing results import", dialog, _named("import_button")


def _in_scroll_area(widget: QWidget, dialog: QDialog) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not dialog:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _problems(name: str, dialog: QDialog, primary: Primary) -> list[str]:
    dialog.show()
    for _ in range(3):  # layouts settle over a few passes of the event loop
        QApplication.processEvents()
    shown = dialog.geometry().size()
    sizes = {"shown": shown, "size hint": dialog.sizeHint(), "minimum": dialog.minimumSizeHint()}
    found = [
        f"{name}: {what} {size.width()}×{size.height()} is over 1272×680"
        for what, size in sizes.items()
        if size.width() > LIMIT.width() or size.height() > LIMIT.height()
    ]
    inside = dialog.rect()
    buttons = primary(dialog)
    for button in buttons:
        where = QRect(button.mapTo(dialog, QPoint(0, 0)), button.size())
        if not (button.isVisible() and inside.contains(where)) or _in_scroll_area(button, dialog):
            found.append(f"{name}: “{button.text()}” at {where} is not in view within {inside}")
    if not buttons and not isinstance(dialog, QPrintPreviewDialog):
        found.append(f"{name}: no OK-type button found")
    for combo in dialog.findChildren(QComboBox):
        if combo.isVisible() and combo.width() < combo.sizeHint().width():
            found.append(
                f"{name}: “{combo.currentText()}” cut off ({combo.width()} < {combo.sizeHint().width()})"
            )
    print(f"{name}: {shown.width()}×{shown.height()}")
    dialog.close()
    return found


def test_every_dialog_fits_1280x720(qtbot, window, tmp_path, monkeypatch):
    from app.services.roster.stations import StationData
    from app.ui.i18n import install_translators

    station = window.stations.create(
        StationData(name="郑州大学继续教育学院洛阳函授站", school_name="郑州大学", school_code="10459")
    )
    rows = students(6)
    write_csv(tmp_path / "花名册.csv", rows)
    window.importer.import_file(tmp_path / "花名册.csv", station.id)
    window.reload_stations(station.id)
    (tmp_path / "校对结果.csv").write_text(
        "学号,姓名,校对结果,问题说明\n" + "".join(f"{r['学号']},{r['姓名']},正确,\n" for r in rows),
        encoding="utf-8",
    )
    (tmp_path / "photos").mkdir()
    bundle = _conflicting_bundle(window.db, tmp_path)
    titles = {}
    problems = []
    for language in ("zh_CN", "en"):
        install_translators(QApplication.instance(), language)
        for name, dialog, primary in _dialogs(window, station.id, tmp_path, bundle):
            assert dialog is not None, f"[{language}] {name}: no dialog opened"
            titles[language, name] = dialog.windowTitle()
            problems.extend(f"[{language}] {p}" for p in _problems(name, dialog, primary))

        def preview(dialog, language=language):  # measured while open: its printer lives as long as exec()
            titles[language, "print preview"] = dialog.windowTitle()
            problems.extend(f"[{language}] {p}" for p in _problems("print preview", dialog, lambda _d: []))
            return 0

        monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
        window.export_tab.preview_form("summary")
    assert len(titles) == 2 * 23
    assert titles["zh_CN", "new station"] == "新建学习中心/函授站"
    assert titles["en", "new station"] == "New Station"
    assert not problems, "\n".join(problems)


def test_a_short_screen_scrolls_the_fields_and_keeps_save_in_view(qtbot, window):
    """Squeezed to its minimum (a screen shorter than 720, or large fonts), the station dialog scrolls its
    fields; 保存 stays below them, in view."""
    from app.ui.dialog_parts import ScrollBody

    dialog = window.new_station()
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.name_edit)  # the first field, not the scroll area
    dialog.resize(dialog.minimumSizeHint())
    QApplication.processEvents()
    assert dialog.height() < 200
    body = dialog.findChild(ScrollBody)
    assert body.verticalScrollBar().isVisible() and body.verticalScrollBar().maximum() > 200
    save = _ok_buttons(dialog)[0]
    assert save.text() == "保存" and save.isVisible() and not _in_scroll_area(save, dialog)
    assert dialog.rect().contains(QRect(save.mapTo(dialog, QPoint(0, 0)), save.size()))
    # at its normal size the fields need no scroll bar
    dialog.resize(dialog.sizeHint())
    QApplication.processEvents()
    assert not body.verticalScrollBar().isVisible()
    dialog.close()


def test_a_dialog_never_opens_larger_than_the_screen_allows():
    from app.ui.dialog_parts import fitted_size

    # a 1920×1080 screen at 150 % (1280×720, taskbar 40 px): the print preview's 1100×800 is cut to 680 high
    assert fitted_size(QSize(1100, 800), QSize(1280, 680)) == QSize(1100, 640)
    # a large screen still gets no more than 1272×680, a small one what it has less frame and title bar
    assert fitted_size(QSize(2000, 1200), QSize(2560, 1400)) == QSize(1272, 680)
    assert fitted_size(QSize(1000, 640), QSize(1024, 600)) == QSize(1000, 560)
    assert fitted_size(QSize(500, 300), QSize(1280, 680)) == QSize(500, 300)
