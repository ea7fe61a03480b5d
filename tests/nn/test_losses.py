"""Every loss against torch float64 (value and gradient), finite differences (engine.gradcheck),
stability at extreme scores, and errors for bad targets."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine import Value, gradcheck
from nn import (
    MLP,
    binary_cross_entropy,
    cross_entropy,
    get_loss,
    hinge,
    l2,
    log_sum_exp,
    mse,
    multiclass_hinge,
)
from tests.close import assert_close

RNG = np.random.default_rng(42)
SCORES = RNG.normal(size=(5, 4)) * 2  # 5 samples, 4 classes
CLASSES = [0, 3, 1, 1, 2]
PRED = RNG.normal(size=8) * 3  # 8 scalar predictions
BINARY = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]
SIGNS = [2 * b - 1 for b in BINARY]


def ours_and_torch(loss_fn, torch_fn, pred: np.ndarray, target, batch=True):
    """Our loss and its gradient w.r.t. every score, and torch's."""
    leaves = [[Value(v) for v in row] for row in pred] if pred.ndim == 2 else \
        [Value(v) for v in pred]
    ours = loss_fn(leaves, target)
    ours.backward()
    grads = [v.grad for row in leaves for v in (row if pred.ndim == 2 else [row])]
    t = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
    theirs = torch_fn(t)
    theirs.backward()
    return (ours.data, grads), (theirs.item(), t.grad.flatten().tolist())


CASES = {
    "mse": (mse, lambda t: F.mse_loss(t, torch.tensor(BINARY, dtype=torch.float64)),
            PRED, BINARY),
    "bce": (binary_cross_entropy,
            lambda t: F.binary_cross_entropy_with_logits(t, torch.tensor(BINARY,
                                                                        dtype=torch.float64)),
            PRED, BINARY),
    "hinge": (hinge, lambda t: torch.relu(1 - torch.tensor(SIGNS, dtype=torch.float64) * t).mean(),
              PRED, SIGNS),
    "cross_entropy": (cross_entropy, lambda t: F.cross_entropy(t, torch.tensor(CLASSES)),
                      SCORES, CLASSES),
    "multiclass_hinge": (multiclass_hinge,
                         # torch divides each sample's sum by the number of classes k = 4
                         lambda t: 4 * F.multi_margin_loss(t, torch.tensor(CLASSES)),
                         SCORES, CLASSES),
}


@pytest.mark.parametrize("name", CASES)
def test_loss_and_gradient_equal_torch(name):
    fn, torch_fn, pred, target = CASES[name]
    (ours, grads), (theirs, t_grads) = ours_and_torch(fn, torch_fn, pred, target)
    assert_close([ours], [theirs], what=f"{name} loss")
    assert_close(grads, t_grads, what=f"{name} grads")


def test_sum_reduction_and_vector_outputs_equal_torch():
    Y = RNG.normal(size=(3, 2))
    P = RNG.normal(size=(3, 2))
    ours = mse([[Value(v) for v in row] for row in P], Y.tolist(), reduction="sum").data
    assert_close([ours], [F.mse_loss(torch.tensor(P), torch.tensor(Y), reduction="sum").item()])
    terms = hinge([Value(v) for v in PRED], SIGNS, reduction="none")
    assert len(terms) == 8 and terms[0].data == max(0.0, 1 - SIGNS[0] * PRED[0])


def test_cross_entropy_with_probability_targets_equals_torch():
    probs = RNG.dirichlet(np.ones(4), size=5)
    leaves = [[Value(v) for v in row] for row in SCORES]
    ours = cross_entropy(leaves, probs.tolist())
    ours.backward()
    t = torch.tensor(SCORES, requires_grad=True)
    theirs = F.cross_entropy(t, torch.tensor(probs))
    theirs.backward()
    assert_close([ours.data], [theirs.item()])
    assert_close([v.grad for row in leaves for v in row], t.grad.flatten().tolist())


def test_one_hot_targets_give_the_same_numbers_as_class_indices():
    """What the batched replay feeds (one-hot label leaves) equals the index form exactly."""
    for fn in (cross_entropy, multiclass_hinge):
        values, grads = [], []
        for target in (CLASSES, np.eye(4)[CLASSES].tolist()):
            leaves = [[Value(v) for v in row] for row in SCORES]
            out = fn(leaves, target)
            out.backward()
            values.append(out.data)
            grads.append([v.grad for row in leaves for v in row])
        assert values[0] == values[1]
        assert_close(grads[0], grads[1], rtol=1e-15)


def test_l2_equals_torch():
    model = MLP(2, [3, 1], seed=0)
    reg = l2(model, 1e-4)
    reg.backward()
    t = torch.tensor([p.data for p in model.parameters()], dtype=torch.float64,
                     requires_grad=True)
    theirs = 1e-4 * (t**2).sum()
    theirs.backward()
    assert_close([reg.data], [theirs.item()])
    assert_close([p.grad for p in model.parameters()], t.grad.tolist())


