"""The misconception catalogue: what a student who holds each wrong idea answers, as data.

One row per misconception, in the spirit of the gate table: the gates and inputs it concerns, a
condition (``when``) and the answer such a student gives (``answer``), both formula strings over
one step's numbers for one input of a gate:

- ``upstream``: d root / d gate output;   ``local``: d gate output / d this input;
- ``own``: this input's value;   ``other``: the other input's value (0.0 for a unary gate);
- ``out``: the gate's output;   ``before``: this input's gradient before the step;

plus the helpers of ``engine.formulas.HELPERS``. The question is always the input's gradient
AFTER the step, whose right answer is ``before + upstream * local``. Every place that checks an
answer (the terminal quiz, the page's quiz through its JavaScript translation, the worksheets'
keys) reads this table; none writes its own list of mistakes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from engine.formulas import compile_formula
from words import N_

VARIABLES = ("upstream", "local", "own", "other", "out", "before")
RIGHT_ANSWER = "before + upstream * local"


@dataclass(frozen=True)
class Misconception:
    """One wrong idea: where it applies and the number a student holding it answers."""

    key: str
    title: str  # msgid, marked with N_()
    explain: str  # msgid, marked with N_()
    gates: tuple[str, ...]  # gate names of engine.GATES; () = every gate
    inputs: tuple[str, ...]  # ('a',), ('b',) or () = every input
    when: str  # formula: the condition for it to apply ("True": always)
    answer: str  # formula: what a student holding it answers


# fmt: off
MISCONCEPTIONS: tuple[Misconception, ...] = (
    Misconception(
        "forgot_upstream", N_("Forgot the upstream gradient"),
        N_("You used the local gradient alone. The chain rule multiplies it by the upstream "
           "gradient: downstream = upstream × local."),
        (), (), "True", "before + local"),
    Misconception(
        "mul_upstream_unchanged", N_("Passed the upstream gradient unchanged through a mul gate"),
        N_("Only the add gate passes the gradient unchanged. The multiply gate swaps: each "
           "input receives the upstream gradient times the other input."),
        ("mul",), (), "True", "before + upstream"),
    Misconception(
        "mul_own_value", N_("Used the input's own value at a mul gate"),
        N_("The local gradient of a × b with respect to a is b: the other input's value, "
           "not the input's own."),
        ("mul",), (), "True", "before + upstream * own"),
    Misconception(
        "lost_sign", N_("Lost the minus sign"),
        N_("The local gradient here is negative (b in a − b, or the input of a negation): the "
           "input receives the upstream gradient with its sign flipped."),
        ("sub", "neg"), (), "local < 0", "before - upstream * local"),
    Misconception(
        "replaced_not_added", N_("Replaced the gradient instead of adding to it"),
        N_("This node is used more than once, so it already held a gradient from another use. "
           "Gradients from every use add up (+=): the answer is the running total."),
        (), (), "before != 0", "upstream * local"),
    Misconception(
        "kept_old_total", N_("Kept the gradient it already held, without this gate's part"),
        N_("This node already held a gradient from another use, and this gate sends it one "
           "more part: add upstream × local to what it held."),
        (), (), "before != 0", "before"),
    Misconception(
        "sigmoid_from_input", N_("Took sigmoid's derivative from the input"),
        N_("The sigmoid gate's local gradient is z(1 − z) with z the OUTPUT sigmoid(a), not the "
           "input a."),
        ("sigmoid",), (), "True", "before + upstream * own * (1.0 - own)"),
    Misconception(
        "tanh_from_input", N_("Took tanh's derivative as 1 − a² of the input"),
        N_("The tanh gate's local gradient is 1 − out² with out the OUTPUT tanh(a), not the "
           "input a."),
        ("tanh",), (), "True", "before + upstream * (1.0 - own * own)"),
    Misconception(
        "relu_at_zero", N_("Let relu pass the gradient at exactly 0"),
        N_("ReLU passes the gradient only where its input is positive; at exactly 0 it sends 0 "
           "(as PyTorch does)."),
        ("relu",), (), "own == 0", "before + upstream"),
    Misconception(
        "relu_negative", N_("Let relu pass the gradient for a negative input"),
        N_("ReLU: positive values pass the gradient, negative ones get 0. This input is "
           "negative, so it receives nothing."),
        ("relu",), (), "own < 0", "before + upstream"),
    Misconception(
        "max_to_smaller", N_("Sent the max gate's gradient to the smaller input"),
        N_("The max gate routes the whole upstream gradient to the larger input; the smaller "
           "one receives 0."),
        ("max",), (), "own != other", "before + upstream * route(other, own)"),
)
# fmt: on

BY_KEY: dict[str, Misconception] = {m.key: m for m in MISCONCEPTIONS}


@cache
def _function(formula: str, kind: str = "number"):
    """A formula of this table as a Python function of the step's numbers, through the one
    whitelist every formula passes (the page translates the same text to JavaScript)."""
    return compile_formula(formula, VARIABLES, "misconception catalogue", kind=kind)


def evaluate(formula: str, numbers: dict[str, float], kind: str = "number") -> float:
    """The value of ``formula`` at ``numbers`` (a dict with every name of VARIABLES); a
    condition (``when``) is a formula of kind "truth"."""
    return _function(formula, kind)(*(float(numbers[name]) for name in VARIABLES))


def right_answer(numbers: dict[str, float]) -> float:
    """The input's gradient after the step: ``before + upstream * local``."""
    return evaluate(RIGHT_ANSWER, numbers)


def applies(m: Misconception, numbers: dict[str, float], gate: str, input: str) -> bool:
    """Whether misconception ``m`` concerns this gate and input at these numbers."""
    return ((not m.gates or gate in m.gates) and (not m.inputs or input in m.inputs)
            and bool(evaluate(m.when, numbers, "truth")))


def _close(x: float, y: float, tol: float) -> bool:
    return math.isfinite(x) and math.isfinite(y) and abs(x - y) <= tol


def diagnose(numbers: dict[str, float], gate: str, input: str, answer: float,
             tol: float) -> list[Misconception]:
    """The misconceptions that explain ``answer`` for input ``input`` of gate ``gate``.

    A misconception matches when it applies, its answer is within ``tol`` of the student's and
    NOT within ``tol`` of the right answer (a right answer never names a misconception).
    """
    missing = [name for name in VARIABLES if name not in numbers]
    if missing:
        raise KeyError(f"diagnose: numbers lacks {', '.join(missing)} (needs {VARIABLES})")
    if not (isinstance(tol, (int, float)) and tol >= 0 and math.isfinite(tol)):
        raise ValueError(f"diagnose: tol must be a finite number >= 0, got {tol!r}")
    right = right_answer(numbers)
    found = []
    for m in MISCONCEPTIONS:
        if not applies(m, numbers, gate, input):
            continue
        theirs = evaluate(m.answer, numbers)
        if _close(theirs, answer, tol) and not _close(theirs, right, tol):
            found.append(m)
    return found


def step_numbers(step, input) -> dict[str, float]:
    """The formula variables for one input of a backward Step.

    ``input`` is a StepInput of ``step`` or its index in ``step.inputs``. ``other`` is the other
    operand's value (0.0 for a unary gate).
    """
    if isinstance(input, int):
        input = step.inputs[input]
    position = next(k for k, i in enumerate(step.inputs) if i is input)
    others = [i.node.data for k, i in enumerate(step.inputs) if k != position]
    return {
        "upstream": step.upstream, "local": input.local, "own": input.node.data,
        "other": others[0] if others else 0.0, "out": step.node.data,
        "before": input.grad_before,
    }
