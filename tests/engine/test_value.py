"""Value, backward and the error messages: the engine's contract with a class."""

import math
import sys

import pytest
import torch
from hypothesis import given

import engine
from engine import AnomalyError, Value, detect_anomaly, no_grad, topological_order, zero_grad
from tests.examples import cs231n_with_leaves

from .strategies import recipes


def test_cs231n_gate_example():
    f, (w0, x0, w1, x1, w2) = cs231n_with_leaves()
    f.backward()
    # The numbers printed in the CS231n notes (to 2 decimals), and their exact forms:
    # s = 1, f = sigmoid(1), ds = f (1 - f), dw0 = x0 ds, dx0 = w0 ds, ...
    ds = (1 / (1 + math.exp(-1))) * (1 - 1 / (1 + math.exp(-1)))
    assert round(f.data, 2) == 0.73
    assert [round(v.grad, 2) for v in (w0, x0, w1, x1, w2)] == [-0.20, 0.39, -0.39, -0.59, 0.20]
    assert [v.grad for v in (w0, x0, w1, x1, w2)] == pytest.approx(
        [-ds, 2 * ds, -2 * ds, -3 * ds, ds], rel=1e-15)


def test_backward_twice_gives_exactly_twice_through_shared_inner_nodes():
    x = Value(3.0)
    y = (x * 2) * 3  # micrograd gets 18 for x.grad after two backward calls
    y.backward()
    y.backward()
    assert x.grad == 12.0
    # and a graph with fan-out through an inner node
    a = Value(0.7)
    h = a.tanh()
    out = h * h + h.exp()
    out.backward()
    first = {n: n.grad for n in topological_order(out)}
    out.backward()
    for n in topological_order(out):
        assert n.grad == 2 * first[n]


@given(recipes())
def test_backward_twice_on_random_graphs(recipe):
    leaves, root = recipe.build(lambda v, i: Value(v), _apply)
    root.backward()
    once = [n.grad for n in topological_order(root)]
    root.backward()
    assert [n.grad for n in topological_order(root)] == pytest.approx([2 * g for g in once],
                                                                      rel=1e-12, abs=1e-12)


def _apply(name, p, x, y):
    from .strategies import engine_apply

    return engine_apply(name, p, x, y)


def test_zero_grad_clears_the_whole_graph():
    f, leaves = cs231n_with_leaves()
    f.backward()
    zero_grad(f)
    assert all(n.grad == 0.0 for n in topological_order(f))
    f.backward()
    f.zero_grad()
    assert all(n.grad == 0.0 for n in topological_order(f))


def test_a_chain_two_hundred_times_deeper_than_the_recursion_limit():
    """200,000 gates (a million took 20 s and proved no more): any recursive walk, in the
    topological order, backward or freeing the graph, fails a hundred times over."""
    x = Value(0.5)
    y = x
    for _ in range(200_000):
        y = -y
    assert sys.getrecursionlimit() * 100 < 200_000
    y.backward()  # no RecursionError
    assert x.grad == 1.0  # (-1) ** 200_000
    assert len(topological_order(y)) == 200_001
    del y  # freeing it must not overflow the C stack either


def test_topological_order_puts_inputs_first():
    f, _ = cs231n_with_leaves()
    order = topological_order(f)
    position = {n: k for k, n in enumerate(order)}
    assert order[-1] is f and len(order) == len(set(order))
    assert all(position[p] < position[n] for n in order for p in n._prev)


def test_parents_in_operand_order_even_when_repeated():
    a = Value(2.0)
    b = a + a
    assert b._prev == (a, a)
    b.backward()
    assert a.grad == 2.0


# -- bad input ------------------------------------------------------------------------------


