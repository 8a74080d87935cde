"""GB 2312 区位码 for the capture card; the expected codes are read off the GB 2312 table by hand
(艾 B0AC → 16 12, 力 C1A6 → 33 06, 买 C2F2 → 34 82)."""

import pytest

from app.services.standards.gbcode import letter_positions, name_codes, quwei


@pytest.mark.parametrize("dot", ["·", "•", "・", "．"])
def test_every_separator_variant_is_left_out_of_the_count(dot):
    codes = name_codes(f"艾力{dot}买买")
    assert not codes.handwrite
    assert codes.codes == "1612 3306 3482 3482"


def test_quwei_of_known_characters():
    assert quwei("啊") == "1601"  # the first character of GB2312
    assert quwei("张") == "5337" and quwei("鑫") == "8646" and quwei("齄") == "8794"  # the last one
    assert quwei("A") is None


def test_character_outside_gb2312_gets_0000_and_pinyin():
    codes = name_codes("张喆")
    assert codes.codes == "5337 0000"
    assert codes.chars[1].missing and codes.chars[1].pinyin == "zhe"
    assert codes.pinyin_notes == "喆 zhe"
    assert not name_codes("李娜").pinyin_notes


def test_a_rare_character_without_known_pinyin_asks_for_a_hand_written_note():
    # U+201D4 (CJK Extension B) is outside GB2312 and unknown to the pinyin dictionary
    codes = name_codes("陈\U000201d4")
    assert codes.codes == "1934 0000"  # 陈 = GB2312 0xB3C2 → 区 19, 位 34
    assert codes.pinyin_notes == "\U000201d4 需手工注音"


def test_names_longer_than_four_characters_are_hand_written():
    assert name_codes("扎西顿珠").codes.count(" ") == 3  # four characters: coded
    long_name = name_codes("艾力·买买提")  # five without the separator
    assert long_name.handwrite and long_name.codes == ""
    assert not name_codes("艾力·买买").handwrite  # the · is not counted


def test_letter_positions_in_numbers():
    assert letter_positions("41010519491231002X") == [18]
    assert letter_positions("2023A0001") == [5]
    assert letter_positions("2023000001") == []
