"""The interface in English: every visible string of every tab and main dialog is translated, and back.

Simplified Chinese is the source language. Data (student and station details, file contents, class names)
stays as entered, so known data strings are taken out of a text before it is checked for CJK characters.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QWidget,
    QWizard,
)

from app.services.photo.presets import resources_dir
from tests.roster_files import students, write_csv

CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
)
TS = resources_dir() / "translations" / "gradphoto_en.ts"
QM = TS.with_suffix(".qm")
ENDONYMS = {"简体中文"}  # the language list names each language in itself
CHINESE_TABS = ["采集花名册", "照片裁剪", "图像校对", "报送导出"]
WIZARD_BUTTONS = (
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.FinishButton,
    QWizard.WizardButton.CancelButton,
)


@pytest.fixture(scope="module", autouse=True)
def built_translations(english_qm):
    """The .qm as `make` builds it (tests/ui/conftest.py), when missing or older than the .ts."""


@pytest.fixture(autouse=True)
def no_translators_afterwards():
    """Whatever a test installs, the next test starts in the source language again."""
    yield
    from app.ui.i18n import uninstall_translators

    uninstall_translators(QApplication.instance())


@pytest.fixture
def main_window(qtbot, db, settings):
    """A Chinese main window, closed at the end whichever window replaced it."""
    from app.ui import main_window as gui
    from app.ui.main_window import MainWindow

    window = MainWindow(db, settings)
    window.show()
    gui._windows[:] = [window]
    yield window
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    for win in gui._windows:
        win.close()
        win.deleteLater()
    gui._windows.clear()


# -- collecting what a user can read -------------------------------------------------------------------
def _strip_html(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text or "")


def _header_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None or not isinstance(view, QTableView):  # lists and trees here show no header
        return []
    return [
        str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        for c in range(model.columnCount())
    ]


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every user-facing string of `root` and its children (table cells excluded)."""
    found: list[tuple[str, str]] = []

    def add(widget, kind: str, text) -> None:
        if text:
            found.append((f"{type(widget).__name__}:{widget.objectName()}:{kind}", str(text)))

    for w in [root, *root.findChildren(QWidget)]:
        if w.isWindow() or isinstance(w, QToolBar):
            add(w, "windowTitle", w.windowTitle())
        add(w, "toolTip", _strip_html(w.toolTip()))
        if isinstance(w, QLabel):
            add(w, "text", _strip_html(w.text()))
        elif isinstance(w, QAbstractButton):
            add(w, "text", w.text())
        elif isinstance(w, QLineEdit):
            add(w, "placeholder", w.placeholderText())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, f"item{i}", w.itemText(i))
            if isinstance(w.lineEdit(), QLineEdit):
                add(w, "placeholder", w.lineEdit().placeholderText())
        elif isinstance(w, QGroupBox):
            add(w, "title", w.title())
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(w, f"tab{i}", w.tabText(i))
                add(w, f"tabToolTip{i}", w.tabToolTip(i))
        elif isinstance(w, QMenu):
            add(w, "title", w.title())
        elif isinstance(w, QTextBrowser):
            add(w, "text", w.toPlainText())
        elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
            add(w, "suffix", w.suffix())
            add(w, "prefix", w.prefix())
        if isinstance(w, QAbstractSpinBox):
            add(w, "special", w.specialValueText())
        if isinstance(w, QAbstractItemView) and not isinstance(w, QMenu):
            for i, text in enumerate(_header_texts(w)):
                add(w, f"header{i}", text)
        if isinstance(w, QWizard):
            for button in WIZARD_BUTTONS:
                add(w, f"button{int(button.value)}", w.buttonText(button))
            for page_id in w.pageIds():
                add(w.page(page_id), "title", w.page(page_id).title())
                add(w.page(page_id), "subTitle", w.page(page_id).subTitle())
        if isinstance(w, QMainWindow):
            add(w, "status", w.statusBar().currentMessage())
    for action in root.findChildren(QAction):
        add(action, "text", action.text())
        add(action, "toolTip", action.toolTip() if action.toolTip() != action.text().replace("&", "") else "")
        if action.menu() is not None:
            add(action.menu(), "title", action.menu().title())
    return found


def untranslated(root: QWidget, data: set[str]) -> list[tuple[str, str]]:
    """The texts that still hold CJK characters once the data strings are taken out."""
    ordered = sorted((d for d in data | ENDONYMS if d), key=len, reverse=True)
    left = []
    for where, text in visible_texts(root):
        rest = text
        for d in ordered:
            rest = rest.replace(d, "")
        if CJK.search(rest):
            left.append((where, text))
    return left


