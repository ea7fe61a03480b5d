"""backward_steps and forward_steps: the chain rule gate by gate (issue 3)."""

import math
import warnings

import pytest
from hypothesis import given

from engine import (
    Value,
    backward_steps,
    forward_steps,
    node_names,
    record_steps,
    topological_order,
)
from tests.examples import cs231n

from .strategies import engine_apply, recipes

SIG1 = 1 / (1 + math.exp(-1))  # f = sigmoid(1) in the CS231n example
DS = SIG1 * (1 - SIG1)  # df/ds, the upstream at both adds and both muls


def test_cs231n_step_by_step():
    f, n = cs231n()
    steps = list(f.backward_steps())
    assert [s.op for s in steps] == ["sigmoid", "add", "add", "mul", "mul"]
    assert [s.index for s in steps] == [1, 2, 3, 4, 5]
    assert [s.node.label for s in steps] == ["f", "s3", "s2", "s1", "s0"]
    assert [s.upstream for s in steps] == pytest.approx([1.0, DS, DS, DS, DS], rel=1e-15)
    expected_locals = {  # hand-derived: sigmoid z(1-z), add 1, mul swaps
        "f": [("s3", DS)], "s3": [("s2", 1.0), ("w2", 1.0)], "s2": [("s0", 1.0), ("s1", 1.0)],
        "s1": [("w1", -2.0), ("x1", -3.0)], "s0": [("w0", -1.0), ("x0", 2.0)],
    }
    for s in steps:
        got = [(i.node.label, i.local) for i in s.inputs]
        want = expected_locals[s.node.label]
        assert [g[0] for g in got] == [w[0] for w in want]
        assert [g[1] for g in got] == pytest.approx([w[1] for w in want], rel=1e-15)
        for i in s.inputs:
            assert i.contribution == s.upstream * i.local
            assert i.grad_before == 0.0 and i.grad_after == i.contribution  # tree: one path each
    assert [n[k].grad for k in ["w0", "x0", "w1", "x1", "w2"]] == pytest.approx(
        [-DS, 2 * DS, -2 * DS, -3 * DS, DS], rel=1e-15)
    assert steps[4].chain_rule() == ["df/dw0 += df/ds0 · ∂s0/∂w0 = 0.20 × (-1.00) = -0.20",
                                     "df/dx0 += df/ds0 · ∂s0/∂x0 = 0.20 × 2.00 = 0.39"]
    assert steps[0].rule.startswith("sigmoid: z(1 - z)")
    assert steps[3].rule.startswith("mul swaps")


def test_latex_chain_rule_line():
    f, _ = cs231n()
    last = list(f.backward_steps())[-1]
    assert last.chain_rule(digits=3, latex=True)[0] == (
        r"\frac{\partial f}{\partial w_{0}} \mathrel{+}= \frac{\partial f}{\partial s_{0}} \cdot "
        r"\frac{\partial s_{0}}{\partial w_{0}} = 0.197 \times (-1.000) = -0.197")


def test_stopping_after_k_steps_leaves_k_gates_done():
    f, n = cs231n()
    it = f.backward_steps()
    next(it)  # sigmoid done: only s3 has its gradient; the leaves have nothing yet
    assert n["s3"].grad == pytest.approx(DS) and f.grad == 1.0
    assert all(n[k].grad == 0.0 for k in ["s2", "s1", "s0", "w0", "x0", "w1", "x1", "w2"])
    next(it)  # the top add: s2 and w2
    assert n["w2"].grad == pytest.approx(DS) and n["s2"].grad == pytest.approx(DS)
    assert all(n[k].grad == 0.0 for k in ["s1", "s0", "w0", "x0", "w1", "x1"])


@given(recipes())
def test_steps_to_the_end_equal_backward(recipe):
    _, a = recipe.build(lambda v, i: Value(v), engine_apply)
    _, b = recipe.build(lambda v, i: Value(v), engine_apply)
    a.backward()
    steps = list(b.backward_steps())
    assert [x.grad for x in topological_order(a)] == [y.grad for y in topological_order(b)]
    assert len(steps) == sum(1 for x in topological_order(b) if x._prev)
    for s in steps:  # every step: contribution = upstream × local, running grads add up
        for i in s.inputs:
            assert i.contribution == s.upstream * i.local
            assert i.grad_after == pytest.approx(i.grad_before + i.contribution, rel=1e-12,
                                                 abs=1e-12)


