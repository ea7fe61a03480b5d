"""The gate table: every gate gategrad knows, defined once, as PyTorch's derivatives.yaml.

A row holds the gate's name, the symbol a diagram shows, the forward formula, the local
derivative for each input (formulas in the inputs ``a``, ``b``, the output ``out`` and a pow
gate's exponent ``p``), the sentence a teacher says, and the inputs it refuses. Everything else
reads it: Value's operators (kernels compiled below), step records, the numpy replay, the
lesson page's JavaScript, the README and the tests (a new row is checked without a new test).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from words import N_


def _sigmoid(a: float) -> float:  # exp(-|a|) never overflows; exp(-a) would for a << 0
    z = math.exp(-abs(a))
    return (1.0 if a >= 0 else z) / (1.0 + z)


# Helpers the formulas may call, as plain Python floats. The replay supplies numpy versions of
# the same names, so one formula string serves both.
SCALAR_FUNCTIONS: dict[str, Any] = {
    "exp": math.exp,
    "log": math.log,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda a: a if a > 0 else 0.0,
    "step": lambda a: 1.0 if a > 0 else 0.0,  # d relu / da; 0 at a == 0, as torch
    "maximum": lambda a, b: a if a >= b else b,
    # d max(a, b) / da: 1 where a wins, 0 where it loses, half each on a tie (as torch.maximum)
    "route": lambda a, b: 1.0 if a > b else (0.5 if a == b else 0.0),
    "is_int": lambda p: float(p).is_integer(),
    "inf": math.inf,
}


@dataclass(frozen=True)
class Check:
    """An input on which a gate is undefined: a condition, the error to raise, what to say."""

    when: str  # a formula in the gate's inputs, true when the gate must refuse
    error: type[Exception]
    says: str


@dataclass(frozen=True)
class Gate:
    """One row of the table. ``local[i]`` is d out / d inputs[i]. ``kernel(a[, b])``, compiled
    from the formula strings, gives ``(out, (local_a[, local_b]))``, or None where one of the
    checks holds or out is not finite (``errors.refused`` works out which, for the message)."""

    name: str
    symbol: str
    inputs: tuple[str, ...]
    forward: str
    local: tuple[str, ...]
    rule: str
    checks: tuple[Check, ...] = ()
    torch: str = ""  # the equivalent torch function, used only by the tests as an oracle
    param: float | None = None  # the exponent of a bound ``pow`` gate
    kernel: Callable[..., tuple | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # the source is our own table, never user input
        result = f"(out, ({', '.join(self.local)},)) if isfinite(out := {self.forward}) else None"
        refused = " or ".join(f"({c.when})" for c in self.checks)
        body = f"None if {refused} else {result}" if refused else result
        env = dict(SCALAR_FUNCTIONS, p=self.param, isfinite=math.isfinite)
        object.__setattr__(self, "kernel", eval(f"lambda {', '.join(self.inputs)}: {body}", env))

    @property
    def arity(self) -> int:
        return len(self.inputs)

    def __repr__(self) -> str:
        return f"Gate({self.name!r})" if self.param is None else f"Gate('pow', p={self.param:g})"


def make_gate(name: str, symbol: str, inputs, forward: str, local, rule: str,
              checks=(), torch: str = "") -> Gate:
    """A gate row from its formula strings; ``torch`` defaults to the gate's name."""
    return Gate(name, symbol, tuple(inputs), forward, tuple(local), rule, tuple(checks),
                torch or name)


# fmt: off
GATES: dict[str, Gate] = {g.name: g for g in [
    # -- arithmetic ----------------------------------------------------------------------------
    make_gate("add", "+", "ab", "a + b", ("1.0", "1.0"),
          N_("add distributes: each input receives the upstream gradient unchanged")),
    make_gate("sub", "-", "ab", "a - b", ("1.0", "-1.0"),
          N_("sub distributes with a sign: a receives the upstream gradient, "
             "b receives its negative")),
    make_gate("mul", "*", "ab", "a * b", ("b", "a"),
          N_("mul swaps: each input receives the upstream gradient times the other input")),
    # d(a/b)/db = -a/b² written as -out/b: b * b underflows to 0 for |b| < 1e-162 (say b = 1e-170)
    make_gate("div", "/", "ab", "a / b", ("1.0 / b", "-out / b"),
          N_("div: a receives upstream / b, b receives -upstream * a / b²"),
          [Check("b == 0", ZeroDivisionError, N_("division by zero: the divisor b is 0"))]),
    make_gate("neg", "neg", "a", "-a", ("-1.0",),
          N_("neg flips the sign of the upstream gradient")),
    # -- powers, exponentials, logarithms ------------------------------------------------------
    make_gate("pow", "**p", "a", "a ** p", ("p * a ** (p - 1) if p else 0.0",),
          N_("pow (number exponent p): the input receives upstream * p * a^(p-1)"),
          [Check("a == 0 and p < 0", ZeroDivisionError,
                 N_("0 cannot be raised to a negative power")),
           Check("a < 0 and not is_int(p)", ValueError,
                 N_("a negative base with a fractional exponent has no real value")),
           Check("a == 0 and 0 < p < 1", ValueError,
                 N_("the slope of a ** p is infinite at a = 0 for 0 < p < 1"))]),
    make_gate("pow_value", "**", "ab", "a ** b", ("b * a ** (b - 1)", "out * log(a)"),
          N_("pow (Value exponent b): a receives upstream * b * a^(b-1), "
             "b receives upstream * out * ln a"),
          [Check("a <= 0", ValueError,
                 N_("the base must be > 0 when the exponent is a Value (its gradient needs "
                    "ln a); for a fixed exponent write x ** 2"))], torch="pow"),
    make_gate("exp", "exp", "a", "exp(a)", ("out",),
          N_("exp: the local derivative is the output itself, exp(a)"),
          [Check("a > 709.78", OverflowError, N_("exp(a) overflows float64 for a > 709.78"))]),
    make_gate("log", "log", "a", "log(a)", ("1.0 / a",),
          N_("log: the input receives upstream / a"),
          [Check("a <= 0", ValueError, N_("input must be > 0"))]),
    # -- activations ---------------------------------------------------------------------------
    make_gate("tanh", "tanh", "a", "tanh(a)", ("1.0 - out * out",),
          N_("tanh: the local derivative is 1 - out²")),
    make_gate("sigmoid", "sigmoid", "a", "sigmoid(a)", ("out * (1.0 - out)",),
          N_("sigmoid: z(1 - z), the local derivative from the output z alone")),
    make_gate("relu", "relu", "a", "relu(a)", ("step(a)",),
          N_("relu gates: the upstream gradient passes where a > 0 and stops where a <= 0")),
    make_gate("max", "max", "ab", "maximum(a, b)", ("route(a, b)", "route(b, a)"),
          N_("max routes: the upstream gradient goes to the larger input (split evenly on a tie)"),
          torch="maximum"),
]}
# fmt: on


@functools.cache
def pow_gate(p: float) -> Gate:
    """The ``pow`` gate bound to one exponent: ``x ** 2`` uses ``pow_gate(2.0)``. The exponent
    is part of the gate (micrograd's ``**2``), not a node: one input, and a negative x is fine."""
    return replace(GATES["pow"], symbol=f"**{p:g}", param=p)
