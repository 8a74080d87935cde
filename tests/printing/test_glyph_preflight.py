"""A name with a character no installed font can print is flagged by the delivery pre-flight (before a form
prints a box); a rare character a font here does have is not."""

from __future__ import annotations

import pytest

from app.paths import photo_store_for
from app.printing.fonts import register_glyph_check, undrawable
from app.services.common import glyphs
from app.services.delivery.preflight import preflight
from app.services.delivery.source import load_delivery
from app.services.photo.presets import load_preset
from tests.delivery_data import add_photos, roster
from tests.roster_files import students

NO_FONT = "\U0003134a"  # CJK Extension G: no font of the chain has it
EXT_B = "\U0002a6a5"  # 𪚥, in HanaMinB / SimSun-ExtB


@pytest.fixture
def check(qapp):
    register_glyph_check()
    yield
    glyphs.set_check(None)


def test_a_name_no_font_can_print_is_flagged_and_named(check, db, station, importer, tmp_path):
    if not undrawable(NO_FONT):
        pytest.skip("a font here has CJK Extension G")
    rows = students(3)
    rows[0]["姓名"] = "王" + NO_FONT
    rows[1]["姓名"] = "陈" + EXT_B
    roster(importer, station, tmp_path, 3, rows)
    delivery = load_delivery(db.sessions, station.id)
    report = preflight(delivery, load_preset(delivery.station.default_preset))
    flagged = [w for w in report.warnings if w.kind == "glyph"]
    assert [w.name for w in flagged] == (
        ["王" + NO_FONT] if not undrawable(EXT_B) else ["王" + NO_FONT, "陈" + EXT_B]
    )
    assert f"“{NO_FONT}”本机没有字体能打印" in flagged[0].message


def test_without_the_printing_layer_nothing_is_claimed(db, station, importer, tmp_path):
    glyphs.set_check(None)
    rows = students(1)
    rows[0]["姓名"] = "王" + NO_FONT
    roster(importer, station, tmp_path, 1, rows)
    delivery = load_delivery(db.sessions, station.id)
    report = preflight(delivery, load_preset(delivery.station.default_preset))
    assert not [w for w in report.warnings if w.kind == "glyph"]


def test_the_cli_package_command_names_an_unprintable_character(
    qapp, db, station, importer, tmp_path, capsys
):
    from main import main

    if not undrawable(NO_FONT):
        pytest.skip("a font here has CJK Extension G")
    glyphs.set_check(None)  # the command registers the check itself
    rows = students(2)
    rows[1]["姓名"] = "王" + NO_FONT
    roster(importer, station, tmp_path, 2, rows)
    add_photos(db, photo_store_for(db), tmp_path, station.id, skip=(1,))  # 王… has a photo, 1 is refused
    code = main(
        ["export", "package", "--station", station.name, "--out", str(tmp_path / "pkg"), "--db", db.url]
    )
    err = capsys.readouterr().err
    glyphs.set_check(None)
    assert code == 2  # refused (student 1 has no photo); the warning is among what it lists
    assert f"“{NO_FONT}”本机没有字体能打印" in err


UYGHUR = "ئابدۇرېھىم"  # a name in Uyghur Arabic script


def _some_installed_font_has(ch: str) -> bool:
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    return any(QRawFont.fromFont(QFont(f)).supportsCharacter(ord(ch)) for f in QFontDatabase.families())


def test_a_script_qt_prints_with_a_system_font_is_not_flagged(qapp):
    """Past the chain Qt falls back to any installed font (DejaVu Sans has Arabic), and the PDF shows the name:
    the pre-flight must not tell the clerk no font can print it."""
    if not all(_some_installed_font_has(ch) for ch in UYGHUR):
        pytest.skip("no installed font has Arabic script")
    assert undrawable(UYGHUR) == []
    assert undrawable("王" + NO_FONT) in ([NO_FONT], [])  # still flagged where no font has it
    assert undrawable("王\ud800") == ["\ud800"]  # a broken character is not a name to print
