"""Issue 23 in nn: every optimizer step is checked, every setting and shape too (hand-typed).

Each test failed on the code before the change: SGD wrote -inf into .data, Adam with eps = 0
raised a bare ZeroDivisionError, MLP(2, [1], activation="gelu") was accepted, a negative l2 was
trained with, an optimizer over another model's parameters trained nothing, load_state_dict(None)
said "'NoneType' object is not iterable". A refusal leaves every parameter, gradient and the
optimizer's state as they were: the step after a refusal is the step a fresh optimizer makes.
"""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import nn
from engine import Value
from nn import (
    MLP,
    SGD,
    Adam,
    AdamW,
    LambdaLR,
    StepLR,
    TrainingDiverged,
    UpdateNotFinite,
    cross_entropy,
    fit,
    multiclass_hinge,
    train_step,
)
from words import localize

# -- optimizers refuse an update that is not finite ----------------------------------------------


def test_sgd_with_lr_1e308_refuses_naming_the_parameter_and_the_step():
    w, b = Value(-1.0, label="w"), Value(0.5, label="b")
    w.grad, b.grad = 10.0, 1.0  # w - 1e308 * 10 = -inf; b - 1e308 = -1e308 is fine
    opt = SGD([b, w], lr=1e308, momentum=0.9)
    with pytest.raises(UpdateNotFinite) as error:
        opt.step()
    assert str(error.value) == (
        "SGD step 1: the update of w is not finite: its new .data would be -inf (.data -1.0, "
        ".grad 10.0, lr 1e+308). NaN and infinity never enter a graph: every parameter and the "
        "optimizer's state are left as they were; lower the learning rate, or clip the "
        "gradients (clip_grad_norm).")
    assert error.value.parameter is w and error.value.step == 1
    assert (w.data, b.data, w.grad, b.grad) == (-1.0, 0.5, 10.0, 1.0)  # b was not moved either
    assert opt.steps == 0 and opt.buffers == [None, None]
    assert "SGD 第 1 步" in localize(error.value, "zh")
    opt.lr = 0.1  # the next step is a first step: momentum buffer b = g, w ← w - 0.1·g
    opt.step()
    assert (w.data, b.data) == (-2.0, pytest.approx(0.4, abs=1e-15)) and opt.steps == 1


def test_an_unlabelled_parameter_is_named_by_its_place():
    p = Value(1.0)
    p.grad = 1.0
    with pytest.raises(UpdateNotFinite, match="the update of parameter 0 is not finite"):
        SGD([p], lr=1e308, weight_decay=1e308).step()  # g = 1 + 1e308·1, then 1e308·g = inf


def test_adam_with_eps_0_on_zero_weights_is_a_clear_error_not_zero_division():
    model = MLP(2, [1], seed=0)
    model.load_state_dict({"L1.N1.w1": 0.0, "L1.N1.w2": 0.0, "L1.N1.b": 0.0})
    opt = Adam(model.parameters(), lr=0.01, eps=0)
    with pytest.raises(UpdateNotFinite) as error:
        train_step(model, [[1.0, 2.0]], [0.0], opt)  # out = 0 = target: every gradient is 0
    text = str(error.value)
    assert text.startswith("Adam step 1: the update of L1.N1.w1 is not finite: its new .data "
                           "would be nan (.data 0.0, .grad 0.0, lr 0.01)")
    assert "with eps = 0, m / (√v + eps) is 0/0" in text and "keep eps > 0" in text
    assert (opt.m, opt.v, opt.steps) == ([0.0] * 3, [0.0] * 3, 0)
    assert set(model.state_dict().values()) == {0.0}


def test_adam_with_eps_0_and_a_gradient_steps_by_lr_times_its_sign():
    # the first Adam step is m̂ / √v̂ = g / |g|: w ← w - lr·sign(g), as torch's with eps = 0
    w = Value(0.5, label="w")
    w.grad = -2.0
    Adam([w], lr=0.01, eps=0).step()
    assert w.data == pytest.approx(0.51, abs=1e-15)
    t = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    t.grad = torch.tensor(-2.0, dtype=torch.float64)
    torch.optim.Adam([t], lr=0.01, eps=0).step()
    assert w.data == pytest.approx(t.item(), abs=1e-15)


