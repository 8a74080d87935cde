"""Exporting a station bundle whose students have enrolment photos (face data, carried only when encrypted): a
warning before a plain export offering the passphrase, and the message after saying how many were left out."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services.exchange.crypto import MAGIC
from app.ui.admin.bundle_dialog import export_bundle
from app.ui.admin.passphrase_dialog import PassphraseDialog
from tests.bundle_data import STATION, add_enrolment, enrolment_jpeg, make_station_store

SECRET = "station passphrase"


@pytest.fixture
def station(tmp_path):
    """Four students, two photographed; enrolment photos for the first three."""
    from sqlalchemy import select

    from app.models import Student

    db = make_station_store(tmp_path / "station", count=4, photos=2)
    with db.sessions() as s:
        numbers = list(s.scalars(select(Student.student_no).order_by(Student.shot_no)))
    for shade, no in zip((40, 120, 200), numbers[:3]):
        add_enrolment(db, tmp_path / "in", no, enrolment_jpeg(shade))
    yield db
    db.dispose()


def _answers(monkeypatch, *how):
    """The passphrase dialog answered in turn: "plain" unticks encryption, "seal" types the passphrase."""
    asked = list(how)

    def answer(self):
        what = asked.pop(0)
        if what == "plain":
            self.encrypt.setChecked(False)
        else:
            assert self.encrypt.isChecked()  # asked again: encryption on
            self.first.setText(SECRET)
            self.second.setText(SECRET)
        return PassphraseDialog.DialogCode.Accepted

    monkeypatch.setattr(PassphraseDialog, "exec", answer)
    return asked


def _question(monkeypatch, button):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or button))
    return asked


def test_a_plain_export_warns_first_and_then_says_how_many_were_left_out(
    qtbot, station, tmp_path, monkeypatch, message_boxes
):
    left = _answers(monkeypatch, "plain")
    asked = _question(monkeypatch, QMessageBox.StandardButton.No)  # 否: export without encryption
    out = tmp_path / "plain.zip"
    export_bundle(None, station, STATION, "站点员", path=str(out))
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    assert left == [] and len(asked) == 1
    assert "本学习中心有 3 名学生的录取照片" in asked[0] and "设置口令加密后再导出吗" in asked[0]
    assert not out.read_bytes().startswith(MAGIC)
    kind, text = message_boxes[-1]
    assert kind == "information" and text.startswith("数据包已导出")
    assert "注意：3 名学生的录取照片属于人脸信息，只随加密的数据包交换，本数据包未携带" in text
    assert "已加密）" not in text


def test_yes_asks_for_a_passphrase_and_the_photos_travel_sealed(
    qtbot, station, tmp_path, monkeypatch, message_boxes
):
    left = _answers(monkeypatch, "plain", "seal")
    asked = _question(monkeypatch, QMessageBox.StandardButton.Yes)
    out = tmp_path / "sealed.gpb"
    export_bundle(None, station, STATION, "站点员", path=str(out))
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    assert left == [] and len(asked) == 1  # the passphrase dialog came a second time
    assert out.read_bytes().startswith(MAGIC)
    text = message_boxes[-1][1]
    assert "含 3 名学生的录取照片（人脸信息，已加密）" in text
    assert "未携带" not in text and "数据包未加密" not in text


def test_cancel_at_the_warning_exports_nothing(qtbot, station, tmp_path, monkeypatch, message_boxes):
    _answers(monkeypatch, "plain")
    _question(monkeypatch, QMessageBox.StandardButton.Cancel)
    out = tmp_path / "none.zip"
    export_bundle(None, station, STATION, "站点员", path=str(out))
    qtbot.wait(200)
    assert not out.exists() and message_boxes == []


def test_no_warning_for_a_station_without_enrolment_photos(qtbot, tmp_path, monkeypatch, message_boxes):
    db = make_station_store(tmp_path / "bare", count=3, photos=1)
    _answers(monkeypatch, "plain")
    asked = _question(monkeypatch, QMessageBox.StandardButton.Cancel)
    out = tmp_path / "bare.zip"
    export_bundle(None, db, STATION, "站点员", path=str(out))
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=10000)
    db.dispose()
    assert asked == [] and out.is_file()
    assert "录取照片" not in message_boxes[-1][1]