def test_fan_out_shows_two_contributions_adding_up():
    a = Value(3.0, label="a")
    b = a * a  # both inputs are a
    b.label = "b"
    (step,) = list(b.backward_steps())
    first, second = step.inputs
    assert first.node is a and second.node is a
    assert (first.grad_before, first.grad_after) == (0.0, 3.0)
    assert (second.grad_before, second.grad_after) == (3.0, 6.0)
    assert a.grad == 6.0

    x = Value(2.0, label="x")
    y = x.tanh() * 2 + x * 5  # x feeds two gates: two steps add into x.grad
    steps = [s for s in y.backward_steps() if any(i.node is x for i in s.inputs)]
    assert len(steps) == 2
    total = sum(i.contribution for s in steps for i in s.inputs if i.node is x)
    assert x.grad == pytest.approx(total) and x.grad == pytest.approx(
        2 * (1 - math.tanh(2.0) ** 2) + 5)


def test_stepping_a_graph_that_holds_gradients_warns_and_accumulates():
    f, n = cs231n()
    f.backward()
    with pytest.warns(UserWarning, match="already holds gradients.*zero_grad"):
        list(f.backward_steps())
    assert n["w0"].grad == pytest.approx(-2 * DS)


def test_stepping_something_that_is_not_a_value():
    with pytest.raises(TypeError, match="backward_steps needs the Value at the root"):
        list(backward_steps(3.0))
    with pytest.raises(TypeError, match="forward_steps needs the Value"):
        list(forward_steps([Value(1.0)]))


def test_record_steps_leaves_the_graph_untouched():
    f, n = cs231n()
    n["w0"].grad = 7.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # recorded from zero: no accumulation warning
        steps = record_steps(f)
    assert n["w0"].grad == 7.0 and f.grad == 0.0
    assert steps[-1].inputs[0].grad_after == pytest.approx(-DS)


def test_forward_steps_in_evaluation_order():
    f, _ = cs231n()
    lines = [s.formula() for s in f.forward_steps()]
    assert lines == [
        "s0 = w0 * x0 = 2.00 * (-1.00) = -2.00",
        "s1 = w1 * x1 = -3.00 * (-2.00) = 6.00",
        "s2 = s0 + s1 = -2.00 + 6.00 = 4.00",
        "s3 = s2 + w2 = 4.00 + -3.00 = 1.00",
        "f = sigmoid(s3) = sigmoid(1.00) = 0.73",
    ]
    x = Value(3.0, label="x")
    assert [s.formula(1) for s in (x ** 2).forward_steps()] == ["f = x ** 2 = 3.0 ** 2 = 9.0"]


def test_stepping_is_not_disturbed_by_looking_at_the_graph_midway():
    """Drawing frames (record_steps) or running backward on another graph between two steps
    must not change what the paused stepping computes: each pass keeps its own sums."""
    f, n = cs231n()
    g, _ = cs231n()
    g.backward()
    it = f.backward_steps()
    next(it)
    next(it)
    record_steps(f)  # what a diagram of frame k does
    other = (n["w0"] * 3).tanh()  # a graph sharing a leaf with f
    other.backward()
    shared = n["w0"].grad
    list(it)
    assert n["w0"].grad - shared == pytest.approx(-DS, rel=1e-12)  # the outside add is kept
    assert [n[k].grad for k in ["x0", "w1", "x1", "w2"]] == pytest.approx(
        [2 * DS, -2 * DS, -3 * DS, DS], rel=1e-15)


def test_node_names_of_one_root_and_of_several():
    x = Value(2.0, label="x")
    y = x * 3
    z = x.tanh()
    assert node_names(y) == {x: "x", y._prev[1]: "c0", y: "f"}  # the 3 is a constant leaf
    both = node_names(y, z)  # orders joined, first come first; no lone root, so no 'f'
    assert list(both.values()) == ["x", "c0", "s0", "s1"]
    assert both[y] == "s0" and both[z] == "s1"
