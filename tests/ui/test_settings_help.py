"""Preferences, the first-run guide, help checklists and About."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from tests.roster_files import students, write_xlsx


def test_preferences_are_saved_and_applied(qtbot, window, settings):
    dialog = window.edit_preferences()
    dialog.operator_edit.setText("王老师")
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.preset_combo.setCurrentIndex(dialog.preset_combo.findData("chsi-2017-480x640"))
    dialog.remind_check.setChecked(False)
    dialog.save()
    assert settings.get("operator") == "王老师" and settings.get("theme") == "dark"
    assert settings.get("remind_overdue") is False
    assert window.roster.operator == "王老师" and window.proofing.operator == "王老师"
    station_dialog = window.new_station()
    assert station_dialog.preset_combo.currentData() == "chsi-2017-480x640"
    station_dialog.close()


def test_first_run_creates_station_and_opens_import(qtbot, window, settings, tmp_path):
    roster = write_xlsx(tmp_path / "r.xlsx", students(5))
    wizard = window.first_run()
    wizard.operator_edit.setText("张老师")
    wizard.next()
    page = wizard.station_page
    wizard.next()  # no name: refused with a reason
    assert wizard.currentPage() is page and "名称" in page.error_label.text()
    page.name_edit.setText("新乡函授站")
    page.code_edit.setText("10472")
    wizard.next()
    wizard.roster_edit.setText(str(roster))
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: getattr(window.roster_tab, "current_dialog", None) is not None, timeout=10000)
    assert window.current_station_id() == wizard.station_id
    assert window.stations.get(wizard.station_id).school_code == "10472"
    assert settings.get("operator") == "张老师" and settings.get("first_run_done") is True


def test_help_pages(qtbot, window):
    for topic, words in (
        ("capture", "1/10"),
        ("proofing", "kefu@chsi.com.cn"),
        ("shortcuts", "Ctrl+I"),
        ("about", "PySide6"),
    ):
        dialog = window.show_help(topic)
        assert words in dialog.browser.toPlainText()
        dialog.close()


def test_overdue_reminder(qtbot, window, tmp_path):
    import datetime as dt

    from app.services.roster.stations import StationData

    station = window.stations.create(StationData(name="提醒站"))
    window.importer.import_file(write_xlsx(tmp_path / "r.xlsx", students(3)), station.id)
    window.proofing.set_deadline(station.id, dt.date.today() - dt.timedelta(days=1))
    assert window.remind_overdue() == 3
    assert "3 名学生" in window.statusBar().currentMessage()