# -- the store with some data ----------------------------------------------------------------------------
def _populate(tmp_path: Path, db, station) -> tuple[set[str], Path]:
    """Four students imported from a CSV; returns every data string and the file (for the import dialog)."""
    from app.services.roster.importer import RosterImporter
    from app.services.roster.stations import StationService

    rows = students(4)
    path = write_csv(tmp_path / "花名册.csv", rows)
    RosterImporter(db.sessions, "测试员").import_file(path, station.id)
    st = StationService(db.sessions, "测试员").get(station.id)
    data = {str(v) for row in rows for v in row.values()} | {str(k) for k in rows[0]}
    data |= {st.name, st.school_name, st.school_code, st.default_school_type, path.name, path.stem}
    data |= {d.get("label", "") for d in st.dept_codes} | {
        f"{d['code']} {d.get('label', '')}" for d in st.dept_codes
    }
    return data, path


def _switch(qtbot, window, language: str):
    """Through the Preferences dialog, as a user does: the window is rebuilt in the new language."""
    from app.ui import main_window as gui

    dialog = window.edit_preferences()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData(language))
    dialog.save()
    qtbot.waitUntil(lambda: gui._windows and gui._windows[0] is not window, timeout=3000)
    return gui._windows[0]


def _check(qtbot, widget, data: set[str], what: str) -> None:
    QApplication.processEvents()  # pending relayouts and text changes, before the widgets are read
    left = untranslated(widget, data)
    assert not left, f"untranslated in {what}:\n" + "\n".join(f"  {w}: {t!r}" for w, t in left)


def _check_tabs(qtbot, window, data: set[str]) -> None:
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        _check(qtbot, window, data, f"tab {index}")
    assert not CJK.search(window.capture_tab.crop_view.message)


def _check_dialogs(qtbot, window, data: set[str], tmp_path: Path, roster_path: Path | None) -> None:
    for open_dialog, what in (
        (window.new_station, "new station"),
        (window.edit_preferences, "preferences"),
        (window.first_run, "first-run wizard"),
        (window.edit_presets, "presets"),
    ):
        dialog = open_dialog()
        _check(qtbot, dialog, data, what)
        dialog.close()
    for topic in ("capture", "proofing", "shortcuts", "about"):
        dialog = window.show_help(topic)
        _check(qtbot, dialog, data, f"help {topic}")
        dialog.close()
    if roster_path is None:
        return
    dialog = window.edit_station()
    _check(qtbot, dialog, data, "edit station")
    dialog.close()
    dialog = window.roster_tab.add_student()
    _check(qtbot, dialog, data, "add student")
    dialog.close()
    window.roster_tab.table.selectRow(0)
    dialog = window.roster_tab.edit_selected()
    _check(qtbot, dialog, data, "edit student")
    dialog.close()
    _check_import_dialogs(qtbot, window, data, tmp_path, roster_path)
    _check_bundle_dialog(qtbot, window, data, tmp_path)


def _check_bundle_dialog(qtbot, window, data, tmp_path: Path) -> None:
    """The station's own bundle imported back: nothing to change, the summary still in English."""
    from app.services.exchange.bundle import export_station, read_bundle
    from app.ui.admin.bundle_dialog import BundleImportDialog, merger_for

    station = window.stations.get(window.current_station_id())
    path = tmp_path / "station.zip"
    export_station(window.db.sessions, window.capture.store, station.name, str(path), "测试员")
    merger = merger_for(window.db, "测试员")
    bundle = read_bundle(str(path))
    dialog = BundleImportDialog(window, merger, bundle, merger.plan(bundle))
    dialog.show()
    _check(qtbot, dialog, data, "bundle import")
    dialog.close()


