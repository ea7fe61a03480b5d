"""The gate table: every gate gategrad knows, defined once, as PyTorch's derivatives.yaml.

A row holds the gate's name and symbol, the forward formula, the local derivative for each
input (formulas in the inputs ``a``, ``b``, the output ``out`` and a pow gate's exponent ``p``,
written in the language of ``engine.formulas``), the sentence a teacher says, the inputs it
refuses, and what else is said or done per gate: the Python operator or method that applies it,
whether it is linear, its health rule, its torch counterpart, its name in each language.

Everything else is derived from the rows: Value's operators and methods and the engine's
functions (``engine.value`` installs them), the command line's functions, step records, the
numpy replay, the lesson page's JavaScript, the README's tables and the tests' strategies. A
new gate is one row (``docs/adding-a-gate.md``); ``engine.registry`` adds one at run time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from words import N_

from .formulas import Check, Health, check_formula, compile_formula, scalar_function


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
    rule: str  # msgid, marked with N_()
    checks: tuple[Check, ...] = ()
    names: dict[str, str] = field(default_factory=dict, compare=False)  # {"en": .., "zh": ..}
    operator: str = ""  # Value's operator: "add" gives __add__ and __radd__, "neg" __neg__
    method: str = ""  # Value's method, and the command line's function: x.exp(), exp(x)
    function: str = ""  # the engine's function (default: the method's name)
    linear: bool = False  # out = Σ c·input with constant c (the replay folds these into W @ U)
    health: Health | None = None
    torch: str = ""  # the same function in torch, by dotted path: the tests' oracle
    param: float | None = None  # the exponent of a bound ``pow`` gate
    kernel: Callable[..., tuple | None] = field(init=False, repr=False, compare=False)
    unhealthy: Callable[..., bool] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where, names = f"{self.name} gate", [*self.inputs, "p"]  # p: pow_gate(p)'s exponent
        for text in self.local:
            check_formula(text, [*names, "out"], f"{where}: local derivative")
        check_formula(self.forward, names, f"{where}: forward")
        for c in self.checks:
            check_formula(c.when, names, f"{where}: check", kind="truth")
        # Composed only from the checked formulas above, and run with no builtins. A NaN or
        # infinite operand (.data assigned directly) is refused like a NaN constant.
        result = f"(out, ({', '.join(self.local)},)) if isfinite(out := {self.forward}) else None"
        refused = " or ".join([f"not isfinite({x})" for x in self.inputs]
                              + [f"({c.when})" for c in self.checks])
        body = f"None if {refused} else {result}"
        constants = {"p": self.param}
        object.__setattr__(self, "kernel", scalar_function(
            f"lambda {', '.join(self.inputs)}: {body}", constants))
        unhealthy = self.health and compile_formula(
            self.health.when, [*self.inputs, "out", "local"], f"{where}: health", constants,
            kind="truth")
        object.__setattr__(self, "unhealthy", unhealthy or None)

    @property
    def arity(self) -> int:
        return len(self.inputs)

    def title(self, lang: str = "en") -> str:
        """The gate's name as a class reads it: "mul gate", "乘法门" (English if untranslated)."""
        return self.names.get(lang) or self.names.get("en") or f"{self.name} gate"

    def __repr__(self) -> str:
        return f"Gate({self.name!r})" if self.param is None else f"Gate('pow', p={self.param:g})"


def make_gate(name: str, symbol: str, inputs, forward: str, local, rule: str, checks=(),
              torch: str = "", **columns) -> Gate:
    """A gate row from its formula strings; ``torch`` defaults to ``torch.<name>``."""
    return Gate(name, symbol, tuple(inputs), forward, tuple(local), rule, tuple(checks),
                torch=torch or f"torch.{name}", **columns)


