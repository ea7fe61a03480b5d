"""Every setting a user passes to nn is checked, with a message naming it (issue 15).

Each test here failed on the code before the fix: a wrong width reshaped silently, a negative
clip ran gradient ascent, NaN clip poisoned the gradients, and so on. Refusals leave the model,
its gradients and its parameters exactly as they were.
"""

from __future__ import annotations

import math

import pytest
import torch

from nn import MLP, SGD, Adam, clip_grad_norm, fit, lr_range_test, predict, train_step
from nn.labels import label, parse_label
from tests.close import assert_close
from tests.nn.twin import TorchTwin

X4 = [[0.5, -1.0], [1.5, 0.25], [-0.5, 2.0], [1.0, 1.0]]
Y4 = [1.0, -1.0, 1.0, -1.0]


@pytest.mark.parametrize("batched", [False, True])
def test_predict_refuses_rows_of_the_wrong_width(batched):
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match=r"the model takes 2 inputs, X has 4 per sample"):
        predict(model, [[1, 2, 3, 4]], batched=batched)
    with pytest.raises(ValueError, match=r"predict: X must have shape \(n, 2\)"):
        predict(model, [[1, 2, 3]], batched=batched)
    assert len(predict(model, [[1, 2], [3, 4]], batched=batched)) == 2


@pytest.mark.parametrize("clip", [-1.0, 0.0, math.nan, math.inf])
def test_fit_refuses_a_clip_that_is_not_a_positive_finite_bound(clip):
    model = MLP(2, [3, 1], seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"fit: clip must be a positive finite number"):
        fit(model, X4, Y4, loss="hinge", clip=clip, epochs=1, progress=False)
    assert model.state_dict() == before


def test_clip_grad_norm_refuses_a_negative_bound_and_keeps_the_gradients():
    model = MLP(2, [1], seed=2)
    for k, p in enumerate(model.parameters()):
        p.grad = float(k + 1)
    with pytest.raises(ValueError, match=r"clip_grad_norm: max_norm must be a positive finite"):
        clip_grad_norm(model.parameters(), -1)
    with pytest.raises(ValueError, match=r"max_norm"):
        clip_grad_norm(model.parameters(), math.nan)
    with pytest.raises(TypeError, match=r"max_norm"):
        clip_grad_norm(model.parameters(), "1")
    assert [p.grad for p in model.parameters()] == [1.0, 2.0, 3.0]
    # a good bound: the norm of (1, 2, 3) is sqrt(14); scaled to 1 (torch's 1e-6 epsilon)
    assert clip_grad_norm(model.parameters(), 1.0) == pytest.approx(math.sqrt(14), rel=1e-15)
    assert [p.grad for p in model.parameters()] == pytest.approx(
        [k / (math.sqrt(14) + 1e-6) for k in (1, 2, 3)], rel=1e-12)


@pytest.mark.parametrize("betas, error", [
    (0.9, TypeError), ((0.9,), TypeError), ((0.9, 0.999, 0.5), TypeError),
    ((0.9, 1.0), ValueError), ((-0.1, 0.999), ValueError), (("0.9", 0.999), TypeError),
])
def test_adam_betas_are_two_numbers_in_zero_one(betas, error):
    model = MLP(2, [1], seed=3)
    with pytest.raises(error, match=r"betas"):
        Adam(model.parameters(), betas=betas)


@pytest.mark.parametrize("settings, fragment", [
    ({"lr_min": 0.0}, "lr_min must be a positive finite"),
    ({"lr_min": -1e-3}, "lr_min must be a positive finite"),
    ({"lr_max": math.inf}, "lr_max must be a positive finite"),
    ({"lr_min": 1.0, "lr_max": 0.1}, "lr_min must be below lr_max"),
    ({"steps": 0}, "steps must be a whole number of rates, at least 2"),
    ({"steps": 1}, "steps must be"),
    ({"steps": 2.5}, "steps must be"),
])
def test_lr_range_test_checks_its_sweep(settings, fragment):
    model = MLP(2, [3, 1], seed=4)
    before = model.state_dict()
    with pytest.raises(ValueError, match=fragment):
        lr_range_test(model, X4, Y4, loss="hinge", **settings)
    assert model.state_dict() == before


def test_fit_without_labels_says_so():
    model = MLP(2, [1], seed=5)
    with pytest.raises(TypeError, match=r"fit: y is None; give one target per sample"):
        fit(model, X4, None, progress=False)
    with pytest.raises(TypeError, match=r"fit: X is None"):
        fit(model, None, Y4, progress=False)


def test_load_state_dict_names_the_bad_key_and_changes_nothing():
    model = MLP(2, [2, 1], seed=6)
    before = model.state_dict()
    bad = dict(before, **{"L1.N2.w1": "0.5"})
    with pytest.raises(TypeError, match=r"load_state_dict: L1.N2.w1 must be a number, got str"):
        model.load_state_dict(bad)
    for value in (math.nan, math.inf):
        with pytest.raises(ValueError, match=r"load_state_dict: L2.N1.b must be a finite"):
            model.load_state_dict(dict(before, **{"L2.N1.b": value}))
    assert model.state_dict() == before


def test_train_step_is_one_step_of_a_torch_training_loop():
    model = MLP(2, [3, 1], activation="tanh", seed=7)
    twin = TorchTwin(model)
    loss = train_step(model, X4, Y4, SGD(model.parameters(), lr=0.1), loss="mse", l2=1e-3)
    out = twin(X4)[:, 0]
    target = torch.tensor(Y4, dtype=torch.float64)
    expected = ((out - target) ** 2).mean()
    (expected + 1e-3 * sum((p ** 2).sum() for p in twin.parameters())).backward()
    with torch.no_grad():
        for p in twin.parameters():
            p -= 0.1 * p.grad
    assert_close([loss], [expected.item()], what="loss")
    assert_close([p.data for p in model.parameters()], twin.flat(), rtol=1e-12, what="w")
    with pytest.raises(ValueError, match="train_step: clip"):
        train_step(model, X4, Y4, SGD(model.parameters(), lr=0.1), clip=-2.0)


def test_the_label_format_is_defined_once():
    assert label(1, 3, "w2") == "L1.N3.w2"
    assert parse_label("L12.N3.b") == (12, 3, "b") and parse_label("L1.N3.s").key == "L1.N3"
    for other in ("x1", "L", "L1.N3", "L1.N3.w", "L1.N3.z", "l1.n3.w2", "L1.N3.w2 "):
        assert parse_label(other) is None, other
    with pytest.raises(ValueError, match="not of the form"):
        label(1, 2, "q")
    model = MLP(2, [2, 1], seed=8)
    names = [n for n, _ in model.named_parameters()]
    assert names == ["L1.N1.w1", "L1.N1.w2", "L1.N1.b", "L1.N2.w1", "L1.N2.w2", "L1.N2.b",
                     "L2.N1.w1", "L2.N1.w2", "L2.N1.b"]