def _check_import_dialogs(qtbot, window, data, tmp_path: Path, roster_path: Path) -> None:
    from app.ui.admin.backup_dialog import BackupDialog
    from app.ui.capture.photo_import_dialog import PhotoImportDialog
    from app.ui.proofing.dialogs import DeadlineDialog, ErrorDialog

    tab = window.roster_tab
    dialog = tab.open_import_dialog(tab.importer.read(str(roster_path)))
    _check(qtbot, dialog, data, "roster import, mapping page")
    report = tab.importer.plan(dialog.roster, dialog.station_id, lambda *_: None, lambda: False)
    dialog._show_report(report, committed=False)
    _check(qtbot, dialog, data, "roster import, check page")
    dialog.close()
    results = tmp_path / "校对结果.csv"
    results.write_text(
        "学号,校对结果\n" + "".join(f"{r.student_no},正确\n" for r in tab.model._rows), encoding="utf-8"
    )
    dialog = window.proofing_tab.open_import(str(results))
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)  # read in the background
    _check(qtbot, dialog, data | {results.name, results.stem, "学号", "校对结果"}, "proofing results import")
    dialog.run_import()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20000)  # written in the background runner
    _check(
        qtbot,
        dialog,
        data | {results.name, results.stem, "学号", "校对结果"},
        "proofing results import, done",
    )
    dialog.close()
    for dialog, what in (
        (ErrorDialog(window, 2), "error dialog"),
        (DeadlineDialog(window, [2026], print), "deadline dialog"),
        (PhotoImportDialog(window, window.capture, tab.station_id, str(tmp_path)), "photo folder import"),
        (BackupDialog(window, window.db.url), "backups"),
    ):
        dialog.show()
        _check(qtbot, dialog, data, what)
        dialog.close()


# -- the tests ------------------------------------------------------------------------------------------
def test_english_on_an_empty_store_and_back(qtbot, main_window, tmp_path):
    window = _switch(qtbot, main_window, "en")
    assert window.tabs.tabText(0) == "Roster"
    _check_tabs(qtbot, window, set())
    _check_dialogs(qtbot, window, set(), tmp_path, None)
    window = _switch(qtbot, window, "zh_CN")
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == CHINESE_TABS


def test_english_with_a_station_and_students_and_back(qtbot, db, settings, station, tmp_path):
    from app.ui import main_window as gui
    from app.ui.main_window import MainWindow

    data, roster_path = _populate(tmp_path, db, station)
    chinese = MainWindow(db, settings)
    chinese.show()
    gui._windows[:] = [chinese]
    try:
        chinese.tabs.setCurrentIndex(2)
        window = _switch(qtbot, chinese, "en")
        assert window.current_station_id() == station.id and window.tabs.currentIndex() == 2
        assert window.roster_tab.model.rowCount() == 4
        _check_tabs(qtbot, window, data)
        _check_dialogs(qtbot, window, data, tmp_path, roster_path)
        window = _switch(qtbot, window, "zh_CN")
        assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == CHINESE_TABS
        assert window.current_station_id() == station.id
    finally:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(5000)
        for win in gui._windows:
            win.close()
            win.deleteLater()
        gui._windows.clear()


def test_the_translation_file_is_complete():
    """Every message has a finished English translation keeping its %n placeholders and & accelerators."""
    root = ET.parse(TS).getroot()
    problems = []
    count = 0
    for message in root.iter("message"):
        count += 1
        source = message.findtext("source") or ""
        translation = message.find("translation")
        text = translation.text or ""
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not text.strip():
            problems.append(("unfinished", source))
        elif sorted(re.findall(r"%\d", source)) != sorted(re.findall(r"%\d", text)):
            problems.append(("placeholders", source))
        elif ("(&" in source) != ("&" in text.replace("&amp;", "")):
            problems.append(("accelerator", source))
        elif CJK.search(text):
            problems.append(("CJK left", source))
    assert count > 400 and not problems, problems


def test_language_follows_the_setting_then_the_system_locale():
    from PySide6.QtCore import QLocale

    from app.ui.i18n import resolve_language

    china, us = QLocale(QLocale.Language.Chinese, QLocale.Country.China), QLocale(QLocale.Language.English)
    assert resolve_language("en", china) == "en"
    assert resolve_language("zh_CN", us) == "zh_CN"
    assert resolve_language("", china) == "zh_CN"
    assert resolve_language("", us) == "en"
    assert resolve_language(None, QLocale(QLocale.Language.German)) == "en"
    assert resolve_language("", QLocale.c()) == "zh_CN"  # a bare C locale keeps the interface's own language


def test_the_built_translation_loads():
    from PySide6.QtCore import QCoreApplication

    from app.ui.i18n import install_translators

    installed = install_translators(QApplication.instance(), "en")
    assert installed and QCoreApplication.translate("MainWindow", "照片裁剪") == "Photo Cropping"
    install_translators(QApplication.instance(), "zh_CN")
    assert QCoreApplication.translate("MainWindow", "照片裁剪") == "照片裁剪"
