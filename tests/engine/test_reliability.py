"""Nothing silently wrong (issue 15, engine side): modes per thread, backward from two threads,
overflow refused and named, every setting checked. Each test failed on the engine before the
fix (checked by running the old engine from git on the same code); expected values by hand."""

from __future__ import annotations

import copy
import math
import pickle
import sys
import threading

import numpy as np
import pytest
import torch

import engine
from engine import AnomalyError, ReplayError, Value, detect_anomaly, gradcheck, no_grad
from words import localize


def _run(*targets):
    """Run each target in a thread of its own; re-raise the first failure here."""
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as e:  # noqa: BLE001 - handed to the test thread
                errors.append(e)
        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]


# -- modes are per thread -------------------------------------------------------------------------


def test_another_threads_no_grad_does_not_switch_off_this_threads_graph():
    inside, done = threading.Event(), threading.Event()

    def hold_no_grad():
        with no_grad():
            inside.set()
            done.wait(10)

    def build():
        inside.wait(10)
        x = Value(3.0)
        y = x * x
        y.backward()
        assert y._prev == (x, x) and x.grad == 6.0
        done.set()

    _run(hold_no_grad, build)


def test_a_new_thread_starts_with_grad_on_and_anomaly_off():
    seen = []

    def look():
        x = Value(1e-320)
        seen.append(((x * 2)._prev != (), (x * 1.0).log().data))  # no AnomalyError here

    with no_grad(), detect_anomaly():
        _run(look)
        assert (Value(1.0) * 2)._prev == ()  # still off here
    assert seen == [(True, pytest.approx(math.log(1e-320)))]


def test_overlapping_exits_in_two_threads_leave_grad_on():
    """A enters, B enters, A exits, B exits: the old global mode stayed off for good."""
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a():
        with no_grad():
            a_in.set()
            b_in.wait(10)
        a_out.set()

    def b():
        a_in.wait(10)
        with no_grad():
            b_in.set()
            a_out.wait(10)

    _run(a, b)
    x = Value(2.0)
    y = x * x
    y.backward()
    assert x.grad == 4.0


def test_overlapping_exits_restore_only_the_mode_each_block_set():
    """no_grad entered, detect_anomaly entered, no_grad left first: grad is on again at once,
    anomaly stays on until its own block ends, and nothing is left switched afterwards."""
    grad_off, anomaly_on = no_grad(), detect_anomaly()
    grad_off.__enter__()
    anomaly_on.__enter__()
    grad_off.__exit__(None, None, None)
    assert (Value(1.0) * 2)._prev != ()  # grad back on
    with pytest.raises(AnomalyError, match="non-finite local derivative"):
        (Value(1e-320) * 1.0).log()  # anomaly still on
    anomaly_on.__exit__(None, None, None)
    assert (Value(1e-320) * 1.0).log().data == pytest.approx(math.log(1e-320))
    assert (Value(1.0) * 2)._prev != ()


def test_nesting_and_exceptions_restore_the_mode():
    with pytest.raises(RuntimeError), no_grad():
        with detect_anomaly():
            raise RuntimeError("boom")
    assert (Value(1.0) * 2)._prev != ()
    with no_grad():
        with detect_anomaly():
            assert (Value(1.0) * 2)._prev == ()
        assert (Value(1.0) * 2)._prev == ()


def test_no_grad_keeps_the_anomaly_mode_it_finds_at_entry_and_works_as_a_decorator():
    ng = no_grad()  # made outside detect_anomaly, entered inside it
    with detect_anomaly(), ng, pytest.raises(AnomalyError, match="non-finite local derivative"):
        (Value(1e-320) * 1.0).log()

    @no_grad()
    def double(x):
        return x * 2

    assert double(Value(1.0))._prev == () and double(Value(2.0)).data == 4.0
    assert (Value(1.0) * 2)._prev != ()


# -- backward from several threads ----------------------------------------------------------------


def _switching_often(*targets):
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, mid-backward
    try:
        _run(*targets)
    finally:
        sys.setswitchinterval(old)


def test_backward_on_one_graph_from_four_threads_at_once_is_correct():
    """Each pass adds the same gradients, so 4 threads × 25 passes give 100 additions of them,
    while a fifth thread names the nodes (the old engine's passes shared the scratch sums and
    its walk cleared them)."""
    xs = [Value(0.1 * (k % 7) - 0.3) for k in range(2000)]
    y = Value(0.0)
    for x in xs:
        y = y + (x * x).tanh() * x
    y.backward()
    once = [x.grad for x in xs]
    assert y._prev and any(once)  # a graph was built (the old global no_grad could be stuck)
    expected = []
    for g in once:  # the same 100 additions, by hand in one thread
        total = 0.0
        for _ in range(100):
            total += g
        expected.append(total)
    engine.zero_grad(y)
    passes_done = threading.Barrier(5)

    def look():  # a thread drawing the graph meanwhile (the old walk cleared every _g)
        while passes_done.n_waiting < 4:
            engine.node_names(y)
        passes_done.wait()

    def passes():
        for _ in range(25):
            y.backward()
        passes_done.wait()

    _switching_often(look, *[passes] * 4)
    assert [x.grad for x in xs] == expected


