"""The one number formatter: expected strings typed out by hand."""

import math
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from words import DIGITS, MAX_DIGITS, check_digits, localize, num, operand, product


def test_default_digits_are_two():
    assert DIGITS == 2
    assert num(0.7310585786) == "0.73"


@pytest.mark.parametrize("x, digits, text", [
    (-3.0, 2, "-3.00"), (9.0, 2, "9.00"), (-0.001, 2, "0.00"), (-0.0, 2, "0.00"),
    (-0.004999, 2, "0.00"), (-0.005001, 2, "-0.01"), (-0.2, 0, "0"), (-0.6, 0, "-1"),
    (0.19661193, 4, "0.1966"), (math.inf, 2, "inf"), (-math.inf, 2, "-inf"),
    (math.nan, 2, "nan"), (1e-13, 12, "0.000000000000"), (-1e-13, 12, "0.000000000000"),
])
def test_num(x, digits, text):
    assert num(x, digits) == text


@pytest.mark.parametrize("x, text", [(-3.0, "(-3.00)"), (2.0, "2.00"), (-0.0001, "0.00"),
                                     (-0.0, "0.00")])
def test_operand_brackets_negative_numbers_only(x, text):
    assert operand(x) == text


def test_product_rounded_does_not_check_out_but_exact_does():
    # The example: upstream 0.19661193 (CS231n's sigmoid gate), local 2.
    assert product(0.19661193, 2.0, 0.39322386) == ("0.20", "2.00", "0.39")
    assert product(0.19661193, 2.0, 0.39322386, exact=True) == ("0.1966", "2", "0.3932")


def test_product_brackets_a_negative_factor_and_never_shows_minus_zero():
    assert product(-1.0, 0.0, -0.0) == ("-1.00", "0.00", "0.00")
    assert product(0.2, -1.5, -0.3) == ("0.20", "(-1.50)", "-0.30")
    assert product(0.2, -1.5, -0.3, exact=True) == ("0.2", "(-1.5)", "-0.3")


@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
@example(403.0, 325.38017769267026)  # the search ends at MAX_DIGITS; trimming hid that
def test_exact_products_check_out_by_hand(a, b):
    shown_a, shown_b, shown_out = product(a, b, a * b, exact=True)
    shown_b = shown_b.strip("()")
    places = max(len(s.partition(".")[2]) for s in (shown_a, shown_b, shown_out))
    checks_out = round(Decimal(shown_a) * Decimal(shown_b), places) == Decimal(shown_out)
    # Or the search reached MAX_DIGITS, where float64 itself is no longer exact: then all three
    # numbers are shown to MAX_DIGITS decimals. Padding zeros are trimmed from the strings, so
    # that is read from the numbers, not from the length of the strings.
    quantum = Decimal(1).scaleb(-MAX_DIGITS)
    at_max_digits = all(Decimal(shown) == Decimal(x).quantize(quantum, ROUND_HALF_EVEN)
                        for shown, x in ((shown_a, a), (shown_b, b), (shown_out, a * b)))
    assert checks_out or at_max_digits


def test_an_exact_product_float64_cannot_carry_stops_at_max_digits():
    """Found by hypothesis: 403 × 325.38017769267026 = 131128.2116101461 in float64, but the
    displayed operands multiply out to 131128.21161014601; at 12 decimals the float product
    itself is not exact, so the search ends at MAX_DIGITS and shows that (zeros trimmed)."""
    assert MAX_DIGITS == 12
    assert product(403.0, 325.38017769267026, 403.0 * 325.38017769267026, exact=True) == (
        "403", "325.38017769267", "131128.2116101461")


@pytest.mark.parametrize("bad", [-1, 13, 2.0, True, "2"])
def test_bad_digits_are_named(bad):
    with pytest.raises(ValueError, match=r"digits must be a whole number from 0 to 12, got") as e:
        num(1.0, bad)
    assert repr(bad) in str(e.value)
    assert "必须是 0 到 12 之间的整数" in localize(e.value, "zh")


def test_check_digits_names_the_setting():
    assert check_digits(None) == 2
    with pytest.raises(ValueError, match=r"^--digits must be"):
        check_digits(-1, "--digits")


def test_exact_places_is_one_number_of_decimals_for_a_whole_display():
    from words import exact_places, trimmed

    up = 0.19661193324148185  # sigmoid'(1), the CS231n upstream
    # alone, up × 1 = up checks out at 2 decimals (0.20 × 1.00 = 0.20); with up × (-2) beside
    # it (0.20 × (-2.00) = -0.40, not -0.39) the display needs 4, for every line
    assert exact_places([(up, 1.0, up)], 2) == 2
    assert exact_places([(up, 1.0, up), (up, -2.0, -2 * up)], 2) == 4
    assert exact_places([], 3) == 3
    # sums too: 0.12 + 0.12 is not 0.25; 0.125 + 0.125 = 0.250
    assert exact_places([(0.125, 0.125, 0.25, "+")], 2) == 3
    assert exact_places([(1.5, 0.25, 1.25, "-")], 0) == 2
    assert trimmed(-2.0, 4) == "-2" and trimmed(up, 4) == "0.1966" and trimmed(-1e-9, 4) == "0"
