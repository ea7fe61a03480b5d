"""Issue 23's reproducers for the engine core: non-finite never enters, on every path.

Each input is the one the issue names, typed by hand, with its expected refusal or answer. Every
test here failed on the engine before the guard landed (commit 8a557c3, run from a temporary
worktree on this same file), except the one marked "held before too", which pins what already
worked so it stays that way (exp past the top of float64 was refused before too, in other words).

The graph of the first group is ``c = log(x * 1e-300) * 1e10`` at x = 1: every value is finite
(x·1e-300 = 1e-300, log of it = -690.78, times 1e10 = -6.9e12), and so is the true dc/dx = 1e10,
but the log gate's local derivative is 1/1e-300 = 1e300 and the upstream gradient reaching it is
1e10, so the gradient it sends to its input is 1e310: past float64's 1.8e308, inf.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import engine
import viz
from engine import GATES, AnomalyError, FormulaError, Value, gradcheck, make_gate
from tests.engine.strategies import engine_apply, exponents
from words import localize

REPO = Path(__file__).resolve().parents[2]


def overflowing() -> tuple[Value, Value]:
    x = Value(1.0, label="x")
    return x, (x * 1e-300).log() * 1e10


def _refuses_at_the_log_gate(error: pytest.ExceptionInfo) -> None:
    text = str(error.value)
    assert text.startswith("log gate sent a non-finite gradient (inf)"), text
    assert "upstream 10000000000.0" in text and "every .grad was left as it was" in text


# -- backward, stepping, tables: one refusal, gradients untouched ------------------------------


def test_backward_refuses_and_leaves_every_grad():  # held before too
    x, c = overflowing()
    x.grad = 5.0  # a gradient from an earlier pass must survive the refusal
    with pytest.raises(AnomalyError) as error:
        c.backward()
    _refuses_at_the_log_gate(error)
    assert x.grad == 5.0 and c.grad == 0.0


def test_the_backward_refusal_reads_in_chinese():
    x, c = overflowing()
    with pytest.raises(AnomalyError) as error:
        c.backward()
    # its operand x·1e-300 has no label; 1/1e-300 in float64 is 9.999999999999999e+299
    assert localize(error.value, "zh") == (
        "对数门向它的输入 a = 1e-300 传出了非有限的梯度 inf（上游梯度 10000000000.0，局部梯度 "
        "9.999999999999999e+299）；从根节点起的链：mul → log；所有 .grad 均保持原样")


@pytest.mark.parametrize("path", [
    lambda c: list(c.backward_steps()),  # before the guard: x.grad == inf, no error
    engine.record_steps,
    viz.steps_table,  # before the guard: a table showing inf
    viz.chain_rule_text,
], ids=["backward_steps", "record_steps", "steps_table", "chain_rule_text"])
def test_every_stepping_path_refuses_and_leaves_x_grad_intact(path):
    x, c = overflowing()
    with pytest.raises(AnomalyError) as error:
        path(c)
    _refuses_at_the_log_gate(error)
    assert x.grad == 0.0 and c.grad == 0.0


def test_propagate_refuses_at_the_gate_whose_gradient_overflows():
    x, c = overflowing()
    fired = []
    with pytest.raises(AnomalyError):
        for node, _upstream, _grads in engine.propagate(c):
            fired.append(node.op)
    assert fired == ["mul"]  # the root's mul fired; the log gate is where it stopped
    assert x.grad == 0.0 and c.grad == 0.0


def gategrad(*args: str, answers: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gategrad", *args], input=answers,
                          capture_output=True, text=True, timeout=120, cwd=REPO)


def test_the_steps_command_exits_1_with_one_line_naming_the_gate():
    done = gategrad("steps", "log(x*1e-300)*1e10", "--set", "x=1")
    assert done.returncode == 1
    assert done.stdout == ""  # no half table: the forward table is not printed either
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("gategrad steps: error: log gate sent a non-finite gradient")


def test_the_quiz_never_asks_for_inf():
    done = gategrad("quiz", "log(x*1e-300)*1e10", "--set", "x=1", answers="1\n" * 6)
    assert done.returncode == 1
    assert "inf" not in done.stdout and "What does" not in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gategrad quiz: error: log gate")


def test_forward_mode_refuses_a_non_finite_tangent():
    # log at x = 1e-310 is -713.8, finite; its slope 1/x = 1e310 is not
    x = Value(1e-310, label="x")
    with pytest.raises(AnomalyError, match="log gate: forward mode's tangent"):
        engine.forward_grad(x.log(), x)


# -- data assigned behind the gates' back ------------------------------------------------------


NOT_FINITE = "an operand is not a finite number"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("apply, gate", [
    (lambda v: v.relu(), "relu"),  # gave 0.0 on NaN
    (lambda v: v.max(0), "max"),  # gave 0.0 on NaN
    (lambda v: engine.maximum(v, 0.0), "max"),
    (lambda v: v.sigmoid(), "sigmoid"),  # gave 1.0 on inf
    (lambda v: v.tanh(), "tanh"),  # gave 1.0 on inf
    (lambda v: v * 2, "mul"),  # said "the result overflows float64" on NaN
    (lambda v: 2 * v, "mul"),
])
def test_a_gate_refuses_data_assigned_nan_or_inf(apply, gate, bad):
    v = Value(1.0, label="v")
    v.data = bad
    with pytest.raises(ValueError) as error:
        apply(v)
    text = str(error.value)
    assert text.startswith(f"{gate} gate: {NOT_FINITE}"), text
    assert "(node 'v')" in text and "overflows" not in text


@pytest.mark.parametrize("name", sorted(GATES))
def test_every_row_of_the_table_refuses_a_nan_operand(name):
    """Derived from the table: a row registered later is held to the same rule."""
    for position in range(GATES[name].arity):
        operands = [Value(2.0, label="a"), Value(3.0, label="b")]
        operands[position].data = math.nan
        for p in exponents(name):
            with pytest.raises(ValueError, match=NOT_FINITE):
                engine_apply(name, p, *operands)


# -- settings and sizes ------------------------------------------------------------------------


def test_exp_near_the_top_of_float64_is_given():
    # exp(709.782) = 1.7964e308 < 1.7977e308: finite, so the gate must give it
    out = Value(709.782).exp()
    expected = torch.exp(torch.tensor(709.782, dtype=torch.float64)).item()
    assert out.data == pytest.approx(1.7964120280206e308, rel=1e-12)
    assert out.data == pytest.approx(expected, rel=1e-15)
    assert out._local == (out.data,)


def test_exp_past_the_top_of_float64_is_refused():
    with pytest.raises(OverflowError, match="exp gate: the result overflows float64"):
        Value(709.79).exp()


def test_gradcheck_with_no_inputs_is_an_error_not_a_pass():
    with pytest.raises(ValueError, match="gradcheck: inputs is empty"):
        gradcheck(lambda: Value(1.0), [])


def test_a_16383_character_label_is_refused_where_it_is_given():
    with pytest.raises(ValueError, match="label is 16383 characters long.*at most 200"):
        Value(1.0, label="a" * 16383)
    v = Value(1.0, label="ok")
    with pytest.raises(ValueError, match="16383 characters"):
        v.label = "a" * 16383
    assert v.label == "ok"
    Value(1.0, label="a" * 200)  # the limit itself is fine


def test_a_lone_surrogate_in_a_label_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"lone surrogate \('\\ud800' at position 1\)"):
        Value(1.0, label="x\ud800")
    assert Value(1.0, label="x\U0001f600").label == "x\U0001f600"  # a whole emoji is fine


@pytest.mark.parametrize("formula", ["__import__('os').getcwd()", "a.__class__",
                                     "open('x')", "(lambda: a)()"])
def test_make_gate_goes_through_the_whitelist(formula):
    with pytest.raises(FormulaError, match="evil gate"):
        make_gate("evil", "e", "a", formula, ("1.0",), "a rule")
    with pytest.raises(FormulaError, match="evil gate: local derivative"):
        make_gate("evil", "e", "a", "a", (formula,), "a rule")