BAD = [
    (lambda x: x.log(), -1.0, ValueError,
     r"log gate: input must be > 0; got a = -1\.0 \(node 'x'\)"),
    (lambda x: x.log(), 0.0, ValueError, r"log gate: input must be > 0"),
    (lambda x: 1 / (x - 2), 2.0, ZeroDivisionError, r"div gate: division by zero.*b = 0\.0"),
    (lambda x: x / 0, 2.0, ZeroDivisionError, r"div gate: division by zero"),
    (lambda x: x ** -1, 0.0, ZeroDivisionError, r"pow gate with p = -1: 0 cannot be raised"),
    (lambda x: x ** 0.5, -8.0, ValueError,
     r"pow gate with p = 0.5: a negative base with a fractional exponent has no real value; "
     r"got a = -8\.0 \(node 'x'\)"),
    (lambda x: x ** 0.5, 0.0, ValueError, r"slope of a \*\* p is infinite at a = 0"),
    (lambda x: x ** Value(2.0), -3.0, ValueError,
     r"pow gate \(Value exponent\): the base must be > 0"),
    (lambda x: x.exp(), 800.0, OverflowError, r"exp gate: the result overflows float64"),
    (lambda x: x ** 400, 10.0, OverflowError, r"pow gate with p = 400: the result overflows"),
    (lambda x: x + "1", 1.0, TypeError, r"add gate: operand b: must be a Value or a real number, "
                                        r"got str '1'"),
    (lambda x: [1] * x, 1.0, TypeError, r"mul gate: operand a: .*got list"),
    (lambda x: x ** "2", 1.0, TypeError, r"pow gate: the exponent: must be"),
    (lambda x: x.max(None), 1.0, TypeError, r"max gate: operand b"),
    (lambda x: x * float("nan"), 1.0, ValueError, r"mul gate: operand b: must be a finite number"),
    (lambda x: x + float("inf"), 1.0, ValueError, r"add gate: operand b: must be a finite number"),
]


@pytest.mark.parametrize("build,value,error,message", BAD)
def test_bad_input_gets_a_clear_error_and_leaves_the_graph_intact(build, value, error, message):
    x = Value(value, label="x")
    before = (x * 3).tanh()
    before.backward()
    snapshot = [(n, n.data, n.grad, n._prev) for n in topological_order(before)]
    with pytest.raises(error, match=message):
        build(x)
    assert [(n, n.data, n.grad, n._prev) for n in topological_order(before)] == snapshot


@pytest.mark.parametrize("data,error", [("1", TypeError), (None, TypeError), ([1.0], TypeError),
                                        (float("nan"), ValueError), (float("-inf"), ValueError)])
def test_bad_leaf_data(data, error):
    with pytest.raises(error, match=r"Value: must be"):
        Value(data)


def test_label_passed_positionally_is_explained():
    with pytest.raises(TypeError, match=r"write Value\(0\.5, label='x'\)"):
        Value(0.5, "x")


def test_numbers_of_other_types_are_accepted():
    import fractions

    import numpy as np

    assert (Value(1.0) + np.float64(2.0)).data == 3.0
    assert (Value(1.0) * np.int64(3)).data == 3.0
    assert Value(fractions.Fraction(1, 4)).data == 0.25
    assert Value(True).data == 1.0


# -- anomaly mode -----------------------------------------------------------------------------


def test_an_overflowing_result_is_refused_in_every_mode():
    big = Value(1e200, label="big")
    h = big * 2  # finite
    message = (r"^mul gate: the result overflows float64; got a = 2e\+200, "
               r"b = 1e\+200 \(node 'big'\)$")
    with pytest.raises(OverflowError, match=message):
        h * big
    with detect_anomaly(), pytest.raises(OverflowError, match=message):
        h * big


def test_anomaly_mode_names_a_non_finite_local_derivative_and_the_chain():
    t = Value(1e-320, label="t")  # subnormal: log(t) = -736.8 is fine, its slope 1/t is not
    assert t.log().data == pytest.approx(math.log(1e-320))
    with detect_anomaly(), pytest.raises(AnomalyError) as e:
        (t * 1.0).log()
    assert str(e.value) == ("log gate produced a non-finite local derivative ((inf,)) from "
                            "a = 1e-320; chain: t → mul → log")


