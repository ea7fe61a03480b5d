"""A new gate is one row (issue 21): softplus, registered at run time, works everywhere at once.

``softplus(a) = log(1 + exp(a))`` with local derivative ``sigmoid(a)`` is made with
``make_gate`` and passed to ``engine.register``, with no other edit anywhere, then checked end
to end: Value's method and the engine's function, central differences and torch (through the
row's own ``torch`` column and the test strategies, which read the table), the batched replay,
step records and their lines, the command line's parser and help, the lesson page in
Chromium, and the translations, present or flagged. ``engine.unregister`` then leaves no trace.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import engine
from engine import GATES, Value, gradcheck, make_gate
from gategrad.expr import function_list, parse
from tests.engine.strategies import engine_apply, points, torch_apply
from tests.viz.page_driver import STATE_JS, browser, close_clean, open_page  # noqa: F401

SOFTPLUS = make_gate(
    "softplus", "softplus", "a", "log(1.0 + exp(a))", ("sigmoid(a)",),
    "softplus: the local derivative is sigmoid(a)",
    method="softplus", torch="torch.nn.functional.softplus",
    names={"en": "softplus gate", "zh": "softplus 门"})


@pytest.fixture(scope="module")
def softplus():
    """Registered for this module, then taken out. (Once a contributor adds softplus to the
    table itself, these tests check the table's row instead, with no edit.)"""
    if "softplus" in GATES:
        yield GATES["softplus"]
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine.register(SOFTPLUS)
    # The row gives its Chinese name; its rule is in no catalogue: register says so, once.
    said = [str(w.message) for w in caught]
    assert len(said) == 1 and "for its name" not in said[0]
    assert "softplus gate has no zh translation for 'softplus: the local derivative" in said[0]
    yield SOFTPLUS
    engine.unregister("softplus")


def test_the_untranslated_sentences_are_flagged_not_silent():
    row = make_gate("softsign", "softsign", "a", "a / (1.0 + maximum(a, -a))",
                    ("1.0 / ((1.0 + maximum(a, -a)) * (1.0 + maximum(a, -a)))",),
                    "softsign: a made-up sentence", method="softsign",
                    names={"en": "softsign gate"})
    assert engine.untranslated(row) == {"zh": ["its name", "'softsign: a made-up sentence'"]}
    assert row.title("zh") == "softsign gate"  # English, and flagged, rather than nothing
    assert engine.untranslated(GATES["mul"]) == {}  # the table's own rows are translated


def test_method_function_and_numbers(softplus):
    x = Value(0.3, label="x")
    y = x.softplus()
    assert y.op == "softplus" and y.data == pytest.approx(np.log1p(np.exp(0.3)), rel=1e-15)
    assert engine.softplus(0.3).data == y.data  # the function accepts a number
    from engine import softplus as function  # noqa: PLC0415 (registered after import)
    assert function is engine.FUNCTIONS["softplus"]
    assert "softplus" in engine.Value.softplus.__doc__


def test_against_finite_differences_and_torch_at_the_strategies_points(softplus):
    cases = points("softplus")
    assert len(cases) >= 4  # the strategies found its domain from its own kernel
    for p, a, _ in cases:
        assert gradcheck(lambda v, p=p: engine_apply("softplus", p, v, None), [a]).passed
        x = Value(a)
        engine_apply("softplus", p, x, None).backward()
        t = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        torch_apply("softplus", p, t, None).backward()
        assert x.grad == pytest.approx(t.grad.item(), rel=1e-13)


def test_the_replay_runs_it_over_a_batch(softplus):
    x, w = Value(0.0, label="x"), Value(0.7, label="w")
    program = engine.compile_replay((w * x).softplus() * 3.0, inputs=[x])
    X = np.array([[-2.0], [0.5], [4.0]])
    got = program.forward(X)
    want = 3.0 * np.log1p(np.exp(0.7 * X[:, 0]))
    np.testing.assert_allclose(got, want, rtol=1e-14)
    program.backward()
    scalar = 0.0
    for v in X[:, 0]:
        xs, ws = Value(float(v)), Value(0.7)
        out = (ws * xs).softplus() * 3.0
        out.backward()
        scalar += ws.grad
    assert w.grad == pytest.approx(scalar, rel=1e-13)


def test_step_records_and_their_lines(softplus):
    x = Value(1.0, label="x")
    f = x.softplus() * 2.0
    steps = engine.record_steps(f)
    gate = next(s for s in steps if s.op == "softplus")
    assert gate.rule == softplus.rule
    assert gate.chain_rule(digits=2) == ["df/dx += df/ds0 · ∂s0/∂x = 2.00 × 0.73 = 1.46"]
    forward = next(s for s in engine.forward_steps(f) if s.op == "softplus")
    assert forward.formula(digits=2) == "s0 = log(1.0 + exp(x)) = log(1.0 + exp(1.00)) = 1.31"


def test_the_command_line_parses_and_lists_it(softplus):
    expression = parse("softplus(w*x)", {"w": 2.0, "x": -0.5})
    assert expression.root.op == "softplus"
    assert expression.root.data == pytest.approx(np.log1p(np.exp(-1.0)), rel=1e-15)
    assert "softplus" in function_list().split()


@pytest.mark.browser
def test_the_page_computes_it_as_python_does(softplus, browser, tmp_path):  # noqa: F811
    from viz import stepper

    x, w = Value(0.4, label="x"), Value(-1.5, label="w")
    f = (w * x).softplus() + x
    path = tmp_path / "softplus.html"
    stepper(f, path)
    page = open_page(browser, path)
    got = page.evaluate(STATE_JS)
    close_clean(page, path)
    f.backward()
    want = [(engine.node_names(f)[n], n.data, n.grad) for n in engine.topological_order(f)]
    assert [g[0] for g in got] == [w_[0] for w_ in want]
    for (_, data, grad), (_, data_py, grad_py) in zip(got, want):
        assert data == pytest.approx(data_py, rel=1e-12)
        assert grad == pytest.approx(grad_py, rel=1e-12)


def test_unregister_leaves_no_trace():
    with pytest.warns(UserWarning, match="cube gate has no zh translation for 'cube'"):
        engine.register(make_gate("cube", "cube", "a", "a * a * a", ("3.0 * a * a",), "cube",
                                  method="cube", names={"en": "cube gate", "zh": "立方门"}))
    assert Value(2.0).cube().data == 8.0
    engine.unregister("cube")
    assert "cube" not in GATES and not hasattr(Value, "cube")
    assert "cube" not in engine.FUNCTIONS
    with pytest.raises(AttributeError):
        engine.cube  # noqa: B018
    with pytest.raises(ValueError, match="already a gate named 'mul'"):
        engine.register(make_gate("mul", "*", "ab", "a * b", ("b", "a"), "again"))
    with pytest.raises(ValueError, match="names .* are taken"):
        engine.register(make_gate("data2", "d", "a", "a", ("1.0",), "r", method="backward"))
    assert "data2" not in GATES  # the refused row left the table as it was
