"""The misconception catalogue: each row fires on the answer it describes, never on a right one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import engine
from engine import GATES, Value
from grading import MISCONCEPTIONS, diagnose, step_numbers
from grading.misconceptions import VARIABLES, evaluate
from tests.engine.strategies import engine_apply, recipes

DIGITS = 2  # every number shown at 2 decimals: an answer may be off by 0.005


def keys(numbers, gate, input, answer, digits=DIGITS):
    """The keys of the misconceptions ``diagnose`` names for this answer."""
    return [m.key for m in diagnose(numbers, gate, input, answer, digits).misconceptions]


def steps_of(root):
    engine.zero_grad(root)
    return list(engine.backward_steps(root))


def test_rows_are_well_formed():
    assert len({m.key for m in MISCONCEPTIONS}) == len(MISCONCEPTIONS)
    for m in MISCONCEPTIONS:
        assert set(m.gates) <= set(GATES), m.key
        assert set(m.inputs) <= {"a", "b"}, m.key
        assert m.title and m.explain


def test_every_formula_passes_the_shared_whitelist():
    from engine.formulas import check_formula

    names = VARIABLES  # the helper functions are always allowed
    for m in MISCONCEPTIONS:
        check_formula(m.when, names, f"misconception {m.key}: when", kind="truth")
        check_formula(m.answer, names, f"misconception {m.key}: answer")


def _numbers(**given):
    numbers = dict.fromkeys(VARIABLES, 0.0)
    numbers.update(given)
    return numbers


# Hand-worked cases: (gate, input, numbers, the student's answer, the misconception it names).
# Right answers, by hand: before + upstream * local.
HAND = [
    # f = x * y, x = 3, y = -2, upstream 2: x receives 2 * -2 = -4
    ("mul", "a", dict(upstream=2, local=-2, own=3, other=-2, out=-6), 2.0,
     "mul_upstream_unchanged"),
    ("mul", "a", dict(upstream=2, local=-2, own=3, other=-2, out=-6), 6.0, "mul_own_value"),
    ("mul", "a", dict(upstream=2, local=-2, own=3, other=-2, out=-6), -2.0, "forgot_upstream"),
    # a - b, upstream 3: b receives -3; a student who loses the sign says 3
    ("sub", "b", dict(upstream=3, local=-1, own=1, other=4, out=3), 3.0, "lost_sign"),
    ("neg", "a", dict(upstream=0.5, local=-1, own=2, out=-2), 0.5, "lost_sign"),
    # a fork: the node held 1.5 already, this gate sends 2 * 1 = 2: total 3.5
    ("add", "a", dict(upstream=2, local=1, own=1, other=1, out=2, before=1.5), 2.0,
     "replaced_not_added"),
    ("add", "a", dict(upstream=2, local=1, own=1, other=1, out=2, before=1.5), 1.5,
     "kept_old_total"),
    # sigmoid(0) = 0.5, local 0.25, upstream 4: right 1.0; from the input 0: 4 * 0 * 1 = 0
    ("sigmoid", "a", dict(upstream=4, local=0.25, own=0, out=0.5), 0.0, "sigmoid_from_input"),
    # tanh at a = 2: from the input 1 - 4 = -3, times upstream 1
    ("tanh", "a", dict(upstream=1, local=0.0706508, own=2, out=0.9640276), -3.0,
     "tanh_from_input"),
    ("relu", "a", dict(upstream=3, local=0, own=0, out=0), 3.0, "relu_at_zero"),
    ("relu", "a", dict(upstream=3, local=0, own=-1, out=0), 3.0, "relu_negative"),
    # max(2, 5), upstream 1.5: a (the smaller) gets 0; the student gives it 1.5
    ("max", "a", dict(upstream=1.5, local=0, own=2, other=5, out=5), 1.5, "max_to_smaller"),
    ("max", "b", dict(upstream=1.5, local=1, own=5, other=2, out=5), 0.0, "max_to_smaller"),
]


@pytest.mark.parametrize("gate, input, given, answer, key", HAND)
def test_hand_worked_wrong_answers_are_named(gate, input, given, answer, key):
    numbers = _numbers(**given)
    assert key in keys(numbers, gate, input, answer)
    assert not diagnose(numbers, gate, input, answer, DIGITS).right


@pytest.mark.parametrize("gate, input, given, answer, key", HAND)
def test_hand_worked_right_answers_name_nothing(gate, input, given, answer, key):
    numbers = _numbers(**given)
    right = numbers["before"] + numbers["upstream"] * numbers["local"]
    verdict = diagnose(numbers, gate, input, right, DIGITS)
    assert verdict.right and verdict.how == "exact" and verdict.misconceptions == ()


def test_an_answer_no_row_explains_matches_none():
    numbers = _numbers(upstream=2, local=-2, own=3, other=-2, out=-6)
    verdict = diagnose(numbers, "mul", "a", 17.0, DIGITS)
    assert not verdict.right and verdict.misconceptions == () and verdict.exact == -4.0


def test_rows_stay_on_their_gates():
    # own value at an add gate is not the mul misconception
    numbers = _numbers(upstream=2, local=1, own=3, other=-2, out=1)
    assert "mul_own_value" not in keys(numbers, "add", "a", 6.0)
    # sub's a keeps its sign: nothing to lose
    numbers = _numbers(upstream=3, local=1, own=4, other=1, out=3)
    assert "lost_sign" not in keys(numbers, "sub", "a", -3.0)


def test_bad_calls_say_what_is_wrong():
    with pytest.raises(KeyError, match="before"):
        diagnose({"upstream": 1.0}, "mul", "a", 1.0, DIGITS)
    with pytest.raises(ValueError, match="diagnose digits.*-1"):
        diagnose(_numbers(), "mul", "a", 1.0, -1)
    with pytest.raises(KeyError, match="'matmul' is not a gate"):
        diagnose(_numbers(), "matmul", "a", 1.0, DIGITS)
    with pytest.raises(KeyError, match="lacks p"):  # a pow gate's local needs its exponent
        diagnose(_numbers(own=2.0, out=4.0, upstream=1.0, local=4.0), "pow", "a", 4.0, DIGITS)


def test_step_numbers_from_a_real_step():
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    f = x * y + x  # x forks: the add gate fires first and gives it 1; then mul adds -2
    steps = steps_of(f)
    assert [s.op for s in steps] == ["add", "mul"]
    mul = steps[1]
    numbers = step_numbers(mul, 0)
    assert numbers == {"upstream": 1.0, "local": -2.0, "own": 3.0, "other": -2.0, "out": -6.0,
                       "before": 1.0}
    # the running total 1 + (-2) = -1 is right; -2 alone is "replaced"
    assert diagnose(numbers, "mul", "a", -1.0, DIGITS).right
    assert "replaced_not_added" in keys(numbers, "mul", "a", -2.0)
    assert step_numbers(steps[0], steps[0].inputs[1])["other"] == -6.0


def random_graph(recipe):
    return recipe.build(lambda v, i: Value(v, label=f"x{i}"), engine_apply)[1]


@settings(max_examples=60, deadline=None)
@given(recipes(max_ops=8))
def test_right_answers_never_name_a_misconception(recipe):
    for step in steps_of(random_graph(recipe)):
        for k, inp in enumerate(step.inputs):
            numbers = step_numbers(step, k)
            verdict = diagnose(numbers, step.op, inp.name, inp.grad_after, DIGITS)
            assert verdict.right and verdict.how == "exact" and verdict.misconceptions == ()


@settings(max_examples=60, deadline=None)
@given(recipes(max_ops=8))
def test_each_misconception_fires_on_its_own_answer(recipe):
    for step in steps_of(random_graph(recipe)):
        for k, inp in enumerate(step.inputs):
            numbers = step_numbers(step, k)
            for m in MISCONCEPTIONS:
                if (m.gates and step.op not in m.gates) or (m.inputs and inp.name not in m.inputs):
                    continue
                if not evaluate(m.when, numbers, "truth"):
                    continue
                theirs = evaluate(m.answer, numbers)
                verdict = diagnose(numbers, step.op, inp.name, theirs, DIGITS)
                if not verdict.right:
                    assert m in verdict.misconceptions, m.key


def _graphs():
    """Small real graphs on which every row of the catalogue applies somewhere."""
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    yield x * y + x  # mul, and a fork at x
    a, b = Value(1.0, label="a"), Value(4.0, label="b")
    yield (a - b) * 3.0  # sub: b's sign
    yield -(Value(2.0, label="n")) * 2.0  # neg
    yield Value(0.5, label="s").sigmoid() * 4.0
    yield Value(2.0, label="t").tanh() * 1.0
    yield Value(0.0, label="r").relu() * 3.0 + Value(-1.0, label="q").relu() * 2.0
    yield Value(2.0, label="m").max(Value(5.0, label="k")) * 1.5


def test_every_row_fires_on_a_real_step():
    fired = set()
    for root in _graphs():
        for step in steps_of(root):
            for k, inp in enumerate(step.inputs):
                numbers = step_numbers(step, k)
                for m in MISCONCEPTIONS:
                    theirs = evaluate(m.answer, numbers)
                    if m in diagnose(numbers, step.op, inp.name, theirs, DIGITS).misconceptions:
                        fired.add(m.key)
    assert fired == {m.key for m in MISCONCEPTIONS}