def test_anomaly_mode_in_backward_restores_every_grad():
    a = Value(1e-160, label="a")
    w = Value(1.0, label="w")
    loss = (a * a).log() * w  # a*a = 1e-320 (subnormal); d log / d(a*a) = 1e320 -> inf
    w.grad = 5.0
    with detect_anomaly(), pytest.raises(AnomalyError) as e:
        loss.backward()
    assert "log gate sent a non-finite gradient" in str(e.value)
    assert "chain from the root" in str(e.value)
    assert "every .grad was left as it was" in str(e.value)
    assert w.grad == 5.0 and a.grad == 0.0 and loss.grad == 0.0


def test_no_grad_builds_no_graph():
    x = Value(2.0)
    with no_grad():
        y = (x * 3).tanh()
    assert y._prev == () and y.op == "" and y.data == pytest.approx(math.tanh(6.0))
    z = x * 3  # switched back on
    assert z._prev == (x, z._prev[1])


# -- micrograd compatibility: lesson code runs unchanged, same numbers --------------------


def lecture_neuron(V):
    """From the nn-zero-to-hero lecture (micrograd), verbatim apart from the class name."""
    x1 = V(2.0, label="x1")
    x2 = V(0.0, label="x2")
    w1 = V(-3.0, label="w1")
    w2 = V(1.0, label="w2")
    b = V(6.8813735870195432, label="b")
    x1w1 = x1 * w1; x1w1.label = "x1*w1"
    x2w2 = x2 * w2; x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b; n.label = "n"
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.label = "o"
    o.backward()
    return [o.data] + [v.grad for v in (x1, x2, w1, w2, b)]


