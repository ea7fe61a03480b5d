"""The one grading rule: right from the exact numbers or from the numbers as displayed.

Expected answers are worked by hand from what a class sees; the engine only supplies the step.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value, record_steps
from grading import READINGS, diagnose, step_numbers, tolerance
from grading.misconceptions import read, right_answer
from tests.engine.strategies import engine_apply, recipes
from tests.examples import cs231n


def w1_at_its_mul_gate():
    """CS231n, f = sigmoid(w0*x0 + w1*x1 + w2): the step of s1 = w1 * x1, and w1's numbers.
    Upstream sigmoid'(1) = 0.1966... (shown 0.20), x1 = -2 (shown -2.00)."""
    f, _ = cs231n()
    step = next(s for s in record_steps(f) if s.names[s.node] == "s1")
    return step, step_numbers(step, 0)


def test_cs231n_w1_both_the_exact_and_the_hand_worked_answer_are_right():
    step, numbers = w1_at_its_mul_gate()
    # rounded exact value -0.3932 -> -0.39
    verdict = diagnose(numbers, "mul", "a", -0.39, 2)
    assert verdict.right and verdict.how == "exact" and not verdict.from_rounded
    assert verdict.exact == pytest.approx(-0.39322386648, abs=1e-10)
    # what a student multiplies from the screen: 0.20 × (-2.00) = -0.40
    verdict = diagnose(numbers, "mul", "a", -0.40, 2)
    assert verdict.right and verdict.how == "shown" and verdict.from_rounded
    assert verdict.misconceptions == ()
    assert verdict.answers["shown"] == pytest.approx(-0.40, abs=1e-15)
    # more digits shown, fewer excuses: at 4 digits 0.1966 × (-2.0000) = -0.3932
    assert not diagnose(numbers, "mul", "a", -0.40, 4).right
    assert diagnose(numbers, "mul", "a", -0.3932, 4).right
    # neither reading reaches -0.41 or -0.38
    assert not diagnose(numbers, "mul", "a", -0.41, 2).right
    assert not diagnose(numbers, "mul", "a", -0.38, 2).right


def test_cs231n_x1_from_the_rounded_numbers():
    step, _ = w1_at_its_mul_gate()
    numbers = step_numbers(step, 1)  # x1 receives upstream × w1 = 0.1966 × (-3) = -0.5898
    assert diagnose(numbers, "mul", "b", -0.59, 2).how == "exact"
    assert diagnose(numbers, "mul", "b", -0.60, 2).how == "shown"  # 0.20 × (-3.00)


def test_misconceptions_are_matched_from_the_rounded_numbers_too():
    step, numbers = w1_at_its_mul_gate()
    # w1's own value -3 instead of x1: 0.1966 × (-3) = -0.5898 exactly, 0.20 × (-3.00) = -0.60
    for answer in (-0.59, -0.60):
        verdict = diagnose(numbers, "mul", "a", answer, 2)
        assert not verdict.right
        assert [m.key for m in verdict.misconceptions] == ["mul_own_value"]
    # the upstream passed unchanged: 0.1966 read as 0.20
    keys = [m.key for m in diagnose(numbers, "mul", "a", 0.20, 2).misconceptions]
    assert keys == ["mul_upstream_unchanged"]


def test_local_worked_out_from_the_displayed_output():
    # tanh at 1.4: out = 0.88535 is shown 0.89; a student computes 1 - 0.89² = 0.2079 -> 0.21,
    # the exact local is 1 - 0.88535² = 0.21615 -> 0.22. Both are right; 0.20 is not.
    x = Value(1.4, label="x")
    step = record_steps(x.tanh())[0]
    numbers = step_numbers(step, 0)
    assert diagnose(numbers, "tanh", "a", 0.22, 2).how == "exact"
    assert diagnose(numbers, "tanh", "a", 0.21, 2).how == "shown_operands"
    assert not diagnose(numbers, "tanh", "a", 0.20, 2).right
    assert not diagnose(numbers, "tanh", "a", 0.23, 2).right


