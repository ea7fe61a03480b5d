"""The checks nn's settings share: a number in a range, a count of steps, an L2 strength.

Each refusal names where it happened and the setting, with the value it got, before any work is
done (a refused setting leaves every parameter as it was).
"""

from __future__ import annotations

import math
from numbers import Real


def check_number(value: float, name: str, where: str, low: float = 0.0,
                 high: float = math.inf) -> None:
    """``value`` must be a real number in [low, high): NaN and infinity fail the comparison."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{where}: {name} must be a number, got {type(value).__name__} "
                        f"{value!r:.40}")
    if not (low <= value < high):
        raise ValueError(f"{where}: {name} must be in [{low}, {high}), got {value!r}")


def check_count(value: int, name: str, where: str) -> None:
    """``value`` must be a whole number of steps, at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where}: {name} must be a positive whole number of steps, "
                         f"got {value!r}")


def check_l2(alpha: float, where: str, name: str = "l2") -> None:
    """An L2 strength is a finite number >= 0: a negative one rewards large weights."""
    try:
        check_number(alpha, name, where)
    except ValueError:
        raise ValueError(f"{where}: {name} must be a finite number >= 0 (the strength of the "
                         f"penalty {name} · Σ w², e.g. 1e-4), got {alpha!r}; a negative one "
                         "rewards large weights") from None
