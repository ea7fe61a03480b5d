"""The misconception catalogue: what a student who holds each wrong idea answers, as data.

One row per misconception, in the spirit of the gate table: the gates and inputs it concerns, a
condition (``when``) and the answer such a student gives (``answer``), both formula strings over
one step's numbers for one input of a gate:

- ``upstream``: d root / d gate output;   ``local``: d gate output / d this input;
- ``own``: this input's value;   ``other``: the other input's value (0.0 for a unary gate);
- ``out``: the gate's output;   ``before``: this input's gradient before the step;

plus the helpers of ``engine.formulas.HELPERS``. The question is always the input's gradient
AFTER the step, whose right answer is ``before + upstream * local``.

Below the table is the one grading rule, ``diagnose``: an answer is right when it is the exact
value or the value a student computes from the numbers as displayed, within the rounding of the
last digit shown (a student can only compute from what is on screen); misconceptions are
matched by the same rule. Every place that checks an answer (the terminal quiz, the page's quiz
through its JavaScript translation, the worksheets' keys) reads this module; none writes its
own list of mistakes or its own tolerance.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from functools import cache

from engine.formulas import compile_formula
from engine.gates import GATES
from words import N_, check_digits, num

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


# -- the grading rule ----------------------------------------------------------------------------
# Data and short formulas, so the page's JavaScript can say the same (viz/page/quiz.js).

SLACK = 1e-12  # float slack, relative to 1 + |value|: a typed 0.12 against a computed 0.125


@dataclass(frozen=True)
class Reading:
    """One way a student may read a step's numbers, every one of them fair.

    ``rounded``: each number as displayed at the digits shown (``float(words.num(x, digits))``),
    not as computed. ``local_from_gate``: the local derivative worked out with the gate's own
    formula (``engine.GATES[gate].local``) from the displayed operands and output, as a student
    does who sees a gate's inputs but not its local (the quiz), instead of read off a table.
    """

    key: str
    rounded: bool
    local_from_gate: bool


READINGS: tuple[Reading, ...] = (
    Reading("exact", rounded=False, local_from_gate=False),
    Reading("shown", rounded=True, local_from_gate=False),
    Reading("shown_operands", rounded=True, local_from_gate=True),
)


def tolerance(value: float, digits: int) -> float:
    """How far an answer may be from ``value``: the rounding of the last digit shown, plus float
    slack, ``0.5 * 10 ** -digits + SLACK * (1 + |value|)``."""
    return 0.5 * 10.0 ** -digits + SLACK * (1.0 + abs(value))


def _close(answer: float, value: float, digits: int) -> bool:
    return (math.isfinite(answer) and math.isfinite(value)
            and abs(answer - value) <= tolerance(value, digits))


@cache
def _names(formula: str) -> frozenset[str]:
    return frozenset(n.id for n in ast.walk(ast.parse(formula, mode="eval"))
                     if isinstance(n, ast.Name))


@cache
def _local_function(formula: str):
    """A gate's local-derivative formula as a function of (a, b, out, p), through the one
    whitelist every formula passes."""
    return compile_formula(formula, ("a", "b", "out", "p"), "gate local derivative")


def _gate_local(numbers: dict[str, float], gate: str, input: str) -> float | None:
    """d out / d input from the gate table's formula at these numbers; None where it has no
    real finite value there (a displayed 0.00 under ``1 / a``)."""
    row = GATES[gate]
    formula = row.local[row.inputs.index(input)]
    if "p" in _names(formula) and numbers.get("p") is None:
        raise KeyError(f"diagnose: numbers lacks p (the exponent of the {gate} gate)")
    own, other = numbers["own"], numbers["other"]
    a, b = (own, other) if input == "a" else (other, own)
    try:
        local = _local_function(formula)(a, b, numbers["out"], numbers.get("p"))
    except (ArithmeticError, ValueError):
        return None
    return float(local) if isinstance(local, (int, float)) and math.isfinite(local) else None


def read(numbers: dict[str, float], gate: str, input: str, digits: int,
         reading: Reading) -> dict[str, float] | None:
    """The step's numbers as ``reading`` sees them, or None where that reading has no value."""
    seen = {k: float(num(numbers[k], digits)) if reading.rounded else float(numbers[k])
            for k in VARIABLES}
    if reading.local_from_gate:
        local = _gate_local(dict(seen, p=numbers.get("p")), gate, input)
        if local is None:
            return None
        seen["local"] = local
    return seen


