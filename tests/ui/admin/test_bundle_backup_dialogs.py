"""GUI: the bundle conflict dialog (decide per row, merge in the background) and the backup dialog."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool
from sqlalchemy import select

from app.models import Student
from app.paths import photo_store_for
from app.services.exchange.bundle import export_station, read_bundle
from app.ui.admin.bundle_dialog import BUNDLE, LOCAL, BundleImportDialog, import_bundle, merger_for
from tests.bundle_data import STATION, make_station_store


def _edit(db, student_no, **values):
    with db.sessions.begin() as s:
        st = s.scalars(select(Student).where(Student.student_no == student_no)).one()
        for k, v in values.items():
            setattr(st, k, v)


def _major(db, student_no):
    with db.sessions() as s:
        return s.scalars(select(Student.major).where(Student.student_no == student_no)).one()


def test_conflicts_are_decided_row_by_row(qtbot, db, tmp_path, message_boxes):
    station = make_station_store(tmp_path / "station", count=5, photos=1)
    export_station(station.sessions, photo_store_for(station), STATION, tmp_path / "b1.zip")
    merger = merger_for(db, "学院管理员")
    merger.apply(read_bundle(tmp_path / "b1.zip"))
    with station.sessions() as s:
        first, second = list(s.scalars(select(Student.student_no).order_by(Student.shot_no)))[:2]
    for no in (first, second):
        _edit(station, no, major="站点专业")
        _edit(db, no, major="学院专业")
    export_station(station.sessions, photo_store_for(station), STATION, tmp_path / "b2.zip")
    station.dispose()
    bundle = read_bundle(tmp_path / "b2.zip")
    dialog = BundleImportDialog(None, merger, bundle, merger.plan(bundle))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2 and not dialog.import_button.isEnabled()
    assert "学院专业" in dialog.model.index(0, 3).data() and "站点专业" in dialog.model.index(0, 4).data()
    dialog.view.selectRow(0)
    dialog.choose(BUNDLE, selected=True)
    assert not dialog.import_button.isEnabled()  # one row still undecided
    dialog.model.toggle(1)
    assert dialog.model.choices == {first: BUNDLE, second: LOCAL}
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.merged, timeout=10000) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].committed
    assert _major(db, first) == "站点专业" and _major(db, second) == "学院专业"
    assert any("数据包已导入" in text for _kind, text in message_boxes)
    QThreadPool.globalInstance().waitForDone(5000)


def test_a_damaged_bundle_shows_the_reason(qtbot, db, tmp_path, message_boxes):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 cut here")
    import_bundle(None, db, "学院管理员", path=str(bad))
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert "已损坏或不完整" in message_boxes[-1][1] and "未写入任何数据" in message_boxes[-1][1]


def test_backup_dialog_creates_and_requests_restore(qtbot, tmp_path, message_boxes):
    from app.ui.admin.backup_dialog import BackupDialog, restore_backup

    station = make_station_store(tmp_path, count=3, photos=0)
    url = station.url
    dialog = BackupDialog(None, url)
    qtbot.addWidget(dialog)
    dialog.create_backup()
    assert dialog.model.rowCount() == 1
    dialog.view.selectRow(0)
    with qtbot.waitSignal(dialog.restoreRequested) as blocker:
        dialog.request_restore()
    station.dispose()
    assert "已从备份" in restore_backup(url, blocker.args[0])


def test_restore_in_place_keeps_the_services_working(qtbot, db, station, importer, tmp_path):
    from app.services.common.backup import BackupService
    from app.services.roster.service import RosterService
    from app.ui.admin.backup_dialog import restore_in_place
    from tests.roster_files import students, write_xlsx

    importer.import_file(write_xlsx(tmp_path / "a.xlsx", students(3)), station.id)
    before = BackupService(db.sqlite_path).create("manual")
    importer.import_file(write_xlsx(tmp_path / "b.xlsx", students(8)), station.id)
    roster = RosterService(db.sessions)
    assert len(roster.rows(station.id)) == 8
    assert "已从备份" in restore_in_place(db, before.path)
    assert len(roster.rows(station.id)) == 3  # the same service object reads the restored file


def test_export_encrypts_by_default_and_import_asks_for_the_passphrase(
    qtbot, db, tmp_path, message_boxes, monkeypatch
):
    from app.services.exchange.crypto import MAGIC
    from app.ui.admin.bundle_dialog import export_bundle
    from app.ui.admin.passphrase_dialog import PassphraseDialog

    station = make_station_store(tmp_path / "station", count=3, photos=1)
    seen = []

    def answer(self):
        seen.append((self.exporting, self.encrypt.isChecked()))
        self.first.setText("station passphrase")
        self.second.setText("station passphrase")
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        assert ok.isEnabled()
        return PassphraseDialog.DialogCode.Accepted

    monkeypatch.setattr(PassphraseDialog, "exec", answer)
    out = tmp_path / "b.gpb"
    export_bundle(None, station, STATION, "站点员", path=str(out))
    qtbot.waitUntil(lambda: out.exists() and bool(message_boxes), timeout=10000)
    assert out.read_bytes().startswith(MAGIC) and seen == [(True, True)]  # encryption was on by default
    opened = []
    monkeypatch.setattr(BundleImportDialog, "open", lambda self: opened.append(self))
    import_bundle(None, db, "学院管理员", path=str(out))
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    dialog = opened[0]
    plain = dialog.bundle.plain_path
    assert seen[-1] == (False, True) and plain.is_file()
    with qtbot.waitSignal(dialog.merged, timeout=10000) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].committed
    dialog.done(0)
    assert not plain.exists()  # the decrypted copy goes with the dialog
    QThreadPool.globalInstance().waitForDone(5000)


def test_the_passphrase_dialog_refuses_short_or_unequal_passphrases(qtbot):
    from app.ui.admin.passphrase_dialog import PassphraseDialog

    dialog = PassphraseDialog(None, exporting=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.first.setText("short")
    assert not ok.isEnabled() and "至少" in dialog.problem.text()
    dialog.first.setText("long enough 1")
    dialog.second.setText("long enough 2")
    assert not ok.isEnabled() and "不一致" in dialog.problem.text()
    dialog.encrypt.setChecked(False)  # a plain bundle is still possible, on purpose
    assert ok.isEnabled() and dialog.passphrase() is None


def test_a_store_on_a_full_disk_is_not_offered_a_restore_at_start(qtbot, monkeypatch):
    """Start-up on a full disk: "cannot open", no 恢复 button (restoring would throw work away); a damaged
    store is still offered its backup."""
    from PySide6.QtWidgets import QMessageBox

    from app.services.common.backup import IntegrityResult
    from app.ui.admin import backup_dialog

    shown = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda parent, title, text, *a: shown.append((title, text)))
    )
    monkeypatch.setattr(
        backup_dialog,
        "startup_check",
        lambda url: IntegrityResult(
            False,
            "磁盘空间已满，无法打开数据库 g.sqlite（数据库本身没有损坏，不要恢复备份）",
            None,
            damaged=False,
        ),
    )
    assert backup_dialog.startup_integrity_prompt(None, "sqlite:///g.sqlite") is False
    assert shown == [
        ("无法打开数据库", "磁盘空间已满，无法打开数据库 g.sqlite（数据库本身没有损坏，不要恢复备份）")
    ]
