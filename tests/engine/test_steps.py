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
        "s3 = s2 + w2 = 4.00 + (-3.00) = 1.00",
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


# -- one voice: the formatter and the naming rule of words (issue 13) ---------------------


def test_negative_operands_are_bracketed_where_precedence_needs_them():
    """`gategrad steps "x**2 - y" --set x=-3 y=-2` printed -3.00 ** 2 (reads as -9) and
    9.00 - -2.00."""
    x, y = Value(-3.0, label="x"), Value(-2.0, label="y")
    assert [s.formula() for s in forward_steps(x ** 2 - y)] == [
        "s0 = x ** 2 = (-3.00) ** 2 = 9.00",
        "f = s0 - y = 9.00 - (-2.00) = 11.00",
    ]
    assert [s.formula(1) for s in forward_steps(-(x * y) / y + x ** -1)] == [
        "s0 = x * y = -3.0 * (-2.0) = 6.0",
        "s1 = -s0 = -6.0 = -6.0",
        "s2 = s1 / y = -6.0 / (-2.0) = 3.0",
        "s3 = x ** (-1) = (-3.0) ** (-1) = -0.3",
        "f = s2 + s3 = 3.0 + (-0.3) = 2.7",
    ]


def test_a_negative_right_operand_of_plus_is_bracketed_too():
    """`gategrad steps "sigmoid(w0*x0 + w1*x1 + w2)" --set w0=2 x0=-1 w1=-3 x1=-2 w2=-3`
    printed s3 = s2 + w2 = 4.00 + -3.00; every binary operator brackets its right operand."""
    x, y = Value(4.0, label="x"), Value(-3.0, label="y")
    assert [s.formula() for s in forward_steps(x + y)] == ["f = x + y = 4.00 + (-3.00) = 1.00"]
    assert [s.formula() for s in forward_steps(y + x)] == ["f = y + x = -3.00 + 4.00 = 1.00"]
    assert [s.formula() for s in forward_steps(y.max(y * x))] == [
        "s0 = y * x = -3.00 * 4.00 = -12.00",
        "f = maximum(y, s0) = maximum(-3.00, -12.00) = -3.00",  # a call's arguments: none
    ]


def test_negating_a_displayed_number_never_shows_minus_zero():
    """neg at 0 printed s1 = -s0 = -0.00 = 0.00."""
    x = Value(0.0, label="x")
    assert [s.formula() for s in forward_steps(-(x * 2.0))] == [
        "s0 = x * c0 = 0.00 * 2.00 = 0.00",
        "f = -s0 = -(0.00) = 0.00",
    ]
    tiny, negative = Value(-0.001, label="t"), Value(-3.0, label="n")
    assert [s.formula() for s in forward_steps(-tiny)] == ["f = -t = -(0.00) = 0.00"]
    assert [s.formula(3) for s in forward_steps(-tiny)] == ["f = -t = -(-0.001) = 0.001"]
    assert [s.formula() for s in forward_steps(-negative)] == ["f = -n = -(-3.00) = 3.00"]
    assert [s.formula() for s in forward_steps(-Value(3.0, label="p"))] == [
        "f = -p = -3.00 = -3.00"]


def test_the_bracketing_rule_of_each_formula_shape():
    from words import bracketed

    assert bracketed("a + b") == {"b"}
    assert bracketed("a - b") == bracketed("a * b") == bracketed("a / b") == {"b"}
    assert bracketed("a ** b") == {"a", "b"}
    assert bracketed("a ** p") == {"a", "p"}
    assert bracketed("-a") == {"a"}
    assert bracketed("maximum(a, b)") == set()


def test_a_rounded_zero_has_no_sign():
    """`gategrad stepper "max(x, y) * z" --set x=2 y=5 z=-1`: the caption said
    -1.00 × 0.00 = -0.00."""
    x, y, z = Value(2.0, label="x"), Value(5.0, label="y"), Value(-1.0, label="z")
    steps = record_steps(x.max(y) * z)
    assert steps[1].chain_rule() == ["df/dx += df/ds0 · ∂s0/∂x = -1.00 × 0.00 = 0.00",
                                     "df/dy += df/ds0 · ∂s0/∂y = -1.00 × 1.00 = -1.00"]


def test_exact_mode_shows_the_digits_a_product_needs():
    f, _ = cs231n()
    last = record_steps(f)[-1]  # s0 = w0 * x0: upstream 0.19661193..., locals -1 and 2
    # 0.20 × (-1.00) = -0.20 checks out already (shown without padding zeros); 0.20 × 2.00 is
    # 0.40, not 0.39, so the second line needs four decimals
    assert last.chain_rule(exact=True) == ["df/dw0 += df/ds0 · ∂s0/∂w0 = 0.2 × (-1) = -0.2",
                                           "df/dx0 += df/ds0 · ∂s0/∂x0 = 0.1966 × 2 = 0.3932"]


def test_cs231n_without_inner_labels_names_gate_outputs_s0_to_s3_in_evaluation_order():
    w0, x0, w1, x1, w2 = (Value(v, label=n) for v, n in zip(
        [2.0, -1.0, -3.0, -2.0, -3.0], ["w0", "x0", "w1", "x1", "w2"]))
    p0, p1 = w0 * x0, w1 * x1
    s2 = p0 + p1
    s3 = s2 + w2
    f = s3.sigmoid()
    names = node_names(f)
    assert [names[n] for n in (p0, p1, s2, s3, f)] == ["s0", "s1", "s2", "s3", "f"]
    assert [s.formula() for s in forward_steps(f)][2:] == [
        "s2 = s0 + s1 = -2.00 + 6.00 = 4.00",
        "s3 = s2 + w2 = 4.00 + (-3.00) = 1.00",
        "f = sigmoid(s3) = sigmoid(1.00) = 0.73",
    ]
    assert [s.formula() for s in forward_steps(1 + x0.exp())] == [
        "s0 = exp(x0) = exp(-1.00) = 0.37", "f = c0 + s0 = 1.00 + 0.37 = 1.37"]


def test_refusals_and_rules_speak_chinese():
    from engine import GATES
    from words import gettext, localize

    with pytest.raises(ValueError) as e:
        Value(-1.0, label="x").log()
    assert str(e.value) == "log gate: input must be > 0; got a = -1.0 (node 'x')"
    # the gate by its title, the operand's node in Chinese too
    assert localize(e.value, "zh") == "对数门：输入必须 > 0；得到 a = -1.0（节点 'x'）"
    with pytest.raises(ValueError) as e:
        Value(-8.0) ** 0.5
    assert localize(e.value, "zh") == "幂门（p = 0.5）：负数的分数次幂没有实数值；得到 a = -8.0"
    with pytest.raises(ZeroDivisionError) as e:
        Value(1.0, label="x") / Value(0.0, label="y")
    assert localize(e.value, "zh") == ("除法门：除以零：除数 b 为 0；"
                                       "得到 a = 1.0（节点 'x'），b = 0.0（节点 'y'）")
    assert gettext(GATES["mul"].rule, "zh").startswith("乘法门：梯度交叉相乘")
    assert gettext(GATES["add"].rule, "zh").startswith("加法门：梯度直接传递（分配）")
    assert gettext(GATES["max"].rule, "zh").startswith("最大值门：梯度传给最大值")
    assert gettext(GATES["relu"].rule, "zh").startswith("ReLU：正值传递，负值为 0")
    assert gettext(GATES["sigmoid"].rule, "zh").startswith("sigmoid 的导数 z(1 − z)")