def test_backward_of_graphs_sharing_a_parameter_from_four_threads():
    """Four samples' graphs share w, as threads training one model would (old: off by 1%)."""
    w = Value(0.3, label="w")

    def graph(k):
        f = Value(0.0)
        for i in range(300):
            f = f + (w * (0.01 * i + k)).tanh()
        return f

    graphs = [graph(k) for k in range(4)]
    expected = sum(20 * c * (1 - math.tanh(0.3 * c) ** 2)  # d tanh(w c) / dw, by hand
                   for c in (0.01 * i + k for k in range(4) for i in range(300)))
    def passes(f):
        return lambda: [f.backward() for _ in range(20)]

    _switching_often(*[passes(f) for f in graphs])
    assert w.grad == pytest.approx(expected, rel=1e-12)


def test_different_graphs_in_different_threads_are_independent():
    results = {}

    def work(k):
        def run():
            xs = [Value(0.5 + k) for _ in range(3)]
            for _ in range(50):
                out = (xs[0] * xs[1] + xs[2]).tanh()
                out.zero_grad()
                out.backward()
            results[k] = [v.grad for v in xs]
        return run

    _switching_often(*[work(k) for k in range(4)])
    for k in range(4):
        a = 0.5 + k
        slope = 1 - math.tanh(a * a + a) ** 2  # by hand: d tanh(ab + c)
        assert results[k] == pytest.approx([slope * a, slope * a, slope], rel=1e-12)


# -- overflow never enters a graph ----------------------------------------------------------------


def test_a_result_that_overflows_is_refused_like_a_non_finite_input():
    with pytest.raises(OverflowError) as e:
        Value(1e308) * 10
    assert str(e.value) == "mul gate: the result overflows float64; got a = 1e+308, b = 10.0"
    assert localize(e.value, "zh") == ("乘法门：结果超出 float64 的范围（溢出）；"
                                       "得到 a = 1e+308，b = 10.0")
    x = Value(1e300, label="x")
    with pytest.raises(OverflowError, match=r"^mul gate: the result overflows float64; got "
                                            r"a = 1e\+300 \(node 'x'\), b = 1e\+300 \(node 'x'\)$"):
        (x * x - x * x).relu()


def test_relu_and_max_keep_nan_in_the_replay_so_an_overflow_is_named():
    """inf - inf = NaN inside a batch must not become relu's 0 (the scalar relu never sees it)."""
    x, y = Value(1.0, label="x"), Value(1.0, label="y")
    prog = engine.compile_replay((x * x - x * x).relu().max(y * 0.0) + y, inputs=[x, y])
    with pytest.raises(OverflowError, match=r"mul gate at node 's0' gave inf in sample 1"):
        prog.forward([[1.0, 1.0], [1e300, 1.0]])
    from engine.replay import NUMPY_FUNCTIONS
    assert np.isnan(NUMPY_FUNCTIONS["relu"](np.array([np.nan])))[0]
    assert np.isnan(NUMPY_FUNCTIONS["maximum"](np.array([np.nan]), np.array([1.0])))[0]


def test_a_gradient_that_overflows_in_backward_is_named_and_grads_stay():
    a = Value(1e-160, label="a")
    w = Value(1.0, label="w")
    loss = (a * a).log() * w  # a*a = 1e-320 (subnormal): d log / d(a*a) = 1e320 -> inf
    w.grad = 5.0
    with pytest.raises(AnomalyError) as e:
        loss.backward()  # outside detect_anomaly: the old engine gave a.grad = inf quietly
    assert str(e.value).startswith("log gate sent a non-finite gradient (inf) to its input a = ")
    assert "every .grad was left as it was" in str(e.value)
    assert w.grad == 5.0 and a.grad == 0.0 and loss.grad == 0.0


def test_a_sum_of_finite_gradients_that_overflows_is_named():
    x = Value(1e-300, label="x")
    y = x * 1.5e308 + x * 1.5e308  # 3e8, fine; dy/dx = 3e308 is not
    with pytest.raises(AnomalyError, match=r"^mul gate sent 1\.5e\+308 to its input a = 1e-300 "
                                           r"\(node 'x'\) \(upstream 1\.0, local 1\.5e\+308\), "
                                           r"whose gradient sum then overflows float64 \(inf\); "):
        y.backward()
    assert x.grad == 0.0