def test_single_sample_forms():
    z = [Value(1.0), Value(2.0), Value(0.5)]
    expected = np.log(np.exp([1.0, 2.0, 0.5]).sum()) - 2.0
    assert cross_entropy(z, 1).data == pytest.approx(expected, rel=1e-15)
    assert mse(Value(3.0), 1.0).data == 4.0
    assert hinge(Value(0.25), -1).data == 1.25
    assert multiclass_hinge(z, 0).data == pytest.approx(2.0 + 0.5, rel=1e-15)


# -- finite differences ---------------------------------------------------------------------


def _gradcheck(fn, values, target, k=None):
    def f(*v):
        scores = [list(v[i:i + k]) for i in range(0, len(v), k)] if k else list(v)
        return fn(scores, target)
    result = gradcheck(f, list(values))
    assert result.passed, str(result)


@pytest.mark.parametrize("name", CASES)
def test_loss_gradients_match_finite_differences(name):
    fn, _, pred, target = CASES[name]
    _gradcheck(fn, pred.flatten().tolist(), target, k=pred.shape[1] if pred.ndim == 2 else None)


def test_l2_gradcheck():
    result = gradcheck(lambda *p: l2(p, 0.3), [0.5, -1.5, 2.0])
    assert result.passed, str(result)


# -- stability -----------------------------------------------------------------------------------


def test_bce_is_stable_and_exact_at_extreme_and_zero_logits():
    logits = [800.0, -800.0, 40.0, -40.0, 0.0, 0.0]
    target = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0]
    leaves = [Value(v) for v in logits]
    ours = binary_cross_entropy(leaves, target, reduction="none")
    t = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    theirs = F.binary_cross_entropy_with_logits(t, torch.tensor(target, dtype=torch.float64),
                                                reduction="none")
    theirs.sum().backward()
    for v in ours:
        v.backward()
    # Values: exact where they are >= 1e-10 (log(1 + e^-40) ~ 4e-18 is below float resolution
    # next to 1, the gate table has no log1p); gradients exact everywhere, also at z = 0.
    assert_close([v.data for v in ours], theirs.tolist(), atol=1e-17)
    assert_close([v.grad for v in leaves], t.grad.tolist(), atol=1e-17)
    assert [v.grad for v in leaves][4:] == [-0.5, 0.5]


def test_cross_entropy_is_stable_for_huge_scores():
    scores = [[1000.0, 999.0, -1000.0], [-5000.0, -5001.0, -4999.0]]
    leaves = [[Value(v) for v in row] for row in scores]
    ours = cross_entropy(leaves, [0, 2])
    ours.backward()
    t = torch.tensor(scores, dtype=torch.float64, requires_grad=True)
    theirs = F.cross_entropy(t, torch.tensor([0, 2]))
    theirs.backward()
    assert_close([ours.data], [theirs.item()])
    assert_close([v.grad for row in leaves for v in row], t.grad.flatten().tolist(),
                 atol=1e-16)
    assert log_sum_exp([Value(710.0), Value(710.0)]).data == pytest.approx(710 + np.log(2))


# -- bad targets ----------------------------------------------------------------------------------


def test_bad_targets_get_clear_errors():
    z = [Value(0.1), Value(0.2), Value(0.3)]
    with pytest.raises(ValueError, match=r"class label 3 is out of range for 3 scores "
                                         r"\(expected 0..2\)"):
        cross_entropy(z, 3)
    with pytest.raises(ValueError, match="hinge: targets must be -1 or 1"):
        hinge([Value(0.5)], [0])
    with pytest.raises(ValueError, match=r"bce: targets must be in \[0, 1\]"):
        binary_cross_entropy([Value(0.5)], [-1])
    with pytest.raises(ValueError, match="mse: 2 predictions but 3 targets"):
        mse([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="cross_entropy: 2 samples but 1 targets"):
        cross_entropy([z, z], [1])
    with pytest.raises(ValueError, match="probabilities"):
        cross_entropy(z, [0.5, 0.6, 0.0])
    with pytest.raises(ValueError, match="k >= 2 scores"):
        multiclass_hinge([[Value(1.0)]], [0])
    with pytest.raises(TypeError, match="predictions must be Values"):
        mse([1.0], [1.0])
    with pytest.raises(ValueError, match="reduction must be"):
        mse([Value(1.0)], [1.0], reduction="avg")
    with pytest.raises(ValueError, match="bce: 2 predictions but 1 targets"):
        get_loss("bce").sample([Value(1.0), Value(2.0)], [1.0])
    with pytest.raises(ValueError, match="unknown loss 'l1'; choose one of mse, bce, hinge"):
        get_loss("l1")
