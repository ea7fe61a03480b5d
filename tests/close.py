"""How the tests compare floats, in one place.

``close``: equal to ``rel`` relative (Python's and V8's libm may differ in the last bit), with an
absolute ``floor`` for values that are a cancellation, near 0 by construction. ``relative``: the
relative difference itself, for a test that reports the worst. ``assert_close``: two sequences
element by element, naming the worst offender.
"""

from __future__ import annotations

import math


def relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def close(x: float, y: float, rel: float = 1e-12, floor: float = 0.0) -> bool:
    return x == y or abs(x - y) <= rel * max(abs(x), abs(y)) or abs(x - y) <= floor


def assert_close(ours, theirs, rtol: float = 1e-12, atol: float = 1e-15, what: str = ""):
    """Elementwise |a - b| <= rtol · max(|a|, |b|) + atol, with the worst offender reported."""
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs), f"{what}: {len(ours)} vs {len(theirs)} values"
    worst, where = 0.0, None
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert math.isfinite(a) and math.isfinite(b), f"{what}[{i}]: {a} vs {b}"
        excess = abs(a - b) - (rtol * max(abs(a), abs(b)) + atol)
        if excess > worst:
            worst, where = excess, i
    assert where is None, f"{what}[{where}]: {ours[where]!r} vs {theirs[where]!r}"
