"""人民币大写 as a remittance form writes it; the expected texts are written out by hand."""

from decimal import Decimal

import pytest

from app.services.delivery.fees import rmb_upper


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("10500", "壹万零伍佰元整"),
        ("100500", "壹拾万零伍佰元整"),
        ("10005", "壹万零伍元整"),
        ("100000", "壹拾万元整"),
        ("1010", "壹仟零壹拾元整"),
        ("675", "陆佰柒拾伍元整"),
        ("1.05", "壹元零伍分"),
        ("12340.50", "壹万贰仟叁佰肆拾元伍角整"),
        ("0", "零元整"),
    ],
)
def test_amount_in_words(amount, text):
    assert rmb_upper(Decimal(amount)) == text