def test_a_tie_may_be_rounded_either_way():
    # 0.5 × 0.25 = 0.125 exactly: 0.12 (to even, as the display does) and 0.13 are both right
    numbers = dict(upstream=0.5, local=0.25, own=3.0, other=0.25, out=0.75, before=0.0)
    assert diagnose(numbers, "mul", "a", 0.12, 2).right
    assert diagnose(numbers, "mul", "a", 0.13, 2).right
    assert not diagnose(numbers, "mul", "a", 0.11, 2).right
    assert not diagnose(numbers, "mul", "a", 0.14, 2).right


def test_a_pow_gate_reads_its_exponent():
    x = Value(1.234, label="x")
    step = record_steps(x ** 3)[0]
    numbers = step_numbers(step, 0)
    assert numbers["p"] == 3.0
    # exact 3 × 1.234² = 4.568268; from the displayed 1.23: 3 × 1.5129 = 4.5387
    assert diagnose(numbers, "pow", "a", 4.57, 2).how == "exact"
    assert diagnose(numbers, "pow", "a", 4.54, 2).how == "shown_operands"
    assert not diagnose(numbers, "pow", "a", 4.55, 2).right


def test_a_displayed_zero_under_a_division_is_no_reading():
    # log at 0.004: the local 1/a = 250 exactly, but 1/0.00 has no value: that reading is skipped
    numbers = dict(upstream=1.0, local=250.0, own=0.004, other=0.0, out=-5.52146, before=0.0)
    verdict = diagnose(numbers, "log", "a", 250.0, 2)
    assert verdict.right and "shown_operands" not in verdict.answers


def test_not_a_number_is_not_right_and_names_nothing():
    _, numbers = w1_at_its_mul_gate()
    verdict = diagnose(numbers, "mul", "a", float("nan"), 2)
    assert not verdict.right and verdict.misconceptions == () and verdict.how == ""


def test_tolerance_is_half_the_last_digit_plus_slack():
    assert tolerance(0.0, 2) == pytest.approx(0.005 + 1e-12, abs=1e-18)
    assert tolerance(-1000.0, 0) == pytest.approx(0.5 + 1001e-12, abs=1e-15)


def random_graph(recipe):
    return recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)[1]


@settings(max_examples=60, deadline=None)
@given(recipes(max_ops=8), st.integers(0, 4))
def test_every_reading_s_answer_is_right_and_names_nothing(recipe, digits):
    """What a student gets from the screen, any of the ways READINGS lists, is graded right,
    and so is the engine's answer rounded to the digits shown."""
    for step in record_steps(random_graph(recipe)):
        for k, inp in enumerate(step.inputs):
            numbers = step_numbers(step, k)
            rounded = round(inp.grad_after, digits)
            assert diagnose(numbers, step.op, inp.name, rounded, digits).how == "exact"
            for reading in READINGS:
                view = read(numbers, step.op, inp.name, digits, reading)
                if view is None:
                    continue
                verdict = diagnose(numbers, step.op, inp.name, right_answer(view), digits)
                assert verdict.right and verdict.misconceptions == (), reading.key


@settings(max_examples=60, deadline=None)
@given(recipes(max_ops=6), st.integers(0, 4))
def test_a_hand_worked_mul_answer_is_right(recipe, digits):
    """At a mul gate a student multiplies the displayed upstream by the displayed other input
    and adds the displayed running total: right, whatever the rounding did."""
    for step in record_steps(random_graph(recipe)):
        if step.op != "mul":
            continue
        for k, inp in enumerate(step.inputs):
            numbers = step_numbers(step, k)
            shown = {key: float(f"{numbers[key]:.{digits}f}") for key in numbers}
            by_hand = shown["before"] + shown["upstream"] * shown["other"]
            assert diagnose(numbers, "mul", inp.name, by_hand, digits).right
