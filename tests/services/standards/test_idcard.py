import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.standards.idcard import IdNumberError, check_char, mask_id, parse_id_number


def test_known_good_numbers():
    a = parse_id_number("11010519491231002X")
    assert a.birth_date == dt.date(1949, 12, 31) and a.sex == "女"
    b = parse_id_number("440524188001010014")
    assert b.birth_date == dt.date(1880, 1, 1) and b.sex == "男"


def test_lower_case_x_is_normalised():
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


def test_spaces_and_full_width_digits_are_tolerated():
    assert parse_id_number(" 110105 19491231 002X ").number == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ").number == "11010519491231002X"


def test_fifteen_digit_number_is_upgraded():
    parsed = parse_id_number("110105491231002")
    assert parsed.number == "11010519491231002X"
    assert parsed.upgraded_from_15


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("110105194912310021", "校验位"),
        ("1101051949123100", "18 位"),
        ("110105194902300028", "出生日期不存在"),
        ("11010520991231002X", "不合理"),
        ("00010519491231002X", "地区码"),
        ("1101051949123100AX", "前 17 位"),
        ("", "为空"),
        (4.10105199001011e17, "科学计数法"),
    ],
)
def test_invalid_numbers_say_why(raw, fragment):
    with pytest.raises(IdNumberError) as info:
        parse_id_number(raw, today=dt.date(2026, 1, 1))
    assert fragment in str(info.value)
    assert "11010519491231" not in str(info.value)  # the message never repeats the number


def test_mask_hides_birth_date():
    assert mask_id("41010519900101123X") == "410105********123X"


def _iso7064_mod11_2(body: str) -> str:
    """The check character computed independently of the code under test: weights as powers of two."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(body))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.integers(0, 999),
    st.sampled_from(["110105", "410102", "440305", "530802"]),
)
def test_generated_valid_numbers_round_trip(birth, seq, region):
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    parsed = parse_id_number(body + _iso7064_mod11_2(body))
    assert parsed.birth_date == birth
    assert parsed.sex == ("男" if seq % 2 else "女")


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True)))
def test_any_input_gives_a_number_or_a_clear_error(raw):
    try:
        parsed = parse_id_number(raw)
    except IdNumberError as exc:
        assert str(exc)
    else:
        assert len(parsed.number) == 18


# Literal IDs, one for every check character; their check characters were computed outside this code base
# (ISO 7064 MOD 11-2 as GB 11643 defines it: (12 - Σ aᵢ·2^(17-i) mod 11) mod 11, 10 → X), with birth date
# and sex read off the digits by hand. 11010519491231002X is the standard's own example.
KNOWN_GOOD = [
    ("210102198302187290", dt.date(1983, 2, 18), "男"),
    ("650102199707029991", dt.date(1997, 7, 2), "男"),
    ("310104196302275482", dt.date(1963, 2, 27), "女"),
    ("420111199106244593", dt.date(1991, 6, 24), "男"),
    ("440106196606190594", dt.date(1966, 6, 19), "男"),
    ("410105199204020885", dt.date(1992, 4, 2), "女"),
    ("530802199602086456", dt.date(1996, 2, 8), "男"),
    ("110105198003136667", dt.date(1980, 3, 13), "女"),
    ("510107198707032468", dt.date(1987, 7, 3), "女"),
    ("330106197401188799", dt.date(1974, 1, 18), "男"),
    ("37020219810316431X", dt.date(1981, 3, 16), "男"),
    ("11010519491231002X", dt.date(1949, 12, 31), "女"),
]


def test_the_known_good_table_covers_every_check_character():
    assert {number[-1] for number, _, _ in KNOWN_GOOD} == set("0123456789X")


@pytest.mark.parametrize(("number", "birth", "sex"), KNOWN_GOOD)
def test_literal_known_good_numbers(number, birth, sex):
    parsed = parse_id_number(number)
    assert (parsed.number, parsed.birth_date, parsed.sex) == (number, birth, sex)
    assert check_char(number[:17]) == number[-1]


@pytest.mark.parametrize("number", [n for n, _, _ in KNOWN_GOOD])
def test_every_other_check_character_is_refused(number):
    for wrong in "0123456789X".replace(number[-1], ""):
        with pytest.raises(IdNumberError, match="校验位"):
            parse_id_number(number[:17] + wrong)