def test_adam_refuses_a_second_moment_that_overflows():
    # g² = 1e400 overflows: torch keeps v = inf and never moves w again; here it is refused
    w = Value(1.0, label="w")
    w.grad = 1e200
    opt = AdamW([w], lr=0.01)
    with pytest.raises(UpdateNotFinite, match="its second moment v would be inf"):
        opt.step()
    assert (w.data, opt.v, opt.m) == (1.0, [0.0], [0.0])


def test_a_gradient_assigned_nan_is_named_as_such():
    w = Value(1.0, label="w")
    w.grad = math.nan
    with pytest.raises(UpdateNotFinite, match=r"\.grad was set to a non-finite number outside "
                                              r"backward\(\)"):
        SGD([w], lr=0.1).step()
    assert w.data == 1.0


def test_fit_turns_a_refused_update_into_training_diverged_at_that_step():
    # one linear neuron, w = 1, b = 0, x = 2, target 0: out = 2, dL/dw = 2·(2 - 0)·2 = 8,
    # dL/db = 4; w - 1e308·8 = -inf. Before: fit wrote -inf and failed one step later.
    model = MLP(1, [1], seed=0)
    model.load_state_dict({"L1.N1.w1": 1.0, "L1.N1.b": 0.0})
    for batched in (False, True):
        with pytest.raises(TrainingDiverged) as error:
            fit(model, [[2.0]], [0.0], lr=1e308, epochs=2, progress=False, batched=batched)
        text = str(error.value)
        assert text.startswith("training diverged at step 1 (epoch 1, batch 1): the update of "
                               "L1.N1.w1 is not finite: its new .data would be -inf (.data 1.0,"
                               " .grad 8.0, lr 1e+308), with learning rate 1e+308.")
        assert "before any update" not in text and error.value.step == 1
        assert model.state_dict() == {"L1.N1.w1": 1.0, "L1.N1.b": 0.0}


def test_a_schedule_giving_nan_is_refused_where_it_is_made():
    opt = SGD([Value(1.0)], lr=0.1)
    schedule = LambdaLR(opt, lambda k: math.nan if k == 2 else 1.0)
    schedule.step()
    with pytest.raises(ValueError, match=r"LambdaLR at step 2: the learning rate must be in "
                                         r"\[0.0, inf\), got nan"):
        schedule.step()
    assert (opt.lr, schedule.last_epoch) == (0.1, 1)


@given(data=st.floats(-1e6, 1e6), grad=st.floats(-1e300, 1e300),
       lr=st.floats(0, 1e308), momentum=st.sampled_from([0.0, 0.9]))
def test_sgd_refuses_exactly_when_torch_would_write_a_non_finite_number(data, grad, lr,
                                                                         momentum):
    """torch computes w + (-lr)·g with a fused multiply-add, w - lr·g here: the two agree to an
    ulp of lr·g, and on overflow exactly while |w| is far below 1e308 (hence |data| <= 1e6)."""
    w = Value(data, label="w")
    w.grad = grad
    t = torch.tensor(data, dtype=torch.float64, requires_grad=True)
    t.grad = torch.tensor(grad, dtype=torch.float64)
    torch.optim.SGD([t], lr=lr, momentum=momentum).step()
    if math.isfinite(t.item()):
        SGD([w], lr=lr, momentum=momentum).step()
        assert w.data == pytest.approx(t.item(), rel=1e-15, abs=1e-15 * max(1.0, abs(data)))
    else:
        with pytest.raises(UpdateNotFinite):
            SGD([w], lr=lr, momentum=momentum).step()
        assert w.data == data