def test_div_local_derivative_does_not_underflow():
    a, b = Value(1e-200, label="a"), Value(1e-170, label="b")
    q = a / b
    q.backward()  # the old -a / (b * b) divided by 0.0: "division by zero"
    assert q.data == pytest.approx(1e-30, rel=1e-12)
    assert b.grad == pytest.approx(-1e140, rel=1e-12)  # -a / b**2, by hand
    assert a.grad == pytest.approx(1e170, rel=1e-12)
    assert (Value(1.0) / Value(1e-170)).data == pytest.approx(1e170, rel=1e-12)
    ta = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-0.7, dtype=torch.float64, requires_grad=True)
    (ta / tb).backward()
    a, b = Value(3.0), Value(-0.7)
    (a / b).backward()
    assert [a.grad, b.grad] == pytest.approx([ta.grad.item(), tb.grad.item()], rel=1e-14)


def test_exp_is_refused_exactly_where_float64_overflows():
    """ln(max float64) = 709.78271...: exp(709.782) is finite and given (issue 23: a check at
    709.78 refused it), exp(709.79) overflows and is refused with the overflow's message."""
    assert Value(709.782).exp().data == pytest.approx(1.7964120280206387e308, rel=1e-12)
    with pytest.raises(OverflowError) as e:
        Value(709.79).exp()
    assert str(e.value) == "exp gate: the result overflows float64; got a = 709.79"


# -- settings and numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs,message", [
    ({"h": 0.0}, "gradcheck: h must be a positive finite number, got 0.0"),
    ({"h": -1e-6}, "gradcheck: h must be a positive finite number, got -1e-06"),
    ({"h": float("nan")}, "gradcheck: h must be a positive finite number, got nan"),
    ({"h": "1e-6"}, "gradcheck: h must be a positive finite number, got '1e-6'"),
    ({"rtol": -1.0}, "gradcheck: rtol must be a finite number >= 0, got -1.0"),
    ({"atol": float("inf")}, "gradcheck: atol must be a finite number >= 0, got inf"),
])
def test_gradcheck_settings_are_checked(kwargs, message):
    with pytest.raises(ValueError) as e:
        gradcheck(lambda x: x * x, [1.0], **kwargs)
    assert str(e.value) == message


def test_labels_must_be_strings():
    with pytest.raises(TypeError) as e:
        Value(1, label=123)
    assert str(e.value) == "Value label must be a string, got int 123"
    x = Value(1.0, label="x")
    with pytest.raises(TypeError, match=r"^Value label must be a string, got int 123$"):
        x.label = 123
    assert x.label == "x"


def test_numbers_too_large_for_float64_are_named():
    message = ("must be a finite number, got an integer of about 10**400, too large for "
               "float64")
    with pytest.raises(ValueError) as e:
        Value(10**400)
    assert str(e.value) == f"Value: {message}"
    x = Value(2.0)
    with pytest.raises(ValueError) as e:
        x ** 10**400
    assert str(e.value) == f"pow gate: the exponent: {message}"
    with pytest.raises(ValueError) as e:
        x + 10**400
    assert str(e.value) == f"add gate: operand b: {message}"


def test_pickling_a_graph_is_a_clear_error():
    y = Value(2.0) * 3
    for dump in (pickle.dumps, copy.deepcopy):
        with pytest.raises(TypeError, match=r"cannot be pickled or copied.*state_dict\(\)"):
            dump(y)


def test_digits_are_checked_in_step_records():
    (x := Value(2.0, label="x"))
    steps = engine.record_steps(x * 3)
    with pytest.raises(ValueError) as e:
        steps[0].chain_rule(digits=-1)
    assert str(e.value) == "chain_rule digits must be a whole number from 0 to 12, got -1"
    with pytest.raises(ValueError, match=r"^formula digits must be a whole number from 0 to "
                                         r"12, got 1\.5$"):
        next(engine.forward_steps(x * 3)).formula(1.5)


# -- compile and Program --------------------------------------------------------------------------


def test_compile_refuses_an_input_the_graph_does_not_use():
    x, z = Value(1.0, label="x"), Value(0.0, label="z")
    with pytest.raises(ReplayError, match=r"input 'z' is not a leaf of the outputs' graph"):
        engine.compile_replay(x * 2, [x, z])  # the old replay ignored z's column without a word


def test_compile_refuses_a_graph_built_without_gates():
    x = Value(1.0, label="x")
    with no_grad():
        y = x * 2
    with pytest.raises(ReplayError, match=r"has no gates \(was it built under no_grad\?\)"):
        engine.compile_replay(y, [x])


def test_program_forward_names_both_widths():
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    prog = engine.compile_replay(x * y, [x, y])
    with pytest.raises(ReplayError, match=r"^X has 4 columns but the program has 2 inputs"):
        prog.forward([[1.0, 2.0, 3.0, 4.0]])
