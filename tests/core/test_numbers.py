from decimal import Decimal

import pytest

from motcua.core.numbers import decimal_vi, percent


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (3 / 7, "42,9 %"),
        (0.9996, "100,0 %"),
        (0.99949, "99,9 %"),
        (0.00049, "0,0 %"),
        (1, "100,0 %"),
        (Decimal("0.8"), "80,0 %"),
    ],
)
def test_percent_rounds_half_up_with_a_decimal_comma(ratio, text):
    assert percent(ratio) == text


def test_half_up_on_the_printed_value_not_the_binary_float():
    assert decimal_vi(2.25, 1) == "2,3"  # round() and format() give 2.2 (half to even)
    assert decimal_vi(0.125, 2) == "0,13"
    assert decimal_vi(-0.04, 1) == "0,0"
    assert decimal_vi(12, 2) == "12,00"
    assert percent(3 / 7, digits=2) == "42,86 %"