# -- settings --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, message", [
    (dict(activation="gelu"), "MLP: unknown activation 'gelu'"),
    (dict(output_activation="gelu"), "MLP: unknown output_activation 'gelu'"),
    (dict(activation=None), "MLP: unknown activation None"),
])
def test_mlp_checks_its_activations_even_without_a_hidden_layer(kwargs, message):
    with pytest.raises(ValueError, match=message + "; choose one of relu, tanh, sigmoid, linear"):
        MLP(2, [1], **kwargs)


@pytest.mark.parametrize("alpha", [-1, -1e-4, math.nan, math.inf])
def test_a_negative_or_non_finite_l2_is_refused(alpha):
    model = MLP(2, [1], seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"fit: l2 must be a finite number >= 0 .*rewards large"):
        fit(model, [[1.0, 2.0]], [1.0], l2=alpha, epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"train_step: l2 must be a finite number >= 0"):
        train_step(model, [[1.0, 2.0]], [1.0], SGD(model, lr=0.1), l2=alpha)
    with pytest.raises(ValueError, match=r"l2: alpha must be a finite number >= 0"):
        nn.l2(model, alpha)
    assert model.state_dict() == before
    assert nn.l2(model, 0).data == 0.0  # no penalty is a penalty of 0


def test_fit_refuses_an_optimizer_over_another_models_parameters():
    model, other = MLP(2, [1], seed=1), MLP(2, [1], seed=2)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"fit: the optimizer holds 3 of its 3 parameters "
                                         r"outside this model \(the first: L1.N1.w1\)"):
        fit(model, [[1.0, 2.0]], [1.0], optimizer=SGD(other, lr=0.1), epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"train_step: the optimizer holds 3 of its 3"):
        train_step(model, [[1.0, 2.0]], [1.0], SGD(other, lr=0.1))
    assert model.state_dict() == before
    # an optimizer over part of the model (the output layer alone: a frozen first layer) is fine
    deep = MLP(2, [2, 1], seed=3)
    frozen = {k: v for k, v in deep.state_dict().items() if k.startswith("L1.")}
    fit(deep, [[1.0, 2.0]], [1.0], optimizer=SGD(deep.layers[1], lr=0.1), epochs=2,
        progress=False)
    assert {k: v for k, v in deep.state_dict().items() if k.startswith("L1.")} == frozen


def test_fit_refuses_a_scheduler_of_another_optimizer():
    model = MLP(2, [1], seed=1)
    opt = SGD(model, lr=0.1)
    with pytest.raises(ValueError, match="fit: the scheduler sets the learning rate of another"):
        fit(model, [[1.0, 2.0]], [1.0], optimizer=opt, scheduler=StepLR(SGD(model, lr=1), 5),
            epochs=1, progress=False)
    with pytest.raises(TypeError, match="fit: optimizer must be an nn optimizer"):
        fit(model, [[1.0, 2.0]], [1.0], optimizer="adam", epochs=1, progress=False)


@pytest.mark.parametrize("state, kind", [
    (None, "NoneType None"), ([1.0, 2.0], "list [1.0, 2.0]"), ("L1.N1.w1", "str 'L1.N1.w1'"),
    ([("L1.N1.w1", 0.5)], "list [('L1.N1.w1', 0.5)]"),
])
def test_load_state_dict_refuses_what_is_not_a_dict(state, kind):
    model = MLP(1, [1], seed=0)
    before = model.state_dict()
    with pytest.raises(TypeError, match=r"load_state_dict: expected a dict of parameter names "
                                        r"to numbers, as state_dict\(\) returns, got "
                                        + kind.replace("(", r"\(").replace(")", r"\)")
                                        .replace("[", r"\[").replace("]", r"\]")):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_of_another_shape_names_the_keys():
    model = MLP(1, [1], seed=0)
    with pytest.raises(KeyError, match=r"missing \['L1.N1.b'\], unexpected \['L1.N1.w2'\]"):
        model.load_state_dict({"L1.N1.w1": 1.0, "L1.N1.w2": 2.0})


