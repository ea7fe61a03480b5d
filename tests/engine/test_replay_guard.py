"""The replay's finiteness guard on backward (issue 23's item): a gradient that overflows is
named (gate, input, sample) and every ``.grad`` is left as it was, as the scalar engine does."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine import Value
from engine.errors import AnomalyError
from words import localize


def test_the_log_that_sends_1e310_is_named_and_no_grad_changes():
    w, x = Value(1.0, label="w"), Value(1.0, label="x")
    f = ((w * x) * 1e-300).log() * 1e10
    prog = engine.compile_replay(f, inputs=[x])
    w.grad = 5.0
    prog.forward([[1.0]])
    with pytest.raises(AnomalyError) as caught:
        prog.backward()
    said = str(caught.value)
    assert "log gate" in said and "non-finite gradient (inf)" in said
    assert "input a = 1e-300" in said and "sample 0 of the batch" in said
    assert "upstream 10000000000.0" in said and "every .grad was left as it was" in said
    assert w.grad == 5.0  # untouched (before the guard: inf, silently)
    assert localize(caught.value, "zh").startswith(  # the gate by its title, in Chinese
        "节点 's2' 处的对数门在批次的样本 0（X 的第 0 行）上向它的输入 a = 1e-300（节点 's1'）"
        "传出了非有限的梯度 inf"), localize(caught.value, "zh")


def test_the_sample_named_is_the_one_that_overflows():
    w, x = Value(1.0, label="w"), Value(1.0, label="x")
    f = (w * x).log() * 1e10
    prog = engine.compile_replay(f, inputs=[x])
    prog.forward([[1.0], [2.0], [1e-300], [3.0]])
    with pytest.raises(AnomalyError, match=r"log gate .* in sample 2 of the batch \(row 2 of X\)"):
        prog.backward()
    assert w.grad == 0.0
    prog.forward([[1.0], [2.0], [3.0]])  # a healthy batch afterwards works as before
    prog.backward()
    assert w.grad == pytest.approx(1e10 * 3)  # d/dw Σ 1e10·log(w x) = 1e10 · 3 / w


def test_finite_contributions_whose_sum_overflows_are_refused():
    # each sample sends d/dw = 1e308 (finite); the batch sum 2e308 overflows
    w, x = Value(1e-10, label="w"), Value(1.0, label="x")
    f = (w * x) * 1e308
    prog = engine.compile_replay(f, inputs=[x])
    prog.forward([[1.0], [1.0]])
    with pytest.raises(AnomalyError, match=r"parameter 'w' \(Σ over the 2 samples of the batch") \
            as caught:
        prog.backward()
    assert w.grad == 0.0
    assert localize(caught.value, "zh") == (
        "参数 'w' 的梯度（对批次中 2 个样本的 上游梯度 × 输入 求和）超出 float64 的范围（inf）；"
        "所有 .grad 均保持原样")


def test_a_nan_from_inf_times_zero_is_refused_too():
    # relu's local is 0 below zero: inf · 0 = nan must not reach a parameter as nan
    w, x = Value(1.0, label="w"), Value(1.0, label="x")
    f = ((w * x).log() * 1e10).relu() + (w * x).log() * 1e10
    prog = engine.compile_replay(f, inputs=[x])
    prog.forward([[1e-300]])
    with pytest.raises(AnomalyError, match=r"sample 0"):
        prog.backward()
    assert w.grad == 0.0


def test_healthy_batches_keep_their_gradients():
    w, x = Value(0.5, label="w"), Value(1.0, label="x")
    f = (w * x).tanh()
    prog = engine.compile_replay(f, inputs=[x])
    prog.forward(np.array([[0.1], [0.2]]))
    prog.backward()
    want = sum(x0 * (1 - np.tanh(0.5 * x0) ** 2) for x0 in (0.1, 0.2))
    assert w.grad == pytest.approx(want, rel=1e-12)


def test_a_value_that_overflows_going_forward_is_named_in_both_languages():
    x = Value(1e-300, label="x")  # traced where it is finite; x = 1 overflows: 1e400
    prog = engine.compile_replay((x * 1e200) * 1e200, inputs=[x])  # one weighted sum
    with pytest.raises(OverflowError) as caught:
        prog.forward([[1e-300], [1.0]])
    assert str(caught.value) == ("weighted sum ending in a mul gate at node 'f' gave inf in sample "
                                 "1 of the batch (row 1 of X); its inputs: 's0', 'c1'")
    assert localize(caught.value, "zh") == (
        "以节点 'f' 处的乘法门结尾的加权和在批次的样本 1（X 的第 1 行）上得到 inf；"
        "它的输入：'s0'，'c1'")
    prog = engine.compile_replay(x.exp(), inputs=[x])  # one gate
    with pytest.raises(OverflowError) as caught:
        prog.forward([[1.0], [800.0]])
    assert localize(caught.value, "zh") == (
        "节点 'f' 处的指数门在批次的样本 1（X 的第 1 行）上得到 inf；它的输入：'x'")