@dataclass(frozen=True)
class Verdict:
    """What ``diagnose`` says of one answer.

    ``right``: the answer is right under some reading; ``how``: the key of the first reading
    (in READINGS order) under which it is right, "" when wrong; ``answers``: the right answer
    under each reading that has one (``answers["exact"]`` is the engine's); ``misconceptions``:
    the rows that explain a wrong answer, () for a right one.
    """

    right: bool
    how: str
    answers: dict[str, float]
    digits: int
    misconceptions: tuple[Misconception, ...]

    @property
    def exact(self) -> float:
        """The right answer from the exact numbers (the engine's ``grad_after``)."""
        return self.answers["exact"]

    @property
    def from_rounded(self) -> bool:
        """Right only from the displayed numbers, not within the rounding of the exact value."""
        return self.right and self.how != "exact"


def diagnose(numbers: dict[str, float], gate: str, input: str, answer: float,
             digits: int | None = None) -> Verdict:
    """Grade ``answer`` to "what does input ``input`` of gate ``gate`` hold after this step?".

    Inputs: ``numbers``, the step's exact numbers (every name of VARIABLES, plus ``p`` for a
    pow gate; ``step_numbers`` makes them from a Step); ``gate``, a name of ``engine.GATES``;
    ``input``, ``'a'`` or ``'b'``; ``answer``, the student's number; ``digits``, the decimals
    the display shows (None: ``words.DIGITS``).

    The rule: for each reading of READINGS the right answer is ``before + upstream * local``
    over the numbers as that reading sees them; ``answer`` is right when it is within
    ``tolerance(value, digits)`` of one of them. So at w1's mul gate of the CS231n graph
    (upstream 0.1966 shown 0.20, x1 = -2 shown -2.00) both -0.39 (exact -0.3932, rounded) and
    -0.40 (0.20 × (-2.00), from the rounded numbers) are right. A misconception matches a wrong
    answer when, under some reading, it applies (gate, input, ``when``) and its answer is within
    the same tolerance of the student's without itself being graded right; a right answer
    never names one. Output: a Verdict.
    """
    missing = [name for name in VARIABLES if name not in numbers]
    if missing:
        raise KeyError(f"diagnose: numbers lacks {', '.join(missing)} (needs {VARIABLES})")
    if gate not in GATES:
        raise KeyError(f"diagnose: {gate!r} is not a gate of engine.GATES")
    digits = check_digits(digits, "diagnose digits")
    answer = float(answer)
    views = {r.key: read(numbers, gate, input, digits, r) for r in READINGS}
    views = {k: v for k, v in views.items() if v is not None}
    answers = {k: right_answer(v) for k, v in views.items()}

    def graded_right(x: float) -> str:
        return next((k for k, value in answers.items() if _close(x, value, digits)), "")

    how = graded_right(answer)
    found: list[Misconception] = []
    if not how:
        for m in MISCONCEPTIONS:
            for view in views.values():
                if applies(m, view, gate, input):
                    theirs = evaluate(m.answer, view)
                    if _close(answer, theirs, digits) and not graded_right(theirs):
                        found.append(m)
                        break
    return Verdict(bool(how), how, answers, digits, tuple(found))


def step_numbers(step, input) -> dict[str, float]:
    """The formula variables for one input of a backward Step.

    ``input`` is a StepInput of ``step`` or its index in ``step.inputs``. ``other`` is the other
    operand's value (0.0 for a unary gate); a pow gate's exponent comes as ``p``.
    """
    if isinstance(input, int):
        input = step.inputs[input]
    position = next(k for k, i in enumerate(step.inputs) if i is input)
    others = [i.node.data for k, i in enumerate(step.inputs) if k != position]
    return {
        "upstream": step.upstream, "local": input.local, "own": input.node.data,
        "other": others[0] if others else 0.0, "out": step.node.data,
        "before": input.grad_before,
        **({} if step.gate.param is None else {"p": step.gate.param}),
    }