@pytest.mark.parametrize("dampening", [-0.5, 1.0, 2.0])
def test_sgd_dampening_is_in_zero_one(dampening):
    with pytest.raises(ValueError, match=r"SGD: dampening must be in \[0.0, 1.0\)"):
        SGD([Value(1.0)], momentum=0.9, dampening=dampening)


# -- class-index bounds ----------------------------------------------------------------------------


Z3 = [0.5, -1.0, 2.0]  # three scores
# by hand: log(e^0.5 + e^-1 + e^2) = log(1.6487213 + 0.3678794 + 7.3890561) = log(9.4056568)
LSE3 = 2.2413113


@pytest.mark.parametrize("loss, right", [
    (cross_entropy, {0: LSE3 - 0.5, 2: LSE3 - 2.0}),
    # Σ_{j≠t} max(0, z_j - z_t + 1): t = 0: (0) + (2 - 0.5 + 1) = 2.5; t = 2: 0 + 0
    (multiclass_hinge, {0: 2.5, 2: 0.0}),
])
def test_class_indices_0_and_k_minus_1_are_classes_and_minus_1_and_k_are_not(loss, right):
    scores = torch.tensor([Z3], dtype=torch.float64)
    for t, expected in right.items():
        got = loss([Value(z) for z in Z3], t).data
        assert got == pytest.approx(expected, abs=1e-7)
        if loss is cross_entropy:
            oracle = torch.nn.functional.cross_entropy(scores, torch.tensor([t])).item()
            assert got == pytest.approx(oracle, abs=1e-14)
    for t in (-1, 3, 3.0, 100):
        with pytest.raises(ValueError, match=rf"{loss.__name__}: class label {t!r} is out of "
                                             r"range for 3 scores \(expected 0..2\)"):
            loss([Value(z) for z in Z3], t)
    for t in (True, 1.5, math.nan):
        with pytest.raises(ValueError, match="target must be a class index 0..2"):
            loss([Value(z) for z in Z3], t)


@pytest.mark.parametrize("batched", [False, True])
def test_fit_checks_class_indices_against_the_number_of_outputs(batched):
    model = MLP(2, [3], seed=0)
    X = [[1.0, 0.0], [0.0, 1.0]]
    for bad in (3, -1):
        with pytest.raises(ValueError, match=rf"fit: cross_entropy needs class indices 0..2 for "
                                             rf"3 outputs; sample 1 has {bad}"):
            fit(model, X, [0, bad], loss="cross_entropy", epochs=1, progress=False,
                batched=batched)
    history = fit(model, X, [0, 2], loss="cross_entropy", epochs=1, progress=False,
                  batched=batched)
    assert history.steps == 1


def test_fit_turns_a_backward_refusal_after_an_update_into_training_diverged():
    # one linear neuron, x = 1e155, w = 1e-160, target 0. Step 1: out = 1e-5, dL/dw =
    # 2 · 1e-5 · 1e155 = 2e150, so w becomes 1e-160 - 6e-152 · 2e150 = -0.12. Step 2: out =
    # -1.2e154, L = 1.44e308 (finite), but dL/dw = 2 · (-1.2e154) · 1e155 overflows. Before,
    # fit let the bare AnomalyError out; it is divergence, at step 2, with advice.
    model = MLP(1, [1], seed=0)
    model.load_state_dict({"L1.N1.w1": 1e-160, "L1.N1.b": 0.0})
    with pytest.raises(TrainingDiverged) as error:
        fit(model, [[1e155]], [0.0], lr=6e-152, epochs=3, progress=False)
    text = str(error.value)
    assert text.startswith("training diverged at step 2 (epoch 2, batch 1): a gate failed: mul "
                           "gate sent a non-finite gradient (-inf) to its input a = -0.12 (node "
                           "'L1.N1.w1')")
    assert "try lr=6e-153 (10x lower)" in text and error.value.step == 2
    assert model.state_dict()["L1.N1.w1"] == pytest.approx(-0.12, rel=1e-12)  # after step 1
    assert localize(error.value, "zh").startswith("训练发散了，在第 2 步（第 2 轮，第 1 批）："
                                                  "一个门拒绝了计算：")
