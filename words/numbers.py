"""Numbers as a class reads them: one formatter for tables, captions, diagrams, the page and errors.

Three promises, kept here once so no view can break them: the same default digits everywhere
(``DIGITS``); never ``-0.00`` (a rounded zero has no sign); a negative operand in brackets
where precedence needs them, so ``(-3.00) ** 2`` never reads as -9. ``product(..., exact=True)``
shows as many digits as it takes for the displayed multiplication to check out by hand.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
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


def trimmed(x: float, places: int) -> str:
    """``x`` at ``places`` decimals without padding zeros, as exact mode writes every number:
    ``-0.3932``, ``2``, ``0``."""
    return _trim(num(x, places))


_BY_HAND = {"*": lambda x, y: x * y, "+": lambda x, y: x + y, "-": lambda x, y: x - y}


def _checks_out(a: float, b: float, out: float, places: int, op: str = "*") -> bool:
    """Whether ``a op b = out`` with each number shown at ``places`` decimals works out by
    hand: the shown operands combined, rounded to ``places``, give the shown result."""
    quantum = Decimal(1).scaleb(-places)
    by_hand = _BY_HAND[op](Decimal(num(a, places)), Decimal(num(b, places)))
    return by_hand.quantize(quantum, ROUND_HALF_EVEN) == Decimal(num(out, places))


def exact_places(lines: Iterable[tuple], digits: int | None = None) -> int:
    """The fewest decimals, at least ``digits``, at which every line ``a × b = out`` of one
    display (items ``(a, b, out)``, or ``(a, b, out, op)`` with op ``"*"``, ``"+"`` or ``"-"``)
    works out by hand (MAX_DIGITS when none does). Exact mode shows every number of that
    display at these places, so one quantity reads the same in every row and line."""
    d = check_digits(digits)
    finite = [line for line in lines if all(map(math.isfinite, line[:3]))]
    return next((places for places in range(d, MAX_DIGITS + 1)
                 if all(_checks_out(*line[:3], places, *line[3:]) for line in finite)),
                MAX_DIGITS)


def product(a: float, b: float, out: float, digits: int | None = None,
            exact: bool = False) -> tuple[str, str, str]:
    """The three numbers of a line ``a × b = out`` (``b`` bracketed when negative).

    With ``exact=True`` the operands get the fewest decimals (at least ``digits``) for which
    the product of the displayed operands, rounded to the displayed digits, is the displayed
    result: ``0.1966 × 2 = 0.3932`` rather than ``0.20 × 2.00 = 0.39``. A display of several
    lines passes ``exact_places`` of all of them as ``digits``, so they share their places.
    """
    d = check_digits(digits)
    if not exact or not all(map(math.isfinite, (a, b, out))):
        return num(a, d), operand(b, d), num(out, d)
    places = exact_places([(a, b, out)], d)
    shown_b = trimmed(b, places)
    return trimmed(a, places), f"({shown_b})" if shown_b[0] == "-" else shown_b, trimmed(out,
                                                                                        places)
