"""gradcheck: backward's gradients against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from words import gradcheck_table

from . import errors
from .modes import no_grad
from .value import Value


@dataclass(frozen=True)
class GradcheckRow:
    name: str
    analytic: float  # from backward()
    numeric: float  # (f(x + h) - f(x - h)) / 2h
    abs_error: float
    rel_error: float  # |analytic - numeric| / max(|analytic|, |numeric|)
    passed: bool


@dataclass(frozen=True)
class GradcheckResult:
    rows: tuple[GradcheckRow, ...]

    passed = property(lambda self: all(r.passed for r in self.rows))
    def __bool__(self) -> bool: return self.passed  # `if gradcheck(...):` reads as it says
    def __str__(self) -> str: return gradcheck_table(self.rows, self.passed)


def gradcheck(f: Callable[..., Value], inputs: Sequence[float | Value], h: float = 1e-6,
              rtol: float = 1e-6, atol: float = 1e-8) -> GradcheckResult:
    """Compare d f / d input from backward() with central differences, input by input.

    ``f`` takes one Value per input and returns a Value. The inputs may be numbers or Values
    (their labels name the rows); gradcheck works on fresh copies and leaves them untouched.
    An input passes when its relative error is at most ``rtol`` or its absolute error at most
    ``atol`` (for gradients near zero, where a relative error means nothing).
    """
    errors.check_tolerances(h=h, rtol=rtol, atol=atol)
    if len(inputs) == 0:  # all() of no rows would say "passed" having checked nothing
        raise ValueError("gradcheck: inputs is empty; pass the numbers or Values to check")
    points = [x.data if isinstance(x, Value) else Value(x).data for x in inputs]  # checks them
    names = [x.label if isinstance(x, Value) and x.label else f"x{i}" for i, x in enumerate(inputs)]

    def evaluate(values: list[float]) -> tuple[list[Value], Value]:
        leaves = [Value(v, label=n) for v, n in zip(values, names)]
        out = f(*leaves)
        if not isinstance(out, Value):
            raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
        return leaves, out

    leaves, out = evaluate(points)
    out.backward()
    rows = []
    with no_grad():
        for i, leaf in enumerate(leaves):
            up, down = list(points), list(points)
            up[i] += h
            down[i] -= h
            numeric = (evaluate(up)[1].data - evaluate(down)[1].data) / (2 * h)
            abs_error = abs(leaf.grad - numeric)
            scale = max(abs(leaf.grad), abs(numeric))
            rel_error = abs_error / scale if scale > 0 else 0.0
            passed = rel_error <= rtol or abs_error <= atol
            rows.append(GradcheckRow(names[i], leaf.grad, numeric, abs_error, rel_error, passed))
    return GradcheckResult(tuple(rows))