def micrograd_more_ops(V):
    """micrograd's own test_more_ops, verbatim."""
    a = V(-4.0)
    b = V(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return [g.data, a.grad, b.grad]


def micrograd_sanity_check(V):
    x = V(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return [y.data, x.grad]


class _MicrogradWithLabels:
    """micrograd 0.1.0's Value has no `label`; the lecture's version does. Add just that."""

    def __new__(cls, data, label=""):
        from micrograd.engine import Value as MV

        v = MV(data)
        v.label = label
        return v


@pytest.mark.parametrize("lesson", [micrograd_more_ops, micrograd_sanity_check])
def test_micrograd_lesson_code_gives_the_same_numbers(lesson):
    """Run side by side with the micrograd package (0.1.0 has only relu of the non-linear gates,
    so the lecture's neuron, which needs exp/tanh, is checked against torch below)."""
    ours = lesson(Value)
    theirs = lesson(_MicrogradWithLabels)
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_lecture_neuron_numbers():
    o, dx1, dx2, dw1, dw2, db = lecture_neuron(Value)
    assert round(o, 4) == 0.7071
    assert [round(g, 4) for g in (dx1, dx2, dw1, dw2, db)] == [-1.5, 0.5, 1.0, 0.0, 0.5]


def test_lecture_neuron_against_torch():
    def t(v):
        return torch.tensor(v, dtype=torch.float64, requires_grad=True)

    x1, x2, w1, w2, b = t(2.0), t(0.0), t(-3.0), t(1.0), t(6.8813735870195432)
    o = torch.tanh(x1 * w1 + x2 * w2 + b)
    o.backward()
    expected = [o.item()] + [v.grad.item() for v in (x1, x2, w1, w2, b)]
    assert lecture_neuron(Value) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_micrograd_more_ops_against_torch():
    a = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    assert micrograd_more_ops(Value) == pytest.approx([g.item(), a.grad.item(), b.grad.item()],
                                                      rel=1e-12)


def test_micrograd_draw_dot_runs_unchanged():
    from graphviz import Digraph

    def trace(root):  # micrograd's trace_graph.ipynb, verbatim
        nodes, edges = set(), set()

        def build(v):
            if v not in nodes:
                nodes.add(v)
                for child in v._prev:
                    edges.add((child, v))
                    build(child)
        build(root)
        return nodes, edges

    def draw_dot(root, format="svg", rankdir="LR"):
        nodes, edges = trace(root)
        dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
        for n in nodes:
            dot.node(name=str(id(n)), label="{ data %.4f | grad %.4f }" % (n.data, n.grad),  # noqa: UP031
                     shape="record")
            if n._op:
                dot.node(name=str(id(n)) + n._op, label=n._op)
                dot.edge(str(id(n)) + n._op, str(id(n)))
        for n1, n2 in edges:
            dot.edge(str(id(n1)), str(id(n2)) + n2._op)
        return dot

    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    src = draw_dot(y).source
    assert "data 3.0000 | grad 1.0000" in src and "data 1.0000 | grad 2.0000" in src
    assert f'"{id(y)}relu" [label=relu]' in src
    assert '[label="*"]' in src and '[label="+"]' in src
    assert draw_dot(y).pipe(format="svg").startswith(b"<?xml")


def test_repr_shows_data_grad_and_label():
    assert repr(Value(2.0, label="x")) == "Value(data=2, grad=0, label='x')"
    assert engine.Value(0.5).__repr__() == "Value(data=0.5, grad=0)"


def test_gradcheck_bad_input():
    from engine import gradcheck

    with pytest.raises(TypeError, match=r"Value: must be a Value or a real number, got str"):
        gradcheck(lambda x: x * 2, ["1"])
    with pytest.raises(ValueError, match=r"Value: must be a finite number, got nan"):
        gradcheck(lambda x: x * 2, [float("nan")])
    with pytest.raises(TypeError, match=r"gradcheck: f must return a Value, got float"):
        gradcheck(lambda x: x.data * 2, [1.0])
    x = Value(3.0, label="x")
    result = gradcheck(lambda x: x * x, [x])
    assert result.rows[0].name == "x" and result.rows[0].analytic == 6.0
    assert x.grad == 0.0  # worked on a fresh copy


# -- the lecture's hand-stepping (issue 19) --------------------------------------------------------


def test_backward_by_hand_node_by_node_as_the_lecture_does():
    """Karpathy's lecture, written by us: a tanh neuron with two inputs, then o.grad = 1.0 and
    _backward() on each node from the output down. The numbers are the lecture's, by hand:
    o = tanh(n) = 0.7071, do/dn = 1 - o² = 0.5, and the mul gates swap."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    x1w1x2w2 = x1w1 + x2w2
    n = x1w1x2w2 + b
    o = n.tanh()
    o.grad = 1.0
    for node in (o, n, b, x1w1x2w2, x2w2, x1w1, x1, x2, w1, w2):  # a leaf's does nothing
        node._backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert n.grad == pytest.approx(0.5) and b.grad == pytest.approx(0.5)
    assert x1w1.grad == pytest.approx(0.5) and x2w2.grad == pytest.approx(0.5)
    assert x1.grad == pytest.approx(-1.5) and w1.grad == pytest.approx(1.0)
    assert x2.grad == pytest.approx(0.5) and w2.grad == 0.0
    by_hand = [v.grad for v in (x1, x2, w1, w2, b, n)]
    zero_grad(o)
    o.backward()
    assert [v.grad for v in (x1, x2, w1, w2, b, n)] == by_hand  # what backward() gives


def test_backward_by_hand_adds_both_parts_when_one_node_is_used_twice():
    a = Value(3.0, label="a")
    b = a + a  # the lecture's bug: = instead of += would give 1
    b.grad = 1.0
    b._backward()
    assert a.grad == 2.0


def test_backward_by_hand_refuses_an_overflow_and_keeps_every_grad():
    x = Value(1.0, label="x")
    y = x * 1e10  # a local of 1e10, finite
    y.grad = 1e300
    x.grad = 3.0
    with pytest.raises(AnomalyError, match=r"mul gate: _backward\(\) would give its input "
                                           r"a = 1.0 \(node 'x'\) the gradient inf"):
        y._backward()
    assert x.grad == 3.0
