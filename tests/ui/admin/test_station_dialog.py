"""The station dialog's 院校代码: seed 000's list as a searchable choice, any 5-digit code still accepted."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.services.roster.stations import StationData


@pytest.fixture
def dialog(qtbot):
    from app.ui.admin.station_dialog import StationDialog

    saved: list[StationData] = []

    def submit(data: StationData) -> None:
        from app.services.roster.stations import validate_station

        saved.append(validate_station(data))

    d = StationDialog(None, StationData(name="洛阳函授站"), submit, creating=True)
    d.saved = saved
    qtbot.addWidget(d)
    d.show()
    return d


def _matches(completer, prefix: str) -> list[str]:
    completer.setCompletionPrefix(prefix)
    model = completer.completionModel()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def _ok(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_the_seed_list_is_offered_by_code_or_by_part_of_a_name(dialog):
    assert len(dialog.school_codes) == 85  # every code of seed 000's appendix
    assert ("10459", "郑州大学") in {(c.code, c.name) for c in dialog.school_codes}
    found = _matches(dialog.code_completer, "郑州")
    assert len(found) == 18 and "10485 郑州航空工业管理学院" in found  # matched anywhere in the name
    assert _matches(dialog.code_completer, "1046") == [
        "10460 河南理工大学",
        "10462 郑州轻工业学院",
        "10463 河南工业大学",
        "10464 河南科技大学",
        "10465 中原工学院",
        "10466 河南农业大学",
        "10467 河南科技学院",
        "10469 郑州牧业工程高等专科学校",
    ]
    assert _matches(dialog.name_completer, "师范学院")[:2] == ["10477 信阳师范学院", "10478 周口师范学院"]


def test_choosing_a_school_fills_code_and_name(dialog, qtbot):
    qtbot.keyClicks(dialog.school_code_edit, "10475")
    dialog.code_completer.activated[str].emit("10475 河南大学")
    assert dialog.school_code_edit.text() == "10475" and dialog.school_name_edit.text() == "河南大学"
    dialog.name_completer.activated[str].emit("10459 郑州大学")
    assert (dialog.school_code_edit.text(), dialog.school_name_edit.text()) == ("10459", "郑州大学")
    _ok(dialog)
    assert [(d.school_code, d.school_name) for d in dialog.saved] == [("10459", "郑州大学")]


def test_any_five_digit_code_is_accepted_and_anything_else_is_named(dialog, qtbot):
    qtbot.keyClicks(dialog.school_code_edit, "1234")
    _ok(dialog)
    assert dialog.isVisible() and "院校代码应为 5 位数字" in dialog.error_label.text()
    assert dialog.saved == []
    dialog.school_code_edit.setText("10459 郑州大学")  # a chosen label left as shown: its code counts
    assert dialog.data().school_code == "10459"
    dialog.school_code_edit.clear()
    qtbot.keyClicks(dialog.school_code_edit, "99999")  # not on the list: still a valid code
    dialog.school_name_edit.setText("某省外院校")
    _ok(dialog)
    assert [(d.school_code, d.school_name) for d in dialog.saved] == [("99999", "某省外院校")]
    assert not dialog.isVisible()
