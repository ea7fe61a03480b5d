"""Numbers as a class reads them: one formatter for tables, captions, diagrams, the page and errors.

Three promises, kept here once so no view can break them: the same default digits everywhere
(``DIGITS``); never ``-0.00`` (a rounded zero has no sign); a negative operand in brackets
where precedence needs them, so ``(-3.00) ** 2`` never reads as -9. ``product(..., exact=True)``
shows as many digits as it takes for the displayed multiplication to check out by hand.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

from .i18n import Text, error

DIGITS = 2  # decimals shown by default, by every view
MAX_DIGITS = 12  # float64 carries about 16 significant digits; more would show noise


def check_digits(digits: int | None, where: str = "digits") -> int:
    """``digits`` as a number of decimals (None means DIGITS), or a ValueError naming it."""
    if digits is None:
        return DIGITS
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= MAX_DIGITS:
        message = Text("{setting} must be a whole number from 0 to {most}, got {value}",
                       setting=where, most=MAX_DIGITS, value=repr(digits))
        raise error(ValueError, message)
    return digits


def num(x: float, digits: int | None = None) -> str:
    """``x`` with ``digits`` decimals: ``0.73``, ``-0.20``; a rounded zero is ``0.00``."""
    d = check_digits(digits)
    x = float(x)
    if not math.isfinite(x):
        return "nan" if x != x else ("inf" if x > 0 else "-inf")
    text = f"{x:.{d}f}"
    if text[0] == "-" and float(text) == 0.0:  # -0.001 at 2 digits: the sign would be a lie
        text = text[1:]
    return text


def operand(x: float, digits: int | None = None) -> str:
    """``num(x)``, in brackets when negative: for operands where precedence needs them."""
    text = num(x, digits)
    return f"({text})" if text[0] == "-" else text


def _trim(text: str) -> str:
    """``2.0000`` -> ``2``, ``0.3900`` -> ``0.39``: exact mode shows no padding zeros."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def product(a: float, b: float, out: float, digits: int | None = None,
            exact: bool = False) -> tuple[str, str, str]:
    """The three numbers of a line ``a × b = out`` (``b`` bracketed when negative).

    With ``exact=True`` the operands get the fewest decimals (at least ``digits``) for which
    the product of the displayed operands, rounded to the displayed digits, is the displayed
    result: ``0.1966 × 2 = 0.3932`` rather than ``0.20 × 2.00 = 0.39``.
    """
    d = check_digits(digits)
    if not exact or not all(map(math.isfinite, (a, b, out))):
        return num(a, d), operand(b, d), num(out, d)
    for places in range(d, MAX_DIGITS + 1):
        shown_a, shown_b, shown_out = num(a, places), num(b, places), num(out, places)
        quantum = Decimal(1).scaleb(-places)
        by_hand = (Decimal(shown_a) * Decimal(shown_b)).quantize(quantum, ROUND_HALF_EVEN)
        if by_hand == Decimal(shown_out):
            break
    shown_b = _trim(shown_b)
    return _trim(shown_a), f"({shown_b})" if shown_b[0] == "-" else shown_b, _trim(shown_out)
