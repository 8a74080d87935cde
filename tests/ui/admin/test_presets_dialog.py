"""Presets: the shipped ones are read-only; a duplicate can be changed, is validated, and is used by the engine."""

from __future__ import annotations

import pytest

from app.services.photo import list_presets, load_preset
from app.services.photo.presets import set_user_presets_dir


@pytest.fixture
def user_presets(tmp_path):
    set_user_presets_dir(tmp_path / "presets")
    yield tmp_path / "presets"
    set_user_presets_dir(None)


def test_duplicate_edit_validate_and_use(qtbot, window, user_presets):
    dialog = window.edit_presets()
    assert not dialog.save_button.isEnabled()  # a shipped preset is read-only
    dialog.list_view.setCurrentIndex(dialog.names.index(list_presets().index("chsi-2017-480x640")))
    name = dialog.duplicate("agency-x-480x640")
    assert name in list_presets() and dialog.save_button.isEnabled()
    dialog.max_kb.setValue(40)
    dialog.naming_edit.setText("{id_number}.jpg")
    assert dialog.save()
    preset = load_preset("agency-x-480x640")
    assert preset.max_kb == 40 and preset.naming == ("{id_number}.jpg",) and preset.width == 480
    dialog.chin_spin.setValue(10)  # chin above the crown
    assert not dialog.save() and dialog.error_label.text()
    dialog.crown_spin.setValue(80)
    dialog.chin_spin.setValue(410)
    dialog.naming_edit.setText("photo.jpg")  # no field: every photo would get the same name
    assert not dialog.save() and "字段" in dialog.error_label.text()
    dialog.naming_edit.setText("{shot_no}.png")  # the files are JPEG, as packaging checks
    assert not dialog.save() and ".jpg" in dialog.error_label.text()
    dialog.naming_edit.setText("{exam_no}.jpg")  # not a roster field
    assert not dialog.save() and "exam_no" in dialog.error_label.text()
    assert dialog.duplicate("legacy-192x144") is None  # a shipped name cannot be taken
    dialog.list_view.setCurrentIndex(dialog.names.index(list_presets().index("agency-x-480x640")))
    dialog.delete()
    assert "agency-x-480x640" not in list_presets()
    dialog.close()