# fmt: off
GATES: dict[str, Gate] = {g.name: g for g in [
    # -- arithmetic ----------------------------------------------------------------------------
    make_gate("add", "+", "ab", "a + b", ("1.0", "1.0"),
              N_("add distributes: each input receives the upstream gradient unchanged"),
              operator="add", linear=True, names={"en": "add gate", "zh": "加法门"}),
    make_gate("sub", "-", "ab", "a - b", ("1.0", "-1.0"),
              N_("sub distributes with a sign: a receives the upstream gradient, "
                 "b receives its negative"),
              operator="sub", linear=True, names={"en": "sub gate", "zh": "减法门"}),
    make_gate("mul", "*", "ab", "a * b", ("b", "a"),
              N_("mul swaps: each input receives the upstream gradient times the other input"),
              operator="mul", names={"en": "mul gate", "zh": "乘法门"}),
    # d(a/b)/db = -a/b² written as -out/b: b * b underflows to 0 for |b| < 1e-162 (say b = 1e-170)
    make_gate("div", "/", "ab", "a / b", ("1.0 / b", "-out / b"),
              N_("div: a receives upstream / b, b receives -upstream * a / b²"),
              [Check("b == 0", ZeroDivisionError, N_("division by zero: the divisor b is 0"))],
              operator="truediv", names={"en": "div gate", "zh": "除法门"}),
    make_gate("neg", "neg", "a", "-a", ("-1.0",),
              N_("neg flips the sign of the upstream gradient"),
              operator="neg", linear=True, names={"en": "neg gate", "zh": "取负门"}),
    # -- powers, exponentials, logarithms ------------------------------------------------------
    make_gate("pow", "**p", "a", "a ** p", ("p * a ** (p - 1) if p != 0 else 0.0",),
              N_("pow (number exponent p): the input receives upstream * p * a^(p-1)"),
              [Check("a == 0 and p < 0", ZeroDivisionError,
                     N_("0 cannot be raised to a negative power")),
               Check("a < 0 and not is_int(p)", ValueError,
                     N_("a negative base with a fractional exponent has no real value")),
               Check("a == 0 and 0 < p < 1", ValueError,
                     N_("the slope of a ** p is infinite at a = 0 for 0 < p < 1"))],
              operator="pow", names={"en": "pow gate", "zh": "幂门"}),
    make_gate("pow_value", "**", "ab", "a ** b", ("b * a ** (b - 1)", "out * log(a)"),
              N_("pow (Value exponent b): a receives upstream * b * a^(b-1), "
                 "b receives upstream * out * ln a"),
              [Check("a <= 0", ValueError,
                     N_("the base must be > 0 when the exponent is a Value (its gradient needs "
                        "ln a); for a fixed exponent write x ** 2"))],
              torch="torch.pow", operator="pow",
              names={"en": "pow gate (Value exponent)", "zh": "幂门（指数为 Value）"}),
    make_gate("exp", "exp", "a", "exp(a)", ("out",),
              N_("exp: the local derivative is the output itself, exp(a)"),  # exp(709.79) overflows
              method="exp", names={"en": "exp gate", "zh": "指数门"}),
    make_gate("log", "log", "a", "log(a)", ("1.0 / a",),
              N_("log: the input receives upstream / a"),
              [Check("a <= 0", ValueError, N_("input must be > 0"))],
              method="log", names={"en": "log gate", "zh": "对数门"}),
    # -- activations ---------------------------------------------------------------------------
    make_gate("tanh", "tanh", "a", "tanh(a)", ("1.0 - out * out",),
              N_("tanh: the local derivative is 1 - out²"),
              method="tanh", names={"en": "tanh gate", "zh": "tanh 门"},
              health=Health("local < 0.01", N_("saturated tanh: local gradient {local}"))),
    make_gate("sigmoid", "sigmoid", "a", "sigmoid(a)", ("out * (1.0 - out)",),
              N_("sigmoid: z(1 - z), the local derivative from the output z alone"),
              method="sigmoid", names={"en": "sigmoid gate", "zh": "sigmoid 门"},
              health=Health("local < 0.01", N_("saturated sigmoid: local gradient {local}"))),
    make_gate("relu", "relu", "a", "relu(a)", ("step(a)",),
              N_("relu gates: the upstream gradient passes where a > 0 and stops where a <= 0"),
              method="relu", names={"en": "relu gate", "zh": "ReLU 门"},
              health=Health("a <= 0", N_("dead relu: its input is {a}"))),
    make_gate("max", "max", "ab", "maximum(a, b)", ("route(a, b)", "route(b, a)"),
              N_("max routes: the upstream gradient goes to the larger input "
                 "(split evenly on a tie)"),
              torch="torch.maximum", method="max", function="maximum",
              names={"en": "max gate", "zh": "最大值门"}),
]}
# fmt: on


@functools.cache
def pow_gate(p: float) -> Gate:
    """The ``pow`` gate bound to one exponent: ``x ** 2`` uses ``pow_gate(2.0)``. The exponent
    is part of the gate (micrograd's ``**2``), not a node: one input, and a negative x is fine."""
    return replace(GATES["pow"], symbol=f"**{p:g}", param=p)
